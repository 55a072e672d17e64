"""A fuzz suite for the whole build (issue 13): random and mutated articles never make
`kg build` raise, every offset in the graph slices its quoted text out of the input file,
and every file the build writes parses again (rdflib and Oxigraph).

The number of examples is small in CI (KG_FUZZ_EXAMPLES, default 12 per test) and larger in
`bench/fuzz.py`, which runs the same tests with more."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset

from conftest import SEEDS

from kg.build import Pipeline, build
from kg.read import read_pages

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="KG_FUZZ_SEED" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

# Characters that broke readers and writers before: line and paragraph separators, controls,
# quotes, backslashes, angle brackets, full-width forms, astral characters.
AWKWARD = "\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e\r\n\t\x00\x7f\"'\\<>{}|^`%“”‘’「」《》。，！？·•\ufeff\U0001F600𠀀"
awkward_char = st.sampled_from(AWKWARD)
chinese_char = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
any_char = st.characters(blacklist_categories=("Cs",))
snippet = st.text(st.one_of(awkward_char, chinese_char, any_char), min_size=1, max_size=40)


@st.composite
def mutated_seed(draw) -> str:
    """A slice of a seed page with characters inserted, deleted, repeated and swapped."""
    text = draw(st.sampled_from(SEED_TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1500)))
    text = text[start:start + draw(st.integers(200, 1500))]
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "repeat", "line"]))
        if op == "insert":
            text = text[:at] + draw(snippet) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)):]
        elif op == "repeat":
            text = text[:at] + text[at:at + 50] * draw(st.integers(2, 5)) + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(["\r", "\r\n", "\u2028", "\n\n", "\x0c"])) + text[at:]
    return text


random_article = st.text(st.one_of(chinese_char, awkward_char, any_char,
                                   st.sampled_from("市县区乡镇村党委支部行动中心")), min_size=1, max_size=600)


def check_build(tmp: Path, text: str, gazetteer, segmenter) -> None:
    """Build TEXT as a file and check the three promises of the module doc."""
    source = tmp / "page.txt"
    source.write_bytes(text.encode("utf-8", "surrogatepass"))
    out = tmp / "out"
    report = build([str(source)], out, pipeline=Pipeline(gazetteer, segmenter))
    if report.files == 0:                      # refused with a reason (nothing Chinese in it)
        assert report.problems and not out.exists()
        return
    pages, _ = read_pages([str(source)])
    original = pages[0].original
    for name, fmt in (("graph.nq", ox.RdfFormat.N_QUADS), ("graph.trig", ox.RdfFormat.TRIG),
                      ("graph.ttl", ox.RdfFormat.TURTLE)):
        list(ox.parse(path=str(out / name), format=fmt))
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.nq", format="nquads")
    anchors = {}
    for s, p, o in ds.triples((None, None, None)):
        if str(p).startswith(NIF):
            anchors.setdefault(s, {})[str(p)[len(NIF):]] = o
    for node, fields in anchors.items():
        begin, end = int(fields["beginIndex"]), int(fields["endIndex"])
        assert original[begin:end] == str(fields["anchorOf"]), (node, begin, end)


@FUZZ
@given(text=mutated_seed())
def test_mutated_seed_pages(tmp_path_factory, gazetteer, segmenter, text):
    check_build(tmp_path_factory.mktemp("fuzz"), text, gazetteer, segmenter)


@FUZZ
@given(text=random_article)
def test_random_text(tmp_path_factory, gazetteer, segmenter, text):
    check_build(tmp_path_factory.mktemp("fuzz"), "甘肃省兰州市委组织部。" + text, gazetteer, segmenter)
