"""Hand corrections (`kg build --curation`, kg/curate.py, docs/curation.md): each operation on
real text built into a graph, its provenance, bad rows, the input folder's curation.tsv,
determinism, and `kg validate` on the result."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from conftest import ROOT, SEEDS

DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
ID = Namespace("https://w3id.org/dangjian-kg/id/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
BUILD_GRAPH = ID["graph/build"]

ARTICLES = {
    "wushan.txt": "武山县：“有事找书记”打通服务群众最后一公里\n\n"
                  "本报天水讯 近年来，天水市武山县委组织部在全县推行“有事找书记”工作机制，"
                  "城关镇南关社区党委书记王小红带领党员为群众办实事。\n"
                  "南关社区党群服务中心设立“红色驿站”，服务外卖骑手和快递员等新就业群体。"
                  "2024年，全县共建成党群服务中心120个，覆盖群众3.5万人。\n"
                  "武山县委组织部还联合县总工会开展“暖蜂行动”，为外卖骑手送去关怀。\n",
    "gangu.txt": "甘谷县开展“暖蜂行动”关爱新就业群体\n\n"
                 "本报天水讯 天水市甘谷县委组织部开展“暖蜂行动”，为快递员和外卖骑手提供休息场所。"
                 "截至目前，甘谷县已建成暖蜂驿站35个。\n"
                 "县委组织部负责人李明表示，将持续推进“有事找书记”机制。\n",
}


def write_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def tsv(path: Path, *rows: str) -> Path:
    path.write_text("op\tentity\tvalue\tnote\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pipeline(gazetteer, segmenter):
    from kg.build import Pipeline
    return lambda: Pipeline(gazetteer, segmenter)


def build(pipeline, tmp_path: Path, rows: tuple[str, ...] | None, jobs: int = 1):
    """(report, dataset, union graph) of the two articles built with a curation file of ROWS
    (None: no curation file)."""
    from kg.build import build as kg_build
    inputs = write_inputs(tmp_path / "in")
    curation = tsv(tmp_path / "fix.tsv", *rows) if rows is not None else None
    out = tmp_path / "out"
    report = kg_build([str(inputs)], out, pipeline=pipeline(), jobs=jobs, curation=curation)
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return report, ds, Graph().parse(out / "graph.ttl", format="turtle")


def labelled(graph: Graph, label: str) -> set:
    return set(graph.subjects(SKOS.prefLabel, Literal(label, lang="zh")))


def node(graph: Graph, label: str) -> URIRef:
    (found,) = labelled(graph, label)
    return found


def mentions_of(graph: Graph, entity) -> set[str]:
    return {str(graph.value(m, NIF.anchorOf)) for m in graph.subjects(DJ.refersTo, entity)}


def edges(graph: Graph, predicate: str) -> set[tuple[str, str]]:
    return {(str(graph.value(s, SKOS.prefLabel)), str(graph.value(o, SKOS.prefLabel)))
            for s, o in graph.subject_objects(DJ[predicate])}


def influenced(ds: Dataset, entity) -> list[tuple[int, str]]:
    """(line, label) of the curation rows ENTITY was prov:wasInfluencedBy, in the build's graph."""
    g = ds.graph(BUILD_GRAPH)
    return sorted((int(g.value(row, DJ.lineNumber)), str(g.value(row, RDFS.label)))
                  for row in g.objects(entity, PROV.wasInfluencedBy))


def test_without_curation_the_graph_has_the_entities_to_correct(pipeline, tmp_path):
    """What the tests below correct is there to begin with (so that they test the corrections)."""
    report, ds, g = build(pipeline, tmp_path, None)
    assert labelled(g, "红色驿站") and labelled(g, "李明") and labelled(g, "武山县总工会")
    assert ("暖蜂行动", "武山县总工会") in edges(g, "runBy")
    assert (node(g, "暖蜂行动"), RDF.type, DJ.Program) in g
    assert "curation" not in report.summary()
    assert not list(ds.graph(BUILD_GRAPH).subjects(RDF.type, DJ.CurationRow))


def test_merge_moves_mentions_relations_and_names(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("merge\t红色驿站\t南关社区党群服务中心\tthe station is in the centre",))
    assert not labelled(g, "红色驿站")
    assert (ID["facility/红色驿站"], None, None) not in g and (None, None, ID["facility/红色驿站"]) not in g
    centre = node(g, "南关社区党群服务中心")
    assert (centre, SKOS.altLabel, Literal("红色驿站", lang="zh")) in g
    assert {"南关社区党群服务中心", "“红色驿站”"} <= mentions_of(g, centre)    # the station's mention is the centre's
    # both were located in 南关社区 in the same article: one edge, one evidence node
    assert ("南关社区党群服务中心", "南关社区") in edges(g, "locatedIn")
    assert not [s for s, o in edges(g, "locatedIn") if s == "红色驿站"]
    statements = [st for st in g.subjects(RDF.subject, centre) if g.value(st, RDF.predicate) == DJ.locatedIn
                  and g.value(st, RDF.object) == node(g, "南关社区")]
    assert len(statements) == 1
    assert influenced(ds, centre) == [(2, "merge 红色驿站 南关社区党群服务中心")]
    row = ds.graph(BUILD_GRAPH).value(centre, PROV.wasInfluencedBy)
    assert ds.graph(BUILD_GRAPH).value(row, RDFS.comment) == Literal("the station is in the centre")
    assert report.summary()["curation"][0]["applied"] == 1


def test_rename_gives_a_new_preflabel_and_keeps_the_old(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("rename\t武山县总工会\t武山县总工会委员会",))
    renamed = node(g, "武山县总工会委员会")
    assert renamed == ID["organization/武山县总工会委员会"]
    assert (renamed, SKOS.altLabel, Literal("武山县总工会", lang="zh")) in g
    assert not labelled(g, "武山县总工会")
    assert ("暖蜂行动", "武山县总工会委员会") in edges(g, "runBy")
    assert mentions_of(g, renamed)
    assert influenced(ds, renamed) == [(2, "rename 武山县总工会 武山县总工会委员会")]


def test_retype_changes_the_class_and_leaves_out_relations_it_no_longer_fits(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("retype\tProgram:暖蜂行动\tdj:Platform",))
    platform = node(g, "暖蜂行动")
    assert platform == ID["platform/暖蜂行动"]
    assert (platform, RDF.type, DJ.Platform) in g and (platform, RDF.type, DJ.Program) not in g
    assert (None, None, ID["program/暖蜂行动"]) not in g and (ID["program/暖蜂行动"], None, None) not in g
    # runBy, targets and implementedIn are a program's: left out, and said so
    assert "暖蜂行动" not in {s for p in ("runBy", "targets", "implementedIn") for s, _ in edges(g, p)}
    assert ("有事找书记", "武山县委组织部") in edges(g, "runBy")
    assert mentions_of(g, platform) == {"“暖蜂行动”"}          # both articles' mentions
    warnings = [str(p) for p in report.problems if "left out" in str(p)]
    assert any("runBy" in w for w in warnings) and all("fix.tsv" in w for w in warnings)
    assert influenced(ds, platform) == [(2, "retype Program:暖蜂行动 dj:Platform")]


def test_drop_removes_the_entity_its_relations_and_statistics_about(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("drop\t李明\t\tnot a person of the story",
                                               "drop\tid:division/620523",))
    assert not labelled(g, "李明") and not labelled(g, "甘谷县")
    assert (ID["division/620523"], None, None) not in g and (None, None, ID["division/620523"]) not in g
    assert not [s for s, o in edges(g, "affiliatedWith") if s == "李明"]
    stat = next(s for s in g.subjects(RDF.type, DJ.Statistic) if str(g.value(s, NIF.anchorOf)) == "35个")
    assert g.value(stat, DJ.about) is None                       # the statistic stays, about nothing
    assert report.entities["Person"] == 1 and report.statistics == 3
    rows = ds.graph(BUILD_GRAPH)
    assert {str(rows.value(r, RDFS.label)) for r in rows.subjects(RDF.type, DJ.CurationRow)} == \
        {"drop 李明", "drop id:division/620523"}
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["entities"]["AdministrativeUnit"] == \
        report.entities["AdministrativeUnit"]


def test_add_alias_adds_a_label_and_moves_no_mention(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("add-alias\t外卖骑手\t快递员",
                                               "add-alias\t有事找书记\t“有事找书记”工作法"))
    riders = node(g, "外卖骑手")
    assert (riders, SKOS.altLabel, Literal("快递员", lang="zh")) in g
    # 快递员 stays an entity of its own, with its mentions: a note says how to fold it in
    assert mentions_of(g, node(g, "快递员")) == {"快递员"}
    note = [str(p) for p in report.problems if "line 2" in str(p)]
    assert note == ["%s: warning: line 2: add-alias: TargetGroup:快递员 is another entity, whose mentions "
                    "stay its own; merge it into '外卖骑手' to fold them in" % (tmp_path / "fix.tsv")]
    assert (node(g, "有事找书记"), SKOS.altLabel, Literal("“有事找书记”工作法", lang="zh")) in g
    assert report.summary()["curation"][0]["applied"] == 2


def test_bad_rows_are_named_skipped_and_the_rest_applied(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, (
        "mrege\t红色驿站\t南关社区党群服务中心",       # line 2: unknown op
        "drop\t武山县委组职部",                       # line 3: no such entity
        "retype\t红色驿站\tPlac",                     # line 4: unknown type
        "retype\t红色驿站\tAdministrativeUnit",       # line 5: not a target
        "rename\t王小红",                             # line 6: no value
        "drop\t李明",                                 # line 7: fine
    ))
    path = str(tmp_path / "fix.tsv")
    problems = {str(p).split(": line ")[1].split(":")[0]: str(p) for p in report.problems if "line" in str(p)}
    assert problems["2"] == (f"{path}: line 2: mrege: unknown op (one of merge, rename, retype, drop, "
                             "add-alias); did you mean merge?; row skipped")
    assert problems["3"].startswith(f"{path}: line 3: drop: no entity named '武山县委组职部'; did you mean 武山县委组织部")
    assert problems["4"] == (f"{path}: line 4: retype: unknown type 'Plac': one of Place, Organization, Program, "
                             "Person, TargetGroup, Facility, Platform, Document; did you mean Place?; row skipped")
    assert problems["5"] == (f"{path}: line 5: retype: no retype to AdministrativeUnit: divisions come from the "
                             "gazetteer, with their codes and parents (merge '红色驿站' into the division instead); "
                             "row skipped")
    assert problems["6"] == f"{path}: line 6: rename: no value (column 3); row skipped"
    assert "7" not in problems
    assert not labelled(g, "李明") and labelled(g, "红色驿站") and labelled(g, "王小红")
    assert [(c["applied"], c["skipped"]) for c in report.summary()["curation"]] == [(1, 5)]


def test_a_label_of_two_types_needs_the_type(pipeline, tmp_path):
    """南关社区 names a village; 南关社区党委 an organization: a made ambiguity by renaming."""
    report, ds, g = build(pipeline, tmp_path, ("rename\t南关社区党委\t城关镇",        # an Organization now named 城关镇
                                               "drop\t城关镇",                         # two entities: refused
                                               "drop\tOrganization:城关镇"))           # the type says which
    path = str(tmp_path / "fix.tsv")
    assert f"{path}: line 3: drop: '城关镇' names 2 entities (AdministrativeUnit:城关镇, Organization:城关镇); " \
           "write Type:label or the IRI; row skipped" in [str(p) for p in report.problems]
    assert len(labelled(g, "城关镇")) == 1 and (node(g, "城关镇"), RDF.type, DJ.AdministrativeUnit) in g


def test_curation_tsv_at_the_top_of_an_input_folder_is_applied(pipeline, tmp_path):
    from kg.build import build as kg_build
    inputs = write_inputs(tmp_path / "in")
    tsv(inputs / "curation.tsv", "drop\t李明")
    extra = tsv(tmp_path / "more.tsv", "rename\t王小红\t王晓红")
    missing = tmp_path / "missing.tsv"
    # the folder's file named again is applied once; a file that is not there is said, and the build goes on
    report = kg_build([str(inputs)], tmp_path / "out", pipeline=pipeline(),
                      curation=[extra, inputs / "curation.tsv", missing])
    assert report.files == 2
    assert [str(p) for p in report.problems] == [f"{missing}: cannot read the curation file: No such file or directory"]
    assert [c["file"] for c in report.summary()["curation"]] == [str(inputs / "curation.tsv"), str(extra)]
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert not labelled(g, "李明") and labelled(g, "王晓红")
    titles = {str(t) for t in g.subjects(RDF.type, PROV.Entity) for t in g.objects(t, DCTERMS.title)}
    assert titles == {"curation.tsv", "more.tsv"}


def test_provenance_names_the_file_and_its_digest_and_the_graph_validates(pipeline, tmp_path):
    from kg.validate import default_ontology_dir, validate_outdir
    rows = ("merge\t红色驿站\t南关社区党群服务中心", "rename\t武山县总工会\t武山县总工会委员会",
            "retype\t暖蜂行动\tPlatform", "drop\t李明", "drop\t甘谷县", "add-alias\t外卖骑手\t骑手")
    report, ds, g = build(pipeline, tmp_path, rows)
    digest = hashlib.sha256((tmp_path / "fix.tsv").read_bytes()).hexdigest()
    prov = ds.graph(BUILD_GRAPH)
    (activity,) = prov.objects(ID["build"], PROV.wasInformedBy)
    assert activity == ID[f"curation/{digest[:20]}"] and (activity, RDF.type, PROV.Activity) in prov
    (file,) = prov.objects(activity, PROV.used)
    assert prov.value(file, DJ.sha256) == Literal(digest) and prov.value(file, DCTERMS.title) == Literal("fix.tsv")
    lines = sorted(int(prov.value(r, DJ.lineNumber)) for r in prov.subjects(DCTERMS.isPartOf, file))
    assert lines == [2, 3, 4, 5, 6, 7]
    assert report.summary()["curation"] == [{"file": str(tmp_path / "fix.tsv"), "sha256": digest,
                                            "applied": 6, "skipped": 0}]
    result = validate_outdir(tmp_path / "out", default_ontology_dir())
    assert result.conforms, result.violations[:5]


def test_curated_builds_are_byte_identical_across_processes_and_jobs(tmp_path):
    inputs = write_inputs(tmp_path / "in")
    tsv(inputs / "curation.tsv", "merge\t红色驿站\t南关社区党群服务中心", "drop\t甘谷县",
        "retype\t暖蜂行动\tPlatform", "add-alias\t外卖骑手\t骑手", "rename\t武山县总工会\t县总工会")
    outs = []
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(inputs), "-o", str(out), "-q", "-j", jobs],
                       check=True, env=env, capture_output=True, cwd=tmp_path)
        outs.append(out)
    for name in ("graph.ttl", "graph.trig", "graph.nq", "summary.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert json.loads((outs[0] / "summary.json").read_text())["curation"][0]["applied"] == 5


def test_kg_build_takes_curation_on_the_command_line(tmp_path):
    """`kg build --curation FILE`: printed in the build's lines, its bad row on stderr."""
    inputs = write_inputs(tmp_path / "in")
    fix = tsv(tmp_path / "fix.tsv", "drop\t李明", "drop\t没有这个人")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(inputs), "-o", str(tmp_path / "out"),
                           "-q", "-j", "1", "--curation", str(fix)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"curation: {fix} (sha256 {hashlib.sha256(fix.read_bytes()).hexdigest()[:12]}…): " \
           "1 row(s) applied, 1 skipped" in done.stdout
    assert f"kg: {fix}: line 3: drop: no entity named '没有这个人'" in done.stderr
    help_text = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--help"], capture_output=True,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert "--curation" in help_text and "docs/curation.md" in help_text


def test_relation_classes_are_the_ontologys():
    from kg.curate import relation_classes
    classes = relation_classes()
    assert classes["within"] == ({"AdministrativeUnit"}, {"AdministrativeUnit"})
    assert classes["locatedIn"] == ({"Organization", "Facility", "Place"}, {"AdministrativeUnit"})
    assert classes["targets"][1] == {"TargetGroup"}



def test_the_documented_example_applies_to_the_seeds(seeds_build, gazetteer, segmenter, tmp_path):
    """docs/curation.example.tsv on the seeds: every row applied with nothing to say, the graph
    valid, the corrections in it."""
    from kg.build import Pipeline, build as kg_build
    from kg.validate import default_ontology_dir, validate_outdir
    example = ROOT / "docs" / "curation.example.tsv"
    assert example.read_text(encoding="utf-8") in (ROOT / "docs" / "curation.md").read_text(encoding="utf-8")
    report = kg_build([str(SEEDS)], tmp_path / "out", pipeline=Pipeline(gazetteer, segmenter), curation=example)
    assert report.problems == seeds_build[0].problems == []
    assert report.summary()["curation"][0]["applied"] == 6
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert not labelled(g, "四强") and not labelled(g, "《汉语词典》") and not labelled(g, "兰州新区城投集团")
    assert (node(g, "四强党支部"), SKOS.altLabel, Literal("四强", lang="zh")) in g
    assert (node(g, "《甘肃日报》"), RDF.type, DJ.Organization) in g
    assert report.entities["Document"] == seeds_build[0].entities["Document"] - 2
    assert validate_outdir(tmp_path / "out", default_ontology_dir()).conforms


def test_a_curation_file_takes_the_extractions_from_the_cache(pipeline, tmp_path):
    """Curation comes after extraction: adding a curation file to a rebuild extracts nothing afresh."""
    from kg.build import build as kg_build
    inputs = write_inputs(tmp_path / "in")
    first = kg_build([str(inputs)], tmp_path / "out", pipeline=pipeline())
    assert first.extracted == 2
    again = kg_build([str(inputs)], tmp_path / "out", pipeline=pipeline(),
                     curation=tsv(tmp_path / "fix.tsv", "drop\t李明"))
    assert (again.extracted, again.from_cache) == (0, 2)
    assert again.summary()["curation"][0]["applied"] == 1
    assert not labelled(Graph().parse(tmp_path / "out" / "graph.ttl"), "李明")


def test_the_shapes_check_the_curation_provenance():
    """A row without its line or file, and a file whose digest is not one, break the shapes."""
    from kg.validate import default_ontology_dir, validate_graph
    g = Graph()
    row, file = ID["curation/x/line/2"], ID["curation/x/file"]
    g.add((row, RDF.type, DJ.CurationRow))
    g.add((file, RDF.type, PROV.Entity))
    g.add((file, DCTERMS.title, Literal("fix.tsv")))
    g.add((file, DJ.sha256, Literal("not-a-digest")))
    found = {(str(v.focus), str(v.path)) for v in validate_graph(g, default_ontology_dir()).violations}
    assert found == {(str(row), str(DJ.lineNumber)), (str(row), str(DCTERMS.isPartOf)),
                     (str(file), str(DJ.sha256))}
    g.add((row, DJ.lineNumber, Literal(2)))
    g.add((row, DCTERMS.isPartOf, file))
    g.set((file, DJ.sha256, Literal("0" * 64)))
    assert validate_graph(g, default_ontology_dir()).conforms


def test_rename_to_another_entitys_name_is_refused_but_not_for_a_division(pipeline, tmp_path):
    report, ds, g = build(pipeline, tmp_path, ("rename\t武山县委组织部\t甘谷县委组织部",     # one IRI for two
                                               "rename\t城关镇\t南关社区"))                 # divisions: by code
    path = str(tmp_path / "fix.tsv")
    assert [str(p) for p in report.problems if "line" in str(p)] == [
        f"{path}: line 2: rename: Organization:甘谷县委组织部 is another entity; merge '武山县委组织部' into it "
        "to make them one; row skipped"]
    assert labelled(g, "武山县委组织部") and len(labelled(g, "南关社区")) == 2


def test_a_curated_summary_counts_what_kg_stats_counts(pipeline, tmp_path):
    # the summary counts the corrected graph's distinct entities and edges (kg.counts.tally),
    # not the extraction's: a merge and a drop change both
    from kg.counts import graph_counts
    from kg.model import ENTITY_TYPES, RELATIONS

    report, _, _ = build(pipeline, tmp_path, ("merge\t红色驿站\t南关社区党群服务中心", "drop\t李明"))
    stats = graph_counts(tmp_path / "out")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["entities"] == {t: stats.classes[t] for t in ENTITY_TYPES if stats.classes.get(t)}
    assert summary["relations"] == {r: stats.relations[r] for r in sorted(RELATIONS) if stats.relations[r]}
    assert dict(report.relations) == summary["relations"]
