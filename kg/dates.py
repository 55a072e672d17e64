"""Time: when each article appeared, and the periods and start dates its words name.

Three jobs, pure functions over text (the build calls them; they read no files but
`read_meta`, which reads the one the user names):

1. Article metadata (`page_meta`, `read_dateline`, `date_articles`). A page printed from a
   portal carries a line of furniture with its date and source (「2026-01-19 10:49 来源:…」,
   「发布时间：2023-07-13」, 「2023年11月24日」 heading an e-paper's page); a newspaper report
   opens with a dateline (「本报成都3月15日电」, 「新华社北京3月15日电」). From these and the
   sidecar manifest (`kg build --meta FILE`, whose values win) each Article gets `issued`
   (ISO 8601 "2026-03-15" or "2026-01-19T10:49:00"), `publisher` and `url`. A dateline gives a
   month and day only: the year comes from the manifest or from the file's other full dates;
   where there is none the article stays undated, with the reason (never a guessed year).
2. Periods (`resolve_period`): the words a statistic's period is written in (今年上半年,
   2023年以来, 截至目前, 近三年, 「十四五」以来) as first and last day, relative to the
   article's date. Without an article date absolute dates (2023年) still resolve, relative
   words (今年) do not.
3. Program start dates (`program_start`): 于2024年12月正式推行, 自2021年起推行, 去年启动
   → the date as precisely as written (xsd:gYear, xsd:gYearMonth or xsd:date) and the words.

The words of time (今年, 上半年, 以来, 截至, 十四五 …) are in kg/lexicon/time_words.tsv
(kg.vocab's TIME_* lists); the portal's labels (来源, 发布时间) in words.tsv (page_meta,
source_label).
"""
from __future__ import annotations

import calendar
import csv
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath

from . import vocab
from .vocab import alternation

# ---------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Issued:
    """When an article appeared: `value` ISO 8601, "2026-03-15" (precision "date") or
    "2026-01-19T10:49:00" (precision "dateTime", no zone, as the page prints it); `how`:
    where it was read ("meta", "page", "html", "dateline")."""
    value: str
    precision: str
    how: str


@dataclass(frozen=True)
class PageMeta:
    """What a page's head says about it: its date, the publisher (来源), and the years of the
    full dates its head lines give (for a dateline's month and day)."""
    issued: Issued | None = None
    publisher: str | None = None
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Period:
    """A resolved period, both ends inclusive, ISO dates ("2024-01-01"); an end is None where
    the words do not state it (截至2023年底: only the end; 2023年以来 without an article date:
    only the start). `year`: the calendar year the period lies in (for a figure as of a day,
    the year of that day), None when it spans years or is not known."""
    start: str | None
    end: str | None
    year: int | None


@dataclass(frozen=True)
class StartDate:
    """When a program began: `value` "2024", "2024-12" or "2024-12-01" as precise as the text,
    `datatype` "gYear", "gYearMonth" or "date" (the xsd type), `text` the words as written."""
    value: str
    datatype: str
    text: str


@dataclass(frozen=True)
class MetaRow:
    """One row of a --meta file: `key` the file it is about (a file name or path, or a `doc`:
    the file's name without extension); the other fields None where not given."""
    key: str
    by_stem: bool                 # key is a `doc` (file stem), not a `file`
    line: int
    url: str | None = None
    date: str | None = None       # ISO: "2023-09-11", "2023-09-11T10:00:00", "2023-09", "2023"
    source: str | None = None
    title: str | None = None


# ---------------------------------------------------------------------------- dates in text

# 2026-01-19, 2022/11/07/, 2022 05/ 13, 21-04-03 (two digits: only with a time after it)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<y>\d{4}|\d{2})(?:\s*[-/.]\s*|\s+)(?P<m>\d{1,2})\s*[-/.]\s*"
                           r"(?P<d>\d{1,2})(?![\d.])/?")
# 2023年7月13日, 2023年07月13日
_CN_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_TIME = re.compile(r"\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?!\d)")
# A page's head: its first lines, before the article's text has surely begun.
HEAD_LINES = 10
# A head line that is prose (a sentence of the article that opens with a date: 2015年7月16日,
# 习近平总书记…) and no page furniture.
_PROSE = re.compile(r"[,，。;；!！?？]")
_LABEL = re.compile(alternation(vocab.PAGE_META + vocab.SOURCE_LABEL))
# 来源: X — X up to a space, a bar, another label or a date (来源:新华网黑龙江频道2025-12-29)
_PUBLISHER = re.compile(rf"(?:{alternation(vocab.SOURCE_LABEL)})\s*[:：/]\s*"
                        rf"(?P<v>.+?)(?=\s|[|｜]|$|(?:{alternation(vocab.PAGE_META)})\s*[:：/]|\d{{2,4}}[-/年])")
# A dateline: who and where, then month and day, then 电 or 讯, opening the report
# (本报济宁6月12日讯, 新华社北京3月15日电, 中新网宁夏新闻12月4日电).
_DATELINE = re.compile(r"\s*[\u4e00-\u9fff()（）·]{1,16}?(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:电|讯)")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _issued_at(line: str, first_line: bool) -> Issued | None:
    """The date (and time) of one head line of a page, when the line is page furniture:
    a numeric date (2026-01-19) anywhere in it; a Chinese one (2023年7月13日) with a time after
    it, a label in the line (来源, 发布时间), or alone as the file's first line (an e-paper's
    page header). None for prose and for anything else."""
    if _PROSE.search(line):
        return None
    for pattern in (_NUMERIC_DATE, _CN_DATE):
        for m in pattern.finditer(line):
            y, mo, d = (int(m.group(k)) for k in "ymd")
            time = _TIME.match(line, m.end())
            if len(m.group("y")) == 2:
                if time is None:
                    continue
                y += 2000
            if pattern is _CN_DATE and time is None and not _LABEL.search(line) \
                    and not (first_line and line.strip() == m.group().strip()):
                continue
            day = _valid(y, mo, d)
            if day is None:
                continue
            if time is not None:
                h, mi, s = int(time.group("H")), int(time.group("M")), int(time.group("S") or 0)
                if h < 24 and mi < 60 and s < 60:
                    return Issued(f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}", "dateTime", "page")
            return Issued(day.isoformat(), "date", "page")
    return None


def _head(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][:HEAD_LINES]


def page_meta(text: str) -> PageMeta:
    """The date, publisher and full dates' years of a page's head lines (HEAD_LINES):
    the first dated line of furniture gives the date; the first 来源 label with a value
    the publisher."""
    issued = publisher = None
    years: list[int] = []
    for n, line in enumerate(_head(text)):
        found = _issued_at(line, n == 0)
        if found is not None:
            years.append(int(found.value[:4]))
            issued = issued or found
        if publisher is None and not _PROSE.search(line):
            m = _PUBLISHER.search(line)
            if m and m.group("v").strip():
                publisher = m.group("v").strip()
    return PageMeta(issued, publisher, tuple(dict.fromkeys(years)))


def read_dateline(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the dateline TEXT opens with (本报成都3月15日电 →
    (None, 3, 15)); None when it opens with none."""
    m = _DATELINE.match(text)
    if not m:
        return None
    y = int(m.group("y")) if m.group("y") else None
    mo, d = int(m.group("m")), int(m.group("d"))
    if _valid(y or 2000, mo, d) is None:       # 2000: a leap year, so 2月29日 passes
        return None
    return y, mo, d


def _html_issued(value: str) -> Issued | None:
    """An HTML page's own date (its metadata, as kg.read found it) as an Issued."""
    return _parse_iso(value, "html")


_ISO = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
                  r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?)?)?")


def _parse_iso(value: str, how: str) -> Issued | None:
    """A full date in ISO form ("2023-09-11", "2023-09-11 10:00", "2023-09-11T10:00:00") as
    an Issued; None for anything else (a year or month alone is no issue date)."""
    m = _ISO.fullmatch(value.strip())
    if not m or not m.group("d"):
        return None
    day = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if day is None:
        return None
    if m.group("H") is None:
        return Issued(day.isoformat(), "date", how)
    h, mi, s = int(m.group("H")), int(m.group("M")), int(m.group("S") or 0)
    if h >= 24 or mi >= 60 or s >= 60:
        return None
    return Issued(f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}", "dateTime", how)


def date_articles(page, articles: list, row: MetaRow | None = None) -> list[tuple[int, str]]:
    """Set issued, issued_precision, publisher and url of a page's ARTICLES (kg.model
    Article, in page order) from the page's head (page_meta), an HTML page's metadata
    (page.meta), each article's dateline and the --meta ROW, whose values win; its title
    is the article's meta_title when the page holds one article. Returns (article index, reason) for each article
    left without a date."""
    head = page_meta(page.text)
    html = page.meta or {}
    meta_issued = _parse_iso(row.date, "meta") if row and row.date else None
    page_issued = meta_issued or head.issued or (_html_issued(html["date"]) if html.get("date") else None)
    # the years a dateline's month and day may take: the manifest's, else the file's full dates
    if row and row.date and _ISO.fullmatch(row.date.strip()):
        years = {int(row.date.strip()[:4])}
    else:
        years = set(head.years) | {a.dateline_date[0] for a in articles
                                   if a.dateline_date and a.dateline_date[0]}
    publisher = (row.source if row and row.source else None) or head.publisher or html.get("source")
    url = (row.url if row and row.url else None) or html.get("url")
    undated = []
    for article in articles:
        issued = page_issued
        if issued is None and article.dateline_date is not None:
            y, mo, d = article.dateline_date
            if y is None and len(years) == 1:
                y = next(iter(years))
            if y is not None and _valid(y, mo, d):
                issued = Issued(date(y, mo, d).isoformat(), "date", "dateline")
            else:
                why = ("several years in the file" if len(years) > 1 else "no year in the file or --meta")
                undated.append((article.index, f"dateline gives month and day only ({mo}月{d}日), {why}"))
        elif issued is None:
            undated.append((article.index, "no date in the text" + ("" if row else " (no --meta row)")))
        if issued is not None:
            article.issued, article.issued_precision = issued.value, issued.precision
        article.publisher, article.url = publisher, url
    if row and row.title and len(articles) == 1:
        articles[0].meta_title = row.title
    return undated


# ---------------------------------------------------------------------------- --meta files

class MetaError(ValueError):
    """A --meta file that cannot be read at all (missing, not .jsonl/.csv, not UTF-8)."""


@dataclass
class MetaTable:
    """The rows of a --meta file, and the messages about rows that were bad ("FILE:LINE: …")."""
    path: str
    rows: list[MetaRow]
    problems: list[str]

    def row_for(self, path: str) -> MetaRow | None:
        """The row about the input file at PATH (as given on the command line): a `file` equal
        to the path, its end (b/x.txt) or its name; a `doc` equal to its name without extension.
        The first such row wins."""
        p = PurePath(os.path.normpath(path))
        parts = p.parts
        for row in self.rows:
            if row.by_stem:
                if p.stem == row.key:
                    return row
                continue
            key = PurePath(os.path.normpath(row.key)).parts
            if parts[-len(key):] == key:
                return row
        return None


_COLUMNS = ("file", "doc", "url", "date", "source", "title")


def read_meta(path: str | Path) -> MetaTable:
    """The rows of a --meta file: JSON Lines (.jsonl, one object a line) or CSV (.csv, a header
    row) with the columns file (or doc: the file's name without extension), url, date, source,
    title; other columns are ignored. A bad row or value is left out with a message naming the
    file and line (in `problems`); raises MetaError when the file cannot be read at all."""
    path = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise MetaError(f"{path}: --meta takes a .jsonl or .csv file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as err:
        raise MetaError(f"{path}: cannot read the --meta file ({err.__class__.__name__}: "
                        f"{getattr(err, 'strerror', None) or err})") from None
    table = MetaTable(path, [], [])
    if suffix == ".jsonl":
        records = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                record = f"not JSON ({err.msg})"
            records.append((n, record if isinstance(record, (dict, str)) else "not a JSON object"))
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or not {"file", "doc"} & {c.strip() for c in reader.fieldnames}:
            raise MetaError(f"{path}:1: the header names no `file` (or `doc`) column")
        records = [(reader.line_num, {(k or "").strip(): v for k, v in rec.items()}) for rec in reader]
    for n, record in records:
        if isinstance(record, str):                 # the line's problem
            table.problems.append(f"{path}:{n}: {record}")
            continue
        row = _meta_row(path, n, record, table.problems)
        if row is not None:
            table.rows.append(row)
    return table


def meta_row(record: dict, where: str) -> tuple[MetaRow | None, list[str]]:
    """One row of a --meta file made of RECORD (its columns: file or doc, url, date, source,
    title), and the problems with it, as read_meta reports them (naming WHERE, line 1); a bad
    value is left out of the row, a row without file or doc is None."""
    problems: list[str] = []
    return _meta_row(where, 1, record, problems), problems


def _meta_row(path: str, n: int, record: dict, problems: list[str]) -> MetaRow | None:
    values = {}
    for column in _COLUMNS:
        value = record.get(column)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(f"{path}:{n}: `{column}` is not text")
            continue
        values[column] = value.strip()
    key = values.get("file") or values.get("doc")
    if not key:
        problems.append(f"{path}:{n}: no `file` (or `doc`) given; row left out")
        return None
    date_value = values.get("date")
    if date_value is not None and not (_ISO.fullmatch(date_value) and _iso_ok(date_value)):
        problems.append(f"{path}:{n}: date {date_value!r} is no ISO date (2023-09-11, 2023-09 or 2023); "
                        "date left out")
        date_value = None
    url = values.get("url")
    if url is not None and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://\S+\Z", url):
        problems.append(f"{path}:{n}: url {url!r} is no absolute URL; url left out")
        url = None
    return MetaRow(key, "file" not in values, n, url, date_value, values.get("source"), values.get("title"))


def _iso_ok(value: str) -> bool:
    """True for a real year, month or day in ISO form (not 2023-13 or 2023-02-30)."""
    m = _ISO.fullmatch(value)
    if m.group("d"):
        return _parse_iso(value, "meta") is not None
    return not m.group("m") or 1 <= int(m.group("m")) <= 12


# ---------------------------------------------------------------------------- periods

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _count(text: str) -> int | None:
    """3, 三, 十, 十五, 二十: a small count of years; None for anything else."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_NUM.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_NUM.get(text[1], 99) if text[1] in _CN_NUM else None
    if len(text) == 2 and text[1] == "十":
        return _CN_NUM.get(text[0], 0) * 10 or None
    return None


def _day(issued: str | None) -> date | None:
    return date.fromisoformat(issued[:10]) if issued else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _years_back(day: date, n: int) -> date:
    """DAY n years earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - n)
    except ValueError:
        return day.replace(year=day.year - n, day=28)


_QUOTES = " “”「」『』\"'《》"
_PLAN = re.compile(rf"[{_QUOTES}]*(?P<plan>{alternation(vocab.TIME_PLAN)})[{_QUOTES}]*"
                   r"(?P<rest>以来|期间|时期|末)?")
_RELATIVE_YEAR = re.compile(alternation(vocab.TIME_YEAR))
_SPAN_BACK = re.compile(r"(?P<near>近)?(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年(?P<since>来|以来)?")
_UNTIL = re.compile(alternation(vocab.TIME_UNTIL))
_ANCHOR = re.compile(r"(?:(?P<y>\d{4})年|(?P<rel>" + alternation(vocab.TIME_YEAR) + r"))?"
                     r"(?:(?P<m>\d{1,2})月份?(?:(?P<d>\d{1,2})日)?|(?P<part>"
                     + alternation(vocab.TIME_PART) + "))?")


def _span(words: str, today: date | None) -> tuple[date, date, str] | None:
    """The first and last day the opening words name (2023年, 今年上半年, 3月份, 2023年6月1日)
    and the words after them; None when they name none or need the article's date without it."""
    m = _ANCHOR.match(words)
    if not m or not m.group():
        return None
    if m.group("y"):
        y = int(m.group("y"))
    elif m.group("rel"):
        if today is None:
            return None
        y = today.year + vocab.TIME_YEAR[m.group("rel")]
    elif m.group("m") and today is not None:
        y = today.year                       # 截至6月底: this year's (checked below: not after today)
    else:
        return None
    rest = words[m.end():]
    if m.group("m"):
        mo = int(m.group("m"))
        if not 1 <= mo <= 12:
            return None
        if m.group("d"):
            d = _valid(y, mo, int(m.group("d")))
            return (d, d, rest) if d else None
        return date(y, mo, 1), _month_end(y, mo), rest
    if m.group("part"):
        first, last = vocab.TIME_PART[m.group("part")].split("/")
        return date.fromisoformat(f"{y}-{first}"), date.fromisoformat(f"{y}-{last}"), rest
    return date(y, 1, 1), date(y, 12, 31), rest


def _period(start: date | None, end: date | None, year: int | None = None) -> Period:
    if year is None and start and end and start.year == end.year:
        year = start.year
    return Period(start.isoformat() if start else None, end.isoformat() if end else None, year)


def resolve_period(words: str | None, issued: str | None = None) -> Period | None:
    """The period WORDS name (a statistic's period as written), relative to the article's
    date ISSUED (ISO; None: not known). None where the words name no period that can be
    resolved: 同年 (a year named before), 今年 without an article date, 近年来 without one.

    2023年 → 2023-01-01…2023-12-31, year 2023; 今年上半年 (issued 2024-05-10) → 2024-01-01…
    2024-06-30; 2023年以来 → 2023-01-01…issued; 截至2023年底 → …2023-12-31 (end only, year
    2023); 截至目前 → …issued; 近三年 → issued three years back…issued; 近年来 → …issued;
    「十四五」以来 → 2021-01-01…issued; 去年同期 → year only."""
    if not words:
        return None
    today = _day(issued)
    w = words.strip(_QUOTES)
    plan = _PLAN.fullmatch(w)
    if plan:
        first = vocab.TIME_PLAN[plan.group("plan")]
        if plan.group("rest") == "以来":
            return _period(date(first, 1, 1), today) if today is None or today.year >= first else None
        if plan.group("rest") == "末":
            return _period(None, date(first + 4, 12, 31), first + 4)
        return _period(date(first, 1, 1), date(first + 4, 12, 31))
    until = _UNTIL.match(w)
    if until:
        rest = w[until.end():]
        if not rest or rest in vocab.TIME_NOW:
            return _period(None, today, today.year) if today else None
        span = _span(rest, today)
        if span is None or (span[2] and span[2] not in vocab.TIME_AS_OF):
            return None
        end = span[1]
        if today is not None and end > today and not _names_year(rest):
            return None                       # 截至6月底 printed in March: not this year's; no guess
        return _period(None, end, end.year)
    if w in vocab.TIME_RECENT or w in ("近年以来",):
        return _period(None, today) if today else None
    back = _SPAN_BACK.fullmatch(w)
    if back and (back.group("near") or back.group("since")):
        n = _count(back.group("n"))
        if n is None or today is None:
            return None
        return _period(_years_back(today, n), today)
    span = _span(w, today)
    if span is None:
        return None
    start, end, rest = span
    if not rest:
        return _period(start, end)
    if rest in vocab.TIME_AS_OF:
        return _period(None, end, end.year)
    if rest in vocab.TIME_SAME:
        return Period(None, None, start.year if start.year == end.year else None)
    if rest == "初":                          # early in the year: the year only, no made-up day
        return Period(None, None, start.year)
    if any(rest.endswith(word) for word in vocab.TIME_SINCE if word != "来"):
        if today is not None and today < start:
            return None
        return _period(start, today)
    return None


def _names_year(words: str) -> bool:
    """True when WORDS name their year (2023年6月底, 去年底), not only a month (6月底)."""
    m = _ANCHOR.match(words)
    return bool(m and (m.group("y") or m.group("rel")))


# ---------------------------------------------------------------------------- program starts

_WHEN = (r"(?P<prep>于|自|从|在)?(?:(?P<y>\d{4})年|(?P<rel>" + alternation(vocab.TIME_YEAR) + r"))"
         r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?(?:份)?")
_START = re.compile(_WHEN + r"(?P<since>起|开始|以来)?")
_START_VERB = re.compile(alternation(vocab.DATE_VERB))


def program_start(text: str, lo: int, hi: int, name: tuple[int, int], issued: str | None = None) -> StartDate | None:
    """When the program named at NAME (offsets into TEXT) began, where its sentence
    TEXT[lo:hi] says so: a date right before a verb of starting (于2024年12月正式推行,
    去年启动, 2023年3月“X”开展以来), or 自…年起 before one in the same sentence
    (自2021年起,全面推行). Relative years need ISSUED (the article's date; else None)."""
    for m in _START.finditer(text, lo, hi):
        if m.group("since") in ("起", "开始") and m.group("prep") == "自":
            verb_end = _verb_after(text, m.end(), hi, name, gap=12)
        else:
            verb_end = _verb_after(text, m.end(), hi, name)
        if verb_end is None:
            continue
        value = _start_value(m, issued)
        if value is not None:
            return StartDate(value[0], value[1], text[m.start():verb_end])
    return None


def _verb_after(text: str, at: int, hi: int, name: tuple[int, int], gap: int = 4) -> int | None:
    """The end of a verb of starting that follows AT within GAP characters (no sentence or
    clause mark between, but for one comma after 自…起), the program's own name skipped."""
    i, skipped = at, 0
    while i < hi and skipped <= gap:
        if i == name[0]:
            i = name[1]
            continue
        v = _START_VERB.match(text, i)
        if v and v.end() <= hi:
            return v.end()
        if text[i] in "。;；!！?？\n" or (text[i] in ",，" and gap <= 4):
            return None
        i += 1
        skipped += 1
    return None


def _start_value(m: re.Match, issued: str | None) -> tuple[str, str] | None:
    if m.group("y"):
        y = int(m.group("y"))
    else:
        today = _day(issued)
        if today is None:
            return None
        y = today.year + vocab.TIME_YEAR[m.group("rel")]
    if not m.group("m"):
        return f"{y:04d}", "gYear"
    mo = int(m.group("m"))
    if not 1 <= mo <= 12:
        return None
    if m.group("d"):
        d = _valid(y, mo, int(m.group("d")))
        return (d.isoformat(), "date") if d else None
    return f"{y:04d}-{mo:02d}", "gYearMonth"


# ---------------------------------------------------------------------------- statistics

def resolve_statistics(statistics: list, issued: str | None) -> None:
    """Set period_start, period_end and year of each kg.model Statistic from its period."""
    for st in statistics:
        p = resolve_period(st.period, issued)
        if p is not None:
            st.period_start, st.period_end, st.year = p.start, p.end, p.year
