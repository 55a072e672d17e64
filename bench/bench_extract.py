"""Benchmark: extraction and a whole `kg build -j 1`, as ratios to jieba.lcut of the same text.

    PYTHONPATH=. .venv/bin/python bench/bench_extract.py INPUT... [--repeat N]

Reads the articles as `kg build` does, then in this process times jieba.lcut of their
clean text (jieba's stock tokenizer, initialized beforehand), Pipeline.extract of every
article (kg.find and kg.statistics) and Pipeline.run_article (kg.resolve and kg.relate);
and `python -m kg.cli build INPUT... -j 1` in a new process with this tree first on the
path, lcut timed again right after it. Times are CPU times (user and system; the build's
process included), each the median of N runs: on a shared machine they vary far less than
wall times. The ratios (time / jieba.lcut's) compare across machines, the seconds do not.
Throughput as a fraction of jieba's is 1 / ratio. Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn) -> float:
    """The CPU time fn takes (this process's and its children's, user and system): on a
    shared machine it varies far less than the wall time."""
    def cpu() -> float:
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    started = cpu()
    fn()
    return cpu() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import jieba

    from kg.build import Pipeline
    from kg.dates import date_articles
    from kg.read import read_pages
    from kg.resolve import Registry
    from kg.split import split_articles

    pages, _ = read_pages(args.inputs)
    articles = []
    for page in pages:
        found = split_articles(page)
        date_articles(page, found, None)
        articles += found
    text = "\n".join(a.text for a in articles)
    stock = jieba.Tokenizer()
    stock.initialize()
    pipeline = Pipeline()
    lcut, extract, relate, build, lcut_after = [], [], [], [], []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.repeat):
            lcut.append(timed(lambda: stock.lcut(text)))
            extractions = []
            extract.append(timed(lambda: extractions.extend(pipeline.extract(a) for a in articles)))
            pipeline.registry, pipeline.names, pipeline.results = Registry(), {}, []
            relate.append(timed(lambda: [pipeline.run_article(a, e) for a, e in zip(articles, extractions)]))
            cmd = [sys.executable, "-m", "kg.cli", "build", *args.inputs, "-o", f"{tmp}/out{n}", "-j", "1", "-q"]
            build.append(timed(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=tmp)))
            lcut_after.append(timed(lambda: stock.lcut(text)))
    med = statistics.median
    peer = med(lcut + lcut_after)
    print(f"{len(articles)} articles, {len(text):,} characters; medians of {args.repeat} runs")
    print(f"jieba.lcut        {peer:6.2f} s CPU")
    for name, runs in (("extract", extract), ("relate", relate), ("kg build -j 1", build)):
        print(f"{name:17} {med(runs):6.2f} s  {med(runs) / peer:5.2f}x jieba.lcut "
              f"(throughput {peer / med(runs):.3f}x jieba's)")


if __name__ == "__main__":
    main()
