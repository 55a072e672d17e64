"""dangjian-kg: a knowledge graph of organizations, programs and places from Chinese party-building news."""

__version__ = "0.1.0"


def _import_jieba() -> None:
    """Import jieba without pkg_resources. jieba's _compat imports pkg_resources only to open
    its own data files, and opens them by path when that import fails; pkg_resources takes
    0.1 to 0.5 s to import, at every start of kg, and no other module kg uses needs it.
    sys.modules is left as it was, but for jieba."""
    import sys
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None         # `import pkg_resources` raises ImportError
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba()
