"""Stage 7: write the graph as RDF (docs/graph-model.md says what goes where).

Input: the build's articles, entities, relations and statistics, handed to a
`GraphWriter` one node at a time. It keeps the statements as quads of
N-Triples term strings: one named graph per article, one for facts taken from
the gazetteer, one for facts from the lexicons and one for the build's
provenance. Output: graph.ttl, graph.trig and graph.nq, written so that the same
input gives the same bytes, by `GraphFiles`: each named graph is handed to it once
complete (`GraphWriter.take`; kg.build does so article by article) and its
statements go to sorted shard files in a scratch folder, from which the three files
are written as streams (a k-way merge), so that the whole graph is never in memory.
`serialize(writer)` gives the three files of a writer's graphs as bytes (for tests).

The writer works on those strings throughout, without rdflib term objects:
the vocabulary's terms are escaped once (`V`), and every other term of the
three files is written by one of two escapers, `nt_literal` for literals and
`nt_iri` for IRIs, so that each statement is exactly one line and every file
parses, whatever characters the input held: in literals, line breaks of every
kind (U+2028, U+0085, form feed, ...), other control characters and
noncharacters become \\uXXXX escapes; in IRIs, whatever the IRI grammar does
not allow is percent-encoded.
"""
from __future__ import annotations

import hashlib
import heapq
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from .model import ENTITY_TYPES, RELATIONS, Entity, Statistic
from .namespaces import BUILD, BUILD_GRAPH, DJ, GAZETTEER, GAZETTEER_GRAPH, ID, LEXICON_GRAPH, PREFIXES

LEVEL_CLASS = {"province": "Province", "prefecture": "Prefecture", "county": "County",
               "township": "Township", "village": "Village", "special": "SpecialZone"}
PROGRAM_KIND_CLASS = {"campaign": "Campaign", "activity": "Activity", "mechanism": "Mechanism",
                      "system": "System", "model": "Model", "brand": "Brand", "project": "Project"}
PARTY_KIND_CLASS = {"党委": "PartyCommittee", "委员会": "PartyCommittee", "工作部门": "PartyWorkingDepartment",
                    "工委": "PartyWorkingCommittee", "党支部": "PartyBranch", "党总支": "PartyBranch",
                    "党小组": "PartyBranch", "党组": "PartyGroup"}
ORG_KIND_CLASS = {"government": "GovernmentBody", "enterprise": "Enterprise",
                  "social": "SocialOrganization", "volunteer": "VolunteerTeam", "media": "MediaOrganization"}

# -- escaping: which characters may stand as they are ---------------------------------

def _class(ranges: Iterable[tuple[int, int]]) -> str:
    """Code point ranges as the inside of a regex character class (\\U escapes `re` reads)."""
    return "".join(f"\\U{first:08X}-\\U{last:08X}" for first, last in ranges)


_SURROGATES = [(0xD800, 0xDFFF)]          # only ever lone in a str; UTF-8 cannot hold them
_NONCHARACTERS = [(0xFDD0, 0xFDEF)] + [(plane + 0xFFFE, plane + 0xFFFF)
                                       for plane in range(0, 0x110000, 0x10000)]

# In a literal: the four characters N-Triples escapes by name, and every character
# that some reader takes for a line break or refuses: C0 and C1 controls, DEL,
# U+2028/2029 (Python's splitlines() breaks at \v \f \x1c-\x1e \x85 \u2028 \u2029).
_LITERAL_UNSAFE = re.compile('[\\\\"' + _class([(0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029)]
                                               + _NONCHARACTERS + _SURROGATES) + "]")
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}

# ucschar of RFC 3987, less the bidi formatting characters (U+200E/200F,
# U+202A-202E), which it says IRIs must not hold, and less Unicode whitespace
# (U+00A0, U+1680, U+2000-200A, U+2028/2029, U+202F, U+205F, U+3000: what
# str.isspace() says), where rdflib's N-Triples reader takes an IRI to end
_UCSCHAR = ([(0xA1, 0x167F), (0x1681, 0x1FFF), (0x200B, 0x200D), (0x2010, 0x2027), (0x2030, 0x205E),
             (0x2060, 0x2FFF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)]
            + [(plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)]
            + [(0xE1000, 0xEFFFD)])
# ipchar without pct-encoded: what one path segment may hold as it is
_SEGMENT_CHARS = "A-Za-z0-9" + re.escape("-._~!$&'()*+,;=:@") + _class(_UCSCHAR)
# "/?#[]" would end the segment and "%" start an escape: in a name they are data
_SEGMENT_UNSAFE = re.compile(f"[^{_SEGMENT_CHARS}]")
# a whole IRI may also hold the delimiters and well-formed %XX escapes
_IRI_UNSAFE = re.compile(f"[^{_SEGMENT_CHARS}{re.escape('/?#[]%')}]|%(?![0-9A-Fa-f]{{2}})")


def _percent(match: re.Match) -> str:
    """The matched character as %XX bytes of its UTF-8 (a lone surrogate as U+FFFD's)."""
    ch = match.group()
    if "\ud800" <= ch <= "\udfff":
        ch = "\ufffd"
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8"))


def _uchar(match: re.Match) -> str:
    """The matched character as an N-Triples escape: \\\\ \\" \\n \\r by name, others \\uXXXX."""
    ch = match.group()
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = 0xFFFD if 0xD800 <= ord(ch) <= 0xDFFF else ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _segment(text: str) -> str:
    """One path segment of an IRI: readable Unicode, the rest percent-encoded.

    Whatever RFC 3987's ipchar does not allow as it is (see _SEGMENT_CHARS) is
    encoded, "/?#[]" and "%" included, so that unquoting the segment gives the
    text back (lone surrogates aside).
    """
    return _SEGMENT_UNSAFE.sub(_percent, text)


def nt_literal(text: str, lang: str = "", datatype: str = "") -> str:
    """A literal in N-Triples syntax, which TriG and Turtle also read: "text"@lang,
    "text"^^datatype (DATATYPE an IRI as `nt_iri` writes it) or "text".

    The one escaper of literals: never holds a line break or a character a reader
    refuses (see the module docstring). For ordinary text it is what rdflib writes.
    """
    # Most text needs no escape, and saying so is quick: every character
    # _LITERAL_UNSAFE matches is one str.isprintable() refuses, but for " and \
    # (tests/test_rdf.py checks this for all of Unicode). The regex runs only
    # where something may need escaping.
    if not text.isprintable() or '"' in text or "\\" in text:
        text = _LITERAL_UNSAFE.sub(_uchar, text)
    body = '"' + text + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^{datatype}"
    return body


def nt_iri(iri: str) -> str:
    """An IRI in N-Triples syntax, <iri>: the one escaper of IRIs. Whatever the IRI
    grammar does not allow is percent-encoded (see the module docstring)."""
    return "<" + _IRI_UNSAFE.sub(_percent, iri) + ">"


def _iri_order(term: str) -> str:
    """Sort key of an N-Triples IRI: the IRI itself (with brackets, <a/10> would come before <a/1>)."""
    return term[1:-1]


# -- the vocabulary, in N-Triples form ----------------------------------------------------

def _vocabulary(names: Iterable[str]) -> dict[str, str]:
    """{"dj:Mention": "<https://w3id.org/dangjian-kg/ontology#Mention>", ...} for prefixed names:
    the terms every statement repeats, escaped once here rather than once per statement."""
    return {name: nt_iri(PREFIXES[name.split(":")[0]] + name.split(":", 1)[1]) for name in names}


V = _vocabulary([
    "rdf:type", "rdfs:label", "xsd:integer", "xsd:decimal", "xsd:boolean",
    "xsd:date", "xsd:dateTime", "xsd:gYear", "xsd:gYearMonth",
    "dcterms:issued", "dcterms:source", "dcterms:publisher",
    "prov:Activity", "prov:wasGeneratedBy",
    "dcterms:identifier", "dcterms:isPartOf", "dcterms:title", "dcterms:creator",
    "skos:prefLabel", "skos:altLabel", "skos:broader",
    "org:Post", "org:postIn", "org:heldBy", "org:holds",
    "nif:Sentence", "nif:anchorOf", "nif:beginIndex", "nif:endIndex", "nif:sentence",
    *(f"dj:{name}" for name in (
        "Article", "Mention", "Statistic", "PartyOrganization", "softwareVersion", "mentionedIn",
        "divisionCode", "pseudonym", "startDate", "refersTo", "inArticle", "value", "unit",
        "measure", "about", "period", "qualifier", "periodStart", "periodEnd", "year", "startText", *ENTITY_TYPES, *RELATIONS, *LEVEL_CLASS.values(),
        *PROGRAM_KIND_CLASS.values(), *PARTY_KIND_CLASS.values(), *ORG_KIND_CLASS.values()))])


# -- evidence for edges: RDF reification (docs/graph-model.md, "Evidence for edges") ------

V.update(_vocabulary(["rdf:Statement", "rdf:subject", "rdf:predicate", "rdf:object",
                      "prov:wasDerivedFrom", "dj:evidenceKind",
                      "dj:BothNamed", "dj:SubjectNamed", "dj:ArticleFocus", "dj:DivisionChain"]))
# model.Evidence.kind → the dj:EvidenceKind a statement node gives it
EVIDENCE_KIND = {"both": V["dj:BothNamed"], "subject": V["dj:SubjectNamed"], "focus": V["dj:ArticleFocus"],
                 "chain": V["dj:DivisionChain"]}
FROM_GAZETTEER = nt_iri(GAZETTEER)


def statement_iri(context: str, subject: str, predicate: str, obj: str) -> str:
    """The IRI (N-Triples form) of the rdf:Statement node that gives the evidence of the
    triple SUBJECT PREDICATE OBJ in CONTEXT (the article's IRI, or the source's it is derived
    from), all four N-Triples terms: id:evidence/ and the first 20 hex digits of the SHA-256
    of the four joined by spaces. The same in every process (no Python hash())."""
    digest = hashlib.sha256(f"{context} {subject} {predicate} {obj}".encode("utf-8")).hexdigest()
    return _node(f"evidence/{digest[:20]}")


def _dj(name: str) -> str:
    """dj:NAME in N-Triples form (from `V` for the names the writer knows)."""
    return V.get(f"dj:{name}") or nt_iri(DJ + name)


# -- IRIs of the nodes --------------------------------------------------------------------

def _article_path(doc_id: str, index: int) -> str:
    return f"article/{_segment(doc_id)}/{index + 1}"


def _entity_path(entity: Entity) -> str:
    if entity.type == "AdministrativeUnit":
        return f"division/{'/'.join(_segment(p) for p in entity.attrs['iri_path'])}"
    return f"{entity.type[0].lower() + entity.type[1:]}/{_segment(entity.name)}"


def entity_iri(entity: Entity) -> str:
    """The entity's IRI (id:division/…, id:organization/…): `nt_iri` writes it."""
    return ID + _entity_path(entity)


def _node(path: str) -> str:
    """The instance IRI id:PATH in N-Triples form (PATH's segments made by `_segment`)."""
    return nt_iri(ID + path)


def zh(text: str) -> str:
    """TEXT as a Chinese literal, in N-Triples form."""
    return nt_literal(text, "zh")


def _integer(n: int) -> str:
    """The integer N as an xsd:integer literal, in N-Triples form (digits need no escape)."""
    return f'"{n:d}"^^{V["xsd:integer"]}'


def entity_types(entity: Entity) -> list[str]:
    """Local names of the entity's dj: classes: the contract class and the most specific
    subclasses its attributes give."""
    types = [entity.type]
    attrs = entity.attrs
    if entity.type == "AdministrativeUnit" and attrs.get("level") in LEVEL_CLASS:
        types.append(LEVEL_CLASS[attrs["level"]])
    elif entity.type == "Organization":
        if attrs.get("party"):
            types.append("PartyOrganization")
            if attrs.get("kind") in PARTY_KIND_CLASS:
                types.append(PARTY_KIND_CLASS[attrs["kind"]])
        elif attrs.get("org_class") in ORG_KIND_CLASS:
            types.append(ORG_KIND_CLASS[attrs["org_class"]])
    elif entity.type == "Program" and attrs.get("kind") in PROGRAM_KIND_CLASS:
        types.append(PROGRAM_KIND_CLASS[attrs["kind"]])
    return types


# -- the writer ---------------------------------------------------------------------------

class NamedGraph:
    """One named graph being written.

    `name` is the graph's IRI and `triples` its statements (a set of (s, p, o)),
    all as N-Triples term strings; `add(s, p, o)` adds one, `update(triples)` several.
    """
    __slots__ = ("name", "triples")

    def __init__(self, name: str):
        self.name = name
        self.triples: set[tuple[str, str, str]] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.add((s, p, o))

    def update(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.triples.update(triples)

    def __len__(self) -> int:
        return len(self.triples)


class GraphWriter:
    """Collects the graph's statements; one method per kind of node.

    The writer speaks N-Triples: every IRI its methods take or give back is a
    term string as `nt_iri` writes it ("<https://...>"; `nt_iri(entity_iri(e))`
    for an entity's), and so is every term of the statements it keeps.

    `graphs` maps each named graph's IRI to its `NamedGraph`; `gazetteer`,
    `lexicon` and `build` are three of them, and `graph_of` gives an article's.
    `len(writer)` is the number of quads.
    """

    def __init__(self):
        self.graphs: dict[str, NamedGraph] = {}
        self.gazetteer = self.graph(nt_iri(GAZETTEER_GRAPH))
        self.lexicon = self.graph(nt_iri(LEXICON_GRAPH))
        self.build = self.graph(nt_iri(BUILD_GRAPH))

    def graph(self, name: str) -> NamedGraph:
        """The named graph NAME (an N-Triples IRI), empty when first asked for."""
        if name not in self.graphs:
            self.graphs[name] = NamedGraph(name)
        return self.graphs[name]

    def graph_of(self, doc_id: str, index: int) -> NamedGraph:
        return self.graph(_node(_article_path(doc_id, index)))

    def take(self, name: str) -> NamedGraph:
        """The named graph NAME, which the writer then lets go (to hand it to GraphFiles
        once it is complete)."""
        return self.graphs.pop(name)

    def __len__(self) -> int:
        return sum(len(graph) for graph in self.graphs.values())

    def add_build(self, versions: dict[str, str]) -> None:
        g, build = self.build, nt_iri(BUILD)
        g.add(build, V["rdf:type"], V["prov:Activity"])
        g.add(build, V["rdfs:label"], nt_literal("kg build"))
        for name, version in sorted(versions.items()):
            g.add(build, V["dj:softwareVersion"], nt_literal(f"{name} {version}"))

    def add_article(self, doc_id: str, index: int, title: str, creators: list[str]) -> str:
        """The article's node; CREATORS are the IRIs of its journalists. Returns its IRI."""
        a, f = _node(_article_path(doc_id, index)), _node(f"file/{_segment(doc_id)}")
        g = self.graph(a)
        g.add(a, V["rdf:type"], V["dj:Article"])
        g.add(a, V["dcterms:identifier"], nt_literal(f"{doc_id}/{index + 1}"))
        g.add(a, V["dcterms:isPartOf"], f)
        g.add(f, V["dcterms:identifier"], nt_literal(doc_id))
        if title:
            g.add(a, V["dcterms:title"], zh(title))
        for person in creators:
            g.add(a, V["dcterms:creator"], person)
        self.build.add(a, V["prov:wasGeneratedBy"], nt_iri(BUILD))
        return a

    def add_entity(self, entity: Entity, graph: NamedGraph, article: str | None, iri: str | None = None) -> str:
        """The entity's node in GRAPH (mentioned in ARTICLE, if given). Returns its IRI;
        `iri`: that IRI in N-Triples form, when the caller has made it already."""
        e = iri or _node(_entity_path(entity))
        for t in entity_types(entity):
            graph.add(e, V["rdf:type"], _dj(t))
        graph.add(e, V["skos:prefLabel"], zh(entity.name))
        for alias in entity.aliases:
            graph.add(e, V["skos:altLabel"], zh(alias))
        if article is not None:
            graph.add(e, V["dj:mentionedIn"], article)
        code = entity.attrs.get("code")
        if entity.type == "AdministrativeUnit" and code:
            self.gazetteer.add(e, V["dj:divisionCode"], nt_literal(code))
        if entity.type == "Person" and entity.attrs.get("pseudonym"):
            graph.add(e, V["dj:pseudonym"], nt_literal("true", datatype=V["xsd:boolean"]))
        start = entity.attrs.get("start_date") if entity.type == "Program" else None
        if start:       # a kg.dates.StartDate: as precise as the text, and the words as written
            graph.add(e, V["dj:startDate"], nt_literal(start.value, datatype=V[f"xsd:{start.datatype}"]))
            graph.add(e, V["dj:startText"], zh(start.text))
        return e

    def add_article_meta(self, article: str, issued: str | None, precision: str | None,
                         publisher: str | None, url: str | None) -> None:
        """When and where ARTICLE (its IRI) appeared, in its graph: dcterms:issued (ISSUED
        typed xsd:date, or xsd:dateTime when PRECISION is "dateTime"), dcterms:publisher (the
        paper or site, @zh) and dcterms:source (URL, as an IRI). None: not written."""
        g = self.graph(article)
        if issued:
            g.add(article, V["dcterms:issued"],
                  nt_literal(issued, datatype=V["xsd:dateTime" if precision == "dateTime" else "xsd:date"]))
        if publisher:
            g.add(article, V["dcterms:publisher"], zh(publisher))
        if url:
            g.add(article, V["dcterms:source"], nt_iri(url))

    def add_sentence(self, graph: NamedGraph, article: str, doc_id: str, index: int,
                     span: tuple[int, int], text: str) -> str:
        """A nif:Sentence node of the article: TEXT, the file's text at SPAN. Returns its IRI,
        for the evidence (mentions, statistics) that stands in it to point at with
        nif:sentence: the sentence is written once, however many point at it."""
        iri = _node(f"sentence/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}")
        graph.update(((iri, V["rdf:type"], V["nif:Sentence"]),
                      (iri, V["nif:anchorOf"], zh(text)),
                      (iri, V["nif:beginIndex"], _integer(span[0])),
                      (iri, V["nif:endIndex"], _integer(span[1])),
                      (iri, V["dj:inArticle"], article)))
        return iri

    def add_mention(self, graph: NamedGraph, article: str, doc_id: str, index: int, entity: str,
                    anchor: str, span: tuple[int, int], sentence: str | None) -> None:
        """A dj:Mention of ENTITY: ANCHOR, the file's text at SPAN, standing in SENTENCE
        (the IRI `add_sentence` gave; None: no sentence)."""
        m = _node(f"mention/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}")
        graph.update(((m, V["rdf:type"], V["dj:Mention"]),
                      (m, V["dj:refersTo"], entity),
                      (m, V["dj:inArticle"], article),
                      (m, V["nif:anchorOf"], zh(anchor)),
                      (m, V["nif:beginIndex"], _integer(span[0])),
                      (m, V["nif:endIndex"], _integer(span[1]))))
        if sentence is not None:
            graph.add(m, V["nif:sentence"], sentence)

    def add_post(self, graph: NamedGraph, person: str, title: str, org: str, org_name: str) -> None:
        post = _node(f"post/{_segment(org_name)}/{_segment(title)}")
        graph.add(post, V["rdf:type"], V["org:Post"])
        graph.add(post, V["rdfs:label"], zh(title))
        graph.add(post, V["org:postIn"], org)
        graph.add(post, V["org:heldBy"], person)
        graph.add(person, V["org:holds"], post)

    def add_broader(self, narrower: str, broader: str) -> None:
        """A target group is a kind of another (快递员 → 新就业群体), as the lexicon says."""
        self.lexicon.add(narrower, V["skos:broader"], broader)

    def add_relation(self, graph: NamedGraph, subject: str, predicate: str, obj: str,
                     article: str | None = None, sentence: str | None = None,
                     span: tuple[int, int] | None = None, anchor: str | None = None,
                     kind: str = "both", derived_from: str | None = None) -> None:
        """SUBJECT dj:PREDICATE OBJ in GRAPH; with it, when ARTICLE or DERIVED_FROM is given,
        its evidence: an rdf:Statement node in the same graph (`statement_iri`) that reifies
        the triple and says where it was read, ARTICLE's SENTENCE (the IRI `add_sentence`
        gave) at SPAN (offsets into the file's text), ANCHOR the file's text there, with KIND
        (model.Evidence.kind: what the span holds); or what it was DERIVED_FROM
        (`FROM_GAZETTEER`)."""
        p = _dj(predicate)
        graph.add(subject, p, obj)
        if article is None and derived_from is None:
            return
        st = statement_iri(article or derived_from, subject, p, obj)
        triples = [(st, V["rdf:type"], V["rdf:Statement"]), (st, V["rdf:subject"], subject),
                   (st, V["rdf:predicate"], p), (st, V["rdf:object"], obj)]
        if article is not None:
            triples += [(st, V["dj:inArticle"], article), (st, V["dj:evidenceKind"], EVIDENCE_KIND[kind])]
        if sentence is not None:
            triples.append((st, V["nif:sentence"], sentence))
        if span is not None:
            triples += [(st, V["nif:beginIndex"], _integer(span[0])), (st, V["nif:endIndex"], _integer(span[1]))]
        if anchor is not None:
            triples.append((st, V["nif:anchorOf"], zh(anchor)))
        if derived_from is not None:
            triples.append((st, V["prov:wasDerivedFrom"], derived_from))
        graph.update(triples)

    def add_statistic(self, graph: NamedGraph, article: str, doc_id: str, index: int, st: Statistic,
                      span: tuple[int, int], sentence: str | None, about: str | None,
                      anchor: str | None = None) -> None:
        """A dj:Statistic node; ANCHOR is the file's text at SPAN (default: the statistic's surface),
        standing in SENTENCE (the IRI `add_sentence` gave; None: no sentence)."""
        name = f"statistic/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}"
        s, n = _node(name), 1
        while (s, V["rdf:type"], V["dj:Statistic"]) in graph.triples:   # one number counting two things
            n += 1                                                       # (及时受理率、按期办结率均达100%)
            s = _node(f"{name}/{n}")
        value = Decimal(repr(float(st.value))).normalize() if st.value != int(st.value) else Decimal(int(st.value))
        triples = [(s, V["rdf:type"], V["dj:Statistic"]),
                   (s, V["dj:value"], nt_literal(f"{value:f}", datatype=V["xsd:decimal"])),
                   (s, V["dj:unit"], nt_literal(st.unit)),
                   (s, V["dj:measure"], zh(st.measure or st.surface)),
                   (s, V["dj:mentionedIn"], article),
                   (s, V["nif:anchorOf"], zh(st.surface if anchor is None else anchor)),
                   (s, V["nif:beginIndex"], _integer(span[0])),
                   (s, V["nif:endIndex"], _integer(span[1]))]
        if about is not None:
            triples.append((s, V["dj:about"], about))
        if st.period:
            triples.append((s, V["dj:period"], nt_literal(st.period)))
        if st.period_start:      # the period resolved (kg.dates.resolve_period)
            triples.append((s, V["dj:periodStart"], nt_literal(st.period_start, datatype=V["xsd:date"])))
        if st.period_end:
            triples.append((s, V["dj:periodEnd"], nt_literal(st.period_end, datatype=V["xsd:date"])))
        if st.year is not None:
            triples.append((s, V["dj:year"], nt_literal(f"{st.year:04d}", datatype=V["xsd:gYear"])))
        if st.qualifier:
            triples.append((s, V["dj:qualifier"], nt_literal(st.qualifier)))
        if sentence is not None:
            triples.append((s, V["nif:sentence"], sentence))
        graph.update(triples)


# -- the files ------------------------------------------------------------------------------

_RDF_TYPE = V["rdf:type"]


class TurtleTerms:
    """The Turtle text of N-Triples terms: `text(t)`; `used`, the set of the prefixes those
    texts have needed so far.

    An IRI in a namespace of PREFIXES whose rest is a local name is written
    prefix:name (the longest such namespace wins), a literal's datatype likewise;
    every other term (instance IRIs, whose paths hold slashes and Chinese) as it
    is, which Turtle reads too. Texts are remembered for the terms that come again
    (the vocabulary, a graph's nodes), up to CACHE of them: then forgotten, so that
    memory stays bounded however large the graph.
    """
    CACHE = 1 << 16

    def __init__(self, prefixes: dict[str, str]):
        namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._prefix_of: dict[str, str] = {}
        for prefix, ns in namespaces:
            self._prefix_of.setdefault(ns, prefix)
        # One match per IRI: where the rest after a namespace is no local name, the
        # regex goes on to the next namespace, in the same order (longest first).
        self._prefixed = re.compile("<(" + "|".join(re.escape(ns) for _, ns in namespaces)
                                    + r")([A-Za-z_][A-Za-z0-9_-]*)>\Z")
        self.used: set[str] = set()
        self._written: dict[str, str] = {}

    def text(self, t: str) -> str:
        text = self._written.get(t)
        if text is None:
            text = t
            if t.startswith("<"):
                match = self._prefixed.match(t)
                if match:
                    prefix = self._prefix_of[match.group(1)]
                    self.used.add(prefix)
                    text = f"{prefix}:{match.group(2)}"
            else:                                     # "lexical form"@lang or "lexical form"^^<datatype>
                body, quote, suffix = t.rpartition('"')
                if suffix.startswith("^^"):
                    text = body + quote + "^^" + self.text(suffix[2:])
            if len(self._written) >= self.CACHE:
                self._written.clear()
            self._written[t] = text
        return text


class _SortedLines:
    """Lines (bytes, each ending in "\n") given in any order and read back sorted, with
    memory bounded by BUDGET: they are held until BUDGET bytes of them are, then sorted
    and written to a run file in FOLDER (NAME.0, NAME.1, ...); `merged()` reads the runs
    back as one sorted stream (heapq.merge), FAN_IN runs at a time at most.

    Bytes sort as their text: UTF-8 keeps the order of code points. The "\n" that ends
    each line sorts before every character a line holds (none holds a control character),
    so lines sort with it as they would without it."""

    def __init__(self, folder: Path, name: str, budget: int, fan_in: int = 64):
        self.folder, self.name, self.budget, self.fan_in = folder, name, budget, fan_in
        self._lines: list[bytes] = []
        self._size = 0
        self._runs: list[Path] = []
        self._made = 0

    def extend(self, lines: list[bytes]) -> None:
        self._lines += lines
        self._size += sum(map(len, lines))
        if self._size >= self.budget:
            self._spill()

    def _new_run(self) -> Path:
        path = self.folder / f"{self.name}.{self._made}"
        self._made += 1
        return path

    def _spill(self) -> None:
        self._lines.sort()
        path = self._new_run()
        with open(path, "wb") as fh:
            fh.writelines(self._lines)
        self._runs.append(path)
        self._lines, self._size = [], 0

    def runs(self) -> list[Path]:
        """Every line given so far, as sorted run files, which the caller then owns (to hand
        to another _SortedLines: `adopt`); none are left here."""
        if self._lines:
            self._spill()
        runs, self._runs = self._runs, []
        return runs

    def adopt(self, runs: list[Path]) -> None:
        """Take over sorted run files (another _SortedLines' `runs()`) as if spilled here."""
        self._runs += runs

    def _merge(self, runs: list[Path]) -> Iterator[bytes]:
        files = [open(path, "rb", buffering=1 << 16) for path in runs]
        try:
            yield from heapq.merge(*files)
        finally:
            for fh in files:
                fh.close()
            for path in runs:
                path.unlink()

    def merged(self) -> Iterator[bytes]:
        """Every line given, sorted (duplicates kept). Reads the run files once and removes
        them; the lines are gone afterwards."""
        if not self._runs:                            # all of them in memory: no file needed
            lines, self._lines, self._size = self._lines, [], 0
            lines.sort()
            yield from lines
            return
        if self._lines:
            self._spill()
        while len(self._runs) > self.fan_in:          # too many files to hold open at once
            runs, self._runs = self._runs[:self.fan_in], self._runs[self.fan_in:]
            path = self._new_run()
            with open(path, "wb") as fh:
                fh.writelines(self._merge(runs))
            self._runs.append(path)
        runs, self._runs = self._runs, []
        yield from self._merge(runs)


# Bytes of lines an external sort of GraphFiles holds before it writes them, sorted, to a run
# file (two sorts at once; Python's objects about double it): the build's memory for writing.
SORT_BUDGET = 16 << 20


@dataclass
class GraphShards:
    """The shard files of the graphs one GraphFiles took (`GraphFiles.shards()`), for another
    to `adopt`: so that the graphs can be taken in several processes and the files written in
    one. Plain data (paths and strings), so that a worker process can hand it back.

    blocks: (the graph's IRI order, the file holding its TriG block, offset, length), one per
    graph; quads and turtle: sorted run files of N-Quads lines and Turtle sort keys; used: the
    prefixes the Turtle texts of the statements need."""
    blocks: list[tuple[str, str, int, int]]
    quads: list[Path]
    turtle: list[Path]
    used: set[str]


class GraphFiles:
    """graph.ttl, graph.trig and graph.nq of named graphs handed over one at a time (`add`),
    made without ever holding the whole graph: FOLDER, a scratch folder the caller owns
    (and removes after), takes each graph's statements as it comes, and `files()` writes
    the three files from there as streams. Same statements, same bytes, in whatever
    order the graphs come:

    - graph.trig: one block per non-empty named graph, in IRI order, with its statements
      as sorted N-Triples lines. Each block is appended to FOLDER/trig.blocks as its graph
      comes; the blocks are copied out in IRI order.
    - graph.nq: the same statements as N-Quads, lines sorted: an external sort
      (_SortedLines) of every graph's lines.
    - graph.ttl: the union of all graphs (a statement in several is written once) as
      sorted Turtle: subjects in IRI order, each subject's predicates in IRI order with
      rdf:type ("a") first, and each predicate's objects in the order of their Turtle text;
      vocabulary terms (also a literal's datatype) as prefixed names, everything else as
      in N-Triples (TurtleTerms), the @prefix lines of the prefixes used first. An external
      sort of one line per statement that sorts in that order ("subject IRI \0 predicate
      rank \0 object's Turtle text"), merged and written subject by subject.

    Lines end in "\n" and every statement is one line. Memory: BUDGET bytes of lines per
    sort (default SORT_BUDGET), one graph, and an index entry per graph; time grows as the number of quads
    times the logarithm of the number of runs.
    """

    def __init__(self, folder: Path, prefixes: dict[str, str] = PREFIXES, budget: int | None = None):
        budget = budget or SORT_BUDGET
        self.folder = Path(folder)
        self.prefixes = prefixes
        self.terms = TurtleTerms(prefixes)
        self._blocks_path = str(self.folder / "trig.blocks")
        self._blocks = open(self._blocks_path, "wb")
        self._index: list[tuple[str, str, int, int]] = []  # (graph's IRI order, file, offset, length)
        self._names: set[str] = set()                      # the IRI orders of the graphs taken
        self._quads = _SortedLines(self.folder, "nq", budget)
        self._turtle = _SortedLines(self.folder, "ttl", budget)
        self._ranks: dict[str, str] = {}                    # predicate -> its part of a Turtle sort key

    def add(self, graph: NamedGraph) -> None:
        """Take GRAPH's statements (a graph's name may come only once)."""
        if not graph.triples:
            return
        if _iri_order(graph.name) in self._names:
            raise ValueError(f"named graph {graph.name} handed to GraphFiles twice")
        self._names.add(_iri_order(graph.name))
        # Tuples of terms sort as their lines do: no term is the start of another
        # but where a literal goes on with @ or ^^, which sort after the space.
        triples = sorted(graph.triples)
        lines = list(map(" ".join, triples))
        block = (f"{graph.name} {{\n" + " .\n".join(lines) + " .\n}\n\n").encode("utf-8")
        self._index.append((_iri_order(graph.name), self._blocks_path, self._blocks.tell(), len(block)))
        self._blocks.write(block)
        del block
        tail = f" {graph.name} .\n"
        self._quads.extend([(line + tail).encode("utf-8") for line in lines])
        del lines
        # The Turtle sort key of each statement, as a line: the subject's IRI order, the
        # predicate's rank ("0": rdf:type; else "1" and its IRI order) and the object's
        # Turtle text; "\0" between them sorts before every character they hold.
        text, ranks = self.terms.text, self._ranks
        records = []
        subject = head = None
        for s, p, o in triples:
            if s != subject:                         # (the triples come by subject)
                subject, head = s, s[1:-1] + "\x00"
                text(s)                              # (for `used`: written again from the merge)
            rank = ranks.get(p)
            if rank is None:
                rank = ranks[p] = "0\x00" if p == _RDF_TYPE else "1" + p[1:-1] + "\x00"
                if p != _RDF_TYPE:
                    text(p)
            records.append((head + rank + text(o) + "\n").encode("utf-8"))
        self._turtle.extend(records)

    def shards(self) -> GraphShards:
        """The shard files of every graph taken, handed over (to `adopt` in another
        GraphFiles, which writes the files): this one takes no more graphs."""
        self._blocks.close()
        return GraphShards(self._index, self._quads.runs(), self._turtle.runs(), set(self.terms.used))

    def adopt(self, shards: GraphShards) -> None:
        """Take the graphs of another GraphFiles' `shards()` as if they had been added here."""
        names = {order for order, _, _, _ in shards.blocks}
        if names & self._names:
            raise ValueError(f"named graph <{min(names & self._names)}> handed to GraphFiles twice")
        self._names |= names
        self._index += shards.blocks
        self._quads.adopt(shards.quads)
        self._turtle.adopt(shards.turtle)
        self.terms.used |= shards.used

    def files(self) -> Iterator[tuple[str, Callable[[BinaryIO], None]]]:
        """(file name, a function writing the file to a binary file object) of graph.ttl,
        graph.trig and graph.nq, in that order; each to be written once, before the next is
        asked for (kg.atomic.write_files). The graphs are all added by then."""
        self._blocks.close()
        yield "graph.ttl", self._write_turtle
        yield "graph.trig", self._write_trig
        yield "graph.nq", lambda fh: fh.writelines(self._quads.merged())

    def _write_trig(self, fh: BinaryIO) -> None:
        paths = sorted({path for _, path, _, _ in self._index} | {self._blocks_path})
        blocks = {path: open(path, "rb") for path in paths}
        try:
            for _, path, offset, length in sorted(self._index):
                block = blocks[path]
                block.seek(offset)
                fh.write(block.read(length))
        finally:
            for path, block in blocks.items():
                block.close()
                os.unlink(path)

    def _write_turtle(self, fh: BinaryIO) -> None:
        text = self.terms.text
        fh.write(("".join(f"@prefix {prefix}: <{self.prefixes[prefix]}> .\n"
                          for prefix in sorted(self.terms.used)) + "\n").encode("utf-8"))
        verbs: dict[bytes, tuple[bytes, bytes]] = {}  # predicate part -> (first verb, next verb)
        subject, predicate, previous = None, None, None
        out: list[bytes] = []
        for record in self._turtle.merged():
            if record == previous:                    # the same statement in another graph
                continue
            previous = record
            s, p, o = record[:-1].split(b"\x00")
            if s != subject:
                if subject is not None:
                    out.append(b" .\n\n")
                    if len(out) > 4096:
                        fh.write(b"".join(out))
                        out.clear()
                subject, predicate = s, None
                out.append(text("<" + s.decode("utf-8") + ">").encode("utf-8"))
            if p == predicate:
                out.append(b", ")
            else:
                if p not in verbs:
                    verb = "a" if p == b"0" else text("<" + p[1:].decode("utf-8") + ">")
                    verbs[p] = (f" {verb} ".encode("utf-8"), f" ;\n    {verb} ".encode("utf-8"))
                out.append(verbs[p][0] if predicate is None else verbs[p][1])
                predicate = p
            out.append(o)
        if subject is not None:
            out.append(b" .\n")
        fh.write(b"".join(out))


def serialize(writer: GraphWriter) -> dict[str, bytes]:
    """The three files' contents for every graph of WRITER (GraphFiles), as one dict of bytes
    (for tests and tools)."""
    with tempfile.TemporaryDirectory(prefix="kg-serialize-") as folder:
        files = GraphFiles(Path(folder))
        for graph in writer.graphs.values():
            files.add(graph)
        contents = {}
        for name, write in files.files():
            buffer = io.BytesIO()
            write(buffer)
            contents[name] = buffer.getvalue()
        return contents
