"""notebooks/analysis.ipynb runs top to bottom in a real Jupyter kernel (nbclient + ipykernel,
the venv's own Python) on the seeds graph, and its outputs hold the answers the graph gives."""
from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from kg.export import statistics_table
from kg.network import to_networkx

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "analysis.ipynb"
NETWORK_TYPES = {"Organization", "Program", "AdministrativeUnit", "Place"}


def venv_kernel(kernel_dir: Path) -> KernelManager:
    """A kernel manager whose kernel is this Python (the venv's), whatever kernelspecs
    the machine or the user has installed elsewhere."""
    spec = kernel_dir / "dangjian-kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "dangjian-kg (tests)", "language": "python"}))
    return KernelManager(kernel_name="dangjian-kg-test", transport="ipc",
                         connection_file=str(kernel_dir / "connection.json"),
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))


@pytest.fixture(scope="module")
def executed(seeds_build, tmp_path_factory):
    """(the executed notebook, seconds it took), run in notebooks/ on the session's seeds build."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    mp = pytest.MonkeyPatch()
    mp.setenv("DANGJIAN_KG_OUTDIR", str(seeds_build[1]))     # the first cell honours it: no rebuild
    km = venv_kernel(tmp_path_factory.mktemp("kernels"))
    try:
        client = NotebookClient(nb, km=km, timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        started = time.perf_counter()
        client.execute()
        return nb, time.perf_counter() - started
    finally:
        if km.has_kernel:                 # a kernel manager passed in is ours to shut down
            km.shutdown_kernel(now=True)
        mp.undo()


def cell(nb, tag: str):
    found = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(found) == 1, f"one cell tagged {tag!r}"
    return found[0]


def text(nb, tag: str) -> str:
    """Everything a tagged cell showed as text: printed lines and text/plain of its results."""
    parts = []
    for out in cell(nb, tag).outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def images(nb, tag: str) -> list[bytes]:
    return [base64.b64decode(out.data["image/png"]) for out in cell(nb, tag).outputs
            if out.output_type == "display_data" and "image/png" in out.data]


def test_the_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "OUTDIR = Path(" in code[0].source                    # the one path to change, first
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= len(code) // 2   # cells are explained


def test_the_notebook_runs_and_answers_from_the_graph(executed, seeds_graph):
    nb, seconds = executed
    print(f"notebook ran in {seconds:.1f} s")
    assert all(out.output_type != "error" for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")

    # 1. programs per prefecture: a table of prefectures with codes, 兰州市 first
    per_prefecture = text(nb, "programs-per-prefecture")
    lanzhou = re.search(r"兰州市\s+620100\s+(\d+)", per_prefecture)
    assert lanzhou and int(lanzhou.group(1)) >= 20
    assert re.search(r"平凉市\s+620800\s+\d+", per_prefecture)
    assert f"兰州市: {lanzhou.group(1)} programs" in text(nb, "programs-in-place")

    G = to_networkx(seeds_graph)
    # 2. who runs what: the organization that runs most programs, with one of them
    def most_common(relation: str) -> set[str]:
        """Labels of the entities that are the object of `relation` most often."""
        counts = Counter(v for _, v, k in G.edges(keys=True) if k == relation)
        return {G.nodes[n]["label"] for n, c in counts.items() if c == max(counts.values())}

    first_row = text(nb, "who-runs-what").splitlines()[1]
    top_orgs = [label for label in most_common("runBy") if label in first_row]
    assert top_orgs, first_row
    top_org = top_orgs[0]
    programs = {G.nodes[p]["label"] for p, o, k in G.edges(keys=True)
                if k == "runBy" and G.nodes[o]["label"] == top_org}
    assert any(program in first_row for program in programs)      # with examples of what it runs

    # 3. target groups: the group most programs serve comes first
    first_row = text(nb, "target-groups").splitlines()[1]
    assert any(label in first_row for label in most_common("targets"))

    # 4. statistics by place, with the sentences they were read from
    assert re.search(r"兰州市\s+\d+", text(nb, "statistics-by-place"))
    lanzhou_numbers = [row for row in statistics_table(seeds_graph) if row["about_label"] == "兰州市"]
    sentences = text(nb, "statistics-sentences")
    assert f"{len(lanzhou_numbers)} numbers about 兰州市" in sentences
    assert lanzhou_numbers[0]["sentence"][:20] in sentences

    # 5. the network, centrality and communities
    network = to_networkx(seeds_graph, types=NETWORK_TYPES)
    assert f"{network.number_of_nodes()} nodes, {network.number_of_edges()} edges" in text(nb, "network")
    centrality = text(nb, "centrality")
    assert "degree_centrality" in centrality and "betweenness" in centrality
    hub = max(network, key=lambda n: (network.degree(n), n))
    assert network.nodes[hub]["label"] in centrality                  # 兰州市 on the seeds
    found = re.search(r"(\d+) communities, modularity (0\.\d+)", text(nb, "communities"))
    assert found and int(found.group(1)) > 1 and float(found.group(2)) > 0.3

    # two plots, each one PNG
    for tag in ("plot-programs", "plot-network"):
        pngs = images(nb, tag)
        assert len(pngs) == 1 and pngs[0].startswith(b"\x89PNG\r\n\x1a\n") and len(pngs[0]) > 10_000, tag
    printed = "\n".join(out.text for c in nb.cells if c.cell_type == "code" for out in c.outputs
                        if out.output_type == "stream")
    if shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                                  text=True).stdout.strip():
        assert "CJK font:" in printed and "missing from" not in printed   # Chinese labels drawn, no boxes

    # 6. the explorer, embedded as a sandboxed iframe around the top prefecture
    shown = [out.data["text/html"] for out in cell(nb, "explorer").outputs if "text/html" in out.data]
    assert len(shown) == 1 and '<iframe srcdoc="' in shown[0] and 'sandbox="allow-scripts"' in shown[0]
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', shown[0]).group(1))
    assert page.startswith("<!DOCTYPE html>") and "<title>兰州市" in page and "vis-network" in page
