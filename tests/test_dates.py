"""Time (kg/dates.py): when each article appeared, the periods of statistics and the start
dates of programs, resolved against the article's date.

The article dates below were read by hand from the texts of eval/real (the portal line,
the page header or the dateline each file prints) and, for files whose text gives none,
from eval/real/manifest.jsonl; they are checked against what the build reads."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.build import Pipeline, build
from kg.dates import MetaError, Period, StartDate, date_articles, program_start, read_meta, resolve_period
from kg.read import read_pages
from kg.split import split_articles

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "eval" / "real" / "texts"
MANIFEST = ROOT / "eval" / "real" / "manifest.jsonl"
SEEDS = ROOT / "seeds"

# file → the date its text gives (ISO; with the time where the page prints one)
TEXT_DATES = {
    "ea_01": "2026-03-18",               # 时间:2026-03-18 来源:中国志愿
    "ea_10": "2025-11-19",               # 发布时间:2025-11-19
    "ea_17": "2021-08-16T09:01:00",      # 2021年08月16日 09:01  来源:海口日报
    "ea_20": "2024-07-02",               # 发布日期: / 2024-07-02 (on a line of its own)
    "ga_02": "2022-11-07T09:55:00",      # 2022/11/07/ 09:55 来源:平凉日报
    "ga_04": "2024-05-21T09:12:04",      # 来源/ 中国甘肃网-甘肃日报 作者/ 时间/2024-05-21 09:12:04
    "ga_06": "2020-10-22T08:08:00",      # 信息来源: 武威日报 … 发布日期: 2020-10-22 08:08
    "ga_07": "2024-08-29T09:46:53",
    "ga_16": "2021-09-17",
    "ga_17": "2023-07-13",               # 来源:青海日报     发布时间:2023-07-13
    "ga_19": "2021-07-20T09:27:23",
    "hgs_03": "2026-01-19T10:49:00",     # 2026-01-19 10:49 来源:新甘肃·甘肃法治报
    "hot_01": "2026-02-03",              # www.gcdr.gov.cn (2026-02-03) 来源:中国组织人事报
    "nb_14": "2021-04-03T16:32:00",      # 21-04-03 16:32 来源:光明网 (two-digit year, with a time)
    "nb_19": "2022-05-13T10:36:00",      # 2022 05/ 13 10:36
    "pb_01": "2025-11-28T17:12:00",      # 发布时间:2025年11月28日17:12
    "pb_09": "2023-06-13",               # 2023年06月13日  来源:齐鲁晚报 (the dateline's 6月12日 is the filing day)
    "pb_10": "2023-11-24",               # 2023年11月24日 heading an e-paper's page (first line)
    "sc_10": "2020-11-13T15:52:00",      # 2020年11月13日15:52  来源:经济日报
    "sc_15": "2025-05-15",               # dateline with its year: 深圳新闻网2025年5月15日讯
    "sc_18": "2025-01-08",               # 2025年01月08日 (first line)
}
# file → (publisher, as the 来源 label gives it)
TEXT_PUBLISHERS = {
    "ga_17": "青海日报", "hgs_03": "新甘肃·甘肃法治报", "ga_04": "中国甘肃网-甘肃日报",
    "pa_08": "中央广电总台国际在线",       # …国际在线责编:蒋硕: the next label ends it
    "sc_12": "七一客户端",                 # 文章来源:七一客户端发布时间:2024-06-12
    "nb_18": "新华网黑龙江频道",           # 来源:新华网黑龙江频道2025-12-29 14:20
}
# files whose text gives no issue date; with --meta the manifest's
MANIFEST_ONLY = {
    "ea_11": "2024-12-06",   # dateline 新华网福州12月6日电: month and day only, the year from the manifest
    "ga_14": "2025-12-04",   # 中新网宁夏新闻12月4日电
    "sc_21": "2025-08-04",   # its 2018年2月11日 line dates the visit the story tells, not the paper
}


def _dated(path: Path, row=None) -> tuple[list, list]:
    pages, problems = read_pages([str(path)])
    assert not [p for p in problems if not p.warning]
    articles = split_articles(pages[0])
    return articles, date_articles(pages[0], articles, row)


@pytest.mark.parametrize("doc,issued", sorted(TEXT_DATES.items()))
def test_article_date_read_from_the_text(doc, issued):
    articles, undated = _dated(REAL / f"{doc}.txt")
    assert undated == []
    assert {a.issued for a in articles} == {issued}
    assert {a.issued_precision for a in articles} == {"dateTime" if "T" in issued else "date"}


@pytest.mark.parametrize("doc,publisher", sorted(TEXT_PUBLISHERS.items()))
def test_publisher_read_from_the_source_label(doc, publisher):
    articles, _ = _dated(REAL / f"{doc}.txt")
    assert articles[0].publisher == publisher


def test_a_dateline_without_year_leaves_the_article_undated():
    articles, undated = _dated(REAL / "ga_14.txt")
    assert articles[0].dateline_date == (None, 12, 4)
    assert articles[0].issued is None
    assert undated == [(0, "dateline gives month and day only (12月4日), no year in the file or --meta")]


def test_a_date_in_the_story_is_no_issue_date():
    """sc_21's 2018年2月11日 on a line of its own (not the file's first), seeds/004's
    「2019年7月9日,习近平总书记出席…」 and the seeds' datelines without a day give no date."""
    assert _dated(REAL / "sc_21.txt")[0][0].issued is None
    for path in sorted(SEEDS.glob("*.txt")):
        articles, undated = _dated(path)
        assert [a.issued for a in articles] == [None] * len(articles)
        assert len(undated) == len(articles)


def test_month_and_day_take_the_year_of_the_manifest(tmp_path):
    meta = tmp_path / "m.csv"
    meta.write_text("doc,date\nga_14,2025\n", encoding="utf-8")
    articles, undated = _dated(REAL / "ga_14.txt", read_meta(meta).row_for(str(REAL / "ga_14.txt")))
    assert (articles[0].issued, undated) == ("2025-12-04", [])


def test_build_with_meta(tmp_path, gazetteer, segmenter):
    """`kg build eval/real/texts --meta eval/real/manifest.jsonl` on a few files: the
    manifest's date wins (hot_07 prints 2018-11-07, its manifest says 2018-12-24), dates
    the text leaves open, and gives url and publisher."""
    docs = ["ga_14", "ga_17", "hot_07", "sc_21", "ea_11"]
    inputs = [str(REAL / f"{d}.txt") for d in docs]
    bare = build(inputs, tmp_path / "bare", pipeline=Pipeline(gazetteer, segmenter))
    report = build(inputs, tmp_path / "meta", pipeline=Pipeline(gazetteer, segmenter), meta=MANIFEST)
    assert (bare.articles, bare.issued, report.issued) == (6, 2, 6)      # sc_21 holds two articles
    summary = json.loads((tmp_path / "bare" / "summary.json").read_text(encoding="utf-8"))
    assert summary["undated_articles"] == 4
    assert {u["article"] for u in summary["undated"]} == {"ga_14/1", "sc_21/1", "sc_21/2", "ea_11/1"}
    assert json.loads((tmp_path / "meta" / "summary.json").read_text(encoding="utf-8"))["undated"] == []
    nq = (tmp_path / "meta" / "graph.nq").read_text(encoding="utf-8")
    issued = dict(re.findall(r'<[^>]*/article/([^/>]+)/1> <http://purl.org/dc/terms/issued> "([^"]+)"\^\^', nq))
    assert issued == {**MANIFEST_ONLY, "ga_17": "2023-07-13", "hot_07": "2018-12-24"}
    assert ('/article/ga_17/1> <http://purl.org/dc/terms/source> <https://qhhnnews.com/qhyw/2023-07-13/35846.html>'
            in nq)
    assert '/article/ga_17/1> <http://purl.org/dc/terms/publisher> "青海日报(转载)"@zh' in nq   # the manifest's
    assert '/article/hot_07/1> <http://purl.org/dc/terms/issued> "2018-12-24"^^<http://www.w3.org/2001/XMLSchema#date>' in nq


def test_meta_wins_over_the_text(tmp_path):
    meta = tmp_path / "meta.jsonl"
    meta.write_text(json.dumps({"file": "ga_17.txt", "date": "2023-07-14T08:00:00", "source": "某报",
                                "url": "https://example.org/a", "title": "标题"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    row = read_meta(meta).row_for(str(REAL / "ga_17.txt"))
    articles, _ = _dated(REAL / "ga_17.txt", row)
    a = articles[0]
    assert (a.issued, a.issued_precision, a.publisher, a.url, a.meta_title) == \
        ("2023-07-14T08:00:00", "dateTime", "某报", "https://example.org/a", "标题")
    assert a.title != "标题"          # the finders still read the text's own title


def test_bad_meta_rows_are_named_and_left_out(tmp_path):
    meta = tmp_path / "meta.jsonl"
    meta.write_text('{"file": "a.txt", "date": "2023-02-30"}\n'
                    'not json\n'
                    '{"url": "https://x.org"}\n'
                    '{"doc": "b", "url": "x.org/page", "date": "2023-09-11"}\n', encoding="utf-8")
    table = read_meta(meta)
    assert table.problems == [
        f"{meta}:1: date '2023-02-30' is no ISO date (2023-09-11, 2023-09 or 2023); date left out",
        f"{meta}:2: not JSON (Expecting value)",
        f"{meta}:3: no `file` (or `doc`) given; row left out",
        f"{meta}:4: url 'x.org/page' is no absolute URL; url left out"]
    assert [(r.key, r.date, r.url) for r in table.rows] == [("a.txt", None, None), ("b", "2023-09-11", None)]


def test_bad_meta_file_is_reported_and_the_build_goes_on(tmp_path, gazetteer, segmenter):
    with pytest.raises(MetaError, match="m.txt: --meta takes a .jsonl or .csv file"):
        read_meta(tmp_path / "m.txt")
    with pytest.raises(MetaError, match=r"missing.csv: cannot read the --meta file"):
        read_meta(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,date\nx,2023\n", encoding="utf-8")
    report = build([str(REAL / "ga_17.txt")], tmp_path / "out", pipeline=Pipeline(gazetteer, segmenter), meta=bad)
    assert report.articles == 1 and report.issued == 1
    assert [str(p) for p in report.problems] == [f"{bad}:1: the header names no `file` (or `doc`) column"]


def test_meta_rows_match_by_path_name_or_stem(tmp_path):
    meta = tmp_path / "m.csv"
    meta.write_text("file,url\nsub/x.txt,https://a.org\ny.txt,https://b.org\n", encoding="utf-8")
    table = read_meta(meta)
    assert table.row_for("in/sub/x.txt").url == "https://a.org"
    assert table.row_for("in/other/x.txt") is None
    assert table.row_for("/abs/y.txt").url == "https://b.org"
    stems = read_meta(MANIFEST)
    assert stems.row_for(str(REAL / "ga_17.txt")).date == "2023-07-13"


# --------------------------------------------------------------------------- periods

ISSUED = "2024-05-10"


@pytest.mark.parametrize("words,issued,period", [
    ("2023年", None, Period("2023-01-01", "2023-12-31", 2023)),
    ("2023年3月", None, Period("2023-03-01", "2023-03-31", 2023)),
    ("2022年一季度", None, Period("2022-01-01", "2022-03-31", 2022)),
    ("2023年以来", None, Period("2023-01-01", None, None)),          # absolute: resolves without a date
    ("2023年以来", ISSUED, Period("2023-01-01", ISSUED, None)),
    ("2023年开展活动以来", ISSUED, Period("2023-01-01", ISSUED, None)),
    ("截至2023年底", None, Period(None, "2023-12-31", 2023)),
    ("2023年底", None, Period(None, "2023-12-31", 2023)),
    ("今年", ISSUED, Period("2024-01-01", "2024-12-31", 2024)),
    ("今年", None, None),                                          # relative: never guessed
    ("去年", ISSUED, Period("2023-01-01", "2023-12-31", 2023)),
    ("前年", ISSUED, Period("2022-01-01", "2022-12-31", 2022)),
    ("上年", ISSUED, Period("2023-01-01", "2023-12-31", 2023)),
    ("今年上半年", ISSUED, Period("2024-01-01", "2024-06-30", 2024)),
    ("今年下半年", ISSUED, Period("2024-07-01", "2024-12-31", 2024)),
    ("今年以来", ISSUED, Period("2024-01-01", ISSUED, 2024)),
    ("今年3月份", ISSUED, Period("2024-03-01", "2024-03-31", 2024)),
    ("去年以来", ISSUED, Period("2023-01-01", ISSUED, None)),
    ("去年同期", ISSUED, Period(None, None, 2023)),
    ("截至目前", "2024-05-10T08:00:00", Period(None, ISSUED, 2024)),
    ("截至目前", None, None),
    ("截至4月底", ISSUED, Period(None, "2024-04-30", 2024)),
    ("截至6月底", ISSUED, None),                                   # after the article's date: not guessed
    ("近三年", ISSUED, Period("2021-05-10", ISSUED, None)),
    ("近3年来", "2024-02-29", Period("2021-02-28", "2024-02-29", None)),
    ("五年来", ISSUED, Period("2019-05-10", ISSUED, None)),
    ("近年来", ISSUED, Period(None, ISSUED, None)),
    ("“十四五”以来", ISSUED, Period("2021-01-01", ISSUED, None)),
    ("“十三五”期间", None, Period("2016-01-01", "2020-12-31", None)),
    ("同年", ISSUED, None),                                        # a year named earlier
])
def test_resolve_period(words, issued, period):
    assert resolve_period(words, issued) == period


def _start(text, name, issued=None):
    i = text.index(name)
    return program_start(text, 0, len(text), (i, i + len(name)), issued)


def test_program_start_dates():
    assert _start("“有事找书记”,是金川区于2024年12月正式推行的一项党建工作新机制。", "“有事找书记”") == \
        StartDate("2024-12", "gYearMonth", "于2024年12月正式推行")
    assert _start("自2021年起,全县全面推行“积分制”管理。", "“积分制”") == \
        StartDate("2021", "gYear", "自2021年起,全县全面推行")
    assert _start("2023年3月1日“红色驿站”启动以来,累计服务2000人次。", "“红色驿站”") == \
        StartDate("2023-03-01", "date", "2023年3月1日“红色驿站”启动")
    assert _start("去年“红色驿站”项目启动以来,累计服务2000人次。", "“红色驿站”", ISSUED) == \
        StartDate("2023", "gYear", "去年“红色驿站”项目启动")
    assert _start("去年“红色驿站”项目启动以来,累计服务2000人次。", "“红色驿站”") is None   # no article date
    assert _start("2023年,全县党员人数增长5%,“红色驿站”运行良好。", "“红色驿站”") is None  # no verb after the date


def test_statistics_and_programs_resolved_in_the_graph(tmp_path, gazetteer, segmenter):
    """An article dated by its portal line: its statistics' periods and its program's
    start, resolved against that date, typed in the RDF."""
    src = tmp_path / "in" / "x.txt"
    src.parent.mkdir()
    src.write_text("兰州市城关区推行“有事找书记”工作机制\n2024-05-10 09:00 来源:兰州日报\n"
                   "今年以来,城关区累计办理群众诉求1200件。去年“有事找书记”工作机制启动以来,全区受理诉求3000件。\n",
                   encoding="utf-8")
    build([str(src)], tmp_path / "out", pipeline=Pipeline(gazetteer, segmenter))
    nq = (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert f'<http://purl.org/dc/terms/issued> "2024-05-10T09:00:00"^^<{xsd}dateTime>' in nq
    assert '<http://purl.org/dc/terms/publisher> "兰州日报"@zh' in nq
    assert f'#periodStart> "2024-01-01"^^<{xsd}date>' in nq
    assert f'#periodEnd> "2024-05-10"^^<{xsd}date>' in nq
    assert f'#year> "2024"^^<{xsd}gYear>' in nq
    assert f'#startDate> "2023"^^<{xsd}gYear>' in nq
    assert '#startText> "去年“有事找书记”工作机制启动"@zh' in nq
