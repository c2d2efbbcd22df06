"""Exports for other tools: GraphML and GEXF (Gephi, Cytoscape), CSV, N-Quads.

Graph formats hold only scalar attributes, so the projection is flattened: a
node's ``facts`` become one text attribute per predicate (``value [source] | ...``)
and an edge's ``sources`` a ``;``-separated list.

Example:
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", label="A", types=["State"], facts={"date": [("2024", "s1")]})
    >>> g.add_edge("urn:a", "urn:b", key="warner", sources=["s1", "s2"])
    'warner'
    >>> flat = flatten(g)
    >>> flat.nodes["urn:a"]["date"], flat.edges["urn:a", "urn:b", "warner"]["sources"]
    ('2024 [s1]', 's1;s2')
"""

from __future__ import annotations

import csv
import io

import networkx as nx
from rdflib import Dataset

from .output import serialise
from .render import spreadsheet_safe

EXPORT_FORMATS = ("graphml", "gexf", "csv", "nquads")


def flatten(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose node and edge attributes are all strings (for GraphML/GEXF/CSV)."""
    flat: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        attrs = {"label": str(data.get("label", node)),
                 "types": ";".join(data.get("types", ()))}
        if data.get("state"):
            attrs["state"] = str(data["state"])
        if data.get("aliases"):
            attrs["aliases"] = ";".join(data["aliases"])
        for name, values in sorted(data.get("facts", {}).items()):
            attrs[name] = " | ".join(f"{v} [{s}]" for v, s in values)
        flat.add_node(node, **attrs)
    for u, v, key, data in sorted(graph.edges(keys=True, data=True)):
        flat.add_edge(u, v, key=key, predicate=key, sources=";".join(data["sources"]))
    return flat


def export(graph: nx.MultiDiGraph, dataset: Dataset, fmt: str) -> dict[str, str]:
    """File name -> content for an export in ``fmt``."""
    if fmt == "nquads":
        return {"graph.nq": serialise(dataset, "nquads")}
    flat = flatten(graph)
    if fmt == "graphml":
        return {"graph.graphml": "\n".join(nx.generate_graphml(flat)) + "\n"}
    if fmt == "gexf":
        return {"graph.gexf": "\n".join(nx.generate_gexf(flat)) + "\n"}
    if fmt == "csv":
        return {"nodes.csv": _nodes_csv(flat), "edges.csv": _edges_csv(flat)}
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


def _nodes_csv(flat: nx.MultiDiGraph) -> str:
    columns = sorted({k for _, d in flat.nodes(data=True) for k in d} - {"label", "types"})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "label", "types", *columns])
    for node, data in flat.nodes(data=True):
        writer.writerow([spreadsheet_safe(v) for v in (
            node, data["label"], data["types"], *(data.get(c, "") for c in columns))])
    return buffer.getvalue()


def _edges_csv(flat: nx.MultiDiGraph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "predicate", "target", "sources"])
    for u, v, key, data in flat.edges(keys=True, data=True):
        writer.writerow([spreadsheet_safe(x) for x in (u, key, v, data["sources"])])
    return buffer.getvalue()
