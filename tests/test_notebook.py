"""notebooks/analysis.ipynb runs top to bottom in a real Jupyter kernel (nbclient + ipykernel,
the venv's own Python) on the hand-made fixture graph (tests/handmade_graph.py; its first cell
reads OUTDIR from $DANGJIAN_KG_OUTDIR), and its outputs hold exactly the answers that graph
gives: the tables, counts, communities and explorer below are worked out from the fixture."""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from networkx.algorithms.community import modularity

from kg.export import statistics_table
from kg.network import simple_undirected, to_networkx

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
def executed(fixture_outdir, tmp_path_factory):
    """(the executed notebook, seconds it took), run in notebooks/ on the fixture OUTDIR."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    mp = pytest.MonkeyPatch()
    mp.setenv("DANGJIAN_KG_OUTDIR", str(fixture_outdir))     # the first cell honours it: no build
    # the kernel imports the kg under test (this checkout's), not another one the venv may have installed
    mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(NOTEBOOK.parents[1]), os.environ.get("PYTHONPATH")])))
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


def rows(nb, tag: str) -> list[list[str]]:
    """The rows of the DataFrame a tagged cell showed last (text/plain, index column dropped)."""
    [table] = [out.data["text/plain"] for out in cell(nb, tag).outputs
               if out.output_type == "execute_result"]
    return [line.split()[1:] for line in table.splitlines()[1:]]


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


def test_the_notebook_runs_and_answers_from_the_graph(executed, fixture_graph):
    nb, seconds = executed
    print(f"notebook ran in {seconds:.1f} s")
    assert all(out.output_type != "error" for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")

    # the graph it loaded: the fixture's triples, entities per type and in how many articles
    assert f"{len(fixture_graph):,} triples, queried with rdflib" in text(nb, "overview")
    assert rows(nb, "overview") == [["Organization", "12", "3"], ["AdministrativeUnit", "10", "3"],
                                    ["Program", "6", "3"], ["Person", "6", "3"], ["TargetGroup", "4", "3"],
                                    ["Place", "2", "2"], ["Facility", "2", "2"], ["Platform", "1", "2"],
                                    ["Document", "1", "1"]]

    # 1. programs per prefecture: 平凉市 (十个一 in 平凉市, 三找 in 小岔村, 线上+线下 in 崇信县),
    #    then 兰州市 (暖心引领骑手融入 in 城关区, 骑手之家 in 酒泉路街道)
    assert rows(nb, "programs-per-prefecture") == [["平凉市", "620800", "3"], ["兰州市", "620100", "2"]]
    assert "平凉市: 3 programs" in text(nb, "programs-in-place")
    assert re.search(r"kind\s+activity\s+model\s+NaN\s*\nprograms\s+1\s+1\s+1\s*$", text(nb, "programs-in-place"))

    # 2. who runs what: 兰州市委组织部 runs two programs, every other organization one
    assert rows(nb, "who-runs-what") == [["兰州市委组织部", "2", "暖心引领骑手融入、骑手之家"],
                                         ["中共甘肃省委直属机关工作委员会", "1", "三会一课"],
                                         ["小岔村党支部", "1", "三找"], ["崇信县委“两新”工委", "1", "线上+线下"],
                                         ["平凉市委组织部", "1", "十个一"]]

    # 3. target groups: 外卖骑手 is served by two programs
    assert rows(nb, "target-groups") == [["外卖骑手", "2", "暖心引领骑手融入、骑手之家"], ["新就业群体", "1", "十个一"],
                                         ["新就业群体党员", "1", "三找"], ["货车司机", "1", "线上+线下"]]

    # 4. statistics by prefecture (about a division within it), and the sentences of 平凉市's
    assert rows(nb, "statistics-by-place") == [["兰州市", "3", "1", "2"], ["平凉市", "2", "2", "2"]]
    pingliang_numbers = [row for row in statistics_table(fixture_graph) if row["about_label"] == "平凉市"]
    assert [(r["value"], r["unit"]) for r in pingliang_numbers] == [("15", "个")]
    sentences = text(nb, "statistics-sentences")
    assert "1 numbers about 平凉市" in sentences
    assert "目前，平凉市已建成新就业群体服务站点15个，覆盖崆峒区、崇信县。" in sentences
    assert rows(nb, "statistics-sentences")[0][:5] == ["15.0", "个", "None", "已建成新就业群体服务站点", "15个"]

    # 5. the network of organizations (12), programs (6), divisions (10) and places (2):
    #    every relation among them but the 2 locatedIn of facilities
    network = to_networkx(fixture_graph, types=NETWORK_TYPES)
    assert (network.number_of_nodes(), network.number_of_edges()) == (30, 38)
    assert "30 nodes, 38 edges" in text(nb, "network")
    centrality = text(nb, "centrality")
    assert "degree_centrality" in centrality and "betweenness" in centrality
    hub = max(network, key=lambda n: (network.degree(n), n))
    assert network.nodes[hub]["label"] == "崇信县" and network.degree(hub) == 6
    assert re.search(r"崇信县\s+AdministrativeUnit\s+County\s+6\b", centrality)
    H = simple_undirected(network)
    betweenness = nx.betweenness_centrality(H)
    broker = max(H, key=lambda n: betweenness[n])
    assert H.nodes[broker]["label"] == "平凉市"          # joins 兰州市's side, 崇信县's and 崆峒区's
    assert centrality.splitlines()[1].split()[1] == "平凉市"
    # four communities: 兰州市's, 平凉市's with 崆峒区, 崇信县's, and the provincial committee's
    found = re.search(r"(\d+) communities, modularity (0\.\d+)", text(nb, "communities"))
    by_label = {d["label"]: n for n, d in H.nodes(data=True)}
    expected = [{"兰州市", "城关区", "兰州市委组织部", "甘肃省", "中共兰州市委", "酒泉路街道", "中山桥",
                 "暖心引领骑手融入", "骑手之家", "兰州市委社会工作部"},
                {"平凉市", "崆峒区", "小岔村", "三找", "十个一", "上杨乡", "柳湖公园", "小岔村党支部", "平凉市委组织部"},
                {"崇信县", "崇信县委社会工作部", "中共崇信县委", "崇信县委“两新”工委", "线上+线下", "锦屏镇",
                 "崇信县交通运输局"},
                {"中共甘肃省委", "中共甘肃省委直属机关工作委员会", "三会一课", "中共甘肃省委组织部"}]
    assert set().union(*expected) == set(by_label)
    partition = [{by_label[label] for label in members} for members in expected]
    assert found and found.groups() == ("4", f"{modularity(H, partition, weight='weight'):.2f}")
    communities = text(nb, "communities")
    for most_central in ("兰州市、城关区、兰州市委组织部、甘肃省、中共兰州市委", "平凉市、崆峒区、小岔村、三找、十个一",
                         "崇信县、崇信县委社会工作部、中共崇信县委、崇信县委“两新”工委、线上+线下",
                         "中共甘肃省委、中共甘肃省委直属机关工作委员会、三会一课、中共甘肃省委组织部"):
        assert most_central in communities, most_central

    # 6. the timeline: dated articles 2024 (fx01_lanzhou/1: 2 programs first seen, 3 statistics) and
    #    2025 (fx02_pingliang/2: 线上+线下 and 三会一课, 2 statistics); fx02_pingliang/1 has no date
    assert "2 dated articles in 2 years; 1 articles without a date" in text(nb, "timeline")
    assert rows(nb, "timeline") == [["2024", "1", "2", "3", "2.0", "3.0"], ["2025", "1", "2", "2", "2.0", "2.0"]]
    plotted = text(nb, "plot-timeline")
    assert "programs first seen per article: 2024 2, 2025 2" in plotted        # the lines' data as drawn
    assert "statistics per article: 2024 3, 2025 2" in plotted

    # three plots, each one PNG
    for tag in ("plot-programs", "plot-network", "plot-timeline"):
        pngs = images(nb, tag)
        assert len(pngs) == 1 and pngs[0].startswith(b"\x89PNG\r\n\x1a\n") and len(pngs[0]) > 10_000, tag
    printed = "\n".join(out.text for c in nb.cells if c.cell_type == "code" for out in c.outputs
                        if out.output_type == "stream")
    if shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                                  text=True).stdout.strip():
        assert "CJK font:" in printed and "missing from" not in printed   # Chinese labels drawn, no boxes

    # 6. the explorer, embedded as a sandboxed iframe around the top prefecture, 平凉市, one hop deep
    shown = [out.data["text/html"] for out in cell(nb, "explorer").outputs if "text/html" in out.data]
    assert len(shown) == 1 and '<iframe srcdoc="' in shown[0] and 'sandbox="allow-scripts"' in shown[0]
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', shown[0]).group(1))
    assert page.startswith("<!DOCTYPE html>") and "<title>平凉市" in page and "vis-network" in page
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert {n["label"] for n in data["nodes"]} == {"平凉市", "甘肃省", "崆峒区", "崇信县", "十个一", "平凉市委组织部"}
