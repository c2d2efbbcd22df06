"""The HTML explorer: one self-contained page, built with pyvis, that works offline.

:func:`page` turns a dataset into the page; ``kg build`` writes it to
``out/graph.html``, ``kg html`` writes filtered views, and ``kg serve`` shows it at
``/explorer``. The page links nothing outside itself: pyvis's own template links
Bootstrap from a CDN, so the page is rendered by pyvis with kg's template
(``kg/static/explorer.html.j2``) that inlines vis-network from pyvis's package and
kg's script and style. Nodes and edges go straight into the pyvis network's lists
(``add_node``/``add_edge`` check every existing node, which is quadratic), positions are
computed in Python and physics is off, so even 20k nodes draw at once and stay still.

Example:
    >>> from kg.synthetic import synthetic_corpus
    >>> from kg.validate import check_corpus
    >>> from kg.build import build_dataset
    >>> made = explorer(build_dataset(check_corpus(synthetic_corpus(30, seed=1))))
    >>> made.html.startswith("<!DOCTYPE html>"), made.nodes > 0, "https://cdn" in made.html
    (True, True, False)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset

from ..iri import BASE
from .filters import limit, merge_parallel, select
from .layout import positions
from .style import EDGES, NODES, darker, edge_style, legend
from .view import KIND_NAMES, KINDS, View, build_view, key

__all__ = ["DETAIL_LIMIT", "MAX_EDGES", "MAX_NODES", "Explorer", "explorer", "page"]

#: Up to this many nodes, edges carry their labels on the canvas (above, on hover).
DETAIL_LIMIT = 400
#: Labels longer than this many characters are drawn on several lines.
WRAP = 24
#: How each tier of :func:`prominence` is drawn: font size, node size factor, label colour.
TIERS: dict[int, dict[str, Any]] = {1: {"font": 19, "scale": 1.15, "color": "#111820"},
                                    2: {"font": 14, "scale": 0.9, "color": "#2b3540"},
                                    3: {"font": 11, "scale": 0.7, "color": "#7a848f"}}
#: Above this many nodes the page keeps the best-connected ones (see filters.limit).
MAX_NODES = 25_000
#: ... and above this many edges: a redraw costs 20 to 70 microseconds an edge in headless
#: Chromium here (benchmarks/html_scale.py), so up to a second's pause after a pan or zoom.
MAX_EDGES = 30_000
_STATIC = Path(__file__).resolve().parent.parent / "static"
_TITLE = "Duty-to-warn explorer"


@dataclass
class Explorer:
    """A rendered page and what is on it."""

    html: str
    nodes: int
    edges: int
    level: str
    notes: list[str] = field(default_factory=list)


def explorer(dataset: Dataset, *, actor: str | None = None, since: str | None = None,
             until: str | None = None, source: tuple[str, ...] | list[str] | str = (),
             kind: tuple[str, ...] | list[str] | str = (), level: str = "actor",
             max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES) -> Explorer:
    """Render the explorer page for ``dataset``, narrowed by the filters.

    Args:
        dataset: a dataset built by ``kg.load`` (named graph per source + reference).
        actor: keep one actor's world (any alias) and its state's (see :func:`world`):
            their edges and the events they reach.
        since, until: keep dated items overlapping ``YYYY[-MM[-DD]]`` bounds.
        source: keep what these source ids state. kind: keep these kinds (``KINDS``).
        level: ``actor``, or ``state`` to roll agencies and officials up to their state.
        max_nodes, max_edges: above this many nodes or edges, keep the best-connected
            nodes and say so. Above ``DETAIL_LIMIT`` nodes, edges sharing a direction and
            relation are drawn as one, with a count.

    Raises:
        UnknownNameError: an unknown actor, source or kind (with suggestions).
        FilterError: a malformed date, or --since after --until.
    """
    from .. import analysis
    from ..project import project

    if level not in ("actor", "state"):
        raise ValueError("level must be 'actor' or 'state'")
    sources = (source,) if isinstance(source, str) else tuple(source)
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    graph = project(dataset, rollup=level == "state")
    view = build_view(graph, level)
    focus, chosen = None, set()
    if actor is not None:
        node = analysis.resolve(graph, actor)
        focus, chosen = world(graph, node), {key(node)}
    view = select(view, focus=focus, since=since, until=until, sources=sources, kinds=kinds)
    if len(view.nodes) > DETAIL_LIMIT:
        view = merge_parallel(view)
    view = limit(view, max_nodes, max_edges)
    if not view.nodes:
        view.notes.append("Nothing in the graph matches these filters.")
    described = _described(actor, since, until, sources, kinds, level)
    return Explorer(render(view, described, chosen), len(view.nodes), len(view.edges), level,
                    list(view.notes))


def world(graph: Any, node: str) -> set[str]:
    """The view keys of an actor's world: itself, the state it acts for, and that state's
    agencies and officials (``--actor Kremlin`` draws Russia's warnings too).

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> g.add_node("https://w3id.org/duty-to-warn/id/entity/ru", state=None)
        >>> g.add_node("https://w3id.org/duty-to-warn/id/entity/fsb",
        ...            state="https://w3id.org/duty-to-warn/id/entity/ru")
        >>> sorted(world(g, "https://w3id.org/duty-to-warn/id/entity/fsb"))
        ['entity/fsb', 'entity/ru']
    """
    state = graph.nodes[node].get("state") or node
    return {key(node), key(state)} | {key(n) for n, d in graph.nodes(data=True)
                                      if d.get("state") == state}


def page(dataset: Dataset, **filters: Any) -> str:
    """The whole explorer page as a string; ``filters`` as for :func:`explorer`."""
    return explorer(dataset, **filters).html


def _described(actor: str | None, since: str | None, until: str | None,
               sources: tuple[str, ...], kinds: tuple[str, ...], level: str) -> str:
    parts = [f"{level} level"]
    if actor:
        parts.append(f"around {actor}")
    if since or until:
        parts.append(f"dated {since or '…'} to {until or '…'}")
    if sources:
        parts.append("stated by " + ", ".join(sources))
    if kinds:
        parts.append("only " + ", ".join(KINDS[k].lower() for k in kinds))
    return " · ".join(parts)


def _parallel(edges: list[dict[str, Any]]) -> dict[str, float]:
    """Roundness for edges that share a pair of nodes, so each one stays visible."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in edges:
        a, b = sorted((edge["from"], edge["to"]))
        by_pair[(a, b)].append(edge)
    bends: dict[str, float] = {}
    for group in by_pair.values():
        if len(group) < 2:
            continue
        total = Counter((edge["from"], edge["to"]) for edge in group)
        seen: Counter[tuple[str, str]] = Counter()
        for edge in group:  # b -> a bends to the other side of a -> b: both stay visible
            direction = (edge["from"], edge["to"])
            share = seen[direction] / max(1, total[direction] - 1)
            bends[edge["key"]] = round(0.15 + 0.45 * share, 3)
            seen[direction] += 1
    return bends


def render(view: View, described: str = "", chosen: set[str] | frozenset[str] = frozenset()
           ) -> str:
    """The page for a view: pyvis's network, kg's template, nothing linked.

    ``chosen`` node keys (the ``--actor``) are drawn as prominently as the warners.
    """
    big = len(view.nodes) > DETAIL_LIMIT
    nodes = node_items(view, chosen, big)
    edges = edge_items(view, {n["k"]: n["id"] for n in nodes})
    return _pyvis_page(nodes, edges, _options(big), _page_data(view, described, edges, big))


def node_items(view: View, chosen: set[str] | frozenset[str] = frozenset(),
               big: bool = False) -> list[dict[str, Any]]:
    """The page's nodes: ids in view order, positions, sizes by tier and degree.

    Example:
        >>> view = View("actor", [{"key": "a", "label": "A", "type": "State", "sources": ["s"],
        ...     "aliases": [], "kind": None, "d0": None, "d1": None}], [], {}, {})
        >>> [(n["id"], n["k"], n["p"]) for n in node_items(view)]
        [(0, 'a', 3)]
    """
    tiers = {k: 1 if k in chosen else tier for k, tier in prominence(view).items()}
    sizes = _sizes(view, tiers)
    fonts = {n["key"]: TIERS[tiers[n["key"]]]["font"] for n in view.nodes}
    boxes = None if big else {n["key"]: _box(n["label"], sizes[n["key"]], fonts[n["key"]])
                              for n in view.nodes}
    ids = {n["key"]: i for i, n in enumerate(view.nodes)}
    pos = positions(list(ids), [(e["from"], e["to"]) for e in view.edges],
                    spacing=45.0 if big else 40.0, boxes=boxes)
    items = []
    for n in view.nodes:
        x, y = pos[n["key"]]
        if boxes:  # the layout placed the box of node and label; the node is at its top
            y -= round(_below(n["label"], fonts[n["key"]]) / 2)
        item = {"id": ids[n["key"]], "k": n["key"], "label": n["label"], "t": n["type"],
                "x": x, "y": y, "size": sizes[n["key"]], "p": tiers[n["key"]]}
        item.update(_present(n, (("kind", "kd"), ("d0", "d0"), ("d1", "d1"), ("hidden", "h"))))
        if n["sources"]:
            item["s"] = n["sources"]
        if n["aliases"]:
            item["al"] = n["aliases"]
        items.append(item)
    return items


def _sizes(view: View, tiers: dict[str, int]) -> dict[str, float]:
    """Each node's size: its type's, grown with its degree, scaled by its tier."""
    degree: Counter[str] = Counter()
    for edge in view.edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    sizes = {n["key"]: TIERS[tiers[n["key"]]]["scale"] * (NODES[n["type"]]["size"] + round(
        min(12.0, 1.6 * math.sqrt(degree[n["key"]])))) for n in view.nodes}
    return {k: round(v, 1) for k, v in sizes.items()}


def edge_items(view: View, ids: dict[str, int]) -> list[dict[str, Any]]:
    """The page's edges, their ends as node ids (``ids``: node key -> id), with their style.

    Example:
        >>> edge = {"key": "w1", "from": "a", "to": "b", "kind": "warning", "rel": "warned",
        ...         "sources": ["s"], "detail": "w1", "d0": "2024-03-07", "d1": "2024-03-07"}
        >>> [(e["from"], e["to"], e["st"], e["ev"]) for e in edge_items(
        ...     View("actor", [], [edge], {}, {}), {"a": 0, "b": 1})]
        [(0, 1, 'warning', 'w1')]
    """
    bends = _parallel(view.edges)
    items = []
    for i, e in enumerate(view.edges):
        item = {"id": i, "from": ids[e["from"]], "to": ids[e["to"]], "arrows": "to",
                "k": e["kind"], "r": e["rel"], "st": edge_style(e)}
        item.update(_present(e, (("detail", "ev"), ("d0", "d0"), ("d1", "d1"))))
        if e["sources"]:
            item["s"] = e["sources"]
        if e["key"] in bends:
            item["bend"] = bends[e["key"]]
        if e.get("contested"):
            item["ct"] = True
        if e.get("members"):
            item["m"] = [_present(m, (("detail", "ev"), ("sources", "s"), ("d0", "d0"),
                                      ("d1", "d1"))) for m in e["members"]]
        items.append(item)
    return items


def _present(item: dict[str, Any], names: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """``item``'s values that are not None, under their short names on the page."""
    return {short: item[name] for name, short in names if item.get(name) is not None}


def _page_data(view: View, described: str, edges: list[dict[str, Any]], big: bool
               ) -> dict[str, Any]:
    """What kg's template shows besides the network: summary, filters, legend, details."""
    from markupsafe import Markup

    sources = _used_sources(view)
    return {
        "summary": f"{len(view.nodes):,} nodes · {len(view.edges):,} edges · {described}",
        "notes": view.notes,
        "kinds": [(k, label) for k, label in KINDS.items()
                  if any(x.get("kind") == k for x in (*view.nodes, *view.edges))],
        "sources": sorted(sources.items(), key=lambda kv: ((kv[1]["title"] or kv[0]).lower())),
        "dates": _date_range(view),
        "legend": Markup(_legend(view, edges)),
        "css": Markup(_asset("explorer.css")), "js": Markup(_asset("explorer.js")),
        "data": {"details": view.details, "sources": sources, "level": view.level,
                 "big": big, "iriBase": BASE + "id/",
                 "kinds": list(KINDS), "kindNames": KIND_NAMES, "wrap": WRAP,
                 "tiers": TIERS,
                 "style": {"nodes": {k: {**v, "border": darker(v["color"])}
                                     for k, v in NODES.items()},
                           "edges": {k: {**v, "dark": darker(v["color"], 0.6)}
                                     for k, v in EDGES.items()}}},
    }


def _used_sources(view: View) -> dict[str, dict[str, Any]]:
    """The sources the view's items and quotes cite, with what is known of them."""
    used = {s for item in (*view.nodes, *view.edges) for s in item["sources"]} \
        | {q["source"] for d in view.details.values() for q in d["quotes"]}
    return {s: view.sources.get(s, {"title": None}) for s in sorted(used)}


def _date_range(view: View) -> tuple[str, str]:
    """The first and last day any item of the view is dated ('' when none is)."""
    days = sorted(d for item in (*view.nodes, *view.edges) for d in (item["d0"], item["d1"])
                  if d)
    return (days[0], days[-1]) if days else ("", "")


def _legend(view: View, edges: list[dict[str, Any]]) -> str:
    """The legend of the node types and edge styles on the page, in their fixed order."""
    node_types = {n["type"] for n in view.nodes}
    edge_styles = {item["st"] for item in edges} | (
        {"contested"} if any(item.get("ct") for item in edges) else set())
    return legend([t for t in NODES if t in node_types], [s for s in EDGES if s in edge_styles])


def _pyvis_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                options: dict[str, Any], data: dict[str, Any]) -> str:
    """pyvis renders the page: the one place that reaches into its network's internals.

    Nodes and edges go straight into its lists (``add_node``/``add_edge`` check every
    existing node, which is quadratic), and its template environment is swapped for one
    that finds kg's template first, so nothing is linked from a CDN.
    """
    from jinja2 import Environment, FileSystemLoader
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, heading=_TITLE,
                  cdn_resources="in_line")
    pyvis_templates = net.template_dir
    net.path = "explorer.html.j2"
    net.templateEnv = Environment(loader=FileSystemLoader([str(_STATIC), pyvis_templates]),
                                  autoescape=True)
    net.nodes.extend(nodes)
    net.node_ids = [item["id"] for item in nodes]
    net.node_map = {item["id"]: item for item in nodes}
    net.edges.extend(edges)
    net.options = options
    net.templateEnv.globals["kg"] = data
    return net.generate_html(name="graph.html")


def prominence(view: View) -> dict[str, int]:
    """Each node's tier: 1 warned or was warned, 2 in a sourced fact, 3 the rest (quiet).

    The page draws tier 1 biggest and darkest, tier 3 small and grey, so the warnings
    are what a reader sees first.
    """
    tiers = {n["key"]: 3 for n in view.nodes}
    for edge in view.edges:
        if not edge["sources"]:
            continue
        for end in (edge["from"], edge["to"]):
            tiers[end] = min(tiers[end], 2)
    for edge in view.edges:
        if edge["kind"] == "warning" and edge["rel"] == "warned":
            tiers[edge["from"]] = tiers[edge["to"]] = 1
    for n in view.nodes:
        if n["type"] == "Place":
            tiers[n["key"]] = 3
    return tiers


def wrap(label: str, width: int = WRAP) -> list[str]:
    """A long label in lines of about ``width`` characters, broken at spaces.

    explorer.js wraps the same way, so the layout knows how much room each label takes.

    Example:
        >>> wrap("Russian payments to Taliban elements to kill US troops")
        ['Russian payments to', 'Taliban elements to kill', 'US troops']
    """
    lines: list[str] = []
    for word in label.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _box(label: str, size: float, font: float) -> tuple[float, float]:
    """A node's width and height with its label below it, in pixels (roughly)."""
    lines = wrap(label)
    return (max(2 * size, 0.58 * font * max(len(line) for line in lines)),
            2 * size + _below(label, font))


def _below(label: str, font: float) -> float:
    """How far the label reaches below the node's shape (vis-network draws it there)."""
    return 1.2 * font * len(wrap(label)) + 6


def _asset(name: str) -> str:
    text = (_STATIC / name).read_text(encoding="utf-8")
    if "</" in text:
        raise RuntimeError(f"kg/static/{name} must not contain '</' (it is inlined)")
    return text


def _options(big: bool) -> dict[str, Any]:
    """vis-network options: physics off (positions are given), quiet interaction."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not big, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False},
        "nodes": {"borderWidth": 1.5, "scaling": {"label": {"drawThreshold": 8, "maxVisible": 26}},
                  "font": {
            "size": 14, "face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "color": "#1d2733", "strokeWidth": 4, "strokeColor": "#ffffff"}},
        # Edge labels ("warned", "part of") show once zoomed in past 1.2: at the first
        # view the colours say it, and the labels would cover the names.
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5,
                  "scaling": {"label": {"drawThreshold": 12, "maxVisible": 20}},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
                  "font": {"size": 10, "color": "#4a5561", "strokeWidth": 3,
                           "strokeColor": "#ffffff", "align": "middle"}},
    }
