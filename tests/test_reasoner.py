"""A DL reasoner (HermiT, shipped with owlready2; needs Java) on the ontology and the data.

The ontology's teeth (ontology/kg.ttl: disjoint kinds of thing, domains and ranges) must
make a category error inconsistent, and the real data, the union of every named graph,
consistent although sources disagree (the FSB's tip is a kg:Warning in one source's graph
and kg:IntelligenceSharing in another's). Each case is one JVM run over a file of
N-Triples: the ontology with the real data (a few thousand triples) or with a handful.

HermiT refuses literals outside the OWL 2 datatype map (xsd:date, xsd:gYearMonth,
xsd:gYear); the data has none (every date is a kg:DateValue node with xsd:dateTime
bounds), so the cases load the data as built.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner
from rdflib import RDF, Graph, Literal, URIRef

import kg.pipeline
from kg.iri import entity_iri, event_iri, source_iri
from kg.vocab import KG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "kg.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"
NOT_IN_OWL2 = {URIRef(XSD + name) for name in ("date", "gYearMonth", "gYear")}


@pytest.fixture(scope="module")
def real_union() -> Graph:
    """Every named graph of the built data/ (ontology included) as one graph."""
    dataset = kg.pipeline.load(ROOT / "data").dataset
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def copy(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        kept.add(triple)
    return kept


def consistent(graph: Graph, tmp_path: Path) -> bool:
    """Whether HermiT finds ``graph`` consistent (one JVM run)."""
    path = tmp_path / "union.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load()
    try:
        sync_reasoner(world, infer_property_values=False, debug=0)
    except OwlReadyInconsistentOntologyError:
        return False
    return True


QUOTE = URIRef("https://w3id.org/duty-to-warn/id/claim/ap-crocus-city-hall-attack/quote/0")
ROLE = URIRef("https://w3id.org/duty-to-warn/id/event/role-of-a-test")

#: Category errors, each a few triples added to the real data.
ERRORS = {
    "a quote as the warner of a warning": [
        (event_iri("us-warns-russia-crocus"), KG.warner, QUOTE)],
    "a source as what a warning concerns": [
        (event_iri("us-warns-russia-crocus"), KG.concerns, source_iri("ap-2024-03"))],
    "a person as the organisation of a role": [
        (ROLE, RDF.type, KG.Role), (ROLE, KG.organisation, entity_iri("vladimir-putin"))],
    "a place as a warner": [
        (event_iri("us-warns-russia-crocus"), KG.warner, entity_iri("moscow"))],
    "a warning that is also an attack": [
        (event_iri("us-warns-russia-crocus"), RDF.type, KG.Attack)],
    "a claim as the event another claim asserts": [
        (URIRef("https://w3id.org/duty-to-warn/id/claim/x"), KG.asserts, QUOTE)],
}


def test_real_data_as_built_is_consistent(real_union, tmp_path):
    # Sources disagree (Warning vs IntelligenceSharing for one event); the union holds.
    event = event_iri("russia-warns-us-tsarnaev")
    assert (event, RDF.type, KG.Warning) in real_union
    assert (event, RDF.type, KG.IntelligenceSharing) in real_union
    # Nothing HermiT would refuse is left out: no literal outside the OWL 2 datatype map.
    assert not {o.datatype for o in real_union.objects() if isinstance(o, Literal)} & NOT_IN_OWL2
    assert consistent(real_union, tmp_path)


def test_a_date_node_used_as_an_actor_is_inconsistent(real_union, tmp_path):
    graph = copy(real_union)
    date = next(graph.subjects(RDF.type, KG.DateValue))
    graph.add((event_iri("us-warns-russia-crocus"), KG.warner, date))
    assert not consistent(graph, tmp_path)


@pytest.mark.parametrize("error", sorted(ERRORS))
def test_a_category_error_is_inconsistent(real_union, tmp_path, error):
    graph = copy(real_union)
    assert (QUOTE, RDF.type, KG.Quote) in graph  # the errors use real nodes, not typos
    assert (entity_iri("moscow"), RDF.type, KG.Place) in graph
    for triple in ERRORS[error]:
        graph.add(triple)
    assert not consistent(graph, tmp_path)


def test_the_ontology_alone_is_consistent(tmp_path):
    assert consistent(Graph().parse(ONTOLOGY_FILE, format="turtle"), tmp_path)
