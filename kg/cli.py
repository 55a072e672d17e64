"""The `kg` command.

    kg build INPUT... -o OUTDIR     text files or folders → RDF graph (graph.ttl, graph.trig, graph.nq)
    kg stats OUTDIR                 counts per class and relation
    kg validate OUTDIR              SHACL validation against ontology/shapes.ttl
    kg export OUTDIR --format graphml|gexf|jsonld|csv -o PATH   for Gephi, Cytoscape, JSON-LD, spreadsheets
    kg explore OUTDIR [-o FILE] [--focus NAME --depth N] [--types TYPE...]   one offline HTML page to look at the graph
    kg query OUTDIR NAME [--param k=v] | -e SPARQL | -f FILE [--format table|csv|tsv|json]   SPARQL (docs/queries.md)
    kg serve OUTDIR [--host H] [--port P]   a query page and a read-only SPARQL endpoint over HTTP
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .extras import MissingExtra


def cmd_build(args) -> int:
    from .build import print_problems, run
    from .outdir import OutdirError, served_by
    from .query import QueryError

    served = served_by(Path(args.output))
    refusals: tuple[type[Exception], ...] = (OutdirError,)
    if args.dask is not None:
        from .distributed import DaskError
        refusals += (DaskError,)
    stored = None
    try:
        # kg.build.run, which `kg.build(...)` is from Python: the options are the flags
        report = run(args.inputs, args.output, quiet=args.quiet, jobs=args.jobs, meta=args.meta,
                     force=args.force, no_cache=args.no_cache, dask=args.dask,
                     store=True if args.store == "" else args.store, curation=args.curation)
    except refusals as err:             # OUTDIR refused; --dask: no dask, no scheduler, other versions
        print(f"kg build: {err}", file=sys.stderr)
        return 2
    except QueryError as err:           # --store: the graph is written, the store could not be
        report, stored = err.report, err
    print_problems(report.problems)
    for warning in report.cache_warnings:
        print(f"kg: {warning}", file=sys.stderr)
    if report.files == 0:
        print(f"kg build: nothing could be read from {' '.join(args.inputs)}; "
              f"{args.output} left unchanged", file=sys.stderr)
        return 1
    print(report.text())
    print(f"wrote {args.output}/graph.ttl, graph.trig, graph.nq, summary.json")
    if served is not None:
        print(f"kg build: {args.output} is served by kg serve (pid {served['pid']}, "
              f"{served.get('url', '')}); it reloads the new graph", file=sys.stderr)
    if stored is not None:
        print(f"kg build: {stored}", file=sys.stderr)
        return 2
    if report.store is not None:
        print(f"loaded {report.store_quads} quads (named graphs and their union) into the Oxigraph store {report.store}")
    return 0


def cmd_stats(args) -> int:
    from .counts import graph_counts

    sys.stdout.write(graph_counts(Path(args.outdir)).text())
    return 0


def cmd_validate(args) -> int:
    from .validate import default_ontology_dir, format_violations, validate_outdir

    ontology = Path(args.ontology) if args.ontology else default_ontology_dir()
    result = validate_outdir(Path(args.outdir), ontology, jobs=args.jobs)
    for note in result.notes:              # how a large graph was checked, where it matters
        print(f"note: {note}", file=sys.stderr)
    if result.violations:                  # warnings are shown even when the graph conforms
        print(format_violations(result))
    if result.conforms:
        warnings = len(result.violations)
        print(f"{args.outdir}: conforms to {ontology / 'shapes.ttl'}"
              + (f" ({warnings} warning(s))" if warnings else ""))
        return 0
    print(f"{args.outdir}: {len(result.errors)} violation(s)", file=sys.stderr)
    return 1


def cmd_export(args) -> int:
    from .export import export

    try:
        report = export(Path(args.outdir), args.format, Path(args.output))
    except ValueError as err:
        print(f"kg export: {err}", file=sys.stderr)
        return 2
    print(report.text())
    return 0


def cmd_explore(args) -> int:
    from .explore import ExploreError, write_explorer

    if args.depth is not None and not args.focus:
        print("kg explore: --depth needs --focus NAME", file=sys.stderr)
        return 2
    output = Path(args.output) if args.output else Path(args.outdir) / "explorer.html"
    try:
        report = write_explorer(Path(args.outdir), output, focus=args.focus,
                                depth=2 if args.depth is None else args.depth, types=args.types)
    except ExploreError as err:
        print(f"kg explore: {err}", file=sys.stderr)
        return 2
    for warning in report.warnings:
        print(f"kg explore: warning: {warning}", file=sys.stderr)
    print(f"wrote {report.path}: {report.nodes} nodes, {report.edges} edges "
          "(one self-contained file: open it in a browser, no network needed)")
    return 0


def cmd_query(args) -> int:
    import math
    import signal

    from .query import (QueryError, QueryTimeout, bind_params, check_query, describe, named_queries,
                        open_engine, parse_query, resolve_query, run)

    try:
        if args.list:
            print(describe(named_queries().values()), end="")
            return 0
        sources = [x for x in (args.name, args.sparql, args.file) if x]
        if not args.target or len(sources) != 1:
            print("kg query: give OUTDIR and one of: a query NAME, -e SPARQL, -f FILE.rq "
                  "(`kg query --list` lists the named queries)", file=sys.stderr)
            return 2
        params = {}
        for item in args.param:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                print(f"kg query: --param {item!r}: write it as NAME=VALUE", file=sys.stderr)
                return 2
            params[key.strip()] = value
        if args.timeout < 0:
            print("kg query: --timeout takes a number of seconds, 0 for no limit", file=sys.stderr)
            return 2
        if args.file:
            path = Path(args.file)
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such query file")
            query = parse_query(path.read_text(encoding="utf-8"), str(path), default_name=path.stem)
        elif args.sparql:
            query = parse_query(args.sparql, "-e")
        else:
            query = args.name
        query = resolve_query(query)
        bind_params(query, params)            # a bad name, parameter or query fails before the graph loads
        check_query(query.text, query.source or query.name)
        # Oxigraph loads the graph in native code, where Python's Ctrl-C handler never
        # runs: until the engine is open, Ctrl-C ends the process at once, as SIGINT does
        # by default (the shell shows status 130). Nothing is being written meanwhile.
        previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            engine = open_engine(Path(args.target), args.engine)
        finally:
            signal.signal(signal.SIGINT, previous)
        # always in a query process of its own, which Ctrl-C stops even without a time limit
        result = run(engine, query, params, timeout=args.timeout or math.inf)
        for note in result.notes:             # a name of several entities: the rows are for all
            print(f"kg query: note: {note}", file=sys.stderr)
        sys.stdout.write(result.format(args.format, args.width))
    except QueryError as err:
        print(f"kg query: {err}", file=sys.stderr)
        return 2
    except QueryTimeout as err:
        print(f"kg query: {err}; it was stopped. Give it more time with --timeout SECONDS "
              "(0: no limit), or narrow the query", file=sys.stderr)
        return 3
    except KeyboardInterrupt:                 # Ctrl-C: the query process is already gone
        print("kg query: interrupted", file=sys.stderr)
        return 130
    return 0


def cmd_serve(args) -> int:
    from .query import QueryError
    from .serve import serve

    if args.timeout <= 0:
        print("kg serve: --timeout takes a number of seconds above 0", file=sys.stderr)
        return 2
    try:
        return serve(Path(args.target), args.host, args.port, args.timeout,
                     Path(args.store) if args.store else None, args.allow_remote)
    except QueryError as err:
        print(f"kg serve: {err}", file=sys.stderr)
        return 2


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="dangjian-kg: a knowledge graph of organizations, "
                                 "programs and places from Chinese party-building news.")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract a graph from text files or folders",
                       description="Read .txt/.md files (UTF-8, GB18030/GBK or UTF-16), extract entities, "
                       "relations and statistics, and write OUTDIR/graph.ttl, graph.trig (one named graph "
                       "per article), graph.nq and summary.json. OUTDIR is replaced only when the build "
                       "succeeds, and only if it is new, empty or written by an earlier kg build "
                       "(marked by OUTDIR/.kg-build.json); any other folder or file is refused. One "
                       "build at a time writes an OUTDIR.")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="a text file or a folder of them")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the graph files")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    b.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                   help="extract the articles, and write their graphs' shards, in N worker processes "
                   "(default: the number of cores, here %(default)s); the graph is the same for any N")
    b.add_argument("--meta", metavar="FILE",
                   help="a sidecar file of article metadata, .jsonl (one object a line) or .csv (a "
                   "header row), with the columns file (the input file's name or path; or doc: its "
                   "name without extension), url, date (ISO: 2023-09-11, 2023-09-11T10:49:00), "
                   "source (the paper or site) and title. Its values win over what the text says "
                   "(dcterms:issued, dcterms:source, dcterms:publisher, dcterms:title); a bad row is "
                   "reported with its line and left out, and the build goes on")
    b.add_argument("--curation", action="append", default=[], metavar="FILE.tsv",
                   help="hand corrections applied to the entities once resolved: a TSV of rows "
                   "`op<TAB>entity<TAB>value<TAB>note` with op merge (entity into value), rename, "
                   "retype (value a class: Place, Organization, ...), drop or add-alias; an entity "
                   "is named by its label, Type:label or its IRI (id:organization/...). A file "
                   "named curation.tsv at the top of an INPUT folder is applied too (first). A bad "
                   "row is reported with its line and skipped; the rows applied are recorded in "
                   "the graph's provenance. May be given more than once. docs/curation.md")
    b.add_argument("--force", action="store_true",
                   help="replace OUTDIR when it holds the graph of an older kg build without the "
                   "marker file .kg-build.json (a folder of other files is never replaced)")
    b.add_argument("--no-cache", action="store_true",
                   help="extract every file afresh and leave the extraction cache OUTDIR/.kg-cache as "
                   "it is (by default a file whose bytes and the extractor are unchanged since the last "
                   "build into OUTDIR is taken from the cache; the graph is the same either way)")
    b.add_argument("--dask", metavar="tcp://HOST:PORT",
                   help="extract the files on the dask.distributed cluster of this scheduler (needs "
                   "the dask extra: pip install 'dangjian-kg[dask]'; every worker the same version "
                   "of dangjian-kg); -j is then not used: resolution and writing run here. docs/scale.md")
    b.add_argument("--store", nargs="?", const="", metavar="DIR",
                   help="also load the graph into a persistent Oxigraph store at DIR (default OUTDIR/oxigraph), "
                   "replacing it atomically; `kg query DIR` and `kg serve DIR` use it")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("stats", help="count nodes per class and edges per relation",
                       description="Count the distinct nodes of each class and the distinct edges of each relation "
                       "in the graph of OUTDIR (each statement once, however many article graphs hold it: what "
                       "kg build's summary counts, kg.counts.tally). A graph.nq "
                       "over 8 MB is counted in its Oxigraph store, OUTDIR/oxigraph, loaded on first use and "
                       "again when graph.nq changes; as are `kg query`, `kg explore`, `kg export` and "
                       "`kg validate`.")
    s.add_argument("outdir", metavar="OUTDIR")
    s.set_defaults(func=cmd_stats)

    v = sub.add_parser("validate", help="check the graph against the SHACL shapes",
                       description="Validate the graph of OUTDIR against the SHACL shapes (pyshacl). A graph.nq "
                       "over 8 MB is validated on its Oxigraph store (OUTDIR/oxigraph, loaded when missing "
                       "or stale) by SPARQL queries made from the shapes, on -j worker processes; a shape "
                       "they cannot express is checked by pyshacl alone, in chunks of the nodes it targets, "
                       "with a note on stderr. The report is the one pyshacl gives on the whole graph. "
                       "pyshacl is the extra `validate`: pip install 'dangjian-kg[validate]'.")
    v.add_argument("outdir", metavar="OUTDIR")
    v.add_argument("--ontology", metavar="DIR", help="folder with dangjian.ttl and shapes.ttl "
                   "(default: the project's ontology/)")
    v.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                   help="a large graph (graph.nq over 8 MB) is validated on its Oxigraph store in N "
                   "worker processes (default: the number of cores, here %(default)s); the report is the "
                   "same for any N")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("export", help="write the graph for Gephi, Cytoscape, JSON-LD tools or spreadsheets",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Write the graph of OUTDIR in another format:\n\n"
                       "  graphml  entity network (nodes: entities; edges: the eight relations) for Gephi, Cytoscape\n"
                       "  gexf     the same network as GEXF 1.2, for Gephi\n"
                       "  jsonld   every triple (the union of the named graphs) as JSON-LD with the project's prefixes\n"
                       "  csv      a folder PATH with nodes.csv, edges.csv, statistics.csv (UTF-8 with BOM,\n"
                       "           which Excel needs for Chinese; pandas: encoding='utf-8-sig')\n\n"
                       "Output is deterministic and written atomically. docs/export.md describes the columns.",
                       epilog="examples:\n  kg export out/seeds --format graphml -o out/seeds.graphml\n"
                       "  kg export out/seeds --format csv -o out/seeds-csv")
    e.add_argument("outdir", metavar="OUTDIR", help="a folder written by `kg build`")
    e.add_argument("-f", "--format", required=True, choices=("graphml", "gexf", "jsonld", "csv"),
                   help="output format")
    e.add_argument("-o", "--output", required=True, metavar="PATH",
                   help="file to write (graphml, gexf, jsonld) or folder (csv)")
    e.set_defaults(func=cmd_export)

    x = sub.add_parser("explore", help="write an interactive HTML view of the graph (works offline)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Draw the entities of OUTDIR and their relations as an interactive network "
                       "in one\nself-contained HTML file (pyvis/vis-network, every script inlined, nothing "
                       "fetched):\nnodes coloured and shaped by type and sized by their number of relations, a "
                       "search box\nover all names, a check box per type, and a side panel with the clicked "
                       "node's type,\nnames, relations, statistics and the sentences it was found in; for each "
                       "relation, the\nsentence that states it with the two names marked, and its article "
                       "(up to 3 per relation;\nonly the relations drawn; an entity's first 10 sentences and statistics, with the count of\nthe rest). A date range (from/to) hides what "
                       "only articles outside it\nstate; articles without a date, and what the gazetteer "
                       "alone gives, stay shown.\n\n"
                       "Above 3000 nodes the page gets slow: the command warns; draw one entity's "
                       "neighbourhood\nwith --focus, or fewer types with --types.",
                       epilog="examples:\n  kg explore out/seeds\n"
                       "  kg explore out/seeds -o lanzhou.html --focus 兰州市 --depth 1\n"
                       "  kg explore out/seeds --types Organization Program")
    x.add_argument("outdir", metavar="OUTDIR", help="a folder written by `kg build`")
    x.add_argument("-o", "--output", metavar="FILE", help="the HTML file to write (default: OUTDIR/explorer.html)")
    x.add_argument("--focus", metavar="NAME", help="draw only the neighbourhood of the entity with this name "
                   "(skos:prefLabel or altLabel; quotes and case ignored)")
    x.add_argument("--depth", type=int, metavar="N", help="with --focus: how many relation hops to follow, "
                   "either way (default 2; 0 draws the entity alone)")
    x.add_argument("--types", nargs="+", metavar="TYPE", help="draw only entities of these types: "
                   "AdministrativeUnit Place Organization Program Person TargetGroup Facility Platform "
                   "Document, a subclass (PartyBranch, Mechanism ...) or the Chinese name (组织机构)")
    x.set_defaults(func=cmd_explore)

    q = sub.add_parser("query", help="answer a named question or any SPARQL query",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Run a named query of kg/queries (see --list), a SPARQL SELECT/ASK query "
                       "given with -e,\nor one in a file (-f), on the graph of OUTDIR (or on a store folder of "
                       "`kg build --store`).\nParameters are bound as RDF terms: a name becomes \"…\"@zh, an IRI "
                       "(https://…, id:…) an IRI.\nAn entity parameter takes a name (skos:prefLabel or altLabel) or an IRI; "
                       "a name of nothing\nis refused with close names (exit status 2), a name of several entities reads "
                       "them all, with a note.\nThe prefixes dj:, id:, skos:, nif:, dcterms:, ... need no PREFIX lines.\n"
                       "An engine error is one line (exit status 2); where rdflib fails on a valid query, --engine oxigraph.\nEngines: rdflib for small graphs, Oxigraph for a store or a "
                       "graph.nq over 8 MB, loaded\ninto OUTDIR/oxigraph on first use and again when graph.nq changes (--engine).\nA query reads this graph only: SERVICE, FROM, FROM NAMED "
                       "and updates (LOAD, INSERT, ...) are refused.\nIt is stopped after --timeout seconds "
                       "(exit status 3) or by Ctrl-C (exit status 130).\n"
                       "docs/queries.md describes every named query.",
                       epilog="examples:\n  kg query --list\n"
                       "  kg query out/seeds divisions_under --param place=平凉市\n"
                       "  kg query out/seeds entity_facts -p entity=id:division/620800\n"
                       "  kg query out/seeds people_with_posts --format csv > posts.csv\n"
                       "  kg query out/seeds -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s a dj:Program }'")
    q.add_argument("target", nargs="?", metavar="OUTDIR", help="a folder written by `kg build`, or a store folder")
    q.add_argument("name", nargs="?", metavar="NAME", help="a named query (kg query --list)")
    q.add_argument("-e", "--sparql", metavar="SPARQL", help="a SPARQL query given on the command line")
    q.add_argument("-f", "--file", metavar="FILE", help="a file holding a SPARQL query (.rq)")
    q.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the query (repeat for several); an entity by name or IRI: "
                   "place=平凉市, place=id:division/620800")
    q.add_argument("--format", default="table", choices=("table", "csv", "tsv", "json"),
                   help="aligned table (default), or SPARQL 1.1 results as CSV, TSV or JSON")
    q.add_argument("--engine", default="auto", choices=("auto", "rdflib", "oxigraph"),
                   help="auto (default): Oxigraph for a store or a large graph, else rdflib")
    q.add_argument("--width", type=int, default=60, metavar="N",
                   help="table format: cut cells wider than N columns (0: never; default 60)")
    q.add_argument("--timeout", type=float, default=60, metavar="SECONDS",
                   help="stop the query after this many seconds (default 60; 0: no limit)")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    q.set_defaults(func=cmd_query)

    w = sub.add_parser("serve", help="a query page and a read-only SPARQL 1.1 endpoint (Oxigraph) over HTTP",
                       description="Load OUTDIR's graph into an Oxigraph store (OUTDIR/oxigraph, reused while "
                       "graph.nq is unchanged) and serve it read-only: `oxigraph serve-read-only` on a private "
                       "port, behind a front server on --host:--port that checks every query (SERVICE, FROM, "
                       "FROM NAMED and updates are refused with 400) and answers 503 when one takes longer "
                       "than --timeout. Once it answers, prints the URL of the query page (/, open it in a "
                       "browser: Oxigraph's SPARQL editor with the project's prefixes dj:, id:, skos:, nif:, ... "
                       "declared and a button per named query, its parameters as VALUES lines), then that of "
                       "the SPARQL protocol endpoint (/query, for programs). Ctrl-C stops it. "
                       "A rebuild of OUTDIR is noticed and served. The default graph is the union of the "
                       "article graphs.")
    w.add_argument("target", metavar="OUTDIR", help="a folder written by `kg build`, or a store folder")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine "
                   "only; any other address needs --allow-remote)")
    w.add_argument("--allow-remote", action="store_true",
                   help="allow a --host that other machines can reach (e.g. 0.0.0.0): anyone who reaches it "
                   "can query the graph")
    w.add_argument("--port", type=int, default=7878, help="port (default 7878; 0: any free port)")
    w.add_argument("--timeout", type=float, default=30, metavar="SECONDS",
                   help="answer 503 and stop a query after this many seconds (default 30)")
    w.add_argument("--store", metavar="DIR", help="where to keep the store (default OUTDIR/oxigraph)")
    w.set_defaults(func=cmd_serve)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as err:
        print(f"kg: {err}", file=sys.stderr)
        return 2
    except MissingExtra as err:         # an optional dependency of this command: the message names its extra
        print(err, file=sys.stderr)
        return 2
    except BrokenPipeError:             # `kg stats out | head`: the reader has had enough
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:           # Ctrl-C: no traceback; what was being written is not
        print("kg: interrupted", file=sys.stderr)   # swapped in (kg.atomic), so nothing is half-written
        return 130


if __name__ == "__main__":
    sys.exit(main())
