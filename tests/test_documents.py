"""Documents: titles, documents a verb introduces, newspapers of bylines."""
from __future__ import annotations

from kg.find.documents import find_documents


def names(mentions):
    return [m.name for m in mentions]


def test_titles_keep_their_marks_and_drop_notes_in_aliases(doc_of):
    (m,) = find_documents(doc_of("以实施《兰州市加强党的基层组织建设三年行动计划(2024—2026年)》为抓手"))
    assert m.name == "《兰州市加强党的基层组织建设三年行动计划(2024—2026年)》"
    assert m.attrs["aliases"] == {"兰州市加强党的基层组织建设三年行动计划(2024—2026年)",
                                  "兰州市加强党的基层组织建设三年行动计划"}
    assert m.attrs["kind"] == "policy"


def test_every_title_but_a_game(doc_of):
    ms = find_documents(doc_of("建立《流出党员登记簿》和《流入党员登记簿》;创作《小岔的约定》短视频;"
                        "捐赠了《汉语词典》等书籍;共同开展了《爱的传递》等互动游戏。"))
    assert names(ms) == ["《流出党员登记簿》", "《流入党员登记簿》", "《小岔的约定》", "《汉语词典》"]


def test_documents_a_verb_introduces(doc_of):
    text = ("制定加强网格党建引领网格治理的意见;制定出台选优配强基层党组织干部队伍的意见和专职社区工作者队伍建设实施意见;"
            "编制完成并全面运行乡镇街道履行职责事项清单;印发四级责任清单;"
            "签订兰州市安宁区城市基层党建联盟共建协议;制定“壮美定西·志愿同行”十大志愿服务行动方案。")
    assert names(find_documents(doc_of(text))) == [
        "加强网格党建引领网格治理的意见", "选优配强基层党组织干部队伍的意见", "专职社区工作者队伍建设实施意见",
        "乡镇街道履行职责事项清单", "四级责任清单", "兰州市安宁区城市基层党建联盟共建协议",
        "“壮美定西·志愿同行”十大志愿服务行动方案"]


def test_documents_in_another_province(doc_of):
    text = "成都市制定出台《关于加强新就业群体党建工作的指导意见》,印发城乡社区发展治理三年行动方案。"
    assert names(find_documents(doc_of(text))) == ["《关于加强新就业群体党建工作的指导意见》", "城乡社区发展治理三年行动方案"]


def test_generic_measures_and_lists_are_not_documents(doc_of):
    text = ("制定47条具体推进措施;制定有效措施;村(社区)制定依法履职、协助政府、不应承担的事项3张清单;"
            "新修订的《中国共产党纪律处分条例》。")
    assert names(find_documents(doc_of(text))) == ["《中国共产党纪律处分条例》"]


def test_newspaper_of_a_byline_is_one_entity_with_the_title(doc_of):
    (byline,) = find_documents(doc_of("新甘肃·甘肃日报记者 田丽媛"))
    (title,) = find_documents(doc_of("在《甘肃日报》、甘肃机关党建网等平台宣传"))
    assert byline.name == title.name == "《甘肃日报》"
    assert byline.surface == "甘肃日报" and "新甘肃·甘肃日报" in byline.attrs["aliases"]
    assert names(find_documents(doc_of("四川日报全媒体记者 张三"))) == ["《四川日报》"]


def test_an_agreement_is_a_document_only_when_named(doc_of):
    text = "合作社与某食品公司签订保底收购协议;双方签订合作协议;签订湖州市吴兴区城乡党建联盟共建协议;签订“村企结对”帮扶协议。"
    assert names(find_documents(doc_of(text))) == ["湖州市吴兴区城乡党建联盟共建协议", "“村企结对”帮扶协议"]
