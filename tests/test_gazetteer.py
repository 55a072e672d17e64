"""The gazetteer: JioNLP's china_location parsed, cleaned, cached and looked up."""
from __future__ import annotations

import os
import time

import pytest

from kg.gazetteer import Division, Gazetteer, WordSet


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


SMALL = ("甘肃省\t620000\t甘肃\r\n"
         "\t兰州市\t620100\t兰州\r\n"
         "\t\t城关区\t620102\t城关\r\n"
         "\t\t\t酒泉路街道\r\n"
         "\t\t\t\t正宁路社区\r\n"
         "\t\t兰州新区\t620171\t新区\r\n"
         "上海市\t310000\t上海\r\n"
         "\t上海市\t310000\t上海\r\n"
         "\t\t浦东新区\t310115\t浦东\r\n"
         "\t\t\t陆家嘴街道\r\n"
         "\t\t\t\t虚拟社区\r\n")


@pytest.fixture
def small_source(tmp_path):
    path = tmp_path / "china_location.txt"
    path.write_text(SMALL, encoding="utf-8")
    return path


def one(gaz: Gazetteer, name: str) -> Division:
    found = gaz.lookup(name)
    assert len(found) == 1, found
    return found[0]


def test_lanzhou_short_form_code_level_parent(gaz):
    lanzhou = one(gaz, "兰州")
    assert (lanzhou.name, lanzhou.code, lanzhou.level, lanzhou.short) == ("兰州市", "620100", "prefecture", "兰州")
    assert gaz.parent(lanzhou).name == "甘肃省"
    assert gaz.get(lanzhou.id) == lanzhou


def test_path_is_province_first_and_ancestors_parent_first(gaz):
    guazhou = one(gaz, "瓜州县")
    assert [d.name for d in gaz.path(guazhou)] == ["甘肃省", "酒泉市", "瓜州县"]
    assert [d.name for d in gaz.ancestors(guazhou)] == ["酒泉市", "甘肃省"]
    assert gaz.ancestors(one(gaz, "甘肃省")) == []


def test_children_named_picks_the_village_under_its_township(gaz):
    assert len(gaz.lookup("小岔村")) > 1                      # several villages of that name
    kongtong = one(gaz, "崆峒区")
    (xiaocha,) = gaz.children_named(kongtong, "小岔村")      # descendants at any depth
    assert gaz.parent(xiaocha).name == "上杨乡"
    assert gaz.children_named(one(gaz, "上杨乡"), "小岔村") == [xiaocha]
    assert gaz.children_named(one(gaz, "瓜州县"), "小岔村") == []


def test_levels_and_official_parents(gaz):
    assert one(gaz, "阿拉善右旗").level == "county"
    assert gaz.parent(one(gaz, "阿拉善右旗")).name == "阿拉善盟"
    assert gaz.parent(one(gaz, "舟曲县")).name == "甘南藏族自治州"
    assert one(gaz, "上杨乡").level == "township"
    xinqu = one(gaz, "兰州新区")
    assert (xinqu.level, xinqu.code, gaz.parent(xinqu).name) == ("special", "620171", "兰州市")
    assert xinqu.short is None                                 # 新区 is no safe short form
    assert gaz.lookup("新区") == []


def test_pseudo_levels_are_dropped(gaz):
    # the repeated name of a municipality: 浦东新区 lies right under 上海市
    shanghai = one(gaz, "上海")
    assert shanghai.level == "province"
    pudong = one(gaz, "浦东新区")
    assert gaz.parent(pudong) == shanghai
    # 市直辖行政区划: 嘉峪关's towns lie right under the city
    assert gaz.lookup("市直辖行政区划") == []
    assert {gaz.parent(d).name for d in gaz.lookup("峪泉镇")} == {"嘉峪关市"}
    assert gaz.lookup("虚拟社区") == []


def test_source_names_the_file_and_its_hash(gaz):
    assert gaz.source().startswith("jionlp ")
    assert "china_location.txt sha256:" in gaz.source()


def test_warm_load_is_fast(gaz):
    t = time.perf_counter()
    again = Gazetteer.load()
    assert again.from_cache
    assert time.perf_counter() - t < 2.0          # < 1 s on the reference machine; slack for CI


def test_cache_is_written_then_used(tmp_path, small_source):
    cache = tmp_path / "cache"
    first = Gazetteer.load(cache, source=small_source)
    assert not first.from_cache
    assert first.cache_file.exists() and first.cache_file.parent == cache
    assert not list(cache.glob("*.tmp"))                 # written atomically
    second = Gazetteer.load(cache, source=small_source)
    assert second.from_cache
    assert [d.name for d in second.path(one(second, "正宁路社区"))] == \
        ["甘肃省", "兰州市", "城关区", "酒泉路街道", "正宁路社区"]
    assert gaz_names(second) == gaz_names(first)
    assert second.source() == first.source() and "sha256:" in first.source()


def gaz_names(g: Gazetteer) -> list[str]:
    return [g.get(i).name for i in range(len(g))]


def test_cache_is_keyed_by_the_source(tmp_path, small_source):
    cache = tmp_path / "cache"
    Gazetteer.load(cache, source=small_source)
    small_source.write_text(SMALL + "\t\t榆中县\t620123\t榆中\r\n", encoding="utf-8")
    changed = Gazetteer.load(cache, source=small_source)
    assert not changed.from_cache
    assert one(changed, "榆中").name == "榆中县"
    assert len(list(cache.glob("gazetteer-*.marshal"))) == 2


def test_a_broken_cache_is_rebuilt(tmp_path, small_source):
    cache = tmp_path / "cache"
    first = Gazetteer.load(cache, source=small_source)
    first.cache_file.write_bytes(b"not marshal")
    again = Gazetteer.load(cache, source=small_source)
    assert not again.from_cache and one(again, "兰州").code == "620100"
    assert Gazetteer.load(cache, source=small_source).from_cache


def test_cache_dir_from_environment(tmp_path, small_source, monkeypatch):
    monkeypatch.setenv("DANGJIAN_KG_CACHE", str(tmp_path / "env-cache"))
    g = Gazetteer.load(source=small_source)
    assert g.cache_file.parent == tmp_path / "env-cache" and g.cache_file.exists()


def test_small_source_cleaning(tmp_path, small_source):
    g = Gazetteer.load(tmp_path, source=small_source)
    assert one(g, "浦东").parent == one(g, "上海市").id     # 上海市/上海市 collapsed
    assert g.lookup("虚拟社区") == []
    assert one(g, "兰州新区").level == "special"
    assert os.path.basename(str(small_source)) in g.source()


def test_a_development_zone_has_its_city_short_form(gaz):
    """成都高新技术产业开发区 is written 成都高新区."""
    (d,) = [x for x in gaz.lookup("成都高新区") if x.name == "成都高新技术产业开发区"]
    assert gaz.parent(d).name == "成都市"


def test_names_repeated_and_written_after_their_county(tmp_path):
    """ids() in file order for a repeated name; a township named with its county's short
    form (城关东岗镇) is found by the rest (东岗镇) too; a name's ends are not names."""
    path = tmp_path / "china_location.txt"
    path.write_text("甘肃省\t620000\t甘肃\n"
                    "\t兰州市\t620100\t兰州\n"
                    "\t\t城关区\t620102\t城关\n"
                    "\t\t\t城关东岗镇\n"
                    "\t\t\t\t新村\n"
                    "\t\t\t东岗镇\n"
                    "\t\t\t\t新村\n", encoding="utf-8")
    g = Gazetteer.load(tmp_path / "cache", source=path)
    villages = g.ids("新村")
    assert len(villages) == 2 and villages == sorted(villages)
    assert [g.get(i).name for i in g.ids("东岗镇")] == ["东岗镇", "城关东岗镇"]
    assert [g.get(i).name for i in g.ids("城关东岗镇")] == ["城关东岗镇"]
    assert g.ids("岗镇") == [] and g.ids("") == [] and g.ids("兰州市x") == []
    again = Gazetteer.load(tmp_path / "cache", source=path)
    assert again.from_cache and again.ids("东岗镇") == g.ids("东岗镇")


def test_word_set_is_a_compact_frozenset():
    words = ["确定", "今天", "山地", "确定", "天水平原"]
    ws = WordSet(WordSet.pack(words))
    assert len(ws) == 4 and set(ws) == set(words)
    assert all(w in ws for w in words)
    assert "定西" not in ws and "" not in ws and "确" not in ws and 3 not in ws
    empty = WordSet(WordSet.pack([]))
    assert len(empty) == 0 and list(empty) == [] and "确定" not in empty
