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


# The lexicons with a `uses` column, and the column that holds the word. A list may take
# words from several (the characters never inside a division's name: level characters and
# function words). A word has one row in divisions.tsv or words.tsv; the names of village
# committees are also suffixes of organizations in org_suffixes.tsv, and some suffixes of
# organizations and places are in lists of words.tsv too (flagged in their own table).
WORD_TABLES = {"divisions": "word", "words": "word", "org_suffixes": "suffix", "place_suffixes": "suffix"}


def _by_use(table: str) -> dict[str, tuple[dict, ...]]:
    """The rows of kg/lexicon/{table}.tsv by each list their `uses` column names, in file order."""
    lists: dict[str, list[dict]] = {}
    for row in load(table):
        for use in row.get("uses", "").split():
            lists.setdefault(use, []).append(row)
    return {use: tuple(rows) for use, rows in lists.items()}


# each table's rows by list, read once when the module is imported
_LISTS = {table: _by_use(table) for table in WORD_TABLES}


def words(use: str) -> tuple[str, ...]:
    """The words whose `uses` column names `use`, in file order, the tables in the order above."""
    return tuple(row[key] for table, key in WORD_TABLES.items() for row in _LISTS[table].get(use, ()))


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
    return tuple(row["word"] for row in _LISTS["divisions"].get(use, ())
                 if level is None or row["level"] == level)



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
COMMITTEE_FULL = {r["word"]: r["full"] for r in load("divisions") if r["full"] and r["kind"] == "office"}
# a development zone's full kind → its short kind (高新技术产业开发区 → 高新区)
ZONE_SHORT = {r["full"]: r["word"] for r in load("divisions") if "zone" in r["uses"].split()}
# short forms of kinds of area (新区, 城区) and the marks of pseudo entries (虚拟) in the gazetteer
GENERIC_SHORTS = words("generic_short")           # divisions.tsv and words.tsv
PSEUDO_MARKS = _divisions("pseudo")
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
CHAIN_LEVELS = _divisions("chain")
COUNTED_LEVELS = _divisions("counted")
NAMED_BODY_LEVELS = _divisions("named_body")
NOT_GIVEN_LEVELS = _divisions("not_given")
WHOLE_LEVELS = _divisions("whole")
NATURAL_LEVELS = _divisions("natural")


# ---------------------------------------------------------------------------- general words
# kg/lexicon/words.tsv: verbs, function words, time words; its header says what each list is for.

# kg/find/organizations.py
ORG_FUNCTION = words("org_function")
PLURAL_BEFORE = words("plural_before")
ORG_LEAD = words("org_lead")
ORG_STOP = words("org_stop")
FOUND_BRANCH = words("found_branch")
FOUND_ADVERB = words("found_adverb")
STATED_AT = words("stated_at")
OWNER = words("owner")
ORG_GENERIC = words("org_generic")                # divisions.tsv, words.tsv, org_suffixes.tsv
ORG_NAME_VERB = words("org_name_verb")
SECTOR = words("sector")
NOT_SECTOR = words("not_sector")
NATIONAL_PREFIX = words("national_prefix")
NOT_COMMITTEE_AFTER = words("not_committee_after")
COMPANY_WORD = words("company_word")              # 公司 of org_suffixes.tsv, 企业 of words.tsv
# kg/find/people.py
NOT_IN_PERSON = words("not_in_person")
AFTER_PERSON = words("after_person")
GIVEN_TOO = words("given_too")
COURTESY = words("courtesy")
SPEECH = words("speech")
SENT = words("sent")
FOUNDS = words("founds")
CREDIT_LABEL = words("credit_label")
CREDIT_END = words("credit_end")
# kg/find/places.py
NOT_IN_NAME = words("not_in_name")          # level characters and function words
GEO = words("geo")                          # place_suffixes.tsv
LIST_END = words("list_end")
BEFORE_NAME = words("before_name")
LIST_OPENER = words("list_opener")
LOCATIVE = words("locative")
NOT_IN_FIRM = words("not_in_firm")
# kg/find/programs.py
OUTER = words("outer")
PROGRAM_ADVERB = words("program_adverb")
HEAD_STOP = words("head_stop")
QUOTE = words("quote")
INNER = words("inner")
PROGRAM_PREP = words("program_prep")
HONOUR = words("honour")
DATE_VERB = words("date_verb")
PROGRAM_STOP = words("program_stop")
LEVER = words("lever")
NAMELY = words("namely")
NAMELY_LIST = words("namely_list")
LIST_VERB = words("list_verb")
SHORT_BEFORE = words("short_before")
HEADING = words("heading")
BUILD_NEXT = words("build_next")
QUANTITY = words("quantity")
LINK_AFTER = words("link_after")
GROUP_MODIFIER = words("group_modifier")         # with 党组织, 党支部 of org_suffixes.tsv
LINK_BEFORE = words("link_before")
LEAD_BEFORE = words("lead_before")
PLATFORM_HEAD = words("platform_head")
PEOPLE_END = words("people_end")                  # with 委员会 of org_suffixes.tsv
CLASS_TRIGGER = words("class_trigger")
DISPATCH_STEP = words("dispatch_step")
# kg/relate.py
RELATE_LEAD = words("relate_lead")
RELATE_LEAD_LATE = words("relate_lead_late")
SOURCE_SPEECH = words("source_speech")
PARTNER_MARK = words("partner_mark")
RELATE_PREP = words("relate_prep")
DEMONSTRATIVE = words("demonstrative")
AGENT = words("agent")
PARTNER_VERB = words("partner_verb")
SERVES = words("serves")
NOT_SERVED_QUALIFIER = words("not_served_qualifier")
NOT_SERVED = words("not_served")
CONTAINS = words("contains")
# kg/statistics.py
PRE_QUALIFIER = words("pre_qualifier")
NOT_PRE_QUALIFIER = words("not_pre_qualifier")
STAT_LEAD = words("stat_lead")
CHANGE_TO = words("change_to")
STAT_TRAIL = words("stat_trail")
NOUN_START_STOP = words("noun_start_stop")
NOUN_STOP = words("noun_stop")
VERB_START = words("verb_start")
NOUN_END_TRIM = words("noun_end_trim")
CHANGE = words("change")
DISTRIBUTIVE = words("distributive")
CN_IDIOM = words("cn_idiom")
SLOGAN_HEAD = words("slogan_head")
RATE_NOUN = words("rate_noun")
DURATION_PLAN = words("duration_plan")
DURATION_NAME = words("duration_name")
MONEY_VERB = words("money_verb")
# kg/find/documents.py
DOC_VERB = words("doc_verb")
DOC_FILLER = words("doc_filler")
LAW_TITLE = words("law_title")
DOC_SUFFIX = words("doc_suffix")
GENERIC_DOC = words("generic_doc")
NOT_DOCUMENT_AFTER = words("not_document_after")
REPORTER = words("reporter")                     # also kg/find/terms.py
BYLINE_PAPER = words("byline_paper")
NEWSPAPER = words("newspaper")
# kg/find/terms.py
HALL_BOUNDARY = words("hall_boundary")
PLATFORM_STOP = words("platform_stop")
COMPOUND_AFTER = words("compound_after")          # with suffixes of org_suffixes.tsv
FACILITY_MODIFIER = words("facility_modifier")    # with level words of divisions.tsv
SITE_END = words("site_end")
HALL = words("hall")                              # with 博物馆 of org_suffixes.tsv
PLATFORM_SUFFIX = words("platform_suffix")
INFO_WORD = words("info_word")
NOT_PLATFORM_END = words("not_platform_end")
NOT_PLATFORM = words("not_platform")
NOT_OUTLET_END = words("not_outlet_end")          # with suffixes of org_suffixes.tsv
NOT_IN_PLACE = words("not_in_place")              # level characters and function words
# kg/split.py, kg/normalize.py
PRESS_ROLE = words("press_role")                  # with 融媒体中心 of org_suffixes.tsv
BYLINE_ROLE = words("byline_role")
PAGE_META = words("page_meta")
PAGE_FURNITURE = words("page_furniture")
SOURCE_LABEL = words("source_label")             # kg/relate.py


# ---------------------------------------------------------------------------- organizations
# kg/lexicon/org_suffixes.tsv: lists of organization suffixes (its header says what each is for).

PARTY_KINDS = words("party_kind")
COMPANY_PARTY_KINDS = words("company_party")
BRANCH_KINDS = words("branch_kind")
FOUNDED_KINDS = words("founded")
VILLAGE_BODIES = words("village_body")
BACKREF = words("backref")
CLAUSE_BACKREF = words("clause_backref")
COMPANY_BODIES = words("company_body")
LEGAL_FORMS = words("legal_form")


# ---------------------------------------------------------------------------- time
# kg/lexicon/time_words.tsv: words of time kg/dates.py resolves against an article's date
# (its header says what each kind is for); each list maps the word to its `value` column.

def _time(kind: str) -> dict[str, str]:
    """{word: value} of the rows of time_words.tsv of one kind, in file order."""
    return {row["word"]: row.get("value", "") for row in load("time_words") if row["kind"] == kind}


TIME_YEAR = {word: int(value) for word, value in _time("year").items()}     # 去年 → -1
TIME_PART = _time("part")             # 上半年 → "01-01/06-30"
TIME_AS_OF = tuple(_time("as_of"))    # 底 末 年底 月底
TIME_SINCE = tuple(_time("since"))    # 以来 起 至今
TIME_UNTIL = tuple(_time("until"))    # 截至 截止
TIME_NOW = tuple(_time("now"))        # 目前
TIME_RECENT = tuple(_time("recent"))  # 近年来
TIME_SAME = tuple(_time("same"))      # 同期
TIME_PLAN = {word: int(value) for word, value in _time("plan").items()}     # 十四五 → 2021
TIME_START = tuple(_time("start"))    # 开展以来
