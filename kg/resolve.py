"""Stage 5: resolve mentions into entities, one per real entity across all articles.

Input: the mentions of each article (already carrying canonical names, which
the finders derive from the article's context: 市委组织部 in an article about
兰州 is 兰州市委组织部). Output: a `Registry` of `Entity`s keyed by type and
identity, each with every surface form as an alias and every occurrence as
evidence.

Identity is the canonical name, except for administrative units, where it is
the division itself: two villages called 南关社区 in different counties are
two entities, 兰州 and 兰州市 are one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .model import Entity, Evidence, Mention

# Where two finders claim the very same span, the more specific type wins.
TYPE_PRIORITY = ("AdministrativeUnit", "Person", "Organization", "Facility", "Platform",
                 "Document", "Program", "Place", "TargetGroup")


def identity(mention: Mention) -> str:
    """What makes two mentions of the same type the same entity."""
    if mention.type == "AdministrativeUnit":
        division = mention.attrs.get("division")
        if division is not None:
            return f"division:{division.id}"
        return f"division:{mention.attrs.get('parent_name') or ''}/{mention.name}"
    return mention.name or mention.surface


def select_mentions(mentions: list[Mention]) -> list[Mention]:
    """Drop duplicates and conflicts between finders.

    The same span found twice keeps the type that comes first in TYPE_PRIORITY;
    of two spans that cross (overlap without one holding the other) the longer
    stays. Nested spans stay: 武山县南关社区党群服务中心 is a facility and also
    names two divisions.
    """
    rank = {t: i for i, t in enumerate(TYPE_PRIORITY)}
    by_span: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        if not m.name and not m.surface:
            continue
        key = (m.start, m.end)
        old = by_span.get(key)
        if old is None or rank.get(m.type, 99) < rank.get(old.type, 99):
            by_span[key] = m
    chosen = sorted(by_span.values(), key=lambda m: (-(m.end - m.start), m.start, m.type))
    kept: list[Mention] = []
    kept_starts: list[tuple[int, int]] = []      # (start, end) of the kept spans, sorted
    longest = 0                                  # the first kept span is the longest
    for m in chosen:
        # only a kept span starting less than `longest` before m can reach into it
        lo = bisect.bisect_left(kept_starts, (m.start - longest, -1))
        hi = bisect.bisect_left(kept_starts, (m.end, -1))
        crosses = any(s < m.start < e < m.end or m.start < s < m.end < e
                      for s, e in kept_starts[lo:hi])
        if not crosses:
            kept.append(m)
            bisect.insort(kept_starts, (m.start, m.end))
            longest = max(longest, m.end - m.start)
    return sorted(kept, key=lambda m: (m.start, m.end, m.type))


@dataclass
class Registry:
    """Every entity of the build, keyed by (type, identity).

    Two indexes keep every call independent of the number of entities (a build of a
    province's archive adds millions of mentions): `_by_name` maps (type, name or alias) to
    the first-added entity that carries it, `_evidence` holds the evidence already recorded."""
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    _rank: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)
    _by_name: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict, repr=False)
    _evidence: set[tuple[tuple[str, str], Evidence]] = field(default_factory=set, repr=False)

    def add(self, mention: Mention, evidence: Evidence | None) -> tuple[str, str]:
        """Record one mention; returns the key of the entity it names."""
        key = (mention.type, identity(mention))
        name = mention.name or mention.surface
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(type=mention.type, name=name,
                            attrs={"identity": key[1]})
            self.entities[key] = entity
            self._rank[key] = len(self._rank)
            self._index(key, name)
        for alias in (mention.surface, *mention.attrs.get("aliases", ())):
            if alias not in entity.aliases:
                entity.aliases.add(alias)
                self._index(key, alias)
        for attr, value in mention.attrs.items():
            if attr == "aliases" or value in (None, "", [], ()):
                continue
            if isinstance(value, bool):
                entity.attrs[attr] = entity.attrs.get(attr, False) or value
            elif isinstance(value, list):
                merged = entity.attrs.setdefault(attr, [])
                merged.extend(v for v in value if v not in merged)
            else:
                entity.attrs.setdefault(attr, value)
        if evidence is not None and (key, evidence) not in self._evidence:
            self._evidence.add((key, evidence))
            entity.evidence.append(evidence)
        return key

    def _index(self, key: tuple[str, str], name: str) -> None:
        """Let find() reach KEY by NAME, unless an earlier-added entity already carries it."""
        held = self._by_name.get((key[0], name))
        if held is None or self._rank[key] < self._rank[held]:
            self._by_name[(key[0], name)] = key

    def get(self, key: tuple[str, str]) -> Entity:
        return self.entities[key]

    def find(self, type_: str, name: str) -> tuple[str, str] | None:
        """Key of the entity of that type whose name or alias is `name`, if any."""
        direct = (type_, name)
        if direct in self.entities:
            return direct
        return self._by_name.get(direct)

    def rebuild(self, entities: list[Entity]) -> None:
        """Hold ENTITIES, in this order (which find() prefers where two carry a name), in place
        of those held, with the indexes made afresh: after kg.curate has merged, re-typed or
        dropped some."""
        self.entities = {e.key: e for e in entities}
        self._rank = {key: n for n, key in enumerate(self.entities)}
        self._by_name = {}
        for key, entity in self.entities.items():
            for name in (entity.name, *sorted(entity.aliases)):
                self._index(key, name)
        self._evidence = {(key, ev) for key, entity in self.entities.items() for ev in entity.evidence}

    def finish(self) -> None:
        """Drop aliases equal to the canonical name; make every alias set sorted-stable."""
        for entity in self.entities.values():
            entity.aliases.discard(entity.name)
            entity.aliases = {a for a in entity.aliases if a and a.strip()}
