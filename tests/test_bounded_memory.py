"""Bounded memory (issue 17, "Linear"): `kg build` writes the graph as it is made, through
sorted shard files, and keeps the articles' results on disk, so its memory does not grow
with the output the way the output grows with the input."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

from conftest import SEEDS

import kg.write
from kg.build import Pipeline, build
from kg.write import GraphFiles, GraphWriter, serialize


def copies_of_the_seeds(folder: Path, copies: int) -> Path:
    """COPIES distinct copies of every seed article (a first line that numbers the copy makes
    each file's text, and so its graph, its own), as files in FOLDER."""
    folder.mkdir()
    for n in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            (folder / f"c{n}_{path.name}").write_text(f"（第{n}份）\n" + path.read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    return folder


def traced_build(inputs: Path, outdir: Path, gazetteer, segmenter) -> tuple[int, int]:
    """(peak of the memory Python allocated during the build, bytes of graph files written)."""
    pipeline = Pipeline(gazetteer, segmenter)      # the dictionaries are loaded before tracing
    tracemalloc.start()
    try:
        build([str(inputs)], outdir, pipeline=pipeline)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, sum((outdir / name).stat().st_size for name in ("graph.nq", "graph.trig", "graph.ttl"))


def test_a_builds_memory_does_not_grow_with_its_output(tmp_path, gazetteer, segmenter, monkeypatch):
    # a sort budget well below the output of either build, as a real build's 16 MB is below the
    # gigabytes a large corpus writes
    monkeypatch.setattr(kg.write, "SORT_BUDGET", 1 << 20)
    one = copies_of_the_seeds(tmp_path / "small", 1)
    build([str(one)], tmp_path / "out0", pipeline=Pipeline(gazetteer, segmenter))  # what is loaded once
    small = traced_build(one, tmp_path / "out1", gazetteer, segmenter)
    large = traced_build(copies_of_the_seeds(tmp_path / "large", 4), tmp_path / "out4", gazetteer, segmenter)
    assert large[1] > 3.5 * small[1]             # four times the articles: four times the output
    assert large[0] < 2 * small[0], (small, large)   # but not near four times the memory


def test_graph_files_are_the_same_however_small_the_sort_budget(tmp_path):
    """Many runs, merged in several passes, give the bytes of one sort in memory."""
    w = GraphWriter()
    w.add_build({"dangjian-kg": "test"})
    for n in range(60):
        a = w.add_article(f"doc{n % 7}", n, f"标题{n}", [])
        graph = w.graph(a)
        for k in range(20):
            w.add_sentence(graph, a, f"doc{n % 7}", n, (k * 10, k * 10 + 9), f"第{k}句，兰州市第{n}篇")
    whole = serialize(w)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    files = GraphFiles(scratch, budget=4096)
    files._quads.fan_in = files._turtle.fan_in = 3            # several passes of merging
    for graph in reversed(list(w.graphs.values())):            # in another order, too
        files.add(graph)
    assert len(files._quads._runs) > 9 and len(files._turtle._runs) > 9
    written = {}
    for name, write in files.files():
        path = tmp_path / name
        with open(path, "wb") as fh:
            write(fh)
        written[name] = path.read_bytes()
    assert written == whole
    assert whole["graph.ttl"].startswith(b"@prefix dcterms:") and whole["graph.nq"].count(b"\n") == len(w)
    assert list(scratch.iterdir()) == []                       # the shards are gone


def test_article_results_come_back_from_disk_whole():
    from kg.build import ArticleResult, ArticleResults
    from kg.model import Page
    from kg.split import split_articles
    text = "\n".join(["兰州市委组织部持续推进“消薄强村”行动，支持50个村发展集体经济。"] * 1500)
    articles = split_articles(Page("doc", "doc.txt", text, "utf-8")) + \
        split_articles(Page("other", "other.txt", "武山县南关社区党群服务中心开展活动。", "utf-8"))
    results = ArticleResults()
    for article in articles:
        results.append(ArticleResult(article, None, [], [], []))
    back = list(results)
    assert len(articles) > 2                     # a long file read in parts: articles that share its text
    assert len(results) == len(articles) and [r.article for r in back] == articles
    assert back[-1].article.source != back[0].article.source
    assert results.get("doc", articles[0].index).article == articles[0]
    assert results.get("doc", 99) is None
    assert [r.article for r in results.between(1, 2)] == articles[1:2]
    results.close()
