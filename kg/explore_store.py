"""The explorer's data read from the Oxigraph store of a large graph (kg/store.py), by SPARQL.

    read_explore_store(ox_store) -> kg.explore.ExploreGraph

What goes in: a pyoxigraph Store filled by kg.query.fill_store (its default graph the union
of the article graphs, each triple once). What comes out: the ExploreGraph that
kg.explore.read_explore_graph makes of the same graph, except that each node holds only its
first SENTENCES_PER_NODE sentences and STATISTICS_PER_NODE statistics (with their totals in
`sentences_total` and `statistics_total`) and each edge's EdgeEvidence only its first
EVIDENCE_PER_EDGE evidence nodes filled in: exactly what the page shows, so the page is the
same byte for byte (tests/test_store.py).

Why not read the graph through kg.store.StoreView: every term that crosses into Python costs
some 10–40 µs (a RocksDB look-up and an rdflib object), and a 20 MB corpus has 274,000
mentions, 121,000 evidence nodes and 79,000 statistics, each with five or more properties:
937 s. Here the store does the joins and the grouping, and only small answers come out:

* each join is written as a join of sub-queries (`{ SELECT ?m ?e { ?m dj:refersTo ?e } }
  { SELECT ?m ?sn { ?m nif:sentence ?sn } }`), which Oxigraph answers by hashing both sides
  (1.3 s for the 274,000 mentions) instead of looking each row up in the index (15 s);
* the rows of one entity (or edge) come concatenated in one GROUP_CONCAT string, taken apart
  here; a sentence's text is compared by its MD5 (computed by the store), and only the texts
  of the sentences the page shows are read.
"""
from __future__ import annotations

from collections import defaultdict

from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS

from . import explore
from .explore import (RELATIONS, TYPES, EdgeEvidence, ExploreGraph, Sentence, StatisticFact, add_edges,
                      make_nodes)
from .network import Evidence
from .rdf import DJ, NIF

PREFIXES = (f"PREFIX dj: <{DJ}> PREFIX nif: <{NIF}> PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> "
            f"PREFIX skos: <{SKOS}> PREFIX dct: <{DCTERMS}> PREFIX org: <{ORG}> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# GROUP_CONCAT's separators: a row per line, fields by a space (IRIs hold neither, and
# offsets and MD5 digests are plain ASCII)
ROW, FIELD = "\n", " "
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


def _split(concatenated: str) -> list[list[str]]:
    return [row.split(FIELD) for row in concatenated.split(ROW)] if concatenated else []


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

    _read_sentences(store, nodes)
    _read_statistics(store, nodes)
    drawn = {(e.source, e.relation, e.target) for e in edges}
    evidence = _read_evidence(store, drawn)
    return ExploreGraph(nodes=nodes, edges=edges, titles=titles, issued=issued, evidence=evidence)


def _texts(store, sentence_nodes) -> dict[str, str]:
    """{sentence node: its nif:anchorOf} for the given nodes."""
    out = {}
    for batch in _batches(sorted(set(sentence_nodes))):
        out.update(_rows(store, f"SELECT ?n ?t WHERE {{ VALUES ?n {{ {_values(batch)} }} ?n nif:anchorOf ?t }}",
                         "n", "t"))
    return out


def _read_sentences(store, nodes) -> None:
    """Each node's first SENTENCES_PER_NODE sentences and their total, as read_explore_graph
    finds them: the mentions (dj:refersTo) whose nif:sentence has a text, in the order of
    (article, nif:beginIndex, mention IRI), each (article, text) once."""
    found = _rows(store, "SELECT ?e (GROUP_CONCAT(CONCAT(COALESCE(STR(?a), ''), ' ', COALESCE(STR(?b), '0'), ' ', "
                         "STR(?m), ' ', STR(?sn), ' ', MD5(STR(?t))); separator='\\n') AS ?rows) WHERE { "
                         "{ SELECT ?m ?e WHERE { ?m dj:refersTo ?e } } "
                         "{ SELECT ?m ?sn WHERE { ?m nif:sentence ?sn } } "
                         "{ SELECT ?sn ?t WHERE { ?sn nif:anchorOf ?t } } "
                         "OPTIONAL { SELECT ?m ?a WHERE { ?m dj:inArticle ?a } } "
                         "OPTIONAL { SELECT ?m ?b WHERE { ?m nif:beginIndex ?b } } } GROUP BY ?e", "e", "rows")
    first: dict[str, list[tuple[str, str]]] = {}          # entity → [(article, sentence node)]
    for e, rows in found:
        if e not in nodes:
            continue
        seen, shown = set(), []
        for article, _, _, sentence, digest in sorted(_split(rows), key=lambda r: (r[0], int(r[1]), r[2])):
            if (article, digest) not in seen:
                seen.add((article, digest))
                if len(shown) < explore.SENTENCES_PER_NODE:
                    shown.append((article, sentence))
        first[e] = shown
        nodes[e].sentences_total = len(seen)
    text = _texts(store, (sentence for shown in first.values() for _, sentence in shown))
    for e, shown in first.items():
        nodes[e].sentences = [Sentence(text[sentence], article) for article, sentence in shown]


def _read_statistics(store, nodes) -> None:
    """Each node's first STATISTICS_PER_NODE statistics (dj:about it) and their total, in the
    order of (article it is mentionedIn, nif:beginIndex, statistic IRI)."""
    found = _rows(store, "SELECT ?e (GROUP_CONCAT(CONCAT(COALESCE(STR(?a), ''), ' ', COALESCE(STR(?b), '0'), ' ', "
                         "STR(?st)); separator='\\n') AS ?rows) WHERE { "
                         "{ SELECT ?st ?e WHERE { ?st dj:about ?e } } "
                         "OPTIONAL { SELECT ?st ?a WHERE { ?st dj:mentionedIn ?a } } "
                         "OPTIONAL { SELECT ?st ?b WHERE { ?st nif:beginIndex ?b } } } GROUP BY ?e", "e", "rows")
    first: dict[str, list[tuple[str, str]]] = {}           # entity → [(article, statistic)]
    for e, rows in found:
        if e not in nodes:
            continue
        ordered = sorted(_split(rows), key=lambda r: (r[0], int(r[1]), r[2]))
        first[e] = [(article, st) for article, _, st in ordered[:explore.STATISTICS_PER_NODE]]
        nodes[e].statistics_total = len(ordered)
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


def _read_evidence(store, drawn: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], EdgeEvidence]:
    """The EdgeEvidence of each drawn edge (source, relation, target) from its rdf:Statement
    nodes (kg.network.edge_evidence: those with rdf:subject, rdf:predicate one of RELATIONS,
    rdf:object), the first EVIDENCE_PER_EDGE in Evidence.order read in full."""
    relations = " ".join(f"dj:{r}" for r in RELATIONS)
    found = _rows(store, "SELECT ?s ?p ?o (GROUP_CONCAT(CONCAT(STR(?n), ' ', COALESCE(STR(?a), ''), ' ', "
                         "COALESCE(STR(?b), '-1'), ' ', COALESCE(STR(?d), ''), ' ', COALESCE(?has, '')); "
                         "separator='\\n') AS ?rows) WHERE { "
                         f"{{ SELECT ?n ?p WHERE {{ VALUES ?p {{ {relations} }} ?n rdf:predicate ?p }} }} "
                         "{ SELECT ?n ?s WHERE { ?n rdf:subject ?s } } "
                         "{ SELECT ?n ?o WHERE { ?n rdf:object ?o } } "
                         "OPTIONAL { SELECT ?n ?a WHERE { ?n dj:inArticle ?a } } "
                         "OPTIONAL { SELECT ?n ?b WHERE { ?n nif:beginIndex ?b } } "
                         "OPTIONAL { SELECT ?n ?d WHERE { ?n prov:wasDerivedFrom ?d } } "
                         "OPTIONAL { SELECT ?n ?has WHERE { { SELECT ?n ?sn WHERE { ?n rdf:predicate [] ; nif:sentence ?sn } } "
                         "{ SELECT DISTINCT ?sn WHERE { ?sn nif:anchorOf [] } } "
                         # an empty text is no sentence (Evidence.order); found by the value, as
                         # reading every text to measure it took a third of this query's time
                         "MINUS { VALUES ?empty { '' ''@zh } ?sn nif:anchorOf ?empty } BIND('s' AS ?has) } } "
                         "} GROUP BY ?s ?p ?o", "s", "p", "o", "rows")
    summaries = {}
    for s, p, o, rows in found:
        key = (s, p[len(str(DJ)):], o)
        if key not in drawn:
            continue
        # Evidence.order: with a sentence first, then article, offset, node
        ordered = sorted(_split(rows), key=lambda r: (not r[4], r[1], int(r[2]), r[0]))
        summaries[key] = (ordered, sorted({r[1] for r in ordered if r[1]}),
                          next((r[3] for r in ordered if r[3]), ""))
    wanted = sorted({r[0] for ordered, _, _ in summaries.values() for r in ordered[:explore.EVIDENCE_PER_EDGE]})
    more = {}
    for batch in _batches(wanted):
        for n, end, text, first in _rows(store, f"SELECT * WHERE {{ VALUES ?n {{ {_values(batch)} }} "
                                               "OPTIONAL { ?n nif:endIndex ?end } "
                                               "OPTIONAL { ?n nif:sentence ?sn OPTIONAL { ?sn nif:anchorOf ?text } "
                                               "OPTIONAL { ?sn nif:beginIndex ?first } } }",
                                         "n", "end", "text", "first"):
            more[n] = (int(end) if end is not None else -1, text or "", int(first) if first is not None else -1)
    out = {}
    for key, (ordered, articles, derived) in summaries.items():
        shown = []
        for node, article, begin, derived_from, _ in ordered[:explore.EVIDENCE_PER_EDGE]:
            end, text, first = more[node]
            shown.append(Evidence(node=node, article=article, sentence=text, begin=int(begin), end=end,
                                  derived_from=derived_from, sentence_begin=first))
        out[key] = EdgeEvidence(shown=tuple(shown), count=len(ordered), articles=tuple(articles),
                                derived_from=derived)
    return out
