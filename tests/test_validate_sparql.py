"""`kg validate` on the Oxigraph store by SPARQL (kg/shacl_sparql.py, issue 17).

The sample graph of tests/test_ontology.py, broken in one way per constraint kind the
shapes use (and in all of them at once), is written as graph.nq, loaded into a store and
validated there: the report is the one pyshacl gives on the parsed graph (validate_graph),
result for result, with the exit status. Every project shape is translated; a shape that is
not is handed to pyshacl alone, with a note, and still gives pyshacl's results.
"""
from __future__ import annotations

import shutil

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

import kg.query
from kg.cli import main
from kg.query import ensure_store
from kg.store import open_graph as parse
from kg.shacl_sparql import plan_checks
from kg.validate import default_ontology_dir, load_ontology, validate_graph, validate_store
from test_ontology import DJ, ID, NIF, sample_graph, zh

LANZHOU, GANSU = ID["division/620100"], ID["division/620000"]
PROGRAM, PERSON, DEPT = ID["program/有事找书记"], ID["person/王建国"], ID["organization/兰州市委组织部"]
STAT, MENTION, SENTENCE = ID["statistic/000_test/1/10-15"], ID["mention/000_test/1/0-3"], ID["sentence/000_test/1/0-13"]
ARTICLE, FILE = ID["article/000_test/1"], ID["file/000_test"]


def _statement(g: Graph, iri, predicate=DJ.within, **extra):
    g.add((iri, RDF.type, RDF.Statement))
    g.add((iri, RDF.subject, LANZHOU))
    g.add((iri, RDF.predicate, predicate))
    g.add((iri, RDF.object, GANSU))
    for p, o in extra.items():
        g.add((iri, {"inArticle": DJ.inArticle, "derived": PROV.wasDerivedFrom, "kind": DJ.evidenceKind}[p], o))


BREAKS = {
    "counts": lambda g: (g.add((LANZHOU, SKOS.prefLabel, zh("兰州"))), g.remove((PROGRAM, SKOS.prefLabel, None)),
                         g.remove((STAT, DJ.unit, None)), g.add((STAT, DJ.value, Literal(7)))),
    "labels": lambda g: (g.set((PERSON, SKOS.prefLabel, Literal("王建国"))),
                         g.set((DEPT, SKOS.prefLabel, zh("  "))), g.add((LANZHOU, SKOS.altLabel, GANSU))),
    "classes": lambda g: (g.set((LANZHOU, DJ.within, ID["organization/兰州市委"])),
                          g.add((PERSON, DJ.mentionedIn, LANZHOU)), g.add((ARTICLE, DCTERMS.creator, DEPT)),
                          g.add((STAT, DJ.about, Literal("兰州")))),
    "node_class": lambda g: (g.add((PERSON, DJ.within, GANSU)), g.add((PERSON, DJ.locatedIn, LANZHOU)),
                             g.add((DEPT, DJ.runBy, DEPT))),
    "two_classes": lambda g: (g.add((ID["organization/兰州市委"], RDF.type, DJ.Place)),
                              g.add((PROGRAM, RDF.type, DJ.Campaign)), g.add((LANZHOU, RDF.type, DJ.County))),
    "or_warning": lambda g: (g.remove((LANZHOU, DJ.within, None)), g.remove((GANSU, DJ.divisionCode, None))),
    "datatypes": lambda g: (g.set((STAT, DJ.value, Literal("3039名"))), g.set((LANZHOU, DJ.divisionCode, Literal("6201"))),
                            g.add((PROGRAM, DJ.startDate, Literal("2023年"))),
                            g.add((STAT, DJ.year, Literal("abc", datatype=XSD.gYear))),
                            g.add((ID["program/x"], DJ.startDate, Literal("2023-02-30", datatype=XSD.date))),
                            g.add((ID["program/x"], RDF.type, DJ.Program)),
                            g.add((ID["program/x"], SKOS.prefLabel, zh("x"))),
                            g.add((ID["program/x"], DJ.mentionedIn, ARTICLE)),
                            g.set((GANSU, DJ.divisionCode, Literal(620000))),
                            g.set((PERSON, DJ.pseudonym, Literal("yes", datatype=XSD.boolean))),
                            g.set((ID["build"], DJ.softwareVersion, Literal(7)))),
    "ranges": lambda g: (g.set((MENTION, NIF.beginIndex, Literal(-1))), g.set((SENTENCE, NIF.beginIndex, Literal(20))),
                         g.set((STAT, NIF.endIndex, Literal("15"))), g.set((STAT, DJ.unit, Literal(""))),
                         g.add((STAT, DJ.periodStart, Literal("2024-05-01", datatype=XSD.date))),
                         g.add((STAT, DJ.periodEnd, Literal("2023-01-01", datatype=XSD.date)))),
    "nested_node": lambda g: (g.remove((FILE, DCTERMS.identifier, None)),
                              g.add((ARTICLE, DCTERMS.source, Literal("http://example.org/a")))),
    "statements": lambda g: (_statement(g, ID["evidence/1"], DJ.about, inArticle=ARTICLE, derived=URIRef("urn:x"),
                                        kind=DJ.Guess),
                             _statement(g, ID["evidence/2"]),
                             _statement(g, ID["evidence/3"], derived=URIRef("urn:gazetteer"))),
}


def write_outdir(g: Graph, folder) -> None:
    """G as OUTDIR/graph.nq: its triples in one article graph, the build triples in another."""
    ds = Dataset()
    article, build = ds.graph(ID["graph/000_test/1"]), ds.graph(ID["graph/build"])
    for s, p, o in g:
        (build if s == ID["build"] else article).add((s, p, o))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.nq").write_text(ds.serialize(format="nquads"), encoding="utf-8")


def both(g: Graph, tmp_path, ontology=None):
    ontology = ontology or default_ontology_dir()
    out = tmp_path / "out"
    write_outdir(g, out)
    return validate_graph(parse(out), ontology), validate_store(ensure_store(out), ontology, jobs=1)


def test_every_project_shape_is_translated_to_sparql():
    ont, shapes = load_ontology(default_ontology_dir())
    plan = plan_checks(shapes, set(ont.subject_objects(RDFS.subClassOf)))
    assert plan.untranslated == []
    assert {c.shape for c in plan.checks} >= {"https://w3id.org/dangjian-kg/shapes#StatementShape",
                                             "https://w3id.org/dangjian-kg/shapes#ArticleStatementShape"}


def test_the_sample_graph_conforms_on_the_store(tmp_path):
    whole, store = both(sample_graph(), tmp_path)
    assert whole.conforms and store == whole and store.notes == []


@pytest.mark.parametrize("name", [*BREAKS, "all"])
def test_each_kind_of_violation_is_reported_as_pyshacl_does(name, tmp_path):
    g = sample_graph()
    for key, breaks in BREAKS.items():
        if name in (key, "all"):
            breaks(g)
    whole, store = both(g, tmp_path)
    assert whole.violations                      # the break is seen at all
    assert store.violations == whole.violations
    assert store.conforms == whole.conforms


def test_a_shape_not_translated_goes_to_pyshacl_with_a_note(tmp_path, monkeypatch, capsys):
    ontology = tmp_path / "ontology"
    shutil.copytree(default_ontology_dir(), ontology)
    djs = "https://w3id.org/dangjian-kg/shapes#"
    extra = (f"\n<{djs}SameNameShape> a <http://www.w3.org/ns/shacl#NodeShape> ;\n"
             f"  <http://www.w3.org/ns/shacl#targetClass> <{DJ.Person}> ;\n"
             f"  <http://www.w3.org/ns/shacl#property> [ <http://www.w3.org/ns/shacl#path> <{SKOS.prefLabel}> ;\n"
             f"    <http://www.w3.org/ns/shacl#equals> <{SKOS.altLabel}> ;\n"
             f"    <http://www.w3.org/ns/shacl#message> \"A person's names must all be the same.\"@en ] .\n")
    with open(ontology / "shapes.ttl", "a", encoding="utf-8") as f:
        f.write(extra)
    g = sample_graph()
    g.add((PERSON, SKOS.altLabel, zh("老王")))
    whole, store = both(g, tmp_path, ontology)
    assert store.notes == ["shape djs:SameNameShape checked by pyshacl "
                           "(http://www.w3.org/ns/shacl#equals is not translated)"]
    assert store.violations == whole.violations
    assert any(v.message == "A person's names must all be the same." for v in store.violations)
    monkeypatch.setattr(kg.query, "STORE_THRESHOLD", 0)
    assert main(["validate", str(tmp_path / "out"), "--ontology", str(ontology), "-j", "1"]) == 1
    assert "note: shape djs:SameNameShape checked by pyshacl" in capsys.readouterr().err


def test_kg_validate_on_the_store_exits_as_on_rdflib(tmp_path, monkeypatch, capsys):
    g = sample_graph()
    BREAKS["classes"](g)
    out = tmp_path / "out"
    write_outdir(g, out)
    small = main(["validate", str(out)])
    text = capsys.readouterr().out
    monkeypatch.setattr(kg.query, "STORE_THRESHOLD", 0)
    assert main(["validate", str(out)]) == small == 1
    assert capsys.readouterr().out == text and (out / "oxigraph").is_dir()


def test_a_node_shape_is_screened_once_without_look_ups(tmp_path):
    """The checks of one node shape share one screen, which reads each path by a scan:
    no EXISTS (a look-up per node) for the mentions' classes, given the store."""
    import pyoxigraph as ox

    out = tmp_path / "out"
    write_outdir(sample_graph(), out)
    ont, shapes = load_ontology(default_ontology_dir())
    store = ox.Store.read_only(str(ensure_store(out)))
    plan = plan_checks(shapes, set(ont.subject_objects(RDFS.subClassOf)), (), store)
    mention = [c for c in plan.checks if c.shape.endswith("#MentionShape")]
    screens = {c.screen for c in mention}
    assert len(mention) > 6 and len(screens) == 1 and None not in screens
    screen = screens.pop()
    assert "EXISTS" not in screen and str(DJ.refersTo) in screen and str(DJ.inArticle) in screen
    without_store = plan_checks(shapes, set(ont.subject_objects(RDFS.subClassOf)))
    assert any("EXISTS" in (c.screen or "") for c in without_store.checks if c.shape.endswith("#MentionShape"))


def test_many_values_without_their_class_are_looked_up_one_by_one(tmp_path, monkeypatch):
    """Above _MOST_CLASSLESS values of a path lacking a class, the screens test each
    value's class by EXISTS: the same report."""
    import kg.shacl_sparql

    monkeypatch.setattr(kg.shacl_sparql, "_MOST_CLASSLESS", 0)
    g = sample_graph()
    for breaks in BREAKS.values():
        breaks(g)
    whole, store = both(g, tmp_path)
    assert store.violations == whole.violations and not store.conforms
