"""Issue 18: the Python API, kg.extract(text) and kg.build(paths, outdir, **options) (kg.api,
kg.build.run; docs/api.md, whose examples run here)."""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset

import kg
from kg.model import Entity, Relation, Statistic
from kg.rdf import DJ

ROOT = Path(__file__).resolve().parents[1]

TEXT = ("崇信县推行“支部+合作社”模式\n\n"
        "新甘肃·甘肃日报记者 李明\n\n"
        "今年以来，平凉市崇信县委组织部在锦屏镇推行“支部+合作社”模式，带动农户1200户增收。"
        "锦屏镇党委书记王强带领党员开展“党员先锋岗”活动，服务留守儿童。\n")


@pytest.fixture(scope="module")
def extracted():
    return kg.extract(TEXT, title="支部+合作社", date="2024-03-15", url="https://example.org/a/1")


def _quads(ds: Dataset) -> set:
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}


def test_extract_gives_what_a_build_of_the_text_as_one_file_gives(tmp_path, extracted):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "text.txt").write_text(TEXT, encoding="utf-8")
    meta = tmp_path / "meta.jsonl"
    meta.write_text(json.dumps({"doc": "text", "title": "支部+合作社", "date": "2024-03-15",
                                "url": "https://example.org/a/1"}, ensure_ascii=False) + "\n", encoding="utf-8")
    report = kg.build([str(tmp_path / "in")], tmp_path / "out", quiet=True, jobs=1, meta=str(meta), no_cache=True)
    built = Dataset(default_union=True)
    built.parse(tmp_path / "out" / "graph.nq", format="nquads")
    # the same statements, in the same named graphs: the entities, their IRIs, the edges, evidence
    assert _quads(extracted.graph) == _quads(built) and len(_quads(built)) > 300
    typed = {str(s) for t in ("AdministrativeUnit", "Organization", "Program", "Person", "TargetGroup")
             for s in built.subjects(RDF.type, DJ[t], unique=True)}
    assert {extracted.iri(e) for e in extracted.entities} >= typed
    assert {t: n for t, n in extracted.counts.classes.items() if t in report.entities} == dict(report.entities)
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["relations"] == {
        r: n for r, n in sorted(extracted.counts.relations.items()) if n and r != "mentionedIn"}


def test_extract_returns_the_model_dataclasses(extracted):
    assert all(isinstance(e, Entity) for e in extracted.entities)
    assert all(isinstance(r, Relation) for r in extracted.relations)
    assert all(isinstance(s, Statistic) for s in extracted.statistics)
    names = {(e.type, e.name) for e in extracted.entities}
    assert {("AdministrativeUnit", "崇信县"), ("AdministrativeUnit", "平凉市"), ("AdministrativeUnit", "甘肃省"),
            ("Organization", "崇信县委组织部"), ("Person", "王强")} <= names
    edges = {(extracted.entity(r.subject).name, r.predicate, extracted.entity(r.object).name)
             for r in extracted.relations}
    assert ("崇信县", "within", "平凉市") in edges and ("平凉市", "within", "甘肃省") in edges
    assert len(edges) == len(extracted.relations)                      # each relation once
    (households,) = [s for s in extracted.statistics if s.value == 1200]
    assert households.unit == "户"
    (article,) = extracted.articles
    assert (article.issued, article.url, article.meta_title) == ("2024-03-15", "https://example.org/a/1", "支部+合作社")
    (county,) = extracted.named("崇信县", "AdministrativeUnit")
    assert extracted.iri(county) == "https://w3id.org/dangjian-kg/id/division/620823"


def test_extract_refuses_bad_input_with_a_message():
    with pytest.raises(ValueError, match="2024-02-30"):
        kg.extract(TEXT, date="2024-02-30")
    with pytest.raises(ValueError, match="no Chinese"):
        kg.extract("only English here")
    with pytest.raises(ValueError, match="url"):
        kg.extract(TEXT, url="example.org")


def test_kg_build_is_the_cli_with_its_flags_as_options(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    report = kg.build([str(tmp_path / "in")], tmp_path / "out", quiet=True, jobs=1, store=True)
    assert capsys.readouterr().err == ""                                 # quiet: no progress lines
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary == json.loads(json.dumps(report.summary(), ensure_ascii=False))
    assert report.store == str(tmp_path / "out" / "oxigraph") and report.store_quads > 300
    assert (tmp_path / "out" / "oxigraph").is_dir()
    # the CLI makes the same call: the same files, byte for byte
    from kg.cli import main
    assert main(["build", str(tmp_path / "in"), "-o", str(tmp_path / "cli"), "-q", "-j", "1"]) == 0
    for name in ("graph.nq", "graph.ttl", "summary.json"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()


def test_import_kg_loads_neither_jieba_nor_the_build(tmp_path):
    """`kg query` relies on it: `import kg` stays light; kg.build and kg.extract come on use."""
    listed = "print(sorted(m for m in ('jieba', 'kg.build', 'kg.api', 'rdflib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", f"import sys, kg; {listed}; kg.build; {listed}"],
                         capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(Path(kg.__file__).parents[1])}).stdout
    assert out.split("\n")[0] == "[]" and "'kg.build'" in out.split("\n")[1]


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """The fenced blocks of MARKDOWN as (language, code), in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", markdown, flags=re.S | re.M)


def test_the_examples_of_docs_api_run_and_print_what_it_shows(tmp_path, monkeypatch):
    blocks = _blocks((ROOT / "docs" / "api.md").read_text(encoding="utf-8"))
    python = [n for n, (lang, _) in enumerate(blocks) if lang == "python"]
    assert len(python) >= 6
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for n in python:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(blocks[n][1], f"docs/api.md block {n}", "exec"), namespace)
        assert n + 1 < len(blocks) and blocks[n + 1][0] == "text", f"block {n}: no output block after it"
        assert printed.getvalue() == blocks[n + 1][1], f"docs/api.md block {n}"
