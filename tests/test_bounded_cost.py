"""Bounded cost per input (issue 13, point 3): a run of text without punctuation is cut into
sentences of at most MAX_SENTENCE_CHARS, a very long article is read in parts, and the time
and output of a build grow linearly with the input, not with its square."""
from __future__ import annotations

import re
import time

from conftest import SEEDS, doc_by_hand

from kg.build import Pipeline, build
from kg.find.people import find_people
from kg.model import Page
from kg.split import MAX_ARTICLE_CHARS, MAX_SENTENCE_CHARS, split_articles

PUNCTUATION = r"[。！？!?…，,；;：:、“”‘’（）()《》\s]"


def unpunctuated(chars: int) -> str:
    """Real party-building text (the seeds) with every punctuation mark and line break removed."""
    text = re.sub(PUNCTUATION, "", "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    return (text * (chars // len(text) + 1))[:chars]


def test_a_line_without_punctuation_becomes_bounded_sentences():
    text = unpunctuated(3000)
    (article,) = split_articles(Page("line", "line.txt", text, "utf-8"))
    assert max(len(s.text) for s in article.sentences) <= MAX_SENTENCE_CHARS
    assert article.text.replace("\n", "") == text                     # cut, nothing lost
    assert all(text[article.origin[i]] == ch for i, ch in enumerate(article.text) if ch != "\n")


def test_a_long_article_is_read_in_parts_that_map_back_to_the_file():
    text = "\n".join(["兰州市委组织部持续推进“消薄强村”行动，支持50个村发展集体经济。"] * 2000)
    articles = split_articles(Page("long", "long.txt", text, "utf-8"))
    assert len(articles) > 1 and [a.index for a in articles] == list(range(len(articles)))
    assert all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)
    assert sum(len(a.text) for a in articles) >= len(text) - len(articles)
    for a in articles:                           # (punctuation is normalized: compare the words)
        assert all(text[a.origin[i]] == ch for i, ch in enumerate(a.text) if "\u4e00" <= ch <= "\u9fff")


def test_a_byline_pattern_does_not_backtrack_over_a_long_run(segmenter, gazetteer):
    # 记者 followed by thousands of characters without a break: the byline pattern once repeated
    # a 2-4 character group without bound and backtracked for minutes
    text = "记者" + unpunctuated(20000)
    started = time.perf_counter()
    find_people(doc_by_hand(text, segmenter))
    assert time.perf_counter() - started < 10


def test_a_long_unpunctuated_line_builds_in_bounded_time_and_size(tmp_path, segmenter, gazetteer):
    sizes = {}
    for chars in (10_000, 40_000):
        path = tmp_path / f"line{chars}.txt"
        path.write_text(unpunctuated(chars), encoding="utf-8")
        started = time.perf_counter()
        build([str(path)], tmp_path / f"out{chars}", pipeline=Pipeline(gazetteer, segmenter))
        sizes[chars] = (time.perf_counter() - started, (tmp_path / f"out{chars}" / "graph.nq").stat().st_size,
                        path.stat().st_size)
    (t1, out1, in1), (t4, out4, in4) = sizes[10_000], sizes[40_000]
    assert out4 < 200 * in4                      # each mention's sentence is at most 500 characters
    assert out4 < 6 * out1                       # four times the input: about four times the output
    assert t4 < 8 * t1 + 2                       # and about four times the time, not sixteen
