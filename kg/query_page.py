"""The query page of `kg serve`: Oxigraph's own SPARQL editor (YASGUI, whose script and style
the Oxigraph server ships), set up for this graph.

    page_html(timeout) -> str        # the page kg serve answers GET / with
    prefixes_json() -> bytes         # GET /prefixes.json: {prefix: namespace} of kg.namespaces
    example_text(named_query) -> str # a named query with its parameters as VALUES lines

What it adds to Oxigraph's page: every new editor tab starts with the project's PREFIX lines
(dj:, id:, skos:, nif:, dcterms:, prov:, ... as kg.namespaces declares them) and a query that
uses them; the editor's PREFIX completion offers the same prefixes (from /prefixes.json,
where YASGUI would ask prefix.cc: the page makes no request beyond kg serve); a button per
named query (kg/queries/*.rq) opens it in a tab of its own with each parameter written as a
VALUES line holding the example of its `# param:` line, to be edited; the page says where
the SPARQL protocol endpoint is (/query), which it queries itself.
"""
from __future__ import annotations

import html
import json

from .namespaces import PREFIXES
from .query import NamedQuery, named_queries, select_bodies, to_term

# The first query of every new tab: what the graph holds, by class.
DEFAULT_QUERY = """\
# What the graph holds: its entities by class. The buttons above open the named queries.
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities)
WHERE {
  ?entity a ?class .
  FILTER(STRSTARTS(STR(?class), STR(dj:)))
}
GROUP BY ?class
ORDER BY DESC(?entities) ?class
"""


def prefix_lines() -> str:
    """The project's prefixes as SPARQL PREFIX lines, in kg.namespaces' order."""
    width = max(len(p) for p in PREFIXES) + 1
    return "".join(f"PREFIX {p + ':':<{width}} <{ns}>\n" for p, ns in PREFIXES.items())


def prefixes_json() -> bytes:
    """{prefix: namespace} as JSON: the form of prefix.cc's list, which YASGUI's PREFIX
    completion reads."""
    return json.dumps(PREFIXES, ensure_ascii=False, indent=1).encode("utf-8")


def _values_line(q: NamedQuery, name: str) -> str:
    """The VALUES line that sets the parameter NAME of Q to its example (commented out for an
    optional one, which is left unbound unless given)."""
    p = q.param(name)
    kind = p.type + (f": a name; for an IRI, bind ?{p.name}_iri instead" if p.type == "entity" else "")
    kind += ", optional: remove the first # to set it" if p.optional else ""
    comment = f"# parameter {p.name} ({kind}): {p.doc}" if p.doc else f"# parameter {p.name} ({kind})"
    if p.example is None:
        return f"# VALUES ?{p.name} {{ }}   {comment}"
    term = to_term(p.example, p.type, p.name)
    line = f"VALUES ?{p.name} {{ {term.n3()} }}   {comment}"
    return f"# {line}" if p.optional else line


def example_text(q: NamedQuery) -> str:
    """Q's text with each declared parameter set by a VALUES line at the top of the WHERE
    clause that names its variable (a sub-select's, where the variable is used inside one),
    holding the example of its `# param:` line, and a first comment line saying so."""
    text = q.text
    bodies = select_bodies(text, direct=True)
    if not q.params or not bodies:
        return text
    placed: dict[int, list[str]] = {}
    for p in q.params:
        where = [brace for brace, names in bodies if p.name in names] or [bodies[0][0]]
        for brace in where:
            placed.setdefault(brace, []).append(_values_line(q, p.name))
    for brace in sorted(placed, reverse=True):          # from the end: the offsets hold
        line = text[text.rfind("\n", 0, brace) + 1:brace]     # the brace's line, up to it
        indent = line[:len(line) - len(line.lstrip(" "))]
        block = "".join(f"\n{indent}  {line}" for line in placed[brace])
        text = f"{text[:brace + 1]}{block}{text[brace + 1:]}"
    options = " ".join(f"-p {p.name}=…" for p in q.params)
    return (f"# Set the parameters in the VALUES lines below (kg query OUTDIR {q.name} {options} "
            "does the same).\n" + text)


_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>dangjian-kg · SPARQL</title>
<link href="yasgui.min.css" rel="stylesheet" type="text/css">
<link rel="icon" type="image/svg+xml" href="logo.svg">
<script src="yasgui.min.js"></script>
<style>
  body { margin: 0; font-family: sans-serif; }
  #kg-head { padding: 8px 14px; border-bottom: 1px solid #ccc; background: #fafafa; }
  #kg-head h1 { font-size: 17px; margin: 0 0 4px 0; }
  #kg-head p { margin: 4px 0; font-size: 13px; }
  #kg-queries button { margin: 2px 4px 2px 0; font-size: 12px; cursor: pointer; }
</style>
</head>
<body>
<div id="kg-head">
  <h1>dangjian-kg · SPARQL query page</h1>
  <p>SPARQL 1.1 protocol endpoint (read-only, query timeout @TIMEOUT@ s):
     <code id="kg-endpoint"></code> — for programs and SPARQL clients; this page queries it.
     The prefixes dj:, id:, skos:, nif:, ... are declared in every new tab.</p>
  <p id="kg-queries">Named queries (kg query --list), with their parameters as VALUES lines:
@BUTTONS@
  </p>
</div>
<div id="yasgui"></div>
<script>
  const KG = @DATA@;
  const here = new URL(".", window.location.href);
  const endpoint = new URL("query", here).href;
  document.getElementById("kg-endpoint").textContent = endpoint;
  Yasgui.Yasqe.defaults.value = KG.start;
  Yasgui.Yasqe.defaults.prefixCcApi = new URL("prefixes.json", here).href;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: "dangjian-kg-serve",
    yasqe: { value: KG.start, prefixCcApi: new URL("prefixes.json", here).href },
  });
  for (const button of document.querySelectorAll("#kg-queries button")) {
    button.addEventListener("click", function () {
      const q = KG.queries[button.dataset.query];
      yasgui.addTab(true, { name: q.name, yasqe: { value: q.text } });
    });
  }
</script>
</body>
</html>
"""


def page_html(timeout: float) -> str:
    """The query page (see the module doc); TIMEOUT is the endpoint's query timeout in seconds."""
    queries = named_queries()
    buttons = "\n".join(f'    <button type="button" data-query="{html.escape(name)}" '
                        f'title="{html.escape(q.question)}">{html.escape(name)}</button>'
                        for name, q in queries.items())
    data = {"start": prefix_lines() + DEFAULT_QUERY,
            "queries": {name: {"name": name, "text": example_text(q)} for name, q in queries.items()}}
    # inside <script>: no "</" may close it early
    script_data = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (_PAGE.replace("@TIMEOUT@", f"{timeout:g}").replace("@BUTTONS@", buttons)
            .replace("@DATA@", script_data))
