"""End to end: `kg build` on the seeds, real content, determinism, atomic output, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rdflib import Literal, Namespace
from rdflib.namespace import RDF, SKOS

from conftest import EVAL, GOLD, ROOT, SCORER, SEEDS

DJ = Namespace("https://w3id.org/dangjian-kg/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
KG = [sys.executable, "-m", "kg.cli"]


def node(graph, name: str):
    """The node whose preferred label is `name`."""
    (found,) = set(graph.subjects(SKOS.prefLabel, Literal(name, lang="zh")))
    return found


def test_build_reports_what_it_read(seeds_build):
    report, out = seeds_build
    assert report.files == 5
    assert report.articles >= 12
    assert report.problems == []
    assert report.entities["Program"] > 50 and report.statistics > 150
    assert {p.name for p in out.iterdir()} == {"graph.ttl", "graph.trig", "graph.nq", "summary.json", ".kg-build.json",
                                          ".kg-cache"}


def test_divisions_have_codes_and_hierarchy(seeds_graph):
    lanzhou = node(seeds_graph, "兰州市")
    assert (lanzhou, DJ.divisionCode, Literal("620100")) in seeds_graph
    assert (lanzhou, DJ.within, node(seeds_graph, "甘肃省")) in seeds_graph


def test_program_with_place_and_evidence(seeds_graph):
    q = """
    SELECT ?place ?sentence WHERE {
      ?p skos:prefLabel "有事找书记"@zh ; dj:implementedIn/skos:prefLabel ?place .
      ?m dj:refersTo ?p ; nif:sentence/nif:anchorOf ?sentence .
    }"""
    rows = list(seeds_graph.query(q, initNs={"dj": DJ, "skos": SKOS, "nif": NIF}))
    assert "金川区" in {str(r.place) for r in rows}
    assert any("有事找书记" in str(r.sentence) for r in rows)


def test_build_writes_broader_target_groups(seeds_graph):
    """The lexicon's `broader` column becomes skos:broader in the lexicon graph
    (moved here from tests/test_query.py: it is about what the build writes)."""
    from kg.rdf import ID, LEXICON_GRAPH
    g = seeds_graph.graph(LEXICON_GRAPH)
    assert (ID["targetGroup/外卖骑手"], SKOS.broader, ID["targetGroup/新就业群体"]) in g
    assert (ID["targetGroup/货车司机"], SKOS.broader, ID["targetGroup/新就业群体"]) in g


def test_statistic_keeps_value_unit_and_sentence(seeds_graph):
    q = """
    SELECT ?unit ?sentence WHERE {
      ?s a dj:Statistic ; dj:value ?v ; dj:unit ?unit ; nif:sentence/nif:anchorOf ?sentence .
      FILTER(?v = 63000)
    }"""
    rows = list(seeds_graph.query(q, initNs={"dj": DJ, "nif": NIF}))
    assert any(str(r.unit) == "名" and "6.3万名" in str(r.sentence) for r in rows)


def test_offsets_point_into_the_file(seeds_graph):
    nif = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    checked = 0
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for m in list(seeds_graph.subjects(DJ.refersTo, None))[:300]:
        anchor = str(seeds_graph.value(m, nif.anchorOf))
        begin = int(seeds_graph.value(m, nif.beginIndex))
        end = int(seeds_graph.value(m, nif.endIndex))
        doc = str(m).split("/mention/")[1].split("/")[0]
        raw = texts[doc][begin:end]
        # the file's characters, up to full-width forms and rejoined line breaks
        from kg.normalize import normalize_chars
        assert normalize_chars(raw).replace("\n", "") == anchor.replace(" ", "") or anchor in normalize_chars(raw)
        checked += 1
    assert checked > 100


def test_evidence_points_at_one_node_per_sentence(seeds_graph):
    """Every mention and statistic points (nif:sentence) at the node of the sentence it stands
    in: its offsets slice the sentence out of the file's decoded text, as the mention's do its
    anchor, and hold the mention's; each sentence is written once."""
    from kg.read import read_pages
    texts = {page.doc_id: page.original for page in read_pages([str(SEEDS)])[0]}
    evidence = set(seeds_graph.subjects(RDF.type, DJ.Mention)) | set(seeds_graph.subjects(RDF.type, DJ.Statistic))
    sentences = set(seeds_graph.subjects(RDF.type, NIF.Sentence))
    assert evidence and {seeds_graph.value(e, NIF.sentence) for e in evidence} == sentences
    for e in evidence:
        sentence = seeds_graph.value(e, NIF.sentence)
        doc = str(sentence).split("/sentence/")[1].rsplit("/", 2)[0]
        begin = int(seeds_graph.value(sentence, NIF.beginIndex))
        end = int(seeds_graph.value(sentence, NIF.endIndex))
        assert texts[doc][begin:end] == str(seeds_graph.value(sentence, NIF.anchorOf))
        assert begin <= int(seeds_graph.value(e, NIF.beginIndex)) < int(seeds_graph.value(e, NIF.endIndex)) <= end
        assert seeds_graph.value(sentence, DJ.inArticle) == (seeds_graph.value(e, DJ.inArticle)
                                                             or seeds_graph.value(e, DJ.mentionedIn))
    assert not set(seeds_graph.subject_objects(DJ.sentence))


def test_two_builds_are_byte_identical(seeds_build, tmp_path):
    """Another process, another hash seed, the articles extracted here or in two workers."""
    _, first = seeds_build
    env = dict(os.environ, PYTHONHASHSEED="12345")
    for jobs in ("1", "2"):
        again = tmp_path / f"again-j{jobs}"
        subprocess.run(KG + ["build", str(SEEDS), "-o", str(again), "-q", "-j", jobs],
                       check=True, capture_output=True, cwd=ROOT, env=env)
        for name in ("graph.ttl", "graph.trig", "graph.nq", "summary.json"):
            assert (again / name).read_bytes() == (first / name).read_bytes(), (jobs, name)


def test_workers_extract_what_the_process_itself_extracts(gazetteer, segmenter):
    from kg.build import Pipeline, extract_all
    from kg.read import read_pages
    from kg.split import split_articles
    pages, _ = read_pages([str(SEEDS)])
    articles = [a for page in pages for a in split_articles(page)]
    pipeline = Pipeline(gazetteer, segmenter)
    here = list(extract_all(pipeline, articles, jobs=1))
    in_workers = list(extract_all(pipeline, articles, jobs=2))
    assert len(here) == len(articles) > 1
    assert in_workers == here
    assert sum(len(e.mentions) for e in here) > 100


def test_jobs_must_be_a_positive_number(tmp_path):
    run = subprocess.run(KG + ["build", str(SEEDS), "-o", str(tmp_path / "out"), "-j", "0"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "not a whole number of at least 1: '0'" in run.stderr
    assert not (tmp_path / "out").exists()


def test_failed_build_leaves_earlier_output(tmp_path):
    from kg.outdir import MARKER, marker_bytes
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# earlier good output\n", encoding="utf-8")
    (out / MARKER).write_bytes(marker_bytes(["graph.ttl"]))     # written by an earlier build
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02")
    (bad / "empty.txt").write_bytes(b"")
    run = subprocess.run(KG + ["build", str(bad), "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert "binary.txt: binary file" in run.stderr and "empty.txt: file is empty" in run.stderr
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# earlier good output\n"


def test_bad_file_among_good_ones_is_named_and_the_build_goes_on(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("兰州市委组织部持续推进“消薄强村”行动,支持50个村发展集体经济。", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\x81\x30\xff\xff" * 4)
    run = subprocess.run(KG + ["build", str(corpus), "-o", str(tmp_path / "out"), "-q"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "bad.txt: cannot be decoded" in run.stderr
    assert "消薄强村" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


# The acceptance figures of issues 2-5 on the seeds (eval/gold, copied from ../shared).
FLOORS = {
    "ENTITIES (typed)": 0.65, "RELATIONS": 0.45, "STATISTICS": 0.90,
    "AdministrativeUnit": 0.95, "Place": 0.80, "Organization": 0.85, "Person": 0.92,
    "Program": 0.80, "Document": 0.95, "Platform": 0.75, "TargetGroup": 0.65, "Facility": 0.65,
    "locatedIn": 0.78, "subOrganizationOf": 0.70, "affiliatedWith": 0.80,
    "partOf": 0.60, "implementedIn": 0.60, "runBy": 0.60, "targets": 0.60,
}
# Just under the totals measured on 2026-12-07 after the seed-only lexicon rows went (0.951, 0.858,
# 0.998, since 0.991: the seeds' gold leaves out four thresholds that the annotation guidelines
# count; locatedIn 0.794, its acceptance figure 0.80 was reached only with them): a change that
# loses more than a few findings on the seeds fails here, not only one that falls to the
# acceptance figures.
REGRESSION_FLOORS = {"ENTITIES (typed)": 0.945, "RELATIONS": 0.85, "STATISTICS": 0.99}
# The real published articles of eval/real (all 117, dev and blind; bench/eval.py gives them apart),
# just under the totals of 2026-12-07 after the second issue-15 round and the 23 articles of sets pa
# and pb, ages and thresholds counted (0.763, 0.653, 0.934, about 0.693; the blind third alone:
# 0.680, 0.536, 0.936, 0.611).
REAL_FLOORS = {"ENTITIES (typed)": 0.755, "RELATIONS": 0.645, "STATISTICS": 0.925, "STATISTICS (about)": 0.68}


def score(gold: Path, out: Path, tmp_path: Path) -> dict:
    """The scorer's figures for the graph in out against the gold file(s) of gold (a file or a folder)."""
    report = tmp_path / "scores.json"
    files = sorted(gold.glob("*.jsonl")) if gold.is_dir() else [gold]
    subprocess.run([sys.executable, str(SCORER), "--gold", *map(str, files),
                    "--graph", str(out), "--ontology", str(ROOT / "ontology"), "--json", str(report)],
                   capture_output=True, text=True, check=True)
    return json.loads(report.read_text())


def test_scorer_floors(seeds_build, tmp_path):
    """Regression floor on the scorer's F1 against the hand annotations."""
    _, out = seeds_build
    scores = score(GOLD, out, tmp_path)
    below = {name: scores[name]["f1"] for name, floor in {**FLOORS, **REGRESSION_FLOORS}.items()
             if scores[name]["f1"] < floor}
    assert not below, below
    assert scores["within"]["r"] >= 0.90 and scores["within"]["p"] >= 0.95
    assert scores["party_typing"] >= 0.95


def test_real_article_floors(gazetteer, segmenter, tmp_path):
    """Regression floor on the real published articles (eval/real): the figure that counts."""
    from kg.build import Pipeline, build
    out = tmp_path / "real"
    build([str(EVAL / "real" / "texts")], out, pipeline=Pipeline(gazetteer, segmenter))
    scores = score(EVAL / "real" / "gold.jsonl", out, tmp_path)
    below = {name: scores[name]["f1"] for name, floor in REAL_FLOORS.items() if scores[name]["f1"] < floor}
    assert not below, below
