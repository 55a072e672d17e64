"""Every file a `kg` command writes is the same, byte for byte, whatever the process's hash seed.

Python randomises str hashing per process, so the iteration order of sets (and of dicts built
from them) differs between runs; output that leaks such an order differs between two runs on
the same input. Each command below runs in fresh processes with PYTHONHASHSEED=1, 2 and 12345
and the files are compared byte for byte:

* `kg build` on a small real input (two seed files): graph.ttl, graph.trig, graph.nq,
  summary.json and the marker;
* `kg explore` (the whole page, a focus, a types filter) and `kg export` in every format
  (graphml, gexf, jsonld, the csv folder) on the hand-made fixture OUTDIR
  (tests/handmade_graph.py), also compared with the same calls made in this process.

tests/test_build.py::test_two_builds_are_byte_identical compares the whole seeds build in
this process with one under PYTHONHASHSEED=12345; tests/test_explore.py and test_export.py
compare two runs within this process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

KG = [sys.executable, "-m", "kg.cli"]          # what the `kg` script runs (kg.cli:main)
HASH_SEEDS = ("1", "2", "12345")
BUILD_INPUT = ("001_8964515afe82c7b9.txt", "002_ddf7b3dbc49d759e.txt")   # one Lanzhou page, one of five articles


def kg(args: list[str], hash_seed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    run = subprocess.run(KG + args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert run.returncode == 0, f"kg {' '.join(args)} (PYTHONHASHSEED={hash_seed}):\n{run.stderr}"
    return run


def run_all(jobs: list[tuple[list[str], str]]) -> list[subprocess.CompletedProcess]:
    """Run the (args, hash seed) jobs, two at a time (the machines have two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda job: kg(*job), jobs))


def files_of(path: Path) -> dict[str, bytes]:
    """{relative name: bytes} of a file, or of every file in a folder (names starting with . too)."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def assert_identical(outputs: dict[str, dict[str, bytes]], what: str) -> None:
    """outputs: {hash seed: {file: bytes}}; every seed's files equal the first's, byte for byte."""
    (first, expected), *others = outputs.items()
    assert expected and all(expected.values()), f"{what}: nothing written"
    for seed, files in others:
        assert sorted(files) == sorted(expected), f"{what}: PYTHONHASHSEED={seed} wrote other files"
        for name in expected:
            assert files[name] == expected[name], \
                f"{what}: {name} differs between PYTHONHASHSEED={first} and {seed}"


def test_build_is_byte_identical_under_every_hash_seed(tmp_path):
    inputs = [str(SEEDS / name) for name in BUILD_INPUT]
    out = {seed: tmp_path / f"out-{seed}" for seed in HASH_SEEDS}
    run_all([(["build", *inputs, "-o", str(out[seed]), "-q"], seed) for seed in HASH_SEEDS])
    outputs = {seed: files_of(out[seed]) for seed in HASH_SEEDS}
    cache = [name for name in outputs["1"] if name.startswith(".kg-cache/")]
    assert sorted(set(outputs["1"]) - set(cache)) == [".kg-build.json", "graph.nq", "graph.trig", "graph.ttl",
                                                      "summary.json"]
    # the extraction cache (kg.extract_cache): its tag and an entry per input file, the same bytes too
    assert len([name for name in cache if name.startswith(".kg-cache/extract/")]) == 2
    assert_identical(outputs, "kg build")
    summary = json.loads(outputs["1"]["summary.json"])
    assert summary["files"] == 2 and summary["articles"] >= 2 and summary["problems"] == []
    assert sum(summary["entities"].values()) > 0 and outputs["1"]["graph.nq"].count(b"\n") > 1000


EXPLORE = {                       # output name: the arguments after `kg explore OUTDIR -o FILE`
    "explorer.html": [],
    "focus.html": ["--focus", "兰州市", "--depth", "2"],
    "types.html": ["--types", "Organization", "Program"],
}
EXPORT = {"graph.graphml": "graphml", "graph.gexf": "gexf", "graph.jsonld": "jsonld", "csv": "csv"}


@pytest.fixture(scope="module")
def written(fixture_outdir, tmp_path_factory):
    """{hash seed: {output name: {file: bytes}}} of every explore and export command on the
    fixture OUTDIR, each command in a process of its own."""
    root = tmp_path_factory.mktemp("determinism")
    jobs, paths = [], {}
    for seed in HASH_SEEDS:
        for name, extra in EXPLORE.items():
            paths[seed, name] = root / seed / name
            jobs.append((["explore", str(fixture_outdir), "-o", str(paths[seed, name]), *extra], seed))
        for name, fmt in EXPORT.items():
            paths[seed, name] = root / seed / name
            jobs.append((["export", str(fixture_outdir), "--format", fmt, "-o", str(paths[seed, name])], seed))
    before = files_of(fixture_outdir)
    run_all(jobs)
    assert files_of(fixture_outdir) == before                        # OUTDIR itself left as it was
    return {seed: {name: files_of(paths[seed, name]) for name in [*EXPLORE, *EXPORT]} for seed in HASH_SEEDS}


@pytest.mark.parametrize("name", list(EXPLORE))
def test_explore_is_byte_identical_under_every_hash_seed(written, fixture_outdir, name):
    from kg.explore import explorer_html
    assert_identical({seed: written[seed][name] for seed in HASH_SEEDS}, f"kg explore ({name})")
    extra = EXPLORE[name]
    focus = extra[1] if "--focus" in extra else None
    types = extra[1:] if "--types" in extra else None
    here = explorer_html(fixture_outdir, focus=focus, depth=2, types=types).encode("utf-8")
    assert written["1"][name][name] == here                          # and as in this process
    assert "兰州市".encode() in here


@pytest.mark.parametrize("name", list(EXPORT))
def test_export_is_byte_identical_under_every_hash_seed(written, fixture_outdir, tmp_path, name):
    from kg.export import CSV_FILES, export
    assert_identical({seed: written[seed][name] for seed in HASH_SEEDS}, f"kg export --format {EXPORT[name]}")
    export(fixture_outdir, EXPORT[name], tmp_path / name)
    assert written["1"][name] == files_of(tmp_path / name)             # and as in this process
    if name == "csv":
        assert sorted(written["1"][name]) == sorted(CSV_FILES)
        assert written["1"][name]["nodes.csv"].count(b"\n") == 44 + 1   # the fixture's entities and a header
