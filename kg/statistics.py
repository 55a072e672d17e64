"""Stage 7: the numbers an article reports (statistics).

Input: an article's clean text. Output: one `Statistic` per number the text
reports about something, in text order, with offsets into the text:

    配备专职网格员3013人、兼职网格员10325人
      → Statistic(3013, "人", "配备专职网格员", "3013人", ...)
      → Statistic(10325, "人", "兼职网格员", "10325人", ...)

How it works:

- one regex finds number + multiplier + unit (`_quantity_re`); the units are the
  data file `kg/lexicon/units.tsv`, longest first (人次 before 人). A second
  regex finds fractions (1/3, 三分之一), reported as percent.
- the value is a plain number: 6.3万名 → 63000 名, 1.47亿元 → 147000000 元,
  半天 → 0.5 天; the unit is the measure word without 万/亿.
- 余 / 多 / 近 / 约 / 超过 / 以上 / 左右 … are kept as the qualifier, as written.
- a list of exclusion rules (`_EXCLUSIONS`, each a small function with the
  reason in its docstring) drops what is a number but not a report: dates and
  years, ordinals, ranges, addresses, names and slogans, vague Chinese numerals.
  A threshold (30人以上社会组织, 5万元以上的村) is a statistic, as the annotation
  guidelines settle.
- the period is the nearest period phrase before the number in its sentence
  (2023年, 2024年以来, 近三年, 今年上半年, 截至目前, 一年来 …); the measure is
  the phrase around the number (the clause before it, and the noun after it
  when the number stands before its noun).

- one figure said of several listed measures (及时受理率、按期办结率均为100%)
  gives one statistic per measure, with the same span.
- a range (联系3—5户群众) gives nothing: it states a norm, not a figure.
- a count that refers back to things just named (…两个行业党委共组建…) gives nothing.

`about` is left None here: kg.relate sets it from the entities of the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from . import vocab
from .lexicon import load
from .model import Statistic
from .vocab import alternation, char_class

# ---------------------------------------------------------------- numbers

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "".join(_CN_DIGIT) + "".join(_CN_POWER)
_MULTIPLIER = {"万": 10 ** 4, "亿": 10 ** 8, "万亿": 10 ** 12}

_DIGITS = r"\d+(?:\.\d+)?"      # no thousands commas: in clean text "100,200个" is a list
_CN_NUMBER = f"[{_CN_CHARS}]+"


def chinese_number(s: str) -> int | None:
    """三 → 3, 十五 → 15, 两千 → 2000, 一百零五 → 105; None for 二三十 (vague) and the like."""
    total, digit, last_power = 0, None, None
    for ch in s:
        if ch in _CN_DIGIT:
            if _CN_DIGIT[ch] == 0 and last_power is None:
                return None                       # 二〇二四: a year written digit by digit
            if digit is not None and _CN_DIGIT[ch] != 0 and digit != 0:
                return None                       # 二三, 三五: two digits in a row
            digit = _CN_DIGIT[ch]
        else:
            power = _CN_POWER[ch]
            if last_power is not None and power >= last_power:
                return None                       # 百十, 十百: not a number
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
    return total + (digit or 0)


# ---------------------------------------------------------------- the patterns

@cache
def _units() -> dict[str, str]:
    """unit → kind, from kg/lexicon/units.tsv."""
    return {row["unit"]: row["kind"] for row in load("units")}


@cache
def _quantity_re() -> re.Pattern:
    units = alternation(_units())
    return re.compile(
        rf"(?P<num>{_DIGITS}|{_CN_NUMBER}|半)"
        rf"\s*(?P<q1>余|多)?"                 # 2000余万元, 1600多万元
        rf"\s*(?P<mult>万亿|亿|万)?"
        rf"\s*(?P<q2>余|多)?"                 # 34万余元, 1亿多元
        rf"\s*(?P<unit>{units})"
        rf"(?P<post>以上|以下|以内|左右|上下)?")


@cache
def _bare_money_re() -> re.Pattern:
    """An amount in 万/亿 right after a verb of earning or spending, with no unit after it:
    money (年增收20万, 年挣4万多 → 元)."""
    units = alternation(_units())
    return re.compile(
        rf"(?:{alternation(vocab.MONEY_VERB)})(?:了|约|近|超过?)?"
        rf"(?P<num>{_DIGITS}|{_CN_NUMBER})(?P<q1>余|多)?(?P<mult>万|亿)(?P<q2>余|多)?"
        rf"(?!\s*(?:余|多)?\s*(?:{units}))")


# A span of time counted with 个, a qualifier between (4个多小时, 3个多月, 两个小时): the unit
# is the time word's (小时, 个月), as for 4小时 and 3个月.
_SPELLED_TIME_UNIT = {"小时": "小时", "钟头": "小时", "月": "个月", "工作日": "个工作日"}
_SPELLED_TIME = re.compile(f"(?P<q>多|余)?(?P<word>{'|'.join(_SPELLED_TIME_UNIT)})")


# 1/3以上, 三分之一, 百分之八十: a share, reported as percent with 2 decimals.
_FRACTION = re.compile(
    r"(?<![\d/.])(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d/.])(?P<post>以上|以下|左右)?"
    rf"|(?P<cb>[{_CN_CHARS}]+)分之(?P<ca>[{_CN_CHARS}]+)(?P<cpost>以上|以下|左右)?")

# Qualifiers written before the number (近5万名, 超过10万人, 突破2万元).
_PRE_QUALIFIER = re.compile(f"(?:{alternation(vocab.PRE_QUALIFIER)})$")
_NOT_PRE_QUALIFIER = re.compile(f"(?:{alternation(vocab.NOT_PRE_QUALIFIER)})$")

# Periods a sentence states for its numbers.
_PERIOD = re.compile(
    r"(?:截至|截止到?)(?:目前|今年|去年|(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?)?)?(?:底|末)?"
    r"|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:[^,，。;；:：!！?？\d]{0,10}?以来|以来|起|至今|上半年|下半年|前三季度"
    r"|[一二三四]季度|全年|底|末|初)?"
    rf"|近(?:\d+|[{_CN_CHARS}])年(?:来|以来)?"
    rf"|(?:\d+|[{_CN_CHARS}]+|多)年(?:以来|来)"
    r"|今年(?:以来|上半年|下半年|前三季度|[一二三四]季度|\d{1,2}月份?)?"
    r"|去年(?:以来|同期|全年)?|上年|同年"
    # a Five-Year Plan (“十四五”以来): kg/lexicon/time_words.tsv
    rf"|[“\"]?(?:{alternation(vocab.TIME_PLAN)})[”\"]?(?:以来|期间|时期)")

_SENTENCE_END = "。!?！？\n"
_CLAUSE_END = _SENTENCE_END + ",，;；:：…"
_CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- exclusion rules
# Each rule gets the text and the candidate (a regex match of _QUANTITY) and
# returns True when the number is NOT a statistic.

def _inside(text: str, pos: int, open_: str, close: str, limit: int = 80) -> tuple[int, int] | None:
    """(start, end) of the open_…close span that holds pos, if any (within limit characters)."""
    before = text[max(0, pos - limit):pos]
    o = before.rfind(open_)
    if o < 0 or close in before[o + 1:]:
        return None
    c = text.find(close, pos, pos + limit)
    if c < 0 or open_ in text[pos:c]:
        return None
    return pos - len(before) + o, c + 1


def in_title(text, m) -> bool:
    """Inside 《》: numbers in titles belong to the title (《…三年行动计划(2024—2026年)》)."""
    return _inside(text, m.start(), "《", "》", 120) is not None


def in_name_quote(text, m) -> bool:
    """Inside a short quote without sentence punctuation: a name or slogan
    (“1+3+X+N”, “五个一百”, “两张报表”). Quoted speech, which holds
    commas or full stops, is reported text and keeps its numbers."""
    for open_, close in (("“", "”"), ("‘", "’"), ('"', '"')):
        span = _inside(text, m.start(), open_, close, 40)
        if span and span[1] - span[0] <= 22 and not re.search(r"[,，。;；!！?？:：]", text[span[0]:span[1]]) \
                and not re.search(r"[:：]\s*$", text[max(0, span[0] - 2):span[0]]):
            return True
    return False


_CODE_CHAR = re.compile(r"[A-Za-z+·.\-_/#×*]")


def identifier(text, m) -> bool:
    """Part of a code or formula: B1版, 5G, 1+3+X+N, 7·9."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return bool(_CODE_CHAR.match(before) or (after and after in "+·×*"))


def ordinal(text, m) -> bool:
    """第三批, 第29个世界读书日, 全国前10名: ordinals and ranks, not counts."""
    before = text[max(0, m.start() - 2):m.start()]
    return before.endswith("第") or (before.endswith("前") and before not in ("提前", "之前", "此前", "以前", "目前"))


def rate_denominator(text, m) -> bool:
    """每10户 (设1名联络员), 每立方厘米: the number after 每 is the base of a rate."""
    return text[max(0, m.start() - 1):m.start()] == "每"


_RANGE_DASH = "—–~～\\-"   # the hyphen escaped: it goes inside [...]
_RANGE_BEFORE = re.compile(rf"[\d{_CN_CHARS}][^\d,，。;；\s]{{0,3}}[{_RANGE_DASH}]$|\d[万亿]?[至到]$")
_RANGE_AFTER = re.compile(rf"[{_RANGE_DASH}至到]\s*\d")


def range_bound(text, m) -> bool:
    """3—5户, 3至5人, 3户—5户: a range is a norm ("each member keeps in touch with 3-5
    households"), not one reported figure; the gold does not record it."""
    before = text[max(0, m.start() - 4):m.start()]
    if _RANGE_BEFORE.search(before):
        return True                                  # (至 / 到 after a digit only: 统一到2个平台 is no range)
    return bool(_RANGE_AFTER.match(text[m.end():m.end() + 3]))   # 3户—5户


def date_or_period(text, m) -> bool:
    """2024年 (a year), 5年来 / 近3年 (a period), 五年级 / 90年代 / 2024年度: years, not counts."""
    if m.group("unit") != "年":
        return False
    num = m.group("num")
    if re.fullmatch(r"[12]\d{3}", num) and not m.group("mult"):
        return True
    after = text[m.end("unit"):m.end("unit") + 2]
    before = text[max(0, m.start() - 2):m.start()]
    return bool(re.match(r"以来|来|间|内|前|后|初|底|末|级|代|度|龄", after)
                or re.search(r"近|这|过去|未来|前|后", before))


_DURATION_NAME = re.compile(
    r"[\u4e00-\u9fff]{0,4}?圈|[\u4e00-\u9fff]{0,2}?" + f"(?:{alternation(vocab.DURATION_PLAN)})"
    f"|{alternation(vocab.DURATION_NAME)}")


def duration_name(text, m) -> bool:
    """15分钟便民生活圈, 24小时在线, 3年攻坚行动: a duration that is part of a name."""
    if _units()[m.group("unit")] != "duration" or m.group("post"):
        return False
    return bool(_DURATION_NAME.match(text, m.end()))


def address(text, m) -> bool:
    """3栋2单元, 5幢3号: parts of an address (but 3户1楼业主 is three households)."""
    return m.group("unit") in ("栋", "幢", "座") and bool(
        re.match(r"\s*\d+\s*(?:单元|号|层|室|楼)", text[m.end():m.end() + 6]))


_CN_IDIOMS = vocab.CN_IDIOM
_SLOGAN_HEAD = re.compile(f"(?:{alternation(vocab.SLOGAN_HEAD)})")
_PLACE_SUFFIX = re.compile(rf"[\u4e00-\u9fff]?(?:{alternation(vocab.COUNTED_LEVELS)})")


def chinese_numeral_not_count(text, m) -> bool:
    """Chinese numerals are counts only now and then (两首歌曲); mostly they are
    names, slogans, ordinals or idioms, so they pass only when none of these holds:
    一 / 二 / 百 / 千 alone (一大早, 一人多高, 村二组, 百家门: counts of one are written 1,
    二 + measure word is an ordinal, counts use 两); two digits in a row or after
    几 / 数 / 上 (二三十件, 几十个: vague); after 这 / 此 / 上述 (这三个方面: the items
    just listed); right after a closing quote (“…末位问责”七项制度: the label of a
    quoted list); a duration (三天门社区, 五年级, 近三年); a slogan head after it
    (三项制度, 两个维护); a place-name suffix after it (三台县)."""
    num = m.group("num")
    if num[0].isdigit():
        return False
    if num == "半":
        return (_units()[m.group("unit")] != "duration"
                or text[max(0, m.start() - 1):m.start()] in ("上", "下", "大", "多", "一", "过", "减", "折"))
    if chinese_number(num) is None:
        return True
    if num in ("一", "二", "百", "千") and not (m.group("mult") or m.group("q1") or m.group("q2")):
        return True                                      # but 一万余元, 百余名, 千余人 are counts
    if text[m.start():m.start() + 2] in _CN_IDIOMS:
        return True
    before = text[max(0, m.start() - 2):m.start()]
    if re.search(r"[几数上多]$|(?:这|那|此|该|上述|以下|如下|下列)$|[”’》]?[”’]$", before):
        return True
    unit = m.group("unit")
    if _units()[unit] == "duration":
        return True
    if _SLOGAN_HEAD.match(text, m.end()):
        return True
    return unit != "个" and bool(_PLACE_SUFFIX.match(text, m.end()))


def refers_back(text, m) -> bool:
    """…成立快递物流行业党委和外卖配送行业党委。截至目前,两个行业党委共组建…: a count in
    Chinese numerals that opens a clause and counts a noun (3 characters or more) named
    in the sentence before or earlier in its own sentence refers back to the things just
    named, as 这三个方面 does; it reports nothing new. (A short noun, 三个社区获评…, is no
    sure reference: 社区 is named everywhere.)"""
    num = m.group("num")
    if num[0].isdigit() or num == "半" or m.group("mult") or m.group("q1") or m.group("q2"):
        return False
    clause = _clause_start(text, m.start(), 0)
    if text[clause:m.start()].strip():
        return False
    noun = _noun_after(text, m.end())[:4]
    if len(noun) < 3:
        return False
    sentence = max(text.rfind(c, 0, clause) for c in _SENTENCE_END) + 1
    previous = max(text.rfind(c, 0, max(0, sentence - 1)) for c in _SENTENCE_END) + 1
    return noun in text[previous:clause]


_EXCLUSIONS = (in_title, in_name_quote, identifier, ordinal, rate_denominator, range_bound,
               date_or_period, duration_name, address, chinese_numeral_not_count,
               refers_back)


def excluded_by(text: str, m: re.Match) -> str | None:
    """The name of the first rule that excludes a candidate, or None (useful when debugging)."""
    for rule in _EXCLUSIONS:
        if rule(text, m):
            return rule.__name__
    return None


# ---------------------------------------------------------------- measure and period

# Cut from the start of the clause before a number: punctuation, adverbs, pronouns.
_LEAD = re.compile(r"^(?:[、,，;；:：\s\"'(（)）]|" + f"{alternation(vocab.STAT_LEAD)})+")
# Cut from the end of the clause before a number: linking verbs and qualifiers
# (业委会组建率达到97% → 业委会组建率).
_TRAIL = re.compile(f"(?:(?:{alternation(vocab.CHANGE_TO)})(?:到|至|为|在)"
                    f"|{alternation(vocab.STAT_TRAIL + vocab.PRE_QUALIFIER)}" + r"|[、,，\s“\"(（])+$")
# What may not begin the noun after a number (…为30名学生…, …70余人在品读…).
# (Lookaheads keep the nouns that begin with one: 在职党员, 从业人员, 就业困难人员, 对口单位.)
_NOUN_START_STOP = re.compile(r"在(?!职|岗|校|册|编|读|建)|对(?!口|象)|为(?!民)|有(?!效|关|害)|从(?!业)|就(?!业|医|学)"
                              r"|外(?!卖|出|来|地|省|籍)|" + char_class(vocab.NOUN_START_STOP))
# Where the noun after a number ends: a common verb or adverb right after a counted
# noun (…党员参与…, …干部联系…), a digit or punctuation.
_NOUN_STOP = re.compile(alternation(vocab.NOUN_STOP) + r"|[\d\s,，。;；:：!！?？…]")
# Verbs that show there is no noun after a number (…对37个存在安全隐患的…).
_VERB_START = re.compile(alternation(vocab.VERB_START))
_NOUN_END_TRIM = "".join(vocab.NOUN_END_TRIM) + "、“ "
_CHANGE = re.compile(f"(?:同比)?(?:{alternation(vocab.CHANGE)})")
_RATE_NOUN = re.compile(f"(?:{alternation(vocab.RATE_NOUN)})$")


def _clause_start(text: str, pos: int, floor: int) -> int:
    return max([floor] + [text.rfind(c, floor, pos) + 1 for c in _CLAUSE_END])


_NEXT_QUANTITY = re.compile(rf"、[{_CN_CHARS}近约]")


def _noun_after(text: str, pos: int) -> str:
    """The noun a number stands before (…支持50个村发展… → 村), quotes kept whole, up to 20 characters."""
    if text[pos:pos + 1] == "的":
        pos += 1
    if pos >= len(text) or not (_CJK.match(text, pos) or text[pos] == "“") \
            or _NOUN_START_STOP.match(text, pos) or _VERB_START.match(text, pos):
        return ""                                       # no noun after it, or a verb: …37个存在…
    i = pos
    while i < len(text) and i - pos < 20:
        if text[i] == "“":
            close = text.find("”", i, i + 24)
            if close > 0:
                i = close + 1
                continue
        if i > pos and (_NOUN_STOP.match(text, i) or _NEXT_QUANTITY.match(text, i)):
            break                                       # …党员、千余人次: the next quantity
        i += 1
    return text[pos:i].rstrip(_NOUN_END_TRIM)


def _clause_after(text: str, pos: int) -> str:
    end = min([len(text), pos + 40] + [i for i in (text.find(c, pos) for c in _CLAUSE_END) if i >= 0])
    return text[pos:end]


def _tidy(measure: str) -> str:
    """Trim separators; give a quote closed but not opened its opening mark (…“四强”党支部 cut at a line)."""
    measure = measure.strip(" 、,，\n")
    first = min((i for i in (measure.find("“"), measure.find("”")) if i >= 0), default=-1)
    if first >= 0 and measure[first] == "”":
        measure = "“" + measure
    if measure.count("“") > measure.count("”"):
        measure = measure[:-1] if measure.endswith("“") else measure.lstrip("“")
    return measure if len(measure) <= 40 else measure[-40:]


@dataclass
class _Previous:
    """The statistic before, in the same sentence: what the next one may lean on."""
    end: int
    measure: str
    noun: str          # the noun after its number, if it stood before one


def _measure(text: str, start: int, end: int, floor: int, prev: _Previous | None) -> tuple[str, str]:
    """What is counted, and the noun after the number.

    The measure is the clause before the number, without linking verbs and
    qualifiers, plus the noun after the number when the number stands before
    its noun (支持50个村 → 支持村). After an enumeration mark (…责任区、792个示范岗,
    94.9%、93%) only the noun counts, or the measure before when there is none.
    """
    left = text[_clause_start(text, start, floor):start]
    noun = _noun_after(text, end)
    if prev is not None:
        if prev.noun and left.startswith(prev.noun):    # the noun the statistic before has taken
            rest = left[len(prev.noun):]
            trimmed = _TRAIL.sub("", rest)
            if (trimmed and not _RATE_NOUN.search(trimmed)) or (not trimmed and noun):
                left = rest                             # 63名书记联系88个… → 联系; 14个方面53项内容 → 内容
        if re.search(r"[、和与及]\s*$", left):          # (but …党组织覆盖率 and 100个社区…717人 keep theirs)
            left = ""                                   # 1363个责任区、792个示范岗; 6222亩、2065座
    left = _TRAIL.sub("", _LEAD.sub("", left))
    if left and noun:
        measure = left + noun
    elif left or noun:
        measure = left or noun
    elif prev is not None and re.fullmatch(r"\s*[、和与及]?\s*", text[prev.end:start]):
        measure = prev.measure                          # 94.9%、93%、87.5%: as the one before
    elif _CJK.match(text, end) and not _NOUN_START_STOP.match(text, end):
        measure = _clause_after(text, end)              # 4人入选第三批…: the clause after says what
    else:
        measure = text[_clause_start(text, start, 0):start] + _clause_after(text, start)   # 30天内办结
    if prev is not None and _CHANGE.fullmatch(left) and not noun \
            and (left.startswith("同比") or text[prev.end:start].startswith("、")):
        measure = prev.measure + left                   # 清理撤牌1.4万块、减少44.9%; 产值25.8亿元,同比增长227%
    if len(measure) > 40 and noun:
        measure = noun                                  # a long clause before: the noun says it best
    return _tidy(measure), noun


_DISTRIBUTIVE = re.compile(f"(?:{alternation(vocab.DISTRIBUTIVE)})" + r"(?:为|是|达到?|超过|在)?$")


def _distributed(text: str, start: int, floor: int, measure: str) -> list[str]:
    """及时受理率、按期办结率均为100%: one figure said of each listed measure is one
    statistic per measure (same span). Otherwise the measure itself."""
    left = text[_clause_start(text, start, floor):start]
    if not _DISTRIBUTIVE.search(left) or "、" not in measure:
        return [measure]
    parts = [p.strip() for p in measure.split("、")]
    return parts if all(len(p) >= 2 for p in parts) else [measure]


# The value a change goes to, after the value it comes from: …从2021年的76%提升至93%.
_CHANGE_TO = re.compile(r"\d.*(?:至|到|为)\s*$")


def _of_from_value(text: str, p: re.Match, start: int) -> bool:
    """True when the period p dates the 'from' value of a change whose 'to' value is the
    number at start (从2021年的76%提升至93%: 2021年 is the 76%'s, not the 93%'s)."""
    return text[p.start() - 1:p.start()] in ("从", "由") and bool(_CHANGE_TO.search(text, p.end(), start))


def _period(text: str, start: int) -> str | None:
    """The last period phrase before the number in its sentence (not one of a 'from' value)."""
    sent = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    found = None
    for p in _PERIOD.finditer(text, sent, start):
        if p.group() and not _inside(text, p.start(), "《", "》", 120) and not _of_from_value(text, p, start):
            found = p.group()
    return found


# ---------------------------------------------------------------- finding

def _pre_qualifier(text: str, start: int) -> str | None:
    before = text[max(0, start - 4):start]
    if _NOT_PRE_QUALIFIER.search(before):
        return None
    q = _PRE_QUALIFIER.search(before)
    return q.group() if q else None


def _number(num: str) -> Decimal:
    if num == "半":
        return Decimal("0.5")
    if num[0].isdigit():
        return Decimal(num)
    return Decimal(chinese_number(num) or 0)


def _as_float(d: Decimal) -> float:
    f = float(d)
    return float(int(f)) if f == int(f) else f


def _candidates(text: str):
    """(start, end, value, unit, qualifiers) for each quantity and fraction that passes the rules."""
    for m in _quantity_re().finditer(text):
        if excluded_by(text, m):
            continue
        value = _number(m.group("num")) * _MULTIPLIER.get(m.group("mult") or "", 1)
        quals = [m.group("q1"), m.group("q2"), m.group("post")]
        unit, end = m.group("unit"), m.end()
        spell = _SPELLED_TIME.match(text, end) if unit == "个" else None
        if spell:                           # 4个多小时, 3个多月: hours and months, not a count
            unit, end = _SPELLED_TIME_UNIT[spell.group("word")], spell.end()
            quals.append(spell.group("q"))
        yield m.start(), end, _as_float(value), unit, quals
    for m in _bare_money_re().finditer(text):
        if in_title(text, m) or in_name_quote(text, m):
            continue
        value = _number(m.group("num")) * _MULTIPLIER[m.group("mult")]
        yield m.start("num"), m.end(), _as_float(value), "元", [m.group("q1"), m.group("q2")]
    for f in _FRACTION.finditer(text):
        if f.group("a"):
            a, b, post = int(f.group("a")), int(f.group("b")), f.group("post")
        else:
            a, b = chinese_number(f.group("ca")), chinese_number(f.group("cb"))
            post = f.group("cpost")
        if not a or not b or a > b or in_title(text, f) or in_name_quote(text, f):
            continue
        yield f.start(), f.end(), round(100 * a / b, 2), "%", [post]


def find_statistics(text: str) -> list[Statistic]:
    """Every number the text reports about something, in text order."""
    found: list[Statistic] = []
    prev: _Previous | None = None
    last_end = 0
    for start, end, value, unit, quals in sorted(_candidates(text), key=lambda c: c[0]):
        if start < last_end:                        # a fraction inside a quantity, or the reverse
            continue
        pre = _pre_qualifier(text, start)
        span_start = start - len(pre) if pre else start
        sentence_start = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
        if prev is not None and prev.end < sentence_start:
            prev = None
        floor = prev.end if prev is not None else sentence_start
        measure, noun = _measure(text, span_start, end, floor, prev)
        for part in _distributed(text, span_start, floor, measure):
            found.append(Statistic(
                value=value,
                unit=unit,
                measure=part,
                surface=text[span_start:end],
                start=span_start,
                end=end,
                qualifier="".join(q for q in [pre, *quals] if q) or None,
                period=_period(text, start),
            ))
        prev = _Previous(end, measure, noun)
        last_end = end
    return found
