"""How many nodes of each class and edges of each relation a graph holds: `kg stats`, and
the counts of `kg build`'s summary (summary.json and what it prints).

    tally(typed, edges) -> GraphCounts         # the one definition of what is counted
    graph_counts(outdir) -> GraphCounts(classes, relations)
    GraphCounts.text() -> str                  # the two tables `kg stats` prints

A class is counted by its distinct nodes (`?s rdf:type dj:Class`), a relation by its
distinct edges (`?s dj:rel ?o`), over the union of the named graphs: each node and edge
once, however many article graphs repeat it (`tally`). `kg stats` reads them off the
graph: a small graph is parsed and counted with rdflib (counts_of_graph, by `tally`); a
large one (kg.query.uses_store) by SPARQL on the Oxigraph store, whose default graph holds
the same union, each statement once: the same numbers either way. `kg build` counts the
entities and edges it writes with `tally` too (kg.build.written_counts), before the files
are written, so its summary and `kg stats` of its OUTDIR agree.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF

from .rdf import DJ

# the relations `kg stats` counts, in the order it prints them
COUNTED_RELATIONS = ("within", "locatedIn", "subOrganizationOf", "affiliatedWith",
                     "implementedIn", "runBy", "targets", "partOf", "mentionedIn")


@dataclass(frozen=True)
class GraphCounts:
    """Nodes per dj: class (by local name) and statements per relation (every one of
    COUNTED_RELATIONS, 0 where there is none)."""
    classes: dict[str, int]
    relations: dict[str, int]

    def text(self) -> str:
        """The class table (sorted by class) and the relation table (COUNTED_RELATIONS order),
        after a line that says what is counted."""
        width = max(len(k) for k in [*self.classes, *self.relations])
        lines = [f"# {COUNTED}", "class".ljust(width) + " count"]
        lines += [f"{cls.ljust(width)} {n}" for cls, n in sorted(self.classes.items())]
        lines += ["", "relation".ljust(width) + " count"]
        lines += [f"{rel.ljust(width)} {self.relations[rel]}" for rel in COUNTED_RELATIONS]
        return "\n".join(lines) + "\n"


# what `kg stats` and `kg build` say they count
COUNTED = ("distinct nodes per class and distinct edges per relation, over the union of the "
           "named graphs (kg build's summary counts the same)")


def tally(typed: Iterable[tuple[Hashable, str]], edges: Iterable[tuple[Hashable, str, Hashable]]) -> GraphCounts:
    """The counts of a graph given its class statements TYPED, (node, class local name), and
    its relation statements EDGES, (subject, relation local name, object), nodes given as
    any value that is equal for the same node (an IRI): each class counts the distinct
    nodes it types, each relation its distinct (subject, object) pairs; a statement given
    twice (in two article graphs) counts once. Relations other than COUNTED_RELATIONS are
    left out; each of those is in the result, 0 where there is none."""
    classes = Counter(cls for _, cls in set(typed))
    relations = Counter(rel for _, rel, _ in set(edges))
    return GraphCounts(dict(classes), {name: relations[name] for name in COUNTED_RELATIONS})


def counts_of_graph(g) -> GraphCounts:
    """The counts of an rdflib Dataset (default_union) or Graph, by its triples() (`tally`)."""
    dj = str(DJ)
    typed = ((s, str(cls)[len(dj):]) for s, _, cls in g.triples((None, RDF.type, None))
             if str(cls).startswith(dj))
    edges = ((s, name, o) for name in COUNTED_RELATIONS for s, _, o in g.triples((None, DJ[name], None)))
    return tally(typed, edges)


def counts_of_store(ox_store) -> GraphCounts:
    """The counts of a pyoxigraph Store filled by kg.query.fill_store, by two SPARQL queries
    on its default graph (the union of the named graphs, each triple once): what `tally`
    gives for the same graph, counted in the store (a graph this large is not read into
    Python)."""
    import pyoxigraph as ox

    dj = str(DJ)
    classes = {}
    # every class counted, the dj: ones kept here: a FILTER on STR(?c) in the query would
    # turn each of the (millions of) rdf:type statements into a string, ten times slower
    for row in ox_store.query("SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        if isinstance(row["c"], ox.NamedNode) and row["c"].value.startswith(dj):
            classes[row["c"].value[len(dj):]] = int(row["n"].value)
    values = " ".join(f"dj:{name}" for name in COUNTED_RELATIONS)
    answer = ox_store.query(f"PREFIX dj: <{dj}> SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} "
                            "?s ?p ?o } GROUP BY ?p")
    found = {row["p"].value[len(dj):]: int(row["n"].value) for row in answer}
    return GraphCounts(classes, {name: found.get(name, 0) for name in COUNTED_RELATIONS})


def graph_counts(outdir: Path | str, threshold: int | None = None) -> GraphCounts:
    """The counts of OUTDIR's graph: from the Oxigraph store when graph.nq is larger than
    THRESHOLD bytes (kg.query.uses_store; the store is loaded if needed), else by rdflib."""
    from .query import uses_store
    from .store import open_graph, open_store

    outdir = Path(outdir)
    if uses_store(outdir, threshold):
        return counts_of_store(open_store(outdir))
    return counts_of_graph(open_graph(outdir, threshold))
