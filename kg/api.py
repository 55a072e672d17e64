"""One text in, its graph out, in Python: `kg.extract(text)` (docs/api.md).

    extract(text, *, title=None, date=None, url=None, doc_id="text") -> Extracted
    Extractor().extract(text, ...) -> Extracted     # the dictionaries loaded once, for many texts

The text goes the way a file of `kg build` goes (kg.build), as if it were the only input file
DOC_ID.txt, given a --meta row with TITLE, DATE and URL: read (kg.read.page_from_bytes, as UTF-8
bytes), split into articles, dated, each article's mentions found, resolved and related, the
divisions' parents added from the gazetteer, and the graph written (kg.build.write_graph). So
its entities, relations and IRIs are those of `kg build DIR -o OUT --meta FILE` over a folder
holding that one file, and Extracted.graph holds the statements of OUT/graph.nq.

Extracted holds the model's dataclasses (kg.model: Article, Entity, Relation, Statistic), each
entity's IRI, the counts `kg stats` would print (kg.counts.tally) and the graph as an rdflib
Dataset (the union of its named graphs as its default graph, as kg.store.open_graph loads a
graph.nq). Nothing is written to disk but a scratch folder, removed before extract returns.
"""
from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .build import Key, Pipeline, graph_versions, segmenter_words, write_graph, written_counts
from .counts import GraphCounts
from .dates import date_articles, meta_row
from .gazetteer import Gazetteer
from .model import Article, Entity, Relation, Statistic
from .read import page_from_bytes
from .segment import Segmenter
from .split import split_articles
from .write import entity_iri


@dataclass
class Extracted:
    """What extract() found in one text.

    articles: the articles the text was split into (most texts hold one);
    entities: every entity of the graph (those the text names, and the divisions above them
      that the gazetteer adds), sorted by IRI; iris: each entity's IRI, by Entity.key;
    relations: the relations between them, each once (Relation.evidence: where the text
      states it; None for a `within` taken from the gazetteer), sorted;
    statistics: the numbers the text reports, in text order, `about` an Entity.key;
    counts: distinct nodes per class and edges per relation, as `kg stats` counts them;
    graph: the RDF graph (rdflib Dataset; its default graph is the union of the named ones);
    warnings: what reading repaired or converted (traditional characters, stray controls);
      undated: (article index, why) for each article left without a date."""
    articles: list[Article]
    entities: list[Entity]
    iris: dict[Key, str]
    relations: list[Relation]
    statistics: list[Statistic]
    counts: GraphCounts
    graph: Dataset
    warnings: list[str] = field(default_factory=list)
    undated: list[tuple[int, str]] = field(default_factory=list)

    def iri(self, entity: Entity | Key) -> str:
        """The IRI of ENTITY (an Entity or its key) in the graph."""
        return self.iris[entity.key if isinstance(entity, Entity) else entity]

    def entity(self, key: Key) -> Entity:
        """The entity of KEY (a Relation's subject or object, a Statistic's `about`)."""
        return self._by_key[key]

    def named(self, name: str, type: str | None = None) -> list[Entity]:
        """The entities named NAME (their canonical name or an alias), of TYPE if given."""
        return [e for e in self.entities if (name == e.name or name in e.aliases)
                and (type is None or e.type == type)]

    @property
    def _by_key(self) -> dict[Key, Entity]:
        return {e.key: e for e in self.entities}


class Extractor:
    """extract() with the gazetteer and the segmenter's dictionary loaded once (about a second
    each time otherwise): for many texts, `ex = Extractor()` and then `ex.extract(text)`. The
    texts are extracted apart: nothing of one is resolved against another."""

    def __init__(self, gazetteer: Gazetteer | None = None, segmenter: Segmenter | None = None):
        self.gazetteer = gazetteer or Gazetteer.load()
        self.segmenter = segmenter or Segmenter(segmenter_words())

    def extract(self, text: str, *, title: str | None = None, date: str | None = None,
                url: str | None = None, doc_id: str = "text") -> Extracted:
        """See the module's docstring. title, date (ISO: 2023-09-11, 2023-09-11T10:49:00,
        2023-09, 2023) and url: what a --meta row gives, winning over what the text says;
        doc_id: the name of the file the text stands for (its articles' IRIs,
        id:article/DOC_ID/1). Raises ValueError for a text that holds no Chinese, nothing
        after normalization, or a bad date or url (the message says which)."""
        record = {"doc": doc_id, "title": title, "date": date, "url": url}
        row, problems = meta_row(record, "kg.extract")
        if problems:
            # read_meta's message, less what the build then does ("; date left out")
            raise ValueError(problems[0].replace("kg.extract:1: ", "kg.extract: ").split("; ")[0])
        page, warnings = page_from_bytes(text.encode("utf-8", "surrogatepass"), Path(f"{doc_id}.txt"), doc_id)
        articles = split_articles(page)
        if not articles:
            raise ValueError("kg.extract: no text found after normalization")
        undated = date_articles(page, articles, row)
        pipeline = Pipeline(self.gazetteer, self.segmenter)
        try:
            results = [pipeline.run_article(article) for article in articles]
            within = pipeline.hierarchy()
            pipeline.registry.finish()
            registry = pipeline.registry
            edges = {(r.subject, r.predicate, r.object) for result in results for r in result.relations}
            counts = written_counts(registry, edges, within)
            relations = sorted({r.subject + (r.predicate,) + r.object: r
                                for r in [*(r for result in results for r in result.relations), *within]
                                }.values(), key=lambda r: (r.subject, r.predicate, r.object))
            graph = _graph(pipeline, within)
        finally:
            pipeline.results.close()
        iris = {key: entity_iri(entity) for key, entity in registry.entities.items()}
        return Extracted(articles=articles,
                         entities=sorted(registry.entities.values(), key=lambda e: iris[e.key]),
                         iris=iris, relations=relations,
                         statistics=[st for result in results for st in result.statistics],
                         counts=counts, graph=graph, warnings=warnings, undated=undated)


def extract(text: str, *, title: str | None = None, date: str | None = None, url: str | None = None,
            doc_id: str = "text") -> Extracted:
    """The entities, relations and statistics of TEXT and its RDF graph: Extractor().extract
    (the dictionaries loaded for this call alone)."""
    return Extractor().extract(text, title=title, date=date, url=url, doc_id=doc_id)


def _graph(pipeline: Pipeline, within: list[Relation]) -> Dataset:
    """The graph kg.build.write_graph writes for PIPELINE's results (graph.nq, parsed)."""
    scratch = Path(tempfile.mkdtemp(prefix="kg-extract-"))
    nquads = io.BytesIO()
    try:
        for name, write in write_graph(pipeline, within, graph_versions(pipeline), scratch):
            if name == "graph.nq":          # the files come one after the other: the others unwritten
                write(nquads)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    graph = Dataset(default_union=True)
    graph.parse(data=nquads.getvalue().decode("utf-8"), format="nquads")
    return graph
