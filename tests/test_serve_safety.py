"""The endpoint never hangs, never reaches beyond the graph, never outlives kg serve
(issue part 5): its timeout answers 503, SERVICE / FROM / LOAD get 400 without a request
going out, another address than loopback needs --allow-remote, the oxigraph process dies
with kg serve, and a rebuild of the served folder is served."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import psutil
import pytest
from test_query import _first_line, _http
from test_query_safety import SLOW, CountingServer, remote_queries, write_graph

from kg.atomic import write_folder
from kg.outdir import SERVE_MARKER
from kg.query import QueryError
from kg.serve import Server, check_host, is_loopback

JSON = {"Accept": "application/sparql-results+json"}
SPARQL = {"Content-Type": "application/sparql-query", **JSON}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def start_kg_serve(outdir, *options) -> tuple[subprocess.Popen, str]:
    """`kg serve OUTDIR --port 0 OPTIONS…` as a process, and its query URL once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(outdir), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = _first_line(process, 60)                 # the query page's URL comes first
    assert line.startswith("query page"), line + process.stderr.read()
    line = process.stdout.readline()
    assert "/query" in line, line
    return process, line.split()[-1]


def oxigraph_of(process: subprocess.Popen) -> psutil.Process:
    (backend,) = [p for p in psutil.Process(process.pid).children() if p.name() == "oxigraph"]
    return backend


def gone(process: psutil.Process, seconds: float) -> bool:
    """True once PROCESS has ended (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def count(url: str) -> int:
    status, body = _http(url, COUNT.encode(), SPARQL)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """(`kg serve` process, query URL) over 3000 triples, with a query timeout of 1 s."""
    process, url = start_kg_serve(write_graph(tmp_path_factory.mktemp("serve") / "out"), "--timeout", "1")
    yield process, url
    process.terminate()
    process.wait(timeout=20)


def test_a_query_past_the_timeout_gets_503_and_the_engine_is_replaced(endpoint):
    process, url = endpoint
    runaway = oxigraph_of(process)
    started = time.monotonic()
    status, body = _http(url, SLOW.encode(), SPARQL, timeout=30)
    assert time.monotonic() - started < 1.75
    assert status == 503, body                   # not 200 with results cut off
    assert body.startswith("the query took longer than 1 s")
    assert gone(runaway, 10)                     # the runaway query burns no more CPU
    assert count(url) == 3000                    # a new engine answers


def test_service_from_and_load_get_400_and_nothing_is_fetched(endpoint):
    _, url = endpoint
    far_away = CountingServer()
    try:
        for query, word in remote_queries(far_away.url).items():
            for status, body in (
                    _http(url + "?" + urllib.parse.urlencode({"query": query}), headers=JSON),
                    _http(url, query.encode(), SPARQL),
                    _http(url.replace("/query", "/sparql"), urllib.parse.urlencode({"query": query}).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded", **JSON})):
                assert status == 400 and word in body, (query, status, body)
        status, body = _http(url + "?" + urllib.parse.urlencode(
            {"query": COUNT, "default-graph-uri": far_away.url}), headers=JSON)
        assert status == 400 and "default-graph-uri" in body
        load = f"LOAD <{far_away.url}>".encode()
        assert _http(url, load, {"Content-Type": "application/sparql-update"})[0] == 400
        assert _http(url.replace("/query", "/update"), load, {"Content-Type": "application/sparql-update"})[0] == 403
        assert far_away.requests == []
    finally:
        far_away.close()


def test_service_inside_a_string_is_answered_and_the_web_page_works(endpoint):
    _, url = endpoint
    status, body = _http(url, b'ASK { ?s ?p "SERVICE <http://example.org/> { }" } # FROM <x>', SPARQL)
    assert (status, json.loads(body)["boolean"]) == (200, False)
    base = url.rsplit("/", 1)[0]
    status, page = _http(base + "/")
    assert status == 200 and "yasgui" in page
    assert _http(base + "/yasgui.min.js")[0] == 200


def test_another_address_than_loopback_needs_allow_remote(tmp_path):
    outdir = write_graph(tmp_path / "out", 10)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(outdir), "--host", "0.0.0.0",
                           "--port", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("kg serve: --host 0.0.0.0 is not a loopback address") and \
        "--allow-remote" in done.stderr
    assert not (outdir / "oxigraph").exists()            # refused before anything was loaded
    assert "warning" in check_host("0.0.0.0", allow_remote=True)
    with pytest.raises(QueryError, match="--allow-remote"):
        check_host("::", allow_remote=False)
    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "localhost"))
    assert check_host("127.0.0.1", allow_remote=False) is None


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_no_oxigraph_process_outlives_kg_serve(tmp_path, how):
    outdir = write_graph(tmp_path / "out", 10)
    process, url = start_kg_serve(outdir)
    backend = oxigraph_of(process)
    assert os.getpgid(backend.pid) == backend.pid != os.getpgid(process.pid)   # a process group of its own
    assert json.loads((outdir / SERVE_MARKER).read_text()) == {"pid": process.pid, "url": url}
    process.send_signal(how)
    process.wait(timeout=10)
    assert gone(backend, 3)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    if how == signal.SIGINT:                             # Ctrl-C: in order, the marker removed
        assert process.returncode == 0
        assert not (outdir / SERVE_MARKER).exists()


def test_a_rebuild_of_the_served_folder_is_served(tmp_path):
    outdir = write_graph(tmp_path / "out", 10)
    lines = []
    server = Server.start(outdir, port=0, timeout=5, watch=0.1, log=lines.append)
    try:
        assert count(server.url) == 10
        marker = outdir / SERVE_MARKER
        assert json.loads(marker.read_text()) == {"pid": os.getpid(), "url": server.url}
        # kg build replaces OUTDIR whole, by a rename (kg.atomic.write_folder)
        write_folder(outdir, {"graph.nq": (tmp_path / "out" / "graph.nq").read_bytes() +
                              b'<http://example.org/new> <http://example.org/p> "new" <http://example.org/g> .\n'})
        deadline = time.monotonic() + 10
        while count(server.url) != 11 or not lines or not marker.exists():   # the marker: written again
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)
        assert lines == [f"kg serve: {outdir / 'graph.nq'} changed: loaded it into {outdir / 'oxigraph'}; "
                         "serving the new graph"]
    finally:
        server.stop()
    assert not marker.exists()
    assert not server.backend.alive()
