"""The hand-made fixture graph (tests/handmade_graph.py) is what the query, explorer, export
and notebook tests read instead of the seeds' build. These tests check that it is shaped like
the OUTDIR of `kg build` (the same files, the marker kg build recognises, the SHACL shapes, a
summary.json that agrees with the graph, offsets that slice the anchors out of the source
texts) and that it holds every kind of statement docs/graph-model.md describes, so that the
tests on it exercise all of them."""
from __future__ import annotations

import hashlib
import json
from collections import Counter

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from handmade_graph import ARTICLES, ENTITIES, WITHIN, fixture_files, fixture_texts
from kg.model import ENTITY_TYPES, RELATIONS
from kg.outdir import MARKER, check_outdir
from kg.namespaces import PREFIXES
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
    assert list(summary) == ["articles", "counted", "entities", "files", "problems", "relations", "statistics"]
    assert (summary["files"], summary["articles"], summary["problems"]) == (2, 3, [])
    # as kg build and kg stats count them: each entity node once, each edge once
    types = Counter(t for t in ENTITY_TYPES for _ in fixture_graph.subjects(RDF.type, DJ[t], unique=True))
    assert summary["entities"] == dict(sorted(types.items())) == {
        "AdministrativeUnit": 10, "Document": 1, "Facility": 2, "Organization": 12, "Person": 6, "Place": 2,
        "Platform": 1, "Program": 6, "TargetGroup": 4}       # 上杨乡 too, which only the gazetteer names
    # 崇信县 within 平凉市 once, though two articles state it and the gazetteer gives it
    edges = Counter(str(p)[len(str(DJ)):] for _, p, _ in set(fixture_graph.triples((None, None, None)))
                    if str(p).startswith(str(DJ)) and str(p)[len(str(DJ)):] in RELATIONS)
    assert summary["relations"] == dict(sorted(edges.items()))
    assert summary["relations"]["within"] == len(set(fixture_graph.subject_objects(DJ.within))) == 9
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
    for p in (DJ.divisionCode, DJ.mentionedIn, DJ.pseudonym, DJ.startDate, DJ.startText, DJ.periodStart,
              DJ.periodEnd, DJ.year, DCTERMS.issued, DCTERMS.source, DCTERMS.publisher, DJ.value, DJ.unit, DJ.measure,
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


# -- issue 16: time and evidence -------------------------------------------------------------

def xsd(name: str) -> URIRef:
    return URIRef(PREFIXES["xsd"] + name)


def article(doc_id: str, n: int) -> URIRef:
    return URIRef(ID[f"article/{doc_id}/{n}"])


def test_articles_carry_date_source_and_publisher_in_their_own_graph(fixture_graph):
    g = fixture_graph
    lanzhou, pingliang1, pingliang2 = article("fx01_lanzhou", 1), article("fx02_pingliang", 1), article("fx02_pingliang", 2)
    assert list(g.graph(lanzhou).objects(lanzhou, DCTERMS.issued)) == [Literal("2024-05-20", datatype=xsd("date"))]
    assert list(g.graph(pingliang2).objects(pingliang2, DCTERMS.issued)) == [
        Literal("2025-03-15T09:30:00", datatype=xsd("dateTime"))]                   # a time given: no zone
    assert list(g.objects(pingliang1, DCTERMS.issued)) == []                     # the text gives no date
    assert g.value(lanzhou, DCTERMS.source) == URIRef("https://gansu.example.org/2024/05/20/fx01.html")
    assert g.value(lanzhou, DCTERMS.publisher) == Literal("甘肃日报", lang="zh")
    assert {str(g.value(a, DCTERMS.publisher)) for a in (pingliang1, pingliang2)} == {"平凉日报"}


def test_periods_and_program_starts_are_typed(fixture_graph):
    g = fixture_graph
    periods = {str(g.value(s, NIF.anchorOf)): (g.value(s, DJ.period), g.value(s, DJ.periodStart),
                                               g.value(s, DJ.periodEnd), g.value(s, DJ.year))
               for s in g.subjects(DJ.periodStart, None)}
    date = lambda text: Literal(text, datatype=xsd("date"))          # noqa: E731
    assert periods == {
        "3039人": (Literal("2023年以来"), date("2023-01-01"), date("2024-05-20"), None),     # two years: no dj:year
        "86件": (Literal("今年以来"), date("2025-01-01"), date("2025-03-15"), Literal("2025", datatype=xsd("gYear")))}
    program = URIRef(ID["program/十个一"])
    assert list(g.objects(program, DJ.startDate)) == [Literal("2023-03", datatype=xsd("gYearMonth"))]
    assert list(g.objects(program, DJ.startText)) == [Literal("2023年3月起", lang="zh")]


def evidence_iri(context: str, s: str, p: str, o: str) -> URIRef:
    """The statement node's IRI as docs/graph-model.md defines it: the first 20 hex digits of
    the SHA-256 of the four N-Triples terms joined by spaces."""
    terms = " ".join(f"<{x}>" for x in (context, s, p, o))
    return ID["evidence/" + hashlib.sha256(terms.encode("utf-8")).hexdigest()[:20]]


def test_every_relation_has_a_statement_node_and_its_sentence_names_both_ends(fixture_graph):
    """Each relation an article states has an rdf:Statement in that article's graph, with its
    nif:sentence and offsets: spanning both ends where one line names both (dj:BothNamed), else
    the subject's name (dj:SubjectNamed); the gazetteer's within edges have theirs in the
    gazetteer graph, prov:wasDerivedFrom the gazetteer, with no sentence."""
    g, texts = fixture_graph, fixture_texts()
    relations = {DJ[r] for r in RELATIONS}
    kinds = Counter()
    for s, p, o, graph in g.quads((None, None, None, None)):
        if p not in relations:
            continue
        ctx = graph.identifier if hasattr(graph, "identifier") else graph
        node = evidence_iri(str(ID["gazetteer"]) if ctx == GAZETTEER_GRAPH else str(ctx), str(s), str(p), str(o))
        here = g.graph(ctx)
        assert (node, RDF.type, RDF.Statement) in here, (s, p, o, ctx)
        assert (here.value(node, RDF.subject), here.value(node, RDF.predicate), here.value(node, RDF.object)) == (s, p, o)
        if ctx == GAZETTEER_GRAPH:
            assert here.value(node, PROV.wasDerivedFrom) == ID["gazetteer"]
            assert here.value(node, NIF.sentence) is None and here.value(node, DJ.inArticle) is None
            kinds["gazetteer"] += 1
            continue
        assert here.value(node, DJ.inArticle) == ctx
        kind = here.value(node, DJ.evidenceKind)
        kinds[kind] += 1
        sentence = here.value(node, NIF.sentence)
        doc = str(g.value(g.value(ctx, DCTERMS.isPartOf), DCTERMS.identifier))
        begin, end = int(here.value(node, NIF.beginIndex)), int(here.value(node, NIF.endIndex))
        first, last = int(g.value(sentence, NIF.beginIndex)), int(g.value(sentence, NIF.endIndex))
        assert first <= begin < end <= last and g.value(sentence, DJ.inArticle) == ctx
        span = texts[doc][begin:end]
        assert str(here.value(node, NIF.anchorOf)) == span
        for end_node in ((s, o) if kind == DJ.BothNamed else (s,)):
            names = {str(x) for x in g.objects(end_node, SKOS.prefLabel)} | {str(x) for x in g.objects(end_node, SKOS.altLabel)}
            assert any(name in span for name in names), (span, end_node)
    # 7 relations join names no one line holds both of (partOf across sentences, a party
    # committee known from its department's name ...): the subject's line
    assert kinds == {DJ.BothNamed: 35, DJ.SubjectNamed: 7, "gazetteer": len(WITHIN)}
    assert len(set(g.subjects(RDF.type, RDF.Statement))) == 35 + 7 + len(WITHIN)
    shared = evidence_iri(str(article("fx02_pingliang", 1)), str(ID["division/620823"]), str(DJ.within),
                          str(ID["division/620800"]))
    assert str(g.value(g.value(shared, NIF.sentence), NIF.anchorOf)) == "目前，平凉市已建成新就业群体服务站点15个，覆盖崆峒区、崇信县。"
