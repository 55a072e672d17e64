"""kg.network.to_networkx and `kg export`: every format read back by a real consumer
(networkx for GraphML and GEXF, rdflib for JSON-LD, the csv module and pandas for CSV),
with node and edge counts equal to the graph's, counted independently with SPARQL and
equal to what the hand-made fixture graph (tests/handmade_graph.py) holds."""
from __future__ import annotations

import csv
from collections import Counter

import networkx as nx
import pytest
from rdflib import Graph

from handmade_graph import fixture_texts
from kg.cli import main
from kg.export import CSV_FILES, EDGE_COLUMNS, NODE_COLUMNS, STATISTIC_COLUMNS, export
from kg.network import MAIN_TYPES, RELATIONS, to_networkx

ID = "https://w3id.org/dangjian-kg/id/"
LANZHOU = ID + "division/620100"
CHENGGUAN = ID + "division/620102"
NUANXIN = ID + "program/暖心引领骑手融入"
# what the fixture holds: 44 entities, 49 relation edges, 7 statistics
FIXTURE_COUNTS = (44, 49, 7)
RELATION_COUNTS = {"within": 9, "locatedIn": 11, "subOrganizationOf": 6, "affiliatedWith": 4,
                   "implementedIn": 6, "runBy": 6, "targets": 5, "partOf": 2}

PREFIX = "PREFIX dj: <https://w3id.org/dangjian-kg/ontology#>\n"
TYPES = "VALUES ?t { " + " ".join(f"dj:{t}" for t in MAIN_TYPES) + " }"
RELS = "VALUES ?p { " + " ".join(f"dj:{r}" for r in RELATIONS) + " }"


def sparql_count(g, query: str) -> int:
    return int(next(iter(g.query(PREFIX + query)))[0])


@pytest.fixture(scope="module")
def counts(fixture_graph):
    """(entities, relation edges, statistics) of the fixture graph, counted with SPARQL."""
    nodes = sparql_count(fixture_graph, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {TYPES} ?e a ?t }}")
    edges = sparql_count(fixture_graph, f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
        {RELS} ?s ?p ?o . FILTER EXISTS {{ {TYPES} ?s a ?t }} FILTER EXISTS {{ {TYPES} ?o a ?t }} }} }}""")
    statistics = sparql_count(fixture_graph, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a dj:Statistic }")
    assert (nodes, edges, statistics) == FIXTURE_COUNTS
    return nodes, edges, statistics


@pytest.fixture(scope="module")
def network(fixture_graph):
    return to_networkx(fixture_graph)


@pytest.fixture(scope="module")
def exported(fixture_graph, tmp_path_factory):
    """{format: (ExportReport, path)} of the fixture graph exported in every format."""
    out = tmp_path_factory.mktemp("export")
    paths = {"graphml": out / "fixture.graphml", "gexf": out / "fixture.gexf",
             "jsonld": out / "fixture.jsonld", "csv": out / "fixture-csv"}
    return {fmt: (export(fixture_graph, fmt, path), path) for fmt, path in paths.items()}


def test_to_networkx_has_every_entity_and_relation(network, counts):
    nodes, edges, _ = counts
    assert (network.number_of_nodes(), network.number_of_edges()) == (nodes, edges)
    assert network.nodes[LANZHOU] == {"label": "兰州市", "type": "AdministrativeUnit", "kind": "Prefecture",
                                      "code": "620100", "aliases": "兰州", "mentions": 2, "articles": 1}
    assert network.nodes[ID + "division/620800"]["articles"] == 2          # 平凉市: both articles of fx02
    assert network.nodes[ID + "division/620802/上杨乡"] == {               # only the gazetteer names it
        "label": "上杨乡", "type": "AdministrativeUnit", "kind": "Township", "aliases": "",
        "mentions": 0, "articles": 0}
    assert network.nodes[NUANXIN] == {"label": "暖心引领骑手融入", "type": "Program", "kind": "Campaign",
                                      "aliases": "“暖心引领骑手融入”行动", "mentions": 1, "articles": 1}
    assert network.nodes[ID + "organization/小岔村党支部"]["kind"] == "PartyBranch"   # not PartyOrganization
    assert network.nodes[ID + "organization/崇信县交通运输局"]["kind"] == "GovernmentBody"
    assert network.nodes[ID + "person/文诚勇"]["kind"] == ""
    assert network.nodes[CHENGGUAN]["label"] == "城关区"
    assert network.has_edge(NUANXIN, CHENGGUAN, key="implementedIn")
    assert network.edges[NUANXIN, CHENGGUAN, "implementedIn"] == {"relation": "implementedIn", "weight": 1}
    assert sorted(network.out_edges(NUANXIN, keys=True)) == [
        (NUANXIN, CHENGGUAN, "implementedIn"), (NUANXIN, ID + "organization/兰州市委组织部", "runBy"),
        (NUANXIN, ID + "targetGroup/外卖骑手", "targets")]
    assert Counter(k for *_, k in network.edges(keys=True)) == RELATION_COUNTS
    for _, data in network.nodes(data=True):            # what GraphML and GEXF writers take
        assert all(isinstance(v, (str, int)) for v in data.values()), data


def test_to_networkx_keeps_only_the_types_asked_for(fixture_graph, network):
    kept = {"Organization", "Program", "AdministrativeUnit", "Place"}
    G = to_networkx(fixture_graph, types=kept)
    assert {d["type"] for _, d in G.nodes(data=True)} == kept
    assert G.number_of_nodes() == sum(1 for _, d in network.nodes(data=True) if d["type"] in kept) == 12 + 6 + 10 + 2
    assert G.number_of_edges() == sum(1 for u, v in network.edges() if u in G and v in G) == 38
    # gone: the 4 affiliatedWith (people), the 5 targets (groups), 2 locatedIn of facilities
    assert Counter(k for *_, k in G.edges(keys=True)) == {"within": 9, "locatedIn": 9, "subOrganizationOf": 6,
                                                          "implementedIn": 6, "runBy": 6, "partOf": 2}
    assert G.has_edge(NUANXIN, CHENGGUAN, key="implementedIn")
    with pytest.raises(ValueError, match="Organisation"):
        to_networkx(fixture_graph, types={"Organisation"})


def test_graphml_read_back_by_networkx(exported, network, counts):
    report, path = exported["graphml"]
    G = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    assert (G.number_of_nodes(), G.number_of_edges()) == counts[:2] == (report.nodes, report.edges)
    assert G.nodes[LANZHOU]["label"] == "兰州市" and G.nodes[LANZHOU]["code"] == "620100"
    assert dict(G.nodes(data=True)) == dict(network.nodes(data=True))
    assert Counter((u, v, d["relation"]) for u, v, d in G.edges(data=True)) \
        == Counter((u, v, k) for u, v, k in network.edges(keys=True))
    assert len({k for *_, k in G.edges(keys=True)}) == G.number_of_edges()     # edge ids are unique
    assert Counter(d["weight"] for *_, d in G.edges(data=True)) == WEIGHTS


# edges by the number of distinct articles stating them: the gazetteer's within edges 0, one
# edge (崇信县 within 平凉市) stated by two articles, every other by one
WEIGHTS = {0: 8, 1: 40, 2: 1}
PINGLIANG, CHONGXIN = ID + "division/620800", ID + "division/620823"


def test_gexf_read_back_by_networkx(exported, network, counts):
    report, path = exported["gexf"]
    G = nx.read_gexf(path)
    assert (G.number_of_nodes(), G.number_of_edges()) == counts[:2] == (report.nodes, report.edges)
    assert G.nodes[LANZHOU]["label"] == "兰州市" and G.nodes[LANZHOU]["code"] == "620100"
    assert G.nodes[LANZHOU]["kind"] == "Prefecture" and G.nodes[LANZHOU]["mentions"] > 0
    assert G.edges[NUANXIN, CHENGGUAN]["relation"] == "implementedIn"
    assert Counter(d["relation"] for *_, d in G.edges(data=True)) \
        == Counter(k for *_, k in network.edges(keys=True))
    assert Counter(int(d["weight"]) for *_, d in G.edges(data=True)) == WEIGHTS     # GEXF's own edge weight
    assert G.edges[CHONGXIN, PINGLIANG]["weight"] == 2.0
    assert b'label="within" weight="2"' in path.read_bytes()
    assert b"lastmodifieddate" not in path.read_bytes()      # no date stamp: the same graph, the same bytes


def test_jsonld_read_back_by_rdflib(exported, fixture_graph, counts):
    report, path = exported["jsonld"]
    g = Graph().parse(path, format="json-ld")
    assert set(g) == set(fixture_graph.triples((None, None, None)))   # every triple, nothing else
    assert len(g) == report.triples
    G = to_networkx(g)
    assert (G.number_of_nodes(), G.number_of_edges()) == counts[:2] == (report.nodes, report.edges)
    assert G.nodes[LANZHOU]["code"] == "620100" and G.has_edge(NUANXIN, CHENGGUAN, key="implementedIn")
    text = path.read_text(encoding="utf-8")
    assert '"dj": "https://w3id.org/dangjian-kg/ontology#"' in text and "兰州市" in text   # prefixes, no \u escapes


def read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_csv_read_back_by_the_csv_module_and_pandas(exported, counts):
    report, folder = exported["csv"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)
    assert all((folder / name).read_bytes().startswith(b"\xef\xbb\xbf") for name in CSV_FILES)   # BOM for Excel
    nodes, edges, statistics = (read_csv(folder / name) for name in CSV_FILES)
    assert (len(nodes), len(edges), len(statistics)) == counts == (report.nodes, report.edges, report.statistics)
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert tuple(statistics[0]) == STATISTIC_COLUMNS

    lanzhou = next(row for row in nodes if row["id"] == LANZHOU)
    assert (lanzhou["label"], lanzhou["code"], lanzhou["kind"]) == ("兰州市", "620100", "Prefecture")
    nuanxin = next(row for row in edges if (row["source"], row["relation"]) == (NUANXIN, "implementedIn"))
    assert nuanxin == {"source": NUANXIN, "source_label": "暖心引领骑手融入", "relation": "implementedIn",
                       "target": CHENGGUAN, "target_label": "城关区", "articles": "1", "evidence": "1",
                       "sentence": "兰州市委组织部在城关区推行“暖心引领骑手融入”行动，组织外卖骑手参与社区治理。",
                       "article": ID + "article/fx01_lanzhou/1", "article_title": "兰州市党建引领新就业群体融入基层治理",
                       "begin": "41", "end": "58", "derived_from": ""}
    assert [(r["value"], r["unit"], r["qualifier"], r["about_label"]) for r in statistics] == [
        ("120", "个", "", "兰州市"), ("3039", "人", "", "兰州市"), ("200", "名", "余", "兰州市"),
        ("300", "人", "余", "三找"), ("15", "个", "", "平凉市"),
        ("86", "件", "", "崇信县"), ("12000", "名", "余", "甘肃省")]            # by article, then offset
    members = next(row for row in statistics if row["value"] == "3039")
    assert (members["unit"], members["measure"], members["about_label"]) == ("人", "新发展党员", "兰州市")
    assert members["sentence"] == "2023年以来，兰州新发展党员3039人，其中骑手党员200余名。"
    assert (members["anchor"], members["period"]) == ("3039人", "2023年以来")
    assert members["article"] == ID + "article/fx01_lanzhou/1"
    assert members["article_title"] == "兰州市党建引领新就业群体融入基层治理"
    assert all(row["sentence"] and row["value"] and row["article"] for row in statistics)

    # each edge's evidence: the first statement node (with a sentence first), and the counts
    assert Counter(int(row["articles"]) for row in edges) == WEIGHTS
    shared = next(row for row in edges if (row["source"], row["relation"], row["target"]) == (CHONGXIN, "within", PINGLIANG))
    assert (shared["articles"], shared["evidence"], shared["article"], shared["derived_from"]) == (
        "2", "3", ID + "article/fx02_pingliang/1", "")     # two articles and the gazetteer; fx02_pingliang/1 first
    assert shared["sentence"] == "目前，平凉市已建成新就业群体服务站点15个，覆盖崆峒区、崇信县。"
    assert fixture_texts()["fx02_pingliang"][int(shared["begin"]):int(shared["end"])] == "平凉市已建成新就业群体服务站点15个，覆盖崆峒区、崇信县"
    gazetteer = next(row for row in edges if row["source_label"] == "上杨乡")
    assert (gazetteer["articles"], gazetteer["evidence"], gazetteer["sentence"], gazetteer["article"],
            gazetteer["derived_from"]) == ("0", "1", "", "", ID + "gazetteer")
    part = next(row for row in edges if (row["source_label"], row["relation"]) == ("骑手之家", "partOf"))
    assert (part["articles"], part["sentence"], part["article"], part["begin"]) == (
        "1", "兰州市委组织部指导酒泉路街道张掖路骑手驿站为骑手打造“骑手之家”品牌，骑手们常在中山桥开展志愿服务。",
        ID + "article/fx01_lanzhou/1", "165")               # no one sentence names both: the subject's
    assert sum(bool(row["sentence"]) for row in edges) == 42 - 1     # 42 statements with a sentence, two of one edge

    pd = pytest.importorskip("pandas")
    frames = {name: pd.read_csv(folder / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)
              for name in CSV_FILES}
    assert [len(frames[name]) for name in CSV_FILES] == list(counts)
    assert frames["nodes.csv"].set_index("id").loc[LANZHOU, "code"] == "620100"
    assert float(frames["statistics.csv"].set_index("id").loc[members["id"], "value"]) == 3039


def test_export_is_deterministic(exported, fixture_graph, tmp_path):
    """In this process; tests/test_determinism.py runs `kg export` under other hash seeds."""
    for fmt, (_, first) in exported.items():
        again = tmp_path / first.name
        export(fixture_graph, fmt, again)
        if fmt == "csv":
            assert all((again / n).read_bytes() == (first / n).read_bytes() for n in CSV_FILES)
        else:
            assert again.read_bytes() == first.read_bytes(), fmt
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for _, p in exported.values())  # no temp left
    # a csv export replaces an earlier one in place
    export(fixture_graph, "csv", again)
    assert sorted(p.name for p in again.iterdir()) == sorted(CSV_FILES)


def test_kg_export_command(fixture_outdir, exported, counts, tmp_path, capsys):
    outdir = fixture_outdir
    assert main(["export", str(outdir), "--format", "gexf", "-o", str(tmp_path / "g.gexf")]) == 0
    assert "44 nodes, 49 edges, 7 statistics" in capsys.readouterr().out
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == counts[0]
    # from OUTDIR (read from its files) the same bytes as from the Dataset
    assert (tmp_path / "g.gexf").read_bytes() == exported["gexf"][1].read_bytes()


def test_kg_export_bad_input(fixture_outdir, tmp_path, capsys):
    outdir = fixture_outdir
    assert main(["export", str(tmp_path / "missing"), "-f", "csv", "-o", str(tmp_path / "x")]) == 2
    assert "no graph file" in capsys.readouterr().err and not (tmp_path / "x").exists()

    with pytest.raises(SystemExit) as exit_:
        main(["export", str(outdir), "-f", "xlsx", "-o", str(tmp_path / "x")])
    assert exit_.value.code == 2 and "invalid choice: 'xlsx'" in capsys.readouterr().err

    # a csv export never replaces a folder of other files, e.g. the graph itself
    before = sorted(p.name for p in outdir.iterdir())
    assert main(["export", str(outdir), "-f", "csv", "-o", str(outdir)]) == 2
    assert "already holds other files" in capsys.readouterr().err
    assert sorted(p.name for p in outdir.iterdir()) == before

    assert main(["export", str(outdir), "-f", "graphml", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err

    with pytest.raises(ValueError, match="unknown format"):
        export(outdir, "xlsx", tmp_path / "x")


def test_to_networkx_reads_a_dataset_as_the_union_of_its_graphs(fixture_graph, network):
    from rdflib import Dataset
    plain = Dataset(store=fixture_graph.store)            # default_union=False: the default graph is empty
    G = to_networkx(plain)
    assert (G.number_of_nodes(), G.number_of_edges()) == (network.number_of_nodes(), network.number_of_edges())
    with pytest.raises(TypeError, match="OUTDIR path"):
        to_networkx(42)


def small_graph(*names: str, value: float = 3039, unit: str = "人"):
    """A built graph (GraphWriter → N-Quads → rdflib) with one organization per name,
    the first affiliated with the second, and one statistic about the first."""
    from rdflib import Dataset
    from kg.model import Entity, Statistic
    from kg.write import GraphWriter, serialize
    w = GraphWriter()
    a = w.add_article("doc", 0, names[0], [])
    g = w.graph_of("doc", 0)
    iris = [w.add_entity(Entity("Organization", name), g, a) for name in names]
    w.add_relation(g, iris[0], "affiliatedWith", iris[-1])
    st = Statistic(value=value, unit=unit, measure=names[-1], surface=names[0], start=0, end=4)
    sentence = w.add_sentence(g, a, "doc", 0, (0, len(names[0])), names[0])
    w.add_statistic(g, a, "doc", 0, st, (0, 4), sentence, iris[0])
    return Dataset(default_union=True).parse(data=serialize(w)["graph.nq"].decode(), format="nquads")


def test_csv_neutralizes_formulas_in_text_cells_but_not_in_numbers(tmp_path):
    formulas = ['=HYPERLINK("http://example.com/x","点击")', "@SUM(1)", "+1+2", "-2+3", "\t=1", "\r=1"]
    export(small_graph(*formulas, value=-3, unit="-"), "csv", tmp_path / "csv")
    nodes, edges, statistics = (read_csv(tmp_path / "csv" / name) for name in CSV_FILES)
    assert sorted(row["label"] for row in nodes) == sorted("'" + f for f in formulas)
    assert (edges[0]["source_label"], edges[0]["target_label"]) == ("'" + formulas[0], "'\r=1")
    (row,) = statistics
    assert row["value"] == "-3" and row["unit"] == "'-"            # a negative number stays a number
    assert (row["measure"], row["anchor"], row["about_label"], row["sentence"], row["article_title"]) \
        == ("'\r=1", "'" + formulas[0], "'" + formulas[0], "'" + formulas[0], "'" + formulas[0])
    assert all(row["mentions"] == "0" and row["articles"] == "1" for row in nodes)


def test_graphml_and_gexf_are_well_formed_whatever_the_names_hold(tmp_path):
    import xml.etree.ElementTree as ET
    names = ["控制\x01字符\x0b", "非字符\ufffe\uffff", "换行\r\n制表\t", "分隔\u2028\x85"]
    written = ["控制\ufffd字符\ufffd", "非字符\ufffd\ufffd", "换行\r\n制表\t", "分隔\u2028\x85"]
    g = small_graph(*names)
    export(g, "graphml", tmp_path / "g.graphml")
    export(g, "gexf", tmp_path / "g.gexf")
    for path in (tmp_path / "g.graphml", tmp_path / "g.gexf"):
        ET.parse(path)                                              # well-formed XML 1.0
    G = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == sorted(written)
    G = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == sorted(written)
    assert G.number_of_edges() == 1
