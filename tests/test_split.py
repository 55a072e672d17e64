"""Stages 2 and 3: normalization, captions, rejoined paragraphs, articles and sentences."""
from pathlib import Path

from kg.model import Page
from kg.normalize import normalize_chars, paragraphs
from kg.split import parse_byline, split_articles, split_sentences

SEEDS = Path(__file__).parents[1] / "seeds"


def page(text: str, doc_id: str = "t") -> Page:
    return Page(doc_id, f"{doc_id}.txt", text, "utf-8")


def seed(doc_id: str) -> Page:
    path = next(SEEDS.glob(f"{doc_id}*.txt"))
    return Page(path.stem, str(path), path.read_text(encoding="utf-8"), "utf-8")


def test_normalization_keeps_one_char_for_one():
    raw = "（化名）１２３４５ＡＢ「两个覆盖」"
    clean = normalize_chars(raw)
    assert clean == "(化名)12345AB“两个覆盖”"
    assert len(clean) == len(raw)


def test_broken_paragraph_is_rejoined_around_a_photo_caption():
    text = ("联系服务群众“最后一\n\n\n\n兰州市街道社区工作人员走访入户。\n\n\n\n"
            "△崆峒区外卖小哥在驿站休息。\n\n本组图片由平凉市委社会工作部提供\n\n公里”。下一句。")
    pars = paragraphs(text)
    assert [p.kind for p in pars] == ["body", "caption", "caption"]
    assert pars[0].text == "联系服务群众“最后一公里”。下一句。"
    assert pars[2].text == "崆峒区外卖小哥在驿站休息。"
    # every clean character maps back to the same character in the file
    for par in pars:
        assert all(normalize_chars(text)[o] == ch for ch, o in zip(par.text, par.origin))


def test_credits_and_jump_lines_are_dropped():
    pars = paragraphs("(上接B1版)\n\n正文一句。(图片由兰州市委组织部提供)\n\n舟曲县立节镇供图")
    assert [p.text for p in pars] == ["正文一句。"]


def test_byline_roles():
    assert parse_byline("新甘肃·甘肃日报记者 董文龙 通讯员 姜海波 刘子芳") == (["董文龙"], ["姜海波", "刘子芳"])
    assert parse_byline("新甘肃·甘肃日报记者于晓明)") == (["于晓明"], [])


def test_a_reporting_unit_in_the_byline_is_no_name():
    # 报道组, 融媒体中心, 通讯组 stand where a role does; the unit's name is no person
    assert parse_byline("本报记者 周海涛 市委报道组 韩雪梅 通讯员 郑楠") == (["周海涛"], ["韩雪梅", "郑楠"])
    assert parse_byline("记者 马丽娟 区融媒体中心 钱文斌 孙悦") == (["马丽娟"], ["钱文斌", "孙悦"])
    assert parse_byline("本报记者 黄志刚 县委通讯组 罗晓") == (["黄志刚"], ["罗晓"])


def test_sentences_end_after_closing_quotes():
    sents = split_sentences("他说:“好。”我们走吧!\n标题")
    assert [s.text for s in sents] == ["他说:“好。”", "我们走吧!", "标题"]
    assert sents[1].start == 7


def test_a_page_of_several_articles_is_split_at_headline_and_byline():
    arts = split_articles(seed("002"))
    titles = [a.title for a in arts]
    assert titles[0] == "凝聚党群合力 激活基层治理 平凉市多举措抓实新兴领域党员队伍建设"
    assert "定西:党建“一根针”串起“千条线”" in titles
    assert [a.creators for a in arts][:3] == [["田丽媛"], ["杨唯伟"], ["董文龙"]]
    assert arts[2].contributors == ["姜海波", "刘子芳"]


def test_dateline_gives_place_and_journalist():
    arts = split_articles(seed("003"))
    jiuquan = next(a for a in arts if a.title.startswith("酒钢集团"))
    assert jiuquan.dateline == "嘉峪关"
    assert jiuquan.creators == ["于晓明"]


def test_a_byline_printed_below_a_photo_story_credits_that_story():
    arts = split_articles(seed("003"))
    story = next(a for a in arts if a.contributors == ["刘建军"])
    assert "成县" in story.text and "小川镇西狭村" in story.text
    assert "庆阳" not in story.title


def test_author_line_and_offsets_into_the_file():
    p = seed("000")
    (art,) = split_articles(p)
    assert art.author_org == "中共兰州市委组织部"
    i = art.text.index("有")
    start, end = art.origin_span(i, i + 1)
    assert p.text[start:end] == "有"


def test_portal_furniture_is_no_part_of_the_title():
    from kg.split import _headline_text
    assert _headline_text("永登县:深化“三链”建设发展壮大村级集体经济 来源: 人民日报客户端 更新于: 2023-09-11 15:48:17") \
        == "永登县:深化“三链”建设发展壮大村级集体经济"
    assert _headline_text("2022 05/ 13 10:36 来源: 新华社 西藏2万余名干部“接力”驻村帮扶基层群众") \
        == "西藏2万余名干部“接力”驻村帮扶基层群众"
    assert _headline_text("来源:中国市场监管报") == ""


def test_a_headline_read_as_body_before_the_portal_lines_opens_the_one_article():
    text = ("【栏目】发挥党建优势，老字号国企续写华彩篇章\n\n"
            "21-04-03 16:32 来源：光明网 编辑：赵满同\n\n"
            "文/图 光明网记者 李政葳\n\n"
            "装配班班长隋毅，有着23年的党龄。他说，要干好每一件活。\n")
    articles = split_articles(Page("d", "d.txt", text, "utf-8"))
    assert len(articles) == 1
    assert articles[0].title.startswith("【栏目】发挥党建优势")
