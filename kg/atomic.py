"""Atomic writes: a file or a folder appears whole in its place, or not at all.

    write_file(path, data)            bytes → path, through a temporary file beside it
    replace_folder(path, fill)        fill(tmp) writes a fresh folder, which then takes path's place
    replace_folder(path, fill, carry=(".kg-cache",))   ... with those entries of the old folder moved in
    write_folder(path, files)         name → content files → a fresh folder in path's place
    write_files(folder, files)        the same files written into an existing folder

A file's content is bytes, or written piece by piece: an iterable of bytes chunks, or a
function that writes it to a binary file object (so that no file need ever be one bytes
object in memory).

A failure (an exception in fill, a full disk) leaves what was at path before untouched.
Both give the new file or folder the ordinary permissions of the process's umask
(mkstemp and mkdtemp would leave them private).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from collections.abc import Iterable, Mapping
from typing import BinaryIO, Callable, Union

# What a file holds: its bytes, its chunks in order, or a function that writes it to a file object
Content = Union[bytes, Iterable[bytes], Callable[[BinaryIO], None]]


def _umask() -> int:
    """The process's umask (reading it means setting it: it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def replace_folder(path: Path, fill: Callable[[Path], None], carry: Iterable[str] = ()) -> None:
    """Call fill(tmp) on a new empty folder beside path, then swap it into path's place
    (the folder that was there is removed only after the swap). carry: names of entries of
    the old folder (the build's cache) moved into the new one just before the swap, and
    moved back if the swap fails."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    moved: list[str] = []
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        fill(tmp)
        if path.exists():
            for name in carry:
                if (path / name).exists() and not (tmp / name).exists():
                    os.replace(path / name, tmp / name)
                    moved.append(name)
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.rmdir(old)
            os.replace(path, old)
            os.replace(tmp, path)
            moved.clear()
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        for name in moved:                 # the swap failed: the old folder gets them back
            if path.is_dir() and not (path / name).exists():
                os.replace(tmp / name, path / name)
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def write_files(folder: Path, files: Mapping[str, Content] | Iterable[tuple[str, Content]]) -> None:
    """Write each file into FOLDER: name → content, or (name, content) pairs, each written
    and let go before the next is asked for (a generator may make them one at a time).
    Content: bytes, an iterable of bytes chunks, or a function writing to a binary file."""
    for name, content in (files.items() if isinstance(files, Mapping) else files):
        with open(folder / name, "wb") as fh:
            if isinstance(content, (bytes, bytearray, memoryview)):
                fh.write(content)
            elif callable(content):
                content(fh)
            else:
                fh.writelines(content)
        del content


def write_folder(path: Path, files: Mapping[str, Content] | Iterable[tuple[str, Content]],
                 carry: Iterable[str] = ()) -> None:
    """Replace the folder path by one holding exactly these files (write_files says how
    they may be given), and the entries named in carry that the old folder had
    (replace_folder)."""
    replace_folder(path, lambda tmp: write_files(tmp, files), carry)
