"""Incremental builds: a cold `kg build` against a rebuild after one file changed.

    python bench/bench_incremental.py [--sizes 1 5] [--jobs 2] [--work /tmp/bench-incremental]

For each size (MB of UTF-8 text), makes bench/corpus.py's corpus of distinct real article
files, then in new processes: `kg build` cold (which fills OUTDIR/.kg-cache), the same
build after appending a sentence to one file, and that corpus again with --no-cache into
another folder, whose graph files must be byte-identical. Prints wall and CPU time (the
process and its workers, from wait4) and kg build's own time by stage, beside `jieba.lcut`
over the same text in this process as the reference (the machine's load moves wall times).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corpus import make_corpus

ROOT = Path(__file__).resolve().parents[1]
CHANGE = "\n兰州市城关区开展“红色物业”试点工作。\n"
GRAPH = ("graph.ttl", "graph.trig", "graph.nq", "summary.json")


def kg_build(args: list[str]) -> tuple[float, float, str]:
    """(wall s, CPU s of the process and its children, stdout) of `kg build ARGS -q`."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", *args, "-q"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd="/")
    before = _children_cpu()
    out, err = process.communicate()              # reaps it: its CPU joins RUSAGE_CHILDREN
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"kg build {' '.join(args)} failed:\n{err}")
    return wall, _children_cpu() - before, out


def _children_cpu() -> float:
    """CPU seconds of the reaped children of this process (and of theirs: the workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def jieba_reference(folder: Path) -> tuple[float, float]:
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
    wall, cpu = time.perf_counter(), time.process_time()
    jieba.lcut(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def line(label: str, wall: float, cpu: float, out: str) -> str:
    counts = re.search(r"extraction: (.*)", out)
    stages = re.search(r"time by stage: (.*)", out)
    return (f"{label:<36} {wall:7.2f} s wall {cpu:7.2f} s CPU   {counts.group(1) if counts else ''}\n"
            f"{'':<36} {stages.group(1) if stages else ''}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5], metavar="MB")
    ap.add_argument("--jobs", default="2", metavar="N")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-incremental"))
    args = ap.parse_args()
    for size in args.sizes:
        work = args.work / f"{size:g}mb"
        shutil.rmtree(work, ignore_errors=True)
        corpus, out, uncached = work / "corpus", work / "out", work / "out-no-cache"
        files = make_corpus(corpus, size)
        total = sum(p.stat().st_size for p in files)
        print(f"== {size:g} MB: {len(files)} files, {total:,} bytes; load average {os.getloadavg()[0]:.1f}")
        wall, cpu = jieba_reference(corpus)
        print(f"{'jieba.lcut (reference)':<36} {wall:7.2f} s wall {cpu:7.2f} s CPU")
        print(line("cold build", *kg_build([str(corpus), "-o", str(out), "-j", args.jobs])))
        changed = files[len(files) // 4]
        with changed.open("a", encoding="utf-8") as fh:
            fh.write(CHANGE)
        print(line(f"rebuild, {changed.name} changed", *kg_build([str(corpus), "-o", str(out), "-j", args.jobs])))
        print(line("--no-cache", *kg_build([str(corpus), "-o", str(uncached), "-j", args.jobs, "--no-cache"])))
        same = all((out / n).read_bytes() == (uncached / n).read_bytes() for n in GRAPH)
        cache = sum(p.stat().st_size for p in (out / ".kg-cache").rglob("*") if p.is_file())
        print(f"graph files with and without the cache: {'identical' if same else 'DIFFERENT'}; "
              f"cache {cache:,} bytes; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
