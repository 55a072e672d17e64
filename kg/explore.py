"""The HTML graph explorer (`kg explore`): one self-contained page to look at the graph.

Input: the graph a `kg build` wrote (its OUTDIR), or an rdflib Dataset/Graph of the
same model (docs/graph-model.md). Output: one HTML file that draws the entity nodes
and the eight relations with vis-network (through pyvis), with a legend, a search
box, a check box per type and a side panel showing each node's type, names,
relations, statistics and the sentences it was found in.

The way, one plain function per step:

    read_graph(graph, vocabulary) -> ExploreGraph             RDF → dataclasses (read_explore_graph;
                                                              on a store, read_explore_store)
    select_subgraph(eg, focus, depth, types) -> ExploreGraph  --focus / --depth / --types
    build_network(eg, vocabulary, styles) -> pyvis Network    nodes, edges, options
    render_page(net, eg, vocabulary, styles, heading) -> str  the one HTML file

The page needs no network: vis-network's script and style (shipped inside pyvis)
and the page's own (kg/explore_page.js, .css) are inlined, and a Content Security
Policy lets the browser run only those scripts and fetch nothing. Text from the
articles reaches the page only as JSON inside <script type="application/json">
with <, >, & and U+2028/9 escaped, and the page's script shows it with
textContent, never as HTML. Output is deterministic: sorted nodes and edges, a
fixed layout seed, no time stamps.

Python API (used by notebooks too): `explorer_html(...)` gives the page as a
string, `write_explorer(...)` writes it and returns an `ExploreReport`.
"""
from __future__ import annotations

import base64
import csv
import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS

from .network import Evidence, edge_evidence
from .rdf import DJ, NIF

HERE = Path(__file__).resolve().parent
STYLE_FILE = HERE / "explore_style.tsv"
PAGE_TEMPLATE = HERE / "explore_page.html"
PAGE_SCRIPT = HERE / "explore_page.js"
PAGE_STYLE = HERE / "explore_page.css"

# The nine entity types, in legend order, and the eight relations between entities.
TYPES = ("AdministrativeUnit", "Place", "Organization", "Program", "Person",
         "TargetGroup", "Facility", "Platform", "Document")
RELATIONS = ("within", "locatedIn", "subOrganizationOf", "affiliatedWith",
             "implementedIn", "runBy", "targets", "partOf")

# Above this many nodes the page takes seconds to lay out: the command warns and
# suggests --focus.
LARGE_GRAPH = 3000
# Graphs above this many nodes are drawn the cheap way: straight edges, edges hidden
# while dragging or zooming, fewer polishing physics ticks, and a click selects the
# neighbourhood instead of dimming every other node.
BIG_DRAWING = 1000
# At most this many evidence sentences of one edge go into the page (with their total), so
# that an edge many articles state does not make the page large (issue 17: pages small at scale).
EVIDENCE_PER_EDGE = 3
LAYOUT_SEED = 20250101      # vis-network's layout.randomSeed: the same layout every time
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


class ExploreError(ValueError):
    """A request the graph cannot answer: an unknown --focus name or --types type."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Sentence:
    """A sentence an entity or statistic was found in, with its article."""
    text: str
    article: str            # the article's IRI


@dataclass(frozen=True)
class StatisticFact:
    """One dj:Statistic about an entity: '6.3万名 党员' with its sentence."""
    value: str
    unit: str
    measure: str
    period: str
    qualifier: str
    anchor: str              # the number as written
    sentence: Sentence


@dataclass(frozen=True)
class Relation:
    """One relation as seen from a node: dir "out" (node → other) or "in" (other → node)."""
    relation: str            # local name in RELATIONS
    dir: str
    other: str               # the other node's IRI
    other_label: str


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str
    target: str


@dataclass
class Node:
    """An entity node and everything the side panel shows about it."""
    id: str                  # IRI
    type: str                # one of TYPES
    classes: list[str]       # more specific dj classes (Prefecture, PartyBranch, Mechanism ...)
    label: str               # skos:prefLabel
    alt_labels: list[str]    # skos:altLabel, sorted
    code: str = ""           # dj:divisionCode
    pseudonym: bool = False  # dj:pseudonym (化名)
    posts: list[tuple[str, str, str]] = field(default_factory=list)   # (title, org IRI, org label)
    relations: list[Relation] = field(default_factory=list)
    statistics: list[StatisticFact] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)                # dj:mentionedIn
    # how many sentences / statistics the graph holds for it when `sentences` / `statistics`
    # hold only the first ones (the store reader, read_explore_store); None: the lists are whole
    sentences_total: int | None = None
    statistics_total: int | None = None

    @property
    def names(self) -> list[str]:
        return [self.label] + [a for a in self.alt_labels if a != self.label]


@dataclass(frozen=True)
class EdgeEvidence:
    """What the page shows of one edge's evidence (kg.network.Evidence, its rdf:Statement
    nodes in Evidence.order): the first EVIDENCE_PER_EDGE, how many there are, every article
    stating it (sorted) and what the first one derived from elsewhere names (the gazetteer)."""
    shown: tuple            # of Evidence
    count: int
    articles: tuple[str, ...]
    derived_from: str = ""


def summarize_evidence(found: list) -> EdgeEvidence:
    """The EdgeEvidence of an edge's whole evidence list (sorted by Evidence.order)."""
    return EdgeEvidence(shown=tuple(found[:EVIDENCE_PER_EDGE]), count=len(found),
                        articles=tuple(sorted({ev.article for ev in found if ev.article})),
                        derived_from=next((ev.derived_from for ev in found if ev.derived_from), ""))


@dataclass
class ExploreGraph:
    """The entity nodes by IRI (sorted), the edges between them (sorted), article titles and
    dates, and each edge's evidence (EdgeEvidence, from its statement nodes)."""
    nodes: dict[str, Node]
    edges: list[Edge]
    titles: dict[str, str]   # article IRI → dcterms:title
    issued: dict[str, str] = field(default_factory=dict)        # article IRI → dcterms:issued as written
    evidence: dict[tuple[str, str, str], EdgeEvidence] = field(default_factory=dict)   # (source, relation, target)


@dataclass(frozen=True)
class Vocabulary:
    """Chinese names of the ontology's classes and relations (rdfs:label@zh), by local name."""
    labels: dict[str, str]

    def label(self, local: str) -> str:
        return self.labels.get(local, local)


@dataclass(frozen=True)
class TypeStyle:
    type: str
    colour: str
    shape: str


@dataclass
class ExploreReport:
    """What `write_explorer` wrote: counts of the drawn graph, the file, the focus and warnings."""
    nodes: int
    edges: int
    path: Path
    focus: list[str] = field(default_factory=list)      # IRIs of the focus entities
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- loading


def load_styles(path: Path = STYLE_FILE) -> dict[str, TypeStyle]:
    """Colour and shape of each type from kg/explore_style.tsv (comment lines start with #)."""
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        styles = {row["type"]: TypeStyle(row["type"], row["colour"], row["shape"]) for row in rows}
    missing = [t for t in TYPES if t not in styles]
    if missing:
        raise ValueError(f"{path}: no style for {', '.join(missing)}")
    return styles


def load_vocabulary(ontology_dir: Path | None = None) -> Vocabulary:
    """The zh labels of ontology/dangjian.ttl; English local names if no ontology is found."""
    from .validate import ONTOLOGY_FILE, default_ontology_dir

    try:
        folder = ontology_dir or default_ontology_dir()
    except FileNotFoundError:
        return Vocabulary({})
    g = Graph()
    g.parse(folder / ONTOLOGY_FILE, format="turtle")
    labels = {}
    for s, label in g.subject_objects(RDFS.label):
        if isinstance(s, URIRef) and str(s).startswith(str(DJ)) and getattr(label, "language", None) == "zh":
            labels[str(s)[len(str(DJ)):]] = str(label)
    return Vocabulary(labels)


def _pairs(graph, predicate):
    """(subject, object) of every triple with this predicate in any named graph, each once."""
    if getattr(graph, "context_aware", False):
        return {(s, o) for s, _, o, _ in graph.quads((None, predicate, None, None))}
    return set(graph.subject_objects(predicate))


def _local(iri) -> str:
    return str(iri)[len(str(DJ)):] if str(iri).startswith(str(DJ)) else str(iri)


def make_nodes(types: dict[str, list[str]], pref: dict[str, str], alts: dict[str, set[str]]) -> dict[str, Node]:
    """The entity nodes, sorted by IRI, of TYPES (the dj: classes by local name of every IRI
    subject), its prefLabel (else the IRI's last segment) and altLabels. A node typed with
    two of the nine types gets the first in TYPES order."""
    nodes: dict[str, Node] = {}
    for s in sorted(types):
        main = [t for t in TYPES if t in types[s]]
        if not main:
            continue
        label = pref.get(s) or s.rstrip("/").rsplit("/", 1)[-1]
        extra = sorted(c for c in set(types[s]) if c != main[0] and c != "Entity")
        nodes[s] = Node(id=s, type=main[0], classes=extra, label=label,
                        alt_labels=sorted(alts.get(s, set()) - {label}))
    return nodes


def add_edges(nodes: dict[str, Node], triples: set[tuple[str, str, str]]) -> list[Edge]:
    """The edges (source, relation, target) between two of NODES, sorted, each also added
    to both ends' relations."""
    edges = sorted({Edge(s, rel, o) for s, rel, o in triples if s in nodes and o in nodes},
                   key=lambda e: (e.source, RELATIONS.index(e.relation), e.target))
    for e in edges:
        src, dst = nodes[e.source], nodes[e.target]
        src.relations.append(Relation(e.relation, "out", dst.id, dst.label))
        dst.relations.append(Relation(e.relation, "in", src.id, src.label))
    return edges


def read_explore_graph(graph, vocabulary: Vocabulary | None = None) -> ExploreGraph:
    """Read the entity nodes of the nine types, the eight relations, posts, statistics
    and evidence sentences of an rdflib Dataset/Graph into an ExploreGraph.

    Each predicate is read in one pass (faster than per-node look-ups). A node
    typed with two of the nine types gets the first in TYPES order.
    """
    vocabulary = vocabulary or Vocabulary({})
    types: dict[URIRef, list[str]] = defaultdict(list)
    for s, cls in _pairs(graph, RDF.type):
        if str(cls).startswith(str(DJ)):
            types[s].append(_local(cls))
    pref = {s: str(o) for s, o in sorted(_pairs(graph, SKOS.prefLabel))}
    alts: dict[URIRef, set[str]] = defaultdict(set)
    for s, o in _pairs(graph, SKOS.altLabel):
        alts[s].add(str(o))

    nodes = make_nodes({str(s): classes for s, classes in types.items() if isinstance(s, URIRef)},
                       {str(s): label for s, label in pref.items()},
                       {str(s): names for s, names in alts.items()})

    titles = {str(a): str(t) for a, t in _pairs(graph, DCTERMS.title)}
    issued = {str(a): str(d) for a, d in sorted(_pairs(graph, DCTERMS.issued))}

    for s, code in _pairs(graph, DJ.divisionCode):
        if str(s) in nodes:
            nodes[str(s)].code = str(code)
    for s, flag in _pairs(graph, DJ.pseudonym):
        if str(s) in nodes and isinstance(flag, Literal) and flag.toPython() is True:
            nodes[str(s)].pseudonym = True
    for s, a in _pairs(graph, DJ.mentionedIn):
        if str(s) in nodes:
            nodes[str(s)].articles.append(str(a))

    edges = add_edges(nodes, {(str(s), rel, str(o)) for rel in RELATIONS for s, o in _pairs(graph, DJ[rel])})

    # posts (W3C ORG): person org:holds post; post rdfs:label title; post org:postIn org
    post_title = {p: str(t) for p, t in _pairs(graph, RDFS.label)}
    post_in = dict(_pairs(graph, ORG.postIn))
    for person, post in _pairs(graph, ORG.holds):
        if str(person) in nodes:
            org = post_in.get(post)
            org_label = nodes[str(org)].label if org is not None and str(org) in nodes else ""
            nodes[str(person)].posts.append((post_title.get(post, ""), str(org or ""), org_label))

    # evidence: mentions and statistics, each with its article and (nif:sentence) the
    # node of its sentence, whose nif:anchorOf is the sentence's text
    anchor = dict(_pairs(graph, NIF.anchorOf))
    sentence = {m: anchor[node] for m, node in _pairs(graph, NIF.sentence) if node in anchor}
    begin = {s: int(o) for s, o in _pairs(graph, NIF.beginIndex)}
    in_article = dict(_pairs(graph, DJ.inArticle))
    seen: dict[str, set] = defaultdict(set)
    mentions = sorted(_pairs(graph, DJ.refersTo),
                      key=lambda so: (str(in_article.get(so[0], "")), begin.get(so[0], 0), str(so[0])))
    for m, e in mentions:
        node, text, article = nodes.get(str(e)), sentence.get(m), in_article.get(m)
        if node is None or text is None:
            continue
        key = (str(article), str(text))
        if key not in seen[node.id]:
            seen[node.id].add(key)
            node.sentences.append(Sentence(str(text), str(article or "")))

    value, unit, measure = dict(_pairs(graph, DJ.value)), dict(_pairs(graph, DJ.unit)), dict(_pairs(graph, DJ.measure))
    period, qualifier = dict(_pairs(graph, DJ.period)), dict(_pairs(graph, DJ.qualifier))
    mentioned_in = dict(_pairs(graph, DJ.mentionedIn))
    stats = sorted(_pairs(graph, DJ.about), key=lambda so: (str(mentioned_in.get(so[0], "")),
                                                              begin.get(so[0], 0), str(so[0])))
    for st, about in stats:
        node = nodes.get(str(about))
        if node is None:
            continue
        node.statistics.append(StatisticFact(
            value=str(value.get(st, "")), unit=str(unit.get(st, "")), measure=str(measure.get(st, "")),
            period=str(period.get(st, "")), qualifier=str(qualifier.get(st, "")),
            anchor=str(anchor.get(st, "")),
            sentence=Sentence(str(sentence.get(st, "")), str(mentioned_in.get(st, "")))))

    for node in nodes.values():
        node.articles.sort()
        node.posts.sort()
    drawn = {(e.source, e.relation, e.target) for e in edges}
    evidence = {k: summarize_evidence(v) for k, v in edge_evidence(graph).items() if k in drawn}
    return ExploreGraph(nodes=nodes, edges=edges, titles=titles, issued=issued, evidence=evidence)


# --------------------------------------------------------------------------- selecting


def _norm(name: str) -> str:
    """A name as compared for --focus: NFKC, no quotes or spaces, case-folded."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s\"'“”‘’《》「」『』]", "", text).casefold()


def find_entities(eg: ExploreGraph, name: str) -> list[str]:
    """IRIs of the nodes one of whose names (prefLabel or altLabel) is `name`.

    Quotes, spaces, full-width forms and case are ignored. Raises ExploreError
    naming up to five close names when there is none.
    """
    wanted = _norm(name)
    found = sorted(n.id for n in eg.nodes.values() if any(_norm(x) == wanted for x in n.names))
    if found:
        return found
    by_norm: dict[str, str] = {}
    for n in sorted(eg.nodes.values(), key=lambda n: (-len(n.relations), n.id)):
        for x in n.names:
            by_norm.setdefault(_norm(x), x)
    close = [by_norm[k] for k in difflib.get_close_matches(wanted, list(by_norm), n=5, cutoff=0.5)]
    if wanted:
        close += [x for k, x in by_norm.items() if wanted in k and x not in close]
    hint = f"; close names: {', '.join(close[:5])}" if close else "; `kg stats` counts what the graph holds"
    raise ExploreError(f'no entity named "{name}" in the graph{hint}')


def resolve_types(eg: ExploreGraph, vocabulary: Vocabulary, requested: list[str]) -> set[str]:
    """The dj classes named by --types: any of the nine or a subclass, by local name
    (case ignored) or Chinese label; comma-separated lists are split. Raises ExploreError."""
    known = set(TYPES) | {c for n in eg.nodes.values() for c in n.classes}
    lookup = {c.casefold(): c for c in known}
    lookup.update({vocabulary.label(c): c for c in known})
    chosen = set()
    for item in requested:
        for word in filter(None, (w.strip() for w in item.split(","))):
            cls = lookup.get(word.casefold()) or lookup.get(word)
            if cls is None:
                raise ExploreError(f'unknown type "{word}"; the types are '
                                   + ", ".join(f"{t} ({vocabulary.label(t)})" for t in TYPES))
            chosen.add(cls)
    return chosen


def select_subgraph(eg: ExploreGraph, focus: list[str] | None = None, depth: int = 2,
                    types: set[str] | None = None) -> ExploreGraph:
    """The part of the graph to draw.

    focus: node IRIs; with them only the nodes within `depth` hops (relations
    followed both ways) are kept. types: dj classes; only nodes of one of them
    are kept (focus nodes always are). Nodes keep all their relations for the
    side panel; only edges between kept nodes are drawn.
    """
    keep = set(eg.nodes)
    if focus:
        neighbours: dict[str, set[str]] = defaultdict(set)
        for e in eg.edges:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
        keep, frontier = set(focus), deque((f, 0) for f in focus)
        while frontier:
            node, d = frontier.popleft()
            if d == depth:
                continue
            for other in sorted(neighbours[node] - keep):
                keep.add(other)
                frontier.append((other, d + 1))
    if types:
        keep = {n for n in keep if eg.nodes[n].type in types or set(eg.nodes[n].classes) & types
                or n in (focus or [])}
    nodes = {k: v for k, v in eg.nodes.items() if k in keep}
    edges = [e for e in eg.edges if e.source in keep and e.target in keep]
    evidence = {k: v for k, v in eg.evidence.items() if k[0] in keep and k[2] in keep}
    return ExploreGraph(nodes=nodes, edges=edges, titles=eg.titles, issued=eg.issued, evidence=evidence)


# --------------------------------------------------------------------------- layout


def layout(eg: ExploreGraph, iterations: int = 80, spacing: float = 100.0, gravity: float = 0.6,
           seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Node positions (vis canvas units) from a force-directed layout computed here, so that
    the browser only polishes it: vis-network's own physics costs ~0.15 µs per node pair
    interaction in headless Chromium, 35 s for 5,000 nodes from a random start.

    Fruchterman-Reingold forces with ideal edge length 1 (scaled by `spacing` at the end):
    springs along edges (d²/k), repulsion between all nodes (k²/d) computed on a grid
    by FFT convolution (particle-mesh, O(n + cells·log cells) per step, so 5,000 nodes
    take a second), a weak pull to the centre that keeps separate components near,
    and a step size that cools linearly. Deterministic: fixed seed, node order sorted.
    """
    import numpy as np

    ids = list(eg.nodes)
    n = len(ids)
    if n == 0:
        return {}
    index = {k: i for i, k in enumerate(ids)}
    src = np.array([index[e.source] for e in eg.edges if e.source != e.target], dtype=np.intp)
    dst = np.array([index[e.target] for e in eg.edges if e.source != e.target], dtype=np.intp)
    rng = np.random.default_rng(seed)
    side = max(np.sqrt(n), 1.0)
    pos = (rng.random((n, 2)) - 0.5) * side
    # the grid: g×g cells over the nodes' extent (about two cells per node side), zero-padded
    # to 2g×2g so that the FFT's convolution does not wrap around
    g = int(min(256, max(32, 1 << int(np.ceil(np.log2(2 * side))))))
    off = np.arange(2 * g, dtype=float)
    off[off >= g] -= 2 * g
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf
    kx, ky = np.fft.rfft2(dx / r2), np.fft.rfft2(dy / r2)     # k²·d/|d|² for a unit cell

    def repulsion(pos):
        lo = pos.min(axis=0)
        cell = max((pos.max(axis=0) - lo).max(), 1e-9) / (g - 1)
        cells = np.minimum(((pos - lo) / cell).astype(np.intp), g - 1)
        flat = cells[:, 0] * (2 * g) + cells[:, 1]
        rho_f = np.fft.rfft2(np.bincount(flat, minlength=4 * g * g).reshape(2 * g, 2 * g).astype(float))
        fx = np.fft.irfft2(rho_f * kx, s=(2 * g, 2 * g)).ravel()[flat]
        fy = np.fft.irfft2(rho_f * ky, s=(2 * g, 2 * g)).ravel()[flat]
        return np.stack([fx, fy], axis=1) / cell

    for step in range(iterations):
        force = repulsion(pos)
        if len(src):
            d = pos[dst] - pos[src]
            pull = d * np.sqrt((d * d).sum(axis=1))[:, None]        # d·|d|/k with k = 1
            force[:, 0] += np.bincount(src, pull[:, 0], n) - np.bincount(dst, pull[:, 0], n)
            force[:, 1] += np.bincount(src, pull[:, 1], n) - np.bincount(dst, pull[:, 1], n)
        force -= gravity * (pos - pos.mean(axis=0))
        length = np.sqrt((force * force).sum(axis=1))[:, None]
        limit = side * 0.1 * (1 - step / iterations) + 0.01
        pos += force / np.maximum(length, 1e-9) * np.minimum(length, limit)
    pos = (pos - pos.mean(axis=0)) * spacing
    return {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in zip(ids, pos)}


# --------------------------------------------------------------------------- drawing


def network_options(n_nodes: int) -> dict:
    """vis-network options: physics stabilizes in a bounded number of iterations (then
    the page turns physics off), fixed layout seed; big graphs drawn the cheap way."""
    big = n_nodes > BIG_DRAWING
    # the positions come laid out (layout()); vis only polishes them, and a tick costs
    # ~15 ms for 500 nodes, ~150 ms for 5,000 in headless Chromium
    iterations = 60 if n_nodes <= BIG_DRAWING else 20 if n_nodes <= LARGE_GRAPH else 8
    return {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "nodes": {
            "borderWidth": 1,
            "font": {"face": FONT, "size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 11, "max": 30, "drawThreshold": 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b4bcc8", "highlight": "#d62728", "hover": "#6b7785", "inherit": False},
            "font": {"face": FONT, "size": 10, "color": "#5a6270", "strokeWidth": 3,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1, "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "centralGravity": 0.3, "springLength": 100,
                          "springConstant": 0.04, "damping": 0.2, "avoidOverlap": 0},
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": not big, "tooltipDelay": 300, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False},
    }


def build_network(eg: ExploreGraph, vocabulary: Vocabulary, styles: dict[str, TypeStyle]):
    """A pyvis Network of the graph: one node per entity (colour and shape by type,
    `value` = its number of relations, so vis sizes it by degree; label its Chinese
    name; plain-text hover title; start position from layout()) and one labelled,
    directed edge per relation."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    positions = layout(eg)
    for node in eg.nodes.values():                      # already sorted by IRI
        style = styles[node.type]
        x, y = positions[node.id]
        net.add_node(node.id, label=node.label, shape=style.shape, color=style.colour,
                     value=len(node.relations), x=x, y=y,
                     title=f"{node.label}\n{vocabulary.label(node.type)}")
    for i, e in enumerate(eg.edges):
        label = vocabulary.label(e.relation)
        net.add_edge(e.source, e.target, id=f"e{i}", label=label, title=f"{label} ({e.relation})")
    net.set_options(json.dumps(network_options(len(eg.nodes))))
    return net


def _places(text: str, names: list[str], start: int, stop: int) -> list[tuple[int, int]]:
    """Every (begin, end) in TEXT[start:stop] where one of NAMES stands, in text order, the
    longest name first where two begin at the same place."""
    found = set()
    for name in filter(None, names):
        at = text.find(name, start, stop)
        while at >= 0:
            found.add((at, at + len(name)))
            at = text.find(name, at + 1, stop)
    return sorted(found, key=lambda be: (be[0], -be[1]))


def highlights(sentence: str, span: tuple[int, int], first: list[str], second: list[str]) -> list[list[int]]:
    """[begin, end] in SENTENCE of each of the two names of an edge (FIRST and SECOND: each
    end's names), looked for within SPAN (the evidence's offsets made relative to the
    sentence; the whole sentence if they do not fit), in text order. The first end's first
    place is taken, then the second end's first place that does not overlap it (骑手, an
    alias of 外卖骑手, also stands inside “暖心引领骑手融入”): only where there is none do
    the two merge into one mark (兰州市 inside 兰州市委组织部)."""
    start, stop = span if 0 <= span[0] < span[1] <= len(sentence) else (0, len(sentence))
    a_places, b_places = _places(sentence, first, start, stop), _places(sentence, second, start, stop)
    if not a_places or not b_places:
        return [list(x) for x in (a_places or b_places)[:1]]
    a = a_places[0]
    b = next((x for x in b_places if x[1] <= a[0] or x[0] >= a[1]), None)
    if b is None:
        return [[min(a[0], b_places[0][0]), max(a[1], b_places[0][1])]]
    return [list(x) for x in sorted((a, b))]


def edge_details(eg: ExploreGraph, index: dict[str, int]) -> tuple[dict, list[str]]:
    """The evidence of every drawn edge, by its vis id ("e0", ...), and the sentence texts it
    points into (each once). Per edge: "n" its evidence nodes, "arts" the indexes of every
    article stating it (for the date filter), "ev" up to EVIDENCE_PER_EDGE of them as
    [sentence index or -1, article index or -1, [[begin, end] of each name in the sentence]],
    and "from" what an edge from elsewhere was derived from (the gazetteer's IRI)."""
    texts: dict[str, int] = {}
    out = {}
    for i, e in enumerate(eg.edges):
        found = eg.evidence.get((e.source, e.relation, e.target))
        if found is None or not found.count:
            continue
        source, target = eg.nodes[e.source], eg.nodes[e.target]
        shown = []
        for ev in found.shown[:EVIDENCE_PER_EDGE]:
            if ev.sentence:
                span = (ev.begin - ev.sentence_begin, ev.end - ev.sentence_begin)
                marks = highlights(ev.sentence, span, source.names, target.names)
                shown.append([texts.setdefault(ev.sentence, len(texts)), index.get(ev.article, -1), marks])
            elif ev.article:
                shown.append([-1, index.get(ev.article, -1), []])
        out[f"e{i}"] = {"n": found.count, "ev": shown,
                        "arts": sorted({index[a] for a in found.articles if a in index}),
                        "from": found.derived_from}
    return out, list(texts)


# At most this many of an entity's sentences, and of its statistics, go into the page (the
# first in text order, article by article), with the count of the rest: an entity that
# thousands of articles name (a province) would otherwise make the page hundreds of MB
# (issue 17: the page stays small at any corpus size). `kg query OUTDIR mentions_of` and
# `statistics_about` list them all.
SENTENCES_PER_NODE = 10
STATISTICS_PER_NODE = 10


def _total(found: list, total: int | None) -> int:
    return len(found) if total is None else total


def details(eg: ExploreGraph, vocabulary: Vocabulary) -> tuple[dict, list[dict]]:
    """The side panel's data per node IRI, and the articles (IRI, title, issued date) it
    refers to by index. Per node at most SENTENCES_PER_NODE sentences and
    STATISTICS_PER_NODE statistics, and in "sentencesMore" and "statisticsMore" how many
    more it has."""
    articles = sorted({s.article for n in eg.nodes.values() for s in n.sentences[:SENTENCES_PER_NODE]}
                      | {st.sentence.article for n in eg.nodes.values() for st in n.statistics[:STATISTICS_PER_NODE]}
                      | {a for n in eg.nodes.values() for a in n.articles}
                      | {a for found in eg.evidence.values() for a in found.articles})
    index = {a: i for i, a in enumerate(articles)}
    edge_id = {(e.source, e.relation, e.target): f"e{i}" for i, e in enumerate(eg.edges)}
    out = {}
    for node in eg.nodes.values():
        out[node.id] = {
            "type": node.type,
            "classes": node.classes,
            "names": node.names,
            "code": node.code,
            "pseudonym": node.pseudonym,
            "posts": [{"title": t, "org": o, "label": lbl} for t, o, lbl in node.posts],
            "relations": [{"rel": r.relation, "dir": r.dir, "id": r.other, "label": r.other_label,
                           "edge": edge_id.get((node.id, r.relation, r.other) if r.dir == "out"
                                               else (r.other, r.relation, node.id), "")}
                          for r in node.relations],
            "statistics": [{"value": s.value, "unit": s.unit, "measure": s.measure, "period": s.period,
                            "qualifier": s.qualifier, "anchor": s.anchor, "sentence": s.sentence.text,
                            "article": index.get(s.sentence.article, -1)}
                           for s in node.statistics[:STATISTICS_PER_NODE]],
            "statisticsMore": max(0, _total(node.statistics, node.statistics_total) - STATISTICS_PER_NODE),
            "sentences": [{"text": s.text, "article": index.get(s.article, -1)}
                          for s in node.sentences[:SENTENCES_PER_NODE]],
            "sentencesMore": max(0, _total(node.sentences, node.sentences_total) - SENTENCES_PER_NODE),
            "articles": [index[a] for a in node.articles],
        }
    # the date part of dcterms:issued ("2025-03-15" of "2025-03-15T09:30:00"), which the
    # page's date filter compares as text
    return out, [{"id": a, "title": eg.titles.get(a, ""), "issued": eg.issued.get(a, "")[:10]} for a in articles]


def safe_json(data) -> str:
    """JSON that can stand inside <script type="application/json"> whatever its strings
    hold: <, >, & and the JS line separators U+2028/9 are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style as shipped inside the installed pyvis (9.1.2), made
    safe to inline: no source-map comment (a browser's devtools would fetch it)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S* \*/", "", css)
    if re.search(r"</script|<!--", js, re.I) or re.search(r"</style", css, re.I):
        raise RuntimeError(f"{lib}: cannot inline vis-network: it holds a closing tag")
    return js, css


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(net, eg: ExploreGraph, vocabulary: Vocabulary, styles: dict[str, TypeStyle],
                heading: str) -> str:
    """The one HTML page: vis-network and the page's script/style inlined, the network
    (pyvis's nodes, edges, options) and the panel data as escaped JSON, a CSP that
    allows exactly the inlined scripts and no fetch of anything."""
    from jinja2 import Environment, FileSystemLoader

    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    panel, articles = details(eg, vocabulary)
    evidence, sentences = edge_details(eg, {a["id"]: i for i, a in enumerate(articles)})
    counts = Counter(n.type for n in eg.nodes.values())
    data = {
        "heading": heading,
        "dimLimit": BIG_DRAWING,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options),
        "details": panel,
        "articles": articles,
        "evidence": evidence,
        "sentences": sentences,
        "types": [{"type": t, "label": vocabulary.label(t), "colour": styles[t].colour,
                   "shape": styles[t].shape, "count": counts.get(t, 0)} for t in TYPES],
        "labels": {k: vocabulary.label(k) for k in sorted({c for n in eg.nodes.values() for c in n.classes}
                                                          | set(TYPES) | set(RELATIONS) | {"divisionCode"})},
    }
    vis_js, vis_css = _vis_assets()
    page_js = PAGE_SCRIPT.read_text(encoding="utf-8")
    if re.search(r"</script|<!--", page_js, re.I):
        raise RuntimeError(f"{PAGE_SCRIPT}: cannot inline: it holds a closing tag")
    csp = ("default-src 'none'; script-src " + _csp_hash(vis_js) + " " + _csp_hash(page_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(HERE)), autoescape=True, keep_trailing_newline=True)
    return env.get_template(PAGE_TEMPLATE.name).render(
        title=heading, csp=csp, vis_css=vis_css, page_css=PAGE_STYLE.read_text(encoding="utf-8"),
        vis_js=vis_js, page_js=page_js, data_json=safe_json(data))


# --------------------------------------------------------------------------- API


@dataclass
class Explorer:
    """A rendered page and what it shows."""
    html: str
    nodes: int
    edges: int
    focus: list[str]
    warnings: list[str]


# -- a large graph: the page's data read from the Oxigraph store ---------------------
#
# read_explore_store(ox_store) -> ExploreGraph, by SPARQL.
#
# What goes in: a pyoxigraph Store filled by kg.query.fill_store (its default graph the union
# of the article graphs, each triple once). What comes out: the ExploreGraph that
# kg.explore.read_explore_graph makes of the same graph, except that each node holds only its
# first SENTENCES_PER_NODE sentences and STATISTICS_PER_NODE statistics (with their totals in
# `sentences_total` and `statistics_total`) and each edge's EdgeEvidence only its first
# EVIDENCE_PER_EDGE evidence nodes filled in: exactly what the page shows, so the page is the
# same byte for byte (tests/test_store.py).
#
# Why not read the graph through kg.store.StoreView: every term that crosses into Python costs
# some 10–40 µs (a RocksDB look-up and an rdflib object), and a 20 MB corpus has 274,000
# mentions, 121,000 evidence nodes and 79,000 statistics, each with five or more properties:
# 937 s. Here the store does the joins and the grouping, and only small answers come out:
#
# * each join is written as a join of sub-queries (`{ SELECT ?m ?e { ?m dj:refersTo ?e } }
#   { SELECT ?m ?sn { ?m nif:sentence ?sn } }`), which Oxigraph answers by hashing both sides
#   (1.3 s for the 274,000 mentions) instead of looking each row up in the index (15 s);
# * the rows of one entity (or edge) come concatenated in one GROUP_CONCAT string, taken apart
#   here, and only the rows the page may show are written out at all: those in an entity's
#   (an edge's) first articles, a guess from dj:mentionedIn (`_limit`); the others are only
#   counted. Writing out an IRI costs a look-up of its text, and the page needs the first 10
#   of some 274,000 rows. Where the guess falls short (fewer rows there than the page shows,
#   and more elsewhere) the entity or edge is read again in full, row by row (a test forces
#   that path for every one);
# * articles are ordered by their rank in the sorted list of all articles (`_articles`), a
#   number the store compares without reading the IRI;
# * a sentence's text is compared as the literal the store holds, never read, and only the
#   texts of the sentences the page shows are read; whether an evidence node has a sentence
#   (Evidence.order puts those first) is read for the nodes written out only.
#
# pyoxigraph evaluates a query without holding the GIL, so the three large reads could run on
# two threads; on the 20 MB graph that took 20 s instead of 25 s on a quiet machine, but more
# CPU time, 2.2 GB instead of 1.2 GB, and 40-53 s instead of 33 s while other jobs ran: not done.

PREFIXES = (f"PREFIX dj: <{DJ}> PREFIX nif: <{NIF}> PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> "
            f"PREFIX skos: <{SKOS}> PREFIX dct: <{DCTERMS}> PREFIX org: <{ORG}> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# GROUP_CONCAT's separators: groups of rows by a tab, a row per line, fields by a space (IRIs
# hold none of them, and ranks and offsets are plain ASCII)
GROUP, ROW, FIELD = "\t", "\n", " "
# at most this many IRIs in one VALUES clause
BATCH = 5000


def _rows(store, query: str, *names: str):
    """The answers of QUERY as tuples of the values (str) of NAMES, None where unbound."""
    for solution in store.query(PREFIXES + query):
        yield tuple(None if solution[n] is None else solution[n].value for n in names)


def _values(iris) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _batches(items: list):
    for i in range(0, len(items), BATCH):
        yield items[i:i + BATCH]


def _groups(concatenated: str) -> list[list[list[str]]]:
    """GROUP, ROW and FIELD taken apart: the groups, each a list of rows (empty rows dropped:
    the rows a query leaves out are written as ''), each a list of fields."""
    return [[row.split(FIELD) for row in group.split(ROW) if row] for group in concatenated.split(GROUP)]


def read_explore_store(store) -> ExploreGraph:
    """The ExploreGraph of the graph in pyoxigraph Store STORE (see the module docstring)."""
    types: dict[str, list[str]] = defaultdict(list)
    mains = " ".join(f"dj:{t}" for t in TYPES)
    for s, cls in _rows(store, f"SELECT DISTINCT ?s ?c WHERE {{ VALUES ?m {{ {mains} }} ?s a ?m . ?s a ?c "
                               "FILTER(isIRI(?s)) }", "s", "c"):
        if cls.startswith(str(DJ)):
            types[s].append(cls[len(str(DJ)):])
    entities = sorted(types)
    # sorted like read_explore_graph's pairs: the last label of an entity is its prefLabel
    pref = dict(sorted(_rows(store, f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {_values(entities)} }} "
                                    "?s skos:prefLabel ?o }", "s", "o")))
    alts: dict[str, set[str]] = defaultdict(set)
    for s, o in _rows(store, f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {_values(entities)} }} ?s skos:altLabel ?o }}",
                      "s", "o"):
        alts[s].add(o)
    nodes = make_nodes(types, pref, alts)
    ids = _values(nodes)

    titles = dict(_rows(store, "SELECT ?a ?t WHERE { ?a dct:title ?t }", "a", "t"))
    issued = dict(sorted(_rows(store, "SELECT ?a ?d WHERE { ?a dct:issued ?d }", "a", "d")))
    for s, code in _rows(store, f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {ids} }} ?s dj:divisionCode ?c }}", "s", "c"):
        nodes[s].code = code
    for s, flag, datatype in _rows(store, f"SELECT ?s ?f (DATATYPE(?f) AS ?t) WHERE {{ VALUES ?s {{ {ids} }} "
                                          "?s dj:pseudonym ?f }", "s", "f", "t"):
        if datatype == _XSD_BOOLEAN and flag.strip() in ("true", "1"):
            nodes[s].pseudonym = True
    for s, articles in _rows(store, "SELECT ?s (GROUP_CONCAT(STR(?a); separator='\\n') AS ?as) WHERE { "
                                    f"{{ SELECT ?s WHERE {{ VALUES ?s {{ {ids} }} }} }} "
                                    "{ SELECT ?s ?a WHERE { ?s dj:mentionedIn ?a } } } GROUP BY ?s", "s", "as"):
        nodes[s].articles = sorted(articles.split(ROW))

    relations = " ".join(f"dj:{r}" for r in RELATIONS)
    edges = add_edges(nodes, {(s, p[len(str(DJ)):], o) for s, p, o in _rows(
        store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {relations} }} ?s ?p ?o }}", "s", "p", "o")})

    for person, title, org in _rows(store, f"SELECT ?p ?t ?o WHERE {{ VALUES ?p {{ {ids} }} ?p org:holds ?post "
                                           "OPTIONAL { ?post rdfs:label ?t } OPTIONAL { ?post org:postIn ?o } }",
                                    "p", "t", "o"):
        org_label = nodes[org].label if org in nodes else ""
        nodes[person].posts.append((title or "", org or "", org_label))
    for node in nodes.values():
        node.posts.sort()

    articles = _articles(store)
    _read_sentences(store, nodes, articles)
    _read_statistics(store, nodes, articles)
    drawn = {(e.source, e.relation, e.target) for e in edges}
    evidence = _read_evidence(store, nodes, drawn, articles)
    return ExploreGraph(nodes=nodes, edges=edges, titles=titles, issued=issued, evidence=evidence)


def _articles(store) -> list[str]:
    """Every article something is in (dj:inArticle) or mentioned in (dj:mentionedIn), sorted.
    A rank in this list orders as the article's IRI does, and the store compares ranks (small
    numbers it holds inline) without reading an IRI's text."""
    return sorted(a for (a,) in _rows(store, "SELECT DISTINCT ?a WHERE { { ?x dj:inArticle ?a } "
                                             "UNION { ?x dj:mentionedIn ?a } }", "a"))


def _ranked(articles: list[str], var: str, predicate: str) -> str:
    """A pattern binding ?r to the rank in ARTICLES of the PREDICATE of each ?VAR (an OPTIONAL
    of it leaves ?r unbound where there is none): both sides read whole, joined by hash."""
    ranks = " ".join(f"(<{a}> {i})" for i, a in enumerate(articles))
    return (f"{{ SELECT ?{var} ?r WHERE {{ {{ SELECT ?{var} ?a WHERE {{ ?{var} {predicate} ?a }} }} "
            f"{{ SELECT ?a ?r WHERE {{ VALUES (?a ?r) {{ {ranks} }} }} }} }} }}")


def _limit(articles: list[str], rank: dict[str, int], known, count: int) -> int:
    """The rank of the COUNT-th of KNOWN (articles where the entity or edge is likely found),
    or the last rank when there are fewer: the rows in the articles up to it are read in full."""
    ranks = sorted(rank[a] for a in known if a in rank)
    return ranks[count - 1] if len(ranks) >= count else len(articles)


def _texts(store, sentence_nodes) -> dict[str, str]:
    """{sentence node: its nif:anchorOf} for the given nodes."""
    out = {}
    for batch in _batches(sorted(set(sentence_nodes))):
        out.update(_rows(store, f"SELECT ?n ?t WHERE {{ VALUES ?n {{ {_values(batch)} }} ?n nif:anchorOf ?t }}",
                         "n", "t"))
    return out


def _read_sentences(store, nodes, articles: list[str]) -> None:
    """Each node's first SENTENCES_PER_NODE sentences and their total, as read_explore_graph
    finds them: the mentions (dj:refersTo) whose nif:sentence has a text, in the order of
    (article, nif:beginIndex, mention IRI), each (article, text) once.

    One query counts each entity's (article, text) pairs and writes out the mentions of only
    those in its first articles (up to the SENTENCES_PER_NODE-th of its dj:mentionedIn); an
    entity whose first articles held fewer sentences than that is read again in full."""
    rank = {a: i for i, a in enumerate(articles)}
    limits = {e: _limit(articles, rank, node.articles, SENTENCES_PER_NODE) for e, node in nodes.items()}
    found = _sentence_groups(store, articles, limits)
    again = [e for e, (total, groups) in found.items() if len(groups) < min(total, SENTENCES_PER_NODE)]
    for e, groups in (_all_sentence_groups(store, articles, again) if again else {}).items():
        found[e] = (found[e][0], groups)
    first: dict[str, list[tuple[str, str]]] = {}          # entity → [(article, sentence node)]
    for e, (total, groups) in found.items():
        # a group: one (article, text) pair; its place is that of its first mention
        heads = sorted(min((int(r), int(b), m, sn) for r, b, m, sn in rows) for rows in groups)
        first[e] = [(articles[r] if r >= 0 else "", sn) for r, _, _, sn in heads[:SENTENCES_PER_NODE]]
        nodes[e].sentences_total = total
    text = _texts(store, (sentence for shown in first.values() for _, sentence in shown))
    for e, shown in first.items():
        nodes[e].sentences = [Sentence(text[sentence], article) for article, sentence in shown]


def _sentence_groups(store, articles: list[str], limits: dict[str, int]) -> dict[str, tuple[int, list]]:
    """{entity: (how many (article, text) pairs its mentions have, [the mentions of each pair
    in an article ranked up to its limit in LIMITS: [rank, begin, mention, sentence node]])}
    for the entities in LIMITS. Mentions without an article have rank -1 (read_explore_graph
    sorts them first, as "")."""
    limit_rows = " ".join(f"(<{e}> {n})" for e, n in sorted(limits.items()))
    # the text is compared as the literal the store holds (kg writes every nif:anchorOf the
    # same way, as a plain string), which reads no text; groups are separated by GROUP
    found = _rows(store, "SELECT ?e (COUNT(*) AS ?n) (GROUP_CONCAT(?d; separator='\\t') AS ?groups) WHERE { "
                         "{ SELECT ?e ?rr ?t (GROUP_CONCAT(?row; separator='\\n') AS ?d) WHERE { "
                         f"{{ SELECT ?e ?limit WHERE {{ VALUES (?e ?limit) {{ {limit_rows} }} }} }} "
                         "{ SELECT ?m ?e WHERE { ?m dj:refersTo ?e } } "
                         "{ SELECT ?m ?sn WHERE { ?m nif:sentence ?sn } } "
                         "{ SELECT ?sn ?t WHERE { ?sn nif:anchorOf ?t } } "
                         f"OPTIONAL {_ranked(articles, 'm', 'dj:inArticle')} "
                         "OPTIONAL { SELECT ?m ?b WHERE { ?m nif:beginIndex ?b } } "
                         "BIND(COALESCE(?r, -1) AS ?rr) "
                         "BIND(IF(?rr <= ?limit, CONCAT(STR(?rr), ' ', COALESCE(STR(?b), '0'), ' ', STR(?m), ' ', "
                         "STR(?sn)), '') AS ?row) } GROUP BY ?e ?rr ?t } } GROUP BY ?e", "e", "n", "groups")
    return {e: (int(n), [rows for rows in _groups(groups) if rows]) for e, n, groups in found}


def _all_sentence_groups(store, articles: list[str], entities: list[str]) -> dict[str, list]:
    """{entity: [the mentions of each (article, text) pair: [rank, begin, mention, sentence
    node]]} for a few ENTITIES, looked up from the entities (each mention row by row)."""
    rank = {a: i for i, a in enumerate(articles)}
    groups: dict[str, dict[tuple, list]] = {e: defaultdict(list) for e in entities}
    query = (f"SELECT * WHERE {{ VALUES ?e {{ {_values(sorted(entities))} }} ?m dj:refersTo ?e ; nif:sentence ?sn . "
             "?sn nif:anchorOf ?t OPTIONAL { ?m dj:inArticle ?a } OPTIONAL { ?m nif:beginIndex ?b } }")
    for found in store.query(PREFIXES + query):
        e, a, b = found["e"].value, found["a"], found["b"]
        r = str(rank[a.value]) if a is not None else "-1"
        # the text as the literal it is (str: its N-Triples form), as _sentence_groups compares it
        groups[e][(r, str(found["t"]))].append([r, b.value if b is not None else "0", found["m"].value,
                                                found["sn"].value])
    return {e: list(by_pair.values()) for e, by_pair in groups.items()}


def _read_statistics(store, nodes, articles: list[str]) -> None:
    """Each node's first STATISTICS_PER_NODE statistics (dj:about it) and their total, in the
    order of (article it is mentionedIn, nif:beginIndex, statistic IRI). As _read_sentences:
    one query counts them and writes out those in an entity's first articles."""
    rank = {a: i for i, a in enumerate(articles)}
    limits = {e: _limit(articles, rank, node.articles, STATISTICS_PER_NODE) for e, node in nodes.items()}
    found = _statistic_rows(store, articles, limits)
    again = [e for e, (total, rows) in found.items() if len(rows) < min(total, STATISTICS_PER_NODE)]
    if again:
        # a few entities whose first articles held too few: looked up from them, row by row
        rows: dict[str, list] = {e: [] for e in again}
        for e, st, a, b in _rows(store, f"SELECT * WHERE {{ VALUES ?e {{ {_values(sorted(again))} }} ?st dj:about ?e "
                                        "OPTIONAL { ?st dj:mentionedIn ?a } OPTIONAL { ?st nif:beginIndex ?b } }",
                                 "e", "st", "a", "b"):
            rows[e].append([str(rank[a]) if a is not None else "-1", b or "0", st])
        found.update({e: (found[e][0], rows[e]) for e in again})
    first: dict[str, list[tuple[str, str]]] = {}           # entity → [(article, statistic)]
    for e, (total, rows) in found.items():
        ordered = sorted((int(r), int(b), st) for r, b, st in rows)
        first[e] = [(articles[r] if r >= 0 else "", st) for r, _, st in ordered[:STATISTICS_PER_NODE]]
        nodes[e].statistics_total = total
    facts = {}
    wanted = sorted({st for shown in first.values() for _, st in shown})
    for batch in _batches(wanted):
        for st, *values in _rows(store, f"SELECT * WHERE {{ VALUES ?st {{ {_values(batch)} }} "
                                        "OPTIONAL { ?st dj:value ?value } OPTIONAL { ?st dj:unit ?unit } "
                                        "OPTIONAL { ?st dj:measure ?measure } OPTIONAL { ?st dj:period ?period } "
                                        "OPTIONAL { ?st dj:qualifier ?qualifier } OPTIONAL { ?st nif:anchorOf ?anchor } "
                                        "OPTIONAL { ?st nif:sentence ?sn . ?sn nif:anchorOf ?text } }",
                                 "st", "value", "unit", "measure", "period", "qualifier", "anchor", "text"):
            facts[st] = [v or "" for v in values]
    for e, shown in first.items():
        for article, st in shown:
            value, unit, measure, period, qualifier, anchor, text = facts[st]
            nodes[e].statistics.append(StatisticFact(value=value, unit=unit, measure=measure, period=period,
                                                     qualifier=qualifier, anchor=anchor,
                                                     sentence=Sentence(text, article)))


def _statistic_rows(store, articles: list[str], limits: dict[str, int]) -> dict[str, tuple[int, list]]:
    """{entity: (how many statistics are about it, [[rank, begin, statistic] of those in an
    article ranked up to its limit in LIMITS])} for the entities in LIMITS."""
    limit_rows = " ".join(f"(<{e}> {n})" for e, n in sorted(limits.items()))
    found = _rows(store, "SELECT ?e (COUNT(*) AS ?n) (GROUP_CONCAT(?row; separator='\\n') AS ?rows) WHERE { "
                         f"{{ SELECT ?e ?limit WHERE {{ VALUES (?e ?limit) {{ {limit_rows} }} }} }} "
                         "{ SELECT ?st ?e WHERE { ?st dj:about ?e } } "
                         f"OPTIONAL {_ranked(articles, 'st', 'dj:mentionedIn')} "
                         "OPTIONAL { SELECT ?st ?b WHERE { ?st nif:beginIndex ?b } } "
                         "BIND(COALESCE(?r, -1) AS ?rr) "
                         "BIND(IF(?rr <= ?limit, CONCAT(STR(?rr), ' ', COALESCE(STR(?b), '0'), ' ', STR(?st)), '') AS ?row) "
                         "} GROUP BY ?e", "e", "n", "rows")
    return {e: (int(n), _groups(rows)[0] if rows else []) for e, n, rows in found}


def _read_evidence(store, nodes, drawn: set[tuple[str, str, str]],
                   articles: list[str]) -> dict[tuple[str, str, str], EdgeEvidence]:
    """The EdgeEvidence of each drawn edge (source, relation, target) from its rdf:Statement
    nodes (kg.network.edge_evidence: those with rdf:subject, rdf:predicate one of RELATIONS,
    rdf:object), the first EVIDENCE_PER_EDGE in Evidence.order read in full.

    One query counts each edge's nodes, lists their articles and writes out the nodes in its
    first articles (up to the EVIDENCE_PER_EDGE-th of those both its ends are mentioned in)
    and those derived from elsewhere; their sentences are read next (Evidence.order puts the
    nodes with a sentence first). An edge whose first articles held too few nodes with a
    sentence is read again in full."""
    rank = {a: i for i, a in enumerate(articles)}
    limits = {(s, p, o): _limit(articles, rank, set(nodes[s].articles) & set(nodes[o].articles), EVIDENCE_PER_EDGE)
              for s, p, o in drawn}
    found = _evidence_rows(store, articles, limits)
    more = _evidence_sentences(store, {r[2] for _, _, rows in found.values() for r in rows})
    again = [key for key, (count, _, rows) in found.items()
             if sum(1 for r in rows if more[r[2]][1]) < EVIDENCE_PER_EDGE and len(rows) < count]
    if again:
        for key, rows in _all_evidence_rows(store, articles, again).items():
            count, ranks, _ = found[key]
            found[key] = (count, ranks, rows)
        more.update(_evidence_sentences(store, {r[2] for key in again for r in found[key][2]} - set(more)))
    out = {}
    for key, (count, ranks, rows) in found.items():
        # Evidence.order: with a sentence first, then article, offset, node
        ordered = sorted((not more[n][1], int(r), int(b), n, d) for r, b, n, d in rows)
        shown = []
        for _, r, begin, node, derived_from in ordered[:EVIDENCE_PER_EDGE]:
            end, text, first = more[node]
            shown.append(Evidence(node=node, article=articles[r] if r >= 0 else "", sentence=text, begin=begin,
                                  end=end, derived_from=derived_from, sentence_begin=first))
        out[key] = EdgeEvidence(shown=tuple(shown), count=count,
                                articles=tuple(articles[r] for r in sorted(ranks) if r >= 0),
                                derived_from=next((d for *_, d in ordered if d), ""))
    return out


# one evidence node as a row: its article's rank (-1: none), nif:beginIndex (-1: none), the
# node and what it was derived from
_EVIDENCE_ROW = ("CONCAT(STR(COALESCE(?r, -1)), ' ', COALESCE(STR(?b), '-1'), ' ', STR(?n), ' ', "
                 "COALESCE(STR(?d), ''))")


def _evidence_rows(store, articles: list[str], limits: dict[tuple[str, str, str], int]) -> dict:
    """{(source, relation, target): (how many evidence nodes it has, the ranks of their
    articles, [[rank, begin, node, derived from] of those in an article ranked up to its limit
    in LIMITS or derived from elsewhere])} for the edges in LIMITS (relation: its local name)."""
    limit_rows = " ".join(f"(<{s}> dj:{p} <{o}> {n})" for (s, p, o), n in sorted(limits.items()))
    found = _rows(store, "SELECT ?s ?p ?o (COUNT(*) AS ?count) "
                         "(GROUP_CONCAT(DISTINCT STR(COALESCE(?r, -1)); separator=' ') AS ?ranks) "
                         "(GROUP_CONCAT(?row; separator='\\n') AS ?rows) WHERE { "
                         # the edges' limits joined to whole statements: on ?p alone it would pair
                         # each limit with every statement of its relation
                         "{ SELECT ?n ?s ?p ?o WHERE { { SELECT ?n ?p WHERE { ?n rdf:predicate ?p } } "
                         "{ SELECT ?n ?s WHERE { ?n rdf:subject ?s } } { SELECT ?n ?o WHERE { ?n rdf:object ?o } } } } "
                         f"{{ SELECT ?s ?p ?o ?limit WHERE {{ VALUES (?s ?p ?o ?limit) {{ {limit_rows} }} }} }} "
                         f"OPTIONAL {_ranked(articles, 'n', 'dj:inArticle')} "
                         "OPTIONAL { SELECT ?n ?b WHERE { ?n nif:beginIndex ?b } } "
                         "OPTIONAL { SELECT ?n ?d WHERE { ?n prov:wasDerivedFrom ?d } } "
                         f"BIND(IF(COALESCE(?r, -1) <= ?limit || BOUND(?d), {_EVIDENCE_ROW}, '') AS ?row) "
                         "} GROUP BY ?s ?p ?o", "s", "p", "o", "count", "ranks", "rows")
    return {(s, p[len(str(DJ)):], o): (int(count), {int(r) for r in ranks.split(FIELD)},
                                       _groups(rows)[0] if rows else [])
            for s, p, o, count, ranks, rows in found}


def _all_evidence_rows(store, articles: list[str], edges: list[tuple[str, str, str]]) -> dict:
    """{edge: [[rank, begin, node, derived from] of every evidence node]} for a few EDGES,
    looked up from the edges (each node's properties row by row)."""
    rank = {a: i for i, a in enumerate(articles)}
    out: dict[tuple[str, str, str], list] = {edge: [] for edge in edges}
    edge_rows = " ".join(f"(<{s}> dj:{p} <{o}>)" for s, p, o in sorted(edges))
    for s, p, o, n, a, b, d in _rows(store, f"SELECT * WHERE {{ VALUES (?s ?p ?o) {{ {edge_rows} }} "
                                            "?n rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
                                            "OPTIONAL { ?n dj:inArticle ?a } OPTIONAL { ?n nif:beginIndex ?b } "
                                            "OPTIONAL { ?n prov:wasDerivedFrom ?d } }",
                                     "s", "p", "o", "n", "a", "b", "d"):
        out[(s, p[len(str(DJ)):], o)].append([str(rank[a]) if a is not None else "-1", b or "-1", n, d or ""])
    return out


def _evidence_sentences(store, evidence_nodes) -> dict[str, tuple[int, str, int]]:
    """{evidence node: (nif:endIndex, the text of its nif:sentence, the sentence's
    nif:beginIndex)}, -1 and "" where the graph has none."""
    more = {}
    for batch in _batches(sorted(set(evidence_nodes))):
        for n, end, text, first in _rows(store, f"SELECT * WHERE {{ VALUES ?n {{ {_values(batch)} }} "
                                               "OPTIONAL { ?n nif:endIndex ?end } "
                                               "OPTIONAL { ?n nif:sentence ?sn OPTIONAL { ?sn nif:anchorOf ?text } "
                                               "OPTIONAL { ?sn nif:beginIndex ?first } } }",
                                         "n", "end", "text", "first"):
            more[n] = (int(end) if end is not None else -1, text or "", int(first) if first is not None else -1)
    return more


def read_graph(graph, vocabulary: Vocabulary | None = None) -> ExploreGraph:
    """The ExploreGraph of GRAPH: by SPARQL on the Oxigraph store when GRAPH is a view of one
    (kg.store.open_graph of a large OUTDIR; read_explore_store reads only what the page
    shows), else read_explore_graph."""
    from .store import StoreView

    if isinstance(getattr(graph, "store", None), StoreView):
        return read_explore_store(graph.store.ox)
    return read_explore_graph(graph, vocabulary)


def _graph_of(ds_or_outdir):
    """The graph to read: an OUTDIR opened by kg.store.open_graph (parsed when small, a view
    of its Oxigraph store when large), or the Dataset/Graph given."""
    from .store import open_graph

    if isinstance(ds_or_outdir, (str, Path)):
        outdir = Path(ds_or_outdir)
        if not outdir.is_dir():
            raise FileNotFoundError(f"{outdir}: no such folder; write it with `kg build INPUT... -o {outdir}`")
        return open_graph(outdir)
    return ds_or_outdir


def build_explorer(ds_or_outdir, focus: str | None = None, depth: int = 2,
                   types: list[str] | None = None, vocabulary: Vocabulary | None = None,
                   large: int = LARGE_GRAPH) -> Explorer:
    """Read, select, draw and render. ds_or_outdir: an OUTDIR of `kg build` or an rdflib
    Dataset/Graph. focus: a name (prefLabel or altLabel) whose neighbourhood of `depth`
    hops is drawn. types: type names (see resolve_types). large: above this many nodes
    drawn, a warning suggests --focus. Raises ExploreError for an unknown name or type,
    FileNotFoundError for a missing OUTDIR."""
    if depth < 0:
        raise ExploreError(f"--depth must be 0 or more, not {depth}")
    vocabulary = vocabulary or load_vocabulary()
    styles = load_styles()
    full = read_graph(_graph_of(ds_or_outdir), vocabulary)
    focus_ids = find_entities(full, focus) if focus else []
    wanted = resolve_types(full, vocabulary, types) if types else None
    shown = select_subgraph(full, focus_ids, depth, wanted)
    warnings = []
    if len(shown.nodes) > large:
        warnings.append(f"{len(shown.nodes)} nodes: the page will take a while to lay out and may be slow "
                        f"to use; draw the neighbourhood of one entity with --focus NAME --depth 1, "
                        f"or fewer types with --types")
    if focus:
        heading = f"{focus} · {depth} 层邻域 · dangjian-kg 图谱浏览"
    else:
        heading = "dangjian-kg 图谱浏览"
    html = render_page(build_network(shown, vocabulary, styles), shown, vocabulary, styles, heading)
    return Explorer(html, len(shown.nodes), len(shown.edges), focus_ids, warnings)


def explorer_html(ds_or_outdir, focus: str | None = None, depth: int = 2,
                  types: list[str] | None = None) -> str:
    """The explorer page as a string (e.g. for a notebook's IFrame(srcdoc=...)). Arguments
    as build_explorer."""
    return build_explorer(ds_or_outdir, focus, depth, types).html


def write_explorer(outdir, path, focus: str | None = None, depth: int = 2,
                   types: list[str] | None = None) -> ExploreReport:
    """Write the explorer page of OUTDIR (or a Dataset) to `path` (folders created).
    Returns an ExploreReport: counts drawn, the path, focus IRIs and warnings."""
    explorer = build_explorer(outdir, focus, depth, types)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(explorer.html, encoding="utf-8")
    return ExploreReport(explorer.nodes, explorer.edges, path, explorer.focus, explorer.warnings)
