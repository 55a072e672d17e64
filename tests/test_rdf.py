"""Stage 7: the RDF writer's files parse back to the same statements, in a stable order."""
from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.model import Entity, Statistic
from kg.rdf import DJ, NIF, nt_term
from kg.write import GraphWriter, _segment, entity_iri, serialize


def small_writer() -> GraphWriter:
    w = GraphWriter()
    for doc in ("b", "a"):                       # written out of order on purpose
        a = w.add_article(doc, 0, f'标题 "{doc}"\n第二行 <script>', [])
        g = w.graph_of(doc, 0)
        e = Entity("Program", "有事找书记", {"“有事找书记”"}, {"kind": "mechanism"})
        iri = w.add_entity(e, g, a)
        sentence = w.add_sentence(g, a, doc, 0, (1, 14), "推行“有事找书记”工作机制。")
        w.add_mention(g, a, doc, 0, iri, "有事找书记", (3, 8), sentence)
        sentence = w.add_sentence(g, a, doc, 0, (15, 32), "及时受理率、按期办结率均达100%。")
        for measure in ("及时受理率", "按期办结率"):   # one number counting two things
            st = Statistic(value=100, unit="%", surface="100%", start=10, end=14, measure=measure)
            w.add_statistic(g, a, doc, 0, st, (10, 14), sentence, iri)
    return w


def test_every_file_parses_back_to_the_same_statements():
    w = small_writer()
    files = serialize(w)
    ttl = Graph().parse(data=files["graph.ttl"].decode(), format="turtle")
    trig = Dataset().parse(data=files["graph.trig"].decode(), format="trig")
    nq = Dataset().parse(data=files["graph.nq"].decode(), format="nquads")
    assert len(set(trig.quads())) == len(set(nq.quads())) == len(w)
    assert len(ttl) == len({t for g in w.graphs.values() for t in g.triples})
    assert set(ttl) == {(s, p, o) for s, p, o, _ in nq.quads()}


def test_named_graphs_come_in_iri_order_and_statistics_do_not_collide():
    files = serialize(small_writer())
    trig = files["graph.trig"].decode()
    assert trig.index("id/article/a/1>") < trig.index("id/article/b/1>")
    nq = Dataset().parse(data=files["graph.nq"].decode(), format="nquads")
    stats = {s for s, _, _, _ in nq.quads((None, RDF.type, DJ.Statistic, None))}
    assert len(stats) == 4                       # two per article, each with one measure
    for st in stats:
        assert len({o for _, _, o, _ in nq.quads((st, DJ.measure, None, None))}) == 1


def test_literals_with_quotes_newlines_and_markup_survive():
    files = serialize(small_writer())
    ttl = Graph().parse(data=files["graph.ttl"].decode(), format="turtle")
    titles = {str(o) for o in ttl.objects(None, DCTERMS.title)}
    assert '标题 "a"\n第二行 <script>' in titles


def test_same_content_same_bytes():
    assert serialize(small_writer()) == serialize(small_writer())


def test_entity_iris_are_readable_and_stable():
    e = Entity("Organization", "兰州市委 组织部")
    assert str(entity_iri(e)).endswith("organization/兰州市委%20组织部")


def test_terms_are_escaped_onto_one_line():
    """The escapes themselves (tests/test_serialize_props.py reads them back with two parsers)."""
    assert nt_term(Literal('行动，\u2028全市\x0c\x85"\\\n\r\t', lang="zh")) \
        == '"行动，\\u2028全市\\u000C\\u0085\\"\\\\\\n\\r\\u0009"@zh'
    assert nt_term(Literal("\U0001fffe😀")) == '"\\U0001FFFE😀"'
    assert nt_term(URIRef("https://x/a b\u3000c\u2028%zz%41")) == "<https://x/a%20b%E3%80%80c%E2%80%A8%25zz%41>"
    assert _segment("党支部/第1组#2 [试点] 100%") == "党支部%2F第1组%232%20%5B试点%5D%20100%25"


def test_article_graphs_come_in_iri_order_past_nine():
    w = GraphWriter()
    for index in (9, 0, 1):                       # articles 10, 1 and 2 of one file
        w.add_article("doc", index, "", [])
    trig = serialize(w)["graph.trig"].decode()
    assert trig.index("article/doc/1>") < trig.index("article/doc/10>") < trig.index("article/doc/2>")


def test_text_without_unprintable_characters_needs_escapes_only_for_quote_and_backslash():
    """nt_literal skips its regex for printable text without " or \\: that is right only
    while every character the regex escapes is one str.isprintable() refuses."""
    from kg.write import _LITERAL_UNSAFE
    escaped = {chr(c) for c in range(0x110000) if _LITERAL_UNSAFE.match(chr(c))}
    assert {ch for ch in escaped if ch.isprintable()} == {'"', "\\"}


def test_a_sentence_is_written_once_and_evidence_points_at_it():
    files = serialize(small_writer())
    nq = Dataset().parse(data=files["graph.nq"].decode(), format="nquads")
    sentences = {s for s, _, _, _ in nq.quads((None, RDF.type, NIF.Sentence, None))}
    assert len(sentences) == 4                   # two per article
    statistics = {s for s, _, _, _ in nq.quads((None, RDF.type, DJ.Statistic, None))}
    pointed = {(s, o) for s, _, o, _ in nq.quads((None, NIF.sentence, None, None))}
    assert {o for _, o in pointed} == sentences and statistics <= {s for s, _ in pointed}
    for sentence in sentences:
        (text,) = {str(o) for _, _, o, _ in nq.quads((sentence, NIF.anchorOf, None, None))}
        assert text in ("推行“有事找书记”工作机制。", "及时受理率、按期办结率均达100%。")
        assert str(sentence).rsplit("/", 1)[1] in ("1-14", "15-32")
    assert files["graph.nq"].count("按期办结率均达".encode()) == 2   # once per article, not per statistic
