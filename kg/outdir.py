"""The output folder of `kg build`: ours, or refused; one build at a time.

    with claim_outdir(outdir, inputs, force=False):   # OutdirError when refused or locked
        ...                                           # extract
        write_folder(outdir, [*files,                 # kg.atomic: swapped in whole
                              (MARKER, marker_bytes(list(GRAPH_FILES)))])   # the folder's own stamp

`kg build` replaces OUTDIR as a whole, so it may only replace a folder that it wrote
itself. OUTDIR is accepted when it

* does not exist yet, or is an empty folder;
* holds the marker file MARKER of an earlier build and nothing but the files that build
  wrote and what later kg commands put there (DERIVED: the Oxigraph store, explorer.html,
  the serve marker) and the build's extraction cache CACHE_DIRNAME (kg.extract_cache);
* holds nothing but that cache (a first build into it was interrupted).

The cache folder counts as the tool's own only while it holds the CACHEDIR.TAG that kg
build writes into it (`is_cache_dir`); each build carries it over into the new OUTDIR.

A folder that holds the graph files of a build from before the marker existed is replaced
only with --force. Everything else is refused with the reason: a regular file, a folder with
other files (named in the message), the current folder or one of its parents, the root or
home folder, a folder that holds an input, a folder inside an input folder (its files would be
read as input next time).

While a build holds the claim, a lock file beside OUTDIR (`.NAME.lock`, flock) keeps a second
build out; temporary folders that an interrupted build left beside OUTDIR (`.NAME.tmp-*`,
`.NAME.old-*`, see kg.atomic) are removed when the next build claims the folder.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

MARKER = ".kg-build.json"          # written into OUTDIR by every build
SERVE_MARKER = ".kg-serve.json"    # written into OUTDIR by `kg serve` while it serves it
CACHE_DIRNAME = ".kg-cache"         # kg build's extraction cache (kg.extract_cache)
DERIVED = frozenset({"oxigraph", "explorer.html", SERVE_MARKER, CACHE_DIRNAME})   # what later
                                    # commands add, and the cache each build carries over
# https://bford.info/cachedir/: marks the cache folder for backup tools, and as ours
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by dangjian-kg (kg build).\n"
                "# Its entries are remade when missing: the folder may be deleted.\n")
GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.nq", "summary.json")
READ_ORDER = ("graph.trig", "graph.ttl", "graph.nq")   # which graph file load_outdir reads


class OutdirError(ValueError):
    """kg build may not write this OUTDIR; the message says why and what to do."""


def marker_bytes(files: list[str]) -> bytes:
    """The marker's content: which tool wrote the folder and which files are its own.
    No time or path in it, so that two builds stay byte-identical."""
    doc = {"written_by": "dangjian-kg (kg build)", "files": sorted({*files, MARKER})}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _own_files(outdir: Path) -> set[str] | None:
    """The file names the marker of OUTDIR lists, or None when there is no readable marker."""
    try:
        doc = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
        return set(doc["files"]) if isinstance(doc.get("files"), list) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def is_cache_dir(path: Path) -> bool:
    """True when PATH is a cache folder that kg build made (it holds our CACHEDIR.TAG)."""
    try:
        return (path.is_dir() and not path.is_symlink()
                and (path / "CACHEDIR.TAG").read_text(encoding="ascii") == CACHEDIR_TAG)
    except (OSError, ValueError):
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_outdir(outdir: Path | str, inputs: list[str], force: bool = False) -> None:
    """Raise OutdirError unless `kg build` may replace OUTDIR (the rules of the module doc)."""
    if not str(outdir).strip():
        raise OutdirError("the output folder name is empty; give -o OUTDIR, a new folder")
    target = Path(outdir).expanduser().resolve()
    cwd = Path.cwd().resolve()
    if target == Path(target.anchor) or target == Path.home().resolve() or _inside(cwd, target):
        raise OutdirError(f"{outdir}: is the root, home or current folder or one of its parents; "
                          "give a new folder for the graph, e.g. -o out/graph")
    for given in inputs:
        source = Path(given).expanduser().resolve()
        if _inside(source, target):
            raise OutdirError(f"{outdir}: holds the input {given}; kg build replaces OUTDIR as a "
                              "whole and would delete it. Give a new folder for the graph")
        if source.is_dir() and _inside(target, source):
            raise OutdirError(f"{outdir}: lies inside the input folder {given}; its files would be "
                              "read as input next time. Give a folder outside it")
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir():
        raise OutdirError(f"{outdir}: exists and is not a folder; kg build writes a folder of "
                          "graph files. Give a new folder name")
    entries = {p.name for p in target.iterdir()}
    if CACHE_DIRNAME in entries and not is_cache_dir(target / CACHE_DIRNAME):
        raise OutdirError(f"{outdir}: holds a {CACHE_DIRNAME} that kg build did not make (no "
                          "CACHEDIR.TAG of ours in it); move it out, or give another folder")
    if not entries or entries == {CACHE_DIRNAME}:
        return
    own = _own_files(target)
    if own is None:
        previous_build = {"graph.nq", "summary.json"} <= entries and entries <= set(GRAPH_FILES) | DERIVED
        if previous_build and force:
            return
        if previous_build:
            raise OutdirError(f"{outdir}: holds a graph of an older kg build (no {MARKER}); "
                              "add --force to replace it")
        raise OutdirError(f"{outdir}: is a folder that kg build did not write "
                          f"({_listing(entries)}); give a new or empty folder")
    foreign = entries - own - DERIVED
    if foreign:
        raise OutdirError(f"{outdir}: holds files that kg build did not write ({_listing(foreign)}); "
                          "move them out, or give another folder")


def _listing(names: set[str], most: int = 5) -> str:
    shown = sorted(names)[:most]
    return ", ".join(shown) + (f" and {len(names) - most} more" if len(names) > most else "")


def _remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the `.NAME.tmp-*` / `.NAME.old-*` folders an interrupted build left beside
    TARGET: only folders, and only those holding nothing but names a build writes."""
    removed = []
    ours = set(GRAPH_FILES) | DERIVED | {MARKER}
    for prefix in (f".{target.name}.tmp-", f".{target.name}.old-"):
        for path in target.parent.glob(prefix + "*"):
            if path.is_dir() and not path.is_symlink() and {p.name for p in path.iterdir()} <= ours:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def served_by(outdir: Path) -> dict | None:
    """The serve marker of OUTDIR ({"pid", "url"}) when a live `kg serve` serves it, else None."""
    try:
        doc = json.loads((Path(outdir) / SERVE_MARKER).read_text(encoding="utf-8"))
        os.kill(int(doc["pid"]), 0)
        return doc
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextlib.contextmanager
def claim_outdir(outdir: Path | str, inputs: list[str], force: bool = False) -> Iterator[None]:
    """Check OUTDIR (check_outdir), lock it against a second build for the time of the
    `with` block, and clear the temporary folders an interrupted build left beside it.

    Raises OutdirError when OUTDIR is refused or another build holds the lock."""
    check_outdir(outdir, inputs, force)
    target = Path(outdir).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            raise OutdirError(f"{outdir}: another kg build (pid {holder}) is writing this folder; "
                              "wait for it to end") from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            _remove_stale_temporaries(target)
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


def load_outdir(outdir: Path | str):
    """The graph a `kg build` wrote to OUTDIR (its TriG, else Turtle, else N-Quads), as one
    rdflib Dataset whose default graph is the union of the named graphs.

    Raises FileNotFoundError when OUTDIR holds none of them."""
    from rdflib import Dataset

    outdir = Path(outdir)
    for name in READ_ORDER:
        path = outdir / name
        if path.is_file():
            ds = Dataset(default_union=True)
            ds.parse(path, format={"graph.trig": "trig", "graph.ttl": "turtle", "graph.nq": "nquads"}[name])
            return ds
    raise FileNotFoundError(f"{outdir}: no graph file ({', '.join(READ_ORDER)}); run `kg build` first")
