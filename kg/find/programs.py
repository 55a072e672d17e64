"""Programs: campaigns, activities, mechanisms, systems, models, brands, projects.

A program is a named initiative that someone carries out (annotation
guidelines). Chinese party-building news names them in a handful of ways, and
each way is one rule below:

* a quoted name with a trigger word after it: “消薄强村”行动, “有事找书记”工作机制,
  “五抓四促三融合”党建引领工程 (`quoted_programs`);
* a quoted name alone where the context makes it a program: a verb before it
  (推行“三社联动”), a trigger word ending it (“便民服务日”), a formula with +
  (“党建+服务”), a theme (以“X”为主题, 围绕“X”开展) (`quoted_programs`);
* an unquoted name between a verb and a trigger word: 深入开展农村基层党建全面过硬行动
  (`_unquoted_programs`, the left boundary comes from jieba tokens);
* nationally known programs from kg/lexicon/known_programs.tsv (`_known_programs`), and their
  standard parts (its parts column) where the article lists two or more of them (`_known_part_programs`);
* quoted order-dispatch couplets (“线上派单、线下办理”) and N-minute service circles
  (15分钟X圈, `_circle_programs`);
* national frames written without quotes after a verb: 推进抓党建促乡村振兴 (`_frame_programs`);
* enumerations that present parts of a whole: “亮牌服务、持证上岗…”七项制度,
  党员找组织、组织找党员、党员找党员的“三找”活动, 社区协商议事会、民情恳谈会…等协商议事模式,
  parallel headings or clauses after a counted whole, lists after 即 (“四联四带”工作法,即A、B、C、D),
  counted pieces of a counted whole and their lists (“三访三议”工作法 … “三访”即A、B、C),
  lists right before a counted whole, quoted or not (A、B和C等五大机制, 党务、政务…“四务合一”,
  one list per counted piece: …带、…带,…园、…园“两带两园”), the items of a quoted list program
  that are names of their own, parallel one-sentence headings (建设环境友好X。打造服务友好X。),
  parallel features before 的 and a model (A化、B化、C化的X新模式), items before a named series
  (A、B等“X”系列活动) (`read_parts`, read once per article into the Doc);
* what a place takes as its lever: 以X为抓手 (`_lever_programs`);
* training classes named at the head of a clause by whom they train (社区党组织书记示范培训班已于…).

Quotes that are not programs (slogans, metaphors, honours, other entity types)
are left out through kg/lexicon/not_programs.tsv and the word after the quote.

`find_programs(doc)` is the finder (kg.doc); `program_parts(doc, programs)` and
`program_targets(doc, programs, groups)` read partOf and targets off the same text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .. import vocab
from ..dates import StartDate, program_start
from ..doc import OPENERS, QUOTE_MARKS, Doc, Part, Quote, is_han, strip_quotes
from ..lexicon import load
from ..model import Mention
from ..segment import Segmenter, Token
from ..vocab import alternation, char_class
from . import occurrences

# ---------------------------------------------------------------------------- text helpers
# (shared with terms.py and documents.py)

OPEN_MARKS = ("“", "‘", '"')
CLAUSE_BREAKS = set(",，;；:：。！？!?\n…")


def inside(spans, start: int, end: int) -> bool:
    """True if [start, end) lies within one of the spans."""
    return any(s <= start and end <= e for s, e in spans)


def clause_start(text: str, pos: int) -> int:
    """Offset just after the last clause break before pos."""
    i = pos - 1
    while i >= 0 and text[i] not in CLAUSE_BREAKS:
        i -= 1
    return i + 1


def _lexicon(name: str) -> tuple[dict, ...]:
    try:
        return load(name)
    except FileNotFoundError:
        return ()


def _split_aliases(cell: str) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


# ---------------------------------------------------------------------------- lexicons

@lru_cache(maxsize=1)
def _all_triggers() -> tuple[tuple[str, str, str], ...]:
    """Every row of kg/lexicon/program_triggers.tsv as (trigger, kind, where), longest first."""
    rows = [(r["trigger"], r.get("kind") or "activity", r.get("where") or "any")
            for r in _lexicon("program_triggers") if r.get("trigger")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _triggers() -> tuple[tuple[str, str, str], ...]:
    """(trigger, kind, where), longest first: the words that make a name a program on their
    own (the `counted` rows only end a counted whole, see `_counted_head_words`)."""
    return tuple(r for r in _all_triggers() if r[2] != "counted")


@lru_cache(maxsize=1)
def _counted_head_words() -> tuple[str, ...]:
    """The words that may end a counted whole whose parts the text lists (五大抓手, 四大赋能工程,
    “八项服务内容”): every trigger and the `counted` rows, longest first."""
    return tuple(t for t, _, _ in _all_triggers())


@lru_cache(maxsize=1)
def _known() -> tuple[tuple[str, str, str], ...]:
    """(surface form, canonical name, kind) for every known program and alias, longest first."""
    out = []
    for r in _lexicon("known_programs"):
        if not r.get("name"):
            continue
        for form in [r["name"], *_split_aliases(r.get("aliases", ""))]:
            out.append((form, r["name"], r.get("kind") or "activity"))
    return tuple(sorted(out, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _known_parts() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Known program name → its standard parts (kg/lexicon/known_programs.tsv, parts): (part name,
    every form of it, longest first)."""
    out = {}
    for r in _lexicon("known_programs"):
        parts = []
        for cell in _split_aliases(r.get("parts", "")):
            forms = [f.strip() for f in cell.split("/") if f.strip()]
            if forms:
                parts.append((forms[0], tuple(sorted(forms, key=len, reverse=True))))
        if r.get("name") and parts:
            out[r["name"]] = tuple(parts)
    return out


@lru_cache(maxsize=1)
def _not_programs() -> tuple[frozenset, frozenset]:
    """(words that are never programs, generic words that make no name)."""
    never, generic = set(), set()
    for r in _lexicon("not_programs"):
        (generic if r.get("category") == "generic" else never).add(r.get("word", ""))
    return frozenset(never - {""}), frozenset(generic - {""})


@lru_cache(maxsize=1)
def facility_heads() -> tuple[str, ...]:
    """Every name and alias of kg/lexicon/facility_kinds.tsv (kinds and quoted-only heads), longest
    first: after a quoted name, or ending one, they make it a facility (“X”驿站, “X调解室”)."""
    words = set()
    for r in _lexicon("facility_kinds"):
        words.update([r.get("name", ""), *_split_aliases(r.get("aliases", ""))])
    return tuple(sorted(words - {""}, key=len, reverse=True))


# Words that, after a quoted name, make it an online platform (“X”客户端, “X”应用, “X”数字化应用).
PLATFORM_HEADS = vocab.PLATFORM_HEAD


def ends_with_facility_head(plain: str) -> str | None:
    """The facility head a quoted name ends with, when it holds more than that and is no
    formula (“老兵调解室” → 调解室; “党支部+合作社+基地” → None)."""
    if "+" in plain:
        return None
    if not plain.endswith(facility_heads()):
        return None
    return next((h for h in facility_heads() if plain.endswith(h) and len(plain) > len(h)), None)


@lru_cache(maxsize=1)
def _other_heads() -> tuple[tuple[str, str], ...]:
    """Words that, after a quoted name, make it another type: (word, type), longest first."""
    heads: list[tuple[str, str]] = [(w, "Facility") for w in facility_heads()]
    heads += [(w, "Platform") for w in PLATFORM_HEADS]
    heads += [(w, "Organization") for w in ("志愿服务队", "服务队", "志愿队", "突击队", "党支部", "党总支",
                                             "党委", "工委", "委员会", "协会", "商会", "联盟", "合作社",
                                             "公司", "集团", "研究会", "宣讲团", "志愿者协会")]
    heads += [(w, "Honour") for w in ("称号", "荣誉", "人选", "标兵", "奖项")]
    return tuple(sorted(heads, key=lambda h: -len(h[0])))


@lru_cache(maxsize=1)
def _group_words() -> tuple[str, ...]:
    """Target-group names and aliases (they modify a trigger: “建五链破五难”流动党员管理机制)."""
    words = {"党员", "干部", "群众", "居民", "志愿者", "职工", "青年"}
    for r in _lexicon("target_groups"):
        words.add(r.get("name", ""))
        words.update(_split_aliases(r.get("aliases", "")))
    return tuple(sorted(words - {""}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _entity_words() -> frozenset:
    """Names of target groups, facility kinds and platforms: a quote holding one is not a program."""
    words = set(_group_words())
    for name in ("facility_kinds", "platforms"):
        for r in _lexicon(name):
            words.add(r.get("name", ""))
            words.update(_split_aliases(r.get("aliases", "")))
    return frozenset(words - {""})


# Verbs after which a program's name begins (深入开展|农村基层党建全面过硬行动).
OUTER_VERBS = vocab.OUTER
# Adverbs that jieba may glue to a verb (深入开展, 全面推行).
_ADVERBS = vocab.PROGRAM_ADVERB
# Verbs that end the stretch after a quoted name (“四强”标准|深入推进…): a new predicate starts.
_HEAD_STOP_VERBS = vocab.HEAD_STOP
_HEAD_STOP = re.compile(alternation(_HEAD_STOP_VERBS))     # one of them, written at a position
# Verbs that introduce a quoted name as something carried out (推行“三社联动”).
QUOTE_VERBS = vocab.QUOTE
# Verbs inside a name that do not end it (树立和践行正确政绩观学习教育).
_INNER_VERBS = vocab.INNER
_PREPOSITIONS = vocab.PROGRAM_PREP
_HONOUR_BEFORE = re.compile(f"({alternation(vocab.HONOUR)})[^,，。;；]{{0,6}}$")
_PEOPLE_END = re.compile(f"({alternation(vocab.PEOPLE_END)})$")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}


def is_verb(word: str) -> bool:
    """An introducing verb, alone or glued to an adverb or another verb (深入开展, 建立健全)."""
    if word in OUTER_VERBS:
        return True
    return len(word) == 4 and word[2:] in OUTER_VERBS and (word[:2] in _ADVERBS or word[:2] in OUTER_VERBS)


def _cn_number(s: str) -> int | None:
    """一..九十九 and arabic digits as an int."""
    if s.isdigit():
        return int(s)
    if not s or any(ch not in _NUMERALS for ch in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)
    return _NUMERALS[s] if len(s) == 1 else None


# a counted piece of a name: 三|访, 四|联 (its numeral and the one or two characters after it)
_PIECE = re.compile(r"([一二两三四五六七八九十])([^一二两三四五六七八九十]{1,2})")


def count_of(name: str) -> int | None:
    """How many parts a counting name announces: 七项制度 → 7, 三个一批 → 3, 五大融合 → 5,
    三找 → 3, 一亲三心 → 1 + 3 = 4 (numbers alternating with words add up), 三方联动 → 3
    (parties, not parts: see `_counts_parties`), 四务合一 → 4 (N things made one), 五有标准 → 5
    (a count before a trigger or counted head)."""
    name = strip_quotes(name)
    n = _count_of(name)
    if n is None:
        head = next((w for w in _counted_head_words() if name.endswith(w) and len(name) > len(w)), None) \
            if name.endswith(_counted_head_words()) else None
        if head is not None:
            n = _count_of(name[:-len(head)])
    return n


_COUNT_IN_ONE = re.compile(r"([一二两三四五六七八九十])[\u4e00-\u9fff]{1,2}(?:合一|融合|一体|归一)")   # 三网合一
_COUNT_MEASURED = re.compile(r"([一二两三四五六七八九十]+|\d+)(个|项|大|条|种|张|类|支|级|方面|方)")  # 五个…
_COUNT_CHAR = re.compile(r"([一二两三四五六七八九十])[\u4e00-\u9fff]")                           # 三农


def _count_of(name: str) -> int | None:
    m = _COUNT_IN_ONE.fullmatch(name)
    if m:
        return _NUMERALS[m.group(1)]
    m = _COUNT_MEASURED.match(name)
    if m:
        return _cn_number(m.group(1))
    pieces = _PIECE.findall(name)
    if len(pieces) >= 2 and "".join(a + b for a, b in pieces) == name:
        return sum(_NUMERALS[a] for a, _ in pieces)
    m = _COUNT_CHAR.fullmatch(name)
    if m:
        return _NUMERALS[m.group(1)]
    return None


def _counts_parties(name: str) -> bool:
    """A name that counts sides (三方联动, 四方协同): what is listed before it takes part, it is no part."""
    return bool(re.match(r"([一二两三四五六七八九十]+|\d+|多)方(?!面)", strip_quotes(name)))


def _count_head(name: str) -> str | None:
    """The noun a counted name counts: 三个课堂 → 课堂 (None if no measure word)."""
    m = re.match(r"([一二两三四五六七八九十]+|\d+)(个|项|大|条|种|类)(.+)$", strip_quotes(name))
    return m.group(3) if m else None


# ---------------------------------------------------------------------------- found programs

@dataclass
class _Found:
    name: str
    start: int
    end: int
    kind: str
    aliases: set = field(default_factory=set)
    rule: str = ""


def _alternation(words) -> re.Pattern:
    """One regex that matches any of the words, the longest first."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!x)x")


@lru_cache(maxsize=2)
def _trigger_index(any_only: bool) -> tuple[re.Pattern, dict]:
    rows = [r for r in _triggers() if not any_only or r[2] in ("any", "verb")]
    return _alternation(r[0] for r in rows), {r[0]: r for r in rows}


def _trigger_at(text: str, i: int, where: str | None = None) -> tuple[str, str, str] | None:
    """The longest program trigger starting at i (with where="any": only those usable after
    an unquoted name, where = any or verb)."""
    pattern, rows = _trigger_index(where == "any")
    m = pattern.match(text, i)
    return rows[m.group(0)] if m else None


@lru_cache(maxsize=1)
def _other_index() -> tuple[re.Pattern, dict]:
    heads = _other_heads()
    return _alternation(w for w, _ in heads), dict(heads[::-1])


def _other_head_at(text: str, i: int) -> tuple[str, str] | None:
    """The longest word of another type (驿站, 平台, 志愿服务队, 称号) starting at i."""
    pattern, types = _other_index()
    m = pattern.match(text, i)
    if m and m.group(0) == "应用" and text[m.end():m.end() + 1] in ("于", "到", "在", "好", "了"):
        return None     # 把“X”应用于…: 应用 is the verb "apply"
    return (m.group(0), types[m.group(0)]) if m else None


@lru_cache(maxsize=1)
def _group_pattern() -> re.Pattern:
    return _alternation(_group_words())


def _group_at(text: str, i: int) -> str | None:
    m = _group_pattern().match(text, i)
    return m.group(0) if m else None


_STOP_CHARS = set(vocab.PROGRAM_STOP)


@dataclass(frozen=True)
class Head:
    """What follows a quoted name: a program trigger or a word of another type."""
    type: str        # "Program" or another entity type (or "Honour")
    word: str
    kind: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _head_first_chars() -> frozenset[str]:
    """The characters that a trigger, a word of another type, a target-group word or a head
    stop verb begins with: at any other character head_after has no word to read."""
    words = [t[0] for t in _triggers()] + [w for w, _ in _other_heads()] + list(_group_words()) \
        + list(_HEAD_STOP_VERBS)
    return frozenset(w[0] for w in words if w)


def head_after(doc: Doc, pos: int, limit: int = 16) -> Head | None:
    """The classifier word that follows a quoted name ending at pos: scan right within the
    clause (at most `limit` characters, never past a verb-like stop word, a long quote or 、);
    target-group words are skipped (they modify the head: “X”流动党员管理机制); the first
    trigger or other-type word is the head, and a trigger directly followed by a longer
    trigger extends to it (培养提升计划). Read once per Doc and position (doc.heads): the
    program, facility and platform finders all read what follows the same quotes."""
    if (pos, limit) not in doc.heads:
        doc.heads[(pos, limit)] = _read_head_after(doc, pos, limit)
    return doc.heads[(pos, limit)]


def _read_head_after(doc: Doc, pos: int, limit: int) -> Head | None:
    text = doc.text
    first = _head_first_chars()
    i, n = pos, len(text)
    if text.startswith("等", i) and not text.startswith(("等级", "等等"), i):
        i += 1
    if text.startswith("的", i):
        i += 1
    end = min(n, i + limit)
    while i < end:
        ch = text[i]
        if ch in CLAUSE_BREAKS or ch == "、" or ch == "《":
            return None
        if ch in OPENERS or ch == '"':
            # a short inner quote (暖心聚“新”活动) is part of the gap; a longer one ends it
            close = next((q for q in doc.quotes if q.start == i), None)
            if close is None or len(close.plain) > 2:
                return None
            i = close.end
            continue
        if ch in QUOTE_MARKS:
            i += 1
            continue
        if ch not in first:             # none of the words looked for below begins here
            if ch in _STOP_CHARS:
                return None
            i += 1
            continue
        trig = _trigger_at(text, i)
        other = _other_head_at(text, i)
        if trig and (not other or len(trig[0]) >= len(other[0])):
            behind = _other_head_at(text, i + len(trig[0]))
            if behind:      # 品牌|调解室, 活动|阵地: the last noun heads the compound
                return Head(behind[1], behind[0], "", i + len(trig[0]), i + len(trig[0]) + len(behind[0]))
            return Head("Program", trig[0], trig[1], i, i + len(trig[0]))
        if other:
            return Head(other[1], other[0], "", i, i + len(other[0]))
        group = _group_at(text, i)
        if group:
            i += len(group)
            continue
        if text[i] in _STOP_CHARS:
            return None
        if _HEAD_STOP.match(text, i):
            return None
        i += 1
    return None


def _kind_of_name(name: str) -> str:
    """A kind from how a name ends (used where no trigger word follows)."""
    plain = strip_quotes(name)
    for trig, kind, _ in _triggers():
        if plain.endswith(trig):
            return kind
    if plain.endswith("制"):
        return "system"
    if "+" in plain:
        return "model"
    return "activity"


def _chains(quotes: tuple[Quote, ...], text: str) -> list[list[Quote]]:
    """Runs of quotes written one after another (“A”“B”、“C”; “A”和“B”等 where 等 closes the list)
    that share what follows them."""
    chains: list[list[Quote]] = []
    for q in quotes:
        gap = text[chains[-1][-1].end:q.start] if chains else None
        if gap in ("", "、") or (gap in ("和", "及", "与") and text.startswith("等", q.end)):
            chains[-1].append(q)
        else:
            chains.append([q])
    return chains


def _verb_before(text: str, pos: int, verbs=QUOTE_VERBS) -> bool:
    """A verb right before pos, or a verb and a people word (推动机关干部“返乡走亲”)."""
    before = text[max(0, pos - 12):pos]
    verb_end, people_end = _verb_patterns(tuple(verbs))
    return bool(verb_end.search(before) or people_end.search(before))


@lru_cache(maxsize=4)
def _verb_patterns(verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """For _verb_before: (one of the verbs at the end, a verb and a people word at the end)."""
    people = "|".join(verbs + ("推动",))
    return (re.compile(f"(?:{'|'.join(map(re.escape, verbs)) or '(?!)'})\\Z"),
            re.compile(f"({people})[\u4e00-\u9fff]{{0,4}}(干部|党员|群众|居民|职工|青年)$"))


def _verb_over_list(text: str, q: Quote) -> bool:
    """A verb that introduces a 、-list of as many items as the quoted name counts, written
    right before it: 推动小区党支部、业主委员会、物业服务企业“三方联动” (the items take part in it)."""
    need = count_of(q.plain)
    pieces = text[clause_start(text, q.start):q.start].split("、")
    if need is None or len(pieces) != need or need < 2:
        return False
    if q.end < len(text) and text[q.end] not in CLAUSE_BREAKS:
        return False        # 把执行难、推进难、落地难“三难”问题作为…: the quote modifies a noun
    first, off = _strip_lead_verb(pieces[0])
    return off > 0 and not first.startswith(_PREPOSITIONS) and all(2 <= len(p) <= 16 for p in pieces)


def _is_excluded_quote(text: str, q: Quote) -> bool:
    """Quotes that are never programs: slogans, metaphors, idioms, names of other types,
    honours (获评“全省最美货车司机”), single characters."""
    never, _ = _not_programs()
    plain = q.plain.strip()
    if len(plain) < 2 or plain in never or plain in _entity_words() or ends_with_facility_head(plain):
        return True
    return bool(_HONOUR_BEFORE.search(text[max(0, q.start - 10):q.start]))


def _ends_with_trigger(plain: str) -> tuple[str, str, str] | None:
    """The trigger a quoted name ends with (“三大攻坚行动”, “便民服务日”), if it holds more than that."""
    for trig in _triggers():
        if plain.endswith(trig[0]) and len(plain) > len(trig[0]):
            return trig
    return None


def quoted_programs(doc: Doc) -> list[_Found]:
    """Quoted names that are programs, decided quote by quote (a chain “A”“B”等活动 shares
    what follows it):
    1. a program trigger after the quote (“消薄强村”行动) — a word of another type after it
       (“e网勤蜂”等网络平台, “先锋骑手”志愿服务队) rules it out;
    2. a trigger ending the quoted name (“三大攻坚行动”, “便民服务日”);
    3. a + formula (“党支部+合作社+基地+农户”, “文旅+”);
    4. an introducing verb before it (推行“三社联动”, 推动机关干部“返乡走亲”), unless 的 and no
       trigger follow (打造“阵地有用…”的党群服务新矩阵), or before the list of what takes part in
       it (推动A、B、C“三方联动”);
    5. a theme frame: 以“X”为主题 (no named activity after), 围绕“X”开展; or a party-building
       brand leading something: 以“美丽党建”引领….
    Slogans, metaphors, honours and names of other types are never programs."""
    text = doc.text
    found: list[_Found] = []
    quotes = doc.name_quotes
    accepted: dict[str, str] = {}
    for chain in _chains(quotes, text):
        last = chain[-1]
        head = head_after(doc, last.end)
        etc = text.startswith("等", last.end) and not text.startswith("等级", last.end)
        verb = _verb_before(text, chain[0].start)
        for q in chain:
            if _is_excluded_quote(text, q):
                continue
            plain = q.plain.strip()
            if "、" in plain and etc and len(chain) == 1:
                continue        # “A、B、C”等模式: the enumeration rule splits the items
            if head is not None and head.type != "Program":
                continue
            if "、" in plain and head is not None and count_of(text[last.end:head.end]) is not None:
                continue        # “A、B…”七项制度: the enumeration rule names the whole
            name, end, aliases = q.content.strip(), q.end, {text[q.start:q.end]}
            if head is not None:
                kind, rule = head.kind, "quote+trigger"
                if q is last and not etc:
                    end = head.end
                    aliases.add(text[q.start:head.end])
            elif (ends := _ends_with_trigger(plain)):
                if text[q.start - 1:q.start] == "的" and ends[0] == "工程" and len(plain) <= 4:
                    continue    # 打造固本强基的“龙头工程”: a metaphor for what the program is
                kind, rule = ends[1], "quote-ends-with-trigger"
            elif "+" in plain and re.search(r"[>＞<＜=＝]", plain):
                continue        # “1+1>2”: an outcome, not a formula of parts
            elif "+" in plain:
                kind, rule = "model", "formula"
            elif _is_dispatch_list(plain):
                kind, rule = "mechanism", "dispatch"
            elif verb and not text.startswith("的", last.end):
                kind, rule = _kind_of_name(plain), "verb+quote"
            elif len(chain) == 1 and head is None and _verb_over_list(text, q):
                kind, rule = _kind_of_name(plain), "verb+list+quote"
            elif text[q.start - 1:q.start] == "向" and text.startswith(("转变", "转型"), q.end):
                kind, rule = _kind_of_name(plain), "向X转变"     # 从“就村抓村”向“抓村促片”转变: the new way
            elif _theme(text, q):
                kind, rule = "activity", "theme"
            elif text[max(0, q.start - 1):q.start] == "以" and text.startswith("引领", q.end) and plain.endswith("党建"):
                kind, rule = "brand", "以X引领"
            else:
                continue
            found.append(_Found(name, q.start, end, kind, aliases, rule))
            accepted[plain] = name
    # the same name quoted again elsewhere (这座“瑞岭七彩服务桥”) is the same program
    for q in quotes:
        plain = q.plain.strip()
        if plain in accepted and not any(f.start <= q.start and q.end <= f.end for f in found):
            found.append(_Found(accepted[plain], q.start, q.end, _kind_of_name(plain),
                                {text[q.start:q.end]}, "same-name"))
    return found


# An order-dispatch step: 点单, 派单, 接单 … (居民点单、党员接单; 线上派单、线下办理).
_DISPATCH_STEP = re.compile(alternation(vocab.DISPATCH_STEP))


def _is_dispatch_list(plain: str) -> bool:
    """A quoted list of two or three short steps, one of them an order-dispatch step (“线上派单、线下办理”,
    “群众点单、支部派单、党员接单”): a service mechanism, with or without a trigger after it."""
    items = plain.split("、")
    return 2 <= len(items) <= 3 and all(3 <= len(it) <= 6 for it in items) \
        and any(_DISPATCH_STEP.search(it) for it in items)


# The national "N-minute service circle" programmes: 15分钟便民生活圈, “15分钟暖心服务圈”, 一刻钟便民生活圈.
_CIRCLE = re.compile(r"(?:(?:\d{1,2}|十五|十|二十|三十)分钟|一刻钟|半小时)[\u4e00-\u9fff]{2,8}?圈")


def _circle_programs(doc: Doc) -> list[_Found]:
    """N分钟X圈, quoted or not (基本形成“15分钟暖心服务圈”): a service-circle project, unless a
    noun other than a trigger follows it."""
    text = doc.text
    found = []
    for m in _CIRCLE.finditer(text):
        s, e = m.start(), m.end()
        if text[s - 1:s] in ("“", "‘") and text[e:e + 1] in ("”", "’"):
            s, e = s - 1, e + 1
        nxt = text[e:e + 1]
        if nxt and is_han(nxt) and nxt not in "、等和与及的" and not _trigger_at(text, e):
            continue        # 按照“15分钟服务圈”标准: it names a norm, not the programme
        if not inside(doc.titles, s, e):
            found.append(_Found(m.group(0), s, e, "project", {text[s:e], m.group(0)}, "circle"))
    return found


def _titled_programs(doc: Doc) -> list[_Found]:
    """A 《title》 that names a game, show or contest (《爱的传递》等互动游戏) is an activity."""
    text = doc.text
    found = []
    for s, e in doc.titles:
        m = re.match(r"(?:等)?[\u4e00-\u9fff]{0,4}?(游戏|比赛|演出|晚会|节目|游园|竞赛)", text[e:e + 8])
        if m:
            found.append(_Found(text[s + 1:e - 1], s, e, "activity", {text[s:e]}, "title"))
    return found


def _theme(text: str, q: Quote) -> bool:
    """以“X”为主题 (when no named activity follows), 围绕“X”开展, 以“X”为抓手/载体/特色: X names the
    activity."""
    before = text[max(0, q.start - 2):q.start]
    after = text[q.end:q.end + 8]
    if before.endswith("以") and after.startswith("为主题") and not after.startswith("为主题的“"):
        return True
    if before.endswith("围绕") and re.match(r"(开展|组织|举办|进行)", after):
        return True
    if before.endswith("以") and re.match(r"为(抓手|载体|牵引|特色|切入点|突破口)", after):
        return True     # 以“好邻居”为特色, 以“X”为抓手: X is the work carried out
    return False


_QUOTE_MARK = re.compile("[" + re.escape(QUOTE_MARKS) + "]")


def _known_programs(doc: Doc) -> list[_Found]:
    """Nationally known programs (kg/lexicon/known_programs.tsv), quoted or not, with a
    trigger word after them where there is one (“三会一课”制度)."""
    text = doc.text
    found: list[_Found] = []
    plain = strip_quotes(text)
    marks = [m.start() for m in _QUOTE_MARK.finditer(text)]         # sorted

    def at(k: int) -> int:
        """The offset in text of plain[k]: k plus the quote marks before it."""
        n = 0
        while n < len(marks) and marks[n] <= k + n:
            n += 1
        return k + n
    taken: list[tuple[int, int]] = []
    for form, name, kind in _known():
        for s, e in occurrences(plain, form):
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            start, end = at(s), at(e - 1) + 1
            # take in quote marks around the form, and the closing mark of one opened inside it
            if start > 0 and text[start - 1] in "“‘\"'" and end < len(text) and text[end] in "”’\"'":
                start, end = start - 1, end + 1
            start, end = _balance_span(text, start, end)
            if re.match(r"(?:成员|单位)", text[end:end + 2]) or (
                    form != name and form.endswith(("党组织", "党支部", "党委")) and re.match(r"\d|[一二两三四五六七八九十百千]+个", text[end:end + 4])):
                continue    # 7个“大党委”成员单位, 整顿软弱涣散基层党组织259个 (an action form): the bodies, not the program
            aliases = {text[start:end], form}
            trig = _trigger_at(text, end)
            if trig:
                aliases.add(text[start:end + len(trig[0])])
                end += len(trig[0])
            if inside(doc.titles, start, end):
                continue
            found.append(_Found(name, start, end, kind, aliases, "known"))
    return found


# National campaign frames written without quotes: (推进)抓党建促乡村振兴, 抓党建促基层治理能力提升.
_FRAME = re.compile(r"抓(?:基层)?党建促[\u4e00-\u9fff]{2,14}?(?=[,，。;；、：:和与及的等]|工作|摆在|放在|作为|摆上|纳入|$)")


def _frame_programs(text: str) -> list[_Found]:
    """抓党建促X introduced by a verb (持续推进|抓党建促基层治理能力提升) is a campaign; in a list
    of topics (围绕党建引领、抓党建促乡村振兴等主题) it is not."""
    found = []
    for m in _FRAME.finditer(text):
        before = text[max(0, m.start() - 2):m.start()]
        if before in OUTER_VERBS or before == "推动" or before[-1:] in ("将", "把"):
            found.append(_Found(m.group(0), m.start(), m.end(), "campaign", {m.group(0)}, "frame"))
    return found


_LEVER = re.compile(r"以([^“”‘’\"《》,，。;；、:：]{4,14}?)(?:试点|工作)?为" + f"(?:{alternation(vocab.LEVER)})")


def _lever_programs(text: str) -> list[_Found]:
    """以X为抓手/载体/牵引 (华亭市以区域化党建联建为抓手): X is the work a place carries out, when X is a
    noun phrase (以强化基层党建为抓手 names an effort, not a program) of more than generic words."""
    found = []
    _, generic = _not_programs()
    verbs = OUTER_VERBS + _HEADING_VERBS + _LIST_VERBS + ("管好", "加强", "用好", "发挥")
    for m in _LEVER.finditer(text):
        name = m.group(1)
        if name.startswith(verbs) or name in generic or name.startswith(_PREPOSITIONS):
            continue
        found.append(_Found(name, m.start(1), m.end(1), _kind_of_name(name), {name}, "lever"))
    return found


def _clean_unquoted(name: str) -> tuple[str, set]:
    """Drop leading quantifiers, adverbs, years and scopes (全县, 2024年) from an unquoted name;
    the full form stays as an alias."""
    aliases = {name}
    changed = True
    while changed:
        changed = False
        m = re.match(r"(一次|一批|一系列|各类|各项|每年|每季度|定期|全面|持续|深入|扎实|积极|大力|"
                     r"常态化|创新|率先|全覆盖|本期|本次|首期|所有|\d+期|\d+个|\d{4}年|全[县市省区镇乡国])", name)
        if m and len(name) - m.end() >= 4:
            name = name[m.end():]
            aliases.add(name)
            changed = True
    return name, aliases


def _is_generic(rest: str, seg: Segmenter) -> bool:
    """A name part made only of generic words (工作, 闭环管理, 集中整治) names nothing."""
    _, generic = _not_programs()
    rest = strip_quotes(rest)
    if len(rest) < 2:
        return True
    words = [w for w in seg.words(rest) if w.strip()]
    return all(w in generic or len(w) == 1 for w in words)


def _unquoted_programs(doc: Doc, seg: Segmenter, article: list[Token],
                       taken: list[tuple[int, int]]) -> list[_Found]:
    """X + trigger where X is unquoted: walk left from the trigger over jieba tokens to the
    verb that introduces it (深入开展|农村基层党建全面过硬行动, 建立由28家单位组成的|志愿服务联络员制度).
    No verb in the clause, or a name made only of generic words, means no program
    (闭环管理机制, 集中整治行动), unless the clause opens with a division name (兰州市安宁区…培训班).
    article: the article's jieba tokens."""
    text = doc.text
    found: list[_Found] = []
    clauses: dict[int, tuple[list[Token], set[int], list[int]]] = {}

    article_starts = [t.start for t in article]

    def clause_tokens(pos: int):
        """jieba tokens of the clause that holds pos: the article's tokens between its clause
        breaks (jieba cuts at punctuation anyway, so they are the words the clause alone gives)."""
        cs = clause_start(text, pos)
        if cs not in clauses:
            ce = pos
            while ce < len(text) and text[ce] not in CLAUSE_BREAKS:
                ce += 1
            toks = article[bisect_left(article_starts, cs):bisect_left(article_starts, ce)]
            clauses[cs] = (toks, {t.end for t in toks}, [t.start for t in toks])
        return clauses[cs]

    titles = doc.titles
    quotes = doc.name_quotes
    pattern, rows = _trigger_index(True)
    for m in pattern.finditer(text):
        trig = rows[m.group(0)]
        t_start, t_end = m.start(), m.end()
        if _trigger_at(text, t_end, "any"):
            continue        # a trigger right after (学习教育计划): the later one ends the name
        tokens, token_end, starts = clause_tokens(t_start)
        if t_end not in token_end and t_end < len(text) and is_han(text[t_end]):
            continue        # the trigger is part of a longer word
        if text.startswith(("成员", "单位", "委员会", "办公室", "领导小组", "方案", "意见", "办法", "细则",
                            "清单", "纲要", "规划"), t_end) or (t_end < len(text) and text[t_end] in "委办组队部局所"):
            continue        # 深化改革委员会, 专项工作机制成员单位, 三年行动方案 (a document)
        if inside(titles, t_start, t_end) or any(q.start < t_start < q.end for q in quotes):
            continue
        if any(a <= t_start < b for a, b in taken):
            continue
        bound = _left_boundary(text, tokens, bisect_right(starts, t_start) - 1, t_start, trig)
        if bound is None:
            continue
        start, how = bound
        raw = text[start:t_end]
        if start >= t_start or len(strip_quotes(raw)) > 26 or re.search(r"[,，;；。]", raw):
            continue
        if "、" in raw and (how != "verb" or text.startswith("等", t_end)
                           or any(len(p) < 4 for p in raw[:-len(trig[0])].split("、"))):
            continue        # a list of nouns (创建条件、评定程序…退出机制等), not a name
        name, aliases = _clean_unquoted(raw)
        if _is_generic(name[:len(name) - len(trig[0])], seg):
            continue
        if trig[2] == "verb" and how != "verb":
            continue        # 把人居环境整治作为…: only a verb makes 整治, 改革 … name something
        aliases.add(strip_quotes(raw))
        found.append(_Found(name, start, t_end, trig[1], aliases, "verb+name+trigger"))
    return found


def _cut_at_de(clause: str) -> bool:
    """Whether a name may start after the 的 that ends `clause`: only when a verb introduces a
    prepositional clause that describes it (建立|由28家单位组成的|志愿服务联络员制度). Any other
    phrase before 的 (健全|基层党组织领导的|基层群众自治机制) belongs to the name, and a name cut
    there is worse than none."""
    ends = [clause.rfind(v) + len(v) for v in OUTER_VERBS if v in clause]
    return bool(ends) and clause[max(ends):].startswith(("由",) + _PREPOSITIONS)


def _left_boundary(text: str, tokens, k: int, t_start: int, trig: tuple[str, str, str]) -> tuple[int, str] | None:
    """Where an unquoted name ending in a trigger starts, and what ends it on the left:
    "verb" (the introducing verb), "de" (由…组成的|志愿服务联络员制度, see `_cut_at_de`), "prep" (为|纵深推进…), "and" (“五大工程”和|基层党建质量提升行动) or "division"
    (a clause that opens with a division name). Verbs right before the trigger belong to the
    name (示范创建行动, 巩固提升行动); 和 inside a name (树立和践行…) does not end it.
    tokens[k] is the token that holds the trigger's first character."""
    if k < 0:
        return None
    start = min(tokens[k].start, t_start)
    j = k - 1
    only_verbs = True
    while j >= 0:
        w = tokens[j].word
        if any(ch in CLAUSE_BREAKS or ch in QUOTE_MARKS or ch in "《》" for ch in w):
            break
        verb = is_verb(w) and not (trig[0] == "学习教育" and w in _INNER_VERBS)
        if verb and not only_verbs:
            return tokens[j].end, "verb"
        if w == "的":
            if j > 0 and tokens[j - 1].word == "党":
                start, j = tokens[j - 1].start, j - 2
                continue        # 党的创新理论学习教育计划
            if not _cut_at_de(text[clause_start(text, tokens[j].start):tokens[j].start]):
                return None
            return tokens[j].end, "de"
        if w in _PREPOSITIONS:
            return tokens[j].end, "prep"
        if w in ("和", "及", "与", "以及"):
            nxt = tokens[j + 1].word if j + 1 < len(tokens) else ""
            if nxt not in _INNER_VERBS:
                if trig[1] in ("mechanism", "system"):
                    return None     # 督查和考核制度, 工委与部门党组…沟通机制: no single name
                return tokens[j].end, "and"
        if w == "等":
            return None
        if not verb:
            only_verbs = False
        start = tokens[j].start
        j -= 1
    if re.match(r"[\u4e00-\u9fff]{2,3}[省市县区州旗](?![委直级])", text[start:t_start]):
        return start, "division"
    if trig[0] in _CLASS_TRIGGERS and start == clause_start(text, t_start) and (
            re.match(r"全[省市区县州旗]", text[start:t_start]) or _group_at(text, start)):
        return start, "class"       # 全省乡镇党委书记培训示范班在…开班, 社区党组织书记示范培训班已于…
    return None


# Training classes, named at the head of a clause without a verb: whom they train, then the class.
_CLASS_TRIGGERS = vocab.CLASS_TRIGGER


# ---------------------------------------------------------------------------- enumerations and parts

def _strip_lead_verb(item: str) -> tuple[str, int]:
    """Drop a verb or preposition (two characters or more) that introduces the first item
    (全域开展|党员找组织, 通过|择优选派一批)."""
    best = 0
    for v in OUTER_VERBS + ("通过", "按照", "围绕", "依托", "采取", "推动", "推进", "实行"):
        p = item.rfind(v)
        if p >= 0 and p + len(v) > best and p + len(v) < len(item):
            best = p + len(v)
    return item[best:], best


def _item(text: str, s: int, e: int) -> tuple[str, set]:
    """Name and aliases of one enumerated item: a quoted one is named by its quote."""
    raw = text[s:e]
    m = re.match(r"[“‘\"]([^”’\"]+)[”’\"]", raw)
    if m:
        return m.group(1), {raw, strip_quotes(raw)}
    return raw, {raw}


def _items_before(text: str, end: int, whole: str, need: int | None) -> list[tuple[int, int]]:
    """The 、-separated items written right before a whole (A、B、C的“三找”活动); their number
    must equal the whole's count."""
    cs = clause_start(text, end)
    seg = text[cs:end]
    if "、" not in seg:
        return []
    spans, pos = [], cs
    for piece in seg.split("、"):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    first_s, first_e = spans[0]
    stripped, off = _strip_lead_verb(text[first_s:first_e])
    spans[0] = (first_s + off, first_e)
    if need is None or len(spans) != need or _counts_parties(whole):
        return []
    for s, e in spans:
        piece = strip_quotes(text[s:e])
        if not 3 <= len(piece) <= 24 or any(ch in CLAUSE_BREAKS for ch in piece) or not _balanced(text[s:e]):
            return []
    if all(_PEOPLE_END.search(strip_quotes(text[s:e])) for s, e in spans):
        return []           # 网格党组织书记、楼(院)长、社区民警…“五位一体”: parties, not parts
    return spans


def _balance_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) until every quote mark in it is closed (新时代“枫桥经验 → 新时代“枫桥经验”,
    四强”党支部 → “四强”党支部)."""
    for _ in range(4):
        part = text[start:end]
        if part.count("”") > part.count("“") and start > 0 and text[start - 1] == "“" or \
                part.count("’") > part.count("‘") and start > 0 and text[start - 1] == "‘":
            start -= 1
        elif part.count("“") > part.count("”") and end < len(text) and text[end] == "”" or \
                part.count("‘") > part.count("’") and end < len(text) and text[end] == "’":
            end += 1
        else:
            break
    return start, end


def _balanced(s: str) -> bool:
    """Every quote mark in s is closed in s."""
    return s.count("“") == s.count("”") and s.count("‘") == s.count("’")


def read_parts(doc: Doc) -> tuple[Part, ...]:
    """Every part-of-a-whole the text shows; see the `_parts_*` rules. Read once per article,
    into doc.parts (kg.find.run), for find_programs and program_parts; reads doc's quotes."""
    parts: list[Part] = []
    for rule in (_parts_in_quote, _parts_before_whole, _parts_after_namely, _parts_etc_list, _parts_headings,
                 _parts_parallel_clauses, _parts_counted_head, _parts_listed_before_count, _parts_of_quoted_list,
                 _parts_parallel_headings, _parts_list_de_whole):
        parts.extend(rule(doc))
    return tuple(parts)


def _counted_quotes(doc: Doc):
    """The quoted names of the text that hold a count and are no list (“三找”, “四务合一”): (quote, plain name)."""
    text = doc.text
    for q in doc.name_quotes:
        plain = q.plain.strip()
        if count_of(plain) is not None and "、" not in plain and not _is_excluded_quote(text, q):
            yield q, plain


def _counted_wholes(doc: Doc) -> list[tuple[str, int, int, str]]:
    """Quoted names that announce a count (“三找”, “四项行动”, “五大融合”): (name, start, end, full alias).
    Six rules of read_parts start from them: read once per Doc (doc.counted_wholes)."""
    if doc.counted_wholes is None:
        doc.counted_wholes = tuple(_read_counted_wholes(doc))
    return list(doc.counted_wholes)


def _read_counted_wholes(doc: Doc) -> list[tuple[str, int, int, str]]:
    text = doc.text
    out = []
    for q, plain in _counted_quotes(doc):
        head = head_after(doc, q.end)
        if head is not None and head.type == "Program":
            end = head.end
        elif head is None and (_ends_with_trigger(plain) or _verb_before(text, q.start)):
            end = q.end
        else:
            continue        # “三有”非公企业: a count, not a program
        out.append((plain, q.start, end, text[q.start:end]))
    return out


@lru_cache(maxsize=1)
def _count_after_list() -> re.Pattern:
    """The counted whole right after a quoted list (“A、B、C”等三项要求, “A、B…”七项制度)."""
    return re.compile(r"(?:等)?([一二两三四五六七八九十\d]+(?:个|项|大|条|种)[\u4e00-\u9fff]{0,6}?"
                      r"(?:要求|做法|规定|" + "|".join(_counted_head_words()) + "))")


def _parts_in_quote(doc: Doc) -> list[Part]:
    """“A、B、C…”N项制度 (the whole right after the quote), and “A、B、C…”为主要内容的…“N个…”
    (the whole later in the clause): the quote's items are the parts when their number is N."""
    text = doc.text
    parts = []
    for q in doc.name_quotes:
        plain = q.content
        if "、" not in plain:
            continue
        items = plain.split("、")
        after = text[q.end:q.end + 12]
        m = _count_after_list().match(after)
        whole = whole_s = whole_e = None
        if m and count_of(m.group(1)) == len(items):
            whole, whole_s, whole_e = m.group(1), q.start, q.end + m.end()
        elif re.match(r"为(主要)?内容的", after):
            for w, ws, we, _ in _counted_wholes(doc):
                if q.end < ws < q.end + 40 and count_of(w) == len(items) and "。" not in text[q.end:ws]:
                    whole, whole_s, whole_e = w, ws, we
                    break
        if whole is None:
            continue
        pos = q.start + 1
        for it in items:
            name = strip_quotes(it).strip()
            if 2 <= len(name) <= 16:
                parts.append(Part(name, pos, pos + len(it), whole, whole_s, whole_e))
            pos += len(it) + 1
    return parts


def _parts_before_whole(doc: Doc) -> list[Part]:
    """A、B、C的“三找”活动 and “A”甲、“B”乙…“五大融合”行动: the items written right before a
    counted quoted whole are its parts when their number matches the count."""
    text = doc.text
    parts = []
    for whole, ws, we, _ in _counted_wholes(doc):
        end = ws - 1 if text[ws - 1:ws] == "的" else ws
        if text[end - 1:end] == "等":
            continue        # A、B等“五种服务模式”: `_parts_listed_before_count` reads it
        spans = _items_before(text, end, whole, count_of(whole))
        for s, e in spans:
            name, aliases = _item(text, s, e)
            parts.append(Part(name, s, e, whole, ws, we, aliases=aliases))
    return parts


# Words after a counted whole that introduce the list of its parts (“四联四带”工作法,即A、B、C、D).
# words that introduce what a counted name stands for (“三访”即…); the 包括 ones also a list of parts
_NAMELY_WORDS = vocab.NAMELY
_NAMELY = re.compile(f"[,，]?(?:{alternation(_NAMELY_WORDS + vocab.NAMELY_LIST)})[:：]?")


def _part_counts(whole: str) -> set[int]:
    """How many parts a counted whole may have: its count (一亲三心 → 4), and, for a name that
    repeats one number (四联四带, 三抓三促), that number too: each part then holds every counted
    word once (支部联建带产业)."""
    counts = {count_of(whole)} - {None}
    pieces = _PIECE.findall(strip_quotes(whole))
    if len(pieces) >= 2 and len({a for a, _ in pieces}) == 1:
        counts.add(_NUMERALS[pieces[0][0]])
    return counts


def _count_pieces(whole: str) -> list[str]:
    """The counted pieces a name is made of: 三访三议 → [三访, 三议], 一亲三心 → [一亲, 三心];
    [] for a name that is not made only of number + word pieces."""
    plain = strip_quotes(whole)
    pieces = re.findall(r"[一二两三四五六七八九十][^一二两三四五六七八九十]{1,2}", plain)
    return pieces if len(pieces) >= 2 and "".join(pieces) == plain else []


def _namely_wholes(doc: Doc) -> list[tuple[str, int, int, str]]:
    """Quoted counted names with no trigger after them that 即/也就是… follows directly
    (“三访”即走访农户、回访诉求、专访困难群众): (name, start, end, alias) like `_counted_wholes`.
    Only the list after them makes them wholes (see `_parts_after_namely`)."""
    text = doc.text
    out = []
    for q in doc.name_quotes:
        plain = q.plain.strip()
        if count_of(plain) is None or "、" in plain or _is_excluded_quote(text, q):
            continue
        if text.startswith(_NAMELY_WORDS, q.end):
            out.append((plain, q.start, q.end, text[q.start:q.end]))
    return out


def _list_after(text: str, start: int) -> list[tuple[int, int]]:
    """Spans of the 、-separated items from start to the end of the clause."""
    end = start
    while end < len(text) and text[end] not in CLAUSE_BREAKS:
        end += 1
    spans, pos = [], start
    for piece in text[start:end].split("、"):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return spans


def _align_first(text: str, spans: list[tuple[int, int]], word: str) -> list[tuple[int, int]]:
    """Where every item holds the counted word and all items but the first hold it at the same
    offset (回访诉求, 专访困难群众: 访 second), the first item starts at that offset too: what
    stands before it is the shared subject (党员干部定期|走访农户)."""
    offsets = [text[s:e].find(word) for s, e in spans]
    rest = set(offsets[1:])
    if -1 in offsets or len(rest) != 1:
        return spans
    k = rest.pop()
    s0, e0 = spans[0]
    cut = s0 + offsets[0] - k
    if offsets[0] > k and e0 - cut >= 3:
        spans = [(cut, e0)] + spans[1:]
    return spans


def _parts_after_namely(doc: Doc) -> list[Part]:
    """A counted whole followed by 即/也就是/具体包括… and a 、-list of as many items as it counts,
    up to the end of the clause (推行“三联三促”工作法,即班子联村促发展、党员联户促和谐、干部联企促服务):
    the items are its parts. Where the count is a repeated number (三联三促 → 3), every item must
    hold each counted word (联, 促).
    A counted quote with no trigger (“三访”即A、B、C) is a whole only when it is a piece of a larger
    counted program of the text (三访 of “三访三议”工作法) and every item holds its counted word (走访,
    回访, 专访): it is then a part of that program, and its items parts of it."""
    text = doc.text
    parts = []
    wholes = _counted_wholes(doc)
    for whole, ws, we, _ in wholes + _namely_wholes(doc):
        named_only = (whole, ws, we) not in {(w, s, e) for w, s, e, _ in wholes}
        m = _NAMELY.match(text, we)
        if not m:
            continue
        spans = _list_after(text, m.end())
        n = len(spans)
        if n < 2 or n not in _part_counts(whole) or _counts_parties(whole):
            continue
        words = [w for _, w in _PIECE.findall(whole)]
        big = None
        if named_only:
            big = next(((b, bs, be) for b, bs, be, _ in wholes if whole in _count_pieces(b)), None)
            if big is None or len(words) != 1 or not all(words[0] in text[s:e] for s, e in spans):
                continue        # “三好”即思想好、作风好…: a standard, unless a counted program holds it
            spans = _align_first(text, spans, words[0])
        items = [text[s:e] for s, e in spans]
        if any(not 2 <= len(strip_quotes(it)) <= 16 or not _balanced(it) for it in items):
            continue
        if n != count_of(whole):        # the repeated number of 三联三促, not the sum
            if not all(w in strip_quotes(it) for w in words for it in items):
                continue
        if all(_PEOPLE_END.search(strip_quotes(it)) for it in items):
            continue        # 即书记、主任、委员: people, not parts
        for s, e in spans:
            name, aliases = _item(text, s, e)
            parts.append(Part(name, s, e, whole, ws, we, aliases=aliases))
        if big is not None:
            parts.append(Part(whole, ws, we, big[0], big[1], big[2], aliases={text[ws:we]}))
    return parts


def _parts_etc_list(doc: Doc) -> list[Part]:
    """A、B、C等<trigger>: each item is a program of its own (社区协商议事会、民情恳谈会、“一事一议”
    居民代表会等协商议事模式; 村(社)干部坐班值班、党员示范岗等制度; one quote holding the list:
    “支部建在楼宇上、支部建在园区里…”等党组织设置模式). A verb must introduce the list; unquoted
    items must end in a trigger or 会 unless the trigger is 制度/机制 (劳模培育推选、巾帼建功宣传…
    等品牌活动 are descriptions, not names). The items are parts of no whole."""
    text = doc.text
    parts = []
    quotes = doc.name_quotes
    for m in re.finditer("等", text):
        if text.startswith(("等级", "等等"), m.start()):
            continue
        series = next((q for q in quotes if q.start == m.end()), None)
        if series is not None and not _is_excluded_quote(text, series):
            s_head = head_after(doc, series.end)
            if s_head is not None and s_head.type == "Program" and s_head.start == series.end:
                parts.extend(_series_items(doc, m.start(), series, s_head))
                continue
        head = head_after(doc, m.start())
        if head is None or head.type != "Program" or head.kind == "campaign":
            continue
        if re.match(r"等[一二两三四五六七八九十]", text[m.start():m.start() + 2]):
            continue        # A、B和C等五大机制: `_parts_listed_before_count` reads the counted whole
        cs = clause_start(text, m.start())
        quote = next((q for q in quotes if q.end == m.start() and q.start >= cs), None)
        if quote is not None and "、" in quote.content and text[quote.start - 1:quote.start] not in "”’":
            pos = quote.start + 1
            for it in quote.content.split("、"):
                if 3 <= len(it) <= 16:
                    parts.append(Part(it, pos, pos + len(it), "", 0, 0))
                pos += len(it) + 1
            continue
        spans, pos = [], cs
        for piece in text[cs:m.start()].split("、"):
            spans.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        _, off = _strip_lead_verb(text[spans[0][0]:spans[0][1]])
        if len(spans) < 2 or off == 0:
            continue        # no list, or no verb introduces it
        spans[0] = (spans[0][0] + off, spans[0][1])
        items = [text[s:e] for s, e in spans]
        if all(it.startswith(OPEN_MARKS) for it in items):
            continue        # a chain of quotes: the quote rule names them
        # after these heads a list names the items themselves (村企联建等模式, 密农人家…等特色品牌)
        # (not where another trigger follows: 劳模培育推选…等品牌活动 are descriptions of activities)
        strong = head.word in ("制度", "机制", "模式", "品牌", "做法") and not _trigger_at(text, head.end)

        def is_name(it: str) -> bool:
            if not 3 <= len(strip_quotes(it)) <= 16 or not _balanced(it):
                return False
            # events name themselves by their ending: …会, …赛, …节 (读书会, 挑战赛, 帐篷节)
            return it.startswith(OPEN_MARKS) or strong or it.endswith(("会", "赛", "节")) \
                or _ends_with_trigger(it) is not None

        if not all(is_name(it) for it in items):
            continue
        for s, e in spans:
            name, aliases = _item(text, s, e)
            if not text[s:e].startswith(OPEN_MARKS):
                aliases.add(text[s:e] + head.word)
            parts.append(Part(name, s, e, "", 0, 0, aliases=aliases))
    return parts


def _series_items(doc: Doc, etc: int, series: Quote, head: Head) -> list[Part]:
    """A、B等“X”系列活动 (常态化开展爱心理发、“阅”来越好读书会等“睦邻而莱”系列活动): the items a verb
    introduces are activities of the named series, its parts."""
    text = doc.text
    cs = clause_start(text, etc)
    spans = _split_list(doc, cs, etc)
    s0, e0 = spans[0]
    _, off = _strip_lead_verb(text[s0:e0])
    if off == 0:
        return []
    spans[0] = (s0 + off, e0)
    if any(not 2 <= len(strip_quotes(text[s:e])) <= 16 or not _balanced(text[s:e]) for s, e in spans):
        return []
    out = []
    for s, e in spans:
        name = text[s:e] if not re.fullmatch(r"[“‘\"][^”’\"]+[”’\"]", text[s:e]) else strip_quotes(text[s:e])
        out.append(Part(name, s, e, series.plain, series.start, head.end, aliases={text[s:e], strip_quotes(text[s:e])}))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _parts_headings(doc: Doc) -> list[Part]:
    """A counted whole (深化“一亲三心”活动) followed by as many parallel headings, each a short
    first sentence of a paragraph holding one quoted name and opening with the same two
    characters (推动机关干部“返乡走亲”。 推动乡镇干部“驻村连心”。 …): the quoted names are its
    parts. The run must follow the whole directly (no other counted whole in between)."""
    text = doc.text
    parts = []
    headings = []
    for ps, pe in _paragraphs(text):
        m = re.match(r"[^。！？\n]{2,24}。", text[ps:pe])
        if not m:
            continue
        qs = [q for q in doc.name_quotes if ps <= q.start and q.end <= ps + m.end()]
        if len(qs) == 1:
            headings.append((ps, text[ps:ps + 2], qs[0]))
    wholes = _counted_wholes(doc)
    for w_i, (whole, ws, we, _) in enumerate(wholes):
        n = count_of(whole)
        limit = wholes[w_i + 1][1] if w_i + 1 < len(wholes) else len(text)
        run = [h for h in headings if we < h[0] < limit][:n or 0]
        if not n or len(run) < n or len({h[1] for h in run}) != 1 or any(h[2].plain == whole for h in run):
            continue
        for _, _, q in run:
            parts.append(Part(q.plain, q.start, q.end, whole, ws, we, aliases={text[q.start:q.end]}))
    return parts


def _parts_parallel_clauses(doc: Doc) -> list[Part]:
    """A counted whole (推进…“四项行动”) followed in its sentence by ;-separated segments whose
    leading phrases share a word (暖心引领骑手融入; 正向引领主播发声; 服务引领货车司机建功; …):
    the phrases are programs and the whole's parts."""
    text = doc.text
    parts = []
    for whole, ws, we, _ in _counted_wholes(doc):
        n = count_of(whole)
        if not n or n < 2:
            continue
        s_start, s_end = doc.sentence_bounds(we)
        rest_start = we
        segs, pos = [], rest_start
        for piece in re.split(r"[;；]", text[rest_start:s_end]):
            segs.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        if len(segs) < n:
            continue
        firsts = []
        for s, e in segs[1:n]:
            m = re.match(r"([^,，。]{4,14})[,，]", text[s:e])
            if not m:
                break
            firsts.append((s, s + m.end(1)))
        if len(firsts) != n - 1:
            continue
        common = _common_word([text[s:e] for s, e in firsts])
        if not common:
            continue
        s0, e0 = segs[0]
        cand = None
        pos = s0
        for clause in re.split(r"[,，]", text[s0:e0]):
            if common in clause and 4 <= len(clause) <= 16:
                cand = (pos, pos + len(clause))
                break
            pos += len(clause) + 1
        if cand is None:
            continue
        for s, e in [cand] + firsts:
            phrase = text[s:e]
            off = 2 if phrase[:2] in OUTER_VERBS + ("推动",) else 0
            parts.append(Part(phrase[off:], s + off, e, whole, ws, we))
    return parts


def _common_word(phrases: list[str]) -> str | None:
    """The longest word (2-4 characters) that every phrase holds, not at its start."""
    if not phrases:
        return None
    first = phrases[0]
    for size in (4, 3, 2):
        for i in range(1, len(first) - size + 1):
            w = first[i:i + size]
            if all(w in p[1:] for p in phrases):
                return w
    return None


def _parts_counted_head(doc: Doc) -> list[Part]:
    """“三个课堂”学习制度 … 通过“线上课堂”…: a quoted name ending in the counted noun of a nearby
    counted whole (课堂 of 三个课堂) is one of its parts."""
    text = doc.text
    parts = []
    for whole, ws, we, _ in _counted_wholes(doc):
        head = _count_head(whole)
        if not head or len(head) < 2 or any(head == t for t, _, _ in _triggers()):
            continue
        for q in doc.name_quotes:
            if we < q.start < we + 300 and q.plain.endswith(head) and q.plain != whole and len(q.plain) > len(head):
                parts.append(Part(q.plain, q.start, q.end, whole, ws, we, aliases={text[q.start:q.end]}))
    return parts


# A counted whole written without quotes: 五大机制, 四大赋能工程, 三张清单, 四链合一(治理路径).
_UNQUOTED_COUNT = re.compile(r"[一二两三四五六七八九十]+(?:个|项|大|条|种|张|类)[\u4e00-\u9fff]{1,8}|"
                             r"[一二两三四五六七八九十][\u4e00-\u9fff]{1,2}(?:合一|融合|一体)")
# A count written right before a quoted head, the whole of the parts listed before it: 五个“振兴”.
_COUNT_BEFORE_QUOTE = re.compile(r"(?<![一二两三四五六七八九十\d])[一二两三四五六七八九十]+(?:个|项|大|条|种|张|类)(?=[“‘\"])")
# Verbs and prepositions that introduce a list of parts (包含A、B、C等“五种服务模式”, 突出A、B…五大抓手).
_LIST_VERBS = vocab.LIST_VERB


def _after_list_verb(first: str) -> int:
    """Where the first item of a list starts inside its stretch: after the last verb that introduces
    the list (突出|“三清两建”, 打造|管理网格化), else 0."""
    return max((first.rfind(v) + len(v) for v in OUTER_VERBS + _LIST_VERBS
                if v in first and first.rfind(v) + len(v) < len(first)), default=0)


def _count_wholes_anywhere(doc: Doc) -> list[tuple[str, int, int, str, bool]]:
    """Every counted name that may be a whole of listed parts, quoted (“四务合一”, “八项服务内容”) or
    not (五大机制, 四链合一): (name, start, end, alias, whether it modifies the noun after it). An unquoted one must end in a trigger or a
    counted head (机制, 工程, 抓手, 清单 …) or be an N-in-one (四链合一); a trigger after it joins
    the alias (四链合一治理路径)."""
    text = doc.text
    out = []
    for q, plain in _counted_quotes(doc):
        head = head_after(doc, q.end)
        end = head.end if head is not None and head.type == "Program" and head.start == q.end else q.end
        # “三重”问题, “十有”小区党员阵地: a count that modifies a noun is no program, unless lists
        # written one per counted piece show its parts (…“三带三园”总体布局)
        modifies = end == q.end and q.end < len(text) and is_han(text[q.end]) and not plain.endswith(
            _counted_head_words())
        out.append((plain, q.start, end, text[q.start:end], modifies))
    # a count before a quoted head: 五个“振兴”, 三大“工程”
    quote_at = {q.start: q for q in doc.name_quotes}
    for m in _COUNT_BEFORE_QUOTE.finditer(text):
        q = quote_at.get(m.end())
        if q is None or _inside_quote(doc, m.start()) or not 1 <= len(q.plain) <= 6:
            continue
        out.append((m.group(0) + q.plain, m.start(), q.end, text[m.start():q.end], False))
    for m in _UNQUOTED_COUNT.finditer(text):
        s = m.start()
        if _inside_quote(doc, s) or text[s - 1:s] and text[s - 1] in "”’\"" + "一二两三四五六七八九十0123456789":
            continue
        body = m.group(0)
        if re.search(r"(合一|融合|一体)$", body):
            name = body
        else:
            # the shortest stretch that ends in a trigger or counted head (五大机制|明确…), with the
            # heads written right after it (五项服务|内容)
            k = next((k for k in range(3, len(body) + 1)
                      if body[:k].endswith(_counted_head_words())), None)
            if k is None:
                continue
            while True:
                nxt = next((w for w in _counted_head_words() if text.startswith(w, s + k)), None)
                if nxt is None:
                    break
                k += len(nxt)
            name = text[s:s + k]
        e = s + len(name)
        trig = _trigger_at(text, e)
        out.append((name, s, e, text[s:e + len(trig[0])] if trig else name, False))
    return out


def _split_list(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a 、-list in text[start:end]; the last item may be joined by 和/及/与
    (协调会商、教育引导和信息互通)."""
    text = doc.text
    spans, pos = [], start
    for piece in text[start:end].split("、"):
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    if len(spans) >= 2:
        s, e = spans[-1]
        m = re.search(r"(和|及|与|以及)", text[s:e])
        if m and m.start() >= 2 and e - (s + m.end()) >= 2 and not _inside_quote(doc, s + m.start()):
            spans[-1:] = [(s, s + m.start()), (s + m.end(), e)]
    return spans


def _inside_quote(doc: Doc, pos: int) -> bool:
    return any(q.start < pos < q.end for q in doc.quotes)


def _pieced_lists(doc: Doc, whole: str, end: int) -> list[tuple[int, int]]:
    """For a whole made of counted pieces (三带三园), the lists written before it one clause per
    piece, each of as many items as its number and each item holding its word (优质林果带、高效蔬菜带、
    畜禽养殖带,现代农业园区、乳业园区、肉食加工园区“三带三园”): the spans of all items, else []."""
    text = doc.text
    pieces = _count_pieces(whole)
    if len(pieces) < 2:
        return []
    spans: list[tuple[int, int]] = []
    pos = end
    for piece in reversed(pieces):
        n, word = _NUMERALS.get(piece[0]), piece[1:]
        cs = pos
        while cs > 0 and text[cs - 1] not in CLAUSE_BREAKS:
            cs -= 1
        items = _split_list(doc, cs, pos)
        if len(items) != n:
            return []
        s0, e0 = items[0]
        k = text.find(word, s0, e0)
        first = text[s0:e0]
        # the first item starts after the verb or phrase that introduces the list (…规划建设的|优质林果带)
        cut = max(first.rfind("的") + 1, 0)
        items[0] = (s0 + cut, e0)
        if any(word not in text[s:e] or not 2 <= e - s <= 10 for s, e in items) or k < 0:
            return []
        spans = items + spans
        pos = cs - 1
        if pos < 0 or text[pos] not in ",，":
            if piece is not pieces[0]:
                return []
    return spans


def _parts_listed_before_count(doc: Doc) -> list[Part]:
    """A 、-list written right before a counted whole, quoted or not, with 等 between them or not:
    党务、政务、服务、商务“四务合一”; 协调会商、教育引导和信息互通等五大机制; 突出“三清两建”、乡贤返乡、
    乡村运营、集镇建设、“三变”改革五大抓手. Without 等 the number of items must be the count, with 等
    at most the count. Items of one or two characters are parts only where each holds the counted
    word (党务 of 四务合一); else, where the whole counts a noun (组织、人才…四大赋能工程), the item and
    that noun together (组织赋能) are the part where the text writes them so elsewhere."""
    text = doc.text
    parts = []
    for whole, ws, we, alias, modifies in _count_wholes_anywhere(doc):
        n_whole = count_of(whole)
        if not n_whole or n_whole < 2 or _counts_parties(whole):
            continue
        end = ws
        etc = text.startswith("等", end - 1)
        if etc:
            end -= 1
        pieced = _pieced_lists(doc, whole, end)
        if pieced:
            for s, e in pieced:
                name, aliases = _item(text, s, e)
                parts.append(Part(name, s, e, whole, ws, we, aliases=aliases))
            continue
        if modifies:
            continue
        cs = clause_start(text, end)
        seg = text[cs:end]
        if "、" not in seg and not re.search(r"[和及与]", seg):
            continue
        # a list that follows another whole in the clause starts after it (…等“五种服务模式”和A、B…)
        m = None
        for m in re.finditer(r"[”’](?:和|及|与|以及|,|，)", seg):
            pass
        if m is not None and "、" in seg[m.end():]:
            cs += m.end()
        spans = _split_list(doc, cs, end)
        n = len(spans)
        if n < 2 or (n != n_whole and not (etc and n < n_whole)) or n > 12:
            continue
        s0, e0 = spans[0]
        spans[0] = (s0 + _after_list_verb(text[s0:e0]), e0)
        items = [strip_quotes(text[s:e]) for s, e in spans]
        if any(not _balanced(text[s:e]) or any(ch in CLAUSE_BREAKS for ch in text[s:e]) for s, e in spans):
            continue
        if any(not 2 <= len(it) <= 16 or it.endswith(tuple("和及与的等并或")) for it in items):
            continue        # 宜居、宜业、宜养的“三宜”…目标: a description, not a list of names
        rest = [len(it) for it in items[1:]]
        if len(items[0]) > max(rest) + 3:
            continue        # the first item still holds the sentence's subject: no clean list
        if all(_PEOPLE_END.search(it) for it in items):
            continue
        in_one = re.fullmatch(r"[一二两三四五六七八九十]([\u4e00-\u9fff]{1,2}?)(?:合一|融合|一体)", strip_quotes(whole))
        words = [in_one.group(1)] if in_one else [w for _, w in _PIECE.findall(whole)]
        word = words[0] if len(words) == 1 and len(words[0]) == 1 else None
        holds = word is not None and all(word in it for it in items)
        if any(len(it) <= 2 for it in items) and not holds:
            noun = _count_head(whole)
            trig = next((w for w in _counted_head_words() if noun and noun.endswith(w) and len(noun) > len(w)), None)
            if trig is None:
                continue
            stem = noun[:-len(trig)]
            for it in items:
                for mm in re.finditer(re.escape(it + stem), text):
                    if not (ws <= mm.start() < we):
                        parts.append(Part(it + stem, mm.start(), mm.end(), whole, ws, we))
                        break
            # the whole is a program even where the text writes none of its parts out (三张清单)
            parts.append(Part(whole, ws, we, "", 0, 0, aliases={alias, text[spans[0][0]:we]}))
            continue
        for s, e in spans:
            name, aliases = _item(text, s, e)
            parts.append(Part(name, s, e, whole, ws, we, aliases=aliases))
    return parts


def _parts_of_quoted_list(doc: Doc) -> list[Part]:
    """A quoted list that is a program (深入实施“战区制、主官上、权下放”体制机制创新, 统筹“好房子、好小区、
    好社区、好城区”建设) has its items as parts where they are names of their own: the text names one
    of them again outside the list (实行战区制; 将“党群一张网”工作…), or every item opens with the
    same word (好房子, 好小区 …). Lists of slogans (“亮身份、作表率、建新功”) are neither and stay whole."""
    text = doc.text
    parts = []
    programs = {f.name: f for f in doc.quoted_programs if f.rule != "same-name"}
    for q in doc.name_quotes:
        plain = q.content.strip()
        if "、" not in plain or plain not in programs:
            continue
        items = plain.split("、")
        if not 2 <= len(items) <= 8 or any(not 2 <= len(strip_quotes(it)) <= 10 for it in items):
            continue
        if all(_PEOPLE_END.search(strip_quotes(it)) for it in items):
            continue
        # named again: quoted on its own, or a system name (…制) written again
        again = any(f"“{it}”" in text or (len(it) >= 3 and it.endswith("制") and text.count(it) > 1)
                    for it in items)
        same_start = len(items) >= 3 and len({it[0] for it in items}) == 1
        if not (again or same_start):
            continue
        f = programs[plain]
        pos = q.start + 1
        for it in items:
            parts.append(Part(strip_quotes(it), pos, pos + len(it), plain, f.start, f.end))
            pos += len(it) + 1
    return parts


def _heading_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of three or more paragraphs in a row that each open with a short heading sentence
    (4-20 characters, no comma, ending in 。: 建设环境友好场景。 建强小区管理“微队伍”。): the heading
    spans, marks excluded."""
    runs: list[list[tuple[int, int]]] = [[]]
    for ps, pe in _paragraphs(text):
        body = text[ps:pe]
        lead = len(body) - len(body.lstrip())
        m = re.match(r"([^。！？!?,，;；:：\n]{4,20})。", body[lead:])
        if m:
            runs[-1].append((ps + lead, ps + lead + m.end(1)))
        elif body.strip():
            runs.append([])
    return [r for r in runs if len(r) >= 3]


def _common_suffix(items: list[str]) -> str:
    out = ""
    for chars in zip(*(it[::-1] for it in items)):
        if len(set(chars)) != 1:
            break
        out = chars[0] + out
    return out


def _parts_parallel_headings(doc: Doc) -> list[Part]:
    """Parallel headings that name the pieces of one program, one paragraph each: headings that all
    end in the same word of two characters or more (建设环境友好场景。 打造服务友好场景。 营造协商友好
    场景。 → 环境友好场景, 服务友好场景 …: the word and the two characters before it), or that each
    hold one quoted name opening with the same character (建强小区管理“微队伍”。 优化红色物业“微服务”。).
    The whole is the program named in the article's first line with that word (我省加快新就业群体友好场景
    建设 → 新就业群体友好场景建设; 党建引领“微治理”); without one the pieces stand alone."""
    text = doc.text
    parts = []
    first_s, first_e = _paragraphs(text)[0] if text else (0, 0)
    for run in _heading_runs(text):
        heads = [text[s:e] for s, e in run]
        quotes = [[q for q in doc.name_quotes if s <= q.start and q.end <= e] for s, e in run]
        pieces: list[tuple[int, int]] = []
        whole = None
        if all(len(qs) == 1 for qs in quotes) and len({qs[0].plain[:1] for qs in quotes}) == 1:
            pieces = [(qs[0].start + 1, qs[0].end - 1) for qs in quotes]
            lead = quotes[0][0].plain[:1]
            whole = next(((q.start + 1, q.end - 1) for q in doc.name_quotes
                          if first_s <= q.start < first_e and q.plain.startswith(lead)
                          and q.plain not in {qs[0].plain for qs in quotes}), None)
        else:
            word = _common_suffix(heads)
            if len(word) < 2 or any(len(h) < len(word) + 3 for h in heads) or not is_han(word[0]):
                continue
            if any(word.endswith(t) for t, _, _ in _triggers()):
                continue        # 深入开展…过硬行动。…引领行动。: whole names, the trigger rules read them
            pieces = [(e - len(word) - 2, e) for s, e in run]
            if any(text[s - 1] == "的" for s, _ in pieces):
                continue        # 构建上下贯通的组织体系: described kinds, not names
            i = text.find(word, first_s, first_e)
            if i >= 0:
                ws, we = i, i + len(word)
                trig = _trigger_at(text, we)
                if trig:
                    we += len(trig[0])
                while True:
                    g = next((g for g in _group_words() if text.endswith(g, first_s, ws)), None)
                    if g is None:
                        break
                    ws -= len(g)
                if we > i + len(word) or ws < i:
                    whole = (ws, we)
        names = [strip_quotes(text[s:e]) for s, e in pieces]
        if len(set(names)) != len(names) or any(not 2 <= len(n) <= 12 for n in names):
            continue
        w_name = strip_quotes(text[whole[0]:whole[1]]) if whole else ""
        for (s, e), name in zip(pieces, names):
            parts.append(Part(name, s, e, w_name, whole[0] if whole else 0, whole[1] if whole else 0))
        if whole:
            parts.append(Part(w_name, whole[0], whole[1], "", 0, 0))
    return parts


def _parts_list_de_whole(doc: Doc) -> list[Part]:
    """A list of three or more parallel features that end alike, then 的 and a name ending in a
    trigger (打造管理网格化、功能模块化、信息网络化、运行一体化的社会治理“新模式”): the name is a program
    (社会治理新模式) and the features are its parts. The name must hold more than generic words."""
    text = doc.text
    parts = []
    _, generic = _not_programs()
    for m in re.finditer("的", text):
        after = text[m.end():m.end() + 14]
        t = re.match(r"([^,，。;；、：:的]{0,10}?)(“?)([^”,，。]{0,6}?)(模式|机制|体系|格局)(”?)", after)
        if not t:
            continue
        whole_plain = strip_quotes(t.group(0))
        body = whole_plain[:-len(t.group(4))]
        if len(body) < 2 or re.fullmatch(r"(工作|管理|治理|服务|新|长效|运行)+", body):
            continue
        cs = clause_start(text, m.start())
        spans = _split_list(doc, cs, m.start())
        if len(spans) < 3:
            continue
        s0, e0 = spans[0]
        spans[0] = (s0 + _after_list_verb(text[s0:e0]), e0)
        items = [text[s:e] for s, e in spans]
        if any(not 3 <= len(it) <= 8 or any(ch in QUOTE_MARKS for ch in it) for it in items):
            continue
        if len({it[-1] for it in items}) != 1 or len({len(it) for it in items}) != 1:
            continue        # parallel features end alike and are as long (管理网格化, 功能模块化 …)
        ws, we = m.end(), m.end() + len(t.group(0))
        for s, e in spans:
            parts.append(Part(text[s:e], s, e, whole_plain, ws, we))
    return parts


# ---------------------------------------------------------------------------- the finder

def find_programs(doc: Doc) -> list[Mention]:
    """Every program mention in an article's clean text (see the module docstring)."""
    text = doc.text
    found = (list(doc.quoted_programs) + _known_programs(doc) + _titled_programs(doc) + _frame_programs(text)
             + _circle_programs(doc) + _lever_programs(text))
    # enumeration items and wholes
    for p in doc.parts:
        if not any(f.start == p.start and f.end == p.end for f in found):
            kind = _kind_of_name(text[p.whole_start:p.whole_end] if p.whole else p.name)
            found.append(_Found(p.name, p.start, p.end, kind, set(p.aliases) | {text[p.start:p.end]}, "part"))
        same_quote = next((f for f in found if p.whole and f.start == p.whole_start and f.end < p.whole_end
                           and f.rule != "part"), None)
        if same_quote is not None:
            # “A、B、C、D”四大战略: the quoted list and its count are one program
            same_quote.aliases |= {p.whole, text[p.whole_start:p.whole_end]}
            same_quote.end = p.whole_end
        elif p.whole and not any(f.name == p.whole or (f.start == p.whole_start and f.end == p.whole_end)
                                 for f in found):
            found.append(_Found(p.whole, p.whole_start, p.whole_end, _kind_of_name(p.whole),
                                {text[p.whole_start:p.whole_end]}, "whole"))
    found += _known_part_programs(text, found)
    taken = [(f.start, f.end) for f in found]
    found += _unquoted_programs(doc, doc.segmenter, doc.tokens, taken)
    found += _short_mentions(text, found)
    return _to_mentions(doc, _dedupe(found))


def _known_part_programs(text: str, found: list[_Found]) -> list[_Found]:
    """The standard parts of a known program the article names (四下基层: 宣传政策, 调查研究, …), each
    where it stands in a 、-list that holds at least two of them (开展宣传政策、调查研究、信访接待…等工作);
    a part written alone is an ordinary phrase (加强调查研究), not the part."""
    out = []
    for whole in {f.name for f in found} & set(_known_parts()):
        hits = []
        for name, forms in _known_parts()[whole]:
            for m in _alternation(forms).finditer(text):
                if text[m.start() - 1:m.start()] in ("、", "和", "及", "与") \
                        or text[m.end():m.end() + 1] in ("、", "等", "和", "及", "与"):
                    hits.append((m.start(), m.end(), name))
        by_clause: dict[int, list[tuple[int, int, str]]] = {}
        for h in hits:
            by_clause.setdefault(clause_start(text, h[0]), []).append(h)
        for group in by_clause.values():
            if len({name for _, _, name in group}) < 2:
                continue
            for s, e, name in group:
                if not any(f.start <= s < f.end for f in found + out):
                    out.append(_Found(name, s, e, "activity", {text[s:e]}, "known-part"))
    return out


_SHORT_BEFORE = vocab.SHORT_BEFORE


def _short_mentions(text: str, found: list[_Found]) -> list[_Found]:
    """A program whose name is a generic word plus a trigger (党员积分管理) is mentioned again by its
    trigger alone after a verb (农村党员参与积分管理): that bare trigger is the same program."""
    _, generic = _not_programs()
    out = []
    for f in found:
        trig = next((t for t, _, where in _triggers() if where != "quoted" and f.name.endswith(t)), None)
        if trig is None or f.name[:-len(trig)] not in generic:
            continue
        for m in re.finditer(re.escape(trig), text):
            if m.start() >= f.end and text.endswith(_SHORT_BEFORE, 0, m.start()) \
                    and not any(o.start <= m.start() < o.end for o in found + out):
                out.append(_Found(f.name, m.start(), m.end(), f.kind, {trig}, "short"))
    return out


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One find per stretch: where two finds of the same name overlap, the longer stays
    (with both aliases); a known program, or a repeated quoted name, inside a longer program
    of another name goes (“四强” inside “四强”党支部)."""
    found = sorted(found, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for f in found:
        same = next((k for k in kept if k.name == f.name and k.start < f.end and f.start < k.end), None)
        if same is not None:
            same.aliases |= f.aliases
            if f.end - f.start > same.end - same.start:
                same.start, same.end = f.start, f.end
            continue
        if f.rule in ("known", "same-name") and any(k.start <= f.start and f.end <= k.end and k.name != f.name
                                                   and k.rule != f.rule for k in kept):
            continue
        kept.append(f)
    # crossing spans: keep the longer
    out: list[_Found] = []
    for f in sorted(kept, key=lambda f: -(f.end - f.start)):
        if any(o.start < f.start < o.end < f.end or f.start < o.start < f.end < o.end for o in out):
            continue
        out.append(f)
    return sorted(out, key=lambda f: (f.start, f.end))


def _to_mentions(doc: Doc, found: list[_Found]) -> list[Mention]:
    text, mentions = doc.text, []
    for f in found:
        aliases = {a for a in f.aliases | {strip_quotes(a) for a in f.aliases} if a and a != f.name}
        attrs = {"kind": f.kind, "aliases": aliases}
        date = _start_date(doc, f.start, f.end)
        if date:
            attrs["start_date"] = date
        mentions.append(Mention("Program", text[f.start:f.end], f.start, f.end, f.name, attrs))
    return mentions


def _start_date(doc: Doc, start: int, end: int) -> StartDate | None:
    """When the program at [start, end) began, where its sentence says so (kg.dates.program_start:
    于2024年12月正式推行 → 2024-12, 去年启动 → the article's year less one)."""
    s, e = doc.sentence_bounds(start)
    return program_start(doc.text, s, e, (start, end), doc.article.issued)


# ---------------------------------------------------------------------------- relations

def _index_of(programs: list[Mention], name: str, start: int, end: int) -> int | None:
    """The program mention for a name at a span: the same span, else an overlapping one of
    that name, else the nearest one of that name."""
    best, best_d = None, None
    for k, m in enumerate(programs):
        if m.start == start and m.end == end:
            return k
    for k, m in enumerate(programs):
        names = {m.name, m.surface, strip_quotes(m.surface)} | set(m.attrs.get("aliases", ()))
        if name not in names and strip_quotes(name) not in names:
            continue
        if m.start < end and start < m.end:
            return k
        d = abs(m.start - start)
        if best_d is None or d < best_d:
            best, best_d = k, d
    return best


def program_parts(doc: Doc, programs: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(part, whole) pairs of the program mentions: enumerations with a counting whole,
    parallel headings and clauses after a counted whole, items named by a counted head,
    campaigns under a heading campaign (`_parts_under_heading`), names that extend an
    earlier quoted name (我的返乡走亲故事 → 返乡走亲), items listed right after a series
    (“书香机关 悦读赋能”系列活动 … “读书分享”“读书演讲”等), and a mechanism built in the clause
    after a model (`_parts_built_next`). programs: the article's program mentions."""
    text = doc.text
    pairs: list[tuple[int, int]] = []
    for p in doc.parts:
        if not p.whole:
            continue
        part = _index_of(programs, p.name, p.start, p.end)
        whole = _index_of(programs, p.whole, p.whole_start, p.whole_end)
        if part is not None and whole is not None and part != whole:
            pairs.append((part, whole))
    pairs += _parts_of_known(programs)
    pairs += _parts_in_piece_paragraph(doc, programs, pairs)
    pairs += _parts_under_heading(text, programs)
    pairs += _parts_by_name(doc, programs)
    pairs += _parts_of_series(doc, programs)
    pairs += _parts_built_next(text, programs)
    seen, out = set(), []
    for a, b in pairs:
        key = (programs[a].name, programs[b].name)
        if key not in seen and programs[a].name != programs[b].name:
            seen.add(key)
            out.append((programs[a], programs[b]))
    return out


def _parts_in_piece_paragraph(doc: Doc, programs: list[Mention], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece of a program that heads its own paragraph (组织赋能,凝聚党建合力。…; 打造服务友好场景。…)
    has as parts the programs that paragraph then names, unless they are parts of something else
    already (有统一标识 … of “五有标准”, which is itself the part)."""
    text = doc.text
    out = []
    is_part = {a for a, _ in pairs}
    paragraphs = _paragraphs(text)
    for p in doc.parts:
        if not p.whole:
            continue
        par = next(((ps, pe) for ps, pe in paragraphs if ps <= p.start < pe), None)
        if par is None or text[par[0]:p.start].strip(" \t\u3000") not in OUTER_VERBS + _HEADING_VERBS + ("",):
            continue        # the piece must open its paragraph (after at most its verb)
        piece = _index_of(programs, p.name, p.start, p.end)
        if piece is None:
            continue
        for k, m in enumerate(programs):
            if k != piece and k not in is_part and par[0] <= m.start < par[1] and m.start >= p.end:
                out.append((k, piece))
    return out


# Verbs that open a heading whose object is a piece of a program (建设环境友好场景。, 营造协商友好场景。)
_HEADING_VERBS = vocab.HEADING


def _parts_of_known(programs: list[Mention]) -> list[tuple[int, int]]:
    """A standard part of a known program (kg/lexicon/known_programs.tsv, parts) found in the
    article is a part of that program when the article names it too."""
    pairs = []
    for j, w in enumerate(programs):
        names = {name for name, _ in _known_parts().get(w.name, ())}
        pairs.extend((k, j) for k, p in enumerate(programs) if p.name in names)
    return pairs


_BUILD_NEXT = re.compile(f"[,，](?:{alternation(vocab.BUILD_NEXT)})")


def _parts_built_next(text: str, programs: list[Mention]) -> list[tuple[int, int]]:
    """A model or work method a verb introduces (推行“红色物业”模式), whose next clause builds a
    mechanism or system (,建立社区党委、业主委员会、物业企业“三方联动”机制): that mechanism is how
    the model works, a part of it."""
    pairs = []
    for j, w in enumerate(programs):
        if w.attrs.get("kind") != "model" or not _verb_before(text, w.start, QUOTE_VERBS + ("推广",)):
            continue
        m = _BUILD_NEXT.match(text, w.end)
        if not m:
            continue
        end = m.end()
        while end < len(text) and text[end] not in CLAUSE_BREAKS:
            end += 1
        inner = [k for k, p in enumerate(programs) if m.end() <= p.start and p.end <= end
                 and p.attrs.get("kind") in ("mechanism", "system", "model")]
        if inner:
            pairs.append((min(inner, key=lambda k: programs[k].start), j))
    return pairs


def _parts_under_heading(text: str, programs: list[Mention]) -> list[tuple[int, int]]:
    """A paragraph that opens with a sentence that only names a campaign (深入开展城市基层党建
    示范引领行动。) has as parts the campaigns the paragraph then carries out with a verb of its
    own (积极开展…专项行动, 持续推进“消薄强村”行动), not those it only ties in (结合推进…)."""
    pairs = []
    for ps, pe in _paragraphs(text):
        m = re.match(r"(?:深入|持续|扎实|全面|大力|积极)?(?:开展|实施|推进|深化)([^。,，]{4,24}?(?:行动|工程))。",
                     text[ps:pe])
        if not m:
            continue
        ws, we = ps + m.start(1), ps + m.end(1)
        whole = _index_of(programs, m.group(1), ws, we)
        if whole is None:
            continue
        for k, p in enumerate(programs):
            if not (ps + m.end() <= p.start < pe) or p.attrs.get("kind") != "campaign":
                continue
            before = text[max(ps, p.start - 6):p.start]
            if re.search(r"(开展|推进|实施|深化)$", before) and "结合" not in before:
                pairs.append((k, whole))
    return pairs


def _parts_by_name(doc: Doc, programs: list[Mention]) -> list[tuple[int, int]]:
    """A quoted program whose name holds an earlier quoted program's whole name and more
    (“我的返乡走亲故事” after “返乡走亲”, “文旅+乡村旅游” after “文旅+”), or shares a ·-part of
    four characters or more with one earlier in the same sentence (“三级工委聚合·党建引领强省会”
    座谈会 after “强省会·三级工委聚合”活动), is a part of it."""
    pairs = []
    for k, p in enumerate(programs):
        if not p.surface.startswith(OPEN_MARKS):
            continue
        pn = strip_quotes(p.name)
        for j, w in enumerate(programs):
            if j == k or w.start >= p.start or not w.surface.startswith(OPEN_MARKS):
                continue
            wn = strip_quotes(w.name)
            if wn == pn:
                continue
            if len(wn) >= 3 and wn in pn:
                pairs.append((k, j))
                break
            shared = {c for c in re.split(r"[·\s]", wn) if len(c) >= 4} & set(re.split(r"[·\s]", pn))
            if shared and doc.sentence_bounds(w.start) == doc.sentence_bounds(p.start):
                pairs.append((k, j))
                break
    return pairs


def _parts_of_series(doc: Doc, programs: list[Mention]) -> list[tuple[int, int]]:
    """“X”系列活动 followed in the same sentence by a chain of quoted activities ending in 等:
    the activities are parts of the series."""
    text = doc.text
    pairs = []
    for j, w in enumerate(programs):
        if "系列活动" not in w.surface:
            continue
        s, e = doc.sentence_bounds(w.end)
        for chain in _chains(tuple(q for q in doc.name_quotes if w.end < q.start < e), text):
            if text.startswith("等", chain[-1].end):
                for q in chain:
                    k = _index_of(programs, q.plain, q.start, q.end)
                    if k is not None:
                        pairs.append((k, j))
                break
    return pairs


_QUANTITY = f"(?:了)?(?:{alternation(vocab.QUANTITY)}|" + r"[\d.]+[万余多]*(?:名|户|位|人|个)?)?"
# A word that ties a group to the program before it: …活动,为新就业群体…; …给货车司机…
_LINK_AFTER = re.compile(f"({alternation(vocab.LINK_AFTER)})" + _QUANTITY + "$")
# A group that opens the clause right after the program is who carries it out or takes part:
# 推行“党员联户”机制,全县1.6万余名农村党员联系群众…; 建立“双向报到”机制,党员骑手既到…;
# …机制,每名农村党员联系10至15户群众
_SUBJECT_AFTER = re.compile(r"[,，](?:全" + char_class(vocab.WHOLE_LEVELS) + r"|各地|目前)?(?:每名|每位|每个)?"
                            + _QUANTITY + "$")
# …unless it only modifies a noun there (…,新就业群体党组织覆盖率…).
_GROUP_AS_MODIFIER = re.compile(f"(?:{alternation(vocab.GROUP_MODIFIER)})")
# Words before a group that make it the target of the program after it in the sentence.
_LINK_BEFORE = re.compile(f"(针对|为(?:进一步)?(?:{alternation(vocab.LINK_BEFORE)}))" + r"[^,，。;；]{0,12}$")
_LEAD_BEFORE = re.compile(f"({alternation(vocab.LEAD_BEFORE)})" + _QUANTITY + "$")


def program_targets(doc: Doc, programs: list[Mention], groups: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(program, group) pairs of the mentions, where the text ties them:
    - the group is named inside the program's name (服务引领货车司机建功, “一村一名大学生村干部”计划),
      unless the name is a formula or list whose members the group is one of (but the last member
      of a + formula is whom it serves: 党支部+合作社+茶农);
    - the group is written right before the program (年轻干部“五个一百”培养提升计划), or takes
      part in it (农村党员参与积分管理);
    - a linking word right before the group ties it to the nearest program before it in the
      sentence (…“十个一”暖心聚“新”活动,为新就业群体…; “线上+线下”相结合的方式给货车司机…);
    - the group opens the clause right after the program (推行“党员联户”机制,全县1.6万余名农村党员…);
    - the sentence names the group first with 针对/为提高… (针对新兴领域党员…,建立“三个课堂”学习制度)
      or as the object of 组织/引导 in the clause of the program (组织机关党员干部围绕“…”开展专题研讨);
    - groups listed right after a tied one share its program (…和), and in 「A、B、C等X」 a program
      of the sentence tied to X also serves A, B and C.
    programs, groups: the article's program and target group mentions."""
    text = doc.text
    pairs: set[tuple[int, int]] = set()
    for k, p in enumerate(programs):
        formula = "+" in p.name or "、" in p.name
        for g_i, g in enumerate(groups):
            if p.start <= g.start and g.end <= p.end and (not formula or _ends_formula(text, p, g)):
                pairs.add((k, g_i))
            elif 0 <= p.start - g.end <= 1 and text[g.end:p.start] not in CLAUSE_BREAKS | {"、"}:
                pairs.add((k, g_i))
    for g_i, g in enumerate(groups):
        s, e = doc.sentence_bounds(g.start)
        before = [k for k, p in enumerate(programs) if s <= p.start and p.end <= g.start]
        if before:
            k = max(before, key=lambda k: programs[k].end)
            between = text[programs[k].end:g.start]
            if len(between) <= 50 and _LINK_AFTER.search(between) and not re.search(r"[“‘\"《]", between):
                pairs.add((k, g_i))
            elif _SUBJECT_AFTER.fullmatch(between) and not _GROUP_AS_MODIFIER.match(text, g.end):
                pairs.add((k, g_i))
        after = [k for k, p in enumerate(programs) if g.end <= p.start and p.end <= e]
        if after:
            k = min(after, key=lambda k: programs[k].start)
            lead = text[s:g.start]
            same_clause = not re.search(r"[,，;；。]", text[g.end:programs[k].start])
            if _LINK_BEFORE.search(lead) or (_LEAD_BEFORE.search(lead) and same_clause):
                pairs.add((k, g_i))
    pairs |= _joiners(text, programs, groups)
    # a group listed right after a tied one shares its program (与2056名孤儿、971名困难重度残疾人和…)
    order = sorted(range(len(groups)), key=lambda i: groups[i].start)
    for a, b in zip(order, order[1:]):
        if re.fullmatch("(?:[、和及与]|等)" + _QUANTITY, text[groups[a].end:groups[b].start]):
            for k, g_i in list(pairs):
                if g_i == a and not (programs[k].start <= groups[a].start < programs[k].end):
                    pairs.add((k, b))
    # 快递员、外卖骑手、网约车司机等新就业群体: a program of X's sentence tied to X serves A, B, C too
    for x, items in _etc_lists(text, groups):
        s, e = doc.sentence_bounds(groups[x].start)
        for k, g_i in list(pairs):
            if groups[g_i].name == groups[x].name and s <= programs[k].start < e:
                pairs.update((k, a) for a in items)
    return [(programs[k], groups[g_i]) for k, g_i in sorted(pairs)]


def _joiners(text: str, programs: list[Mention], groups: list[Mention]) -> set[tuple[int, int]]:
    """A program right after 参加/参与 has as target the group nearest before it in the clause,
    who takes part (快递员王某每周到“X之家”参加“Y”课程)."""
    pairs = set()
    for k, p in enumerate(programs):
        if not text.endswith(("参加", "参与"), 0, p.start):
            continue
        cs = clause_start(text, p.start)
        before = [g_i for g_i, g in enumerate(groups) if cs <= g.start and g.end <= p.start - 2]
        if before:
            pairs.add((k, max(before, key=lambda g_i: groups[g_i].end)))
    return pairs


def _ends_formula(text: str, p: Mention, g: Mention) -> bool:
    """A group that is the last member of a + formula (党支部+合作社+茶农) is whom the chain serves."""
    inner = strip_quotes(text[p.start:g.end])
    return "+" in inner and strip_quotes(p.name).endswith("+" + strip_quotes(g.surface))


def _etc_lists(text: str, groups: list[Mention]) -> list[tuple[int, list[int]]]:
    """(X, [A, B, C]) index pairs into `groups` for every 「A、B、C等X」 written in the text."""
    order = sorted(range(len(groups)), key=lambda i: groups[i].start)
    out = []
    for pos in range(1, len(order)):
        if text[groups[order[pos - 1]].end:groups[order[pos]].start] != "等":
            continue
        k = pos - 1
        while k > 0 and text[groups[order[k - 1]].end:groups[order[k]].start] in ("、", "和", "及", "与"):
            k -= 1
        out.append((order[pos], order[k:pos]))
    return out
