"""Word segmentation with jieba and a small user dictionary built from the lexicons.

The tokenizer is an object of its own (never jieba's global default), so that
its dictionary changes nothing elsewhere. Following the design notes, only
short lists go into it (suffixes, titles, trigger words, known programs); the
700k-name gazetteer is matched by kg.gazetteer instead.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import jieba

from .cache import cached, sha256

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


@dataclass(frozen=True)
class JiebaDictionary:
    """jieba's main dictionary: word (and every word prefix) → frequency, and word → POS tag."""
    freq: dict[str, int]
    total: int
    pos_tags: dict[str, str]

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> "JiebaDictionary":
        """From our cache after the first run; jieba's own cache loads four times slower."""
        path = Path(jieba.__file__).with_name("dict.txt")

        def parse():
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            tags = {}
            with path.open(encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        tags[parts[0]] = parts[2]
            return tokenizer.FREQ, tokenizer.total, tags

        (freq, total, tags), _, _ = cached("jieba-dict", [sha256(path)], parse, cache_dir)
        return cls(freq, total, tags)


def _tokenizer(freq: dict[str, int], total: int) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


class Segmenter:
    """jieba with extra words; `tokens(text)` gives words with offsets.

    Attributes:
        tokenizer: jieba.Tokenizer with jieba's dictionary plus the lexicon words.
        plain: jieba.Tokenizer with jieba's dictionary only (the place finder
            judges names by how jieba's own vocabulary cuts them).
    """

    def __init__(self, words: list[str] | tuple[str, ...] = (),
                 dictionary: JiebaDictionary | None = None):
        dictionary = dictionary or JiebaDictionary.load()
        self.plain = _tokenizer(dictionary.freq, dictionary.total)
        self.tokenizer = _tokenizer(dict(dictionary.freq), dictionary.total)
        for word in sorted(set(words)):
            if word:
                freq = max(dictionary.freq.get(word, 0), 2000, 500 * len(word))
                self.tokenizer.add_word(word, freq=freq)
        self.pos_tags = dictionary.pos_tags
        """word → part-of-speech tag in jieba's dictionary."""

    @property
    def freq(self) -> dict[str, int]:
        """word → frequency in the tokenizer's dictionary."""
        return self.tokenizer.FREQ

    def tokens(self, text: str) -> list[Token]:
        return [Token(w, s, e) for w, s, e in self.tokenizer.tokenize(text, HMM=True)]

    def words(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=True)
