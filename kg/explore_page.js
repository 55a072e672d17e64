/* The page script of `kg explore` (kg/explore.py inlines it after vis-network).
 *
 * Reads the graph from the JSON block with id "kg-data", draws it
 * with vis-network, and wires the search box, the type check boxes and the side
 * panel. Text from the articles is only ever put into the page with
 * textContent / Text nodes, never parsed as HTML.
 *
 * window.__explorer is the page's state, for tests and benchmarks:
 *   ready, stabilized        network built; physics done and switched off
 *   timings                  performance.now() (ms from navigation) at script start, ready, stabilized
 *   nodeCount, edgeCount     as drawn
 *   network, nodes, edges    the vis Network and its DataSets
 *   selected                 the selected node's id (IRI) or null
 *   select(id, focus), clear(), search(query), setTypeVisible(type, visible), visibleNodeCount()
 *   setDateRange(from, to)   "YYYY-MM-DD" or "" (open): hide what only articles outside it state;
 *                            returns {nodes, edges} hidden by dates
 */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const api = {
    ready: false, stabilized: false, selected: null,
    timings: { script: performance.now(), ready: null, stabilized: null },
    nodeCount: DATA.nodes.length, edgeCount: DATA.edges.length,
  };
  window.__explorer = api;

  const $ = (id) => document.getElementById(id);
  const label = (key) => DATA.labels[key] || key;
  const typeInfo = {};
  for (const t of DATA.types) typeInfo[t.type] = t;

  /* el("li", {class: "x", text: "..."}, child, ...): an element; strings become Text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  /* A small SVG of a vis-network shape, for the legend and the panel. */
  const SHAPES = {
    dot: ["circle", { cx: 8, cy: 8, r: 6 }],
    square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
    diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
    triangle: ["polygon", { points: "8,1.5 15,14 1,14" }],
    triangleDown: ["polygon", { points: "1,2 15,2 8,14.5" }],
    hexagon: ["polygon", { points: "8,1 14.1,4.5 14.1,11.5 8,15 1.9,11.5 1.9,4.5" }],
    star: ["polygon", { points: "8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6" }],
  };
  function icon(type) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    const [tag, attrs] = SHAPES[typeInfo[type].shape] || SHAPES.dot;
    const shape = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, String(v));
    shape.setAttribute("fill", typeInfo[type].colour);
    shape.setAttribute("stroke", "#555"); shape.setAttribute("stroke-width", "0.6");
    svg.append(shape);
    return svg;
  }

  // ------------------------------------------------------------------ network

  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const network = new vis.Network($("kg-network"), { nodes: nodes, edges: edges }, DATA.options);
  Object.assign(api, { network: network, nodes: nodes, edges: edges });
  api.ready = true;
  api.timings.ready = performance.now();

  const baseColour = {};
  for (const n of DATA.nodes) baseColour[n.id] = n.color;
  const allNodeIds = DATA.nodes.map((n) => n.id);
  const allEdgeIds = DATA.edges.map((e) => e.id);
  const nodeFont = DATA.options.nodes.font;
  const edgeColour = DATA.options.edges.color;
  const edgeFont = DATA.options.edges.font;
  const DIM_NODE = { background: "#eceef1", border: "#d3d8de",
                     highlight: { background: "#eceef1", border: "#d3d8de" },
                     hover: { background: "#eceef1", border: "#d3d8de" } };
  const DIM_NODE_FONT = { color: "#c1c6cd" };
  const DIM_EDGE = { color: "#eef0f3", highlight: "#eef0f3", hover: "#eef0f3", inherit: false };
  const DIM_EDGE_FONT = { color: "rgba(0,0,0,0)", strokeWidth: 0 };

  function setStatus(text) { $("kg-status").textContent = text; }
  function countText() {
    const shown = api.visibleNodeCount();
    const all = DATA.nodes.length;
    return (shown === all ? all + " 个节点" : "显示 " + shown + " / " + all + " 个节点")
      + " · " + DATA.edges.length + " 条关系";
  }

  function markStabilized() {
    if (api.stabilized) return;
    api.stabilized = true;
    api.timings.stabilized = performance.now();
    setStatus(countText());
  }
  network.on("stabilizationProgress", (p) => {
    setStatus("正在布局… " + Math.round(100 * p.iterations / p.total) + "%");
  });
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });   // laid out: stop moving
    network.once("afterDrawing", markStabilized);
    requestAnimationFrame(() => requestAnimationFrame(markStabilized));
  });
  if (DATA.nodes.length === 0) {
    setStatus("没有可显示的节点");
    api.stabilized = true;
    api.timings.stabilized = performance.now();
  }

  // --------------------------------------------------- highlight a neighbourhood

  const dimmedNodes = new Set();
  const dimmedEdges = new Set();
  /* Highlight `id`, its neighbours and its edges (id null: none). Up to DATA.dimLimit nodes
     every other node and edge is dimmed, updating only the items whose state changes;
     above it (dimming 5,000 nodes takes a second) the neighbourhood is selected instead. */
  function highlight(id) {
    if (DATA.nodes.length > DATA.dimLimit) {
      if (id === null) network.unselectAll();
      else network.setSelection({ nodes: [id].concat(network.getConnectedNodes(id)), edges: network.getConnectedEdges(id) },
                                { unselectAll: true, highlightEdges: false });
      return;
    }
    const keepNodes = new Set(id === null ? [] : [id].concat(network.getConnectedNodes(id)));
    const keepEdges = new Set(id === null ? [] : network.getConnectedEdges(id));
    const nodeUpdates = [];
    for (const n of allNodeIds) {
      const dim = id !== null && !keepNodes.has(n);
      if (dim === dimmedNodes.has(n)) continue;
      if (dim) { dimmedNodes.add(n); nodeUpdates.push({ id: n, color: DIM_NODE, font: DIM_NODE_FONT }); }
      else { dimmedNodes.delete(n); nodeUpdates.push({ id: n, color: baseColour[n], font: { color: nodeFont.color } }); }
    }
    const edgeUpdates = [];
    for (const e of allEdgeIds) {
      const dim = id !== null && !keepEdges.has(e);
      if (dim === dimmedEdges.has(e)) continue;
      if (dim) { dimmedEdges.add(e); edgeUpdates.push({ id: e, color: DIM_EDGE, font: DIM_EDGE_FONT }); }
      else {
        dimmedEdges.delete(e);
        edgeUpdates.push({ id: e, color: edgeColour, font: { color: edgeFont.color, strokeWidth: edgeFont.strokeWidth } });
      }
    }
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }

  // ------------------------------------------------------------------ side panel

  function nodeLink(id, text) {
    if (nodes.get(id)) return el("button", { class: "kg-link", type: "button", text: text, on: { click: () => select(id, true) } });
    return el("span", { text: text, title: "未在图中显示" });
  }
  function source(articleIndex) {
    const article = DATA.articles[articleIndex];
    if (!article) return null;
    return el("div", { class: "kg-source", text: "— " + (article.title || article.id)
                                               + (article.issued ? "（" + article.issued + "）" : "") });
  }
  /* A sentence with the two names of an edge marked: [begin, end] pairs into its text. */
  function marked(text, marks) {
    const p = el("p", { class: "kg-sentence kg-evidence" });
    let at = 0;
    for (const [b, e] of marks) {
      if (b > at) p.append(text.slice(at, b));
      p.append(el("mark", { text: text.slice(b, e) }));
      at = e;
    }
    if (at < text.length) p.append(text.slice(at));
    return p;
  }
  /* The evidence of one edge: each sentence (names marked) with its article. */
  function evidenceOf(edgeId) {
    const ev = DATA.evidence[edgeId];
    const box = el("div", { class: "kg-edge-evidence" });
    if (!ev) { box.append(el("p", { class: "kg-muted", text: "无出处记录" })); return box; }
    for (const [sentence, article, marks] of ev.ev) {
      if (sentence >= 0) box.append(marked(DATA.sentences[sentence], marks));
      // one name marked: the sentence names one end, the other is read from the article
      // (the place it is about, or a subject carried over from the sentence before)
      if (sentence < 0 || marks.length < 2) box.append(el("p", { class: "kg-muted", text: "两者不在同一句中" }));
      box.append(source(article));
    }
    if (ev.from && !ev.ev.length) box.append(el("p", { class: "kg-muted", text: "来自区划库（非文章所述）" }));
    if (ev.n > ev.ev.length) box.append(el("p", { class: "kg-muted", text: "另有 " + (ev.n - ev.ev.length) + " 处出处" }));
    return box;
  }
  /* The line under a list the page holds only the first items of (kg.explore caps an
     entity's sentences and statistics): how many more, and the query that lists them. */
  function more(count, unit, query) {
    return el("li", { class: "kg-muted kg-more",
                      text: "另有 " + count + " " + unit + "未载入本页（kg query OUTDIR " + query + " --param entity=名称 可列出全部）" });
  }

  function section(title, count, body) {
    return [el("h3", { text: title + (count === null ? "" : "（" + count + "）") }), body];
  }

  function renderPanel(id) {
    const d = DATA.details[id];
    const body = $("kg-panel-body");
    body.replaceChildren();
    if (!d) return;
    const parts = [];
    parts.push(el("h2", { id: "kg-panel-name", text: d.names[0] }));
    const typeLine = [label(d.type)].concat(d.classes.map(label)).join(" · ");
    parts.push(el("div", { class: "kg-type", id: "kg-panel-type" }, icon(d.type), el("span", { text: typeLine }),
                  el("span", { class: "kg-muted", text: ["dj:" + d.type].concat(d.classes.map((c) => "dj:" + c)).join(", ") })));
    parts.push(el("div", { class: "kg-iri", text: id }));

    const facts = el("ul");
    if (d.names.length > 1) facts.append(el("li", { text: "别名：" + d.names.slice(1).join("、") }));
    if (d.code) facts.append(el("li", { text: label("divisionCode") + "：" + d.code }));
    if (d.pseudonym) facts.append(el("li", { text: "化名" }));
    for (const p of d.posts) {
      facts.append(el("li", {}, "职务：" + p.title + (p.label ? " · " : ""), p.label ? nodeLink(p.org, p.label) : null));
    }
    facts.append(el("li", { text: "出现在 " + d.articles.length + " 篇文章" }));
    parts.push(...section("名称与属性", null, facts));

    const groups = new Map();
    for (const r of d.relations) {
      const key = r.rel + "|" + r.dir;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    const rels = el("ul", { id: "kg-panel-relations" });
    for (const [key, items] of groups) {
      const [rel, dir] = key.split("|");
      const head = dir === "out" ? label(rel) + " → " : "← " + label(rel) + "：";
      const li = el("li", { title: dir === "out" ? "本节点 " + label(rel) + " 以下节点" : "以下节点 " + label(rel) + " 本节点" },
                    el("span", { class: "kg-muted", text: head }));
      items.forEach((r, i) => { if (i) li.append("、"); li.append(nodeLink(r.id, r.label)); });
      rels.append(li);
    }
    if (!d.relations.length) rels.append(el("li", { class: "kg-muted", text: "无" }));
    parts.push(...section("关系", d.relations.length, rels));

    const edgeList = el("ul", { id: "kg-panel-evidence" });
    for (const r of d.relations) {
      if (!r.edge) continue;                      // an edge to a node not drawn: its sentences are not in the page
      const head = r.dir === "out" ? d.names[0] + " " + label(r.rel) + " " + r.label : r.label + " " + label(r.rel) + " " + d.names[0];
      edgeList.append(el("li", { "data-edge": r.edge }, el("span", { class: "kg-edge-head", text: head }), evidenceOf(r.edge)));
    }
    if (edgeList.childElementCount) parts.push(...section("关系出处", edgeList.childElementCount, edgeList));

    if (d.statistics.length) {
      const stats = el("ul", { id: "kg-panel-statistics" });
      for (const s of d.statistics) {
        const extra = [s.period, s.qualifier].filter(Boolean).join("，");
        stats.append(el("li", {},
          el("span", { class: "kg-stat-value", text: (s.anchor || s.value + s.unit) }),
          " " + s.measure + (extra ? "（" + extra + "）" : ""),
          el("p", { class: "kg-sentence kg-muted", text: s.sentence }), source(s.article)));
      }
      if (d.statisticsMore) stats.append(more(d.statisticsMore, "条", "statistics_about"));
      parts.push(...section("统计数据", d.statistics.length + d.statisticsMore, stats));
    }

    const sentences = el("ul", { id: "kg-panel-sentences" });
    for (const s of d.sentences) sentences.append(el("li", {}, el("p", { class: "kg-sentence", text: s.text }), source(s.article)));
    if (!d.sentences.length) sentences.append(el("li", { class: "kg-muted", text: "无（来自区划库）" }));
    if (d.sentencesMore) sentences.append(more(d.sentencesMore, "句", "mentions_of"));
    parts.push(...section("出处句子", d.sentences.length + d.sentencesMore, sentences));

    body.append(...parts);
    $("kg-panel").hidden = false;
    $("kg-panel").scrollTop = 0;
  }

  $("kg-panel-close").addEventListener("click", () => clear());

  // ------------------------------------------------------------------ selection

  /* Select a node: show its type if hidden, highlight its neighbourhood, open its
     panel, and with focus=true centre the view on it. */
  function select(id, focus) {
    const d = DATA.details[id];
    if (!d || !nodes.get(id)) return false;
    if (!checkboxes[d.type].checked) { checkboxes[d.type].checked = true; setTypeVisible(d.type, true); }
    api.selected = id;
    network.selectNodes([id]);
    highlight(id);
    renderPanel(id);
    if (focus) {
      // centre it in the part of the canvas that the side panel leaves free
      const offset = { x: -$("kg-panel").offsetWidth / 2, y: 0 };
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: offset,
                          animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
    return true;
  }
  function clear() {
    api.selected = null;
    network.unselectAll();
    highlight(null);
    $("kg-panel").hidden = true;
  }
  network.on("click", (params) => {
    if (params.nodes.length) select(params.nodes[0], false);
    else clear();
  });

  // ------------------------------------------------------------------ search

  const norm = (s) => s.normalize("NFKC").replace(/[\s"'“”‘’《》「」『』]/g, "").toLowerCase();
  const degree = {};
  for (const n of DATA.nodes) degree[n.id] = n.value || 0;
  const index = [];
  for (const [id, d] of Object.entries(DATA.details)) for (const name of d.names) index.push([norm(name), name, id]);

  /* Nodes one of whose names matches: exact first, then prefix, then substring; by degree. */
  function search(query) {
    const q = norm(query || "");
    if (!q) return [];
    const best = new Map();
    for (const [n, name, id] of index) {
      const rank = n === q ? 0 : n.startsWith(q) ? 1 : n.includes(q) ? 2 : -1;
      if (rank < 0) continue;
      const prev = best.get(id);
      if (!prev || rank < prev[0]) best.set(id, [rank, name]);
    }
    return Array.from(best.entries())
      .sort((a, b) => a[1][0] - b[1][0] || degree[b[0]] - degree[a[0]] || (a[0] < b[0] ? -1 : 1))
      .map(([id, [, name]]) => ({ id: id, name: name }));
  }

  const searchInput = $("kg-search");
  const results = $("kg-results");
  function showResults() {
    results.replaceChildren();
    const found = search(searchInput.value);
    for (const r of found.slice(0, 20)) {
      const d = DATA.details[r.id];
      results.append(el("li", {}, el("button", { type: "button", "data-id": r.id, on: { click: () => select(r.id, true) } },
        r.name, el("span", { class: "kg-muted", text: " " + label(d.type) + (r.name !== d.names[0] ? " · " + d.names[0] : "") }))));
    }
    if (searchInput.value.trim() && !found.length) results.append(el("li", { class: "kg-muted", text: "没有找到" }));
    return found;
  }
  searchInput.addEventListener("input", showResults);
  searchInput.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      const found = showResults();
      if (found.length) select(found[0].id, true);
    } else if (ev.key === "Escape") {
      searchInput.value = ""; showResults();
    }
  });
  api.search = (query) => { searchInput.value = query; const found = showResults(); if (found.length) select(found[0].id, true); return found.map((r) => r.id); };

  // ------------------------------------------------------------------ type check boxes

  const idsByType = {};
  for (const n of DATA.nodes) (idsByType[DATA.details[n.id].type] = idsByType[DATA.details[n.id].type] || []).push(n.id);
  const hiddenTypes = new Set();
  const dateHidden = new Set();                  // nodes only articles outside the date range state
  const nodeHidden = (id) => hiddenTypes.has(DATA.details[id].type) || dateHidden.has(id);
  function setTypeVisible(type, visible) {
    if (visible) hiddenTypes.delete(type); else hiddenTypes.add(type);
    nodes.update((idsByType[type] || []).map((id) => ({ id: id, hidden: nodeHidden(id) })));
    if (!visible && api.selected && DATA.details[api.selected].type === type) clear();
    if (api.stabilized) setStatus(countText());
  }

  // ------------------------------------------------------------------ date range

  /* Is there a dated article among these (indexes into DATA.articles) inside [from, to]?
     Undated articles count as inside: the filter cannot place them, so it keeps them.
     No articles at all (a node or edge only the gazetteer gives): kept too. */
  const undated = DATA.articles.filter((a) => !a.issued).length;
  function keptByDates(articles, from, to) {
    if (!articles.length) return true;
    return articles.some((i) => {
      const day = DATA.articles[i].issued;
      return !day || ((!from || day >= from) && (!to || day <= to));
    });
  }
  const dateEdgeHidden = new Set();
  function setDateRange(from, to) {
    from = from || ""; to = to || "";
    dateHidden.clear();
    for (const id of allNodeIds) if (!keptByDates(DATA.details[id].articles, from, to)) dateHidden.add(id);
    const edgeUpdates = [];
    for (const e of DATA.edges) {
      const ev = DATA.evidence[e.id];
      const hide = !keptByDates(ev ? ev.arts : [], from, to);
      if (hide !== dateEdgeHidden.has(e.id)) {
        if (hide) dateEdgeHidden.add(e.id); else dateEdgeHidden.delete(e.id);
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    }
    nodes.update(allNodeIds.map((id) => ({ id: id, hidden: nodeHidden(id) })));
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (api.selected && nodeHidden(api.selected)) clear();
    $("kg-date-note").textContent = (from || to ? "已按日期筛选。" : "")
      + (undated ? undated + " 篇文章无日期，其节点与关系始终显示。" : "");
    if (api.stabilized) setStatus(countText());
    return { nodes: dateHidden.size, edges: dateEdgeHidden.size };
  }
  for (const box of [$("kg-date-from"), $("kg-date-to")]) {
    box.addEventListener("change", () => setDateRange($("kg-date-from").value, $("kg-date-to").value));
  }
  const days = DATA.articles.map((a) => a.issued).filter(Boolean).sort();
  if (days.length) {
    $("kg-date-range").title = "文章日期 " + days[0] + " 至 " + days[days.length - 1];
  } else {
    $("kg-date-from").disabled = $("kg-date-to").disabled = true;
  }
  $("kg-date-note").textContent = days.length ? (undated ? undated + " 篇文章无日期，其节点与关系始终显示。" : "")
                                              : "图中文章均无日期。";
  const checkboxes = {};
  for (const t of DATA.types) {
    const box = el("input", { type: "checkbox", "data-type": t.type });
    box.checked = true;
    box.disabled = t.count === 0;
    box.addEventListener("change", () => setTypeVisible(t.type, box.checked));
    checkboxes[t.type] = box;
    $("kg-types").append(el("li", {}, el("label", { class: t.count ? "" : "kg-empty", title: "dj:" + t.type },
      box, icon(t.type), el("span", { text: t.label }), el("span", { class: "kg-count", text: String(t.count) }))));
  }

  api.select = (id, focus) => select(id, focus !== false);
  api.clear = clear;
  api.setTypeVisible = (type, visible) => { checkboxes[type].checked = visible; setTypeVisible(type, visible); };
  api.setDateRange = (from, to) => {
    $("kg-date-from").value = from || ""; $("kg-date-to").value = to || "";
    return setDateRange(from, to);
  };
  api.visibleNodeCount = () => allNodeIds.filter((id) => !nodeHidden(id)).length;
})();
