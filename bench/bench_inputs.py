"""Benchmark: the cost of `kg build` grows linearly with the size of one input file (issue 13).

    .venv/bin/python bench/bench_inputs.py [--sizes 0.5 2 5 20] [--out bench/inputs.json]
    .venv/bin/python bench/bench_inputs.py --line 258 [--runs 5]

The corpus: for each size, ONE file made of the paragraphs of the real published articles in
eval/real/texts and of the seeds, in their order, repeated until the file has that many
megabytes. One file without headlines is the worst case for a build (one long "article",
read in parts), and repeated paragraphs mean that entities recur as they do in an archive of
one region. For each size the table gives `kg build` in a new process: wall and CPU time,
peak memory (RSS of the process), bytes written, and characters per second; and, as the
reference measured in the same run, `jieba.lcut` over the same text (a new process too, with
jieba's start-up taken out). Not a test: nothing is asserted.

--line KB: instead, ONE line of KB kilobytes without punctuation or spaces, made of the same
paragraphs with every punctuation mark and blank taken out (the worst case of issue 13: no
sentence ends), built RUNS times with `jieba.lcut` of the line timed before each build, so
that a busy machine shows in the reference too. The whole `kg build` is timed, start-up included.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "eval" / "real" / "texts", ROOT / "seeds"]

# jieba.lcut of the file in a new process: wall and CPU seconds (its start-up left out)
JIEBA = """
import sys, time, jieba
text = open(sys.argv[1], encoding="utf-8").read()
jieba.initialize()
t, c = time.perf_counter(), time.process_time(); jieba.lcut(text)
print(time.perf_counter() - t, time.process_time() - c)
"""


def paragraphs() -> list[str]:
    out = []
    for folder in CORPUS:
        for path in sorted(folder.glob("*.txt")):
            out += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def make_file(path: Path, megabytes: float, pars: list[str]) -> None:
    target, size, lines, i = int(megabytes * 1_000_000), 0, [], 0
    while size < target:
        lines.append(pars[i % len(pars)])
        size += len(lines[-1].encode("utf-8")) + 1
        i += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_line(path: Path, kilobytes: float, pars: list[str]) -> None:
    """One line of `kilobytes` KB (UTF-8) of the paragraphs' text without punctuation or blanks."""
    target, size, parts, i = int(kilobytes * 1000), 0, [], 0
    while size < target:
        part = "".join(c for c in pars[i % len(pars)]
                       if not unicodedata.category(c).startswith(("P", "Z", "C")))
        parts.append(part)
        size += len(part.encode("utf-8"))
        i += 1
    line = "".join(parts).encode("utf-8")[:target].decode("utf-8", errors="ignore")
    path.write_text(line, encoding="utf-8")


def bench_line(kilobytes: float, runs: int, kg: str, pars: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"line-{kilobytes}KB.txt"
        make_line(source, kilobytes, pars)
        run_measured([kg, "build", str(source), "-o", f"{tmp}/warm", "-q"])      # caches warm
        print(f"one line of {source.stat().st_size:,} bytes, {len(source.read_text(encoding='utf-8')):,} characters")
        print("| run | kg build wall | CPU | peak RSS | jieba.lcut of the line | wall / lcut |")
        print("|---|---|---|---|---|---|")
        for run in range(1, runs + 1):
            jieba_s = float(run_measured([sys.executable, "-c", JIEBA, str(source)])[3].split()[0])
            wall, cpu, rss, _ = run_measured([kg, "build", str(source), "-o", f"{tmp}/out{run}", "-q"])
            print(f"| {run} | {wall:.2f} s | {cpu:.2f} s | {rss / 1e6:.0f} MB | {jieba_s:.3f} s | {wall / jieba_s:.1f} |",
                  flush=True)


def run_measured(cmd: list[str]) -> tuple[float, float, int, str]:
    """(wall s, CPU s, peak RSS bytes, stdout) of CMD in a new process (RSS from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    status = os.waitstatus_to_exitcode(status)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit status {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.5, 2, 5, 20], metavar="MB")
    ap.add_argument("--out", type=Path, help="also write the rows as JSON")
    ap.add_argument("--line", type=float, metavar="KB",
                    help="time one line of KB kilobytes without punctuation instead")
    ap.add_argument("--runs", type=int, default=5, help="builds of the --line (default 5)")
    args = ap.parse_args()
    kg = str(Path(sys.executable).with_name("kg"))
    pars = paragraphs()
    if args.line:
        bench_line(args.line, args.runs, kg, pars)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = run_measured([kg, "build", str(CORPUS[1] / sorted(p.name for p in CORPUS[1].glob("*.txt"))[0]),
                             "-o", f"{tmp}/warm", "-q"])       # caches warm; start-up cost
        for mb in args.sizes:
            source = Path(tmp) / f"corpus-{mb}MB.txt"
            make_file(source, mb, pars)
            chars = len(source.read_text(encoding="utf-8"))
            wall, cpu, rss, _ = run_measured([kg, "build", str(source), "-o", f"{tmp}/out-{mb}", "-q"])
            written = sum(p.stat().st_size for p in Path(f"{tmp}/out-{mb}").iterdir() if p.is_file())   # not the cache
            jieba_s = float(run_measured([sys.executable, "-c", JIEBA, str(source)])[3].split()[0])
            rows.append({"MB": mb, "chars": chars, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                         "peak_rss_MB": round(rss / 1e6), "written_MB": round(written / 1e6, 1),
                         "kchar_per_s": round(chars / (wall - base[0]) / 1000, 1),
                         "jieba_lcut_s": round(jieba_s, 2), "vs_jieba": round((wall - base[0]) / jieba_s, 1)})
            print(rows[-1], flush=True)
            shutil.rmtree(f"{tmp}/out-{mb}")
    print(f"\nstart-up (a one-page build): {base[0]:.1f} s wall, {base[2] / 1e6:.0f} MB peak RSS\n")
    print("| input | characters | wall | CPU | peak RSS | written | kchar/s (less start-up) | jieba.lcut | × jieba |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['MB']} MB | {r['chars']:,} | {r['wall_s']} s | {r['cpu_s']} s | {r['peak_rss_MB']} MB | "
              f"{r['written_MB']} MB | {r['kchar_per_s']} | {r['jieba_lcut_s']} s | {r['vs_jieba']} |")
    if args.out:
        args.out.write_text(json.dumps({"startup_s": round(base[0], 2), "rows": rows}, indent=1) + "\n",
                            encoding="utf-8")


if __name__ == "__main__":
    main()
