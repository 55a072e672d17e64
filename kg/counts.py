"""`kg stats`: how many nodes of each class and edges of each relation a built graph holds.

    graph_counts(outdir) -> GraphCounts(classes, relations)
    GraphCounts.text() -> str                  # the two tables `kg stats` prints

A class is counted by its distinct `?s rdf:type dj:Class` statements, a relation by its
distinct `?s dj:rel ?o` statements, over the union of the named graphs (each statement
once, however many article graphs repeat it). A small graph is parsed and counted with
rdflib; a large one (kg.query.uses_store) is counted by SPARQL on the Oxigraph store,
which holds the same union as its default graph: the same numbers either way.
"""
from __future__ import annotations

from collections import Counter
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
        """The class table (sorted by class) and the relation table (COUNTED_RELATIONS order)."""
        width = max(len(k) for k in [*self.classes, *self.relations])
        lines = ["class".ljust(width) + " count"]
        lines += [f"{cls.ljust(width)} {n}" for cls, n in sorted(self.classes.items())]
        lines += ["", "relation".ljust(width) + " count"]
        lines += [f"{rel.ljust(width)} {self.relations[rel]}" for rel in COUNTED_RELATIONS]
        return "\n".join(lines) + "\n"


def counts_of_graph(g) -> GraphCounts:
    """The counts of an rdflib Dataset (default_union) or Graph, by its triples()."""
    dj = str(DJ)
    classes = Counter()
    for _, _, cls in g.triples((None, RDF.type, None)):
        if str(cls).startswith(dj):
            classes[str(cls)[len(dj):]] += 1
    relations = {name: sum(1 for _ in g.triples((None, DJ[name], None))) for name in COUNTED_RELATIONS}
    return GraphCounts(dict(classes), relations)


def counts_of_store(ox_store) -> GraphCounts:
    """The counts of a pyoxigraph Store filled by kg.query.fill_store, by two SPARQL queries
    on its default graph (the union of the named graphs, each triple once)."""
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
