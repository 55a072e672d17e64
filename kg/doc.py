"""What the finders read about one article: the Doc, built once per article.

    Article --kg.find.run.read_doc--> Doc --each finder of kg.find.run.FINDERS--> Doc.mentions

Every finder is a function `find_x(doc: Doc) -> list[Mention]`. What it needs about the
article is here, read once: the Article (clean text, offset map, sentences, title,
dateline, byline), jieba's tokens of the text, its quotes and 《》 titles, the parts of
wholes it lists, the divisions the article is about, the gazetteer and segmenter these were
read with, and the mentions the finders before it found (places read the divisions, people
the organizations). Nothing about an article is kept anywhere else between finders.

The Doc is built in kg.find.run, not here: its focus and parts are read by the places and
program finders' modules, and every finder module imports this one, so this module imports
no finder. The readers of quotes and titles live here because the Doc holds what they read
and the finders share it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from .gazetteer import Division, Gazetteer
from .model import Article, Mention
from .segment import Segmenter, Token

# ---------------------------------------------------------------------------- quotes and titles

OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in OPENERS.items()}
QUOTE_MARKS = "“”‘’「」『』\"'"
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Quote:
    """A stretch of text between quote marks: text[start] is the opening mark, text[end-1] the closing one."""
    start: int
    end: int
    depth: int          # 0 at top level, 1 inside another quote, ...
    content: str        # as written between the marks (inner marks kept)

    @cached_property
    def plain(self) -> str:
        """content without its quote marks (read once: the finders ask it again and again)."""
        return strip_quotes(self.content)


_NO_QUOTE_MARKS = str.maketrans("", "", QUOTE_MARKS)


def strip_quotes(s: str) -> str:
    """The text without any quote marks."""
    return s.translate(_NO_QUOTE_MARKS)


def is_han(ch: str) -> bool:
    return bool(HAN.match(ch))


_QUOTE_OR_LINE = re.compile("[" + re.escape("".join(OPENERS) + "".join(_CLOSERS) + "\"'") + "\n]")


def find_quotes(text: str) -> tuple[Quote, ...]:
    """Every quoted stretch, nested ones too. Curly, corner and straight marks;
    a quote never runs over a line end; a straight ' counts only next to a Chinese character."""
    out: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for m in _QUOTE_OR_LINE.finditer(text):        # the other characters change nothing
        i, ch = m.start(), m.group()
        if ch == "\n":
            stack.clear()
        elif ch in OPENERS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == opener:
                    start = stack[k][1]
                    del stack[k:]
                    out.append(Quote(start, i + 1, len(stack), text[start + 1:i]))
                    break
        elif ch in "\"'":
            if ch == "'" and not ((i > 0 and is_han(text[i - 1])) or (i + 1 < len(text) and is_han(text[i + 1]))):
                continue
            if stack and stack[-1][0] == ch:
                start = stack.pop()[1]
                out.append(Quote(start, i + 1, len(stack), text[start + 1:i]))
            else:
                stack.append((ch, i))
    return tuple(sorted(out, key=lambda q: q.start))


def is_name_like(q: Quote) -> bool:
    """A quote that can hold a name: short, no sentence punctuation (else it is quoted speech)."""
    plain = q.plain.strip()
    if not plain or len(plain) > 40 or any(ch in "。！？!?…；;：:" for ch in plain):
        return False
    if ("," in plain or "，" in plain) and len(plain) > 14:
        return False
    return True


def name_quotes(quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
    """Of a text's quotes (find_quotes), those that may hold a name: name-like and not inside
    another name-like quote (the ‘新’ of “暖心暖‘新’” is part of a name; the ‘有事找书记’ inside
    quoted speech is one)."""
    named = [q for q in quotes if is_name_like(q)]
    return tuple(q for q in named
                 if not any(o.start < q.start and q.end <= o.end for o in named if o is not q))


SENTENCE_MARKS = re.compile("[。！？!?\n]")


def sentence_marks(text: str) -> tuple[int, ...]:
    """Offsets of the sentence marks of text (Doc.sentence_marks)."""
    return tuple(m.start() for m in SENTENCE_MARKS.finditer(text))


def title_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of 《…》 titles (marks included)."""
    return tuple((m.start(), m.end()) for m in re.finditer(r"《[^《》\n]{1,80}》", text))


@dataclass
class Part:
    """A part of a whole that the text shows: an item of an enumeration with a counted whole
    (“A、B、C”七项制度), of a list after 即, a parallel heading after a counted whole …
    (the rules are kg.find.programs.read_parts). Offsets into the text."""
    name: str
    start: int
    end: int
    whole: str           # the whole's name
    whole_start: int
    whole_end: int
    aliases: set = field(default_factory=set)


# ---------------------------------------------------------------------------- the Doc

@dataclass
class Doc:
    """One article as the finders read it. Offsets everywhere are into `text`."""

    article: Article
    """The article: clean text with the offset map back to the file, its sentences, title,
    dateline (本报兰州讯 → 兰州), creators and contributors from the byline."""

    tokens: list[Token]
    """jieba's words of the whole clean text with their offsets, in order
    (segmenter.tokens(text); jieba cuts at punctuation, so a clause's words are its own)."""

    quotes: tuple[Quote, ...]
    """Every quoted stretch of the text, nested ones too, by start (find_quotes(text))."""

    name_quotes: tuple[Quote, ...]
    """The quotes that may hold a name (name_quotes(quotes)): no quoted speech, none inside another."""

    titles: tuple[tuple[int, int], ...]
    """The spans of 《…》 titles, marks included (title_spans(text))."""

    focus: list[Division]
    """The divisions the article is about, province first ([甘肃省, 兰州市, 安宁区]): from the
    title, else the dateline, else the division named most in the first paragraphs
    (kg.find.places.article_focus); empty for a national roundup or a text naming none."""

    segmenter: Segmenter
    """The jieba tokenizers the tokens were cut with (`plain`: jieba's own dictionary)."""

    gazetteer: Gazetteer | None
    """The divisions of China the focus was read with and the division finder reads
    (None only for a Doc of a test that gives its divisions by hand)."""

    parts: tuple[Part, ...] = ()
    """The parts of wholes the text shows (kg.find.programs.read_parts): the program finder
    makes mentions of them, program_parts relates them."""

    mentions: list[Mention] = field(default_factory=list)
    """What the finders found so far, in the order they ran (each finder's own order
    within): a finder reads the mentions of the ones before it."""
    quoted_programs: tuple = ()
    """The quoted names the program finder takes for programs (kg.find.programs.quoted_programs),
    read once: the parts rules and the finder both start from them."""
    sentence_marks: tuple[int, ...] = ()
    """Offsets of the characters that end a sentence for the finders (SENTENCE_MARKS), sorted."""
    heads: dict = field(default_factory=dict)
    """(pos, limit) → kg.find.programs.head_after(doc, pos, limit), the word that follows a
    quoted name there, as far as read: three finders read what follows the same quotes."""
    counted_wholes: tuple | None = None
    """The quoted names that announce a count, each (name, start, end, full alias)
    (kg.find.programs._counted_wholes), read at the first rule of read_parts that asks: they
    depend on the text, its quotes and titles only. None: not read yet."""
    division_candidates: tuple | None = None
    """The names of the text that may be divisions, before the division finder chose among
    them (kg.find.places.division_candidates), read once: the focus pass and the finder both
    start from them. None: not read (the finder then reads them)."""

    @property
    def text(self) -> str:
        """The article's clean text."""
        return self.article.text

    @cached_property
    def token_at(self) -> dict[int, Token]:
        """start offset → the token that starts there (read once: several finders ask)."""
        return {t.start: t for t in self.tokens}

    @cached_property
    def token_before(self) -> dict[int, Token]:
        """end offset → the token that ends there."""
        return {t.end: t for t in self.tokens}

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence that holds pos: from just after the mark before it
        to just after the mark at or after it (。！？!? or a line end), or the text's ends."""
        i = bisect.bisect_left(self.sentence_marks, pos)
        start = self.sentence_marks[i - 1] + 1 if i > 0 else 0
        end = self.sentence_marks[i] + 1 if i < len(self.sentence_marks) else len(self.text)
        return start, end

    def found(self, type_: str) -> list[Mention]:
        """The mentions of one entity type found so far (AdministrativeUnit, Organization ...),
        in the order found."""
        return [m for m in self.mentions if m.type == type_]
