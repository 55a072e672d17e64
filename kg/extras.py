"""Optional dependencies: a module that only one command needs is declared in an extra of
pyproject.toml (pandas in `dataframe`, pyshacl in `validate`, distributed in `dask`), not
in the core install, and is imported through this module, which names the extra to
install when it is missing.

    need("pyshacl", "validate", "kg validate") -> the module, or MissingExtra:
        "kg validate needs pyshacl, which is not installed: pip install 'dangjian-kg[validate]'"
    optional("distributed", "dask") -> the module, or None when it is not installed

The module and the extra are plain string literals at each call, so that
tests/test_dependencies.py can read every import site and check that the extra it names
declares the distribution providing the module.
"""
from __future__ import annotations

import importlib
from types import ModuleType

PROJECT = "dangjian-kg"


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message is one line naming the extra."""


def _import(module: str) -> ModuleType | None:
    """MODULE imported, or None when it (or its top-level package) is not installed. A module
    that is installed but fails to import for another reason raises that error unchanged."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or not (module == err.name or module.startswith(err.name + ".")):
            raise            # the module is there, one of ITS imports is missing: not ours to hide
        return None


def install_hint(extra: str) -> str:
    return f"pip install '{PROJECT}[{extra}]'"


def need(module: str, extra: str, what: str) -> ModuleType:
    """MODULE, which WHAT (a command or function, for the message) needs; MissingExtra
    naming EXTRA when it is not installed."""
    found = _import(module)
    if found is None:
        raise MissingExtra(f"{what} needs {module}, which is not installed: {install_hint(extra)}")
    return found


def optional(module: str, extra: str) -> ModuleType | None:
    """MODULE, or None when it is not installed (the caller works without it or says so
    when it is used). EXTRA names the extra that declares it (for the reader and the test)."""
    del extra
    return _import(module)
