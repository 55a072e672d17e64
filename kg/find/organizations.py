"""Organizations named in an article, with their full canonical names.

    find_organizations(doc) → Organization mentions (doc: kg.doc.Doc, with the divisions found)

A name is read the way a reader of the article reads it: an abbreviation takes the
place the article is about (市委组织部 in an article about 兰州 → 兰州市委组织部), a
short form takes the full name written earlier (鑫海工贸党支部 → the party branch of
甘肃鑫海工贸有限责任公司), an enumeration gives one organization per item
(市互联网、律师、物业管理等行业党委 → three industry party committees).

The rules, each a function below, run in this order over the clean text:

1. national bodies and nationwide companies from a lexicon (党中央, 国家民政部, 美团);
2. abbreviations from a lexicon (省法院 → 甘肃省高级人民法院, 省文联, 省纪委监委);
3. party committees: a division or a level word followed by 委 (兰州市委, 区委, 省委);
4. names ending in a suffix (kg/lexicon/org_suffixes.tsv), read leftwards from the suffix
   to the name's left edge: an organization written just before (its parent: 省法院|老干部
   第二党支部), a division (崇信县|交通运输行业党委), a level word (市|城投公司), 全国, a
   quoted name (“银发生辉”|志愿服务队), or the first word that cannot be inside a name
   (a verb, a preposition, punctuation …); a name made of generic words only (流动党员党支部,
   行业党委, 所在社区党支部) or counted (党支部68个) is no organization.
   Also: a team a unit sends to a village (…局驻…村驻村帮扶工作队), bare 驻村工作队 / 村委会 /
   村 level words completed by the village at hand or the article's own village, a quoted whole
   name (“第一书记联盟”), a site's branch (…种植基地党支部) and a 党建联盟 of the sentence's
   place, X级 for the division of that level (区级产业联盟党委), a place before a nationwide bank
   (大连工商银行 → 中国工商银行大连分行); a kind counted before it (4个产业联合党委) is none;
5. enumerations (市互联网、律师…等行业党委; 市、县“两新”工委; “先锋骑手”“红色管家”等党员志愿
   服务队; 深化改革委员会、财经委员会等25个党委议事决策机构; 区纪委、组织部、民政局 → the
   district's; 村舞狮队、船灯队及山歌队 → the village's);
6. a bare party kind in a chain of posts (…公司董事长、党支部书记 → the company's party
   branch; …社会工作部部长、“两新”工委书记 → the same committee's 工委; …社区党委书记、居委会
   主任 → the community's 居委会; 集团党委委员、纪委书记、工会主席 → the company's 纪委 and
   工会), and a company founding its branch (…有限公司成立党支部, …公司自成立党支部以来);
7. a second name in brackets (安宁区委党校(行政学院));
8. a company's short form written on its own later (在瑞岭物业 → 兰州新区城投集团瑞岭物业公司);
then the organizations of the article are merged (short forms, forms with and without the
place, quoted names of volunteer teams), and each gets its parent (subOrganizationOf: the
organization its name is built on, a team's founder, a school's 学区, a site's branch the
village's party organization, a community's party organization its street's) and the division it
sits in (locatedIn: the division in its name, or a lower one the text states: …位于X镇,
X村的…, X村党支部领办的…, a company in a paragraph set 在X村; else the place of the sentence; a party
organization of a company sits where the company does; units of a body have none).

Word boundaries and parts of speech come from the Segmenter (jieba's dictionary and its POS
tags).

Conventions for canonical names: provincial party bodies take the prefix 中共 (中共甘肃省委,
中共甘肃省委组织部), lower ones are named as the press writes them (兰州市委组织部), the
other form being an alias; an organization of a division starts with the division it
belongs to, the chain written before it being an alias (天水市麦积区委组织部 → 麦积区委组织部);
companies keep their registered name as written first (甘肃鑫海工贸有限责任公司).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from .. import vocab
from ..doc import Doc
from ..lexicon import load
from ..model import Mention
from ..segment import Segmenter, Token
from ..vocab import alternation
from . import first_occurrences, occurrences


# ---------------------------------------------------------------------------- constants

# Level words: a division of the article meant by its level alone (市委, 区民政局, 村“两委”).
LEVEL_WORDS = vocab.longest_first(vocab.LEVEL_WORDS)
# Levels whose party committee is written 〈division〉委 (兰州市委, 金川区委, 省委).
COMMITTEE_LEVELS = vocab.COMMITTEE_LEVELS
# 委 starting a word, not the party committee: 委托, 委员, 委派 …
_NOT_COMMITTEE_AFTER = vocab.NOT_COMMITTEE_AFTER
# Words before a level word that make it no abbreviation of the article's division (各市委 …).
_PLURAL_BEFORE = vocab.PLURAL_BEFORE + tuple("两三四五六七八九十")   # and numerals
NATIONAL_PREFIXES = vocab.NATIONAL_PREFIX
# Characters that, first in a word jieba's HMM made up, show the word is no name (向省, 这是).
_FUNCTION_CHARS = set(vocab.ORG_FUNCTION)
CLOSE_QUOTES = {"”": "“", "’": "‘", "\"": "\"", "」": "「", "』": "『"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_END = set("，。；！？!?;：:、\n()（）《》…—")
_LEAD = re.compile(rf"(?:[“\"]?(?:{alternation(vocab.ORG_LEAD)}"
                   r"|[0-9]{4}年(?:[0-9]{1,2}月)?(?:以来|起)?|[0-9一二三四五六七八九十]+年来|近[一二三四五]年来?)"
                   r"[,，、]?)*")
_COUNT_AFTER = re.compile(r"^[0-9０-９一二三四五六七八九十百千万两.]+[余多]?[个支家所名处座]")
_ORDINAL = re.compile(r"^第[0-9一二三四五六七八九十]+$")
_MAX_BODY = 14

# POS tags of jieba that may stand inside a name (nouns, names, abbreviations, 区别词,
# verbal nouns, unknown words found by the HMM); everything else ends a name.
_NAME_TAGS = ("n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "ng", "j", "b", "vn", "an", "s", "eng", "x", "g")
# Verbs that are part of organization names (industry words), not actions before a name.
_NAME_VERBS = frozenset(vocab.ORG_NAME_VERB)
# Words that never stand inside a name although jieba may tag them as nouns: determiners,
# scopes and generic heads (所在社区党支部, 全市各级党组织).
_STOP_WORDS = frozenset(vocab.ORG_STOP)
# Words that name no particular organization: a name made of them only is generic.
_GENERIC = frozenset(vocab.ORG_GENERIC)
# Sub-units that belong to the organization written before them (省法院|党组).
_PARTY_KINDS = vocab.PARTY_KINDS
# Bare suffixes that, standing alone, name the article's one organization of that kind again
# (工委 → 省委直属机关工委, 集团公司 → 酒钢集团公司).
_BACKREF = vocab.BACKREF
# Bare suffixes that name the article's one organization of that kind again only when they open
# a clause (…专业合作社正在收购春茶。合作社采取…模式); elsewhere they are a kind (领办合作社,
# “党支部+合作社+农户”).
_CLAUSE_BACKREF = vocab.CLAUSE_BACKREF
# A bare company word before a party kind names the company written last again (公司党支部,
# 该企业党委 → the branch of …有限公司 named before).
_COMPANY_WORDS = vocab.COMPANY_WORD
_COMPANY_PARTY_KINDS = vocab.COMPANY_PARTY_KINDS


# ---------------------------------------------------------------------------- lexicons

@dataclass(frozen=True)
class Suffix:
    text: str
    kind: str
    party: bool
    cls: str
    anchors: frozenset
    full: str


@dataclass(frozen=True)
class National:
    name: str
    aliases: tuple
    kind: str
    party: bool
    cls: str


@lru_cache(maxsize=1)
def suffixes() -> dict[str, Suffix]:
    """kg/lexicon/org_suffixes.tsv by suffix."""
    out = {}
    for row in load("org_suffixes"):
        s = row["suffix"]
        out[s] = Suffix(s, row["kind"], row["party"] == "1", row["class"],
                        frozenset(row["anchor"].split("|")), row.get("full", ""))
    return out


@lru_cache(maxsize=1)
def _suffixes_longest_first() -> tuple[str, ...]:
    """The suffixes of kg/lexicon/org_suffixes.tsv, longest first (the longest written wins)."""
    return tuple(sorted(suffixes(), key=len, reverse=True))


@lru_cache(maxsize=1)
def abbreviations() -> tuple[dict, ...]:
    """kg/lexicon/org_abbreviations.tsv, longest abbreviation first."""
    rows = [dict(r) for r in load("org_abbreviations")]
    return tuple(sorted(rows, key=lambda r: -len(r["abbreviation"])))


@lru_cache(maxsize=1)
def national_orgs() -> tuple[National, ...]:
    return tuple(National(r["name"], tuple(a for a in r["aliases"].split("|") if a), r["kind"],
                          r["party"] == "1", r["class"]) for r in load("national_orgs"))


@lru_cache(maxsize=1)
def _automata():
    """Aho-Corasick automata: org suffixes, national names and aliases, literal abbreviations."""
    suf = ahocorasick.Automaton()
    for s in suffixes():
        suf.add_word(s, s)
    suf.make_automaton()
    nat = ahocorasick.Automaton()
    for n in national_orgs():
        for form in (n.name, *n.aliases):
            nat.add_word(form, (form, n))
    nat.make_automaton()
    abbr = ahocorasick.Automaton()
    for row in abbreviations():
        a = row["abbreviation"]
        key = a.replace("{D}", "")
        if key:
            abbr.add_word(key, key)
    abbr.make_automaton()
    return suf, nat, abbr


@lru_cache(maxsize=1)
def _post_titles() -> tuple[str, ...]:
    try:
        return tuple(sorted({r["title"] for r in load("post_titles")}, key=len, reverse=True))
    except FileNotFoundError:
        return ()


@lru_cache(maxsize=1)
def _post_title_at() -> re.Pattern:
    """A pattern of the post titles, longest first: .match(text, p) is the title written at p
    (what `next(t for t in _post_titles() if text.startswith(t, p))` finds, in one step)."""
    return re.compile(alternation(_post_titles()) or "(?!)")


@lru_cache(maxsize=1)
def _suffix_at() -> re.Pattern:
    """A pattern of the organization suffixes (suffixes()): .match(text, p) when one is written at p."""
    return re.compile(alternation(suffixes()) or "(?!)")


def _tagger(seg: Segmenter):
    """(word → POS tag, word → frequency) of the segmenter's jieba dictionary."""
    return seg.pos_tags, seg.freq


# ---------------------------------------------------------------------------- data

@dataclass(eq=False)
class Org:
    """One occurrence of an organization, with what is known of it."""
    start: int
    end: int
    name: str
    surface: str
    kind: str
    party: bool
    cls: str
    rule: str
    aliases: set = field(default_factory=set)
    parent: "Org | None" = None
    parent_name: str | None = None      # a parent not written as an organization (兰州市委)
    division: str | None = None         # the division written in (or put into) the name
    division_level: int = 9
    anchor: str = ""                    # div | level | org | national | quoted | plain | lexicon
    body: str = ""                      # the words between the anchor and the suffix
    suffix: str = ""
    nested: bool = False                # written only inside a longer name
    state_owned: bool = False
    located_in: str | None = None
    canonical: "Org | None" = None      # after merging: the org this one is a form of
    tail: str | None = None             # the name is parent's name + tail (省法院|老干部第二党支部)

    def root(self) -> "Org":
        o = self
        while o.canonical is not None:
            o = o.canonical
        return o


_LEVEL_RANK = vocab.LEVEL_RANK


def level_of(name: str, focus: list[str] | None = None) -> str:
    """The level word of a division's name: 甘肃省 → 省, 金川区 → 区, 三天门社区 → 社区."""
    if focus and name == focus[0] and name.endswith("市"):
        return "省"                                  # 北京市: a province-level municipality
    for suffix in ("自治区", "社区", "街道", "苏木", "嘎查", "地区", "省", "市", "州", "盟", "县", "区",
                   "旗", "乡", "镇", "村"):
        if name.endswith(suffix):
            return "省" if suffix == "自治区" else suffix
    return ""


def division_stems(name: str) -> list[str]:
    """Short forms a division's committee is written with: 临夏 for 临夏回族自治州, 兰州 for
    兰州市 (the name without its level; for autonomous units, its first two to four characters)."""
    if "自治" in name:
        head = name[:name.index("自治")]
        return [head[:n] for n in range(2, min(len(head), 4) + 1)]
    m = re.match(r"(.{2,})(?:省|市|州|盟|县|区|旗|地区)$", name)
    return [m.group(1)] if m else []


# ---------------------------------------------------------------------------- context

class _Context:
    """The article: text, tokens with tags, divisions, and the organizations found so far."""

    def __init__(self, doc: Doc):
        """doc: the article, with its division mentions found (its AdministrativeUnit mentions)."""
        self.doc = doc
        text = doc.text
        self.text = text
        self.focus = [d.name for d in doc.focus]
        places = doc.found("AdministrativeUnit")
        self.tags, self.freq = _tagger(doc.segmenter)
        self.tokens: list[Token] = doc.tokens
        self.tok_end = doc.token_before
        self.tok_start = doc.token_at
        self.places = sorted((p for p in places if p.name), key=lambda m: (m.start, -m.end))
        self.div_end: dict[int, Mention] = {}
        self.div_start: dict[int, Mention] = {}
        for m in self.places:
            old = self.div_end.get(m.end)
            if old is None or m.end - m.start > old.end - old.start:
                self.div_end[m.end] = m
            old = self.div_start.get(m.start)
            if old is None or m.end - m.start > old.end - old.start:
                self.div_start[m.start] = m
        self.orgs: list[Org] = []
        self.org_end: dict[int, Org] = {}
        self._starts = [t.start for t in self.tokens]
        self._stems: list[str] | None = None
        # the divisions of each level, in order of their ends (for division_for)
        self.level_ends: dict[str, tuple[list[int], list[Mention]]] = {}
        for m in sorted(self.places, key=lambda m: m.end):
            ends, ms = self.level_ends.setdefault(level_of(m.name, self.focus), ([], []))
            ends.append(m.end)
            ms.append(m)
        self.place_forms = sorted({f for m in self.places for f in (m.name, m.surface) if f},
                                  key=lambda f: (-len(f), f))
        self.cores: dict[str, str] = {}
        self.short_forms: dict[tuple, set] = {}

    # -- orgs
    def add(self, org: Org) -> Org:
        self.orgs.append(org)
        old = self.org_end.get(org.end)
        if old is None or org.start < old.start:
            self.org_end[org.end] = org
        return org

    def inside_org(self, start: int, end: int) -> Org | None:
        for o in self.orgs:
            if o.start <= start and end <= o.end and (o.start, o.end) != (start, end):
                return o
        return None

    # -- sentences
    def sentence_of(self, pos: int) -> tuple[int, int]:
        return self.doc.sentence_bounds(pos)

    def in_book_title(self, pos: int) -> bool:
        """True inside 《…》 (a document's title, not a mention of an organization)."""
        left = self.text.rfind("《", max(0, pos - 60), pos)
        return left >= 0 and self.text.find("》", left, pos) < 0

    # -- divisions
    def division_for(self, level: str, pos: int) -> str | None:
        """The division that a level word (省, 市, 县 …) at `pos` stands for, or None.

        省 is the focus province; 市/州/盟 the focus city (else the nearest written before);
        县/区/旗 the nearest written before, else the focus county; 乡/镇/街道 the nearest
        written before, else the focus; 村/社区 only one written in the same or the previous
        sentence (a village is never the article's focus by default)."""
        focus_match = [f for f in self.focus if level_of(f, self.focus) == level]
        ends, ms = self.level_ends.get(level, ([], []))
        i = bisect.bisect_right(ends, pos)
        last = ms[i - 1] if i else None        # the nearest division of that level written before
        if level in ("省", "市", "州", "盟"):
            if focus_match:
                return focus_match[0] if level == "省" else focus_match[-1]
            if last is None and level == "市" and self.focus and self.focus[0].endswith("市"):
                return self.focus[0]    # 市总工会 in an article about 上海: the municipality's
            return last.name if last else None
        if level in ("县", "区", "旗"):
            par = self.text.rfind("\n", 0, pos)
            if last is not None and last.start > par:
                return last.name
            if focus_match:
                return focus_match[-1]
            return last.name if last else None
        if level in ("乡", "镇", "街道"):
            if last is not None:
                return last.name
            return focus_match[-1] if focus_match else None
        # 村 / 社区: the same or the previous sentence, else the article's own village
        s0, _ = self.sentence_of(pos)
        prev0, _ = self.sentence_of(max(0, s0 - 2))
        if last is not None and last.start >= prev0:
            return last.name
        return focus_match[-1] if focus_match and focus_match[-1] == self.focus[-1] else None

    def subject_division(self, pos: int, after_zai: bool = False) -> str | None:
        """The division the sentence at `pos` opens with (after 近年来, 同时 …), else the one
        its paragraph's first sentence opens with: the place the sentence is about; the
        innermost of a written chain. after_zai: only one written right after 在
        (在清江镇桃源村的车间里, …)."""
        s0, _ = self.sentence_of(pos)
        par = self.text.rfind("\n", 0, pos) + 1
        for begin in (s0, par):
            lead = _LEAD.match(self.text, begin)
            at = lead.end() if lead else begin
            if after_zai:
                div = self.div_start.get(at + 1) if self.text[at:at + 1] == "在" else None
            else:
                div = self.div_start.get(at) or self.div_start.get(at + 1)
            if div is not None:
                return self.chain_end(div).name
        return None

    def first_division_in_sentence(self, pos: int, before_only: bool = True) -> Mention | None:
        s0, s1 = self.sentence_of(pos)
        for m in self.places:
            if s0 <= m.start < (pos if before_only else s1):
                return m
        return None

    def chain_start(self, div: Mention) -> tuple[int, list[Mention]]:
        """The start of a written chain of divisions ending with `div` (天水市麦积区)."""
        chain = [div]
        while chain[0].start in self.div_end and self.div_end[chain[0].start] is not chain[0]:
            chain.insert(0, self.div_end[chain[0].start])
        return chain[0].start, chain

    def chain_end(self, div: Mention) -> Mention:
        """The innermost division of the written chain that starts with `div` (天水市|麦积区 → 麦积区)."""
        while div.end in self.div_start:
            div = self.div_start[div.end]
        return div

    # -- tokens
    def token_ending_at(self, p: int, floor: int) -> tuple[str, str, int] | None:
        """(word, tag, start) of the token that ends at p (a token crossing p is split)."""
        t = self.tok_end.get(p)
        if t is None:
            for tk in self.tokens_around(p):
                if tk.start < p < tk.end:
                    start = max(tk.start, floor)
                    w = self.text[start:p]
                    return w, self.tags.get(w, "x"), start
            return None
        start = max(t.start, floor)
        w = self.text[start:p]
        if len(w) >= 2 and w not in self.tags and (w[0] in _FUNCTION_CHARS or w[0] in LEVEL_WORDS):
            # an unknown word the HMM glued to a preposition or a level word (向省, 市城):
            # read it character by character
            return w[-1], self.tags.get(w[-1], "x"), p - 1
        return w, self.tags.get(w, "x"), start

    def tokens_around(self, p: int):
        i = bisect.bisect_right(self._starts, p) - 1
        return self.tokens[max(0, i - 1): i + 2]

    def stem_across(self, p: int) -> int | None:
        """The start of a division's stem of the article written across position p (上|杨 in
        成立上杨生态旅游开发有限责任公司, where the article names 上杨乡), or None."""
        if self._stems is None:
            stems = set()
            for m in self.places:
                stem = re.sub(r"(自治区|社区|街道|省|市|县|区|旗|乡|镇|村)$", "", m.name)
                if len(stem) >= 2:
                    stems.add(stem)
            self._stems = sorted(stems, key=lambda st: (-len(st), st))
        for stem in self._stems:
            for k in range(1, len(stem)):
                if self.text.startswith(stem, p - k):
                    return p - k
        return None

    def starts_token(self, p: int) -> bool:
        """True if a word starts at p (also after a preposition the HMM glued on: 向|省法院)."""
        if p in self.tok_start or p == 0:
            return True
        t = self.tok_start.get(p - 1)
        return t is not None and t.end > p and t.word not in self.tags and t.word[0] in _FUNCTION_CHARS

    def glued_after(self, end: int) -> bool:
        """True if the name cannot end at `end` because a word goes on across it (公司法,
        服务队伍, 民政部门, 中小学校): no token of the article starts there, and no post
        title or suffix does (党委书记 may be one token)."""
        text = self.text
        if end >= len(text) or not _CJK.match(text[end]):
            return False
        if text[end] == "化":
            return True                 # 公司化, 集团化
        if end in self.tok_start:
            return False
        if _post_title_at().match(text, end):
            return False
        return not _suffix_at().match(text, end)


# ---------------------------------------------------------------------------- naming helpers

def _committee_name(division: str, focus: list[str]) -> str:
    """中共甘肃省委 for a province, 兰州市委 below (the other form is an alias)."""
    base = division + "委"
    if len(division) == 2 and division[-1] in "县区旗":
        base = division + division[-1] + "委"   # 威县县委: 威县委 would read as a stem alone
    return "中共" + base if level_of(division, focus) == "省" else base


def _committee_aliases(name: str) -> set[str]:
    bare = name[2:] if name.startswith("中共") else name
    return {bare, "中共" + bare}


def _lookup_suffix(name: str) -> Suffix | None:
    for n in range(min(len(name), 12), 0, -1):
        s = suffixes().get(name[-n:])
        if s is not None:
            return s
    return None


def _is_generic(body: str, ctx: _Context) -> bool:
    """True if the words before a suffix name nothing in particular (流动党员, 所在社区, 大,
    行业协会): generic words, kinds of organization and ordinals only."""
    core = re.sub(r"[“”‘’\"「」『』]", "", body)
    if len(core) <= 1:
        return True
    kinds = suffixes()
    # peel generic words and kinds off both ends (行业|协会, 基层|党组织)
    changed = True
    while core and changed:
        changed = False
        for n in range(min(len(core), 6), 1, -1):
            if core[-n:] in _GENERIC or core[-n:] in kinds or core[-n:] in _STOP_WORDS:
                core, changed = core[:-n], True
                break
            if core[:n] in _GENERIC or core[:n] in _STOP_WORDS:
                core, changed = core[n:], True
                break
    if not core:
        return True
    if len(core) == 1 and core in "村乡镇区县市省大小新老各全本该":
        return True
    words = jieba_cut(core, ctx)
    return all(w in _GENERIC or w in _STOP_WORDS or w in kinds or _ORDINAL.match(w) for w in words)


def jieba_cut(s: str, ctx: _Context) -> list[str]:
    """Words of a short string: the article's tokens where they lie inside it."""
    out, i = [], 0
    while i < len(s):
        for n in range(min(len(s) - i, 6), 0, -1):
            w = s[i:i + n]
            if n == 1 or w in _GENERIC or w in _STOP_WORDS or ctx.freq.get(w, 0) > 0:
                out.append(w)
                i += n
                break
    return out


# ---------------------------------------------------------------------------- rule 1

def national_bodies(ctx: _Context) -> None:
    """National bodies and nationwide companies from kg/lexicon/national_orgs.tsv.

    A short form counts only as a whole word (民政部 in 得到国家民政部的肯定, not in 民政部门)
    and never inside 《》."""
    _, nat, _ = _automata()
    found = []
    for end1, (form, n) in nat.iter(ctx.text):
        start, end = end1 - len(form) + 1, end1 + 1
        found.append((start, end, form, n))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    last_end = -1
    for start, end, form, n in found:
        if start < last_end or ctx.in_book_title(start) or ctx.glued_after(end):
            continue
        if start > 0 and _CJK.match(ctx.text[start - 1]) and not ctx.starts_token(start) \
                and not ctx.text[start - 2:start] in ("国家",):
            continue
        last_end = end
        org = Org(start, end, n.name, form, n.kind, n.party, n.cls, "national",
                  aliases={form, *n.aliases}, anchor="national")
        # 国家民政部: the 国家 written before belongs to the name
        if ctx.text[start - 2:start] == "国家" and not form.startswith("国家"):
            org.start = start - 2
            org.surface = ctx.text[org.start:end]
            org.aliases.add(org.surface)
        div = ctx.div_end.get(start)
        if n.kind == "银行" and n.cls == "enterprise" and div is not None:
            _bank_branch(ctx, org, div)
        ctx.add(org)


def _bank_branch(ctx: _Context, org: Org, div: Mention) -> None:
    """A place before a nationwide bank's name is its branch there (大连工商银行 → 中国工商银行
    大连分行; 甘肃建设银行 → 中国建设银行甘肃省分行), the bank its parent."""
    level = level_of(div.name, ctx.focus)
    if level not in ("省", "市", "州", "盟"):
        return
    stems = division_stems(div.name)
    place = div.name if level == "省" else (stems[0] if stems else div.name)
    bank = org.name
    org.start, org.surface = div.start, ctx.text[div.start:org.end]
    org.name = bank + place + "分行"
    org.aliases = {org.surface, org.name}     # the bank's own names are no names of its branch
    org.parent_name, org.division, org.anchor = bank, div.name, "div"
    org.division_level = _LEVEL_RANK.get(level, 9)


# ---------------------------------------------------------------------------- rule 2

def _expand(template: str, ctx: _Context, pos: int, division: str | None) -> str | None:
    """Fill {省} {市} {县} … {D} of an abbreviation's template, or None if a level is unknown."""
    out = template
    for ph in re.findall(r"\{([^}]+)\}", template):
        value = division if ph == "D" else ctx.division_for(ph, pos)
        if not value:
            return None
        out = out.replace("{" + ph + "}", value)
    return out


def abbreviated_names(ctx: _Context) -> None:
    """Abbreviations listed in kg/lexicon/org_abbreviations.tsv (省法院 → 甘肃省高级人民法院).

    A leading level word must start a word (服务|省委|中心工作, not 全省委); {D} is a division
    written right before the rest (兰州|中院)."""
    text = ctx.text
    _, _, abbr = _automata()
    rows = abbreviations()
    taken: list[tuple[int, int]] = []
    hits = []
    for end1, key in abbr.iter(text):
        hits.append((end1 - len(key) + 1, end1 + 1, key))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    for start, end, key in hits:
        if any(a < end and start < b for a, b in taken) or ctx.in_book_title(start):
            continue
        if ctx.glued_after(end) or any(m.start < start < m.end for m in ctx.places):
            continue                    # 新疆维吾尔自治区党委 is read as division + 党委
        for row in rows:
            a = row["abbreviation"]
            if a.replace("{D}", "") != key:
                continue
            division, s = None, start
            if a.startswith("{D}"):
                div = ctx.div_end.get(start)
                if div is None:
                    continue
                division, s = div.name, div.start
            else:
                lead = next((lv for lv in LEVEL_WORDS if a.startswith(lv)), None)
                if lead is None and a.startswith(("团",)):
                    lead = a[1]
                if lead is not None and not _level_word_free(ctx, start if a.startswith(lead) else start + 1):
                    continue
            name = _expand(row["expansion"], ctx, start, division)
            if name is None:
                continue
            aliases = {text[s:end], key}
            for al in (row.get("aliases") or "").split("|"):
                if al:
                    filled = _expand(al, ctx, start, division)
                    if filled:
                        aliases.add(filled)
            suf = _lookup_suffix(name)
            kind = (row.get("kind") or "") or (suf.kind if suf else "")
            party = suf.party if suf else False
            cls = suf.cls if suf else "government"
            if re.fullmatch(r"中共\{[^}]+\}(?:委|委员会)", row["expansion"]):
                kind, party, cls = "委员会", True, "party"     # the party committee itself
            if name.startswith("共青团"):
                kind, party, cls = "团委", False, "social"
            org = Org(s, end, name, text[s:end], kind, party, cls, "abbreviation", aliases=aliases,
                      anchor="lexicon")
            lvl = next((ph for ph in re.findall(r"\{([^}]+)\}", row["expansion"])), None)
            org.division = division if lvl == "D" else (ctx.division_for(lvl, start) if lvl else None)
            # 中共{省}委… belongs to the provincial committee
            if name.startswith("中共") and org.division:
                committee = _committee_name(org.division, ctx.focus)
                if name != committee and name.startswith(committee) and kind != "委员会":
                    org.parent_name = committee
            ctx.add(org)
            taken.append((s, end))
            break


def _level_word_free(ctx: _Context, pos: int) -> bool:
    """True if a level word at `pos` stands for itself: it starts a word and no 各/全/本 … is
    written right before it (服务省委中心工作 yes; 全省, 各市委 no)."""
    if not ctx.starts_token(pos):
        return False
    prev = ctx.text[pos - 1] if pos > 0 else ""
    if prev and prev in _PLURAL_BEFORE:
        return False
    if re.search(r"(?:[每各几多两0-9一二三四五六七八九十百千]|[0-9一二三四五六七八九十百千][余多])个$",
                 ctx.text[max(0, pos - 4):pos]):
        return False                    # 每个村, 23个村: every or counted villages, not one
    if ctx.text[pos + 1:pos + 2] == "、" or prev == "、" and ctx.text[pos - 2:pos - 1] in LEVEL_WORDS:
        # 省、市、县 … is a list of levels unless a name follows (handled by enumerations)
        return False
    return True


# ---------------------------------------------------------------------------- rule 3

def party_committees(ctx: _Context) -> None:
    """Party committees written 〈division〉委 or 〈level word〉委: 兰州市委, 金川区委, 省委, 区委.

    Only divisions from the county up have a committee named so (村委 is the villagers'
    committee); 委 must not start another word (兰州市委托 …)."""
    text = ctx.text
    for div in ctx.places:
        e = div.end
        lv = level_of(div.name, ctx.focus)
        if text[e:e + 1] == lv and text[e + 1:e + 2] == "委" and \
                (div.surface != div.name or len(div.name) == 2 or div.name.endswith(lv)):
            e += 1                      # 临夏|州委: a short form and the level word; 威县|县委
        if text[e:e + 1] != "委" or text[e + 1:e + 2] in _NOT_COMMITTEE_AFTER:
            continue
        if level_of(div.name, ctx.focus) not in COMMITTEE_LEVELS or ctx.inside_org(div.start, e + 1):
            continue
        start, chain = ctx.chain_start(div)
        name = _committee_name(div.name, ctx.focus)
        org = Org(div.start, e + 1, name, text[div.start:e + 1], "委员会", True, "party", "committee",
                  aliases=_committee_aliases(name) | {text[start:e + 1]}, division=div.name,
                  anchor="div")
        ctx.add(org)
    # a division's stem and its level word: 临夏州委 for 临夏回族自治州 (focus or named)
    for division in dict.fromkeys(list(ctx.focus) + [m.name for m in ctx.places]):
        lv = level_of(division, ctx.focus)
        if lv not in COMMITTEE_LEVELS:
            continue
        for s, e in first_occurrences(text, [st + lv + "委" for st in division_stems(division)]):
            if text[e:e + 1] in _NOT_COMMITTEE_AFTER or ctx.inside_org(s, e) or \
                    any(o.start <= s < o.end for o in ctx.orgs):
                continue
            name = _committee_name(division, ctx.focus)
            ctx.add(Org(s, e, name, text[s:e], "委员会", True, "party", "committee",
                        aliases=_committee_aliases(name) | {text[s:e]}, division=division, anchor="div"))
    for m in re.finditer(r"[省市州盟县区旗]委", text):
        s, e = m.start(), m.end()
        if text[e:e + 1] in _NOT_COMMITTEE_AFTER or ctx.div_end.get(s) is not None:
            continue                    # 委托 …; 兰州市委 is read above
        if ctx.inside_org(s, e) or any(o.start == s and o.end >= e for o in ctx.orgs):
            continue
        if not _level_word_free(ctx, s):
            continue
        division = ctx.division_for(text[s], s)
        if division is None:
            continue
        name = _committee_name(division, ctx.focus)
        org = Org(s, e, name, text[s:e], "委员会", True, "party", "committee",
                  aliases=_committee_aliases(name) | {text[s:e]}, division=division, anchor="level")
        ctx.add(org)


# ---------------------------------------------------------------------------- rule 4

@dataclass
class _Edge:
    start: int
    anchor: str                 # org | div | level | national | quoted | plain | backref
    body_start: int
    parent: Org | None = None
    chain: list | None = None   # divisions written before the body
    level: str | None = None
    division: str | None = None


def left_edge(ctx: _Context, s: int, suf: Suffix) -> _Edge:
    """Where the name ending with the suffix at `s` begins, and what anchors it.

    Read leftwards word by word: an organization ending here is the parent; a division
    (with the chain written before it) or a level word standing for the article's division
    anchors the name; 全国/中国/国家 makes it national; a quoted name is taken where the suffix
    allows one; a word that cannot be inside a name ends it."""
    text = ctx.text
    p = s
    floor = max(0, s - 40)
    while True:
        org = ctx.org_end.get(p)
        if org is not None and org.start < p:
            return _Edge(org.start, "org", p, parent=org)
        div = ctx.div_end.get(p)
        if div is not None:
            start, chain = ctx.chain_start(div)
            owner = ctx.org_end.get(start)
            if owner is not None and owner.anchor == "national":
                return _Edge(owner.start, "org", p, parent=owner, chain=chain)
            if owner is not None and owner.cls == "enterprise" and "branch" in suf.anchors:
                # …有限公司|成华|营业部: the company's unit, the place written as part of its name
                return _Edge(owner.start, "org", p, parent=owner, chain=chain)
            return _Edge(start, "div", p, chain=chain, division=div.name)
        if p <= floor or p == 0:
            return _Edge(p, "plain", p)
        ch = text[p - 1]
        if ch in CLOSE_QUOTES:
            op = text.rfind(CLOSE_QUOTES[ch] if ch != "\"" else "\"", max(0, p - 18), p - 1)
            inner = text[op + 1:p - 1] if op >= 0 else ""
            speech = len(inner) > 10 or any(c in "。！？!?，,；;：:" for c in inner)
            if op < 0 or speech or not ("quoted" in suf.anchors or (p < s and not suf.party)):
                return _Edge(p, "plain", p)     # a quoted brand before the words of the name names
                # a company, a cooperative, a team (“姜大师”种植养殖专业合作社, “杨八仙”路水管护队);
                # before a party body it is a designation (“四强”党支部, “两企三新”领域党组织);
                # quoted speech before a name is none of it (“我们将…。”城投集团…公司)
            # the quoted name and what follows it is the name; a division or an organization
            # written right before the quote belongs to it (兰州市“红色物业”联盟)
            div = ctx.div_end.get(op)
            if div is not None:
                start, chain = ctx.chain_start(div)
                return _Edge(start, "div", op, chain=chain, division=div.name)
            org = ctx.org_end.get(op)
            if org is not None:
                return _Edge(org.start, "org", op, parent=org)
            return _Edge(op, "quoted", op)
        if not _CJK.match(ch) and not ch.isalpha():
            return _Edge(p, "plain", p)
        tok = ctx.token_ending_at(p, floor)
        if tok is None:
            return _Edge(p, "plain", p)
        w, tag, ts = tok
        if w in LEVEL_WORDS:
            prev = ctx.token_ending_at(ts, floor) if ts > floor else None
            # (the gazetteer knows every division from the county up: a word before 区/县…
            # that is no division and no place name is no part of one: 俞鸿及|区纪委)
            named = prev is not None and _CJK.match(prev[0][-1]) and prev[0] not in _STOP_WORDS \
                and not (w in COMMITTEE_LEVELS and prev[1] != "ns") \
                and prev[0] not in _GENERIC and (prev[1] in _NAME_TAGS or prev[1].startswith("n")) \
                and not (ts > 0 and text[ts - 1] in _CLAUSE_END)
            if not named:
                if _level_word_free(ctx, ts):
                    return _Edge(ts, "level", p, level=w)
                return _Edge(p, "plain", p)
        if ts > 0 and text[ts - 1].isdigit() or tag in ("q", "m") and len(w) == 1:
            return _Edge(p, "plain", p)     # 211家|协会: a count
        if w in NATIONAL_PREFIXES:
            return _Edge(ts, "national", ts)
        if _ORDINAL.match(w):
            p = ts
            continue
        # industry verbs name a sector (快递|物流|行业党委, 外卖|配送|行业党委); company names
        # hold any verb; another verb before a sector is an action (纳入|行业党委: a back-reference)
        # and any adjective (甘肃|幸福|安捷…有限公司)
        verb_ok = w in _NAME_VERBS or (tag in ("v", "a") and len(w) >= 2 and suf.cls == "enterprise")
        if w in _STOP_WORDS or _verb_complement(w, tag, ctx) or \
                not (tag in _NAME_TAGS or tag.startswith("n") or verb_ok):
            stem = ctx.stem_across(p)
            if stem is not None:
                return _Edge(stem, "plain", stem)  # 成立|上杨生态旅游…: a place's name begins it
            return _Edge(p, "plain", p)
        if s - ts > _MAX_BODY:
            return _Edge(p, "plain", p)
        p = ts


def _verb_complement(w: str, tag: str, ctx: _Context) -> bool:
    """True for a two-character word jieba does not know made of a verb and an adjective of
    result (建强, 做实, 织密, 配强 …行业党委): an action before a name, never part of it."""
    return tag == "x" and len(w) == 2 and ctx.tags.get(w[0]) == "v" and ctx.tags.get(w[1]) == "a"


def _company_core(name: str, ctx: _Context) -> str:
    """鑫海工贸 for 甘肃鑫海工贸有限责任公司: the name without its legal form and leading places."""
    hit = ctx.cores.get(name)
    if hit is not None:
        return hit
    core = name
    changed = True
    while changed:
        changed = False
        for form in ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司", "公司", "集团"):
            if core.endswith(form) and len(core) > len(form) + 1:
                core = core[:-len(form)]
                changed = True
                break
    changed = True
    while changed:
        changed = False
        for form in ctx.place_forms:
            if core.startswith(form) and len(core) > len(form) + 1:
                core = core[len(form):]
                changed = True
                break
    ctx.cores[name] = core
    return core


def _short_forms(org: Org, ctx: _Context) -> set[str]:
    """Forms a company is named by later: 鑫海工贸 (字号 + industry) for 甘肃鑫海工贸有限责任公司,
    瑞岭物业公司 and 瑞岭物业 for 兰州新区城投集团瑞岭物业公司 (its own part after the parent)."""
    if org.cls != "enterprise":
        return set()
    key = (org.name, org.parent.root().name if org.parent is not None else "")
    hit = ctx.short_forms.get(key)
    if hit is not None:
        return hit
    ctx.short_forms[key] = forms = _short_forms_of(org, ctx)
    return forms


def _short_forms_of(org: Org, ctx: _Context) -> set[str]:
    base = org.name
    if org.parent is not None and org.name.startswith(org.parent.root().name):
        base = org.name[len(org.parent.root().name):]
    out = {base, _company_core(base, ctx)}
    for m in ctx.places:
        if base.startswith(m.surface) and len(base) > len(m.surface) + 2:
            out.add(base[len(m.surface):])
    return {f for f in out if f != org.name and len(f) >= 2 and not _is_generic(f, ctx)
            and f not in _national_forms()}     # 顺丰速运 of 成都顺丰速运有限公司: the brand itself


@lru_cache(maxsize=1)
def _national_forms() -> frozenset:
    """Names and aliases of kg/lexicon/national_orgs.tsv."""
    return frozenset(f for n in national_orgs() for f in (n.name, *n.aliases))


def _known_form(body: str, ctx: _Context) -> Org | None:
    """The organization of the article that `body` names by a short form, if exactly one."""
    body = body.strip()
    if len(body) < 2:
        return None
    hits: dict[str, Org] = {}
    for o in ctx.orgs:
        r = o.root()
        if body == r.name or body in r.aliases or body in _short_forms(r, ctx):
            key = _company_core(r.name, ctx) if r.cls == "enterprise" else r.name
            hits.setdefault(key, r)
    return next(iter(hits.values())) if len(hits) == 1 else None


def _backref(suffix: str, kind: str, ctx: _Context, before: int) -> Org | None:
    """The article's one organization of this kind, named again by its bare suffix (工委)."""
    hits: dict[str, Org] = {}
    for o in ctx.orgs:
        r = o.root()
        if o.start >= before or r.rule == "backref":
            continue
        if suffix in ("集团", "集团公司"):
            if r.cls != "enterprise" or "集团" not in r.name or r.parent is not None:
                continue
            key = _company_core(r.name, ctx)
            hits.setdefault(key, r)
            continue
        if r.kind != kind:
            continue
        if not (r.name.endswith(suffix) or any(a.endswith(suffix) for a in r.aliases)
                or (suffix == "工委" and r.kind == "工委")):
            continue
        key = _company_core(r.name, ctx) if r.cls == "enterprise" else r.name
        hits.setdefault(key, r)
    return next(iter(hits.values())) if len(hits) == 1 else None


def suffix_names(ctx: _Context) -> None:
    """Names ending in a suffix of kg/lexicon/org_suffixes.tsv, read leftwards from it."""
    text = ctx.text
    suf_auto, _, _ = _automata()
    lex = suffixes()
    hits = []
    for end1, s in suf_auto.iter(text):
        hits.append((end1 - len(s) + 1, end1 + 1, s))
    # the longest suffix at each end, and none inside a longer one (集团 in 集团公司)
    best: dict[int, tuple] = {}
    for h in hits:
        if h[1] not in best or h[1] - h[0] > best[h[1]][1] - best[h[1]][0]:
            best[h[1]] = h
    chosen = sorted(best.values(), key=lambda h: (h[1], h[0]))
    # (ends are distinct: a suffix lies inside a longer one when one ending later starts no later)
    kept, first_start_after = [], len(text)
    for h in reversed(chosen):
        if first_start_after > h[0]:
            kept.append(h)
        first_start_after = min(first_start_after, h[0])
    chosen = kept[::-1]
    for s, e, sx in chosen:
        suf = lex[sx]
        if ctx.in_book_title(s) or ctx.glued_after(e):
            continue
        if any(o.start <= s and e <= o.end for o in ctx.orgs):
            continue                    # inside a name already read (省纪委监委, 省法院)
        org = _read_suffix_name(ctx, s, e, suf)
        if org is not None:
            ctx.add(org)


def _read_suffix_name(ctx: _Context, s: int, e: int, suf: Suffix) -> Org | None:
    """The organization whose name ends with the suffix text[s:e], or None: find the name's
    left edge, then name it by what anchors it."""
    text = ctx.text
    edge = left_edge(ctx, s, suf)
    body = text[edge.body_start:s]
    surface = text[edge.start:e]
    org = Org(edge.start, e, "", surface, suf.kind, suf.party, suf.cls, "suffix", body=body,
              suffix=suf.text, anchor=edge.anchor, aliases={surface})
    if suf.full:
        org.aliases.add(surface[:-len(suf.text)] + suf.full)
    # a name counted (党支部68个, 志愿服务队130余支) is a kind of organization
    counted = bool(_COUNT_AFTER.match(text[e:e + 6]))
    if "committee" in suf.anchors:
        return _department(ctx, org, edge)
    if "unit" in suf.anchors and (edge.anchor != "org" or not 2 <= len(body) <= 4 or edge.parent.party):
        return None                     # an office (处, 科) only of an organization named before
    whole = _quoted_whole(ctx, s, e) if "quoted" in suf.anchors else None
    if whole is not None and edge.start > whole.start:
        return whole                    # the edge lies inside the quotes: they delimit the name
    if edge.anchor == "plain" and not body:
        if suf.kind == "工作队" and not counted:
            return _village_team(ctx, org, s)
        if suf.cls == "village" and not counted:
            return _village_committee(ctx, org, s)
        return _named_again(ctx, org, s)
    if counted and edge.anchor != "quoted":
        return None
    if edge.anchor != "quoted" and re.search(r"[0-9一二三四五六七八九十百两][余多]?个$", text[max(0, edge.start - 5):edge.start]):
        return None                     # 分设4个产业联合党委: a kind, counted
    if edge.anchor == "plain" and (lvl := re.match(r"([省市州县区旗])级", body)):
        return _level_grade(ctx, org, edge, lvl.group(1))
    if suf.kind == "工作队" and edge.anchor == "div":
        _sent_by(ctx, org, edge)
    if edge.anchor == "sent":
        org.name, org.parent = org.surface, edge.parent
        org.division = edge.chain[-1].name
        org.division_level = _LEVEL_RANK.get(level_of(org.division, ctx.focus), 9)
        return org
    reader = {"org": _after_organization, "div": _after_division, "level": _after_level_word,
              "national": _national_or_quoted, "quoted": _national_or_quoted}.get(edge.anchor, _plain_name)
    found = reader(ctx, org, edge)
    if found is not None and suf.full and found.name.endswith(suf.text):
        found.aliases.add(found.name[:-len(suf.text)] + suf.full)   # 甘肃省林业和草原局
    return found


def _level_grade(ctx: _Context, org: Org, edge: _Edge, level: str) -> Org | None:
    """区级产业联盟党委: the body of that grade of the article's division of the level (大足区产业
    联盟党委), or None when the division is unknown or the rest is generic (县级党组织)."""
    division = ctx.division_for(level, edge.start)
    rest = org.body[2:]
    if ctx.text.startswith(_PARTY_KINDS + ("党工委", "委员会"), org.end):
        return None                     # 区级产业联盟|党委: the name goes on
    if division is None or _is_generic(rest, ctx):
        return None
    org.name = division + rest + org.suffix
    org.division = division
    org.division_level = _LEVEL_RANK.get(level, 9)
    return org


def _quoted_whole(ctx: _Context, s: int, e: int) -> Org | None:
    """A quoted name that ends with the suffix text[s:e] inside the quotes (成立“第一书记联盟”,
    “社区吉先锋服务队”): the quoted words are the name, whatever they are."""
    text = ctx.text
    close = text[e:e + 1]
    if close not in CLOSE_QUOTES:
        return None
    op = text.rfind(CLOSE_QUOTES[close], max(0, s - 12), s)
    inner = text[op + 1:s] if op >= 0 else ""
    if len(inner) < 2 or any(c in _CLAUSE_END or c in CLOSE_QUOTES or c in "“‘\"" for c in inner):
        return None
    suf = suffixes()[text[s:e]]
    if suf.kind == "工作室":
        return None                     # “小哥工作室”: a site (a Facility), not a body
    after = ctx.tok_start.get(e + 1)
    if after is not None and (after.word in _NAME_VERBS or ctx.tags.get(after.word, "x").startswith("n")):
        return None                     # “社校联盟”共建模式: the quote names what follows
    name = text[op + 1:e]
    if _is_generic(inner, ctx):
        return None
    return Org(op, e + 1, name, text[op:e + 1], suf.kind, suf.party, suf.cls, "suffix",
               body=inner, suffix=suf.text, anchor="quoted", aliases={name, text[op:e + 1]})


def _village_team(ctx: _Context, org: Org, s: int) -> Org | None:
    """驻村工作队 written alone: the team of the village named in the same or the previous
    sentence (the convention's short form completed by the article's place), else None."""
    village = ctx.division_for("村", s) or ctx.division_for("社区", s)
    if village is None and ctx.focus and level_of(ctx.focus[-1], ctx.focus) in ("村", "社区", "嘎查"):
        village = ctx.focus[-1]         # the article's own village
    if village is None:
        return None
    org.name = village + org.suffix
    org.division = village
    org.division_level = _LEVEL_RANK.get(level_of(village, ctx.focus), 9)
    return org


_COMMITTEE_FULL = vocab.COMMITTEE_FULL


def _village_committee(ctx: _Context, org: Org, s: int) -> Org | None:
    """村委会, 村委, 居委会 written alone: the committee of the village (community) named in the
    same or the previous sentence, else of the article's own village; None where it is a kind
    (各村村委会, 村委会、村务监督委员会) or no village is at hand."""
    text = ctx.text
    level = "社区" if org.kind == "居委会" else "村"
    if text[s - 1:s] in _PLURAL_BEFORE or text[org.end:org.end + 1] == "、" or _after_listed_kind(text, s):
        return None
    village = ctx.division_for(level, s)
    if village is None and ctx.focus and level_of(ctx.focus[-1], ctx.focus) == level:
        village = ctx.focus[-1]
    if village is None or org.kind not in _COMMITTEE_FULL:
        return None
    org.name = village + org.surface    # as written, like 松林社区居委会 after a chain of posts
    org.aliases |= {village + _COMMITTEE_FULL[org.kind], village + org.kind}
    org.division = village
    org.division_level = _LEVEL_RANK.get(level, 9)
    return org


def _sent_by(ctx: _Context, org: Org, edge: _Edge) -> None:
    """〈unit〉驻〈division〉…工作队: a team the unit sends to the division (甘肃省林业和草原局驻
    秦安县中山镇蔚文村驻村帮扶工作队). The unit and 驻 are part of the name; the unit is its
    parent. Unchanged if no organization ends right before 驻."""
    text = ctx.text
    if text[edge.start - 1:edge.start] != "驻":
        return
    sender = ctx.org_end.get(edge.start - 1)
    if sender is None:
        return
    edge.start = sender.start
    edge.anchor, edge.parent = "sent", sender.root()
    org.start = sender.start
    org.surface = text[sender.start:org.end]
    org.aliases.add(org.surface)
    org.aliases.add(org.suffix)


def _department(ctx: _Context, org: Org, edge: _Edge) -> Org | None:
    """A department of a party committee, right after it: 兰州市委|组织部, 区委|“两新”工委,
    广西壮族自治区党委|组织部; or after a bare level word, the article's county's or city's
    (县网信办 → 闻喜县网信办)."""
    if edge.anchor == "level" and not org.body and edge.level in COMMITTEE_LEVELS:
        # 县网信办, 市文明办: the office of the committee of the article's county or city
        division = ctx.division_for(edge.level, edge.start)
        if division is None:
            return None
        org.name, org.division = division + org.suffix, division
        return org
    parent = edge.parent
    committee = edge.anchor == "org" and not org.body and (
        parent.kind == "委员会" or parent.kind == "党委" and parent.division and parent.anchor == "div"
        and level_of(parent.division, ctx.focus) in COMMITTEE_LEVELS + ("省",))
    if not committee:
        return None
    org.name = parent.name + org.suffix
    org.parent, org.division = parent, parent.division
    org.aliases |= {a + org.suffix for a in parent.aliases}
    return org


def _named_again(ctx: _Context, org: Org, s: int) -> Org | None:
    """A bare suffix naming the article's one organization of that kind again: 工委 (the
    省委直属机关工委 of the article), 集团公司党委 (of 酒钢集团公司)."""
    opens_clause = s == 0 or ctx.text[s - 1] in _CLAUSE_END
    if org.suffix not in _BACKREF and not (org.suffix in _CLAUSE_BACKREF and opens_clause):
        return None
    ref = _backref(org.suffix, org.kind, ctx, s)
    if ref is None:
        return None
    org.name, org.rule, org.canonical = ref.name, "backref", ref
    return org


def _after_organization(ctx: _Context, org: Org, edge: _Edge) -> Org:
    """A unit of the organization written before it: 省法院|老干部第二党支部, 兰州新区城投集团|
    瑞岭物业公司, 中国新闻社|甘肃分社. The name is the parent's name and the rest."""
    text = ctx.text
    parent = edge.parent
    p_root = parent.root()
    tail = text[edge.body_start:org.end]
    if edge.chain:
        tail = text[edge.chain[0].start:org.end]
        org.division = edge.chain[-1].name
        org.division_level = _LEVEL_RANK.get(level_of(org.division, ctx.focus), 9)
    org.parent, org.tail = p_root, tail
    org.name = p_root.name + tail
    if p_root.anchor == "national" and not edge.chain and _local_registration(ctx, org, parent, tail):
        return org
    if p_root.anchor == "national" and parent.surface != p_root.name:
        org.tail = None                 # 中国石油|兰州石化公司: named as written
        org.name = parent.surface + tail
        org.aliases.add(p_root.name + tail)
    if org.cls == "enterprise" and len(tail) > len(org.suffix) + 1 \
            and not _is_generic(tail[:-len(org.suffix)], ctx):
        org.aliases.add(tail)           # 瑞岭物业公司 for 兰州新区城投集团瑞岭物业公司
    return org


_LEGAL_FORMS = vocab.LEGAL_FORMS


def _local_registration(ctx: _Context, org: Org, brand: Org, tail: str) -> bool:
    """A division, a nationwide brand and a legal form: a local company registered under the
    brand (成都|顺丰速运|有限公司 → 成都顺丰速运有限公司, in 成都市). Renames `org` to the name as
    written, without the brand as parent; False (org unchanged) if no division stands before."""
    if tail not in _LEGAL_FORMS:
        return False
    div = ctx.div_end.get(brand.start)
    if div is None:
        return False
    start, chain = ctx.chain_start(div)
    org.start, org.parent, org.tail, org.anchor = start, None, None, "div"
    org.surface = org.name = ctx.text[start:org.end]
    org.aliases |= {org.surface, brand.surface + tail, brand.root().name + tail}
    org.division = chain[-1].name
    org.division_level = _LEVEL_RANK.get(level_of(org.division, ctx.focus), 9)
    return True


def _after_division(ctx: _Context, org: Org, edge: _Edge) -> Org | None:
    """A body of a division written before it: 崇信县|交通运输行业党委, 泾川县安定社区|党委,
    渭源县|庆坪学区. The name starts with the innermost division (its official name; as
    written for companies, schools and the like: 甘肃鑫海工贸有限责任公司, 武汉大学); the chain
    written is an alias."""
    text = ctx.text
    chain, inner = edge.chain, edge.chain[-1]
    written = text[edge.start:org.end]
    rest = text[inner.end:org.end]
    if org.body and _is_generic(org.body, ctx) and org.suffix == "党组织" \
            and level_of(inner.name, ctx.focus) in COMMITTEE_LEVELS + ("省",):
        return None                     # 安宁区社区党组织: the district's community party organizations
    if org.cls == "enterprise" and org.body and "place" not in suffixes()[org.suffix].anchors:
        org.name = written              # registered names keep the place as written
    elif inner.surface != inner.name and org.cls not in ("party", "government", "court"):
        org.name = inner.surface + rest
    else:
        org.name = inner.name + rest
    org.division = inner.name
    org.division_level = _LEVEL_RANK.get(level_of(inner.name, ctx.focus), 9)
    org.aliases |= {written, inner.surface + rest, org.name}
    if len(chain) > 1:
        org.aliases.add("".join(c.name for c in chain) + rest)
    return org


def _after_level_word(ctx: _Context, org: Org, edge: _Edge) -> Org | None:
    """A body of the division a level word stands for: 市|城投公司 → 平凉市城投公司, 区|民政局,
    村|“两委” (a village named in the same or the previous sentence), 街道|办事处."""
    text = ctx.text
    lv = edge.level
    division = ctx.division_for(lv, edge.start)
    if division is None:
        return None
    if lv in ("村", "社区") and (text[org.end:org.end + 1 + len(lv)] == "、" + lv
                                or _after_listed_kind(text, edge.start)):
        return None                     # 村党组织、村民委员会、村务监督委员会: kinds, not organizations
    rest = text[edge.start + len(lv):org.end]
    if lv in ("村", "社区") and org.cls == "enterprise" and not org.body:
        return None                     # 村股份经济合作社: the village's, a unit without a name
    if org.kind == "两委" and text[org.end:org.end + 2] == "班子":
        return None                     # 村两委班子: the team of cadres, no body named
    if rest.startswith("委") and org.suffix != "委员会":
        return None                     # 县委… are read by the committee rule
    if _member_role(text, edge.start, org.end):
        return None                     # 由村党组织书记、乡贤…组成: a kind of member, no unit
    sector = org.party and org.body.endswith(_SECTORS) and _names_sector(org.body, ctx)
    if org.body and _is_generic(org.body, ctx) and "name" in suffixes()[org.suffix].anchors \
            and not sector:
        return None                     # 市行业协会: the city's associations, no one of them
                                        # (but 区|快递行业党委: a sector's party committee)
    org.name = division + rest
    org.division = division
    org.division_level = _LEVEL_RANK.get(lv, 9)
    return org


def _after_listed_kind(text: str, start: int) -> bool:
    """True if text[start] follows 、 and an organization word (村党组织、|村民委员会): an item of
    a list of kinds. After another item (村党支部提议、|村“两委”商议) the body is the village's."""
    if text[start - 1:start] != "、":
        return False
    return _lookup_suffix(re.sub(r"[“”\"]", "", text[max(0, start - 13):start - 1])) is not None


def _member_role(text: str, start: int, end: int) -> bool:
    """True if text[start:end] is one of the members listed in 由…组成 (由村党组织书记、乡贤和
    村民代表组成的议事会): what such a body is made of, not one organization."""
    clause0 = max(text.rfind(c, 0, start) for c in "，。；！？\n,;") + 1
    before = re.search(r"由[^，。；！？\n,;]*$", text[clause0:start])
    after = re.match(r"[^，。；！？\n,;]{0,40}?组成", text[end:end + 44])
    return bool(before and after)


def _national_or_quoted(ctx: _Context, org: Org, edge: _Edge) -> Org:
    """A nationwide body named as written (全国党建研究会), or a quoted name and what follows it
    (“银发生辉”志愿服务队; single quotes inside a quotation become double)."""
    org.name = _normalize_quotes(org.surface) if edge.anchor == "quoted" else org.surface
    org.aliases.add(org.name)
    return org


def _plain_name(ctx: _Context, org: Org, edge: _Edge) -> Org | None:
    """Words before the suffix with nothing to anchor them: a short form of an organization of
    the article (鑫海工贸|党支部 → the company's branch), the one 党委 of the article
    (党委|理论学习中心组), a sector (交通运输行业|党委 → the article place's), or a name of its
    own (货车司机志愿服务队, 上杨生态旅游开发有限责任公司, 河山区社区党委). Generic words only
    (流动党员|党支部, 所在社区|党支部) name no organization."""
    body, suffix = org.body, org.suffix
    suf = suffixes()[suffix]
    if body in _COMPANY_WORDS and suffix in _COMPANY_PARTY_KINDS:
        return _company_named_again(ctx, org, edge)
    known = _known_form(body, ctx)
    if known is not None:
        if suf.cls == known.cls == "enterprise" or body + suffix in known.aliases:
            org.name = org.surface      # the same company again: merged by its core below
            return org
        org.parent, org.tail = known, suffix
        org.name = known.name + suffix
        return org
    if body in _PARTY_KINDS and suffix == "理论学习中心组":
        ref = _backref(body, body, ctx, org.start)
        if ref is None or ref.rule == "backref":
            return None
        org.parent, org.tail = ref, suffix
        org.name = ref.name + suffix
        return org
    if suffix == "联盟" and body.endswith("党建") and not _is_generic(body, ctx):
        # 产业党建联盟: a party-building alliance of the place the sentence is about; written
        # again after other words (充分发挥|产业党建联盟), the same alliance
        again = next((o for o in ctx.orgs if o.suffix == suffix and o.body and o.body != body
                      and body.endswith(o.body)), None)
        if again is not None:
            org.start = org.end - len(again.body) - len(suffix)
            org.surface, org.body, org.name = ctx.text[org.start:org.end], again.body, again.name
            org.division, org.division_level = again.division, again.division_level
            return org
        place = _sentence_place(ctx, edge.start)
        if place is None:
            return None
        org.name, org.division = place + org.surface, place
        org.division_level = _LEVEL_RANK.get(level_of(place, ctx.focus), 9)
        return org
    if "name" not in suf.anchors:
        return None
    sector = suf.party and body.endswith(_SECTORS) and _names_sector(body, ctx)
    if _is_generic(body, ctx) and not sector:
        return None
    org.name = org.surface
    if not suf.party:
        return org
    if body.endswith(_SECTORS):
        # a sector's party committee is the place's: 交通运输行业党委 in an article about
        # 庆阳 → 庆阳市交通运输行业党委
        place = _sentence_place(ctx, edge.start)
        if place:
            org.name = place + org.surface
            org.division = place
            org.division_level = _LEVEL_RANK.get(level_of(place, ctx.focus), 9)
        return org
    # a party organization is of a unit: a name that is no unit (所在社区, 网格) is generic,
    # an unknown unit stays as written (河山区社区党委)
    if not re.search(r"(村|社区|街道|镇|乡|公司|集团|厂|学校|小学|中学|医院|协会|商会|学会)$", body):
        return None
    if re.search(r"(村|社区|街道|镇|乡)$", body):
        org.division = body             # a division the gazetteer lacks (河山区社区党委)
        org.division_level = _LEVEL_RANK.get(level_of(body), 9)
    return org


def _company_named_again(ctx: _Context, org: Org, edge: _Edge) -> Org | None:
    """公司党支部, 该企业党委: the party organization of the company written last before it
    (…有限公司是…企业，公司党支部推行…), or None when no company was named before. A bare
    企业 names it only right after 该/本/其 or within the company's paragraph (企业党支部 alone
    is often any company's)."""
    text = ctx.text
    before = text[max(0, edge.start - 1):edge.start]
    if before and before not in _CLAUSE_END and before not in ",“”\"该本其":
        return None                     # 全市企业党支部, 非公企业党支部: a kind
    companies = [o for o in ctx.orgs if o.end <= edge.start and o.root().cls == "enterprise"
                 and o.root().parent is None and o.root().rule != "backref"]
    if not companies:
        return None
    company = max(companies, key=lambda o: o.end)
    paragraph = text.rfind("\n", 0, edge.start) + 1
    if org.body == "企业" and before not in "该本其" and company.start < paragraph:
        return None
    root = company.root()
    org.parent, org.tail = root, org.suffix
    org.name = root.name + org.suffix
    org.anchor = "org"
    return org


# Sectors a party body is set up for (快递行业党委), and sites a village's or community's branch
# is set up on (养殖示范区党支部, 第三网格党支部): the place's, like a sector's.
_SECTORS = vocab.SECTOR
# Words that, before 行业/产业, name no particular sector (各行业党委, 新兴领域行业党委).
_NOT_SECTOR = frozenset(vocab.NOT_SECTOR)


def _names_sector(body: str, ctx: _Context) -> bool:
    """True if the words before 行业/产业 … name a sector (快递行业, 交通运输行业), not a scope."""
    head = body
    for sx in _SECTORS:
        if head.endswith(sx):
            head = head[:-len(sx)]
            break
    head = re.sub(r"[“”‘’]", "", head)
    return len(head) >= 2 and head not in _NOT_SECTOR and not any(head.startswith(w) for w in ("各", "全"))


def _sentence_place(ctx: _Context, pos: int) -> str | None:
    """The division a sentence is about: its subject, else the subject of its paragraph's first
    sentence, else the article's focus (its deepest division)."""
    subject = ctx.subject_division(pos)
    if subject is not None:
        return subject
    return ctx.focus[-1] if ctx.focus else None


def _normalize_quotes(s: str) -> str:
    """‘银发生辉’志愿服务队 → “银发生辉”志愿服务队 (single quotes of a name inside a quotation)."""
    return s.replace("‘", "“").replace("’", "”")


# ---------------------------------------------------------------------------- rule 5

_ITEM = r"[\u4e00-\u9fff]{1,8}"


def enumerations(ctx: _Context) -> None:
    """One organization per item of an enumeration sharing a level word or a head:

    市互联网、律师、物业管理等行业党委 → 兰州市互联网行业党委, 兰州市律师行业党委, …;
    市、县“两新”工委 → 定西市委“两新”工委 (a level without a division of its own is dropped);
    “先锋骑手”“红色管家”等党员志愿服务队 → “先锋骑手”党员志愿服务队, “红色管家”党员志愿服务队;
    深化改革委员会、财经委员会等25个党委议事决策机构 → committees of the 党委 named before."""
    _level_list(ctx)
    _level_items(ctx)
    _quoted_items(ctx)
    _party_committee_bodies(ctx)
    _listed_departments(ctx)


def _listed_departments(ctx: _Context) -> None:
    """Bare departments listed after a division's body share its division: 区纪委、组织部、
    宣传部、民政局 → 柯桥区委组织部, 柯桥区委宣传部, 柯桥区民政局. An item is a department when it
    is a suffix of kg/lexicon/org_suffixes.tsv and nothing else (a party committee's department
    for `committee` anchors, the division's own body for `place` anchors); other short items are
    passed over, anything longer ends the list."""
    text = ctx.text
    lex = suffixes()
    by_len = _suffixes_longest_first()
    for o in list(ctx.orgs):
        r = o.root()
        if not r.division:
            continue
        division = r.division
        committee_level = level_of(division, ctx.focus) in COMMITTEE_LEVELS + ("省",)
        p = o.end
        while text[p:p + 1] == "、" or text[p:p + 1] == "及" and p + 1 < len(text) and _CJK.match(text[p + 1]):
            p += 1
            same = re.match(r"[\u4e00-\u9fff]{1,6}?" + re.escape(r.suffix or "-") + r"(?=[、，。；,;及等和]|$)", text[p:p + 12])
            if same is not None and not r.party and r.cls != "enterprise" and r.anchor in ("div", "level") \
                    and r.suffix and len(same.group(0)) > len(r.suffix) \
                    and not _is_generic(same.group(0)[:-len(r.suffix)], ctx) \
                    and not any(x.start <= p < x.end for x in ctx.orgs):
                # 村舞狮队、船灯队及山歌队: more bodies of the same kind of the same place
                item = same.group(0)
                ctx.add(Org(p, p + len(item), division + item, item, r.kind, r.party, r.cls, "enumeration",
                            aliases={item}, division=division, anchor="level", suffix=r.suffix,
                            body=item[:-len(r.suffix)], division_level=r.division_level))
                p += len(item)
                continue
            # a department, also where the last item runs into what follows (…、农业农村局分管
            # 负责人); else another short item, passed over (…、共富指导中心、…)
            sx = next((x for x in by_len if text.startswith(x, p)), None)
            nxt = re.match(r"[\u4e00-\u9fff]{1,8}(?=[、，。；,;])", text[p:p + 9])
            if sx is not None and not ctx.glued_after(p + len(sx)):
                item = sx
            elif nxt is not None:
                item = nxt.group(0)
            else:
                break
            suf = lex.get(item)
            if r.cls not in ("party", "government", "court"):
                break                   # departments are of party and government bodies only
            if suf is not None and ctx.org_end.get(p + len(item)) is None \
                    and not any(x.start <= p < x.end for x in ctx.orgs):
                if "committee" in suf.anchors and committee_level:
                    committee = _committee_name(division, ctx.focus)
                    org = Org(p, p + len(item), committee + item, item, suf.kind, suf.party, suf.cls,
                              "enumeration", aliases={item, *{a + item for a in _committee_aliases(committee)}},
                              division=division, anchor="level", parent_name=committee, suffix=item)
                    ctx.add(org)
                elif "place" in suf.anchors and suf.cls in ("government", "court", "party") \
                        and "unit" not in suf.anchors:
                    org = Org(p, p + len(item), division + item, item, suf.kind, suf.party, suf.cls,
                              "enumeration", aliases={item}, division=division, anchor="level",
                              suffix=item)
                    ctx.add(org)
            p += len(item)


def _level_items(ctx: _Context) -> None:
    text = ctx.text
    for m in re.finditer(r"([省市州县区旗])((?:" + _ITEM + r"、)+" + _ITEM + r")等(" + _ITEM + ")", text):
        lv, items, head = m.group(1), m.group(2).split("、"), m.group(3)
        suf = _lookup_suffix(head)
        if suf is None or not head.endswith(suf.text) or not _level_word_free(ctx, m.start()):
            continue
        division = ctx.division_for(lv, m.start())
        if division is None:
            continue
        pos = m.start(2)
        for i, item in enumerate(items):
            if item in _STOP_WORDS or _is_generic(item, ctx) and not head:
                pos += len(item) + 1
                continue
            # each item's span runs to the shared head, so that its text names the kind too
            start, end = (m.start() if i == 0 else pos), m.end()
            name = division + item + head
            org = Org(start, end, name, text[start:end], suf.kind, suf.party, suf.cls, "enumeration",
                      aliases={lv + item + head, name}, division=division, anchor="level",
                      body=item + head[:-len(suf.text)], suffix=suf.text)
            ctx.add(org)
            pos += len(item) + 1


def _level_list(ctx: _Context) -> None:
    """市、县“两新”工委: each level with its own division gets the department."""
    text = ctx.text
    lex = suffixes()
    for m in re.finditer(r"([省市州县区旗])((?:、[省市州县区旗])+)", text):
        levels = [m.group(1)] + m.group(2).split("、")[1:]
        after = m.end()
        sx = next((s for s in _suffixes_longest_first() if text.startswith(s, after)), None)
        if sx is None or "committee" not in lex[sx].anchors:
            continue
        suf = lex[sx]
        for i, lv in enumerate(levels):
            if len({l for l in levels}) < len(levels):
                break
            division = ctx.division_for(lv, m.start())
            if division is None or (lv not in ("省", "市", "州", "盟") and
                                    not any(f == division for f in ctx.focus)):
                continue
            pos = m.start() + 2 * i
            committee = _committee_name(division, ctx.focus)
            name = committee + sx
            end = after + len(sx)
            org = Org(pos, end, name, text[pos:end], suf.kind, suf.party, suf.cls, "enumeration",
                      aliases={division + sx, lv + sx, *{a + sx for a in _committee_aliases(committee)}},
                      division=division, anchor="level", parent_name=committee, suffix=sx)
            ctx.add(org)


def _quoted_items(ctx: _Context) -> None:
    text = ctx.text
    for m in re.finditer(r"((?:“[^“”]{1,12}”){2,})等(" + _ITEM + ")", text):
        head = m.group(2)
        suf = _lookup_suffix(head)
        if suf is None or "quoted" not in suf.anchors:
            continue
        for q in re.finditer(r"“[^“”]{1,12}”", m.group(1)):
            start, end = m.start(1) + q.start(), m.end()
            inner = q.group()[1:-1]
            if (own := _lookup_suffix(inner)) is not None and inner.endswith(own.text):
                continue                # “社区吉先锋服务队”: a whole name, read on its own
            name = q.group() + head
            # the quoted name alone is how the text names the item too (“贴心红管家”)
            org = Org(start, end, name, text[start:end], suf.kind, suf.party, suf.cls, "enumeration",
                      aliases={name, inner + head, inner, q.group()}, anchor="quoted", suffix=suf.text,
                      body=q.group() + head[:-len(suf.text)])
            ctx.add(org)


def _party_committee_bodies(ctx: _Context) -> None:
    """X委员会、Y委员会等N个党委议事(决策)机构: committees of the 党委 named before them."""
    text = ctx.text
    for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,12}?委员会、)+[\u4e00-\u9fff]{2,12}?委员会)等[0-9一二三四五六七八九十]*个?"
                         r"(党委|党组)[\u4e00-\u9fff]{0,6}机构", text):
        s0, _ = ctx.sentence_of(m.start())
        owners = [o for o in ctx.orgs if s0 <= o.start < m.start() and o.kind in ("党委", "党组")
                  and o.root().rule != "backref"]
        if not owners:
            continue
        owner = owners[-1].root()
        pos = m.start(1)
        for i, item in enumerate(m.group(1).split("、")):
            start, end = pos, pos + len(item)
            if i == 0:
                edge = left_edge(ctx, end - 3, suffixes()["委员会"])
                start = edge.body_start if edge else start
                item = text[start:end]
            if _is_generic(item[:-3], ctx):
                pos = end + 1
                continue
            org = Org(start, end, owner.name + item, item, "委员会", True, "party", "enumeration",
                      aliases={item}, parent=owner, anchor="org", suffix="委员会")
            ctx.add(org)
            pos = end + 1


# ---------------------------------------------------------------------------- rule 6

def posts_chain_kinds(ctx: _Context) -> None:
    """A bare party kind or department in a chain of posts belongs to the organization named
    first: 甘肃鑫海工贸有限责任公司董事长、党支部书记 → the company's 党支部; 崇信县委社会工作部
    部长、“两新”工委书记 → 崇信县委“两新”工委."""
    text = ctx.text
    titles, title_at = _post_titles(), _post_title_at()
    for o in list(ctx.orgs):
        r = o.root()
        title = title_at.match(text, o.end)
        if title is None:
            continue
        title = title.group()
        p = o.end + len(title)
        while text[p:p + 1] in ("、", "兼"):
            p += 1
            sx = next((s for s in _suffixes_longest_first() if text.startswith(s, p)), None)
            if sx is None or ctx.org_end.get(p + len(sx)) is not None:
                break
            after = next((t for t in titles if text.startswith(t, p + len(sx))), None)
            if after is None and sx.endswith("部") and text.startswith("长", p + len(sx)):
                after = "长"             # 组织部长: the head of 组织部
            if after is None:
                break
            _chain_item(ctx, r, sx, p)
            p += len(sx) + len(after)


# Bodies a company has besides its party organization, named bare in a chain of posts
# (集团党委委员、纪委书记、工会主席 → the company's 纪委 and 工会).
_COMPANY_BODIES = vocab.COMPANY_BODIES


def _chain_item(ctx: _Context, r: Org, sx: str, p: int) -> None:
    """The organization a bare `sx` at p names, in a chain of posts of organization r."""
    lex = suffixes()
    suf = lex[sx]
    if "committee" in suf.anchors:
        committee = r if r.kind == "委员会" else (r.parent.root() if r.parent else None)
        if committee is None and r.parent_name:
            name = r.parent_name + sx
            org = Org(p, p + len(sx), name, sx, suf.kind, suf.party, suf.cls, "post-chain",
                      aliases={sx, *{a + sx for a in _committee_aliases(r.parent_name)}},
                      parent_name=r.parent_name, division=r.division, anchor="org")
            ctx.add(org)
            return
        if committee is None:
            return
        org = Org(p, p + len(sx), committee.name + sx, sx, suf.kind, suf.party, suf.cls, "post-chain",
                  aliases={sx, *{a + sx for a in committee.aliases}}, parent=committee,
                  division=committee.division, anchor="org")
        ctx.add(org)
    elif sx in _PARTY_KINDS:
        org = Org(p, p + len(sx), r.name + sx, sx, suf.kind, suf.party, suf.cls, "post-chain",
                  aliases={sx}, parent=r, anchor="org")
        ctx.add(org)
    elif sx in _COMPANY_BODIES and (company := _company_of(r)) is not None:
        org = Org(p, p + len(sx), company.name + sx, sx, suf.kind, suf.party, suf.cls, "post-chain",
                  aliases={sx}, parent=company, anchor="org")
        ctx.add(org)
    elif sx in _SELF_GOVERNING and (division := _self_governing_division(r, sx, ctx)):
        # 龙溪社区党委书记、居委会主任: the committee of the community the chain names
        org = Org(p, p + len(sx), division + sx, sx, suf.kind, suf.party, suf.cls, "post-chain",
                  aliases={sx}, division=division, anchor="org",
                  division_level=_LEVEL_RANK.get(level_of(division, ctx.focus), 9))
        ctx.add(org)


def _company_of(r: Org) -> Org | None:
    """The company r is, or whose party organization r is; else None."""
    if r.cls == "enterprise" and r.parent is None:
        return r
    if r.party and r.parent is not None and r.parent.root().cls == "enterprise":
        return r.parent.root()
    return None


# The self-governing committees of a village or community, by the level they belong to.
_SELF_GOVERNING = vocab.SELF_GOVERNING


def _self_governing_division(o: Org, sx: str, ctx: _Context) -> str | None:
    """The village or community whose committee (居委会, 村委会 …) a bare `sx` after a chain
    of posts of organization `o` names: o's division when it is of the committee's level."""
    division = o.division or o.located_in
    if division and level_of(division, ctx.focus) == _SELF_GOVERNING[sx]:
        return division
    return None


_FOUNDS_BRANCH = re.compile(r"(?:自|于[0-9]{4}年(?:[0-9]{1,2}月)?)?"
                            rf"(?:{alternation(vocab.FOUND_ADVERB)})?(?:{alternation(vocab.FOUND_BRANCH)})了?"
                            f"({alternation(vocab.FOUNDED_KINDS)})")


def founded_branches(ctx: _Context) -> None:
    """A company or body that founds its party organization (推动XX物业服务有限公司成立党支部,
    XX公司组建党委): the bare kind after the verb is that organization's branch, named by
    it (XX物业服务有限公司党支部, subOrganizationOf the company)."""
    text = ctx.text
    lex = suffixes()
    for o in list(ctx.orgs):
        r = o.root()
        if r.party or r.cls not in ("enterprise", "social", "school", "health"):
            continue
        m = _FOUNDS_BRANCH.match(text, o.end)
        if m is None or ctx.org_end.get(m.end()) is not None or ctx.glued_after(m.end()):
            continue
        kind = m.group(1)
        suf = lex[kind]
        ctx.add(Org(m.start(1), m.end(1), r.name + kind, kind, suf.kind, suf.party, suf.cls,
                    "founded", aliases={kind}, parent=r, tail=kind, anchor="org"))


# ---------------------------------------------------------------------------- rule 7

def bracketed_names(ctx: _Context) -> None:
    """A second name in brackets right after an organization: 安宁区委党校(行政学院) → aliases
    安宁区委党校(行政学院) and 安宁区行政学院."""
    text = ctx.text
    for o in list(ctx.orgs):
        m = re.match(r"[(（]([\u4e00-\u9fff]{2,10})[)）]", text[o.end:o.end + 12])
        if not m:
            continue
        inner = m.group(1)
        if _lookup_suffix(inner) is None:
            continue
        r = o.root()
        b0, b1 = o.end + 1, o.end + 1 + len(inner)
        for x in ctx.orgs:
            if x is not r and x.root() is not r and b0 <= x.start and x.end <= b1:
                x.canonical = r
        r.aliases.add(text[o.start:o.end] + m.group())
        r.aliases.add(r.name + m.group())
        if r.division:
            r.aliases.add(r.division + inner)


# ---------------------------------------------------------------------------- rule 8

def short_forms_alone(ctx: _Context, roots: list[Org]) -> None:
    """A company's short form written on its own later names it again (在瑞岭物业,这样的…)."""
    text = ctx.text
    spans = [(o.start, o.end) for o in ctx.orgs]
    for r in roots:
        for form in sorted(_short_forms(r, ctx), key=lambda f: (-len(f), f)):
            if len(form) < 3 or form not in text:
                continue
            r.aliases.add(form)         # written in the text, on its own or inside a name
            for s, e in occurrences(text, form):
                if any(a <= s < b or a < e <= b for a, b in spans) or ctx.glued_after(e) \
                        or not ctx.starts_token(s):
                    continue
                occ = Org(s, e, r.name, form, r.kind, r.party, r.cls, "short-form", aliases={form},
                          anchor=r.anchor, canonical=r)
                ctx.add(occ)
                spans.append((s, e))
                r.aliases.add(form)


# ---------------------------------------------------------------------------- merging

_ORDINAL_IN_NAME = re.compile(r"第[一二三四五六七八九十0-9]+")      # 第二 of 老干部第二党支部
_QUOTED_PART = re.compile(r"[“‘]([^”’]+)[”’]")


def merge(ctx: _Context) -> list[Org]:
    """One Org per organization of the article; the others point to it by `canonical`.

    Same canonical name; companies with the same core (甘肃鑫海工贸有限责任公司 and 灵台县鑫海工贸
    有限责任公司; 酒钢集团 and 酒钢集团公司); a name and the same with a place before it
    (庆坪中心小学, 渭源县庆坪中心小学); volunteer teams with the same quoted name; 〈unit〉党组织 and
    the unit's named party organization; a name and the same without an ordinal (省法院老干部
    党支部, 省法院老干部第二党支部)."""
    _rename(ctx)
    roots: list[Org] = []
    by_name: dict[str, Org] = {}
    for o in sorted(ctx.orgs, key=lambda o: o.start):
        if o.canonical is not None:
            continue
        if o.name in by_name:
            _absorb(by_name[o.name], o)
            continue
        by_name[o.name] = o
        roots.append(o)
    # companies by core
    cores: dict[str, Org] = {}
    for o in list(roots):
        if o.cls != "enterprise" or o.parent is not None:
            continue
        core = _company_core(o.name, ctx)
        key = core
        other = cores.get(key)
        if other is not None and _compatible(other, o, ctx):
            keep, drop = (other, o) if _completeness(other) >= _completeness(o) else (o, other)
            _absorb(keep, drop)
            roots.remove(drop)
            cores[key] = keep
        else:
            cores.setdefault(key, o)
    # a short form and the full one (甘肃省林草局, 甘肃省林业和草原局): one name the other's alias
    for o in list(roots):
        full = next((r for r in roots if r is not o and r.canonical is None and o.canonical is None
                     and r.kind == o.kind and r.cls == o.cls
                     and (r.name in o.aliases or o.name in r.aliases)), None)
        if full is not None:
            keep, drop = (full, o) if len(full.name) >= len(o.name) else (o, full)
            _absorb(keep, drop)
            roots.remove(drop)
    # a company's 字号 and kind (仁达合作社) for its registered name (仁达枸杞种植专业合作社)
    _merge_trade_names(ctx, roots)
    # a name and the same with a division before it
    for o in list(roots):
        for other in roots:
            if other is o or o.canonical is not None or other.canonical is not None:
                continue
            if other.name.endswith(o.name) and len(other.name) > len(o.name) and o.kind == other.kind:
                lead = other.name[:-len(o.name)]
                if any(lead in (m.name, m.surface) or lead.endswith((m.name, m.surface)) for m in ctx.places) \
                        or lead == (other.division or "-"):
                    _absorb(other, o)
                    roots.remove(o)
                    break
    # volunteer teams with the same quoted name
    quoted: dict[str, Org] = {}
    for o in list(roots):
        if o.cls != "volunteer":
            continue
        q = _QUOTED_PART.search(o.name)
        if not q:
            continue
        other = quoted.get(q.group(1))
        if other is None:
            quoted[q.group(1)] = o
        else:
            _absorb(other, o)
            roots.remove(o)
    # X党组织 = the named party organization of X
    for o in list(roots):
        if o.kind != "党组织":
            continue
        unit = o.name[:-3]
        named = [r for r in roots if r is not o and r.party and r.name.startswith(unit)
                 and r.name[len(unit):] in ("党委", "党总支", "党支部")]
        if len(named) == 1:
            _absorb(named[0], o)
            roots.remove(o)
    # without an ordinal
    without_ordinal = {id(r): _ORDINAL_IN_NAME.sub("", r.name) for r in roots}   # (_absorb keeps names)
    for o in list(roots):
        for other in roots:
            if other is o or o.canonical is not None:
                continue
            stripped = without_ordinal[id(other)]
            if stripped != other.name and stripped == o.name:
                _absorb(other, o)
                roots.remove(o)
                break
    # names built on a parent take the parent's final name; then same names are one
    _rename(ctx)
    by_name = {}
    for o in list(roots):
        if o.name in by_name and by_name[o.name] is not o:
            _absorb(by_name[o.name], o)
            roots.remove(o)
        else:
            by_name[o.name] = o
    return roots


def _trade_name(o: Org, ctx: _Context) -> str:
    """仁达 for 格尔木仁达合作社 and 仁达枸杞种植 for 仁达枸杞种植专业合作社: the company's core
    without the suffix of its kind."""
    core = _company_core(o.name, ctx)
    suf = _lookup_suffix(core)
    return core[:-len(suf.text)] if suf is not None and core.endswith(suf.text) else core


def _merge_trade_names(ctx: _Context, roots: list[Org]) -> None:
    """A company named by its 字号 and kind is the one company of that kind whose registered
    name begins with the same 字号 (仁达合作社 → 仁达枸杞种植专业合作社)."""
    companies = [o for o in roots if o.cls == "enterprise" and o.parent is None and o.canonical is None]
    heads = {id(o): _trade_name(o, ctx) for o in companies}    # names do not change in _absorb
    for short in companies:
        head = heads[id(short)]
        if len(head) < 2 or _is_generic(head, ctx) or head in ctx.place_forms:
            continue
        longer = [o for o in companies if o is not short and o.kind == short.kind and o.canonical is None
                  and heads[id(o)].startswith(head) and len(heads[id(o)]) > len(head)]
        if len(longer) == 1 and short in roots:
            _absorb(longer[0], short)
            roots.remove(short)


def _rename(ctx: _Context) -> None:
    """Names built on a parent (parent + tail) follow the parent's canonical name."""
    for _ in range(3):
        for o in ctx.orgs:
            if o.parent is not None and o.tail is not None:
                p = o.parent.root()
                o.parent = p
                name = p.name + o.tail
                if name != o.name:
                    o.aliases.add(o.name)
                    o.name = name
                for a in list(p.aliases):
                    if len(a) >= 2 and a != p.name:
                        o.aliases.add(a + o.tail)


def _absorb(keep: Org, drop: Org) -> None:
    drop.canonical = keep
    keep.aliases |= drop.aliases | {drop.surface, drop.name}
    keep.nested = keep.nested and drop.nested
    if keep.parent is None and drop.parent is not None and drop.parent.root() is not keep:
        keep.parent = drop.parent
    if keep.parent_name is None:
        keep.parent_name = drop.parent_name
    if drop.division and (keep.division is None or drop.division_level > keep.division_level):
        if keep.cls == "enterprise":
            keep.division, keep.division_level = drop.division, drop.division_level
        elif keep.division is None:
            keep.division, keep.division_level = drop.division, drop.division_level


def _completeness(o: Org) -> tuple:
    forms = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "公司", "集团")
    rank = next((len(forms) - i for i, f in enumerate(forms) if o.name.endswith(f)), 0)
    return (rank, -o.start)


def _compatible(a: Org, b: Org, ctx: _Context) -> bool:
    """Two companies with the same core are one unless written with two different lower places,
    or one is a nationwide brand and the other a company registered in a place."""
    if (a.anchor == "national") != (b.anchor == "national") and (a.division or b.division):
        return False                    # 顺丰速运 and 成都顺丰速运有限公司: the brand and a local company
    da = a.division if a.division_level > 0 else None
    db = b.division if b.division_level > 0 else None
    if da is None or db is None or da == db or ctx.focus[:1] in ([da], [db]):
        return True
    # one place written inside the other's chain: 焦作龙蟒佰利联集团 and 河南省焦作市中站区龙蟒
    # 佰利联公司 (中站区 lies in 焦作市)
    stem_a, stem_b = division_stems(da)[:1] or [da], division_stems(db)[:1] or [db]
    return any(f in x for f in (db, *stem_b) for x in (a.name, a.surface, *a.aliases)) or \
        any(f in x for f in (da, *stem_a) for x in (b.name, b.surface, *b.aliases))


# ---------------------------------------------------------------------------- relations

def _founded_by(ctx: _Context, o: Org) -> Org | None:
    """The organization that founded a team: the subject of the sentence, an organization
    written at its start, followed by 成立/组建 before the team (…党支部…成立“银发生辉”志愿服务队)."""
    s0, _ = ctx.sentence_of(o.start)
    lead = re.match(r"[\s“”]*(?:近年来|同时|此外|目前|近日|日前|今年以来)?[,，]?", ctx.text[s0:o.start])
    begin = s0 + (lead.end() if lead else 0)
    subjects = [x for x in ctx.orgs if x.start == begin and x is not o]
    if not subjects:
        return None
    subject = max(subjects, key=lambda x: x.end)
    between = ctx.text[subject.end:o.start]
    if re.search(r"(?:说|表示|介绍|指出|坦言)[，,：:]", between):
        return None                     # 街道党工委书记王某说，街道组建…: the speaker's organization
                                        # is a source; the clause after it names the founder
    if re.search(r"(成立|组建|组织成立|牵头成立)[了]?[^，。；]{0,6}$", between) or re.search(r"(成立|组建)", between):
        return subject.root()
    return None


def locate(ctx: _Context, roots: list[Org]) -> None:
    """The division each organization sits in (locatedIn) and its parent (subOrganizationOf)."""
    text = ctx.text
    # a school under the 学区 of the same place (渭源县庆坪中心小学 → 渭源县庆坪学区)
    for o in roots:
        if o.cls == "school" and o.kind != "学区" and o.parent is None:
            stem = re.sub(r"(中心小学|小学|中学|初级中学|中心校|学校|幼儿园)$", "", o.name)
            for r in roots:
                if r.kind == "学区" and r.name[:-2] == stem:
                    o.parent = r
    for o in roots:
        if o.parent is None and o.cls in ("volunteer",):
            for occ in ctx.orgs:
                if occ.root() is o:
                    founder = _founded_by(ctx, occ)
                    if founder is not None and founder is not o:
                        o.parent = founder
                        break
    _party_hierarchy(ctx, roots)
    for o in roots:
        if o.cls != "enterprise":
            continue
        o.state_owned = o.state_owned or bool(re.search(r"城投|国投|国资|国有", o.name)) or \
            bool(re.search(r"国有[\u4e00-\u9fff]{0,6}企业[,，]?$", text[max(0, o.start - 16):o.start]))
    for o in roots:
        o.located_in = _location(ctx, o)


_BRANCH_KINDS = vocab.BRANCH_KINDS


def _party_hierarchy(ctx: _Context, roots: list[Org]) -> None:
    """Parents of party organizations of villages and communities, where the article names them:
    a branch of a site in the village (赵家庄村养殖示范区党支部, 甘家巷社区第三网格党支部) is under
    the village's own party organization (赵家庄村党总支); a community's party organization
    (苏州路社区党委) under the one of the street or town it lies in (望城街道党工委), as the chain
    written or the article's focus gives it."""
    by_division: dict[str, list[Org]] = {}
    for r in roots:
        if r.party and r.division and r.name.startswith(r.division):
            by_division.setdefault(r.division, []).append(r)
    for o in roots:
        if not o.party or o.parent is not None or o.parent_name or not o.division \
                or not o.name.startswith(o.division) or level_of(o.division, ctx.focus) not in ("村", "社区", "嘎查"):
            continue
        rest = o.name[len(o.division):]
        if not rest.endswith(_BRANCH_KINDS):
            continue
        if rest in _BRANCH_KINDS:
            # only a community's: a village's branch is as often placed under an industry's
            # joint committee (油茶产业联合党委) as under its town's, and the press rarely says which
            if level_of(o.division, ctx.focus) != "社区":
                continue
            up = _parent_division(ctx, o.division)
            if up is None or level_of(up, ctx.focus) not in ("乡", "镇", "街道", "苏木"):
                continue
            owners = [r for r in by_division.get(up, []) if r.name[len(up):] in ("党委", "党工委")]
        else:
            owners = [r for r in by_division.get(o.division, [])
                      if r is not o and r.name[len(o.division):] in _BRANCH_KINDS]
        if len(owners) == 1:
            o.parent = owners[0]


def _parent_division(ctx: _Context, division: str) -> str | None:
    """The division `division` lies in: the one written before it in a chain (望城街道|苏州路社区),
    else the one before it in the article's focus, else None."""
    for m in ctx.places:
        if m.name == division:
            _, chain = ctx.chain_start(m)
            if len(chain) > 1:
                return chain[-2].name
    if division in ctx.focus:
        i = ctx.focus.index(division)
        return ctx.focus[i - 1] if i > 0 else None
    return None


_STATED_AT = re.compile(f"(?:{alternation(vocab.STATED_AT)})")


# What joins an owner written before an organization to it: 龙溪村的…合作社, 龙溪村党支部领办的…
# (kg/relate.py reads the same words).
OWNER_VERBS = vocab.OWNER
_OWNED_BY = re.compile(f"(?:(?:{'|'.join(OWNER_VERBS)})的|的)$")


def _stated_division(ctx: _Context, o: Org) -> str | None:
    """The division an organization is said to be in: right after its name (X是孝丰镇的…,
    X位于城关镇…, the innermost of a chain written there), or right before it (龙溪村的X,
    龙溪村党支部领办的X: the division of the village's organization); or None."""
    for occ in ctx.orgs:
        if occ.root() is not o:
            continue
        m = _STATED_AT.match(ctx.text, occ.end)
        div = ctx.div_start.get(m.end()) if m else None
        if div is not None:
            return ctx.chain_end(div).name
        before = _owner_division(ctx, occ)
        if before is not None:
            return before
    return None


def _owner_division(ctx: _Context, occ: Org) -> str | None:
    """龙溪村的X, 龙溪村党支部领办的X: the division written (or whose organization is written)
    right before occ and joined to it by 的 or 领办的 …, or None."""
    m = _OWNED_BY.search(ctx.text, max(0, occ.start - 6), occ.start)
    if m is None:
        return None
    div = ctx.div_end.get(m.start())
    if div is not None:
        return div.name
    owner = ctx.org_end.get(m.start())
    if owner is not None and owner.root() is not occ.root() and owner.root().anchor == "div" \
            and m.group() != "的":
        return owner.root().division
    return None


def _unit_location(ctx: _Context, o: Org) -> str:
    """A company's unit with a division in its name (…有限公司成华营业部): that division, or a
    lower one the sentence puts it in (在保和街道，…营业部)."""
    lower = ctx.first_division_in_sentence(o.start)
    if lower is not None and _LEVEL_RANK.get(level_of(lower.name, ctx.focus), 0) > o.division_level:
        return lower.name
    return o.division


_LEVEL_WORD_END = re.compile(r"(省|市|县|区|乡|镇|街道|村|社区)$")


def _location(ctx: _Context, o: Org) -> str | None:
    if o.anchor == "national" and not o.division:
        return None
    parent = o.parent.root() if o.parent is not None else None
    if parent is not None:
        if o.division and parent.anchor == "national":
            return o.division           # 中国新闻社甘肃分社
        if o.party and o.kind in ("党委", "党总支", "党支部", "党组织") and \
                parent.cls in ("enterprise", "social", "school", "health", "media", "volunteer"):
            return parent.located_in or _location(ctx, parent)
        if o.division and (o.anchor in ("div", "level") or o.rule in ("post-chain", "enumeration")):
            return o.division
        if o.cls == "enterprise" and parent.cls == "enterprise" and o.division:
            return _unit_location(ctx, o)
        if o.cls == "enterprise" and parent.cls == "enterprise" and o.kind == "工作部门":
            return None                 # a company's department (党群工作部): a unit of a body
        if o.cls == "enterprise" and parent.cls == "enterprise":
            return parent.located_in or _location(ctx, parent)
        if o.party and parent.party and o.division and o.name.startswith(o.division):
            return o.division           # 赵家庄村养殖示范区党支部 under 赵家庄村党总支: in 赵家庄村
        if parent.party and parent.kind in ("委员会", "党委") and (o.division or parent.division):
            return o.division or parent.division
        return None
    stated = _stated_division(ctx, o)
    if stated is not None and _LEVEL_RANK.get(level_of(stated, ctx.focus), 9) > \
            (o.division_level if o.division else -1):
        return stated                   # …有限公司是孝丰镇的一家企业, …位于城关镇
    if o.division:
        if o.cls == "enterprise" and o.division_level == 0:
            lower = ctx.first_division_in_sentence(o.start)
            if lower is not None and _LEVEL_RANK.get(level_of(lower.name, ctx.focus), 0) > 0:
                return lower.name
        setting = ctx.subject_division(o.start, after_zai=True) if o.cls == "enterprise" and \
            ctx.inside_org(o.start, o.end) is None else None    # (not a company named in its unit's name)
        if setting is not None and _LEVEL_RANK.get(level_of(setting, ctx.focus), 0) > max(o.division_level, 2):
            return setting              # 在清江镇桃源村的车间里，…创办长阳县桃源竹艺有限公司
        return o.division
    if o.anchor == "national":
        return None
    # a name starting with a division's stem: 上杨生态旅游开发有限责任公司 → 上杨乡
    stems = {}
    for m in ctx.places:
        stem = _LEVEL_WORD_END.sub("", m.name)
        if len(stem) >= 2 and o.name.startswith(stem):
            stems[m.name] = stems.get(m.name, 0) + 1
    if stems:
        return max(stems, key=lambda n: (stems[n], -_LEVEL_RANK.get(level_of(n, ctx.focus), 9)))
    if o.kind in ("委员会",) and o.rule == "enumeration":
        return None
    return _sentence_place(ctx, o.start)


# ---------------------------------------------------------------------------- main

def find_organizations(doc: Doc) -> list[Mention]:
    """Organization mentions of an article, each with its canonical name and attrs
    {party, kind, org_class, aliases, parent, located_in, state_owned}. Reads the division
    mentions found before (doc.found("AdministrativeUnit")) and the names of doc.focus."""
    ctx = _Context(doc)
    national_bodies(ctx)
    abbreviated_names(ctx)
    party_committees(ctx)
    suffix_names(ctx)
    enumerations(ctx)
    posts_chain_kinds(ctx)
    founded_branches(ctx)
    bracketed_names(ctx)
    roots = merge(ctx)
    short_forms_alone(ctx, roots)
    _mark_nested(ctx)
    locate(ctx, roots)
    return _mentions(ctx, roots)


def _mark_nested(ctx: _Context) -> None:
    """Party committees written only inside a department's name (兰州市委|组织部) are not
    mentioned on their own: the department names them, the reader does not."""
    for o in ctx.orgs:
        if o.kind == "委员会" and o.party and o.rule in ("committee", "abbreviation"):
            o.nested = any(x is not o and x.start <= o.start and o.end < x.end for x in ctx.orgs)
    standalone: dict[int, bool] = {}
    for o in ctx.orgs:
        r = o.root()
        standalone[id(r)] = standalone.get(id(r), False) or not o.nested
    for o in ctx.orgs:
        o.root().nested = not standalone[id(o.root())]


def _mentions(ctx: _Context, roots: list[Org]) -> list[Mention]:
    out = []
    for o in ctx.orgs:
        o.root().aliases.add(o.surface)     # every form written is an alias
    for o in sorted(ctx.orgs, key=lambda o: (o.start, o.end)):
        r = o.root()
        if r.nested:
            continue
        parent = r.parent.root().name if r.parent is not None else r.parent_name
        if parent == r.name:
            parent = None
        aliases = {a for a in r.aliases | {o.surface} if a and a != r.name}
        attrs = {"party": r.party, "kind": r.kind, "org_class": r.cls, "aliases": aliases,
                 "parent": parent, "located_in": r.located_in}
        if r.state_owned:
            attrs["state_owned"] = True
        out.append(Mention("Organization", o.surface, o.start, o.end, r.name, attrs))
    return out
