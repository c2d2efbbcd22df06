"""Graph files: written by Oxigraph's serialisers from sorted canonical lines, the same bytes
from the records as from any store, and each one parses back to the dataset it describes."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic

import kg
import kg.pipeline
from kg.build import Triples, dataset_quads
from kg.iri import graph_iri
from kg.output import FORMATS, _SortedHeader, graph_lines, nt_terms, serialise, writer

from .conftest import DATA, GOOD


def _lines_from_records(built: kg.Built) -> dict[str, list[bytes]]:
    ontology = kg.pipeline.load_ontology()
    return graph_lines(dataset_quads(built.corpus, None, None, Triples(nt_terms())),
                       {str(graph_iri("ontology")): ontology.serialize(format="nt",
                                                                       encoding="utf-8")})


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_outputs_made_from_the_records_equal_the_stores_serialisation(store):
    built = kg.load(DATA, store=store)
    lines = _lines_from_records(built)
    for fmt in FORMATS:
        handle = io.BytesIO()
        writer(lines, fmt)(handle)
        assert handle.getvalue().decode() == serialise(built.dataset, fmt), fmt


def test_kg_build_writes_what_serialise_makes(tmp_path, built):
    kg.pipeline.build(DATA, tmp_path / "out")
    for fmt, name in FORMATS.items():
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == \
            serialise(built.dataset, fmt), name


def _graphs(dataset: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_each_dataset_file_parses_back_to_the_same_named_graphs(dataset, fmt):
    parsed = Dataset()
    parsed.parse(data=serialise(dataset, fmt), format=fmt)
    mine, theirs = _graphs(dataset), _graphs(parsed)
    assert mine.keys() == theirs.keys()
    for name, graph in mine.items():
        assert isomorphic(graph, theirs[name]), name


def test_the_turtle_file_is_the_union_of_the_graphs(dataset):
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert isomorphic(Graph().parse(data=serialise(dataset, "turtle"), format="turtle"), union)


def test_prefixes_are_declared_in_sorted_order_whatever_the_writes(dataset):
    text = serialise(dataset, "trig")
    head = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert head == sorted(head) and len(head) > 5
    assert text.splitlines()[:len(head)] == head
    # Written a byte at a time, the header is still sorted and the body untouched.
    target = io.BytesIO()
    with _SortedHeader(target) as out:  # type: ignore[arg-type]
        for byte in b"@prefix b: <urn:b> .\n@prefix a: <urn:a> .\n<urn:x> a:p b:o .\n":
            out.write(bytes([byte]))
    assert target.getvalue() == b"@prefix a: <urn:a> .\n@prefix b: <urn:b> .\n<urn:x> a:p b:o .\n"


def test_a_literal_with_quotes_backslashes_and_newlines_survives(tmp_path):
    quad = ("<urn:s>", "<urn:p>", nt_terms().literal('a "quoted" \\ back\nslash\r'), "<urn:g>")
    lines = graph_lines([quad])
    parsed = list(ox.parse(b"".join(lines["urn:g"]), format=ox.RdfFormat.N_TRIPLES))
    assert parsed[0].object.value == 'a "quoted" \\ back\nslash\r'


def test_the_ontologys_blank_nodes_get_the_same_labels_every_time():
    path = kg.pipeline.ontology_dir() / "kg.ttl"
    first, second = (Graph().parse(path, format="turtle") for _ in range(2))
    labels = kg.pipeline._blank_labels(first)
    assert labels is not None and len(set(labels.values())) == len(labels) > 0
    again = kg.pipeline._blank_labels(second)
    assert sorted(labels.values()) == sorted(again.values())
    ontology = kg.pipeline.load_ontology()
    assert isomorphic(ontology, first)
    assert {str(b) for t in ontology for b in t if isinstance(b, BNode)} == \
        {str(b) for b in labels.values()}


def test_blank_nodes_that_nothing_tells_apart_fall_back_to_canonical_labels():
    twins = Graph().parse(format="turtle", data="""
        <urn:a> <urn:p> [ <urn:q> 1 ] , [ <urn:q> 1 ] .""")
    assert kg.pipeline._blank_labels(twins) is None


def test_past_the_page_limit_the_build_writes_a_pointer_to_kg_html(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.pipeline, "PAGE_LIMIT", 1)
    kg.pipeline.build(GOOD, tmp_path / "out")
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "Too large to draw whole" in page and "kg html --actor NAME" in page
    assert "vis-network" not in page
    kg.pipeline.build(GOOD, tmp_path / "drawn", page=True)
    assert "Too large" not in (tmp_path / "drawn" / "graph.html").read_text(encoding="utf-8")
