"""notebooks/analysis.ipynb runs top to bottom in a real Jupyter kernel (ipykernel, the venv's
own Python) by the command docs/export.md gives (`jupyter nbconvert --execute`, which saves
the outputs), on the hand-made fixture graph (tests/handmade_graph.py; its first cell reads
OUTDIR from $DANGJIAN_KG_OUTDIR), and its outputs hold exactly the answers that graph gives:
the tables, counts, communities and explorer below are worked out from the fixture. Counts
by place are per article; centrality leaves out the edges only the gazetteer gives."""
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
from networkx.algorithms.community import modularity

from kg.export import statistics_table
from kg.network import edge_evidence, simple_undirected, to_networkx

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis.ipynb"
NETWORK_TYPES = {"Organization", "Program", "AdministrativeUnit", "Place"}
TOML = ROOT / "pyproject.toml"


def documented_command() -> str:
    """The command docs/export.md gives to run the notebook and save its outputs."""
    found = re.findall(r"^    (cd notebooks && \.\./\.venv/bin/jupyter nbconvert .*)$",
                       (ROOT / "docs" / "export.md").read_text(encoding="utf-8"), re.M)
    assert len(found) == 1, "docs/export.md gives one command that runs the notebook"
    return found[0]


@pytest.fixture(scope="module")
def run_by_the_docs(fixture_outdir, tmp_path_factory):
    """(the command's run, the notebook it saved, the seconds it took, the notebook it read):
    docs/export.md's command, word for word but for the venv's path (../.venv/bin/jupyter:
    this Python's jupyter), run in a copy of the checkout's notebooks/ on the fixture OUTDIR."""
    checkout = tmp_path_factory.mktemp("checkout")
    (checkout / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, checkout / "notebooks" / NOTEBOOK.name)
    command = documented_command().replace("../.venv/bin/jupyter", str(Path(sys.executable).parent / "jupyter"))
    env = dict(os.environ,
               DANGJIAN_KG_OUTDIR=str(fixture_outdir),      # the first cell honours it: no build
               # the kernel imports the kg under test (this checkout's), not another one the venv may have
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               # kernelspecs of the user's own are not looked at: the venv's python3 kernel runs it
               JUPYTER_DATA_DIR=str(checkout / "jupyter-data"))
    started = time.perf_counter()
    run = subprocess.run(command, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    saved = checkout / "out" / NOTEBOOK.name
    return run, saved, seconds, checkout / "notebooks" / NOTEBOOK.name


@pytest.fixture(scope="module")
def executed(run_by_the_docs):
    """(the notebook as the documented command saved it, with its outputs; seconds it took)."""
    run, saved, seconds, _ = run_by_the_docs
    assert run.returncode == 0, run.stderr[-3000:]
    return nbformat.read(saved, as_version=4), seconds


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

    # 1. the top prefecture's programs (the ranking: test_programs_and_statistics_by_prefecture_are_counted_per_article)
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

    # 4. the numbers about the top prefecture, 平凉市, with their sentences (the counts by prefecture:
    #    test_programs_and_statistics_by_prefecture_are_counted_per_article)
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
    # centrality: test_centrality_leaves_out_the_edges_only_the_gazetteer_gives
    H = simple_undirected(network)
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


def test_programs_and_statistics_by_prefecture_are_counted_per_article(executed):
    nb, _ = executed
    # 1. programs per prefecture, per article: 平凉市 (十个一 in 平凉市 and 三找 in 小岔村 by fx02_pingliang/1,
    #    线上+线下 in 崇信县 by fx02_pingliang/2: two articles, each all for 平凉市), then 兰州市
    #    (暖心引领骑手融入 in 城关区, 骑手之家 in 酒泉路街道, both by fx01_lanzhou/1); 三会一课 in 甘肃省
    #    is in no prefecture. Columns: articles, share (each article one vote), programs
    assert "3 articles report programs carried out in 2 prefectures" in text(nb, "programs-per-prefecture")
    assert rows(nb, "programs-per-prefecture") == [["平凉市", "620800", "2", "2.0", "3"],
                                                   ["兰州市", "620100", "1", "1.0", "2"]]

    # 4. statistics by prefecture (about a division within it), per article: fx01_lanzhou/1 reports
    #    three numbers about 兰州市 (120个, 3039人, 200余名), but it is one article; 平凉市 has one number
    #    in each of two articles (15个 about 平凉市, 86件 about 崇信县), so it comes first. Columns:
    #    articles, share, statistics, places, sentences
    assert rows(nb, "statistics-by-place") == [["平凉市", "2", "2.0", "2", "2", "2"],
                                               ["兰州市", "1", "1.0", "3", "1", "2"]]


def test_centrality_leaves_out_the_edges_only_the_gazetteer_gives(executed, fixture_graph):
    nb, _ = executed
    network = to_networkx(fixture_graph, types=NETWORK_TYPES)
    centrality = text(nb, "centrality")
    assert "degree_centrality" in centrality and "betweenness" in centrality
    # centrality without the 8 within edges only the gazetteer gives (its hierarchy: 兰州市 and
    # 平凉市 in 甘肃省, 城关区 in 兰州市 ...); 崇信县 within 平凉市, which two articles state, stays
    assert "centrality on 30 edges stated by articles; 8 edges from the gazetteer alone left out" in centrality
    evidence = edge_evidence(fixture_graph)
    gazetteer_only = [(u, v, k) for u, v, k in network.edges(keys=True)
                      if evidence[(u, k, v)] and all(e.derived_from.endswith("/id/gazetteer") and not e.article
                                                     for e in evidence[(u, k, v)])]
    assert sorted((network.nodes[u]["label"], network.nodes[v]["label"]) for u, v, _ in gazetteer_only) == [
        ("上杨乡", "崆峒区"), ("兰州市", "甘肃省"), ("城关区", "兰州市"), ("小岔村", "上杨乡"), ("崆峒区", "平凉市"),
        ("平凉市", "甘肃省"), ("酒泉路街道", "城关区"), ("锦屏镇", "崇信县")]
    stated = network.copy()
    stated.remove_edges_from(gazetteer_only)
    hub = max(stated, key=lambda n: (stated.degree(n), n))
    assert stated.nodes[hub]["label"] == "崇信县" and stated.degree(hub) == 5       # 6 with 锦屏镇's within
    assert re.search(r"崇信县\s+AdministrativeUnit\s+County\s+5\b", centrality)
    betweenness = nx.betweenness_centrality(simple_undirected(stated))
    ranked = sorted(stated, key=lambda n: (-betweenness[n], -stated.degree(n)))
    assert [stated.nodes[n]["label"] for n in ranked[:3]] == ["崇信县", "平凉市", "十个一"]
    assert [line.split()[1] for line in centrality.splitlines()[3:6]] == ["崇信县", "平凉市", "十个一"]
    # with the gazetteer's edges 平凉市 would be the broker and 甘肃省 (degree 3, not 1) would rank higher
    full = nx.betweenness_centrality(simple_undirected(network))
    assert network.nodes[max(network, key=lambda n: full[n])]["label"] == "平凉市"
    gansu = next(n for n in network if network.nodes[n]["label"] == "甘肃省")
    assert (network.degree(gansu), stated.degree(gansu)) == (3, 1)


def test_the_documented_command_saves_the_outputs_and_leaves_the_notebook_as_committed(run_by_the_docs):
    run, saved, _, read = run_by_the_docs
    assert run.returncode == 0, run.stderr[-3000:]
    assert "nbconvert --to notebook --execute" in documented_command()
    nb = nbformat.read(saved, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))     # run top to bottom
    assert sum(bool(c.outputs) for c in code) >= len(code) - 3                   # and its outputs kept
    assert read.read_bytes() == NOTEBOOK.read_bytes()                           # the notebook itself unchanged


def test_the_notebook_extra_has_what_the_command_and_the_notebook_need():
    """`pip install -e ".[notebook]"` is all docs/export.md asks for: it declares nbconvert
    (the command), ipykernel (the kernel) and every module the notebook imports."""
    from test_dependencies import declared, notebook_imports, providers

    groups = declared()
    notebook = groups["core"] | groups["notebook"]
    assert {"nbconvert", "ipykernel", "matplotlib", "pandas"} <= notebook
    assert all(providers(module) & notebook for module in notebook_imports()), notebook_imports()


def test_the_readme_says_to_activate_the_venv():
    """Every `kg`, `pip`, `python` or `jupyter` command the README gives after the install line
    is the venv's: the venv is activated first, or the command names .venv/bin/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ")]
    activate = commands.index("source .venv/bin/activate")
    install = next(i for i, line in enumerate(commands) if "python3 -m venv .venv" in line)
    assert install < activate
    before = [c for c in commands[:activate] if re.match(r"(kg|pip|python|jupyter)\b", c)]
    assert not before, before
