"""kg.find.people: named people, their posts, affiliations, journalists and pseudonyms.

Divisions are given by hand; organizations come from kg.find.organizations on the same
text, as in the pipeline.
"""
from __future__ import annotations

import pytest

from conftest import doc_by_hand

from kg.find.organizations import find_organizations
from kg.find.people import find_people
from kg.lexicon import column
from kg.model import Mention
from kg.segment import Segmenter


@pytest.fixture(scope="module")
def seg():
    return Segmenter(list(column("org_suffixes", "suffix")) + list(column("post_titles", "title")))


def people(text, seg, focus=("甘肃省",), pairs=(), creators=(), contributors=()) -> dict[str, Mention]:
    doc = doc_by_hand(text, seg, focus, pairs, creators, contributors)
    doc.mentions += find_organizations(doc)
    found = {}
    for m in find_people(doc):
        assert m.type == "Person" and text[m.start:m.end] == m.surface
        found.setdefault(m.name, m)
    return found


def test_byline_journalists_and_correspondents(seg):
    text = "瓜州:党建引领添活力\n新甘肃·甘肃日报记者 董文龙 通讯员 姜海波 刘子芳\n日前，走进温室大棚。"
    found = people(text, seg, creators=["董文龙"], contributors=["姜海波", "刘子芳"])
    assert set(found) == {"董文龙", "姜海波", "刘子芳"}
    assert found["董文龙"].attrs["journalist"] and found["董文龙"].attrs["posts"] == []


def test_byline_in_a_dateline_bracket_without_parsed_creators(seg):
    text = "本报兰州讯(新甘肃·甘肃日报记者薛斌)为进一步提高基层党组织书记的履职能力。"
    found = people(text, seg)
    assert set(found) == {"薛斌"} and found["薛斌"].attrs["journalist"]
    text = "本报杭州讯(记者 王晓明 通讯员 刘洋)日前，街道干部走访辖区企业。"
    assert set(people(text, seg, focus=("浙江省",))) == {"王晓明", "刘洋"}


def test_chain_of_posts_in_two_party_bodies(seg):
    text = "“我们线下开展培训。”崇信县委社会工作部部长、“两新”工委书记文诚勇介绍。"
    p = people(text, seg, focus=("甘肃省", "平凉市"), pairs=[("崇信县", "崇信县")])["文诚勇"]
    assert set(p.attrs["posts"]) == {("部长", "崇信县委社会工作部"), ("书记", "崇信县委“两新”工委")}


def test_company_chairman_and_party_branch_secretary(seg):
    text = ("甘肃鑫海工贸有限责任公司是一家限上企业。近年来，鑫海工贸党支部积极探索。"
            "“我们建立登记簿。”甘肃鑫海工贸有限责任公司董事长、党支部书记李建军说。")
    p = people(text, seg, pairs=[("甘肃", "甘肃省")])["李建军"]
    assert set(p.attrs["posts"]) == {("董事长", "甘肃鑫海工贸有限责任公司"),
                                     ("书记", "甘肃鑫海工贸有限责任公司党支部")}


def test_post_without_organization_takes_the_one_it_fits(seg):
    text = ("兰州新区城投集团瑞岭物业公司深入推进“党建+服务”模式。"
            "“我们将继续用好党建这把金钥匙。”城投集团瑞岭物业公司党支部书记、董事长杨祖栋表示。")
    p = people(text, seg, focus=("甘肃省", "兰州市", "兰州新区"), pairs=[("兰州新区", "兰州新区")])["杨祖栋"]
    assert set(p.attrs["posts"]) == {("书记", "兰州新区城投集团瑞岭物业公司党支部"),
                                     ("董事长", "兰州新区城投集团瑞岭物业公司")}


def test_post_in_a_division_and_an_unlisted_surname(seg):
    text = "近年来，上杨乡坚持以党建为引领。“我们坚持守绿换绿发展思路。”上杨乡乡长冶万恩介绍。"
    p = people(text, seg, focus=("甘肃省", "平凉市", "崆峒区"), pairs=[("上杨乡", "上杨乡")])["冶万恩"]
    assert p.attrs["affiliations"] == ["上杨乡"] and p.attrs["posts"] == [("乡长", None)]


def test_posts_in_another_province(seg):
    text = ("杭州市拱墅区米市巷街道党工委书记周敏带领街道干部走访辖区企业。"
            "集团公司党委书记、董事长王伟主持会议。")
    pairs = [("杭州市", "杭州市"), ("拱墅区", "拱墅区"), ("米市巷街道", "米市巷街道")]
    found = people(text, seg, focus=("浙江省", "杭州市"), pairs=pairs)
    assert found["周敏"].attrs["posts"] == [("书记", "米市巷街道党工委")]
    assert "王伟" in found                              # not 王伟主 (主持会议)


def test_roles_with_a_place_or_an_organization_before_them(seg):
    text = ("连日来，崇信县90后快递员侯大博常常忙得顾不上吃饭。"
            "日前，刚刚忙完午餐配送高峰的泾川县美团外卖骑手甘双红，坐在驿站里。")
    found = people(text, seg, focus=("甘肃省", "平凉市"), pairs=[("崇信县", "崇信县"), ("泾川县", "泾川县")])
    assert found["侯大博"].attrs["affiliations"] == ["崇信县"]
    assert found["甘双红"].attrs["affiliations"] == ["美团"]


def test_villager_with_pseudonym_and_farmer_of_the_village_named_before(seg):
    text = ("“多亏了书记和乡亲们的帮助。”金川区宁远堡镇下四分村二组村民王建国(化名)深有感触地说。\n"
            "日前，走进瓜州县西湖镇中沟村日光温室大棚。\n种植户魏海新一大早就钻进了棚里。")
    pairs = [("金川区", "金川区"), ("宁远堡镇", "宁远堡镇"), ("下四分村", "下四分村"), ("瓜州县", "瓜州县"),
             ("西湖镇", "西湖镇"), ("中沟村", "中沟村")]
    found = people(text, seg, pairs=pairs)
    wang = found["王建国"]
    assert wang.attrs["pseudonym"] and "王建国(化名)" in wang.attrs["aliases"]
    assert wang.attrs["affiliations"] == ["下四分村"]
    assert found["魏海新"].attrs["affiliations"] == ["中沟村"]


def test_national_leader_and_student(seg):
    text = ("深入贯彻习近平总书记重要讲话精神，让党中央放心。"
            "“感谢省法院的爷爷奶奶。”渭源县庆坪中心小学五年级一班罗平慧同学说。")
    found = people(text, seg, pairs=[("渭源县", "渭源县")])
    assert found["习近平"].attrs["posts"] == [("总书记", "中共中央")]
    assert found["罗平慧"].attrs["affiliations"] == ["渭源县庆坪中心小学"]


def test_speakers_and_pseudonyms_without_a_title(seg):
    text = ("“我家住在一楼，多次找业委会解决无果。”王明(化名)说。\n“是我们应该做的。”吕元告诉记者。\n"
            "家住龙汇家园的王英华(化名)老人时常把纸箱堆积在楼道。\n黄洪杰是一名外卖配送员。")
    found = people(text, seg)
    assert set(found) == {"王明", "吕元", "王英华", "黄洪杰"}
    assert found["王明"].attrs["pseudonym"] and not found["吕元"].attrs["pseudonym"]


def test_every_occurrence_is_a_mention(seg):
    text = "下四分村党支部书记王兴礼第一时间赶到医院。看着重伤的村民，王兴礼紧急召集干部开会。“这是责任。”王兴礼说。"
    doc = doc_by_hand(text, seg, ["甘肃省"], [("下四分村", "下四分村")])
    doc.mentions += find_organizations(doc)
    mentions = [m for m in find_people(doc) if m.name == "王兴礼"]
    assert len(mentions) == 3
    assert all(m.attrs["posts"] == [("书记", "下四分村党支部")] for m in mentions)


@pytest.mark.parametrize("text", [
    "河山区社区的张奶奶激动地说：“多亏了志愿服务队！”宏源小区孙女士家楼上小孩晚上拍篮球。",
    "近日，记者来到麦积区。他说，村里建起了合作社。老李告诉记者，今年收成不错。",
    "党员干部带头参与小区治理，强化党员经常性教育，引导司机师傅们成为新时代货车司机。",
    "社区党组织书记和居委会主任“一肩挑”达到90.5%，其中党组织书记包抓重点网格1158个。",
    "要充分发挥党委(党组)领导作用，落实党支部书记的责任。王阿姨笑着说：“好日子来了。”",
])
def test_no_person_named(seg, text):
    assert people(text, seg) == {}


# ---------------------------------------------------------------- 负责人, names jieba cut, role chains

def test_person_in_charge_is_a_post_only_when_a_name_follows(seg):
    text = "贵州黔运物流有限公司负责人赵建华说，今年新招了骑手。县商务局相关负责人表示，将加大支持。"
    found = people(text, seg, focus=("贵州省", "遵义市", "湄潭县"))
    assert set(found) == {"赵建华"}
    assert ("负责人", "贵州黔运物流有限公司") in found["赵建华"].attrs["posts"]


def test_a_three_character_name_jieba_glued_to_the_speech_verb(seg):
    # jieba cuts 姜振|明说, 罗永|明说: the third character is the name's, 说 follows it
    text = "“大家的事大家商量。”河西村党委书记姜振明说。“路修好了。”村党支部书记罗永明说。"
    found = people(text, seg, focus=("江西省", "赣州市"), pairs=[("河西村", "河西村")])
    assert "姜振明" in found and "姜振" not in found
    assert "罗永明" in found and "罗永" not in found


def test_a_two_character_name_before_a_word_with_ming_stays_two(seg):
    text = "村党支部书记李强明确表示，要把好事办好。社区主任王刚明年将退休。"
    found = people(text, seg, focus=("河南省",))
    assert "李强" in found and "李强明" not in found
    assert "王刚明" not in found


def test_roles_joined_by_a_pause_mark_keep_the_organization_before_them(seg):
    text = "“平台帮了大忙。”美团骑手、党员刘志远说。饿了么配送员、志愿者孙海波告诉记者。"
    found = people(text, seg, focus=("湖北省", "武汉市"))
    assert "美团" in found["刘志远"].attrs["affiliations"]
    assert "饿了么" in found["孙海波"].attrs["affiliations"]


def test_a_cadre_after_an_organization_belongs_to_it_and_a_bare_count_of_cadres_is_no_one(seg):
    text = "在龙溪村驻村的县水利局干部郑海波说，村里修了水渠。乡里40名干部包抓20个村。"
    found = people(text, seg, focus=("湖南省", "永州市", "宁远县"), pairs=(("龙溪村", "龙溪村"),))
    assert "宁远县水利局" in found["郑海波"].attrs["affiliations"]
    assert "包抓" not in found


def test_a_founder_belongs_to_the_company_founded(seg):
    text = "返乡党员赵春燕2021年回到家乡，在镇党委的支持下创办长阳县桃源竹艺有限公司。"
    found = people(text, seg, focus=("湖北省", "宜昌市", "长阳县"), pairs=(("长阳县", "长阳县"),))
    assert "长阳县桃源竹艺有限公司" in found["赵春燕"].attrs["affiliations"]


def test_a_farmer_of_a_crop_is_a_role_and_belongs_to_the_village_named_before(seg):
    text = "在白岩村，村党支部领办合作社收购脐橙。“入社后收入高了。”果农刘长青笑着说。菜农孙玉梅也加入了。"
    found = people(text, seg, focus=("江西省", "赣州市"), pairs=[("白岩村", "白岩村")])
    assert {"刘长青", "孙玉梅"} <= set(found)
    assert found["刘长青"].attrs["affiliations"] == ["白岩村"]


def test_a_person_who_is_the_one_role_of_a_company_belongs_to_it(seg):
    text = "骑手马小军把车停在驿站门口。马小军是蓝海物流有限公司的一名配送员，也是一名入党积极分子。"
    found = people(text, seg, focus=("四川省", "成都市"))
    assert "蓝海物流有限公司" in found["马小军"].attrs["affiliations"]
    text = "罗海涛是一名外卖骑手。"
    assert people(text, seg, focus=("四川省", "成都市"))["罗海涛"].attrs["affiliations"] == []


# ---------------------------------------------------------------- issue 15: names on real pages

def test_names_in_credit_lines_are_people(seg):
    text = ("来源: 四川日报 作者:张晓峰 刘敏 编辑:王静 2024-05-06\n春耕时节，田间一片忙碌。\n"
            "编辑:李文 责任编辑:赵娟\n[审核:周建国]")
    found = people(text, seg, focus=("四川省",))
    assert set(found) == {"张晓峰", "刘敏", "王静", "李文", "赵娟", "周建国"}
    assert all(m.attrs["journalist"] for m in found.values())
    # 文明, 地图: a label inside a word starts no credit
    assert people("全面推进乡风文明:王家村的变化。请见地图:李家坪。", seg) == {}


def test_byline_names_set_apart_by_a_pause_mark_or_spaces(seg):
    text = "湖南日报讯(记者刘建华、通讯员张敏、李强)近日，县里召开大会。"
    assert set(people(text, seg, focus=("湖南省",))) == {"刘建华", "张敏", "李强"}
    text = "本报讯(周 敏 陈 亮)近日，村里院坝灯火通明。"
    found = people(text, seg, focus=("湖南省",))
    assert set(found) == {"周敏", "陈亮"} and found["周敏"].surface == "周 敏"


def test_a_line_holding_only_a_name_signs_the_piece(seg):
    text = "红色引擎 激发活力\n王立新    2021-03-02 09:10:11    人民日报\n春暖花开，企业复工。\n(郑晓红)"
    assert set(people(text, seg, focus=("河南省",))) == {"王立新", "郑晓红"}
    assert people("产业振兴\n(城西组)\n结语\n", seg) == {}


def test_minority_names_with_four_characters_or_a_middle_dot(seg):
    text = ("“日子越过越好了！”村民次仁卓玛说。村民阿依古丽·买买提告诉记者，驻村第一书记"
            "努尔艾力•阿不都热依木带领大家种果树。他对热合曼・吐尔逊说了几句。")
    found = people(text, seg, focus=("新疆维吾尔自治区",))
    assert {"次仁卓玛", "阿依古丽·买买提", "努尔艾力·阿不都热依木", "热合曼·吐尔逊"} <= set(found)
    # a Han name of three characters stays three before a word or a verb
    found = people("村民王建华夫妇说。书记李明华主持会议。", seg)
    assert set(found) == {"王建华", "李明华"}
    # brands and mastheads with a dot name nobody
    assert people("开展“党旗领航·平安乡村”活动，新甘肃·甘肃日报报道。", seg) == {}


def test_names_after_a_title_that_jieba_reads_as_a_place_or_a_rare_word(seg):
    text = "县委书记安庆杰说，要抓好产业。村支书王国玉介绍。党支部书记贡布说。老党员李有山称赞。"
    assert set(people(text, seg)) >= {"安庆杰", "王国玉", "贡布", "李有山"}


@pytest.mark.parametrize("text", [
    "广大党员干部牢记习近平总书记殷殷嘱托，奋力前行。",
    "党组织书记和村(居)委会主任“一肩挑”比例达到100%。",
    "1600多名党员常态化进小区开展服务，2名货车司机荣获“全国劳动模范”称号。",
    "采取党支部包小区、在职党员志愿者包路段的方式，开展文明劝导。",
    "小区的李师傅和郑女士也来帮忙。",
])
def test_words_after_a_title_are_no_names(seg, text):
    assert set(people(text, seg)) <= {"习近平"}


def test_a_committee_department_head_and_a_village_post_without_its_village(seg):
    text = "“培训旨在提升能力。”河北省委常委、组织部长李新民说。"
    p = people(text, seg, focus=("河北省",), pairs=[("河北省", "河北省")])["李新民"]
    assert ("常委", "中共河北省委") in p.attrs["posts"] or ("常委", "河北省委") in p.attrs["posts"]
    assert any(t == "组织部长" and (o or "").endswith("组织部") for t, o in p.attrs["posts"])
    text = "走进石门村，道路整洁。说起村里的变化，村支书赵国庆兴致勃勃。"
    p = people(text, seg, pairs=[("石门村", "石门村")])["赵国庆"]
    assert "石门村" in p.attrs["affiliations"]


def test_a_resident_after_the_village_and_names_listed_after_a_role(seg):
    text = "“今年收成好！”石门村马小军的话道出变化。县快递员孙晓婷、李丽在雪地里送件。"
    found = people(text, seg, pairs=[("石门村", "石门村")])
    assert {"马小军", "孙晓婷", "李丽"} <= set(found)
    assert found["马小军"].attrs["affiliations"] == ["石门村"]
    # two characters after a village are too short to tell from a phrase
    assert people("石门村王家坪的路修好了。", seg, pairs=[("石门村", "石门村")]) == {}


def test_a_post_holder_sent_to_a_village_belongs_to_the_sender_too(seg):
    text = "“要把技术教给村民。”汉阴县农业农村局派驻城关镇五星村第一书记孙立强说。"
    p = people(text, seg, focus=("陕西省", "安康市"),
               pairs=[("汉阴县", "汉阴县"), ("城关镇", "城关镇"), ("五星村", "五星村")])["孙立强"]
    assert {"五星村", "汉阴县农业农村局"} <= set(p.attrs["affiliations"])


def test_a_role_after_its_unit_and_de_or_a_copula(seg):
    text = "“路修好了。”石门村的老党员李有山称赞。王晓燕是南湖社区居委会社工，常年走访。"
    found = people(text, seg, pairs=[("石门村", "石门村"), ("南湖社区", "南湖社区")])
    assert found["李有山"].attrs["affiliations"] == ["石门村"]
    assert any("居委会" in a for a in found["王晓燕"].attrs["affiliations"])
