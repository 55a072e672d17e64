"""Do jieba and jieba-rs (rjieba) cut the same? Segmenter.tokens with and without rjieba.

    PYTHONPATH=. .venv/bin/python bench/compare_rjieba.py [NAME=INPUT ...]

For each set of inputs (by default the seeds and eval/real/texts; add e.g.
corpus=/path/to/folder), every article is read as `kg build` reads it and its clean
text cut by Segmenter.tokens twice: by jieba alone (rust=False, the reference) and with
jieba-rs cutting the blocks (rust=True). Prints the articles, tokens and characters,
the articles whose tokens differ (word or offset; the first difference of a few), and
both CPU times beside jieba.lcut's of the same text (jieba's stock tokenizer, no user words).
Exits 1 if any article differs, 2 if rjieba is not installed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from kg.build import segmenter_words  # noqa: E402
from kg.read import read_pages  # noqa: E402
from kg.segment import JiebaDictionary, Segmenter, rjieba  # noqa: E402
from kg.split import split_articles  # noqa: E402


def timed(fn):
    """fn's result and the CPU time it took (steadier than wall time on a shared machine)."""
    started = time.process_time()
    out = fn()
    return out, time.process_time() - started


def main() -> int:
    if rjieba is None:
        print("rjieba is not installed (pip install -e '.[fast]')")
        return 2
    sets = [a.split("=", 1) for a in sys.argv[1:]] or \
        [("seeds", str(ROOT / "seeds")), ("real", str(ROOT / "eval/real/texts"))]
    dictionary = JiebaDictionary.load()
    words = segmenter_words()
    reference = Segmenter(words, dictionary, rust=False)
    fast, load = timed(lambda: Segmenter(words, dictionary, rust=True))
    print(f"Segmenter with jieba-rs built in {load:.2f} s")
    stock = jieba.Tokenizer()
    stock.initialize()
    differing = 0
    print(f"{'set':10} {'articles':>8} {'chars':>9} {'tokens':>8} {'differ':>6} "
          f"{'jieba.lcut':>10} {'jieba':>7} {'rjieba':>7}  (CPU seconds; ratio to jieba.lcut)")
    for name, inp in sets:
        pages, _ = read_pages([inp])
        texts = [a.text for p in pages for a in split_articles(p)]
        _, t_lcut = timed(lambda: [stock.lcut(t) for t in texts])
        ours, t_ref = timed(lambda: [reference.tokens(t) for t in texts])
        rust, t_rust = timed(lambda: [fast.tokens(t) for t in texts])
        bad = [i for i, (a, b) in enumerate(zip(ours, rust)) if a != b]
        differing += len(bad)
        print(f"{name:10} {len(texts):8} {sum(map(len, texts)):9} {sum(map(len, ours)):8} {len(bad):6} "
              f"{t_lcut:10.2f} {t_ref:4.2f} {t_ref / t_lcut:.1f}x {t_rust:4.2f} {t_rust / t_lcut:.1f}x")
        for i in bad[:3]:
            a, b = ours[i], rust[i]
            k = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(f"  article {i}: jieba {a[k:k + 3]}\n  {'':>{len(str(i)) + 9}}rjieba {b[k:k + 3]}")
    print("identical" if not differing else f"{differing} article(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
