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
