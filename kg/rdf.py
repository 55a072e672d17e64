"""Stage 7: write the graph as RDF (docs/graph-model.md says what goes where).

Input: the build's articles, entities, relations and statistics, handed to a
`GraphWriter` one node at a time. It keeps the statements as quads of
N-Triples term strings: one named graph per article, one for facts taken from
the gazetteer, one for facts from the lexicons and one for the build's
provenance. Output: `serialize(writer)`, the contents of graph.ttl, graph.trig
and graph.nq, written so that the same input gives the same bytes.

Every term of the three files is written by one escaper, `nt_term`, so that
each statement is exactly one line and every file parses, whatever characters
the input held: in literals, line breaks of every kind (U+2028, U+0085, form
feed, ...), other control characters and noncharacters become \\uXXXX escapes;
in IRIs, whatever the IRI grammar does not allow is percent-encoded.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from decimal import Decimal

from rdflib import XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from .model import Entity, Statistic

DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
ID = Namespace("https://w3id.org/dangjian-kg/id/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

GAZETTEER_GRAPH = ID["graph/gazetteer"]
LEXICON_GRAPH = ID["graph/lexicon"]       # facts taken from kg/lexicon (skos:broader between groups)
BUILD_GRAPH = ID["graph/build"]
BUILD = ID["build"]

LEVEL_CLASS = {"province": "Province", "prefecture": "Prefecture", "county": "County",
               "township": "Township", "village": "Village", "special": "SpecialZone"}
PROGRAM_KIND_CLASS = {"campaign": "Campaign", "activity": "Activity", "mechanism": "Mechanism",
                      "system": "System", "model": "Model", "brand": "Brand", "project": "Project"}
PARTY_KIND_CLASS = {"党委": "PartyCommittee", "委员会": "PartyCommittee", "工作部门": "PartyWorkingDepartment",
                    "工委": "PartyWorkingCommittee", "党支部": "PartyBranch", "党总支": "PartyBranch",
                    "党小组": "PartyBranch", "党组": "PartyGroup"}
ORG_KIND_CLASS = {"government": "GovernmentBody", "enterprise": "Enterprise",
                  "social": "SocialOrganization", "volunteer": "VolunteerTeam", "media": "MediaOrganization"}

PREFIXES = {"dj": DJ, "id": ID, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV, "org": ORG,
            "nif": NIF, "xsd": XSD, "rdfs": RDFS, "rdf": RDF}


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


def nt_term(term: URIRef | Literal) -> str:
    """An IRI or literal in N-Triples syntax, which TriG and Turtle also read.

    Never holds a line break or a character a reader refuses (see the module
    docstring). For ordinary text it is what rdflib writes.
    """
    if isinstance(term, Literal):
        text = '"' + _LITERAL_UNSAFE.sub(_uchar, str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{nt_term(term.datatype)}"
        return text
    if isinstance(term, URIRef):
        return "<" + _IRI_UNSAFE.sub(_percent, str(term)) + ">"
    raise TypeError(f"the graph holds IRIs and literals only, not {term!r}")


def _iri_order(term: str) -> str:
    """Sort key of an N-Triples IRI: the IRI itself (with brackets, <a/10> would come before <a/1>)."""
    return term[1:-1]


# -- IRIs of the nodes --------------------------------------------------------------------

def file_iri(doc_id: str) -> URIRef:
    return ID[f"file/{_segment(doc_id)}"]


def article_iri(doc_id: str, index: int) -> URIRef:
    return ID[f"article/{_segment(doc_id)}/{index + 1}"]


def entity_iri(entity: Entity) -> URIRef:
    if entity.type == "AdministrativeUnit":
        return ID[f"division/{'/'.join(_segment(p) for p in entity.attrs['iri_path'])}"]
    return ID[f"{entity.type[0].lower() + entity.type[1:]}/{_segment(entity.name)}"]


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def entity_types(entity: Entity) -> list[URIRef]:
    """The contract class and the most specific subclasses the entity's attributes give."""
    types = [DJ[entity.type]]
    attrs = entity.attrs
    if entity.type == "AdministrativeUnit" and attrs.get("level") in LEVEL_CLASS:
        types.append(DJ[LEVEL_CLASS[attrs["level"]]])
    elif entity.type == "Organization":
        if attrs.get("party"):
            types.append(DJ.PartyOrganization)
            if attrs.get("kind") in PARTY_KIND_CLASS:
                types.append(DJ[PARTY_KIND_CLASS[attrs["kind"]]])
        elif attrs.get("org_class") in ORG_KIND_CLASS:
            types.append(DJ[ORG_KIND_CLASS[attrs["org_class"]]])
    elif entity.type == "Program" and attrs.get("kind") in PROGRAM_KIND_CLASS:
        types.append(DJ[PROGRAM_KIND_CLASS[attrs["kind"]]])
    return types


# -- the writer ---------------------------------------------------------------------------

class NamedGraph:
    """One named graph being written.

    `add((s, p, o))` takes rdflib URIRefs and Literals; `(s, p, o) in graph`
    asks whether a statement is there. `name` is the graph's IRI and `triples`
    its statements, both as N-Triples term strings (`nt_term`).
    """
    __slots__ = ("name", "triples")

    def __init__(self, iri: URIRef):
        self.name = nt_term(iri)
        self.triples: set[tuple[str, str, str]] = set()

    def add(self, triple: tuple) -> None:
        self.triples.add(_statement(triple))

    def __contains__(self, triple: tuple) -> bool:
        return _statement(triple) in self.triples

    def __len__(self) -> int:
        return len(self.triples)


def _statement(triple: tuple) -> tuple[str, str, str]:
    s, p, o = triple
    # one copy of each term string: an entity's IRI and labels recur in every
    # article graph that mentions it
    return sys.intern(nt_term(s)), sys.intern(nt_term(p)), sys.intern(nt_term(o))


class GraphWriter:
    """Collects the graph's statements; one method per kind of node.

    `graphs` maps each named graph's IRI (as `nt_term` writes it) to its
    `NamedGraph`; `gazetteer`, `lexicon` and `build` are three of them, and
    `graph_of` gives an article's. `len(writer)` is the number of quads.
    """

    def __init__(self):
        self.graphs: dict[str, NamedGraph] = {}
        self.gazetteer = self.graph(GAZETTEER_GRAPH)
        self.lexicon = self.graph(LEXICON_GRAPH)
        self.build = self.graph(BUILD_GRAPH)

    def graph(self, iri: URIRef) -> NamedGraph:
        """The named graph `iri`, empty when first asked for."""
        graph = NamedGraph(iri)
        return self.graphs.setdefault(graph.name, graph)

    def graph_of(self, doc_id: str, index: int) -> NamedGraph:
        return self.graph(article_iri(doc_id, index))

    def __len__(self) -> int:
        return sum(len(graph) for graph in self.graphs.values())

    def add_build(self, versions: dict[str, str]) -> None:
        g = self.build
        g.add((BUILD, RDF.type, PROV.Activity))
        g.add((BUILD, RDFS.label, Literal("kg build")))
        for name, version in sorted(versions.items()):
            g.add((BUILD, DJ.softwareVersion, Literal(f"{name} {version}")))

    def add_article(self, doc_id: str, index: int, title: str, creators: list[URIRef]) -> URIRef:
        g = self.graph_of(doc_id, index)
        a, f = article_iri(doc_id, index), file_iri(doc_id)
        g.add((a, RDF.type, DJ.Article))
        g.add((a, DCTERMS.identifier, Literal(f"{doc_id}/{index + 1}")))
        g.add((a, DCTERMS.isPartOf, f))
        g.add((f, DCTERMS.identifier, Literal(doc_id)))
        if title:
            g.add((a, DCTERMS.title, zh(title)))
        for person in creators:
            g.add((a, DCTERMS.creator, person))
        self.build.add((a, PROV.wasGeneratedBy, BUILD))
        return a

    def add_entity(self, entity: Entity, graph: NamedGraph, article: URIRef | None) -> URIRef:
        e = entity_iri(entity)
        for t in entity_types(entity):
            graph.add((e, RDF.type, t))
        graph.add((e, SKOS.prefLabel, zh(entity.name)))
        for alias in sorted(entity.aliases):
            graph.add((e, SKOS.altLabel, zh(alias)))
        if article is not None:
            graph.add((e, DJ.mentionedIn, article))
        code = entity.attrs.get("code")
        if entity.type == "AdministrativeUnit" and code:
            self.gazetteer.add((e, DJ.divisionCode, Literal(code)))
        if entity.type == "Person" and entity.attrs.get("pseudonym"):
            graph.add((e, DJ.pseudonym, Literal(True)))
        if entity.type == "Program" and entity.attrs.get("start_date"):
            graph.add((e, DJ.startDate, Literal(entity.attrs["start_date"])))
        return e

    def add_mention(self, graph: NamedGraph, article: URIRef, doc_id: str, index: int, entity: URIRef,
                    anchor: str, span: tuple[int, int], sentence: str) -> None:
        m = ID[f"mention/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}"]
        graph.add((m, RDF.type, DJ.Mention))
        graph.add((m, DJ.refersTo, entity))
        graph.add((m, DJ.inArticle, article))
        graph.add((m, NIF.anchorOf, zh(anchor)))
        graph.add((m, NIF.beginIndex, Literal(span[0])))
        graph.add((m, NIF.endIndex, Literal(span[1])))
        graph.add((m, DJ.sentence, zh(sentence)))

    def add_post(self, graph: NamedGraph, person: URIRef, title: str, org: URIRef, org_name: str) -> None:
        post = ID[f"post/{_segment(org_name)}/{_segment(title)}"]
        graph.add((post, RDF.type, ORG.Post))
        graph.add((post, RDFS.label, zh(title)))
        graph.add((post, ORG.postIn, org))
        graph.add((post, ORG.heldBy, person))
        graph.add((person, ORG.holds, post))

    def add_broader(self, narrower: URIRef, broader: URIRef) -> None:
        """A target group is a kind of another (快递员 → 新就业群体), as the lexicon says."""
        self.lexicon.add((narrower, SKOS.broader, broader))

    def add_relation(self, graph: NamedGraph, subject: URIRef, predicate: str, obj: URIRef) -> None:
        graph.add((subject, DJ[predicate], obj))

    def add_statistic(self, graph: NamedGraph, article: URIRef, doc_id: str, index: int, st: Statistic,
                      span: tuple[int, int], sentence: str, about: URIRef | None,
                      anchor: str | None = None) -> None:
        """A dj:Statistic node; ANCHOR is the file's text at SPAN (default: the statistic's surface)."""
        name = f"statistic/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}"
        s, n = ID[name], 1
        while (s, RDF.type, DJ.Statistic) in graph:   # one number counting two things
            n += 1                                   # (及时受理率、按期办结率均达100%)
            s = ID[f"{name}/{n}"]
        graph.add((s, RDF.type, DJ.Statistic))
        graph.add((s, DJ.value, Literal(Decimal(repr(float(st.value))).normalize()
                                        if st.value != int(st.value) else Decimal(int(st.value)),
                                        datatype=XSD.decimal)))
        graph.add((s, DJ.unit, Literal(st.unit)))
        graph.add((s, DJ.measure, zh(st.measure or st.surface)))
        if about is not None:
            graph.add((s, DJ.about, about))
        if st.period:
            graph.add((s, DJ.period, Literal(st.period)))
        if st.qualifier:
            graph.add((s, DJ.qualifier, Literal(st.qualifier)))
        graph.add((s, DJ.mentionedIn, article))
        graph.add((s, NIF.anchorOf, zh(st.surface if anchor is None else anchor)))
        graph.add((s, NIF.beginIndex, Literal(span[0])))
        graph.add((s, NIF.endIndex, Literal(span[1])))
        graph.add((s, DJ.sentence, zh(sentence)))


# -- the files ------------------------------------------------------------------------------

_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_RDF_TYPE = nt_term(RDF.type)


def _turtle(triples: Iterable[tuple[str, str, str]], prefixes: dict[str, str]) -> str:
    """Turtle of N-Triples-term triples, subjects, predicates and objects in sorted order.

    Vocabulary terms (also a literal's datatype) are written as prefixed names,
    instance IRIs (whose paths hold slashes and Chinese) in full; everything
    else as in N-Triples, which Turtle reads too.
    """
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    used: set[str] = set()
    written: dict[str, str] = {}          # each term's Turtle, worked out once

    def term(t: str) -> str:
        if t not in written:
            text = t
            if t.startswith("<"):
                iri = t[1:-1]
                for prefix, ns in namespaces:
                    if iri.startswith(ns) and _LOCAL_NAME.match(iri[len(ns):]):
                        used.add(prefix)
                        text = f"{prefix}:{iri[len(ns):]}"
                        break
            else:                                     # "lexical form"@lang or "lexical form"^^<datatype>
                body, quote, suffix = t.rpartition('"')
                if suffix.startswith("^^"):
                    text = body + quote + "^^" + term(suffix[2:])
            written[t] = text
        return written[t]

    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    blocks = []
    for s in sorted(by_subject, key=_iri_order):
        lines = []
        for p in sorted(by_subject[s], key=lambda p: (p != _RDF_TYPE, _iri_order(p))):
            verb = "a" if p == _RDF_TYPE else term(p)
            lines.append(f"{verb} " + ", ".join(sorted(term(o) for o in by_subject[s][p])))
        blocks.append(term(s) + " " + " ;\n    ".join(lines) + " .\n")
    header = "".join(f"@prefix {prefix}: <{prefixes[prefix]}> .\n" for prefix in sorted(used))
    return header + "\n" + "\n".join(blocks)


def serialize(writer: GraphWriter) -> dict[str, bytes]:
    """The three files' contents, byte-stable for the same statements.

    graph.ttl is the union of all graphs as sorted Turtle. graph.trig holds
    one block per non-empty named graph, in IRI order, with its statements as
    sorted N-Triples lines; graph.nq the same statements as N-Quads, lines
    sorted. Lines end in "\\n" and every statement is one line. Time and memory
    grow linearly with the number of quads (and the sorting).
    """
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    graphs = sorted((g for g in writer.graphs.values() if g.triples), key=lambda g: _iri_order(g.name))
    turtle = _turtle((triple for g in graphs for triple in g.triples), prefixes)
    blocks, quads = [], []
    for g in graphs:
        lines = sorted(f"{s} {p} {o} ." for s, p, o in g.triples)
        blocks.append(f"{g.name} {{\n" + "\n".join(lines) + "\n}\n\n")
        quads.extend(f"{line[:-1]}{g.name} ." for line in lines)
    quads.sort()
    return {
        "graph.ttl": turtle.encode("utf-8"),
        "graph.trig": "".join(blocks).encode("utf-8"),
        "graph.nq": ("\n".join(quads) + "\n").encode("utf-8"),
    }
