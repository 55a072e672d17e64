"""SPARQL over a built graph: named queries, two engines, results as tables or DataFrames.

    named_queries() -> {name: NamedQuery}         # the library in kg/queries/*.rq
    open_engine(path, engine="auto") -> Engine    # an OUTDIR of `kg build`, or a store folder
    run(engine, "divisions_under", {"place": "平凉市"}, timeout=60) -> Result
    dataframe(path_or_engine, "divisions_under", place="平凉市") -> pandas.DataFrame
    check_query(sparql)                           # QueryError for SERVICE, FROM, updates
    load_store(graph_nq, store_dir)               # a persistent Oxigraph store, replaced atomically

Named queries are plain SPARQL files. Each starts with comment lines::

    # name: divisions_under
    # question: Which administrative divisions lie under a place, at any depth?
    # param: place (entity) — a division, by name or IRI, e.g. 平凉市
    # param: person (entity, optional) — ...
    # columns: division, level, ...

A parameter is a variable of the query. Its value is bound as an RDF term, never pasted
into the query as text: rdflib gets it as ``initBindings`` (which reach into sub-selects);
Oxigraph as a VALUES block at the top of the WHERE clause, and of each sub-select whose
WHERE clause names the variable, holding the term as pyoxigraph's N-Triples serializer
writes it (see OxigraphEngine._evaluate for why not its ``substitutions``). Plain strings
become terms by the declared type:

    entity   an entity, by name or by IRI. A name binds ?NAME ("平凉市"@zh), which the query
             matches as ?NAME_iri skos:prefLabel|skos:altLabel ?NAME; an IRI (id:division/620800,
             https://…, <…>) binds ?NAME_iri, and ?NAME to its prefLabel. Before the query
             runs (find_entities), a name that names nothing is refused with close names
             ("no entity named 兰州府; did you mean 兰州, 兰州市?"), as is an IRI that is not in
             the graph; a name of several entities reads them all, and Result.notes says so.
    label    a name as the graph writes it: "平凉市" → "平凉市"@zh
    iri      an IRI: https://..., <https://...>, or prefixed: id:division/620800, dj:County
    string   a plain literal: "平凉" (for FILTERs such as CONTAINS)
    integer, decimal   a number

A value that already is an rdflib term (URIRef, Literal) is used as it is. An optional
parameter that is not given stays unbound. Queries given as text (``kg query -e``) may
declare parameters in the same comment lines; undeclared ones are read as an IRI when
they look like one (<...>, http(s)://, a known prefix), else as a label.

Engines: rdflib (the whole graph in memory; the default for small graphs) and Oxigraph
(pyoxigraph; in memory, or a persistent store folder for large graphs). Both query the
union of the named graphs, each triple once, as the default graph (GRAPH ?g reaches the
article graphs), and both answer with the same rows: rows of rdflib terms (URIRef,
Literal, BNode) or None for an unbound variable.

A query that uses the project's prefixes (dj:, id:, skos:, nif:, ...: kg.namespaces) without
declaring them gets them declared (add_prefixes), so that both engines read it alike; an
engine's error is a QueryError of one line (syntax_error, rdflib_failed: rdflib fails on some
valid queries, and the message then points at Oxigraph).

Every query is first checked (check_query): it may read this graph and nothing else, so
SERVICE, FROM, FROM NAMED and updates (LOAD, INSERT, ...) are refused with a QueryError
before anything runs, and rdflib never loads a graph for it (SPARQL_LOAD_GRAPHS is off).
Given a timeout (run(..., timeout=60); math.inf: no limit), it runs in a child process of
its own (call_stoppable, where there is fork) that is killed when the timeout passes
(QueryTimeout), on Ctrl-C (KeyboardInterrupt) or when this process dies: Oxigraph
evaluates in native code that never looks at Python's signals, so only a process of its
own can be stopped. That process cannot open network connections at all (a seccomp
filter on Linux), whatever the check let through. Without a timeout (None, the default of
the Python functions) the query runs here, as fast as the engine goes; `kg query` always
gives one.
"""
from __future__ import annotations

import csv
import difflib
import errno
import gc
import hashlib
import io
import json
import math
import os
import pickle
import platform
import re
import select
import signal
import sys
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from .extras import need

from . import namespaces
from .atomic import replace_folder

QUERY_DIR = Path(__file__).parent / "queries"
STORE_DIRNAME = "oxigraph"          # the default store of an OUTDIR: OUTDIR/oxigraph
STORE_STAMP = "kg-store.json"       # written into a store folder: which graph.nq it holds
PARAM_TYPES = ("entity", "label", "iri", "string", "integer", "decimal")
FORMATS = ("table", "csv", "tsv", "json")

# Prefixes for reading prefixed IRIs in parameters and for shortening IRIs in tables.
PREFIXES = namespaces.PREFIXES

_INTEGER_TYPES = {str(XSD[t]) for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte")}
_FLOAT_TYPES = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_XSD_STRING = str(XSD.string)


class QueryError(ValueError):
    """Bad input to a query: unknown name, bad parameter, SPARQL syntax, unusable store,
    a query that would reach beyond the graph. The message says what was wrong and where."""


class QueryTimeout(TimeoutError):
    """A query ran longer than its timeout and was stopped."""


# ----------------------------------------------------------------------------- named queries

@dataclass(frozen=True)
class Param:
    """One declared parameter: the query variable it binds, its type, and what it means."""
    name: str
    type: str = "label"
    optional: bool = False
    doc: str = ""

    @property
    def example(self) -> str | None:
        """The value after "e.g." in the description, if any (used by tests and the benchmark)."""
        m = re.search(r"e\.g\.\s*(\S+)", self.doc)
        return m.group(1).rstrip(",;.") if m else None


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its header: name, question, parameters, columns.
    `declared` is False for text without `# param:` lines (then any variable may be bound)."""
    name: str
    text: str
    question: str = ""
    params: tuple[Param, ...] = ()
    columns: str = ""
    source: str = ""
    declared: bool = True

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER = re.compile(r"#\s*(name|question|param|columns)\s*:\s*(.*)")
_PARAM = re.compile(r"(\w+)\s*(?:\(([^)]*)\))?\s*(?:[—–-]+\s*(.*))?")
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


def parse_query(text: str, source: str = "<query>", default_name: str = "") -> NamedQuery:
    """A NamedQuery from SPARQL text whose first comment lines may hold the header.

    Raises QueryError for a `# param:` line that cannot be read (unknown type, a name that
    is not a variable of the query)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break                         # the header ends where the query starts
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key != "param":
            fields[key] = value
            continue
        pm = _PARAM.fullmatch(value)
        if not pm:
            raise QueryError(f"{source}:{number}: cannot read the parameter line {stripped!r}; "
                             "write `# param: NAME (TYPE[, optional]) — what it is`")
        options = [o.strip() for o in (pm.group(2) or "label").split(",") if o.strip()]
        types = [o for o in options if o != "optional"]
        ptype = types[0] if types else "label"
        if ptype not in PARAM_TYPES or len(types) > 1:
            raise QueryError(f"{source}:{number}: parameter {pm.group(1)} has type "
                             f"{', '.join(types)}; the types are {', '.join(PARAM_TYPES)}")
        if not re.search(r"[?$]" + re.escape(pm.group(1)) + r"\b", text):
            raise QueryError(f"{source}:{number}: parameter {pm.group(1)} is no variable of the query "
                             f"(no ?{pm.group(1)} in it)")
        if ptype == "entity" and not re.search(r"[?$]" + re.escape(pm.group(1)) + r"_iri\b", text):
            raise QueryError(f"{source}:{number}: parameter {pm.group(1)} is an entity: the query names "
                             f"the entity ?{pm.group(1)}_iri and its name ?{pm.group(1)} "
                             f"(?{pm.group(1)}_iri skos:prefLabel|skos:altLabel ?{pm.group(1)})")
        params.append(Param(pm.group(1), ptype, "optional" in options, (pm.group(3) or "").strip()))
    name = fields.get("name") or default_name
    return NamedQuery(name=name, text=text, question=fields.get("question", ""), params=tuple(params),
                      columns=fields.get("columns", ""), source=source,
                      declared=bool(params) or "name" in fields)


def named_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every kg/queries/*.rq file as {name: NamedQuery}, by name. The name is the file's stem;
    a `# name:` line that disagrees with it is an error."""
    out = {}
    for path in sorted(Path(directory).glob("*.rq")):
        q = parse_query(path.read_text(encoding="utf-8"), str(path), default_name=path.stem)
        if q.name != path.stem:
            raise QueryError(f"{path}: the header says `# name: {q.name}`, the file is called {path.stem}")
        out[q.name] = q
    return out


def get_query(name: str, directory: Path = QUERY_DIR) -> NamedQuery:
    """The named query NAME; QueryError listing the available names if there is none."""
    library = named_queries(directory)
    if name not in library:
        raise QueryError(f"no named query {name!r}; the named queries are: {', '.join(library)}")
    return library[name]


def resolve_query(query: str | NamedQuery, directory: Path = QUERY_DIR) -> NamedQuery:
    """A NamedQuery for a name of the library, or for SPARQL text."""
    if isinstance(query, NamedQuery):
        return query
    if _NAME.match(query.strip()):
        return get_query(query.strip(), directory)
    return parse_query(query, "<query text>")


# ----------------------------------------------------------------------------- parameters

def _iri(value: str) -> URIRef | None:
    """An IRI written in full, in angle brackets or with a known prefix; None otherwise."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    elif ":" in v and v.split(":", 1)[0] in PREFIXES and not v.startswith(("http:", "https:")):
        prefix, local = v.split(":", 1)
        v = PREFIXES[prefix] + local
    if re.match(r"(https?|urn|file):\S+\Z", v) and not re.search(r'[\s<>"{}|\\^`]', v):
        return URIRef(v)
    return None


def to_term(value, ptype: str, name: str = "value"):
    """The RDF term for a parameter value of the given declared type (see the module doc)."""
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if ptype in ("integer", "decimal") and isinstance(value, (int, float, Decimal)) \
            and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise QueryError(f"parameter {name}: give a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise QueryError(f"parameter {name} is empty")
    if ptype == "entity":
        return _iri(text) or Literal(text, lang="zh")
    if ptype == "label":
        if _iri(text) is not None and text.startswith(("http:", "https:", "<")):
            raise QueryError(f"parameter {name} takes a name (a label such as 平凉市), not the IRI {text}")
        return Literal(text, lang="zh")
    if ptype == "iri":
        iri = _iri(text)
        if iri is None:
            raise QueryError(f"parameter {name} takes an IRI (https://..., <...> or prefixed, "
                             f"e.g. id:division/620800), not {text!r}")
        return iri
    if ptype == "string":
        return Literal(text)
    try:
        if ptype == "integer":
            return Literal(int(text), datatype=XSD.integer)
        return Literal(Decimal(text), datatype=XSD.decimal)
    except (ValueError, ArithmeticError):
        raise QueryError(f"parameter {name} takes a number ({ptype}), not {text!r}") from None


def bind_params(query: NamedQuery, params: Mapping[str, object] | None) -> dict[str, object]:
    """{variable name: RDF term} for the given values; QueryError for a parameter the query
    does not declare, a missing required one, or a value of the wrong kind. An entity
    parameter P binds ?P to a name ("…"@zh), or ?P_iri to an IRI; find_entities checks
    either against the graph."""
    params = dict(params or {})
    bindings = {}
    if query.declared:
        for name in params:
            if query.param(name) is None:
                declared = ", ".join(p.name for p in query.params) or "none"
                raise QueryError(f"{query.name or 'the query'} has no parameter {name!r}; "
                                 f"its parameters: {declared}")
        for p in query.params:
            if params.get(p.name) is None:
                if not p.optional:
                    raise QueryError(f"{query.name or 'the query'} needs the parameter {p.name} "
                                     f"({p.type}): {p.doc or 'see its header'}")
                continue
            term = to_term(params[p.name], p.type, p.name)
            bindings[f"{p.name}_iri" if p.type == "entity" and isinstance(term, URIRef) else p.name] = term
        return bindings
    for name, value in params.items():
        if not re.search(r"[?$]" + re.escape(name) + r"\b", query.text):
            raise QueryError(f"the query has no variable ?{name} to bind the parameter {name!r} to")
        if isinstance(value, str) and _iri(value) is not None:
            bindings[name] = _iri(value)
        else:
            bindings[name] = to_term(value, "label", name)
    return bindings


# ----------------------------------------------------------------------------- entities by name

_NAMED = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
          "SELECT DISTINCT ?e WHERE { ?e skos:prefLabel|skos:altLabel ?name } ORDER BY ?e")
_NAMES = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
          "SELECT DISTINCT ?name WHERE { ?e skos:prefLabel|skos:altLabel ?name }")
_PREF_LABEL = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
               "SELECT ?name WHERE { ?e skos:prefLabel ?name } ORDER BY ?name LIMIT 1")


def close_names(name: str, names: Iterable[str], n: int = 5) -> list[str]:
    """Up to N of NAMES that look like NAME: by difflib's ratio, then by the characters they
    share with it; a name that holds NAME, or that NAME holds, counts as close."""
    scored = []
    wanted = set(name)
    for other in set(names):
        shared = len(wanted & set(other))
        if not shared:
            continue
        ratio = difflib.SequenceMatcher(None, name, other).ratio()
        if ratio >= 0.5 or name in other or other in name:
            scored.append((-ratio, -shared, len(other), other))
    return [other for *_, other in sorted(scored)[:n]]


def find_entities(engine, query: NamedQuery, bindings: dict[str, object],
                  timeout: float | None = None) -> tuple[dict[str, object], list[str]]:
    """BINDINGS (of bind_params) checked against the graph on ENGINE, for each entity
    parameter of QUERY that is given: a name must name an entity (skos:prefLabel or
    skos:altLabel), else QueryError "no entity named X; did you mean …", and the name of one
    entity binds ?P_iri to it too (a bound IRI is where the engines start); an IRI must be an
    entity of the graph, and then binds ?P to its prefLabel too. Returns the bindings and
    notes for the user: a name of several entities gets one (the query matches them all by
    the name). The lookups of a name or an IRI are quick and run here; the one that reads
    every name for the close ones runs with TIMEOUT (see Engine.execute)."""
    bindings, notes = dict(bindings), []
    for p in query.params:
        if p.type != "entity":
            continue
        name, iri = bindings.get(p.name), bindings.get(f"{p.name}_iri")
        if isinstance(name, Literal):
            found = [row[0] for row in engine.execute(_NAMED, {"name": name}, source="the name lookup").rows]
            if not found:
                names = [str(row[0]) for row in
                         engine.execute(_NAMES, source="the names lookup", timeout=timeout).rows]
                close = close_names(str(name), names)
                hint = (f"; did you mean {', '.join(close)}?" if close else
                        "; `kg query OUTDIR find_entities -p text=…` finds names by a part")
                raise QueryError(f"no entity named {name}{hint}")
            if len(found) == 1:           # the entity itself, for the engines to start from
                bindings[f"{p.name}_iri"] = found[0]
            else:
                shown = ", ".join(short_iri(str(e)) for e in found[:5]) + (", …" if len(found) > 5 else "")
                notes.append(f"{name} names {len(found)} entities ({shown}); the rows are for all of "
                             f"them. For one, give its IRI: -p {p.name}={short_iri(str(found[0]))}")
        elif isinstance(iri, URIRef):
            if not engine.execute("ASK { ?e ?p ?o }", {"e": iri}, source="the IRI lookup").boolean:
                raise QueryError(f"no entity {short_iri(str(iri))} in the graph (parameter {p.name}); "
                                 f"give a name or an IRI of the graph (`kg query OUTDIR find_entities -p text=…`)")
            rows = engine.execute(_PREF_LABEL, {"e": iri}, source="the IRI lookup").rows
            if rows:                      # the name too: the query matches it once, not each alias
                bindings[p.name] = rows[0][0]
    return bindings, notes


# ----------------------------------------------------------------------------- results

def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    """TEXT cut to WIDTH display columns, the last one "…", if it is wider. Reads no further
    than the first WIDTH + 1 columns: a cell may hold a whole sentence, and a table thousands."""
    if width <= 0 or len(text) * 2 <= width:
        return text
    used, cut = 0, None
    for i, ch in enumerate(text):
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if cut is None and used + w > width - 1:
            cut = i                    # where the text stops if it turns out too wide
        used += w
        if used > width:
            return text[:cut] + "…"
    return text


def short_iri(iri: str) -> str:
    """id:division/620800 for https://w3id.org/dangjian-kg/id/division/620800 (display only)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _is_number(term) -> bool:
    return isinstance(term, Literal) and term.datatype is not None and \
        (str(term.datatype) in _INTEGER_TYPES or str(term.datatype) in _FLOAT_TYPES)


def python_value(term):
    """A plain Python value for a DataFrame cell: IRIs and texts as str, numbers as int or
    float, booleans as bool, unbound as None."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype is not None:
        dt = str(term.datatype)
        try:
            if dt in _INTEGER_TYPES:
                return int(term)
            if dt in _FLOAT_TYPES:
                return float(term)
            if dt == str(XSD.boolean):
                return term.toPython() is True
        except (ValueError, TypeError):
            return str(term)
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if _is_number(term) and str(term.datatype) in (_INTEGER_TYPES | {str(XSD.decimal)}) \
            and re.fullmatch(r"[+-]?\d+(\.\d+)?", str(term)):
        return str(term)                 # Turtle's short form for integers and decimals
    text = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None and str(term.datatype) != _XSD_STRING:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


@dataclass
class Result:
    """The answer to a SELECT (variables and rows) or an ASK query (boolean).
    Rows hold rdflib terms, or None where a variable is unbound."""
    variables: list[str]
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    notes: list[str] = field(default_factory=list)   # for the user: a name of several entities

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def column(self, name: str) -> list:
        """One column's Python values (see python_value)."""
        i = self.variables.index(name)
        return [python_value(row[i]) for row in self.rows]

    def records(self) -> list[dict]:
        """Rows as {variable: Python value} dicts."""
        return [{v: python_value(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame, one column per variable, cells as python_value gives them."""
        pd = need("pandas", "dataframe", "kg.query.dataframe")
        if self.boolean is not None:
            return pd.DataFrame({"boolean": [self.boolean]})
        return pd.DataFrame.from_records([tuple(python_value(t) for t in row) for row in self.rows],
                                         columns=self.variables)

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}) + "\n"
        doc = {"head": {"vars": self.variables},
               "results": {"bindings": [{v: _json_term(t) for v, t in zip(self.variables, row)
                                         if t is not None} for row in self.rows]}}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
        buf = io.StringIO()
        w = csv.writer(buf)
        if self.boolean is not None:
            w.writerows([["boolean"], [str(self.boolean).lower()]])
        else:
            w.writerow(self.variables)
            w.writerows(["" if t is None else str(t) for t in row] for row in self.rows)
        return buf.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: terms written as in N-Triples / Turtle."""
        if self.boolean is not None:
            return f"?boolean\n{str(self.boolean).lower()}\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_table(self, max_width: int = 60) -> str:
        """An aligned text table for people: IRIs shortened with prefixes (id:, dj:, ...),
        literals as their text, cells wider than max_width display columns cut with …
        (0: never), numbers right-aligned, a count of rows at the end."""
        if self.boolean is not None:
            return f"{str(self.boolean).lower()}\n"

        def cell(t) -> str:
            if t is None:
                return ""
            text = short_iri(str(t)) if isinstance(t, URIRef) else str(t)
            return _clip(" ".join(text.split()), max_width)

        cells = [[cell(t) for t in row] for row in self.rows]
        widths = [_display_width(v) for v in self.variables]
        for row in cells:
            widths = [max(w, _display_width(c)) for w, c in zip(widths, row)]
        numeric = [bool(self.rows) and all(r[i] is None or _is_number(r[i]) for r in self.rows)
                   for i in range(len(self.variables))]

        def line(values) -> str:
            parts = []
            for v, w, right in zip(values, widths, numeric):
                pad = " " * (w - _display_width(v))
                parts.append(pad + v if right else v + pad)
            return "  ".join(parts).rstrip()

        out = [line(self.variables), "  ".join("-" * w for w in widths)]
        out += [line(row) for row in cells]
        out.append(f"({len(self.rows)} row{'' if len(self.rows) == 1 else 's'})")
        return "\n".join(out) + "\n"

    def format(self, fmt: str = "table", max_width: int = 60) -> str:
        """The result as text in one of FORMATS."""
        if fmt == "table":
            return self.to_table(max_width)
        if fmt in ("csv", "tsv", "json"):
            return getattr(self, f"to_{fmt}")()
        raise QueryError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")


# ----------------------------------------------------------------------------- what a query may do

# The pieces of SPARQL text that matter for finding keywords: what a keyword can never be
# part of (escapes, comments, strings, variables, language tags), IRIs, names (keywords,
# numbers, prefixed names) and braces. The alternatives are tried in this order at each
# position; the possessive quantifiers (*+, ++) keep the scan linear in the text's length.
_TOKEN = re.compile(
    r'(?P<skip>\\.'                                              # an escaped character: ex:a\#b
    r'|#[^\n\r]*+'                                               # a comment
    r'|"""(?:[^"\\]|\\.|"(?!""))*+"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*+\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*+"|\'(?:[^\'\\\n\r]|\\.)*+\''         # strings
    r'|[?$]\w++'                                                 # a variable
    r'|@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)'                         # a language tag
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)'
    r'|(?P<name>[\w.-]++(?::(?:[\w.:%-]|\\.)*+)?|:(?:[\w.:%-]|\\.)*+)'
    r'|(?P<brace>\{)')
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# What reaches beyond the graph: these two are looked for inside any word (see check_query).
_REMOTE = {
    "SERVICE": "SERVICE is refused: a query here reads this graph only and calls no other endpoint",
    "FROM": "FROM and FROM NAMED are refused: a query here reads this graph as it is (its default "
            "graph is the union of the article graphs; GRAPH ?g reaches each one) and loads no other",
}
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


def check_query(text: str, source: str = "<query>") -> None:
    """Raise QueryError for a query that could read or change anything but the graph:
    SERVICE (the engines would call the endpoint it names), FROM and FROM NAMED (rdflib
    would fetch the IRI, from the web or a file:) and updates (LOAD fetches too).

    The check reads the query's tokens, so a word inside a string, a comment, an IRI or a
    variable name does not count. Where the engines' parsers read more than SPARQL says,
    it refuses rather than guess: Oxigraph reads a keyword glued to the words around it
    (`1SERVICE<…>`, `SERVICE:x`, `FROMNAMED` all work there), so SERVICE and FROM are refused
    inside any word or prefix name; rdflib expands \\u escapes everywhere before parsing, so
    the text is checked both as written and expanded; and an IRI that also reads as a
    comparison followed by more query (`?a<'x>` …, `?a<1)…#>`) is refused as ambiguous."""
    expanded = _UCHAR.sub(lambda m: chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF)), text)
    for version in dict.fromkeys((text, expanded)):
        problem = _reaches_beyond(version)
        if problem:
            raise QueryError(f"{source}: {problem}")


def _reaches_beyond(text: str) -> str | None:
    """Why TEXT may not run (see check_query), or None."""
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if m.lastgroup == "iri":
            inner = token[1:-1]
            # As a comparison, `<` may be followed by a string ('…) or, after a closing
            # parenthesis, by more query whose comment (#…) hides the `>`.
            if "'" in inner or (")" in inner and "#" in inner):
                return (f"{token} reads both as an IRI and as a comparison followed by more "
                        "query; refused as ambiguous. Put spaces around a comparison's < and >")
        elif m.lastgroup == "name":
            word = token.upper()
            prefix, colon, local = word.partition(":")
            for keyword, why in _REMOTE.items():
                # in a prefix, or in a local name that holds another prefixed name (ex:SERVICEy:z)
                if keyword in prefix or (keyword in local and ":" in local):
                    return why + ("" if word == keyword else f" (found in `{token}`)")
            if not colon and word in _UPDATES:
                return f"{word} is refused: the graph is read-only here (SELECT, ASK, CONSTRUCT, DESCRIBE)"
    return None


# ----------------------------------------------------------------------------- prefixes and engine errors

def add_prefixes(text: str) -> str:
    """TEXT with a PREFIX declaration for each of the project's prefixes (PREFIXES: dj:, id:,
    skos:, nif:, ...) that it uses without declaring, so that both engines read such a query
    alike (rdflib knows some prefixes by itself, Oxigraph none). The declarations go in front
    of the first line, on that line, so that the line numbers of error messages still hold.
    A prefix the query declares itself keeps its own namespace."""
    declared, used = set(), []
    after_prefix = False
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "name":
            after_prefix = False
            continue
        token = m.group(0)
        prefix, colon, _ = token.partition(":")
        if after_prefix and colon:
            declared.add(prefix)
        elif colon and prefix in PREFIXES and prefix not in used:
            used.append(prefix)
        after_prefix = token.upper() == "PREFIX"
    missing = [p for p in used if p not in declared]
    if not missing:
        return text
    return " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing) + " " + text


def _one_line(text: str, limit: int = 160) -> str:
    """TEXT's first line, cut to LIMIT characters."""
    first = (text.strip().splitlines() or [""])[0].strip()
    return first if len(first) <= limit else first[:limit - 1] + "…"


def syntax_error(source: str, text: str, message: str, line: int | None, column: int | None,
                 added: int = 0) -> QueryError:
    """A QueryError of one line for a syntax error an engine reported at LINE:COLUMN (1-based)
    of TEXT: where it is and the words there, not the engine's grammar. ADDED is how many
    characters add_prefixes put in front of the first line (not the user's)."""
    known = ", ".join(p + ":" for p in PREFIXES)
    if line is None or column is None:
        named = re.search(r"Unknown namespace prefix : ([\w.-]*)", message)   # rdflib's words
        if named:
            return QueryError(f"{source}: unknown prefix {named.group(1)}:; declare it "
                              f"(PREFIX name: <namespace>) or use one kg knows: {known}")
        return QueryError(f"{source}: SPARQL syntax error: {_one_line(message)}")
    lines = text.splitlines() or [""]
    if line == 1:
        column = max(1, column - added)
        lines[0] = lines[0][added:]
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in message:                                  # Oxigraph's words
        m = re.search(r"([\w.-]*):[\w.-]*\Z", here[:max(0, column - 1)])
        prefix = f" {m.group(1)}:" if m else ""
        return QueryError(f"{source}: line {line}, column {column}: unknown prefix{prefix}; declare it "
                          f"(PREFIX name: <namespace>) or use one kg knows: {known}")
    near = here[max(0, column - 11):column + 25].strip()
    near = f" near `{near}`" if near else ""
    found = re.search(r"found ('[^']*'|\S+)", message)
    what = f", found {found.group(1)}" if found else ""
    return QueryError(f"{source}: SPARQL syntax error at line {line}, column {column}{near}{what}")


def rdflib_failed(source: str, err: BaseException) -> QueryError:
    """The one-line message for a query that rdflib fails to evaluate: rdflib implements
    less of SPARQL than Oxigraph (GROUP_CONCAT(DISTINCT ...) over an OPTIONAL variable, for
    one), so it says to run the query on Oxigraph."""
    return QueryError(f"{source}: rdflib cannot run this query ({type(err).__name__}: "
                      f"{_one_line(str(err), 100)}); run it on Oxigraph: --engine oxigraph "
                      "(Python: open_engine(path, engine=\"oxigraph\"))")


# ----------------------------------------------------------------------------- stopping a query

_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 1, 38, 22, 2
# Per Linux machine: the audit architecture of its system calls and the number of connect(2).
_CONNECT_SYSCALL = {"x86_64": (0xC000003E, 42), "aarch64": (0xC00000B7, 203)}


@lru_cache(maxsize=None)
def _libc():
    """The C library, for prctl(2); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


@lru_cache(maxsize=None)
def _no_connect_filter():
    """A seccomp program under which every connect(2) fails with EACCES, as do all system
    calls of another ABI: (the program, its instructions, a pointer to it), ctypes objects;
    None where the machine's numbers are unknown. Built once, in the parent: a child only
    hands the pointer to prctl."""
    import ctypes
    arch = _CONNECT_SYSCALL.get(platform.machine())
    if _libc() is None or arch is None:
        return None

    class Instruction(ctypes.Structure):             # struct sock_filter
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):                 # struct sock_fprog
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Instruction))]

    load, jump_if_equal, give = 0x20, 0x15, 0x06     # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EACCES        # SECCOMP_RET_ALLOW, _RET_ERRNO
    code = [(load, 0, 0, 4), (jump_if_equal, 1, 0, arch[0]), (give, 0, 0, refuse),  # another ABI
            (load, 0, 0, 0), (jump_if_equal, 0, 1, arch[1]), (give, 0, 0, refuse),  # connect(2)
            (give, 0, 0, allow)]
    instructions = (Instruction * len(code))(*(Instruction(*i) for i in code))
    program = Program(len(code), instructions)
    return program, instructions, ctypes.byref(program)


def confinement(new_group: bool = False):
    """A function to call first thing in a new child process (subprocess's preexec_fn, or
    right after os.fork) that

    * has the kernel kill the child (SIGKILL) when this process, or rather the thread that
      started the child, ends (Linux's PR_SET_PDEATHSIG), so no child outlives kg;
    * makes every connect(2) of the child and of what it executes fail (a seccomp filter on
      Linux x86-64 and arm64), so that nothing a query asks for can open a connection;
    * with NEW_GROUP, puts the child in a process group of its own, out of reach of the
      terminal's Ctrl-C (the parent stops it itself, in order).

    Elsewhere the parts that the system lacks are left out. All that the child needs is
    prepared here, in the parent, so that the child only makes system calls."""
    parent = os.getpid()
    libc, no_connect = _libc(), _no_connect_filter()

    def confine() -> None:
        if new_group:
            os.setpgid(0, 0)
        if libc is not None:
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if no_connect is not None and libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
                libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, no_connect[2], 0, 0)
        if os.getppid() != parent:        # the parent ended before PR_SET_PDEATHSIG was set
            os._exit(1)
    return confine


def call_stoppable(work: Callable[[], object], timeout: float | None = None):
    """Return work(), computed in a child process that can be stopped; raise what it raised.

    The child is a fork of this process (it sees the loaded graph without copying it) and
    sends its answer back pickled through a pipe. It is killed, and QueryTimeout raised
    here, when TIMEOUT seconds (None or math.inf: no limit) pass before the whole answer
    has come; it is killed on Ctrl-C (the KeyboardInterrupt goes on here) and when this
    process dies. Where there is no fork (Windows), work() runs here and the timeout is
    not enforced."""
    if not hasattr(os, "fork"):
        return work()
    confine = confinement()
    deadline = None if timeout is None or math.isinf(timeout) else time.monotonic() + timeout
    read_end, write_end = os.pipe()
    # The objects that exist now are kept out of the child's garbage collections, which
    # would otherwise touch, and so copy, every page of the loaded graph.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        pid = os.fork()
        if pid == 0:
            _answer_from_child(work, confine, read_end, write_end)  # ends the child: os._exit
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    finally:
        if freeze:
            gc.unfreeze()
    os.close(write_end)
    answered = False
    try:
        answer = _read_answer(read_end, deadline, timeout)
        answered = True
    finally:
        os.close(read_end)
        status = _end_child(pid, kill=not answered)
    if not answer:
        raise QueryError(f"the query process ended without an answer ({_describe_status(status)})")
    ok, value = pickle.loads(answer)
    if not ok:
        raise value
    return value


def _answer_from_child(work, confine, read_end: int, write_end: int) -> None:
    """The child's side of call_stoppable: compute work() and write (ok, answer or
    exception) pickled to WRITE_END; then leave at once (os._exit: nothing of the parent's
    clean-up, such as flushing its output buffers, may run twice)."""
    status = 1
    try:
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's; it kills this process
        confine()
        try:
            answer = (True, work())
        except BaseException as err:  # noqa: BLE001 -- every failure goes back to the parent
            if not isinstance(err, QueryError) and hasattr(err, "add_note"):   # Python 3.11+
                err.add_note("in the query process:\n" + "".join(traceback.format_exception(err)))
            answer = (False, err)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as err:      # noqa: BLE001 -- an answer or exception that does not pickle
            data = pickle.dumps((False, QueryError(f"the answer cannot be passed back: {err!r}")))
        with open(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _read_answer(fd: int, deadline: float | None, timeout: float | None) -> bytes:
    """Everything the child writes to FD until it closes it; QueryTimeout at DEADLINE."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    chunks = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000
        if not poller.poll(wait):
            raise QueryTimeout(f"the query took longer than {timeout:g} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end_child(pid: int, kill: bool) -> int | None:
    """Wait for the child PID to end, killing it first if KILL; its wait status."""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        return os.waitpid(pid, 0)[1]
    except (ProcessLookupError, ChildProcessError):
        return None


def _describe_status(status: int | None) -> str:
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"killed by {signal.Signals(sig).name}" + (", out of memory?" if sig == signal.SIGKILL else "")
    if status is not None and os.WIFEXITED(status):
        return f"exit status {os.WEXITSTATUS(status)}"
    return "status unknown"


# ----------------------------------------------------------------------------- engines

class Engine:
    """What both engines share: how a query is run. A subclass may prepare the query in
    this process (_prepare) and evaluates it in the query process (_evaluate)."""
    name = ""

    def execute(self, text: str, bindings: Mapping[str, object] | None = None,
                source: str = "<query>", timeout: float | None = None) -> Result:
        """The Result of the SELECT or ASK query TEXT with BINDINGS ({variable: rdflib term}).

        TEXT is checked first (check_query: QueryError for SERVICE, FROM, updates). With a
        TIMEOUT in seconds (math.inf: no limit) it is evaluated in a child process
        (call_stoppable) that is killed when the time is up (QueryTimeout) or on Ctrl-C
        (KeyboardInterrupt); that costs some 2-20 ms a query (fork, copy-on-write pages).
        With None it is evaluated here, which neither can stop. SOURCE names the query in
        messages. The project's prefixes that TEXT uses without declaring are declared
        (add_prefixes); an error of the engine is a QueryError of one line."""
        check_query(text, source)
        full = add_prefixes(text)
        added = len(full) - len(text)
        prepared = self._prepare(full, source, added)
        bindings = dict(bindings or {})
        if timeout is None:
            return self._evaluate(prepared, bindings, source, added)
        return call_stoppable(lambda: self._evaluate(prepared, bindings, source, added), timeout)

    def _prepare(self, text: str, source: str, added: int = 0):
        """What _evaluate takes: here the text itself. ADDED: the characters add_prefixes
        put in front of the first line."""
        return text

    def _evaluate(self, prepared, bindings: Mapping[str, object], source: str, added: int = 0) -> Result:
        raise NotImplementedError


class RdflibEngine(Engine):
    """rdflib in memory: an rdflib Dataset queried with the union of its graphs as default."""
    name = "rdflib"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        # rdflib imports its SPARQL machinery on the first query: do that here, once, not
        # in every query process.
        dataset.query("ASK {}")

    @classmethod
    def from_outdir(cls, outdir: Path) -> "RdflibEngine":
        """Parse OUTDIR's graph.nq (or graph.trig / graph.ttl)."""
        outdir = Path(outdir)
        nq = outdir / "graph.nq"
        if nq.is_file():
            ds = Dataset(default_union=True)
            ds.parse(nq, format="nquads")
            return cls(ds)
        from .outdir import load_outdir
        return cls(load_outdir(outdir))

    def __len__(self) -> int:
        return len(self.dataset)

    def _prepare(self, text: str, source: str, added: int = 0):
        """rdflib's parse of TEXT, made in this process rather than in each query process,
        where the parser's first touch of its own objects costs some 10 ms of copy-on-write
        page faults; here it is cached (and a syntax error comes at once)."""
        try:
            return _rdflib_prepared(text)
        except Exception as err:  # pyparsing's ParseException, rdflib's unknown prefix, ...
            raise syntax_error(source, text, str(err), getattr(err, "lineno", None),
                               getattr(err, "col", None), added) from None

    def _evaluate(self, prepared, bindings: Mapping[str, object], source: str, added: int = 0) -> Result:
        import rdflib.plugins.sparql
        # Defence in depth: FROM <iri> may never fetch the IRI (from the web, or a file:),
        # whatever check_query let through. (A setting of rdflib's for the whole process;
        # no code of kg wants a query to load graphs.)
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        try:
            answer = self.dataset.query(prepared, initBindings=bindings)
            if answer.type == "ASK":
                return Result([], [], bool(answer.askAnswer))
            if answer.type != "SELECT":
                raise QueryError(f"{source}: only SELECT and ASK queries can be run here, not {answer.type}")
            variables = [str(v) for v in answer.vars]
            return Result(variables, [tuple(row) for row in answer])
        except (QueryError, MemoryError):
            raise
        except Exception as err:  # noqa: BLE001 -- rdflib's evaluation fails in many ways
            raise rdflib_failed(source, err) from None

    def close(self) -> None:
        pass


@lru_cache(maxsize=256)
def _rdflib_prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery
    return prepareQuery(text)


def _to_oxigraph(term):
    import pyoxigraph as ox
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class OxigraphEngine(Engine):
    """Oxigraph (pyoxigraph): in memory, or a store folder opened read-only."""
    name = "oxigraph"

    def __init__(self, store, location: Path | None = None):
        self.store = store
        self.location = location

    @classmethod
    def in_memory(cls, graph_file: Path) -> "OxigraphEngine":
        """An in-memory store holding OUTDIR/graph.nq (or a given .nq/.trig/.ttl file)."""
        import pyoxigraph as ox
        graph_file = Path(graph_file)
        if graph_file.is_dir():
            graph_file = graph_file / "graph.nq"
        if not graph_file.is_file():
            raise FileNotFoundError(f"{graph_file}: no such file; run `kg build` first")
        store = ox.Store()
        fill_store(store, graph_file)
        return cls(store)

    @classmethod
    def open_store(cls, store_dir: Path) -> "OxigraphEngine":
        """A store folder written by load_store (or `kg build --store`), opened read-only."""
        import pyoxigraph as ox
        store_dir = Path(store_dir)
        if not (store_dir / STORE_STAMP).is_file():
            raise QueryError(f"{store_dir}: not a store written by `kg build --store` (no {STORE_STAMP})")
        try:
            return cls(ox.Store.read_only(str(store_dir)), store_dir)
        except OSError as err:
            raise QueryError(f"{store_dir}: cannot open the Oxigraph store: {err}") from None

    def __len__(self) -> int:
        return len(self.store)

    def _evaluate(self, text: str, bindings: Mapping[str, object], source: str, added: int = 0) -> Result:
        """TEXT's Result with BINDINGS, here in this process (execute calls it in a child).

        The terms go into a VALUES block at the top of the WHERE clause, each written by
        pyoxigraph's own N-Triples serializer (so a value can never be read as SPARQL
        syntax), and again at the top of every sub-select whose WHERE clause names the
        variable: rdflib's initBindings reach into sub-selects too, so the rows are the same,
        and a query can narrow a sub-select by a parameter (statistic_series picks the
        statistics by their measure in one) where Oxigraph joins it by hash. Oxigraph's
        `substitutions` would bind the same terms, but it plans the query before it applies
        them, so a bound parameter does not guide the join order: on a graph of a million
        triples that costs seconds instead of milliseconds."""
        import pyoxigraph as ox
        terms = {k: _to_oxigraph(v) for k, v in bindings.items()}
        bodies = select_bodies(text)
        subs = None
        if terms and bodies:
            for n, (brace, names) in enumerate(reversed(bodies)):   # from the end: offsets hold
                outermost = n == len(bodies) - 1
                values = " ".join(f"VALUES ?{k} {{ {t} }}" for k, t in sorted(terms.items())
                                  if outermost or k in names)
                if values:
                    text = f"{text[:brace + 1]} {values} {text[brace + 1:]}"
        elif terms:
            subs = {ox.Variable(k): t for k, t in terms.items()}
        try:
            answer = self.store.query(text, substitutions=subs)
        except SyntaxError as err:
            where = re.match(r"error at (\d+):(\d+)", str(err))
            raise syntax_error(source, text, str(err), int(where.group(1)) if where else None,
                               int(where.group(2)) if where else None, added) from None
        except (RuntimeError, OSError) as err:
            if "projection" in str(err):   # substitutions bind only variables the query SELECTs
                raise QueryError(f"{source}: {_one_line(str(err))}: add the parameter's variable to "
                                 "the SELECT clause") from None
            raise QueryError(f"{source}: Oxigraph cannot run this query: {_one_line(str(err))}") from None
        if isinstance(answer, ox.QueryBoolean):
            return Result([], [], bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError(f"{source}: only SELECT and ASK queries can be run here, "
                             "not CONSTRUCT or DESCRIBE")
        variables = [v.value for v in answer.variables]
        n = len(variables)
        convert = _from_oxigraph_converter()
        try:                              # Oxigraph evaluates while the rows are read
            rows = [tuple(convert(sol[i]) for i in range(n)) for sol in answer]
        except (RuntimeError, OSError) as err:
            raise QueryError(f"{source}: Oxigraph cannot run this query: {_one_line(str(err))}") from None
        return Result(variables, rows)

    def close(self) -> None:
        self.store = None


def select_bodies(text: str, direct: bool = False) -> list[tuple[int, set[str]]]:
    """The WHERE clauses of the query and of its sub-selects, in the order they open: the
    offset of each one's `{` (the first brace after SELECT or ASK, outside comments, strings
    and IRIs; the query's own comes first) and the names of the variables inside it, its
    sub-selects included (DIRECT: not those of its sub-selects, only its own). Empty for
    text without a brace."""
    bodies: list[tuple[int, set[str]]] = []
    stack: list[int | None] = []     # for each open brace: its body's index, or None
    after_select = True              # the first brace of SELECT or ASK text is its WHERE clause
    last = 0

    def close_braces(gap: str) -> None:
        for _ in range(gap.count("}")):
            if stack:
                stack.pop()

    for m in _TOKEN.finditer(text):
        close_braces(text[last:m.start()])
        last = m.end()
        token = m.group(0)
        if m.lastgroup == "brace":
            if after_select:
                bodies.append((m.start(), set()))
                stack.append(len(bodies) - 1)
            else:
                stack.append(None)
            after_select = False
        elif m.lastgroup == "name" and token.upper() in ("SELECT", "ASK"):
            after_select = True
        elif token[0] in "?$":
            owners = [i for i in stack if i is not None]
            for i in owners[-1:] if direct else owners:
                bodies[i][1].add(token[1:])
    return bodies


def _from_oxigraph_converter():
    """A function turning pyoxigraph terms into rdflib terms (with a cache for repeated ones)."""
    import pyoxigraph as ox
    cache: dict = {}

    def convert(term):
        if term is None:
            return None
        hit = cache.get(term)
        if hit is not None:
            return hit
        if isinstance(term, ox.NamedNode):
            out = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            out = BNode(term.value)
        elif term.language:
            out = Literal(term.value, lang=term.language)
        else:
            dt = term.datatype.value
            out = Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
        cache[term] = out
        return out
    return convert


def fill_store(store, graph_file: Path) -> None:
    """Load GRAPH_FILE into an Oxigraph STORE: its quads into their named graphs, and every
    triple once more into the default graph, which thus holds the union of the named graphs
    with each triple once. (Oxigraph's own union-default-graph mode repeats a triple for
    every graph that holds it, and the repeats multiply through each join.)"""
    import pyoxigraph as ox
    fmt = _rdf_format(Path(graph_file))
    try:
        store.bulk_load(path=str(graph_file), format=fmt)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                          for q in ox.parse(path=str(graph_file), format=fmt))
    except SyntaxError as err:
        raise QueryError(f"{graph_file}: cannot be read as RDF: {err}") from None


def _rdf_format(path: Path):
    import pyoxigraph as ox
    formats = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
               ".nt": ox.RdfFormat.N_TRIPLES}
    if path.suffix not in formats:
        raise QueryError(f"{path}: unknown RDF file type (expected {', '.join(formats)})")
    return formats[path.suffix]


# ----------------------------------------------------------------------------- stores

def _stamp_of(graph_nq: Path) -> dict:
    """What identifies the graph a store was loaded from: the file, its size, time and SHA-256."""
    digest = hashlib.sha256()
    with open(graph_nq, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    stat = graph_nq.stat()
    return {"graph": str(graph_nq.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "sha256": digest.hexdigest()}


def is_store(path: Path) -> bool:
    """True if PATH is a store folder written by load_store."""
    return (Path(path) / STORE_STAMP).is_file()


def store_is_current(store_dir: Path, graph_nq: Path) -> bool:
    """True if the store at STORE_DIR was loaded from this very graph.nq content."""
    stamp_file = Path(store_dir) / STORE_STAMP
    if not stamp_file.is_file() or not Path(graph_nq).is_file():
        return False
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    stat = Path(graph_nq).stat()
    if stamp.get("bytes") != stat.st_size:
        return False
    if stamp.get("mtime_ns") == stat.st_mtime_ns and stamp.get("graph") == str(Path(graph_nq).resolve()):
        return True                       # the very file it was loaded from, unchanged
    now = _stamp_of(Path(graph_nq))
    if stamp.get("sha256") != now["sha256"]:
        return False
    # the same content, copied or moved (an OUTDIR copied elsewhere, a touched file): the stamp
    # is brought up to date, so that later commands need not hash graph.nq again (1.3 GB at
    # 20 MB of text: 0.75 s a command); a store that cannot be written keeps its stamp
    try:
        fresh = stamp_file.with_name(STORE_STAMP + ".new")
        fresh.write_text(json.dumps({**stamp, **now}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(fresh, stamp_file)
    except OSError:
        pass
    return True


def load_store(graph_nq: Path, store_dir: Path) -> int:
    """Load GRAPH_NQ (N-Quads, as `kg build` writes it) into a fresh Oxigraph store at
    STORE_DIR, replacing an earlier store there only once the new one is complete.

    Returns the number of quads. Refuses (QueryError) to replace a folder that is neither
    empty nor a store written here, so that no other folder is ever deleted."""
    import pyoxigraph as ox
    graph_nq, store_dir = Path(graph_nq), Path(store_dir).resolve()
    if not graph_nq.is_file():
        raise FileNotFoundError(f"{graph_nq}: no such file; run `kg build` first")
    if store_dir.exists() and not is_store(store_dir) and (not store_dir.is_dir() or any(store_dir.iterdir())):
        raise QueryError(f"{store_dir}: exists and is not an Oxigraph store written by kg "
                         f"(no {STORE_STAMP}); give an empty or new folder")
    quads = 0

    def fill(tmp: Path) -> None:
        nonlocal quads
        store = ox.Store(str(tmp))
        fill_store(store, graph_nq)
        store.flush()
        quads = len(store)
        del store                         # closes the database before the folder moves
        (tmp / STORE_STAMP).write_text(json.dumps({**_stamp_of(graph_nq), "quads": quads},
                                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    replace_folder(store_dir, fill)
    return quads


def ensure_store(outdir: Path, store_dir: Path | None = None) -> Path:
    """The store of OUTDIR (OUTDIR/oxigraph unless given), loaded from OUTDIR/graph.nq
    if it is missing or holds another graph. Returns its folder."""
    outdir = Path(outdir)
    graph_nq = outdir / "graph.nq"
    if not graph_nq.is_file():
        raise FileNotFoundError(f"{outdir}: no graph.nq; run `kg build` first")
    store_dir = Path(store_dir) if store_dir else outdir / STORE_DIRNAME
    if not store_is_current(store_dir, graph_nq):
        load_store(graph_nq, store_dir)
    return store_dir


# ----------------------------------------------------------------------------- large graphs

# A graph.nq above this many bytes is read from the Oxigraph store. rdflib parses N-Quads at
# about 5 MB/s and needs some 30 times the file's size in memory; the seeds' graph.nq
# (73 articles) is 4.9 MB, eval/real's 15 MB, a 1 MB corpus of text gives 68 MB.
STORE_THRESHOLD = 8 * 1024 * 1024


def graph_file(outdir: Path) -> Path:
    """OUTDIR/graph.nq; FileNotFoundError (saying what to do) when it is missing."""
    nq = Path(outdir) / "graph.nq"
    if not nq.is_file():
        raise FileNotFoundError(f"{outdir}: no graph.nq; run `kg build INPUT... -o {outdir}` first")
    return nq


def uses_store(outdir: Path | str, threshold: int | None = None) -> bool:
    """True when the reading commands take OUTDIR's graph from the Oxigraph store: its
    graph.nq is larger than THRESHOLD bytes (default STORE_THRESHOLD)."""
    nq = Path(outdir) / "graph.nq"
    limit = STORE_THRESHOLD if threshold is None else threshold
    return nq.is_file() and nq.stat().st_size > limit


def store_dir_of(outdir: Path | str) -> Path | None:
    """OUTDIR's store folder (OUTDIR/oxigraph), bulk loaded from graph.nq when it is missing
    or holds another graph; None when OUTDIR cannot be written to (then use open_store's
    in-memory store)."""
    outdir = Path(outdir)
    graph_file(outdir)
    if not os.access(outdir, os.W_OK | os.X_OK):
        return None
    return ensure_store(outdir)


def open_engine(path: Path | str, engine: str = "auto"):
    """An engine over PATH: an OUTDIR of `kg build`, or a store folder of `kg build --store`.

    engine="rdflib" parses the graph files; "oxigraph" opens the store (a store folder, or
    OUTDIR/oxigraph when it holds the current graph.nq) or else loads graph.nq into memory;
    "auto" takes a store where there is one, and for a graph.nq larger than
    STORE_THRESHOLD the store OUTDIR/oxigraph, bulk loaded first when it is
    missing or holds another graph (in memory when OUTDIR cannot be written to); rdflib
    otherwise."""
    path = Path(path)
    if engine not in ("auto", "rdflib", "oxigraph"):
        raise QueryError(f"unknown engine {engine!r}; the engines are auto, rdflib, oxigraph")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such folder; give an OUTDIR of `kg build` or a store folder")
    if is_store(path):
        if engine == "rdflib":
            raise QueryError(f"{path}: is an Oxigraph store; the rdflib engine needs an OUTDIR")
        return OxigraphEngine.open_store(path)
    graph_nq = path / "graph.nq"
    if engine == "rdflib":
        return RdflibEngine.from_outdir(path)
    if store_is_current(path / STORE_DIRNAME, graph_nq):
        return OxigraphEngine.open_store(path / STORE_DIRNAME)
    if engine == "auto" and uses_store(path):
        folder = store_dir_of(path)
        return OxigraphEngine.open_store(folder) if folder else OxigraphEngine.in_memory(graph_nq)
    if engine == "oxigraph":
        return OxigraphEngine.in_memory(graph_nq)
    return RdflibEngine.from_outdir(path)


# ----------------------------------------------------------------------------- running

def run(engine, query: str | NamedQuery, params: Mapping[str, object] | None = None,
        timeout: float | None = None) -> Result:
    """Run a named query (by name), a NamedQuery, or SPARQL text on ENGINE with PARAMS
    ({name: value}, values as plain strings or rdflib terms) and return the Result; an
    entity parameter's name or IRI is looked up first (find_entities: QueryError for a name
    of nothing, Result.notes for a name of several entities).

    QueryError for bad input and for a query that reaches beyond the graph (SERVICE,
    FROM, updates); QueryTimeout when it runs longer than TIMEOUT seconds. None (the
    default) runs it in this process without a limit; see Engine.execute."""
    q = resolve_query(query)
    bindings, notes = find_entities(engine, q, bind_params(q, params), timeout)
    result = engine.execute(q.text, bindings, source=q.source or q.name or "<query>", timeout=timeout)
    result.notes = notes
    return result


def dataframe(outdir, name_or_sparql: str, /, *, timeout: float | None = None, **params):
    """The answer to a named query (or SPARQL text) as a pandas DataFrame.

        dataframe("out/seeds", "divisions_under", place="平凉市")
        dataframe(engine, "statistics_about", entity="兰州市", timeout=30)

    OUTDIR is a folder written by `kg build` (or a store folder), or an engine from
    open_engine() to reuse across calls. Parameters are plain strings, turned into RDF
    terms by the query's declared types (label → "…"@zh, iri → IRI); see the module doc.
    TIMEOUT (seconds) stops the query with QueryTimeout (None: no limit; see
    Engine.execute); a query parameter cannot be called `timeout`."""
    if hasattr(outdir, "execute"):
        return run(outdir, name_or_sparql, params, timeout).to_dataframe()
    engine = open_engine(outdir)
    try:
        return run(engine, name_or_sparql, params, timeout).to_dataframe()
    finally:
        engine.close()


def describe(queries: Iterable[NamedQuery]) -> str:
    """The library as text: each query's name, question and parameters."""
    blocks = []
    for q in queries:
        lines = [q.name, f"    {q.question}"]
        for p in q.params:
            lines.append(f"    --param {p.name}=…   ({p.type}{', optional' if p.optional else ''}) {p.doc}")
        if q.columns:
            lines.append(f"    columns: {q.columns}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
