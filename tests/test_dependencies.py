"""What pyproject.toml declares is what the code imports, read from the source with ast.

- Every third-party module that kg/ imports is provided (importlib.metadata's
  packages_distributions) by a distribution that the core dependencies declare; an optional
  one is imported through kg.extras.need / optional, whose extra (a literal at the call)
  declares it.
- Every declared distribution is used: imported by kg/, the tests or the notebook, or in
  the short table below of the ones used otherwise (a command run, a plugin loaded).
- The `test` extra, which .ci/run installs, provides every module the tests import.
- With an extra's module missing (blocked by a sys.meta_path finder in a real subprocess,
  as in an install without the extra), the command that needs it says which extra to
  install in one line, and the core commands (build, stats, query, export, explore) work.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PROJECT = canonicalize_name(PYPROJECT["name"])
OPTIONAL_IMPORTS = {"need", "optional"}          # kg.extras: need(module, extra, what), optional(module, extra)

# declared distributions that nothing imports by name, and what uses them
USED_OTHERWISE = {
    "oxigraph": "the `oxigraph` command that kg serve runs (kg/serve.py)",
    "lxml-html-clean": "imported by trafilatura's jusText as lxml.html.clean",
    "rjieba": "loaded from its file by kg/segment.py (find_spec, not import: see _load_rjieba)",
    "pytest": "the test runner",
    "ipykernel": "the kernel that runs the notebook",
    "nbconvert": "`jupyter nbconvert --execute`, the notebook's documented command (docs/export.md)",
    "jionlp": "its china_location.zip is read as data by tests/test_gazetteer_source.py",
}


def declared() -> dict[str, set[str]]:
    """{"core": distributions, extra: distributions} with the project's own extras resolved
    (`dangjian-kg[dataframe]` in an extra adds that extra's distributions), names canonical."""
    raw = {"core": PYPROJECT["dependencies"], **PYPROJECT["optional-dependencies"]}

    def resolve(group: str, seen: frozenset = frozenset()) -> set[str]:
        names = set()
        for spec in raw[group]:
            req = Requirement(spec)
            if canonicalize_name(req.name) == PROJECT:
                assert req.extras <= raw.keys(), f"{group}: {spec} names an extra that is not declared"
                for extra in req.extras - seen:
                    names |= resolve(extra, seen | {group})
            else:
                names.add(canonicalize_name(req.name))
        return names

    return {group: resolve(group) for group in raw}


def third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top not in sys.stdlib_module_names and top not in ("kg", "__future__")


def import_sites(path: Path) -> list[tuple[str, str, int]]:
    """(top-level module, the group that must provide it, line) for each third-party import
    in PATH: "core" for an import statement, the literal extra of a need/optional call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            sites += [(a.name.split(".")[0], "core", node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            sites.append((node.module.split(".")[0], "core", node.lineno))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in OPTIONAL_IMPORTS
              and path.parent.name == "kg" and path.name != "extras.py"):
            module, extra = node.args[:2]
            assert isinstance(module, ast.Constant) and isinstance(extra, ast.Constant), \
                f"{path.name}:{node.lineno}: {node.func.id}() takes the module and the extra as literals"
            sites.append((module.value.split(".")[0], extra.value, node.lineno))
    return [site for site in sites if third_party(site[0])]


def providers(module: str) -> set[str]:
    """The installed distributions that provide top-level MODULE (canonical names)."""
    return {canonicalize_name(d) for d in packages_distributions().get(module, [])}


def notebook_imports() -> set[str]:
    nb = json.loads((ROOT / "notebooks" / "analysis.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("\n".join(line for line in "".join(c["source"]).splitlines() if not line.startswith("%"))
                     for c in nb["cells"] if c["cell_type"] == "code")
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return {m for m in found if third_party(m)}


KG_FILES = sorted((ROOT / "kg").rglob("*.py"))
TEST_FILES = sorted((ROOT / "tests").glob("*.py"))


def test_every_import_of_kg_is_declared_in_core_or_in_the_extra_named_at_the_import_site():
    groups = declared()
    wrong = []
    for path in KG_FILES:
        for module, group, line in import_sites(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if group not in groups:
                wrong.append(f"{where}: {module} from the extra {group!r}, which pyproject.toml does not declare")
                continue
            found = providers(module)
            assert found, f"{where}: {module} is not installed here, so which distribution provides it is unknown"
            if not found & groups[group]:
                wrong.append(f"{where}: {module} (from {', '.join(sorted(found))}) is not declared in "
                             + ("the core dependencies" if group == "core" else f"the extra {group!r}"))
    assert not wrong, "\n".join(wrong)


def test_the_optional_modules_are_not_core_dependencies():
    """pandas (kg.query.dataframe) and pyshacl (kg validate) are in their extras only, and
    kg/ imports them through need(), never by an import statement."""
    groups = declared()
    assert "pandas" in groups["dataframe"] and "pyshacl" in groups["validate"]
    assert not {"pandas", "pyshacl", "distributed", "jionlp", "jiojio"} & groups["core"]
    sites = {(m, g) for path in KG_FILES for m, g, _ in import_sites(path)}
    assert ("pandas", "dataframe") in sites and ("pyshacl", "validate") in sites
    assert not {("pandas", "core"), ("pyshacl", "core"), ("distributed", "core")} & sites


def test_every_declared_distribution_is_used():
    used = set()
    for path in KG_FILES + TEST_FILES:
        for module, _, _ in import_sites(path):
            used |= providers(module)
    for module in notebook_imports():
        used |= providers(module)
    groups = declared()
    unused = {f"{name} ({group})" for group, names in groups.items() for name in names
              if name not in used and name not in USED_OTHERWISE}
    assert not unused, f"declared but used nowhere: {sorted(unused)}"


def test_the_test_extra_provides_every_module_the_tests_and_the_notebook_import():
    """.ci/run installs `.[test]`: that must be enough for every test file and the notebook."""
    groups = declared()
    installed = groups["core"] | groups["test"]
    assert all(groups[extra] <= groups["test"] for extra in groups if extra != "core")
    missing = []
    for path in TEST_FILES:
        local = {p.stem for p in TEST_FILES}
        for module, _, line in import_sites(path):
            if module in local:
                continue
            if not providers(module) & installed:
                missing.append(f"{path.name}:{line}: {module}")
    missing += [f"analysis.ipynb: {m}" for m in notebook_imports() if not providers(m) & installed]
    assert not missing, missing
    assert '.[test]' in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


# -- without the extras: real subprocesses whose imports of some modules fail ----------------------

BLOCKER = """
import sys
from importlib.abc import MetaPathFinder

class Blocked(MetaPathFinder):
    # one of the interpreter's finders, which finds nothing of the blocked distributions: as in
    # an environment where they were never installed (find_spec gives None, import fails)
    def __init__(self, finder, names):
        self.finder, self.names = finder, names
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            return None
        return self.finder.find_spec(name, path, target)
    def find_distributions(self, *args, **kwargs):      # importlib.metadata: theirs are not installed either
        found = getattr(self.finder, "find_distributions", lambda *a, **k: [])(*args, **kwargs)
        return (d for d in found if (d.metadata["Name"] or "").lower().replace("-", "_") not in self.names)
    def invalidate_caches(self):
        getattr(self.finder, "invalidate_caches", lambda: None)()

names = set(sys.argv[1].split(","))
sys.meta_path[:] = [Blocked(finder, names) for finder in sys.meta_path]
sys.argv = sys.argv[:1] + sys.argv[2:]
"""


def run_without(modules: list[str], code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """CODE run by this Python in a subprocess where MODULES cannot be imported."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-c", BLOCKER + code, ",".join(modules), *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


KG_MAIN = "from kg.cli import main\nsys.exit(main(sys.argv[1:]))\n"
EXTRAS_MODULES = ["pandas", "pyshacl", "distributed", "dask", "rjieba", "jionlp", "jiojio"]


def test_kg_validate_without_pyshacl_names_the_extra(fixture_outdir, tmp_path):
    run = run_without(["pyshacl"], KG_MAIN, "validate", str(fixture_outdir), cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr == ("kg validate needs pyshacl, which is not installed: "
                          "pip install 'dangjian-kg[validate]'\n")
    assert run.stdout == ""


def test_dataframe_without_pandas_names_the_extra_and_kg_query_works(fixture_outdir, tmp_path):
    code = ("from kg.query import dataframe\n"
            "try:\n    dataframe(sys.argv[1], 'divisions_under', place='平凉市')\n"
            "except ImportError as err:\n    print(type(err).__name__, err)\n")
    run = run_without(["pandas"], code, str(fixture_outdir), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ("MissingExtra kg.query.dataframe needs pandas, which is not installed: "
                          "pip install 'dangjian-kg[dataframe]'\n")
    # the same query as a table from the command line needs no pandas
    query = run_without(["pandas"], KG_MAIN, "query", str(fixture_outdir), "divisions_under",
                        "-p", "place=平凉市", "--format", "csv", cwd=tmp_path)
    assert query.returncode == 0, query.stderr
    assert "崆峒区" in query.stdout and "崇信县" in query.stdout


def test_the_core_commands_run_without_any_extra(tmp_path):
    """kg build (the seeds: the gazetteer comes from kg/data, not jionlp), stats, query,
    export and explore with every extra's modules, and jionlp, unimportable."""
    out = tmp_path / "seeds"
    build = run_without(EXTRAS_MODULES, KG_MAIN, "build", str(ROOT / "seeds"), "-o", str(out), "-q", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert re.search(r'"gazetteer jionlp 1\.5\.31 china_location\.txt sha256:[0-9a-f]{64}"',
                     (out / "graph.ttl").read_text(encoding="utf-8"))
    stats = run_without(EXTRAS_MODULES, KG_MAIN, "stats", str(out), cwd=tmp_path)
    assert stats.returncode == 0 and "AdministrativeUnit" in stats.stdout, stats.stderr
    query = run_without(EXTRAS_MODULES, KG_MAIN, "query", str(out), "divisions_under", "-p", "place=兰州市",
                        cwd=tmp_path)
    assert query.returncode == 0 and "城关区" in query.stdout, query.stderr
    export = run_without(EXTRAS_MODULES, KG_MAIN, "export", str(out), "--format", "graphml",
                         "-o", str(tmp_path / "g.graphml"), cwd=tmp_path)
    assert export.returncode == 0 and (tmp_path / "g.graphml").stat().st_size > 1000, export.stderr
    explore = run_without(EXTRAS_MODULES, KG_MAIN, "explore", str(out), "-o", str(tmp_path / "e.html"), cwd=tmp_path)
    assert explore.returncode == 0, explore.stderr
    assert "vis-network" in (tmp_path / "e.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("module", ["pandas", "pyshacl"])
def test_the_blocker_really_blocks(module, tmp_path):
    """The finders find the module no more than if it were not installed (find_spec gives
    None, the import fails naming it), though it is installed in this venv."""
    code = f"import importlib.util\nprint(importlib.util.find_spec({module!r}) is None)\nimport {module}\n"
    run = run_without([module], code, cwd=tmp_path)
    assert run.stdout == "True\n" and run.returncode == 1
    assert run.stderr.endswith(f"ModuleNotFoundError: No module named '{module}'\n")
    unblocked = run_without([], code, cwd=tmp_path)             # installed here: found and imported
    assert unblocked.stdout == "False\n" and unblocked.returncode == 0, unblocked.stderr
