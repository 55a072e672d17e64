"""Issue 18, the first three "Why" bullets, on the hand-made fixture graph (tests/handmade_graph.py)
and both engines: queries without PREFIX lines read the project's prefixes, an engine error is one
line (and rdflib's failures point at Oxigraph), parameters take names or IRIs and an unknown name
is refused with close names. (The query page of `kg serve` is tested in test_serve_page.py.)"""
from __future__ import annotations

import pytest

from kg.cli import main
from kg.query import OxigraphEngine, QueryError, RdflibEngine, run

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
