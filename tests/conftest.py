"""Shared fixtures: the pipeline (gazetteer and jieba loaded once) and the seeds graph built once."""
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
    from kg.cli import load_outdir
    return load_outdir(seeds_build[1])
