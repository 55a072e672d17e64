"""The word lists the finders match with, read once from the lexicons (kg/lexicon/*.tsv).

A finder looks for words: level words (省 市 村), verbs (开展 实施), time words (近年来),
function words (在 对 和). Each such word is one row of one lexicon file, whose `uses`
column names the lists the word is in and whose header says what each list is for and
which code reads it. This module reads the files and gives every list a name; the finder
modules take their constants from here (`COMMITTEE_LEVELS = vocab.COMMITTEE_LEVELS`), so a
word is added or removed in one place, next to the reason it is there.

Lists are tuples in file order. `longest_first` orders a list for matching where one word
may start or end with another (说道 and 说, 社区 and 区); `alternation` writes a list as a
regular expression, `char_class` a list of single characters as a character class.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .lexicon import load


def words(table: str, use: str) -> tuple[str, ...]:
    """The words of kg/lexicon/{table}.tsv whose `uses` column names `use`, in file order."""
    return tuple(row["word"] for row in load(table) if use in row["uses"].split())


def longest_first(items: Iterable[str]) -> tuple[str, ...]:
    """The words, longer ones first, equal lengths in their given order: matched in this
    order, a word wins over a shorter one it starts or ends with (说道 before 说)."""
    return tuple(sorted(items, key=len, reverse=True))


def alternation(items: Iterable[str]) -> str:
    """A regular expression (without a group) matching any of the words, longest first:
    ("说", "说道") → "说道|说"."""
    return "|".join(re.escape(w) for w in longest_first(items))


def char_class(items: Iterable[str]) -> str:
    """A character class matching any of the one-character words: ("省", "市") → "[省市]"."""
    chars = tuple(items)
    if any(len(c) != 1 for c in chars):
        raise ValueError(f"not single characters: {chars!r}")
    return "[" + re.escape("".join(chars)) + "]"


# ---------------------------------------------------------------------------- divisions
# kg/lexicon/divisions.tsv: level words and the names of the bodies of townships and villages.

_RANKS = {"province": 0, "prefecture": 1, "county": 2, "township": 3, "village": 4}


def _divisions(use: str, level: str | None = None) -> tuple[str, ...]:
    """Words of divisions.tsv in the list `use`, of one level if given."""
    return tuple(row["word"] for row in load("divisions")
                 if use in row["uses"].split() and (level is None or row["level"] == level))


# the gazetteer's township and village names end so (…街道办事处, …村民委员会, …嘎查)
TOWNSHIP_SUFFIXES = _divisions("gazetteer", "township")
VILLAGE_SUFFIXES = _divisions("gazetteer", "village")
# the suffixes of townships and villages, where names the gazetteer may lack are read
LOW_SUFFIXES = _divisions("low")
LOW_TOWNSHIP_SUFFIXES = _divisions("low", "township")
LOW_VILLAGE_SUFFIXES = _divisions("low", "village")
# the level words of provinces (省, 自治区) and of the country (国)
PROVINCE_LEVELS = tuple(r["word"] for r in load("divisions") if r["level"] == "province" and r["kind"] == "level")
COUNTRY_LEVELS = tuple(r["word"] for r in load("divisions") if r["level"] == "country")
# level words written before an organization for the article's division (市委组织部)
LEVEL_WORDS = _divisions("org_level")
# levels whose party committee is written X委
COMMITTEE_LEVELS = _divisions("committee")
# level word → rank (province 0 … village 4)
LEVEL_RANK = {r["word"]: _RANKS[r["level"]] for r in load("divisions") if "rank" in r["uses"].split()}
# a village committee → the level word of the division it governs (村委会 → 村)
SELF_GOVERNING = {r["word"]: r["of"] for r in load("divisions") if r["of"]}
# a committee's short name → its full name (村委会 → 村民委员会)
COMMITTEE_FULL = {r["word"]: r["full"] for r in load("divisions") if r["full"]}
DIVISION_ENDINGS = _divisions("ending")
SCOPE_LEVELS = _divisions("scope")
OWN_LEVELS = _divisions("own")
ALONE_LEVELS = _divisions("alone")
BACK_LEVELS = _divisions("back")
BACK_LI_LEVELS = _divisions("back_li")
ENUM_LEVELS = _divisions("enum")
BARE_LEVELS = _divisions("bare")
LISTED_LEVELS = _divisions("listed")
LEVEL_CHARS = _divisions("level_char")
NOT_IN_NAME_LEVELS = _divisions("not_in_name")
CHAIN_LEVELS = _divisions("chain")
NOT_IN_PLACE_LEVELS = _divisions("not_in_place")
COUNTED_LEVELS = _divisions("counted")
NAMED_BODY_LEVELS = _divisions("named_body")
NOT_GIVEN_LEVELS = _divisions("not_given")
WHOLE_LEVELS = _divisions("whole")
