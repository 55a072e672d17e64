"""Administrative divisions and other named places in an article's text.

    division_candidates(text, gaz)     → the names of divisions the text may hold, read once per article
    read_focus(article, gaz)           → the divisions an article is about, province first
    find_divisions(doc)                → AdministrativeUnit mentions, resolved to the gazetteer
    find_places(doc)                   → Place mentions (小区, 站, 机场, 山, 河, 广场, 产业园 …)

The two finders read a kg.doc.Doc; read_focus gives the Doc its focus (kg.find.run). The
division finder runs twice over an article's text, once without a focus to read the focus and
once with it; both passes start from the same candidates (Doc.division_candidates).

Divisions are found in two ways (kg.gazetteer): an Aho-Corasick automaton for the
full names and short forms of provinces, prefectures and counties, and a dict of
township and village names consulted only where the text has a division suffix
(镇 乡 街道 村 社区 嘎查 苏木). Overlapping candidates are settled leftmost-longest
(白银路街道 beats 白银, 安定社区 beats 安定). Then names are resolved by context:

1. a chain written together: 平凉市崆峒区上杨乡小岔村 — each name must lie under
   the one before it (a level may be skipped: 武山县南关社区); a name the
   gazetteer lacks right after a known one is still found by its suffix
   (立节镇太迪村 → 太迪村, parent 立节镇);
2. the same name resolved elsewhere in the text;
3. the article's focus (article_focus), deepest first;
4. a division named nearby in the text (before, else after);
5. for short forms, the higher level (白银 → 白银市, not 白银区).

A township or village name still ambiguous after that is left out: a village
named alone in an article about another province is noise.

Divisions the gazetteer lacks are also found where the grammar of the text places them:
villages listed with a found sibling (麻滩村、铁山村 → the sibling's written parent), a village
right after a township the gazetteer lacks (崔各庄乡费家村), a community named twice alone
with a confirming word (鼎立社区党委, under the focus), natural villages listed before
their count (由湖头、尹山等7个自然村, under the community named before). The focus province
is also mentioned by its level word before its bodies (省委, 自治区党委). A short form
inside another name is no mention (甘肃日报, 苏州路, 本报兰州讯, “陇南民事直说”), except in
the pass that finds the focus. Short forms of
counties need support (their full name in the text, or the focus); short forms
that are common words (合作, 安定) and words such as 城市, 全市, 辖区, 新区 never
make a division by themselves (kg/lexicon/division_stopwords.tsv).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..doc import Doc
from ..gazetteer import LEVELS, Division, Gazetteer
from .. import vocab
from ..lexicon import load as load_lexicon
from ..model import Article, Mention
from ..vocab import alternation, char_class
from . import occurrences

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LOW_SUFFIX = re.compile(alternation(vocab.LOW_SUFFIXES))
_LOW_MAX = 12
_TOWNSHIP_SUFFIXES = vocab.LOW_TOWNSHIP_SUFFIXES
_VILLAGE_SUFFIXES = vocab.LOW_VILLAGE_SUFFIXES
# characters that never stand inside the name of a division the gazetteer lacks
_NOT_IN_NAME = set(vocab.NOT_IN_NAME)
_LEVEL_CHARS = set(vocab.LEVEL_CHARS)   # the characters that end a division's level word
# _NOT_IN_NAME less the level characters a name may hold when it is not that level's own
# (苏州路社区, 刘村 as a natural village)
_NOT_IN_NAME_BUT_LEVELS = _NOT_IN_NAME - _LEVEL_CHARS
_RANK = {"province": 0, "prefecture": 1, "county": 2, "township": 3, "village": 4, "special": 2}


# ---------------------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class _Lexicon:
    not_place: frozenset[str]      # never a division alone (城市, 全市, 健全村)
    shorts: frozenset[str]         # short forms never matched alone (合作, 安定)
    noun_after: frozenset[str]     # words that start at a suffix (乡村, 村级)
    weak_endings: tuple[str, ...]  # common words a name may end in (发展乡村)
    confirms: tuple[str, ...]      # words after a name that confirm it (党支部, 村民)
    name_after: tuple[str, ...]    # words after a short form that make it part of another
                                   # name (甘肃日报, 苏州路, 兰州讯)


@lru_cache(maxsize=1)
def _stopwords() -> _Lexicon:
    """kg/lexicon/division_stopwords.tsv, by kind."""
    try:
        rows = load_lexicon("division_stopwords")
    except FileNotFoundError:
        rows = ()
    kinds: dict[str, list[str]] = {}
    for row in rows:
        word, kind = row.get("word", ""), row.get("kind", "")
        if word and kind:
            kinds.setdefault(kind, []).append(word)
    return _Lexicon(frozenset(kinds.get("not_place", ())), frozenset(kinds.get("short", ())),
                    frozenset(kinds.get("noun_after", ())), tuple(kinds.get("weak_ending", ())),
                    tuple(kinds.get("confirms", ())),
                    tuple(sorted(kinds.get("name_after", ()), key=len, reverse=True)))


# ---------------------------------------------------------------------------- spans

@dataclass
class _Span:
    start: int
    end: int
    surface: str
    kind: str                      # full | short | low | unknown
    ids: list[int]
    chain_only: bool = False       # a common word: a division only inside a written chain
    common_short: bool = False     # chain_only as a county's short form that is a common word
                                   # (光山): still the county where it opens a headline (光山：…)
    weak: bool = False             # a name that is also a common word (团结村): alone, it needs
                                   # support (团结村党支部, or the same village named surely)
    common_body: bool = False      # weak, with a body of two characters or more (连城镇): under
                                   # the article's own county it stands alone
    chained: bool = False          # linked to the span before it (or after it)
    linked: bool = False           # followed by a division the gazetteer lacks (立节镇|太迪村)
    prev: "_Span | None" = None    # the span right before it in a chain
    parent_name: str | None = None # for divisions the gazetteer lacks
    level: str | None = None
    variant_of: int | None = None  # a gazetteer division one character away (西狭村 ~ 西峡村)

    def copy(self) -> "_Span":
        """A copy with its own list of ids (what dataclasses.replace(self, ids=list(self.ids))
        makes, without calling __init__ by keyword: _find copies every span of every pass)."""
        new = object.__new__(_Span)
        new.__dict__.update(self.__dict__)
        new.ids = list(self.ids)
        return new


def _level_of_suffix(name: str) -> str:
    return "township" if name.endswith(_TOWNSHIP_SUFFIXES) else "village"


def _crossed(text: str, start: int, end: int, gaz: Gazetteer, right: bool,
             crossers: set[tuple[int, int]]) -> bool:
    """True if a word of jieba's dictionary crosses the span's left edge (or its right edge):
    确[定西]部, 今[天水]平, [清水河]畔. A crossing word does not count where the text on the
    other side of the edge starts a word of its own (为[积石山]地震: 山地 crosses, 地震 is a word).
    crossers: gaz.crosser_spans(text)."""
    words2 = gaz.words2
    if not (start >= 2 and text[start - 2:start] in words2):
        for i in range(max(0, start - 4), start):
            for j in range(start + 1, min(end, i + 6)):
                if (i, j) in crossers:
                    return True
    # 临汾、晋中等市: 等 + a level word lists names (中等 does not cross)
    if right and text[end:end + 2] not in words2 and not _LISTED_BEFORE.match(text, end):
        for i in range(max(start + 1, end - 3), end):
            for j in range(end + 1, min(len(text), i + 6) + 1):
                if (i, j) in crossers:
                    return True
    return False


_LISTED_BEFORE = re.compile("等" + char_class(vocab.LISTED_LEVELS))


def _candidates(text: str, gaz: Gazetteer) -> list[_Span]:
    lex = _stopwords()
    not_place, stop_shorts = lex.not_place, lex.shorts
    out: list[_Span] = []
    crossers = gaz.crosser_spans(text)
    for start, end, key, full, short in gaz.scan_upper(text):
        if full:
            ids = list(full) + [i for i in short if i not in full]
            span = _Span(start, end, key, "full", ids)
            if key in not_place or key in gaz.common_full:
                span.chain_only = True
            elif len(key) <= 2 and _crossed(text, start, end, gaz, False, crossers):
                continue                     # 形成县: 成县 is not meant
            out.append(span)
        elif short:
            span = _Span(start, end, key, "short", list(short))
            county_only = all(gaz.level_rank(i) >= 2 for i in short)
            if key in not_place:
                span.chain_only = True
            elif key in stop_shorts:
                # 开封, 合作: a common word, but the article's subject where it opens a headline
                span.chain_only = span.common_short = True
            elif county_only and key in gaz.common_shorts:
                span.chain_only = span.common_short = True
            if _crossed(text, start, end, gaz, True, crossers):
                continue                     # 确定西部: 定西 is not meant
            out.append(span)
    for m in _LOW_SUFFIX.finditer(text):
        end = m.end()
        suffix_len = end - m.start()
        for length in range(suffix_len + 1, min(_LOW_MAX, end) + 1):
            start = end - length
            if not _CJK.match(text, start):
                break
            name = text[start:end]
            ids = [i for i in gaz.ids(name) if gaz.level_rank(i) >= 3]
            if ids:
                span = _Span(start, end, name, "low", ids)
                body = name[:-suffix_len]
                if name in not_place:
                    span.chain_only = True
                elif (name in gaz.common_low or len(body) < 2
                      or any(name.endswith(w) for w in lex.weak_endings)):
                    span.weak = True      # 团结村, 集村, 发展乡村
                    span.common_body = len(body) >= 2
                out.append(span)
    return out


def _select(cands: Sequence[_Span], gaz: Gazetteer) -> list[_Span]:
    """Leftmost-longest, full names before low-level names before short forms on ties;
    right after a chosen name, the longest candidate that lies under it wins
    (武山县城关镇|社区, although 城关镇社区 is a community elsewhere)."""
    prio = {"full": 0, "low": 1, "short": 2}
    by_start: dict[int, list[_Span]] = {}
    for c in cands:
        by_start.setdefault(c.start, []).append(c)
    chosen: list[_Span] = []
    pos = -1
    for start in sorted(by_start):
        if start < pos:
            continue
        options = sorted(by_start[start], key=lambda s: (-(s.end - s.start), prio[s.kind]))
        pick = options[0]
        if chosen and chosen[-1].end == start and len(options) > 1:
            prev = chosen[-1].ids
            under_prev = gaz.under_any(prev)
            fits = [o for o in options if any(under_prev(x) for x in o.ids)]
            if fits:
                pick = fits[0]
        chosen.append(pick)
        pos = pick.end
    return chosen


# ---------------------------------------------------------------------------- resolution

def _link_chains(spans: list[_Span], gaz: Gazetteer) -> None:
    """Narrow the candidates of names written together (平凉市崆峒区上杨乡小岔村)."""
    i = 0
    while i < len(spans):
        chain = [spans[i]]
        j = i + 1
        while j < len(spans) and spans[j].start == chain[-1].end:
            nxt = spans[j]
            under_last = gaz.under_any(chain[-1].ids)
            below = [x for x in nxt.ids if under_last(x)]
            if not below:
                break
            nxt.ids = below
            nxt.prev = chain[-1]
            nxt.chained = chain[-1].chained = True
            chain.append(nxt)
            j += 1
        # backwards: keep in each link only the ids that have the next link below them
        for k in range(len(chain) - 2, -1, -1):
            keep = [y for y in chain[k].ids if any(gaz.is_under(x, y) for x in chain[k + 1].ids)]
            if keep:
                chain[k].ids = keep
        i = j


def _one_char_variant(gaz: Gazetteer, root: int, name: str, level_rank: int) -> int | None:
    """The single division under root named like `name` but for one character (西狭村 ~ 西峡村)."""
    suffix = next((s for s in _TOWNSHIP_SUFFIXES + _VILLAGE_SUFFIXES if name.endswith(s)), None)
    if suffix is None or len(name) - len(suffix) < 2:
        return None
    found = []
    for d in gaz.descendants(gaz.get(root), levels=(LEVELS[level_rank],)):
        n = d.name
        if len(n) == len(name) and n.endswith(suffix) and n != name:
            if sum(a != b for a, b in zip(n, name)) == 1:
                found.append(d.id)
                if len(found) > 1:
                    return None
    return found[0] if found else None


def _bad_body(body: str) -> bool:
    """Does the part before a suffix hold a character that no name the gazetteer lacks holds
    (每个|村, 驻|村, 全|村)? 各 stands in the village names of North China that end in 各庄
    (崔各庄乡, 泗各庄村), not elsewhere; a level character (州, 市) in a community named after a
    road or street (苏州路社区, 锦州街社区)."""
    body = body.replace("各庄", "庄")
    if body.endswith(("路", "街")):
        return any(c in _NOT_IN_NAME_BUT_LEVELS for c in body)
    return any(c in _NOT_IN_NAME for c in body)


_UNKNOWN_CHILD = re.compile(rf"([\u4e00-\u9fff]{{1,5}}?)({alternation(vocab.LOW_SUFFIXES)})")


def _unknown_child(text: str, parent: _Span, gaz: Gazetteer) -> _Span | None:
    """A division the gazetteer lacks, written right after a known one (立节镇太迪村)."""
    lex = _stopwords()
    not_place, noun_after = lex.not_place, lex.noun_after
    if parent.kind == "unknown":
        rank = _RANK.get(parent.level or "village", 4)
    elif len(parent.ids) == 1:
        rank = gaz.level_rank(parent.ids[0])
    else:
        return None
    m = _UNKNOWN_CHILD.match(text, parent.end)
    if not m:
        return None
    body, suffix = m.group(1), m.group(2)
    if rank == 2:
        allowed = ("街道", "镇", "乡", "苏木", "社区", "村")
    elif rank == 3:
        allowed = ("社区", "嘎查", "村")
    else:
        return None
    long_ok = suffix in ("社区", "街道", "嘎查", "苏木")
    if suffix not in allowed or not (1 if long_ok else 2) <= len(body) <= (5 if long_ok else 3):
        return None
    if body in gaz.words2 and not gaz.ids(body + suffix):
        return None                       # 新农村: a common word, and nowhere a name
    if _bad_body(body) or not _CJK.match(text, parent.end):
        return None
    name = body + suffix
    if name in not_place or body in not_place:
        return None
    if any(text.startswith(w, m.end() - 1) for w in noun_after):
        return None
    span = _Span(parent.end, m.end(), name, "unknown", [], parent_name=_span_name(parent, gaz),
                 level=_level_of_suffix(name))
    span.prev = parent
    span.chained = True
    if parent.kind != "unknown":
        span.variant_of = _one_char_variant(gaz, parent.ids[0], name,
                                            3 if span.level == "township" else 4)
    return span


def _span_name(span: _Span, gaz: Gazetteer) -> str:
    if span.kind == "unknown":
        return span.surface
    if len(span.ids) == 1:
        return gaz.get(span.ids[0]).name
    return span.surface


def _narrow(span: _Span, gaz: Gazetteer, focus: list[Division], context: list[tuple[int, int]]) -> None:
    """Settle an ambiguous name by the focus, then by divisions named nearby."""
    ids = span.ids
    for f in reversed(focus):
        sub = [x for x in ids if x == f.id or gaz.is_under(x, f.id)]
        if sub:
            ids = sub
            break
    if len(ids) > 1:
        # nearest resolved division first (before the span preferred on equal distance);
        # for a township or village only within 300 characters
        reach = 300 if gaz.level_rank(ids[0]) >= 3 else None
        tried: set[int] = set()
        for pos, d in _nearest(context, span.start, reach):
            if d in tried:
                continue
            tried.add(d)
            if len(tried) > 40:
                break
            sub = [x for x in ids if x == d or gaz.is_under(x, d)]
            if sub and len(sub) < len(ids):
                ids = sub
                break
    if len(ids) > 1 and span.kind == "short":
        top = min(gaz.level_rank(x) for x in ids)
        ids = [x for x in ids if gaz.level_rank(x) == top]
    span.ids = ids


def _nearest(context: list[tuple[int, int]], at: int, reach: int | None):
    """(position, division) of context (sorted by position) from the nearest outwards."""
    i = bisect.bisect_left(context, (at, -1))
    lo, hi = i - 1, i
    while lo >= 0 or hi < len(context):
        before = at - context[lo][0] if lo >= 0 else None
        after = context[hi][0] - at if hi < len(context) else None
        if after is None or (before is not None and before <= after):
            dist, item = before, context[lo]
            lo -= 1
        else:
            dist, item = after, context[hi]
            hi += 1
        if reach is not None and dist > reach:
            return
        yield item


_QUOTE_REACH = 16                          # characters looked at for the quotes around a name


def _in_quoted_name(text: str, start: int, end: int) -> bool:
    """Does text[start:end] lie inside a quotation that says more than it (“陇南民事直说”,
    “党旗领航·平安武鸣”, “海口市先进基层党组织”)? The quotation then names a program, a brand
    or a title, and the division is part of that name."""
    open_at = text.rfind("“", max(0, start - _QUOTE_REACH), start)
    if open_at < 0 or "”" in text[open_at:start]:
        return False
    close_at = text.find("”", end, end + _QUOTE_REACH)
    if close_at < 0 or "“" in text[end:close_at]:
        return False
    inner = text[open_at + 1:close_at]
    return "\n" not in inner and len(inner) > end - start + 1


def _refers_to_own(text: str, d: Division) -> bool:
    """Does the text call the division its own, by its level (我省 for 甘肃省, 我市, 我县)?"""
    return ("我" + d.name[-1]) in text


def _word_runs_on(text: str, s: _Span) -> bool:
    """Does a common word start at the span's suffix (团结|村民, 发展|乡村, 团结|村级)?"""
    at = s.end - 1
    return any(text.startswith(w, at) for w in _stopwords().noun_after)


def _in_other_name(text: str, end: int) -> bool:
    """Does the text right after a short form make it part of another name: a newspaper, a
    channel, a dateline, a bank, a road (甘肃|日报, 苏州|路, 兰州|讯)? Not where a division
    follows (兰州|街道 is no street)."""
    if text.startswith("街道", end):
        return False
    return any(text.startswith(w, end) for w in _stopwords().name_after)


def _strong_after(text: str, end: int) -> bool:
    return any(text.startswith(w, end) for w in _stopwords().confirms)


def find_divisions(doc: Doc) -> list[Mention]:
    """Every mention of an administrative division in the article, resolved where the context
    allows (the article's focus among it)."""
    return divisions_in(doc.text, doc.gazetteer, doc.focus, doc.division_candidates)


def division_candidates(text: str, gaz: Gazetteer) -> tuple[_Span, ...]:
    """Every name in text that may be a division (full names, short forms, township and
    village names by their suffix), overlapping, before any is chosen: what divisions_in starts
    from. The scan is the finder's costliest step, so an article's is read once (kg.find.run
    keeps it in Doc.division_candidates) for both passes; they leave these spans unchanged."""
    return tuple(_candidates(text, gaz))


def read_focus(article: Article, gaz: Gazetteer,
               candidates: tuple[_Span, ...] | None = None) -> list[Division]:
    """The divisions the article is about, province first (article_focus): from its title and
    dateline, else from the divisions its text names, counted in a first pass that knows no
    focus. candidates: division_candidates of the article's text, if read already."""
    return article_focus(article.title, article.dateline,
                         divisions_in(article.text, gaz, None, candidates), gaz)


def divisions_in(text: str, gaz: Gazetteer, focus: list[Division] | None = None,
                 candidates: tuple[_Span, ...] | None = None) -> list[Mention]:
    """Every mention of an administrative division in text, resolved where the context allows.

    focus None is the first pass, made to find the article's focus (read_focus): there a
    division inside another name counts too, since the source line (来源：酒泉日报) or the
    site (中国甘肃网讯) tells where the article is from. With a focus (also an empty one) such
    a name is no mention of the division, unless the text refers to that division as its
    own (我省) and the site's name is all that names it. candidates: division_candidates(text,
    gaz) if read already (else they are read here)."""
    return _find(text, gaz, list(focus or []), headline=False, in_names=focus is None,
                 candidates=candidates)


def _find(text: str, gaz: Gazetteer, focus: list[Division], headline: bool,
          in_names: bool = True, candidates: tuple[_Span, ...] | None = None) -> list[Mention]:
    """headline: the text is a title, where a county's short form alone names the
    article's subject (瓜州：党建引领添活力). in_names: keep the divisions inside other
    names (甘肃日报). candidates: division_candidates(text, gaz), if read already."""
    if candidates is None:
        candidates = division_candidates(text, gaz)
    # the steps below narrow and link the chosen spans in place: they work on copies, so
    # that the candidates serve the article's other pass unchanged
    spans = [s.copy() for s in _select(candidates, gaz)]
    _link_chains(spans, gaz)
    spans = _add_unknown(text, spans, gaz)

    # first the names settled without context, then the rest
    context = [(s.start, s.ids[0]) for s in spans
               if s.kind != "unknown" and len(s.ids) == 1 and not s.chain_only and not s.weak]
    context_ids = {i for _, i in context}
    for s in spans:
        if s.kind == "unknown" or len(s.ids) <= 1:
            continue
        same = [x for x in s.ids if x in context_ids]
        if len(same) == 1:
            s.ids = same
            continue
        _narrow(s, gaz, focus, context)

    # ids named in a way that leaves no doubt: in a chain, or by a full name that is no common word
    sure: dict[int, list[_Span]] = {}
    for s in spans:
        if s.kind != "unknown" and len(s.ids) == 1 and (
                s.chained or (s.kind != "short" and not s.chain_only and not s.weak)):
            sure.setdefault(s.ids[0], []).append(s)
    accepted: set[int] = set()             # id() of the spans kept
    mentions: list[Mention] = []
    for s in spans:
        mention = _accept(s, text, gaz, focus, headline, sure, accepted, in_names)
        if mention is not None:
            accepted.add(id(s))
            mentions.append(mention)

    # later mentions of a division the gazetteer lacks, by the name found in a chain; a bare
    # township or village name the gazetteer places elsewhere (姚家街道龙鼎社区 … 龙鼎社区, where
    # the gazetteer's 龙鼎社区 is under another street) is the one the article has placed
    seen_unknown: dict[str, Mention] = {}
    for m in mentions:
        if m.attrs.get("division") is None and m.attrs.get("parent_name") and len(m.name) >= 3:
            seen_unknown.setdefault(m.name, m)
    mentions = [_as_placed(m, seen_unknown, gaz) for m in mentions]
    taken = _covered(text, mentions)
    for name, first in seen_unknown.items():
        for start, end in occurrences(text, name):
            if any(taken[start:end]):
                continue
            attrs = dict(first.attrs, chain=False)
            mentions.append(Mention("AdministrativeUnit", name, start, end, name, attrs))
    mentions += _list_siblings(text, mentions, gaz, focus)
    mentions += _standalone(text, mentions, gaz, focus)
    mentions += _province_bodies(text, mentions, focus)
    mentions += _natural_villages(text, mentions, focus)
    mentions += _bare_townships(text, mentions, gaz, focus)
    covered = [(m.start, m.end) for m in mentions]
    mentions += _enumerations(text, gaz, focus, context, covered)
    mentions += _variant_pairs(text, gaz, focus, covered)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _covered(text: str, mentions: list[Mention]) -> bytearray:
    """1 at every character of text inside one of the mentions, else 0."""
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return taken


_LIST_END = set("、，,。；;：:）)”") | set(vocab.LIST_END) | set("0123456789一二两三四五六七八九十个")


def _list_item(text: str, pos: int, suffix: str) -> int | None:
    """The end of a list item X+suffix starting at pos (铁山|村 in 麻滩村、铁山村、冯坪村), the
    shortest body of two to four characters that the list goes on or ends after."""
    for length in range(2, 5):
        end = pos + length + len(suffix)
        if end > len(text) or not all(_CJK.match(text, i) for i in range(pos, pos + length)):
            return None
        if text.startswith(suffix, pos + length) and (end == len(text) or text[end] in _LIST_END):
            return end
    return None


def _written_parent(m: Mention, gaz: Gazetteer, named: set[int]) -> tuple[str, Division | None] | None:
    """(name, division) of the nearest parent of a township or village mention that the text or
    the article's focus names (麻滩村 → 龙坝乡 of the focus; 梅林村 → 萧山区 written before it)."""
    d = m.attrs.get("division")
    if d is None:
        if not m.attrs.get("parent_name"):
            return None
        return m.attrs["parent_name"], m.attrs.get("parent_division")
    for a in gaz.ancestors(d):
        if a.id in named:
            # a province or prefecture is too far up to place a village the gazetteer lacks
            return (a.name, a) if gaz.level_rank(a.id) >= 2 else None
    return None


def _list_siblings(text: str, mentions: list[Mention], gaz: Gazetteer,
                   focus: list[Division]) -> list[Mention]:
    """Villages or townships listed with one found (麻滩村、铁山村、冯坪村 under the focus's
    龙坝乡; 萧山区梅林村、凤凰村): each takes the parent of its found sibling, the division of
    that name under the parent where the gazetteer has one, else a division it lacks. Every
    found sibling of the list must agree on the parent."""
    not_place = _stopwords().not_place
    named = {f.id for f in focus} | {m.attrs["division"].id for m in mentions
                                     if m.attrs.get("division") is not None}
    by_span = {(m.start, m.end): m for m in mentions}
    taken = _covered(text, mentions)
    out: list[Mention] = []
    done: set[int] = set()
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start in done or m.attrs.get("level") not in ("township", "village"):
            continue
        suffix = next((x for x in _TOWNSHIP_SUFFIXES + _VILLAGE_SUFFIXES if m.surface.endswith(x)), None)
        if suffix is None:
            continue
        known, new = [m], []
        pos = m.end
        while pos < len(text) and text[pos] == "、":
            end = _list_item(text, pos + 1, suffix)
            if end is None:
                break
            other = by_span.get((pos + 1, end))
            if other is not None:
                known.append(other)
            elif not any(taken[pos + 1:end]):
                name = text[pos + 1:end]
                if _bad_body(name[:-len(suffix)]) or name in not_place:
                    break
                new.append((pos + 1, end, name))
            else:
                break
            pos = end
        done.update(k.start for k in known)
        if not new:
            continue
        parents = {_written_parent(k, gaz, named) for k in known}
        if len(parents) != 1 or None in parents:
            continue
        parent_name, parent = next(iter(parents))
        level = _level_of_suffix(suffix)
        for start, end, name in new:
            ids = [x for x in gaz.ids(name) if parent is not None and gaz.is_under(x, parent.id)]
            if len(ids) == 1:
                d = gaz.get(ids[0])
                attrs = {"division": d, "level": d.level, "code": d.code, "chain": False,
                         "sibling": True}
                out.append(Mention("AdministrativeUnit", name, start, end, d.name, attrs))
                continue
            attrs = {"division": None, "level": level, "code": None, "parent_name": parent_name,
                     "chain": False, "sibling": True}
            if parent is not None:
                attrs["parent_division"] = parent
            out.append(Mention("AdministrativeUnit", name, start, end, name, attrs))
    return out


_STANDALONE = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)({alternation(_VILLAGE_SUFFIXES)})")
_BEFORE_NAME = set(vocab.BEFORE_NAME) | set("，,。；;：:、（(“”\"\n ")


def _standalone(text: str, mentions: list[Mention], gaz: Gazetteer,
                focus: list[Division]) -> list[Mention]:
    """Villages and communities the gazetteer lacks, named alone in an article about a county
    or prefecture (鼎立社区 in an article about 开封市): a name named twice or more, once at
    least with a word that confirms it (鼎立社区党委, 鼎立社区居民), and starting after
    punctuation or a function word (如今的|鼎立社区). Its parent is the focus's deepest
    division (the nearest named ancestor the text gives)."""
    if not focus or gaz.level_rank(focus[-1].id) not in (1, 2, 3):
        return []
    lex = _stopwords()
    taken = _covered(text, mentions)
    hits: dict[str, list[tuple[int, int]]] = {}
    for m in _STANDALONE.finditer(text):
        # the shortest body after a boundary: try every start from the boundary on
        end = m.end()
        for start in range(max(0, end - 6), end - len(m.group(2)) - 1):
            if start > 0 and text[start - 1] not in _BEFORE_NAME:
                continue
            name, body = text[start:end], text[start:end - len(m.group(2))]
            if not all(_CJK.match(c) for c in body) or _bad_body(body):
                continue
            hits.setdefault(name, []).append((start, end))
            break
    parent = focus[-1]
    out: list[Mention] = []
    for name, spans in hits.items():
        body = name[:-2] if name.endswith(("社区", "嘎查")) else name[:-1]
        if (len(spans) < 2 or name in lex.not_place or body in lex.not_place
                or gaz.ids(name) or body in gaz.words2 and name.endswith("村")):
            continue
        if not any(_strong_after(text, e) for _, e in spans):
            continue
        for start, end in spans:
            if any(taken[start:end]) or any(text.startswith(w, end - 1) for w in lex.noun_after):
                continue
            out.append(Mention("AdministrativeUnit", name, start, end, name,
                               {"division": None, "level": "village", "code": None,
                                "parent_name": parent.name, "parent_division": parent,
                                "chain": False, "standalone": True}))
    return out


_NATURAL = re.compile(r"((?:[\u4e00-\u9fff]{1,4}、)+[\u4e00-\u9fff]{1,3}?)"
                      r"(?:等|共)?[0-9一二两三四五六七八九十]+个" + f"(?:{alternation(vocab.NATURAL_LEVELS)})")
_LIST_OPENERS = set(vocab.LIST_OPENER) | set("：:，,（(")
_NATURAL_REACH = 150                       # characters back to the village or community they are in


def _natural_villages(text: str, mentions: list[Mention], focus: list[Division]) -> list[Mention]:
    """Natural villages listed by bare name before their count (由湖头、尹山、王山嘴、刘村等7个
    自然村组成): each one a village-level unit under the village or community named last
    before the list (within _NATURAL_REACH characters), else under the focus's village."""
    out: list[Mention] = []
    lows = sorted((m for m in mentions if m.attrs.get("level") in ("village", "township")),
                  key=lambda m: m.start)
    for hit in _NATURAL.finditer(text):
        items = hit.group(1).split("、")
        first = items[0]
        # the first item starts after an opener (由|湖头): try its last one to three characters
        cut = next((k for k in range(len(first) - 1, -1, -1)
                    if k == 0 and hit.start(1) > 0 and text[hit.start(1) - 1] in _LIST_OPENERS
                    or k > 0 and first[k - 1] in _LIST_OPENERS), None)
        if cut is None or len(first) - cut < 2:
            continue
        items[0] = first[cut:]
        if any(len(x) < 2 or any(c in _NOT_IN_NAME_BUT_LEVELS for c in x)
               for x in items):
            continue                          # (刘村 is a natural village's bare name)
        before = [m for m in lows if hit.start() - _NATURAL_REACH <= m.end <= hit.start()]
        if before:
            parent = before[-1]
            parent_name, parent_division = parent.name, parent.attrs.get("division")
        elif focus and focus[-1].level == "village":
            parent_name, parent_division = focus[-1].name, focus[-1]
        else:
            continue
        pos = hit.start(1) + cut
        for item in items:
            attrs = {"division": None, "level": "village", "code": None, "parent_name": parent_name,
                     "chain": False, "natural": True}
            if parent_division is not None:
                attrs["parent_division"] = parent_division
            out.append(Mention("AdministrativeUnit", item, pos, pos + len(item), item, attrs))
            pos += len(item) + 1
    return out


_RUN = re.compile(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+")
_BARE_SUFFIXES = vocab.BARE_LEVELS


def _bare_townships(text: str, mentions: list[Mention], gaz: Gazetteer,
                    focus: list[Division]) -> list[Mention]:
    """Townships of the focus county listed by bare name (东街、西街、北街辖区 in an article
    about 甘州区): a list of two or more names, each of which, with 街道, 镇 or 乡, is the
    name of exactly one township of the focus county. The first item may be the tail of its
    run of characters and the last its head (辐射|东街, 北街|辖区)."""
    if not focus or gaz.level_rank(focus[-1].id) != 2:
        return []
    county = focus[-1]
    names: dict[str, Division] = {}
    for d in gaz.descendants(county, levels=("township",)):
        for suf in _BARE_SUFFIXES:
            if d.name.endswith(suf) and len(d.name) - len(suf) >= 2:
                names.setdefault(d.name[:-len(suf)], d)
    if not names:
        return []
    taken = _covered(text, mentions)

    def pick(chunk: str, tail: bool) -> str | None:
        for n in range(4, 1, -1):
            part = chunk[-n:] if tail else chunk[:n]
            if len(part) == n and part in names:
                return part
        return None

    out: list[Mention] = []
    for run in _RUN.finditer(text):
        chunks = run.group().split("、")
        items = []
        pos = run.start()
        for k, chunk in enumerate(chunks):
            if k == 0:
                part = pick(chunk, tail=True)
                start = pos + len(chunk) - len(part) if part else -1
            else:
                part = chunk if chunk in names else pick(chunk, tail=False)
                start = pos
            if part is None:
                break
            items.append((start, part))
            if k > 0 and part != chunk:
                break                         # 北街|辖区各类企业: the list ends here
            pos += len(chunk) + 1
        if len({p for _, p in items}) < 2:
            continue
        for start, part in items:
            end = start + len(part)
            if any(taken[start:end]):
                continue
            d = names[part]
            out.append(Mention("AdministrativeUnit", part, start, end, d.name,
                               {"division": d, "level": d.level, "code": d.code, "chain": False,
                                "bare": True}))
    return out


_PROVINCE_BODY = re.compile(rf"({alternation(vocab.PROVINCE_LEVELS)})(?=党委|委|政府|人大|政协)")


def _province_bodies(text: str, mentions: list[Mention], focus: list[Division]) -> list[Mention]:
    """The focus province named by its level word before its own bodies (省委, 省政府,
    自治区党委 in an article about a place of 甘肃省 or 内蒙古自治区): a mention of it. Not
    where a division is written right before (兰州市|委 is another body; 甘肃省委 is found
    by its name) nor right after 全/我/本/该/各/外 or a level character."""
    if not focus or focus[0].level != "province":
        return []
    province = focus[0]
    ends = {m.end for m in mentions}
    inside = _covered(text, mentions)
    out = []
    for m in _PROVINCE_BODY.finditer(text):
        start, end = m.span()
        if not province.name.endswith(m.group(1)) or start in ends or inside[start]:
            continue                          # 安徽省|委: the division's own name
        if start > 0 and (text[start - 1] in "全我本该各外" or _CJK.match(text, start - 1)
                          and text[start - 1] in _LEVEL_CHARS):
            continue
        out.append(Mention("AdministrativeUnit", m.group(1), start, end, province.name,
                           {"division": province, "level": "province", "code": province.code,
                            "chain": False, "level_word": True}))
    return out


def _as_placed(m: Mention, placed: dict[str, Mention], gaz: Gazetteer) -> Mention:
    """m, or, when m is a bare township or village name (no chain) that a chain earlier in the
    text placed under another parent, a mention of that placed division."""
    first = placed.get(m.name)
    d = m.attrs.get("division")
    if first is None or first is m or d is None or d.level not in ("township", "village"):
        return m
    if m.attrs.get("chain"):
        # in a chain that skips the level the text gave (莱西市|苏州路社区 after 莱西市望城街道
        # 苏州路社区): the placed one, where its parent lies under the gazetteer's ancestors
        parent = first.attrs.get("parent_division")
        if parent is None or not any(a.id == parent.id or gaz.is_under(parent.id, a.id)
                                     for a in gaz.ancestors(d) if gaz.level_rank(a.id) >= 2):
            return m
    return Mention("AdministrativeUnit", m.surface, m.start, m.end, first.name, dict(first.attrs, chain=False))


def _add_unknown(text: str, spans: list[_Span], gaz: Gazetteer) -> list[_Span]:
    """Divisions the gazetteer lacks, written right after a known one (立节镇太迪村); a
    township or village name that is in the gazetteer, but not under the division written
    right before it, counts as one too (it was renamed, or the gazetteer is out of date)."""
    by_start = {s.start: s for s in spans}
    extra: list[_Span] = []
    for s in spans:
        nxt = by_start.get(s.end)
        if nxt is not None and (nxt.chained or nxt.kind != "low"):
            continue
        if s.chain_only and not s.chained:
            continue
        child = _unknown_child(text, s, gaz)
        if child is None or (nxt is not None and child.end != nxt.end):
            continue
        if nxt is not None:
            nxt.kind = "replaced"
        s.linked = True
        extra.append(child)
        grand = _unknown_child(text, child, gaz)      # two unknown levels: X镇Y村 after a county
        after = by_start.get(child.end)
        if grand is not None and (after is None or (after.kind == "low" and not after.chained
                                                    and after.end == grand.end)):
            # a village the gazetteer has elsewhere (费家村 under 崔各庄地区) lies, as written,
            # under the township the gazetteer lacks (朝阳区崔各庄乡费家村)
            if after is not None:
                after.kind = "replaced"
            child.linked = True
            extra.append(grand)
    return sorted([s for s in spans if s.kind != "replaced"] + extra, key=lambda s: s.start)


def _accept(s: _Span, text: str, gaz: Gazetteer, focus: list[Division], headline: bool,
            sure: dict[int, list[_Span]], accepted: set[int],
            in_names: bool = True) -> Mention | None:
    """The mention a span makes, or None where it is not (surely) a division."""
    if s.kind == "unknown":
        if s.prev is not None and id(s.prev) not in accepted:
            return None                   # its parent was not taken: no ground for it either
        return _mention_unknown(s, gaz)
    if len(s.ids) != 1:
        if s.kind == "full" and not s.chain_only and gaz.level_rank(s.ids[0]) <= 2:
            # a county-level name the context does not settle (城关区): the name itself is sure
            return Mention("AdministrativeUnit", s.surface, s.start, s.end, s.surface,
                           {"division": None, "level": LEVELS[gaz.level_rank(s.ids[0])],
                            "code": None, "chain": s.chained, "candidates": len(s.ids)})
        return None
    d = gaz.get(s.ids[0])
    if (not in_names and s.kind == "short" and not s.linked and _in_other_name(text, s.end)
            and not _refers_to_own(text, d)):
        return None                       # 甘肃日报, 苏州路社区, 本报兰州讯: part of another name
    if (not in_names and not s.chained and not s.linked and gaz.level_rank(d.id) <= 2
            and _in_quoted_name(text, s.start, s.end)):
        return None                       # “陇南民事直说”, “海口市先进基层党组织”: a name's part
    if s.chained:
        if s.prev is not None and id(s.prev) not in accepted and s.prev.chain_only:
            return None
        return _mention(s, d)
    rank = gaz.level_rank(d.id)
    elsewhere = any(o is not s for o in sure.get(d.id, ()))
    if s.chain_only and not (s.common_short and _opens_headline(text, s)):
        return None                       # 城区, 农村, 合作: only inside a written chain
    if s.weak and not elsewhere:
        # 团结村 alone: only as 团结村党支部 under the article's own place, or named surely
        # elsewhere, or (连城镇, a name whose body is a common word) under the article's own
        # county or township where no common word runs on from its suffix (团结村民);
        # a one-character name (集村 in 召集村“两委”) only in a chain
        own_county = (s.common_body and focus and gaz.level_rank(focus[-1].id) in (2, 3)
                      and _under_focus(gaz, d, focus[-1:]) and not _word_runs_on(text, s))
        if not (own_county or (len(s.surface) >= 3 and _strong_after(text, s.end)
                               and focus and _under_focus(gaz, d, focus[-1:]))):
            return None
    if s.kind == "short" and rank >= 2 and not (elsewhere or headline or _opens_headline(text, s)
                                                or _under_focus(gaz, d, focus)):
        return None                       # a county's short form needs its full name or the focus
    if rank >= 3 and focus and not elsewhere and not gaz.is_under(d.id, focus[0].id):
        return None                       # a village of another province named alone is noise
    return _mention(s, d)


def _opens_headline(text: str, s: _Span) -> bool:
    """Does the span open a line and stand before a colon (洪湖：…, 名山:…)? A headline's
    subject: the place the article is about, not the common word its short form also is."""
    if s.start > 0 and text[s.start - 1] != "\n":
        return False
    return text[s.end:s.end + 1] in ("：", ":")


def _under_focus(gaz: Gazetteer, d: Division, focus: list[Division]) -> bool:
    return any(d.id == f.id or gaz.is_under(d.id, f.id) for f in focus)


_ENUM = re.compile(r"((?:[\u4e00-\u9fff]{2,5}、)+[\u4e00-\u9fff]{2,5}?)"
                   rf"(?:等|[两二三四五六七八九十]个?)?({alternation(vocab.ENUM_LEVELS)})")


def _in_context(gaz: Gazetteer, x: int, focus: list[Division], near: list[int]) -> bool:
    roots = [f.id for f in focus if gaz.level_rank(f.id) >= 1] + near
    return any(gaz.is_under(x, r) for r in roots)


def _enumerations(text: str, gaz: Gazetteer, focus: list[Division],
                  context: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[Mention]:
    """Names listed before one shared suffix: 小岔、早庄、上杨、石灰沟等村."""
    not_place = _stopwords().not_place
    out: list[Mention] = []
    for m in _ENUM.finditer(text):
        suffix = m.group(2)
        near = [d for pos, d in sorted(context, key=lambda c: abs(c[0] - m.start()))
                if abs(pos - m.start()) <= 300 and gaz.level_rank(d) >= 2]
        items = m.group(1).split("、")
        pos = m.start(1)
        found = []
        for k, item in enumerate(items):
            start = pos
            pos += len(item) + 1
            tails = [item[i:] for i in range(len(item) - 1)] if k == 0 else [item]
            for tail in tails:
                name = tail + suffix
                if name in not_place or tail in not_place:
                    continue
                ids = [x for x in gaz.ids(name) if gaz.level_rank(x) >= 3
                       and _in_context(gaz, x, focus, near)]
                if len(ids) > 1:
                    span = _Span(start, pos - 1, name, "low", ids)
                    _narrow(span, gaz, focus, context)
                    ids = span.ids
                if len(ids) == 1:
                    tstart = start + len(item) - len(tail)
                    found.append((tstart, tstart + len(tail), tail, ids[0]))
                    break
        if len(found) < 2:          # one name alone could be chance
            continue
        for start, end, surface, ident in found:
            if any(a <= start < b for a, b in covered):
                continue
            d = gaz.get(ident)
            out.append(Mention("AdministrativeUnit", surface, start, end, d.name,
                               {"division": d, "level": d.level, "code": d.code, "chain": False,
                                "enumeration": True}))
    return out


_PAIR = re.compile(rf"({alternation(_TOWNSHIP_SUFFIXES)})([\u4e00-\u9fff]{{1,4}}?)({alternation(_VILLAGE_SUFFIXES)})")


def _variant_pairs(text: str, gaz: Gazetteer, focus: list[Division],
                   covered: list[tuple[int, int]]) -> list[Mention]:
    """A township and village both written with a variant character, under the focus county:
    锦河乡锦河村 for 镡河乡镡河村. Only a pair that matches a township and one of its own
    villages (each one character off at most) under the focus is taken."""
    if not focus or gaz.level_rank(focus[-1].id) < 2:
        return []
    root = focus[-1]
    out: list[Mention] = []
    townships = None
    busy = bytearray(len(text) + 1)
    for a, b in covered:
        busy[a:b] = b"\x01" * (b - a)
    for m in _PAIR.finditer(text):
        vstart, vend = m.start(2), m.end(3)
        if any(busy[vstart:vend]):
            continue
        village = text[vstart:vend]
        if townships is None:
            townships = gaz.descendants(root, levels=("township",))
        best = None
        for length in range(2, 5):
            tstart = m.start(1) - length
            if tstart < 0 or not all(_CJK.match(text, i) for i in range(tstart, m.start(1))):
                break
            if any(busy[tstart:m.end(1)]):
                break
            township = text[tstart:m.end(1)]
            for t in townships:
                if len(t.name) != len(township) or _diff(t.name, township) > 1:
                    continue
                vs = [v for v in gaz.descendants(t, levels=("village",))
                      if len(v.name) == len(village) and _diff(v.name, village) <= 1]
                if len(vs) == 1:
                    if best is not None:
                        best = "ambiguous"
                        break
                    best = (tstart, township, t, vs[0])
            if best == "ambiguous":
                break
        if best is None or best == "ambiguous":
            continue
        tstart, township, t, v = best
        tend = tstart + len(township)
        parent = gaz.parent(t)
        out.append(Mention("AdministrativeUnit", township, tstart, tend, township,
                           {"division": None, "level": "township", "code": None,
                            "parent_name": parent.name if parent else None,
                            "parent_division": parent, "chain": True, "similar_to": t.name}))
        out.append(Mention("AdministrativeUnit", village, vstart, vend, village,
                           {"division": None, "level": "village", "code": None,
                            "parent_name": township, "chain": True, "similar_to": v.name}))
        covered.append((tstart, vend))
        busy[tstart:vend] = b"\x01" * (vend - tstart)
    return out


def _diff(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))


def _mention(s: _Span, d: Division) -> Mention:
    attrs = {"division": d, "level": d.level, "code": d.code, "chain": s.chained or s.linked}
    if s.kind == "short":
        attrs["short"] = True
    return Mention("AdministrativeUnit", s.surface, s.start, s.end, d.name, attrs)


def _mention_unknown(s: _Span, gaz: Gazetteer) -> Mention:
    attrs = {"division": None, "level": s.level, "code": None, "parent_name": s.parent_name,
             "chain": s.chained or s.linked}
    if s.prev is not None and s.prev.kind != "unknown" and len(s.prev.ids) == 1:
        attrs["parent_division"] = gaz.get(s.prev.ids[0])
    if s.variant_of is not None:
        attrs["similar_to"] = gaz.get(s.variant_of).name
    return Mention("AdministrativeUnit", s.surface, s.start, s.end, s.surface, attrs)


# ---------------------------------------------------------------------------- focus

def article_focus(title: str, dateline: str | None, mentions: list[Mention],
                  gaz: Gazetteer) -> list[Division]:
    """The divisions an article is about, province first (e.g. [甘肃省, 兰州市, 安宁区]):
    those of the title, else the dateline's, else the division named most in the first
    paragraphs; none for an article whose title and dateline name no division and whose
    text names divisions in three provinces or more (a national roundup)."""
    chosen: Division | None = None
    title = title or ""
    in_title = [m.attrs["division"] for m in _find(title, gaz, [], headline=True)
                if m.attrs.get("division") is not None]
    if in_title:
        chosen = _deepest_common(in_title, gaz)
    else:
        # a headline labelled by a place (开封：“红色物业”绘就幸福底色): the label names the
        # article's division when the gazetteer knows exactly one by that name
        label = re.match(r"\s*([\u4e00-\u9fff]{2,8})[:：]", title)
        cands = gaz.lookup(label.group(1)) if label else []
        if len(cands) == 1:
            chosen = cands[0]
    if dateline:
        cands = gaz.lookup(dateline.strip())
        if len(cands) > 1:
            known = {m.attrs["division"].id for m in mentions if m.attrs.get("division")}
            pref = [d for d in cands if d.id in known]
            cands = pref or cands
            top = min(gaz.level_rank(d.id) for d in cands)
            cands = [d for d in cands if gaz.level_rank(d.id) == top]
        if len(cands) == 1:
            d = cands[0]
            if chosen is None or gaz.is_under(d.id, chosen.id):
                chosen = d
    if chosen is None:
        resolved = [m for m in mentions if m.attrs.get("division") is not None]
        if len(_provinces(resolved, gaz)) >= _ROUNDUP_PROVINCES:
            return []                      # a national roundup: about no one place
        early = [m for m in resolved if m.start < 400] or resolved
        if early:
            counts: dict[int, list] = {}
            for m in early:
                d = m.attrs["division"]
                c = counts.setdefault(d.id, [0, m.start, d])
                c[0] += 1
            best = max(counts.values(), key=lambda c: (c[0], -c[1]))
            chosen = best[2]
    return gaz.path(chosen) if chosen is not None else []


_ROUNDUP_PROVINCES = 3                     # an untitled article naming this many provinces is a roundup


def _provinces(mentions: list[Mention], gaz: Gazetteer) -> set[int]:
    """The provinces (ids) the resolved division mentions lie in."""
    return {gaz.path(m.attrs["division"])[0].id for m in mentions}


def _deepest_common(divisions: list[Division], gaz: Gazetteer) -> Division:
    """The deepest division if they form one line (甘肃省, 兰州市), else their common ancestor
    (or the first when they have none)."""
    deepest = max(divisions, key=lambda d: gaz.level_rank(d.id))
    line = {a.id for a in gaz.path(deepest)}
    if all(d.id in line for d in divisions):
        return deepest
    common = None
    paths = [[a.id for a in gaz.path(d)] for d in divisions]
    for level in zip(*paths):
        if all(x == level[0] for x in level):
            common = level[0]
        else:
            break
    return gaz.get(common) if common is not None else divisions[0]



# ---------------------------------------------------------------------------- other places

_OPEN_QUOTES = "“‘\"'「『《"
_CLOSE_QUOTES = {"”": "“", "’": "‘", "」": "「", "』": "『", "》": "《"}
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_GEO = vocab.GEO            # one-character suffixes of natural features
_PLACE_MAX = 14                            # longest name body looked at


@lru_cache(maxsize=1)
def _place_lexicon():
    """(suffix → type, generic words, stop words, suffix regex)."""
    try:
        rows = load_lexicon("place_suffixes")
    except FileNotFoundError:
        rows = ()
    suffixes: dict[str, str] = {}
    generic: set[str] = set()
    stop: set[str] = set()
    for row in rows:
        word, kind = row.get("suffix", ""), row.get("type", "")
        if not word or not kind:
            continue
        if kind == "generic":
            generic.add(word)
        elif kind in ("stop", "lead"):
            stop.add(word)
        elif kind != "quote_head":
            suffixes[word] = kind
    alternatives = sorted(suffixes, key=len, reverse=True)
    pattern = re.compile("[A-Z]区|" + "|".join(map(re.escape, alternatives))) if alternatives else None
    return suffixes, frozenset(generic), frozenset(stop), pattern


@lru_cache(maxsize=1)
def _leads() -> frozenset[str]:
    """The stop words after which a place's name follows (家住, 位于, 走进)."""
    try:
        rows = load_lexicon("place_suffixes")
    except FileNotFoundError:
        rows = ()
    return frozenset(row["suffix"] for row in rows if row.get("type") == "lead" and row.get("suffix"))


@lru_cache(maxsize=1)
def _quote_heads() -> tuple[str, ...]:
    """Words after a closing quote that make the quotation the name of a platform, an
    organization or a program (“…”微信小程序, “…”志愿服务队), longest first."""
    try:
        rows = load_lexicon("place_suffixes")
    except FileNotFoundError:
        rows = ()
    heads = {row["suffix"] for row in rows if row.get("type") == "quote_head" and row.get("suffix")}
    return tuple(sorted(heads, key=len, reverse=True))


# jieba tags of the words that end the left side of a place name: a verb (推动|小区), a
# preposition, conjunction or adverb (正就|…, 由于|小区, 偏远|小区), a locative (村里|民宿);
# and of the words that describe rather than name (破旧小区, 养殖小区)
_TAGS_KEPT = ("v", "vn", "p", "c", "d", "ad", "f", "s", "t", "a", "an", "z")
_LOCATIVE_END = "".join(vocab.LOCATIVE)


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """word → jieba tag for the words of two or more characters of jieba's dictionary whose
    tag is one of _TAGS_KEPT (cached on disk like the segmenter's dictionary)."""
    from pathlib import Path

    import jieba

    from ..cache import cached, sha256
    path = Path(jieba.__file__).with_name("dict.txt")

    def parse() -> dict[str, str]:
        tags = {}
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and len(parts[0]) >= 2 and parts[2] in _TAGS_KEPT:
                    tags[parts[0]] = parts[2]
        return tags

    tags, _, _ = cached("jieba-place-tags", [sha256(path), ",".join(_TAGS_KEPT)], parse)
    return tags


def _ends_left_side(word: str, after_name_word: bool) -> bool:
    """Does a word of jieba's dictionary end the left side of a place name? A preposition, an
    adverb or a locative always does (正就, 偏远, 村里); a verb does unless it follows a word
    of the name (推动|小区, but 乡村振兴示范园, 理论实践…)."""
    tag = _word_tags().get(word)
    if tag in ("p", "c", "d", "ad", "f", "t"):
        return True                       # also a time word: 今年|桑科草原
    if tag == "s":
        return word[-1] in _LOCATIVE_END
    return tag == "v" and not after_name_word


def _verb_before_suffix(body: str, tok) -> bool:
    """Does the part before the suffix end in a verb (楼栋带动|小区, 公共服务下沉|小区, 养殖|小区)?
    A name does not: the sentence runs on into the suffix word."""
    words = tok.lcut(body, HMM=False)
    return bool(words) and _word_tags().get(words[-1]) in ("v", "vn")


def _describes(word: str) -> bool:
    """An adjective, adverb, verb or locative (偏远, 破旧, 推动): it describes, it names nothing."""
    return _word_tags().get(word) in _TAGS_KEPT


def _distinctive(body: str, generic: frozenset[str], stop: frozenset[str], tok,
                 after_lead: bool = False) -> bool:
    """Does the part before the suffix name something (华明电力, 宏源, 上杨森林生态生活) rather
    than describe (老旧, 现代设施农业标准化, 生态)? True if one of its words is neither a
    generic modifier nor a stop word nor a number nor a describing word (偏远, 破旧).
    after_lead: the name follows 家住, 位于 …, where a verb of jieba's is a name (鼎立)."""
    singles = 0
    for w in tok.lcut(body, HMM=False):
        if not _NAME_CHAR.match(w) or w in stop or w in generic:
            singles = 0
            continue
        if all(c in "一二三四五六七八九十百千万两几多" for c in w) or (
                len(w) >= 2 and _describes(w) and not (after_lead and _word_tags().get(w) == "v")):
            singles = 0
            continue
        if len(w) >= 2 or tok.FREQ.get(w, 0) < 2000:
            return True
        singles += 1                     # a name jieba does not know falls apart in characters
        if singles >= 2:
            return True
    return False


def _suffix_matches(text: str, suffixes: dict[str, str],
                    pattern: re.Pattern) -> list[tuple[int, int, str, int]]:
    """(start, end, kind, end of the first suffix) of every place suffix; 名苑小区 and
    花园小区 count as one."""
    out = []
    for m in pattern.finditer(text):
        ss, se = m.span()
        kind = suffixes.get(m.group(), "residential")
        nxt = pattern.match(text, se)
        while nxt is not None and suffixes.get(nxt.group(), "residential") == kind == "residential":
            se = nxt.end()
            nxt = pattern.match(text, se)
        if out and out[-1][0] <= ss < out[-1][1]:
            continue
        out.append((ss, se, kind, m.end()))
    return out


def find_places(doc: Doc) -> list[Mention]:
    """Named places that are not administrative divisions: 宏源小区, 兰州西客运站, 中川机场,
    白塔山, 泾河, 彩虹城B区, 太迪村现代农业产业园 … with attrs {"kind", "locatedIn"}; a name
    is judged by how jieba's own dictionary cuts it (doc.segmenter.plain)."""
    text, divisions, tok = doc.text, doc.found("AdministrativeUnit"), doc.segmenter.plain
    suffixes, generic, stop, pattern = _place_lexicon()
    if pattern is None:
        return []
    ends: dict[int, Mention] = {}
    for d in divisions:
        ends.setdefault(d.end, d)
    in_division = bytearray(len(text) + 1)
    for d in divisions:
        in_division[d.start:d.end] = b"\x01" * (d.end - d.start)
    matches = _suffix_matches(text, suffixes, pattern)
    # a name does not run back over another place's multi-character suffix (彩虹步道|骑行至…)
    barriers = {se for ss, se, kind, _ in matches if se - ss >= 2 and kind != "facility"}
    cands: list[Mention] = []
    for ss, se, kind, first_end in matches:
        if kind == "facility":
            continue
        if any(in_division[ss:se]):
            continue                          # 积石山, 兰州新区: a division, not a mountain or park
        suffix = text[ss:first_end]
        geo = suffix in _GEO
        found = _left_edge(text, ss, ends, stop, barriers, geo, tok)
        if found is None:
            continue
        start, division, quoted = found
        if (kind == "landscape" and division is not None and start == division.start
                and division.attrs.get("short")):
            start = division.end              # 青海|柴达木盆地: a region's name stands alone
        name = text[start:se]
        body = text[start:ss]
        if not body or name in generic or body in generic:
            continue
        if _ends_in_generic(text, start, ss, (first_end, se), generic, tok):
            continue                          # 泉城路街道老旧小区: what it ends in names no place
        if _in_named_quote(text, start, se):
            continue                          # “…家园”微信小程序: the name of a platform
        if not geo and _in_slogan(text, start, se, strict=True):
            continue                          # “同‘新’家园·共同的我们”: a slogan, not an estate
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
            continue                          # 4A级旅游景区: the name would start inside a word
        own = text[division.end:ss] if division is not None else body
        if geo:
            if len(own) > 3 or (division is None and quoted) or _in_slogan(text, start, se):
                continue
            if any(c in "山水河江湖" for c in own) or (ss > 0 and text[ss - 1:first_end] in generic):
                continue                      # 金山银山, 红叶满山: a saying, not a name
            if suffix == "山" and se < len(text) and text[se] in "水村乡镇区歌":
                continue                      # 山水, 山村, 山区, 山歌: not a mountain's name
            if all(c in _NUMERALS for c in own):
                continue                      # “两江八河”, 三山: a count of rivers or mountains
            if _inside_word(text, start, se, tok):
                continue                      # 依山傍水: an idiom, not 依山
            if _in_firm_name(text, se, tok):
                continue                      # 信阳山|甜油茶科技有限公司: a firm's trade name
            if _in_other_name(text, se):
                continue                      # 黑龙江频道, 镇江讯, 长江路: part of another name
        elif kind == "residential" and division is None and not quoted and len(body) > 6:
            continue
        after_lead = any(text.endswith(w, 0, start) for w in _leads())   # 家住|鼎立小区
        led = after_lead or (division is not None and start == division.start)   # 十八洞村乡村振兴示范园
        if not geo and not quoted and not led and _verb_before_suffix(own or body, tok):
            continue                          # 楼栋带动小区, 公共服务下沉小区: no name
        inner = body.strip("“”‘’\"")
        if quoted and inner and inner[0] in _NUMERALS and len(inner) <= 3:
            continue                          # “十有”小区, “五好”家园: a designation, not a name
        if _COUNTED.search(text, max(0, start - 8), start):
            continue                          # 5处苹果示范园: a counted kind, not a name
        if _in_book_title(text, start, se):
            continue                          # 《空山寂》: part of a title
        kept = division is not None and start == division.start
        known = geo and tok.lcut(name, HMM=False) == [name]   # 黄河, 泰山, 白塔山
        if not quoted and not kept and not known and not _distinctive(own or body, generic, stop, tok,
                                                                      after_lead):
            continue
        attrs = {"kind": kind, "locatedIn": division.name if division is not None else None}
        if division is not None and start == division.end:
            attrs["aliases"] = [text[division.start:se]]
        cands.append(Mention("Place", name, start, se, name, attrs))
    # overlapping names: the longer stays (锦河村江岸小景观带 over 锦河村江)
    cands.sort(key=lambda m: (-(m.end - m.start), m.start))
    out: list[Mention] = []
    used = bytearray(len(text) + 1)
    for m in cands:
        if not any(used[m.start:m.end]):
            used[m.start:m.end] = b"\x01" * (m.end - m.start)
            out.append(m)
    out.sort(key=lambda m: m.start)
    return out


_NUMERALS = "一二两三四五六七八九十百千万几多"
# a count right before a name (5处|苹果示范园, 1处200亩|…): the noun is a kind, not a name
_COUNTED = re.compile(r"[0-9一二两三四五六七八九十百千几多]+(?:处|个|座|家|所|片)"
                      r"(?:[0-9.]+(?:亩|平方米|公顷))?$")


def _in_book_title(text: str, start: int, end: int) -> bool:
    """Does text[start:end] lie inside 《…》 (a title names a document, not a place)?"""
    open_at = text.rfind("《", max(0, start - 30), start)
    return open_at >= 0 and "》" not in text[open_at:start] and "》" in text[end:end + 30] \
        and "《" not in text[end:text.find("》", end)]


def _ends_in_generic(text: str, start: int, ss: int, ends: tuple[int, ...],
                     generic: frozenset[str], tok) -> bool:
    """True if the name text[start:end] (end one of `ends`) ends in a generic word: from the
    start of one of the words before the suffix ss to the end (…街道|老旧小区)."""
    for _, a, _ in tok.tokenize(text[start:ss], HMM=False):
        if any(text[start + a:end] in generic for end in ends):
            return True
    return False


def _in_named_quote(text: str, start: int, end: int) -> bool:
    """True if text[start:end] lies inside a quotation that a platform, organization or
    program head follows (“成华新新家园”微信小程序, “幸福家园”志愿服务队): the quotation
    names that, not a place."""
    open_at = max(text.rfind(q, max(0, start - 12), start) for q in "“‘「『\"")
    if open_at < 0 or any(c in _CLOSE_QUOTES or c in _OPEN_QUOTES for c in text[open_at + 1:start]):
        return False
    close_at = end
    while close_at < min(len(text), end + 12) and text[close_at] not in _CLOSE_QUOTES \
            and text[close_at] != '"':
        if not _NAME_CHAR.match(text[close_at]):
            return False
        close_at += 1
    if close_at >= len(text) or (text[close_at] not in _CLOSE_QUOTES and text[close_at] != '"'):
        return False
    after = close_at + 1
    tail = text[after:after + 8]
    for i in range(len(tail)):
        if not re.match(r"[\u4e00-\u9fffA-Za-z0-9]", tail[i]):
            tail = tail[:i]
            break
    return any(h in tail and tail.index(h) <= 4 for h in _quote_heads())


def _left_edge(text: str, ss: int, ends: dict[int, Mention], stop: frozenset[str],
               barriers: set[int], geo: bool, tok):
    """(start of the name, the division written in or right before it, quoted?) or None."""
    pos = ss
    quoted = False
    lo = max(0, ss - _PLACE_MAX)
    while pos > lo:
        d = ends.get(pos)
        if d is not None:
            level = d.attrs.get("level")
            keep = (level in ("township", "village") or d.attrs.get("short")
                    or (d.attrs.get("division") is None and level != "county"))
            rest = _trim(text, d.end, ss, stop, tok, geo)
            if rest != d.end:                  # a stop word between the division and the name
                return (rest, None, quoted) if rest < ss else None
            return (d.start if keep else d.end), d, quoted
        if pos in barriers and pos != ss:
            break
        ch = text[pos - 1]
        if ch in _CLOSE_QUOTES:
            open_at = text.rfind(_CLOSE_QUOTES[ch], max(lo, pos - 12), pos - 1)
            if open_at < 0:
                break
            quoted = True
            pos = open_at
            continue
        if not _NAME_CHAR.match(ch):
            break
        pos -= 1
    start = _trim(text, pos, ss, stop, tok, geo)
    if start >= ss:
        return None
    return start, None, quoted


def _trim(text: str, start: int, end: int, stop: frozenset[str], tok, geo: bool = False) -> int:
    """Move start past the last stop word of text[start:end] (家住|华明电力, 的|金江名苑) or
    the last verb, preposition, adverb or locative (推动|小区, 正就村里|民宿, 街道聚焦|老旧小区);
    for a river or mountain also past the last common word (支流|小岔河)."""
    if start >= end:
        return start
    tokens = tok.tokenize(text[start:end], HMM=False)
    cut = start
    in_quote = False
    after_name_word = False
    leads = _leads()
    for w, a, b in tokens:
        if w in _OPEN_QUOTES or w in _CLOSE_QUOTES:
            in_quote = w in _OPEN_QUOTES
            after_name_word = not in_quote
            continue
        if in_quote:
            continue
        if (w in stop or (len(w) == 1 and not _NAME_CHAR.match(w))
                or _ends_left_side(w, after_name_word)
                or (geo and len(w) >= 2 and tok.FREQ.get(w, 0) >= 800
                    and not (start + b == end and tok.FREQ.get(w + text[end:end + 1], 0) > 0))):
            # (a common word before the suffix, unless the two make one word: 月亮|山 → 月亮山)
            cut = start + b
            # after 家住, 位于 … the name follows, whatever jieba calls its first word (鼎立)
            after_name_word = w in leads
        else:
            after_name_word = True
    # a stop word that jieba splits (建强 → 建|强) or holds in a longer word (充分利用)
    segment = text[cut:end]
    if not any(q in segment for q in _OPEN_QUOTES):
        ends = [segment.rfind(w) + len(w) for w in _long_stops(stop) if w in segment]
        if ends:
            cut += max(ends)
    return cut


@lru_cache(maxsize=4)
def _long_stops(stop: frozenset[str]) -> tuple[str, ...]:
    """The stop words of two characters or more."""
    return tuple(w for w in stop if len(w) >= 2)


def _inside_word(text: str, start: int, end: int, tok) -> bool:
    """True if one jieba word holds the whole name and runs on past it (依山傍水)."""
    for w, a, b in tok.tokenize(text[start:end + 4], HMM=False):
        if a == 0 and b > end - start:
            return True
        if a > 0:
            break
    return False


_FIRM_REACH = 12                           # characters after a name looked at for a firm's suffix
_NOT_IN_FIRM_NAME = set(vocab.NOT_IN_FIRM)


@lru_cache(maxsize=1)
def _firm_suffixes() -> tuple[str, ...]:
    """Suffixes of kg/lexicon/org_suffixes.tsv that end a firm's own name (有限公司, 集团,
    专业合作社, 银行): class enterprise, except units of a firm named by their place (营业部)."""
    try:
        rows = load_lexicon("org_suffixes")
    except FileNotFoundError:
        rows = ()
    return tuple(r["suffix"] for r in rows if r.get("suffix") and r.get("class") == "enterprise"
                 and "branch" not in (r.get("anchor") or ""))


def _in_firm_name(text: str, end: int, tok) -> bool:
    """True if the name ending at `end` runs on, without punctuation, a verb or a preposition,
    into a firm's suffix within _FIRM_REACH characters (信阳山|甜油茶科技有限公司, 青龙湖|绿色果业
    集团): it is part of a trade name, not a mountain, river or lake of its own."""
    run = ""
    for ch in text[end:end + _FIRM_REACH + 6]:
        if not _NAME_CHAR.match(ch):
            break
        run += ch
    at = min((i for i in (run.find(sx) for sx in _firm_suffixes()) if i >= 0), default=-1)
    if at < 0 or at > _FIRM_REACH:
        return False
    for w in tok.lcut(run[:at], HMM=False):
        if w in _NOT_IN_FIRM_NAME or _word_tags().get(w) in ("v", "p", "d", "ad"):
            return False                      # 青松山|参观合作社: the sentence goes on
    return True


def _in_slogan(text: str, start: int, end: int, strict: bool = False) -> bool:
    """Inside a quoted slogan (“同饮黄河水 共绘丝路美”): a brand, not a mention of the river.
    strict: only a slogan of several parts (a space, a comma or a middle dot inside)."""
    open_at = max(text.rfind("“", 0, start), text.rfind("‘", 0, start))
    if open_at < 0 or start - open_at > 12:
        return False
    close_at = min((i for i in (text.find("”", end), text.find("’", end)) if i >= 0), default=-1)
    if close_at < 0 or close_at - end > 12:
        return False
    inner = text[open_at + 1:close_at]
    if "”" in text[open_at + 1:start] or "’" in text[open_at + 1:start]:
        return False
    if strict:
        return any(c in inner for c in " ，,·")
    return " " in inner or "，" in inner or "," in inner or len(inner) > len(text[start:end]) + 2
