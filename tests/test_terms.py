"""Target groups, facilities and platforms."""
from __future__ import annotations

from kg.find.terms import find_facilities, find_platforms, find_target_groups


def names(mentions):
    return [m.name for m in mentions]


def by_name(mentions, name):
    found = [m for m in mentions if m.name == name]
    assert found, (name, names(mentions))
    return found[0]


# ---------------------------------------------------------------------------- target groups

def test_synonyms_take_the_canonical_name(doc_of):
    ms = find_target_groups(doc_of("为增强快递小哥的责任意识,外卖小哥、网约配送员和新业态从业人员都参加了培训。"))
    assert [(m.surface, m.name) for m in ms] == [("快递小哥", "快递员"), ("外卖小哥", "外卖骑手"),
                                                 ("网约配送员", "外卖骑手"), ("新业态从业人员", "新就业群体")]


def test_longest_form_wins(doc_of):
    ms = find_target_groups(doc_of("配备专职网格员3013人,督促新就业群体党员参加组织生活,大学生村干部参加培训。"))
    assert names(ms) == ["网格员", "新就业群体党员", "大学生村干部"]
    assert ms[0].surface == "专职网格员"


def test_group_inside_a_short_quoted_name_or_a_longer_word_is_not_one(doc_of):
    ms = find_target_groups(doc_of("组建“先锋骑手”志愿服务队,选树“青年学习标兵”300名,参观青年运动历史展馆,紧盯青年、产业工人。"))
    assert names(ms) == ["青年", "产业工人"]


def test_group_inside_a_program_name_counts(doc_of):
    assert names(find_target_groups(doc_of("实施“一村一名大学生村干部”计划"))) == ["大学生村干部"]


def test_generic_people_are_not_groups(doc_of):
    assert find_target_groups(doc_of("党员和群众、村民一起参加活动。")) == []


# ---------------------------------------------------------------------------- facilities

def test_specific_facility_takes_its_divisions(doc_of):
    ms = find_facilities(doc_of("在武山县四门镇尧儿村党群服务中心外,宁波市海曙区南门街道日湖社区党群服务中心也挂牌。"))
    m = by_name(ms, "武山县四门镇尧儿村党群服务中心")
    assert m.attrs["specific"] and m.attrs["kind"] == "党群服务中心"
    assert {"尧儿村党群服务中心", "四门镇尧儿村党群服务中心"} <= m.attrs["aliases"]
    assert "宁波市海曙区南门街道日湖社区党群服务中心" in names(ms)


def test_generic_kind_with_modifiers(doc_of):
    ms = find_facilities(doc_of("建成综合性党群服务中心50个,依托街道社区(园区)党群服务中心、企业党建活动室等资源。"))
    assert names(ms) == ["党群服务中心", "党群服务中心", "党建活动室"]
    assert not ms[0].attrs["specific"]
    assert "综合性党群服务中心" in ms[0].attrs["aliases"]


def test_quoted_facilities(doc_of):
    ms = find_facilities(doc_of("建设“暖蜂驿站”“司机之家”等阵地;在暖“新”驿站休息;建成10个示范性“骑手友好社区”;"
                         "四川省建成“蓉城骑士驿站”300个。"))
    assert names(ms) == ["暖蜂驿站", "司机之家", "暖新驿站", "骑手友好社区", "蓉城骑士驿站"]
    assert by_name(ms, "暖蜂驿站").attrs["specific"] and not by_name(ms, "司机之家").attrs["specific"]


def test_group_service_station_and_named_hall(doc_of):
    ms = find_facilities(doc_of("打造220个网约配送员服务驿站,确定甘肃党的青年运动历史展馆等10个党员活动中心示范点。"))
    assert names(ms) == ["网约配送员服务驿站", "甘肃党的青年运动历史展馆", "党员活动中心"]


def test_facility_inside_a_document_title_is_not_one(doc_of):
    assert find_facilities(doc_of("制定《兰州市党群服务中心建设指导手册》")) == []


# ---------------------------------------------------------------------------- platforms

def test_unquoted_platforms_and_list_items(doc_of):
    ms = find_platforms(doc_of("首创研发三维数字社会服务管理系统,开通12345民情通热线、网民留言办理、三维服务网和网格化信息管理系统,"
                        "启动运行“金城办”客户端、微信“随手拍”等信息平台。"))
    assert names(ms) == ["三维数字社会服务管理系统", "12345民情通热线", "网民留言办理", "三维服务网",
                         "网格化信息管理系统", "金城办", "随手拍"]
    assert "“金城办”客户端" in by_name(ms, "金城办").attrs["aliases"]


def test_quoted_platforms_and_national_ones(doc_of):
    ms = find_platforms(doc_of("探索建立“e网勤蜂”“蜜蜂管家”等网络平台,通过共产党员网、‘陇原红运’平台学习,依托“渝快办”平台,"
                        "群众可拨打12345政务服务便民热线。"))
    assert names(ms) == ["e网勤蜂", "蜜蜂管家", "共产党员网", "陇原红运", "渝快办", "12345政务服务便民热线"]


def test_byline_media_app(doc_of):
    assert names(find_platforms(doc_of("新甘肃·甘肃日报记者 田丽媛"))) == ["新甘肃"]
    assert names(find_platforms(doc_of("川观新闻·四川日报记者 赵六"))) == ["川观新闻"]


def test_not_platforms(doc_of):
    text = ("推动社会管理与服务的大联网、大联动,成立市互联网、律师等行业党委,打造流动党员日常管理平台阵地,"
            "搭建关爱平台,处理账号或网站2881个,将各部门网格融入党建“一张网”,坚持“系统抓、抓系统”。")
    assert find_platforms(doc_of(text)) == []


def test_quoted_name_before_a_platform_head(doc_of):
    ms = find_platforms(doc_of("江西省某县上线“赣邻议事厅”应用,天津市推出“津心办”数字化应用,把“和事佬”经验应用于调解。"))
    assert names(ms) == ["赣邻议事厅", "津心办"]
    assert "“赣邻议事厅”应用" in by_name(ms, "赣邻议事厅").attrs["aliases"]


def test_quoted_names_ending_in_or_before_a_facility_head(doc_of):
    ms = find_facilities(doc_of("宁波市推广“和事佬调解室”等品牌调解室,推广“老兵说和”等品牌调解室,在各村设立“巧娘工坊”12个,"
                         "打造“新阵地”,村里设有调解室。"))
    assert names(ms) == ["和事佬调解室", "老兵说和", "巧娘工坊"]


def test_nationwide_groups_with_aliases(doc_of):
    ms = find_target_groups(doc_of("关爱农村留守妇女、灵活就业者和低保对象,服务退役士兵、残障人士与进城务工人员。"))
    assert names(ms) == ["留守妇女", "灵活就业人员", "低保户", "退役军人", "残疾人", "农民工"]


# ---------------------------------------------------------------------------- round 2

def test_facility_left_edge_stops_at_adverbs_and_verbs(doc_of):
    ms = find_facilities(doc_of("白沙镇还依托村党群服务中心设立调解室。"))
    (m,) = [m for m in ms if m.name == "党群服务中心"]
    assert m.surface == "村党群服务中心" and not m.attrs["specific"]
    ms = find_facilities(doc_of("青禾乡组织党员依托社区新时代文明实践站开展活动。"))
    assert names(ms) == ["新时代文明实践站"]


def test_facility_keeps_the_divisions_written_before_it(doc_of):
    ms = find_facilities(doc_of("临江县东坝社区党群服务中心开放,临江县建设村党群服务中心也开放。"))
    assert names(ms) == ["临江县东坝社区党群服务中心", "临江县建设村党群服务中心"]
    ms = find_facilities(doc_of("近日,建设村党群服务中心开放。"))
    assert names(ms) == ["建设村党群服务中心"]


def test_quoted_window_and_village_supermarkets(doc_of):
    ms = find_facilities(doc_of("石桥镇在便民服务中心设立“马上就办”服务窗口,村里建起“爱心超市”,积分可在积分超市兑换。"))
    assert names(ms) == ["便民服务中心", "“马上就办”服务窗口", "爱心超市", "积分超市"]
    assert "村里“爱心超市”" not in by_name(ms, "爱心超市").attrs["aliases"]


def test_common_phrase_of_the_platform_lexicon_only_when_quoted(doc_of):
    assert names(find_platforms(doc_of("通过“云上青川”小程序随手拍、随时报,隐患当天处理。"))) == ["云上青川"]
    ms = find_platforms(doc_of("市民可用微信“随手拍”反映问题。"))
    assert names(ms) == ["随手拍"]
    assert "微信随手拍" not in by_name(ms, "随手拍").attrs["aliases"]


def test_platform_word_after_a_quoted_platform_describes_it(doc_of):
    found = find_platforms(doc_of("党员打开“云岭e家”智慧党建平台,就能参加组织生活。"))
    assert [m.name for m in found] == ["云岭e家"]
    assert "“云岭e家”智慧党建平台" in found[0].attrs["aliases"]


def test_bare_kind_after_a_specific_facility_is_that_facility(doc_of):
    text = "走进青山镇党群服务中心,群众正在办事。“我们把党群服务中心建成家门口的服务站。”镇党委书记说。"
    assert {m.name for m in find_facilities(doc_of(text))} == {"青山镇党群服务中心"}
    other = "青山镇党群服务中心已建成。\n全县党群服务中心实现全覆盖。"
    assert {m.name for m in find_facilities(doc_of(other))} == {"青山镇党群服务中心", "党群服务中心"}


def test_crop_farmers_and_delivery_lads_are_groups(doc_of):
    assert [m.name for m in find_target_groups(doc_of("带动茶农、果农入社,小哥们也来了。"))] == ["茶农", "果农", "新就业群体"]


# ---------------------------------------------------------------------------- issue 15

def test_group_before_a_site_word_names_a_specific_site(doc_of):
    ms = find_facilities(doc_of("全县建成货车司机之家3个、快递员驿站5个,青年公寓2栋。"))
    assert names(ms) == ["货车司机之家", "快递员驿站"]


def test_source_line_and_dateline_name_news_websites(doc_of):
    text = "来源:东方网 编辑:李明\n南方网讯(记者 王强)近日,……\n来源:广州日报\n本报讯 近日,……"
    assert names(find_platforms(doc_of(text))) == ["东方网", "南方网"]


def test_whole_network_and_system_network_are_no_platforms(doc_of):
    assert names(find_platforms(doc_of("把党组织体系网与治理体系网融为一网,作品火爆全网。"))) == []


def test_standard_categories_of_village_cadres_and_grid_roles(doc_of):
    ms = find_target_groups(doc_of("培训村党支部书记、驻村干部和网格长,走访建档立卡贫困户。"))
    assert names(ms) == ["村党组织书记", "驻村干部", "网格长", "建档立卡贫困户"]
