"""Shared fixtures: the pipeline (gazetteer and jieba loaded once), the seeds graph built once
(for the tests of extraction) and the hand-made fixture graph (for everything that reads a graph)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EVAL = ROOT / "eval"          # the gold annotations of the seeds and the scorer, copied from ../shared
GOLD = EVAL / "gold"
SCORER = EVAL / "kg_score.py"


@pytest.fixture(scope="session")
def gazetteer():
    from kg.gazetteer import Gazetteer
    return Gazetteer.load()


@pytest.fixture(scope="session")
def segmenter():
    from kg.build import segmenter_words
    from kg.segment import Segmenter
    return Segmenter(segmenter_words())


@pytest.fixture(scope="session")
def doc_of(gazetteer, segmenter):
    """doc_of(text, **facts) → the kg.doc.Doc of a bare text, read with the session's gazetteer
    and segmenter, before any finder ran. facts (kg.find.run.doc_from_text): title, dateline,
    creators, contributors, focus (a list of Divisions; else read from the text), mentions."""
    from kg.find.run import doc_from_text
    return lambda text, **facts: doc_from_text(text, gazetteer, segmenter, **facts)


def doc_by_hand(text, segmenter, focus=(), divisions=(), creators=(), contributors=()):
    """The kg.doc.Doc of a text whose focus and divisions are given by hand, as kg.find.places
    would give them, so that a test needs neither the gazetteer nor the places finder.
    focus: division names, province first (the finders after places read only the names);
    divisions: (surface, official name) pairs, a mention at every occurrence of each surface."""
    from kg.find.run import doc_from_text
    from kg.gazetteer import Division
    from kg.model import Mention
    mentions = []
    for surface, name in divisions:
        i = text.find(surface)
        while i >= 0:
            if not any(m.start <= i < m.end for m in mentions):
                mentions.append(Mention("AdministrativeUnit", surface, i, i + len(surface), name))
            i = text.find(surface, i + 1)
    named = [Division(-1, name, "", None, None, None) for name in focus]    # id, level, codes unknown
    return doc_from_text(text, None, segmenter, focus=named, mentions=mentions,
                         creators=creators, contributors=contributors)


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory, gazetteer, segmenter):
    """(report, OUTDIR) of `kg build seeds`, built once for the whole session."""
    from kg.build import Pipeline, build
    out = tmp_path_factory.mktemp("seeds") / "out"
    report = build([str(SEEDS)], out, pipeline=Pipeline(gazetteer, segmenter))
    return report, out


@pytest.fixture(scope="session")
def seeds_graph(seeds_build):
    from kg.outdir import load_outdir
    return load_outdir(seeds_build[1])


# The graph that query, explorer, export and notebook tests read: hand-made (tests/handmade_graph.py),
# so that they assert what it holds, not what today's extractor finds in the seeds.

@pytest.fixture(scope="session")
def fixture_outdir(tmp_path_factory):
    """OUTDIR of the hand-made fixture graph (written once; the tests must not change it).
    Its two source texts are in OUTDIR/../sources."""
    from handmade_graph import write_fixture_outdir
    return write_fixture_outdir(tmp_path_factory.mktemp("fixture") / "out")


@pytest.fixture(scope="session")
def fixture_graph(fixture_outdir):
    """The fixture graph as `kg` commands load it (an rdflib Dataset, the union of its graphs)."""
    from kg.outdir import load_outdir
    return load_outdir(fixture_outdir)
