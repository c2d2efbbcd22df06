"""Node positions computed in Python, so the browser draws at once and nothing moves.

vis-network's physics does not settle on big graphs (1k nodes took minutes, 5k never
did), so the page always gets fixed ``x, y`` and physics stays off. Each connected
component is laid out on its own and the components are packed in shelves, biggest
first, the small ones beside and below the biggest so the whole fills a wide screen. A
component of at most :data:`CORE` nodes gets networkx's ForceAtlas2 layout (which keeps
nodes from overlapping); a bigger one gets it for its :data:`CORE` best-connected
nodes, and every other node is placed in a sunflower spiral around its
least-connected neighbour already placed (the most specific one), level by level
outwards: linear time, so 20k nodes take seconds instead of the force layout's
quadratic hours.

Example:
    >>> pos = positions(["a", "b", "c", "d", "e"], [("a", "b"), ("b", "c")], spacing=100)
    >>> sorted(pos) == ["a", "b", "c", "d", "e"]
    True
    >>> all(isinstance(v, int) for p in pos.values() for v in p)
    True
    >>> len(set(pos.values())) == 5
    True
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

#: Largest set of nodes given to the force layout (networkx's dense solver: no scipy).
CORE = 400
#: Width over height of the area the layout aims to fill (a landscape screen).
ASPECT = 1.5
#: :func:`spread` pushes overlapping labels sideways unless that is this many times the
#: push up or down: labels are wider than tall, and screens are too.
WIDE = 1.6
_GOLDEN = math.pi * (3 - math.sqrt(5))


def positions(nodes: list[str], edges: list[tuple[str, str]], spacing: float = 120.0,
              seed: int = 7, boxes: dict[str, tuple[float, float]] | None = None
              ) -> dict[str, tuple[int, int]]:
    """Integer pixel positions for ``nodes``, about ``spacing`` pixels apart; deterministic.

    ``boxes`` gives each node's width and height with its label, in pixels: nodes of
    components laid out by force are then pushed apart until no two boxes overlap.
    """
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted((a, b) for a, b in edges if a != b))
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    parallel: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in edges:
        if a != b:
            parallel[(min(a, b), max(a, b))] += 1
    apart = {pair: spacing * (0.6 + 0.5 * m) for pair, m in parallel.items() if m > 1}
    laid_out = []
    for component in components:
        part = _component(_induced(graph, component), spacing, seed)
        if boxes and 1 < len(part) <= CORE:
            part = spread(part, boxes, apart={p: d for p, d in apart.items() if p[0] in part},
                          wide=WIDE)
        laid_out.append(part)
    return _pack(laid_out, spacing, boxes or {})


def spread(pos: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]],
           gap: float = 6.0, rounds: int = 400,
           apart: dict[tuple[str, str], float] | None = None,
           wide: float = 1.0) -> dict[str, tuple[float, float]]:
    """Push overlapping boxes apart, each time along the axis that needs less of a push.

    ``apart`` asks some pairs to stay at least that far apart (nodes joined by several
    edges, so that the curves between them have room). ``wide`` above 1 prefers pushes
    along x (wide labels would otherwise stack up into a tall, narrow drawing).

    Example:
        >>> moved = spread({"a": (0, 0), "b": (1, 0)}, {"a": (10, 10), "b": (10, 10)})
        >>> abs(moved["a"][0] - moved["b"][0]) >= 10
        True
    """
    import numpy as np

    keys = sorted(pos)
    xy = np.array([pos[k] for k in keys], dtype=float)
    size = np.array([boxes[k] for k in keys], dtype=float) + gap
    order = np.sign(np.subtract.outer(np.arange(len(keys)), np.arange(len(keys))))
    index = {k: i for i, k in enumerate(keys)}
    pairs = sorted((index[a], index[b], d) for (a, b), d in (apart or {}).items()
                   if a in index and b in index)
    first = np.array([p[0] for p in pairs], dtype=int)
    second = np.array([p[1] for p in pairs], dtype=int)
    wanted = np.array([p[2] for p in pairs], dtype=float)
    for _ in range(rounds):
        moved = False
        if pairs:
            line = xy[first] - xy[second]
            length = np.maximum(np.hypot(line[:, 0], line[:, 1]), 1e-6)
            short = np.maximum(wanted - length, 0)[:, None] * line / length[:, None] / 2
            if short.any():
                moved = True
                np.add.at(xy, first, short * 0.5)
                np.add.at(xy, second, -short * 0.5)
        delta = xy[:, None, :] - xy[None, :, :]
        overlap = (size[:, None, :] + size[None, :, :]) / 2 - np.abs(delta)
        hit = (overlap[..., 0] > 0) & (overlap[..., 1] > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            if moved:
                continue
            break
        along_x = overlap[..., 0] <= overlap[..., 1] * wide
        direction = np.where(delta == 0, order[..., None], np.sign(delta))
        push = np.zeros_like(delta)
        push[..., 0] = np.where(hit & along_x, direction[..., 0] * overlap[..., 0], 0)
        push[..., 1] = np.where(hit & ~along_x, direction[..., 1] * overlap[..., 1], 0)
        xy += push.sum(axis=1) * 0.25
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


def _component(graph: nx.Graph, spacing: float, seed: int) -> dict[str, tuple[float, float]]:
    n = len(graph)
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    side = spacing * math.sqrt(n)
    if n <= CORE:
        return _scaled(_force(graph, seed), side)
    degree = dict(graph.degree())
    core = sorted(graph, key=lambda v: (-degree[v], v))[:CORE]
    placed = _scaled(_force(_induced(graph, core), seed), side)
    children: dict[str, int] = defaultdict(int)
    frontier = sorted(core)
    while frontier:
        parents: dict[str, str] = {}
        for u in frontier:
            for v in graph[u]:
                if v not in placed and (v not in parents or
                                        (degree[u], u) < (degree[parents[v]], parents[v])):
                    parents[v] = u
        for v in sorted(parents):
            parent = parents[v]
            children[parent] += 1
            i = children[parent]
            radius = spacing * (0.8 + 0.55 * math.sqrt(i))
            x, y = placed[parent]
            placed[v] = (x + radius * math.cos(i * _GOLDEN), y + radius * math.sin(i * _GOLDEN))
        frontier = sorted(parents)
    return placed


def _induced(graph: nx.Graph, nodes: set[str] | list[str]) -> nx.Graph:
    """The subgraph on ``nodes``, built in sorted order.

    networkx's subgraph views iterate in set order, which changes with the hash seed;
    the layouts depend on node order, and the page must be the same bytes every run.
    """
    keep = set(nodes)
    sub: nx.Graph = nx.Graph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from(sorted(tuple(sorted((a, b))) for a, b in graph.edges(keep)
                              if a in keep and b in keep))
    return sub


def _force(graph: nx.Graph, seed: int) -> dict:
    """ForceAtlas2 positions (networkx); the spring layout for two nodes."""
    if len(graph) < 3:
        return nx.spring_layout(graph, seed=seed)
    return nx.forceatlas2_layout(graph, seed=seed, max_iter=300, scaling_ratio=2.0,
                                 gravity=1.0, node_size={v: 1.0 for v in graph})


def _scaled(pos: dict, side: float) -> dict[str, tuple[float, float]]:
    """Positions to a ``side``-pixel area of :data:`ASPECT` (all but 5% outliers), centred."""
    xs = sorted(float(p[0]) for p in pos.values())
    ys = sorted(float(p[1]) for p in pos.values())
    cut = len(xs) // 20  # a few outliers should not squeeze everything else together
    cx, cy = (xs[-1 - cut] + xs[cut]) / 2, (ys[-1 - cut] + ys[cut]) / 2
    reach = max(xs[-1 - cut] - xs[cut], ys[-1 - cut] - ys[cut], 1e-9) / 2
    sx, sy = side * math.sqrt(ASPECT) / 2 / reach, side / math.sqrt(ASPECT) / 2 / reach
    return {v: ((float(p[0]) - cx) * sx, (float(p[1]) - cy) * sy) for v, p in pos.items()}


def _pack(parts: list[dict[str, tuple[float, float]]], spacing: float,
          boxes: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    """Shelf-pack components: the biggest top left, the rest in rows beside it, then below."""
    out: dict[str, tuple[int, int]] = {}
    if not parts:
        return out
    bounds = []
    for part in parts:
        half = {k: (boxes.get(k, (0.0, 0.0))[0] / 2, boxes.get(k, (0.0, 0.0))[1] / 2)
                for k in part}
        x0 = min(p[0] - half[k][0] for k, p in part.items())
        y0 = min(p[1] - half[k][1] for k, p in part.items())
        x1 = max(p[0] + half[k][0] for k, p in part.items())
        y1 = max(p[1] + half[k][1] for k, p in part.items())
        bounds.append((x0, y0, x1 - x0, y1 - y0))
    area = sum((w + spacing) * (h + spacing) for _, _, w, h in bounds)
    main_w, main_h = bounds[0][2] + spacing, bounds[0][3] + spacing
    widest = max((w + spacing for _, _, w, _ in bounds[1:]), default=0.0)
    width = max(main_w + widest, math.sqrt(area * ASPECT))
    for node, (px, py) in parts[0].items():
        out[node] = (round(px - bounds[0][0]), round(py - bounds[0][1]))
    left = main_w  # the rest go beside the biggest component, then below it
    x, y, row = left, 0.0, 0.0
    for part, (x0, y0, w, h) in zip(parts[1:], bounds[1:], strict=True):
        if x > left and x + w > width:
            x, y, row = left, y + row + spacing, 0.0
            if left and y >= main_h:
                x = left = 0.0
        for node, (px, py) in part.items():
            out[node] = (round(px - x0 + x), round(py - y0 + y))
        x += w + spacing
        row = max(row, h)
    return out
