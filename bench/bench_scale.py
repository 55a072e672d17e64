"""Benchmark: `kg build` on corpora of many article files, from 0.5 to 20 MB (issue 17).

    .venv/bin/python bench/bench_scale.py [--sizes 0.5 2 5 20] [--out bench/scale.json]

The corpus: bench/corpus.py's, the real articles of eval/real/texts and the seeds copied into
distinct files until it has that many megabytes.

For each size, each in a new process:
- `kg build -j 1` and `kg build -j 2` into new folders: wall and CPU time, peak RSS (of the
  largest process of the build, from wait4), bytes written;
- a rebuild of the -j 1 folder after one file of the corpus changed (a sentence appended):
  with an extraction cache (`kg build --help` names --no-cache) only that file is extracted
  again; without one, this is a whole build;
- `jieba.lcut` over the whole corpus's text, as the reference measured in the same run
  (jieba's start-up left out).
Throughput ratios: characters per second of the build over those of jieba.lcut (≥ 0.4 is
the issue's aim at -j 1), by wall time and by CPU time (the build's processes together, jieba's
process): on a machine busy with other work the CPU ratio is the steadier one. The rebuild is
only incremental while the package's code stays the same (the cache's key hashes it). Not a
test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_inputs import JIEBA, run_measured
from corpus import make_corpus


def write_joined(files: list[Path], joined: Path) -> int:
    """All the files' text in one file, for jieba; returns its number of characters."""
    texts = [p.read_text(encoding="utf-8") for p in files]
    joined.write_text("\n".join(texts), encoding="utf-8")
    return sum(map(len, texts))


def folder_bytes(folder: Path) -> int:
    """The bytes of the graph files and summary (not the cache, not the store)."""
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.5, 2, 5, 20], metavar="MB")
    ap.add_argument("--out", type=Path, help="also write the rows as JSON")
    args = ap.parse_args()
    kg = str(Path(sys.executable).with_name("kg"))
    cache = "--no-cache" in subprocess.run([kg, "build", "--help"], capture_output=True, text=True).stdout
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            corpus = Path(tmp) / f"corpus-{mb}MB"
            files = make_corpus(corpus, mb)
            joined = Path(tmp) / f"corpus-{mb}MB.txt"
            chars = write_joined(files, joined)
            jieba_s, jieba_cpu = map(float, run_measured([sys.executable, "-c", JIEBA, str(joined)])[3].split())
            row = {"MB": mb, "files": len(files), "chars": chars, "jieba_lcut_s": round(jieba_s, 2),
                   "jieba_lcut_cpu_s": round(jieba_cpu, 2)}
            for jobs in (1, 2):
                out = Path(tmp) / f"out-{mb}-j{jobs}"
                wall, cpu, rss, _ = run_measured([kg, "build", str(corpus), "-o", str(out), "-q", "-j", str(jobs)])
                row[f"j{jobs}"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_MB": round(rss / 1e6),
                                   "written_MB": round(folder_bytes(out) / 1e6, 1),
                                   "vs_jieba": round(jieba_s / wall, 3), "vs_jieba_cpu": round(jieba_cpu / cpu, 3)}
            changed = files[len(files) // 2]
            changed.write_text(changed.read_text(encoding="utf-8") + "\n本文有更新。\n", encoding="utf-8")
            wall, cpu, rss, _ = run_measured([kg, "build", str(corpus), "-o", str(Path(tmp) / f"out-{mb}-j1"),
                                              "-q", "-j", "1"])
            row["rebuild_one_changed"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                                          "peak_rss_MB": round(rss / 1e6), "cache": cache}
            row["j2_speedup"] = round(row["j1"]["wall_s"] / row["j2"]["wall_s"], 2)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            shutil.rmtree(corpus)
            for jobs in (1, 2):
                shutil.rmtree(Path(tmp) / f"out-{mb}-j{jobs}")
            joined.unlink()
    print("\n| input | files | characters | jieba.lcut wall / CPU | -j 1 wall / CPU | peak RSS | written "
          "| × jieba (-j 1), wall / CPU | -j 2 wall | -j 2 / -j 1 | rebuild, one file changed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        j1, j2, re = r["j1"], r["j2"], r["rebuild_one_changed"]
        print(f"| {r['MB']} MB | {r['files']:,} | {r['chars']:,} | {r['jieba_lcut_s']} / {r['jieba_lcut_cpu_s']} s "
              f"| {j1['wall_s']} / {j1['cpu_s']} s | {j1['peak_rss_MB']} MB | {j1['written_MB']} MB "
              f"| {j1['vs_jieba']} / {j1['vs_jieba_cpu']} | "
              f"{j2['wall_s']} s | {r['j2_speedup']}× | {re['wall_s']} s ({re['cpu_s']} s CPU){'' if re['cache'] else ', no cache'} |")
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
