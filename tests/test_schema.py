"""kg.schema: the keys the projection writes are the ones its readers name."""

from __future__ import annotations

import pytest

from kg import schema
from kg.build import build_dataset
from kg.project import project
from kg.sources import read_corpus
from kg.validate import check_corpus
from kg.vocab import KG

from .conftest import GOOD

NODE_ATTRIBUTES = {schema.LABEL, schema.ALIASES, schema.TYPES, schema.TYPED_BY, schema.STATE,
                   schema.FACTS}
#: Edge keys that are not our terms: schema.org, OWL and PROV-O local names.
FOREIGN = {schema.CONTAINED_IN_PLACE, schema.SAME_AS, schema.WAS_DERIVED_FROM}
#: Facts the projection folds back from a node of their own, under its old name: an event's
#: date (kg:dated to a kg:DateValue, kg.project._fold_dates), a role's position (kg:position to
#: an org:Role, kg.reshape) and a source's derivation (a prov:Derivation, kg.reshape).
FOLDED = {schema.DATE, schema.ROLE_NAME, "relation"}
PREDICATES = {value for name, value in vars(schema).items() if name.isupper()} \
    - NODE_ATTRIBUTES - {schema.SOURCES}


@pytest.mark.parametrize("name", sorted(PREDICATES - FOREIGN - FOLDED))
def test_every_predicate_key_is_a_term_of_the_closed_namespace(name):
    assert str(getattr(KG, name)) == str(KG) + name  # KG is closed: a name it lacks raises


def test_the_projection_writes_only_the_named_node_and_edge_attributes():
    graph = project(build_dataset(check_corpus(read_corpus(GOOD))))
    assert {k for _, data in graph.nodes(data=True) for k in data} <= NODE_ATTRIBUTES
    assert {k for *_, data in graph.edges(keys=True, data=True) for k in data} == {schema.SOURCES}
    named = {k for *_, k in graph.edges(keys=True)} | {
        f for _, data in graph.nodes(data=True) for f in data.get(schema.FACTS, {})}
    assert {schema.WARNER, schema.RECIPIENT, schema.ASSERTS, schema.DATE} <= named
