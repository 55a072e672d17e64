"""The evaluation: build and score the seeds, the real articles' dev part and their blind third.

    .venv/bin/python bench/eval.py [--json eval/scores.json] [--errors seeds|dev]

Builds seeds/ and eval/real/texts/ with `kg build` (in a new process each, as a user runs it),
scores them with eval/kg_score.py (a copy of the project's scorer) against eval/gold and
eval/real/gold.jsonl, the real articles split by eval/real/split.json into `dev` and `blind`,
and prints one table: P/R/F1 per entity type, per relation, the totals, statistics (value and
unit) and statistics with what they are about, for the three sets side by side.

--errors lists every miss and false find of one set, seeds or dev. The blind third is never
listed: eval/README.md says why.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "eval"
REAL = EVAL / "real"


def _scorer():
    """eval/kg_score.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("kg_score", EVAL / "kg_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(paths: list[Path], docs: set[str] | None = None) -> list[dict]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                if docs is None or doc["doc"] in docs:
                    out.append(doc)
    return out


def build(inputs: Path, outdir: Path) -> None:
    kg = Path(sys.executable).with_name("kg")
    subprocess.run([str(kg), "build", str(inputs), "-o", str(outdir), "-q"], check=True,
                   stdout=subprocess.DEVNULL)


def figures(ks, gold: list[dict], outdir: Path, errors: bool = False) -> tuple[dict, list]:
    """{row name: {"p", "r", "f1", "gold", "found"}} and the error log of the scorer."""
    graph = ks.load_graph(outdir, ROOT / "ontology")
    ent, any_type, rel, stats, stats_about, party, log = ks.score(gold, ks.Predicted(graph), errors)
    rows = [(k, ent[k]) for k in ks.ENTITY_TYPES]
    rows += [("ENTITIES (typed)", ks.micro(ent.values())), ("entities (any type)", any_type)]
    rows += [(k, rel[k]) for k in ks.RELATIONS]
    rows += [("RELATIONS", ks.micro(rel.values())), ("STATISTICS", stats), ("STATISTICS (about)", stats_about)]
    out = {}
    for name, t in rows:
        p, r, f = t.prf()
        out[name] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "gold": t.tp + t.fn,
                     "found": t.tp + t.fp}
    return out, log


def table(results: dict[str, dict], docs: dict[str, int]) -> str:
    """The figures of every set side by side, one row per type, relation and total."""
    sets = list(results)
    names = list(next(iter(results.values())))
    head = f"{'':20s}" + "".join(f" | {f'{s} ({docs[s]} docs)':^26s}" for s in sets)
    sub = f"{'':20s}" + "".join(f" | {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>5s}" for _ in sets)
    lines = [head, sub]
    for name in names:
        if name in ("within", "RELATIONS", "STATISTICS"):
            lines.append("")
        cells = "".join(f" | {results[s][name]['p']:6.3f} {results[s][name]['r']:6.3f} "
                        f"{results[s][name]['f1']:6.3f} {results[s][name]['gold']:5d}" for s in sets)
        lines.append(f"{name:20s}{cells}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--errors", choices=("seeds", "dev"), help="list the misses and false finds of one set")
    args = ap.parse_args()
    ks = _scorer()
    split = json.loads((REAL / "split.json").read_text(encoding="utf-8"))
    results, logs, docs = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        build(ROOT / "seeds", Path(tmp) / "seeds")
        build(REAL / "texts", Path(tmp) / "real")
        sets = {"seeds": (sorted((EVAL / "gold").glob("*.jsonl")), None, Path(tmp) / "seeds"),
                "dev": ([REAL / "gold.jsonl"], set(split["dev"]), Path(tmp) / "real"),
                "blind": ([REAL / "gold.jsonl"], set(split["blind"]), Path(tmp) / "real")}
        for name, (gold_files, only, outdir) in sets.items():
            gold = _gold(gold_files, only)
            results[name], logs[name] = figures(ks, gold, outdir, errors=name == args.errors)
            docs[name] = len(gold)
    print(table(results, docs))
    for name, r in results.items():
        print(f"{name}: entity_f1={r['ENTITIES (typed)']['f1']:.3f} relation_f1={r['RELATIONS']['f1']:.3f} "
              f"statistic_f1={r['STATISTICS']['f1']:.3f} statistic_about_f1={r['STATISTICS (about)']['f1']:.3f}")
    if args.errors:
        for doc, kind, what, text in logs[args.errors]:
            print(f"{doc}\t{kind}\t{what}\t{text}")
    if args.json:
        args.json.write_text(json.dumps({"docs": docs, "figures": results}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
