"""Stage 1: read input files into decoded Pages.

Input: paths to files or folders; folders are searched (recursively) for text
files (.txt, .md) and HTML pages (.html, .htm, .xhtml).
Output: `Page`s in a stable order, and `ReadProblem`s: an error for every file
that could not be read (binary, undecodable, empty, no Chinese text), so that
the build can report it by name and go on with the rest, and a warning for
every file that was read but changed on the way.

A file becomes a Page in three steps:

1. bytes to text (`decode`): the encoding a BOM names; else UTF-8; else UTF-16
   when its NUL bytes give it away; else what the detector (charset-normalizer)
   picks among the encodings Chinese text comes in: GB18030 (a superset of GBK
   and GB2312), Big5 and UTF-16 without a BOM. A guess that leaves more than a
   few bad bytes, or (but for UTF-8) text that is not mostly Chinese, gives way
   to the next. A file with a few bad bytes is read all the same, with U+FFFD in
   their place and a warning; stray control characters (a NUL, ...) are
   dropped, with a warning.
2. an HTML page (by its suffix, or a text file that holds an HTML document)
   is reduced to its article text, and its title, date and URL kept.
3. traditional Chinese is converted to simplified, so that the extractor can
   read it; the text as written is kept as `Page.original`, of the same length.
"""
from __future__ import annotations

import codecs
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, NamedTuple

import opencc

from .model import Page

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# Byte order marks; UTF-32's first, since UTF-32-LE's begins with UTF-16-LE's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# What the detector chooses among when a file is not UTF-8, preferred in this order when
# it cannot tell them apart (news from the mainland is GB more often than Big5).
# cp950 is Big5 as Windows writes it (Big5 with the ETEN extensions).
DETECTED = ("gb18030", "cp950", "utf_16_le", "utf_16_be")

# A decoding may leave this share of its characters bad (bytes replaced by U+FFFD, stray
# control characters), at least one, and the file is still read, with a warning. More
# means a wrong guess at the encoding, or a file that is not text.
MAX_BAD_SHARE = 0.01

# Bytes of a file the measure of mess looks at (enough to judge, bounded for big files).
MESS_SAMPLE = 1 << 16

# A guess at a Chinese file's encoding is right when most characters beyond ASCII are
# Chinese ideographs and punctuation (over 90% on every line of the seeds); a wrong guess
# gives Hangul, Yi, private-use characters or Latin letters (at most 65% on a line, about
# 40% on a whole file).
MIN_CHINESE_SHARE = 0.8

# Traditional text: t2s changes a good share of its characters (about 40% in news);
# simplified text is left alone (t2s changes next to none of its characters).
TRADITIONAL_SHARE = 0.05

# Never text: C0 and C1 controls other than tab and the line breaks (\n \v \f \r,
# \x1c-\x1e, \x85), DEL, and BOMs left inside the text when files were joined.
_STRAY = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff]")
_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")   # ideographs
# ideographs, CJK and full-width punctuation, dashes and quotes: compiled by
# _chinese_text() when first needed (a class of 30k characters takes milliseconds to
# compile, and a UTF-8 file never needs it)
_CHINESE_TEXT = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2010-\u2027]"
_HTML_START = re.compile(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)

# Binary formats by their first bytes, named so that the reason for refusing one is clear.
SIGNATURES = ((b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
              (b"RIFF", "RIFF media: WebP, WAV or AVI"), (b"%PDF", "PDF document"),
              (b"PK\x03\x04", "ZIP archive, or a .docx/.xlsx document"),
              (b"\xd0\xcf\x11\xe0", "Word or Excel 97 document"), (b"\x1f\x8b", "gzip archive"),
              (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "RAR archive"), (b"\x7fELF", "executable"))


@dataclass(frozen=True)
class ReadProblem:
    """Something to tell about one input: an error (the file was skipped) or, with
    ``warning``, a note on a file that was read all the same (what was repaired or converted)."""
    path: str
    problem: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {'warning: ' if self.warning else ''}{self.problem}"


@dataclass(frozen=True)
class InputFile:
    path: Path   # the file, as found
    name: str    # its path under the input folder it was found in, or as given (POSIX, no '..')


def collect_files(inputs: list[str]) -> tuple[list[InputFile], list[ReadProblem]]:
    """Expand folders (recursively) into their text and HTML files; report inputs that
    hold none, and read a file given twice (directly and in its folder) once."""
    files: list[InputFile] = []
    problems: list[ReadProblem] = []
    seen: set[Path] = set()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES)
            if not found:
                problems.append(ReadProblem(given, "folder holds no .txt, .md or .html file"))
            named = [(p, p.relative_to(path).as_posix()) for p in found]
        elif path.is_file():
            named = [(path, _tidy(path))]
        else:
            problems.append(ReadProblem(given, "no such file or folder"))
            continue
        for file, name in named:
            if file.resolve() in seen:
                problems.append(ReadProblem(str(file), "given twice; read once", warning=True))
                continue
            seen.add(file.resolve())
            files.append(InputFile(file, name))
    return files, problems


def _tidy(path: Path) -> str:
    """A path as a name: POSIX, without its root and without '.' or '..' parts."""
    return "/".join(part for part in path.parts if part not in (path.anchor, ".", ".."))


def doc_ids(files: list[InputFile]) -> list[str]:
    """Each file's doc_id: its stem (the file name without extension) when no other input
    file has that stem, as usual; else its name without extension ("a/x", "b/x"); when
    those clash too, the first of its name, its path without extension, its path, that
    no other file shares."""
    def without_suffix(name: str) -> str:
        return str(PurePosixPath(name).with_suffix(""))

    levels = [[f.path.stem for f in files],
              [without_suffix(f.name) for f in files],
              [f.name for f in files],
              [without_suffix(_tidy(f.path)) for f in files],
              [_tidy(f.path) for f in files]]
    counts = [Counter(names) for names in levels]
    ids: list[str] = []
    for i in range(len(files)):
        ids.append(next((names[i] for names, count in zip(levels, counts) if count[names[i]] == 1),
                        levels[-1][i]))
    # Names of different levels might still meet (a file called "a.txt.md" beside a.txt).
    taken: set[str] = set()
    for i, doc_id in enumerate(ids):
        n = 1
        while ids[i] in taken:
            n += 1
            ids[i] = f"{doc_id}~{n}"
        taken.add(ids[i])
    return ids


class Decoded(NamedTuple):
    text: str
    encoding: str    # the codec that decoded it
    replaced: int    # invalid byte sequences, now U+FFFD each
    removed: int     # stray control characters dropped


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes as text (see the module's docstring for the order of guesses).

    Returns the text with its codec and what was repaired. Raises ValueError with a
    readable reason when the bytes are not text in any of the encodings.
    """
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise ValueError(f"binary file ({kind}), not text")
    tried: set[str] = set()
    for codec in _guesses(data):
        if codec not in tried:
            tried.add(codec)
            decoded = _decode_as(data, codec)
            if decoded is not None:
                return decoded
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes), not text")
    if re.search(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]", data):
        raise ValueError("binary file (control characters), not text")
    raise ValueError("cannot be decoded as UTF-8, GB18030, Big5 or UTF-16")


def _guesses(data: bytes) -> Iterator[str]:
    """Codecs to try on the bytes, the likeliest first (computed only as far as needed)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            yield codec
            break
    # UTF-8 first: Chinese in any other encoding is next to never valid UTF-8.
    yield "utf-8"
    # ASCII characters in UTF-16 (line breaks, digits) each bring a NUL byte, all at odd
    # offsets (little-endian) or all at even ones (big-endian).
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even + odd >= 2 and max(even, odd) >= 0.9 * (even + odd):
        yield "utf_16_le" if odd > even else "utf_16_be"
    # imported here: UTF-8 files (most inputs) never get this far, and it takes milliseconds
    import charset_normalizer
    from charset_normalizer.md import mess_ratio

    matches = charset_normalizer.from_bytes(data, cp_isolation=list(DETECTED))
    rank = {codec: n for n, codec in enumerate(DETECTED)}
    yield from (m.encoding for m in sorted(matches, key=lambda m: (m.chaos, rank.get(m.encoding, 9))))
    # The detector decodes strictly and so rejects a file with a bad byte; then its measure
    # of mess (the fewer odd characters the better) ranks the decodings with replacements.
    sample = data[:MESS_SAMPLE]
    yield from sorted(DETECTED, key=lambda codec: mess_ratio(sample.decode(codec, "replace"), 1.0))


@functools.cache
def _chinese_text() -> re.Pattern[str]:
    return re.compile(_CHINESE_TEXT)


def _decode_as(data: bytes, codec: str) -> Decoded | None:
    """The bytes decoded with the codec, bad bytes replaced and stray controls dropped;
    None when too much is bad, or (for a guessed codec) the text does not look Chinese."""
    text = data.decode(codec, "replace")
    replaced = len(text) - len(data.decode(codec, "ignore"))
    text, removed = _STRAY.subn("", text)
    if replaced + removed > max(1, MAX_BAD_SHARE * len(text)):
        return None
    # Valid UTF-8 is evidence enough; nearly any bytes decode as GB18030, Big5 or UTF-16,
    # so those must also give Chinese.
    if not codec.startswith("utf-8"):
        beyond_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
        if beyond_ascii and len(_chinese_text().findall(text)) < MIN_CHINESE_SHARE * beyond_ascii:
            return None
    return Decoded(text, codec, replaced, removed)


def is_html(path: Path, text: str) -> bool:
    """An HTML page: by its suffix, or a text file whose content is an HTML document."""
    return path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(text) is not None


def html_article(html: str) -> tuple[str, dict]:
    """The article text of an HTML page, one paragraph a line, and its metadata (title,
    date, url, source: the site's name), where found.

    trafilatura parses the string and fetches nothing; it favours recall (a navigation
    line may come along rather than a paragraph be lost), and script, style, noscript
    and template content never reach the text. The date is the page's own (its markup
    or metadata), never a year guessed from the text ("2024—2026年" is no date).
    Raises ValueError when no text is left.
    """
    import trafilatura   # only HTML pages need it, and it takes a fifth of a second to import

    doc = trafilatura.bare_extraction(html, favor_recall=True, include_comments=False,
                                      include_tables=True, with_metadata=True,
                                      prune_xpath=["//noscript", "//template"],
                                      date_extraction_params={"extensive_search": False,
                                                              "original_date": True})
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        raise ValueError("HTML page holds no article text")
    meta = {} if doc is None else {key: value for key, value in (
        ("title", doc.title), ("date", doc.date), ("url", doc.url), ("source", doc.sitename)) if value}
    return text, meta


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, int]:
    """The text with traditional characters converted to simplified (OpenCC t2s, phrase by
    phrase), and how many characters changed; (text, 0) unchanged when it is not traditional.

    The result has the text's length, so that offsets into one slice the other: a line
    whose phrase conversion changes its length is converted character by character.
    """
    converter = _t2s()

    def char(ch: str) -> str:
        converted = converter.convert(ch)
        return converted if len(converted) == 1 else ch

    parts = []
    for line in text.splitlines(keepends=True):
        converted = converter.convert(line)
        parts.append(converted if len(converted) == len(line) else "".join(map(char, line)))
    simplified = "".join(parts)
    changed = sum(1 for a, b in zip(text, simplified) if a != b)
    if changed == 0 or changed < TRADITIONAL_SHARE * len(_CHINESE.findall(text)):
        return text, 0
    return simplified, changed


def read_file(path: Path, doc_id: str | None = None) -> tuple[Page, list[str]]:
    """Read one file into a Page (doc_id: the file's stem unless given), with a warning
    for everything repaired or converted on the way. Raises ValueError naming the
    problem when the file cannot be read."""
    return page_from_bytes(path.read_bytes(), path, doc_id)


def page_from_bytes(data: bytes, path: Path, doc_id: str | None = None) -> tuple[Page, list[str]]:
    """read_file for bytes already read: DATA as the content of the file at PATH (its name
    says whether it is HTML, its stem is the doc_id unless given). Warnings and ValueError
    as read_file's; kg.api.extract reads a str this way, as UTF-8 bytes."""
    if not data.strip():
        raise ValueError("file is empty")
    decoded = decode(data)
    warnings = []
    if decoded.replaced:
        warnings.append(f"{decoded.replaced} invalid byte sequence(s) replaced by U+FFFD "
                        f"(read as {decoded.encoding})")
    if decoded.removed:
        warnings.append(f"{decoded.removed} control character(s) (NUL and the like) removed")
    text, meta = decoded.text, {}
    if is_html(path, text):
        text, meta = html_article(text)
    if not text.strip():
        raise ValueError("file holds only white space")
    if not _CHINESE.search(text):
        raise ValueError("file holds no Chinese text")
    simplified, changed = to_simplified(text)
    if changed:
        warnings.append(f"traditional Chinese: {changed} characters converted to simplified "
                        f"(OpenCC t2s); the text as written is kept as the page's original")
    page = Page(doc_id=doc_id or path.stem, path=str(path), text=simplified, encoding=decoded.encoding,
                original=text, meta=meta)
    return page, warnings


def read_page(path: Path, doc_id: str | None = None) -> Page:
    """Read one file into a Page; raises ValueError naming the problem (warnings dropped)."""
    return read_file(path, doc_id)[0]


def read_pages(inputs: list[str]) -> tuple[list[Page], list[ReadProblem]]:
    """Read every text and HTML file under the inputs. Problems are collected, not raised:
    errors for the files skipped, warnings (``ReadProblem.warning``) for files read all the same."""
    files, problems = collect_files(inputs)
    pages: list[Page] = []
    for file, doc_id in zip(files, doc_ids(files)):
        try:
            page, warnings = read_file(file.path, doc_id)
        except (OSError, ValueError) as err:
            problems.append(ReadProblem(str(file.path), str(err)))
            continue
        problems.extend(ReadProblem(str(file.path), warning, warning=True) for warning in warnings)
        pages.append(page)
    return pages, problems
