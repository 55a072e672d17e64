"""The vocabularies of the graph: each prefix's namespace IRI, and the IRIs of the graph's
own named graphs, as plain strings.

One table for every module: the writer (kg.write, which needs no rdflib), the rdflib
terms of the readers (kg.rdf), the query prefixes (kg.query) and validation messages
(kg.validate).
"""
from __future__ import annotations

DJ = "https://w3id.org/dangjian-kg/ontology#"
ID = "https://w3id.org/dangjian-kg/id/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"

PREFIXES = {
    "id": ID,
    "dj": DJ,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": NIF,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

GAZETTEER_GRAPH = ID + "graph/gazetteer"   # facts taken from the gazetteer (within chains, codes)
LEXICON_GRAPH = ID + "graph/lexicon"       # facts taken from kg/lexicon (skos:broader between groups)
BUILD_GRAPH = ID + "graph/build"           # the build's provenance
BUILD = ID + "build"
GAZETTEER = ID + "gazetteer"               # the gazetteer as a source: what within edges taken from
                                           # it are prov:wasDerivedFrom (their evidence)
