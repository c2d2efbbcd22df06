"""kg.iri: every IRI is minted in one place, its id comes back whole, one prefix table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, URIRef

from kg import iri
from kg.sources import ID_PATTERN

from .iris import CLAIM, ENTITY, EVENT, GRAPH, KG, RUSSIA, SOURCE

#: Every id the data format admits (``kg.sources.ID_PATTERN``: sources, entities, claims,
#: events), of any length the reader lets through.
IDS = st.from_regex(ID_PATTERN, fullmatch=True)

MINTERS = [iri.entity_iri, iri.event_iri, iri.claim_iri, iri.source_iri, iri.graph_iri]


@given(IDS, st.sampled_from(MINTERS))
def test_every_admitted_id_round_trips_through_its_iri(ident, mint):
    minted = mint(ident)
    assert isinstance(minted, URIRef)
    assert minted.startswith(iri.BASE)
    assert iri.local_id(minted) == ident


@given(IDS, st.integers(min_value=0, max_value=10_000))
def test_a_quote_iri_lies_under_its_claim_and_keeps_its_place(ident, index):
    quote = iri.quote_iri(ident, index)
    assert quote.startswith(iri.claim_iri(ident) + "/quote/")
    assert iri.local_id(quote) == str(index)


@given(IDS, IDS)
def test_different_ids_never_share_an_iri(one, other):
    assert (iri.entity_iri(one) == iri.entity_iri(other)) == (one == other)


def test_the_tests_iri_constants_agree_with_the_minter():
    assert iri.entity_iri("russia") == RUSSIA
    assert (iri.ENTITY, iri.EVENT, iri.CLAIM, iri.SOURCE, iri.GRAPHS, iri.ONTOLOGY) == (
        str(ENTITY), str(EVENT), str(CLAIM), str(SOURCE), str(GRAPH), str(KG))


def test_one_prefix_table_serves_outputs_queries_and_the_query_page():
    from kg import output, sparql
    from kg.serve.pages import page_prefixes

    assert output.PREFIXES is iri.PREFIXES
    assert sparql.PREFIXES is iri.PREFIXES
    assert page_prefixes() == iri.PREFIXES
    assert iri.PREFIXES["entity"] == iri.ENTITY and iri.PREFIXES["graph"] == iri.GRAPHS


def test_the_ontology_namespace_is_the_one_in_the_prefix_table():
    from kg.vocab import KG as VOCAB

    assert str(VOCAB.Warning) == iri.PREFIXES["kg"] + "Warning"


def test_bound_prefixes_shorten_our_iris_in_turtle():
    dataset = Dataset()
    iri.bind_prefixes(dataset)
    graph = dataset.graph(iri.graph_iri("s1"))
    graph.add((iri.entity_iri("russia"), URIRef(iri.ONTOLOGY + "warner"),
               iri.event_iri("e1")))
    text = graph.serialize(format="turtle")
    assert "entity:russia kg:warner event:e1" in text


@pytest.mark.parametrize("name", ["BASE", "entity_iri", "event_iri", "claim_iri", "source_iri",
                                  "graph_iri", "local_id"])
def test_only_kg_iri_mints_iris(name):
    """kg.vocab names terms only; the IRI helpers live in kg.iri alone (no second way in)."""
    import kg.vocab

    assert callable(getattr(iri, name)) or isinstance(getattr(iri, name), str)
    assert not hasattr(kg.vocab, name)
