"""The graph's vocabularies as rdflib terms, for the code that reads a built graph
(kg.query, kg.explore, kg.export, kg.network) and for tests.

The writer (kg.write) needs none of this: it works on N-Triples strings, and a
`kg build` never imports rdflib. `nt_term` turns an rdflib term into the string the
writer would have written for it.
"""
from __future__ import annotations

from rdflib import Literal, Namespace, URIRef

from . import namespaces
from .write import nt_iri, nt_literal

DJ = Namespace(namespaces.DJ)
ID = Namespace(namespaces.ID)
NIF = Namespace(namespaces.NIF)
PREFIXES = {prefix: Namespace(iri) for prefix, iri in namespaces.PREFIXES.items()}

GAZETTEER_GRAPH = URIRef(namespaces.GAZETTEER_GRAPH)
LEXICON_GRAPH = URIRef(namespaces.LEXICON_GRAPH)
BUILD_GRAPH = URIRef(namespaces.BUILD_GRAPH)


def nt_term(term: URIRef | Literal) -> str:
    """An rdflib IRI or literal in N-Triples syntax (through `nt_iri` or `nt_literal`)."""
    if isinstance(term, Literal):
        datatype = nt_iri(str(term.datatype)) if term.datatype is not None else ""
        return nt_literal(str(term), term.language or "", datatype)
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    raise TypeError(f"the graph holds IRIs and literals only, not {term!r}")
