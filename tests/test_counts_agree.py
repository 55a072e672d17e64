"""Issue 18: the build's summary and `kg stats` count the same things, distinct entities by
type and distinct edges by relation (kg.counts.tally), and say so. Before, the summary counted
the entities mentioned in an article only (not the divisions the gazetteer adds above them)
and each article's relations (an edge stated in two articles twice)."""
from __future__ import annotations

import json
from collections import Counter

from rdflib import RDF

import kg.query
from kg.build import build
from kg.cli import main
from kg.counts import graph_counts
from kg.model import ENTITY_TYPES, RELATIONS
from kg.outdir import load_outdir
from kg.rdf import DJ

# the same story in two files: each edge is stated in two articles; 崇信县's prefecture and
# province are named by neither (the gazetteer adds them)
STORY = ("崇信县推行“支部+合作社”模式\n\n"
         "今年以来，崇信县委组织部在全县推行“支部+合作社”模式，"
         "锦屏镇党委书记王明带领党员开展“党员先锋岗”活动。\n")


def test_tally_counts_each_node_and_edge_once():
    from kg.counts import tally

    counts = tally([("a", "Program"), ("a", "Program"), ("b", "Program"), ("a", "Activity")],
                   [("a", "within", "b"), ("a", "within", "b"), ("a", "locatedIn", "b"), ("x", "knows", "y")])
    assert counts.classes == {"Program": 2, "Activity": 1}
    assert counts.relations["within"] == 1 and counts.relations["locatedIn"] == 1
    assert counts.relations["targets"] == 0 and "knows" not in counts.relations


def _summary_and_stats(outdir, monkeypatch, capsys, store: bool):
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    if store:
        monkeypatch.setattr(kg.query, "STORE_THRESHOLD", 0)
    assert main(["stats", str(outdir)]) == 0
    printed = capsys.readouterr().out
    return summary, graph_counts(outdir), printed


def test_summary_and_stats_agree_on_a_fixture_build(tmp_path, monkeypatch, capsys):
    for name in ("a", "b"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{name}.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    report = build([str(tmp_path / "in")], out, jobs=1, cache=False)
    graph = load_outdir(out)
    # the fixture has what made the two counts differ: an edge in two article graphs, and a
    # division that no article mentions
    per_graph = [(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))
                 if p in {DJ[r] for r in RELATIONS}]
    assert len(per_graph) > len(set(per_graph))
    mentioned = set(graph.objects(None, DJ.refersTo))
    assert set(graph.subjects(RDF.type, DJ.AdministrativeUnit)) - mentioned
    for store in (False, True):
        summary, stats, printed = _summary_and_stats(out, monkeypatch, capsys, store)
        assert summary["entities"] == {t: n for t, n in sorted(stats.classes.items()) if t in ENTITY_TYPES}
        assert summary["relations"] == {r: n for r, n in sorted(stats.relations.items()) if r in RELATIONS and n}
        assert summary["entities"] == dict(report.entities) and summary["relations"] == dict(report.relations)
        # the same as counted off the graph's statements here, each once
        assert summary["relations"] == dict(sorted(Counter(
            str(p)[len(str(DJ)):] for _, p, _ in set(per_graph)).items()))
        # and both say what they count
        assert "distinct" in summary.get("counted", "") and summary.get("counted") in printed
    assert "distinct edges" in report.text() and "distinct nodes" in report.text()


def test_summary_and_stats_agree_on_the_seeds(seeds_build):
    report, out = seeds_build
    stats = graph_counts(out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["entities"] == {t: stats.classes[t] for t in ENTITY_TYPES if stats.classes.get(t)}
    assert summary["relations"] == {r: stats.relations[r] for r in sorted(RELATIONS) if stats.relations[r]}
