"""Evidence for every edge (docs/graph-model.md, "Evidence for edges").

Every relation triple of the seeds graph has one rdf:Statement node in its named graph: read
from an article, its offsets point into the file's text, inside its sentence, at both names
(dj:BothNamed: a mention of the subject and one of the object, the span from the first to the
end of the last) or at the subject's name (dj:SubjectNamed, dj:ArticleFocus, dj:DivisionChain); or taken from the
gazetteer (prov:wasDerivedFrom id:gazetteer). The shapes reject statement nodes that break
those rules, and both query engines read the reification.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from conftest import SEEDS
from kg.model import RELATIONS
from kg.rdf import nt_term
from kg.read import read_pages
from kg.write import statement_iri
from test_ontology import check, messages, sample_graph

DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
ID = Namespace("https://w3id.org/dangjian-kg/id/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAZETTEER_GRAPH = ID["graph/gazetteer"]
PREDICATES = {DJ[r] for r in RELATIONS}
KINDS = {DJ.BothNamed, DJ.SubjectNamed, DJ.ArticleFocus, DJ.DivisionChain}


@pytest.fixture(scope="module")
def evidence(seeds_graph):
    """What the tests read off the seeds graph: the relation quads, the statement nodes by
    (s, p, o, graph), each node's properties, the mentions by (article, entity) and the
    files' texts by article."""
    edges = [(s, p, o, g) for s, p, o, g in seeds_graph.quads((None, None, None, None))
             if p in PREDICATES]
    props: dict[URIRef, dict] = defaultdict(lambda: defaultdict(list))
    where: dict[URIRef, set] = defaultdict(set)          # statement node -> the graphs it is in
    for st, _, _, g in seeds_graph.quads((None, RDF.type, RDF.Statement, None)):
        where[st].add(g)
    for st in where:
        for _, p, o, _g in seeds_graph.quads((st, None, None, None)):
            props[st][p].append(o)
    statements = defaultdict(list)
    for st, graphs in where.items():
        one = lambda p: props[st][p][0]
        for g in graphs:
            statements[(one(RDF.subject), one(RDF.predicate), one(RDF.object), g)].append(st)
    mentions = defaultdict(list)                         # (article, entity) -> [(begin, end)]
    for m in seeds_graph.subjects(RDF.type, DJ.Mention):
        mentions[(seeds_graph.value(m, DJ.inArticle), seeds_graph.value(m, DJ.refersTo))].append(
            (seeds_graph.value(m, NIF.beginIndex).toPython(), seeds_graph.value(m, NIF.endIndex).toPython()))
    pages, problems = read_pages([str(SEEDS)])
    assert not problems
    by_doc = {page.doc_id: page.original for page in pages}
    text_of = {}
    for article in seeds_graph.subjects(RDF.type, DJ.Article):
        doc = str(seeds_graph.value(seeds_graph.value(article, DCTERMS.isPartOf), DCTERMS.identifier))
        text_of[article] = by_doc[doc]
    return edges, statements, props, mentions, text_of


def test_every_edge_has_its_evidence(seeds_build, seeds_graph, evidence):
    report, _ = seeds_build
    edges, statements, props, mentions, text_of = evidence
    # every relation the build asserted (the report counts each edge once; an edge two articles
    # state is in both their graphs)
    assert len({(s, p, o) for s, p, o, _ in edges}) == sum(report.relations.values())
    assert {p for _, p, _, _ in edges} == {DJ[r] for r in report.relations}
    counts: Counter = Counter()
    by_predicate: Counter = Counter()
    labels_too = 0                       # SubjectNamed edges whose sentence holds the object's label anyway
    for s, p, o, g in edges:
        (st,) = statements[(s, p, o, g)]                          # exactly one, in the edge's graph
        values = props[st]
        assert all(len(v) == 1 for v in values.values()), (st, values)
        one = {k: v[0] for k, v in values.items()}
        if g == GAZETTEER_GRAPH:
            assert p == DJ.within and one[PROV.wasDerivedFrom] == ID["gazetteer"]
            assert not {DJ.inArticle, NIF.sentence, NIF.beginIndex, NIF.endIndex} & one.keys()
            counts["gazetteer"] += 1
            by_predicate[(p, "gazetteer")] += 1
            continue
        assert PROV.wasDerivedFrom not in one
        article = one[DJ.inArticle]
        assert article == g                                        # the article's own graph
        sentence = one[NIF.sentence]
        sb, se = (seeds_graph.value(sentence, NIF.beginIndex).toPython(),
                  seeds_graph.value(sentence, NIF.endIndex).toPython())
        sentence_text = str(seeds_graph.value(sentence, NIF.anchorOf))
        text = text_of[article]
        assert text[sb:se] == sentence_text                        # the sentence's offsets are the file's
        b, e = one[NIF.beginIndex].toPython(), one[NIF.endIndex].toPython()
        assert one[NIF.beginIndex].datatype == one[NIF.endIndex].datatype == URIRef(
            "http://www.w3.org/2001/XMLSchema#integer")
        assert sb <= b < e <= se, (st, b, e, sb, se)               # the span is inside its sentence
        assert str(one[NIF.anchorOf]) == text[b:e]                 # and quoted as written
        kind = one[DJ.evidenceKind]
        assert kind in KINDS
        subject_spans = mentions[(article, s)]
        object_spans = mentions[(article, o)]
        if kind == DJ.BothNamed:
            # a mention of each end inside the span, which runs from the first to the end of the last
            assert any(min(x[0], y[0]) == b and max(x[1], y[1]) == e
                       for x in subject_spans for y in object_spans), (st, text[b:e])
            names = [text[x[0]:x[1]] for x in subject_spans + object_spans if b <= x[0] and x[1] <= e]
            assert all(name in sentence_text for name in names)
        else:
            assert (b, e) in subject_spans, (st, text[b:e])        # the subject's own mention
            if kind == DJ.DivisionChain:
                assert p == DJ.within
            if kind == DJ.ArticleFocus:                            # the division the article is about
                assert (o, RDF.type, DJ.AdministrativeUnit) in seeds_graph
            if any(text[x[0]:x[1]] in sentence_text for x in object_spans) or any(
                    str(label) in sentence_text for label in seeds_graph.objects(o, SKOS.prefLabel)):
                labels_too += 1
        counts[kind.split("#")[1]] += 1
        by_predicate[(p, kind.split("#")[1])] += 1
    assert sum(counts.values()) == len(edges)
    # no statement node without its edge
    assert sum(len(v) for v in statements.values()) == len(edges)
    assert counts["BothNamed"] > counts["ArticleFocus"] > counts["SubjectNamed"] > 0 and counts["gazetteer"] > 0
    print("\nedges with evidence (seeds):", len(edges), dict(counts),
          f"sentence naming both: {counts['BothNamed'] / len(edges):.1%};",
          f"SubjectNamed/DivisionChain whose sentence holds the object's name or label anyway: {labels_too}")
    for (p, kind), n in sorted(by_predicate.items()):
        print(f"  {p.split('#')[1]:18} {kind:14} {n}")


def test_statement_iris_are_the_documented_hash(evidence):
    """id:evidence/ + the first 20 hex digits of SHA-256 of "{article} {S} {P} {O}" in N-Triples
    form (the gazetteer's IRI for its edges): the same across processes and hash seeds."""
    _, statements, props, _, _ = evidence
    for (s, p, o, g), (st,) in statements.items():
        context = props[st][DJ.inArticle][0] if g != GAZETTEER_GRAPH else ID["gazetteer"]
        terms = " ".join(nt_term(t) for t in (context, s, p, o))
        assert st == ID["evidence/" + hashlib.sha256(terms.encode("utf-8")).hexdigest()[:20]]
        assert nt_term(st) == statement_iri(*(nt_term(t) for t in (context, s, p, o)))


# ------------------------------------------------------------------ the shapes

def _with_statements():
    """The shapes' sample graph with the evidence of two of its edges: one read from the
    article's sentence, one taken from the gazetteer."""
    g = sample_graph()
    a, sentence = ID["article/000_test/1"], ID["sentence/000_test/1/0-13"]
    lanzhou, gansu, program = ID["division/620100"], ID["division/620000"], ID["program/有事找书记"]
    read = ID["evidence/00000000000000000001"]
    for p, o in [(RDF.type, RDF.Statement), (RDF.subject, program), (RDF.predicate, DJ.implementedIn),
                 (RDF.object, lanzhou), (DJ.inArticle, a), (NIF.sentence, sentence),
                 (NIF.beginIndex, Literal(0)), (NIF.endIndex, Literal(3)), (NIF.anchorOf, Literal("兰州市", lang="zh")),
                 (DJ.evidenceKind, DJ.SubjectNamed)]:
        g.add((read, p, o))
    taken = ID["evidence/00000000000000000002"]
    for p, o in [(RDF.type, RDF.Statement), (RDF.subject, lanzhou), (RDF.predicate, DJ.within),
                 (RDF.object, gansu), (PROV.wasDerivedFrom, ID["gazetteer"])]:
        g.add((taken, p, o))
    return g, read, taken


def test_statements_written_as_documented_conform():
    g, _, _ = _with_statements()
    result = check(g)
    assert result.conforms, messages(result)


def test_statement_shape_rejects_what_breaks_the_rules():
    g, read, taken = _with_statements()
    g.add((read, RDF.subject, ID["program/另一个"]))                 # two subjects
    g.set((read, RDF.predicate, DJ.mentionedIn))                   # no relation
    g.set((read, NIF.beginIndex, Literal("0")))                    # a string, not an integer
    g.add((taken, DJ.inArticle, ID["article/000_test/1"]))         # both sources
    text = messages(check(g))
    assert "Statement must have exactly one rdf:subject, an entity." in text
    assert "Statement must have exactly one rdf:predicate, one of the eight relations." in text
    assert "Statement must have at most one nif:beginIndex, a non-negative xsd:integer" in text
    assert "a dj:inArticle or a prov:wasDerivedFrom, not both" in text
    assert "must have its nif:sentence, nif:beginIndex, nif:endIndex, nif:anchorOf and dj:evidenceKind" in text


def test_statement_without_a_source_fails():
    g, read, _ = _with_statements()
    for p in (DJ.inArticle, NIF.sentence, NIF.beginIndex, NIF.endIndex, NIF.anchorOf, DJ.evidenceKind):
        g.remove((read, p, None))
    assert "a dj:inArticle or a prov:wasDerivedFrom, not both" in messages(check(g))


def test_evidence_terms_are_in_the_ontology():
    from kg.validate import default_ontology_dir, load_ontology
    ontology, _ = load_ontology(default_ontology_dir())
    for term in (DJ.evidenceKind, DJ.EvidenceKind, *KINDS):
        assert {o.language for o in ontology.objects(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} \
            >= {"zh", "en"}, term
    assert (DJ.evidenceKind, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), DJ.EvidenceKind) in ontology


# ------------------------------------------------------------------ both engines read it

def _doc_query() -> str:
    """The SPARQL example of docs/graph-model.md's "Evidence for edges"."""
    from conftest import ROOT
    doc = (ROOT / "docs" / "graph-model.md").read_text(encoding="utf-8")
    section = doc.split("## Evidence for edges", 1)[1]
    return section.split("```sparql\n", 1)[1].split("```", 1)[0]


def test_the_documented_query_finds_the_sentence_in_both_engines(seeds_build):
    """rdflib and Oxigraph run the documented query as written and give the same rows:
    standard reification is plain triples."""
    from kg.query import open_engine, run
    answers = {}
    for name in ("rdflib", "oxigraph"):
        engine = open_engine(seeds_build[1], name)
        try:
            answers[name] = run(engine, _doc_query()).records()
        finally:
            engine.close()
    rows = answers["rdflib"]
    assert rows, "有事找书记 implementedIn: no evidence found"
    for row in rows:
        assert str(row["article"]).startswith(str(ID["article/"]))
        assert "有事找书记" in row["text"] and row["span"] in row["text"]
        assert row["kind"] in {str(k) for k in KINDS}
    as_text = lambda records: sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in records)
    assert as_text(answers["rdflib"]) == as_text(answers["oxigraph"])
