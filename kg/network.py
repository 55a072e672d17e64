"""The graph as a networkx MultiDiGraph: entities as nodes, the eight relations as edges.

    >>> from kg.network import to_networkx
    >>> G = to_networkx("out/seeds", types={"Organization", "Program", "AdministrativeUnit", "Place"})
    >>> G.nodes["https://w3id.org/dangjian-kg/id/division/620100"]["label"]
    '兰州市'

What goes in (docs/graph-model.md describes the RDF):

- nodes: every entity, i.e. every IRI typed with one of the nine types in
  `MAIN_TYPES`. The node key is the IRI (a str). Attributes, all str or int so
  that GraphML and GEXF writers take them as they are:

  | attribute  | value |
  |---|---|
  | `label`    | its skos:prefLabel |
  | `type`     | its main type, one of `MAIN_TYPES`, e.g. "Organization" |
  | `kind`     | its most specific dj: subclass, e.g. "Prefecture", "PartyCommittee", "Campaign"; "" when it has none |
  | `aliases`  | its skos:altLabels, sorted, joined by `ALIAS_SEPARATOR` (" | "); "" when none |
  | `code`     | dj:divisionCode (GB/T 2260), only on administrative units the gazetteer has a code for |
  | `mentions` | how many dj:Mention nodes refer to it (0 for divisions only the gazetteer names) |
  | `articles` | in how many articles it is mentioned (dj:mentionedIn) |

- edges: every triple `?s dj:<relation> ?o` with both ends among the nodes, for
  the eight relations in `RELATIONS` (within, locatedIn, subOrganizationOf,
  affiliatedWith, implementedIn, runBy, targets, partOf). The edge key is the
  relation's name and the attribute `relation` repeats it, so two entities can
  be joined by several relations, but each relation joins them at most once.
  `weight` is the number of distinct articles that state the edge: the articles
  (dj:inArticle) of its evidence, the rdf:Statement nodes with rdf:subject,
  rdf:predicate, rdf:object (docs/graph-model.md); 0 for an edge only the gazetteer
  gives (or a graph written before evidence nodes existed).

`edge_evidence(source)` gives each edge's evidence: article, sentence and offsets, or
what it was derived from (the gazetteer).

Nodes and edges are added in sorted order (IRI; source, target, relation), so
the same graph gives the same networkx graph and the same files written from it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from .rdf import DJ, NIF

MAIN_TYPES = ("AdministrativeUnit", "Place", "Organization", "Program", "Person",
              "TargetGroup", "Facility", "Platform", "Document")
RELATIONS = ("within", "locatedIn", "subOrganizationOf", "affiliatedWith",
             "implementedIn", "runBy", "targets", "partOf")
ALIAS_SEPARATOR = " | "

# classes that say less than a sibling class may: a party organization is also,
# where known, a PartyCommittee, PartyBranch, ...; that one is its kind
_GENERAL_SUBCLASSES = {"PartyOrganization"}


def as_graph(source) -> Graph:
    """An rdflib graph whose triples() sees every statement of `source`.

    `source` is an OUTDIR written by `kg build` (str or Path, opened with
    `kg.store.open_graph`: parsed when small, a view of its Oxigraph store when large), an rdflib Dataset (seen as the union of its named
    graphs) or any rdflib Graph (used as it is).
    """
    if isinstance(source, (str, Path)):
        from .store import open_graph
        return open_graph(Path(source))
    if isinstance(source, Dataset):
        if source.default_union:
            return source
        return Dataset(store=source.store, default_union=True)   # a view, nothing is copied
    if isinstance(source, Graph):
        return source
    raise TypeError(f"expected an OUTDIR path, an rdflib Dataset or Graph, not {type(source).__name__}")


def _local(iri) -> str:
    return str(iri)[len(str(DJ)):]


@dataclass(frozen=True)
class Evidence:
    """One rdf:Statement node of an edge: the article that states it, the sentence (text
    and offsets of the span from the first of the two names to the end of the last), or,
    for an edge taken from elsewhere, what it was prov:wasDerivedFrom. "" and -1 where the
    graph says nothing."""
    node: str                # the statement node's IRI
    article: str = ""        # dj:inArticle
    sentence: str = ""       # the text of its nif:Sentence node
    begin: int = -1          # nif:beginIndex, nif:endIndex: offsets into the file's text
    end: int = -1
    derived_from: str = ""   # prov:wasDerivedFrom, e.g. id:gazetteer
    sentence_begin: int = -1  # the sentence's own nif:beginIndex (begin - sentence_begin: in the sentence)

    def order(self) -> tuple:
        """Sort key: evidence with a sentence first, then by article, offset and node IRI,
        so that "the first evidence" of an edge is the same in every run."""
        return (not self.sentence, self.article, self.begin, self.node)


def edge_evidence(source) -> dict[tuple[str, str, str], list[Evidence]]:
    """{(subject IRI, relation name, object IRI): its Evidence, sorted by Evidence.order}
    for every rdf:Statement node of one of the eight relations in `source` (an OUTDIR path,
    an rdflib Dataset or Graph, as `as_graph`). Each predicate is read in one pass."""
    g = as_graph(source)

    def values(predicate) -> dict:
        return {s: o for s, _, o in g.triples((None, predicate, None))}

    subjects, predicates, objects = values(RDF.subject), values(RDF.predicate), values(RDF.object)
    article, sentence, derived = values(DJ.inArticle), values(NIF.sentence), values(PROV.wasDerivedFrom)
    begin, end = values(NIF.beginIndex), values(NIF.endIndex)
    relations = {DJ[name]: name for name in RELATIONS}
    out: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for node, predicate in predicates.items():
        if predicate not in relations or node not in subjects or node not in objects:
            continue
        text = g.value(sentence[node], NIF.anchorOf) if node in sentence else None
        first = g.value(sentence[node], NIF.beginIndex) if node in sentence else None
        out[(str(subjects[node]), relations[predicate], str(objects[node]))].append(Evidence(
            node=str(node), article=str(article.get(node, "")), sentence=str(text or ""),
            begin=int(begin[node]) if node in begin else -1, end=int(end[node]) if node in end else -1,
            derived_from=str(derived.get(node, "")), sentence_begin=int(first) if first is not None else -1))
    for found in out.values():
        found.sort(key=Evidence.order)
    return dict(out)


def entity_types(g: Graph) -> dict[str, tuple[str, str]]:
    """{entity IRI: (main type, kind)} for every node typed with one of `MAIN_TYPES`."""
    main_classes = {DJ[t]: t for t in MAIN_TYPES}
    classes: dict[str, set[str]] = {}
    for s, _, cls in g.triples((None, RDF.type, None)):
        if isinstance(s, URIRef) and str(cls).startswith(str(DJ)):
            classes.setdefault(str(s), set()).add(_local(cls))
    out = {}
    for iri, names in classes.items():
        mains = sorted(n for n in names if DJ[n] in main_classes)
        if not mains:
            continue                     # articles, mentions, statistics
        others = sorted(names - set(MAIN_TYPES))
        specific = [n for n in others if n not in _GENERAL_SUBCLASSES]
        out[iri] = (mains[0], (specific or others or [""])[0])
    return out


def to_networkx(source, types: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The entities and their relations as a networkx MultiDiGraph.

    Input: `source`, an OUTDIR of `kg build` (path), an rdflib Dataset or Graph;
    `types`, main type names (see `MAIN_TYPES`) whose entities to keep, or None
    for all nine. An unknown type name raises ValueError.

    Output: a MultiDiGraph with one node per entity (key: its IRI) and one edge
    per relation triple between kept entities (key and attribute `relation`:
    the relation's name; `weight`: how many distinct articles state it). The
    module docstring lists the node attributes.
    """
    if types is not None:
        types = set(types)
        unknown = sorted(types - set(MAIN_TYPES))
        if unknown:
            raise ValueError(f"unknown type(s) {', '.join(unknown)}; the types are {', '.join(MAIN_TYPES)}")
    g = as_graph(source)
    typed = entity_types(g)
    keep = {iri for iri, (main, _) in typed.items() if types is None or main in types}

    labels: dict[str, str] = {}
    for s, _, label in g.triples((None, SKOS.prefLabel, None)):
        if str(s) in keep:
            labels[str(s)] = min(labels.get(str(s), str(label)), str(label))
    aliases: dict[str, set[str]] = {}
    for s, _, alias in g.triples((None, SKOS.altLabel, None)):
        if str(s) in keep:
            aliases.setdefault(str(s), set()).add(str(alias))
    codes = {str(s): str(code) for s, _, code in g.triples((None, DJ.divisionCode, None)) if str(s) in keep}
    mentions = Counter(str(e) for _, _, e in g.triples((None, DJ.refersTo, None)))
    articles = Counter(str(e) for e, _, _ in g.triples((None, DJ.mentionedIn, None)))

    G = nx.MultiDiGraph()
    for iri in sorted(keep):
        main, kind = typed[iri]
        attrs = {"label": labels.get(iri, iri.rsplit("/", 1)[-1]), "type": main, "kind": kind,
                 "aliases": ALIAS_SEPARATOR.join(sorted(aliases.get(iri, ()))),
                 "mentions": mentions[iri], "articles": articles[iri]}
        if iri in codes:
            attrs["code"] = codes[iri]
        G.add_node(iri, **attrs)

    edges = set()
    for name in RELATIONS:
        for s, _, o in g.triples((None, DJ[name], None)):
            if str(s) in keep and str(o) in keep:
                edges.add((str(s), str(o), name))
    evidence = edge_evidence(g) if edges else {}
    for s, o, name in sorted(edges):
        articles = {e.article for e in evidence.get((s, name, o), ()) if e.article}
        G.add_edge(s, o, key=name, relation=name, weight=len(articles))
    return G


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph under G: one edge per pair of joined nodes,
    with `weight` = how many relations join them (either way). Node attributes
    are kept. For community detection and other algorithms that want a Graph."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v in G.edges():
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)
    return H
