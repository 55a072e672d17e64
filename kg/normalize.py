"""Stage 2: normalize a page's text and cut it into classified paragraphs.

Input: a Page. Output: `Paragraph`s, each with clean text and, for every
clean character, its offset in the page's text. Normalization keeps one
character for one character (full-width ASCII to half-width, corner
brackets to curly quotes), so offsets never drift.

Each paragraph gets a kind that the splitter uses:

    body      running text
    heading   a short line without sentence punctuation (headline, sub-heading)
    byline    新甘肃·甘肃日报记者 X 通讯员 Y
    author    ■中共兰州市委组织部
    caption   a photo caption (△…, or a one-sentence paragraph that interrupts a broken one)
    credit    供图 / 图片由…提供 / 本组图片由…提供 (dropped)
    jump      (上接B1版) / (下转B2版) (dropped)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import vocab
from .vocab import alternation

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, ord("「"): ord("“"), ord("」"): ord("”"),
                   ord("『"): ord("‘"), ord("』"): ord("’")})

SENTENCE_END = "。！？!?…"
CLOSING = "”’)」』"

_CAPTION_MARK = re.compile(r"^[△▲▽▼]\s*")
_CREDIT = re.compile(r"(供图|摄影?|图片由.{1,30}提供|本组图片由.{1,30}提供|图/.{1,12})\s*[)）]?\s*$")
_INLINE_CREDIT = re.compile(r"[(（]\s*(图片由.{1,30}提供|.{1,20}供图|.{1,12}摄)\s*[)）]\s*$"
                            r"|(?<=[。!！?？])\s*[^。]{2,24}(供图|摄)\s*$")
_JUMP = re.compile(r"^[(（]\s*[上下]转\s*[A-Z]?\d*\s*版\s*[)）]$|^[(（]\s*(上接|下转|转)\s*.{0,6}版\s*[)）]$")
_BYLINE = re.compile(f"({alternation(vocab.BYLINE_ROLE)})")
_DATELINE = re.compile(r"^本报(?P<place>[\u4e00-\u9fff]{1,8}?)(?:\d{1,2}月\d{1,2}日)?(电|讯)")
_MD_HEADING = re.compile(r"^(#{1,6})\s*")


def normalize_chars(text: str) -> str:
    """Full-width ASCII to half-width, ideographic space to space, corner brackets to quotes.

    One character for one character: len(result) == len(text).
    """
    return text.translate(_FULLWIDTH)


@dataclass
class Paragraph:
    kind: str
    text: str
    origin: list[int] = field(repr=False)   # origin[i] = offset in the page text of text[i]
    heading_level: int = 0                  # markdown level (1 = #), 0 if none
    gap_before: int = 0                     # blank lines between this paragraph and the one before

    def is_complete(self) -> bool:
        """True when the paragraph ends a sentence (not broken by the layout)."""
        stripped = self.text.rstrip(CLOSING + " ")
        return not stripped or stripped[-1] in SENTENCE_END + ":：;；" or len(self.text) < 2


def _lines(page_text: str):
    """Yield (stripped text, offset of its first character, blank lines before it).

    Lines end at \\n, \\r\\n and \\r (old Mac files) alike, and at the other breaks
    str.splitlines knows: \\v, \\f, \\x1c-\\x1e, \\x85, U+2028, U+2029. Offsets count
    every character of the page text, line ends included, so they point into it.
    """
    pos = 0
    blanks = 0
    for line in page_text.splitlines(keepends=True):    # every line break is whitespace
        lead = len(line) - len(line.lstrip())
        stripped = line.strip()
        if stripped:
            yield stripped, pos + lead, blanks
            blanks = 0
        else:
            blanks += 1
        pos += len(line)


def _balanced_quotes(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count("‘") == text.count("’")


def _looks_like_heading(text: str) -> bool:
    """Short, no sentence punctuation, nothing left open: how headlines and sub-heads look.

    Sub-heads may hold commas (党建领航,凝心聚力,助力社会工作行稳致远) but then
    every part is a phrase of its own; a line cut mid-sentence by the layout
    (…服务中心,宽 / …“最后一) is not a heading.
    """
    if len(text) > 40 or text[-1] in SENTENCE_END + ",，;；:：、" or "。" in text or "、" in text:
        return False
    if not _balanced_quotes(text):
        return False
    parts = re.split(r"[,，]", text)
    return len(parts) == 1 or (len(text) <= 26 and all(len(p) >= 4 for p in parts)
                               and not re.search(r"\d", text))


def classify(text: str) -> tuple[str, int]:
    """Kind of a normalized, stripped line, and its markdown heading level."""
    md = _MD_HEADING.match(text)
    if md:
        return "heading", len(md.group(1))
    if _JUMP.match(text):
        return "jump", 0
    if _CAPTION_MARK.match(text):
        return "caption", 0
    credit = _CREDIT.search(text)
    if credit and len(text) <= 40 and not re.search(r"[。!！?？]", text[:credit.start()]):
        return "credit", 0
    if text.startswith("■"):
        return "author", 0
    if _BYLINE.search(text) and len(text) <= 40 and not re.search(r"[。！？]", text) \
            and not _DATELINE.match(text):
        return "byline", 0
    if _looks_like_heading(text):
        return "heading", 0
    return "body", 0


def _strip_markers(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Drop markdown '#', caption triangles, author squares and inline photo credits."""
    for pattern in (_MD_HEADING, _CAPTION_MARK, re.compile(r"^■\s*")):
        m = pattern.match(text)
        if m:
            text, origin = text[m.end():], origin[m.end():]
    m = _INLINE_CREDIT.search(text)
    if m:
        text, origin = text[:m.start()].rstrip(), origin[:m.start()]
        origin = origin[:len(text)]
    return text, origin


def _looks_like_caption(par: Paragraph) -> bool:
    """How an unmarked photo caption looks: set off by a wider gap than paragraphs
    are, one sentence of moderate length."""
    return (par.kind == "body" and par.gap_before >= 2 and par.is_complete()
            and len(par.text) <= 120 and par.text.count("。") == 1)


def paragraphs(page_text: str) -> list[Paragraph]:
    """Cut the page's text into normalized, classified paragraphs.

    Broken paragraphs are rejoined: a body paragraph that stops mid-sentence is
    continued by the next body paragraph, skipping photo captions, credits and
    jump lines that the layout put in between (the captions are kept, after the
    rejoined paragraph). Bylines split over two lines are merged.
    """
    clean = normalize_chars(page_text)
    raw: list[Paragraph] = []
    for line, start, gap in _lines(clean):
        kind, level = classify(line)
        origin = list(range(start, start + len(line)))
        text, origin = _strip_markers(line, origin)
        if not text:
            continue
        raw.append(Paragraph(kind, text, origin, level, gap))
    raw = _merge_bylines(raw)
    return _rejoin(raw)


def _merge_bylines(pars: list[Paragraph]) -> list[Paragraph]:
    """新甘肃·甘肃日报记者 / 安东 通讯员 甄赞: a byline whose names stand on the next line."""
    out: list[Paragraph] = []
    for par in pars:
        prev = out[-1] if out else None
        names_only = re.fullmatch(r"[\u4e00-\u9fff]{2,4}((\s+|、)[\u4e00-\u9fff]{2,4})*"
                                  r"(\s*(通讯员|记者)\s*[\u4e00-\u9fff]{2,4}((\s+|、)[\u4e00-\u9fff]{2,4})*)?",
                                  par.text)
        if prev and prev.kind == "byline" and re.search(r"(记者|通讯员)$", prev.text) and names_only:
            prev.text += " " + par.text   # the space stands for the line break
            prev.origin += [par.origin[0]] + par.origin
            continue
        out.append(par)
    return out


def _rejoin(pars: list[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    held: list[Paragraph] = []       # captions met while a broken paragraph waits
    i = 0
    while i < len(pars):
        par = pars[i]
        if par.kind in ("credit", "jump"):
            i += 1
            continue
        waiting = out[-1] if out and out[-1].kind == "body" and not out[-1].is_complete() else None
        if waiting is not None:
            if par.kind == "caption":
                held.append(par)
                i += 1
                continue
            if par.kind == "body":
                nxt = _next_content(pars, i + 1)
                if _looks_like_caption(par) and nxt is not None and nxt.kind == "body":
                    held.append(Paragraph("caption", par.text, par.origin))
                    i += 1
                    continue
                waiting.text += par.text
                waiting.origin += par.origin
                i += 1
                continue
        out.extend(held)
        held = []
        out.append(par)
        i += 1
    out.extend(held)
    return out


def _next_content(pars: list[Paragraph], start: int) -> Paragraph | None:
    for par in pars[start:]:
        if par.kind not in ("credit", "jump", "caption"):
            return par
    return None
