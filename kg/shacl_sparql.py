"""SHACL shapes translated to SPARQL, for validating a large graph on its Oxigraph store.

    plan_checks(shapes, subclass_pairs, ill_typed) -> Plan    # the queries, and the shapes left to pyshacl
    find_ill_typed(store, shapes) -> set[Literal]           # the literals sh:datatype rejects
    run_checks(store, checks) -> set[Found]                 # the results they find on a pyoxigraph Store
    run_checks_parallel(store_dir, checks, jobs) -> set[Found]   # the same, on JOBS processes

pyshacl spends some milliseconds per focus node, so a graph of 600,000 subjects takes it
an hour; Oxigraph answers one query per constraint over all focus nodes at once. Each
node shape first gets one screening query (node_screen) that reads each of its paths by
a scan and keeps the nodes that may fail: Oxigraph joins a pattern by looking each
node's values up (some 50 µs a look-up in the on-disk store), but hashes sub-queries, so
the screen is written as sub-queries joined to the targets and a UNION grouped by node.
The exact checks then run on the nodes it returned only. The queries are generated from
the shapes graph (nothing here names a shape of ours), for the SHACL Core subset a shapes
file like ontology/shapes.ttl uses:

* targets: sh:targetClass (its subclasses included), sh:targetSubjectsOf,
  sh:targetObjectsOf, sh:targetNode;
* on a property shape (a path of one IRI, or sh:inversePath of one): sh:minCount,
  sh:maxCount, sh:qualifiedValueShape with sh:qualifiedMaxCount, sh:lessThan,
  sh:lessThanOrEquals, and every value constraint below, one result per failing value;
* value constraints, on a node or on each value: sh:class, sh:datatype, sh:nodeKind,
  sh:in, sh:pattern (sh:flags), sh:languageIn, sh:minLength,
  sh:maxLength, sh:minInclusive / maxInclusive / minExclusive / maxExclusive, and
  sh:node, sh:not, sh:and, sh:or, sh:xone and sh:property over shapes made of these.

Each result is what pyshacl reports (validate.Violation): the focus node, the path, the
shape's sh:message, its severity and the value (none for counts; the focus node itself
for a constraint on the node). A top-level shape using anything else (or with no
sh:message, whose text pyshacl would make up) is not translated: the Plan names it with
the reason, and kg.validate hands that shape alone to pyshacl on the nodes it targets.

sh:class follows rdfs:subClassOf as pyshacl does on the data graph with the ontology
mixed in: SUBCLASS_PAIRS are those statements of the ontology and the data. In a screen,
sh:class on the values of a path is a comparison with the values of that path that lack
the class, found by one grouped scan (values_without_class; a look-up per value when
they are many). sh:datatype
rejects, as pyshacl does, a literal of the right datatype whose lexical form rdflib cannot
parse ("abc"^^xsd:integer): find_ill_typed finds those in one scan and judges them in
Python, and the queries name them. Not the same as pyshacl: sh:lessThan (and the other
comparisons) with an ill-typed literal on one side, which SPARQL cannot compare (a
result) and rdflib compares by lexical form.
"""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

_XSD = str(XSD)

# Lexical forms that rdflib parses for these datatypes, so pyshacl's sh:datatype accepts them
# (find_ill_typed looks at the other literals of a datatype the shapes name, in Python).
_SURELY_WELL_TYPED = {
    _XSD + "integer": r"^[+-]?[0-9]{1,18}$",
    _XSD + "decimal": r"^[+-]?[0-9]+(\.[0-9]+)?$",
    _XSD + "double": r"^[+-]?[0-9]+(\.[0-9]+)?$",
    _XSD + "boolean": r"^(true|false)$",
}
# What pyshacl's sh:datatype also asks of a literal's value in Python (else it is accepted).
_VALUE_TYPES = {XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool,
                XSD.date: date, XSD.time: time, XSD.dateTime: datetime, XSD.string: str}

# Predicates of a shape that state no constraint.
_NOT_CONSTRAINTS = {RDF.type, RDFS.comment, RDFS.label, RDFS.seeAlso, SH.message, SH.severity,
                    SH.name, SH.description, SH.order, SH.group, SH.targetClass, SH.targetNode,
                    SH.targetSubjectsOf, SH.targetObjectsOf, SH.path}
_VALUE_PARAMS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH.pattern, SH.flags,
                 SH.languageIn, SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive,
                 SH.minExclusive, SH.maxExclusive, SH.node, SH["not"], SH["and"], SH["or"], SH.xone,
                 SH.property}
_COUNT_PARAMS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMaxCount,
                 SH.lessThan, SH.lessThanOrEquals}


class NotTranslated(Exception):
    """A shape uses a part of SHACL this module does not turn into SPARQL."""


@dataclass(frozen=True)
class Check:
    """One SELECT query: each row (?f, and ?v when VALUE is "v") is a result with this path
    text, message and severity.

    QUERY holds the mark RESTRICT where a VALUES clause may name the focus nodes to look
    at. SCREEN, when given, is a cheaper query shared by the checks of one node shape
    (_Compiler.node_screen: one scan of each path instead of a look-up per node and
    constraint): the focus nodes it does not return have no result from this check."""
    shape: str
    query: str
    path: str | None
    message: str
    severity: str
    value: str               # "v": the row's ?v; "focus": the focus node; "none": no value
    screen: str | None = None


RESTRICT = "#RESTRICT#\n"
# Above this many focus nodes a screen returns, its checks run over all the targets.
_MOST_RESTRICTED = 5000
# Above this many values of a path without a class, a screen looks each value's class up.
_MOST_CLASSLESS = 1000


@dataclass
class Plan:
    """The checks of every translated top-level shape, and the shapes left to pyshacl:
    (shape node, its target pattern over ?f or None, why it was not translated)."""
    checks: list[Check] = field(default_factory=list)
    untranslated: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class Found:
    """One result: the focus node and value as rdflib terms, the rest as text."""
    focus: object
    path: str | None
    message: str
    severity: str
    value: object


def _iri(term) -> str:
    if not isinstance(term, URIRef):
        raise NotTranslated(f"{term!r} is not an IRI")
    return f"<{term}>"


def _term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise NotTranslated(f"{term!r} cannot be written in a query")


class _Compiler:
    def __init__(self, shapes: Graph, subclass_pairs, ill_typed=(), store=None):
        self.g = shapes
        self.ill_typed = set(ill_typed)
        self.sub: dict = {}
        for sub, sup in subclass_pairs:
            self.sub.setdefault(sup, set()).add(sub)
        self.names = itertools.count()
        self.depth = 0
        self.store = store
        # While a node shape's screen is written (node_screen): the branches of its UNION,
        # {pattern: (variable, group graph pattern)}, and for each variable bound to the
        # values of a path, that path. None otherwise.
        self.branches: dict | None = None
        self.value_paths: dict = {}
        self.classless: dict = {}     # (path, classes) -> the values of PATH of no class in CLASSES

    def var(self) -> str:
        return f"?x{next(self.names)}"

    def subclasses(self, cls) -> list:
        found, todo = {cls}, [cls]
        while todo:
            for s in self.sub.get(todo.pop(), ()):
                if s not in found:
                    found.add(s)
                    todo.append(s)
        return sorted(found, key=str)

    def has_type(self, var: str, cls) -> str:
        classes = self.subclasses(cls)
        values = " ".join(_iri(c) for c in classes)
        if self.branches is not None and var == "?f":     # in a screen: the focus node's types, scanned
            t = self.branch(f"a {values}", lambda t: f"{{ ?f a {t} . VALUES {t} {{ {values} }} }}")
            return f"COUNT({t}) > 0"
        if self.branches is not None and var in self.value_paths:
            others = self.values_without_class(self.value_paths[var], classes)
            if others is not None:
                return "!(" + " || ".join(f"sameTerm({var}, {o})" for o in others) + ")" if others else "true"
        t = self.var()
        return f"EXISTS {{ {var} a {t} . VALUES {t} {{ {values} }} }}"

    def values_without_class(self, path: str, classes: list) -> list[str] | None:
        """The values of PATH (of any subject) that have none of CLASSES as rdf:type, as
        query terms, from the store: one scan of the path and of those types, grouped by
        value (no look-up per value). None without a store, or when there are more than
        _MOST_CLASSLESS of them or a blank node among them (which a query cannot name)."""
        if self.store is None:
            return None
        import pyoxigraph as ox

        key = (path, tuple(classes))
        if key not in self.classless:
            values = " ".join(_iri(c) for c in classes)
            rows = self.store.query(
                f"SELECT ?v WHERE {{ {{ ?s {path} ?v BIND(0 AS ?k) }} UNION {{ ?v a ?t VALUES ?t {{ {values} }} "
                f"BIND(1 AS ?k) }} }} GROUP BY ?v HAVING (MAX(?k) = 0) LIMIT {_MOST_CLASSLESS + 1}")
            found = [row["v"] for row in rows]
            blank = any(isinstance(v, ox.BlankNode) for v in found)
            self.classless[key] = None if blank or len(found) > _MOST_CLASSLESS else sorted(map(str, found))
        return self.classless[key]

    def branch(self, key: str, pattern) -> str:
        """The variable of the screen's UNION branch KEY: PATTERN(variable) is the group graph
        pattern that binds it (with ?f), added on first use and shared after."""
        if key not in self.branches:
            v = self.var()
            self.branches[key] = (v, pattern(v))
        return self.branches[key][0]

    def items(self, node) -> list:
        return list(Collection(self.g, node))

    def one(self, shape, param):
        values = list(self.g.objects(shape, param))
        if len(values) != 1:
            raise NotTranslated(f"{len(values)} values of {param}")
        return values[0]

    def path(self, shape) -> tuple[str, str]:
        """(SPARQL path, path text as validate reports it) of a property shape."""
        path = self.one(shape, SH.path)
        if isinstance(path, URIRef):
            return f"<{path}>", str(path)
        inverse = self.g.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(self.g.predicate_objects(path))) == 1:
            return f"^<{inverse}>", f"^{inverse}"
        raise NotTranslated("a path other than an IRI or sh:inversePath of an IRI")

    def check_params(self, shape, allowed):
        for p in set(self.g.predicates(shape, None)):
            if p not in _NOT_CONSTRAINTS and p not in allowed:
                raise NotTranslated(f"{p} is not translated")

    # ---- value constraints: a boolean expression, true when VAR conforms

    def value_exprs(self, shape, var: str) -> list[str]:
        """One expression per value constraint of SHAPE on the node VAR (sh:property included)."""
        g, out = self.g, []
        for cls in g.objects(shape, SH["class"]):
            out.append(f"({self.has_type(var, cls)})")
        for dt in g.objects(shape, SH.datatype):
            expr = f"isLiteral({var}) && sameTerm(datatype({var}), {_iri(dt)})"
            bad = sorted((lit for lit in self.ill_typed if lit.datatype == dt), key=str)
            if bad:
                expr += " && !(" + " || ".join(f"sameTerm({var}, {_term(lit)})" for lit in bad) + ")"
            out.append(f"({expr})")
        for kind in g.objects(shape, SH.nodeKind):
            tests = {SH.IRI: f"isIRI({var})", SH.Literal: f"isLiteral({var})", SH.BlankNode: f"isBlank({var})",
                     SH.BlankNodeOrIRI: f"!isLiteral({var})", SH.BlankNodeOrLiteral: f"!isIRI({var})",
                     SH.IRIOrLiteral: f"!isBlank({var})"}
            if kind not in tests:
                raise NotTranslated(f"sh:nodeKind {kind}")
            out.append(f"({tests[kind]})")
        for members in g.objects(shape, SH["in"]):
            out.append("(" + (" || ".join(f"sameTerm({var}, {_term(m)})" for m in self.items(members)) or "false") + ")")
        if (shape, SH.hasValue, None) in g:   # a constraint on the set of values, not on each
            raise NotTranslated("sh:hasValue")
        flags = [str(f) for f in g.objects(shape, SH.flags)]
        for pattern in g.objects(shape, SH.pattern):
            args = f"STR({var}), {Literal(str(pattern)).n3()}" + (f", {Literal(flags[0]).n3()}" if flags else "")
            out.append(f"(!isBlank({var}) && REGEX({args}))")
        for langs in g.objects(shape, SH.languageIn):
            tests = " || ".join(f"langMatches(lang({var}), {Literal(str(l)).n3()})" for l in self.items(langs))
            out.append(f"(isLiteral({var}) && ({tests or 'false'}))")
        for n in g.objects(shape, SH.minLength):
            out.append(f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(n)})")
        for n in g.objects(shape, SH.maxLength):
            out.append(f"(!isBlank({var}) && STRLEN(STR({var})) <= {int(n)})")
        for param, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="), (SH.minExclusive, ">"),
                          (SH.maxExclusive, "<")):
            for bound in g.objects(shape, param):
                out.append(f"COALESCE({var} {op} {_term(bound)}, false)")
        for other in g.objects(shape, SH.node):
            out.append(self.conforms(other, var))
        for other in g.objects(shape, SH["not"]):
            out.append(f"!{self.conforms(other, var)}")
        for members in g.objects(shape, SH["and"]):
            out.append("(" + " && ".join(self.conforms(m, var) for m in self.items(members)) + ")")
        for members in g.objects(shape, SH["or"]):
            out.append("(" + " || ".join(self.conforms(m, var) for m in self.items(members)) + ")")
        for members in g.objects(shape, SH.xone):
            out.append("(" + " + ".join(f"IF({self.conforms(m, var)}, 1, 0)" for m in self.items(members)) + " = 1)")
        for prop in g.objects(shape, SH.property):
            out.append(self.conforms(prop, var))
        return out

    def conforms(self, shape, var: str) -> str:
        """A boolean expression: the node VAR conforms to SHAPE (a node or property shape)."""
        if (shape, SH.deactivated, None) in self.g:
            raise NotTranslated("sh:deactivated")
        if (shape, SH.path, None) not in self.g:
            self.check_params(shape, _VALUE_PARAMS)
            return "(" + (" && ".join(self.value_exprs(shape, var)) or "true") + ")"
        self.check_params(shape, _VALUE_PARAMS | {SH.minCount, SH.maxCount})
        path, _ = self.path(shape)
        if self.branches is not None and var == "?f":
            return self.path_ok(shape, path, [int(n) for n in self.g.objects(shape, SH.minCount)],
                                [int(n) for n in self.g.objects(shape, SH.maxCount)])
        parts = []
        for n in self.g.objects(shape, SH.minCount):
            parts.append(self.count_test(var, path, ">=", int(n)))
        for n in self.g.objects(shape, SH.maxCount):
            parts.append(self.count_test(var, path, "<=", int(n)))
        v = self.var()
        exprs = self.value_exprs(shape, v)
        if exprs:
            parts.append(f"NOT EXISTS {{ {var} {path} {v} FILTER(!({' && '.join(exprs)})) }}")
        return "(" + (" && ".join(parts) or "true") + ")"

    def count_test(self, var: str, path: str, op: str, n: int) -> str:
        if op == ">=" and n <= 0:
            return "true"
        if op == ">=" and n == 1:
            return f"EXISTS {{ {var} {path} {self.var()} }}"
        if op == "<=" and n == 0:
            return f"NOT EXISTS {{ {var} {path} {self.var()} }}"
        if op == "<=" and n == 1:
            a, b = self.var(), self.var()
            return f"NOT EXISTS {{ {var} {path} {a} . {var} {path} {b} FILTER(!sameTerm({a}, {b})) }}"
        raise NotTranslated(f"a count of {n} inside another shape")

    # ---- a node shape's screen: aggregates over a UNION of scans, grouped by ?f

    def path_ok(self, shape, path: str, mins: list[int], maxes: list[int]) -> str:
        """In a screen: an aggregate expression, true when the focus node has as many values
        of PATH as MINS and MAXES allow and each conforms to SHAPE's value constraints (an
        error counts as conforming, as in the checks, whose FILTER drops it)."""
        v = self.branch(f"path {path}", lambda v: f"{{ ?f {path} {v} }}")
        self.value_paths[v] = path
        parts = [f"COUNT(DISTINCT {v}) >= {n}" for n in mins if n > 0]
        parts += [f"COUNT(DISTINCT {v}) <= {n}" for n in maxes]
        exprs = self.value_exprs(shape, v)
        if exprs:
            parts.append(f"SUM(IF(COALESCE(!BOUND({v}) || ({' && '.join(exprs)}), true), 0, 1)) = 0")
        return "(" + (" && ".join(f"({p})" for p in parts) or "true") + ")"

    def property_screen(self, prop, target: str, parts: dict) -> None:
        """In a screen: adds to PARTS ({key: sub-query}) the sub-queries returning, with
        ?bad, the nodes TARGET binds that a check of the top-level property shape PROP may
        report: one per path, grouped by node (too few or too many values, a value that
        does not conform, too many qualified values), shared by the property shapes of one
        node shape on that path, and one per sh:lessThan (the pairs of values). Each is a
        join of sub-queries, the targets and a scan of the path, which Oxigraph answers by
        hashing (an OPTIONAL one where a node may have no value); only failing nodes come out."""
        g = self.g
        path, _ = self.path(prop)
        key = f"values {path}"
        if key not in parts:
            parts[key] = (self.var(), path, [], [])
        v, _, fails, mins = parts[key]
        self.value_paths[v] = path
        mins += [int(n) for n in g.objects(prop, SH.minCount) if int(n) > 0]
        fails += [f"COUNT({v}) < {int(n)}" for n in g.objects(prop, SH.minCount) if int(n) > 0]
        fails += [f"COUNT({v}) > {int(n)}" for n in g.objects(prop, SH.maxCount)]
        exprs = self.value_exprs(prop, v)
        if exprs:
            fails.append(f"SUM(IF(COALESCE(!BOUND({v}) || ({' && '.join(exprs)}), true), 0, 1)) > 0")
        for q in g.objects(prop, SH.qualifiedValueShape):
            for n in g.objects(prop, SH.qualifiedMaxCount):
                fails.append(f"SUM(IF(BOUND({v}) && COALESCE({self.conforms(q, v)}, false), 1, 0)) > {int(n)}")
        for param, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in g.objects(prop, param):
                parts[f"pairs {path} {op} {other}"] = (
                    f"{{ SELECT ?f (true AS ?bad) WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} "
                    f"{{ SELECT ?f ?a WHERE {{ ?f {path} ?a }} }} {{ SELECT ?f ?b WHERE {{ ?f {_iri(other)} ?b }} }} "
                    f"FILTER(!COALESCE(?a {op} ?b, false)) }} }}")

    def node_screen(self, shape, target: str) -> str | None:
        """One query returning every node TARGET binds that a check of SHAPE itself (its
        constraints on the node, its property shapes; not the shapes it nests) may report,
        or None when some constraint has no form here. It reads each path by a scan, never
        a look-up per node (some 50 µs each in the on-disk store): the property shapes'
        sub-queries (property_screen) return their failing nodes; a constraint on the node
        itself reads each path it needs and each class it tests as a branch of a UNION
        with the targets, judged by aggregates over the branches, grouped by ?f. A class
        test on a value is a comparison with the few values of that path that lack the
        class (values_without_class)."""
        self.branches, self.value_paths = {}, {}
        parts: dict = {}
        try:
            if (shape, SH.path, None) in self.g:
                fails = []
                self.property_screen(shape, target, parts)
            else:
                fails = [f"!({e})" for e in self.value_exprs_without_properties(shape, "?f")]
                for prop in self.g.objects(shape, SH.property):
                    self.property_screen(prop, target, parts)
        except NotTranslated:
            return None
        finally:
            branches, self.branches, self.value_paths = self.branches, None, {}
        targets = f"{{ SELECT DISTINCT ?f WHERE {{ {target} }} }}"
        union = []
        for key, part in parts.items():
            if key.startswith("values "):
                v, path, tests, mins = part
                if not tests:
                    continue
                values = f"{{ SELECT ?f {v} WHERE {{ ?f {path} {v} }} }}"
                part = (f"{{ SELECT ?f (true AS ?bad) WHERE {{ {targets} {'OPTIONAL ' if mins else ''}{values} }} "
                        f"GROUP BY ?f HAVING ({' || '.join(f'COALESCE({t}, true)' for t in tests)}) }}")
            union.append(part)
        if not fails:
            return f"SELECT DISTINCT ?f WHERE {{ {' UNION '.join(union)} }}" if union else None
        union = [f"{{ {targets} BIND(true AS ?target) }}", *(pattern for _, pattern in branches.values()), *union]
        tests = " || ".join(f"COALESCE({f}, true)" for f in fails + ["COUNT(?bad) > 0"] * bool(parts))
        return f"SELECT ?f WHERE {{ {' UNION '.join(union)} }} GROUP BY ?f HAVING (COUNT(?target) > 0 && ({tests}))"

    # ---- top-level shapes

    def target(self, shape) -> str:
        """A group graph pattern binding ?f to each node SHAPE targets (SELECT DISTINCT it)."""
        g, parts = self.g, []
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g:
            classes.add(shape)
        if classes:
            t = self.var()
            values = " ".join(_iri(c) for c in sorted({s for c in classes for s in self.subclasses(c)}, key=str))
            parts.append(f"{{ ?f a {t} . VALUES {t} {{ {values} }} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?f {_iri(p)} [] }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ [] {_iri(p)} ?f }}")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("{ VALUES ?f { " + " ".join(_term(n) for n in nodes) + " } }")
        for p in (SH.target,):
            if (shape, p, None) in g:
                raise NotTranslated("sh:target (SPARQL-based targets)")
        return " UNION ".join(parts)

    def message(self, shape) -> str:
        messages = sorted(str(m) for m in self.g.objects(shape, SH.message))
        if not messages:
            raise NotTranslated("no sh:message (pyshacl would write its own)")
        return " ".join(messages)

    def severity(self, shape) -> str:
        severity = self.g.value(shape, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    def shape_checks(self, shape, target: str) -> list[Check]:
        """Every Check of the top-level SHAPE on the nodes TARGET binds to ?f."""
        name = str(shape)
        if (shape, SH.path, None) in self.g:
            own, nested = self.property_checks(name, shape, target)
        else:
            self.check_params(shape, _VALUE_PARAMS)
            own, nested = [], []
            node_level = [e for e in self.value_exprs_without_properties(shape, "?f")]
            if node_level:
                message, severity = self.message(shape), self.severity(shape)
                for expr in node_level:
                    own.append(Check(name, f"SELECT DISTINCT ?f WHERE {{ {RESTRICT}{target} FILTER(!{expr}) }}",
                                     None, message, severity, "focus"))
            for prop in self.g.objects(shape, SH.property):
                checks, deeper = self.property_checks(name, prop, target)
                own += checks
                nested += deeper
            for other in self.g.objects(shape, SH.node):
                nested += self.nested_checks(name, other, target, None)
        screen = self.node_screen(shape, target) if own else None
        if screen is not None:     # one screen for all of them, in place of one per property shape
            own = [replace(check, screen=screen) for check in own]
        return own + nested

    def value_exprs_without_properties(self, shape, var):
        props = list(self.g.objects(shape, SH.property))
        for p in props:
            self.g.remove((shape, SH.property, p))
        try:
            return self.value_exprs(shape, var)
        finally:
            for p in props:
                self.g.add((shape, SH.property, p))

    def property_checks(self, name: str, prop, target: str) -> tuple[list[Check], list[Check]]:
        """(the checks of the property shape PROP on the nodes TARGET binds, those of the
        shapes it nests on their values)."""
        g = self.g
        if (prop, SH.deactivated, None) in g:
            raise NotTranslated("sh:deactivated")
        self.check_params(prop, _VALUE_PARAMS | _COUNT_PARAMS)
        path, text = self.path(prop)
        message, severity = self.message(prop), self.severity(prop)
        checks: list[Check] = []

        mins = [int(n) for n in g.objects(prop, SH.minCount)]
        maxes = [int(n) for n in g.objects(prop, SH.maxCount)]
        exprs = self.value_exprs(prop, "?v")

        def add(query: str, value: str):
            query = query.replace("WHERE { ", "WHERE { " + RESTRICT, 1)
            checks.append(Check(name, query, text, message, severity, value))

        for n in mins:
            if n == 1:
                add(f"SELECT DISTINCT ?f WHERE {{ {target} FILTER NOT EXISTS {{ ?f {path} ?v }} }}", "none")
            elif n > 1:
                add(f"SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} OPTIONAL {{ ?f {path} ?v }} }}"
                    f" GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {n})", "none")
        for n in maxes:
            if n == 0:
                add(f"SELECT DISTINCT ?f WHERE {{ {target} FILTER EXISTS {{ ?f {path} ?v }} }}", "none")
            elif n == 1:
                add(f"SELECT DISTINCT ?f WHERE {{ {target} ?f {path} ?a, ?b FILTER(!sameTerm(?a, ?b)) }}", "none")
            else:
                add(f"SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} ?f {path} ?v }}"
                    f" GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {n})", "none")
        qualified = list(g.objects(prop, SH.qualifiedValueShape))
        if qualified:
            if (prop, SH.qualifiedMinCount, None) in g or (prop, SH.qualifiedValueShapesDisjoint, None) in g:
                raise NotTranslated("sh:qualifiedMinCount / sh:qualifiedValueShapesDisjoint")
            for q in qualified:
                for n in g.objects(prop, SH.qualifiedMaxCount):
                    add(f"SELECT ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {target} }} }} ?f {path} ?v "
                        f"FILTER({self.conforms(q, '?v')}) }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {int(n)})",
                        "none")
        elif (prop, SH.qualifiedMaxCount, None) in g:
            raise NotTranslated("sh:qualifiedMaxCount without sh:qualifiedValueShape")
        for param, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in g.objects(prop, param):
                add(f"SELECT DISTINCT ?f ?v WHERE {{ {target} ?f {path} ?v . ?f {_iri(other)} ?o "
                    f"FILTER(!COALESCE(?v {op} ?o, false)) }}", "v")
        if exprs:
            add(f"SELECT DISTINCT ?f ?v WHERE {{ {target} ?f {path} ?v FILTER(!({' && '.join(exprs)})) }}", "v")
        nested = []
        for other in g.objects(prop, SH.node):
            nested += self.nested_checks(name, other, target, path)
        return checks, nested

    def nested_checks(self, name: str, nested, target: str, path: str | None) -> list[Check]:
        """pyshacl reports, beside a failed sh:node, the nested shape's own results on the
        node that failed it (as sh:detail, which kg.validate lists too): NESTED's checks on
        the values of PATH (on the focus node itself for None) of the nodes TARGET binds."""
        self.depth += 1
        try:
            if self.depth > 8:
                raise NotTranslated("sh:node nested more than 8 deep (recursive shapes)")
            if path is None:
                return self.shape_checks(nested, target)
            g_var = f"?n{next(self.names)}"
            outer = re.sub(r"\?f\b", g_var, target)
            return self.shape_checks(nested, f"{{ SELECT DISTINCT ?f WHERE {{ {outer} {g_var} {path} ?f }} }}")
        finally:
            self.depth -= 1


def top_level_shapes(shapes: Graph) -> list:
    """The shapes with targets (explicit, or implicit class targets), sorted."""
    found = set()
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        found.update(shapes.subjects(p, None))
    for s in shapes.subjects(RDF.type, SH.NodeShape):
        if (s, RDF.type, RDFS.Class) in shapes:
            found.add(s)
    return sorted(found, key=lambda s: (isinstance(s, BNode), str(s)))


def plan_checks(shapes: Graph, subclass_pairs, ill_typed=(), store=None) -> Plan:
    """The SPARQL checks of every top-level shape of SHAPES; SUBCLASS_PAIRS: the
    (subclass, superclass) statements of the ontology and the data; ILL_TYPED: the
    literals of the data that sh:datatype rejects although their datatype is the one
    named (find_ill_typed). STORE (a pyoxigraph Store, optional) is asked, for the
    screens, which values of a path lack a class: without it a screen looks each value's
    class up, which gives the same results more slowly."""
    work = Graph()
    for triple in shapes:
        work.add(triple)
    compiler = _Compiler(work, subclass_pairs, ill_typed, store)
    plan = Plan()
    for shape in top_level_shapes(work):
        try:
            target = compiler.target(shape)
        except NotTranslated as e:
            plan.untranslated.append((shape, None, str(e)))
            continue
        try:
            plan.checks += compiler.shape_checks(shape, target)
        except NotTranslated as e:
            plan.untranslated.append((shape, target, str(e)))
    return plan


def datatype_accepts(literal: Literal) -> bool:
    """Whether pyshacl's sh:datatype accepts LITERAL (an rdflib Literal) as being of its own
    datatype: rdflib could parse its lexical form, to a value of the right Python type."""
    if literal.datatype is None:
        return True
    if getattr(literal, "ill_typed", None) is True:
        return False
    kind = _VALUE_TYPES.get(literal.datatype)
    return kind is None or isinstance(literal.value, kind)


def _datatype_predicates(shapes: Graph, datatypes: set[str]) -> list[str] | None:
    """The predicates whose objects some sh:datatype in DATATYPES judges: the paths of the
    property shapes that carry it (directly or in sh:or / sh:and / sh:xone / sh:not of
    shapes without a path). None when such a datatype is used anywhere else: then every
    literal of the graph has to be looked at."""
    def datatype_shapes(shape, seen) -> set:
        found = {shape} if any(str(dt) in datatypes for dt in shapes.objects(shape, SH.datatype)) else set()
        for param in (SH["or"], SH["and"], SH.xone):
            for members in shapes.objects(shape, param):
                for member in Collection(shapes, members):
                    if member not in seen and (member, SH.path, None) not in shapes:
                        found |= datatype_shapes(member, seen | {member})
        for member in shapes.objects(shape, SH["not"]):
            if member not in seen and (member, SH.path, None) not in shapes:
                found |= datatype_shapes(member, seen | {member})
        return found

    covered, predicates = set(), set()
    for prop, path in shapes.subject_objects(SH.path):
        reached = datatype_shapes(prop, {prop})
        if reached and isinstance(path, URIRef):
            covered |= reached
            predicates.add(str(path))
        elif reached and shapes.value(path, SH.inversePath) is not None:
            covered |= reached                    # the values are subjects: never literals
    used = {s for s, dt in shapes.subject_objects(SH.datatype) if str(dt) in datatypes}
    return sorted(predicates) if used <= covered else None


def find_ill_typed(store, shapes: Graph) -> set[Literal]:
    """The literals in STORE's default graph, of a datatype some sh:datatype of SHAPES
    names, that pyshacl would not take as being of their datatype ("abc"^^xsd:integer,
    "2023-02-30"^^xsd:date). The objects of the predicates those sh:datatype judge are
    scanned (every literal, when that cannot be told); those whose form is surely fine
    (a plain integer...) are left in the store, the rest judged in Python as rdflib does."""
    from .store import from_oxigraph

    datatypes = {str(dt) for dt in shapes.objects(None, SH.datatype) if isinstance(dt, URIRef)}
    datatypes -= {_XSD + "string", str(RDF.langString)}
    if not datatypes:
        return set()
    tests = " || ".join(
        f"(sameTerm(datatype(?l), <{dt}>)" + (f" && !REGEX(STR(?l), {Literal(_SURELY_WELL_TYPED[dt]).n3()})"
                                             if dt in _SURELY_WELL_TYPED else "") + ")"
        for dt in sorted(datatypes))
    predicates = _datatype_predicates(shapes, datatypes)
    patterns = ["?s ?p ?l"] if predicates is None else [f"?s <{p}> ?l" for p in predicates]
    literals = set()
    for pattern in patterns:
        literals |= {row["l"] for row in store.query(
            f"SELECT DISTINCT ?l WHERE {{ {pattern} FILTER(isLiteral(?l) && ({tests})) }}")}
    rdflib_log = logging.getLogger("rdflib.term")   # rdflib logs every lexical form it cannot parse
    level = rdflib_log.level
    rdflib_log.setLevel(logging.ERROR + 10)
    try:
        return {lit for lit in map(from_oxigraph, literals) if not datatype_accepts(lit)}
    finally:
        rdflib_log.setLevel(level)


def run_checks(store, checks: list[Check]) -> set[Found]:
    """The results of CHECKS on the default graph of the pyoxigraph STORE: each screen once,
    then each check on the focus nodes its screen returned (none: no query). Terms come
    back as rdflib terms (kg.store.from_oxigraph)."""
    import pyoxigraph as ox

    from .store import from_oxigraph

    found = set()
    screened: dict[str, list] = {}
    for check in checks:
        restrict = ""
        if check.screen is not None:
            if check.screen not in screened:
                screened[check.screen] = [row["f"] for row in store.query(check.screen)]
            focus_nodes = screened[check.screen]
            if not focus_nodes:
                continue
            # (a blank node cannot be named in a query: then the check looks at every target)
            if len(focus_nodes) <= _MOST_RESTRICTED and not any(isinstance(f, ox.BlankNode) for f in focus_nodes):
                restrict = "VALUES ?f { " + " ".join(str(f) for f in focus_nodes) + " }\n"
        for row in store.query(check.query.replace(RESTRICT, restrict)):
            focus = row["f"]
            value = row["v"] if check.value == "v" else focus if check.value == "focus" else None
            found.add(Found(from_oxigraph(focus), check.path, check.message, check.severity,
                            None if value is None else from_oxigraph(value)))
    return found


def _run_in_store(store_dir: str, checks: list[Check]) -> set[Found]:
    import pyoxigraph as ox

    return run_checks(ox.Store.read_only(store_dir), checks)


def run_checks_parallel(store_dir, checks: list[Check], jobs: int) -> set[Found]:
    """run_checks on the store folder STORE_DIR in JOBS processes, each opening it read-only
    (some 30 ms): the checks that share a screen go together, one task, the tasks handed
    to the next free process, the biggest first (by the number of sub-queries their first
    query holds: each a scan), so that no process is left with the last long one alone."""
    from concurrent.futures import ProcessPoolExecutor

    groups: dict = {}
    for n, check in enumerate(checks):
        groups.setdefault(check.screen or n, []).append(check)
    tasks = sorted(groups.values(), key=lambda group: -(group[0].screen or group[0].query).count("SELECT"))
    workers = max(1, min(jobs, len(tasks)))
    if workers == 1:
        return _run_in_store(str(store_dir), checks)
    found = set()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_run_in_store, [str(store_dir)] * len(tasks), tasks):
            found |= part
    return found
