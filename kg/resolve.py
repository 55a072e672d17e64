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
    for m in chosen:
        crosses = any(k.start < m.start < k.end < m.end or m.start < k.start < m.end < k.end
                      for k in kept)
        if not crosses:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.type))


@dataclass
class Registry:
    """Every entity of the build, keyed by (type, identity)."""
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)

    def add(self, mention: Mention, evidence: Evidence | None) -> tuple[str, str]:
        """Record one mention; returns the key of the entity it names."""
        key = (mention.type, identity(mention))
        name = mention.name or mention.surface
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(type=mention.type, name=name,
                            attrs={"identity": key[1]})
            self.entities[key] = entity
        entity.aliases.add(mention.surface)
        entity.aliases.update(mention.attrs.get("aliases", ()))
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
        if evidence is not None and evidence not in entity.evidence:
            entity.evidence.append(evidence)
        return key

    def get(self, key: tuple[str, str]) -> Entity:
        return self.entities[key]

    def find(self, type_: str, name: str) -> tuple[str, str] | None:
        """Key of the entity of that type whose name or alias is `name`, if any."""
        direct = (type_, name)
        if direct in self.entities:
            return direct
        for key, entity in self.entities.items():
            if key[0] == type_ and (entity.name == name or name in entity.aliases):
                return key
        return None

    def finish(self) -> None:
        """Drop aliases equal to the canonical name; make every alias set sorted-stable."""
        for entity in self.entities.values():
            entity.aliases.discard(entity.name)
            entity.aliases = {a for a in entity.aliases if a and a.strip()}
