"""Word segmentation with jieba and a small user dictionary built from the lexicons.

The tokenizer is an object of its own (never jieba's global default), so that
its dictionary changes nothing elsewhere. Following the design notes, only
short lists go into it (suffixes, titles, trigger words, known programs); the
700k-name gazetteer is matched by kg.gazetteer instead.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


class Segmenter:
    """jieba.Tokenizer with extra words; `tokens(text)` gives words with offsets."""

    def __init__(self, words: list[str] | tuple[str, ...] = ()):
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        for word in sorted(set(words)):
            if word:
                self._tokenizer.add_word(word, freq=max(2000, 500 * len(word)))

    def tokens(self, text: str) -> list[Token]:
        return [Token(w, s, e) for w, s, e in self._tokenizer.tokenize(text, HMM=True)]

    def words(self, text: str) -> list[str]:
        return self._tokenizer.lcut(text, HMM=True)
