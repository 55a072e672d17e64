"""Queries that never hang and never reach beyond the graph (issue part 5): the query
timeout and Ctrl-C on both engines (rdflib, Oxigraph in memory and as a store), and
SERVICE, FROM, FROM NAMED and LOAD refused before anything runs, with a local HTTP server
counting the requests that would have gone out."""
from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from kg.query import (OxigraphEngine, QueryError, QueryTimeout, RdflibEngine, _no_connect_filter,
                      call_stoppable, check_query, load_store, run)

ROOT = Path(__file__).resolve().parents[1]
TRIPLES = 3000
# A join of three patterns over every triple: 27 billion rows to count, which neither
# engine finishes in minutes; rdflib is slow enough with two.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "SELECT ?o WHERE { <http://example.org/s1> ?p ?o }"
MARGIN = 0.75          # seconds past the timeout within which the query must have stopped


def write_graph(outdir: Path, triples: int = TRIPLES) -> Path:
    """An OUTDIR holding only a graph.nq of TRIPLES generated triples in one named graph."""
    outdir.mkdir(parents=True, exist_ok=True)
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "{i}" <http://example.org/g> .'
             for i in range(triples)]
    (outdir / "graph.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outdir


@pytest.fixture(scope="module")
def outdir(tmp_path_factory):
    return write_graph(tmp_path_factory.mktemp("safety") / "out")


@pytest.fixture(scope="module")
def engines(outdir, tmp_path_factory):
    store = tmp_path_factory.mktemp("safety-store") / "store"
    load_store(outdir / "graph.nq", store)
    return {"rdflib": RdflibEngine.from_outdir(outdir),
            "oxigraph": OxigraphEngine.in_memory(outdir / "graph.nq"),
            "oxigraph-store": OxigraphEngine.open_store(store)}


@pytest.fixture(params=["rdflib", "oxigraph", "oxigraph-store"])
def engine(request, engines):
    return engines[request.param]


class CountingServer:
    """An HTTP server on 127.0.0.1 that counts the requests it gets and answers each with a
    one-row SPARQL result (so a SERVICE call that got through would show)."""

    def __init__(self):
        self.requests: list[str] = []
        counter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                counter.requests.append(self.path)
                self._answer()

            def do_POST(self):
                counter.requests.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def _answer(self):
                body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
                    {"x": {"type": "literal", "value": "from far away"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def far_away():
    server = CountingServer()
    yield server
    server.close()


def remote_queries(url: str) -> dict[str, str]:
    """Queries that would read from URL, each with the word its refusal names."""
    return {
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}": "SERVICE",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?x }} }}": "SERVICE",
        f"SELECT * WHERE {{ ?s ?p 1SERVICE<{url}>{{ ?a ?b ?x }} }}": "SERVICE",   # Oxigraph runs this one
        f"PREFIX : <{url}> SELECT * WHERE {{ SERVICE:{{ ?a ?b ?x }} }}": "SERVICE",  # and this one
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?x }} }}": "SERVICE",   # rdflib runs this one
        f"SELECT ?x FROM <{url}> WHERE {{ ?s ?p ?x }}": "FROM",
        f"SELECT ?x FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?x }} }}": "FROM",
        f"LOAD <{url}>": "LOAD",
    }


# ----------------------------------------------------------------------------- the timeout

def test_a_slow_query_is_stopped_at_its_timeout(engine):
    # children of this process from earlier tests are not the query's: multiprocessing's
    # resource tracker, started by tests/test_dask.py's LocalCluster, lives as long as pytest
    before = set(psutil.Process().children())
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="the query took longer than 1 s"):
        run(engine, SLOW, timeout=1)
    assert 1 <= time.monotonic() - started < 1 + MARGIN
    assert set(psutil.Process().children()) <= before       # the query process is gone
    assert run(engine, FAST, timeout=5).column("o") == ["1"]  # and the engine still answers


def test_kg_query_timeout_ends_with_one_line_and_status_3(outdir):
    for engine_name in ("rdflib", "oxigraph"):
        done = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(outdir), "-e", SLOW,
                               "--engine", engine_name, "--timeout", "1"],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.returncode == 3, done.stderr
        assert done.stderr.startswith("kg query: the query took longer than 1 s;"), done.stderr
        assert done.stderr.count("\n") == 1 and done.stdout == ""


def _query_process_of(process: subprocess.Popen, seconds: float = 30) -> psutil.Process:
    """The child that `kg query` runs its query in, once it has started."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = psutil.Process(process.pid).children()
        if children:
            return children[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("kg query started no query process")


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_ctrl_c_stops_kg_query_at_once_with_status_130(outdir, engine_name):
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(outdir), "-e", SLOW,
                                "--engine", engine_name, "--timeout", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        child = _query_process_of(process)
        time.sleep(0.3)                                     # the query is under way
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)                  # to kg query only, not to its child
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - sent < 2
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.strip() == "kg query: interrupted"
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE


def test_fast_queries_give_the_same_rows_with_or_without_a_timeout(engines):
    for engine in engines.values():
        assert run(engine, FAST).rows == run(engine, FAST, timeout=10).rows == engine._evaluate(
            engine._prepare(FAST, "-e"), {}, "-e").rows


# ----------------------------------------------------------------------------- reaching beyond the graph

def test_service_from_and_load_are_refused_before_anything_runs(engine, far_away):
    for query, word in remote_queries(far_away.url).items():
        with pytest.raises(QueryError, match=word):
            run(engine, query, timeout=10)
    assert far_away.requests == []


def test_kg_query_refuses_service_with_a_message(outdir, far_away):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(outdir), "-e",
                           f"SELECT * WHERE {{ SERVICE <{far_away.url}> {{ ?s ?p ?o }} }}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert done.stderr == ("kg query: -e: SERVICE is refused: a query here reads this graph only "
                           "and calls no other endpoint\n")
    assert far_away.requests == []


def test_the_words_inside_strings_comments_iris_and_names_are_not_refused(engine):
    query = ('PREFIX ex: <http://example.org/> '
             'SELECT ?service ?from WHERE { ?service ex:p ?from '
             'FILTER(?from != "SERVICE <http://example.org/x> { }" && ?from != \'FROM <file:///etc/passwd>\') '
             'FILTER(?service != <http://example.org/service/load/from>) } '
             'ORDER BY ?service LIMIT 2 # SERVICE <http://example.org/> FROM LOAD')
    check_query(query)
    assert len(run(engine, query, timeout=10)) == 2


@pytest.mark.skipif(_no_connect_filter() is None, reason="no seccomp filter on this system")
def test_the_query_process_cannot_connect_even_past_the_check(engine, far_away, tmp_path):
    """Defence in depth: the same SERVICE query, evaluated without the check in a query
    process, makes no request (connect(2) is refused there); nor does rdflib load a FROM."""
    def unchecked(query: str):
        return call_stoppable(lambda: engine._evaluate(engine._prepare(query, "-e"), {}, "-e"), 10)

    with pytest.raises(Exception):
        unchecked(f"SELECT * WHERE {{ SERVICE <{far_away.url}> {{ ?s ?p ?x }} }}")
    assert far_away.requests == []
    elsewhere = tmp_path / "elsewhere.nt"
    elsewhere.write_text('<http://example.org/secret> <http://example.org/p> "secret" .\n')
    for source in (far_away.url, elsewhere.as_uri()):
        try:
            rows = unchecked(f"SELECT ?x FROM <{source}> WHERE {{ ?s ?p ?x }}").rows
        except Exception:
            rows = []
        assert all(str(x) != "secret" for x, in rows)
    assert far_away.requests == []
