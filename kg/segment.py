"""Word segmentation with jieba and a small user dictionary built from the lexicons.

The tokenizer is an object of its own (never jieba's global default), so that
its dictionary changes nothing elsewhere. Following the design notes, only
short lists go into it (suffixes, titles, trigger words, known programs); the
700k-name gazetteer is matched by kg.gazetteer instead.

jieba is the reference. When rjieba (jieba-rs, the same algorithm in Rust) is installed,
Segmenter.tokens hands it jieba's blocks (runs of Han characters, letters and digits), on the
very same dictionary and total, and mends the one step where it cuts otherwise (_RustCut);
jieba cuts the rest. The tokens are jieba's, about three times faster (tests/test_segment.py
and bench/compare_rjieba.py compare them on the seeds, eval/real and a corpus).
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import re
import sys
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import NamedTuple

import ahocorasick


def _import_jieba() -> None:
    """Import jieba without pkg_resources. jieba's _compat imports pkg_resources only to open
    its own data files, and opens them by path when that import fails; pkg_resources takes
    0.1 to 0.5 s to import. sys.modules is left as it was, but for jieba. (Here, in the module
    that wraps jieba and that every module cutting words imports, so that the commands that
    only read a graph import neither.)"""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None         # `import pkg_resources` raises ImportError
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba()
import jieba  # noqa: E402 (after _import_jieba)

from .cache import cached, sha256


def _load_rjieba():
    """rjieba's compiled module (jieba-rs's Jieba), or None if rjieba is not installed (the
    extra "fast"): jieba alone cuts then.

    Loaded from its file, not by `import rjieba`: the package's __init__ builds a Jieba on
    rjieba's own copy of the dictionary, never used here, which costs 0.15 to 0.6 s and 33 MB
    at every start. The module is registered under its own name, so that a later
    `import rjieba` finds it (a PyO3 module can be initialized once per process)."""
    loaded = sys.modules.get("rjieba.rjieba")
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec("rjieba")          # finds the package without running it
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"rjieba{suffix}"
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
                module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
                loader.exec_module(module)
                sys.modules["rjieba.rjieba"] = module
                return module
    return None


rjieba = _load_rjieba()

jieba.setLogLevel(logging.WARNING)


class Token(NamedTuple):
    """A word of a text and its offsets: text[start:end] == word. (A named tuple: an article
    has tens of thousands, made several times faster than a frozen dataclass's.)"""
    word: str
    start: int
    end: int


class PosTags(Mapping):
    """word → part-of-speech tag of jieba's dictionary, read-only.

    A dict of jieba's 349k words would cost a tenth of a second to build at every start
    and some ten megabytes, for the few thousand words an article's finders ask about; here
    the words are a sorted list (the very string objects of JiebaDictionary.freq) searched
    by bisection, and each tag is one byte.

    words: sorted; codes[i]: the index in `names` of words[i]'s tag, or NO_TAG for a word
    without one (a word of the frequency list jieba's dict.txt gives no tag).
    """

    NO_TAG = 255

    def __init__(self, words: list[str], codes: bytes, names: tuple[str, ...]):
        self._words, self._codes, self._names = words, codes, names

    def _index(self, word) -> int:
        """The position of word in the sorted words, or -1 if it has no tag."""
        words = self._words
        i = bisect_left(words, word) if isinstance(word, str) else len(words)
        if i < len(words) and words[i] == word and self._codes[i] != self.NO_TAG:
            return i
        return -1

    def get(self, word, default=None):
        i = self._index(word)
        return default if i < 0 else self._names[self._codes[i]]

    def __contains__(self, word) -> bool:
        return self._index(word) >= 0

    def __getitem__(self, word) -> str:
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return self._names[self._codes[i]]

    def __iter__(self):
        return (w for w, code in zip(self._words, self._codes) if code != self.NO_TAG)

    def __len__(self) -> int:
        return len(self._codes) - self._codes.count(self.NO_TAG)


@dataclass(frozen=True)
class JiebaDictionary:
    """jieba's main dictionary, held compactly.

    Attributes:
        freq: word → frequency (every value > 0). Unlike jieba's own FREQ it holds no
            prefix entries (word prefixes with frequency 0): those are 150k more strings,
            and _Tokenizer finds the same words with `heads` instead.
        total: the sum of the frequencies, as jieba counts it.
        pos_tags: word → part-of-speech tag (a PosTags: its words are the very string
            objects of `freq`).
        heads: character c → (seconds, reach) for the characters that begin a word of two
            or more: `seconds` holds each character x such that c + x begins a word (is one
            or begins a longer one), reach[j] is the length of the longest word that begins
            with c + seconds[j] (_FAR for 255 or more).
    """
    freq: dict[str, int]
    total: int
    pos_tags: PosTags
    heads: dict[str, tuple[str, bytes]]

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> "JiebaDictionary":
        """From our cache after the first run; jieba's own cache loads four times slower.

        The cache holds every word once, all in one string (one line a word, sorted), with
        the frequencies and the tag codes in the same order: splitting the string makes the
        349k word strings several times faster than reading them one by one, and the words
        are shared by `freq` and `pos_tags`. The string is kept as UTF-16 bytes, which
        decode several times faster than the UTF-8 marshal would keep it in.
        """
        path = Path(jieba.__file__).with_name("dict.txt")

        def parse():
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()              # jieba's own reading: frequencies and total
            freq = {word: n for word, n in tokenizer.FREQ.items() if n}
            tags = {}
            with path.open(encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        tags[parts[0]] = parts[2]
            words = sorted(freq.keys() | tags.keys())
            names = sorted(set(tags.values()))
            if len(names) >= PosTags.NO_TAG or any("\n" in w for w in words):
                raise ValueError(f"{path}: more tags than a byte holds, or a word with a line break")
            code = {tag: i for i, tag in enumerate(names)}
            heads: dict[str, tuple[str, bytes]] = {}
            for word in freq:
                _add_head(heads, word)
            return ("\n".join(words).encode("utf-16-le"), [freq.get(w, 0) for w in words],
                    bytes(code[tags[w]] if w in tags else PosTags.NO_TAG for w in words),
                    names, tokenizer.total, heads)

        # "v3": the words in one string; "jieba-words" held dicts
        (text, counts, codes, names, total, heads), _, _ = cached(
            "jieba-words-v3", [sha256(path)], parse, cache_dir)
        words = text.decode("utf-16-le").split("\n")
        freq = dict(zip(words, counts)) if all(counts) else \
            {w: n for w, n in zip(words, counts) if n}
        return cls(freq, total, PosTags(words, codes, tuple(names)), heads)

    def copy(self) -> "JiebaDictionary":
        """A dictionary whose words can be added to without changing this one (tags shared)."""
        return JiebaDictionary(dict(self.freq), self.total, self.pos_tags, dict(self.heads))


_FAR = 255      # in JiebaDictionary.heads: a word of 255 characters or more (a byte holds no more)


def _add_head(heads: dict[str, tuple[str, bytes]], word: str) -> None:
    """Let heads[word[0]] know of `word`, a word of two or more characters."""
    if len(word) < 2:
        return
    seconds, reach = heads.get(word[0], ("", b""))
    j = seconds.find(word[1])
    if j < 0:
        heads[word[0]] = (seconds + word[1], reach + bytes([min(len(word), _FAR)]))
    elif reach[j] < min(len(word), _FAR):
        heads[word[0]] = (seconds, reach[:j] + bytes([min(len(word), _FAR)]) + reach[j + 1:])


class _Tokenizer(jieba.Tokenizer):
    """A jieba.Tokenizer on a dictionary without prefix entries; its cuts are jieba's.

    jieba finds the words that begin at a character by extending a candidate while it is
    still a key of FREQ, which is why jieba keeps every word prefix there. Here the first
    two characters are looked up in `heads`, and the candidate is extended up to the
    longest word that begins with them: the same words are found. route() then scores
    them as jieba's calc does, in the same pass (jieba looks every word up twice: once to
    build its DAG, once to score it), and cut() walks the route as jieba's cut does.

    FREQ: word → frequency, every word with a frequency > 0 (a dict, or a view with get
    and `in`); heads as in JiebaDictionary, for all the words of FREQ (more do no harm).
    """

    def __init__(self, freq, total: int, heads: dict[str, tuple[str, bytes]]):
        super().__init__()
        self.FREQ, self.total, self.heads, self.initialized = freq, total, heads, True

    def route(self, sentence: str) -> list[tuple[float, int]]:
        """route[k] = (log probability of the best cut of sentence[k:], end of its first word)
        for k <= len(sentence): what jieba's calc puts in its route dict from jieba's get_DAG,
        the same numbers computed the same way."""
        get, heads = self.FREQ.get, self.heads
        n = len(sentence)
        logtotal = log(self.total)
        route: list = [None] * n + [(0, 0)]           # filled from the end, as jieba's
        for k in range(n - 1, -1, -1):
            c = sentence[k]
            freq = get(c)
            best = (log(freq) - logtotal + route[k + 1][0], k) if freq else None
            if c in heads and k + 1 < n:
                seconds, reach = heads[c]
                second = sentence[k + 1]
                j = seconds.find(second)
                if j >= 0:
                    far = reach[j]
                    stop = n if far == _FAR else min(n, k + far)
                    for i in range(k + 1, stop):
                        freq = get(sentence[k:i + 1])
                        if freq:
                            score = (log(freq) - logtotal + route[i + 1][0], i)
                            if best is None or score > best:
                                best = score
            # no word begins at k: the character stands alone (jieba's `FREQ.get(c) or 1`)
            route[k] = best or (log(1) - logtotal + route[k + 1][0], k)
        return route

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        """k → the ends i of the words sentence[k:i + 1] (or [k] if none), as jieba's get_DAG.
        jieba's calc and cut_all read it; cut() takes route() instead."""
        words, heads = self.FREQ, self.heads
        n = len(sentence)
        dag = {}
        for k in range(n):
            c = sentence[k]
            ends = [k] if c in words else []
            if c in heads and k + 1 < n:
                seconds, reach = heads[c]
                j = seconds.find(sentence[k + 1])
                if j >= 0:
                    stop = n if reach[j] == _FAR else min(n, k + reach[j])
                    ends += [i for i in range(k + 1, stop) if sentence[k:i + 1] in words]
            dag[k] = ends or [k]
        return dag

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False):
        """jieba's cut: its blocks of Han characters and letters cut on route(); cut_all and
        paddle are left to jieba."""
        if cut_all or use_paddle:
            yield from super().cut(sentence, cut_all, HMM, use_paddle)
            return
        cut_block = self._cut_block_hmm if HMM else self._cut_block
        for block in jieba.re_han_default.split(jieba.strdecode(sentence)):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                yield from cut_block(block)
            else:
                for x in jieba.re_skip_default.split(block):
                    if jieba.re_skip_default.match(x):
                        yield x
                    else:
                        yield from x

    def _cut_block(self, sentence: str):
        """jieba's Tokenizer.__cut_DAG_NO_HMM: the words of the best route, runs of single
        letters and digits joined."""
        route = self.route(sentence)
        x, n, buf = 0, len(sentence), ""
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if y - x == 1 and jieba.re_eng.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def _cut_block_hmm(self, sentence: str):
        """jieba's Tokenizer.__cut_DAG: the words of the best route, runs of single
        characters that are no word of the dictionary cut again by the HMM."""
        route = self.route(sentence)
        x, n, buf = 0, len(sentence), ""
        while x < n:
            y = route[x][1] + 1
            if y - x == 1:
                buf += sentence[x]
            else:
                if buf:
                    yield from self._cut_run(buf)
                    buf = ""
                yield sentence[x:y]
            x = y
        if buf:
            yield from self._cut_run(buf)

    def _cut_run(self, buf: str):
        """A run of single characters in jieba's __cut_DAG: one character, a word of the
        dictionary (in characters), or the HMM's cut."""
        if len(buf) == 1:
            yield buf
        elif not self.FREQ.get(buf):
            yield from jieba.finalseg.cut(buf)
        else:
            yield from buf

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word, with `heads` in place of the prefix entries (and a word of
        frequency 0, which jieba keeps as a prefix, taken out of FREQ)."""
        word = jieba.strdecode(word)
        freq = int(freq) if freq is not None else self.suggest_freq(word, False)
        self.total += freq
        if tag:
            self.user_word_tag_tab[word] = tag
        if freq:
            self.FREQ[word] = freq
            _add_head(self.heads, word)
        else:
            self.FREQ.pop(word, None)
            jieba.finalseg.add_force_split(word)


class _Before:
    """word → frequency as it was before some words were added to or changed in `freq`.

    A read-only view: the dictionary is shared, and the few changed words are answered
    from `before` (word → its former frequency, or 0 if it was no word).
    """

    def __init__(self, freq: dict[str, int], before: dict[str, int]):
        self._freq, self._before = freq, before

    def get(self, word: str, default=None):
        n = self._before.get(word)
        if n is None:
            return self._freq.get(word, default)
        return n or default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        n = self.get(word)
        if n is None:
            raise KeyError(word)
        return n


# A block of jieba's (jieba.re_han_default) made of Han characters only, as jieba counts them
# (re_han_default's range): on such a block jieba-rs cuts as jieba does. Other blocks hold
# letters, digits or marks, which jieba-rs's HMM step groups otherwise (see _RustCut).
_PURE_HAN = re.compile("[\u4e00-\u9fd5]+")
_HAN_CHAR = re.compile("[\u4e00-\u9fd5]")


class _RustCut:
    """jieba's cut (dictionary route, then the HMM on runs of single characters) of a block of
    jieba's, by jieba-rs (rjieba), on a dictionary given word by word.

    freq: word → frequency, every word of the tokenizer (jieba's and the added ones);
    total: the tokenizer's total, which the route's log probabilities divide by.

    jieba-rs cuts a block of Han characters as jieba does. In a block with letters, digits or
    marks (2026年, 3-5人) the route is the same too, and so are the words of Han characters;
    the HMM step differs: jieba cuts a run of other characters between them with
    jieba.finalseg.re_skip (2026|-|03), jieba-rs keeps it whole. Such a run is cut again here
    as jieba does, which gives jieba's words whenever each of its characters is a single
    step of the route, that is when no word of the dictionary made partly of other
    characters (T恤, B超, 4S店, 15分钟便民生活圈) is written in the block: `mixed` finds
    those words, and a block that holds one is left to jieba.
    """

    # A word no block of jieba's can hold (a control character), to make up the total.
    _PAD = "\x00"

    def __init__(self, freq: Mapping[str, int], total: int):
        self._jieba = rjieba.Jieba.empty()           # not rjieba's own copy of the dictionary
        add = self._jieba.add_word
        self.mixed = ahocorasick.Automaton()    # the words with a character other than Han
        pure = _PURE_HAN.fullmatch
        for word, n in freq.items():
            add(word, n, None)
            if not pure(word):
                self.mixed.add_word(word, word)
        if len(self.mixed):
            self.mixed.make_automaton()
        # jieba-rs's total is the sum of the frequencies; jieba's is more when a word of its
        # dictionary was added again (its add_word adds the new frequency and keeps the old
        # one counted). The padding word carries the difference, so that the log
        # probabilities, and so the routes, are jieba's to the last bit.
        pad = total - sum(freq.values())
        if pad < 0:
            raise ValueError(f"total {total} is less than the sum of the frequencies")
        if pad:
            add(self._PAD, pad, None)

    def tokenize(self, block: str) -> list[tuple[str, int, int]]:
        """(word, start, end) of block, a run of Han characters (_PURE_HAN)."""
        return self._jieba.tokenize(block, "default", True)

    def cut_mixed(self, block: str) -> list[str] | None:
        """jieba's words of a block of jieba's that holds other characters than Han ones, or
        None if a word of `mixed` is written in it (see the class)."""
        if len(self.mixed) and next(self.mixed.iter(block), None) is not None:
            return None
        words: list[str] = []
        run = ""                    # other characters, which the HMM step was given together
        for word in self._jieba.cut(block, True):
            if _HAN_CHAR.match(word):       # a word is all Han characters or none
                if run:
                    words += [x for x in jieba.finalseg.re_skip.split(run) if x]
                    run = ""
                words.append(word)
            else:
                run += word
        if run:
            words += [x for x in jieba.finalseg.re_skip.split(run) if x]
        return words


class Segmenter:
    """jieba with extra words; `tokens(text)` gives words with offsets.

    Attributes:
        tokenizer: jieba.Tokenizer with jieba's dictionary plus the lexicon words.
        plain: jieba.Tokenizer with jieba's dictionary only (the place finder
            judges names by how jieba's own vocabulary cuts them).
        pos_tags: word → part-of-speech tag in jieba's dictionary.
        rust: jieba-rs on the tokenizer's dictionary, cutting jieba's blocks for `tokens`
            (None: rjieba is not installed, or rust=False was asked).

    Both tokenizers read one dictionary (jieba's 350k words are most of the memory the
    program needs): `tokenizer` has the lexicon words added to it, `plain` sees the
    frequencies they had before.
    """

    def __init__(self, words: list[str] | tuple[str, ...] = (),
                 dictionary: JiebaDictionary | None = None, rust: bool = True):
        """words: the words to add; dictionary: jieba's, loaded when not given (a given one
        is copied, not changed); rust: let jieba-rs cut the Han blocks if rjieba is installed
        (the tokens are the same either way)."""
        dictionary = JiebaDictionary.load() if dictionary is None else dictionary.copy()
        freq = dictionary.freq
        self.tokenizer = _Tokenizer(freq, dictionary.total, dictionary.heads)
        before = {}
        for word in sorted(set(words)):
            if word:
                before[word] = freq.get(word, 0)
                self.tokenizer.add_word(word, freq=max(before[word], 2000, 500 * len(word)))
        self.plain = _Tokenizer(_Before(freq, before), dictionary.total, dictionary.heads)
        self.pos_tags = dictionary.pos_tags
        self.rust = _RustCut(freq, self.tokenizer.total) if rust and rjieba is not None else None

    @property
    def freq(self) -> dict[str, int]:
        """word → frequency in the tokenizer's dictionary (words only: a word prefix is absent)."""
        return self.tokenizer.FREQ

    def tokens(self, text: str) -> list[Token]:
        """jieba's words of text (HMM on) with their offsets: jieba.Tokenizer.tokenize."""
        if self.rust is None:
            return [Token(w, s, e) for w, s, e in self.tokenizer.tokenize(text, HMM=True)]
        # jieba's cut block by block (_Tokenizer.cut), the blocks of Han characters by jieba-rs
        out: list[Token] = []
        pos = 0
        han, skip = jieba.re_han_default, jieba.re_skip_default
        for block in han.split(text):
            if not block:
                continue
            if _PURE_HAN.fullmatch(block):
                out += [Token(w, pos + s, pos + e) for w, s, e in self.rust.tokenize(block)]
            else:
                if han.match(block):
                    words = self.rust.cut_mixed(block)
                    if words is None:
                        words = self.tokenizer._cut_block_hmm(block)
                else:
                    words = (w for x in skip.split(block) for w in ((x,) if skip.match(x) else x))
                at = pos
                for w in words:
                    out.append(Token(w, at, at + len(w)))
                    at += len(w)
            pos += len(block)
        return out

    def words(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=True)
