"""Programs (campaigns, activities, mechanisms …), their parts and their target groups."""
from __future__ import annotations

from kg.dates import StartDate
from kg.doc import find_quotes
from kg.find.programs import count_of, find_programs, program_parts, program_targets
from kg.find.terms import find_target_groups


def names(mentions):
    return [m.name for m in mentions]


def by_name(mentions, name):
    found = [m for m in mentions if m.name == name]
    assert found, (name, names(mentions))
    return found[0]


def parts(doc):
    programs = find_programs(doc)
    return {(a.name, b.name) for a, b in program_parts(doc, programs)}


def targets(doc):
    programs, groups = find_programs(doc), find_target_groups(doc)
    return {(a.name, b.name) for a, b in program_targets(doc, programs, groups)}


# ---------------------------------------------------------------------------- quotes

def test_quotes_nest_and_do_not_cross_lines():
    qs = find_quotes("开展“暖心暖‘新’”等行动\n他说“未完")
    assert [(q.content, q.depth) for q in qs] == [("暖心暖‘新’", 0), ("新", 1)]


# ---------------------------------------------------------------------------- quoted names

def test_quoted_name_with_trigger_drops_the_trigger(doc_of):
    m = by_name(find_programs(doc_of("持续推进“消薄强村”行动,以“美丽党建”引领保障示范带建设提质增效。")), "消薄强村")
    assert m.surface == "“消薄强村”行动"
    assert {"消薄强村行动", "“消薄强村”行动"} <= m.attrs["aliases"]
    assert m.attrs["kind"] == "campaign"


def test_trigger_after_a_modifier(doc_of):
    ms = find_programs(doc_of("建立“建五链破五难”流动党员管理机制,打造“瑞岭七彩服务桥”党建品牌。"))
    assert by_name(ms, "建五链破五难").attrs["kind"] == "mechanism"
    assert by_name(ms, "瑞岭七彩服务桥").attrs["kind"] == "brand"


def test_quoted_name_in_speech_with_start_date(doc_of):
    text = "“有事找书记”,是金川区于2024年12月正式推行的一项党建工作新机制。“我们建立了‘有事找书记’工作机制。”"
    ms = find_programs(doc_of(text))
    assert set(names(ms)) == {"有事找书记"}
    assert ms[0].attrs["start_date"] == StartDate("2024-12", "gYearMonth", "于2024年12月正式推行")


def test_quote_alone_after_a_verb_or_formula(doc_of):
    ms = find_programs(doc_of("推行“三社联动”,着力打造“全科网格”,大力推行“党支部+合作社+基地+农户”模式。"))
    assert names(ms) == ["三社联动", "全科网格", "党支部+合作社+基地+农户"]
    assert by_name(ms, "党支部+合作社+基地+农户").attrs["kind"] == "model"


def test_other_provinces(doc_of):
    text = ("杭州市深入开展“红色物业”提升行动,推行“四治融合”基层治理模式;成都市全面推行“微网实格”治理机制,"
            "启动实施“红色根脉强基工程”,持续深化“最多跑一次”改革。")
    assert names(find_programs(doc_of(text))) == ["红色物业", "四治融合", "微网实格", "红色根脉强基工程", "最多跑一次"]


def test_chain_shares_its_trigger_and_other_types_are_left_out(doc_of):
    ms = find_programs(doc_of("深入开展“亮身份、作表率、建新功”“立足岗位作贡献”等活动,探索建立“e网勤蜂”“蜜蜂管家”等网络平台,"
                       "组建“先锋骑手”“红色管家”等党员志愿服务队,建设“暖蜂驿站”“司机之家”等阵地。"))
    assert names(ms) == ["亮身份、作表率、建新功", "立足岗位作贡献"]


def test_slogans_metaphors_nicknames_honours_are_not_programs(doc_of):
    text = ("始终把带头做到“两个维护”作为首要任务,深刻领悟“两个确立”的决定性意义;破解“小马拉大车”问题;"
            "党建“一根针”串起“千条线”;用好党建这把‘金钥匙’;从业务不熟到同事口中的“活地图”;"
            "7名党员货车司机获评“全省最美货车司机”;迎来了不少“小居民”;当群众的“主心骨”。")
    assert find_programs(doc_of(text)) == []


def test_nationally_known_programs(doc_of):
    ms = find_programs(doc_of("严格落实“第一议题”制度,扎实开展党纪学习教育,坚持和发展新时代“枫桥经验”,深化在职党员“双报到”工作。"))
    assert names(ms) == ["第一议题", "党纪学习教育", "枫桥经验", "双报到"]
    assert by_name(ms, "枫桥经验").surface == "新时代“枫桥经验”"


def test_theme_names_the_activity(doc_of):
    ms = find_programs(doc_of("组织机关党员干部围绕“甘肃要发展,我该谋什么”开展专题研讨,以“礼赞新中国 奋进新时代”为主题组织优秀案例征集活动。"))
    assert names(ms) == ["甘肃要发展,我该谋什么", "礼赞新中国 奋进新时代"]


def test_title_of_a_game_is_an_activity(doc_of):
    assert names(find_programs(doc_of("共同开展了《爱的传递》等互动游戏。"))) == ["爱的传递"]


# ---------------------------------------------------------------------------- unquoted names

def test_unquoted_name_starts_after_the_verb(doc_of):
    text = ("深入开展农村基层党建全面过硬行动。深入开展树立和践行正确政绩观学习教育,"
            "酒钢集团公司党委实施现代公司治理示范创建行动,建立由28家单位组成的志愿服务联络员制度。")
    assert names(find_programs(doc_of(text))) == ["农村基层党建全面过硬行动", "树立和践行正确政绩观学习教育",
                                             "现代公司治理示范创建行动", "志愿服务联络员制度"]


def test_unquoted_after_and_and_with_scope(doc_of):
    ms = find_programs(doc_of("深入实施“五大工程”和基层党建质量提升行动,制定全县村(社)党群服务中心提升计划。"))
    assert names(ms) == ["五大工程", "基层党建质量提升行动", "村(社)党群服务中心提升计划"]
    assert "全县村(社)党群服务中心提升计划" in by_name(ms, "村(社)党群服务中心提升计划").attrs["aliases"]


def test_generic_mechanisms_are_not_programs(doc_of):
    text = ("健全完善流出登记、流入纳管、流回销号的动态闭环管理机制,建立健全长效机制,常态化开展集中整治行动,"
            "完善机关党建督查和考核制度,明确创建条件、评定程序、结果运用、退出机制等10个方面创建标准,"
            "建立健全工委与部门党组(党委)常态化沟通机制,以实际行动彰显为民情怀。")
    assert find_programs(doc_of(text)) == []


def test_unquoted_in_another_province(doc_of):
    ms = find_programs(doc_of("四川省扎实推进党建引领基层治理创新行动,实施人才强市计划,建立党员联系群众制度。"))
    assert names(ms) == ["党建引领基层治理创新行动", "人才强市计划", "党员联系群众制度"]


# ---------------------------------------------------------------------------- enumerations and parts

def test_count_of_names():
    assert [count_of(n) for n in ("七项制度", "三个一批", "五大融合", "三找", "一亲三心", "四项行动")] == [7, 3, 5, 3, 4, 4]
    assert count_of("两个维护") == 2 and count_of("党建联合体") is None


def test_enumeration_in_a_quote_with_a_counting_whole(doc_of):
    text = "庆阳市全面推行“亮牌服务、持证上岗、首问责任、限时办结、群众评价、查处举报、末位问责”七项制度,2023年…"
    assert parts(doc_of(text)) == {(p, "七项制度") for p in
                                ("亮牌服务", "持证上岗", "首问责任", "限时办结", "群众评价", "查处举报", "末位问责")}


def test_items_before_a_counted_whole(doc_of):
    text = "全域开展党员找组织、组织找党员、党员找党员的“三找”活动,督促新就业群体党员就近参加组织生活。"
    assert parts(doc_of(text)) == {("党员找组织", "三找"), ("组织找党员", "三找"), ("党员找党员", "三找")}
    assert targets(doc_of(text)) == {("三找", "新就业群体党员")}


def test_items_before_a_count_and_a_quoted_head(doc_of):
    doc = doc_of("芦河镇推进产业振兴、人才振兴、文化振兴、生态振兴和组织振兴五个“振兴”。")
    assert parts(doc) == {(p, "五个振兴") for p in ("产业振兴", "人才振兴", "文化振兴", "生态振兴", "组织振兴")}


def test_quoted_items_before_a_counted_whole(doc_of):
    text = ("浙江省某市深入推进“强村富民”农村党建、“幸福家园”城市党建、“红色引擎”国有企业党建“三大融合”行动,"
            "把基层党建融入经济社会发展各层面。")
    assert parts(doc_of(text)) == {("强村富民", "三大融合"), ("幸福家园", "三大融合"), ("红色引擎", "三大融合")}


def test_parties_of_a_whole_are_not_its_parts(doc_of):
    text = "推行网格党组织书记、楼(院)长、社区民警、业主委员会、业主代表“五位一体”管理方式。"
    assert names(find_programs(doc_of(text))) == ["五位一体"]


def test_items_of_a_list_that_ends_in_etc(doc_of):
    ms = find_programs(doc_of("全面推广社区协商议事会、民情恳谈会、“一事一议”居民代表会等协商议事模式,"
                       "大力推行“支部建在楼宇上、支部建在园区里”等党组织设置模式。"))
    assert names(ms) == ["社区协商议事会", "民情恳谈会", "一事一议", "支部建在楼宇上", "支部建在园区里"]


def test_parallel_headings_after_a_counted_whole(doc_of):
    text = ("深化“一亲三心”活动 民生福祉更加殷实\n兰州市推动各级党组织用脚步丈量民情。\n"
            "推动机关干部“返乡走亲”。组织党员干部开展“返乡走亲”,开展“我的返乡走亲故事”演讲活动。\n"
            "推动乡镇干部“驻村连心”。落实包村制度。\n推动村社干部“入网知心”。推动干部包抓网格。\n"
            "推动村居党员“联户交心”。健全网格党组织体系。")
    got = parts(doc_of(text))
    assert {(p, "一亲三心") for p in ("返乡走亲", "驻村连心", "入网知心", "联户交心")} <= got
    assert ("我的返乡走亲故事", "返乡走亲") in got


def test_parallel_clauses_after_a_counted_whole(doc_of):
    text = ("扎实推进党建引领基层治理“四项行动”,健全工作机制,推动暖心引领骑手融入,建成10个驿站;"
            "正向引领主播发声,规范行业秩序;服务引领货车司机建功,建成7个“司机之家”;"
            "先锋引领网约车司机便民,组建应急车队。")
    got = parts(doc_of(text))
    assert {p for p, _ in got} == {"暖心引领骑手融入", "正向引领主播发声", "服务引领货车司机建功", "先锋引领网约车司机便民"}
    assert targets(doc_of(text)) >= {("服务引领货车司机建功", "货车司机"), ("正向引领主播发声", "网络主播")}


def test_campaigns_under_a_heading_campaign(doc_of):
    text = ("深入开展传统领域党建巩固提升行动。深化政治机关建设和模范机关创建,结合推进国企“三大攻坚行动”,"
            "推广设立党支部。深入实施“决战课堂”行动,设立党建联建片区。")
    assert parts(doc_of(text)) == {("决战课堂", "传统领域党建巩固提升行动")}


def test_counted_head_and_series(doc_of):
    text = ("建立“三个课堂”学习制度,依托网络直播间,通过“线上课堂”教育引导党员。"
            "开展“书香机关 悦读赋能”系列活动,引导开展“读书分享”“读书演讲”等特色读书活动。")
    assert parts(doc_of(text)) == {("线上课堂", "三个课堂"), ("读书分享", "书香机关 悦读赋能"),
                                ("读书演讲", "书香机关 悦读赋能")}


# ---------------------------------------------------------------------------- targets

def test_targets_named_inside_before_or_tied_after(doc_of):
    text = ("全市实施“一村一名大学生村干部”计划。结合实施年轻干部“五个一百”培养提升计划。"
            "常态化开展“十个一”暖心聚“新”活动,为新就业群体解决急难愁盼问题1125件。"
            "认真落实“结对帮扶·爱心甘肃”工作部署,干部与2056名孤儿、971名困难重度残疾人和752户特困家庭结对。")
    assert targets(doc_of(text)) == {("一村一名大学生村干部", "大学生村干部"), ("五个一百", "年轻干部"),
                                  ("十个一", "新就业群体"), ("结对帮扶·爱心甘肃", "孤儿"),
                                  ("结对帮扶·爱心甘肃", "困难重度残疾人"), ("结对帮扶·爱心甘肃", "特困家庭")}


def test_group_before_program_with_zhendui(doc_of):
    text = "针对流动党员工作时间零散的特点,各基层党组织建立“三个课堂”学习制度。"
    assert targets(doc_of(text)) == {("三个课堂", "流动党员")}


def test_no_target_across_another_name(doc_of):
    text = "推行“一窗受理、集成服务”改革,建成“红色驿站”50个,为快递小哥、外卖骑手送上“清凉礼包”。"
    assert targets(doc_of(text)) == set()


# ---------------------------------------------------------------------------- other types, general triggers

def test_quoted_name_before_a_platform_or_facility_head_is_no_program(doc_of):
    text = ("江西省某县依托“赣服通”平台上线“赣邻议事厅”应用。宁波市推广“和事佬调解室”等品牌调解室,"
            "推广“老兵说和”等品牌调解室,在各村设立“巧娘工坊”12个。")
    assert names(find_programs(doc_of(text))) == []


def test_general_triggers_after_a_verb(doc_of):
    text = ("河南省某县深入实施抓党建促乡村振兴,持续开展农村人居环境整治,推行志愿者积分制管理。"
            "云南省某州深入开展软弱涣散基层党组织整顿。")
    assert names(find_programs(doc_of(text))) == ["抓党建促乡村振兴", "农村人居环境整治", "志愿者积分制管理",
                                               "软弱涣散基层党组织整顿"]


def test_general_triggers_need_a_verb(doc_of):
    text = ("邀请专家围绕党建引领、抓党建促乡村振兴等主题进行辅导,把人居环境整治作为重点,"
            "近三年摸排整顿软弱涣散基层党组织30个。")
    assert names(find_programs(doc_of(text))) == []


def test_bare_trigger_repeats_a_generic_named_program(doc_of):
    text = "广西某县推行党员积分管理,按季度公开。全县2000余名农村党员参与积分管理。"
    programs = find_programs(doc_of(text))
    assert names(programs) == ["党员积分管理", "党员积分管理"]
    assert targets(doc_of(text)) == {("党员积分管理", "农村党员")}


def test_counted_parties_after_a_list(doc_of):
    assert count_of("三方联动") == 3 and count_of("四方面") == 4
    text = "湖北省武汉市推动社区党组织、业委会、物业公司“三方联动”。坚持把执行难、推进难、落地难“三难”问题作为重点。"
    assert names(find_programs(doc_of(text))) == ["三方联动"]
    assert parts(doc_of(text)) == set()


def test_name_is_not_cut_at_de(doc_of):
    text = ("四川省某县完善村党组织领导的村民议事协商制度。湖南省某市建立社区党委统筹的物业服务监督机制。"
            "建立由15个部门组成的矛盾纠纷联调制度。")
    assert names(find_programs(doc_of(text))) == ["矛盾纠纷联调制度"]


def test_program_tied_to_a_group_serves_the_listed_kinds(doc_of):
    text = "福建省某市聚焦货车司机、网约车司机等新就业群体,开展“暖心驿路”行动,为新就业群体提供服务。"
    assert targets(doc_of(text)) == {("暖心驿路", "新就业群体"), ("暖心驿路", "货车司机"), ("暖心驿路", "网约车司机")}


# ---------------------------------------------------------------------------- round 2: 即-lists, built mechanisms, subjects

def test_parts_listed_after_namely(doc_of):
    text = "近年来,甘州县委在全县推行“三联三促”工作法,即班子联村促发展、党员联户促和谐、干部联企促服务,取得成效。"
    assert parts(doc_of(text)) == {(p, "三联三促") for p in ("班子联村促发展", "党员联户促和谐", "干部联企促服务")}
    text = ("某镇实施“四项行动”,具体包括环境整治提升行动、产业培育壮大行动、文明新风培育行动、平安建设巩固行动。")
    assert {w for _, w in parts(doc_of(text))} == {"四项行动"} and len(parts(doc_of(text))) == 4


def test_namely_list_must_match_the_count_and_the_counted_words(doc_of):
    assert parts(doc_of("推行“三联三促”工作法,即班子联村、党员包户,效果明显。")) == set()
    assert parts(doc_of("推行“三联三促”工作法,即抓学习、抓作风、抓服务,效果明显。")) == set()


def test_mechanism_built_in_the_next_clause_is_part_of_the_model(doc_of):
    text = "某街道推行“红色业委会”模式,建立社区党支部、业委会、物业公司“三方协商”机制,定期召开联席会议。"
    assert parts(doc_of(text)) == {("三方协商", "红色业委会")}


def test_group_opening_the_next_clause_takes_part(doc_of):
    text = ("福建省某县推行“党员包户”机制,全县3200余名农村党员按照就近原则联系群众。"
            "某街道建立“双岗报到”机制,党员骑手既到站点报到,也到社区报到。"
            "某区推行“流动哨兵”工作机制,招募网约车司机兼职安全员500余名。")
    assert targets(doc_of(text)) == {("党员包户", "农村党员"), ("双岗报到", "外卖骑手"), ("流动哨兵", "网约车司机")}


def test_group_that_only_modifies_a_noun_is_no_target(doc_of):
    assert targets(doc_of("某区推行“红色物管”模式,新就业群体党组织覆盖率达到90%。")) == set()


def test_returnees_and_a_class_a_verb_opens(doc_of):
    text = "县委组织部实施“燕归计划”,建立人才信息库,目前已吸引返乡创业青年800余人。社区每周开设“骑手夜校”,讲授交通安全知识。"
    assert targets(doc_of(text)) == {("燕归计划", "返乡创业人员"), ("骑手夜校", "外卖骑手")}


def test_top_priority_phrase_is_no_program(doc_of):
    assert names(find_programs(doc_of("县委把乡村振兴作为“一把手工程”来抓,列为“一把手工程”。"))) == []


# ---------------------------------------------------------------------------- round 3: nested counts, known parts, circles

def test_counted_pieces_of_a_method_and_their_items_are_parts(doc_of):
    text = ("江西省某县推行“三联三评”工作法。“三联”即党员每月联系农户、联系商户、联系学校；"
            "“三评”即群众评议、支部评审、乡镇评定。")
    assert parts(doc_of(text)) == {
        ("三联", "三联三评"), ("三评", "三联三评"),
        ("联系农户", "三联"), ("联系商户", "三联"), ("联系学校", "三联"),
        ("群众评议", "三评"), ("支部评审", "三评"), ("乡镇评定", "三评")}


def test_counted_quote_after_namely_alone_is_no_whole(doc_of):
    # no counted program holds “三好”: a standard, not parts of a program
    assert parts(doc_of("村里评选党员,“三好”即思想好、作风好、业绩好。")) == set()
    assert names(find_programs(doc_of("村里评选党员,“三好”即思想好、作风好、业绩好。"))) == []


def test_standard_parts_of_a_known_program_only_where_the_text_lists_them(doc_of):
    text = "甘南州深入践行“四下基层”制度,组织干部开展调查研究、现场办公等工作。"
    assert parts(doc_of(text)) == {("调查研究", "四下基层"), ("现场办公", "四下基层")}
    alone = "某县深入践行“四下基层”制度,加强调查研究。"
    assert "调查研究" not in names(find_programs(doc_of(alone)))
    # without the known program the list is no part of anything
    assert parts(doc_of("干部开展调查研究、现场办公等工作。")) == set()


def test_dispatch_couplet_and_service_circle_are_programs(doc_of):
    found = names(find_programs(doc_of("群众诉求实现“群众点单、支部派单”。某镇基本建成“10分钟健身服务圈”。")))
    assert "群众点单、支部派单" in found and "10分钟健身服务圈" in found
    assert names(find_programs(doc_of("按照“15分钟服务圈”标准建设驿站。"))) == []
    assert names(find_programs(doc_of("村里实现“应收尽收、应保尽保”。"))) == []


def test_last_member_of_a_formula_and_who_takes_part_are_targets(doc_of):
    text = "合作社采取“党支部+合作社+果农”模式,带动果农增收。外卖骑手刘某每周到驿站参加“骑手课堂”活动。"
    assert targets(doc_of(text)) == {("党支部+合作社+果农", "果农"), ("骑手课堂", "外卖骑手")}


def test_group_before_a_clause_break_is_no_target_of_the_next_program(doc_of):
    text = "某县推行“两帮两扶”工作法。“两帮”即帮扶困难群众、帮助解困；“两扶”即扶志、扶智。"
    assert not any(g == "困难群众" and p != "帮扶困难群众" for p, g in targets(doc_of(text)))


def test_meetings_of_the_branch_routine_listed_together_are_its_parts(doc_of):
    text = "某村严格落实“三会一课”制度,按时召开支部党员大会、支委会和党小组会,上好党课。"
    assert parts(doc_of(text)) == {("支部党员大会", "三会一课"), ("支部委员会会议", "三会一课"), ("党小组会", "三会一课")}


# ---------------------------------------------------------------------------- issue 15: counted wholes and their parts

def test_list_before_a_counted_whole_gives_its_parts(doc_of):
    # unquoted whole after 等 (count may exceed the items), quoted N-in-one, 2-character items holding the counted word
    text = "镇里健全议事协商、矛盾调处和民情收集等五大机制。全县打造村务、财务、服务“三务合一”,成效明显。"
    got = parts(doc_of(text))
    assert {("议事协商", "五大机制"), ("矛盾调处", "五大机制"), ("民情收集", "五大机制")} <= got
    assert {("村务", "三务合一"), ("财务", "三务合一"), ("服务", "三务合一")} <= got
    assert count_of("三治融合") == 3 and count_of("五有标准") == 5


def test_short_items_and_counted_noun_make_parts_where_the_text_writes_them(doc_of):
    text = "全区推进党建、文化、产业三大振兴工程。\n党建振兴,建强堡垒。支部规范化建设全面铺开。\n文化振兴,凝聚人心。"
    got = parts(doc_of(text))
    assert got >= {("党建振兴", "三大振兴工程"), ("文化振兴", "三大振兴工程")}
    assert "产业振兴" not in names(find_programs(doc_of(text)))


def test_count_that_modifies_a_noun_is_no_whole(doc_of):
    text = "着力解决群众在就医、就学以及养老等“三难”问题。"
    assert "三难" not in names(find_programs(doc_of(text)))


def test_pieced_lists_across_clauses(doc_of):
    text = "依托全市布局的东部茶叶带、西部果蔬带,城北物流园、城南加工园“两带两园”产业格局,带动增收。"
    got = parts(doc_of(text))
    assert {("东部茶叶带", "两带两园"), ("城南加工园", "两带两园")} <= got


def test_quoted_list_items_are_parts_where_named_again(doc_of):
    text = "全面推行“片区制、书记包、事不出村”管理改革。各乡镇实行片区制,划分片区120个。"
    got = parts(doc_of(text))
    assert ("片区制", "片区制、书记包、事不出村") in got
    slogans = "深入开展“亮身份、作表率、建新功”活动。"
    assert parts(doc_of(slogans)) == set()


def test_parallel_headings_are_parts_of_the_first_line_program(doc_of):
    text = ("本市推进老年人友好街区建设\n记者近日获悉,全市老年人友好街区建设取得成效。\n"
            "建设环境友好街区。加装电梯300部。\n打造服务友好街区。开办“长者食堂”。\n营造文化友好街区。组织文艺演出。")
    got = parts(doc_of(text))
    assert {("环境友好街区", "老年人友好街区建设"), ("服务友好街区", "老年人友好街区建设"),
            ("文化友好街区", "老年人友好街区建设")} <= got


def test_parallel_features_before_de_and_a_model(doc_of):
    text = "社区着力打造服务标准化、管理精细化、运行高效化的基层治理新模式。"
    got = parts(doc_of(text))
    assert ("服务标准化", "基层治理新模式") in got and ("运行高效化", "基层治理新模式") in got


def test_training_class_at_the_head_of_a_clause(doc_of):
    text = "全省村党组织书记示范培训班近日在省委党校开班。"
    assert "村党组织书记示范培训班" in names(find_programs(doc_of(text)))


def test_items_before_a_named_series_are_its_activities(doc_of):
    text = "社区常态化开展义务理发、“悦”读分享会等“邻里守望”系列活动。"
    got = parts(doc_of(text))
    assert ("义务理发", "邻里守望") in got and ("“悦”读分享会", "邻里守望") in got


def test_equation_is_no_formula(doc_of):
    assert names(find_programs(doc_of("实现“1+1>2”的效果。"))) == []


def test_what_a_place_takes_as_its_lever_is_a_program(doc_of):
    got = names(find_programs(doc_of("该县以村企联合党建为抓手,又以“红色管家”为特色;以加强基层党建为抓手推进工作。")))
    assert "村企联合党建" in got and "红色管家" in got and not any("加强" in n for n in got)


def test_quotes_joined_by_he_before_deng_share_the_head_and_events_name_themselves(doc_of):
    got = names(find_programs(doc_of("该市探索的“楼院议事”和“红色代办”等做法广受好评。依托环湖马拉松赛、油菜花节等活动带动旅游。")))
    assert {"楼院议事", "红色代办", "环湖马拉松赛", "油菜花节"} <= set(got)
