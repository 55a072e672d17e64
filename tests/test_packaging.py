"""An installed (non-editable) kg carries what it reads at run time: the ontology, which
lives at the project's top level (ontology/*.ttl, where the scorer and the design expect it)
and which setup.py copies into the wheel as kg/ontology/, and the package data of
pyproject.toml. The wheel is built by pip, as `pip install .` builds it, and unpacked into a
folder with no ontology/ beside it, from which `kg validate` must run."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    # from a copy without build/, .venv/ and the like: setuptools reuses an earlier build/lib
    source = folder / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".pytest_cache"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (path,) = folder.glob("dangjian_kg-*.whl")
    return path


def test_the_wheel_holds_the_ontology_and_the_package_data(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for ttl in ("dangjian.ttl", "shapes.ttl"):
            assert z.read(f"kg/ontology/{ttl}") == (ROOT / "ontology" / ttl).read_bytes()
    assert {"kg/data/china_location.zip", "kg/queries/statistics_about.rq",
            "kg/lexicon/org_suffixes.tsv", "kg/explore_page.js"} <= names


def test_kg_validate_runs_from_the_installed_package(wheel, fixture_outdir, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    # the unpacked package, not the source tree, first on the path: no ontology/ beside kg/
    run = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                          "import kg.cli; print(kg.cli.__file__, file=sys.stderr); "
                          "sys.exit(kg.cli.main(['validate', sys.argv[2]]))", str(site), str(fixture_outdir)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert str(site) in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr[-2000:]
    assert "conforms to " + str(site / "kg" / "ontology" / "shapes.ttl") in run.stdout
