"""The whole way from input files to graph files: `kg build`.

    read → normalize/split → find mentions → resolve → relate → statistics → RDF → OUTDIR

`build(inputs, outdir)` runs every stage and writes OUTDIR atomically: the
files are written to a fresh folder beside it, which then takes OUTDIR's
place, so a failed build leaves an earlier OUTDIR as it was. `run(inputs, output, **options)`
is `kg build` with its flags as options (quiet, jobs, meta, force, no_cache, dask, store): the
CLI calls it, and so does `kg.build(...)` from Python, this module being callable (docs/api.md).
The report's counts are the graph's distinct entities and edges, as `kg stats` counts them
(written_counts, kg.counts.tally).

Extraction (Pipeline.extract, one article at a time) runs here, in `-j` worker
processes or on a dask cluster (kg.distributed), and is kept per input file in
OUTDIR/.kg-cache (kg.extract_cache) so that a rebuild extracts only new or changed
files (extract_files); resolving and relating run here, in input order.

Memory stays bounded as the input grows: each article's result, once resolved and
related, goes to a temporary file (ArticleResults) and is read back one at a time to be
written; the graph is written as it is made, each article's named graph handed to
kg.write.GraphFiles, which sorts the statements through shard files in a scratch folder
inside the new OUTDIR (removed before it takes OUTDIR's place); with `-j` the articles'
graphs and shards are made in worker processes forked after resolution. What stays in
memory grows with the number of entities and articles, not with the text or the statements.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import types
from array import array
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable


from .version import __version__
from .dates import MetaError, MetaTable, date_articles, read_meta, resolve_statistics
from .doc import Doc
from .find.programs import program_parts, program_targets
from .find.run import FINDERS, read_doc
from .atomic import replace_folder, write_files
from .curate import apply as apply_curation, curation_files, read_curation
from .extract_cache import ExtractCache, extractor_version
from .outdir import CACHE_DIRNAME, GRAPH_FILES, MARKER, claim_outdir, marker_bytes
from .gazetteer import Division, Gazetteer
from .lexicon import column, load
from .counts import COUNTED, GraphCounts, tally
from .model import ENTITY_TYPES, RELATIONS, Article, Evidence, Mention, Page, Relation, Statistic
from .write import FROM_GAZETTEER, GraphFiles, GraphShards, GraphWriter, entity_iri, nt_iri
from .read import ReadProblem, read_pages
from .relate import Located, Topics, relate_article, statistics_about
from .resolve import Registry, select_mentions
from .segment import Segmenter
from .split import split_articles
from .statistics import find_statistics

Key = tuple[str, str]


@dataclass
class Extraction:
    """What one article yields on its own, before its names are resolved against the other
    articles (Pipeline.extract). Plain data, so that a worker process can hand it back.

    focus: the divisions the article is about, province first; mentions: the mentions kept
    (kg.resolve.select_mentions); parts and targets: (part, whole) and (program, group)
    pairs of those very Mention objects; statistics: its statistics, `about` not yet set."""
    focus: list[Division]
    mentions: list[Mention]
    parts: list[tuple[Mention, Mention]]
    targets: list[tuple[Mention, Mention]]
    statistics: list[Statistic]


@dataclass
class ArticleResult:
    article: Article
    focus: Key | None
    located: list[Located]
    relations: list[Relation]
    statistics: list[Statistic]


class ArticleResults:
    """The ArticleResults of a build, in the order they were added, kept in an anonymous
    temporary file (each pickled as it is added) rather than in memory: `append(result)`,
    `len`, iteration in order (one result read back at a time) and `get(doc_id, index)`.
    A file's text (Article.source), which all of its articles share, is stored once.
    In memory: where each one lies in the file. The file is removed when this is
    closed or collected, or the process ends."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kg-results-", buffering=0)
        self._spans: list[tuple[int, int, str]] = []        # (offset, length, doc_id) in the file
        self._at: dict[tuple[str, int], int] = {}            # (doc_id, index) -> position
        self._sources: dict[str, tuple[int, int]] = {}       # doc_id -> (offset, length) of its text
        self._end = 0

    def _put(self, data: bytes) -> tuple[int, int]:
        os.pwrite(self._file.fileno(), data, self._end)
        self._end += len(data)
        return self._end - len(data), len(data)

    def _get(self, span: tuple[int, int]) -> bytes:
        return os.pread(self._file.fileno(), span[1], span[0])

    def append(self, result: ArticleResult) -> None:
        article = result.article
        if article.doc_id not in self._sources:
            self._sources[article.doc_id] = self._put(article.source.encode("utf-8", "surrogatepass"))
        result = dataclasses.replace(result, article=dataclasses.replace(article, source=""))
        self._at[(article.doc_id, article.index)] = len(self._spans)
        self._spans.append((*self._put(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)), article.doc_id))

    def _read(self, n: int, source: str | None = None) -> ArticleResult:
        offset, length, doc_id = self._spans[n]
        result = pickle.loads(self._get((offset, length)))
        if source is None:
            source = self._get(self._sources[doc_id]).decode("utf-8", "surrogatepass")
        result.article.source = source
        return result

    def get(self, doc_id: str, index: int) -> ArticleResult | None:
        """The result of article INDEX of DOC_ID, read back; None if it has none."""
        n = self._at.get((doc_id, index))
        return None if n is None else self._read(n)

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[ArticleResult]:
        return self.between(0, len(self._spans))

    def between(self, start: int, stop: int) -> Iterator[ArticleResult]:
        """The results from the START-th added to the one before the STOP-th, read back one at
        a time (the file is read by position: processes forked from this one may read it too)."""
        source, doc_id = None, None
        for n in range(start, stop):
            doc = self._spans[n][2]
            if doc != doc_id:                # a file's articles come one after the other
                source, doc_id = None, doc
            result = self._read(n, source)
            source = result.article.source
            yield result

    def close(self) -> None:
        self._file.close()


@dataclass
class BuildReport:
    files: int = 0
    articles: int = 0
    # the graph's distinct entities by type and distinct edges by relation, as `kg stats`
    # counts them (kg.counts.tally; written_counts below)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    statistics: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0
    issued: int = 0                                  # articles with a date (dcterms:issued)
    undated: list[tuple[str, str]] = field(default_factory=list)   # (article "doc/n", why not)
    # Not in summary.json (a warm build's must equal a cold build's): how the files were
    # extracted, the extraction cache's warnings, and where the time went.
    extracted: int = 0                               # files extracted in this build
    from_cache: int = 0                              # files whose extraction the cache held
    cache_warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)   # stage → seconds
    store: str | None = None                         # run(store=...): the Oxigraph store's folder
    store_quads: int = 0                             # and the quads loaded into it
    curation: list[dict] = field(default_factory=list)   # the curation files applied (kg.curate)

    def summary(self) -> dict:
        """The counts (no time: summary.json must stay byte-identical between builds)."""
        return {"files": self.files, "articles": self.articles, "counted": COUNTED,
                "entities": dict(sorted(self.entities.items())),
                "relations": dict(sorted(self.relations.items())),
                "statistics": self.statistics,
                "problems": [str(p) for p in self.problems],
                "articles_issued": self.issued, "undated_articles": len(self.undated),
                "undated": [{"article": a, "reason": why} for a, why in self.undated],
                **({"curation": self.curation} if self.curation else {})}

    def text(self) -> str:
        lines = [f"files: {self.files}   articles: {self.articles}   "
                 f"entities: {sum(self.entities.values())}   statistics: {self.statistics}   "
                 f"relations: {sum(self.relations.values())}   time: {self.seconds:.2f} s"]
        lines.append("entities by type (distinct nodes, as kg stats counts them): "
                     + ", ".join(f"{t} {n}" for t, n in sorted(self.entities.items())))
        lines.append("relations (distinct edges, as kg stats counts them): "
                     + ", ".join(f"{t} {n}" for t, n in sorted(self.relations.items())))
        lines.append(f"extraction: {self.extracted} file(s) extracted, {self.from_cache} from the cache")
        for c in self.curation:
            lines.append(f"curation: {c['file']} (sha256 {c['sha256'][:12]}…): {c['applied']} row(s) applied, "
                         f"{c['skipped']} skipped")
        if self.timings:
            lines.append("time by stage: " + ", ".join(f"{stage} {s:.2f} s" for stage, s in self.timings.items()))
        return "\n".join(lines)


def written_counts(registry: Registry, edges: set[tuple[Key, str, Key]], within: list[Relation]) -> GraphCounts:
    """What `kg stats` will count in the graph written for REGISTRY's entities (every one is
    written, each with its type), the relations EDGES (subject key, relation, object key)
    and WITHIN (Pipeline.hierarchy): kg.counts.tally over their IRIs, as write_graph makes
    them (two keys that come to one IRI are one node of the graph)."""
    iri = {key: nt_iri(entity_iri(entity)) for key, entity in registry.entities.items()}
    typed = ((iri[key], key[0]) for key in registry.entities)
    return tally(typed, chain(((iri[s], p, iri[o]) for s, p, o in edges),
                              ((iri[r.subject], r.predicate, iri[r.object]) for r in within)))


def graph_versions(pipeline: Pipeline) -> dict[str, str]:
    """What made the graph, for its provenance (GraphWriter.add_build): the versions of this
    package, rdflib and jieba, and the gazetteer PIPELINE read."""
    return {"dangjian-kg": __version__, "rdflib": version("rdflib"),
            "jieba": version("jieba"), "gazetteer": pipeline.gazetteer.source()}


def segmenter_words() -> list[str]:
    """The user dictionary for jieba: trigger words, titles, suffixes, known names from the lexicons."""
    words: list[str] = []
    for name, col in (("program_triggers", "trigger"), ("known_programs", "name"),
                      ("target_groups", "name"), ("facility_kinds", "name"),
                      ("post_titles", "title"), ("org_suffixes", "suffix"), ("platforms", "name")):
        try:
            words.extend(column(name, col))
        except (FileNotFoundError, KeyError):
            continue
    return words


class Pipeline:
    """The extractor: gazetteer and segmenter loaded once, then one article at a time."""

    def __init__(self, gazetteer: Gazetteer | None = None, segmenter: Segmenter | None = None):
        # The dictionaries loaded here are most of the heap and live as long as the process.
        # The garbage collector would walk them in every full pass, while they load and then
        # as the articles' objects come and go (~0.1 s on a 258 KB line): they are made
        # without it and then kept out of its passes.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.gazetteer = gazetteer or Gazetteer.load()
            self.segmenter = segmenter or Segmenter(segmenter_words())
        finally:
            if collecting:
                gc.enable()
        gc.freeze()
        self.registry = Registry()
        self.names: dict[tuple[str, str], Key] = {}
        self.results = ArticleResults()       # on disk: what writing the graph needs of each article

    # -- mentions ---------------------------------------------------------------
    def mentions(self, article: Article) -> tuple[Doc, list[Mention]]:
        """The article's Doc, with every finder's mentions, and the mentions kept of those
        (where two overlap, select_mentions keeps one). doc.focus: the divisions the article
        is about (province first)."""
        doc = read_doc(article, self.gazetteer, self.segmenter)
        for finder in FINDERS:
            doc.mentions += finder(doc)
        return doc, select_mentions(doc.mentions)

    def division_key(self, division: Division) -> Key:
        mention = Mention("AdministrativeUnit", division.name, 0, 0, division.name,
                          {"division": division, "level": division.level, "code": division.code})
        return self.registry.add(mention, None)

    # -- one article --------------------------------------------------------------
    def extract(self, article: Article) -> Extraction:
        """What the article yields on its own (kg.find, kg.statistics): it reads nothing of
        the other articles, so articles can be extracted in any order or process."""
        doc, mentions = self.mentions(article)
        programs = [m for m in mentions if m.type == "Program"]
        groups = [m for m in mentions if m.type == "TargetGroup"]
        return Extraction(doc.focus, mentions, program_parts(doc, programs),
                          program_targets(doc, programs, groups), find_statistics(article.text))

    def run_article(self, article: Article, extraction: Extraction | None = None) -> ArticleResult:
        """Resolve the article's mentions against the entities of the articles before it, and
        relate them (kg.resolve, kg.relate). extraction: self.extract(article), made here
        when not given."""
        found = extraction or self.extract(article)
        located = []
        for m in found.mentions:
            evidence = Evidence(article.doc_id, article.index, m.start, m.end)
            key = self.registry.add(m, evidence)
            located.append(Located(m, key))
            entity = self.registry.get(key)
            for name in {entity.name, *entity.aliases}:
                self.names[(m.type, name)] = key
        focus_key = self.division_key(found.focus[-1]) if found.focus else None
        programs = [loc for loc in located if loc.mention.type == "Program"]
        groups = [loc for loc in located if loc.mention.type == "TargetGroup"]
        topics = Topics(article, located, focus_key)
        resolve_statistics(found.statistics, article.issued)
        relations = relate_article(article, located, focus_key, self.names, found.parts,
                                   found.targets, programs, groups, topics)
        statistics_about(article, found.statistics, located, focus_key, topics)
        result = ArticleResult(article, focus_key, located, relations, found.statistics)
        self.results.append(result)
        return result

    # -- the official hierarchy ------------------------------------------------------
    def hierarchy(self) -> list[Relation]:
        """`within` for every division: its parent from the gazetteer, up to the province
        (evidence None); for divisions the gazetteer lacks, the parent the text gave, with the
        evidence of `_chain_evidence`."""
        relations: list[Relation] = []
        todo = [e for e in self.registry.entities.values() if e.type == "AdministrativeUnit"]
        done: set[Key] = set()
        while todo:
            entity = todo.pop()
            key = entity.key
            if key in done:
                continue
            done.add(key)
            division: Division | None = entity.attrs.get("division")
            parent_key, evidence = None, None
            if division is not None:
                parent = self.gazetteer.parent(division)
                if parent is not None:
                    parent_key = self.division_key(parent)
            elif entity.attrs.get("parent_name"):
                parent_key = self.names.get(("AdministrativeUnit", entity.attrs["parent_name"]))
                if parent_key is not None:
                    evidence = self._chain_evidence(entity, parent_key)
            if parent_key is not None:
                relations.append(Relation(key, "within", parent_key, evidence))
                todo.append(self.registry.get(parent_key))
        for entity in self.registry.entities.values():
            if entity.type == "AdministrativeUnit":
                entity.attrs["iri_path"] = self._iri_path(entity)
        return relations

    def _chain_evidence(self, entity, parent_key: Key) -> Evidence | None:
        """Where the text says that ENTITY, a division the gazetteer lacks, lies in the
        division PARENT_KEY: the first of its mentions, in article order, whose sentence names
        the parent too (kind "both", the span from the first name to the end of the last);
        else its first mention, kind "chain" (the parent came from a chain or list of divisions
        outside that sentence, or from the article's focus). None if it has no mention.
        (The articles' results are read back from self.results.)"""
        if not entity.evidence:
            return None
        result = None
        for seen in entity.evidence:
            # read back once for a run of mentions in the same article
            if result is None or (result.article.doc_id, result.article.index) != (seen.doc_id, seen.article):
                result = self.results.get(seen.doc_id, seen.article)
            if result is None:
                continue
            sentence = result.article.sentence_at(seen.start)
            parents = [loc.mention for loc in result.located if loc.key == parent_key
                       and sentence.start <= loc.mention.start and loc.mention.end <= sentence.end]
            if parents:
                other = min(parents, key=lambda m: (abs(m.start - seen.start), m.start, m.end))
                return Evidence(seen.doc_id, seen.article, min(seen.start, other.start),
                                max(seen.end, other.end), "both")
        first = entity.evidence[0]
        return Evidence(first.doc_id, first.article, first.start, first.end, "chain")

    def _iri_path(self, entity) -> list[str]:
        division: Division | None = entity.attrs.get("division")
        if division is not None:
            if division.code:
                return [division.code]
            chain = self.gazetteer.path(division)
            coded = [d for d in chain if d.code]
            below = chain[chain.index(coded[-1]) + 1:] if coded else chain
            return ([coded[-1].code] if coded else []) + [d.name for d in below]
        parent_key = self.names.get(("AdministrativeUnit", entity.attrs.get("parent_name") or ""))
        if parent_key is not None and parent_key != entity.key:
            return self._iri_path(self.registry.get(parent_key)) + [entity.name]
        return ["unplaced", entity.name]


@dataclass
class _Graphing:
    """What writing an article's named graph needs of the whole build, made once resolution is
    done: the pipeline (registry, names, the results on disk), every entity's IRI, and the
    `within` edges the text states, by article."""
    pipeline: Pipeline
    iri: dict[Key, str]
    stated_within: dict[tuple[str, int], list[Relation]]


def write_graph(pipeline: Pipeline, within: list[Relation], versions: dict[str, str],
                scratch: Path, jobs: int = 1, provenance: list[tuple[str, str, str]] = ()
                ) -> Iterator[tuple[str, Callable[[BinaryIO], None]]]:
    """The RDF files' names, each with a function that writes it (kg.write.GraphFiles),
    for everything the pipeline found. The articles' results are read back one at a time,
    and each article's named graph, once complete, is handed to GraphFiles, which keeps
    its statements in sorted shard files in SCRATCH (a folder the caller owns and removes).
    jobs: make the articles' graphs and shards in that many worker processes (forked now, so
    that they share what resolution made); the files are the same for any number.
    provenance: more statements for the build's graph (a curation's, kg.curate)."""
    registry = pipeline.registry
    files = GraphFiles(scratch)
    writer = GraphWriter()
    writer.add_build(versions)
    writer.build.update(provenance)
    iri = {key: nt_iri(entity_iri(entity)) for key, entity in registry.entities.items()}
    # `within` edges the text states (divisions the gazetteer lacks) go to their article's graph,
    # beside their evidence; those taken from the gazetteer to its graph
    stated_within: dict[tuple[str, int], list[Relation]] = {}
    for rel in within:
        if rel.evidence is not None:
            stated_within.setdefault((rel.evidence.doc_id, rel.evidence.article), []).append(rel)
    graphing = _Graphing(pipeline, iri, stated_within)
    articles = len(pipeline.results)
    if jobs <= 1 or articles < 2 or "fork" not in multiprocessing.get_all_start_methods():
        mentioned = _article_graphs(graphing, 0, articles, writer, files)
    else:
        mentioned = _article_graphs_in_workers(graphing, scratch, min(jobs, articles), writer, files)
    for key, entity in registry.entities.items():
        if key not in mentioned or entity.type == "AdministrativeUnit":
            writer.add_entity(entity, writer.gazetteer, None, iri[key])
    for rel in within:
        if rel.evidence is None:
            writer.add_relation(writer.gazetteer, iri[rel.subject], rel.predicate, iri[rel.object],
                                derived_from=FROM_GAZETTEER)
    for narrower, broader in target_group_broader(registry):
        writer.add_broader(iri[narrower], iri[broader])
    for graph in writer.graphs.values():     # the build's, the gazetteer's and the lexicon's
        files.add(graph)
    return files.files()


def _article_graphs(graphing: _Graphing, start: int, stop: int, writer: GraphWriter,
                    files: GraphFiles) -> set[Key]:
    """Write the named graphs of the articles from the START-th result to the one before the
    STOP-th (pipeline.results) with WRITER, each handed to FILES once complete (what goes to the
    build's and the gazetteer's graphs stays in WRITER). Returns the keys of the entities they
    mention."""
    pipeline, iri = graphing.pipeline, graphing.iri
    registry = pipeline.registry
    mentioned: set[Key] = set()
    for result in pipeline.results.between(start, stop):
        art = result.article
        creators = [iri[k] for name in art.creators
                    if (k := registry.find("Person", name)) is not None]
        a = writer.add_article(art.doc_id, art.index, art.meta_title or art.title, creators)
        writer.add_article_meta(a, art.issued, art.issued_precision, art.publisher, art.url)
        graph = writer.graph(a)
        sentences: dict[int, str] = {}     # Sentence.index -> its node: each written once

        def sentence_of(offset: int) -> str:
            """The IRI of the node of the sentence at OFFSET (clean text), its span in the file's text."""
            sentence = art.sentence_at(offset)
            if sentence.index not in sentences:
                sentences[sentence.index] = writer.add_sentence(
                    graph, a, art.doc_id, art.index, art.origin_span(sentence.start, sentence.end),
                    art.origin_text(sentence.start, sentence.end))
            return sentences[sentence.index]

        in_article: set[Key] = set()       # an entity's node is written once per article graph
        for loc in result.located:
            if loc.key not in in_article:
                in_article.add(loc.key)
                writer.add_entity(registry.get(loc.key), graph, a, iri[loc.key])
            mentioned.add(loc.key)
            m = loc.mention
            writer.add_mention(graph, a, art.doc_id, art.index, iri[loc.key], art.origin_text(m.start, m.end),
                               art.origin_span(m.start, m.end), sentence_of(m.start))
            for title, org_name in m.attrs.get("posts", []):
                org_key = pipeline.names.get(("Organization", org_name or ""))
                if org_key is not None:
                    writer.add_post(graph, iri[loc.key], title, iri[org_key], registry.get(org_key).name)
        for rel in chain(result.relations, graphing.stated_within.get((art.doc_id, art.index), ())):
            ev = rel.evidence          # every relation read off an article has its evidence
            writer.add_relation(graph, iri[rel.subject], rel.predicate, iri[rel.object], a,
                                sentence_of(ev.start), art.origin_span(ev.start, ev.end),
                                art.origin_text(ev.start, ev.end), ev.kind)
        for st in result.statistics:
            writer.add_statistic(graph, a, art.doc_id, art.index, st, art.origin_span(st.start, st.end),
                                 sentence_of(st.start), iri.get(st.about) if st.about else None,
                                 anchor=art.origin_text(st.start, st.end))
        files.add(writer.take(a))        # the article's graph is complete
    return mentioned


def _article_graphs_in_workers(graphing: _Graphing, scratch: Path, jobs: int, writer: GraphWriter,
                               files: GraphFiles) -> set[Key]:
    """_article_graphs over all the results, in JOBS worker processes forked from this one: the
    articles cut into runs of neighbours, each run's graphs written to shards of its own (in a
    folder of SCRATCH), which FILES then adopts; what a worker wrote to the build's and the
    gazetteer's graphs is added to WRITER's. Returns the keys of the entities mentioned."""
    articles = len(graphing.pipeline.results)
    parts = min(articles, 4 * jobs)          # more parts than workers: none waits for a long one
    bounds = [articles * n // parts for n in range(parts + 1)]
    tasks = [(bounds[n], bounds[n + 1], scratch / f"part{n}") for n in range(parts)]
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_graph_worker, initargs=(graphing,))
    mentioned: set[Key] = set()
    try:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})   # as in _extract_in_workers
        try:
            done = pool.map(_graphs_in_worker, tasks)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for shards, graphs, keys in done:
            files.adopt(shards)
            for name, triples in graphs.items():
                writer.graph(name).update(triples)
            mentioned |= keys
    finally:
        pool.shutdown(cancel_futures=True)
    return mentioned


# In a worker process of _article_graphs_in_workers only: what it was forked with.
_worker_graphing: _Graphing | None = None


def _start_graph_worker(graphing: _Graphing) -> None:
    global _worker_graphing
    _worker_graphing = graphing
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # as in _start_worker


def _graphs_in_worker(task: tuple[int, int, Path]) -> tuple[GraphShards, dict[str, set], set[Key]]:
    """The shards of the articles' graphs from START to STOP, written in FOLDER; the statements
    it gave the build's and the gazetteer's graphs, by graph; the keys of the entities mentioned."""
    start, stop, folder = task
    folder.mkdir()
    writer, files = GraphWriter(), GraphFiles(folder)
    mentioned = _article_graphs(_worker_graphing, start, stop, writer, files)
    return files.shards(), {name: g.triples for name, g in writer.graphs.items() if g.triples}, mentioned


def target_group_broader(registry: Registry) -> list[tuple[Key, Key]]:
    """(narrower, broader) for every two target groups in the graph where the lexicon's
    `broader` column says the one is a kind of the other (外卖骑手 → 新就业群体)."""
    pairs = []
    for row in load("target_groups"):
        narrower = registry.find("TargetGroup", row.get("name", ""))
        for name in filter(None, (b.strip() for b in (row.get("broader") or "").split("|"))):
            broader = registry.find("TargetGroup", name)
            if narrower is not None and broader is not None:
                pairs.append((narrower, broader))
    return sorted(pairs)


def extract_all(pipeline: Pipeline, articles: list[Article], jobs: int = 1) -> Iterator[Extraction]:
    """pipeline.extract(article) for each article, in order. With jobs > 1, two articles or
    more and a system that can fork, in `jobs` worker processes forked from this one (they
    share its loaded gazetteer and dictionary, copied on write); else here, one after the
    other. The extractions are the same either way: an article's reads no other article."""
    if jobs <= 1 or len(articles) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return map(pipeline.extract, articles)
    return _extract_in_workers(pipeline, articles, min(jobs, len(articles)))


def _extract_in_workers(pipeline: Pipeline, articles: list[Article], jobs: int) -> Iterator[Extraction]:
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(pipeline,))
    try:
        # Ctrl-C held back while the workers are forked (a signal that lands during the
        # forks was seen to be lost) and felt as soon as they run; the workers need neither
        # the file's text nor the offset map (only writing does)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            extractions = pool.map(_extract_in_worker,
                                   (dataclasses.replace(a, source="", origin=[]) for a in articles))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield from extractions
    finally:
        pool.shutdown(cancel_futures=True)


# In a worker process of _extract_in_workers only: the pipeline it was forked with (handed to
# the worker's initializer without pickling, since the worker is a fork).
_worker_pipeline: Pipeline | None = None


def _start_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline
    # Ctrl-C reaches every process of the terminal's group: the main process stops the build
    # (and the pool); a worker would only print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_in_worker(article: Article) -> Extraction:
    return _worker_pipeline.extract(article)


def extract_files(pipeline: Pipeline, files: list[tuple[Page, list[Article]]], jobs: int = 1,
                  cache: ExtractCache | None = None, cluster=None) -> Iterator[list[Extraction]]:
    """The extractions of each file's articles, file by file in the order given: from CACHE
    where it holds the file (kg.extract_cache), else made (extract_all, or on CLUSTER, a
    kg.distributed.Cluster) and stored in CACHE before they are handed on (run_article
    changes the statistics it is given)."""
    # which files the cache holds is known first (their misses go to the workers at once); an
    # entry is read only when its file's turn comes, so a warm build never holds them all
    held = [cache.lookup(page.path, articles) if cache is not None else None for page, articles in files]
    todo = [articles for (_, articles), entry in zip(files, held) if entry is None]
    if cluster is not None:
        made = cluster.extract(extractor_version(pipeline), todo)
    else:
        flat = extract_all(pipeline, [a for articles in todo for a in articles], jobs)
        made = ([next(flat) for _ in articles] for articles in todo)
    for (page, articles), entry in zip(files, held):
        found = cache.read(entry) if entry is not None else None
        if found is None:
            # not in the cache, or its entry damaged (a warning; then extracted here)
            found = next(made) if entry is None else [pipeline.extract(a) for a in articles]
            if cache is not None:
                cache.store(page.path, articles, found)
        yield found


def build(inputs: list[str], outdir: Path | str, progress: Callable[[str], None] | None = None,
          pipeline: Pipeline | None = None, force: bool = False, jobs: int = 1,
          meta: str | Path | None = None, cache: bool = True, dask: str | None = None,
          curation: list[str | Path] | str | Path | None = None) -> BuildReport:
    """Run every stage over the inputs and write OUTDIR. Raises nothing for bad input
    files: they are listed in the report's problems. Writes nothing when no article
    could be read (the report then has files == 0).

    OUTDIR must be new, empty or the folder of an earlier build (kg.outdir says exactly
    which); otherwise, or while another build writes it, OutdirError is raised before
    anything is read. force: replace the graph of a build from before the marker file.
    jobs: extract the articles (extract_all), and after resolution write their graphs'
    shards (write_graph), in that many worker processes; the graph is byte-identical for
    any number. meta: a sidecar file (.jsonl or .csv: file or doc, url,
    date, source, title) whose values win over what the text says (kg.dates.read_meta); a
    bad file or row is a problem in the report, and the build goes on without it.
    cache: take each unchanged file's extraction from OUTDIR/.kg-cache and keep the new
    ones there (kg.extract_cache); the graph is byte-identical either way. dask: the address
    of a dask.distributed scheduler (tcp://HOST:PORT) whose workers extract the files
    (kg.distributed; DaskError when dask is missing or the scheduler cannot be reached).
    curation: one curation file or several (docs/curation.md), applied after those named
    curation.tsv at the top of an input folder, to the resolved entities (kg.curate); a bad
    row is a problem in the report, and the rest is applied."""
    curation = [curation] if isinstance(curation, (str, Path)) else list(curation or ())
    with claim_outdir(outdir, inputs, force):
        if dask is None:
            return _build(inputs, Path(outdir), progress, pipeline, jobs, meta, cache, curation=curation)
        from .distributed import connect
        with connect(dask, Pipeline) as cluster:
            return _build(inputs, Path(outdir), progress, pipeline, jobs, meta, cache, cluster, curation)


def _build(inputs: list[str], outdir: Path, progress: Callable[[str], None] | None,
           pipeline: Pipeline | None, jobs: int, meta: str | Path | None = None,
           cache: bool = True, cluster=None, curation: list[str | Path] = ()) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    pages, report.problems = read_pages(inputs)
    table = _meta_table(meta, report) if meta is not None else None
    articles_of: list[tuple[Page, list[Article]]] = []
    for page in pages:
        articles = split_articles(page)
        if not articles:
            report.problems.append(ReadProblem(page.path, "no text found after normalization"))
            continue
        for index, why in date_articles(page, articles, table.row_for(page.path) if table else None):
            report.undated.append((f"{page.doc_id}/{index + 1}", why))
        report.issued += sum(a.issued is not None for a in articles)
        for article in articles:
            # every article of the input waits here for its turn: its offset map as 4-byte
            # numbers, not a list of int objects (36 bytes an offset), most of the memory they
            # would hold (a file of 4 GB or more would raise OverflowError, not go wrong)
            article.origin = array("I", article.origin)
        articles_of.append((page, articles))
    if not articles_of:
        report.seconds = time.perf_counter() - started
        return report
    report.timings["read"] = time.perf_counter() - started
    pipeline = pipeline or Pipeline()
    report.timings["load"] = time.perf_counter() - started - report.timings["read"]
    store = (ExtractCache(outdir.expanduser().resolve() / CACHE_DIRNAME, extractor_version(pipeline), Extraction)
             if cache else None)
    extracting = resolving = 0.0
    edges: set[tuple[Key, str, Key]] = set()     # each relation once, however many articles state it
    clock = time.perf_counter()
    for n, ((page, articles), extractions) in enumerate(
            zip(articles_of, extract_files(pipeline, articles_of, jobs, store, cluster)), 1):
        now = time.perf_counter()
        extracting += now - clock
        if progress is not None:
            progress(f"[{n}/{len(articles_of)}] {page.path}: {len(articles)} article(s)")
        for article, found in zip(articles, extractions, strict=True):
            result = pipeline.run_article(article, found)
            edges.update((r.subject, r.predicate, r.object) for r in result.relations)
            report.statistics += len(result.statistics)
            # the article is on disk now (pipeline.results, read back to write the graph): its
            # text, offset map and sentences, the bulk of the build's memory, are let go
            article.text, article.origin, article.sentences, article.source = "", [], [], ""
        clock = time.perf_counter()
        resolving += clock - now
    within = pipeline.hierarchy()
    pipeline.registry.finish()
    provenance: list[tuple[str, str, str]] = []
    if paths := curation_files(inputs, curation):   # hand corrections (kg.curate), once resolved
        edges, provenance = _curate(pipeline, within, paths, report)
    report.timings["extract"] = extracting
    report.timings["resolve+relate"] = resolving + time.perf_counter() - clock
    clock = time.perf_counter()
    if store is not None:
        report.extracted, report.from_cache = store.misses, store.hits
        report.cache_warnings = store.warnings
        store.prune()
    else:
        report.extracted = len(articles_of)
    versions = graph_versions(pipeline)

    report.files = len(articles_of)
    report.articles = sum(len(a) for _, a in articles_of)
    counts = written_counts(pipeline.registry, edges, within)
    report.entities = Counter({t: n for t, n in counts.classes.items() if t in ENTITY_TYPES})
    report.relations = Counter({r: n for r, n in counts.relations.items() if r in RELATIONS and n})
    summary = (json.dumps(report.summary(), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def fill(folder: Path) -> None:
        # the shards live in the new folder itself (so on the same disk as the output), and
        # are gone before it takes OUTDIR's place
        scratch = Path(tempfile.mkdtemp(prefix=".shards-", dir=folder))
        try:
            write_files(folder, chain(write_graph(pipeline, within, versions, scratch, jobs, provenance),
                                      [("summary.json", summary), (MARKER, marker_bytes(list(GRAPH_FILES)))]))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    # the cache folder is carried over into the new OUTDIR (also with --no-cache: left as it was)
    replace_folder(outdir, fill, carry=(CACHE_DIRNAME,))
    report.timings["write"] = time.perf_counter() - clock
    report.seconds = time.perf_counter() - started
    return report


def _curate(pipeline: Pipeline, within: list[Relation], paths: list[str],
            report: BuildReport) -> tuple[set[tuple[Key, str, Key]], list[tuple[str, str, str]]]:
    """Apply the curation files PATHS (kg.curate) to the pipeline's entities, to WITHIN and to
    every article's result (read back and stored afresh); their problems and the files applied
    go to REPORT. Returns the articles' edges as they are now (what the summary counts) and
    the provenance statements for the build's graph."""
    files = []
    for path in paths:
        found, problems = read_curation(path)
        report.problems += problems
        files += [found] if found is not None else []
    curated = apply_curation(files, pipeline.registry)
    results, pipeline.results = pipeline.results, ArticleResults()
    for result in results:
        pipeline.results.append(curated.result(result))
    results.close()
    curated.finish(pipeline.registry, pipeline.names, within)
    report.problems += curated.problems
    report.problems += [ReadProblem(", ".join(paths), f"{n} {p} relation(s) left out: the ontology does not "
                                                      "take them between the corrected entities", warning=True)
                        for p, n in sorted(curated.left_out.items())]
    report.curation = [f.summary() for f in files]
    return curated.edges, curated.triples


def _meta_table(meta: str | Path, report: BuildReport) -> MetaTable | None:
    """The --meta file's rows; its problems (a bad row, or the whole file) go to the report."""
    try:
        table = read_meta(meta)
    except MetaError as err:
        path, _, problem = str(err).partition(": ")
        report.problems.append(ReadProblem(path, problem))
        return None
    report.problems += [ReadProblem(*p.split(": ", 1), warning=True) for p in table.problems]
    return table


def print_problems(problems: list[ReadProblem]) -> None:
    for problem in problems:
        print(f"kg: {problem}", file=sys.stderr)


def run(inputs: list[str], output: Path | str, *, quiet: bool = False, jobs: int | None = None,
        meta: str | Path | None = None, force: bool = False, no_cache: bool = False,
        dask: str | None = None, store: bool | str | Path | None = None,
        curation: list[str | Path] | str | Path | None = None) -> BuildReport:
    """`kg build INPUT... -o OUTPUT [options]` as a function, its options named as the flags
    (what the CLI calls; `kg.build(...)` from Python, docs/api.md): build() with progress
    lines on stderr unless QUIET, JOBS worker processes (None: one per core, the CLI's
    default), cache=not NO_CACHE; then, with STORE (True: OUTPUT/oxigraph; or a folder), the
    graph loaded into a persistent Oxigraph store (kg.query.load_store), whose folder and
    number of quads the report then holds; CURATION: curation files (kg.curate,
    docs/curation.md) applied after the folders' own curation.tsv. Returns the report
    (report.summary(): what summary.json holds; report.files == 0: nothing could be read,
    nothing written).
    Raises kg.outdir.OutdirError for an OUTPUT that may not be written, kg.distributed.DaskError
    for a dask cluster that cannot be used, and kg.query.QueryError when the store cannot be
    written (the graph files are written by then; the error's `report` is the build's)."""
    def progress(line: str) -> None:
        print(line, file=sys.stderr)

    report = build(inputs, output, progress=None if quiet else progress, force=force,
                   jobs=jobs or os.cpu_count() or 1, meta=meta, cache=not no_cache, dask=dask,
                   curation=curation)
    if store is not None and store is not False and report.files:
        from .query import STORE_DIRNAME, QueryError, load_store

        folder = Path(output) / STORE_DIRNAME if store is True or store == "" else Path(store)
        try:
            report.store_quads = load_store(Path(output) / "graph.nq", folder)
        except QueryError as err:
            err.report = report
            raise
        report.store = str(folder)
    return report


class _CallableModule(types.ModuleType):
    """This module, which is also a function: `kg.build(paths, outdir, **options)` is
    kg.build.run (the module's name is the command's, and `kg.build` cannot be both an
    attribute of the package holding a function and this module, which the import system
    puts there once it is imported)."""

    def __call__(self, inputs: list[str], output: Path | str, **options) -> BuildReport:
        return run(inputs, output, **options)


sys.modules[__name__].__class__ = _CallableModule
