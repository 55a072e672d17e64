"""The explorer page in a real browser: Debian's headless Chromium driven by Playwright.

The explorer of the hand-made fixture graph (tests/handmade_graph.py: 44 entities, 49
relations, 6 programs) renders every node, finds 兰州市 by name and centres it, opens its
panel on a real click, hides a type, and is screenshotted; a hostile article's markup
shows as text and runs nothing. Every request the page makes is recorded: only the
file itself may be loaded. No timing is asserted (bench/bench_explorer.py measures).
"""
from __future__ import annotations

import struct

import pytest
from chromium import NetworkLog, browser  # noqa: F401 (browser: a fixture)
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.explore import RELATIONS, TYPES, explorer_html
from kg.rdf import DJ, NIF

LANZHOU = "https://w3id.org/dangjian-kg/id/division/620100"
VIEWPORT = {"width": 1400, "height": 900}


class Page:
    """One page in a fresh context, with its network log, console errors and dialogs."""

    def __init__(self, browser, path, bypass_csp=False):
        self.context = browser.new_context(viewport=VIEWPORT, bypass_csp=bypass_csp)
        self.network = NetworkLog(self.context)
        self.page = self.context.new_page()
        self.errors, self.dialogs = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.__explorer && window.__explorer.stabilized", timeout=30000)

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def node_on_screen(self, node_id):
        """The node's centre in page coordinates."""
        return self.js("""(id) => { const x = window.__explorer, n = x.network;
            const p = n.canvasToDOM(n.getPositions([id])[id]);
            const box = document.getElementById('kg-network').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y]; }""", node_id)

    def wait_selected(self, node_id):
        self.page.wait_for_function("(id) => window.__explorer.selected === id", arg=node_id)

    def wait_centred(self, node_id):
        """Until the node sits in the middle of the canvas part that the side panel leaves free."""
        self.page.wait_for_function("""(id) => { const n = window.__explorer.network;
            const p = n.canvasToDOM(n.getPositions([id])[id]);
            const free = (document.getElementById('kg-network').clientWidth
                          - document.getElementById('kg-panel').offsetWidth) / 2;
            return Math.abs(p.x - free) < 3 && Math.abs(p.y - n.body.container.clientHeight / 2) < 3; }""",
                                    arg=node_id, timeout=5000)

    def panel_text(self) -> str:
        return self.js("() => document.getElementById('kg-panel').textContent")

    def close(self):
        self.context.close()


def graph_counts(ds):
    nodes = {s for t in TYPES for s in ds.subjects(RDF.type, DJ[t])}
    edges = {(s, r, o) for r in RELATIONS for s, o in ds.subject_objects(DJ[r]) if s in nodes and o in nodes}
    return nodes, edges


def evidence(ds, entity):
    """(sentence, article title) of the first mention of `entity` whose article has a title."""
    for m in sorted(ds.subjects(DJ.refersTo, URIRef(entity))):
        title = ds.value(ds.value(m, DJ.inArticle), DCTERMS.title)
        if title:
            return str(ds.value(ds.value(m, NIF.sentence), NIF.anchorOf)), str(title)
    raise AssertionError(f"no mention of {entity} with a titled article")


def test_fixture_explorer_in_chromium(browser, fixture_graph, tmp_path):
    path = tmp_path / "explorer.html"
    path.write_text(explorer_html(fixture_graph), encoding="utf-8")
    nodes, edges = graph_counts(fixture_graph)
    assert (len(nodes), len(edges)) == (44, 49)                      # what the fixture holds
    page = Page(browser, path)
    try:
        # the network rendered every node and edge of the graph
        assert page.js("() => window.__explorer.network.body.data.nodes.length") == len(nodes)
        assert page.js("() => window.__explorer.network.body.data.edges.length") == len(edges)
        assert page.js("() => window.__explorer.network.physics.options.enabled") is False   # physics stopped

        # search by name: Enter selects 兰州市 and centres it in the part the panel leaves free
        page.page.fill("#kg-search", "兰州市")
        page.page.press("#kg-search", "Enter")
        page.wait_selected(LANZHOU)
        page.wait_centred(LANZHOU)
        assert page.js("() => window.__explorer.network.getSelectedNodes()") == [LANZHOU]
        assert "兰州市" in page.page.inner_text("#kg-results")

        # close the panel, then a real mouse click on the node opens it again
        page.page.click("#kg-panel-close")
        assert page.js("() => [window.__explorer.selected, document.getElementById('kg-panel').hidden]") == [None, True]
        x, y = page.node_on_screen(LANZHOU)
        page.page.mouse.click(x, y)
        page.wait_selected(LANZHOU)
        text = page.panel_text()
        sentence, title = evidence(fixture_graph, LANZHOU)
        assert (sentence, title) == ("兰州市党建引领新就业群体融入基层治理", "兰州市党建引领新就业群体融入基层治理")
        for expected in ("兰州市", "兰州", "行政区划", "地级行政区", "620100", "隶属于", "甘肃省", "城关区",
                         "兰州市委组织部", "中共兰州市委", sentence, title,
                         "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。",    # a mention's sentence
                         "新发展党员", "3039人", "全市已建成骑手驿站", "120个"):      # its statistics
            assert expected in text, expected
        # its neighbourhood is highlighted: every other node is dimmed
        dimmed = page.js("""(id) => { const x = window.__explorer; const keep = new Set([id, ...x.network.getConnectedNodes(id)]);
            return x.nodes.get().filter(n => (typeof n.color === 'object') !== !keep.has(n.id)).length; }""", LANZHOU)
        assert dimmed == 0

        # a check box hides a type and shows it again
        programs = len(set(fixture_graph.subjects(RDF.type, DJ.Program)) & nodes)
        page.page.click('input[data-type="Program"]')
        hidden = page.js("() => window.__explorer.nodes.get({filter: n => n.hidden === true}).length")
        assert hidden == programs == 6
        assert page.js("() => window.__explorer.visibleNodeCount()") == len(nodes) - programs
        assert "显示 38 / 44 个节点" in page.page.inner_text("#kg-status")

        shot = tmp_path / "explorer.png"
        page.page.screenshot(path=str(shot))
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert struct.unpack(">II", data[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])

        page.page.click('input[data-type="Program"]')
        assert page.js("() => window.__explorer.nodes.get({filter: n => n.hidden === true}).length") == 0

        assert page.network.others_than(page.url) == [] and page.network.outside == []
        assert page.errors == [] and page.dialogs == []
    finally:
        page.close()


HOSTILE_TITLE = "兰州市推行“有事找书记”工作机制<script>window.__pwned=1</script>"
HOSTILE_LINES = [
    (HOSTILE_TITLE, [("兰州市", "兰州市"), ("有事找书记", "“有事找书记”工作机制")]),
    ("兰州市委组织部在兰州市推行“有事找书记”工作机制<script>window.__pwned=1</script>，"
     "群众反映\"onload=alert(1) 的问题得到解决。",
     [("兰州市委组织部", "兰州市委组织部"), ("兰州市", "兰州市"), ("有事找书记", "“有事找书记”工作机制")]),
    ("兰州市城关区<img src=x onerror=\"window.__pwned=2\">的社区党组织书记培训班开班，共培训社区干部120名。",
     [("兰州市", "兰州市"), ("城关区", "城关区")]),
]


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory):
    """A one-article graph whose title and sentences hold markup (written like kg build's
    output by tests/handmade_graph.py), plus an alternative name of 兰州市 holding markup."""
    from handmade_graph import ENTITIES, FixtureArticle, Line, write_fixture_outdir
    from kg.outdir import load_outdir

    lines = [Line(text, mentions) for text, mentions in HOSTILE_LINES]
    lines[2].statistics.append(("120名", 120, "名", "培训社区干部", "兰州市", None, None))   # a number's sentence too
    article = FixtureArticle("hostile", HOSTILE_TITLE, [], lines,
                             relations=[("有事找书记", "implementedIn", "兰州市"), ("有事找书记", "runBy", "兰州市委组织部"),
                                        ("兰州市委组织部", "locatedIn", "兰州市")])
    specs = {name: ENTITIES[name] for name in ("甘肃省", "兰州市", "城关区", "兰州市委组织部")}
    specs["有事找书记"] = ("Program", {"kind": "mechanism"})
    out = write_fixture_outdir(tmp_path_factory.mktemp("hostile") / "out", [article], specs=specs,
                               within={"兰州市": "甘肃省", "城关区": "兰州市"}, broader={})
    ds = load_outdir(out)
    ds.graph(URIRef("urn:test:hostile")).add(
        (URIRef(LANZHOU), SKOS.altLabel, Literal('<img src=x onerror="window.__pwned=3">兰州', lang="zh")))
    return ds


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "csp-bypassed"])
def test_hostile_article_runs_nothing(browser, hostile_graph, tmp_path, csp):
    """The markup shows as text. With the page's Content Security Policy bypassed too,
    so that escaping alone is what is tested."""
    assert any("<script>" in str(t) for t in hostile_graph.objects(None, DCTERMS.title))
    path = tmp_path / "hostile.html"
    path.write_text(explorer_html(hostile_graph, focus='<img src=x onerror="window.__pwned=3">兰州', depth=2),
                    encoding="utf-8")
    page = Page(browser, path, bypass_csp=not csp)
    try:
        page.page.fill("#kg-search", "兰州市")
        page.page.press("#kg-search", "Enter")
        page.wait_selected(LANZHOU)
        page.wait_centred(LANZHOU)
        page.page.click("#kg-panel-close")
        x, y = page.node_on_screen(LANZHOU)
        page.page.mouse.click(x, y)
        page.wait_selected(LANZHOU)
        text = page.panel_text()
        for literal in ("<script>window.__pwned=1</script>", '"onload=alert(1)',
                        '<img src=x onerror="window.__pwned=2">', '<img src=x onerror="window.__pwned=3">兰州'):
            assert literal in text, literal
        assert page.page.title().startswith('<img src=x onerror="window.__pwned=3">兰州')
        assert page.js("() => typeof window.__pwned") == "undefined"
        assert page.js("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.js("() => document.scripts.length") == 3      # data, vis-network, the page's
        assert page.dialogs == [] and page.errors == []
        assert page.network.others_than(page.url) == [] and page.network.outside == []
    finally:
        page.close()


NUANXIN = "https://w3id.org/dangjian-kg/id/program/暖心引领骑手融入"
CHONGXIN = "https://w3id.org/dangjian-kg/id/division/620823"


def test_edge_sentences_and_date_filter_in_chromium(browser, fixture_graph, tmp_path):
    """The panel shows each edge's sentence with the two names marked, and its article; the
    date range hides what only articles outside it state (fx01_lanzhou/1 of 2024-05-20), and
    keeps what an undated article (fx02_pingliang/1) or only the gazetteer states."""
    path = tmp_path / "explorer.html"
    path.write_text(explorer_html(fixture_graph), encoding="utf-8")
    page = Page(browser, path)
    try:
        page.page.fill("#kg-search", "暖心引领骑手融入")
        page.page.press("#kg-search", "Enter")
        page.wait_selected(NUANXIN)
        items = page.js("""() => Array.from(document.querySelectorAll('#kg-panel-evidence > li')).map(li => [
            li.querySelector('.kg-edge-head').textContent,
            Array.from(li.querySelectorAll('.kg-evidence')).map(p => p.textContent),
            Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
            Array.from(li.querySelectorAll('.kg-source')).map(s => s.textContent)])""")
        sentence = "兰州市委组织部在城关区推行“暖心引领骑手融入”行动，组织外卖骑手参与社区治理。"
        source = ["— 兰州市党建引领新就业群体融入基层治理（2024-05-20）"]
        assert items[0] == ["暖心引领骑手融入 实施于 城关区", [sentence], ["城关区", "“暖心引领骑手融入”行动"], source]
        assert items[1] == ["暖心引领骑手融入 实施主体 兰州市委组织部", [sentence],
                            ["兰州市委组织部", "“暖心引领骑手融入”行动"], source]
        assert ["骑手之家 组成部分 暖心引领骑手融入",                                  # no one sentence names both:
                ["兰州市委组织部指导酒泉路街道张掖路骑手驿站为骑手打造“骑手之家”品牌，骑手们常在中山桥开展志愿服务。"],
                ["“骑手之家”品牌"], source] in items                                   # the subject's
        assert "两者不在同一句中" in page.panel_text()
        # the marks are elements: the sentence is not markup (a mark's text is a Text node)
        assert page.js("() => document.querySelectorAll('#kg-panel-evidence mark').length") >= 6

        note = page.page.inner_text("#kg-date-note")
        assert "1 篇文章无日期" in note                              # undated articles: kept, and said so
        edge = page.js("""([s, t]) => window.__explorer.edges.get({filter: e => e.from === s && e.to === t})[0].id""",
                       [NUANXIN, "https://w3id.org/dangjian-kg/id/division/620102"])
        shared = page.js("""([s, t]) => window.__explorer.edges.get({filter: e => e.from === s && e.to === t})[0].id""",
                         [CHONGXIN, "https://w3id.org/dangjian-kg/id/division/620800"])
        # from 2025-01-01 on, through the inputs as a user sets them
        page.page.fill("#kg-date-from", "2025-01-01")
        page.page.dispatch_event("#kg-date-from", "change")
        hidden = page.js("(id) => window.__explorer.edges.get(id).hidden === true", edge)
        assert hidden is True                                        # stated only on 2024-05-20
        assert page.js("(id) => window.__explorer.edges.get(id).hidden === true", shared) is False  # 2025 and undated
        assert page.js("() => window.__explorer.selected") is None   # its node was hidden: the panel closed
        assert page.js(f"() => window.__explorer.nodes.get('{NUANXIN}').hidden") is True
        assert page.js(f"() => window.__explorer.nodes.get('{CHONGXIN}').hidden") is False
        counts = page.js("() => window.__explorer.setDateRange('2025-01-01', '')")
        # hidden: the 14 edges of fx01_lanzhou/1 and the 13 nodes only it mentions (兰州市, 城关区,
        # 酒泉路街道, its 2 programs, 3 organizations, 2 people, 中山桥, 张掖路骑手驿站, 外卖骑手)
        assert counts == {"nodes": 13, "edges": 14}
        assert page.js("() => window.__explorer.visibleNodeCount()") == 44 - 13
        assert "显示 31 / 44 个节点" in page.page.inner_text("#kg-status")
        # up to 2024: fx02_pingliang/2's 16 edges but 崇信县 within 平凉市 (the undated article states it
        # too), and the 15 nodes only it mentions
        assert page.js("() => window.__explorer.setDateRange('', '2024-12-31')") == {"nodes": 15, "edges": 15}
        assert page.js("() => window.__explorer.setDateRange('', '')") == {"nodes": 0, "edges": 0}
        assert page.js("() => window.__explorer.nodes.get({filter: n => n.hidden === true}).length") == 0
        assert page.errors == [] and page.dialogs == []
        assert page.network.others_than(page.url) == [] and page.network.outside == []
    finally:
        page.close()
