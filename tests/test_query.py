"""SPARQL: the named queries on the seeds graph (rdflib and Oxigraph alike), parameters,
result formats, DataFrames, the `kg query` command, stores and the `kg serve` endpoint."""
from __future__ import annotations

import csv
import io
import json
import selectors
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.query import (QUERY_DIR, STORE_STAMP, OxigraphEngine, QueryError, RdflibEngine, bind_params,
                      dataframe, get_query, load_store, named_queries, open_engine, parse_query, run,
                      store_is_current)
from kg.rdf import ID, LEXICON_GRAPH

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"programs_in_place", "programs_for_target_group", "organization_tree", "people_with_posts",
            "statistics_about", "mentions_of", "divisions_under"}


@pytest.fixture(scope="module")
def engines(seeds_build, seeds_graph):
    """Both engines over the seeds graph: rdflib on the session's Dataset, Oxigraph in memory."""
    return {"rdflib": RdflibEngine(seeds_graph), "oxigraph": OxigraphEngine.in_memory(seeds_build[1])}


@pytest.fixture(params=["rdflib", "oxigraph"])
def engine(request, engines):
    return engines[request.param]


def table(result, *columns):
    """The result's rows as tuples of plain Python values of the given columns."""
    cols = [result.column(c) for c in columns]
    return list(zip(*cols))


# ----------------------------------------------------------------------------- the library

def test_library_headers_are_complete():
    library = named_queries()
    assert REQUIRED <= set(library)
    for name, q in library.items():
        assert (QUERY_DIR / f"{name}.rq").is_file()
        assert q.question.endswith("?"), name
        assert q.columns, name
        assert "ORDER BY" in q.text, f"{name}: rows must come in a stable order"
        for p in q.params:
            assert p.doc and p.example, f"{name}: parameter {p.name} needs a description with an e.g."


def test_every_named_query_gives_the_same_rows_on_both_engines(engines):
    for q in named_queries().values():
        params = {p.name: p.example for p in q.params if not p.optional}
        a, b = run(engines["rdflib"], q, params), run(engines["oxigraph"], q, params)
        assert a.variables == b.variables, q.name
        assert len(a) > 0, f"{q.name} has no rows on the seeds graph"
        assert a.rows == b.rows, q.name


# ----------------------------------------------------------------------------- each named query

def test_divisions_under_pingliang(engine):
    """Issue 3: the divisions of 平凉市, counties and the villages the articles name."""
    r = run(engine, "divisions_under", {"place": "平凉市"})
    rows = table(r, "depth", "division", "level", "parent")
    assert rows[:4] == [(1, "崆峒区", "county", "平凉市"), (1, "崇信县", "county", "平凉市"),
                        (1, "泾川县", "county", "平凉市"), (1, "灵台县", "county", "平凉市")]
    assert (2, "上杨乡", "township", "崆峒区") in rows
    assert (3, "小岔村", "village", "上杨乡") in rows
    assert (3, "三天门社区", "village", "西郊街道") in rows
    assert {row[1] for row in rows} == {"崆峒区", "崇信县", "泾川县", "灵台县", "上杨乡", "西郊街道", "安定社区",
                                        "上杨村", "小岔村", "早庄村", "石灰沟村", "三天门社区"}
    codes = dict(table(r, "division", "code"))
    assert codes["崆峒区"] == "620802"
    assert run(engine, "divisions_under", {"place": "平凉"}).rows == r.rows     # an altLabel works too


def test_people_with_posts(engine):
    """Issue 4: each person with post and organization."""
    rows = table(run(engine, "people_with_posts"), "name", "post", "post_in")
    assert ("文诚勇", "部长", "崇信县委社会工作部") in rows
    assert ("文诚勇", "书记", "崇信县委“两新”工委") in rows
    assert ("郭充权", "副部长", "麦积区委组织部") in rows
    assert len(rows) == len(set(rows)) >= 15
    assert table(run(engine, "people_with_posts", {"person": "文诚勇"}), "name", "post", "post_in") == [
        ("文诚勇", "书记", "崇信县委“两新”工委"), ("文诚勇", "部长", "崇信县委社会工作部")]
    assert table(run(engine, "people_with_posts", {"organization": "崇信县委社会工作部"}), "name", "post") == [
        ("文诚勇", "部长")]


def test_programs_for_target_group_follows_broader_groups(engine):
    """Issue 5: programs for 新就业群体 and its kinds (外卖骑手, 货车司机 ...), and where."""
    rows = table(run(engine, "programs_for_target_group", {"group": "新就业群体"}),
                 "program", "target_group", "where")
    assert rows == [("暖心引领骑手融入", "外卖骑手", "兰州市"),
                    ("十个一", "新就业群体", "平凉市"),
                    ("三找", "新就业群体党员", "平凉市"),
                    ("先锋引领网约车司机便民", "网约车司机", "兰州市"),
                    ("正向引领主播发声", "网络主播", "兰州市"),
                    ("服务引领货车司机建功", "货车司机", "兰州市"),
                    ("线上+线下", "货车司机", "崇信县")]
    narrow = table(run(engine, "programs_for_target_group", {"group": "骑手"}), "program", "target_group")
    assert narrow == [("暖心引领骑手融入", "外卖骑手")]      # an alias of 外卖骑手; no broader groups


def test_statistics_about_lanzhou(engine):
    """Issue 5: the statistics about 兰州市 with their sentences."""
    r = run(engine, "statistics_about", {"entity": "兰州市"})
    rows = {(v, u, m): s for v, u, m, s in table(r, "value", "unit", "measure", "sentence")}
    assert rows[(1308000, "件", "全市共受理网格化办件")].startswith("2019年以来,全市共受理网格化办件130.8万余件")
    assert rows[(99.86, "%", "办结率")] == rows[(1308000, "件", "全市共受理网格化办件")]
    assert (3039, "人", "新发展党员") in rows
    assert (63000, "名", "组织村(居)民党员") in rows
    anchors = dict(((v, m), (a, q)) for v, m, a, q in table(r, "value", "measure", "anchor", "qualifier"))
    assert anchors[(1308000, "全市共受理网格化办件")] == ("130.8万余件", "余")
    value = r.rows[0][r.variables.index("value")]
    assert isinstance(value.toPython(), Decimal)
    assert len(r) >= 50


def test_programs_in_place(engine):
    rows = table(run(engine, "programs_in_place", {"place": "平凉市"}), "program", "where")
    assert ("十个一", "平凉市") in rows
    assert any(where == "崆峒区" for _, where in rows)          # within the place, not only at it
    assert all(where != "兰州市" for _, where in rows)


def test_organization_tree(engine):
    rows = table(run(engine, "organization_tree", {"organization": "中共甘肃省委"}), "depth", "name", "parent")
    assert rows == [(1, "中共甘肃省委直属机关工作委员会", "中共甘肃省委"), (1, "中共甘肃省委组织部", "中共甘肃省委"),
                    (1, "中共甘肃省委老干部局", "中共甘肃省委")]
    court = table(run(engine, "organization_tree", {"organization": "甘肃省高级人民法院"}),
                  "depth", "name", "kind", "parent")
    assert (1, "甘肃省高级人民法院党组", "leading party group", "甘肃省高级人民法院") in court
    assert (2, "“银发生辉”志愿服务队", "volunteer team", "甘肃省高级人民法院老干部第二党支部") in court


def test_mentions_of_gives_article_sentence_and_offsets(engine):
    (row,) = run(engine, "mentions_of", {"entity": "文诚勇"}).records()
    assert row["article"] == "002_ddf7b3dbc49d759e/1" and row["file"] == "002_ddf7b3dbc49d759e"
    assert row["sentence"] == "崇信县委社会工作部部长、“两新”工委书记文诚勇介绍。"
    text = (ROOT / "seeds" / f"{row['file']}.txt").read_text(encoding="utf-8")
    assert text[row["begin"]:row["end"]] == row["anchor"] == "文诚勇"


def test_programs_run_by_follows_sub_organizations(engine):
    rows = table(run(engine, "programs_run_by", {"organization": "中共甘肃省委"}), "program", "run_by")
    assert ("三会一课", "中共甘肃省委直属机关工作委员会") in rows


def test_find_entities_and_entity_facts(engine):
    found = run(engine, "find_entities", {"text": "平凉"}).records()
    pingliang = next(r for r in found if r["name"] == "平凉市")
    assert pingliang["type"] == "AdministrativeUnit" and pingliang["articles"] >= 2
    facts = table(run(engine, "entity_facts", {"entity": pingliang["iri"]}), "direction", "property", "value_label")
    assert ("out", str(SKOS.prefLabel), "平凉市") not in facts     # literals have no label of their own
    assert ("in", "https://w3id.org/dangjian-kg/ontology#within", "崆峒区") in facts
    assert run(engine, "entity_facts", {"entity": "id:division/620800"}).rows == \
        run(engine, "entity_facts", {"entity": pingliang["iri"]}).rows


# ----------------------------------------------------------------------------- parameters

def test_bad_parameters_get_clear_messages():
    q = get_query("divisions_under")
    with pytest.raises(QueryError, match="no parameter 'city'; its parameters: place"):
        bind_params(q, {"city": "平凉市"})
    with pytest.raises(QueryError, match="needs the parameter place"):
        bind_params(q, {})
    with pytest.raises(QueryError, match="not the IRI"):
        bind_params(q, {"place": "https://w3id.org/dangjian-kg/id/division/620800"})
    with pytest.raises(QueryError, match="takes an IRI"):
        bind_params(get_query("entity_facts"), {"entity": "平凉市"})
    with pytest.raises(QueryError, match="the named queries are: divisions_under, "):
        get_query("divisions")
    with pytest.raises(QueryError, match="x.rq:1: parameter x has type number; the types are label, iri"):
        parse_query("# param: x (number) — y\nSELECT ?x WHERE {}", "x.rq")


def test_parameters_are_terms_not_query_text(engine):
    assert bind_params(get_query("divisions_under"), {"place": "平凉市"}) == {"place": Literal("平凉市", lang="zh")}
    assert bind_params(get_query("entity_facts"), {"entity": "id:division/620800"}) == \
        {"entity": URIRef(ID["division/620800"])}
    hostile = '平凉市"@zh } ?s ?p ?o . FILTER(true) } #'
    assert len(run(engine, "divisions_under", {"place": hostile})) == 0


def test_adhoc_queries_bind_undeclared_variables(engine):
    text = ("SELECT ?code WHERE { ?d <http://www.w3.org/2004/02/skos/core#prefLabel> ?name ; "
            "<https://w3id.org/dangjian-kg/ontology#divisionCode> ?code }")
    assert table(run(engine, text, {"name": "兰州市"}), "code") == [("620100",)]
    with pytest.raises(QueryError, match="no variable \\?place"):
        run(engine, text, {"place": "兰州市"})
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run(engine, "SELECT WHERE {", {})
    assert run(engine, "ASK { ?s a <https://w3id.org/dangjian-kg/ontology#Program> }").boolean is True


# ----------------------------------------------------------------------------- results

def test_result_formats(engines):
    r = run(engines["oxigraph"], "divisions_under", {"place": "平凉市"})
    doc = json.loads(r.to_json())
    assert doc["head"]["vars"] == r.variables
    first = doc["results"]["bindings"][0]
    assert first["division"] == {"type": "literal", "value": "崆峒区", "xml:lang": "zh"}
    assert first["iri"] == {"type": "uri", "value": str(ID["division/620802"])}
    assert first["depth"]["datatype"].endswith("#integer")
    rows = list(csv.reader(io.StringIO(r.to_csv())))
    assert rows[0] == r.variables and rows[1][1] == "崆峒区" and len(rows) == len(r) + 1
    tsv = r.to_tsv().splitlines()
    assert tsv[0].split("\t")[0] == "?depth" and '"崆峒区"@zh' in tsv[1].split("\t")
    text = r.to_table()
    assert "id:division/620802" in text and text.rstrip().endswith("(12 rows)")


def test_dataframe_from_outdir_and_from_engine(seeds_build, engines):
    df = dataframe(seeds_build[1], "people_with_posts", person="文诚勇")
    assert list(df.columns[:3]) == ["name", "post", "post_in"]
    assert df[["name", "post", "post_in"]].values.tolist() == [
        ["文诚勇", "书记", "崇信县委“两新”工委"], ["文诚勇", "部长", "崇信县委社会工作部"]]
    stats = dataframe(engines["oxigraph"], "statistics_about", entity="兰州市")
    assert stats["value"].dtype.kind == "f" and stats["begin"].dtype.kind == "i"


# ----------------------------------------------------------------------------- the command

def test_kg_query_command(seeds_build, capsys):
    from kg.cli import main
    out = str(seeds_build[1])
    assert main(["query", out, "divisions_under", "--param", "place=平凉市", "--format", "csv",
                 "--engine", "oxigraph"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][:4] == ["1", "崆峒区", "county", "平凉市"]
    assert main(["query", out, "nosuch"]) == 2
    assert "the named queries are: divisions_under" in capsys.readouterr().err
    assert main(["query", out, "divisions_under", "-p", "city=x"]) == 2
    assert "its parameters: place" in capsys.readouterr().err
    assert main(["query", str(seeds_build[1] / "missing"), "divisions_under", "-p", "place=x"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["query", "--list"]) == 0
    assert "--param place=…" in capsys.readouterr().out


# ----------------------------------------------------------------------------- stores

def test_store_is_written_atomically_and_reused(seeds_build, tmp_path):
    graph_nq = seeds_build[1] / "graph.nq"
    store = tmp_path / "store"
    quads = load_store(graph_nq, store)
    assert (store / STORE_STAMP).is_file() and store_is_current(store, graph_nq)
    assert load_store(graph_nq, store) == quads                   # replaced cleanly
    assert [p.name for p in tmp_path.iterdir()] == ["store"]      # no temporary folders left
    engine = open_engine(store)
    assert engine.name == "oxigraph" and len(engine) == quads
    assert table(run(engine, "divisions_under", {"place": "平凉市"}), "division")[0] == ("崆峒区",)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(QueryError, match="not an Oxigraph store"):
        load_store(graph_nq, other)
    assert (other / "keep.txt").read_text() == "mine"


def test_build_writes_broader_target_groups(seeds_graph):
    g = seeds_graph.graph(LEXICON_GRAPH)
    assert (ID["targetGroup/外卖骑手"], SKOS.broader, ID["targetGroup/新就业群体"]) in g
    assert (ID["targetGroup/货车司机"], SKOS.broader, ID["targetGroup/新就业群体"]) in g


# ----------------------------------------------------------------------------- the endpoint

def _first_line(process: subprocess.Popen, seconds: float) -> str:
    sel = selectors.DefaultSelector()
    sel.register(process.stdout, selectors.EVENT_READ)
    if not sel.select(timeout=seconds):
        raise AssertionError(f"`kg serve` printed nothing in {seconds} s")
    return process.stdout.readline()


def _http(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 20):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=data, headers=headers or {},
                                     method="POST" if data is not None else "GET")
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def test_kg_serve_answers_sparql_over_http_and_refuses_updates(seeds_build, seeds_graph, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(seeds_build[1]), "--port", "0",
         "--store", str(tmp_path / "store"), "--timeout", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = _first_line(process, 60)
        assert "read-only" in line and "/query" in line, line + process.stderr.read()
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        json_results = {"Accept": "application/sparql-results+json"}

        # a named query's text, sent as any SPARQL client would (GET), with its parameter written in
        text = get_query("people_with_posts").text.replace(
            "WHERE {", 'WHERE { VALUES ?person { "文诚勇"@zh }', 1)
        status, body = _http(url + "?" + urllib.parse.urlencode({"query": text}), headers=json_results)
        assert status == 200
        rows = [(b["name"]["value"], b["post"]["value"], b["post_in"]["value"])
                for b in json.loads(body)["results"]["bindings"]]
        assert rows == [("文诚勇", "书记", "崇信县委“两新”工委"), ("文诚勇", "部长", "崇信县委社会工作部")]

        # POST, and the default graph is the union of the article graphs, each triple once
        status, body = _http(url, b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                             {"Content-Type": "application/sparql-query", **json_results})
        (n,) = [int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]]
        assert status == 200 and n == len(seeds_graph)
        update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
        status, _ = _http(url.rsplit("/", 1)[0] + "/update", update, {"Content-Type": "application/sparql-update"})
        assert 400 <= status < 500
        status, _ = _http(url, update, {"Content-Type": "application/sparql-update"})
        assert 400 <= status < 500
        status, body = _http(url, b"ASK { <http://example.org/a> ?p ?o }",
                             {"Content-Type": "application/sparql-query", **json_results})
        assert json.loads(body)["boolean"] is False

        # the query timeout (1 s here) stops a runaway query: 503, not 200 with results cut off
        started = time.monotonic()
        status, body = _http(url, b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
                             {"Content-Type": "application/sparql-query", **json_results}, timeout=60)
        assert time.monotonic() - started < 5
        assert status == 503 and body.startswith("the query took longer than 1 s")
    finally:
        process.terminate()
        process.wait(timeout=20)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0        # the server is gone with it
