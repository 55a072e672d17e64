"""Issue 18, the first three "Why" bullets, on the hand-made fixture graph (tests/handmade_graph.py)
and both engines: queries without PREFIX lines read the project's prefixes, an engine error is one
line (and rdflib's failures point at Oxigraph), parameters take names or IRIs and an unknown name
is refused with close names. (The query page of `kg serve` is tested in test_serve_page.py.)"""
from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from kg.cli import main
from kg.query import OxigraphEngine, QueryError, RdflibEngine, open_engine, run

ENGINES = ("rdflib", "oxigraph")
# GROUP_CONCAT(DISTINCT …) over an OPTIONAL variable: valid SPARQL; rdflib raises NotBoundError
# from deep inside its evaluator, Oxigraph answers.
GROUP_CONCAT = ("SELECT ?name (GROUP_CONCAT(DISTINCT ?alias; separator=\"|\") AS ?aliases) "
                "WHERE { ?e a dj:AdministrativeUnit ; skos:prefLabel ?name "
                "OPTIONAL { ?e skos:altLabel ?alias } } GROUP BY ?name ORDER BY ?name")


@pytest.fixture(scope="module")
def engines(fixture_outdir, fixture_graph):
    return {"rdflib": RdflibEngine(fixture_graph),
            "oxigraph": OxigraphEngine.in_memory(fixture_outdir / "graph.nq")}


def kg_query(capsys, *args) -> tuple[int, str, str]:
    status = main(["query", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


# ----------------------------------------------------------------------------- prefixes

@pytest.mark.parametrize("engine_name", ENGINES)
def test_queries_without_prefix_lines_read_the_project_prefixes(engines, engine_name):
    engine = engines[engine_name]
    text = 'SELECT ?code WHERE { ?d skos:prefLabel "兰州市"@zh ; a dj:AdministrativeUnit ; dj:divisionCode ?code }'
    assert [r["code"] for r in run(engine, text).records()] == ["620100"]
    # nif: and dcterms: too: the articles of the mentions of 兰州市
    text = ('SELECT DISTINCT ?x WHERE { ?m dj:refersTo ?d ; dj:inArticle ?a ; nif:anchorOf ?x . '
            '?a dcterms:identifier ?id . ?d skos:prefLabel "兰州市"@zh } ORDER BY ?x')
    assert run(engine, text).column("x") == ["兰州", "兰州市"]     # the fixture's two mentions


def test_add_prefixes_declares_only_what_is_used_and_not_declared():
    from kg.query import add_prefixes
    text = 'PREFIX dj: <http://example.org/other#>\nSELECT * WHERE { ?s dj:x "skos:no" ; <http://a/b:c> ?o } # rdfs:x'
    assert add_prefixes(text) == text          # dj: declared; skos: in a string, rdfs: in a comment
    out = add_prefixes("SELECT * WHERE {\n ?s skos:prefLabel ?o ; a dj:County }")
    assert out.splitlines()[0] == ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                                   "PREFIX dj: <https://w3id.org/dangjian-kg/ontology#> SELECT * WHERE {")
    assert len(out.splitlines()) == 2          # line numbers of error messages still hold


@pytest.mark.parametrize("engine_name", ENGINES)
def test_kg_query_e_without_prefixes_on_both_engines(fixture_outdir, capsys, engine_name):
    status, out, err = kg_query(capsys, fixture_outdir, "--engine", engine_name, "--format", "csv", "-e",
                                'SELECT ?code WHERE { ?d skos:prefLabel "平凉市"@zh ; dj:divisionCode ?code }')
    assert (status, out.split(), err) == (0, ["code", "620800"], "")


# ----------------------------------------------------------------------------- engine errors

@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_syntax_error_is_one_readable_line(fixture_outdir, capsys, engine_name):
    status, out, err = kg_query(capsys, fixture_outdir, "--engine", engine_name, "-e",
                                "SELECT ?s WHERE { ?s ?p ?o } GROUPY BY ?s")
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("kg query: -e: SPARQL syntax error at line 1, column ") and "GROUPY" in err
    status, _, err = kg_query(capsys, fixture_outdir, "--engine", engine_name, "-e",
                              "SELECT ?s WHERE { ?s foo:bar ?o }")
    assert status == 2 and len(err.splitlines()) == 1, err
    assert "unknown prefix foo:" in err and "dj:" in err and "\\u{" not in err


def test_rdflib_failing_on_a_valid_query_says_to_use_oxigraph(fixture_outdir, capsys):
    status, out, err = kg_query(capsys, fixture_outdir, "--engine", "rdflib", "-e", GROUP_CONCAT)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("kg query: -e: rdflib cannot run this query (NotBoundError")
    assert "--engine oxigraph" in err
    status, out, err = kg_query(capsys, fixture_outdir, "--engine", "oxigraph", "--format", "csv", "-e", GROUP_CONCAT)
    assert status == 0, err
    rows = dict(line.split(",", 1) for line in out.splitlines()[1:])
    assert rows["兰州市"] == "兰州"                       # the fixture's altLabel of 兰州市
    assert rows["甘肃省"] == ""                           # no altLabel: the OPTIONAL left it unbound


# ----------------------------------------------------------------------------- names or IRIs

PINGLIANG = "https://w3id.org/dangjian-kg/id/division/620800"
UNDER_PINGLIANG = ["崆峒区", "崇信县", "上杨乡", "锦屏镇", "小岔村"]     # divisions_under, as the fixture has them


@pytest.mark.parametrize("engine_name", ENGINES)
def test_parameters_take_a_name_or_an_iri(engines, engine_name):
    engine = engines[engine_name]
    for value in ("平凉市", "平凉", "id:division/620800", PINGLIANG, f"<{PINGLIANG}>"):   # 平凉: an altLabel
        assert run(engine, "divisions_under", {"place": value}).column("division") == UNDER_PINGLIANG, value
    # entity_facts took only an IRI: a name gives the same facts now
    by_iri = run(engine, "entity_facts", {"entity": "id:division/620800"})
    assert len(by_iri) == 12 and run(engine, "entity_facts", {"entity": "平凉市"}).rows == by_iri.rows
    # an optional one too
    assert run(engine, "people_with_posts", {"person": "id:person/文诚勇"}).column("post_in") == \
        run(engine, "people_with_posts", {"person": "文诚勇"}).column("post_in") == ["崇信县委“两新”工委", "崇信县委社会工作部"]


def test_every_named_query_takes_names_for_its_entities():
    from kg.query import named_queries
    entities = {(name, p.name) for name, q in named_queries().items() for p in q.params if p.type == "entity"}
    assert entities == {("divisions_under", "place"), ("entity_facts", "entity"), ("mentions_of", "entity"),
                        ("organization_tree", "organization"), ("people_with_posts", "person"),
                        ("people_with_posts", "organization"), ("programs_for_target_group", "group"),
                        ("programs_in_place", "place"), ("programs_run_by", "organization"),
                        ("statistic_series", "place"), ("statistics_about", "entity")}
    others = {(name, p.name, p.type) for name, q in named_queries().items() for p in q.params if p.type != "entity"}
    assert others == {("find_entities", "text", "string"), ("statistic_series", "measure", "string")}


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_name_of_nothing_is_refused_with_close_names(engines, engine_name):
    engine = engines[engine_name]
    with pytest.raises(QueryError) as err:
        run(engine, "divisions_under", {"place": "兰州府"})
    assert str(err.value) == "no entity named 兰州府; did you mean 兰州, 兰州市?"     # altLabel and prefLabel
    with pytest.raises(QueryError, match="^no entity id:division/999999 in the graph"):
        run(engine, "statistics_about", {"entity": "id:division/999999"})


@pytest.mark.parametrize("engine_name", ENGINES)
def test_kg_query_with_an_unknown_name_exits_2(fixture_outdir, capsys, engine_name):
    status, out, err = kg_query(capsys, fixture_outdir, "programs_in_place", "-p", "place=兰州府", "--engine", engine_name)
    assert (status, out, err) == (2, "", "kg query: no entity named 兰州府; did you mean 兰州, 兰州市?\n")
    status, out, err = kg_query(capsys, fixture_outdir, "divisions_under", "-p", "place=id:division/620800",
                                "--engine", engine_name, "--format", "csv")
    assert status == 0 and [line.split(",")[1] for line in out.splitlines()[1:]] == UNDER_PINGLIANG


@pytest.fixture(scope="module")
def shared_name(fixture_outdir, tmp_path_factory):
    """The fixture graph with one more altLabel: 平凉 (an altLabel of 平凉市) for the organization
    平凉市委组织部 too, so that the name 平凉 names two entities. {engine name: engine}, and the two."""
    from rdflib import Dataset
    ds = Dataset(default_union=True)
    ds.parse(fixture_outdir / "graph.nq", format="nquads")
    (org,) = {s for s, o in ds.subject_objects(SKOS.prefLabel) if str(o) == "平凉市委组织部"}
    out = tmp_path_factory.mktemp("shared") / "out"
    out.mkdir()
    extra = f'<{org}> <{SKOS.altLabel}> "平凉"@zh <https://w3id.org/dangjian-kg/id/graph/test> .\n'
    (out / "graph.nq").write_text((fixture_outdir / "graph.nq").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return {name: open_engine(out, name) for name in ENGINES}, (URIRef(PINGLIANG), org)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_name_of_several_entities_reads_them_all_and_says_so(shared_name, engine_name):
    engines, (pingliang, org) = shared_name
    engine = engines[engine_name]
    both = run(engine, "mentions_of", {"entity": "平凉"})
    one, other = (run(engine, "mentions_of", {"entity": str(iri)}) for iri in (pingliang, org))
    assert one.rows and other.rows
    assert set(both.rows) == set(one.rows) | set(other.rows)
    assert both.notes == ["平凉 names 2 entities (id:division/620800, id:organization/平凉市委组织部); the rows "
                          "are for all of them. For one, give its IRI: -p entity=id:division/620800"]
    assert one.notes == other.notes == []
