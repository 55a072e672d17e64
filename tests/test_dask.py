"""kg build --dask: the extraction on a real dask.distributed cluster (a LocalCluster: a
scheduler and two worker processes on 127.0.0.1) gives the very bytes of a local build,
uses and fills the extraction cache as a local build does, and says clearly when it cannot
use the cluster. Skipped only where dask.distributed is not installed (the `dask` extra)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from distributed import LocalCluster  # noqa: E402

from kg.build import Pipeline, build  # noqa: E402
from kg.distributed import PLUGIN, DaskError, connect  # noqa: E402
from kg.read import read_pages  # noqa: E402
from kg.split import split_articles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REAL = sorted((ROOT / "eval" / "real" / "texts").glob("*.txt"))[:4]
INPUTS = [str(SEEDS), *map(str, REAL)]
GRAPH = ("graph.ttl", "graph.trig", "graph.nq", "summary.json", ".kg-build.json")
KG = [sys.executable, "-m", "kg.cli"]


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster: two worker processes of one thread, on loopback."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def local_build(tmp_path_factory, gazetteer, segmenter):
    """The graph files of a local build of INPUTS, without the cache."""
    out = tmp_path_factory.mktemp("local") / "out"
    report = build(INPUTS, out, pipeline=Pipeline(gazetteer, segmenter), cache=False)
    assert report.files == 9 and report.problems == []
    return {name: (out / name).read_bytes() for name in GRAPH}


def graph_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in GRAPH}


def test_a_dask_build_equals_the_local_build_byte_for_byte(scheduler, local_build, tmp_path, gazetteer, segmenter):
    out = tmp_path / "out"
    report = build(INPUTS, out, dask=scheduler)
    assert (report.extracted, report.from_cache) == (9, 0)
    assert graph_bytes(out) == local_build
    assert len(list((out / ".kg-cache" / "extract").glob("*.json"))) == 9      # the cache filled
    # ... with the entries a local build reads: nothing left to extract, same bytes
    again = build(INPUTS, out, pipeline=Pipeline(gazetteer, segmenter))
    assert (again.extracted, again.from_cache) == (0, 9)
    assert graph_bytes(out) == local_build


def test_a_dask_build_uses_the_cache_and_extracts_only_a_changed_file(scheduler, local_build, tmp_path,
                                                                      gazetteer, segmenter):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in REAL:
        (corpus / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    build([str(corpus)], out, pipeline=Pipeline(gazetteer, segmenter))        # local, fills the cache
    changed = corpus / REAL[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n兰州市城关区开展“红色物业”试点工作。\n",
                       encoding="utf-8")
    report = build([str(corpus)], out, dask=scheduler)
    assert (report.extracted, report.from_cache) == (1, 3)
    fresh = tmp_path / "fresh"
    build([str(corpus)], fresh, pipeline=Pipeline(gazetteer, segmenter), cache=False)
    assert graph_bytes(out) == graph_bytes(fresh)


def test_the_cli_flag_end_to_end(scheduler, local_build, tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(KG + ["build", *INPUTS, "-o", str(out), "-q", "--dask", scheduler],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "extraction: 9 file(s) extracted, 0 from the cache" in run.stdout
    assert graph_bytes(out) == local_build


def test_each_worker_loads_its_pipeline_once(scheduler):
    """The plugin loads one Pipeline per worker process, and every task of the worker uses it."""
    def pipeline_of(dask_worker):
        plugin = dask_worker.plugins[PLUGIN]
        return id(plugin.pipeline), len(plugin.pipeline.gazetteer) > 100_000
    pages, _ = read_pages(INPUTS)
    with connect(scheduler, Pipeline) as cluster:
        before = cluster.client.run(pipeline_of)
        assert len(before) == 2 and all(loaded for _, loaded in before.values())
        version = next(iter(cluster.client.run(lambda dask_worker: dask_worker.plugins[PLUGIN].version).values()))
        found = list(cluster.extract(version, [split_articles(page) for page in pages]))
        assert len(found) == 9 and all(found)
        assert cluster.client.run(pipeline_of) == before


def test_a_worker_of_another_extractor_version_stops_the_build(scheduler):
    (page,), _ = read_pages([str(REAL[0])])
    with connect(scheduler, Pipeline) as cluster:
        with pytest.raises(DaskError, match="another version of the extractor"):
            list(cluster.extract("0" * 64, [split_articles(page)]))


def test_ctrl_c_stops_a_dask_build_with_one_line_and_the_cluster_serves_the_next(scheduler, local_build, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(KG + ["build", str(SEEDS), str(ROOT / "eval" / "real" / "texts"), "-o", str(out),
                                     "--dask", scheduler], cwd=ROOT, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:    # wait for the first progress line
        if process.stderr.readline().startswith("[1/"):
            break
    os.killpg(process.pid, signal.SIGINT)           # as a terminal sends it
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err[-800:]
    assert "Traceback" not in err and err.rstrip().endswith("kg: interrupted")
    assert not out.exists() or {p.name for p in out.iterdir()} == {".kg-cache"}    # no graph file
    again = tmp_path / "again"
    run = subprocess.run(KG + ["build", *INPUTS, "-o", str(again), "-q", "--dask", scheduler, "--no-cache"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert graph_bytes(again) == local_build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_clear_line_and_nothing_written(tmp_path):
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{free_port()}"
    run = subprocess.run(KG + ["build", str(SEEDS), "-o", str(out), "-q", "--dask", address],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2
    assert run.stderr.startswith(f"kg build: cannot reach the dask scheduler at {address}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert not out.exists()


def test_without_dask_installed_the_message_says_how_to_install_it(tmp_path):
    """dask made unimportable in the child process, as where the extra is not installed."""
    out = tmp_path / "out"
    code = ("import sys; sys.modules['distributed'] = None; from kg.cli import main; "
            f"sys.exit(main(['build', {str(SEEDS)!r}, '-o', {str(out)!r}, '--dask', 'tcp://127.0.0.1:8786']))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, env=dict(os.environ))
    assert run.returncode == 2
    assert "kg build: --dask needs dask.distributed" in run.stderr
    assert "pip install 'dangjian-kg[dask]'" in run.stderr and not out.exists()
