"""Benchmark: `kg build` on a corpus against jieba's own segmentation of the same text.

    .venv/bin/python bench/bench_build.py [INPUT ...] [--repeat N]

Prints the time of each stage group and the ratios against the peer measured
in the same run (jieba.lcut over the same clean text, jieba.initialize()),
so that figures compare across machines. Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import jieba

    from kg.build import Pipeline, build
    from kg.read import read_pages
    from kg.split import split_articles

    pages, _ = read_pages(args.inputs)
    articles = [a for p in pages for a in split_articles(p)]
    text = "\n".join(a.text for a in articles)
    chars = len(text)

    # peer: jieba, cold start and segmentation of the same text
    t_jieba_init = timed(lambda: jieba.Tokenizer().initialize(), 1)
    tok = jieba.Tokenizer()
    tok.initialize()
    t_jieba_cut = timed(lambda: tok.lcut(text), args.repeat)

    # ours: a cold `kg build` as a user runs it (a new process), then the warm pipeline
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(kg), "build", *args.inputs, "-o", f"{tmp}/out", "--quiet"]
        t_cold = timed(lambda: subprocess.run(cmd, check=True, capture_output=True), args.repeat)
        t_load = timed(lambda: Pipeline(), 1)
        pipeline = Pipeline()

        def extract():
            pipeline.registry.entities.clear()
            pipeline.results.clear()
            for a in articles:
                pipeline.run_article(a)
        t_extract = timed(extract, args.repeat)
        t_build = timed(lambda: build(args.inputs, Path(tmp) / "warm", pipeline=Pipeline()), 1)

    print(f"corpus: {len(pages)} files, {len(articles)} articles, {chars} chars")
    print(f"{'what':38s} {'seconds':>8s}  ratio")
    rows = [
        ("jieba.initialize() (peer)", t_jieba_init, None),
        ("jieba.lcut over the corpus (peer)", t_jieba_cut, None),
        ("kg build, new process, cold", t_cold, t_jieba_init + t_jieba_cut),
        ("Pipeline() load (gazetteer + jieba)", t_load, t_jieba_init),
        ("extraction only, warm", t_extract, t_jieba_cut),
        ("build() in process incl. RDF", t_build, None),
    ]
    for name, secs, peer in rows:
        ratio = f"{secs / peer:6.1f}x peer" if peer else ""
        print(f"{name:38s} {secs:8.3f}  {ratio}")
    print(f"extraction speed: {chars / t_extract / 1000:.1f} kchar/s "
          f"(jieba.lcut: {chars / t_jieba_cut / 1000:.1f} kchar/s)")


if __name__ == "__main__":
    main()
