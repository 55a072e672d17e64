"""Target groups, facilities and platforms: the kinds of people, places and channels
that party-building work serves or uses.

* Target groups come from a lexicon of general categories (kg/lexicon/target_groups.tsv)
  with canonical names and synonyms (快递小哥 → 快递员).
* Facilities are kinds of service sites from kg/lexicon/facility_kinds.tsv, made
  specific by a place before them (武山县南关社区党群服务中心) or by a quoted name
  ending in or followed by a facility head of that file (“暖蜂驿站”, “X调解室”, “X”等品牌调解室;
  heads marked `quoted` name nothing alone); named halls (甘肃党的青年运动历史展馆) by their ending;
  a target group before a site word (货车司机之家, 新就业形态劳动者驿站).
* Platforms are websites, apps, hotlines and information systems: quoted names with
  a platform word (“金城办”客户端, “X”应用, “e网勤蜂”“蜜蜂管家”等网络平台), unquoted names ending in
  网/热线/系统/平台 with a sensible left boundary, the media app of a byline (新甘肃·甘肃日报记者),
  the outlet of a source line or dateline (来源:光明网, 中国甘肃网讯), and national ones from
  kg/lexicon/platforms.tsv.

Each finder reads a kg.doc.Doc: find_target_groups(doc), find_facilities(doc), find_platforms(doc).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import vocab
from ..doc import Doc
from ..lexicon import load
from ..model import Mention
from ..vocab import alternation
from .places import _place_lexicon
from .programs import (CLAUSE_BREAKS, QUOTE_MARKS, _chains, _not_programs, ends_with_facility_head,
                       facility_heads, head_after, inside, strip_quotes)


def _rows(name: str) -> tuple[dict, ...]:
    try:
        return load(name)
    except FileNotFoundError:
        return ()


def _aliases(cell: str) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


@lru_cache(maxsize=None)
def _forms(lexicon: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(form, canonical name, all names of the row) for every name and alias, longest first;
    rows whose `where` is "quoted" (heads that name nothing alone) are left out."""
    out = []
    for r in _rows(lexicon):
        name = r.get("name", "")
        if not name or r.get("where") == "quoted":
            continue
        names = tuple([name, *_aliases(r.get("aliases", ""))])
        for form in names:
            out.append((form, name, names))
    return tuple(sorted(out, key=lambda f: -len(f[0])))


@lru_cache(maxsize=None)
def _form_index(lexicon: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """form → (canonical name, all names of the row) of _forms(lexicon) (the last row wins
    where two share a form). Read-only: the finders of every article share it."""
    return {f: (name, names) for f, name, names in _forms(lexicon)}


@lru_cache(maxsize=None)
def _quoted_only(lexicon: str) -> tuple[str, ...]:
    """The names of the rows whose `where` is "quoted", longest first."""
    return tuple(sorted((r["name"] for r in _rows(lexicon) if r.get("name") and r.get("where") == "quoted"),
                        key=len, reverse=True))


@lru_cache(maxsize=None)
def _pattern(lexicon: str) -> re.Pattern:
    forms = [re.escape(f) for f, _, _ in _forms(lexicon)]
    return re.compile("|".join(forms) if forms else r"(?!x)x")


def _quote_holding(doc: Doc, start: int, end: int):
    """The name-like quote whose content holds [start, end), if any."""
    for q in doc.name_quotes:
        if q.start < start and end < q.end:
            return q
    return None


# ---------------------------------------------------------------------------- target groups

# After a short form, words that make it part of a longer name (青年学习标兵, 骑手驿站, 青年运动历史展馆).
_COMPOUND_AFTER = re.compile(f"({alternation(vocab.COMPOUND_AFTER)})")


def find_target_groups(doc: Doc) -> list[Mention]:
    """Categories of people from the lexicon, longest form first. A form that heads a short
    quoted name (“先锋骑手”志愿者) or sits in a title is not one; a two-character form (青年,
    骑手) followed by a word that makes a longer name (青年学习标兵, 骑手驿站) is not one either."""
    text = doc.text
    index = _form_index("target_groups")
    titles = doc.titles
    out = []
    for m in _pattern("target_groups").finditer(text):
        s, e, form = m.start(), m.end(), m.group(0)
        if inside(titles, s, e):
            continue
        q = _quote_holding(doc, s, e)
        if q is not None and len(strip_quotes(q.content)) - len(form) in (1, 2) and strip_quotes(q.content).endswith(form):
            continue
        if len(form) <= 2 and _COMPOUND_AFTER.match(text, e):
            continue
        name, names = index[form]
        out.append(Mention("TargetGroup", form, s, e, name, {"aliases": set(names) - {name}}))
    return out


# ---------------------------------------------------------------------------- facilities

_DIVISION_SUFFIXES = vocab.longest_first(vocab.CHAIN_LEVELS)     # 社区 before 区
_NOT_IN_PLACE_NAME = set(vocab.NOT_IN_PLACE) | {"、"}
_FACILITY_MODIFIERS = re.compile(f"({alternation(vocab.FACILITY_MODIFIER)})+$")
# Facility heads that name a service site for a group written before them (货车司机之家, 骑手驿站);
# other heads after a group name something else (青年公寓 is housing, 青年学习标兵 an honour).
_SITE_ENDS = vocab.SITE_END
_HALL = re.compile(f"({alternation(vocab.HALL)})")
_HALL_BOUNDARY = vocab.HALL_BOUNDARY + ("、",)


def _division_chain(text: str, pos: int) -> list[int]:
    """Starts of the division names written right before pos, outermost first
    (武山县|四门镇|尧儿村|党群服务中心 → [start of 武山县, of 四门镇, of 尧儿村]); empty if none.
    Each name is 2-4 characters plus a division suffix."""
    starts: list[int] = []
    start = pos
    while True:
        suffix = next((sx for sx in _DIVISION_SUFFIXES if text.endswith(sx, 0, start)), None)
        if suffix is None:
            return starts[::-1]
        i = start - len(suffix)
        j = i
        while j > 0 and i - j < 4 and re.match(r"[\u4e00-\u9fff]", text[j - 1]) and text[j - 1] not in _NOT_IN_PLACE_NAME:
            if i - j >= 2 and text.endswith(_DIVISION_SUFFIXES, 0, j):
                break       # 南门街道|日湖社区: the name before is another division
            j -= 1
        j = _past_stop_words(text, j, i)
        if i - j < 2:
            return starts[::-1]
        start = j
        starts.append(start)


def _past_stop_words(text: str, j: int, i: int) -> int:
    """Where the name text[j:i] before a division suffix starts once the verbs, adverbs and
    function words of the place lexicon's stop list are cut off (还依托|村 → nothing left).
    A stop word that is the whole name after punctuation or a division stands (县|建设村)."""
    stop = _place_stop_words()
    body = text[j:i]
    if body in stop and (j == 0 or not re.match(r"[\u4e00-\u9fff]", text[j - 1])
                         or text.endswith(_DIVISION_SUFFIXES, 0, j)):
        return j
    cut = j
    for k in range(j, i):
        for w in stop:
            if text.startswith(w, k) and k + len(w) <= i:
                cut = max(cut, k + len(w))
    return cut


def _place_stop_words() -> frozenset[str]:
    """The words that end the left side of a place name (kg/lexicon/place_suffixes.tsv, stop)."""
    return _place_lexicon()[2]


def find_facilities(doc: Doc) -> list[Mention]:
    """Facility kinds from the lexicon, each made specific by the divisions written before it
    or by a quoted name; quoted names ending in a facility word (“暖蜂驿站”); named halls."""
    text = doc.text
    index = _form_index("facility_kinds")
    titles = doc.titles
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(s, e, name, kind, specific, aliases):
        if inside(titles, s, e) or any(a <= s and e <= b for a, b in taken):
            return
        for o in [o for o in out if s <= o.start and o.end <= e]:
            out.remove(o)           # a longer find holds a shorter one (网约配送员服务驿站)
            taken.remove((o.start, o.end))
        taken.append((s, e))
        out.append(Mention("Facility", text[s:e], s, e, name,
                           {"kind": kind, "specific": specific, "aliases": {a for a in aliases if a != name}}))

    never, _ = _not_programs()
    # quoted names first: “暖蜂驿站”, “司机之家”, “新闻+”党建阵地
    for chain in _chains(doc.name_quotes, text):
        head = head_after(doc, chain[-1].end)
        for q in chain:
            plain = q.plain.strip()
            if len(plain) < 2 or plain in never:
                continue            # 暖“新”驿站: a pun mark, not a name; “新阵地”: a metaphor
            if plain in index:
                kind = index[plain][0]
                add(q.start, q.end, kind, kind, False, {text[q.start:q.end]})
            elif ends_with_facility_head(plain):
                add(q.start, q.end, plain, ends_with_facility_head(plain), True, {text[q.start:q.end]})
            elif head is not None and head.type == "Facility" and q is chain[-1] and head.start == q.end:
                add(q.start, head.end, text[q.start:head.end], head.word, True, {plain + head.word})
            elif head is not None and head.type == "Facility" and text.startswith("等", chain[-1].end):
                add(q.start, q.end, plain, head.word, True, {text[q.start:q.end]})
    # kinds from the lexicon, with what stands before them
    for m in _pattern("facility_kinds").finditer(text):
        s, e, form = m.start(), m.end(), m.group(0)
        kind, names = index[form]
        if _quote_holding(doc, s, e) is not None:
            continue
        chain = _division_chain(text, s)
        if chain:
            # shorter forms drop the leading divisions one by one (南关社区党群服务中心)
            add(chain[0], e, text[chain[0]:e], kind, True, {text[c:e] for c in chain})
            continue
        mod = _FACILITY_MODIFIERS.search(text[max(0, s - 12):s])
        surface_start = s - len(mod.group(0)) if mod else s
        add(surface_start, e, kind, kind, False, {text[surface_start:e], form} | set(names))
    # <group><site word>: 网约配送员服务驿站, 货车司机之家, 新就业形态劳动者驿站 (the group names whom it serves)
    heads = tuple(h for h in facility_heads() if h.endswith(_SITE_ENDS))
    for m in _pattern("target_groups").finditer(text):
        head = next((h for h in heads if text.startswith(h, m.end())), None)
        if head and _quote_holding(doc, m.start(), m.end() + len(head)) is None:
            add(m.start(), m.end() + len(head), text[m.start():m.end() + len(head)], head, False, set())
    # named halls: 甘肃党的青年运动历史展馆
    for m in _HALL.finditer(text):
        e = m.end()
        s = m.start()
        while s > 0 and e - s < 18 and text[s - 1] not in CLAUSE_BREAKS and text[s - 1] not in "、《》" + QUOTE_MARKS:
            if any(text.endswith(b, 0, s) for b in _HALL_BOUNDARY if len(b) > 1):
                break
            s -= 1
        if e - s > len(m.group(0)) + 1:
            add(s, e, text[s:e], m.group(0), True, set())
    _refer_back(text, out)
    return sorted(out, key=lambda m: (m.start, m.end))


def _refer_back(text: str, found: list[Mention]) -> None:
    """A bare kind (党群服务中心) written in the paragraph after one specific facility of that kind
    (走进犀溪镇党群服务中心，…“我们把党群服务中心建成…”) is that facility again: it takes its name."""
    for m in found:
        if m.attrs["specific"] or m.surface != m.name:
            continue
        ps = text.rfind("\n", 0, m.start) + 1
        earlier = {o.name for o in found if o.attrs["specific"] and o.attrs["kind"] == m.name
                   and ps <= o.start and o.end <= m.start}
        if len(earlier) == 1:
            m.attrs["aliases"] = {m.name}
            m.attrs["specific"] = True
            m.name = earlier.pop()


# ---------------------------------------------------------------------------- platforms

_PLATFORM_SUFFIX = re.compile(f"({alternation(vocab.PLATFORM_SUFFIX)})")
_PLATFORM_STOP = vocab.PLATFORM_STOP
_INFO_WORDS = vocab.INFO_WORD
_NOT_PLATFORM_END = vocab.NOT_PLATFORM_END
_NOT_PLATFORM = vocab.NOT_PLATFORM
# The outlet a page names as its source (来源:光明网, 来源:人民网-重庆频道) or in its dateline at the start of
# a line (中国甘肃网讯, 今日镇江讯): a news website or app, unless it is a newspaper (…报), an agency (…社)
# or a broadcaster (…台), which are other types.
_SOURCE = re.compile(r"来源[:：]\s*([\u4e00-\u9fffA-Za-z·@-]{2,20})")
_DATELINE = re.compile(r"(?m)^[ \t\u3000]*([\u4e00-\u9fff]{2,8}?)讯(?=[\s:：(（【])")
_NOT_OUTLET_END = vocab.NOT_OUTLET_END
_BYLINE_MEDIA = re.compile(r"([\u4e00-\u9fff]{2,6})·[\u4e00-\u9fff]{2,8}报(?:社)?(?:全媒体)?" + f"(?:{alternation(vocab.REPORTER)})")


def _platform_left(text: str, s: int) -> int:
    """Where an unquoted platform name ending at s starts: after punctuation, a quote, a title
    mark or a verb/preposition from _PLATFORM_STOP; at most 20 characters back."""
    i = s
    while i > 0 and s - i < 20:
        ch = text[i - 1]
        if ch in CLAUSE_BREAKS or ch in "、《》()" or ch in QUOTE_MARKS or ch == " ":
            break
        if any(text.endswith(w, 0, i) for w in _PLATFORM_STOP):
            break
        i -= 1
    return i


def find_platforms(doc: Doc) -> list[Mention]:
    """Online and telephone platforms (see the module docstring); a list whose other items
    are platforms makes its unknown items platforms too (开通12345民情通热线、网民留言办理、三维服务网)."""
    text = doc.text
    titles = doc.titles
    out: list[Mention] = []

    def add(s, e, name, kind, aliases):
        if inside(titles, s, e):
            return
        for o in out:
            if o.start <= s and e <= o.end:
                o.attrs["aliases"].update(a for a in aliases if a != o.name)
                return
        for o in list(out):
            if s <= o.start and o.end <= e:
                out.remove(o)
                aliases = set(aliases) | o.attrs["aliases"] | {o.surface}
        out.append(Mention("Platform", text[s:e], s, e, name,
                           {"kind": kind, "aliases": {a for a in aliases if a and a != name}}))

    # quoted names with a platform word after (or ending them)
    for chain in _chains(doc.name_quotes, text):
        head = head_after(doc, chain[-1].end)
        for q in chain:
            plain = q.plain.strip()
            if plain.endswith(("平台", "客户端", "APP", "小程序", "公众号", "热线")) and len(plain) > 4:
                add(q.start, q.end, plain, "platform", {text[q.start:q.end]})
            elif head is not None and head.type == "Platform":
                end = head.end if q is chain[-1] and head.start == q.end else q.end
                add(q.start, end, q.content.strip(), _platform_kind(head.word),
                    {text[q.start:end], strip_quotes(text[q.start:end]), plain})
    # unquoted names ending in a platform word
    for m in _PLATFORM_SUFFIX.finditer(text):
        s, e, suffix = m.start(), m.end(), m.group(0)
        if any(ch in QUOTE_MARKS for ch in text[max(0, s - 1):s]):
            continue
        nxt = text[e:e + 1]
        if suffix == "网" and nxt and re.match(r"[\u4e00-\u9fff]", nxt) and nxt not in "和与及等、的上里中":
            continue            # 网格, 网络, 网民: 网 begins another word
        if suffix in ("平台", "系统") and text.startswith(("阵地", "企业", "公司", "经济", "工程"), e):
            continue            # 平台阵地, 平台企业: not a platform's name
        start = _platform_left(text, s)
        if _describes_quoted(text, out, start, e):
            continue
        name = text[start:e]
        body = name[:-len(suffix)]
        if len(body) < 3 or name in _NOT_PLATFORM or name.endswith(_NOT_PLATFORM_END):
            continue
        if suffix in ("系统", "平台") and not any(w in body for w in _INFO_WORDS):
            continue
        if suffix in ("系统", "平台") and len(body) < 4:
            continue
        add(start, e, name, _platform_kind(suffix), set())
    # national ones from the lexicon
    index = _form_index("platforms")
    for m in _pattern("platforms").finditer(text):
        name, names = index[m.group(0)]
        s, e = m.start(), m.end()
        if text[s - 1:s] in "“‘\"" and text[e:e + 1] in "”’\"":
            s, e = s - 1, e + 1
        add(s, e, name, "platform", set(names) | {m.group(0)})
    # lexicon names that are common phrases too, only quoted or before a platform word
    for form in _quoted_only("platforms"):
        for m in re.finditer(re.escape(form), text):
            s, e = m.start(), m.end()
            if text[s - 1:s] in "“‘\"" and text[e:e + 1] in "”’\"":
                add(s - 1, e + 1, form, "platform", {form, text[s - 1:e + 1]})
            elif _PLATFORM_SUFFIX.match(text, e):
                add(s, _PLATFORM_SUFFIX.match(text, e).end(), form, "platform", {form})
    # the outlet of a source line or a dateline: 来源:光明网, 中国甘肃网讯
    for m in list(_SOURCE.finditer(text)) + list(_DATELINE.finditer(text)):
        s, name = m.start(1), m.group(1)
        for word in ("编辑", "作者", "记者", "时间", "发布"):
            if word in name:
                name = name[:name.index(word)]
        cut = max(name.rfind("总台"), name.rfind("电视台"))
        if cut >= 0:        # 中央广电总台国际在线: the broadcaster, then its website
            skip = name.index("台", cut) + 1
            s, name = s + skip, name[skip:]
        if len(name) < 2 or name.startswith("本报") or name.endswith(_NOT_OUTLET_END) or "日报" in name:
            continue
        aliases = {name}
        if "网" in name[:-1]:
            aliases.add(name[:name.index("网") + 1])      # 新华网黑龙江频道 → 新华网
        add(s, s + len(name), name, "website", aliases)
    # the media app in a byline: 新甘肃·甘肃日报记者 → 新甘肃
    for m in _BYLINE_MEDIA.finditer(text):
        add(m.start(1), m.end(1), m.group(1), "app", {m.group(1) + "客户端"})
    _propagate_lists(text, out, add)
    return sorted(out, key=lambda m: (m.start, m.end))


def _describes_quoted(text: str, found: list[Mention], start: int, end: int) -> bool:
    """An unquoted platform word group right after a quoted platform (“X”智慧党建平台, “X”网格化服务
    平台) describes it: the whole stretch becomes its alias, and no second platform is made."""
    if not text[start - 1:start] or text[start - 1] not in QUOTE_MARKS:
        return False
    for o in found:
        if o.end == start or (o.start < start <= o.end):
            o.attrs["aliases"].update({text[o.start:end], strip_quotes(text[o.start:end])} - {o.name})
            return True
    return False


def _propagate_lists(text: str, found: list[Mention], add) -> None:
    """Items of a 、/和 list whose other items (two or more) are platforms are platforms."""
    by_clause: dict[int, list[Mention]] = {}
    for m in found:
        cs = m.start
        while cs > 0 and text[cs - 1] not in CLAUSE_BREAKS:
            cs -= 1
        by_clause.setdefault(cs, []).append(m)
    for cs, ms in by_clause.items():
        if len(ms) < 2:
            continue
        ms = sorted(ms, key=lambda m: m.start)
        for a, b in zip(ms, ms[1:]):
            between = text[a.end:b.start]
            pieces = re.split(r"[、和]", between)
            if len(pieces) < 3 or pieces[0] or pieces[-1]:
                continue
            pos = a.end + 1
            for piece in pieces[1:-1]:
                if 3 <= len(piece) <= 10 and re.fullmatch(r"[\u4e00-\u9fff]+", piece):
                    add(pos, pos + len(piece), piece, "platform", set())
                pos += len(piece) + 1


def _platform_kind(word: str) -> str:
    return {"热线": "hotline", "客户端": "app", "APP": "app", "App": "app", "app": "app", "小程序": "app",
            "公众号": "account", "网站": "website", "网": "website", "系统": "system"}.get(word, "platform")
