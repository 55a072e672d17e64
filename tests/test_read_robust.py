"""Stage 1, robustness: every input is read, or refused with a reason; nothing is lost silently.

Big5 and traditional Chinese, damaged files, UTF-16 without BOM, old-Mac line
endings, files of the same name, HTML pages.
"""
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.read
from kg.model import Page
from kg.read import read_pages
from kg.split import split_articles

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_320acec1efe6e9ba.txt"   # one article about 甘肃省兰州市
SEED_TEXT = SEED.read_text(encoding="utf-8")
MANY_ARTICLES = ROOT / "seeds" / "003_570b3d3c38bc14e8.txt"   # seven articles

TRADITIONAL = ("甘肅省蘭州市委組織部深入開展「有事找書記」活動，推動基層黨組織全面進步全面過硬。\n"
               "蘭州市城關區為轄區群眾辦實事二百餘件。\n")
SIMPLIFIED = ("甘肃省兰州市委组织部深入开展「有事找书记」活动，推动基层党组织全面进步全面过硬。\n"
              "兰州市城关区为辖区群众办实事二百余件。\n")


def read_one(path: Path) -> tuple[Page, list[str]]:
    """The page read from one file, and the warnings about it (failing if it was refused)."""
    pages, problems = read_pages([str(path)])
    errors = [str(p) for p in problems if not p.warning]
    assert len(pages) == 1 and not errors, errors
    return pages[0], [p.problem for p in problems]


def test_big5_article_is_read_as_simplified_text_with_its_entities(tmp_path):
    (tmp_path / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    page, warnings = read_one(tmp_path / "big5.txt")
    assert page.encoding in ("cp950", "big5")
    assert page.text == SIMPLIFIED and page.original == TRADITIONAL
    (article,) = split_articles(page)
    assert "甘肃省兰州市委组织部" in article.text and "兰州市城关区" in article.text
    assert any("traditional Chinese" in w for w in warnings)


def test_traditional_utf8_is_converted_and_the_text_as_written_kept(tmp_path):
    (tmp_path / "trad.txt").write_text(TRADITIONAL, encoding="utf-8")
    page, warnings = read_one(tmp_path / "trad.txt")
    assert page.encoding == "utf-8"
    assert page.text == SIMPLIFIED and page.original == TRADITIONAL
    # offsets into the text slice the original at the same characters
    at = page.text.index("兰州市城关区")
    assert page.original[at:at + 6] == "蘭州市城關區"
    assert any("traditional Chinese" in w for w in warnings)


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.stem[:3])
def test_simplified_text_stays_byte_identical(seed):
    page, warnings = read_one(seed)
    assert page.text == page.original == seed.read_text(encoding="utf-8")
    assert warnings == []


def test_a_phrase_conversion_that_changes_the_length_falls_back_to_characters(monkeypatch):
    class Converter:   # OpenCC's phrase conversion, as if one phrase changed its length
        def convert(self, text: str) -> str:
            return text.replace("蘭州", "兰州市").replace("蘭", "兰").replace("區", "区")

    monkeypatch.setattr(kg.read, "_t2s", lambda: Converter())
    text, changed = kg.read.to_simplified("蘭州城關區\n蘭州\n")
    assert (text, changed) == ("兰州城關区\n兰州\n", 3)


def test_one_invalid_byte_and_one_nul_in_a_seed_still_read_with_warnings(tmp_path):
    data = SEED.read_bytes()
    cut = data.index("全力推动".encode())          # between two characters
    damaged = data[:cut] + b"\xff" + data[cut:cut + 600] + b"\x00" + data[cut + 600:]
    (tmp_path / "damaged.txt").write_bytes(damaged)
    page, warnings = read_one(tmp_path / "damaged.txt")
    assert page.doc_id == "damaged" and page.encoding == "utf-8"
    cut_text = SEED_TEXT.index("全力推动")
    assert page.text == SEED_TEXT[:cut_text] + "\ufffd" + SEED_TEXT[cut_text:]
    assert warnings == ["1 invalid byte sequence(s) replaced by U+FFFD (read as utf-8)",
                        "1 control character(s) (NUL and the like) removed"]


def test_big5_with_a_bad_byte_is_still_read_as_big5(tmp_path):
    data = (TRADITIONAL * 20).encode("big5")
    at = len((TRADITIONAL * 3).encode("big5"))
    # the detector gives up on it (it decodes strictly); GB18030 would read it with as few errors
    (tmp_path / "damaged.txt").write_bytes(data[:at] + b"\xff" + data[at:])
    page, warnings = read_one(tmp_path / "damaged.txt")
    assert page.encoding in ("cp950", "big5")
    assert page.text == SIMPLIFIED * 3 + "\ufffd" + SIMPLIFIED * 17
    assert warnings[0] == f"1 invalid byte sequence(s) replaced by U+FFFD (read as {page.encoding})"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, codec):
    (tmp_path / "u16.txt").write_bytes(SEED_TEXT.encode(codec))
    page, warnings = read_one(tmp_path / "u16.txt")
    assert page.text == SEED_TEXT and page.encoding == codec.replace("-", "_")
    assert warnings == []


def test_gb18030_file_is_read_as_before(tmp_path):
    (tmp_path / "gb.txt").write_bytes(SEED_TEXT.encode("gb18030"))
    page, warnings = read_one(tmp_path / "gb.txt")
    assert page.text == SEED_TEXT and page.encoding == "gb18030" and warnings == []


@pytest.mark.parametrize("name,data", [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00" + "甘肃省".encode() * 200),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n" + random.Random(1).randbytes(2000)),
    ("noise", random.Random(2).randbytes(5000))])
def test_binary_files_are_still_refused_with_a_reason(tmp_path, name, data):
    (tmp_path / f"{name}.txt").write_bytes(data)
    pages, problems = read_pages([str(tmp_path / f"{name}.txt")])
    assert pages == []
    assert len(problems) == 1 and not problems[0].warning
    assert problems[0].problem.startswith(("binary file", "cannot be decoded"))


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\u2028"], ids=["CR", "CRLF", "LS"])
def test_other_line_endings_give_the_same_articles_as_lf(tmp_path, ending):
    text = MANY_ARTICLES.read_text(encoding="utf-8")
    (tmp_path / "lf.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "other.txt").write_text(text.replace("\n", ending), encoding="utf-8", newline="")
    lf = split_articles(read_one(tmp_path / "lf.txt")[0])
    other_page = read_one(tmp_path / "other.txt")[0]
    other = split_articles(other_page)
    assert len(lf) == 7
    assert [(a.title, a.text) for a in other] == [(a.title, a.text) for a in lf]
    for article in other:   # offsets still point into the page's text
        for ch, at in zip(article.text, article.origin):
            assert ch in "\n " or ch == other_page.text[at] or ord(other_page.text[at]) > 0xFF00


def test_files_of_the_same_name_in_two_folders_are_both_read(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "a" / "y.md").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "y.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "z.txt").write_text(SIMPLIFIED, encoding="utf-8")
    pages, problems = read_pages([str(tmp_path)])
    assert problems == []
    # a unique stem stays the doc_id (the scorer relies on it); shared ones get their folder
    assert sorted(p.doc_id for p in pages) == ["a/x", "a/y", "b/x", "y", "z"]


def test_same_name_in_two_input_folders_and_a_file_given_twice(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(SIMPLIFIED, encoding="utf-8")
    pages, problems = read_pages([str(tmp_path / "one"), str(tmp_path / "two"),
                                  str(tmp_path / "one" / "x.txt")])
    assert len({p.doc_id for p in pages}) == 2
    assert [(p.warning, p.problem) for p in problems] == [(True, "given twice; read once")]


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>兰州：强基固本筑堡垒_新甘肃</title>
<meta property="og:url" content="https://www.gansudaily.com.cn/system/2024/05/06/1.shtml">
<meta property="og:site_name" content="新甘肃"><meta name="publishdate" content="2024-05-06">
<script>var x="甘肃省"; document.write("定西市");</script>
<style>.lead::before { content: "白银市"; }</style></head>
<body><h1>兰州：强基固本筑堡垒</h1>
<p>兰州市委组织部深入开展“有事找书记”活动。</p>
<p>城关区为辖区群众办实事二百余件，推动基层党组织全面进步全面过硬。</p>
<script>var y = "酒泉市";</script><noscript>请启用JavaScript</noscript>
</body></html>
"""


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.txt"])
def test_html_is_reduced_to_its_article_text_without_scripts(tmp_path, name):
    (tmp_path / name).write_text(HTML, encoding="utf-8")
    pages, problems = read_pages([str(tmp_path)])   # .html files are found in folders too
    assert problems == [] and len(pages) == 1
    page = pages[0]
    assert page.text == page.original
    assert "兰州市委组织部深入开展“有事找书记”活动。" in page.text.splitlines()
    for leaked in ("甘肃省", "定西市", "白银市", "酒泉市", "var ", "JavaScript", "<p>", "meta"):
        assert leaked not in page.text
    assert page.meta == {"title": "兰州：强基固本筑堡垒", "date": "2024-05-06",
                         "url": "https://www.gansudaily.com.cn/system/2024/05/06/1.shtml",
                         "source": "新甘肃"}


def test_traditional_html_in_big5_is_converted(tmp_path):
    html = ('<html><head><meta charset="big5"></head><body><p>'
            + TRADITIONAL.replace("\n", "</p><p>") + "</p></body></html>")
    (tmp_path / "trad.html").write_bytes(html.encode("big5"))
    page, _ = read_one(tmp_path / "trad.html")
    assert page.text.splitlines() == SIMPLIFIED.splitlines()
    assert page.original.splitlines() == TRADITIONAL.splitlines()


def test_html_without_text_is_refused_with_a_reason(tmp_path):
    (tmp_path / "empty.html").write_text('<html><body><script>var x="甘肃省"</script></body></html>',
                                         encoding="utf-8")
    pages, problems = read_pages([str(tmp_path / "empty.html")])
    assert pages == [] and [p.problem for p in problems] == ["HTML page holds no article text"]


# Damage a seed: delete, insert or overwrite up to four bytes anywhere.
MUTATIONS = st.lists(st.tuples(st.sampled_from(["delete", "insert", "flip"]),
                               st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                     min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_a_few_damaged_bytes_never_lose_the_file(mutations):
    data = bytearray(SEED.read_bytes())
    for kind, where, byte in mutations:
        at = int(where * len(data))
        if kind == "delete":
            del data[at]
        elif kind == "insert":
            data.insert(at, byte)
        else:
            data[at] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.txt"
        path.write_bytes(bytes(data))
        pages, problems = read_pages([str(path)])
    assert [p.doc_id for p in pages] == ["seed"], [str(p) for p in problems]
    assert all(p.warning for p in problems)
    assert pages[0].text.count("甘肃省") >= SEED_TEXT.count("甘肃省") - 4
