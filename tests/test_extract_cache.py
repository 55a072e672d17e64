"""The extraction cache (kg.extract_cache): a rebuild takes unchanged files from
OUTDIR/.kg-cache, extracts only what changed, and writes the same bytes as a cold build;
a damaged entry is ignored with a warning and extracted again."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kg.build import Extraction, Pipeline, build
from kg.extract_cache import (ExtractCache, article_fingerprint, decode_extraction, encode, encode_extraction,
                              extractor_version, loads)
from kg.outdir import CACHE_DIRNAME, OutdirError, check_outdir
from kg.read import read_pages
from kg.split import split_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GRAPH = ("graph.ttl", "graph.trig", "graph.nq", "summary.json", ".kg-build.json")


@pytest.fixture(scope="module")
def pipeline(gazetteer, segmenter):
    """One pipeline's gazetteer and segmenter for every build here (each build gets its own
    Pipeline, whose registry starts empty)."""
    return lambda: Pipeline(gazetteer, segmenter)


def graph_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in GRAPH}


def entries(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIRNAME / "extract").glob("*.json"))


@pytest.fixture
def corpus(tmp_path):
    """A copy of the seeds to change."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def test_a_rebuild_takes_every_file_from_the_cache_and_writes_the_same_bytes(corpus, tmp_path, pipeline):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    cold = build([str(corpus)], out, pipeline=pipeline())
    assert (cold.extracted, cold.from_cache, cold.cache_warnings) == (5, 0, [])
    assert len(entries(out)) == 5 and (out / CACHE_DIRNAME / "CACHEDIR.TAG").is_file()
    first = graph_bytes(out)
    warm = build([str(corpus)], out, pipeline=pipeline())
    assert (warm.extracted, warm.from_cache, warm.cache_warnings) == (0, 5, [])
    assert "0 file(s) extracted, 5 from the cache" in warm.text()
    assert graph_bytes(out) == first                       # summary.json included
    uncached = build([str(corpus)], fresh, pipeline=pipeline(), cache=False)
    assert uncached.extracted == 5 and not (fresh / CACHE_DIRNAME).exists()
    assert graph_bytes(fresh) == first


def test_after_one_file_changed_only_that_file_is_extracted(corpus, tmp_path, pipeline):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build([str(corpus)], out, pipeline=pipeline())
    before = {p.name for p in entries(out)}
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n兰州市城关区开展“红色物业”试点工作。\n",
                       encoding="utf-8")
    report = build([str(corpus)], out, pipeline=pipeline())
    assert (report.extracted, report.from_cache) == (1, 4)
    after = {p.name for p in entries(out)}
    assert len(after) == 5 and len(after - before) == 1        # the old entry of the file pruned
    build([str(corpus)], fresh, pipeline=pipeline(), cache=False)
    assert graph_bytes(out) == graph_bytes(fresh)
    assert b"\xe7\xba\xa2\xe8\x89\xb2\xe7\x89\xa9\xe4\xb8\x9a" in (out / "graph.nq").read_bytes()   # 红色物业


def test_a_removed_file_loses_its_entry(corpus, tmp_path, pipeline):
    out = tmp_path / "out"
    build([str(corpus)], out, pipeline=pipeline())
    sorted(corpus.glob("*.txt"))[0].unlink()
    report = build([str(corpus)], out, pipeline=pipeline())
    assert (report.extracted, report.from_cache) == (0, 4) and len(entries(out)) == 4


@pytest.mark.parametrize("damage", ["garbage", "truncated", "checksum", "forged", "empty"])
def test_a_damaged_entry_is_ignored_with_a_warning_and_extracted_again(corpus, tmp_path, pipeline, damage):
    out = tmp_path / "out"
    build([str(corpus)], out, pipeline=pipeline())
    first = graph_bytes(out)
    entry = entries(out)[1]
    raw = entry.read_bytes()
    head, _, body = raw.partition(b"\n")
    if damage == "garbage":
        entry.write_bytes(b"\x00\xff not an entry")
    elif damage == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "checksum":                # one character of the body changed: the checksum no longer fits
        entry.write_bytes(raw.replace(b'"parts":', b'"parts" :', 1))
    elif damage == "forged":                  # a well-formed entry with a bad value and a matching checksum
        body = body.replace(b'{"$Mention":[', b'{"$Nothing":[', 1)
        entry.write_bytes(b"kg-extract-cache 1 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    else:
        entry.write_bytes(b"")
    report = build([str(corpus)], out, pipeline=pipeline())
    assert (report.extracted, report.from_cache) == (1, 4)
    (warning,) = report.cache_warnings
    assert str(entry) in warning and "extracted again" in warning and warning.startswith(str(corpus))
    assert graph_bytes(out) == first
    assert entry.read_bytes() == raw                          # written anew, whole


def test_no_cache_reads_and_writes_none_and_keeps_the_cache(corpus, tmp_path, pipeline):
    out = tmp_path / "out"
    build([str(corpus)], out, pipeline=pipeline())
    kept = {p.name: p.read_bytes() for p in entries(out)}
    for entry in entries(out):
        entry.write_bytes(b"damaged")                        # would warn if it were read
    report = build([str(corpus)], out, pipeline=pipeline(), cache=False)
    assert (report.extracted, report.from_cache, report.cache_warnings) == (5, 0, [])
    assert {p.name for p in entries(out)} == set(kept)
    assert all(p.read_bytes() == b"damaged" for p in entries(out))


def test_extractions_come_back_equal_with_parts_as_the_very_mentions(gazetteer, segmenter):
    pipeline = Pipeline(gazetteer, segmenter)
    pages, _ = read_pages([str(SEEDS)])
    checked = pairs = 0
    kinds: set[type] = set()
    for page in pages:
        for article in split_articles(page):
            found = pipeline.extract(article)
            data = loads(json.dumps(encode_extraction(found), ensure_ascii=False))
            back = decode_extraction(data, Extraction)
            assert back == found
            for (part, whole), (p2, w2) in zip(found.parts + found.targets, back.parts + back.targets):
                i, j = found.mentions.index(part), found.mentions.index(whole)
                assert p2 is back.mentions[i] and w2 is back.mentions[j]
                pairs += 1
            checked += 1
            kinds |= {type(v) for m in back.mentions for v in m.attrs.values()}
            kinds |= {type(post) for m in back.mentions for post in m.attrs.get("posts", [])}
    assert checked >= 12 and pairs > 20
    # the values keep their types (== alone would not tell a tuple from a list): aliases sets,
    # posts tuples, divisions Divisions
    assert {set, tuple, list, bool, str}.issubset(kinds) and "Division" in {k.__name__ for k in kinds}


def test_an_entry_is_used_only_for_the_same_articles(tmp_path, gazetteer, segmenter):
    """--meta may give an article another date (which the program finder reads) without
    changing the file: the article's fingerprint differs, so the entry is a miss."""
    pipeline = Pipeline(gazetteer, segmenter)
    (page,), _ = read_pages([str(sorted(SEEDS.glob("*.txt"))[0])])
    articles = split_articles(page)
    cache = ExtractCache(tmp_path / CACHE_DIRNAME, extractor_version(pipeline), Extraction)
    cache.store(page.path, articles, [pipeline.extract(a) for a in articles])
    assert cache.load(page.path, articles) is not None
    dated = split_articles(page)
    dated[0].issued = "2020-01-01"
    assert article_fingerprint(dated[0]) != article_fingerprint(articles[0])
    assert cache.load(page.path, dated) is None and cache.warnings == []      # another entry
    other = ExtractCache(tmp_path / CACHE_DIRNAME, "another extractor", Extraction)
    assert other.load(page.path, articles) is None and other.warnings == []


def test_outdir_accepts_our_cache_alone_and_refuses_one_without_our_tag(corpus, tmp_path, pipeline):
    out = tmp_path / "out"
    build([str(corpus)], out, pipeline=pipeline())
    interrupted = tmp_path / "interrupted"          # a first build stopped after extracting
    shutil.copytree(out / CACHE_DIRNAME, interrupted / CACHE_DIRNAME)
    check_outdir(interrupted, [str(corpus)])
    report = build([str(corpus)], interrupted, pipeline=pipeline())
    assert report.from_cache == 5 and graph_bytes(interrupted) == graph_bytes(out)
    foreign = tmp_path / "foreign"
    (foreign / CACHE_DIRNAME).mkdir(parents=True)
    (foreign / CACHE_DIRNAME / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutdirError, match="did not make"):
        check_outdir(foreign, [str(corpus)])
    (out / CACHE_DIRNAME / "CACHEDIR.TAG").write_text("Signature: something else\n", encoding="ascii")
    with pytest.raises(OutdirError, match="did not make"):
        check_outdir(out, [str(corpus)])


def test_the_tagged_json_keeps_types_and_refuses_what_it_cannot_have_made():
    from kg.dates import StartDate
    from kg.gazetteer import Division
    value = {"one": {"only": (1, 2.5, None)}, "set": {"a", "b"}, "frozen": frozenset({("x", 1)}),
             "list": [[], {}, ()], "division": Division(3, "兰州市", "prefecture", "620100", "兰州", 1),
             "start": StartDate("2024-12", "gYearMonth", "2024年12月")}
    back = loads(json.dumps(encode(value), ensure_ascii=False))
    assert back == value
    assert type(back["one"]["only"]) is tuple and type(back["set"]) is set and type(back["frozen"]) is frozenset
    assert type(back["list"][2]) is tuple and type(back["division"]) is Division
    for forged in ('{"$Mention": ["Program", "x"]}', '{"$t": 1}', '{"$Popen": []}', '{"$d": [1]}', '{"$s": [[1]]}'):
        with pytest.raises((ValueError, TypeError)):
            loads(forged)
    with pytest.raises(TypeError):
        encode({"$t": 1})
    with pytest.raises(TypeError):
        encode(object())


def test_files_of_the_same_bytes_share_one_entry(tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = sorted(SEEDS.glob("*.txt"))[3].read_bytes()
    (corpus / "a.txt").write_bytes(text)
    (corpus / "b.txt").write_bytes(text)
    out = tmp_path / "out"
    assert build([str(corpus)], out, pipeline=pipeline()).extracted == 2
    assert len(entries(out)) == 1
    again = build([str(corpus)], out, pipeline=pipeline())
    assert (again.extracted, again.from_cache) == (0, 2) and len(entries(out)) == 1
