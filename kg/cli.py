"""The `kg` command.

    kg build INPUT... -o OUTDIR     text files or folders → RDF graph (graph.ttl, graph.trig, graph.nq)
    kg stats OUTDIR                 counts per class and relation
    kg validate OUTDIR              SHACL validation against ontology/shapes.ttl
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

GRAPH_FILES = ("graph.trig", "graph.ttl", "graph.nq")


def load_outdir(outdir: Path):
    """The graph a `kg build` wrote to OUTDIR (its TriG, else Turtle, else N-Quads), as one graph."""
    from rdflib import Dataset

    for name in GRAPH_FILES:
        path = outdir / name
        if path.is_file():
            ds = Dataset(default_union=True)
            ds.parse(path, format={"graph.trig": "trig", "graph.ttl": "turtle", "graph.nq": "nquads"}[name])
            return ds
    raise FileNotFoundError(f"{outdir}: no graph file ({', '.join(GRAPH_FILES)}); run `kg build` first")


def cmd_build(args) -> int:
    from .build import build, print_problems

    progress = None
    if not args.quiet:
        def progress(line: str) -> None:
            print(line, file=sys.stderr)
    report = build(args.inputs, Path(args.output), progress=progress)
    print_problems(report.problems)
    if report.files == 0:
        print(f"kg build: nothing could be read from {' '.join(args.inputs)}; "
              f"{args.output} left unchanged", file=sys.stderr)
        return 1
    print(report.text())
    print(f"wrote {args.output}/graph.ttl, graph.trig, graph.nq, summary.json")
    return 0


def cmd_stats(args) -> int:
    from rdflib import RDF, Namespace

    dj = Namespace("https://w3id.org/dangjian-kg/ontology#")
    ds = load_outdir(Path(args.outdir))
    classes = Counter()
    for _, _, cls in ds.triples((None, RDF.type, None)):
        if str(cls).startswith(str(dj)):
            classes[str(cls)[len(str(dj)):]] += 1
    relations = Counter()
    for name in ("within", "locatedIn", "subOrganizationOf", "affiliatedWith",
                 "implementedIn", "runBy", "targets", "partOf", "mentionedIn"):
        relations[name] = sum(1 for _ in ds.triples((None, dj[name], None)))
    width = max(len(k) for k in list(classes) + list(relations))
    print("class".ljust(width), "count")
    for cls, n in sorted(classes.items()):
        print(cls.ljust(width), n)
    print()
    print("relation".ljust(width), "count")
    for rel, n in relations.items():
        print(rel.ljust(width), n)
    return 0


def cmd_validate(args) -> int:
    from .validate import default_ontology_dir, format_violations, validate_graph

    ds = load_outdir(Path(args.outdir))
    ontology = Path(args.ontology) if args.ontology else default_ontology_dir()
    result = validate_graph(ds, ontology)
    if result.violations:                  # warnings are shown even when the graph conforms
        print(format_violations(result))
    if result.conforms:
        warnings = len(result.violations)
        print(f"{args.outdir}: conforms to {ontology / 'shapes.ttl'}"
              + (f" ({warnings} warning(s))" if warnings else ""))
        return 0
    print(f"{args.outdir}: {len(result.errors)} violation(s)", file=sys.stderr)
    return 1


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="dangjian-kg: a knowledge graph of organizations, "
                                 "programs and places from Chinese party-building news.")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract a graph from text files or folders",
                       description="Read .txt/.md files (UTF-8, GB18030/GBK or UTF-16), extract entities, "
                       "relations and statistics, and write OUTDIR/graph.ttl, graph.trig (one named graph "
                       "per article), graph.nq and summary.json. OUTDIR is replaced only when the build "
                       "succeeds.")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="a text file or a folder of them")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the graph files")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("stats", help="count nodes per class and edges per relation")
    s.add_argument("outdir", metavar="OUTDIR")
    s.set_defaults(func=cmd_stats)

    v = sub.add_parser("validate", help="check the graph against the SHACL shapes")
    v.add_argument("outdir", metavar="OUTDIR")
    v.add_argument("--ontology", metavar="DIR", help="folder with dangjian.ttl and shapes.ttl "
                   "(default: the project's ontology/)")
    v.set_defaults(func=cmd_validate)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as err:
        print(f"kg: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:             # `kg stats out | head`: the reader has had enough
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
