"""Whatever characters the input holds, every file `kg build` and `kg export` write parses.

Property tests (hypothesis) write random text, heavy in line separators, control
characters, quotes, backslashes and astral characters, through kg.write's
GraphWriter and serialize() and through the export writers, and read every file
back with two independent parsers: rdflib and pyoxigraph for N-Quads, TriG and
Turtle; xml.etree and networkx for GraphML and GEXF; rdflib for JSON-LD; the
csv module for CSV. Values must come back exactly, and as many statements as
were written. One more test runs the real `kg build` on the issue's minimal input.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.export import csv_files, gexf_bytes, graphml_bytes, jsonld_bytes, statistics_table
from kg.model import Entity, Statistic
from kg.network import to_networkx
from kg.rdf import DJ, NIF
from kg.write import GraphWriter, serialize

# characters and runs that broke a writer or a reader once, or could: every line
# break Python's splitlines() knows, C0/C1 controls, XML's forbidden characters,
# N-Triples' and IRIs' special characters, noncharacters, astral characters
NASTY = ["\n", "\r", "\r\n", "\t", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
         "\x00", "\x01", "\x1f", "\x7f", "\x80", "\x9f", '"', '"""', "\\", "\\u0041", "\\n", "'",
         "<", ">", "&", "%", "%2", "%41", "#", "/", "?", "[", "]", "{", "}", "|", "^", "`", " ", "@",
         ":", "=", "+", "-", "😀", "\U0010fffd", "\U00020000", "\ufffe", "\uffff", "\ufdd0",
         "\U0001ffff", "\u200e", "\ue000", "\ufeff", "党", "“", "。"]
# random Unicode, less lone surrogates (no text read from a file holds one; see below)
texts = st.lists(st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8")), max_size=12).map("".join)
names = texts.filter(bool)

RDF_FILES = {"graph.nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS),
             "graph.trig": ("trig", pyoxigraph.RdfFormat.TRIG),
             "graph.ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE)}
PROPERTIES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rdflib_statements(data: bytes, fmt: str) -> set[tuple]:
    """(s, p, object, graph) of every statement rdflib reads, terms as plain tuples."""
    if fmt == "turtle":
        return {(str(s), str(p), _rdflib_object(o), None)
                for s, p, o in Graph().parse(data=data.decode("utf-8"), format=fmt)}
    ds = Dataset().parse(data=data.decode("utf-8"), format=fmt)
    return {(str(s), str(p), _rdflib_object(o), str(g)) for s, p, o, g in ds.quads()}


def _rdflib_object(o) -> tuple:
    if isinstance(o, Literal):
        return ("literal", str(o), o.language or "", str(o.datatype) if o.datatype else "")
    return ("iri", str(o))


def oxigraph_statements(data: bytes, fmt) -> set[tuple]:
    """The same as `rdflib_statements`, as pyoxigraph reads it."""
    plain = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
    out = set()
    for q in pyoxigraph.parse(data, format=fmt):
        o = q.object
        obj = (("literal", o.value, o.language or "", "" if o.datatype.value in plain else o.datatype.value)
               if isinstance(o, pyoxigraph.Literal) else ("iri", o.value))
        graph = None if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value
        out.add((q.subject.value, q.predicate.value, obj, graph))
    return out


def parsed_files(files: dict[str, bytes]) -> dict[str, set[tuple]]:
    """{file: statements} of graph.nq, graph.trig and graph.ttl, after checking that
    rdflib and pyoxigraph read each the same."""
    read = {}
    for name, (rdflib_format, oxigraph_format) in RDF_FILES.items():
        read[name] = rdflib_statements(files[name], rdflib_format)
        assert read[name] == oxigraph_statements(files[name], oxigraph_format), name
    return read


def write_article(doc_id: str, title: str, name: str, alias: str, sentence: str, unit: str) -> GraphWriter:
    """A GraphWriter holding one article whose every text field is the given random text:
    title, an organization's name (also its IRI's last segment) and alias, a mention
    with its sentence, a post and a statistic."""
    w = GraphWriter()
    w.add_build({"dangjian-kg": sentence})
    a = w.add_article(doc_id, 0, title, [])
    g = w.graph_of(doc_id, 0)
    org = w.add_entity(Entity("Organization", name, {alias}), g, a)
    person = w.add_entity(Entity("Person", alias + name), g, a)
    sentence_node = w.add_sentence(g, a, doc_id, 0, (0, len(sentence)), sentence)
    w.add_mention(g, a, doc_id, 0, org, name, (0, len(name)), sentence_node)
    w.add_post(g, person, title, org, name)
    w.add_relation(g, person, "affiliatedWith", org)
    w.add_entity(Entity("Organization", name), w.gazetteer, None)   # the same entity in a second graph
    st_ = Statistic(value=-3.5, unit=unit, measure=name, surface=alias, start=1, end=2, period=title)
    w.add_statistic(g, a, doc_id, 0, st_, (1, 2), sentence_node, org)
    return w


@PROPERTIES
@given(doc_id=names, title=texts, name=texts, alias=texts, sentence=texts, unit=texts)
def test_any_text_round_trips_through_every_rdf_file(doc_id, title, name, alias, sentence, unit):
    w = write_article(doc_id, title, name, alias, sentence, unit)
    files = serialize(w)
    read = parsed_files(files)

    # every statement is one line, and all of them come back
    assert files["graph.nq"].decode("utf-8").split("\n")[:-1] == files["graph.nq"].decode("utf-8").splitlines()
    assert len(read["graph.nq"]) == len(w) == len(files["graph.nq"].split(b"\n")) - 1
    assert read["graph.trig"] == read["graph.nq"]
    assert read["graph.ttl"] == {(s, p, o, None) for s, p, o, _ in read["graph.nq"]}

    # every literal comes back exactly, with its predicate
    literals = {(p, o[1]) for _, p, o, _ in read["graph.nq"] if o[0] == "literal"}
    expected = {(SKOS.prefLabel, name), (SKOS.altLabel, alias), (NIF.anchorOf, name), (NIF.anchorOf, sentence),
                (DCTERMS.identifier, doc_id), (DCTERMS.identifier, f"{doc_id}/1"), (DJ.unit, unit),
                (DJ.measure, name or alias), (DJ.period, title) if title else None, (DCTERMS.title, title) if title else None,
                (DJ.softwareVersion, f"dangjian-kg {sentence}")} - {None}
    assert {(str(p), v) for p, v in expected} <= literals

    # an IRI segment made from text gives the text back when unquoted
    (org,) = {s for s, p, o, _ in read["graph.nq"] if o == ("iri", str(DJ.Organization)) and p == str(RDF.type)}
    assert unquote(org.rsplit("/", 1)[1]) == name
    (article,) = {s for s, p, o, _ in read["graph.nq"] if o == ("iri", str(DJ.Article))}
    assert unquote(article.rsplit("/", 2)[1]) == doc_id


def test_every_code_point_in_literals_and_iri_segments():
    """All of Unicode but the surrogates, in chunks, as names: each a label and its IRI's
    last segment. Every statement one line, every name back exactly from both."""
    chunks = [
        "".join(chr(c) for c in range(start, start + 0x1000) if not 0xD800 <= c <= 0xDFFF)
        for start in range(0, 0x110000, 0x1000)]
    w = GraphWriter()
    a = w.add_article("all", 0, "", [])
    for chunk in filter(None, chunks):
        w.add_entity(Entity("Organization", chunk), w.graph_of("all", 0), a)
    read = parsed_files(serialize(w))
    labels = {s: o[1] for s, p, o, _ in read["graph.nq"] if p == str(SKOS.prefLabel)}
    assert sorted(labels.values()) == sorted(filter(None, chunks))
    assert all(unquote(iri.rsplit("/", 1)[1]) == label for iri, label in labels.items())


def test_a_lone_surrogate_is_written_as_u_fffd():
    """No text read from a file holds one, but a str may: it cannot be written in
    UTF-8, so literals and IRIs carry U+FFFD in its place."""
    w = write_article("doc\ud800", "标题\udfff", "名\ud83d", "别名", "句子", "人")
    read = parsed_files(serialize(w))
    labels = {o[1] for _, p, o, _ in read["graph.nq"] if p == str(SKOS.prefLabel)}
    assert "名\ufffd" in labels
    assert any(s.endswith("/organization/名%EF%BF%BD") for s, *_ in read["graph.nq"])


# -- the real build ---------------------------------------------------------------------------

MINIMAL = "甘肃省兰州市城关区委组织部深入实施“红色物业”行动，{}全市1200个村党支部书记参加培训。"
BREAKS = ["\u2028", "\u2029", "\x85", "\f", "\v", "\x1c", "\x1d", "\x1e"]


def check_outdir(outdir, doc_id: str) -> None:
    """graph.nq, graph.trig and graph.ttl of a build parse with rdflib and pyoxigraph
    alike, hold the same statements, one line each, and give doc_id back exactly;
    and the OUTDIR loads."""
    from kg.outdir import load_outdir
    files = {name: (outdir / name).read_bytes() for name in RDF_FILES}
    read = parsed_files(files)
    assert read["graph.trig"] == read["graph.nq"]
    assert read["graph.ttl"] == {(s, p, o, None) for s, p, o, _ in read["graph.nq"]}
    assert len(files["graph.nq"].split(b"\n")) - 1 == len(read["graph.nq"])
    identifiers = {o[1] for _, p, o, _ in read["graph.nq"] if p == str(DCTERMS.identifier)}
    assert {doc_id, doc_id + "/1"} <= identifiers
    assert len(set(load_outdir(outdir).triples((None, None, None)))) == len(read["graph.ttl"])


def test_kg_build_of_the_issues_minimal_input(tmp_path):
    """The tester's input: one U+2028 between two clauses of a sentence. Normalization
    may turn it into a line break; the file's name, which becomes the doc_id in
    literals and IRIs, holds one too, so the writer meets it whatever the reader does."""
    from kg.cli import main
    source = tmp_path / "红色物业\u2028行动.txt"
    source.write_text(MINIMAL.format("\u2028"), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-q"]) == 0
    check_outdir(tmp_path / "out", "红色物业\u2028行动")
    assert b"\\u2028" in (tmp_path / "out" / "graph.nq").read_bytes()


@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
def test_kg_build_with_any_line_break_character(brk, tmp_path, gazetteer, segmenter):
    from kg.build import Pipeline, build
    source = tmp_path / f"input{brk}file.txt"
    source.write_text(MINIMAL.format(brk) + "\n兰州市七里河区" + brk + "党员3039人。", encoding="utf-8")
    report = build([str(source)], tmp_path / "out", pipeline=Pipeline(gazetteer, segmenter))
    assert report.files == 1 and report.articles >= 1
    check_outdir(tmp_path / "out", f"input{brk}file")


# -- the exports ------------------------------------------------------------------------------

XML_ALLOWED = set("\t\n\r")


def xml_safe(text: str) -> str:
    """What GraphML and GEXF carry for text: characters XML 1.0 cannot hold as U+FFFD."""
    return "".join("\ufffd" if (ch < " " and ch not in XML_ALLOWED) or ch in "\ufffe\uffff" else ch
                   for ch in text)


def neutral(cell: str) -> str:
    """What CSV carries for a text cell: a formula start neutralized with a '."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_id=names, title=texts, name=texts, alias=texts, sentence=texts, unit=texts)
def test_any_text_round_trips_through_every_export(doc_id, title, name, alias, sentence, unit):
    w = write_article(doc_id, title, name, alias, sentence, unit)
    ds = Dataset(default_union=True).parse(data=serialize(w)["graph.nq"].decode("utf-8"), format="nquads")
    G = to_networkx(ds)
    org = next(n for n, d in G.nodes(data=True) if d["type"] == "Organization")
    assert G.nodes[org]["label"] == name and G.number_of_edges() == 1

    graphml = graphml_bytes(G)
    ET.fromstring(graphml)                                             # well-formed XML
    H = nx.read_graphml(io.BytesIO(graphml), force_multigraph=True)
    assert H.nodes[org]["label"] == xml_safe(name) and H.number_of_edges() == 1
    assert H.nodes[org]["aliases"] == xml_safe(G.nodes[org]["aliases"])

    gexf = gexf_bytes(G)
    ET.fromstring(gexf)
    H = nx.read_gexf(io.BytesIO(gexf))
    assert H.nodes[org]["label"] == xml_safe(name) and H.number_of_edges() == 1

    data, triples = jsonld_bytes(ds)
    assert set(Graph().parse(data=data.decode("utf-8"), format="json-ld")) == set(ds.triples((None, None, None)))
    assert triples == len(set(ds.triples((None, None, None))))

    files = csv_files(G, statistics_table(ds))
    nodes = {row["id"]: row for row in read_csv(files["nodes.csv"])}
    assert nodes[org]["label"] == neutral(name) and nodes[org]["mentions"] == "1"
    (edge,) = read_csv(files["edges.csv"])
    assert edge["target_label"] == neutral(name) and edge["relation"] == "affiliatedWith"
    (row,) = read_csv(files["statistics.csv"])
    assert (row["value"], row["unit"], row["measure"], row["sentence"], row["period"]) \
        == ("-3.5", neutral(unit), neutral(name or alias), neutral(sentence), neutral(title))
