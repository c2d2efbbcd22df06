/* The duty-to-warn explorer: draws the graph, filters it, and shows who says what.
 *
 * Text from the data (titles, quotes, names) is untrusted: it only ever reaches the
 * page through textContent or vis-network's canvas, never as HTML. Positions come
 * from Python and physics is off, so the graph is still as soon as it is drawn.
 * The filter rule mirrors kg/html/filters.py (visible); a browser test holds them equal.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var STYLE = DATA.style;
  var EVENT_KINDS = {attack: true, plot: true, policy: true};
  var KIND_ORDER = DATA.kinds;
  var RAW_NODES = window.KG_NODES;
  var RAW_EDGES = window.KG_EDGES;
  var byId = {};
  var idByKey = {};
  var edgeById = {};
  var api = {ready: false, drawnAt: null};
  window.kgExplorer = api;

  RAW_NODES.forEach(function (n) { byId[n.id] = n; idByKey[n.k] = n.id; });
  RAW_EDGES.forEach(function (e) { edgeById[e.id] = e; });

  /* ---------- small helpers ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function typeName(n) { return (STYLE.nodes[n.t] || {name: n.t}).name; }

  function shortDate(x) {
    if (x.d0 === undefined) { return ""; }
    if (x.d0 === x.d1) { return x.d0; }
    if (x.d0 === "") {  // d1 is the last day it allows: it happened before the day after
      var after = new Date(x.d1 + "T00:00:00Z");
      after.setUTCDate(after.getUTCDate() + 1);
      return "before " + after.toISOString().slice(0, 10);
    }
    var a = x.d0.slice(0, 4), b = x.d1.slice(0, 4);
    if (a !== b) { return a + "\u2013" + b; }
    return x.d0.slice(0, 7) === x.d1.slice(0, 7) ? x.d0.slice(0, 7) : a;
  }

  function clip(text, size) {
    return text.length > size ? text.slice(0, size - 1) + "\u2026" : text;
  }

  function edgeKey(e) {
    return (e.ev || e.k) + "|" + byId[e.from].k + ">" + byId[e.to].k + "|" + e.r;
  }

  /* ---------- the network ---------- */

  /* A long label on several lines, broken at spaces: the rule of kg.html.wrap. */
  function wrap(text) {
    var lines = [];
    text.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && lines[last].length + 1 + word.length <= DATA.wrap) { lines[last] += " " + word; }
      else { lines.push(word); }
    });
    return lines.join("\n");
  }

  function nodeItem(n) {
    var s = STYLE.nodes[n.t] || {shape: "dot", color: "#999999", border: "#666666"};
    var tier = DATA.tiers[n.p] || DATA.tiers[2];
    return {
      id: n.id, x: n.x, y: n.y, size: n.size, shape: s.shape,
      font: {size: tier.font, color: tier.color},
      label: wrap(n.h ? n.label + " (+" + n.h + ")" : n.label),
      title: n.label + " \u00b7 " + typeName(n) + (n.h ? " \u00b7 " + n.h + " neighbours not drawn" : ""),
      color: {background: s.color, border: s.border,
              highlight: {background: s.color, border: "#111111"},
              hover: {background: s.color, border: "#111111"}}
    };
  }

  function edgeItem(e) {
    var s = STYLE.edges[e.st] || STYLE.edges.membership;
    var count = e.m ? e.m.length : 1;
    var item = {
      id: e.id, from: e.from, to: e.to, arrows: "to",
      width: count > 1 ? s.width + Math.log(count) / Math.LN2 : s.width,
      dashes: e.ct ? STYLE.edges.contested.dashes : s.dashes || false,
      // Quieter edges that are not warnings; one opacity for all on a big page (mixing
      // them costs a tenth more per redraw there, benchmarks/html_scale.py).
      color: {color: s.color, highlight: s.dark, hover: s.dark,
              opacity: DATA.big ? 0.9 : e.k === "warning" ? 0.95 : 0.6}
    };
    if (!DATA.big) {
      item.label = clip(e.r, 26) + (count > 1 ? " \u00d7" + count : "");
      item.title = byId[e.from].label + " \u2192 " + e.r + " \u2192 " + byId[e.to].label +
        (count > 1 ? " (" + count + " times)" : "") +
        (e.d0 !== undefined ? " \u00b7 " + shortDate(e) : "") + "  (click for sources and words)";
    }
    if (e.bend) { item.smooth = {enabled: true, type: "curvedCW", roundness: e.bend}; }
    return item;
  }

  var nodes = new vis.DataSet(RAW_NODES.map(nodeItem));
  var edges = new vis.DataSet(RAW_EDGES.map(edgeItem));
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, window.KG_OPTIONS);
  api.network = network;
  api.nodes = nodes;
  api.edges = edges;

  network.once("afterDrawing", function () {
    api.drawnAt = performance.now();
    api.ready = true;
    document.documentElement.setAttribute("data-drawn", "true");
  });

  /* ---------- the side panel ---------- */

  var panel = document.getElementById("panel");
  var panelBox = document.getElementById("panel-box");

  /* The panel opens over the graph's right side; what was clicked moves out from under it. */
  function openPanel(position) {
    panelBox.hidden = false;
    if (!position) { return; }
    var dom = network.canvasToDOM(position);
    var free = container.clientWidth - panelBox.offsetWidth - 40;
    if (dom.x > free) {
      var view = network.getViewPosition(), scale = network.getScale();
      network.moveTo({position: {x: view.x + (dom.x - free / 2) / scale, y: view.y},
                      animation: {duration: 250, easingFunction: "easeInOutQuad"}});
    }
  }

  function closePanel() {
    panelBox.hidden = true;
    network.unselectAll();
  }

  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panelBox.hidden && event.target.id !== "search") { closePanel(); }
  });

  function rowsList(rows) {
    var dl = el("dl", "rows");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, row[1]));
    });
    return dl;
  }

  function sourceMeta(id) {
    var s = DATA.sources[id] || {};
    var parts = [id, s.outlet, s.published, s.author, s.derived, s.grade].filter(function (p) {
      return p !== null && p !== undefined && p !== "";
    });
    return {title: s.title || "Untitled source (" + id + ")", meta: parts.join(" \u00b7 "),
            url: s.url};
  }

  function quotesSection(quotes) {
    var box = el("section", "quotes");
    box.appendChild(el("h3", null, "What the sources say, in their words"));
    var order = [], bySource = {};
    quotes.forEach(function (q) {
      if (!bySource[q.source]) { bySource[q.source] = []; order.push(q.source); }
      bySource[q.source].push(q.quote);
    });
    order.forEach(function (id) {
      var meta = sourceMeta(id), card = el("article", "source");
      card.appendChild(el("h4", null, meta.title));
      card.appendChild(el("p", "meta", meta.meta));
      if (meta.url) { card.appendChild(el("p", "url", meta.url)); }
      bySource[id].forEach(function (text) {
        card.appendChild(el("blockquote", null, "\u201c" + text + "\u201d"));
      });
      box.appendChild(card);
    });
    return box;
  }

  function connections(nodeId) {
    var ids = network.getConnectedEdges(nodeId);
    var box = el("section", "connections");
    box.appendChild(el("h3", null, "Connections (" + ids.length + ")"));
    var groups = {}, names = [];
    ids.forEach(function (id) {
      var e = edgeById[id];
      if (!groups[e.r]) { groups[e.r] = []; names.push(e.r); }
      groups[e.r].push(e);
    });
    names.sort(function (a, b) {
      var ka = KIND_ORDER.indexOf(groups[a][0].k), kb = KIND_ORDER.indexOf(groups[b][0].k);
      return ka !== kb ? ka - kb : a.toLowerCase().localeCompare(b.toLowerCase());
    });
    var shown = 0;
    names.forEach(function (name) {
      box.appendChild(el("h4", null, name));
      var list = el("ul", "links");
      groups[name].sort(function (a, b) { return (a.d0 || "").localeCompare(b.d0 || ""); });
      groups[name].forEach(function (e) {
        if (shown >= 300) { return; }
        shown += 1;
        var out = e.from === nodeId, other = byId[out ? e.to : e.from];
        var button = el("button", "link", (out ? "\u2192 " : "\u2190 ") + other.label +
          (e.m ? " \u00d7" + e.m.length : "") +
          (e.d0 !== undefined ? " \u00b7 " + shortDate(e) : "") + (e.s ? "" : " \u00b7 reference"));
        button.type = "button";
        if (edges.get(e.id).hidden) { button.classList.add("filtered"); }
        button.addEventListener("click", function () { selectEdge(e.id); });
        var li = el("li");
        li.appendChild(button);
        list.appendChild(li);
      });
      box.appendChild(list);
    });
    if (ids.length > shown) {
      box.appendChild(el("p", "hint", (ids.length - shown) + " more not listed."));
    }
    return box;
  }

  function iriLine(key) {
    var p = el("p", "iri");
    p.appendChild(el("span", null, "IRI "));
    p.appendChild(el("code", null, key.indexOf(":") < 0 ? DATA.iriBase + key : key));
    return p;
  }

  function showNode(id) {
    var n = byId[id], d = DATA.details[n.k] || {title: n.label, rows: [], quotes: []};
    panel.textContent = "";
    panel.appendChild(el("p", "kind", typeName(n)));
    panel.appendChild(el("h2", null, d.title));
    if (n.h) { panel.appendChild(el("p", "badge", n.h + " neighbours are not drawn (the graph is too big)")); }
    panel.appendChild(rowsList(d.rows));
    panel.appendChild(connections(id));
    if (d.quotes.length) { panel.appendChild(quotesSection(d.quotes)); }
    panel.appendChild(iriLine(n.k));
    panel.scrollTop = 0;
    openPanel(network.getPositions([id])[id]);
    api.shown = {node: n.k};
  }

  function showEdge(id, which) {
    var e = edgeById[id], from = byId[e.from], to = byId[e.to];
    var one = e.m && which !== undefined ? e.m[which] : e;
    var d = one.ev ? DATA.details[one.ev] : null;
    panel.textContent = "";
    var ends = network.getPositions([e.from, e.to]);
    openPanel({x: (ends[e.from].x + ends[e.to].x) / 2, y: (ends[e.from].y + ends[e.to].y) / 2});
    panel.appendChild(el("p", "kind", DATA.kindNames[e.k] || e.k));
    if (e.m && which === undefined) { return showMembers(e); }
    panel.appendChild(el("h2", null, d ? d.title : from.label + " " + e.r + " " + to.label));
    var drawn = el("p", "drawn");
    drawn.appendChild(el("strong", null, from.label + " \u2192 " + e.r + " \u2192 " + to.label));
    drawn.appendChild(el("span", null, one.s ? " \u00b7 stated by " + one.s.join(", ") :
      " \u00b7 reference data (actors.yaml)"));
    panel.appendChild(drawn);
    if (e.m) {
      var back = el("button", "link", "\u2190 all " + e.m.length + " of them");
      back.type = "button";
      back.addEventListener("click", function () { showEdge(id); });
      panel.appendChild(back);
    }
    if (e.st === "recip") {
      panel.appendChild(el("p", "badge recip", "Reciprocated: these two warned each other"));
    } else if (e.st === "recip_state") {
      panel.appendChild(el("p", "badge recip", "Their states warned each other"));
    }
    if (e.ct) {
      panel.appendChild(el("p", "badge contested", "Contested: its sources' values cannot all be true (see Contested)"));
    }
    if (d) {
      panel.appendChild(rowsList(d.rows));
      if (d.quotes.length) { panel.appendChild(quotesSection(d.quotes)); }
      panel.appendChild(iriLine(one.ev));
    }
    panel.scrollTop = 0;
    api.shown = {edge: edgeKey(e), detail: one.ev};
  }

  function showMembers(e) {
    var from = byId[e.from], to = byId[e.to];
    panel.appendChild(el("h2", null, e.m.length + " \u00d7 " + from.label + " \u2192 " + e.r +
      " \u2192 " + to.label));
    panel.appendChild(el("p", "hint", "Drawn as one edge (the graph is big). Each one, with " +
      "its sources and their words:"));
    var list = el("ul", "links");
    e.m.forEach(function (member, i) {
      var d = member.ev ? DATA.details[member.ev] : null;
      var button = el("button", "link", (member.d0 !== undefined ? shortDate(member) + " \u00b7 " : "") +
        (d ? d.title : e.r) + (member.s ? " \u00b7 " + member.s.join(", ") : ""));
      button.type = "button";
      button.addEventListener("click", function () { showEdge(e.id, i); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    panel.appendChild(list);
    panel.scrollTop = 0;
    api.shown = {edge: edgeKey(e)};
  }

  function selectEdge(id) {
    network.setSelection({nodes: [], edges: [id]});
    showEdge(id);
  }

  function selectNode(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1),
                       animation: {duration: 350, easingFunction: "easeInOutQuad"}});
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); } else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  /* ---------- filters (the rule of kg/html/filters.py) ---------- */

  var summary = document.getElementById("summary");
  var baseSummary = summary.textContent;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));
  var sourceSelect = document.getElementById("filter-source");
  var fromInput = document.getElementById("filter-from");
  var toInput = document.getElementById("filter-to");

  function currentFilter() {
    var off = {};
    boxes.forEach(function (b) { if (!b.checked) { off[b.value] = true; } });
    return {off: off, source: sourceSelect.value, from: fromInput.value, to: toInput.value};
  }

  function computeVisible(f) {
    var anyFilter = Boolean(f.source || f.from || f.to || Object.keys(f.off).length);
    function on(kind) { return !f.off[kind]; }
    function inRange(x) {
      if (x.d0 === undefined) { return true; }
      return (!f.to || x.d0 <= f.to) && (!f.from || x.d1 >= f.from);
    }
    function stated(x) { return !f.source || Boolean(x.s && x.s.indexOf(f.source) >= 0); }
    function passes(e) {
      return (e.m || [e]).some(function (x) { return stated(x) && inRange(x); });
    }
    var own = {}, reached = {}, shownNodes = {}, shownEdges = {};
    RAW_NODES.forEach(function (n) {
      if (EVENT_KINDS[n.kd]) { own[n.id] = on(n.kd) && stated(n) && inRange(n); }
      else if (n.kd === "place") { own[n.id] = on("place"); }
    });
    function ownOk(id) { return own[id] === undefined ? true : own[id]; }
    RAW_EDGES.forEach(function (e) {
      if (!e.s) { return; }
      if (on(e.k) && passes(e) && ownOk(e.from) && ownOk(e.to)) {
        shownEdges[e.id] = true;
        reached[e.from] = true;
        reached[e.to] = true;
      }
    });
    RAW_NODES.forEach(function (n) {
      var ok = EVENT_KINDS[n.kd] ? own[n.id] : ownOk(n.id) && (reached[n.id] || !anyFilter);
      if (ok) { shownNodes[n.id] = true; }
    });
    RAW_EDGES.forEach(function (e) {
      if (!e.s && on(e.k) && shownNodes[e.from] && shownNodes[e.to]) { shownEdges[e.id] = true; }
      if (shownEdges[e.id] && !(shownNodes[e.from] && shownNodes[e.to])) { delete shownEdges[e.id]; }
    });
    return {nodes: shownNodes, edges: shownEdges};
  }

  function apply() {
    var shown = computeVisible(currentFilter());
    var nodeChanges = [], edgeChanges = [], nodeCount = 0, edgeCount = 0;
    nodes.forEach(function (item) {
      var hide = !shown.nodes[item.id];
      if (!hide) { nodeCount += 1; }
      if (Boolean(item.hidden) !== hide) { nodeChanges.push({id: item.id, hidden: hide}); }
    });
    edges.forEach(function (item) {
      var hide = !shown.edges[item.id];
      if (!hide) { edgeCount += 1; }
      if (Boolean(item.hidden) !== hide) { edgeChanges.push({id: item.id, hidden: hide}); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    summary.textContent = nodeCount === RAW_NODES.length && edgeCount === RAW_EDGES.length ?
      baseSummary : "Showing " + nodeCount.toLocaleString("en") + " of " +
      RAW_NODES.length.toLocaleString("en") + " nodes, " + edgeCount.toLocaleString("en") +
      " of " + RAW_EDGES.length.toLocaleString("en") + " edges";
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  [sourceSelect, fromInput, toInput].forEach(function (input) {
    input.addEventListener("change", apply);
    input.addEventListener("input", apply);
  });
  document.getElementById("filter-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    sourceSelect.value = "";
    fromInput.value = "";
    toInput.value = "";
    apply();
  });

  /* ---------- search by any name ---------- */

  var ACTOR_TYPES = {State: 0, Agency: 1, Group: 1, Person: 1};
  var index = RAW_NODES.map(function (n) {
    var names = [n.label].concat(n.al || []).concat([n.k.split("/").pop()]);
    return {node: n, names: names, lower: names.map(function (s) { return s.toLowerCase(); })};
  });
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var found = [], active = -1;

  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var hits = [];
    index.forEach(function (entry) {
      var best = null;
      entry.lower.forEach(function (name, i) {
        var score = name === q ? 0 : name.indexOf(q) === 0 ? 1 :
          name.indexOf(" " + q) >= 0 ? 2 : name.indexOf(q) >= 0 ? 3 : null;
        if (score !== null && (best === null || score < best.score)) { best = {score: score, name: entry.names[i]}; }
      });
      if (best) {
        var actor = entry.node.t in ACTOR_TYPES ? 0 : 1;
        hits.push({node: entry.node, name: best.name, rank: [best.score, actor, entry.node.label.toLowerCase()]});
      }
    });
    hits.sort(function (a, b) {
      for (var i = 0; i < 3; i += 1) {
        if (a.rank[i] < b.rank[i]) { return -1; }
        if (a.rank[i] > b.rank[i]) { return 1; }
      }
      return 0;
    });
    return hits.slice(0, 12);
  }

  function choose(hit) {
    results.hidden = true;
    input.value = hit.node.label;
    selectNode(hit.node.id);
  }

  function showResults() {
    results.textContent = "";
    found.forEach(function (hit, i) {
      var li = el("li", i === active ? "active" : null);
      li.setAttribute("role", "option");
      li.appendChild(el("span", "name", hit.node.label));
      if (hit.name !== hit.node.label) { li.appendChild(el("span", "alias", "\u201c" + hit.name + "\u201d")); }
      li.appendChild(el("span", "type", typeName(hit.node)));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit); });
      results.appendChild(li);
    });
    if (!found.length && input.value.trim()) { results.appendChild(el("li", "none", "No actor by that name")); }
    results.hidden = !input.value.trim();
  }

  input.addEventListener("input", function () { found = search(input.value); active = found.length ? 0 : -1; showResults(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (found.length) { active = (active + (event.key === "ArrowDown" ? 1 : found.length - 1)) % found.length; }
      showResults();
    } else if (event.key === "Enter" && found.length) {
      event.preventDefault();
      choose(found[Math.max(active, 0)]);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  /* ---------- for tests and benchmarks ---------- */

  api.search = function (query) { return search(query).map(function (h) { return h.node.k; }); };
  api.nodeId = function (key) { return idByKey[key]; };
  api.selectNode = function (key) { selectNode(idByKey[key]); };
  api.selectEdge = function (key) {
    var e = RAW_EDGES.filter(function (x) { return edgeKey(x) === key; })[0];
    if (e) { selectEdge(e.id); }
    return Boolean(e);
  };
  api.edgeKeys = function () { return RAW_EDGES.map(edgeKey); };
  api.visible = function () {
    return {
      nodes: nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return byId[n.id].k; }),
      edges: edges.get({filter: function (e) { return !e.hidden; }}).map(function (e) { return edgeKey(edgeById[e.id]); })
    };
  };
  api.drawnNodeCount = function () {
    var body = network.body;
    return body.nodeIndices.filter(function (id) { return body.nodes[id] && !body.nodes[id].options.hidden; }).length;
  };
  api.stable = function () { return !network.physics.physicsEnabled || network.physics.stabilized; };
})();
