"""Benchmark: every named query on rdflib against Oxigraph, on the seeds graph and on a
generated graph of at least 1,000,000 triples, in one run.

    .venv/bin/python bench/bench_queries.py [--outdir out/seeds] [--triples 1000000]
                                            [--repeat 3] [--workdir DIR] [--no-rdflib-large]

OUTDIR is a `kg build` output (built from seeds/ when it has no graph.nq). The large graph
replicates OUTDIR/graph.nq: copy k rewrites every instance IRI id:X to id:copy{k}/X (copy 0
keeps the original), labels and other literals unchanged, as many copies as reach --triples
distinct triples. A named query thus finds one 平凉市 per copy and its answer grows with the
graph, which is the harder case for an engine. The generation is deterministic.

Each named query runs with the example parameters its header gives (optional ones
unbound): one warm-up, then the median of --repeat runs (rdflib on the large graph: one run).
The time is `kg.query.run` from parameters to a Result of rdflib terms, as a user gets it.
rdflib holds the graph in memory; Oxigraph is timed both as the persistent store that
`kg build --store` writes (opened read-only; the ratio is against it) and in memory. Prints load times, a table of times with the ratio rdflib/Oxigraph, and
flags any Oxigraph time over 1 s on the large graph. Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ID_PREFIX = "<https://w3id.org/dangjian-kg/id/"


def replicate(graph_nq: Path, copies: int, target: Path) -> int:
    """Write COPIES rewritten copies of GRAPH_NQ to TARGET; returns the number of quads."""
    lines = graph_nq.read_text(encoding="utf-8").splitlines()
    n = 0
    with target.open("w", encoding="utf-8") as out:
        for k in range(copies):
            new = ID_PREFIX if k == 0 else f"{ID_PREFIX}copy{k}/"
            for line in lines:
                out.write(line.replace(ID_PREFIX, new) + "\n")
                n += 1
    return n


def timed(fn, repeat: int) -> tuple[float, object]:
    """(median seconds of REPEAT runs after one warm-up, last value)."""
    value = fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), value


def once(fn) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def example_params(query) -> dict[str, str]:
    return {p.name: p.example for p in query.params if not p.optional and p.example}


def bench_graph(label: str, outdir: Path, store_dir: Path, repeat: int, rdflib_repeat: int | None,
                queries) -> list[tuple]:
    from kg.query import OxigraphEngine, RdflibEngine, load_store, run

    print(f"\n== {label}: {outdir / 'graph.nq'}", flush=True)
    t_ox_load, quads = once(lambda: load_store(outdir / "graph.nq", store_dir))
    ox = OxigraphEngine.open_store(store_dir)
    print(f"oxigraph: bulk load into a store folder {t_ox_load:.2f} s ({quads:,} quads: "
          "the named graphs and their union)", flush=True)
    t_mem_load, mem = once(lambda: OxigraphEngine.in_memory(outdir / "graph.nq"))
    print(f"oxigraph: load into memory {t_mem_load:.2f} s", flush=True)
    rd = None
    if rdflib_repeat is not None:
        t_rd_load, rd = once(lambda: RdflibEngine.from_outdir(outdir))
        print(f"rdflib:   parse graph.nq {t_rd_load:.2f} s ({len(rd):,} distinct triples)", flush=True)
    rows = []
    for q in queries:
        params = example_params(q)
        t_ox, res_ox = timed(lambda: run(ox, q, params), repeat)
        t_mem, res_mem = timed(lambda: run(mem, q, params), repeat)
        if res_mem.rows != res_ox.rows:
            print(f"   !! {q.name}: Oxigraph in memory and in the store disagree")
        t_rd = res_rd = None
        if rd is not None:
            if rdflib_repeat == 0:
                t_rd, res_rd = once(lambda: run(rd, q, params))
            else:
                t_rd, res_rd = timed(lambda: run(rd, q, params), rdflib_repeat)
            if res_rd.rows != res_ox.rows:
                print(f"   !! {q.name}: rdflib and Oxigraph disagree ({len(res_rd)} vs {len(res_ox)} rows)")
        rows.append((label, q.name, len(res_ox), t_rd, t_ox, t_mem))
        ratio = f"{t_rd / t_ox:8.1f}x" if t_rd else "        -"
        print(f"   {q.name:28} {len(res_ox):6} rows  rdflib {_ms(t_rd):>10}  oxigraph store {_ms(t_ox):>9}"
              f"  memory {_ms(t_mem):>9}  {ratio}", flush=True)
    ox.close()
    mem.close()
    return rows


def _ms(seconds) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outdir", default=str(ROOT / "out" / "seeds"), help="a kg build output (default out/seeds)")
    ap.add_argument("--triples", type=int, default=1_000_000, help="at least this many triples in the large graph")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", help="folder for the generated graph and stores (default: a temporary one)")
    ap.add_argument("--no-rdflib-large", action="store_true", help="skip rdflib on the large graph")
    args = ap.parse_args()

    from rdflib import Dataset

    from kg.query import named_queries

    outdir = Path(args.outdir)
    if not (outdir / "graph.nq").is_file():
        from kg.build import build
        print(f"building {outdir} from seeds/ ...", flush=True)
        build([str(ROOT / "seeds")], outdir)
    queries = list(named_queries().values())
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        seeds = Dataset(default_union=True)
        seeds.parse(outdir / "graph.nq", format="nquads")
        per_copy = len(seeds)
        copies = math.ceil(args.triples / per_copy)
        large = work / "large"
        large.mkdir(exist_ok=True)
        t_gen, quads = once(lambda: replicate(outdir / "graph.nq", copies, large / "graph.nq"))
        print(f"large graph: {copies} copies of {per_copy:,} distinct triples = {per_copy * copies:,} triples "
              f"({quads:,} quads), written in {t_gen:.1f} s", flush=True)

        rows = bench_graph("seeds", outdir, work / "seeds-store", args.repeat, args.repeat, queries)
        rows += bench_graph("large", large, work / "large-store", args.repeat,
                            None if args.no_rdflib_large else 0, queries)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print("\nnamed queries, median time (rdflib on the large graph: one run); "
          "ratio = rdflib / Oxigraph store")
    print(f"{'graph':6} {'query':28} {'rows':>6} {'rdflib':>12} {'ox store':>11} {'ox memory':>11} {'ratio':>8}")
    slow = []
    for label, name, n, t_rd, t_ox, t_mem in rows:
        ratio = f"{t_rd / t_ox:7.1f}x" if t_rd else "      -"
        print(f"{label:6} {name:28} {n:6} {_ms(t_rd):>12} {_ms(t_ox):>11} {_ms(t_mem):>11} {ratio:>8}")
        if label == "large" and t_ox >= 1.0:
            slow.append(name)
    for label in ("seeds", "large"):
        pairs = [(t_rd, t_ox) for lab, _, _, t_rd, t_ox, _ in rows if lab == label and t_rd]
        if pairs:
            geo = math.exp(statistics.mean(math.log(a / b) for a, b in pairs))
            print(f"{label}: geometric mean of the ratios {geo:.1f}x; total rdflib "
                  f"{sum(a for a, _ in pairs):.2f} s, Oxigraph store {sum(b for _, b in pairs):.3f} s")
    worst = max(t_ox for lab, _, _, _, t_ox, _ in rows if lab == "large")
    print(f"slowest named query with the Oxigraph store on the large graph: {worst * 1000:.0f} ms; "
          + ("every one under 1 s" if not slow else f"OVER 1 s: {', '.join(slow)}"))


if __name__ == "__main__":
    main()
