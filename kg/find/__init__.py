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


def first_occurrences(text: str, words: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of the non-overlapping occurrences of any of WORDS (none empty) in TEXT,
    left to right, the first of WORDS where two start at the same place: what re.finditer of
    their alternation gives, without compiling a pattern for every list of words."""
    pos = 0
    while True:
        found = [(start, k) for k, word in enumerate(words) if (start := text.find(word, pos)) >= 0]
        if not found:
            return
        start, k = min(found)
        pos = start + len(words[k])
        yield start, pos
