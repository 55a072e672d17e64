"""dangjian-kg: a knowledge graph of organizations, programs and places from Chinese party-building news."""

__version__ = "0.1.0"

