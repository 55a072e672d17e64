"""Stage 1: read input files into decoded Pages.

Input: paths to `.txt` / `.md` files or folders of them.
Output: `Page`s in a stable order, and a `ReadProblem` for every file that
could not be read (undecodable, binary, empty), so that the build can report
it by name and go on with the rest.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .model import Page

TEXT_SUFFIXES = (".txt", ".md")

# Tried in this order after the BOMs; GB18030 is a superset of GBK and GB2312.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class ReadProblem:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def collect_files(inputs: list[str]) -> tuple[list[Path], list[ReadProblem]]:
    """Expand folders (recursively) into their text files; report inputs that hold none."""
    files: list[Path] = []
    problems: list[ReadProblem] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                problems.append(ReadProblem(given, "folder holds no .txt or .md file"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(ReadProblem(given, "no such file or folder"))
    return files, problems


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030.

    Returns (text, encoding). Raises ValueError with a readable reason when the
    bytes are not text in any of these encodings.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec), codec
    if b"\x00" in data:
        # UTF-16 without a BOM is rare; NUL bytes otherwise mean a binary file.
        raise ValueError("binary file (contains NUL bytes), not text")
    for codec in FALLBACK_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\n\r\t\f")
        if controls > max(2, len(text) // 100):
            raise ValueError("binary file (control characters), not text")
        return text, codec
    raise ValueError("cannot be decoded as UTF-8, UTF-16 or GB18030")


def read_page(path: Path, doc_id: str | None = None) -> Page:
    """Read one file into a Page; raises ValueError naming the problem."""
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("file is empty")
    text, encoding = decode(data)
    if not text.strip():
        raise ValueError("file holds only white space")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        raise ValueError("file holds no Chinese text")
    return Page(doc_id=doc_id or path.stem, path=str(path), text=text, encoding=encoding)


def read_pages(inputs: list[str]) -> tuple[list[Page], list[ReadProblem]]:
    """Read every text file under the inputs; problems are collected, not raised."""
    files, problems = collect_files(inputs)
    pages: list[Page] = []
    seen: set[str] = set()
    for path in files:
        try:
            page = read_page(path)
        except (OSError, ValueError) as err:
            problems.append(ReadProblem(str(path), str(err)))
            continue
        if page.doc_id in seen:
            problems.append(ReadProblem(str(path), f"another input file is also named {page.doc_id!r}; skipped"))
            continue
        seen.add(page.doc_id)
        pages.append(page)
    return pages, problems
