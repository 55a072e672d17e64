"""The finders: one module per kind of mention (kg/find/*.py), and what they share."""
from __future__ import annotations

from typing import Iterator


def occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-overlapping occurrence of WORD in TEXT, left to right: what
    re.finditer(re.escape(word), text) gives, without compiling a pattern for every word."""
    start = text.find(word)
    while start >= 0 and word:
        yield start, start + len(word)
        start = text.find(word, start + len(word))
