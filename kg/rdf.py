"""Stage 7: write the graph as RDF (docs/graph-model.md says what goes where).

Input: the build's articles, entities, relations and statistics. Output: an
rdflib Dataset with one named graph per article, one for facts taken from
the gazetteer and one for the build's provenance; and the files graph.ttl,
graph.trig and graph.nq, written so that the same input gives the same bytes.
"""
from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote

from rdflib import XSD, Dataset, Graph, Literal, Namespace, URIRef
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

_UNSAFE = ' "<>{}|\\^`%'


def _segment(text: str) -> str:
    """A path segment of an IRI: readable Unicode, unsafe ASCII percent-encoded."""
    return "".join(quote(ch, safe="") if ch in _UNSAFE or ord(ch) < 0x20 else ch for ch in text)


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


class GraphWriter:
    """Builds the Dataset; one method per kind of node."""

    def __init__(self):
        self.ds = Dataset()
        for prefix, ns in PREFIXES.items():
            self.ds.bind(prefix, ns)
        self.gazetteer = self.ds.graph(GAZETTEER_GRAPH)
        self.lexicon = self.ds.graph(LEXICON_GRAPH)
        self.build = self.ds.graph(BUILD_GRAPH)

    def graph_of(self, doc_id: str, index: int) -> Graph:
        return self.ds.graph(article_iri(doc_id, index))

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

    def add_entity(self, entity: Entity, graph: Graph, article: URIRef | None) -> URIRef:
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

    def add_mention(self, graph: Graph, article: URIRef, doc_id: str, index: int, entity: URIRef,
                    anchor: str, span: tuple[int, int], sentence: str) -> None:
        m = ID[f"mention/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}"]
        graph.add((m, RDF.type, DJ.Mention))
        graph.add((m, DJ.refersTo, entity))
        graph.add((m, DJ.inArticle, article))
        graph.add((m, NIF.anchorOf, zh(anchor)))
        graph.add((m, NIF.beginIndex, Literal(span[0])))
        graph.add((m, NIF.endIndex, Literal(span[1])))
        graph.add((m, DJ.sentence, zh(sentence)))

    def add_post(self, graph: Graph, person: URIRef, title: str, org: URIRef, org_name: str) -> None:
        post = ID[f"post/{_segment(org_name)}/{_segment(title)}"]
        graph.add((post, RDF.type, ORG.Post))
        graph.add((post, RDFS.label, zh(title)))
        graph.add((post, ORG.postIn, org))
        graph.add((post, ORG.heldBy, person))
        graph.add((person, ORG.holds, post))

    def add_broader(self, narrower: URIRef, broader: URIRef) -> None:
        """A target group is a kind of another (快递员 → 新就业群体), as the lexicon says."""
        self.lexicon.add((narrower, SKOS.broader, broader))

    def add_relation(self, graph: Graph, subject: URIRef, predicate: str, obj: URIRef) -> None:
        graph.add((subject, DJ[predicate], obj))

    def add_statistic(self, graph: Graph, article: URIRef, doc_id: str, index: int, st: Statistic,
                      span: tuple[int, int], sentence: str, about: URIRef | None) -> None:
        s = ID[f"statistic/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}"]
        n = 1
        while (s, RDF.type, DJ.Statistic) in graph:   # one number counting two things
            n += 1                                   # (及时受理率、按期办结率均达100%)
            s = ID[f"statistic/{_segment(doc_id)}/{index + 1}/{span[0]}-{span[1]}/{n}"]
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
        graph.add((s, NIF.anchorOf, zh(st.surface)))
        graph.add((s, NIF.beginIndex, Literal(span[0])))
        graph.add((s, NIF.endIndex, Literal(span[1])))
        graph.add((s, DJ.sentence, zh(sentence)))


_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def _turtle(triples, prefixes: dict[str, str]) -> str:
    """Turtle with subjects, predicates and objects in sorted order.

    Vocabulary terms are written as prefixed names, instance IRIs (whose paths
    hold slashes and Chinese) in full. rdflib's Turtle writer gives the same
    graph, but takes a second for the seeds.
    """
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    used: set[str] = set()

    def term(t) -> str:
        if isinstance(t, Literal):
            text = t.n3()
            if t.datatype is not None:
                text = text[:text.rindex("^^")] + "^^" + term(t.datatype)
            return text
        for prefix, ns in namespaces:
            if t.startswith(ns) and _LOCAL_NAME.match(t[len(ns):]):
                used.add(prefix)
                return f"{prefix}:{t[len(ns):]}"
        return t.n3()

    by_subject: dict = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    blocks = []
    for s in sorted(by_subject, key=str):
        lines = []
        for p in sorted(by_subject[s], key=lambda p: (p != RDF.type, str(p))):
            verb = "a" if p == RDF.type else term(p)
            lines.append(f"{verb} " + ", ".join(sorted(term(o) for o in by_subject[s][p])))
        blocks.append(term(s) + " " + " ;\n    ".join(lines) + " .\n")
    header = "".join(f"@prefix {prefix}: <{prefixes[prefix]}> .\n" for prefix in sorted(used))
    return header + "\n" + "\n".join(blocks)


def serialize(ds: Dataset) -> dict[str, bytes]:
    """The three files' contents, byte-stable for the same Dataset content.

    graph.ttl is the union of all graphs as sorted Turtle. graph.nq is N-Quads
    with sorted lines, and graph.trig the same statements grouped into one
    block per named graph in IRI order: rdflib's own TriG writer orders graphs
    by store order, which varies between runs.
    """
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    turtle = _turtle((triple for g in ds.graphs() for triple in g), prefixes)
    by_graph: dict[str, list[str]] = {}
    for g in ds.graphs():
        if len(g):
            lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
            by_graph[str(g.identifier)] = sorted(line for line in lines if line.strip())
    trig = "".join(f"<{iri}> {{\n" + "\n".join(lines) + "\n}\n\n"
                   for iri, lines in sorted(by_graph.items()))
    quads = sorted(line[:-1] + f"<{iri}> ." for iri, lines in by_graph.items()
                   for line in lines)
    return {
        "graph.ttl": turtle.encode("utf-8"),
        "graph.trig": trig.encode("utf-8"),
        "graph.nq": ("\n".join(quads) + "\n").encode("utf-8"),
    }
