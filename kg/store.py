"""The graph as the reading commands get it: rdflib for small graphs, the Oxigraph store for large.

    open_graph(outdir) -> rdflib Graph         # every statement of the build, each triple once
    open_store(outdir) -> pyoxigraph Store     # the store (read-only), in memory if OUTDIR is read-only
    StoreView(pyoxigraph.Store)                # rdflib's Store interface over a store's default graph

`kg stats`, `kg query`, `kg explore`, `kg export` and `kg validate` read a built OUTDIR.
Parsing its files with rdflib costs about 4 s per MB of graph.nq (and some 40 times that in
memory), so above kg.query.STORE_THRESHOLD bytes of graph.nq (kg.query.uses_store) they
read the Oxigraph store instead (kg.query.store_dir_of, which kg.query.open_engine uses too):
OUTDIR/oxigraph, the folder `kg build --store` writes (kg/outdir.py counts it among the
files kg itself puts into an OUTDIR). It is bulk loaded from graph.nq the first time it is
needed, and again whenever graph.nq is not the file it was loaded from (kg.query's stamp:
size, time and SHA-256): a rebuild replaces OUTDIR, store and all, so the next command
loads the new graph. An OUTDIR that cannot be written to gets an Oxigraph store in memory.

The store's default graph holds the union of the article graphs, each triple once
(kg.query.fill_store), which is what rdflib's Dataset(default_union=True) shows: an
rdflib Graph over StoreView (open_graph) answers triples(), value(), objects() ... with
the same terms as the Dataset would, so the code that reads the graph does not care
which it got. Counting and joining go faster as SPARQL on the store (kg.query's
OxigraphEngine); the commands do that where it matters.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.store import Store

from . import namespaces
from .query import fill_store, graph_file, store_dir_of, uses_store

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def open_store(outdir: Path | str):
    """A pyoxigraph Store holding OUTDIR's graph (named graphs and their union as the
    default graph): the store folder opened read-only, or, for an OUTDIR that cannot be
    written to, one loaded into memory."""
    import pyoxigraph as ox

    folder = store_dir_of(outdir)
    if folder is not None:
        return ox.Store.read_only(str(folder))
    store = ox.Store()
    fill_store(store, graph_file(Path(outdir)))
    return store


def open_graph(outdir: Path | str, threshold: int | None = None) -> Graph:
    """OUTDIR's graph as an rdflib Graph that sees every statement of the build once:
    a Dataset parsed from graph.nq (else kg.outdir.load_outdir) for a small graph, a read-only
    view of the Oxigraph store (StoreView) for one over THRESHOLD bytes (uses_store)."""
    from .outdir import load_outdir

    outdir = Path(outdir)
    if uses_store(outdir, threshold):
        return store_graph(open_store(outdir))
    nq = outdir / "graph.nq"
    if nq.is_file():                          # N-Quads parse some 10 times faster than TriG
        ds = Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        return ds
    return load_outdir(outdir)


def store_graph(ox_store) -> Graph:
    """A read-only rdflib Graph over the default graph of the pyoxigraph Store OX_STORE."""
    return Graph(store=StoreView(ox_store))


# ----------------------------------------------------------------------------- the view

def to_oxigraph(term):
    """The pyoxigraph term for an rdflib term; None stays None (a wildcard)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_oxigraph(term):
    """The rdflib term for a pyoxigraph term, as rdflib's own parser of graph.nq makes it
    (a plain literal has no datatype, not xsd:string)."""
    import pyoxigraph as ox

    if type(term) is ox.NamedNode:
        # str.__new__ is what URIRef() ends with; its check of the characters is left out
        # since Oxigraph only holds valid IRIs, and it is most of the time a view spends
        return str.__new__(URIRef, term.value)
    if type(term) is ox.BlankNode:
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


class StoreView(Store):
    """rdflib's Store interface, read-only, over the default graph of a pyoxigraph Store
    (which kg.query.fill_store fills with the union of the named graphs, each triple once).

    Only reading is offered: triples() (each pattern answered by Oxigraph's indexes),
    __len__ and the project's prefixes; add() and remove() raise TypeError."""
    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, ox_store):
        super().__init__()
        self.ox = ox_store
        self._prefixes = {prefix: URIRef(ns) for prefix, ns in namespaces.PREFIXES.items()}

    def triples(self, triple_pattern, context=None):
        import pyoxigraph as ox

        s, p, o = triple_pattern
        if any(t is not None and not isinstance(t, (URIRef, BNode, Literal)) for t in (s, p, o)):
            raise TypeError(f"StoreView answers plain triple patterns only, not {triple_pattern!r}")
        if isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef)):
            return                             # a pattern no triple can match
        found = self.ox.quads_for_pattern(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.DefaultGraph())
        convert, no_contexts = from_oxigraph, ()
        for quad in found:
            yield ((s if s is not None else convert(quad.subject),
                    p if p is not None else convert(quad.predicate),
                    o if o is not None else convert(quad.object)), iter(no_contexts))

    def __len__(self, context=None) -> int:
        answer = self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(answer))[0].value)

    def contexts(self, triple=None):
        return iter(())

    def add(self, triple, context, quoted=False):
        raise TypeError("the Oxigraph store is opened read-only; the graph cannot be changed here")

    def remove(self, triple, context=None):
        raise TypeError("the Oxigraph store is opened read-only; the graph cannot be changed here")

    def bind(self, prefix, namespace, override=True):
        if override or prefix not in self._prefixes:
            self._prefixes[prefix] = URIRef(namespace)

    def namespace(self, prefix):
        return self._prefixes.get(prefix)

    def prefix(self, namespace):
        return next((p for p, ns in self._prefixes.items() if ns == URIRef(namespace)), None)

    def namespaces(self):
        yield from self._prefixes.items()
