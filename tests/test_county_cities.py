"""Issue 18: county-level cities (县级市, codes ending 81–99) are counties, not special zones;
development zones (codes ending 71–80) stay special. The level follows from the code's
structure (kg.gazetteer._county_depth_level), for every county-depth entry."""
from __future__ import annotations

import pytest
from rdflib import RDF, Dataset, URIRef

from kg.build import build
from kg.gazetteer import Gazetteer

@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_the_four_county_level_cities_of_the_issue_are_counties(gaz):
    for name, code in (("诸暨市", "330681"), ("敦煌市", "620982"), ("义乌市", "330782"), ("都江堰市", "510181")):
        (city,) = [d for d in gaz.lookup(name) if d.name == name]
        assert (city.code, city.level) == (code, "county"), name
        assert len(gaz.ancestors(city)) == 2                  # under a prefecture: county depth


def test_every_county_depth_entry_takes_its_level_from_its_code(gaz):
    """In three provinces, every entry under a prefecture: 71–80 special, any other code a
    county; and there are entries of every range (so the test sees each one)."""
    seen = {"01-20": 0, "21-70": 0, "71-80": 0, "81-99": 0}
    for province in ("浙江省", "甘肃省", "四川省", "江苏省"):
        (top,) = [d for d in gaz.lookup(province) if d.name == province]
        for d in gaz.descendants(top, ("county", "special")):
            if len(gaz.ancestors(d)) != 2 or not d.code:
                continue
            tail = int(d.code[-2:])
            band = "01-20" if tail <= 20 else "21-70" if tail <= 70 else "71-80" if tail <= 80 else "81-99"
            seen[band] += 1
            assert d.level == ("special" if band == "71-80" else "county"), (d.name, d.code, d.level)
    assert all(seen.values()), seen


def test_a_built_graph_types_a_county_level_city_as_a_county(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zhuji.txt").write_text(
        "诸暨市推进“枫桥经验”\n\n近年来，浙江省诸暨市坚持和发展新时代“枫桥经验”，"
        "甘肃省兰州新区和敦煌市也派人前来学习。\n", encoding="utf-8")
    report = build([str(tmp_path / "in")], tmp_path / "out", jobs=1, cache=False)
    assert report.files == 1
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "out" / "graph.nq", format="nquads")
    division = "https://w3id.org/dangjian-kg/id/division/"

    def types(code: str) -> set[str]:
        return {str(t).rsplit("#", 1)[-1] for t in ds.objects(URIRef(division + code), RDF.type)}

    assert types("330681") == {"AdministrativeUnit", "County"}       # 诸暨市
    assert types("620982") == {"AdministrativeUnit", "County"}       # 敦煌市
    assert types("620171") == {"AdministrativeUnit", "SpecialZone"}  # 兰州新区
