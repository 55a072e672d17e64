"""Benchmark: the reading commands on one built OUTDIR, each in a new process, with
`jieba.lcut` over a fixed text in the same run as the reference (the machine's speed).

    .venv/bin/python bench/bench_store.py OUTDIR [--skip validate explore ...]

OUTDIR is a `kg build` output, e.g. of a corpus made by
`python bench/corpus.py 5 /tmp/c5 && kg build /tmp/c5 -o /tmp/g5`. A graph.nq
over kg.query.STORE_THRESHOLD is read from OUTDIR/oxigraph; the first command loads it
(timed on its own line when it is missing or stale). Prints one line per command: wall
time and peak RSS (GNU time), then every named query's time inside one process, then the
reference again. Not a test: nothing is asserted. docs/queries.md ("Large graphs") has
figures.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("stats", "query", "explore", "export", "validate")


def reference() -> str:
    """jieba.lcut over the first seed file, 20 times over, in this process."""
    import jieba
    text = sorted((ROOT / "seeds").iterdir())[0].read_text(encoding="utf-8") * 20
    jieba.lcut("预热")
    start = time.perf_counter()
    jieba.lcut(text)
    return f"jieba.lcut reference ({len(text)} chars): {time.perf_counter() - start:.3f} s"


def timed(args: list[str], label: str) -> str:
    """LABEL, wall seconds and peak RSS of `python -m kg.cli ARGS` in a new process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", out.name, sys.executable, "-m", "kg.cli", *args],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall, rss = out.read().split()[-2:]
    return f"{label:40s} {float(wall):8.2f} s  {int(rss) / 1024:8.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--skip", nargs="*", default=[], choices=COMMANDS)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.query import STORE_DIRNAME, named_queries, open_engine, run, store_is_current
    from kg.query import uses_store

    outdir = Path(args.outdir)
    print(reference())
    if uses_store(outdir) and not store_is_current(outdir / STORE_DIRNAME, outdir / "graph.nq"):
        print(timed(["stats", str(outdir)], "stats, loading the store first"))
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    steps = {"stats": (["stats", str(outdir)], "stats"),
             "query": (["query", str(outdir), "divisions_under", "-p", "place=平凉市"], "query divisions_under"),
             "explore": (["explore", str(outdir), "-o", str(work / "explorer.html")], "explore"),
             "export": (["export", str(outdir), "-f", "csv", "-o", str(work / "csv")], "export csv"),
             "validate": (["validate", str(outdir)], "validate")}
    for name in COMMANDS:
        if name not in args.skip:
            print(timed(*steps[name]))
            if name == "explore" and (work / "explorer.html").exists():
                print(f"{'  explorer page':40s} {(work / 'explorer.html').stat().st_size / 1e6:8.1f} MB")
    engine = open_engine(outdir)
    for name, query in named_queries().items():
        params = {p.name: p.example for p in query.params if not p.optional}
        start = time.perf_counter()
        rows = len(run(engine, name, params, timeout=600))
        print(f"  {name:38s} {time.perf_counter() - start:8.3f} s  {rows} rows")
    engine.close()
    shutil.rmtree(work)                  # the page and the csv folder this run wrote
    print(reference())


if __name__ == "__main__":
    main()
