"""find_statistics against the hand annotations of the seeds.

Each whole seed file (full-width ASCII mapped to half-width, nothing else) is
matched with its gold statistics as a multiset of (value rounded to 4 places,
unit without punctuation), the way ../shared/tools/kg_score.py matches them.
The gold is the project's copy in eval/gold.

Measured when written (raw seed files): P 1.000, R 0.993, F1 0.996 over all
seeds (the two misses: 310平方米 split by a photo caption in the raw file, and
"工作5年来" which the gold counts as 5 年 but the guidelines treat as a period).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg.statistics import find_statistics

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"
SEEDS = ROOT / "seeds"
FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}

# Floors a little below what was measured (see the module docstring).
MIN_PRECISION = 0.97
MIN_RECALL = 0.97
MIN_FILE_F1 = 0.95


def _unit(u: str) -> str:
    return u if u == "%" else re.sub(r"[\W_]+", "", u)


def _key(value, unit) -> tuple:
    return (round(float(value), 4), _unit(unit))


def _gold_docs() -> list[dict]:
    if not GOLD.is_dir():
        return []
    docs = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                docs.append(json.loads(line))
    return docs


def _score(doc: dict) -> tuple[int, int, int]:
    """(true positives, predicted, gold) for one seed file."""
    text = (SEEDS / f"{doc['doc']}.txt").read_text(encoding="utf-8-sig").translate(FULLWIDTH)
    predicted = Counter(_key(s.value, s.unit) for s in find_statistics(text))
    gold = Counter(_key(s["value"], s.get("unit", "")) for s in doc.get("statistics", []))
    return sum((predicted & gold).values()), sum(predicted.values()), sum(gold.values())


@pytest.fixture(scope="module")
def scores() -> dict[str, tuple[int, int, int]]:
    docs = [d for d in _gold_docs() if (SEEDS / f"{d['doc']}.txt").exists()]
    assert docs, f"no gold annotations for the seeds in {GOLD}"
    return {d["doc"]: _score(d) for d in docs}


def _f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def test_statistics_precision_and_recall_over_all_seeds(scores):
    tp = sum(s[0] for s in scores.values())
    pred = sum(s[1] for s in scores.values())
    gold = sum(s[2] for s in scores.values())
    precision, recall = tp / pred, tp / gold
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} ({tp}/{pred})"
    assert recall >= MIN_RECALL, f"recall {recall:.3f} ({tp}/{gold})"


def test_statistics_f1_per_seed_file(scores):
    low = {doc: round(_f1(*s), 3) for doc, s in scores.items() if _f1(*s) < MIN_FILE_F1}
    assert not low, f"files below F1 {MIN_FILE_F1}: {low}"
