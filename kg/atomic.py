"""Atomic writes: a file or a folder appears whole in its place, or not at all.

    write_file(path, data)            bytes → path, through a temporary file beside it
    replace_folder(path, fill)        fill(tmp) writes a fresh folder, which then takes path's place
    replace_folder(path, fill, carry=(".kg-cache",))   ... with those entries of the old folder moved in

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
from typing import Callable


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


def write_folder(path: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
                 carry: Iterable[str] = ()) -> None:
    """Replace the folder path by one holding exactly these files: name → bytes, or
    (name, bytes) pairs, each written and let go before the next is asked for (a
    generator may make them one at a time); and the entries named in carry that the old
    folder had (replace_folder)."""
    def fill(tmp: Path) -> None:
        for name, data in (files.items() if isinstance(files, Mapping) else files):
            (tmp / name).write_bytes(data)
            del data
    replace_folder(path, fill, carry)
