"""`kg serve` opens on its query page (issue 18, first "Why" bullet), tested in a real browser:
Debian's headless Chromium driven by Playwright (tests/chromium.py), on the hand-made fixture
graph (tests/handmade_graph.py). The test opens the URL that `kg serve` prints first, runs the
page's own first query (it uses dj: from the PREFIX lines the page declares) and a named query
opened by its button with its parameter as a VALUES line, and reads the result rows; the page
makes no request beyond kg serve."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from chromium import NetworkLog, browser  # noqa: F401 (browser: a fixture)
from rdflib import RDF
from test_query import _http

import kg
from kg.namespaces import DJ, PREFIXES
from kg.query import get_query


def first_lines(process: subprocess.Popen, count: int, seconds: float) -> list[str]:
    """The first COUNT lines PROCESS prints, each within SECONDS (read by a thread of its own)."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        return [lines.get(timeout=seconds) for _ in range(count)]
    except queue.Empty:
        raise AssertionError(f"`kg serve` printed less than {count} lines: {process.stderr.read()}") from None


@pytest.fixture(scope="module")
def served(fixture_outdir, tmp_path_factory):
    """(`kg serve` process, the lines it printed first) over the fixture graph."""
    here = tmp_path_factory.mktemp("page")
    # the kg these tests import, run from a folder of its own (`python -m` puts the working
    # folder first on sys.path)
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(fixture_outdir), "--port", "0", "--store", str(here / "store")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=here,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(kg.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])})
    try:
        lines = first_lines(process, 2, 60)
        yield process, lines
    finally:
        process.terminate()
        process.wait(timeout=20)


def visible_rows(page) -> list[list[str]]:
    """The cells of the result table shown (without YASR's row-number column)."""
    page.wait_for_selector(".yasr .dataTable tbody tr >> visible=true", timeout=30000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('.yasr .dataTable tbody tr'))
        .filter(r => r.offsetParent !== null)
        .map(r => Array.from(r.cells).slice(1).map(c => c.innerText.trim()))""")


def editor_text(page) -> str:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.CodeMirror'))
        .filter(c => c.offsetParent !== null)[0].CodeMirror.getValue()""")


def test_kg_serve_prints_the_query_page_first_and_then_the_endpoint(served):
    process, (first, second) = served
    assert first.startswith("query page") and first.split()[-1].endswith("/"), first
    page_url = first.split()[-1]
    assert second.startswith("SPARQL endpoint") and second.split()[-1] == page_url + "query", second
    status, body = _http(page_url)
    assert status == 200 and "<title>dangjian-kg · SPARQL</title>" in body
    status, body = _http(page_url + "prefixes.json")
    assert status == 200 and json.loads(body) == PREFIXES
    # a browser that opens the endpoint itself is sent to the page; a SPARQL client is not
    browser_accept = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    status, body = _http(page_url + "query", headers=browser_accept)
    assert status == 200 and "<title>dangjian-kg · SPARQL</title>" in body
    status, body = _http(page_url + "query", headers={"Accept": "application/sparql-results+json"})
    assert status == 400 and body.startswith("give one query")


def test_the_printed_url_opens_a_query_page_that_runs_queries_with_dj_prefixes(browser, served, fixture_graph):
    from kg.query_page import example_text
    process, (first, second) = served
    url = first.split()[-1]
    origin = url.rstrip("/")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    network = NetworkLog(context, allow=origin)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url)
        page.wait_for_selector(".CodeMirror")
        assert page.inner_text("#kg-endpoint") == second.split()[-1]
        start = editor_text(page)
        for prefix, namespace in PREFIXES.items():       # every prefix of kg.namespaces, declared
            assert f"<{namespace}>" in start and f"PREFIX {prefix}:" in start
        assert "dj:" in start.split("SELECT", 1)[1]       # and the query below them uses one

        # the page's own first query: the graph's entities by dj: class, as the fixture holds them
        page.click(".yasqe_queryButton >> visible=true")
        rows = visible_rows(page)
        expected = Counter(str(c) for s, c in set(fixture_graph.subject_objects(RDF.type))
                           if str(c).startswith(DJ))
        assert {cls: int(n.split('"')[1]) for cls, n in rows} == \
            {"dj:" + c[len(DJ):]: n for c, n in expected.items()}

        # a named query from its button: a tab of its own, the parameter set by a VALUES line
        page.click("#kg-queries button[data-query=divisions_under]")
        page.wait_for_function("""() => Array.from(document.querySelectorAll('.CodeMirror'))
            .filter(c => c.offsetParent !== null).length === 1
            && Array.from(document.querySelectorAll('.CodeMirror')).filter(c => c.offsetParent !== null)[0]
               .CodeMirror.getValue().includes('# name: divisions_under')""")
        text = editor_text(page)
        assert text == example_text(get_query("divisions_under"))
        assert 'VALUES ?place { "平凉市"@zh }' in text
        page.click(".yasqe_queryButton >> visible=true")
        page.wait_for_function("""() => Array.from(document.querySelectorAll('.yasr .dataTable tbody tr'))
            .filter(r => r.offsetParent !== null && r.innerText.includes('崆峒区')).length > 0""", timeout=30000)
        rows = visible_rows(page)
        assert [r[1] for r in rows] == [f"\"{name}\"@zh" for name in ("崆峒区", "崇信县", "上杨乡", "锦屏镇", "小岔村")]
        assert errors == []
        assert network.outside == []                      # nothing but kg serve was asked
        assert {r.split("/")[3].split("?")[0] for r in network.requests} == \
            {"", "yasgui.min.js", "yasgui.min.css", "logo.svg", "prefixes.json", "query"}
    finally:
        context.close()
