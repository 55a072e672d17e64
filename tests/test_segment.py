"""The segmenter cuts as stock jieba does, on one shared dictionary without prefix entries."""
from __future__ import annotations

import random

import jieba
import pytest

from conftest import SEEDS


@pytest.fixture(scope="module")
def stock(segmenter):
    """(stock jieba with the segmenter's words added as Segmenter adds them, stock jieba)."""
    from kg.build import segmenter_words
    plain = jieba.Tokenizer()
    plain.initialize()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(plain.FREQ), plain.total, True
    for word in sorted(set(segmenter_words())):
        if word:
            tok.add_word(word, freq=max(plain.FREQ.get(word, 0), 2000, 500 * len(word)))
    return tok, plain


def samples(stock_plain) -> list[str]:
    """The seed articles, and strings mixing jieba's words, lexicon words, letters, digits,
    marks and white space."""
    from kg.build import segmenter_words
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rng = random.Random(7)
    vocab = sorted(w for w, f in stock_plain.FREQ.items() if f)
    lexicon = sorted(set(w for w in segmenter_words() if w))
    odd = list("abcXYZ019 .-_%#&+\n\t，。、“”《》()") + [w[0] for w in rng.sample(vocab, 200)]
    for _ in range(300):
        parts = [rng.choice(vocab) if r < .4 else rng.choice(lexicon) if r < .55 else
                 "".join(rng.choice(odd) for _ in range(rng.randint(1, 4)))
                 for r in (rng.random() for _ in range(rng.randint(1, 30)))]
        texts.append("".join(parts))
    return texts


def test_cuts_dag_and_route_are_stock_jiebas(segmenter, stock):
    for ours, theirs in ((segmenter.tokenizer, stock[0]), (segmenter.plain, stock[1])):
        for text in samples(stock[1]):
            for hmm in (True, False):
                assert list(ours.tokenize(text, HMM=hmm)) == list(theirs.tokenize(text, HMM=hmm))
            assert ours.lcut(text, cut_all=True) == theirs.lcut(text, cut_all=True)
            for block in jieba.re_han_default.split(text):
                if block and jieba.re_han_default.match(block):
                    dag = theirs.get_DAG(block)
                    assert ours.get_DAG(block) == dag
                    route: dict = {}
                    theirs.calc(block, dag, route)
                    assert ours.route(block) == [route[k] for k in range(len(block) + 1)]


def test_frequencies_and_tags_are_jiebas(segmenter, stock):
    tok, plain = stock
    for word in list(plain.FREQ)[::50] + sorted({w for w in tok.FREQ if w not in plain.FREQ}):
        assert segmenter.freq.get(word, 0) == tok.FREQ.get(word, 0)
        assert segmenter.plain.FREQ.get(word, 0) == plain.FREQ.get(word, 0)
    assert segmenter.tokenizer.total == tok.total and segmenter.plain.total == plain.total
    assert segmenter.pos_tags["中国"] == "ns" and segmenter.pos_tags.get("中国共", "?") == "?"
    # the tag dict's keys are the frequency dict's strings: one object per word
    key = next(w for w in segmenter.pos_tags if len(w) > 1)
    assert next(w for w in segmenter.freq if w == key) is key


def test_tokens_with_jieba_rs_are_jiebas(segmenter, stock):
    """Segmenter.tokens with jieba-rs cutting the blocks gives stock jieba's tokens (word
    and offsets): on the seeds, eval/real's texts, the random mixes, and characters that
    jieba-rs counts as Han and jieba does not (㐀, 鿿), next to digits and marks."""
    from kg.segment import rjieba
    if rjieba is None:
        pytest.skip("rjieba is not installed (the extra `fast`)")
    assert segmenter.rust is not None
    real = [p.read_text(encoding="utf-8") for p in sorted((SEEDS.parent / "eval/real/texts").glob("*.txt"))]
    odd = ["㐀㐁党建引领鿿鿾基层治理", "时间：2026-03-18 来源", "结成3-5人互助小组", "T恤卡拉OK的A股",
           "群众意见\r\n群众\t意见  12.5%的党员", ""]
    texts = samples(stock[1]) + real + odd
    assert len(real) > 50
    # both ways for a block with other characters than Han ones: jieba-rs and the runs cut
    # again, or jieba alone where a word mixing Han and other characters is written
    assert segmenter.rust.cut_mixed("结成3-5人互助小组") == ["结成", "3", "-", "5", "人", "互助", "小组"]
    assert segmenter.rust.cut_mixed("15分钟便民生活圈") is None
    for text in texts:
        assert [(t.word, t.start, t.end) for t in segmenter.tokens(text)] == \
            list(stock[0].tokenize(text, HMM=True))
