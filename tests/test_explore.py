"""`kg explore` without a browser: what the page holds, choosing a subgraph, the command.

The page is opened in Chromium by tests/test_explore_browser.py.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS

from kg.cli import main
from kg.explore import (RELATIONS, TYPES, ExploreError, build_explorer, explorer_html, find_entities,
                        load_vocabulary, read_explore_graph, safe_json, select_subgraph, write_explorer)
from kg.rdf import DJ

LANZHOU = "https://w3id.org/dangjian-kg/id/division/620100"
GANSU = "https://w3id.org/dangjian-kg/id/division/620000"


def entity_count(ds) -> int:
    """Entity nodes of the graph, counted straight from the RDF."""
    return len({s for t in TYPES for s in ds.subjects(RDF.type, DJ[t])})


@pytest.fixture(scope="module")
def seeds_explore_graph(seeds_graph):
    return read_explore_graph(seeds_graph, load_vocabulary())


@pytest.fixture(scope="module")
def seeds_page(seeds_graph):
    return build_explorer(seeds_graph)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = (dict(attrs), [])

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script[0], "".join(self._in_script[1])))
            self._in_script = None


def page_data(html: str) -> dict:
    tags = Tags()
    tags.feed(html)
    [(_, text)] = [(a, t) for a, t in tags.scripts if a.get("id") == "kg-data"]
    return json.loads(text)


def test_every_entity_and_relation_of_the_graph_is_drawn(seeds_graph, seeds_page):
    data = page_data(seeds_page.html)
    relations = {(s, r, o) for r in RELATIONS for s, o in seeds_graph.subject_objects(DJ[r])}
    assert seeds_page.nodes == len(data["nodes"]) == entity_count(seeds_graph) > 400
    assert seeds_page.edges == len(data["edges"]) == len(relations)
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    lanzhou = next(n for n in data["nodes"] if n["id"] == LANZHOU)
    assert lanzhou["label"] == "兰州市" and lanzhou["shape"] == "hexagon"
    assert lanzhou["value"] == len(data["details"][LANZHOU]["relations"]) > 10     # sized by degree
    assert {e["label"] for e in data["edges"]} <= {"隶属于", "位于", "下属于", "任职于", "实施于",
                                                   "实施主体", "服务对象", "组成部分"}
    assert [t["label"] for t in data["types"]][:4] == ["行政区划", "地点", "组织机构", "工作举措"]


def test_panel_data_holds_type_names_relations_statistics_and_sentences(seeds_page):
    data = page_data(seeds_page.html)
    d = data["details"][LANZHOU]
    assert d["type"] == "AdministrativeUnit" and d["classes"] == ["Prefecture"]
    assert d["names"][0] == "兰州市" and d["code"] == "620100"
    assert {"rel": "within", "dir": "out", "id": GANSU, "label": "甘肃省"} in d["relations"]
    assert d["sentences"] and all("兰州" in s["text"] for s in d["sentences"])
    assert all(data["articles"][s["article"]]["title"] for s in d["sentences"])
    with_stats = [x for x in data["details"].values() if x["statistics"]]
    assert with_stats and all(s["sentence"] and s["unit"] for x in with_stats for s in x["statistics"])


def test_page_is_self_contained_and_allows_only_its_own_scripts(seeds_page):
    html = seeds_page.html
    tags = Tags()
    tags.feed(html)
    names = {t for t, _ in tags.tags}
    assert not names & {"link", "img", "iframe", "object", "embed", "base", "frame", "audio", "video"}
    assert not [a for _, a in tags.tags if "src" in a or "href" in a]      # nothing loaded from anywhere
    assert not re.search(r"@import|url\((?!\s*[\"']?data:)", html)          # CSS fetches nothing either
    assert "sourceMappingURL" not in html
    csp = next(a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    executable = [t for a, t in tags.scripts if a.get("type") != "application/json"]
    assert len(executable) == 2                                             # vis-network, the page's
    assert "vis-network" in executable[0] and "__explorer" in executable[1]


def test_page_is_deterministic(seeds_graph, seeds_page):
    assert explorer_html(seeds_graph) == seeds_page.html
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:", seeds_page.html.split("<script>")[0])


def test_article_text_is_escaped_in_the_page_data():
    hostile = '</script><script>window.__pwned=1</script> "onload=alert(1) \u2028 & <img src=x>'
    text = safe_json({"s": hostile})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"s": hostile}


def test_hostile_names_and_focus_never_reach_the_markup(seeds_graph):
    """A name holding markup stays inside the escaped JSON; the heading is HTML-escaped."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    g = ds.graph(URIRef("urn:test"))
    evil = '<img src=x onerror="window.__pwned=3">兰州'
    for s, p, o in seeds_graph.triples((URIRef(LANZHOU), None, None)):
        g.add((s, p, o))
    g.add((URIRef(LANZHOU), SKOS.altLabel, Literal(evil, lang="zh")))
    html = explorer_html(ds, focus=evil, depth=0)
    assert "<img" not in html and "onerror=\"window" not in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=3&#34;&gt;兰州" in html.split("<script")[0]
    assert evil in page_data(html)["details"][LANZHOU]["names"]


def test_focus_draws_a_neighbourhood(seeds_explore_graph):
    eg = seeds_explore_graph
    assert find_entities(eg, "兰州市") == [LANZHOU]
    assert find_entities(eg, "“兰州市”") == [LANZHOU]                       # quotes ignored
    one = select_subgraph(eg, [LANZHOU], 1)
    neighbours = {r.other for r in eg.nodes[LANZHOU].relations}
    assert set(one.nodes) == neighbours | {LANZHOU}
    assert len(select_subgraph(eg, [LANZHOU], 0).nodes) == 1
    two = select_subgraph(eg, [LANZHOU], 2)
    assert set(one.nodes) < set(two.nodes) < set(eg.nodes)
    assert all(e.source in two.nodes and e.target in two.nodes for e in two.edges)


def test_types_filter(seeds_graph):
    page = build_explorer(seeds_graph, types=["Organization", "工作举措"])
    kinds = {d["type"] for d in page_data(page.html)["details"].values()}
    assert kinds == {"Organization", "Program"}
    with pytest.raises(ExploreError, match="unknown type \"Foo\".*AdministrativeUnit \\(行政区划\\)"):
        build_explorer(seeds_graph, types=["Foo"])


def test_unknown_focus_names_close_names(seeds_explore_graph):
    with pytest.raises(ExploreError, match='no entity named "兰洲市".*close names: 兰州市'):
        find_entities(seeds_explore_graph, "兰洲市")


def test_large_graph_warns_and_suggests_focus(seeds_graph):
    page = build_explorer(seeds_graph, large=100)
    assert len(page.warnings) == 1 and "--focus" in page.warnings[0]
    assert not build_explorer(seeds_graph, focus="兰州市", depth=1, large=100).warnings


def test_write_explorer_api(seeds_graph, tmp_path):
    report = write_explorer(seeds_graph, tmp_path / "sub" / "x.html", focus="兰州市", depth=1)
    assert report.path.is_file() and report.focus == [LANZHOU]
    assert report.nodes == len(page_data(report.path.read_text(encoding="utf-8"))["nodes"])


def test_cli_explore(seeds_build, tmp_path, capsys):
    _, outdir = seeds_build
    out = tmp_path / "lanzhou.html"
    assert main(["explore", str(outdir), "-o", str(out), "--focus", "兰州市", "--depth", "1"]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "no network needed" in said
    assert page_data(out.read_text(encoding="utf-8"))["details"][GANSU]["names"][0] == "甘肃省"

    assert main(["explore", str(outdir), "-o", str(out), "--focus", "兰洲市"]) == 2
    assert 'no entity named "兰洲市" in the graph; close names: 兰州市' in capsys.readouterr().err
    assert main(["explore", str(tmp_path / "missing")]) == 2
    assert "missing: no such folder" in capsys.readouterr().err
    assert main(["explore", str(outdir), "--depth", "1"]) == 2
    assert "--depth needs --focus" in capsys.readouterr().err
