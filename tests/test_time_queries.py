"""Issue 16's named queries over time, on the hand-made fixture graph (tests/handmade_graph.py:
fx01_lanzhou/1 issued 2024-05-20, fx02_pingliang/2 2025-03-15T09:30:00, fx02_pingliang/1 with
no date), on the three ways a graph is queried: rdflib, Oxigraph in memory, and an Oxigraph
store folder (`kg build --store`). Every expected row is one the fixture holds."""
from __future__ import annotations

import pytest

from rdflib import Literal, URIRef

from kg.query import OxigraphEngine, RdflibEngine, load_store, open_engine, run

PROGRAM = "https://w3id.org/dangjian-kg/id/program/"


@pytest.fixture(scope="module")
def engines(fixture_outdir, fixture_graph, tmp_path_factory):
    store = tmp_path_factory.mktemp("time-store") / "oxigraph"
    load_store(fixture_outdir / "graph.nq", store)
    return {"rdflib": RdflibEngine(fixture_graph),
            "oxigraph": OxigraphEngine.in_memory(fixture_outdir / "graph.nq"),
            "store": open_engine(store)}


@pytest.fixture(params=["rdflib", "oxigraph", "store"])
def engine(request, engines):
    return engines[request.param]


def table(result, *columns):
    return [tuple(row) for row in zip(*(result.column(c) for c in columns))]


def test_programs_first_seen_per_year_and_place(engine):
    """The year of the earliest dated article mentioning each program, with where it is carried
    out. 十个一 and 三找 are only in the undated article: not seen in any year."""
    r = run(engine, "programs_first_seen")
    assert table(r, "year", "place", "program", "first_issued", "articles") == [
        (2024, "城关区", "暖心引领骑手融入", "2024-05-20", 1),
        (2024, "酒泉路街道", "骑手之家", "2024-05-20", 1),
        (2025, "崇信县", "线上+线下", "2025-03-15T09:30:00", 1),
        (2025, "甘肃省", "三会一课", "2025-03-15T09:30:00", 1)]
    assert r.column("iri")[0] == PROGRAM + "暖心引领骑手融入"


def test_statistic_series_for_a_place_and_a_measure(engine):
    """Figures about a place or a division within it whose measure holds the words, in time
    order: by the end of the resolved period, else the article's date; undated last."""
    built = run(engine, "statistic_series", {"place": "甘肃省", "measure": "已建成"})
    assert table(built, "date", "value", "unit", "about", "issued", "article", "anchor") == [
        ("2024-05-20", 120, "个", "兰州市", "2024-05-20", "fx01_lanzhou/1", "120个"),
        (None, 15, "个", "平凉市", None, "fx02_pingliang/1", "15个")]             # the undated article
    (done,) = run(engine, "statistic_series", {"place": "崇信县", "measure": "货车司机"}).records()
    assert {k: done[k] for k in ("date", "value", "unit", "counted", "period", "year", "period_start",
                                 "period_end", "issued", "article")} == {
        "date": "2025-03-15", "value": 86, "unit": "件", "counted": "为货车司机办实事", "period": "今年以来",
        "year": "2025", "period_start": "2025-01-01", "period_end": "2025-03-15",
        "issued": "2025-03-15T09:30:00", "article": "fx02_pingliang/2"}
    members = run(engine, "statistic_series", {"place": "兰州", "measure": "党员"})    # an altLabel
    assert table(members, "value", "period", "year", "period_start", "period_end") == [
        (3039, "2023年以来", None, "2023-01-01", "2024-05-20"),          # two calendar years: no dj:year
        (200, None, None, None, None)]
    assert len(run(engine, "statistic_series", {"place": "甘肃省", "measure": "不存在的指标"})) == 0


def test_articles_per_month_by_prefecture(engine):
    """fx01_lanzhou/1 (May 2024) names 兰州市, 城关区, 酒泉路街道; fx02_pingliang/2 (March 2025)
    平凉市, 崇信县, 锦屏镇 and the province; fx02_pingliang/1 has no date."""
    r = run(engine, "articles_per_month")
    assert table(r, "month", "prefecture", "code", "articles") == [
        ("2024-05", "兰州市", "620100", 1), ("2025-03", "平凉市", "620800", 1)]


def test_the_time_queries_give_the_same_rows_everywhere(engines):
    for name, params in (("programs_first_seen", {}), ("articles_per_month", {}),
                         ("statistic_series", {"place": "甘肃省", "measure": "已建成"})):
        rows = [run(e, name, params).rows for e in engines.values()]
        assert rows[0] and rows[0] == rows[1] == rows[2], name


def test_a_graph_without_dates_gives_no_rows_over_time(tmp_path):
    """Only the undated article: no program is first seen in any year and no month has
    articles (rdflib would make one empty group of the programs_first_seen subquery: it must
    not become a row per program); the series is there, without dates."""
    from handmade_graph import ARTICLES, write_fixture_outdir
    from kg.outdir import load_outdir

    out = write_fixture_outdir(tmp_path / "out", [ARTICLES[1]])
    for engine in (RdflibEngine(load_outdir(out)), OxigraphEngine.in_memory(out / "graph.nq")):
        assert len(run(engine, "programs_first_seen")) == 0
        assert len(run(engine, "articles_per_month")) == 0
        series = run(engine, "statistic_series", {"place": "平凉市", "measure": "站点"})
        assert table(series, "date", "value", "article") == [(None, 15, "fx02_pingliang/1")]


# statistic_series as it read before it was written for Oxigraph's planner (sub-selects,
# OPTIONAL + FILTER(BOUND)): plain patterns, the reference its rows must equal.
PLAIN_STATISTIC_SERIES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dj:      <https://w3id.org/dangjian-kg/ontology#>
PREFIX nif:     <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?date ?value ?unit ?counted ?about ?period ?year ?period_start ?period_end ?issued ?article ?anchor
WHERE {
  ?top skos:prefLabel|skos:altLabel ?place ; a dj:AdministrativeUnit .
  ?division dj:within* ?top .
  ?statistic dj:about ?division ; dj:measure ?counted ; dj:value ?value ; dj:unit ?unit ;
             nif:anchorOf ?anchor ; nif:beginIndex ?begin ; dj:mentionedIn ?a .
  FILTER(CONTAINS(STR(?counted), STR(?measure)))
  ?division skos:prefLabel ?about .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?a dcterms:issued ?issued }
  OPTIONAL { ?statistic dj:period ?period }
  OPTIONAL { ?statistic dj:year ?year }
  OPTIONAL { ?statistic dj:periodStart ?period_start }
  OPTIONAL { ?statistic dj:periodEnd ?period_end }
  BIND(COALESCE(?period_end, ?issued) AS ?date)
  BIND(COALESCE(STR(?date), "~") AS ?when)
}
ORDER BY ?when ?article ?begin
"""


def test_statistic_series_equals_its_plain_form_on_odd_graphs(fixture_outdir, tmp_path):
    """The rewritten statistic_series gives the plain pattern's rows, on both engines, also
    where the graph is unlike what kg writes: a statistic in two articles (one undated), one
    without dj:value, one without an article."""
    from rdflib import Dataset, Namespace

    DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
    ds = Dataset(default_union=True)
    ds.parse(fixture_outdir / "graph.nq", format="nquads")
    statistics = sorted(set(ds.subjects(DJ.about, None)))
    articles = sorted(set(ds.objects(None, DJ.mentionedIn)) & set(ds.subjects(DJ.about, None)) |
                      set(ds.subjects(URIRef("http://purl.org/dc/terms/identifier"), None)))
    assert len(statistics) >= 3
    graph = ds.graph(URIRef("urn:x-test:odd"))
    first, second, third = statistics[:3]
    for article in articles:                        # every article, dated or not
        graph.add((first, DJ.mentionedIn, article))
    ds.remove((second, DJ.value, None, None))
    ds.remove((third, DJ.mentionedIn, None, None))
    odd = tmp_path / "odd.nq"
    ds.serialize(odd, format="nquads")
    engines = (RdflibEngine(ds), OxigraphEngine.in_memory(odd))
    for place, measure in (("甘肃省", Literal("")), ("兰州", "党员"), ("平凉市", "个"), ("甘肃省", "已建成")):
        params = {"place": place, "measure": measure}
        answers = [run(e, q, params).rows for e in engines
                   for q in ("statistic_series", "# param: place (label)\n# param: measure (string)\n"
                             + PLAIN_STATISTIC_SERIES)]
        assert answers[0] == answers[1] and sorted(answers[2], key=str) == sorted(answers[0], key=str), params
    assert len(run(engines[1], "statistic_series", {"place": "甘肃省", "measure": Literal("")})) > len(statistics) - 2
