"""The output folder: kg build replaces only a folder it wrote, one build at a time, and an
interrupted build leaves nothing behind that the next one does not clear (issue 13, point 1
and the smaller points of 6)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

from kg.outdir import MARKER, OutdirError, check_outdir, claim_outdir, marker_bytes

KG = [sys.executable, "-m", "kg.cli"]
TEXT = "甘肃省兰州市城关区委组织部深入实施“红色物业”行动，全市1200个村党支部书记参加培训。\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    return folder


def build(corpus: Path, out, *extra, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(KG + ["build", str(corpus), "-o", str(out), "-q", *extra],
                          capture_output=True, text=True, cwd=cwd or ROOT)


def test_a_new_folder_is_written_with_its_marker_and_can_be_rebuilt(corpus, tmp_path):
    out = tmp_path / "out"
    assert build(corpus, out).returncode == 0
    assert (out / MARKER).is_file() and (out / "graph.nq").is_file()
    (out / "explorer.html").write_text("<html></html>", encoding="utf-8")   # a later kg command's file
    again = build(corpus, out)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("case", ["regular file", "user folder", "input folder", "dot", "empty name",
                                  "parent of the input", "inside the input", "user file added"])
def test_a_folder_kg_build_did_not_write_is_refused_and_left_as_it_was(case, corpus, tmp_path):
    cwd = ROOT
    if case == "regular file":
        out = tmp_path / "notes.txt"
        out.write_text("my notes", encoding="utf-8")
    elif case == "user folder":
        out = tmp_path / "documents"
        out.mkdir()
        (out / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    elif case == "input folder":
        out = corpus
    elif case == "dot":
        out, cwd = ".", tmp_path
    elif case == "empty name":
        out, cwd = "", tmp_path
    elif case == "parent of the input":
        out = tmp_path
    elif case == "inside the input":
        out = corpus / "graph"
    else:
        out = tmp_path / "out"
        assert build(corpus, out).returncode == 0
        (out / "my-analysis.ipynb").write_text("{}", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run = build(corpus, out, cwd=cwd)
    assert run.returncode == 2
    assert run.stderr.startswith("kg build: ") and run.stderr.count("\n") == 1, run.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_old_build_without_marker_needs_force(corpus, tmp_path):
    out = tmp_path / "out"
    assert build(corpus, out).returncode == 0
    (out / MARKER).unlink()                              # as written before the marker existed
    refused = build(corpus, out)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert build(corpus, out, "--force").returncode == 0
    assert (out / MARKER).is_file()
    with pytest.raises(OutdirError):                     # --force never replaces a user's folder
        (out / "thesis.docx").write_bytes(b"x")
        (out / MARKER).unlink()
        check_outdir(out, [str(corpus)], force=True)


def test_the_marker_is_byte_stable():
    assert marker_bytes(["graph.nq", "graph.ttl"]) == marker_bytes(["graph.ttl", "graph.nq"])


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(corpus, tmp_path):
    out = tmp_path / "out"
    with claim_outdir(out, [str(corpus)]):              # a build holds the folder
        run = build(corpus, out)
    assert run.returncode == 2 and "another kg build" in run.stderr
    assert not out.exists()
    assert build(corpus, out).returncode == 0           # and once it is done, the folder is free


def test_temporary_folders_of_a_killed_build_are_cleared_by_the_next(corpus, tmp_path):
    out = tmp_path / "out"
    stale = tmp_path / ".out.tmp-k1ll3d"                 # what kg.atomic leaves when killed
    stale.mkdir()
    (stale / "graph.nq").write_bytes(b"half a graph")
    old = tmp_path / ".out.old-k1ll3d"
    old.mkdir()
    (old / "graph.ttl").write_bytes(b"")
    foreign = tmp_path / ".out.tmp-mine"                 # same pattern, but a user's files: kept
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    assert build(corpus, out).returncode == 0
    assert not stale.exists() and not old.exists()
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_ends_a_build_with_one_line_and_nothing_half_written(tmp_path, jobs):
    """Ctrl-C as a terminal sends it: to the build and its worker processes (the group)."""
    out = tmp_path / "out"
    process = subprocess.Popen(KG + ["build", str(SEEDS), str(ROOT / "eval" / "real" / "texts"),
                                     "-o", str(out), "-j", jobs], cwd=ROOT, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:    # wait for the first progress line
        line = process.stderr.readline()
        if line.startswith("[1/"):
            break
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err[-800:]
    assert "Traceback" not in err and err.rstrip().endswith("kg: interrupted")
    # no graph file; at most the extraction cache, whose entries are each whole (written
    # atomically), for the next build to use
    assert not out.exists() or {p.name for p in out.iterdir()} == {".kg-cache"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")] == []
