"""Stage 3: split a page into articles and articles into sentences.

Input: a Page. Output: its Articles, each with clean text, an offset map back
to the page, sentences, title, journalists, dateline and author line.

A newspaper page often holds several articles. An article starts at its
headline block: the headings that stand right before a byline (记者 X), a
dateline paragraph (本报兰州讯…) or an author line (■…). A byline with no text
after it closes a photo story instead (it is printed below the story).
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from . import vocab
from .dates import read_dateline
from .lexicon import load
from .model import Article, Page, Sentence
from .normalize import _DATELINE, CLOSING, SENTENCE_END, Paragraph, paragraphs
from .vocab import alternation

# Byline roles: journalists (记者) and contributors (通讯员); a reporting unit (县委报道组,
# 区融媒体中心, 市委通讯组) stands where a role does, its members being contributors.
_ROLE = re.compile(f"({alternation(vocab.PRESS_ROLE)})")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _is_anchor(par: Paragraph) -> bool:
    return par.kind in ("byline", "author") or (par.kind == "body" and bool(_DATELINE.match(par.text)))


def _header_start(pars: list[Paragraph], anchor: int, floor: int) -> int:
    """Index of the first heading of the headline block just before an anchor."""
    start = anchor
    while start - 1 >= floor and pars[start - 1].kind == "heading" and anchor - start < 4:
        start -= 1
    return start


def _segments(pars: list[Paragraph]) -> list[tuple[int, int]]:
    """[start, end) paragraph ranges, one per article."""
    starts = [0]
    for i, par in enumerate(pars):
        if _is_anchor(par):
            s = _header_start(pars, i, starts[-1] + 1)
            if s > starts[-1]:
                starts.append(s)
    bounds = list(zip(starts, starts[1:] + [len(pars)]))
    return _attach_headless(pars, bounds)


def _has_text(pars: list[Paragraph]) -> bool:
    """True when the paragraphs hold text beyond headlines: a caption, or a body paragraph that
    is no headline the normalizer took for body (one short line without a sentence end, as
    portal pages print it: 【栏目】发挥党建优势,黑土地上“老字号”国企续写华彩篇章)."""
    return any(p.kind == "caption" or p.kind == "body" and not _headline_like(_headline_text(p.text))
               for p in pars)


def _headline_like(text: str) -> bool:
    """One short line without a sentence end."""
    return bool(text) and "\n" not in text and len(text) <= _HEADLINE_CHARS and not any(ch in text for ch in SENTENCE_END)


_HEADLINE_CHARS = 60


def _attach_headless(pars, bounds):
    """Give segments without text to a neighbour.

    Only a byline: it credits the photo story printed above it (the captions
    and the paragraph or two before the byline), or else the article above.
    Headings and a byline with the text below them: they open the next segment.
    """
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in bounds:
        if pending is not None:
            start, pending = pending, None
        if _has_text(pars[start:end]):
            out.append((start, end))
        elif out and all(p.kind == "byline" for p in pars[start:end]):
            prev_start, prev_end = out[-1]
            story = _photo_story_start(pars, prev_start, prev_end)
            if story is None:
                out[-1] = (prev_start, end)
            else:
                out[-1] = (prev_start, story)
                out.append((story, end))
        else:
            pending = start
    if pending is not None:
        if out:
            out[-1] = (out[-1][0], len(pars))
        else:
            out.append((pending, len(pars)))
    return out


def _photo_story_start(pars: list[Paragraph], lo: int, hi: int) -> int | None:
    """Start of the captions-plus-text story that ends at hi, if there is one."""
    i = hi
    while i - 1 > lo and pars[i - 1].kind == "body" and hi - i < 2:
        i -= 1
    if not (i - 1 > lo and pars[i - 1].kind == "caption"):
        return None
    while i - 1 > lo and pars[i - 1].kind == "caption":
        i -= 1
    return i


def parse_byline(text: str) -> tuple[list[str], list[str]]:
    """Journalists and other contributors named in a byline or a dateline's parentheses."""
    creators: list[str] = []
    contributors: list[str] = []
    parts = _ROLE.split(text)
    # parts: [prefix, role, names, role, names, ...]
    for i, (role, names) in enumerate(zip(parts[1::2], parts[2::2])):
        glued = 2 * i + 3 < len(parts)          # another role follows these names
        names, *closed = re.split(r"[)）]", names)
        found = [n for n in _byline_names(names, glued and not closed) if _starts_with_surname(n)]
        (creators if "记者" in role else contributors).extend(found)
    return creators, contributors


def _byline_names(names: str, glued_role: bool) -> list[str]:
    """The names written after a byline role (2-4 characters each, set apart by spaces).
    glued_role: another role follows with no space; then the last of several words is that
    role's unit, not a name (陈晓燕 县委|报道组)."""
    words = names.split()
    if glued_role and len(words) > 1 and not names[-1:].isspace():
        words = words[:-1]
    return [n for w in words for n in _NAME.findall(w)]


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset, frozenset]:
    """(single, double) surnames of kg/lexicon/surnames.tsv."""
    rows = [r["surname"] for r in load("surnames")]
    return frozenset(s for s in rows if len(s) == 1), frozenset(s for s in rows if len(s) == 2)


def _starts_with_surname(name: str) -> bool:
    single, double = _surnames()
    return name[:2] in double or name[:1] in single


# A portal's page furniture printed in a heading line (…新活力 来源:青海日报 发布时间:2023-07-13,
# 2020年11月13日15:52, 分享至): a label with its value, a date with a time, a share button.
_META = re.compile(f"(?:{alternation(vocab.PAGE_META)})"
                   r"\s*[:：]\s*[^\s|]*(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
                   r"|[0-9]{2,4}\s*[-/年.\s]\s*[0-9]{1,2}\s*[-/月.]\s*[0-9]{1,2}日?\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
                   f"|{alternation(vocab.PAGE_FURNITURE)}" + r"|\s[|｜]\s")


def _headline_text(text: str) -> str:
    """A heading line without the portal's page furniture around the headline."""
    return re.sub(r"\s{2,}", " ", _META.sub(" ", text)).strip()


def _title(pars: list[Paragraph]) -> str:
    """The headline block's headings (without a portal's source and time lines); else the first
    top-level markdown heading; else a first headline-like line; else the text's start."""
    header = []
    for par in pars:
        if par.kind != "heading":
            break
        header.append(_headline_text(par.text.lstrip("—- ")))
    if not any(header):
        header = []
    if not header:
        top = [p.text for p in pars if p.kind == "heading" and 0 < p.heading_level <= 2]
        header = top[:1]
    if not header and pars and pars[0].kind == "body" and _headline_like(first := _headline_text(pars[0].text)):
        header = [first]
    return " ".join(h for h in header if h) or next(
        (p.text[:30] for p in pars if p.kind == "body"), "")


# A run of text longer than this without a sentence end (a page without punctuation, a run-on
# list) is cut by a line break: every mention carries its sentence as evidence, and finders
# look for the sentence or clause around each find, so an unbounded run makes output and time
# grow with the square of its length.
MAX_SENTENCE_CHARS = 500
# Where such a run is cut: after the last clause mark of the run's second half, else after
# the last space there, else at the limit.
_CUT_AFTER = ("；;", "，,、：:", " \t\u3000")


def _cut(text: str, lo: int, hi: int, groups) -> int:
    """Where to cut text[lo:hi]: after the last mark of the first of GROUPS (strings of marks)
    that has one there, else at hi."""
    for marks in groups:
        found = max(text.rfind(mark, lo, hi) for mark in marks)
        if found >= 0:
            return found + 1
    return hi


def cut_long_runs(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """TEXT with a line break inserted wherever MAX_SENTENCE_CHARS characters pass without
    a sentence end or line break. An inserted break maps (ORIGIN) to the character after it."""
    if len(text) <= MAX_SENTENCE_CHARS:
        return text, origin
    pieces_text, pieces_origin = [], []
    run_start = start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or ch == "\n":
            run_start = i + 1
        elif i - run_start >= MAX_SENTENCE_CHARS:
            cut = _cut(text, run_start + MAX_SENTENCE_CHARS // 2, i, _CUT_AFTER)
            pieces_text += [text[start:cut], "\n"]
            pieces_origin += [origin[start:cut], [origin[cut]]]
            run_start = start = cut
    pieces_text.append(text[start:])
    pieces_origin.append(origin[start:])
    return "".join(pieces_text), [o for piece in pieces_origin for o in piece]


_SENTENCE_MARK = re.compile("[" + re.escape("".join(sorted(set(SENTENCE_END)))) + "\n]")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences end at 。！？!?… (with any closing quotes) and at line breaks."""
    sentences: list[Sentence] = []
    start = 0
    n = len(text)
    after = 0                   # the marks before it close the sentence just ended
    for m in _SENTENCE_MARK.finditer(text):     # the other characters end nothing
        i, ch = m.start(), m.group()
        if i < after:
            continue
        if ch == "\n":
            end = i
        else:
            j = i + 1
            while j < n and (text[j] in SENTENCE_END or text[j] in CLOSING):
                j += 1
            end = after = j
        if text[start:end].strip():
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
        start = end + 1 if ch == "\n" else end
    if text[start:].strip():
        sentences.append(Sentence(len(sentences), start, n, text[start:]))
    return sentences


# How many of an article's first body paragraphs may hold its dateline.
_DATELINE_PARAGRAPHS = 3


def _article(page: Page, index: int, pars: list[Paragraph]) -> Article:
    text_parts: list[str] = []
    origin: list[int] = []
    creators: list[str] = []
    contributors: list[str] = []
    credit_spans: list[tuple[int, int]] = []
    author_org = dateline = dateline_date = None
    # a dateline opens the report: looked for in its first body paragraphs (a caption or a
    # line of furniture may stand before it)
    body_seen = 0
    for par in pars:
        if text_parts:
            text_parts.append("\n")
            origin.append(origin[-1] + 1)
        if par.kind in ("byline", "author"):
            credit_spans.append((len(origin), len(origin) + len(par.text)))
        if par.kind == "body" and dateline_date is None and body_seen < _DATELINE_PARAGRAPHS:
            dateline_date = read_dateline(par.text)
            body_seen += 1
        par_text, par_origin = cut_long_runs(par.text, par.origin)
        text_parts.append(par_text)
        origin.extend(par_origin)
        if par.kind == "byline":
            c, o = parse_byline(par.text)
            creators += c
            contributors += o
        elif par.kind == "author" and author_org is None:
            author_org = par.text
        elif par.kind == "body" and dateline is None:
            m = _DATELINE.match(par.text)
            if m:
                dateline = m.group("place")
                paren = re.match(r"[(（]([^)）]*)[)）]", par.text[m.end():])
                if paren:
                    c, o = parse_byline(paren.group(1))
                    creators += c
                    contributors += o
    text = "".join(text_parts)
    return Article(doc_id=page.doc_id, index=index, title=_title(pars),
                   text=text, origin=origin, sentences=split_sentences(text),
                   creators=list(dict.fromkeys(creators)),
                   contributors=list(dict.fromkeys(contributors)),
                   author_org=author_org, dateline=dateline, credit_spans=credit_spans,
                   source=page.text, dateline_date=dateline_date)


# An article longer than this (a file of many stories without headlines, a whole archive
# pasted into one file) is read in parts of at most this size, cut at a line break: finders
# and relations compare the mentions of one article with each other, so their cost grows
# with the square of an article's length, and real articles are far shorter.
MAX_ARTICLE_CHARS = 20_000


def _parts(article: Article) -> list[Article]:
    """ARTICLE itself, or its consecutive parts of at most MAX_ARTICLE_CHARS, each cut after
    the last line break (else sentence end) of its second half. Every part keeps the title and
    so the article's place; the byline, author line and dateline stay with the first part."""
    text = article.text
    if len(text) <= MAX_ARTICLE_CHARS:
        return [article]
    bounds, start = [], 0
    while len(text) - start > MAX_ARTICLE_CHARS:
        cut = _cut(text, start + MAX_ARTICLE_CHARS // 2, start + MAX_ARTICLE_CHARS, ("\n", SENTENCE_END))
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    parts = []
    for n, (a, b) in enumerate(bounds):
        first = n == 0
        # dataclasses.replace: whatever else the article holds (its date) every part keeps
        parts.append(dataclasses.replace(
            article, text=text[a:b],
            origin=article.origin[a:b], sentences=split_sentences(text[a:b]),
            creators=article.creators if first else [], contributors=article.contributors if first else [],
            author_org=article.author_org if first else None, dateline=article.dateline if first else None,
            credit_spans=[(s - a, e - a) for s, e in article.credit_spans if a <= s and e <= b]))
    return parts


def split_articles(page: Page) -> list[Article]:
    """The page's articles in page order (at least one when the page has text), long ones
    in parts (MAX_ARTICLE_CHARS)."""
    pars = paragraphs(page.text)
    if not pars:
        return []
    articles = [part for n, (start, end) in enumerate(_segments(pars))
                for part in _parts(_article(page, n, pars[start:end]))]
    for n, article in enumerate(articles):
        article.index = n
    return articles
