"""`kg export`: the graph in the formats other tools read.

    export(outdir, fmt, path) -> ExportReport(nodes, edges, statistics, files)

| fmt       | writes | for |
|---|---|---|
| `graphml` | one GraphML file: the entity network of `kg.network.to_networkx` | Gephi, Cytoscape, yEd, networkx |
| `gexf`    | the same network as GEXF 1.2 | Gephi, networkx |
| `jsonld`  | every triple of the graph (the union of the named graphs, i.e. what graph.ttl holds) as JSON-LD, compacted with the project's prefixes | JSON-LD processors, rdflib, pyld |
| `csv`     | a folder with nodes.csv, edges.csv and statistics.csv | spreadsheets, pandas |

Network files (GraphML, GEXF, CSV): nodes are the entities with the attributes
`kg.network.to_networkx` gives them (label, type, kind, aliases, code, mentions,
articles), edges the eight relations with the attributes `relation` (and
`label`, the same, which Gephi shows) and `weight` (how many distinct articles
state the edge; 0 for one only the gazetteer gives). GraphML edges get ids e0, e1, ... since
GraphML readers want each edge id once; in GEXF the relation is also the edge's
networkx key. Both are well-formed XML 1.0 whatever the names hold: the
characters XML 1.0 cannot carry at all (C0 controls other than tab, LF and
CR; U+FFFE, U+FFFF; lone surrogates) are written as U+FFFD.

CSV files are UTF-8 with a byte-order mark, which Excel needs to show Chinese
correctly; read them with `encoding="utf-8-sig"` (csv module, pandas). A text
cell beginning with = + - @ tab or CR, which a spreadsheet would run as a
formula, gets a leading ' (OWASP's advice on CSV injection); the numeric
columns (mentions, articles, evidence, value, begin, end) are written as they are.
Columns:

- nodes.csv: id, label, type, kind, code, aliases, mentions, articles
- edges.csv: source, source_label, relation, target, target_label, articles,
  evidence, sentence, article, article_title, begin, end, derived_from (one row
  per edge; `articles` how many distinct articles state it, `evidence` how many
  evidence nodes it has, and the rest the first of them in
  kg.network.Evidence.order: a sentence naming both ends where there is one)
- statistics.csv: id, value, unit, qualifier, measure, period, about,
  about_label, article, article_title, anchor, begin, end, sentence
  (`sentence` is the evidence: the sentence the number was read from)

Output is deterministic (nodes, edges, statistics and JSON-LD objects sorted;
no time stamps) and written atomically: into a temporary file or folder beside
PATH that then takes PATH's place, so a failed export leaves PATH as it was.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .atomic import write_file, write_folder
from .network import as_graph, edge_evidence, to_networkx
from .rdf import DJ, NIF, PREFIXES

FORMATS = ("graphml", "gexf", "jsonld", "csv")
CSV_FILES = ("nodes.csv", "edges.csv", "statistics.csv")
CSV_ENCODING = "utf-8-sig"

NODE_COLUMNS = ("id", "label", "type", "kind", "code", "aliases", "mentions", "articles")
EDGE_COLUMNS = ("source", "source_label", "relation", "target", "target_label", "articles", "evidence",
                "sentence", "article", "article_title", "begin", "end", "derived_from")
STATISTIC_COLUMNS = ("id", "value", "unit", "qualifier", "measure", "period", "about", "about_label",
                     "article", "article_title", "anchor", "begin", "end", "sentence")
NUMERIC_COLUMNS = frozenset({"mentions", "articles", "evidence", "value", "begin", "end"})

# what a spreadsheet takes for the start of a formula (tab and CR as well: some
# strip them and read on)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# every character outside XML 1.0's Char production
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class ExportReport:
    """What an export wrote: entity nodes, relation edges, statistics, and the files."""
    nodes: int
    edges: int
    statistics: int
    files: list[Path] = field(default_factory=list)
    triples: int | None = None          # JSON-LD only: the RDF statements written

    def text(self) -> str:
        counts = f"{self.nodes} nodes, {self.edges} edges, {self.statistics} statistics"
        if self.triples is not None:
            counts += f", {self.triples} triples"
        return counts + "\nwrote " + ", ".join(str(f) for f in self.files)


def statistics_table(source) -> list[dict[str, str]]:
    """One row per dj:Statistic with the columns in `STATISTIC_COLUMNS`, all str
    ("" where the graph has no value), sorted by article, then offset.

    `source` is an OUTDIR path, an rdflib Dataset or Graph (see
    `kg.network.as_graph`). `value` is the number as written in the graph
    (xsd:decimal, e.g. "660000" for 66万元), `sentence` its evidence sentence (the text of
    the nif:Sentence node it points at).
    """
    g = as_graph(source)

    def one(s, p) -> str:
        values = sorted(str(o) for o in g.objects(s, p))
        return values[0] if values else ""

    def label(iri: str) -> str:
        return one(URIRef(iri), SKOS.prefLabel) if iri else ""

    rows = []
    for s in set(g.subjects(RDF.type, DJ.Statistic)):
        about, article = one(s, DJ.about), one(s, DJ.mentionedIn)
        sentence = g.value(s, NIF.sentence)          # its node; the text is the node's nif:anchorOf
        rows.append({
            "id": str(s), "value": one(s, DJ.value), "unit": one(s, DJ.unit),
            "qualifier": one(s, DJ.qualifier), "measure": one(s, DJ.measure), "period": one(s, DJ.period),
            "about": about, "about_label": label(about),
            "article": article, "article_title": one(URIRef(article), DCTERMS.title) if article else "",
            "anchor": one(s, NIF.anchorOf), "begin": one(s, NIF.beginIndex), "end": one(s, NIF.endIndex),
            "sentence": one(sentence, NIF.anchorOf) if sentence is not None else "",
        })
    rows.sort(key=lambda r: (r["article"], int(r["begin"] or 0), r["id"]))
    return rows


def _csv_cell(column: str, value):
    """The cell as written: text a spreadsheet would run as a formula ("=HYPERLINK(...)",
    "@SUM(1)", "-2+3") with a leading "'"; numbers, also negative ones, as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if column in NUMERIC_COLUMNS:
        try:
            float(value)
            return value
        except ValueError:
            pass                            # not a number after all: neutralize it too
    return "'" + value


def _csv_bytes(columns, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({c: _csv_cell(c, v) for c, v in row.items()} for row in rows)
    return buf.getvalue().encode(CSV_ENCODING)


def edges_table(G: nx.MultiDiGraph, evidence: dict, titles: dict[str, str]) -> list[dict]:
    """One row per edge of a `to_networkx` graph with the columns in `EDGE_COLUMNS`: its ends,
    how many articles state it (the edge's weight) and how many evidence nodes it has,
    and the first evidence (kg.network.edge_evidence, sorted): its sentence, article (IRI
    and title), offsets (-1 becomes ""), and what it was derived from (the gazetteer)."""
    rows = []
    for u, v, d in G.edges(data=True):
        found = evidence.get((u, d["relation"], v), [])
        first = found[0] if found else None
        rows.append({"source": u, "source_label": G.nodes[u]["label"], "relation": d["relation"],
                     "target": v, "target_label": G.nodes[v]["label"], "articles": d.get("weight", 0),
                     "evidence": len(found), "sentence": first.sentence if first else "",
                     "article": first.article if first else "",
                     "article_title": titles.get(first.article, "") if first else "",
                     "begin": first.begin if first and first.begin >= 0 else "",
                     "end": first.end if first and first.end >= 0 else "",
                     "derived_from": first.derived_from if first else ""})
    return rows


def csv_files(G: nx.MultiDiGraph, statistics: list[dict[str, str]],
              edges: list[dict] | None = None) -> dict[str, bytes]:
    """nodes.csv, edges.csv and statistics.csv of a `to_networkx` graph, a `statistics_table`
    and an `edges_table` (without one: the edges' evidence columns stay empty)."""
    nodes = [{"id": n, **{c: d.get(c, "") for c in NODE_COLUMNS[1:]}} for n, d in G.nodes(data=True)]
    if edges is None:
        edges = edges_table(G, {}, {})
    return {"nodes.csv": _csv_bytes(NODE_COLUMNS, nodes),
            "edges.csv": _csv_bytes(EDGE_COLUMNS, edges),
            "statistics.csv": _csv_bytes(STATISTIC_COLUMNS, statistics)}


def _xml_text(value):
    """value, if a str, with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _for_xml(G: nx.MultiDiGraph, keys=None) -> nx.MultiDiGraph:
    """A copy of G for the XML writers: edges also carry `label` (= relation) and are
    keyed by keys(i, key) if given; node ids and attribute values are `_xml_text`."""
    W = nx.MultiDiGraph()
    W.add_nodes_from((_xml_text(n), {a: _xml_text(v) for a, v in d.items()}) for n, d in G.nodes(data=True))
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        W.add_edge(_xml_text(u), _xml_text(v), key=keys(i, k) if keys else _xml_text(k),
                   **{a: _xml_text(x) for a, x in d.items()}, label=_xml_text(d["relation"]))
    return W


def graphml_bytes(G: nx.MultiDiGraph) -> bytes:
    """GraphML of a `to_networkx` graph; edge ids e0, e1, ... in edge order."""
    buf = io.BytesIO()
    nx.write_graphml(_for_xml(G, keys=lambda i, k: f"e{i}"), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def gexf_bytes(G: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of a `to_networkx` graph, without the writer's date stamp."""
    buf = io.BytesIO()
    nx.write_gexf(_for_xml(G), buf, encoding="utf-8", prettyprint=True)
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)


def jsonld_bytes(source) -> tuple[bytes, int]:
    """(JSON-LD, triple count) of every statement in `source` (the union of its named graphs).

    rdflib's JSON-LD serializer writes it with an @context of the project's
    prefixes (dj, id, skos, dcterms, prov, org, nif, xsd, rdfs, rdf); the
    objects of @graph are then sorted by @id, their keys and their value arrays
    sorted, so that the same graph gives the same bytes.
    """
    union = Graph()
    for triple in as_graph(source).triples((None, None, None)):
        union.add(triple)
    context = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    doc = json.loads(union.serialize(format="json-ld", context=context))
    if "@graph" in doc:
        nodes = doc["@graph"] if isinstance(doc["@graph"], list) else [doc["@graph"]]
    else:                                   # one subject only: the serializer writes it inline
        node = {k: v for k, v in doc.items() if k != "@context"}
        nodes = [node] if node else []
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list) and key != "@list":
                value.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: n.get("@id", ""))
    doc = {"@context": context, "@graph": nodes}
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return text.encode("utf-8"), len(union)


def _check_target(path: Path, fmt: str) -> None:
    """Raise ValueError if an export in fmt may not write to path.

    A file format may overwrite a file but not a folder. A csv export replaces
    an existing path only if it is a folder that holds nothing but nodes.csv,
    edges.csv and statistics.csv (an earlier export), so that a mistyped -o
    cannot delete anything else.
    """
    if fmt != "csv":
        if path.is_dir():
            raise ValueError(f"{path} is a folder; give a file name, e.g. {path / 'graph'}.{fmt}")
        return
    if path.exists():
        if not path.is_dir():
            raise ValueError(f"{path} is a file; a csv export writes a folder")
        others = sorted(p.name for p in path.iterdir() if p.name not in CSV_FILES)
        if others:
            raise ValueError(f"{path} already holds other files ({', '.join(others[:3])}"
                             f"{', ...' if len(others) > 3 else ''}); give a new folder or an earlier "
                             "csv export's")


def export(outdir, fmt: str, path) -> ExportReport:
    """Write the graph of OUTDIR to path in format fmt (one of `FORMATS`).

    Input: `outdir`, an OUTDIR of `kg build` (str or Path) or an rdflib Dataset
    or Graph already loaded; `fmt`; `path`, the file to write (graphml, gexf,
    jsonld) or the folder (csv). Output: an ExportReport with the number of
    entity nodes, relation edges and statistics, and the files written.
    Raises ValueError for an unknown format or a path that cannot be written
    to, FileNotFoundError when outdir holds no graph.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    _check_target(path, fmt)            # before the graph is loaded: bad input fails fast
    g = as_graph(outdir)
    G = to_networkx(g)
    statistics = statistics_table(g)
    report = ExportReport(nodes=G.number_of_nodes(), edges=G.number_of_edges(), statistics=len(statistics))
    if fmt == "csv":
        titles = {str(a): str(t) for a, _, t in g.triples((None, DCTERMS.title, None))}
        files = csv_files(G, statistics, edges_table(G, edge_evidence(g), titles))
        write_folder(path, files)
        report.files = [path / name for name in files]
        return report
    if fmt == "jsonld":
        data, report.triples = jsonld_bytes(g)
    else:
        data = graphml_bytes(G) if fmt == "graphml" else gexf_bytes(G)
    write_file(path, data)
    report.files = [path]
    return report
