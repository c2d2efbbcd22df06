"""Narrowing a view: by actor, date, source and kind, and degrading above a size.

:func:`visible` is the rule the page's own filters follow too (``explorer.js``
repeats it in the browser, and a browser test checks that both agree):

- an attack, plot or policy node shows if its kind is on and, under a source or date
  filter, one of the chosen sources reports it and one of its dates falls in range;
- an edge stated by sources shows if its kind is on, a chosen source states it, a date
  of it falls in range (undated edges are kept), and its event endpoints show;
- an actor or place shows if one of its sourced edges shows, or, when no filter is on
  at all, always; reference edges (part of, place within place) show between shown nodes.

Example:
    >>> from kg.html.view import View
    >>> n = lambda k, kind=None: {"key": k, "kind": kind, "sources": [], "d0": None, "d1": None}
    >>> e = lambda a, b, kind, s, d: {"key": a + b, "from": a, "to": b, "kind": kind,
    ...                               "sources": s, "d0": d, "d1": d}
    >>> view = View("actor", [n("a"), n("b"), n("c")], [e("a", "b", "warning", ["x"], "2024-03-07"),
    ...             e("b", "c", "sharing", ["y"], "2011-05-01")], {}, {})
    >>> sorted(visible(view, kinds={"warning"})[0])
    ['a', 'b']
    >>> sorted(visible(view, since="2020-01-01")[1])
    ['ab']
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..errors import FilterError, UnknownNameError
from ..records import DateValue
from .view import EVENT_NODE_KINDS, KINDS, View, span


def date_bound(text: str | None, end: bool, option: str) -> str | None:
    """``2024``, ``2024-03`` or ``2024-03-07`` as the first (or last) day it allows."""
    if text is None:
        return None
    try:
        date = DateValue.parse(str(text))
    except ValueError as exc:
        raise FilterError(f"{option} {text!r}: {exc}; give YYYY, YYYY-MM or YYYY-MM-DD") \
            from None
    low, high = span([date])
    return high if end else low


def visible(view: View, kinds: set[str] | None = None, sources: set[str] | None = None,
            since: str | None = None, until: str | None = None) -> tuple[set[str], set[str]]:
    """Keys of the nodes and edges that show under these filters (ISO day bounds)."""
    kinds = set(KINDS) if kinds is None else kinds
    passes = _Passes(sources or set(), since, until)
    any_filter = bool(sources or since or until or not set(KINDS) <= kinds)
    own = _own(view, kinds, passes)
    sourced = _sourced_edges(view, kinds, passes, own)
    nodes = _shown_nodes(view, own, {k for e in sourced for k in (e["from"], e["to"])},
                         any_filter)
    edges = {e["key"] for e in sourced} | _reference_edges(view, kinds, nodes)
    return nodes, {e["key"] for e in view.edges if e["key"] in edges
                   and e["from"] in nodes and e["to"] in nodes}


def _sourced_edges(view: View, kinds: set[str], passes: _Passes, own: dict[str, bool]
                   ) -> list[dict[str, Any]]:
    """Edges stated by sources that pass, and whose event or place ends pass on their own."""
    return [e for e in view.edges if e["sources"] and e["kind"] in kinds and passes.edge(e)
            and own.get(e["from"], True) and own.get(e["to"], True)]


def _shown_nodes(view: View, own: dict[str, bool], reached: set[str], any_filter: bool
                 ) -> set[str]:
    """Events that pass; actors and places reached by a shown edge (all, when no filter)."""
    shown = set()
    for node in view.nodes:
        k = node["key"]
        if node["kind"] in EVENT_NODE_KINDS.values():
            ok = own[k]
        else:
            ok = own.get(k, True) and (k in reached or not any_filter)
        if ok:
            shown.add(k)
    return shown


def _reference_edges(view: View, kinds: set[str], nodes: set[str]) -> set[str]:
    """Reference edges (no source: part of, place within place) between shown nodes."""
    return {e["key"] for e in view.edges if not e["sources"] and e["kind"] in kinds
            and e["from"] in nodes and e["to"] in nodes}


@dataclass(frozen=True)
class _Passes:
    """Whether an item passes the source and date filters (undated items always do)."""

    sources: set[str]
    since: str | None
    until: str | None

    def in_range(self, item: dict[str, Any]) -> bool:
        if item["d0"] is None:
            return True
        return (self.until is None or item["d0"] <= self.until) and \
            (self.since is None or item["d1"] >= self.since)

    def stated(self, item: dict[str, Any]) -> bool:
        return not self.sources or bool(self.sources & set(item["sources"]))

    def item(self, item: dict[str, Any]) -> bool:
        return self.stated(item) and self.in_range(item)

    def edge(self, edge: dict[str, Any]) -> bool:
        """A merged edge passes when one of the edges it stands for does."""
        return any(self.item(m) for m in edge.get("members") or [edge])


def _own(view: View, kinds: set[str], passes: _Passes) -> dict[str, bool]:
    """Whether each event and place node passes on its own (actors depend on their edges)."""
    own: dict[str, bool] = {}
    for node in view.nodes:
        if node["kind"] in EVENT_NODE_KINDS.values():
            own[node["key"]] = node["kind"] in kinds and passes.item(node)
        elif node["kind"] == "place":
            own[node["key"]] = "place" in kinds
    return own


def select(view: View, *, focus: set[str] | None = None, since: str | None = None,
           until: str | None = None, sources: tuple[str, ...] = (),
           kinds: tuple[str, ...] = ()) -> View:
    """The part of ``view`` these filters keep (``focus``: node keys of one actor's world).

    Raises UnknownNameError for an unknown source or kind, FilterError for bad dates.
    """
    for kind in kinds:
        if kind not in KINDS:
            raise UnknownNameError("kind", kind, KINDS)
    for source in sources:
        if source not in view.sources:
            raise UnknownNameError("source", source, view.sources)
    low, high = date_bound(since, False, "--since"), date_bound(until, True, "--until")
    if low and high and low > high:
        raise FilterError(f"--since {since} is after --until {until}: nothing could match")
    nodes, edges = view.nodes, view.edges
    if focus is not None:
        nodes, edges = _neighbourhood(view, focus)
    part = View(view.level, nodes, edges, view.details, view.sources, list(view.notes))
    keep_nodes, keep_edges = visible(part, set(kinds) if kinds else None, set(sources),
                                     low, high)
    return _pruned(part, keep_nodes, keep_edges)


def _neighbourhood(view: View, focus: set[str]) -> tuple[list[dict], list[dict]]:
    """Edges touching ``focus``, those of the same events (what a warning was of), and the
    edges of the events they reach."""
    events = {n["key"] for n in view.nodes if n["kind"] in EVENT_NODE_KINDS.values()}
    edges = [e for e in view.edges if _touches(e, focus)]
    same = {e["detail"] for e in edges if e["detail"]}
    edges += [e for e in view.edges if e["detail"] in same and not _touches(e, focus)]
    touched = {k for e in edges for k in (e["from"], e["to"])} & events
    taken = {e["key"] for e in edges}
    edges += [e for e in view.edges if _touches(e, touched) and e["key"] not in taken]
    keys = focus | {k for e in edges for k in (e["from"], e["to"])}
    return [n for n in view.nodes if n["key"] in keys], sorted(edges, key=lambda e: e["key"])


def _touches(edge: dict[str, Any], keys: set[str]) -> bool:
    return edge["from"] in keys or edge["to"] in keys


def _pruned(view: View, nodes: set[str], edges: set[str]) -> View:
    kept_nodes = [n for n in view.nodes if n["key"] in nodes]
    kept_edges = [e for e in view.edges if e["key"] in edges]
    wanted = {n["key"] for n in kept_nodes} | {e["detail"] for e in kept_edges if e["detail"]} \
        | {m["detail"] for e in kept_edges for m in e.get("members", ()) if m["detail"]}
    details = {k: v for k, v in view.details.items() if k in wanted}
    return View(view.level, kept_nodes, kept_edges, details, view.sources, list(view.notes))


def merge_parallel(view: View) -> View:
    """One edge for each (from, to, relation) that several edges share, counting them.

    Above a few hundred nodes, twenty warnings from one actor to another drawn as twenty
    curves are a smear; one edge with a count, whose panel lists each warning with its
    words, says the same. Direction is kept, so a warning back is still its own edge.
    """
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in view.edges:
        groups[(edge["from"], edge["to"], edge["kind"], edge["rel"])].append(edge)
    edges = []
    for (a, b, kind, rel), group in groups.items():
        if len(group) == 1:
            edges.append(group[0])
            continue
        lows = [e["d0"] for e in group if e["d0"] is not None]
        highs = [e["d1"] for e in group if e["d1"] is not None]
        edges.append({
            "key": f"{kind}|{a}>{b}|{rel}", "from": a, "to": b, "kind": kind, "rel": rel,
            "sources": sorted({s for e in group for s in e["sources"]}), "detail": None,
            "d0": min(lows) if lows else None, "d1": max(highs) if highs else None,
            "recip": max(e.get("recip", 0) for e in group),
            "contested": any(e.get("contested") for e in group),
            "members": [{"detail": e["detail"], "sources": e["sources"], "d0": e["d0"],
                         "d1": e["d1"]} for e in sorted(group, key=lambda e: (
                             e["d0"] or "", e["detail"] or ""))]})
    return View(view.level, view.nodes, sorted(edges, key=lambda e: e["key"]), view.details,
                view.sources, list(view.notes))


def limit(view: View, max_nodes: int, max_edges: int | None = None) -> View:
    """Above ``max_nodes`` (or ``max_edges``), keep the best-connected nodes and say so.

    Each kept node records in ``hidden`` how many neighbours were dropped, so the page
    shows ``Russia (+12)`` instead of pretending the rest is not there.
    """
    max_edges = max_edges if max_edges is not None else len(view.edges)
    if len(view.nodes) <= max_nodes and len(view.edges) <= max_edges:
        return view
    keep = _best_connected(view, max_nodes, max_edges)
    hidden: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        a, b = edge["from"], edge["to"]
        if (a in keep) != (b in keep):
            hidden[a if a in keep else b].add(b if a in keep else a)
    out = _pruned(view, keep, {e["key"] for e in view.edges
                               if e["from"] in keep and e["to"] in keep})
    out.nodes = [{**n, "hidden": len(hidden[n["key"]])} if hidden.get(n["key"]) else n
                 for n in out.nodes]
    out.notes.append(
        f"This graph has {len(view.nodes):,} nodes and {len(view.edges):,} edges, more than "
        f"a page can draw and stay usable; showing the {len(out.nodes):,} best-connected "
        f"nodes and the {len(out.edges):,} edges between them. A number in brackets counts "
        "the neighbours left out. Narrow it with kg html --actor, --since, --until, --source "
        "or --kind.")
    return out


def _best_connected(view: View, max_nodes: int, max_edges: int) -> set[str]:
    """The most-connected nodes (ties by key), as many as fit both limits: fewer than
    ``max_nodes`` until the edges between them are at most ``max_edges``."""
    degree: dict[str, int] = defaultdict(int)
    for edge in view.edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    ranked = [n["key"] for n in sorted(view.nodes, key=lambda n: (-degree[n["key"]], n["key"]))]
    size = min(max_nodes, len(ranked))
    while True:
        keep = set(ranked[:size])
        inside = sum(1 for e in view.edges if e["from"] in keep and e["to"] in keep)
        if inside <= max_edges or size <= 1:
            return keep
        size = max(1, min(size - 1, int(size * math.sqrt(max_edges / inside) * 0.98)))
