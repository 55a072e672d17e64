"""The extraction cache of `kg build`: what the extractor found in each input file, kept in
OUTDIR/.kg-cache/ so that a rebuild extracts only the files that are new or changed.

    version = extractor_version(pipeline)            # the code and data the extractor reads
    cache = ExtractCache(outdir / CACHE_DIRNAME, version, Extraction)
    found = cache.load(path, articles)                # list[Extraction] or None (a miss)
    cache.store(path, articles, extractions)          # right after extracting, before resolving
    cache.prune()                                     # drop entries of files not in this build

An entry is one JSON file per input file, named by a hash of the sha256 of the file's bytes,
the extractor's version (`extractor_version`: a hash of kg/**/*.py, the lexicons, the
gazetteer's source and jieba's version and dictionary) and the fingerprint of each of its
articles as read (`article_fingerprint`: everything the extractor reads of an Article, its
`issued` among them, which --meta may change without changing the file), so a change to any
of them makes a new key, that is a miss. Inside, a first line `kg-extract-cache FORMAT SHA256`
holds the sha256 of the JSON body that follows; the body repeats the version, the file's
hash and the fingerprints, and holds the Extractions. An entry that cannot be read, whose
checksum or contents do not match its name, or that does not decode is ignored with a warning
(`warnings`), never trusted.

Extractions are written as tagged JSON (`encode` / `loads`): no pickle, so an entry can
never run code, whoever wrote it. Entries are written atomically (a temporary file renamed
into place), so an interrupted build leaves whole entries, which the next build uses.

The folder is the tool's own: it holds CACHEDIR.TAG (kg.outdir.CACHEDIR_TAG, the standard
cache-directory tag, which backup tools honour and kg.outdir checks) and `extract/`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import unicodedata
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path
from typing import Any, Callable

from .atomic import write_file
from .cache import sha256
from .dates import StartDate
from .gazetteer import Division, _jieba_dict_path
from .model import Article, Mention, Statistic
from .outdir import CACHEDIR_TAG

# kg.build.Extraction and kg.build.Pipeline: not imported, since kg.build imports this module
# (the extractions are made by the `make` that ExtractCache is handed)
Extraction = Any
Pipeline = Any

FORMAT = 1
HEADER = "kg-extract-cache"

PACKAGE = Path(__file__).resolve().parent
# The Article fields the extractor does not read: where the article came from and what only
# the writer needs (local workers are sent articles without source and origin, too).
_NOT_READ = {"doc_id", "source", "origin", "publisher", "url", "meta_title"}


def extractor_version(pipeline: Pipeline) -> str:
    """A hash of everything extraction depends on besides the article: the package's code
    (kg/**/*.py) and data (kg/**/*.tsv), the gazetteer the pipeline loaded (its source and
    that source's sha256), jieba's version and its dictionary's sha256, and Python's version
    and Unicode database (the finders' regular expressions and character classes read it).
    The pipeline's segmenter is taken to be the default one (kg.build.segmenter_words: the
    lexicons, hashed above)."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.tsv")]):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    jieba_dict = _jieba_dict_path()
    for part in (pipeline.gazetteer.source(), _version_of("jieba"),
                 sha256(jieba_dict) if jieba_dict else "no jieba dictionary",
                 f"python {sys.version_info[0]}.{sys.version_info[1]} unicode {unicodedata.unidata_version}"):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def _version_of(package: str) -> str:
    try:
        return f"{package} {package_version(package)}"
    except PackageNotFoundError:
        return f"{package} not installed"


def article_fingerprint(article: Article) -> str:
    """sha256 of the Article fields the extractor reads (all but _NOT_READ)."""
    fields = [(f.name, getattr(article, f.name)) for f in dataclasses.fields(article)
              if f.name not in _NOT_READ]
    return hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()


# -- tagged JSON ------------------------------------------------------------------------------
# Lists stay JSON arrays; everything else that is not a JSON scalar becomes an object of one
# key that names its type ("$t", "$s", "$f", "$d", "$Mention" ...), so that tuples stay tuples
# and sets sets (the resolver hashes them).
_CLASSES = {"Division": Division, "StartDate": StartDate, "Mention": Mention, "Statistic": Statistic}


def encode(value):
    """VALUE (None, bool, int, float, str, list, tuple, set, frozenset, dict with str keys, and
    the dataclasses of _CLASSES) as JSON-ready data. TypeError for anything else."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        # sorted, so that an entry is the same file in every process (hash seeds differ)
        items = sorted((encode(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
        return {"$s" if isinstance(value, set) else "$f": items}
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith("$") for k in value):
            raise TypeError("a dict with keys other than str, or a key that starts with $")
        return {"$d": {k: encode(v) for k, v in value.items()}}
    name = type(value).__name__
    if _CLASSES.get(name) is type(value):
        return {"$" + name: [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    raise TypeError(f"cannot cache a {name}")


_ARITY = {"$" + name: len(dataclasses.fields(cls)) for name, cls in _CLASSES.items()}


def _tagged(obj: dict):
    """json.loads' object_hook: the value a tagged object stands for. The parser calls it on
    every object, innermost first, so the values inside are already decoded. An object of
    more keys than one, or of one key without "$" (encode refuses such keys in a dict), is a
    dict's contents or an entry's envelope: returned as it is."""
    if len(obj) != 1:
        return obj
    (tag, inner), = obj.items()
    if not tag.startswith("$"):
        return obj
    if tag == "$d" and isinstance(inner, dict):
        return inner
    if not isinstance(inner, list):
        raise ValueError(f"{tag}: not a list")
    if tag == "$t":
        return tuple(inner)
    if tag == "$s":
        return set(inner)
    if tag == "$f":
        return frozenset(inner)
    if _ARITY.get(tag) != len(inner):
        raise ValueError(f"unknown tag {tag} or a wrong number of fields")
    return _CLASSES[tag[1:]](*inner)


def loads(text: str | bytes):
    """The value `encode` made, from its JSON TEXT (json.loads with _tagged).
    ValueError (json.JSONDecodeError among them) for text it cannot have made; TypeError for
    a set of lists."""
    return json.loads(text, object_hook=_tagged)


def encode_extraction(found: Extraction) -> dict:
    """An Extraction as JSON-ready data; parts and targets as indexes into its mentions
    (they are those very Mention objects, and stay so when decoded)."""
    index = {id(m): i for i, m in enumerate(found.mentions)}
    def pairs(items):
        return [[index[id(a)], index[id(b)]] for a, b in items]   # KeyError: not one of them
    return {"focus": encode(found.focus), "mentions": encode(found.mentions),
            "parts": pairs(found.parts), "targets": pairs(found.targets),
            "statistics": encode(found.statistics)}


def decode_extraction(data: dict, make: Callable[..., Extraction]) -> Extraction:
    """The Extraction encode_extraction made DATA from (as `loads` reads it back), as
    make(focus, mentions, parts, targets, statistics) (kg.build.Extraction, handed in:
    kg.build imports this module)."""
    mentions, focus, statistics = data["mentions"], data["focus"], data["statistics"]
    if not all(isinstance(x, list) for x in (mentions, focus, statistics)):
        raise ValueError("mentions, focus or statistics not a list")
    if not (all(isinstance(m, Mention) for m in mentions) and all(isinstance(d, Division) for d in focus)
            and all(isinstance(s, Statistic) for s in statistics)):
        raise ValueError("mentions, focus or statistics of the wrong type")
    def pairs(items):
        return [(mentions[a], mentions[b]) for a, b in items]
    return make(focus, mentions, pairs(data["parts"]), pairs(data["targets"]), statistics)


# -- the folder -------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Held:
    """An entry found for an input file (ExtractCache.lookup), to be read when its turn comes."""
    path: str | Path
    entry: Path
    file_hash: str
    fingerprints: list[str]


class ExtractCache:
    """The entries of one OUTDIR's cache folder (ROOT = OUTDIR/.kg-cache) for one extractor
    VERSION; MAKE builds an Extraction from its five fields (kg.build.Extraction). `hits` and
    `misses` count the files load() found and did not; `warnings` the entries that could not
    be used or written, each naming its file and the problem."""

    def __init__(self, root: Path, version: str, make: Callable[..., Extraction]):
        self.root = Path(root)
        self.make = make
        self.entries = self.root / "extract"
        self.version = version
        self.used: set[str] = set()          # entry file names of this build
        self.hits = self.misses = 0
        self.warnings: list[str] = []

    def entry_path(self, file_hash: str, fingerprints: list[str]) -> Path:
        """The entry of a file of that sha256 read as articles of those fingerprints: two
        files of the same bytes share it, unless --meta dates them differently."""
        key = hashlib.sha256(":".join([self.version, file_hash, *fingerprints]).encode()).hexdigest()
        return self.entries / f"{key}.json"

    def load(self, path: str | Path, articles: list[Article]) -> list[Extraction] | None:
        """The cached extractions of the input file PATH, read as ARTICLES, or None when the
        cache has no usable entry for it (then the file is to be extracted and stored)."""
        held = self.lookup(path, articles)
        return self.read(held) if held is not None else None

    def lookup(self, path: str | Path, articles: list[Article]) -> Held | None:
        """The entry the cache holds for the input file PATH read as ARTICLES, not read yet
        (read() reads it), or None, counted as a miss, when it holds none."""
        try:
            file_hash = sha256(Path(path))
        except OSError:
            self.misses += 1
            return None
        fingerprints = [article_fingerprint(a) for a in articles]
        entry = self.entry_path(file_hash, fingerprints)
        self.used.add(entry.name)
        if not entry.is_file():
            self.misses += 1
            return None
        return Held(path, entry, file_hash, fingerprints)

    def read(self, held: Held) -> list[Extraction] | None:
        """The extractions in the entry lookup() found, or None (a warning, counted as a miss)
        when it cannot be read or is damaged: the file is then to be extracted again."""
        try:
            raw = held.entry.read_bytes()
        except OSError as err:
            return self._unusable(held.path, held.entry, f"cannot be read ({err.strerror or err})")
        try:
            found = self._parse(raw, held.file_hash, held.fingerprints)
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError) as err:
            return self._unusable(held.path, held.entry, f"is damaged ({err})")
        self.hits += 1
        return found

    def _parse(self, raw: bytes, file_hash: str, fingerprints: list[str]) -> list[Extraction]:
        head, sep, body = raw.partition(b"\n")
        parts = head.decode("ascii").split(" ")
        if not sep or len(parts) != 3 or parts[0] != HEADER or parts[1] != str(FORMAT):
            raise ValueError("not an entry of this format")
        if hashlib.sha256(body).hexdigest() != parts[2]:
            raise ValueError("its content does not match its checksum")
        doc = loads(body.decode("utf-8"))
        if doc["version"] != self.version or doc["file_sha256"] != file_hash:
            raise ValueError("it is filed under another file or extractor version")
        stored = doc["articles"]
        if [a["fingerprint"] for a in stored] != fingerprints:
            raise ValueError("it is filed under other articles")
        return [decode_extraction(a["extraction"], self.make) for a in stored]

    def _unusable(self, path, entry: Path, problem: str) -> None:
        self.warnings.append(f"{path}: warning: its cache entry {entry} {problem}; extracted again")
        self.misses += 1
        return None

    def store(self, path: str | Path, articles: list[Article], extractions: list[Extraction]) -> None:
        """Write the entry of the input file PATH (atomically). A file that changed since it
        was read, an extraction that cannot be encoded or a folder that cannot be written
        costs only time (a warning for the last two)."""
        try:
            file_hash = sha256(Path(path))
            body = json.dumps({"version": self.version, "file_sha256": file_hash, "articles": [
                {"fingerprint": article_fingerprint(a), "extraction": encode_extraction(e)}
                for a, e in zip(articles, extractions, strict=True)]},
                ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self._tag()
            entry = self.entry_path(file_hash, [article_fingerprint(a) for a in articles])
            head = f"{HEADER} {FORMAT} {hashlib.sha256(body).hexdigest()}\n".encode("ascii")
            write_file(entry, head + body)
            self.used.add(entry.name)
        except (OSError, TypeError, KeyError, ValueError) as err:
            self.warnings.append(f"{path}: warning: not cached ({err})")

    def _tag(self) -> None:
        tag = self.root / "CACHEDIR.TAG"
        if not tag.is_file():
            write_file(tag, CACHEDIR_TAG.encode("ascii"))

    def prune(self) -> int:
        """Remove the entries no file of this build used (files since changed or left out),
        and temporary files an interrupted write left; the number removed."""
        removed = 0
        if not self.entries.is_dir():
            return 0
        for entry in self.entries.iterdir():
            left_over = entry.name.startswith(".") and ".tmp-" in entry.name    # kg.atomic.write_file's
            if entry.name not in self.used and entry.is_file() and (entry.suffix == ".json" or left_over):
                try:
                    entry.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed
