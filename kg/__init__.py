"""dangjian-kg: a knowledge graph of organizations, programs and places from Chinese party-building news.

From Python (docs/api.md):

    kg.extract(text, *, title=None, date=None, url=None)   # one text: entities, relations,
                                                           # statistics and its rdflib graph
    kg.build(paths, outdir, **options)                     # what `kg build` does, its flags as options

`import kg` loads neither: each is imported when first used (`kg query` must not load jieba).
"""
import importlib

from .version import __version__

__all__ = ["__version__", "build", "extract"]


def __getattr__(name: str):
    # the two entry points, imported on first use (PEP 562): kg.build is the module kg/build.py,
    # which can be called (kg.build.run); kg.extract is kg.api.extract. By importlib, as a
    # package exposes its submodules: the submodules import the package, never the reverse.
    if name == "build":
        return importlib.import_module(".build", __name__)
    if name == "extract":
        return importlib.import_module(".api", __name__).extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
