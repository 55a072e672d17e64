"""China's administrative divisions, from JioNLP's gazetteer, for fast matching.

Source: ``kg/data/china_location.zip`` (``china_location.txt``), JioNLP's
``jionlp/dictionary/china_location.zip`` copied unchanged with its licence, version and
checksum (``kg/data/README.md``; jionlp itself is not a dependency). One division a
line, tab-indented by depth: province → prefecture → county → township →
village/community, with the GB/T 2260 code and a short form at the top three depths
(``\\t兰州市\\t620100\\t兰州``).

Cleaning done while parsing:

* pseudo levels are dropped and their children attached one level up: the
  repeated name of a directly governed municipality (上海市 / 上海市, 香港 /
  香港), 省直辖行政区划, 市直辖行政区划, 县直辖行政区划;
* county-depth entries get their level from the last two digits of their code
  (:func:`_county_depth_level`): 01–20 市辖区, 21–80 县/旗 and 81–99 县级市
  (诸暨市, 敦煌市) are counties; 71–80, where the statistics office's codes put
  development zones (经开区, 高新区, 兰州新区 …), are ``special``;
  township/village-depth entries that are not 镇/乡/街道/苏木 or
  村/社区/嘎查 (农场, 林场, 工业区, 虚拟社区, 生活区, 生产队 …) get the level
  ``special``; the pseudo ones (虚拟…, 生活区, 生产队, 直辖) are left out of
  name look-ups altogether.

Parsing takes a few seconds, so the result is cached on disk (``marshal``),
keyed by the source file's SHA-256, jieba's dictionary's SHA-256 and a format
version, written atomically (temporary file + ``os.replace``). The cache
directory is ``$DANGJIAN_KG_CACHE`` or ``~/.cache/dangjian-kg``.

Memory: the 700 000 names are one ``str`` with an array of offsets, not a list
of ``str`` objects (≈ 60 bytes of overhead each), and the name → ids look-up is
an open-addressing table of ints keyed by a stable hash (CRC-32), not a
``dict``; both load from the cache as plain bytes, so a warm load takes tens of
milliseconds and ~27 MB instead of ~0.4 s and ~150 MB. jieba's ~85 000 words
(crossers, words2, common_low) are kept the same way (:class:`WordSet`).

Matching support (used by :mod:`kg.find.places`):

* an Aho-Corasick automaton (pyahocorasick) over the full names and short
  forms of the top three depths (≈ 7 000 keys, built at load in a few ms);
* a table ``name → ids`` for every name (:meth:`Gazetteer.ids`), consulted
  for townships and villages only at text positions that end in a division suffix
  (镇/乡/街道/村/社区/嘎查/苏木), as the design notes advise instead of
  pushing 700 000 names into jieba;
* from jieba's own dictionary (read as data, jieba is not initialised): the
  words that cross the boundary of a short form (确定 | 定西部, 今天 | 天水平),
  and which short forms and names are common words (合作, 安定, 城区, 健全).
"""
from __future__ import annotations

import array
import bisect
import importlib.util
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import ahocorasick

from . import vocab
from .cache import cached, sha256

FORMAT_VERSION = 12       # 12: county-level cities (codes ending 81–99) are counties

LEVELS = ("province", "prefecture", "county", "township", "village", "special")
_PROVINCE, _PREFECTURE, _COUNTY, _TOWNSHIP, _VILLAGE, _SPECIAL = range(6)

# suffixes of names at township and village depth (kg/lexicon/divisions.tsv)
TOWNSHIP_SUFFIXES = vocab.TOWNSHIP_SUFFIXES
VILLAGE_SUFFIXES = vocab.VILLAGE_SUFFIXES
# suffixes at which the township/village dict is consulted (longest first)
LOW_SUFFIXES = vocab.longest_first(vocab.LOW_SUFFIXES)
# pseudo entries: never matched by name
_PSEUDO_MARKS = vocab.PSEUDO_MARKS
# short forms in the source that name a kind of area, not one division (兰州新区 → 新区)
_GENERIC_SHORTS = frozenset(vocab.GENERIC_SHORTS)

# development zones at county depth, named in text by their city and a short kind
# (成都高新区 for 成都高新技术产业开发区, 大连经开区 for 大连经济技术开发区)
_ZONE_SHORT = vocab.ZONE_SHORT
_ZONE = re.compile(rf"^([\u4e00-\u9fff]{{2,6}}?)({vocab.alternation(_ZONE_SHORT)})$")

# jieba POS tags of words that are names of places or organizations (not common words)
_PLACE_TAGS = {"ns", "nt", "nz", "nr", "nrt", "nrfg", "j"}


@dataclass(frozen=True)
class Division:
    id: int              # index in the gazetteer, stable for a given gazetteer file
    name: str            # official full name, 兰州市
    level: str           # province | prefecture | county | township | village | special
    code: str | None     # GB/T 2260 6-digit code where the source has one
    short: str | None    # short form (兰州) where the source has one or a safe one is derived
    parent: int | None   # id of the parent division


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


# the gazetteer shipped in kg/data/, a copy of jionlp's (kg/data/README.md: licence, version,
# sha256; tests/test_gazetteer_source.py compares it with the file in the published package)
SOURCE_FILE = Path(__file__).resolve().parent / "data" / "china_location.zip"
SOURCE_ORIGIN = "jionlp 1.5.31 china_location.txt"     # where it came from, named in the graph's provenance


def source_path() -> Path:
    """The gazetteer file kg ships (kg/data/china_location.zip)."""
    return SOURCE_FILE


def _jieba_dict_path() -> Path | None:
    try:
        path = _package_dir("jieba") / "dict.txt"
    except FileNotFoundError:
        return None
    return path if path.exists() else None


# ---------------------------------------------------------------------------- compact tables

def _stable_hash(key: str) -> int:
    """CRC-32 of key's UTF-8. Unlike hash(), whose salt changes from run to run, it is the
    same in every process, so tables laid out by it can be built once and cached on disk."""
    return zlib.crc32(key.encode())


def _open_table(keys: list[str], values: list[int]) -> array.array:
    """An open-addressing table (linear probing) holding each key's value, keys unstored.

    Slot count: a power of two at least twice the number of keys, so a probe soon meets an
    empty slot (0; no value may be 0). A look-up starts at _stable_hash(key) & (slots - 1)
    and steps one slot at a time until it finds a value whose key (held by the caller)
    equals the one sought, or an empty slot."""
    size = 8
    while size < 2 * len(keys):
        size *= 2
    slots = array.array("i", bytes(4 * size))
    mask = size - 1
    for key, value in zip(keys, values):
        h = _stable_hash(key) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = value
    return slots


def _concat(strings: list[str]) -> tuple[bytes, bytes]:
    """strings → (one str of them all as UTF-16-LE bytes, int32 offsets as bytes): string i
    is _text(joined)[offsets[i]:offsets[i + 1]].

    UTF-16 because the cache is read at every start: marshal would keep a str as UTF-8,
    which decodes four times slower than UTF-16 for Chinese (some 10 ms for the names)."""
    offsets = array.array("i", [0])
    total = 0
    for s in strings:
        total += len(s)
        offsets.append(total)
    return "".join(strings).encode("utf-16-le"), offsets.tobytes()


def _text(joined: bytes) -> str:
    """The str _concat joined."""
    return joined.decode("utf-16-le")


def _ints(raw: bytes) -> memoryview:
    """int32s (as array("i").tobytes() wrote them) read in place, without a copy: indexing
    gives ints, a slice's .tolist() a list."""
    return memoryview(raw).cast("i")


class WordSet:
    """A frozen set of short strings, compact: `word in s`, len(s) and iteration as on a
    frozenset. The words are one str with offsets, and an open-addressing table maps a
    word's stable hash to its index + 1; ~60 000 jieba words take ~1 MB, not ~9 MB."""

    __slots__ = ("_text", "_offsets", "_slots")

    def __init__(self, packed: tuple[bytes, bytes, bytes]):
        """packed: what WordSet.pack returned (it is what the cache holds)."""
        joined, offsets, slots = packed
        self._text = _text(joined)
        self._offsets = _ints(offsets)
        self._slots = _ints(slots)

    @staticmethod
    def pack(words) -> tuple[bytes, bytes, bytes]:
        """Any iterable of str → (text, offsets, table) for WordSet(); duplicates dropped,
        words kept in sorted order."""
        unique = sorted(set(words))
        text, offsets = _concat(unique)
        slots = _open_table(unique, range(1, len(unique) + 1))
        return text, offsets, slots.tobytes()

    def __contains__(self, word) -> bool:
        if not isinstance(word, str):
            return False
        slots = self._slots
        mask = len(slots) - 1
        h = _stable_hash(word) & mask
        v = slots[h]
        while v:                            # word v - 1 is in slot h
            offsets = self._offsets
            if (offsets[v] - offsets[v - 1] == len(word)
                    and self._text[offsets[v - 1]:offsets[v]] == word):
                return True
            h = (h + 1) & mask
            v = slots[h]
        return False

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __iter__(self):
        text, offsets = self._text, self._offsets
        return (text[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1))

    def __repr__(self) -> str:
        return f"WordSet({len(self)} words)"


# ---------------------------------------------------------------------------- parsing

# The last two digits of a county-depth code (GB/T 2260): 01–20 市辖区, 21–80 县 and 旗,
# 81–99 县级市 (330681 诸暨市, 620982 敦煌市), all of county level. No county's code passes
# 64; 71–80 is where the statistics office's division codes (统计用区划代码), which the
# source follows, put development zones and other areas a prefecture runs (620171 兰州新区,
# 320571 苏州工业园区): special areas. (Before issue 18 every code from 70 up was special,
# so the 311 county-level cities were too.)
_ZONE_CODES = range(71, 81)


def _county_depth_level(code: str | None) -> int:
    """The level of an entry at county depth, by its code's last two digits (_ZONE_CODES);
    an entry without a code is a county."""
    if code and code[-2:].isdigit() and int(code[-2:]) in _ZONE_CODES:
        return _SPECIAL
    return _COUNTY


def _township_level(name: str) -> int:
    return _TOWNSHIP if name.endswith(TOWNSHIP_SUFFIXES) else _SPECIAL


def _village_level(name: str) -> int:
    return _VILLAGE if name.endswith(VILLAGE_SUFFIXES) and "虚拟" not in name else _SPECIAL


def _parse(text: str) -> dict:
    """The gazetteer's lines → flat arrays (ids in file order, a depth-first walk)."""
    names: list[str] = []
    parents: list[int] = []
    levels = bytearray()
    codes: dict[int, str] = {}
    shorts: dict[int, str] = {}
    pseudo: list[int] = []
    stack: list[int] = []          # stack[depth] = id of the current entry at that depth (-1: skipped)
    for raw in text.splitlines():
        line = raw.rstrip("\r\n ")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        name = fields[0].strip()
        code = fields[1].strip() if len(fields) > 1 and fields[1].strip() else None
        short = fields[2].strip() if len(fields) > 2 and fields[2].strip() else None
        del stack[depth:]
        # the nearest kept ancestor
        parent = next((p for p in reversed(stack) if p >= 0), -1)
        skip = False
        if depth == 1 and parent >= 0 and (name in (names[parent], shorts.get(parent))
                                           or code == codes.get(parent)
                                           or name == "省直辖行政区划"):
            skip = True                      # 上海市/上海市, 香港特别行政区/香港, 省直辖行政区划
        elif depth in (2, 3) and name.endswith("直辖行政区划"):
            skip = True                      # 市直辖行政区划, 县直辖行政区划
        if skip:
            stack.append(-1)
            continue
        if depth == 0:
            level = _PROVINCE
        elif depth == 1:
            level = _PREFECTURE
        elif depth == 2:
            level = _county_depth_level(code)
        elif depth == 3:
            level = _township_level(name)
        else:
            level = _village_level(name)
        ident = len(names)
        names.append(name)
        parents.append(parent)
        levels.append(level)
        if code and code not in (codes.get(parent), codes.get(parents[parent]) if parent >= 0 else None):
            codes[ident] = code              # not 香港's districts, which repeat 810000
        if short and depth <= 2 and short != name and short not in _GENERIC_SHORTS:
            shorts[ident] = short
        elif depth == 2:
            zone = _ZONE.match(name)          # 成都高新技术产业开发区 → 成都高新区
            if zone:
                shorts[ident] = zone.group(1) + _ZONE_SHORT[zone.group(2)]
        if any(mark in name for mark in _PSEUDO_MARKS):
            pseudo.append(ident)
        stack.append(ident)
    # subtree ends: ids are a depth-first walk, so x is under p iff p < x < end[p]
    end = list(range(1, len(names) + 1))
    for ident in range(len(names) - 1, -1, -1):
        p = parents[ident]
        if p >= 0 and end[ident] > end[p]:
            end[p] = end[ident]
    return {"names": names, "parents": array.array("i", parents).tobytes(),
            "ends": array.array("i", end).tobytes(), "levels": bytes(levels),
            "codes": codes, "shorts": shorts, "pseudo": pseudo}


def _read_source(path: Path) -> str:
    """china_location.txt's text, from the zip (as jionlp ships it) or from a plain file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            member = next(n for n in zf.namelist() if n.endswith(".txt"))
            return zf.read(member).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _read_jieba_dict(path: Path | None) -> dict[str, tuple[int, str]]:
    if path is None:
        return {}
    words: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) >= 2:
                try:
                    freq = int(parts[1])
                except ValueError:
                    continue
                words[parts[0]] = (freq, parts[2] if len(parts) > 2 else "")
    return words


def _derive(data: dict, jdict: dict[str, tuple[int, str]]) -> dict:
    """Matching knowledge derived once from the gazetteer and jieba's dictionary."""
    names = data["names"]
    levels = data["levels"]
    shorts = data["shorts"]
    # keys whose boundaries are checked against crossing words: short forms and short full names
    keys = {s for s in shorts.values() if len(s) >= 2}
    keys.update(n for i, n in enumerate(names) if levels[i] <= _COUNTY and len(n) <= 3)
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    for key in keys:
        for k in range(1, len(key)):
            prefixes.add(key[:k])
            suffixes.add(key[k:])
    # words of jieba's dictionary that cross a key's edge: 确定 (确[定西]部), 今天 (今[天水])
    division_names = set(names) | set(shorts.values())
    crossers = []
    for word, (freq, tag) in jdict.items():
        if freq < 20 or word in division_names:
            continue
        if any(word[k:] in prefixes or word[:k] in suffixes for k in range(1, len(word))):
            crossers.append(word)
    # two-character words: where the text after a name starts a word, a word crossing the
    # name's edge does not count (积石山|地震 despite 山地)
    words2 = sorted(w for w, (freq, _) in jdict.items() if len(w) == 2 and freq >= 20)

    def common(word: str) -> bool:
        entry = jdict.get(word)
        if entry is None:
            return False
        freq, tag = entry
        return (freq >= 20 and tag not in _PLACE_TAGS) or (freq >= 1000 and tag != "ns")

    # short forms that are common words: 合作 (合作市), 安定 (安定区), 公安 (公安县)
    common_shorts = sorted(s for s in set(shorts.values()) if common(s))
    # two-character full names of the top three levels that are common words: 城区, 郊区, 矿区
    common_full = sorted({n for i, n in enumerate(names)
                          if levels[i] <= _COUNTY and len(n) == 2 and common(n)})
    # township/village names whose body is a common word: 健全村, 团结村, 光明社区
    common_low = set()
    for i, n in enumerate(names):
        if levels[i] not in (_TOWNSHIP, _VILLAGE):
            continue
        for suf in LOW_SUFFIXES:
            if n.endswith(suf):
                body = n[:-len(suf)]
                if common(body) or common(n) or len(body) < 1:
                    common_low.add(n)
                break
    return {"crossers": WordSet.pack(crossers), "words2": WordSet.pack(words2),
            "common_shorts": common_shorts, "common_full": common_full,
            "common_low": WordSet.pack(common_low)}


def _indexes(data: dict) -> dict:
    """Name → ids look-ups and the automaton's keys (computed once, cached with the rest)."""
    names, levels, shorts = data["names"], data["levels"], data["shorts"]
    parents = array.array("i")
    parents.frombytes(data["parents"])
    pseudo = set(data["pseudo"])
    by_name: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        if i not in pseudo:
            by_name.setdefault(n, []).append(i)
    # township/village names that repeat their county's name: 济源市下冶镇 → 下冶镇,
    # 四子王旗巴音敖包苏木 → 巴音敖包苏木
    for i, n in enumerate(names):
        if levels[i] not in (_TOWNSHIP, _VILLAGE) or i in pseudo:
            continue
        p = parents[i]
        if p < 0:
            continue
        for head in (names[p], shorts.get(p)):
            if head and n.startswith(head) and len(n) - len(head) >= 3:
                ids = by_name.setdefault(n[len(head):], [])
                if i not in ids:
                    ids.append(i)
    by_short: dict[str, list[int]] = {}
    for i, s in shorts.items():
        if i not in pseudo:
            by_short.setdefault(s, []).append(i)
    short_multi: list[list[int]] = []
    packed_short: dict[str, int] = {}
    for key, ids in by_short.items():
        if len(ids) == 1:
            packed_short[key] = ids[0]
        else:
            packed_short[key] = -1 - len(short_multi)
            short_multi.append(ids)

    upper: dict[str, tuple[list[int], list[int]]] = {}
    for i, n in enumerate(names):
        if i in pseudo or levels[i] in (_TOWNSHIP, _VILLAGE):
            continue
        if levels[i] == _SPECIAL and i not in data["codes"]:
            continue
        upper.setdefault(n, ([], []))[0].append(i)
    for i, s in shorts.items():
        if i not in pseudo and len(s) >= 2:
            upper.setdefault(s, ([], []))[1].append(i)
    # an autonomous prefecture, county or banner is named by its short form and level too
    # (临夏州, 肃北县 for 肃北蒙古族自治县, 孟村县), like any other, unless another division
    # bears that name
    for i, s in shorts.items():
        for autonomous, level in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if i not in pseudo and names[i].endswith(autonomous) and (s + level) not in upper:
                upper[s + level] = ([i], [])
    return {**_name_table(names, by_name), "by_short": packed_short, "short_multi": short_multi,
            "upper": [(k, f, sh) for k, (f, sh) in sorted(upper.items())]}


def _name_table(names: list[str], by_name: dict[str, list[int]]) -> dict:
    """by_name (key → ids, in order) as flat arrays for the cache (see Gazetteer.ids).

    Every key is a division's name or the end of one (下冶镇 of 济源市下冶镇), so keys are
    not stored: a slot holds i + 1 where the key is the name of division i alone, else
    -1 - g for group g, whose ids are group_ids[group_starts[g]:group_starts[g + 1]] and
    whose key is the last group_lengths[g] characters of its first id's name."""
    keys, values = [], []
    group_starts, group_ids, group_lengths = array.array("i", [0]), array.array("i"), bytearray()
    for key, ids in by_name.items():
        keys.append(key)
        if len(ids) == 1 and names[ids[0]] == key:
            values.append(ids[0] + 1)
        else:
            values.append(-1 - len(group_lengths))
            group_ids.extend(ids)
            group_starts.append(len(group_ids))
            group_lengths.append(len(key))          # names are < 256 characters long
    return {"name_slots": _open_table(keys, values).tobytes(),
            "group_starts": group_starts.tobytes(), "group_ids": group_ids.tobytes(),
            "group_lengths": bytes(group_lengths)}


# ---------------------------------------------------------------------------- the gazetteer

class Gazetteer:
    """The divisions of China, with look-ups by name and by hierarchy."""

    def __init__(self, data: dict, source: str):
        """data: what Gazetteer.load parsed or read from its cache; source: a label for it."""
        # name i is _text[_offsets[i]:_offsets[i + 1]]
        self._text: str = _text(data["names"])
        self._offsets = _ints(data["name_offsets"])
        self._parents = _ints(data["parents"])
        self._ends = _ints(data["ends"])
        self._levels: bytes = data["levels"]
        self._codes: dict[int, str] = data["codes"]
        self._shorts: dict[int, str] = data["shorts"]
        self._pseudo = frozenset(data["pseudo"])
        self._source = source
        # tens of thousands of words each: compact sets; the two small ones plain frozensets
        self.crossers = WordSet(data["crossers"])
        self._crosser_finder: ahocorasick.Automaton | None = None     # see crosser_spans
        self.words2 = WordSet(data["words2"])
        self.common_low = WordSet(data["common_low"])
        self.common_shorts: frozenset[str] = frozenset(data["common_shorts"])
        self.common_full: frozenset[str] = frozenset(data["common_full"])
        self._cache: dict[int, Division] = {}
        # name → ids: see _name_table
        self._name_slots = _ints(data["name_slots"])
        self._group_starts = _ints(data["group_starts"])
        self._group_ids = _ints(data["group_ids"])
        self._group_lengths: bytes = data["group_lengths"]
        self._by_short: dict[str, int] = data["by_short"]    # id, or -1-k for short_multi[k]
        self._short_multi: list[list[int]] = data["short_multi"]
        self._automaton = ahocorasick.Automaton()
        for key, full, short in data["upper"]:
            self._automaton.add_word(key, (key, tuple(full), tuple(short)))
        self._automaton.make_automaton()

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, cache_dir: Path | None = None, *, source: Path | None = None) -> "Gazetteer":
        """Parse once, then load from the on-disk cache (keyed by the sources' hashes).

        cache_dir: default ``$DANGJIAN_KG_CACHE`` or ``~/.cache/dangjian-kg``. source: a
        china_location zip or txt other than the one kg ships (tests use a small one)."""
        src = Path(source) if source is not None else source_path()
        jpath = _jieba_dict_path()
        src_hash = sha256(src)
        jhash = sha256(jpath) if jpath else "none"
        origin = SOURCE_ORIGIN if source is None else src.name
        label = f"{origin} sha256:{src_hash}"

        def parse() -> dict:
            data = _parse(_read_source(src))
            data.update(_derive(data, _read_jieba_dict(jpath)))
            data.update(_indexes(data))
            data["names"], data["name_offsets"] = _concat(data["names"])
            data["format"] = FORMAT_VERSION
            return data

        data, from_cache, cache_file = cached(
            f"gazetteer-v{FORMAT_VERSION}", [src_hash, jhash], parse, cache_dir,
            valid=lambda d: isinstance(d, dict) and d.get("format") == FORMAT_VERSION)
        gaz = cls(data, label)
        gaz.cache_file = cache_file
        gaz.from_cache = from_cache
        return gaz

    # -- the API ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._offsets) - 1

    def get(self, id: int) -> Division:
        d = self._cache.get(id)
        if d is None:
            p = self._parents[id]
            name = self._text[self._offsets[id]:self._offsets[id + 1]]
            d = Division(id=id, name=name, level=LEVELS[self._levels[id]],
                         code=self._codes.get(id), short=self._shorts.get(id),
                         parent=p if p >= 0 else None)
            self._cache[id] = d
        return d

    def parent(self, d: Division) -> Division | None:
        return self.get(d.parent) if d.parent is not None else None

    def ancestors(self, d: Division) -> list[Division]:
        """Parent first, up to the province."""
        out = []
        p = self._parents[d.id]
        while p >= 0:
            out.append(self.get(p))
            p = self._parents[p]
        return out

    def path(self, d: Division) -> list[Division]:
        """Province first, down to d."""
        return list(reversed(self.ancestors(d))) + [d]

    def ids(self, name: str) -> list[int]:
        """Ids of the divisions with that full name (pseudo entries excluded)."""
        # probe the table of _name_table from the name's slot until an empty one; a slot's
        # key is compared by length first, as most probes meet some other key
        slots = self._name_slots
        mask = len(slots) - 1
        h = _stable_hash(name) & mask
        v = slots[h]
        while v:
            if v > 0:                       # the key is the name of division v - 1 alone
                offsets = self._offsets
                if (offsets[v] - offsets[v - 1] == len(name)
                        and self._text[offsets[v - 1]:offsets[v]] == name):
                    return [v - 1]
            else:                           # group g: its key ends its first id's name
                g = -1 - v
                if self._group_lengths[g] == len(name):
                    lo = self._group_starts[g]
                    end = self._offsets[self._group_ids[lo] + 1]
                    if self._text[end - len(name):end] == name:
                        return self._group_ids[lo:self._group_starts[g + 1]].tolist()
            h = (h + 1) & mask
            v = slots[h]
        return []

    def short_ids(self, short: str) -> list[int]:
        """Ids of the divisions (top three levels) with that short form."""
        v = self._by_short.get(short)
        if v is None:
            return []
        return [v] if v >= 0 else list(self._short_multi[-1 - v])

    def lookup(self, name: str) -> list[Division]:
        """By full name or short form (full-name matches first)."""
        ids = self.ids(name)
        ids += [i for i in self.short_ids(name) if i not in ids]
        return [self.get(i) for i in ids]

    def is_under(self, child: int, ancestor: int) -> bool:
        """True if division `child` lies (at any depth) under division `ancestor`."""
        return ancestor < child < self._ends[ancestor]

    def under_any(self, ancestors) -> Callable[[int], bool]:
        """A test of whether a division lies under any of `ancestors` (ids), in log time of
        their number: subtrees are id ranges, merged once here, then searched by bisection."""
        ranges: list[list[int]] = []
        for a in sorted(set(ancestors)):
            lo, hi = a + 1, self._ends[a]
            if ranges and lo <= ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], hi)
            else:
                ranges.append([lo, hi])
        starts = [lo for lo, _ in ranges]

        def test(child: int) -> bool:
            i = bisect.bisect_right(starts, child) - 1
            return i >= 0 and child < ranges[i][1]
        return test

    def children_named(self, parent: Division, name: str) -> list[Division]:
        """Descendants (any depth) of parent with that name (full or short)."""
        lo, hi = parent.id, self._ends[parent.id]
        ids = [i for i in self.ids(name) + self.short_ids(name) if lo < i < hi]
        return [self.get(i) for i in dict.fromkeys(ids)]

    def descendants(self, parent: Division, levels: tuple[str, ...] | None = None) -> list[Division]:
        lo, hi = parent.id + 1, self._ends[parent.id]
        want = None if levels is None else {LEVELS.index(x) for x in levels}
        return [self.get(i) for i in range(lo, hi)
                if (want is None or self._levels[i] in want) and i not in self._pseudo]

    def level_rank(self, id: int) -> int:
        """0 province … 4 village; special ranks by its depth's neighbours (county-like)."""
        lv = self._levels[id]
        if lv != _SPECIAL:
            return lv
        depth, p = 0, self._parents[id]
        while p >= 0:
            depth += 1
            p = self._parents[p]
        return depth

    def is_pseudo(self, id: int) -> bool:
        return id in self._pseudo

    def source(self) -> str:
        return self._source

    # -- matching support -------------------------------------------------------------------
    def crosser_spans(self, text: str) -> set[tuple[int, int]]:
        """(start, end) of every occurrence of a word of `crossers` in text, overlapping ones
        too: `(i, j) in crosser_spans(text)` is `text[i:j] in crossers`, the text read in one
        pass rather than probed span by span. (The automaton of the 40k words, 2 MB, is made
        at the first call: only the place finder asks.)"""
        if self._crosser_finder is None:
            finder = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
            for word in self.crossers:
                finder.add_word(word)
            finder.make_automaton()
            self._crosser_finder = finder
        return {(end + 1 - n, end + 1) for end, n in self._crosser_finder.iter(text)}

    def scan_upper(self, text: str):
        """(start, end, key, full-name ids, short-form ids) for every top-three-level name in text."""
        for end, (word, full, short) in self._automaton.iter(text):
            yield end + 1 - len(word), end + 1, word, full, short
