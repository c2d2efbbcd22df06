"""kg.export: GraphML, GEXF, CSV and N-Quads of a tiny corpus (tests/data/good)."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest
from rdflib import Dataset

import kg
from kg.export import EXPORT_FORMATS, export, flatten
from kg.project import project

from .conftest import GOOD
from .iris import ENTITY, EVENT, GRAPH

RURITANIA, FREEDONIA = str(ENTITY["ruritania"]), str(ENTITY["freedonia"])
WARNING = str(EVENT["ruritania-warns-freedonia"])
HERALD = "herald-2021-06"


@pytest.fixture(scope="module")
def tiny():
    """The tiny corpus built in rdflib's memory store, and its projection."""
    dataset = kg.load(GOOD, store="memory", shapes=False).dataset
    return dataset, project(dataset)


def test_graphml_keeps_each_warning_edge_with_its_predicate_and_sources(tiny):
    dataset, graph = tiny
    files = export(graph, dataset, "graphml")
    assert list(files) == ["graph.graphml"]
    back = nx.read_graphml(io.StringIO(files["graph.graphml"]), force_multigraph=True)
    edges = {(u, v, d["predicate"]): d["sources"] for u, v, d in back.edges(data=True)}
    assert edges[(WARNING, RURITANIA, "warner")] == HERALD
    assert back.nodes[RURITANIA]["label"] == "Ruritania"


def test_gexf_reads_back_with_the_same_nodes(tiny):
    dataset, graph = tiny
    text = export(graph, dataset, "gexf")["graph.gexf"]
    back = nx.read_gexf(io.StringIO(text))
    assert set(back.nodes) == set(graph.nodes)
    assert back.nodes[FREEDONIA]["label"] == "Freedonia"


def test_csv_has_a_row_per_node_and_per_edge_with_a_header(tiny):
    dataset, graph = tiny
    files = export(graph, dataset, "csv")
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
    by_id = {row["id"]: row for row in nodes}
    assert by_id[RURITANIA]["label"] == "Ruritania"
    assert {"source": WARNING, "predicate": "warner", "target": RURITANIA,
            "sources": HERALD} in edges
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()


def test_nquads_parse_back_to_the_same_named_graphs(tiny):
    dataset, graph = tiny
    text = export(graph, dataset, "nquads")["graph.nq"]
    back = Dataset()
    back.parse(data=text, format="nquads")
    herald = GRAPH[HERALD]
    assert len(back.graph(herald)) == len(dataset.graph(herald)) > 0
    assert text == export(graph, dataset, "nquads")["graph.nq"], "byte-stable"


def test_every_attribute_of_a_flat_graph_is_a_string(tiny):
    _, graph = tiny
    flat = flatten(graph)
    assert all(isinstance(v, str) for _, d in flat.nodes(data=True) for v in d.values())
    assert all(isinstance(v, str) for *_, d in flat.edges(keys=True, data=True)
               for v in d.values())


def test_an_unknown_format_names_the_known_ones(tiny):
    dataset, graph = tiny
    with pytest.raises(ValueError, match=", ".join(EXPORT_FORMATS)):
        export(graph, dataset, "xlsx")


def test_csv_export_keeps_a_formula_like_label_as_text(tiny):
    dataset, graph = tiny
    node = next(iter(graph.nodes))
    graph.nodes[node]["label"] = "=cmd|' /C calc'!A0"
    nodes = list(csv.DictReader(io.StringIO(export(graph, dataset, "csv")["nodes.csv"])))
    assert {row["label"] for row in nodes if row["id"] == node} == {"'=cmd|' /C calc'!A0"}
