"""Stages 5 and 6 on hand-made mentions: choosing between finders, and who runs what where."""
from __future__ import annotations

from kg.model import Mention, Page
from kg.relate import Located, relate_article, statistics_about
from kg.resolve import select_mentions
from kg.split import split_articles
from kg.statistics import find_statistics

TEXT = """推进基层治理的新做法

新甘肃·甘肃日报记者 王明

近日，兰州市委组织部在全市推行“有事找书记”工作机制。截至目前，该机制已覆盖120个社区。

西固区新建党群服务中心15个。
"""


def article():
    (a,) = split_articles(Page("doc", "doc.txt", TEXT, "utf-8"))
    return a


def at(a, surface, type_, name=None, **attrs):
    start = a.text.index(surface)
    return Mention(type_, surface, start, start + len(surface), name or surface, attrs)


def located(mentions):
    return [Located(m, (m.type, m.name)) for m in mentions]


def relations_of(a, mentions, focus=("AdministrativeUnit", "兰州市")):
    locs = located(mentions)
    programs = [loc for loc in locs if loc.mention.type == "Program"]
    rels = relate_article(a, locs, focus, {}, [], [], programs, [])
    return {(r.subject[1], r.predicate, r.object[1]) for r in rels}


def test_same_span_keeps_the_more_specific_type_and_crossing_spans_the_longer():
    a = Mention("Program", "兰州", 0, 2, "兰州")
    b = Mention("AdministrativeUnit", "兰州", 0, 2, "兰州市")
    long = Mention("Organization", "兰州市委组织部", 0, 7, "兰州市委组织部")
    crossing = Mention("Program", "组织部在", 4, 8, "组织部在")
    kept = select_mentions([a, b, long, crossing])
    assert [(m.type, m.name) for m in kept] == [("AdministrativeUnit", "兰州市"),
                                                ("Organization", "兰州市委组织部")]


def test_program_is_run_by_the_sentence_subject_and_sits_in_the_focus():
    a = article()
    mentions = [at(a, "兰州市委组织部", "Organization"), at(a, "有事找书记", "Program")]
    found = relations_of(a, mentions)
    assert ("有事找书记", "runBy", "兰州市委组织部") in found
    assert ("有事找书记", "implementedIn", "兰州市") in found


def test_the_byline_is_no_subject():
    a = article()
    mentions = [at(a, "甘肃", "AdministrativeUnit", "甘肃省"), at(a, "有事找书记", "Program")]
    found = relations_of(a, mentions)
    assert ("有事找书记", "implementedIn", "甘肃省") not in found
    assert ("有事找书记", "implementedIn", "兰州市") in found


def test_facility_sits_in_the_division_its_sentence_opens_with():
    a = article()
    mentions = [at(a, "西固区", "AdministrativeUnit"), at(a, "党群服务中心", "Facility")]
    assert ("党群服务中心", "locatedIn", "西固区") in relations_of(a, mentions)


def test_statistic_is_about_the_sentence_subject():
    a = article()
    mentions = located([at(a, "兰州市委组织部", "Organization"), at(a, "西固区", "AdministrativeUnit")])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "兰州市"))
    about = {st.value: st.about for st in stats}
    assert about[15] == ("AdministrativeUnit", "西固区")
    assert about[120] == ("Organization", "兰州市委组织部")   # the paragraph's subject
