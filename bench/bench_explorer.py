"""Benchmark: the `kg explore` page in headless Chromium, for the seeds and a generated graph.

    .venv/bin/python bench/bench_explorer.py [--nodes 5000] [--repeat 3] [--seeds OUTDIR]

For each graph prints: the time to write the page (Python), its size, and in the
browser (Debian's /usr/bin/chromium via Playwright, tests/chromium.py) the times
from navigation start to the page script running, the network built, and the
layout stabilized with physics off; then interactivity: search + select + side
panel until painted, a click's neighbourhood highlight until painted, hiding the
largest type until painted, and the frame rate while zooming. Medians of --repeat
page loads. Not a test: nothing is asserted.

The generated graph has the seeds' mix of types and relations (seeded random,
the same every run): divisions in a tree, programs implemented in divisions and
run by organizations, people affiliated with organizations, one mention each.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SHARES = (("AdministrativeUnit", .14), ("Place", .05), ("Organization", .14), ("Program", .37),
          ("Person", .09), ("TargetGroup", .09), ("Facility", .05), ("Platform", .03), ("Document", .04))
LINKS = (("Program", "implementedIn", "AdministrativeUnit", .9), ("Program", "runBy", "Organization", .4),
         ("Program", "targets", "TargetGroup", .3), ("Program", "partOf", "Program", .1),
         ("Organization", "locatedIn", "AdministrativeUnit", .8),
         ("Organization", "subOrganizationOf", "Organization", .3),
         ("Person", "affiliatedWith", "Organization", .8), ("Facility", "locatedIn", "AdministrativeUnit", .8),
         ("Place", "locatedIn", "AdministrativeUnit", .8))


def generated_graph(n: int, seed: int = 7):
    """An rdflib Dataset of the graph model with n entities (see the module's docstring)."""
    from rdflib import RDF, Dataset, Literal
    from rdflib.namespace import DCTERMS, SKOS

    from kg.rdf import DJ, ID, NIF

    rnd = random.Random(seed)
    ds = Dataset(default_union=True)
    g = ds.graph(ID["graph/generated"])
    by_type: dict[str, list] = {t: [] for t, _ in SHARES}
    for t, share in SHARES:
        by_type[t] = [ID[f"generated/{t}/{i}"] for i in range(int(n * share))]
    while sum(map(len, by_type.values())) < n:
        by_type["Program"].append(ID[f"generated/Program/extra{len(by_type['Program'])}"])
    articles = [ID[f"article/generated/{i}"] for i in range(max(1, n // 30))]
    for a in articles:
        g.add((a, RDF.type, DJ.Article))
        g.add((a, DCTERMS.title, Literal(f"生成的文章 {a.rsplit('/', 1)[-1]} 号", lang="zh")))
    k = 0
    for t, entities in by_type.items():
        for e in entities:
            k += 1
            name = f"{t[:4]}实体{k}号"
            a = rnd.choice(articles)
            m, sentence = ID[f"mention/generated/{k}"], ID[f"sentence/generated/{k}"]
            for s, p, o in ((e, RDF.type, DJ[t]), (e, SKOS.prefLabel, Literal(name, lang="zh")),
                            (e, DJ.mentionedIn, a), (m, RDF.type, DJ.Mention), (m, DJ.refersTo, e),
                            (m, DJ.inArticle, a), (m, NIF.beginIndex, Literal(k)), (m, NIF.sentence, sentence),
                            (sentence, RDF.type, NIF.Sentence), (sentence, DJ.inArticle, a),
                            (sentence, NIF.anchorOf, Literal(f"这是提到{name}的一个句子。", lang="zh"))):
                g.add((s, p, o))
    units = by_type["AdministrativeUnit"]
    for i, u in enumerate(units[1:], 1):
        g.add((u, DJ.within, units[rnd.randrange(0, max(1, i // 3))]))
    for src, rel, dst, p in LINKS:
        for e in by_type[src]:
            if rnd.random() < p:
                g.add((e, DJ[rel], rnd.choice(by_type[dst])))
    return ds


PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

MEASURE = """async ([query, type]) => {
  const x = window.__explorer, painted = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const input = document.getElementById('kg-search');
  let t = performance.now();
  input.value = query; input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
  const searchHandled = performance.now() - t;
  await painted();
  const search = performance.now() - t;
  const found = x.selected, panel = document.getElementById('kg-panel').textContent.includes(query);
  await new Promise(r => setTimeout(r, 600));                       // the focus animation
  x.clear(); await painted();
  x.network.fit(); await painted();
  const other = x.nodes.getIds()[Math.floor(x.nodeCount / 2)];
  t = performance.now(); x.select(other, false); await painted();
  const highlight = performance.now() - t;
  x.clear(); await painted();
  t = performance.now();
  document.querySelector('input[data-type="' + type + '"]').click();
  await painted();
  const toggle = performance.now() - t;
  document.querySelector('input[data-type="' + type + '"]').click(); await painted();
  let frames = 0; const draws = []; let t0 = 0;
  const before = () => { t0 = performance.now(); }, after = () => { frames++; draws.push(performance.now() - t0); };
  x.network.on('beforeDrawing', before); x.network.on('afterDrawing', after);
  t = performance.now();
  x.network.moveTo({scale: x.network.getScale() * 1.8, animation: {duration: 1500, easingFunction: 'linear'}});
  await new Promise(r => setTimeout(r, 1600));
  const seconds = (performance.now() - t) / 1000;
  x.network.off('beforeDrawing', before); x.network.off('afterDrawing', after);
  return {found, panel, searchHandled, search, highlight, toggle, fps: frames / seconds,
          draw: draws.reduce((a, b) => a + b, 0) / Math.max(1, draws.length)};
}"""


def measure_page(browser, path: Path, query: str, biggest_type: str) -> dict:
    from chromium import NetworkLog

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    log = NetworkLog(context)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.__explorer && window.__explorer.stabilized", timeout=300_000)
    result = dict(page.evaluate("() => window.__explorer.timings"))
    result.update(page.evaluate(MEASURE, [query, biggest_type]))
    result["requests"] = len(log.others_than(path.resolve().as_uri()))
    context.close()
    return result


def report(name: str, write_s: float, size: int, nodes: int, edges: int, runs: list[dict]) -> None:
    def med(key):
        return statistics.median(r[key] for r in runs)

    print(f"\n{name}: {nodes} nodes, {edges} edges; page written in {write_s:.2f} s, "
          f"{size / 1e6:.1f} MB; {len(runs)} load(s), medians")
    print(f"  navigation → page script            {med('script'):8.0f} ms")
    print(f"  navigation → network built          {med('ready'):8.0f} ms")
    print(f"  navigation → stabilized, physics off {med('stabilized'):7.0f} ms")
    print(f"  search + select + panel, painted    {med('search'):8.0f} ms   (handler {med('searchHandled'):.0f} ms;"
          f" found: {all(r['found'] for r in runs)}, panel: {all(r['panel'] for r in runs)})")
    print(f"  click → neighbourhood highlighted   {med('highlight'):8.0f} ms")
    print(f"  hide the largest type, painted      {med('toggle'):8.0f} ms")
    print(f"  zooming: frames per second          {med('fps'):8.1f}      (draw {med('draw'):.0f} ms a frame)")
    print(f"  requests besides the file itself    {max(r['requests'] for r in runs):8d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000, help="size of the generated graph")
    ap.add_argument("--repeat", type=int, default=3, help="page loads per graph")
    ap.add_argument("--seeds", metavar="OUTDIR", help="a `kg build seeds` OUTDIR (default: build one)")
    args = ap.parse_args()

    from chromium import chromium_problem, launch
    from playwright.sync_api import sync_playwright

    from kg.outdir import load_outdir
    from kg.explore import build_explorer

    problem = chromium_problem()
    if problem:
        sys.exit(problem)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = Path(args.seeds) if args.seeds else tmp / "seeds"
        if not args.seeds:
            from kg.build import build
            build([str(ROOT / "seeds")], seeds)
        graphs = [("seeds", load_outdir(seeds), "兰州市", "Program")]
        t = time.perf_counter()
        graphs.append((f"generated {args.nodes}", generated_graph(args.nodes), "Admi实体1号", "Program"))
        print(f"generated the {args.nodes}-node graph in {time.perf_counter() - t:.2f} s", file=sys.stderr)
        with sync_playwright() as p:
            browser = launch(p)
            print(f"Chromium {browser.version}, headless, software rendering")
            for name, ds, query, biggest in graphs:
                t = time.perf_counter()
                explorer = build_explorer(ds)
                write_s = time.perf_counter() - t
                path = tmp / f"{name.replace(' ', '-')}.html"
                path.write_text(explorer.html, encoding="utf-8")
                runs = [measure_page(browser, path, query, biggest) for _ in range(args.repeat)]
                report(name, write_s, path.stat().st_size, explorer.nodes, explorer.edges, runs)
            browser.close()


if __name__ == "__main__":
    main()
