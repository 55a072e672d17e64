"""Stage 6: relations between the entities of an article, and what each statistic is about.

Input: an article, its selected mentions and their entity keys, the divisions
it is about (focus), and the pairs the program finder read off the text
(partOf, targets). Output: `Relation`s with evidence, and statistics with
their `about`.

Who runs a program and where is read the way a careful reader reads it, clause
by clause (clauses end at , ; : outside quotes and titles):

- a clause opens with its subject: an organization or a division (after a time
  phrase such as 近年来), or a scope 全县 / 全街道 …, which stands for the
  nearest division of that level (全国: no local place); a clause without one
  goes on with the subject of the clause before it in the sentence;
- 「在X,」 (在 + a division) says where, not who: 在灵峰街道横山坞村,村党委推出…
  is run by 村党委 in 横山坞村;
- a subject followed by a speech verb (X相关负责人表示, X书记Y介绍, X数据显示)
  is a source: it runs nothing in its sentence, and the clause after it has
  its own subject (…表示,全区已在…);
- 在X的…下 (under someone's help) names neither subject nor setting; a news
  agency signing a dateline or a source line (来源: 新华社) leads nothing;
- a sentence without a subject goes on with the nearest sentence before it in
  the paragraph that has one, then the paragraph's first sentence, else (for
  organizations) with the subject the article opens with; the place defaults
  to the village, community or township the article keeps returning to, else
  the division the article is about;
- the organization or division written right before a program's name owns it
  (文亭巷社区党委“五融五筑”, 社区“积分超市”); partners listed after 联合/携手/会同
  and a doer named with 由 (由X牵头实施) run it too; groups it is done for
  (为/面向/针对/帮助/关爱/惠及 + group) are its targets;
- a post written right after an organization or division (党扭村驻村第一书记李某)
  affiliates the person with it when the people finder left the post open.

What a statistic is about is what its clause tells of (_thing): a person at its
head (his own figures), a facility named past the subject, the subject or 全县
scope, or a bare head word pointing back (党委将…, 公司两千多名员工, 该村); a
village's own body (村委会, 村党支部) counts for its village.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass, field, replace
from functools import lru_cache

import ahocorasick

from . import vocab
from .find.organizations import OWNER_VERBS
from .lexicon import load
from .model import Article, Evidence, Mention, Relation, Statistic
from .vocab import alternation

Key = tuple[str, str]

# Time and linking phrases that may stand before a clause's subject.
# (The first date form can match nothing, so the words of RELATE_LEAD_LATE after it are never
# reached; kept so for identical output.)
_LEAD = re.compile(rf"^[“\"]?(?:(?:{alternation(vocab.RELATE_LEAD)}|"
                   r"(?:[0-9]{4}年)?(?:[0-9]{1,2}月(?:[0-9]{1,2}日|底|初|上旬|中旬|下旬)?)?(?:以来|起|开始)?|"
                   r"[0-9]{4}年(?:[0-9]{1,2}月)?(?:以来|起)?|"
                   rf"[0-9一二三四五六七八九十]+年来|近[一二三四五六七八九十两]年来?|{alternation(vocab.RELATE_LEAD_LATE)})"
                   r"[,，、]?)*")
SUBJECT_TYPES = ("Organization", "AdministrativeUnit")

# What makes the subject before it a source, up to the end of its clause:
# 南山区委组织部相关负责人表示, 街道党工委书记赵明介绍, 湄潭县委组织部数据显示, 据县统计局统计,
# 成华区委常委、组织部部长、区委社会工作部部长李晓东介绍.
_SOURCE = re.compile(r"[^“”\"]{0,30}?" + f"(?:{alternation(vocab.SOURCE_SPEECH)})"
                     r"|的?(?:统计)?数据显示|统计显示|统计")
# 全县, 全街道 …: the whole of the division of that level (全区域, 全市场 are no scopes); 我县, 本市: the
# publisher's own division of that level, read the same way.
_SCOPE = re.compile(rf"[全我本]({alternation(vocab.SCOPE_LEVELS)})(?![域级场])|各地")
_NATIONAL = vocab.COUNTRY_LEVELS + (None,)       # 全国, 各地: no one local place
_CLAUSE_MARKS = ",，;；:："
# Words that open a clause with a partner of the subject before, not a subject (与XX公司合作).
_PARTNER_MARKS = "".join(vocab.PARTNER_MARK)
# Prepositions that make the name after them no subject (由X担任, 以X为代表, 对X进行…).
_PREPOSITIONS = "".join(vocab.RELATE_PREP)
_SENTENCE_CLOSE = "。!?！？…”’\""
_OPENERS, _CLOSERS = "“《(（", "”》)）"
_CLAUSE_CHARS = re.compile("[" + re.escape(_OPENERS + _CLOSERS + _CLAUSE_MARKS) + "]")


@dataclass
class Located:
    """A mention with its entity key (None for a scope that names no local place: 全国).

    in_name: the mention is part of a program's, facility's … name (“余村议事”工作法), so no
    subject of a clause; set by mark_names_inside(), which Topics runs on its input."""
    mention: Mention
    key: Key | None
    in_name: bool = field(default=False, compare=False)


@dataclass
class Clause:
    """What a clause says about who and where: its subject (actor), a source it quotes
    (speaker), a place it is set in (where, from 在X)."""
    start: int
    actor: Located | None = None
    speaker: Located | None = None
    where: Located | None = None
    thing: Located | None = None     # what the clause tells of, for statistics (see _thing)
    bare: bool = False               # nothing but a time or linking phrase (近年来,)


@dataclass
class SentenceTopic:
    """The clauses of a sentence, and its subject, source and place."""
    clauses: list[Clause] = field(default_factory=list)

    @property
    def own(self) -> Located | None:
        return next((c.actor for c in self.clauses if c.actor is not None), None)

    @property
    def speaker(self) -> Located | None:
        return next((c.speaker for c in self.clauses if c.speaker is not None), None)

    @property
    def where(self) -> Located | None:
        return next((c.where for c in self.clauses if c.where is not None), None)

    def _last_before(self, offset: int, role: str) -> Located | None:
        """The `role` (actor or where) of the nearest clause at or before offset that has one."""
        found = None
        for c in self.clauses:
            if c.start > offset:
                break
            found = getattr(c, role) or found
        return found

    def thing_at(self, offset: int) -> Located | None:
        """What the nearest clause at or before offset that opens with something tells of."""
        return self._last_before(offset, "thing")

    def actor_at(self, offset: int) -> Located | None:
        """The subject in force at offset: that of the nearest clause before it that has one."""
        return self._last_before(offset, "actor")

    def setting(self, offset: int) -> bool:
        """True when offset lies in a clause that sets a place (在X…)."""
        clause = next((c for c in reversed(self.clauses) if c.start <= offset), None)
        return clause is not None and clause.where is not None

    def where_at(self, offset: int) -> Located | None:
        """The place a 在X clause before offset sets."""
        return self._last_before(offset, "where")


# A news agency's dateline after its name: 新华社拉萨5月13日电, 本报北京3月2日讯.
_DATELINE = re.compile(r"[^,，。;；\n]{0,8}?[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日(?:电|讯)")

_SOURCE_LINE = re.compile(f"(?:{alternation(vocab.SOURCE_LABEL)})" + r"\s*[:：]\s*$")


def _dateline(text: str, m: Mention) -> bool:
    """True when the organization m only signs a dateline (新华社拉萨5月13日电) or a page's
    source line (来源: 新华社): the agency reports the article and is no subject of it."""
    return bool(_DATELINE.match(text, m.end) or _SOURCE_LINE.search(text, max(0, m.start - 8), m.start))


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _clause_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where the clauses of text[start:end] begin; marks inside quotes, titles
    and brackets do not cut."""
    starts, depth = [start], 0
    for m in _CLAUSE_CHARS.finditer(text, start, end):     # the other characters change nothing
        i, ch = m.start(), m.group()
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_MARKS and depth == 0 and i + 1 < end:
            starts.append(i + 1)
    return starts


def _opening_mention(located: list[Located], begin: int, scopes: "_Scopes") -> Located | None:
    """The organization or division written at begin (or one character after: 据X统计).
    scopes: the _Scopes of `located`.

    A written chain of divisions (甘肃省兰州市) counts as its last, deepest link;
    an organization whose name starts with a division (兰州市委组织部) wins over it.
    """
    candidates = [loc for loc in scopes.starting(begin, begin + 1)
                  if loc.mention.type in SUBJECT_TYPES and not loc.in_name]
    if not candidates:
        return None
    best = max(candidates, key=lambda loc: (loc.mention.end - loc.mention.start,
                                            loc.mention.type == "Organization"))
    if best.mention.type == "AdministrativeUnit":
        # follow the chain: 甘肃省 → 兰州市 written right after it
        end = best.mention.end
        for loc in sorted(located, key=lambda l: l.mention.start):
            if loc.mention.type == "AdministrativeUnit" and loc.mention.start == end:
                best, end = loc, loc.mention.end
        # an organization named from the last link (兰州市委组织部) or right after it (成都|顺丰…公司)
        org_after = [loc for loc in located if loc.mention.type == "Organization"
                     and loc.mention.start in (best.mention.start, best.mention.end)]
        if org_after:
            best = max(org_after, key=lambda loc: loc.mention.end)
    return best


# What joins an owner to the organization it owns, which is then the clause's subject:
# 龙溪村党支部领办的…合作社, 龙溪村的…合作社.
_OWNED_BY = re.compile(f"(?:{'|'.join(OWNER_VERBS)})?的")


def _owned(text: str, opening: Located, located: list[Located]) -> Located:
    """The organization written right after the clause's opening mention and joined to it by
    (领办)的: the head of the phrase, so the subject (龙溪村党支部领办的XX合作社 → the
    cooperative); else the opening mention itself."""
    best = opening
    for _ in range(3):
        end = best.mention.end
        after = [loc for loc in located if loc.mention.type == "Organization"
                 and end < loc.mention.start <= end + 5]
        nxt = min(after, key=lambda loc: (loc.mention.start, -loc.mention.end), default=None)
        if nxt is None or not _OWNED_BY.fullmatch(text, end, nxt.mention.start):
            break
        best = nxt
    return best


def mark_names_inside(located: list[Located]) -> list[Located]:
    """The same mentions, each with in_name set: True when it lies inside another mention
    that is no subject type (a program's, facility's … name) and is not that whole name."""
    names = sorted((o.mention.start, o.mention.end) for o in located if o.mention.type not in SUBJECT_TYPES)
    starts = [a for a, _ in names]
    reach = list(accumulate((b for _, b in names), max))   # reach[i]: the furthest end of names[:i + 1]
    longest_from: dict[int, int] = {}                         # start → the furthest end of a name there
    for a, b in names:
        longest_from[a] = max(longest_from.get(a, b), b)

    def inside(s: int, e: int) -> bool:
        i = bisect_left(starts, s)          # names[:i] start before s: one reaching e holds it;
        return (i > 0 and reach[i - 1] >= e) or longest_from.get(s, e) > e   # one starting at s
                                                                              # must run on past e
    return [Located(loc.mention, loc.key, inside(loc.mention.start, loc.mention.end)) for loc in located]


_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2, "special": 2, "township": 3, "village": 4}


def _deeper(a: Located | None, b: Located | None) -> Located | None:
    """The lower of two divisions in the hierarchy (a on a tie or when levels are unknown)."""
    if a is None or b is None:
        return a or b
    rank = lambda loc: _LEVEL_RANK.get(loc.mention.attrs.get("level"), -1)
    return b if rank(b) > rank(a) else a


class _Scopes:
    """全县, 全街道 … read as the division of that level: the nearest one of that level named
    before in the paragraph, else the article's focus when it is of that level, else the
    nearest named before in the article. 全国 is a scope with no local place (key None).

    It also finds the article's mentions by where they start (`starting`), which the reading
    of every clause asks several times."""

    def __init__(self, article: Article, located: list[Located], focus: Key | None):
        self.text = article.text
        self.located = located
        # positions in `located`, ordered by start; and those starts
        self._by_start = sorted(range(len(located)), key=lambda i: located[i].mention.start)
        self._starts = [located[i].mention.start for i in self._by_start]
        self.divisions = sorted((loc for loc in located if loc.mention.type == "AdministrativeUnit"
                                 and loc.key is not None), key=lambda loc: loc.mention.start)
        self.focus = next((loc for loc in self.divisions if loc.key == focus), None)
        self.paragraph_starts = _paragraph_starts(article.text)

    def starting(self, low: int, high: int) -> list[Located]:
        """The mentions of `located` that start at low … high (both included), in the order
        of `located`."""
        first, last = bisect_left(self._starts, low), bisect_right(self._starts, high)
        return [self.located[i] for i in sorted(self._by_start[first:last])]

    def read(self, level: str | None, start: int, end: int) -> Located | None:
        """The scope 全<level> written at text[start:end] as a Located, or None when no
        division of that level is known."""
        surface = self.text[start:end]
        if level in _NATIONAL:
            return Located(Mention("AdministrativeUnit", surface, start, end, surface, {"scope": True}), None)
        paragraph = self.paragraph_starts[bisect_right(self.paragraph_starts, start) - 1]
        before = [loc for loc in self.divisions
                  if loc.mention.start < start and (loc.mention.name or "").endswith(level)]
        in_paragraph = [loc for loc in before if loc.mention.start >= paragraph]
        division = (in_paragraph[-1] if in_paragraph else
                    self.focus if self.focus is not None and (self.focus.mention.name or "").endswith(level)
                    else before[-1] if before else None)
        if division is None:
            return None
        return Located(Mention("AdministrativeUnit", surface, start, end, division.mention.name,
                               {"scope": True}), division.key)


def _read_clause(text: str, start: int, end: int, located: list[Located], scopes: _Scopes) -> Clause:
    """Subject, source, place and thing (see _thing) of the clause text[start:end]."""
    lead = _LEAD.match(text[start:end])
    begin = start + (lead.end() if lead else 0)
    while end > begin and text[end - 1] in _SENTENCE_CLOSE:
        end -= 1
    clause = Clause(start)
    if begin >= end:
        clause.bare = True
        return clause
    _read_roles(text, begin, end, clause, located, scopes)
    clause.thing = _thing(text, begin, end, clause, located, scopes)
    return clause


def _read_roles(text: str, begin: int, end: int, clause: Clause, located: list[Located],
                scopes: _Scopes) -> None:
    """Set the subject, source or place of CLAUSE from its text[begin:end] (time phrase and
    closing marks already cut off)."""
    scope = _SCOPE.match(text, begin, end)
    if scope:
        clause.actor = scopes.read(scope.group(1), begin, scope.end())
        return
    if text.startswith("在", begin) and text[end - 1] == "下":
        return                          # 在省委编办的精准帮扶下,…: under someone's help, no subject
    if text.startswith("在", begin):
        clause.where = _setting(text, begin, end, located, scopes)
        if clause.where is None:            # 在瑞岭物业,…: inside an organization, which acts
            opening = _opening_mention(located, begin + 1, scopes)
            if opening is not None and opening.mention.type == "Organization":
                clause.actor = opening
        return
    if text[begin] in _PARTNER_MARKS:
        return                          # 与XX公司签订协议: a partner, not the subject
    if text.startswith("由", begin) and _COMPOSED.search(text, begin, end):
        return                          # 由湖头、尹山等7个自然村组成: the parts of what the sentence
                                        # tells of, none of them its subject
    opening = _opening_mention(located, begin, scopes)
    if opening is None:
        return
    opening = _owned(text, opening, located)
    person = _employee_after(text, opening, located)
    if person is not None:
        clause.actor = person           # 顺丰速运快递员赵某参加…: the person acts, not the company
        return
    if opening.mention.end <= end and _SOURCE.fullmatch(text, opening.mention.end, end):
        clause.speaker = opening
    else:
        clause.actor = opening


# How a clause that lists the parts of its sentence's subject ends: 由A、B等7个自然村组成.
_COMPOSED = re.compile(r"(?:组成|构成)$")


# Verbs of holding parts that open a clause right after a body is named (vocab: contains).
_CONTAINS = re.compile(f"(?:{alternation(vocab.CONTAINS)})")


# Types whose name at the head of a clause says what its figures are about, when the name is
# longer than the division or organization the clause opens with (东方洋社区居民工作站 over 东方洋社区).
_THING_TYPES = ("Facility",)
# Words that point back to something named before: 该村, 本社区, 这家公司, 村里.
_DEMONSTRATIVE = re.compile(f"(?:{alternation(vocab.DEMONSTRATIVE)})")
_DIVISION_BACK = re.compile(rf"(?:该|本)({alternation(vocab.BACK_LEVELS)})|({alternation(vocab.BACK_LI_LEVELS)})里")


def _thing(text: str, begin: int, end: int, clause: Clause, located: list[Located],
           scopes: _Scopes) -> Located | None:
    """What the clause text[begin:end] (time phrase already skipped) tells of, which is what its
    figures are about:

    - a person written at its head, alone or after the organization and post it holds
      (谭荣生有32年党龄; 某集团装配班班长隋毅,有着23年的党龄): figures of one person are his;
    - a facility, place or program whose name runs past the clause's subject
      (东方洋社区居民工作站已累计上报办件4500余件: the station's, not the community's);
    - the clause's subject, source or place (organization, division, scope 全县, 在X);
    - a bare head word pointing back (党委将…1848名骑手, 公司两千多名员工, 合作社固定资产…,
      驿站位于…, 该村/村里…): the nearest thing named before whose name ends with that head,
      or for a division word the division of that level in force (as for 全村).
    None when the clause opens with none of these."""
    if _CONTAINS.match(text, begin):
        # …产业联盟党委,下辖47个党支部: the body the clause before ends with holds the parts
        body = [loc for loc in located if loc.mention.type in ("Organization", "Facility")
                and begin - 2 <= loc.mention.end <= begin - 1]
        if body:
            return max(body, key=lambda loc: loc.mention.end - loc.mention.start)
    subject = clause.actor or clause.where or clause.speaker
    subject_end = subject.mention.end if subject is not None and subject.mention.start >= begin else begin
    longer = [loc for loc in scopes.starting(begin, begin + 1) if loc.mention.type in _THING_TYPES
              and loc.mention.end > subject_end]
    if longer:
        return max(longer, key=lambda loc: loc.mention.end)
    # a person after an organization and a post (县委书记王某), or alone; not after a division or
    # a scope (全县1600多名党员…: the county's figures)
    person = None if clause.actor is not None and clause.actor.mention.type != "Organization" \
        else _person_at_head(text, begin, end, scopes)
    if person is not None:
        return person
    if subject is not None:
        return subject
    return _referred(text, begin, end, located, scopes)


def _person_at_head(text: str, begin: int, end: int, scopes: _Scopes) -> Located | None:
    """A person named at the head of the clause, right after a post or role title and what
    holds it (县委书记王某, 某厂装配班班长隋毅), or at its very start."""
    # the first person, in the order of the text, that starts within 20 characters
    persons = [loc for loc in scopes.starting(begin, begin + 20)
               if loc.mention.type == "Person" and loc.mention.start < end]
    if not persons:
        return None
    loc = min(persons, key=lambda l: l.mention.start)
    m = loc.mention
    between = text[begin:m.start]
    if _SOURCE.fullmatch(text, m.end, end):
        return None                 # 村党支部书记郑某说,…: a source, whose figures follow
    if between[:1] in _PREPOSITIONS:
        return None                 # 由社区书记刘成军担任…, 以潘某为代表: the person is no subject
    if not between or (not re.search(r"[,，、;；:：“”\"的0-9]", between)
                       and any(between.endswith(t) for t in _title_set(False))):
        return loc
    return None


def _titles_only(gap: str, posts_only: bool = False) -> bool:
    """True when gap is nothing but post (or, unless posts_only, role) titles, joined by 、 or
    兼, each perhaps after 驻村/派驻 (驻村第一书记, 常委、组织部部长)."""
    if not gap:
        return False
    titles = _title_set(posts_only)
    for part in re.split(r"[、兼]", gap):
        part = re.sub(r"^(?:驻村|派驻)", "", part)
        if not part or not _covered_by_titles(part, titles):
            return False
    return True


def _covered_by_titles(part: str, titles: frozenset[str]) -> bool:
    """True when part is one title or titles written one after another (常委组织部部长 is not:
    组织部 is no title, so a department stands there)."""
    if part in titles:
        return True
    return any(part.endswith(t) and _covered_by_titles(part[:-len(t)], titles) for t in titles if len(t) < len(part))


@lru_cache(maxsize=2)
def _title_set(posts_only: bool) -> frozenset[str]:
    """The titles of kg/lexicon/post_titles.tsv: posts, and roles too unless posts_only."""
    kinds = ("post",) if posts_only else ("post", "role")
    return frozenset(r["title"] for r in load("post_titles") if r["kind"] in kinds)


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """How names of organizations, facilities and places end (kg/lexicon/org_suffixes.tsv,
    facility_kinds.tsv, place_suffixes.tsv): the head words a bare back-reference is made of."""
    heads = {r["suffix"] for r in load("org_suffixes")} | {r["name"] for r in load("facility_kinds")} \
        | {r["suffix"] for r in load("place_suffixes")}
    return frozenset(h for h in heads if len(h) >= 2)


@lru_cache(maxsize=1)
def _head_finder() -> ahocorasick.Automaton:
    """An automaton of _heads(): its iter(text, start, end) gives every head word inside
    text[start:end], overlapping ones too, as (offset of its last character, head)."""
    finder = ahocorasick.Automaton()
    for head in _heads():
        finder.add_word(head, head)
    finder.make_automaton()
    return finder


def _referred(text: str, begin: int, end: int, located: list[Located], scopes: _Scopes) -> Located | None:
    """The thing a clause's bare head word points back to (see _thing), or None."""
    division = _DIVISION_BACK.match(text, begin, end)
    if division:
        return scopes.read(division.group(1) or division.group(2), begin, division.end())
    demonstrative = _DEMONSTRATIVE.match(text, begin, end)
    b = demonstrative.end() if demonstrative else begin
    # the lengths of the words text[b:b + length] that end in a head word
    reach = min(8, end - b)
    ending = {e + 1 - b for e, _ in _head_finder().iter(text, b, b + reach)}
    earlier = None          # the things named before the clause, read at the first head word
    for length in range(reach, 1, -1):
        if length not in ending:
            continue
        word = text[b:b + length]
        if earlier is None:
            earlier = [loc for loc in located if loc.mention.type in ("Organization", "Facility", "Place")
                       and loc.mention.end <= begin]
            if not earlier:
                return None             # nothing named before that a shorter word could name either
        before = [loc for loc in earlier
                  if (loc.mention.name or "").endswith(word) and loc.mention.name != word]
        if before:
            return max(before, key=lambda loc: loc.mention.start)
    return None


def _employee_after(text: str, opening: Located, located: list[Located]) -> Located | None:
    """The person named right after the organization opening a clause and a role word
    (顺达物流快递员李某…, 某某外卖骑手王某…): the organization says whom the person works
    for, and the person is the subject (who runs no program). None otherwise; posts
    (…党支部书记王某) are not roles: a post holder acts for the organization."""
    m = opening.mention
    if m.type != "Organization":
        return None
    return next((loc for loc in located if loc.mention.type == "Person"
                 and m.end < loc.mention.start <= m.end + 8
                 and text[m.end:loc.mention.start] in _role_words()), None)


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """The role words of kg/lexicon/post_titles.tsv (快递员, 骑手, 村民 …)."""
    return frozenset(r["title"] for r in load("post_titles") if r["kind"] == "role")


def _setting(text: str, begin: int, end: int, located: list[Located], scopes: _Scopes) -> Located | None:
    """The place of a clause that opens with 在 (text[begin] == "在"): the division the clause
    ends with (在“枫桥经验”发源地浙江省诸暨市,), else the one (or the scope) right after 在
    (在安吉县187个行政村…, 在全县推广…)."""
    tail = end - 1 if text[end - 1:end] in ("内", "里") else end
    ending = [loc for loc in located if loc.mention.type == "AdministrativeUnit"
              and loc.mention.end == tail and loc.mention.start > begin]
    if ending:
        return max(ending, key=lambda loc: loc.mention.end - loc.mention.start)
    scope = _SCOPE.match(text, begin + 1, end)
    if scope:
        return scopes.read(scope.group(1), begin + 1, scope.end())
    opening = _opening_mention(located, begin + 1, scopes)
    if opening is not None and opening.mention.type == "AdministrativeUnit":
        return opening
    return None


def read_sentence(article: Article, sentence_index: int, located: list[Located],
                  scopes: _Scopes) -> SentenceTopic:
    """The clauses of a sentence with their subjects; nothing for a byline."""
    s = article.sentences[sentence_index]
    if article.is_credit(s.start):
        return SentenceTopic()
    starts = _clause_starts(article.text, s.start, s.end)
    ends = [b - 1 for b in starts[1:]] + [s.end]
    return SentenceTopic([_read_clause(article.text, a, b, located, scopes) for a, b in zip(starts, ends)])


class Topics:
    """The subject in force for each sentence: its own, its paragraph's, the article's."""

    def __init__(self, article: Article, located: list[Located], focus: Key | None = None):
        self.article = article
        self.located = located = mark_names_inside(located)
        """the mentions, with in_name set"""
        scopes = _Scopes(article, located, focus)
        self.sentences = [read_sentence(article, i, located, scopes) for i in range(len(article.sentences))]
        self.own = [t.own for t in self.sentences]
        starts = _paragraph_starts(article.text)
        self.paragraph_first: list[int] = []
        p, first = 0, 0
        for s in article.sentences:
            while p + 1 < len(starts) and starts[p + 1] <= s.start:
                p += 1
            while article.sentences[first].start < starts[p]:
                first += 1
            self.paragraph_first.append(article.sentences[first].index)
        # the subject or setting the article opens with (a setting, 在X, names no organization)
        self.lead = next((t.own or t.where for t in self.sentences
                          if (t.own or t.where) and not _dateline(article.text, (t.own or t.where).mention)), None)
        if self.lead is not None and self.lead.mention.type not in SUBJECT_TYPES:
            self.lead = None            # a person opens the article: no organization leads it

    def _previous_own(self, sentence_index: int) -> Located | None:
        """The subject of the nearest sentence before, in the same paragraph, that has one."""
        first = self.paragraph_first[sentence_index]
        return next((self.own[i] for i in range(sentence_index - 1, first - 1, -1) if self.own[i] is not None), None)

    def before_in_paragraph(self, sentence_index: int) -> Located | None:
        """What the nearest sentence before, in the same paragraph, that opens with a subject
        tells of (舍书乡“红黄绿”三色产业改写民生。5000多亩花椒… is the township's), or None. Only
        the sentence's opening clause (after a time phrase) counts: a name inside a later clause
        is no subject of the sentences after it."""
        first = self.paragraph_first[sentence_index]
        for i in range(sentence_index - 1, first - 1, -1):
            opening = next((c for c in self.sentences[i].clauses if not c.bare), None)
            thing = opening.thing if opening is not None else None
            if thing is not None:
                return thing
        return None

    def subject(self, sentence_index: int, type_: str, offset: int | None = None) -> Located | None:
        """The subject of that type in force at offset (the sentence's own, by default).

        An organization: the clause's subject when it is one; none when the clause's subject
        is a division or a scope (湄潭县严格落实…, 全县组建…: the place is the actor), when
        the clause sets a place and nothing runs before it (在“枫桥经验”发源地…), or when
        the sentence quotes a source (…负责人表示; but the source itself in …表示,“我们推行…”);
        else the subject of the nearest sentence before in the paragraph that has one; else the
        paragraph's (its first
        sentence's subject, or the source it quotes: …表示。下一步,将…); else the
        article's opening subject.
        A division: the clause's subject, else the place a 在X clause sets, else the nearest
        earlier sentence's subject in the paragraph, else the paragraph's (the article's focus, which the caller knows, says better where the
        article is)."""
        topic = self.sentences[sentence_index]
        own = topic.own if offset is None else topic.actor_at(offset)
        first = self.sentences[self.paragraph_first[sentence_index]]
        if type_ == "Organization":
            if own is not None:
                return own if own.mention.type == type_ else None
            if topic.speaker is not None:
                # (…书记王继祖表示,“我们实行…”: the source speaks for its organization)
                we = offset is not None and "我们" in self.article.text[topic.speaker.mention.end:offset]
                return topic.speaker if we else None
            if offset is not None and topic.setting(offset):
                return None
            candidates = [self._previous_own(sentence_index), first.own, first.speaker, self.lead]
        else:
            where = topic.where if offset is None else topic.where_at(offset)
            candidates = [own, where, self._previous_own(sentence_index), first.own, first.where]
        for candidate in candidates:
            if candidate is not None and candidate.mention.type == type_:
                return candidate
        return None


def relate_article(article: Article, located: list[Located], focus: Key | None,
                   names: dict[tuple[str, str], Key],
                   parts: list[tuple[Mention, Mention]], targets: list[tuple[Mention, Mention]],
                   programs: list[Located], groups: list[Located],
                   topics: Topics | None = None) -> list[Relation]:
    """Relations read off one article.

    `names` maps (type, canonical name or alias) to entity keys for the whole
    build so far, so that a name an attribute refers to (a parent organization,
    the division an organization sits in) finds its entity. `parts` and `targets`:
    the (part, whole) and (program, group) mentions the program finder ties
    (kg.find.programs.program_parts, program_targets). `topics`: the article's
    Topics when the caller has them already (else read here).
    """
    topics = topics or Topics(article, located, focus)
    located = topics.located
    relations: list[Relation] = []

    # every written mention of each entity (not 全县-style scopes), for the evidence of relations
    mentions_of: dict[Key, list[Mention]] = {}
    for loc in located:
        if loc.key is not None:
            mentions_of.setdefault(loc.key, []).append(loc.mention)

    def add(subject: Key | None, predicate: str, obj: Key | None, mention: Mention):
        """SUBJECT PREDICATE OBJ, read at MENTION (the subject's)."""
        if subject is None or obj is None or obj == subject:
            return
        evidence = relation_evidence(article, mention, mentions_of.get(obj, ()), mentions_of.get(subject, ()))
        if evidence.kind == "subject" and obj == focus:
            evidence = replace(evidence, kind="focus")
        relations.append(Relation(subject, predicate, obj, evidence))

    divisions_here = [loc for loc in located if loc.mention.type == "AdministrativeUnit"]

    def division_named(name: str | None) -> Key | None:
        if not name:
            return None
        for loc in divisions_here:
            if loc.mention.name == name or loc.mention.surface == name:
                return loc.key
        return names.get(("AdministrativeUnit", name))

    def division_located(name: str | None) -> Located | None:
        """The division of the article with that name, as a Located (None if not written)."""
        return next((loc for loc in divisions_here if name and loc.mention.name == name), None)

    def division_before(m: Mention) -> Key | None:
        """The division written at the start of (or right before) a name: 武山县南关社区党群服务中心."""
        inside = [loc for loc in divisions_here
                  if m.start <= loc.mention.start and loc.mention.end < m.end]
        if inside:
            return max(inside, key=lambda loc: loc.mention.end).key
        return None

    paragraph_starts = _paragraph_starts(article.text)

    def division_near(m: Mention) -> Key | None:
        """The place a reader takes the text around m to be in: the division that is the
        subject of m's clause, else the one named nearest before m in the sentence, else the
        paragraph's, else one named after m in the sentence, else the nearest before m in
        the paragraph."""
        sentence = article.sentence_at(m.start)
        paragraph = paragraph_starts[bisect_right(paragraph_starts, m.start) - 1]
        before = [loc for loc in divisions_here if paragraph <= loc.mention.start < m.start]
        in_sentence = [loc for loc in before if loc.mention.start >= sentence.start]
        own = topics.sentences[sentence.index].actor_at(m.start)
        if own is not None and own.mention.type == "AdministrativeUnit" and own.key is not None:
            return own.key
        if in_sentence:
            return in_sentence[-1].key
        subject = topics.subject(sentence.index, "AdministrativeUnit", m.start)
        if subject is not None and subject.key is not None:
            return subject.key
        after = [loc for loc in divisions_here if m.end <= loc.mention.start < sentence.end]
        if after:
            return _chain_end(min(after, key=lambda loc: loc.mention.start), divisions_here).key
        return before[-1].key if before else None

    def section_place(sentence: int, label: Located) -> Located | None:
        """For a section heading labelled by a division (湖北：“板凳夜话”化解矛盾在基层), the
        deeper division the section's first sentence opens with inside it (湖北省宜昌市坚持…
        → 宜昌市); None when the sentence is no such heading."""
        text = article.text
        s = article.sentences[sentence]
        line_end = text.find("\n", s.start)
        line_end = len(text) if line_end < 0 else line_end
        heading = (s.start in paragraph_starts and s.end >= line_end
                   and not re.search(r"[。！？!?]", text[s.start:line_end]))
        if not heading or text[label.mention.end:label.mention.end + 1] not in ("：", ":") \
                or sentence + 1 >= len(article.sentences):
            return None
        nxt = article.sentences[sentence + 1]
        opening = topics.sentences[sentence + 1].own
        written = any(loc.key == label.key and nxt.start <= loc.mention.start <= nxt.start + 1
                      for loc in divisions_here)
        if opening is None or opening.mention.type != "AdministrativeUnit" or not written \
                or opening.key == label.key or nxt.start not in paragraph_starts:
            return None
        return opening

    def program_place(sentence: int, m: Mention) -> Located | None:
        """Where the program of m runs, as its clause says: the division that is its subject,
        else the division written in the name of the organization that is (兰州市委组织部),
        else the place a 在X clause sets, else the paragraph's division."""
        actor = topics.sentences[sentence].actor_at(m.start)
        if actor is not None and actor.mention.type == "AdministrativeUnit":
            return section_place(sentence, actor) or actor
        if actor is not None:
            inside = [loc for loc in divisions_here
                      if actor.mention.start <= loc.mention.start and loc.mention.end < actor.mention.end]
            named = max(inside, key=lambda loc: loc.mention.end) if inside else None
            stated = division_located(actor.mention.attrs.get("located_in"))
            named = _deeper(named, stated)  # 龙溪村党支部领办的宁远县…合作社: in 龙溪村
            where = topics.sentences[sentence].where_at(m.start)
            if named is not None or where is not None:
                return _deeper(named, where)
        return topics.subject(sentence, "AdministrativeUnit", m.start)

    scopes = _Scopes(article, located, focus)
    home = _home(divisions_here, focus)

    orgs = sorted((loc for loc in located if loc.mention.type == "Organization" and loc.key is not None
                   and not loc.in_name), key=lambda loc: loc.mention.start)

    def agent_of(m: Mention) -> Located | None:
        """The organization the sentence names as the doer with 由 (由乡党委主导,…成立产业党建联盟;
        “万人示范培训”由省委组织部组织实施), or None."""
        s = article.sentence_at(m.start)
        for loc in orgs:
            o = loc.mention
            if not s.start < o.start < s.end or article.text[o.start - 1] != "由":
                continue
            if not _AGENT_VERB.match(article.text, o.end):
                continue
            gap = article.text[m.end:o.start - 1]
            named_before = m.end <= o.start - 1 and len(gap) <= 4 and not re.search(r"[,，。;；:：]", gap)
            if o.end <= m.start or named_before:                       # 由X主导…P, or P由X组织实施
                return loc
        return None

    def partners_of(m: Mention) -> list[Located]:
        """The organizations listed after 联合/携手/会同 in the program's clause before it
        (联合区公安分局、区消防救援大队、宁夏银行开展“法律知识进小区”): they run it too."""
        text = article.text
        s = article.sentence_at(m.start)
        clause_start = max([s.start] + [i + 1 for i in range(s.start, m.start) if text[i] in _CLAUSE_MARKS])
        trigger = None
        for hit in _PARTNER_VERB.finditer(text, clause_start, m.start):
            trigger = hit
        if trigger is None:
            return []
        listed, pos = [], trigger.end()
        for loc in orgs:
            if loc.mention.start < pos:
                continue
            if loc.mention.start >= m.start or not re.fullmatch(r"[、和及与]?", text[pos:loc.mention.start]):
                break
            listed.append(loc)
            pos = loc.mention.end
        return listed

    # the subjects that may own a program written right after them, by where they end (owner_before)
    owners_ending_at: dict[int, list[Located]] = {}
    for loc in located:
        if loc.mention.type in SUBJECT_TYPES and loc.key is not None and not loc.in_name:
            owners_ending_at.setdefault(loc.mention.end, []).append(loc)

    def owner_before(m: Mention) -> Located | None:
        """The organization or division written right before a program's name, which owns it
        (文亭巷社区党委“五融五筑”, 龙溪村的“积分超市”, 社区“积分超市” → the community in force);
        None when something else stands there."""
        gap = m.start
        while gap > 0 and article.text[gap - 1] in "“\"的" and m.start - gap < 2:
            gap -= 1
        owners = owners_ending_at.get(gap, [])
        if owners:
            return max(owners, key=lambda loc: loc.mention.end - loc.mention.start)
        level = _LEVEL_BEFORE.search(article.text, max(0, gap - 3), gap)
        if level is not None and not any(loc.mention.start < gap <= loc.mention.end for loc in located):
            word = level.group(1) or level.group(2)
            return scopes.read(word, gap - len(word), gap)
        return None

    def post_holder(m: Mention) -> Located | None:
        """What a person's post written right before the name belongs to, when the people
        finder left it open: the organization or division written right before the titles
        (党扭村驻村第一书记李某 → 党扭村; 某局副局长、某办主任王某 → 某办), or a bare level word
        (由社区书记刘某 → the community in force). None otherwise."""
        text = article.text
        before = [loc for loc in located if loc.mention.type in SUBJECT_TYPES and loc.key is not None
                  and m.start - 24 <= loc.mention.end < m.start and not loc.in_name]
        if before:
            holder = max(before, key=lambda loc: (loc.mention.end, loc.mention.end - loc.mention.start))
            # a division's own posts only (哈巴河县快递员孙某: a courier is no post of the county)
            posts_only = holder.mention.type == "AdministrativeUnit"
            if _titles_only(text[holder.mention.end:m.start], posts_only):
                return holder
            return None
        # 村党支部书记X: the village's party branch, an organization, not the village
        level = re.search(r"(?<![农乡城])(社区|村)((?:驻村|派驻)?[^党\W][\u4e00-\u9fff]{0,7})$",
                          text[max(0, m.start - 12):m.start])
        if level is not None and _titles_only(level.group(2), True):
            start = m.start - len(level.group(0))
            return scopes.read(level.group(1), start, start + len(level.group(1)))
        return None

    party_names = {loc.mention.name for loc in located
                   if loc.mention.type == "Organization" and loc.mention.attrs.get("party")}

    def branch_body(runner: Located) -> Key | None:
        """The company or body (not a party organization) a party branch belongs to, if known."""
        parent_name = runner.mention.attrs.get("parent")
        parent = names.get(("Organization", parent_name or ""))
        if runner.mention.attrs.get("party") and parent is not None and parent_name not in party_names:
            return parent
        return None

    for loc in located:
        m, key = loc.mention, loc.key
        sentence = article.sentence_at(m.start).index
        if m.type == "Organization":
            place = division_named(m.attrs.get("located_in")) or division_before(m)
            add(key, "locatedIn", place, m)
            add(key, "subOrganizationOf", names.get(("Organization", m.attrs.get("parent") or "")), m)
        elif m.type in ("Facility", "Place"):
            if m.type == "Place" and _names_division(m.name, divisions_here):
                continue                # 光山 for 光山县: a division's short form, never locatedIn
            place = division_named(m.attrs.get("located_in") or m.attrs.get("locatedIn")) \
                or division_before(m) or division_near(m) or home or focus
            add(key, "locatedIn", place, m)
        elif m.type == "Person":
            for name in m.attrs.get("affiliations", []):
                add(key, "affiliatedWith", names.get(("Organization", name)) or division_named(name), m)
            for _title, org in m.attrs.get("posts", []):
                add(key, "affiliatedWith", names.get(("Organization", org or "")), m)
            holder = post_holder(m)
            if holder is not None:
                add(key, "affiliatedWith", holder.key, m)
        elif m.type == "Program":
            runner = topics.subject(sentence, "Organization", m.start)
            place = program_place(sentence, m)
            owner = owner_before(m)
            if owner is not None and owner.mention.type == "Organization":
                runner = owner
                stated = division_located(owner.mention.attrs.get("located_in"))
                inside = [loc for loc in divisions_here if owner.mention.start <= loc.mention.start
                          and loc.mention.end < owner.mention.end]
                named = max(inside, key=lambda loc: loc.mention.end) if inside else None
                place = _deeper(named, stated) or place
            elif owner is not None:
                place = owner
            body = branch_body(runner) if runner is not None else None
            agent = agent_of(m)
            if agent is not None:
                runner = agent
                body = branch_body(runner)
            if runner is not None:
                add(key, "runBy", runner.key, m)
            for partner in partners_of(m):
                add(key, "runBy", partner.key, m)
            if body is not None:
                # a party branch's program runs inside the company or body the branch belongs
                # to, and there rather than in a division
                add(key, "implementedIn", body, m)
            elif place is not None:
                add(key, "implementedIn", place.key, m)     # (no place at all for 全国)
            elif runner is not None and division_named(runner.mention.attrs.get("located_in")):
                add(key, "implementedIn", division_named(runner.mention.attrs.get("located_in")), m)
            else:
                add(key, "implementedIn", home or focus, m)
    located_at = {(loc.mention.type, loc.mention.start, loc.mention.end): loc for loc in programs + groups}

    def key_of(m: Mention) -> Key | None:
        loc = located_at.get((m.type, m.start, m.end))
        return loc.key if loc is not None else None
    for part, whole in parts:
        add(key_of(part), "partOf", key_of(whole), part)
    for program, group in targets:
        add(key_of(program), "targets", key_of(group), program)
    for program, group in served_groups(article, programs, groups):
        add(program.key, "targets", group.key, program.mention)
    return _unique(relations)


def relation_evidence(article: Article, mention: Mention, objects: list[Mention] | tuple = (),
                      subjects: list[Mention] | tuple = ()) -> Evidence:
    """The evidence of a relation read at MENTION, the subject's name. OBJECTS: the object's
    mentions in the article; SUBJECTS: all the subject's. When an object's mention stands in
    MENTION's sentence, else in the sentence of another of the subject's mentions (the first
    such), the span from the first of the two names to the end of the last (the object's
    mention nearest to the subject's), kind "both"; else MENTION's own span, kind "subject":
    no sentence names both (the article's focus, a subject carried over from an earlier
    sentence, 全县)."""
    # the objects' mentions by the sentence that holds them, in the order of OBJECTS
    in_sentence: dict[tuple[int, int], list[Mention]] = {}
    for o in objects:
        sentence = article.sentence_at(o.start)
        if sentence.start <= o.start and o.end <= sentence.end:
            in_sentence.setdefault((sentence.start, sentence.end), []).append(o)
    for here in (mention, *sorted(subjects, key=lambda m: (m.start, m.end))) if in_sentence else ():
        sentence = article.sentence_at(here.start)
        near = in_sentence.get((sentence.start, sentence.end))
        if near:
            # nearest first; on a tie the earlier one, so that the choice never depends on list order
            other = min(near, key=lambda o: (abs(o.start - here.start), o.start, o.end))
            return Evidence(article.doc_id, article.index, min(here.start, other.start),
                            max(here.end, other.end), "both")
    return Evidence(article.doc_id, article.index, mention.start, mention.end, "subject")


# What the doer named after 由 does (由乡党委主导, 由省委组织部组织实施).
# (组织 only where no 部/员 follows: 组织部, 组织员 are nouns.)
_AGENT_VERB = re.compile(f"(?:{alternation(vocab.AGENT)}|组织(?![部员]))")
# What lists partners who run a program with the subject (联合X、Y开展…).
_PARTNER_VERB = re.compile(f"(?:{alternation(vocab.PARTNER_VERB)})")

# A bare level word right before a program's name (社区“积分超市”): the division of that level in force
# (农村, 乡村, 城乡 name no division).
_LEVEL_BEFORE = re.compile(rf"(?:[我本]({alternation(vocab.OWN_LEVELS)})|(?<![农乡城我本])({alternation(vocab.ALONE_LEVELS)}))$")

# Words that say whom something is done for, right before the group (为90名…快递员送上…,
# 帮助新就业群体…, 面向流动党员…).
_SERVES = re.compile(f"(?:为(?!(?:{alternation(vocab.NOT_SERVED_QUALIFIER)})?(?:{alternation(vocab.NOT_SERVED)}))"
                     f"|{alternation(vocab.SERVES)})")


def served_groups(article: Article, programs: list[Located],
                  groups: list[Located]) -> list[tuple[Located, Located]]:
    """(program, group) pairs where the sentence, after naming the program, says it is done for
    the group: 举办“清凉一夏”关爱活动,…,为90名奋战在高温一线的快递员和货车司机送上… → both groups.
    The group follows 为/面向/针对/帮助/… within its clause (a number and words may stand
    between), and groups joined to it by 和/、/及 follow too; the program is the nearest one
    named before the trigger in the sentence."""
    text = article.text
    pairs = []
    for trigger in _SERVES.finditer(text):
        s = article.sentence_at(trigger.start())
        clause_start = max([s.start] + [i + 1 for i in range(s.start, trigger.start()) if text[i] in _CLAUSE_MARKS])
        if trigger.group().startswith("为") and "以" in text[clause_start:trigger.start()]:
            continue                    # 以社区工作者…为主体: a frame, nobody served
        # the program's clause, or one of the two before the trigger's: a far clause is another matter
        marks = [i for i in range(s.start, trigger.start()) if text[i] in _CLAUSE_MARKS]
        reach = marks[-3] + 1 if len(marks) >= 3 else s.start
        before = [p for p in programs if reach <= p.mention.start and p.mention.end <= trigger.start()]
        if not before:
            continue
        program = max(before, key=lambda p: p.mention.end)
        pos = trigger.end()
        after = sorted((g for g in groups if pos <= g.mention.start < s.end), key=lambda g: g.mention.start)
        first = True
        for g in after:
            gap = text[pos:g.mention.start]
            if first and (len(gap) > 20 or re.search(r"[,，;；:：。!！?？]", gap)):
                break
            if not first and not re.fullmatch(r"[和、及与]", gap):
                break
            pairs.append((program, g))
            pos, first = g.mention.end, False
    return pairs


def _home(divisions: list[Located], focus: Key | None) -> Key | None:
    """The village, community or township an article set in the focus division keeps returning
    to (平凉：“小哥驿站”的“大文章” telling of 二天门社区 throughout): named at least three times
    and twice as often as any other division below the focus's level; None otherwise. A
    program with no place in its sentence or paragraph runs there rather than in the focus."""
    focus_rank = max((_LEVEL_RANK.get(d.mention.attrs.get("level"), -1) for d in divisions if d.key == focus),
                     default=-1)
    counts: dict[Key, int] = {}
    for d in divisions:
        if d.key is not None and d.key != focus and _LEVEL_RANK.get(d.mention.attrs.get("level"), -1) >= 3 \
                and _LEVEL_RANK.get(d.mention.attrs.get("level"), -1) > focus_rank:
            counts[d.key] = counts.get(d.key, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] < 3 or len(ranked) > 1 and ranked[0] < 2 * ranked[1]:
        return None
    return max(counts, key=counts.get)


_DIVISION_ENDINGS = vocab.DIVISION_ENDINGS


def _names_division(name: str | None, divisions: list[Located]) -> bool:
    """True if a place's name is a division of the article, or one without its level word
    (光山 for 光山县): the division itself, which sits in nothing."""
    if not name:
        return False
    return any(d.mention.name == name or d.mention.surface == name
               or (d.mention.name or "").startswith(name)
               and (d.mention.name or "")[len(name):] in _DIVISION_ENDINGS for d in divisions)


def _chain_end(first: Located, divisions: list[Located]) -> Located:
    """The last, deepest link of a written chain of divisions starting with `first`
    (济南市历下区 → 历下区)."""
    by_start = {d.mention.start: d for d in divisions}
    link = first
    while link.mention.end in by_start:
        link = by_start[link.mention.end]
    return link


def statistics_about(article: Article, stats: list[Statistic], located: list[Located],
                     focus: Key | None, topics: Topics | None = None) -> None:
    """Set each statistic's `about`: what its clause tells of (see _thing: a person, a facility,
    the subject, 全县 … the division; 全国 none), else the place a 在X clause sets, else the
    source the sentence quotes (X数据显示), else the paragraph's division or organization, else
    the focus. A village's or community's own body (村党支部, 村委会) counts for its village:
    佑溪村村委会组织30多人 tells the village's figures. `topics`: as for relate_article."""
    topics = topics or Topics(article, located, focus)
    divisions = [loc for loc in located if loc.mention.type == "AdministrativeUnit" and loc.key is not None]
    people = [loc for loc in located if loc.mention.type == "Person" and loc.key is not None]
    for st in stats:
        if st.unit in _age_units():
            person = _person_of_age(article.text, st, people)
            if person is not None:
                st.about = person.key
                continue
        sentence = article.sentence_at(st.start).index
        topic = topics.sentences[sentence]
        subject = topic.thing_at(st.start) or topic.where_at(st.start) or topic.speaker
        if subject is None:
            subject = topics.before_in_paragraph(sentence)
        if subject is None:
            subject = topics.subject(sentence, "AdministrativeUnit", st.start) \
                or topics.subject(sentence, "Organization", st.start)
        if subject is not None and subject.mention.type == "Organization":
            subject = _village_of_body(subject, divisions) or _division_counted(st, subject, divisions) \
                or subject
        st.about = subject.key if subject is not None else focus


@lru_cache(maxsize=1)
def _age_units() -> frozenset[str]:
    """The units of kg/lexicon/units.tsv that give an age (岁, 周岁)."""
    return frozenset(r["unit"] for r in load("units") if r.get("kind") == "age")


def _person_of_age(text: str, st: Statistic, people: list[Located]) -> Located | None:
    """The person an age is told of, in its clause: the name its 的 leads to (26岁的外卖小哥窦云飞,
    62岁的社区党支部书记占堆), else the name just before it (村民王继龙今年74岁); None otherwise
    (平均年龄39.1岁 tells of a group)."""
    if text.startswith("的", st.end):
        after = [p for p in people if st.end < p.mention.start <= st.end + 14
                 and not any(c in _CLAUSE_MARKS + "。！？\n" for c in text[st.end:p.mention.start])]
        if after:
            return min(after, key=lambda p: p.mention.start)
    before = [p for p in people if st.start - 8 <= p.mention.end <= st.start
              and not any(c in _CLAUSE_MARKS + "。！？\n" for c in text[p.mention.end:st.start])]
    return max(before, key=lambda p: p.mention.end) if before else None


# What a count of divisions counts: 95个社区, 913个行政村 (the words of divisions.tsv used for counts,
# less 市 县 区, which end other nouns too: 党员责任区, 示范区).
_COUNTED_DIVISIONS = re.compile(
    f"(?:{alternation([w for w in vocab.COUNTED_LEVELS if w not in ('市', '县', '区')])})$")


def _division_counted(st: Statistic, org: Located, divisions: list[Located]) -> Located | None:
    """The division an organization acts for, when the statistic counts divisions under it:
    成都市委组织部…梳理…等10类95个社区 counts the city's communities, not the department's.
    None when the statistic counts something else or the organization's division is unknown."""
    if st.unit not in ("个", "类") or not _COUNTED_DIVISIONS.search(st.measure or ""):
        return None
    place = org.mention.attrs.get("located_in")
    return next((d for d in divisions if place and d.mention.name == place), None)


# Bodies that govern a village or community and speak for it: its party branch, its committee.
_VILLAGE_BODY = re.compile(f"(?:{alternation(vocab.LOW_VILLAGE_SUFFIXES)})(?:{alternation(vocab.VILLAGE_BODIES)})$")


def _village_of_body(org: Located, divisions: list[Located]) -> Located | None:
    """The village or community a governing body's name starts with (佑溪村村委会 → 佑溪村), or None."""
    m = org.mention
    if not _VILLAGE_BODY.search(m.name or ""):
        return None
    inside = [d for d in divisions if m.start <= d.mention.start and d.mention.end < m.end
              and re.search(r"(?:村|社区|嘎查)$", d.mention.name or "")]
    return max(inside, key=lambda d: d.mention.end) if inside else None


def _unique(relations: list[Relation]) -> list[Relation]:
    seen: set[tuple] = set()
    out = []
    for r in relations:
        k = (r.subject, r.predicate, r.object)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
