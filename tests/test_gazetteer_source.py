"""kg/data/china_location.zip is JioNLP's gazetteer, unchanged: the same bytes as the file
in the published jionlp of the version kg/data/README.md names (the `test` extra installs
that version, so this runs in CI), by the hash its wheel's RECORD lists for it and by the
bytes installed; its licence text, version and sha256 are beside it; the gazetteer loads
from it and names it in the graph's provenance as before."""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

from kg import gazetteer
from kg.gazetteer import SOURCE_FILE, SOURCE_ORIGIN, Gazetteer

DATA = SOURCE_FILE.parent
MEMBER = "jionlp/dictionary/china_location.zip"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded_version() -> str:
    return re.fullmatch(r"jionlp (\S+) china_location\.txt", SOURCE_ORIGIN).group(1)


def test_the_file_is_shipped_with_its_licence_version_and_checksum():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    data = SOURCE_FILE.read_bytes()
    assert f"jionlp {recorded_version()} (PyPI)" in readme
    assert f"| sha256 | {sha256(data)} |" in readme
    assert f"{len(data):,} bytes" in readme
    licence = (DATA / "LICENSE.jionlp").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert gazetteer.source_path() == SOURCE_FILE


def test_the_file_is_the_one_in_the_published_jionlp():
    try:
        dist = distribution("jionlp")
    except PackageNotFoundError:
        pytest.skip("jionlp is not installed (the `test` extra installs it): nothing to compare with")
    assert dist.version == recorded_version(), \
        f"installed jionlp {dist.version}, kg/data holds {recorded_version()}'s file: install the test extra's pin"
    ours = SOURCE_FILE.read_bytes()
    # the hash the wheel itself lists for the file (its RECORD), and the file pip installed from it
    [record] = [f for f in dist.files if str(f) == MEMBER]
    assert record.hash.mode == "sha256"
    digest = record.hash.value
    assert base64.urlsafe_b64encode(hashlib.sha256(ours).digest()).rstrip(b"=").decode() == digest
    assert record.size == len(ours)
    spec = importlib.util.find_spec("jionlp")           # found, not imported (jionlp is slow to import)
    installed = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "china_location.zip"
    assert installed.read_bytes() == ours
    # and the licence beside it is the one that package ships
    [licence] = [f for f in dist.files if str(f).endswith("LICENSE") and "dist-info" in str(f)]
    assert licence.read_text(encoding="utf-8") == (DATA / "LICENSE.jionlp").read_text(encoding="utf-8")


def test_the_gazetteer_loads_from_the_shipped_file(tmp_path):
    gaz = Gazetteer.load(tmp_path / "cache")
    assert gaz.source() == f"{SOURCE_ORIGIN} sha256:{sha256(SOURCE_FILE.read_bytes())}"
    assert not gaz.from_cache                                  # parsed from kg/data's file, here
    [lanzhou] = [d for d in gaz.lookup("兰州市") if d.level == "prefecture"]
    assert (lanzhou.code, lanzhou.short, gaz.parent(lanzhou).name) == ("620100", "兰州", "甘肃省")
