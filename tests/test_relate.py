"""Stages 5 and 6 on hand-made mentions: choosing between finders, and who runs what where."""
from __future__ import annotations

import re

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


def test_an_age_is_about_the_person_it_belongs_to():
    """A reported age is a statistic (the real gold's convention), about the person whose
    age it is when its clause names one; an average age tells of the group's place."""
    text = ("新丰社区坚持党建引领。\n71岁的联户长郭兰每天在街巷里走访。"
            "村民王继龙今年74岁,种了一辈子黄梨。\n社区党组织书记平均年龄下降到39.1岁。")
    (a,) = split_articles(Page("doc", "doc.txt", text, "utf-8"))
    mentions = located([at(a, "新丰社区", "AdministrativeUnit"), at(a, "郭兰", "Person"),
                        at(a, "王继龙", "Person")])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "新丰社区"))
    about = {(st.value, st.unit): st.about for st in stats}
    assert about[(71.0, "岁")] == ("Person", "郭兰") and about[(74.0, "岁")] == ("Person", "王继龙")
    assert about[(39.1, "岁")] == ("AdministrativeUnit", "新丰社区")


def test_a_count_of_communities_is_the_place_s_not_the_department_s():
    """成都市委组织部…梳理…95个社区: the city's communities; 党员责任区2087个 stays the body's."""
    text = "成都市委组织部启动试点建设,摸排梳理超大社区等95个社区,设立党员责任区2087个。"
    (a,) = split_articles(Page("doc", "doc.txt", "标题\n" + text, "utf-8"))
    department = at(a, "成都市委组织部", "Organization", located_in="成都市")
    mentions = located([at(a, "成都市", "AdministrativeUnit"), department])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "四川省"))
    about = {st.value: st.about[1] for st in stats}
    assert about[95.0] == "成都市" and about[2087.0] == "成都市委组织部"


def test_a_clause_of_holding_parts_tells_of_the_body_before_it():
    """…产业联盟党委,分设4个产业联合党委,下辖47个党支部: the committee's figures."""
    text = "大足区组建产业联盟党委,分设4个产业联合党委,下辖47个产业党支部。"
    (a,) = split_articles(Page("doc", "doc.txt", "标题\n" + text, "utf-8"))
    mentions = located([at(a, "大足区", "AdministrativeUnit"),
                        at(a, "产业联盟党委", "Organization", "大足区产业联盟党委")])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "大足区"))
    assert {st.value: st.about[1] for st in stats} == {4.0: "大足区产业联盟党委", 47.0: "大足区产业联盟党委"}


def test_a_clause_listing_parts_has_no_subject_of_its_own():
    """由A、B等7个自然村组成: the listed villages make up the sentence's subject, whose the
    figures are; the first of them is no subject."""
    text = "西泉社区辖区面积为5.4平方公里,由湖头、尹山等7个自然村组成,社区有人口2897人。"
    (a,) = split_articles(Page("doc", "doc.txt", "标题\n" + text, "utf-8"))
    mentions = located([at(a, "西泉社区", "AdministrativeUnit"), at(a, "湖头", "AdministrativeUnit"),
                        at(a, "尹山", "AdministrativeUnit")])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "西泉社区"))
    assert {(st.value, st.about[1]) for st in stats} == {(5.4, "西泉社区"), (7.0, "西泉社区"),
                                                          (2897.0, "西泉社区")}


# -------------------------------------------------- clauses: sources, scopes (全县), 在X settings

ROUNDUP = """各地基层治理见闻

本报记者 张三

在福建省晋江市,梧林村党委推行“乡贤议事”制度,每月召开一次议事会。晋江市全面推广“红色调解”机制,全市建成调解组织300余个。

平江县委社会工作部推行“屋场会”工作法。今年以来,全县开展“院坝协商”活动360场。

五华区委组织部相关负责人表示,全区已在80个小区实现“红色物业”全覆盖。

民政部有关负责同志表示,全国已有近60万个村建立“村民说事”制度。下一步,将持续推进“清廉村居”建设。
"""


def roundup():
    (a,) = split_articles(Page("doc", "doc.txt", ROUNDUP, "utf-8"))
    return a


def at_nth(a, surface, type_, n=0, name=None, **attrs):
    start = -1
    for _ in range(n + 1):
        start = a.text.index(surface, start + 1)
    return Mention(type_, surface, start, start + len(surface), name or surface, attrs)


def roundup_mentions(a):
    div = "AdministrativeUnit"
    return [at_nth(a, "福建省", div, level="province"), at_nth(a, "晋江市", div, level="county"),
            at_nth(a, "梧林村", div, level="village"),
            at_nth(a, "梧林村党委", "Organization", party=True, located_in="梧林村"),
            at_nth(a, "乡贤议事", "Program"),
            at_nth(a, "晋江市", div, 1, level="county"), at_nth(a, "红色调解", "Program"),
            at_nth(a, "平江县", div, level="county"),
            at_nth(a, "平江县委社会工作部", "Organization", located_in="平江县"),
            at_nth(a, "屋场会", "Program"), at_nth(a, "院坝协商", "Program"),
            at_nth(a, "五华区", div, level="county"),
            at_nth(a, "五华区委组织部", "Organization", located_in="五华区"),
            at_nth(a, "红色物业", "Program"),
            at_nth(a, "民政部", "Organization"),
            at_nth(a, "村民说事", "Program"), at_nth(a, "清廉村居", "Program")]


def roundup_relations():
    a = roundup()
    return relations_of(a, roundup_mentions(a), focus=("AdministrativeUnit", "晋江市"))


def by_program(found, program, predicate):
    return {o for s, p, o in found if s == program and p == predicate}


def test_after_a_setting_the_next_clause_names_who_runs_it_and_the_deeper_place_wins():
    found = roundup_relations()
    assert by_program(found, "乡贤议事", "runBy") == {"梧林村党委"}
    assert by_program(found, "乡贤议事", "implementedIn") == {"梧林村"}   # not 晋江市, the setting


def test_a_division_as_subject_takes_no_organization_from_the_paragraph():
    found = roundup_relations()
    assert by_program(found, "红色调解", "runBy") == set()
    assert by_program(found, "红色调解", "implementedIn") == {"晋江市"}


def test_a_whole_county_scope_is_the_county_and_no_one_runs_it():
    found = roundup_relations()
    assert by_program(found, "屋场会", "runBy") == {"平江县委社会工作部"}
    assert by_program(found, "院坝协商", "runBy") == set()          # not the paragraph's 社会工作部
    assert by_program(found, "院坝协商", "implementedIn") == {"平江县"}


def test_a_spokesperson_is_a_source_not_the_actor():
    found = roundup_relations()
    assert by_program(found, "红色物业", "runBy") == set()
    assert by_program(found, "红色物业", "implementedIn") == {"五华区"}   # 全区 after …负责人表示,


def test_the_whole_country_is_no_local_place_and_the_source_speaks_for_itself_after():
    found = roundup_relations()
    assert by_program(found, "村民说事", "runBy") == set()
    assert by_program(found, "村民说事", "implementedIn") == set()   # not the focus 晋江市
    assert by_program(found, "清廉村居", "runBy") == {"民政部"}       # 下一步,将…: the source's own plan


def test_statistics_are_about_the_scope_not_the_source():
    a = roundup()
    stats = find_statistics(a.text)
    statistics_about(a, stats, located(roundup_mentions(a)), ("AdministrativeUnit", "晋江市"))
    about = {st.value: st.about and st.about[1] for st in stats}
    assert about[300] == "晋江市"        # 全市, the sentence's 晋江市
    assert about[360] == "平江县"        # 全县, not 平江县委社会工作部
    assert about[80] == "五华区"         # 全区 after 五华区委组织部相关负责人表示
    assert about[600000] is None        # 全国


def test_a_source_speaking_as_we_runs_what_it_names():
    text = "骑手之家\n\n龙岗区委社会工作部部长李四表示,“我们推行‘暖蜂驿站’服务,让骑手有处歇脚。”\n\n在华强物业,党建指导员通过“业主恳谈会”收集意见。\n"
    (a,) = split_articles(Page("doc", "doc.txt", text, "utf-8"))
    mentions = [at_nth(a, "龙岗区", "AdministrativeUnit", level="county"),
                at_nth(a, "龙岗区委社会工作部", "Organization"), at_nth(a, "暖蜂驿站", "Program"),
                at_nth(a, "华强物业", "Organization"), at_nth(a, "业主恳谈会", "Program")]
    found = relations_of(a, mentions, focus=None)
    assert by_program(found, "暖蜂驿站", "runBy") == {"龙岗区委社会工作部"}
    assert by_program(found, "业主恳谈会", "runBy") == {"华强物业"}     # 在 + an organization


OWNED = """合作社带富一方

近年来，宁远县探索产业振兴新路。

龙溪村党支部领办的宁远县龙溪茶叶种植专业合作社，与永州绿源茶业有限公司签订收购协议，采取“支部+合作社+农户”模式带动群众增收。

宁远：茶香飘满山
"""


def test_the_cooperative_a_branch_leads_runs_the_model_not_the_partner_company():
    (a,) = split_articles(Page("doc", "doc.txt", OWNED, "utf-8"))
    mentions = [at(a, "宁远县", "AdministrativeUnit", level="county"),
                at(a, "龙溪村党支部", "Organization", located_in="龙溪村"),
                at(a, "龙溪村", "AdministrativeUnit", level="village"),
                at(a, "宁远县龙溪茶叶种植专业合作社", "Organization", located_in="龙溪村"),
                at(a, "永州绿源茶业有限公司", "Organization"),
                at(a, "支部+合作社+农户", "Program")]
    found = relations_of(a, mentions, focus=("AdministrativeUnit", "宁远县"))
    assert ("支部+合作社+农户", "runBy", "宁远县龙溪茶叶种植专业合作社") in found
    assert ("支部+合作社+农户", "runBy", "永州绿源茶业有限公司") not in found
    assert ("支部+合作社+农户", "implementedIn", "龙溪村") in found


def test_a_place_that_is_a_division_short_form_sits_in_nothing():
    (a,) = split_articles(Page("doc", "doc.txt", OWNED, "utf-8"))
    start = re.search(r"宁远(?!县)", a.text).start()
    short = Mention("Place", "宁远", start, start + 2, "宁远", {"kind": "mountain"})
    mentions = [at(a, "宁远县", "AdministrativeUnit", level="county"),
                at(a, "龙溪村", "AdministrativeUnit", level="village"), short]
    found = relations_of(a, mentions, focus=("AdministrativeUnit", "宁远县"))
    assert not any(s == "宁远" and p == "locatedIn" for s, p, _ in found)


SECTIONS = """各地推进基层治理

新华社记者 李明

山东：“炕头夜谈”拉近干群距离

山东省临沂市在全市推广“炕头夜谈”工作法，组织干部夜访农户。

在兰山区枣园镇，顺通物流快递员钱晓东每周都到驿站参加“骑手课堂”。
"""


def sections():
    (a,) = split_articles(Page("doc", "doc.txt", SECTIONS, "utf-8"))
    div = "AdministrativeUnit"
    mentions = [at_nth(a, "山东", div, 0, "山东省", level="province"),
                at_nth(a, "炕头夜谈", "Program"),
                at_nth(a, "山东省", div, 0, "山东省", level="province"),
                at_nth(a, "临沂市", div, level="prefecture"),
                at_nth(a, "炕头夜谈", "Program", 1),
                at_nth(a, "枣园镇", div, level="township"),
                at_nth(a, "顺通物流", "Organization"),
                at_nth(a, "钱晓东", "Person"),
                at_nth(a, "骑手课堂", "Program")]
    return relations_of(a, mentions, focus=None)


def test_a_program_in_a_heading_labelled_by_a_province_sits_where_the_section_opens():
    found = sections()
    assert by_program(found, "炕头夜谈", "implementedIn") == {"临沂市"}     # not 山东省


def test_a_company_written_before_its_employee_runs_nothing():
    found = sections()
    assert by_program(found, "骑手课堂", "runBy") == set()                # not 顺通物流
    assert by_program(found, "骑手课堂", "implementedIn") == {"枣园镇"}


# -------------------------------------------------- what a statistic's clause tells of; owners of programs

TELLS = """一家企业的党建故事

本报记者 张三

12月3日,县委组织部在红星村召开现场会。红星村党委推行“积分制”管理。党委将全村200名党员编入网格。

车间主任王大力有着23年的党龄。村党支部书记李红说,他们流转土地3000亩。全县1600多名党员进小区开展服务。

来源: 新华社
"""


def tells():
    (a,) = split_articles(Page("doc", "doc.txt", TELLS, "utf-8"))
    return a


def tells_mentions(a):
    return [at(a, "县委组织部", "Organization", "平安县委组织部"),
            at(a, "红星村", "AdministrativeUnit", level="village"),
            at(a, "红星村党委", "Organization"), at(a, "积分制", "Program"),
            at(a, "王大力", "Person"), at(a, "李红", "Person"), at(a, "新华社", "Organization")]


def test_a_bare_head_word_points_back_and_a_person_heads_his_own_clause():
    a = tells()
    stats = find_statistics(a.text)
    statistics_about(a, stats, located(tells_mentions(a)), ("AdministrativeUnit", "平安县"))
    about = {st.value: st.about and st.about[1] for st in stats}
    assert about[200] == "红星村党委"        # 党委将…: the 党委 named before
    assert about[23] == "王大力"             # a post, then the person: his figure
    assert about[3000] != "李红"             # a quoted source's figures are not his own
    assert about[1600] != "李红"             # 全县: the county, not a person


def test_the_organization_right_before_a_program_runs_it():
    a = tells()
    found = relations_of(a, tells_mentions(a), focus=("AdministrativeUnit", "平安县"))
    assert ("积分制", "runBy", "红星村党委") in found


PARTNERS = """一个县的平安建设

本报记者 张三

平安县委政法委联合县公安局、县消防救援大队开展“平安进小区”活动。“红色议事会”由县委组织部牵头实施,全县推广。
"""


def test_partners_after_lianhe_and_the_doer_after_you_run_the_program():
    (a,) = split_articles(Page("doc", "doc.txt", PARTNERS, "utf-8"))
    mentions = [at(a, "平安县委政法委", "Organization"), at(a, "县公安局", "Organization", "平安县公安局"),
                at(a, "县消防救援大队", "Organization", "平安县消防救援大队"), at(a, "平安进小区", "Program"),
                at(a, "红色议事会", "Program"), at(a, "县委组织部", "Organization", "平安县委组织部")]
    found = relations_of(a, mentions, focus=("AdministrativeUnit", "平安县"))
    assert {("平安进小区", "runBy", x) for x in ("平安县委政法委", "平安县公安局", "平安县消防救援大队")} <= found
    assert ("红色议事会", "runBy", "平安县委组织部") in found


UNDER = """一个村的变化

本报记者 张三

在省委编办的精准帮扶下,驻村工作队坚持“党建+”工作思路。
"""


def test_under_someones_help_is_no_subject():
    (a,) = split_articles(Page("doc", "doc.txt", UNDER, "utf-8"))
    mentions = [at(a, "省委编办", "Organization", "安徽省委编办"), at(a, "党建+", "Program")]
    found = relations_of(a, mentions, focus=("AdministrativeUnit", "官塘村"))
    assert ("党建+", "runBy", "安徽省委编办") not in found
    assert ("党建+", "implementedIn", "官塘村") in found


LEVEL_OWNED = """社区新事

本报记者 张三

近年来,红星社区深化网格治理。运用社区“积分超市”激励居民,我县“先锋驿站”品牌越擦越亮。
"""


def test_a_bare_level_word_before_a_program_is_the_division_in_force():
    (a,) = split_articles(Page("doc", "doc.txt", LEVEL_OWNED, "utf-8"))
    mentions = [at(a, "红星社区", "AdministrativeUnit"), at(a, "积分超市", "Program"), at(a, "先锋驿站", "Program")]
    found = relations_of(a, mentions, focus=("AdministrativeUnit", "平安县"))
    assert ("积分超市", "implementedIn", "红星社区") in found


CARRY = """乡村新貌

本报记者 张三

近年来,平安县推进产业振兴。红星乡“三色产业”改写民生。5000多亩花椒成“致富密码”。
"""


def test_a_sentence_without_a_subject_goes_on_with_the_one_before_in_its_paragraph():
    (a,) = split_articles(Page("doc", "doc.txt", CARRY, "utf-8"))
    mentions = located([at(a, "平安县", "AdministrativeUnit", level="county"),
                        at(a, "红星乡", "AdministrativeUnit", level="township")])
    stats = find_statistics(a.text)
    statistics_about(a, stats, mentions, ("AdministrativeUnit", "平安县"))
    about = {st.value: st.about and st.about[1] for st in stats}
    assert about[5000] == "红星乡"


SERVED = """关爱骑手

本报记者 张三

日前,平安县举办“清凉一夏”关爱活动,走进快递营业点,为90名奋战在高温一线的快递员和货车司机送上清凉。以社区工作者为主体,推行“网格连心”。
"""


def test_the_groups_a_program_is_done_for_are_its_targets():
    (a,) = split_articles(Page("doc", "doc.txt", SERVED, "utf-8"))
    mentions = located([at(a, "平安县", "AdministrativeUnit", level="county"), at(a, "清凉一夏", "Program"),
                        at(a, "快递员", "TargetGroup"), at(a, "货车司机", "TargetGroup"),
                        at(a, "社区工作者", "TargetGroup"), at(a, "网格连心", "Program")])
    programs = [loc for loc in mentions if loc.mention.type == "Program"]
    groups = [loc for loc in mentions if loc.mention.type == "TargetGroup"]
    rels = relate_article(a, mentions, ("AdministrativeUnit", "平安县"), {}, [], [], programs, groups)
    found = {(r.subject[1], r.predicate, r.object[1]) for r in rels}
    assert {("清凉一夏", "targets", "快递员"), ("清凉一夏", "targets", "货车司机")} <= found
    assert not any(p == "targets" and o == "社区工作者" for _, p, o in found)
