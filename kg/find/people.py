"""People named in an article: journalists, office holders, people met by the reporter.

    find_people(doc) → Person mentions (doc: kg.doc.Doc, with its divisions and organizations found)

A name is a surname (kg/lexicon/surnames.tsv) and one or two characters, read where the
text gives evidence that a person is named there (each rule a function below):

1. the byline: the journalists and correspondents the splitter parsed, and 记者/通讯员 + names
   written in the text (本报兰州讯(新甘肃·甘肃日报记者薛斌));
2. a post right before the name (kg/lexicon/post_titles.tsv), with the chain of posts before
   it: 崇信县委社会工作部部长、“两新”工委书记文诚勇 → 部长 at 崇信县委社会工作部, 书记 at
   崇信县委“两新”工委; a post without an organization takes the one of the chain it fits
   (城投集团瑞岭物业公司党支部书记、董事长杨祖栋: 董事长 → the company);
3. a role right before the name (快递员侯大博, 村民王建国(化名), 美团外卖骑手甘双红), with the
   organization or division written before the role (崇信县90后快递员 → 崇信县), or for
   villagers and farmers the village named just before (种植户魏海新 → 中沟村); some roles
   (干部) name a person only after their organization (县农业农村局干部张伟);
4. a word right after the name (罗平慧同学, 习近平总书记);
5. speech: a name opening a clause and followed by 说/表示/介绍/告诉 (”王明说。);
6. a name opening a clause, followed by 是 and a role (黄洪杰是一名外卖配送员);
7. credit lines and signatures: 编辑:李文 责任编辑:李娟, 作者:X Y, 审核:X, a dateline bracket of
   spaced names (本报讯(向 芳 王 腾)), a line holding only a name ((宋瑞敏));
8. a resident named right after the village (糜地场村马小军的话), names listed with 、 after one
   found by its role (快递员孙凤婷、李莉), minority names of four characters after a title
   (村民强久卓玛说) and names with a middle dot (阿依古丽·买买提);
then every other occurrence of a name found is a mention too, and 〈name〉(化名) marks a
pseudonym; a person who founds a company (…创办XX有限公司) belongs to it. A surname with a kinship or courtesy word instead of a given name (张奶奶,
孙女士) names nobody in particular and is left out.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import vocab
from ..doc import Doc
from ..lexicon import load
from ..model import Mention
from ..segment import Token
from ..vocab import alternation
from . import occurrences
from .organizations import _tagger, level_of

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that never stand in a given name right after a title (书记的, 主任和 …).
_NOT_NAME = set(vocab.NOT_IN_PERSON) | set("、，。；：！？“”‘’()（）《》…—·")
# What may follow a name directly: a shorter name is read where one of these starts at its
# third character (吕元说, 吕元告诉记者, 王明(化名)).
_FOLLOWERS = vocab.AFTER_PERSON
# Characters of _NOT_NAME that also open given names (李有山, 王有福): read after a title only.
_GIVEN_TOO = set(vocab.GIVEN_TOO)
# A one-character given name never is one of these: 和村, 李镇 are a village and a town.
_DIVISION_CHARS = set(vocab.NOT_GIVEN_LEVELS)
# A surname followed by one of these has no given name: 张奶奶, 孙女士, 王书记.
_COURTESY = vocab.COURTESY


def _any_at(words) -> re.Pattern:
    """A pattern whose .match(text, pos) tells whether one of the words is written at pos
    (what `any(text.startswith(w, pos) for w in words)` tells, in one step)."""
    words = [w for w in words if w]
    return re.compile(alternation(words) if words else "(?!)")


_COURTESY_AT, _LONG_COURTESY_AT = _any_at(_COURTESY), _any_at(c for c in _COURTESY if len(c) > 1)
_FOLLOWER_AT, _LONG_FOLLOWER_AT = _any_at(_FOLLOWERS), _any_at(f for f in _FOLLOWERS if len(f) > 1)
_SPEECH = f"(?:{alternation(vocab.SPEECH)})"
_SPEECH_AT = re.compile(_SPEECH)   # (matched on two characters: the words said, 说 介绍 表示 …)
_CLAUSE_START = set("。！？；：”“\n，,、!?;:(（")
_NAME_TAGS = ("nr", "nrfg", "nrt")


# ---------------------------------------------------------------------------- lexicons

@dataclass(frozen=True)
class Title:
    text: str
    kind: str          # post | role | role_after
    org: str           # what the post belongs to (party, enterprise, division:乡 …) or village
    implies: str       # an organization the title names by itself (总书记 → 中共中央)


@lru_cache(maxsize=1)
def titles() -> dict[str, tuple[Title, ...]]:
    """kg/lexicon/post_titles.tsv: title → its rows (one title may be a post and a word after)."""
    out: dict[str, list[Title]] = {}
    for r in load("post_titles"):
        out.setdefault(r["title"], []).append(Title(r["title"], r["kind"], r.get("org", ""),
                                                    r.get("implies", "")))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset, frozenset, frozenset]:
    """(single surnames, double surnames, surnames that are also common words)."""
    single, double, common = set(), set(), set()
    for r in load("surnames"):
        s = r["surname"]
        (double if len(s) == 2 else single).add(s)
        if r.get("common_word") == "1":
            common.add(s)
    return frozenset(single), frozenset(double), frozenset(common)


@lru_cache(maxsize=None)
def _title_pattern(kind: str) -> re.Pattern:
    words = sorted((t for t, rows in titles().items() if any(r.kind == kind for r in rows)),
                   key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


# ---------------------------------------------------------------------------- data

@dataclass
class _Person:
    name: str
    spans: list = field(default_factory=list)        # (start, end, surface)
    pseudonym: bool = False
    journalist: bool = False
    byline: str | None = None
    posts: list = field(default_factory=list)        # (title, org canonical name or None)
    affiliations: list = field(default_factory=list)  # org or division canonical names
    aliases: set = field(default_factory=set)


class _Context:
    def __init__(self, doc: Doc):
        """doc: the article, with its division and organization mentions found."""
        self.doc = doc
        self.text = doc.text
        self.orgs = sorted(doc.found("Organization"), key=lambda m: (m.start, -m.end))
        self.places = sorted((p for p in doc.found("AdministrativeUnit") if p.name), key=lambda m: m.start)
        self.tags, self.freq = _tagger(doc.segmenter)
        self.tokens: list[Token] = doc.tokens
        self.tok_start = doc.token_at
        self._starts = [t.start for t in self.tokens]
        self.org_end: dict[int, Mention] = {}
        for m in self.orgs:
            old = self.org_end.get(m.end)
            if old is None or m.start < old.start:
                self.org_end[m.end] = m
        self.div_end: dict[int, Mention] = {}
        for m in self.places:
            old = self.div_end.get(m.end)
            if old is None or m.start < old.start:
                self.div_end[m.end] = m
        self.org_attrs: dict[str, dict] = {}
        for m in self.orgs:
            self.org_attrs.setdefault(m.name, m.attrs)
        self.people: dict[str, _Person] = {}

    def person(self, name: str) -> _Person:
        p = self.people.get(name)
        if p is None:
            p = self.people[name] = _Person(name)
        return p

    def add_span(self, name: str, start: int, end: int) -> _Person:
        p = self.person(name)
        if all(s != start for s, _, _ in p.spans):
            p.spans.append((start, end, self.text[start:end]))
        return p

    def clause_start(self, pos: int) -> bool:
        return pos == 0 or self.text[pos - 1] in _CLAUSE_START



# ---------------------------------------------------------------------------- names

def read_name(ctx: _Context, pos: int, strong: bool, unknown_surname: bool = False,
              post: bool = False) -> str | None:
    """The name that starts at `pos`, or None.

    A surname and two characters, or one where a follower (说, 介绍, 同学 …) starts at the
    third or the longer reading runs into a word (王伟|主持); never a common word (高兴地说,
    党员干部). strong: a title or role stands right before. unknown_surname: after a post, a
    surname missing from the list is accepted when speech or (化名) closes the name
    (乡长冶万恩介绍). post: a post stands right before (书记李刚汇报): a name of two characters
    may end where jieba starts a word of its dictionary, verb or not."""
    text = ctx.text
    single, double, common = surnames()
    if pos >= len(text) or not _CJK.match(text[pos]):
        return None
    if _LONG_COURTESY_AT.match(text, pos):
        return None                     # 司机师傅们: a courtesy word, not a name
    if text[pos:pos + 2] in double:
        sur = text[pos:pos + 2]
    elif text[pos] in single:
        sur = text[pos]
    elif unknown_surname:
        sur = None
    else:
        return None
    if sur is None:
        # a surname not in the list, after a title: three characters (or four, as minority
        # names are: 村民次仁卓玛说) closed by speech, with no word of jieba's but names inside
        for n in (3, 4):
            cand = text[pos:pos + n]
            if len(cand) == n and all(_CJK.match(c) and c not in _NOT_NAME for c in cand) \
                    and _closed(text, pos + n) and ctx.tags.get(cand, "nr") in _NAME_TAGS \
                    and not any(len(t.word) > 1 and ctx.tags.get(t.word, "nr") not in _NAME_TAGS
                                for t in _tokens_over(ctx, pos, pos + n)):
                return cand
        return None
    g = pos + len(sur)
    if _COURTESY_AT.match(text, g):
        return None
    if g >= len(text) or not _CJK.match(text[g]):
        return None
    if text[g] in _NOT_NAME and not (
            strong and _CJK.match(text[g]) and g + 1 < len(text) and _CJK.match(text[g + 1])
            and text[g + 1] not in _NOT_NAME
            and (text[g] in _GIVEN_TOO or g + 2 == len(text) or not _CJK.match(text[g + 2])
                 or _closed(text, g + 2))):
        return None                     # 书记的: no name; but 老党员李有山 after a title, and
                                        # 作者:景向阳 or 景向阳说, closed right after the name
    two = g + 1 < len(text) and _CJK.match(text[g + 1]) and text[g + 1] not in _NOT_NAME \
        and not _FOLLOWER_AT.match(text, g + 1)
    if two and _plausible(ctx, pos, text[pos:g + 2], sur, strong):
        if strong and len(sur) == 1 and _four(ctx, pos):
            return text[pos:pos + 4]    # 村民强久卓玛说: a Tibetan or other minority name
        return text[pos:g + 2]
    name = text[pos:g + 1]
    if text[g] in _NOT_NAME or (len(sur) == 1 and text[g] == sur) or text[g] in _DIVISION_CHARS:
        return None                     # 殷殷嘱托, 和村(居)委会: no two-character name
    if two and not _verb_at(ctx, g + 1) and not (
            post and _word_at(ctx, g + 1) and sur not in common
            and not ctx.tags.get(text[g], "").startswith("v")):
        return None                     # 包抓|重点: no verb where the shorter name would end;
                                        # after a post 书记李刚|汇报 (but not 书记包抓|重点, a verb,
                                        # nor 书记和驻|村, a surname that is a common word)
    return name if _plausible(ctx, pos, name, sur, strong) else None


def _four(ctx: _Context, pos: int) -> bool:
    """True if a name of four characters starts at `pos` after a title: the fourth character
    stands as a word of its own (no verb, no mark, no start of a longer word: 王建华|主持会议,
    王建华|夫妇 stay three) and the name is closed right after it, by a mark, speech, a verb
    or a pronoun (强久卓玛说, 贡保才让这样盘算). Names of Tibetan and other minorities are
    often four characters without a surname; a Han name with one surname rarely is."""
    text, c = ctx.text, pos + 3
    if c + 1 > len(text) or not _CJK.match(text[c]) or text[c] in _NOT_NAME \
            or _FOLLOWER_AT.match(text, c) or _verb_at(ctx, c):
        return False
    for tok in _tokens_over(ctx, pos + 2, c + 1):
        if tok.end > c + 1 and ctx.freq.get(tok.word, 0) > 0:
            return False                # the fourth character opens a word (夫妇, 主持会议)
    end = c + 1
    if end >= len(text) or not _CJK.match(text[end]):
        return True
    tok = ctx.tok_start.get(end)
    return _follower_at(text, end) or _closed(text, end) or _verb_at(ctx, end) \
        or (tok is not None and ctx.tags.get(tok.word, "") == "r")


def _verb_at(ctx: _Context, pos: int) -> bool:
    """True if a verb, adverb or preposition starts at `pos` (王伟|主持会议, 李强|明确表示)."""
    tok = ctx.tok_start.get(pos)
    if tok is None:
        return False
    tag = ctx.tags.get(tok.word, "")
    head = ctx.tags.get(tok.word[:2], "") if len(tok.word) > 2 else ""
    return tag[:1] in ("v", "p", "d", "c", "l") or tag == "ad" or head[:1] == "v" \
        or any(tok.word.startswith(f) for f in _FOLLOWERS)


def _word_at(ctx: _Context, pos: int) -> bool:
    """True if jieba cut the text at `pos` and a word of two characters or more from its
    dictionary starts there (李刚|汇报)."""
    tok = ctx.tok_start.get(pos)
    return tok is not None and len(tok.word) > 1 and ctx.freq.get(tok.word, 0) > 0


def _follower_at(text: str, pos: int) -> bool:
    """True if a speech verb or a word of two characters or more that may follow a name
    starts at `pos` (说, 表示, 告诉记者, 认为 …): the name may end there."""
    return bool(_SPEECH_AT.match(text[pos:pos + 2])) or \
        bool(_LONG_FOLLOWER_AT.match(text, pos))


def _closed(text: str, end: int) -> bool:
    """True if speech or (化名) follows `end` (冶万恩介绍): what closes an unknown name."""
    return bool(_SPEECH_AT.match(text[end:end + 2])) or text.startswith(("(化名", "（化名"), end)


def _plausible(ctx: _Context, pos: int, name: str, sur: str, strong: bool) -> bool:
    """Reject a name whose characters are part of common words (党员|干部, 法律, 和|居委会)."""
    common = surnames()[2]
    end = pos + len(name)
    for tok in _tokens_over(ctx, pos, end):
        freq, tag = ctx.freq.get(tok.word, 0), ctx.tags.get(tok.word, "")
        # jieba's dictionary calls some frequent words names (荣获, 高峰, 文明): a word still
        known = len(tok.word) > 1 and freq > 0 and (tag not in _NAME_TAGS or freq >= 500)
        if tok.start < pos and known:
            return False                # the name would start inside a word (党员干部)
        if tok.start < end < tok.end and known and not _follower_at(ctx.text, end):
            return False                # a word runs on past the name's end (和|居委会), not
                                        # one jieba glued to a speech verb (姚建|明说)
        if tok.start == pos and known and tok.end < end and strong and tag.startswith("ns"):
            continue                    # 书记王国|玉, 县委书记安庆|杰: a place word glued to the
                                        # surname, read as a name after a title
        if tok.start == pos and known and tok.end >= end and strong and freq < 30 \
                and _follower_at(ctx.text, end):
            continue                    # 书记贡布说: a rare word after a title, closed by speech
        if tok.start == pos and known and (tok.end >= end or freq > 300):
            return False                # 干部, 法律, 经常性: a common word, not a name
        if tok.start == pos and known and tok.end == end - 1 and name.endswith("化"):
            return False                # 党员常态|化: a word and 化 make a verb, not a name
    given = name[len(sur):]
    if sur in common and not strong:
        tok = ctx.tok_start.get(pos)
        if tok is None or tok.word != name:
            return False                # 文|化 …: a common-word surname needs a title, or jieba's name
    if sur in common or not strong:
        if len(given) == 2 and ctx.freq.get(given, 0) >= 50 and ctx.tags.get(given) not in _NAME_TAGS \
                and ctx.tags.get(name) not in _NAME_TAGS:
            return False                # 和|党务: a word after a common character
    return True


def _tokens_over(ctx: _Context, start: int, end: int) -> list[Token]:
    """The article's tokens that overlap [start, end)."""
    i = max(0, bisect.bisect_right(ctx._starts, start) - 1)
    out = []
    while i < len(ctx.tokens) and ctx.tokens[i].start < end:
        if ctx.tokens[i].end > start:
            out.append(ctx.tokens[i])
        i += 1
    return out


# ---------------------------------------------------------------------------- rule 1

def bylines(ctx: _Context, creators: list[str], contributors: list[str]) -> None:
    """Journalists (记者) and correspondents (通讯员) of the byline: the splitter's lists, and
    记者/通讯员/实习生 + names written in a byline line or bracket of the text."""
    text = ctx.text
    for names, role in ((creators, "记者"), (contributors, "通讯员")):
        for name in names:
            _byline_person(ctx, name, role)
    # {1,8}, not +: a byline names a few people, and an unbounded repeat of 2-4 characters
    # backtracks exponentially over a long run of text without punctuation
    # names set apart by spaces or 、 (记者彭翠楠、通讯员刘斐、刘建平); a role word starts no name
    for m in re.finditer(r"(记者|通讯员|实习生|特约记者|见习记者)[ \t\u3000]*"
                         r"((?:(?!记者|通讯员|实习生|特约|见习)[\u4e00-\u9fff]{2,4}[ \t\u3000、]*){1,8})"
                         r"(?=[)）】\]\n]|$|[ \t\u3000、]*(?:记者|通讯员|实习生|特约记者|见习记者|报道|摄))", text):
        line0 = text.rfind("\n", 0, m.start()) + 1
        head = text[line0:m.start()]
        if len(head) > 30 and "(" not in head and "（" not in head:
            continue                    # not a byline line
        pos = m.start(2)
        for part in re.finditer(r"[\u4e00-\u9fff]{2,4}", m.group(2)):
            name = part.group()
            if name in ctx.people or read_name(ctx, pos + part.start(), True) is None:
                continue
            _byline_person(ctx, name, "记者" if m.group(1) != "通讯员" else "通讯员")


# A credit line's label: who wrote, edited, checked or photographed the piece (编辑:李文,
# 责任编辑:李娟, 作者:周志强 韩雯, 审核:X). The names follow a colon.
_CREDIT = re.compile(f"(?:{alternation(vocab.CREDIT_LABEL)})" + r"[ \t\u3000]*[:：][ \t\u3000]*")
_CREDIT_SEP = " \t\u3000、,，"
# What may end a name in a credit line: a space or mark, another label, a date or the end.
_CREDIT_END = re.compile(r"$|[^\u4e00-\u9fff]|" + f"(?:{alternation(vocab.CREDIT_END)})")


def credits(ctx: _Context) -> None:
    """Names in credit lines (编辑:李文 责任编辑:李娟, 作者:周志强 韩雯, [责任编辑:海燕]):
    after a label and a colon, names set apart by spaces or 、, each a surname and a given
    name that ends where the line, a mark or another label does."""
    text = ctx.text
    for m in _CREDIT.finditer(text):
        if m.start() > 0 and _CJK.match(text[m.start() - 1]):
            continue                    # 文明, 地图: the label must start a credit, not a word
        pos = m.end()
        for _ in range(6):              # a credit names a few people
            name = read_name(ctx, pos, True)
            if name is None or not _CREDIT_END.match(text, pos + len(name)):
                break
            _byline_person(ctx, name, "编辑")
            ctx.add_span(name, pos, pos + len(name))
            pos += len(name)
            n = pos
            while n < len(text) and text[n] in _CREDIT_SEP:
                n += 1
            if n == pos or text[n:n + 1] == "\n":
                break
            pos = n


# A dateline's bracket holding only names, each character set apart to align a two-character
# name with three-character ones: 本报讯(向 芳 王 腾).
_SPACED = re.compile(r"讯[(（]((?:[\u4e00-\u9fff][ \u3000]+){3,7}[\u4e00-\u9fff])[)）]")
# A line that is only a name, in brackets or followed by a date: the author signs the piece
# at its end or under the headline ((宋瑞敏), 张璐, 任胜利    2020-04-01 10:12:45).
_SIGNATURE = re.compile(r"^[(（]?([\u4e00-\u9fff]{2,4})[)）]?(?:[ \t\u3000]+[0-9]{4}-[0-9]{2}-[0-9]{2}.*)?$",
                        re.M)


# A dateline's bracket holding only names set apart by spaces: 中新网西宁3月18日电(马少英 李隽).
_DATELINE_NAMES = re.compile(r"[电讯][(（]((?:[\u4e00-\u9fff]{2,4}[ \u3000、]+){0,5}[\u4e00-\u9fff]{2,4})[)）]")
# A photo's credit: the photographer's name and 摄 closing a caption (李明明 摄, 记者孙非 摄).
_PHOTO_CREDIT = re.compile(r"(?:^|[\s。！？!?”)）]|记者)([\u4e00-\u9fff]{2,4})[ \t\u3000]*摄(?=$|[\s)）】])", re.M)


def signatures(ctx: _Context) -> None:
    """Authors named where a byline stands: a dateline bracket of spaced names (讯(向 芳 王 腾),
    电(马少英 李隽)), a photo's credit (李明明 摄), and a line holding only a name ((宋瑞敏), 张璐 at the end; 任胜利 + date under the title).
    A signature line must read as a whole name, not a place or a word (结语, 城西组)."""
    text = ctx.text
    single, double, _ = surnames()
    for m in _SPACED.finditer(text):
        chars = [(i + m.start(1), c) for i, c in enumerate(m.group(1)) if not c.isspace()]
        if len(chars) % 2:
            continue
        pairs = [chars[i:i + 2] for i in range(0, len(chars), 2)]
        if all(a[1] in single and b[1] not in _NOT_NAME for a, b in pairs):
            for a, b in pairs:
                p = ctx.add_span(a[1] + b[1], a[0], b[0] + 1)
                p.journalist, p.byline = True, p.byline or "记者"
    for m in _DATELINE_NAMES.finditer(text):
        spans = [(w.start() + m.start(1), w.group()) for w in re.finditer(r"[\u4e00-\u9fff]+", m.group(1))]
        if all(read_name(ctx, s, True) == name for s, name in spans):
            for s, name in spans:
                _byline_person(ctx, name, "记者")
                ctx.add_span(name, s, s + len(name))
    for m in _PHOTO_CREDIT.finditer(text):
        name, s = m.group(1), m.start(1)
        if read_name(ctx, s, True) == name:
            _byline_person(ctx, name, "摄影")
            ctx.add_span(name, s, s + len(name))
    for m in _SIGNATURE.finditer(text):
        name, s = m.group(1), m.start(1)
        if name in ctx.people:
            continue
        tag = ctx.tags.get(name, "")
        if tag and tag not in _NAME_TAGS:
            continue                    # a word or a place of its own
        # a bracket or a date makes the line a signature; a bare line needs a plain name
        strong = m.group(0)[0] in "(（" or len(m.group(0)) > len(name) + 2
        if read_name(ctx, s, strong) == name:
            _byline_person(ctx, name, "作者")
            ctx.add_span(name, s, s + len(name))


def _byline_person(ctx: _Context, name: str, role: str) -> None:
    p = ctx.person(name)
    p.journalist = True
    p.byline = p.byline or role
    i = ctx.text.find(name)
    if i < 0:
        p.spans.append((0, 0, name))
    else:
        ctx.add_span(name, i, i + len(name))


# ---------------------------------------------------------------------------- rule 2

def _titles_ending_at(ctx: _Context, pos: int, kinds: tuple[str, ...]) -> list[Title]:
    """The titles of those kinds written right before pos, longest first (the rows of one
    title in the lexicon's order)."""
    text = ctx.text
    out = []
    by_title = titles()
    for n in _title_lengths():          # at most one title of each length ends at pos
        if pos >= n and (rows := by_title.get(text[pos - n:pos])) is not None:
            out.extend(r for r in rows if r.kind in kinds)
    return out


@lru_cache(maxsize=1)
def _title_lengths() -> tuple[int, ...]:
    """The lengths of the titles of titles(), longest first."""
    return tuple(sorted({len(t) for t in titles()}, reverse=True))


def _holder_rank(ctx: _Context, pos: int) -> int:
    return 2 if pos in ctx.org_end else 1 if pos in ctx.div_end else 0


def _title_rank(ctx: _Context, end: int, title: "Title") -> tuple:
    """Which of the titles ending at `end` to read: one with an organization right before it
    (the shortest such, whose organization is the nearest: 党支部|书记 over 公司|党支部书记),
    else one with a division, else the longest."""
    rank = _holder_rank(ctx, end - len(title.text))
    return (rank, -len(title.text) if rank else len(title.text))


def _holder_at(ctx: _Context, pos: int) -> Mention | None:
    """The organization (else the division) written right before `pos`."""
    return ctx.org_end.get(pos) or ctx.div_end.get(pos)


def post_chain(ctx: _Context, name_start: int, kinds=("post",)) -> list[tuple[Title, Mention | None]]:
    """The posts written before a name, right to left: [(title, organization or division)].

    Of the titles ending there, the one with an organization before it wins (党支部|书记 over
    党支部书记 when 党支部 was read as the company's branch); posts joined by 、 or 兼 form a
    chain."""
    text = ctx.text
    chain = []
    pos = name_start
    while True:
        cands = _titles_ending_at(ctx, pos, kinds)
        if not cands:
            break
        title = max(cands, key=lambda t: _title_rank(ctx, pos, t))
        ts = pos - len(title.text)
        holder = _holder_at(ctx, ts)
        chain.append((title, holder))
        pos = holder.start if holder is not None else ts
        if pos > 0 and text[pos - 1] in "、兼":
            pos -= 1
            kinds = ("post",)
            continue
        break
    return chain


def _fits(title: Title, holder: Mention | None, ctx: _Context) -> bool:
    """True if a post of this kind can be held in that organization or division."""
    if holder is None:
        return False
    if holder.type == "AdministrativeUnit":
        return title.org.startswith("division:") and level_of(holder.name) == title.org.split(":")[1]
    a = holder.attrs
    kind, cls, name = a.get("kind", ""), a.get("org_class", ""), holder.name or ""
    return {"party": a.get("party", False),
            "department": kind == "工作部门" or name.endswith("部"),
            "bureau": name.endswith(("局", "厅", "处", "科", "所")),
            "committee": name.endswith(("委员会", "办公室", "委会", "中心", "办事处", "两委", "“两委”")),
            "social": cls == "social",
            "enterprise": cls == "enterprise",
            "school": cls == "school",
            "court": cls in ("court", "health"),
            "team": cls == "volunteer" or name.endswith("队"),
            }.get(title.org, True)


def _parent_mention(ctx: _Context, holder: Mention) -> Mention | None:
    parent = holder.attrs.get("parent") if holder.type == "Organization" else None
    if not parent:
        return None
    return next((m for m in ctx.orgs if m.name == parent), None) or \
        Mention("Organization", parent, holder.start, holder.start, parent, ctx.org_attrs.get(parent, {}))


def _resolve_chain(ctx: _Context, chain: list, name_start: int | None = None) -> list[tuple[Title, Mention | None]]:
    """Posts without an organization take the one of the chain they fit (or its parent); a
    party committee's department head (组织部长) takes that department of the chain's
    committee; a village post (村支书, 社区书记) without one takes the village or community
    named last before the name (`name_start`)."""
    holders = [h for _, h in chain if h is not None]
    village = None
    if name_start is not None and not holders:
        v = _village_before(ctx, name_start)
        village = next((d for d in reversed(ctx.places) if d.name == v and d.end <= name_start), None)
    out = []
    for title, holder in chain:
        if holder is None and title.org.startswith("division:"):
            level = title.org.split(":")[1]
            for h in holders:
                place = h.name if h.type == "AdministrativeUnit" else h.attrs.get("located_in")
                if place and level_of(place) == level:
                    holder = next((d for d in ctx.places if d.name == place), None) or \
                        Mention("AdministrativeUnit", place, h.start, h.start, place, {})
                    break
        if holder is None and title.org.startswith("committee_part:"):
            # 省委常委、组织部长: the department of the party committee of the chain
            part = title.org.split(":")[1]
            for h in holders:
                if h.type == "Organization" and h.attrs.get("party") and (h.name or "").endswith("委"):
                    holder = next((o for o in ctx.orgs if o.name == h.name + part), None) or \
                        Mention("Organization", h.name + part, h.start, h.start, h.name + part,
                                ctx.org_attrs.get(h.name + part, {}))
                    break
        if holder is None and title.org in ("division:村", "division:社区") and village is not None \
                and level_of(village.name) == title.org.split(":")[1]:
            holder = village            # 村支书王国玉: the village named last before
        if holder is None and title.org and not title.org.startswith(("division:", "committee_part:")):
            for h in holders:
                for cand in (h, _parent_mention(ctx, h)):
                    if cand is not None and _fits(title, cand, ctx):
                        holder = cand
                        break
                if holder is not None:
                    break
        out.append((title, holder))
    return out


_SENT = re.compile(f"(?:{alternation(vocab.SENT)})(?:到|在)?$")


def _sender(ctx: _Context, chain: list) -> Mention | None:
    """The organization that sends the holder of a post to a village or community, written
    before it: 汉滨区农业农村局派驻大河镇先锋社区第一书记X, 省林草局驻…村工作队队长X. The
    divisions written before the post are walked back to 派驻/驻 and the organization
    ending right before that."""
    starts = [h.start for _, h in chain if h is not None and h.type == "AdministrativeUnit"]
    if not starts:
        return None
    pos = min(starts)
    while pos in ctx.div_end:
        pos = ctx.div_end[pos].start
    m = _SENT.search(ctx.text[max(0, pos - 4):pos])
    if m is None:
        return None
    return ctx.org_end.get(pos - len(m.group()))


def _record_posts(p: _Person, chain: list) -> None:
    for title, holder in chain:
        if holder is None:
            if title.implies:
                p.posts.append((title.text, title.implies))
            else:
                p.posts.append((title.text, None))
        elif holder.type == "AdministrativeUnit":
            p.posts.append((title.text, None))
            if holder.name not in p.affiliations:
                p.affiliations.append(holder.name)
        else:
            if (title.text, holder.name) not in p.posts:
                p.posts.append((title.text, holder.name))
    p.posts = list(dict.fromkeys(p.posts))


def posts(ctx: _Context) -> None:
    """Names right after a post: 下四分村党支部书记王兴礼, 上杨乡乡长冶万恩."""
    for m in _title_pattern("post").finditer(ctx.text):
        name = read_name(ctx, m.end(), True, unknown_surname=True, post=True)
        if name is None:
            continue
        p = ctx.add_span(name, m.end(), m.end() + len(name))
        chain = _resolve_chain(ctx, post_chain(ctx, m.end()), m.end())
        _record_posts(p, chain)
        sender = _sender(ctx, chain)
        if sender is not None and sender.name not in p.affiliations:
            p.affiliations.append(sender.name)


# ---------------------------------------------------------------------------- rule 3

_GAP = re.compile(r"(?:[0-9]{2}后|[0-9一二三四五六七八九十]+[组社队]|[0-9]+岁)$")


def roles(ctx: _Context) -> None:
    """Names right after a role word: 快递员侯大博, 村民王建国, 种植户魏海新, 外卖骑手甘双红."""
    text = ctx.text
    for m in _title_pattern("role").finditer(text):
        name = read_name(ctx, m.end(), True, unknown_surname=True)
        if name is None:
            continue
        cands = _titles_ending_at(ctx, m.end(), ("role",))
        role = max(cands, key=lambda t: _title_rank(ctx, m.end(), t))
        rs = _role_chain_start(ctx, m.end() - len(role.text))
        gap = _GAP.search(text[max(0, rs - 6):rs])
        holder = _holder_at(ctx, rs - (len(gap.group()) if gap else 0))
        if holder is None and text[rs - 1:rs] == "的":
            holder = _holder_at(ctx, rs - 1)    # 桥头村的老党员李有山
        if role.org == "holder" and holder is None:
            continue                    # 77名干部包抓…: 干部 names a person only after its unit
        p = ctx.add_span(name, m.end(), m.end() + len(name))
        if holder is not None:
            if holder.name not in p.affiliations:
                p.affiliations.append(holder.name)
        elif role.org == "village":
            village = _village_before(ctx, rs)
            if village is not None and village not in p.affiliations:
                p.affiliations.append(village)


def residents(ctx: _Context) -> None:
    """A three-character name written right after a village or community, closed by 的 or a
    word that follows names (糜地场村马小军的话, 南湖社区王建国说): a resident, who belongs
    to it. Two characters are too short to tell from the start of a phrase (X村王家…)."""
    text = ctx.text
    for d in ctx.places:
        if level_of(d.name) not in ("村", "社区"):
            continue
        name = read_name(ctx, d.end, False)
        if name is None or len(name) != 3 or name[1] == "家":
            continue                    # 王家坪, 李家沟: a hamlet, not a person
        end = d.end + 3
        if not (text[end:end + 1] == "的" or _follower_at(text, end)):
            continue
        p = ctx.add_span(name, d.end, end)
        if d.name not in p.affiliations:
            p.affiliations.append(d.name)


def _role_chain_start(ctx: _Context, rs: int) -> int:
    """The start of the roles joined by 、 that end with the role starting at `rs` (美团骑手、
    党员张某: the organization before the first role is the person's too)."""
    while rs > 1 and ctx.text[rs - 1] == "、" and not _holder_at(ctx, rs):
        before = _titles_ending_at(ctx, rs - 1, ("role",))
        if not before:
            break
        rs = rs - 1 - len(before[0].text)
    return rs


def _village_before(ctx: _Context, pos: int, reach: int = 200) -> str | None:
    """The village (or community) named last before `pos`, within `reach` characters."""
    for m in reversed(ctx.places):
        if m.end <= pos and pos - m.end <= reach and level_of(m.name) in ("村", "社区"):
            return m.name
    return None


# ---------------------------------------------------------------------------- rule 4

def words_after(ctx: _Context) -> None:
    """Names right before 同学, 同志, 总书记 …: 罗平慧同学 (of the school named just before),
    习近平总书记 (of 中共中央)."""
    text = ctx.text
    for m in _title_pattern("role_after").finditer(text):
        title = next(r for r in titles()[m.group()] if r.kind == "role_after")
        found = None
        for n in (3, 2, 4):
            s = m.start() - n
            if s < 0:
                continue
            if not (s == 0 or not _CJK.match(text[s - 1]) or s in ctx.tok_start or _holder_at(ctx, s)):
                continue
            name = read_name(ctx, s, True)
            if name is not None and s + len(name) == m.start():
                tok = ctx.tok_start.get(s)
                if tok is not None and tok.end > m.start():
                    continue
                found = (s, name)
                break
        if found is None:
            continue
        s, name = found
        p = ctx.add_span(name, s, s + len(name))
        if title.implies:
            if (title.text, title.implies) not in p.posts:
                p.posts.append((title.text, title.implies))
            continue
        # the school (or other organization) named before, in the same clause
        clause0 = max(text.rfind(c, 0, s) for c in "，。；！？\n,") + 1
        near = [o for o in ctx.orgs if clause0 <= o.start and o.end <= s and s - o.end <= 12]
        if near:
            org = near[-1]
            if org.name not in p.affiliations:
                p.affiliations.append(org.name)


# ---------------------------------------------------------------------------- rules 5 and 6

# A mark after which a clause starts (_CLAUSE_START), and what a speaker's clause opens with.
_CLAUSE_START_MARK = re.compile("[" + re.escape("".join(sorted(_CLAUSE_START))) + "]")

_SAID_AFTER_NAME = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:[\u4e00-\u9fff]{0,6}?[地着])?" + _SPEECH)


def speakers(ctx: _Context) -> None:
    """A name opening a clause and followed by a speech verb (”王兴礼说, 吕元告诉记者), directly
    or after a few words ending in 地/着 (王建国哽咽着说)."""
    text = ctx.text
    said = _SAID_AFTER_NAME
    # only where a clause starts (ctx.clause_start): the start and after each mark
    for s in [0] + [m.end() for m in _CLAUSE_START_MARK.finditer(text)]:
        if not said.match(text, s):
            continue
        name = read_name(ctx, s, False)
        if name is None or not text.startswith(name, s):
            continue
        rest = text[s + len(name):s + len(name) + 9]
        if not re.match(r"(?:[\u4e00-\u9fff]{0,6}?[地着])?" + _SPEECH, rest):
            continue
        ctx.add_span(name, s, s + len(name))


def copulas(ctx: _Context) -> None:
    """A name opening a sentence, followed by 是 and a role or post in the same clause:
    黄洪杰是一名外卖配送员, 杨永鑫是派驻到彩虹城B区的党建指导员."""
    text = ctx.text
    role_re = _title_pattern("role")
    post_re = _title_pattern("post")
    for m in re.finditer(r"(?:^|(?<=[。！？\n”]))([\u4e00-\u9fff]{2,4}?)是", text):
        s = m.start(1)
        name = read_name(ctx, s, False)
        if name is None or text[s + len(name):s + len(name) + 1] != "是":
            continue
        clause_end = min([i for i in (text.find(c, s) for c in "，。；！？\n,") if i >= 0] or [len(text)])
        clause = text[s + len(name) + 1:clause_end]
        if role_re.search(clause) or post_re.search(clause):
            p = ctx.add_span(name, s, s + len(name))
            org = _employer_after_copula(ctx, s + len(name) + 1, clause_end)
            if org is not None and org.name not in p.affiliations:
                p.affiliations.append(org.name)


def _employer_after_copula(ctx: _Context, pos: int, clause_end: int) -> Mention | None:
    """The organization of 〈name〉是 ORG 的(一名) role (李某是顺达物流的一名快递员): an
    organization written right after 是 and followed by 的 and the role in the same clause;
    None otherwise (王某是一名骑手, 王某是村里的…)."""
    role_re = _title_pattern("role")
    for o in ctx.orgs:
        if o.start == pos and o.end < clause_end and ctx.text[o.end] == "的" \
                and role_re.search(ctx.text[o.end:clause_end]):
            return o
        if o.start == pos and role_re.match(ctx.text, o.end, clause_end):
            return o                    # 陈某是西泉社区居委会社工: the role right after it
    return None


_DOTS = "·•・"


def dotted(ctx: _Context) -> None:
    """Names of minority nationalities written with a middle dot (阿依古丽·买买提, also with
    • or ・): right after a post or role, or opening a clause and followed by speech or
    (化名). Brands and mastheads use the dot too (党旗领航·平安武鸣, 新甘肃·甘肃日报), hence
    that evidence."""
    text = ctx.text
    for m in re.finditer("[" + _DOTS + "]", text):
        i = m.start()
        j = i
        while j > 0 and _CJK.match(text[j - 1]) and i - j < 10:
            j -= 1
        # the name starts where a title ends inside the run before the dot, else after the
        # last character that never stands in a name (他对|热合曼·吐尔逊说)
        start = next((k for k in range(j + 1, i - 1) if _titles_ending_at(ctx, k, ("post", "role"))), None)
        titled = start is not None
        if start is None:
            start = max([j] + [k + 1 for k in range(j, i) if text[k] in _NOT_NAME])
        if i - start < 2 or i - start > 6:
            continue
        e = i + 1
        while e < len(text) and e - i <= 12 and not _closed(text, e) and not _follower_at(text, e) \
                and text[e] not in "的了在是和与及":
            if text[e] in _DOTS and e + 1 < len(text) and _CJK.match(text[e + 1]):
                e += 1
            elif not _CJK.match(text[e]):
                break
            tok = ctx.tok_start.get(e)
            if tok is not None and len(tok.word) > 1 and ctx.tags.get(tok.word, "")[:1] == "v":
                break                   # 阿不都热依木|带领: a verb ends the name
            e += 1
        name = text[start:e]
        parts = re.split("[" + _DOTS + "]", name)
        if any(len(x) < 2 for x in parts):
            continue
        if any(o.start < e and start < o.end for o in ctx.orgs):
            continue                    # part of an organization's name
        if titled or _closed(text, e):
            ctx.add_span(re.sub("[•・]", "·", name), start, e)


def pause_lists(ctx: _Context) -> None:
    """Names listed with 、 after one found by its post or role take the same affiliations:
    快递员孙凤婷、李莉在…. Each must be closed by 、, a mark, 等 or a verb, and bear no post
    of its own (…书记张三、村委会主任李四 is read by the posts rule)."""
    text = ctx.text
    for p in list(ctx.people.values()):
        if p.journalist:
            continue
        for start, end, _ in list(p.spans):
            pos = end
            while pos < len(text) and text[pos] == "、":
                name = read_name(ctx, pos + 1, True)
                if name is None:
                    break
                e = pos + 1 + len(name)
                if not (e >= len(text) or text[e] in "、，。；,;等" or _follower_at(text, e)
                        or _verb_at(ctx, e)):
                    break
                q = ctx.add_span(name, pos + 1, e)
                for a in p.affiliations:
                    if a not in q.affiliations:
                        q.affiliations.append(a)
                pos = e


# ---------------------------------------------------------------------------- the rest

def volunteers(ctx: _Context) -> None:
    """A person who becomes a “Q” volunteer (成为“先锋骑手”志愿者) belongs to the volunteer team
    named “Q” in the article."""
    text = ctx.text
    teams = {}
    for o in ctx.orgs:
        if o.attrs.get("org_class") == "volunteer":
            q = re.search(r"[“‘]([^”’]+)[”’]", o.name or "")
            if q:
                teams.setdefault(q.group(1), o.name)
    if not teams:
        return
    for p in ctx.people.values():
        for start, end, _ in p.spans:
            s0, s1 = ctx.doc.sentence_bounds(start)
            for q in re.finditer(r"[“‘]([^”’]{1,12})[”’]志愿者", text[end:s1]):
                team = teams.get(q.group(1))
                if team and team not in p.affiliations:
                    p.affiliations.append(team)


_FOUNDS = re.compile(f"(?:{alternation(vocab.FOUNDS)})了?")


def founders(ctx: _Context) -> None:
    """A person who founds a company or cooperative (李某…回乡创办XX有限公司, 领办XX合作社)
    belongs to it: the organization written right after the verb goes to the person named
    last before it in the sentence."""
    text = ctx.text
    spans = sorted((s, p) for p in ctx.people.values() for s, _, _ in p.spans if not p.journalist)
    starts = {o.start: o for o in ctx.orgs}
    for m in _FOUNDS.finditer(text):
        org = starts.get(m.end())
        if org is None or org.attrs.get("party") or org.attrs.get("org_class") not in ("enterprise", "social"):
            continue
        s0, _ = ctx.doc.sentence_bounds(m.start())
        before = [p for s, p in spans if s0 <= s < m.start()]
        if before and org.name not in before[-1].affiliations:
            before[-1].affiliations.append(org.name)


def pseudonyms(ctx: _Context) -> None:
    """A name written with (化名) after it: 王英华(化名)."""
    for m in re.finditer(r"[(（]化名[)）]", ctx.text):
        for n in (3, 2):
            s = m.start() - n
            if s < 0 or (s > 0 and _CJK.match(ctx.text[s - 1]) and s not in ctx.tok_start
                         and ctx.text[s - 1] not in "的"):
                continue
            name = read_name(ctx, s, True)
            if name is not None and s + len(name) == m.start():
                ctx.add_span(name, s, m.start())
                break


def re_mentions(ctx: _Context) -> None:
    """Every other occurrence of a name found is a mention of that person; (化名) after one
    marks a pseudonym."""
    text = ctx.text
    names = sorted(ctx.people, key=len, reverse=True)
    taken = [(s, e) for p in ctx.people.values() for s, e, _ in p.spans]
    for name in names:
        if len(name) < 2:
            continue
        for s, e in occurrences(text, name):
            if any(a <= s < b or a < e <= b for a, b in taken):
                continue
            if e < len(text) and any(text.startswith(n[len(name):], e) and n.startswith(name) and n != name
                                     for n in names):
                continue
            ctx.add_span(name, s, e)
            taken.append((s, e))
    for p in ctx.people.values():
        for s, e, _ in p.spans:
            after = re.match(r"[(（]化名[)）]", text[e:e + 4])
            if after:
                p.pseudonym = True
                p.aliases.add(text[s:e + after.end()])


def find_people(doc: Doc) -> list[Mention]:
    """Person mentions of an article, each with attrs {pseudonym, journalist, posts,
    affiliations, aliases}. Reads the organizations and divisions found before, and the
    creators and contributors of the article's byline."""
    ctx = _Context(doc)
    bylines(ctx, doc.article.creators, doc.article.contributors)
    credits(ctx)
    signatures(ctx)
    posts(ctx)
    roles(ctx)
    words_after(ctx)
    residents(ctx)
    pause_lists(ctx)
    dotted(ctx)
    speakers(ctx)
    copulas(ctx)
    pseudonyms(ctx)
    re_mentions(ctx)
    volunteers(ctx)
    founders(ctx)
    out = []
    for p in ctx.people.values():
        attrs = {"pseudonym": p.pseudonym, "journalist": p.journalist, "posts": list(p.posts),
                 "affiliations": list(p.affiliations), "aliases": set(p.aliases)}
        if p.byline:
            attrs["byline"] = p.byline
        for start, end, surface in sorted(p.spans):
            out.append(Mention("Person", surface, start, end, p.name, dict(attrs)))
    return sorted(out, key=lambda m: (m.start, m.end))
