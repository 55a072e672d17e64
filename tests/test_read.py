"""Stage 1: reading files in the encodings Chinese news comes in, and refusing what is not text."""
from pathlib import Path

import pytest

from kg.read import decode, read_pages

SENTENCE = "兰州市委组织部深入开展“有事找书记”活动。"


@pytest.mark.parametrize("codec,prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("gb18030", b""), ("gbk", b""), ("utf-16", b"")])
def test_decodes_common_encodings(codec, prefix):
    decoded = decode(prefix + SENTENCE.encode(codec))
    assert decoded.text == SENTENCE
    assert decoded.encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16")
    assert (decoded.replaced, decoded.removed) == (0, 0)


def test_binary_and_undecodable_bytes_are_refused():
    with pytest.raises(ValueError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(ValueError, match="cannot be decoded"):
        decode(b"\x81\x30\xff\xff" * 4)


def test_read_pages_reports_each_bad_file_and_keeps_the_good(tmp_path: Path):
    (tmp_path / "good.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(SENTENCE.encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "latin.md").write_text("no Chinese here", encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    pages, problems = read_pages([str(tmp_path)])
    assert sorted(p.doc_id for p in pages) == ["gbk", "good"]
    assert all(p.text == SENTENCE for p in pages)
    reasons = {Path(p.path).name: p.problem for p in problems}
    assert reasons == {"empty.txt": "file is empty",
                       "binary.txt": "binary file (contains NUL bytes), not text",
                       "latin.md": "file holds no Chinese text"}


def test_folder_without_text_and_missing_path_are_named(tmp_path: Path):
    (tmp_path / "empty_dir").mkdir()
    pages, problems = read_pages([str(tmp_path / "empty_dir"), str(tmp_path / "nope.txt")])
    assert pages == []
    assert [p.problem for p in problems] == ["folder holds no .txt, .md or .html file", "no such file or folder"]
