"""Hand corrections of the graph: a curation file applied at build time (docs/curation.md).

    curation files --read_curation--> CurationFile (its Rows) --apply--> the registry's
    entities corrected, and Curated (what became of each key) --Curated.result--> each
    article's mentions, relations and statistics corrected --Curated.finish--> the divisions'
    dj:within edges and the name index; the provenance statements (Curated.triples)

kg.build calls these in that order (kg.build._curate) between resolution and writing.

A curation file is a TSV (UTF-8) of rows `op  entity  value  note`, applied in order
after extraction and resolution, before the graph is written (the extraction cache
is untouched: it holds each file's extraction, which curation does not change):

    merge      A  B        A's mentions, relations and statistics become B's; A's names B's altLabels
    rename     A  NAME     NAME becomes A's prefLabel, the old one an altLabel
    retype     A  CLASS    A becomes a dj:CLASS (one of model.ENTITY_TYPES but AdministrativeUnit)
    drop       A           A is gone, with its mentions and relations; statistics about it lose dj:about
    add-alias  A  NAME     NAME becomes an altLabel of A (no other entity's mentions move: see below)

An entity is named by its IRI (`id:organization/…` or in full), its prefLabel, or
`Type:label` where a label names entities of several types; a prefLabel that names no
entity is looked for among the altLabels. A bad row (unknown op, an entity not found,
with the nearest labels as "did you mean", an unknown class, a missing value) is a
problem naming the file and line; it is skipped and the rest applied.

add-alias does not make the resolver move mentions: curation comes after resolution,
and which entity a mention names is the finders' choice. Mentions that were resolved
to another entity under that name stay where they are; when one of the same type has
the alias as its prefLabel, a note says so (`merge` folds it in, names and all).

Where a correction makes a relation break the ontology's domain or range (a retype, a
merge across types), the relation is left out, and a note says how many; a division
merged into another keeps the other's parent (dj:within has one value).

Provenance (in id:graph/build): each file is a prov:Entity (dcterms:title its name,
dj:sha256 its bytes' digest) that a prov:Activity, id:curation/{digest}, prov:used and
that informed the build (id:build prov:wasInformedBy it); each applied row is a
dj:CurationRow (dcterms:isPartOf the file, dj:lineNumber, rdfs:label the row as written,
rdfs:comment its note), and every entity a row changed is prov:wasInfluencedBy that row.
"""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import ENTITY_TYPES, RELATIONS, Entity, Relation
from .namespaces import BUILD, DJ, ID, PREFIXES
from .read import ReadProblem
from .resolve import Registry
from .write import V, entity_iri, nt_iri, nt_literal

Key = tuple[str, str]

CURATION_FILENAME = "curation.tsv"    # at the top of an input folder: applied by convention
OPERATIONS = ("merge", "rename", "retype", "drop", "add-alias")
COLUMNS = ("op", "entity", "value", "note")
# what a retype may not give: divisions come from the gazetteer, with codes and parents
NOT_A_TARGET = ("AdministrativeUnit",)
# the facts of one class (kg.write.entity_types reads them): left behind by a retype
_CLASS_FACTS = ("division", "level", "code", "iri_path", "parent_name", "party", "kind", "org_class",
                "start_date", "pseudonym")


@dataclass(frozen=True)
class Row:
    """One row of a curation file: where it stands (the file as given, its line) and its cells."""
    path: str
    line: int
    op: str
    entity: str
    value: str
    note: str


@dataclass
class CurationFile:
    """A curation file as read: its path as given, its bytes' SHA-256 and its rows."""
    path: str
    sha256: str
    rows: list[Row]
    applied: int = 0
    skipped: int = 0

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def iri(self) -> str:
        """The curation activity's IRI, id:curation/{first 20 hex digits}, N-Triples form."""
        return nt_iri(f"{ID}curation/{self.sha256[:20]}")

    def summary(self) -> dict:
        return {"file": self.path, "sha256": self.sha256, "applied": self.applied, "skipped": self.skipped}


def curation_files(inputs: Iterable[str], given: Iterable[str | Path] = ()) -> list[str]:
    """The curation files of a build: `curation.tsv` at the top of each INPUT folder, in input
    order, then the GIVEN ones (--curation), in their order: the later a file, the later its rows."""
    found = [str(Path(i) / CURATION_FILENAME) for i in inputs
             if Path(i).is_dir() and (Path(i) / CURATION_FILENAME).is_file()]
    files, seen = [], set()
    for path in found + [str(p) for p in given]:
        if Path(path).resolve() not in seen:      # a file named twice is applied once
            seen.add(Path(path).resolve())
            files.append(path)
    return files


def read_curation(path: str) -> tuple[CurationFile | None, list[ReadProblem]]:
    """The rows of the curation file PATH, as written (`apply` judges them, in order). Blank
    lines and lines starting with # are skipped, and a row `op entity …` (the header) too.
    A file that cannot be read is one problem (and None)."""
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return None, [ReadProblem(path, f"cannot read the curation file: {why}")]
    curation = CurationFile(path, hashlib.sha256(data).hexdigest(), [])
    for n, raw in enumerate(text.split("\n"), 1):     # lines as editors count them: \n (or \r\n)
        raw = raw.removesuffix("\r")
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        cells += [""] * (len(COLUMNS) - len(cells))
        if tuple(c.lower() for c in cells[:2]) == COLUMNS[:2]:
            continue                               # the header
        curation.rows.append(Row(path, n, cells[0].lower(), cells[1], cells[2], "\t".join(cells[3:]).strip()))
    return curation, []


class _Lookup:
    """Which entity a row names: by IRI, by prefLabel (with the type before a colon), by altLabel.
    Kept up to date as rows change the entities."""

    def __init__(self, entities: dict[Key, Entity]):
        self.iris: dict[str, Key] = {}
        self.labels: dict[str, set[Key]] = {}
        self.alts: dict[str, set[Key]] = {}
        for key, entity in entities.items():
            self.add(key, entity)

    def add(self, key: Key, entity: Entity) -> None:
        self.iris[nt_iri(entity_iri(entity))] = key
        self.labels.setdefault(entity.name, set()).add(key)
        for alias in entity.aliases:
            self.alts.setdefault(alias, set()).add(key)

    def remove(self, key: Key, entity: Entity) -> None:
        self.iris.pop(nt_iri(entity_iri(entity)), None)
        self.labels.get(entity.name, set()).discard(key)
        for alias in entity.aliases:
            self.alts.get(alias, set()).discard(key)

    def find(self, ref: str) -> tuple[Key | None, str]:
        """(key, "") of the entity REF names, or (None, why not)."""
        if ref.startswith(("id:", "http://", "https://", "<")):
            iri = ref.strip("<>")
            if iri.startswith("id:"):
                iri = ID + iri[3:]
            key = self.iris.get(nt_iri(iri))
            return (key, "") if key is not None else (None, f"no entity has the IRI {ref}")
        type_, sep, label = ref.partition(":")
        if not sep or type_ not in ENTITY_TYPES:
            type_, label = None, ref
        for index in (self.labels, self.alts):
            keys = sorted(k for k in index.get(label, ()) if type_ is None or k[0] == type_)
            if len(keys) == 1:
                return keys[0], ""
            if keys:
                which = ", ".join(f"{k[0]}:{label}" for k in keys)
                return None, f"{ref!r} names {len(keys)} entities ({which}); write Type:label or the IRI"
        near = difflib.get_close_matches(label, sorted(n for n, keys in self.labels.items() if keys), 3, 0.5)
        hint = "; did you mean " + " or ".join(near) + "?" if near else ""
        return None, f"no entity named {ref!r}{hint}"


@dataclass
class Curated:
    """What the curation files did, and what the rest of the build needs of it.

    `apply` fills it; then `result(r)` for every article's result, in order; then `finish`.
    files: the files applied (each with its rows applied and skipped); problems: the rows'
    problems and notes; key(k): what an entity's key became (merged, re-typed; None: dropped);
    triples: the provenance, for the build's graph (id:graph/build); edges: the articles'
    relations as they are now, (subject, predicate, object) each once, which the build counts."""
    files: list[CurationFile]
    problems: list[ReadProblem] = field(default_factory=list)
    moved: dict[Key, Key | None] = field(default_factory=dict)    # key → its key now (None: dropped)
    touched: dict[Key, list[str]] = field(default_factory=dict)   # key → IRIs of the rows that changed it
    triples: list[tuple[str, str, str]] = field(default_factory=list)
    edges: set[tuple[Key, str, Key]] = field(default_factory=set)
    left_out: Counter = field(default_factory=Counter)            # relations the ontology refuses now
    mentioned: set[Key] = field(default_factory=set)              # keys the articles' mentions name
    related: set[Key | None] = field(default_factory=set)         # keys a relation or statistic names
    _classes: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None

    def key(self, key: Key | None) -> Key | None:
        """KEY as it is after every row (a merge into an entity later merged goes to the last)."""
        while key in self.moved:
            key = self.moved[key]
        return key

    def fits(self, subject: Key, predicate: str, obj: Key) -> bool:
        """Whether the ontology's domain and range of dj:PREDICATE take the two entities' classes."""
        if self._classes is None:
            self._classes = relation_classes()
        domain, range_ = self._classes[predicate]
        return subject[0] in domain and obj[0] in range_

    def _edge(self, rel: Relation) -> Relation | None:
        """REL between the entities as they are now, or None when one is gone, the two are one
        (a merge), or the ontology no longer takes it (counted in left_out)."""
        s, o = self.key(rel.subject), self.key(rel.object)
        if s is None or o is None or s == o:
            return None
        if (s, o) == (rel.subject, rel.object):
            return rel
        if not self.fits(s, rel.predicate, o):
            self.left_out[rel.predicate] += 1
            return None
        return dataclasses.replace(rel, subject=s, object=o)

    def result(self, result):
        """An article's kg.build.ArticleResult with the corrections: mentions of a dropped entity
        gone, the others naming the entity as it is now (a person's posts only while it is one);
        relations between the entities as they are now (`_edge`), each once; statistics about
        a dropped entity about nothing. Collects its edges and mentioned entities."""
        located = []
        for loc in result.located:
            key = self.key(loc.key)
            if loc.key is not None and key is None:
                continue
            if key != loc.key:
                mention = loc.mention
                if key[0] != "Person" and mention.attrs.get("posts"):
                    mention = dataclasses.replace(mention, attrs={a: v for a, v in mention.attrs.items()
                                                                  if a != "posts"})
                loc = dataclasses.replace(loc, mention=mention, key=key)
            located.append(loc)
            if key is not None:
                self.mentioned.add(key)
        edges = [(rel, self._edge(rel)) for rel in result.relations]
        kept = [rel for rel, new in edges if new is rel]
        seen = {(r.subject, r.predicate, r.object) for r in kept}
        for rel, new in edges:          # an edge a correction changed: once, after those it left
            if new is not None and new is not rel and (new.subject, new.predicate, new.object) not in seen:
                seen.add((new.subject, new.predicate, new.object))
                kept.append(new)
        for st in result.statistics:
            if st.about is not None:
                st.about = self.key(st.about)
                self.related.add(st.about)
        self.related.update(k for r in kept for k in (r.subject, r.object))
        self.edges.update((r.subject, r.predicate, r.object) for r in kept)
        return dataclasses.replace(result, focus=self.key(result.focus), located=located, relations=kept)

    def finish(self, registry: Registry, names: dict[Key, Key], within: list[Relation]) -> None:
        """Once every article's result is through `result`: WITHIN (the divisions' dj:within
        edges) between the divisions as they are now (a division keeps its own parent over one
        a merge brings, dj:within having one value), in place; entities no article mentions and
        no division lies within left out of REGISTRY (a dropped county's prefecture, taken from
        the gazetteer only as its parent); NAMES ((type, name) → key) made to match; each touched
        entity prov:wasInfluencedBy its rows."""
        edges = [(rel, self._edge(rel)) for rel in within]
        own = [rel for rel, new in edges if new is rel]
        parent = {rel.subject for rel in own}
        for rel, new in edges:
            if new is not None and new is not rel and new.subject not in parent:
                parent.add(new.subject)
                own.append(new)
        # what may have lost its reason to be in the graph: the parents of the edges changed or
        # left out, and the entities the rows changed; each stays while an article mentions it,
        # a relation or statistic names it, or a division lies within it
        doubt = {self.key(rel.object) for rel, new in edges if new is not rel}
        doubt |= {self.key(key) for key in self.touched}
        while doubt := {k for k in doubt if k in registry.entities and k not in self.mentioned
                        and k not in self.related and k not in {rel.object for rel in own}}:
            for key in doubt:
                self.moved[key] = None
            doubt_parents = {rel.object for rel in own if rel.subject in doubt}
            own = [rel for rel in own if rel.subject not in doubt]
            registry.rebuild([e for k, e in registry.entities.items() if k not in doubt])
            doubt = doubt_parents
        within[:] = own
        for (type_, name), key in list(names.items()):
            now = self.key(key)
            if now != key:
                if now is None or now[0] != type_:
                    del names[(type_, name)]
                else:
                    names[(type_, name)] = now
        for key, rows in sorted(self.touched.items()):
            if (key := self.key(key)) in registry.entities:
                entity = registry.get(key)
                for name in sorted({entity.name, *entity.aliases}):
                    names.setdefault((key[0], name), key)
                iri = nt_iri(entity_iri(entity))
                self.triples += [(iri, _WAS_INFLUENCED_BY, row) for row in rows]


def relation_classes() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each relation (model.RELATIONS), the local names of the dj: classes of its domain and
    range, as the ontology (ontology/dangjian.ttl) declares them (a union: its members)."""
    from rdflib import Graph, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDFS

    from .validate import ONTOLOGY_FILE, default_ontology_dir

    graph = Graph().parse(default_ontology_dir() / ONTOLOGY_FILE, format="turtle")

    def members(node) -> frozenset[str]:
        union = graph.value(node, OWL.unionOf)
        nodes = list(Collection(graph, union)) if union is not None else [node]
        return frozenset(str(n).removeprefix(DJ) for n in nodes)

    return {p: (members(graph.value(URIRef(DJ + p), RDFS.domain)), members(graph.value(URIRef(DJ + p), RDFS.range)))
            for p in RELATIONS}


def apply(files: list[CurationFile], registry: Registry) -> Curated:
    """Apply the rows of FILES, in order, to REGISTRY's entities (merged, renamed, re-typed,
    dropped, given aliases; its name index made afresh). What the articles' mentions, relations
    and statistics become follows with Curated.result and Curated.finish."""
    curated = Curated(files)
    entities = dict(registry.entities)
    order = {key: n for n, key in enumerate(entities)}     # a re-keyed entity keeps its place
    lookup = _Lookup(entities)
    for curation in files:
        for row in curation.rows:
            why, keys = _apply_row(row, entities, order, lookup, curated)
            note = why.startswith("note: ")
            if why:
                curated.problems.append(ReadProblem(row.path, f"line {row.line}: {row.op}: "
                                                              f"{why.removeprefix('note: ')}", warning=note))
            if why and not note:
                curated.problems[-1] = dataclasses.replace(curated.problems[-1],
                                                           problem=curated.problems[-1].problem + "; row skipped")
                curation.skipped += 1
                continue
            curation.applied += 1
            row_iri = _row_iri(curation, row)
            curated.triples += _row_triples(curation, row, row_iri)
            for key in keys:
                curated.touched.setdefault(key, []).append(row_iri)
        curated.triples += _file_triples(curation)
    registry.rebuild(sorted(entities.values(), key=lambda e: order[e.key]))
    return curated


def _apply_row(row: Row, entities: dict[Key, Entity], order: dict[Key, int], lookup: _Lookup,
               curated: Curated) -> tuple[str, tuple[Key, ...]]:
    """Apply ROW to ENTITIES. Returns (what to say, the keys it changed): ("", keys) when done,
    ("note: …", keys) when done with something to say, (why not, ()) when not done."""
    if row.op not in OPERATIONS:
        near = difflib.get_close_matches(row.op, OPERATIONS, 1)
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"unknown op (one of {', '.join(OPERATIONS)}){hint}", ()
    if not row.entity:
        return "no entity (column 2)", ()
    key, why = lookup.find(row.entity)
    if key is None:
        return why, ()
    entity, value = entities[key], row.value
    if row.op == "drop":
        lookup.remove(key, entity)
        del entities[key]
        curated.moved[key] = None
        return "", (key,)
    if not value:
        return "no value (column 3)", ()
    if row.op == "merge":
        into, why = lookup.find(value)
        if into is None:
            return why, ()
        if into == key:
            return f"{row.entity!r} and {value!r} are the same entity", ()
        target = entities[into]
        lookup.remove(key, entity)
        lookup.remove(into, target)
        target.aliases |= {entity.name, *entity.aliases}
        target.aliases.discard(target.name)
        seen = set(target.evidence)
        target.evidence += [ev for ev in entity.evidence if ev not in seen]
        if key[0] == into[0]:     # facts the target lacks (a program's start); a class's own stay its
            for attr, val in entity.attrs.items():
                if attr not in _CLASS_FACTS:
                    target.attrs.setdefault(attr, val)
        lookup.add(into, target)
        del entities[key]
        curated.moved[key] = into
        return "", (into,)
    if row.op == "add-alias":
        if value == entity.name or value in entity.aliases:
            return f"note: {value!r} is already a label of {row.entity!r}", ()
        lookup.remove(key, entity)
        entity.aliases.add(value)
        lookup.add(key, entity)
        if any(k[0] == key[0] and k != key for k in lookup.labels.get(value, ())):
            return (f"note: {key[0]}:{value} is another entity, whose mentions stay its own; "
                    f"merge it into {row.entity!r} to fold them in"), (key,)
        return "", (key,)
    if row.op == "rename":
        if value == entity.name:
            return f"note: {row.entity!r} is already named {value!r}", ()
        # two entities of a type with one name would have one IRI (a division's is its code or path)
        if key[0] != "AdministrativeUnit" and any(k[0] == key[0] for k in lookup.labels.get(value, ())):
            return f"{key[0]}:{value} is another entity; merge {row.entity!r} into it to make them one", ()
        lookup.remove(key, entity)
        entity.aliases.add(entity.name)
        entity.aliases.discard(value)
        entity.name = value
        lookup.add(key, entity)
        return "", (key,)
    # retype
    type_ = value.removeprefix("dj:")
    allowed = [t for t in ENTITY_TYPES if t not in NOT_A_TARGET]
    if type_ in NOT_A_TARGET:
        return (f"no retype to {type_}: divisions come from the gazetteer, with their codes and parents "
                f"(merge {row.entity!r} into the division instead)"), ()
    if type_ not in allowed:
        near = difflib.get_close_matches(type_, allowed, 1)
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"unknown type {value!r}: one of {', '.join(allowed)}{hint}", ()
    if type_ == key[0]:
        return f"note: {row.entity!r} is already a {type_}", ()
    new_key = (type_, entity.name)
    if new_key in entities or any(k[0] == type_ for k in lookup.labels.get(entity.name, ())):
        return f"{type_}:{entity.name} exists already; merge {row.entity!r} into it", ()
    lookup.remove(key, entity)
    del entities[key]
    entity.type = type_
    entity.attrs = {a: v for a, v in entity.attrs.items() if a not in _CLASS_FACTS}
    entity.attrs["identity"] = entity.name
    entities[new_key] = entity
    order[new_key] = order[key]
    lookup.add(new_key, entity)
    curated.moved[key] = new_key
    return "", (new_key,)


# -- provenance (N-Triples terms, for the build's graph) -------------------------------------

def _term(prefixed: str) -> str:
    prefix, local = prefixed.split(":", 1)
    return nt_iri(PREFIXES[prefix] + local)


_WAS_INFLUENCED_BY = _term("prov:wasInfluencedBy")


def _file_iri(curation: CurationFile) -> str:
    return nt_iri(f"{ID}curation/{curation.sha256[:20]}/file")


def _row_iri(curation: CurationFile, row: Row) -> str:
    return nt_iri(f"{ID}curation/{curation.sha256[:20]}/line/{row.line}")


def _file_triples(curation: CurationFile) -> list[tuple[str, str, str]]:
    """The curation as a prov:Activity that used the file (a prov:Entity: its name, its SHA-256)
    and informed the build."""
    act, file = curation.iri, _file_iri(curation)
    return [(nt_iri(BUILD), _term("prov:wasInformedBy"), act),
            (act, V["rdf:type"], V["prov:Activity"]),
            (act, V["rdfs:label"], nt_literal(f"kg build --curation {curation.name}")),
            (act, _term("prov:used"), file),
            (file, V["rdf:type"], _term("prov:Entity")),
            (file, V["dcterms:title"], nt_literal(curation.name)),
            (file, _term("dj:sha256"), nt_literal(curation.sha256))]


def _row_triples(curation: CurationFile, row: Row, iri: str) -> list[tuple[str, str, str]]:
    """An applied row: a dj:CurationRow of the file, its line and the row as written."""
    triples = [(iri, V["rdf:type"], _term("dj:CurationRow")),
               (iri, V["dcterms:isPartOf"], _file_iri(curation)),
               (iri, _term("dj:lineNumber"), f'"{row.line:d}"^^{V["xsd:integer"]}'),
               (iri, V["rdfs:label"], nt_literal(" ".join(filter(None, (row.op, row.entity, row.value)))))]
    if row.note:
        triples.append((iri, _term("rdfs:comment"), nt_literal(row.note)))
    return triples
