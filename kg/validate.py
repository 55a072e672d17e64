"""SHACL validation of a built graph against the project's ontology and shapes.

    validate_graph(data, ontology_dir) -> ValidationResult
    validate_store(store_dir, ontology_dir, jobs=2) -> ValidationResult   # a large graph: SPARQL on its store
    validate_outdir(outdir, ontology_dir, jobs=2) -> ValidationResult     # either, by the graph's size
    format_violations(result) -> str          # one readable line per problem
    default_ontology_dir() -> Path            # ontology/ beside the package, or kg/ontology/

The ontology folder holds ``dangjian.ttl`` (and any other ``*.ttl``), loaded
as the ontology graph, and ``shapes.ttl``, loaded as the SHACL shapes. The
shapes target classes and need no inference: the ontology is mixed into a
copy of the data so that ``rdfs:subClassOf`` is followed (a ``dj:PartyBranch``
is checked as a ``dj:Organization``). The caller's graph is never modified.

A large graph (kg.query.uses_store) is validated on its Oxigraph store (validate_store):
kg.shacl_sparql turns each shape into SPARQL queries (one screening query per node
shape, reading each of its paths by a scan, then the exact checks on the nodes it
flags), run on -j processes (each screen with its checks a task, the biggest first),
and their rows become the Violations pyshacl would report. A shape it cannot express
is handed alone to pyshacl on the nodes it targets, in parts, in worker processes
(_validate_chunk), and the result's notes name it: the subjects, sorted, are cut into
chunks; a worker validates one chunk's subjects as focus nodes on the part of the graph
their shapes can see, and keeps the results about them only. That part is every triple
of the chunk's subjects, every triple that reaches one of them by a predicate some
shape follows backwards (sh:inversePath: ^dj:within, ^rdf:object), the classes of the
nodes those triples point to (for sh:class), and every triple of the nodes a nested
shape checks (sh:node: the file an article is part of). The shapes look no further (paths of one step, nested shapes of one more), so
each focus node gets the results it gets in the whole graph, whatever article graph the
triples came from: the same report as validate_graph, from a fraction of the graph at a
time and on every core. (validate_store(translate=False) checks every shape that way.)
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from . import namespaces
from .extras import need

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "dangjian.ttl"

# Prefixes used to shorten IRIs in formatted messages (read-only).
_PREFIXES = tuple((f"{prefix}:", iri) for prefix, iri in
                  [*namespaces.PREFIXES.items(), ("djs", "https://w3id.org/dangjian-kg/shapes#")])


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    focus: IRI (or blank node id) of the node that breaks the rule.
    path: IRI of the property concerned, or None for a rule about the node itself.
    message: what is wrong, in plain English (the shape's sh:message).
    severity: "Violation", "Warning" or "Info".
    value: the offending value (an IRI, or a literal in N-Triples-like form), or None.
    focus_label: the focus node's skos:prefLabel in the data, where it has one.
    """
    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None
    focus_label: str | None = None

    def sort_key(self) -> tuple:
        return (_SEVERITY_ORDER.get(self.severity, 9), self.focus, self.path or "", self.message,
                self.value or "")


_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validate_graph.

    conforms: True when no result has severity Violation (warnings and infos do not count).
    violations: every result, of any severity, sorted (severity, focus, path, message, value).
    notes: how a large graph was checked where it matters (a shape left to pyshacl); not results.
    """
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list, compare=False)

    @property
    def errors(self) -> list[Violation]:
        """The results of severity Violation only."""
        return [v for v in self.violations if v.severity == "Violation"]


def default_ontology_dir() -> Path:
    """The folder that holds the project's ontology (dangjian.ttl and shapes.ttl).

    Looks first in the source tree (``kg/../ontology``), then in a copy shipped
    as package data (``kg/ontology``). Raises FileNotFoundError when neither
    holds ``dangjian.ttl``.
    """
    here = Path(__file__).resolve().parent
    candidates = (here.parent / "ontology", here / "ontology")
    for folder in candidates:
        if (folder / ONTOLOGY_FILE).is_file():
            return folder
    raise FileNotFoundError("no ontology found: looked for " + " and ".join(
        str(folder / ONTOLOGY_FILE) for folder in candidates))


def load_ontology(ontology_dir: Path) -> tuple[Graph, Graph]:
    """(ontology graph, shapes graph) from ``ontology_dir``: every ``*.ttl`` but
    ``shapes.ttl`` goes into the first, ``shapes.ttl`` into the second.
    Raises FileNotFoundError when ``shapes.ttl`` is missing."""
    ontology_dir = Path(ontology_dir)
    shapes_path = ontology_dir / SHAPES_FILE
    if not shapes_path.is_file():
        raise FileNotFoundError(f"{shapes_path}: no SHACL shapes file")
    ont = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        if path.name != SHAPES_FILE:
            ont.parse(path, format="turtle")
    shapes = Graph().parse(shapes_path, format="turtle")
    return ont, shapes


def _plain_copy(data: Graph) -> Graph:
    """All triples of ``data`` (the union of its named graphs for a Dataset) in a new Graph.

    pyshacl validates each named graph of a Dataset on its own, which would cut
    the links between articles, the gazetteer's facts and the build graph."""
    copy = Graph()
    for prefix, ns in data.namespaces():
        copy.bind(prefix, ns, override=False)
    if getattr(data, "context_aware", False):  # Dataset, ConjunctiveGraph
        triples = ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        triples = iter(data)
    for triple in triples:
        copy.add(triple)
    return copy


def _term_text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        lex = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if term.language:
            return f'"{lex}"@{term.language}'
        if term.datatype is not None:
            return f'"{lex}"^^{_short(str(term.datatype))}'
        return f'"{lex}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _short(iri: str) -> str:
    for prefix, ns in _PREFIXES:
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>" if "://" in iri or iri.startswith("urn:") else iri


def _path_text(results: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inverse = results.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^{inverse}"
    return _term_text(path)


def _label(data: Graph, node) -> str | None:
    labels = sorted(str(o) for o in data.objects(node, SKOS.prefLabel) if isinstance(o, Literal))
    return " / ".join(labels) if labels else None


def validate_graph(data: Graph, ontology_dir: Path, *, inference: str = "none") -> ValidationResult:
    """Validate ``data`` against ``ontology_dir/shapes.ttl``, with the other
    ``ontology_dir/*.ttl`` files as the ontology.

    data: an rdflib Graph, or a Dataset / ConjunctiveGraph (its named graphs
    are validated together, as one graph). It is not modified.
    inference: passed to pyshacl ("none", "rdfs", "owlrl", "both"). The
    shapes need none; "rdfs" takes about 3-4 times as long (a 30k-triple
    graph: ~3 s without, ~12 s with, on 2 cores).
    Returns a ValidationResult whose ``conforms`` is False when any result has
    severity Violation; warnings are listed but do not break conformance.
    """
    # imported here: it takes ~0.5 s, and only `kg validate` needs it (the extra `validate`)
    validate = need("pyshacl", "validate", "kg validate").validate

    ont, shapes = load_ontology(ontology_dir)
    work = _plain_copy(data)
    _, results, _ = validate(work, shacl_graph=shapes, ont_graph=ont, inference=inference,
                             inplace=True, allow_warnings=True, allow_infos=True,
                             abort_on_first=False, advanced=False)
    violations = _violations(results, work)
    ordered = sorted(violations, key=Violation.sort_key)
    return ValidationResult(conforms=not any(v.severity == "Violation" for v in ordered),
                            violations=ordered)


def format_violations(result: ValidationResult, limit: int = 50) -> str:
    """The results as text, one line each, at most ``limit`` lines plus a count
    of the rest, in the result's (deterministic) order:

        Violation  兰州市 (id:division/620100)  dj:within = id:organization/…  dj:within must point to …

    Returns "" when there is nothing to report."""
    lines = []
    for v in result.violations[:max(limit, 0)]:
        focus = _short(v.focus)
        where = f"{v.focus_label} ({focus})" if v.focus_label else focus
        what = _short(v.path) if v.path else ""
        if v.path and v.path.startswith("^"):
            what = "^" + _short(v.path[1:])
        if v.value is not None and not (v.path is None and v.value == v.focus):
            value = _short(v.value) if not v.value.startswith('"') else v.value
            what = f"{what} = {value}" if what else f"value {value}"
        parts = [f"{v.severity:<9s}", where]
        if what:
            parts.append(what)
        parts.append(v.message)
        lines.append("  ".join(parts))
    rest = len(result.violations) - len(lines)
    if rest > 0:
        lines.append(f"... and {rest} more")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- a large graph

# Subjects per chunk of validate_store: pyshacl needs ~1 KB a triple and a subject has
# some 5 triples, so a chunk and what it sees take a few hundred MB at most.
SUBJECTS_PER_CHUNK = 20000


def _violations(results: Graph, work: Graph, focus_nodes=None) -> set[Violation]:
    """The Violations of pyshacl's results graph; only those about FOCUS_NODES (IRIs as
    str) when given. WORK is the data graph, for the focus nodes' labels."""
    violations = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        if focus_nodes is not None and str(focus) not in focus_nodes:
            continue
        severity = results.value(r, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        violations.add(Violation(
            focus=_term_text(focus) or "",
            path=_path_text(results, results.value(r, SH.resultPath)),
            message=" ".join(messages) or str(results.value(r, SH.sourceConstraintComponent)),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=_term_text(results.value(r, SH.value)),
            focus_label=_label(work, focus) if focus is not None else None,
        ))
    return violations


def inverse_predicates(shapes: Graph) -> list[URIRef]:
    """The predicates some shape follows backwards (sh:inversePath), sorted."""
    return sorted({p for p in shapes.objects(None, SH.inversePath) if isinstance(p, URIRef)}, key=str)


def nested_predicates(shapes: Graph) -> list[URIRef]:
    """The predicates whose values a nested shape checks (a property shape with sh:node),
    sorted: a value reached by one of them is seen with all its triples."""
    found = set()
    for prop in shapes.subjects(SH.node, None):
        path = shapes.value(prop, SH.path)
        if isinstance(path, URIRef):
            found.add(path)
    return sorted(found, key=str)


def _validate_chunk(store_dir: str, subjects: list[str], ontology_dir: str, inference: str,
                    shapes_text: str | None = None) -> set[Violation]:
    """The Violations about SUBJECTS (IRIs) in the store at STORE_DIR against the shapes of
    ONTOLOGY_DIR (or SHAPES_TEXT, a Turtle shapes graph, when given): pyshacl on their
    triples, the triples reaching them by an inverse path of the shapes, the classes of
    the nodes they point to, and all triples of the nodes a nested shape checks (the
    module doc says why that is all a shape sees)."""
    import pyoxigraph as ox
    validate = need("pyshacl", "validate", "kg validate").validate

    from .store import from_oxigraph

    ont, shapes = load_ontology(Path(ontology_dir))
    if shapes_text is not None:
        shapes = Graph().parse(data=shapes_text, format="turtle")
    inverse = [ox.NamedNode(str(p)) for p in inverse_predicates(shapes)]
    nested = {ox.NamedNode(str(p)) for p in nested_predicates(shapes)}
    rdf_type = ox.NamedNode(str(RDF.type))
    store = ox.Store.read_only(store_dir)
    default = ox.DefaultGraph()
    work = Graph()

    def add(quads) -> list:
        """Add QUADS to the work graph; the (predicate, object) of those pointing to a node."""
        pointing = []
        for q in quads:
            work.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
            if not isinstance(q.object, ox.Literal):
                pointing.append((q.predicate, q.object))
        return pointing

    pointed = []
    for iri in subjects:
        node = ox.NamedNode(iri)
        pointed += add(store.quads_for_pattern(node, None, None, default))
        for predicate in inverse:
            add(store.quads_for_pattern(None, predicate, node, default))
    whole, typed = set(), set()
    for predicate, node in pointed:
        if predicate in nested and node not in whole:
            whole.add(node)
            add(store.quads_for_pattern(node, None, None, default))
        elif node not in typed:
            typed.add(node)
            add(store.quads_for_pattern(node, rdf_type, None, default))
    del store
    _, results, _ = validate(work, shacl_graph=shapes, ont_graph=ont, inference=inference,
                             inplace=True, allow_warnings=True, allow_infos=True,
                             abort_on_first=False, advanced=False)
    return _violations(results, work, set(subjects))


def _shape_graph(shapes: Graph, shape) -> Graph:
    """SHAPE alone: its triples and those of every node it reaches (nested shapes, lists)."""
    alone, todo, seen = Graph(), [shape], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in shapes.triples((node, None, None)):
            alone.add((s, p, o))
            if isinstance(o, BNode) or (isinstance(o, URIRef) and (o, None, None) in shapes
                                         and p not in (SH.targetClass, SH.targetSubjectsOf,
                                                       SH.targetObjectsOf, SH.path)):
                todo.append(o)
    return alone


def _found_violations(store, found) -> set[Violation]:
    """kg.shacl_sparql's results as Violations, the focus nodes' labels read from STORE."""
    labels: dict = {}
    violations = set()
    for f in found:
        focus = f.focus
        if focus not in labels:
            labels[focus] = None
            if isinstance(focus, URIRef):
                rows = store.query(f"SELECT ?l WHERE {{ <{focus}> <{SKOS.prefLabel}> ?l FILTER(isLiteral(?l)) }}")
                names = sorted(row["l"].value for row in rows)
                labels[focus] = " / ".join(names) if names else None
        violations.add(Violation(
            focus=_term_text(focus) or "", path=f.path, message=f.message, severity=f.severity,
            value=_term_text(f.value),
            focus_label=labels[focus]))
    return violations


def validate_store(store_dir: Path, ontology_dir: Path, *, jobs: int | None = None,
                   inference: str = "none", chunk: int = SUBJECTS_PER_CHUNK,
                   translate: bool = True) -> ValidationResult:
    """Validate the graph in the Oxigraph store at STORE_DIR (a folder kg.query.load_store
    wrote: the union of the article graphs as its default graph) against
    ONTOLOGY_DIR/shapes.ttl: the same ValidationResult as validate_graph on the same graph.

    Each shape kg.shacl_sparql translates is checked by SPARQL queries on the store; a
    shape it does not translate (or every shape, with TRANSLATE false, or with an
    INFERENCE other than "none") is handed alone to pyshacl on the nodes it targets, in
    chunks of CHUNK subjects on JOBS worker processes (default: the number of cores; the
    module doc says why a chunk sees what the shape needs), and named in the result's notes."""
    import pyoxigraph as ox

    from .shacl_sparql import find_ill_typed, plan_checks, run_checks_parallel

    ont, shapes = load_ontology(ontology_dir)
    store = ox.Store.read_only(str(store_dir))
    violations: set[Violation] = set()
    notes: list[str] = []
    if translate and inference == "none":
        pairs = set(ont.subject_objects(RDFS.subClassOf))
        pairs |= {(URIRef(row["a"].value), URIRef(row["b"].value)) for row in store.query(
            f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b FILTER(isIRI(?a) && isIRI(?b)) }}")}
        plan = plan_checks(shapes, pairs, find_ill_typed(store, shapes), store)
        found = run_checks_parallel(store_dir, plan.checks, jobs or os.cpu_count() or 1)
        violations |= _found_violations(store, found)
        leftover = plan.untranslated
    else:
        leftover = [(None, None, "not translated")]
    # (asked only here: with no blank node the question reads every triple of the graph)
    if leftover and bool(store.query("ASK { ?s ?p ?o FILTER(isBlank(?s)) }")):
        raise ValueError(f"{store_dir}: the graph has blank nodes, which pyshacl cannot validate in parts")
    for shape, target, reason in leftover:
        if shape is None:
            text, where = None, "SELECT DISTINCT ?f WHERE { ?f ?p ?o }"
        else:
            text = _shape_graph(shapes, shape).serialize(format="turtle")
            where = f"SELECT DISTINCT ?f WHERE {{ {target or '?f ?p ?o'} }}"
            notes.append(f"shape {_short(str(shape))} checked by pyshacl ({reason})")
        subjects = sorted(row["f"].value for row in store.query(where) if isinstance(row["f"], ox.NamedNode))
        violations |= _pyshacl_in_chunks(store_dir, subjects, ontology_dir, inference, text, jobs, chunk)
    del store
    ordered = sorted(violations, key=Violation.sort_key)
    return ValidationResult(conforms=not any(v.severity == "Violation" for v in ordered),
                            violations=ordered, notes=notes)


def _pyshacl_in_chunks(store_dir, subjects, ontology_dir, inference, shapes_text, jobs, chunk) -> set[Violation]:
    """_validate_chunk over SUBJECTS cut into chunks of CHUNK, on JOBS processes."""
    size = max(chunk, 1)
    chunks = [subjects[i:i + size] for i in range(0, len(subjects), size)]
    if not chunks:
        return set()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(chunks)))
    violations: set[Violation] = set()
    n = len(chunks)
    if jobs == 1:
        for part in chunks:
            violations |= _validate_chunk(str(store_dir), part, str(ontology_dir), inference, shapes_text)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for found in pool.map(_validate_chunk, [str(store_dir)] * n, chunks, [str(ontology_dir)] * n,
                                  [inference] * n, [shapes_text] * n):
                violations |= found
    return violations


def validate_outdir(outdir: Path, ontology_dir: Path, *, jobs: int | None = None,
                    threshold: int | None = None) -> ValidationResult:
    """Validate OUTDIR's graph: from its Oxigraph store in parallel (validate_store) when
    graph.nq is larger than THRESHOLD bytes (kg.query.uses_store), else with validate_graph
    on the parsed graph. The same result either way."""
    from .query import store_dir_of, uses_store
    from .store import open_graph

    if uses_store(outdir, threshold):
        folder = store_dir_of(outdir)
        if folder is not None:
            return validate_store(folder, ontology_dir, jobs=jobs)
    return validate_graph(open_graph(outdir, threshold), ontology_dir)
