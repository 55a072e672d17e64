"""Lexicons: general knowledge as tab-separated files an analyst can read and extend.

Each `*.tsv` file here has one header line naming its columns; lines starting
with `#` are comments. `load(name)` returns its rows as dicts.
"""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent


@cache
def load(name: str) -> tuple[dict, ...]:
    """Rows of kg/lexicon/{name}.tsv as dicts keyed by the header's column names."""
    path = LEXICON_DIR / f"{name}.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


def column(name: str, col: str) -> tuple[str, ...]:
    """One column of a lexicon, in file order, without empty cells."""
    return tuple(row[col] for row in load(name) if row.get(col))
