"""SPARQL: the named queries on the hand-made fixture graph (tests/handmade_graph.py; rdflib and
Oxigraph alike), parameters, result formats, DataFrames, the `kg query` command, stores and the
`kg serve` endpoint. Every expected row below is one the fixture holds, written out by hand."""
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
from kg.rdf import ID

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"programs_in_place", "programs_for_target_group", "organization_tree", "people_with_posts",
            "statistics_about", "mentions_of", "divisions_under"}


@pytest.fixture(scope="module")
def engines(fixture_outdir, fixture_graph):
    """Both engines over the fixture graph: rdflib on the session's Dataset, Oxigraph in memory."""
    return {"rdflib": RdflibEngine(fixture_graph),
            "oxigraph": OxigraphEngine.in_memory(fixture_outdir / "graph.nq")}


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
        assert len(a) > 0, f"{q.name} has no rows on the fixture graph with its e.g. parameters"
        assert a.rows == b.rows, q.name


# ----------------------------------------------------------------------------- each named query

def test_divisions_under_pingliang(engine):
    """Issue 3: the divisions of 平凉市 at any depth, a township no article names (上杨乡) included:
    the gazetteer's hierarchy puts 小岔村 under it."""
    r = run(engine, "divisions_under", {"place": "平凉市"})
    assert table(r, "depth", "division", "level", "parent", "code", "articles") == [
        (1, "崆峒区", "county", "平凉市", "620802", 1),
        (1, "崇信县", "county", "平凉市", "620823", 2),
        (2, "上杨乡", "township", "崆峒区", None, 0),
        (2, "锦屏镇", "township", "崇信县", None, 1),
        (3, "小岔村", "village", "上杨乡", None, 1)]
    assert table(r, "iri")[2] == (str(ID["division/620802/上杨乡"]),)
    assert run(engine, "divisions_under", {"place": "平凉"}).rows == r.rows     # an altLabel works too
    assert table(run(engine, "divisions_under", {"place": "甘肃省"}), "depth", "division")[:3] == [
        (1, "兰州市"), (1, "平凉市"), (2, "城关区")]
    assert len(run(engine, "divisions_under", {"place": "甘肃省"})) == 9
    assert len(run(engine, "divisions_under", {"place": "小岔村"})) == 0


def test_people_with_posts(engine):
    """Issue 4: each person with post and organization."""
    rows = table(run(engine, "people_with_posts"), "name", "post", "post_in", "pseudonym")
    assert rows == [("文诚勇", "书记", "崇信县委“两新”工委", None), ("文诚勇", "部长", "崇信县委社会工作部", None),
                    ("王建华", "部长", "兰州市委社会工作部", None), ("马强", "书记", "小岔村党支部", None)]
    assert table(run(engine, "people_with_posts", {"person": "文诚勇"}), "name", "post", "post_in") == [
        ("文诚勇", "书记", "崇信县委“两新”工委"), ("文诚勇", "部长", "崇信县委社会工作部")]
    assert table(run(engine, "people_with_posts", {"organization": "崇信县委社会工作部"}), "name", "post") == [
        ("文诚勇", "部长")]
    assert table(run(engine, "people_with_posts", {"organization": "“两新”工委"}), "name", "post") == [
        ("文诚勇", "书记")]                                       # an altLabel of the organization
    assert len(run(engine, "people_with_posts", {"person": "小张"})) == 0     # named, but holds no post


def test_programs_for_target_group_follows_broader_groups(engine):
    """Issue 5: programs for 新就业群体 and its kinds (外卖骑手, 货车司机 ...), and where."""
    rows = table(run(engine, "programs_for_target_group", {"group": "新就业群体"}),
                 "program", "target_group", "where")
    assert rows == [("暖心引领骑手融入", "外卖骑手", "城关区"),
                    ("骑手之家", "外卖骑手", "酒泉路街道"),
                    ("十个一", "新就业群体", "平凉市"),
                    ("三找", "新就业群体党员", "小岔村"),
                    ("线上+线下", "货车司机", "崇信县")]
    narrow = table(run(engine, "programs_for_target_group", {"group": "骑手"}), "program", "target_group")
    assert narrow == [("暖心引领骑手融入", "外卖骑手"), ("骑手之家", "外卖骑手")]   # an alias; no broader groups


def test_statistics_about_lanzhou(engine):
    """Issue 5: the statistics about 兰州市 with their sentences, in text order."""
    r = run(engine, "statistics_about", {"entity": "兰州市"})
    assert table(r, "value", "unit", "qualifier", "measure", "period", "anchor", "article") == [
        (120, "个", None, "全市已建成骑手驿站", None, "120个", "fx01_lanzhou/1"),
        (3039, "人", None, "新发展党员", "2023年以来", "3039人", "fx01_lanzhou/1"),
        (200, "名", "余", "骑手党员", None, "200余名", "fx01_lanzhou/1")]
    sentences = [row[0] for row in table(r, "sentence")]
    assert sentences == ["兰州市委社会工作部部长王建华介绍，全市已建成骑手驿站120个。",
                         "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。",
                         "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。"]
    value = r.rows[0][r.variables.index("value")]
    assert isinstance(value.toPython(), Decimal)
    assert run(engine, "statistics_about", {"entity": "兰州"}).rows == r.rows           # by its altLabel
    (gansu,) = run(engine, "statistics_about", {"entity": "甘肃省"}).records()
    assert (gansu["value"], gansu["unit"], gansu["qualifier"], gansu["anchor"]) == (12000, "名", "余", "1.2万余名")
    (program,) = run(engine, "statistics_about", {"entity": "三找"}).records()       # about a program
    assert (program["value"], program["measure"]) == (300, "吸引党员群众参加")


def test_programs_in_place(engine):
    """Programs in a place or any division within it, by their kind."""
    rows = table(run(engine, "programs_in_place", {"place": "平凉市"}), "program", "kind", "where")
    assert rows == [("三找", "activity", "小岔村"), ("十个一", None, "平凉市"), ("线上+线下", "model", "崇信县")]
    rows = table(run(engine, "programs_in_place", {"place": "兰州市"}), "program", "kind", "where")
    assert rows == [("暖心引领骑手融入", "campaign", "城关区"), ("骑手之家", "brand", "酒泉路街道")]
    assert [row[0] for row in table(run(engine, "programs_in_place", {"place": "甘肃省"}), "program")] == [
        "三会一课", "三找", "十个一", "暖心引领骑手融入", "线上+线下", "骑手之家"]


def test_organization_tree(engine):
    rows = table(run(engine, "organization_tree", {"organization": "中共甘肃省委"}), "depth", "name", "kind", "parent")
    assert rows == [(1, "中共甘肃省委直属机关工作委员会", "party working committee", "中共甘肃省委"),
                    (1, "中共甘肃省委组织部", "party working department", "中共甘肃省委")]
    county = table(run(engine, "organization_tree", {"organization": "中共崇信县委"}), "depth", "name", "kind", "parent")
    assert county == [(1, "崇信县委社会工作部", "party working department", "中共崇信县委"),
                      (2, "崇信县委“两新”工委", "party working committee", "崇信县委社会工作部")]
    assert len(run(engine, "organization_tree", {"organization": "崇信县交通运输局"})) == 0


def test_mentions_of_gives_article_sentence_and_offsets(engine, fixture_outdir):
    (row,) = run(engine, "mentions_of", {"entity": "文诚勇"}).records()
    assert row["article"] == "fx02_pingliang/2" and row["file"] == "fx02_pingliang"
    assert row["title"] == "平凉市崇信县“线上+线下”服务货车司机"
    assert row["sentence"] == "崇信县委社会工作部部长、“两新”工委书记文诚勇介绍。"
    text = (fixture_outdir.parent / "sources" / f"{row['file']}.txt").read_text(encoding="utf-8")
    assert text[row["begin"]:row["end"]] == row["anchor"] == "文诚勇"
    rows = run(engine, "mentions_of", {"entity": "甘肃党建"}).records()
    assert [(r["article"], r["anchor"]) for r in rows] == [("fx01_lanzhou/1", "甘肃党建"),
                                                           ("fx02_pingliang/2", "甘肃党建")]
    for r in rows:
        text = (fixture_outdir.parent / "sources" / f"{r['file']}.txt").read_text(encoding="utf-8")
        assert text[r["begin"]:r["end"]] == "甘肃党建" and r["sentence"] in text


def test_programs_run_by_follows_sub_organizations(engine):
    rows = table(run(engine, "programs_run_by", {"organization": "中共甘肃省委"}), "program", "kind", "run_by")
    assert rows == [("三会一课", "system", "中共甘肃省委直属机关工作委员会")]
    rows = table(run(engine, "programs_run_by", {"organization": "中共崇信县委"}), "program", "run_by")
    assert rows == [("线上+线下", "崇信县委“两新”工委")]                # two levels down
    rows = table(run(engine, "programs_run_by", {"organization": "中共兰州市委"}), "program", "run_by")
    assert rows == [("暖心引领骑手融入", "兰州市委组织部"), ("骑手之家", "兰州市委组织部")]


def test_find_entities_and_entity_facts(engine):
    found = run(engine, "find_entities", {"text": "平凉"}).records()
    assert [(r["name"], r["type"], r["articles"]) for r in found] == [
        ("平凉市", "AdministrativeUnit", 2), ("平凉市委组织部", "Organization", 1)]
    pingliang = found[0]
    assert pingliang["iri"] == str(ID["division/620800"])
    facts = table(run(engine, "entity_facts", {"entity": pingliang["iri"]}), "direction", "property", "value_label")
    dj = "https://w3id.org/dangjian-kg/ontology#"
    assert [f for f in facts if f[2] is not None] == [
        ("out", dj + "within", "甘肃省"), ("in", dj + "implementedIn", "十个一"),
        ("in", dj + "locatedIn", "平凉市委组织部"), ("in", dj + "within", "崆峒区"), ("in", dj + "within", "崇信县")]
    assert ("out", str(SKOS.prefLabel), "平凉市") not in facts     # literals have no label of their own
    assert len(facts) == 12           # + 2 types, 2 labels, the code, 2 articles; no mention, no statistic
    assert run(engine, "entity_facts", {"entity": "id:division/620800"}).rows == \
        run(engine, "entity_facts", {"entity": pingliang["iri"]}).rows


# ----------------------------------------------------------------------------- parameters

def test_bad_parameters_get_clear_messages():
    q = get_query("divisions_under")
    with pytest.raises(QueryError, match="no parameter 'city'; its parameters: place"):
        bind_params(q, {"city": "平凉市"})
    with pytest.raises(QueryError, match="needs the parameter place"):
        bind_params(q, {})
    adhoc = parse_query("# param: name (label) — a name\n# param: iri (iri) — an IRI\n"
                        "SELECT * WHERE { ?iri ?p ?name }")
    with pytest.raises(QueryError, match="not the IRI"):
        bind_params(adhoc, {"name": "https://w3id.org/dangjian-kg/id/division/620800", "iri": "id:x"})
    with pytest.raises(QueryError, match="takes an IRI"):
        bind_params(adhoc, {"name": "平凉市", "iri": "平凉市"})
    with pytest.raises(QueryError, match="x.rq:1: parameter place is an entity: the query names the entity "
                                         "\\?place_iri"):
        parse_query("# param: place (entity) — y\nSELECT * WHERE { ?x ?p ?place }", "x.rq")
    with pytest.raises(QueryError, match="the named queries are: articles_per_month, divisions_under, "):
        get_query("divisions")
    with pytest.raises(QueryError, match="x.rq:1: parameter x has type number; the types are entity, label, iri"):
        parse_query("# param: x (number) — y\nSELECT ?x WHERE {}", "x.rq")


def test_parameters_are_terms_not_query_text(engine):
    assert bind_params(get_query("divisions_under"), {"place": "平凉市"}) == {"place": Literal("平凉市", lang="zh")}
    assert bind_params(get_query("entity_facts"), {"entity": "id:division/620800"}) == \
        {"entity_iri": URIRef(ID["division/620800"])}      # an entity given by its IRI
    hostile = '平凉市"@zh } ?s ?p ?o . FILTER(true) } #'
    with pytest.raises(QueryError, match="no entity named 平凉市\"@zh } "):
        run(engine, "divisions_under", {"place": hostile})
    q = get_query("divisions_under")
    assert len(engine.execute(q.text, bind_params(q, {"place": hostile}))) == 0


def test_adhoc_queries_bind_undeclared_variables(engine):
    text = ("SELECT ?code WHERE { ?d <http://www.w3.org/2004/02/skos/core#prefLabel> ?name ; "
            "<https://w3id.org/dangjian-kg/ontology#divisionCode> ?code }")
    assert table(run(engine, text, {"name": "兰州市"}), "code") == [("620100",)]
    with pytest.raises(QueryError, match="no variable \\?place"):
        run(engine, text, {"place": "兰州市"})
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run(engine, "SELECT WHERE {", {})
    assert run(engine, "ASK { ?s a <https://w3id.org/dangjian-kg/ontology#Program> }").boolean is True



def test_parameters_reach_into_sub_selects_on_both_engines(engines, fixture_graph):
    """rdflib binds a parameter inside sub-selects too; Oxigraph gets the VALUES block in each
    sub-select whose WHERE clause names the variable (statistic_series relies on it), and
    not in one that does not (the count stays the count of the whole graph). Braces in
    strings and comments do not count."""
    text = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX dj: <https://w3id.org/dangjian-kg/ontology#>
    SELECT ?code ?codes WHERE {
      { SELECT ?code WHERE {     # { a brace in a comment
          { SELECT ?d WHERE { ?d skos:prefLabel ?name FILTER(?name != "}{") } }
          ?d dj:divisionCode ?code } }
      { SELECT (COUNT(*) AS ?codes) WHERE { ?x dj:divisionCode ?c } }
    }"""
    codes = len(set(fixture_graph.triples((None, URIRef("https://w3id.org/dangjian-kg/ontology#divisionCode"), None))))
    assert codes > 1
    for engine in engines.values():
        assert table(run(engine, text, {"name": "兰州市"}), "code", "codes") == [("620100", codes)], engine.name


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
    assert [row[1] for row in rows[1:]] == ["崆峒区", "崇信县", "上杨乡", "锦屏镇", "小岔村"]
    assert rows[3][4] == "" and rows[3][5] == "0"                    # no code; no article names 上杨乡
    text = r.to_table()
    assert "id:division/620802" in text and text.rstrip().endswith("(5 rows)")


def test_dataframe_from_outdir_and_from_engine(fixture_outdir, engines):
    df = dataframe(fixture_outdir, "people_with_posts", person="文诚勇")
    assert list(df.columns[:3]) == ["name", "post", "post_in"]
    assert df[["name", "post", "post_in"]].values.tolist() == [
        ["文诚勇", "书记", "崇信县委“两新”工委"], ["文诚勇", "部长", "崇信县委社会工作部"]]
    stats = dataframe(engines["oxigraph"], "statistics_about", entity="兰州市")
    assert stats["value"].dtype.kind == "f" and stats["begin"].dtype.kind == "i"
    assert stats["value"].tolist() == [120.0, 3039.0, 200.0] and stats["unit"].tolist() == ["个", "人", "名"]


# ----------------------------------------------------------------------------- the command

def test_kg_query_command(fixture_outdir, capsys):
    from kg.cli import main
    out = str(fixture_outdir)
    assert main(["query", out, "divisions_under", "--param", "place=平凉市", "--format", "csv",
                 "--engine", "oxigraph"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[:4] for row in rows[1:]] == [["1", "崆峒区", "county", "平凉市"], ["1", "崇信县", "county", "平凉市"],
                                            ["2", "上杨乡", "township", "崆峒区"], ["2", "锦屏镇", "township", "崇信县"],
                                            ["3", "小岔村", "village", "上杨乡"]]
    assert main(["query", out, "people_with_posts", "-p", "person=马强", "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("\t")[:3] == ['"马强"@zh', '"书记"@zh', '"小岔村党支部"@zh']
    assert main(["query", out, "nosuch"]) == 2
    assert "the named queries are: articles_per_month, divisions_under" in capsys.readouterr().err
    assert main(["query", out, "divisions_under", "-p", "city=x"]) == 2
    assert "its parameters: place" in capsys.readouterr().err
    assert main(["query", str(fixture_outdir / "missing"), "divisions_under", "-p", "place=x"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["query", "--list"]) == 0
    assert "--param place=…" in capsys.readouterr().out


# ----------------------------------------------------------------------------- stores

def test_store_is_written_atomically_and_reused(fixture_outdir, fixture_graph, tmp_path):
    graph_nq = fixture_outdir / "graph.nq"
    store = tmp_path / "store"
    quads = load_store(graph_nq, store)
    assert (store / STORE_STAMP).is_file() and store_is_current(store, graph_nq)
    assert load_store(graph_nq, store) == quads                   # replaced cleanly
    assert [p.name for p in tmp_path.iterdir()] == ["store"]      # no temporary folders left
    # every quad in its named graph, and every triple once more in the default graph (the union)
    assert quads == len(graph_nq.read_text(encoding="utf-8").splitlines()) + len(fixture_graph)
    engine = open_engine(store)
    assert engine.name == "oxigraph" and len(engine) == quads
    assert table(run(engine, "divisions_under", {"place": "平凉市"}), "division") == [
        ("崆峒区",), ("崇信县",), ("上杨乡",), ("锦屏镇",), ("小岔村",)]
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(QueryError, match="not an Oxigraph store"):
        load_store(graph_nq, other)
    assert (other / "keep.txt").read_text() == "mine"


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


def test_kg_serve_answers_sparql_over_http_and_refuses_updates(fixture_outdir, fixture_graph, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(fixture_outdir), "--port", "0",
         "--store", str(tmp_path / "store"), "--timeout", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = _first_line(process, 60)             # the query page first (tests/test_serve_page.py)
        assert line.startswith("query page"), line + process.stderr.read()
        line = process.stdout.readline()            # then the endpoint
        assert "read-only" in line and "/query" in line, line
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
        assert status == 200 and n == len(fixture_graph)
        update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
        status, _ = _http(url.rsplit("/", 1)[0] + "/update", update, {"Content-Type": "application/sparql-update"})
        assert 400 <= status < 500
        status, _ = _http(url, update, {"Content-Type": "application/sparql-update"})
        assert 400 <= status < 500
        status, body = _http(url, b"ASK { <http://example.org/a> ?p ?o }",
                             {"Content-Type": "application/sparql-query", **json_results})
        assert json.loads(body)["boolean"] is False

        # the query timeout (1 s here) stops a runaway query: 503, not 200 with results cut off
        # (three copies of the graph joined: some 5e8 rows, far more than 1 s of work)
        started = time.monotonic()
        status, body = _http(url, b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                             {"Content-Type": "application/sparql-query", **json_results}, timeout=60)
        assert time.monotonic() - started < 5
        assert status == 503 and body.startswith("the query took longer than 1 s")
    finally:
        process.terminate()
        process.wait(timeout=20)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0        # the server is gone with it


def test_table_cells_are_clipped_by_display_width():
    """A cell wider than the width is cut to width - 1 columns and "…" (a CJK character takes
    two columns); _clip reads only as far as it needs, with the same result as measuring
    the whole text first."""
    import random
    import unicodedata
    from kg.query import _clip, _display_width

    def whole_text_first(text, width):
        if width <= 0 or _display_width(text) <= width:
            return text
        out, used = [], 0
        for ch in text:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        return "".join(out) + "…"

    assert _clip("兰州市城关区", 8) == "兰州市…" and _clip("兰州市", 6) == "兰州市" and _clip("abc", 0) == "abc"
    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice("ab 1兰州市，。") for _ in range(rng.randrange(0, 40)))
        width = rng.randrange(0, 30)
        assert _clip(text, width) == whole_text_first(text, width), (text, width)
        assert width <= 0 or _display_width(_clip(text, width)) <= width
