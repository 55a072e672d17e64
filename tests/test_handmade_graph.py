"""The hand-made fixture graph (tests/handmade_graph.py) is what the query, explorer, export
and notebook tests read instead of the seeds' build. These tests check that it is shaped like
the OUTDIR of `kg build` (the same files, the marker kg build recognises, the SHACL shapes, a
summary.json that agrees with the graph, offsets that slice the anchors out of the source
texts) and that it holds every kind of statement docs/graph-model.md describes, so that the
tests on it exercise all of them."""
from __future__ import annotations

import json
from collections import Counter

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from handmade_graph import ARTICLES, ENTITIES, fixture_files, fixture_texts
from kg.model import ENTITY_TYPES, RELATIONS
from kg.outdir import MARKER, check_outdir
from kg.rdf import BUILD_GRAPH, DJ, GAZETTEER_GRAPH, ID, LEXICON_GRAPH, NIF


def test_outdir_has_the_files_of_a_build_and_kg_build_would_accept_it(fixture_outdir):
    assert sorted(p.name for p in fixture_outdir.iterdir()) == [MARKER, "graph.nq", "graph.trig", "graph.ttl",
                                                               "summary.json"]
    marker = json.loads((fixture_outdir / MARKER).read_text(encoding="utf-8"))
    assert marker == {"written_by": "dangjian-kg (kg build)",
                      "files": [MARKER, "graph.nq", "graph.trig", "graph.ttl", "summary.json"]}
    check_outdir(fixture_outdir, [])              # raises unless it looks like an earlier build's folder
    assert fixture_files() == {p.name: p.read_bytes() for p in fixture_outdir.iterdir()}   # stable bytes


def test_the_three_graph_files_hold_the_same_statements(fixture_outdir, fixture_graph):
    quads = {}
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads")):
        ds = Dataset()
        ds.parse(fixture_outdir / name, format=fmt)
        quads[name] = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in ds.quads()}
    assert quads["graph.trig"] == quads["graph.nq"]
    ttl = Dataset(default_union=True)
    ttl.parse(fixture_outdir / "graph.ttl", format="turtle")
    assert set(ttl.triples((None, None, None))) == set(fixture_graph.triples((None, None, None)))
    lines = (fixture_outdir / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(quads["graph.nq"])
    graphs = {str(g) for *_, g in quads["graph.nq"]}
    assert graphs == {str(GAZETTEER_GRAPH), str(LEXICON_GRAPH), str(BUILD_GRAPH),
                      str(ID["article/fx01_lanzhou/1"]), str(ID["article/fx02_pingliang/1"]),
                      str(ID["article/fx02_pingliang/2"])}


def test_it_conforms_to_the_shapes(fixture_graph):
    from kg.validate import default_ontology_dir, validate_graph
    result = validate_graph(fixture_graph, default_ontology_dir())
    assert result.conforms and result.violations == []


def test_summary_agrees_with_the_graph(fixture_outdir, fixture_graph):
    summary = json.loads((fixture_outdir / "summary.json").read_text(encoding="utf-8"))
    assert list(summary) == ["articles", "entities", "files", "problems", "relations", "statistics"]
    assert (summary["files"], summary["articles"], summary["problems"]) == (2, 3, [])
    mentioned = {e for e in fixture_graph.objects(None, DJ.refersTo)}
    types = Counter(t for t in ENTITY_TYPES for e in mentioned if (e, RDF.type, DJ[t]) in fixture_graph)
    assert summary["entities"] == dict(sorted(types.items())) == {
        "AdministrativeUnit": 9, "Document": 1, "Facility": 2, "Organization": 12, "Person": 6, "Place": 2,
        "Platform": 1, "Program": 6, "TargetGroup": 4}       # 上杨乡 only the gazetteer names
    assert summary["relations"] == {r: len(set(fixture_graph.subject_objects(DJ[r]))) for r in sorted(RELATIONS)}
    assert summary["statistics"] == len(set(fixture_graph.subjects(RDF.type, DJ.Statistic))) == 7
    assert len(ENTITIES) == 44


def test_offsets_slice_the_anchors_out_of_the_source_texts(fixture_outdir, fixture_graph):
    texts = fixture_texts()
    assert {p.stem: p.read_text(encoding="utf-8") for p in (fixture_outdir.parent / "sources").iterdir()} == texts
    nodes = set(fixture_graph.subjects(RDF.type, DJ.Mention)) | set(fixture_graph.subjects(RDF.type, DJ.Statistic))
    written = sum(len(line.mentions) + len(line.statistics) for art in ARTICLES for line in art.lines)
    assert len(nodes) == written == 67 + 7                          # every one is a node of its own
    for node in nodes:
        article = fixture_graph.value(node, DJ.inArticle) or fixture_graph.value(node, DJ.mentionedIn)
        doc = str(fixture_graph.value(fixture_graph.value(article, DCTERMS.isPartOf), DCTERMS.identifier))
        begin, end = int(fixture_graph.value(node, NIF.beginIndex)), int(fixture_graph.value(node, NIF.endIndex))
        assert texts[doc][begin:end] == str(fixture_graph.value(node, NIF.anchorOf)), node
        sentence = fixture_graph.value(node, NIF.sentence)
        first = int(fixture_graph.value(sentence, NIF.beginIndex))
        last = int(fixture_graph.value(sentence, NIF.endIndex))
        assert texts[doc][first:last] == str(fixture_graph.value(sentence, NIF.anchorOf)), sentence
        assert first <= begin < end <= last, node
        assert fixture_graph.value(sentence, DJ.inArticle) == article
        assert str(node).endswith(f"/{begin}-{end}") and str(sentence).endswith(f"/{first}-{last}")


def test_it_holds_every_kind_of_statement_of_the_graph_model(fixture_graph):
    g = fixture_graph
    for t in ENTITY_TYPES:
        assert set(g.subjects(RDF.type, DJ[t])), t
    for r in RELATIONS:
        assert set(g.subject_objects(DJ[r])), r
    for cls in ("Province", "Prefecture", "County", "Township", "Village", "PartyOrganization", "PartyCommittee",
                "PartyWorkingDepartment", "PartyWorkingCommittee", "PartyBranch", "GovernmentBody",
                "Campaign", "Activity", "Model", "System", "Brand", "Article", "Mention", "Statistic"):
        assert set(g.subjects(RDF.type, DJ[cls])), cls
    assert set(g.subjects(RDF.type, NIF.Sentence))
    for p in (DJ.divisionCode, DJ.mentionedIn, DJ.pseudonym, DJ.startDate, DJ.value, DJ.unit, DJ.measure,
              DJ.about, DJ.period, DJ.qualifier, DJ.refersTo, DJ.inArticle, NIF.sentence, SKOS.altLabel,
              ORG.holds, ORG.heldBy, ORG.postIn, DCTERMS.creator, DCTERMS.title):
        assert set(g.subject_objects(p)), p
    lexicon = g.graph(LEXICON_GRAPH)
    assert set(lexicon) == {(ID[f"targetGroup/{n}"], SKOS.broader, ID["targetGroup/新就业群体"])
                            for n in ("外卖骑手", "新就业群体党员", "货车司机")}
    gazetteer = g.graph(GAZETTEER_GRAPH)
    shangyang = URIRef(ID["division/620802/上杨乡"])
    assert (shangyang, DJ.within, URIRef(ID["division/620802"])) in gazetteer
    assert not set(g.objects(shangyang, DJ.mentionedIn))           # a parent that no article names
    assert (URIRef(ID["division/620800"]), DJ.divisionCode, Literal("620800")) in gazetteer
    assert len(set(g.graph(BUILD_GRAPH).subjects(None, None))) == len(ARTICLES) + 1     # the articles and id:build
