"""The word tables of kg/lexicon read by kg/vocab.py: one row per word, every list documented."""
import re
from pathlib import Path

import pytest

from kg import vocab
from kg.lexicon import LEXICON_DIR, load

VOCAB_SOURCE = Path(vocab.__file__).read_text(encoding="utf-8")


def _documented(table: str) -> set[str]:
    """The list names the header of kg/lexicon/{table}.tsv explains (`#   name  what for`)."""
    names = set()
    for line in (LEXICON_DIR / f"{table}.tsv").read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s{2,4}([a-z_]+(?:, [a-z_]+)*)(?:\s|$)", line)
        if m and not line.startswith("#  kg/"):
            names.update(m.group(1).split(", "))
    return names


def test_each_word_has_one_row():
    """A word is in divisions.tsv or words.tsv, once; words.tsv holds no organization suffix."""
    seen: dict[str, str] = {}
    for table in ("divisions", "words"):
        for row in load(table):
            assert row["word"] not in seen, f"{row['word']} in {seen.get(row['word'])} and {table}"
            seen[row["word"]] = table
    suffixes = {row["suffix"] for row in load("org_suffixes")}
    assert not suffixes & {row["word"] for row in load("words")}


@pytest.mark.parametrize("table", vocab.WORD_TABLES)
def test_every_list_is_documented_and_read(table):
    used = {use for row in load(table) for use in row.get("uses", "").split()}
    documented = _documented(table)
    assert used <= documented, f"lists without a header line: {used - documented}"
    assert documented <= used, f"documented lists with no word: {documented - used}"
    for use in used:
        assert f'"{use}"' in VOCAB_SOURCE, f"{use} is read by no code in kg/vocab.py"


@pytest.mark.parametrize("table", ("divisions", "words"))
def test_every_row_says_why(table):
    for row in load(table):
        assert row["basis"] in ("general", "national", "standard", "source"), row
        assert row["uses"], row


def test_alternation_puts_longer_words_first():
    assert vocab.alternation(("说", "说道", "表示")) == "说道|表示|说"
    assert re.fullmatch(vocab.alternation(("今年", "今年以来")), "今年以来")
    assert vocab.char_class(("省", "市")) == "[省市]"
    with pytest.raises(ValueError):
        vocab.char_class(("街道",))
