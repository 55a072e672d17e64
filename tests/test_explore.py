"""`kg explore` without a browser: what the page holds, choosing a subgraph, the command.

On the hand-made fixture graph (tests/handmade_graph.py): the counts, names and
neighbourhoods asserted are the ones written there. The page is opened in Chromium by
tests/test_explore_browser.py.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS

from kg.cli import main
from kg.explore import (EVIDENCE_PER_EDGE, RELATIONS, TYPES, ExploreError, build_explorer, explorer_html,
                        find_entities, highlights, load_vocabulary, read_explore_graph, safe_json,
                        select_subgraph, write_explorer)
from kg.rdf import DJ

ID = "https://w3id.org/dangjian-kg/id/"
LANZHOU = ID + "division/620100"
GANSU = ID + "division/620000"
# what the fixture holds
ENTITIES, RELATION_EDGES = 44, 49
LANZHOU_NEIGHBOURS = {"甘肃省", "城关区", "兰州市委组织部", "中共兰州市委"}


def entity_count(ds) -> int:
    """Entity nodes of the graph, counted straight from the RDF."""
    return len({s for t in TYPES for s in ds.subjects(RDF.type, DJ[t])})


@pytest.fixture(scope="module")
def explore_graph(fixture_graph):
    return read_explore_graph(fixture_graph, load_vocabulary())


@pytest.fixture(scope="module")
def page(fixture_graph):
    return build_explorer(fixture_graph)


def labels(eg, ids) -> set[str]:
    return {eg.nodes[i].label for i in ids}


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


def test_every_entity_and_relation_of_the_graph_is_drawn(fixture_graph, page):
    data = page_data(page.html)
    relations = {(s, r, o) for r in RELATIONS for s, o in fixture_graph.subject_objects(DJ[r])}
    assert page.nodes == len(data["nodes"]) == entity_count(fixture_graph) == ENTITIES
    assert page.edges == len(data["edges"]) == len(relations) == RELATION_EDGES
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    lanzhou = next(n for n in data["nodes"] if n["id"] == LANZHOU)
    assert lanzhou["label"] == "兰州市" and lanzhou["shape"] == "hexagon"
    assert lanzhou["value"] == len(data["details"][LANZHOU]["relations"]) == 4     # sized by degree
    assert {e["label"] for e in data["edges"]} == {"隶属于", "位于", "下属于", "任职于", "实施于",
                                                   "实施主体", "服务对象", "组成部分"}
    assert [t["label"] for t in data["types"]][:4] == ["行政区划", "地点", "组织机构", "工作举措"]
    assert {t["type"]: t["count"] for t in data["types"]} == {
        "AdministrativeUnit": 10, "Place": 2, "Organization": 12, "Program": 6, "Person": 6,
        "TargetGroup": 4, "Facility": 2, "Platform": 1, "Document": 1}


def test_panel_data_holds_type_names_relations_statistics_and_sentences(page):
    data = page_data(page.html)
    d = data["details"][LANZHOU]
    assert d["type"] == "AdministrativeUnit" and d["classes"] == ["Prefecture"]
    assert d["names"] == ["兰州市", "兰州"] and d["code"] == "620100"
    assert sorted((r["rel"], r["dir"], r["label"]) for r in d["relations"]) == [
        ("locatedIn", "in", "中共兰州市委"), ("locatedIn", "in", "兰州市委组织部"),
        ("within", "in", "城关区"), ("within", "out", "甘肃省")]
    assert {"rel": "within", "dir": "out", "id": GANSU, "label": "甘肃省", "edge": "e0"} in d["relations"]
    assert [s["text"] for s in d["sentences"]] == ["兰州市党建引领新就业群体融入基层治理",
                                                   "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。"]
    assert {data["articles"][s["article"]]["title"] for s in d["sentences"]} == {"兰州市党建引领新就业群体融入基层治理"}
    assert [(s["value"], s["unit"], s["qualifier"], s["period"], s["anchor"]) for s in d["statistics"]] == [
        ("120", "个", "", "", "120个"), ("3039", "人", "", "2023年以来", "3039人"), ("200", "名", "余", "", "200余名")]
    assert d["statistics"][1]["sentence"] == "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。"
    with_stats = {x["names"][0] for x in data["details"].values() if x["statistics"]}
    assert with_stats == {"兰州市", "平凉市", "崇信县", "甘肃省", "三找"}

    wen = data["details"][ID + "person/文诚勇"]
    assert [(p["title"], p["label"]) for p in wen["posts"]] == [("书记", "崇信县委“两新”工委"),
                                                               ("部长", "崇信县委社会工作部")]
    assert data["details"][ID + "person/小张"]["pseudonym"] is True and wen["pseudonym"] is False
    shangyang = data["details"][ID + "division/620802/上杨乡"]      # only the gazetteer names it
    assert shangyang["sentences"] == [] and shangyang["articles"] == [] and shangyang["code"] == ""
    assert [a["title"] for a in data["articles"]] == ["兰州市党建引领新就业群体融入基层治理",
                                                      "平凉市“十个一”服务新就业群体",
                                                      "平凉市崇信县“线上+线下”服务货车司机"]


def test_page_is_self_contained_and_allows_only_its_own_scripts(page):
    html = page.html
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


def test_page_is_deterministic(fixture_graph, fixture_outdir, page):
    """In this process; tests/test_determinism.py runs `kg explore` under other hash seeds."""
    assert explorer_html(fixture_graph) == page.html
    assert explorer_html(fixture_outdir) == page.html                  # read from OUTDIR: the same page
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:", page.html.split("<script>")[0])


def test_article_text_is_escaped_in_the_page_data():
    hostile = '</script><script>window.__pwned=1</script> "onload=alert(1) \u2028 & <img src=x>'
    text = safe_json({"s": hostile})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"s": hostile}


def test_hostile_names_and_focus_never_reach_the_markup(fixture_graph):
    """A name holding markup stays inside the escaped JSON; the heading is HTML-escaped."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    g = ds.graph(URIRef("urn:test"))
    evil = '<img src=x onerror="window.__pwned=3">兰州'
    for s, p, o in fixture_graph.triples((URIRef(LANZHOU), None, None)):
        g.add((s, p, o))
    g.add((URIRef(LANZHOU), SKOS.altLabel, Literal(evil, lang="zh")))
    html = explorer_html(ds, focus=evil, depth=0)
    assert "<img" not in html and "onerror=\"window" not in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=3&#34;&gt;兰州" in html.split("<script")[0]
    assert evil in page_data(html)["details"][LANZHOU]["names"]


def test_focus_draws_a_neighbourhood(explore_graph):
    eg = explore_graph
    assert find_entities(eg, "兰州市") == [LANZHOU]
    assert find_entities(eg, "“兰州市”") == [LANZHOU]                       # quotes ignored
    assert find_entities(eg, "兰州") == [LANZHOU]                           # an altLabel
    one = select_subgraph(eg, [LANZHOU], 1)
    assert labels(eg, one.nodes) == LANZHOU_NEIGHBOURS | {"兰州市"}
    assert len(one.edges) == 5                     # the 4 of 兰州市, and 兰州市委组织部 under 中共兰州市委
    assert len(select_subgraph(eg, [LANZHOU], 0).nodes) == 1
    two = select_subgraph(eg, [LANZHOU], 2)
    assert labels(eg, two.nodes) == LANZHOU_NEIGHBOURS | {"兰州市", "平凉市", "三会一课", "暖心引领骑手融入",
                                                          "骑手之家", "酒泉路街道", "中山桥", "兰州市委社会工作部"}
    assert all(e.source in two.nodes and e.target in two.nodes for e in two.edges)


def test_types_filter(fixture_graph):
    page = build_explorer(fixture_graph, types=["Organization", "工作举措"])
    details = page_data(page.html)["details"]
    assert {d["type"] for d in details.values()} == {"Organization", "Program"}
    assert (page.nodes, page.edges) == (12 + 6, 14)          # 6 runBy, 6 subOrganizationOf, 2 partOf
    assert {d["names"][0] for d in details.values() if d["type"] == "Program"} == {
        "暖心引领骑手融入", "骑手之家", "十个一", "三找", "线上+线下", "三会一课"}
    branch = build_explorer(fixture_graph, types=["PartyBranch"])            # a subclass works too
    assert [d["names"][0] for d in page_data(branch.html)["details"].values()] == ["小岔村党支部"]
    with pytest.raises(ExploreError, match="unknown type \"Foo\".*AdministrativeUnit \\(行政区划\\)"):
        build_explorer(fixture_graph, types=["Foo"])


def test_unknown_focus_names_close_names(explore_graph):
    with pytest.raises(ExploreError, match='no entity named "兰洲市".*close names: 兰州市'):
        find_entities(explore_graph, "兰洲市")


def test_large_graph_warns_and_suggests_focus(fixture_graph):
    page = build_explorer(fixture_graph, large=ENTITIES - 1)
    assert len(page.warnings) == 1 and "--focus" in page.warnings[0] and page.warnings[0].startswith("44 nodes")
    assert not build_explorer(fixture_graph, large=ENTITIES).warnings
    assert not build_explorer(fixture_graph, focus="兰州市", depth=1, large=5).warnings


def test_write_explorer_api(fixture_graph, tmp_path):
    report = write_explorer(fixture_graph, tmp_path / "sub" / "x.html", focus="兰州市", depth=1)
    assert report.path.is_file() and report.focus == [LANZHOU]
    assert (report.nodes, report.edges) == (5, 5)
    data = page_data(report.path.read_text(encoding="utf-8"))
    assert {n["label"] for n in data["nodes"]} == LANZHOU_NEIGHBOURS | {"兰州市"}


def test_cli_explore(fixture_outdir, tmp_path, capsys):
    outdir = fixture_outdir
    out = tmp_path / "lanzhou.html"
    assert main(["explore", str(outdir), "-o", str(out), "--focus", "兰州市", "--depth", "1"]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "no network needed" in said
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["details"][GANSU]["names"][0] == "甘肃省"
    assert {n["label"] for n in data["nodes"]} == LANZHOU_NEIGHBOURS | {"兰州市"}

    assert main(["explore", str(outdir), "-o", str(out), "--focus", "兰洲市"]) == 2
    assert 'no entity named "兰洲市" in the graph; close names: 兰州市' in capsys.readouterr().err
    assert main(["explore", str(tmp_path / "missing")]) == 2
    assert "missing: no such folder" in capsys.readouterr().err
    assert main(["explore", str(outdir), "--depth", "1"]) == 2
    assert "--depth needs --focus" in capsys.readouterr().err
    assert sorted(p.name for p in outdir.iterdir()) == [".kg-build.json", "graph.nq", "graph.trig", "graph.ttl",
                                                        "summary.json"]           # nothing left by the failures


def test_edges_carry_their_sentences_with_the_names_marked(page):
    """Issue 16: each drawn edge's evidence (sentence, article, the two names' places in the
    sentence), each sentence text once, and the articles' dates for the date filter."""
    data = page_data(page.html)
    assert [a["issued"] for a in data["articles"]] == ["2024-05-20", "", "2025-03-15"]   # a dateTime's day
    edge = {(e["from"], e["to"]): e["id"] for e in data["edges"]}
    nuanxin = edge[(ID + "program/暖心引领骑手融入", ID + "division/620102")]
    (sentence, article, marks), = data["evidence"][nuanxin]["ev"]
    text = data["sentences"][sentence]
    assert text == "兰州市委组织部在城关区推行“暖心引领骑手融入”行动，组织外卖骑手参与社区治理。"
    assert [text[b:e] for b, e in marks] == ["城关区", "“暖心引领骑手融入”行动"]
    assert data["articles"][article]["title"] == "兰州市党建引领新就业群体融入基层治理"
    targets = data["evidence"][edge[(ID + "program/暖心引领骑手融入", ID + "targetGroup/外卖骑手")]]["ev"][0]
    assert [text[b:e] for b, e in targets[2]] == ["“暖心引领骑手融入”行动", "外卖骑手"]     # not 骑手 inside the name
    shared = data["evidence"][edge[(ID + "division/620823", ID + "division/620800")]]
    assert (shared["n"], len(shared["ev"]), shared["arts"]) == (3, 2, [1, 2])     # two articles and the gazetteer
    gazetteer = data["evidence"][edge[(ID + "division/620100", GANSU)]]
    assert gazetteer == {"n": 1, "ev": [], "arts": [], "from": ID + "gazetteer"}
    part = data["evidence"][edge[(ID + "program/骑手之家", ID + "program/暖心引领骑手融入")]]
    (sentence, article, marks), = part["ev"]                # no one sentence names both: the subject's
    assert [data["sentences"][sentence][b:e] for b, e in marks] == ["“骑手之家”品牌"]
    assert len(data["sentences"]) == len(set(data["sentences"])) == 14      # each text once
    assert EVIDENCE_PER_EDGE == 3


def test_a_focus_page_holds_only_its_subgraphs_sentences(fixture_graph, page):
    """Pages stay small: only the evidence of the edges drawn."""
    focused = page_data(build_explorer(fixture_graph, focus="崇信县", depth=1).html)
    drawn = {e["id"] for e in focused["edges"]}
    assert set(focused["evidence"]) == drawn and len(drawn) == 7
    assert len(focused["sentences"]) < len(page_data(page.html)["sentences"])
    assert all("崇信县" in t or "司机之家" in t for t in focused["sentences"]), focused["sentences"]


def test_highlights_marks_both_names_apart_where_it_can():
    text = "兰州市委组织部在城关区推行“暖心引领骑手融入”行动，组织外卖骑手参与社区治理。"
    assert highlights(text, (33 - 33, 40 - 33), ["兰州市委组织部"], ["兰州市", "兰州"]) == [[0, 7]]   # one inside the other
    assert highlights(text, (0, len(text)), ["外卖骑手", "骑手"], ["城关区"]) == [[8, 11], [18, 20]]
    assert highlights(text, (99, 120), ["城关区"], ["外卖骑手"]) == [[8, 11], [28, 32]]   # offsets off: the whole sentence
    assert highlights(text, (0, len(text)), ["平凉市"], ["城关区"]) == [[8, 11]]
