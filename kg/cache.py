"""The on-disk cache shared by the gazetteer and the segmenter.

Both parse large dictionaries once and keep the result as a marshal file in
``$DANGJIAN_KG_CACHE`` or ``~/.cache/dangjian-kg``, keyed by a hash of what it
was built from, so that a start after the first takes well under a second.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Callable


def default_cache_dir() -> Path:
    env = os.environ.get("DANGJIAN_KG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "dangjian-kg"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cached(name: str, key_parts: list[str], build: Callable[[], object],
           cache_dir: Path | None = None,
           valid: Callable[[object], bool] = lambda value: True) -> tuple[object, bool, Path]:
    """(value, loaded from cache?, cache file): build() once, then marshal.loads the file.

    The file name holds a hash of key_parts and the Python version, so a new
    source or interpreter builds afresh. A cache that cannot be written (a
    read-only home) only costs time.
    """
    key = hashlib.sha256(":".join([sys.implementation.cache_tag, *key_parts]).encode()).hexdigest()[:20]
    path = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / f"{name}-{key}.marshal"
    if path.exists():
        try:
            # marshal.loads on the whole file: marshal.load on a file object is ~4x slower.
            value = marshal.loads(path.read_bytes())
            if valid(value):
                return value, True, path
        except (ValueError, EOFError, TypeError, OSError):
            pass
    value = build()
    try:
        atomic_write(path, marshal.dumps(value))
    except OSError as err:
        warnings.warn(f"cache not written to {path}: {err}")
    return value, False, path
