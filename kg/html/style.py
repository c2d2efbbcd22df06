"""How the explorer looks: one table of node and edge styles, and the legend drawn from it.

The page's script styles every node and edge from :data:`NODES` and :data:`EDGES`,
and the legend is made from the same tables, so the two cannot drift apart.
Colours follow the Okabe-Ito palette, which colour-blind readers can tell apart;
shape repeats the type so colour is never the only cue.

Example:
    >>> NODES["State"]["shape"], FAMILIES[EDGES["recip_state"]["family"]]
    ('hexagon', 'warned, and was warned back (by it or its state)')
    >>> "<svg" in legend(["State"], ["warning"])
    True
"""

from __future__ import annotations

import math
from html import escape

NODES: dict[str, dict] = {
    "State": {"shape": "hexagon", "color": "#0072B2", "size": 22, "font": 18, "name": "State"},
    "Agency": {"shape": "square", "color": "#56B4E9", "size": 13, "font": 14, "name": "Agency"},
    "Person": {"shape": "dot", "color": "#009E73", "size": 10, "font": 14, "name": "Person"},
    "Group": {"shape": "triangle", "color": "#CC79A7", "size": 15, "font": 15, "name": "Group"},
    "Place": {"shape": "dot", "color": "#B8B8B8", "size": 7, "font": 13, "name": "Place"},
    "Attack": {"shape": "star", "color": "#D55E00", "size": 17, "font": 15, "name": "Attack"},
    "Plot": {"shape": "diamond", "color": "#E69F00", "size": 14, "font": 14, "name": "Plot"},
    "Policy": {"shape": "triangleDown", "color": "#F0E442", "size": 13, "font": 13,
               "name": "Policy"},
}
#: Edge styles. Several styles share a ``family``: the legend shows one line per family
#: (seven, each a clearly different colour or dash), not one per style.
EDGES: dict[str, dict] = {
    "warning": {"color": "#D55E00", "width": 3, "family": "warned"},
    "contested": {"color": "#D55E00", "width": 3, "dashes": [10, 6], "family": "contested"},
    "recip": {"color": "#7B2CBF", "width": 4.5, "family": "recip"},
    "recip_state": {"color": "#7B2CBF", "width": 3, "family": "recip"},
    "warned_of": {"color": "#E69F00", "width": 1.4, "dashes": [2, 4], "family": "warned_of"},
    "sharing": {"color": "#0072B2", "width": 2, "dashes": [9, 5], "family": "sharing"},
    "failure": {"color": "#1d2733", "width": 2, "dashes": [12, 4, 2, 4], "family": "failure"},
    "attack": {"color": "#8C510A", "width": 1.2, "family": "event"},
    "plot": {"color": "#8C510A", "width": 1.2, "family": "event"},
    "claim": {"color": "#8C510A", "width": 1.2, "family": "event"},
    "policy": {"color": "#A9B1BA", "width": 1, "family": "structure"},
    "membership": {"color": "#A9B1BA", "width": 1, "family": "structure"},
    "place": {"color": "#A9B1BA", "width": 1, "family": "structure"},
}
#: What each family's legend line says (the order the legend lists them).
FAMILIES: dict[str, str] = {
    "warned": "warned (arrow: warner to recipient)",
    "recip": "warned, and was warned back (by it or its state)",
    "contested": "dashed: a source disputes it was a warning",
    "warned_of": "dotted: what the warning was of or about",
    "sharing": "shared intelligence (not a warning)",
    "failure": "failed to warn (an allegation)",
    "event": "carried out, plotted or claimed an attack; where",
    "structure": "part of, acts for, role, policy, place in place",
}


def edge_style(edge: dict) -> str:
    """The :data:`EDGES` entry an edge is drawn with."""
    if edge["kind"] == "warning" and edge["rel"] != "warned":
        return "warned_of"
    if edge["kind"] == "warning":
        if edge.get("recip") == 2:
            return "recip"
        if edge.get("recip") == 1:
            return "recip_state"
        return "contested" if edge.get("contested") else "warning"
    return edge["kind"]


def darker(colour: str, factor: float = 0.7) -> str:
    """The same hue, darker: node borders."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def _shape_svg(shape: str, colour: str) -> str:
    fill = f'fill="{colour}" stroke="{darker(colour)}" stroke-width="1.2"'
    if shape == "dot":
        body = f'<circle cx="9" cy="9" r="6" {fill}/>'
    elif shape == "square":
        body = f'<rect x="3" y="3" width="12" height="12" {fill}/>'
    else:
        if shape == "star":
            points = [(9 + (7.5 if i % 2 == 0 else 3.2) * math.sin(i * math.pi / 5),
                       9.8 - (7.5 if i % 2 == 0 else 3.2) * math.cos(i * math.pi / 5))
                      for i in range(10)]
        elif shape == "hexagon":
            points = [(9 + 7.5 * math.cos(i * math.pi / 3), 9 + 7.5 * math.sin(i * math.pi / 3))
                      for i in range(6)]
        else:
            points = {"triangle": [(9.0, 2.0), (16.0, 15.0), (2.0, 15.0)],
                      "triangleDown": [(2.0, 3.0), (16.0, 3.0), (9.0, 16.0)],
                      "diamond": [(9.0, 1.0), (17.0, 9.0), (9.0, 17.0), (1.0, 9.0)]}[shape]
        body = f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" {fill}/>'
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{body}</svg>'


def _edge_svg(style: dict) -> str:
    dash = f' stroke-dasharray="{",".join(str(d // 2) for d in style["dashes"])}"' \
        if style.get("dashes") else ""
    width = max(1.0, style["width"] * 0.8)
    return (f'<svg width="34" height="12" viewBox="0 0 34 12" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="26" y2="6" stroke="{style["color"]}" '
            f'stroke-width="{width:.1f}"{dash}/><polygon points="25,1.5 33,6 25,10.5" '
            f'fill="{style["color"]}"/></svg>')


def legend(node_types: list[str], edge_styles: list[str]) -> str:
    """The legend's HTML: the node types present, and one line per edge family present."""
    items = ['<h2>Legend</h2><ul class="legend nodes">']
    for name in node_types:
        style = NODES[name]
        items.append(f'<li>{_shape_svg(style["shape"], style["color"])}'
                     f'<span>{escape(style["name"])}</span></li>')
    items.append('</ul><ul class="legend edges">')
    present = {EDGES[name]["family"]: name for name in reversed(edge_styles)}
    for family, words in FAMILIES.items():
        if family in present:
            items.append(f'<li>{_edge_svg(EDGES[present[family]])}<span>{escape(words)}</span>'
                         "</li>")
    items.append("</ul>")
    return "".join(items)
