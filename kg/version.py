"""The package's version, in a module of its own: kg/__init__.py and kg.build (which writes it
into the graph's provenance) both read it without importing each other."""

__version__ = "0.1.0"
