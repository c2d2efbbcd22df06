"""SPARQL and NetworkX answer each question the same way; golden results per named query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import analysis, sparql

from .iris import AP, DAILY_BEAST, OUTREACH, RFI

GOLDEN = Path(__file__).resolve().parent / "golden"


def ask(dataset, name):
    return sparql.rows(sparql.run(dataset, sparql.query_text(name)))


def test_warnings_agree(dataset, graph):
    by_sparql = {(r["warning"], r["warnerState"], r["recipientState"], r["source"])
                 for r in ask(dataset, "warnings")}
    by_networkx = {(p["id"], analysis.label(graph, p["from"]), analysis.label(graph, p["to"]), s)
                   for p in analysis.warning_pairs(graph, "state") for s in p["sources"]}
    assert by_sparql == by_networkx
    assert ("us-warns-russia-crocus", "United States", "Russia", AP) in by_sparql


@pytest.mark.parametrize("level,name", [("state", "reciprocity"),
                                        ("actor", "reciprocity-actors")])
def test_reciprocity_agrees(dataset, graph, level, name):
    def normal(a, b, ab, ba, reciprocated, contested):
        return (frozenset(((a, ab), (b, ba))), bool(reciprocated), bool(contested))

    by_sparql = {normal(r["a"], r["b"], r["aToB"], r["bToA"], r["reciprocated"], r["contested"])
                 for r in ask(dataset, name)}
    by_networkx = {normal(r["a"], r["b"], r["a_to_b"], r["b_to_a"], r["reciprocated"],
                          r["contested"]) for r in analysis.reciprocity(graph, level)}
    assert by_sparql == by_networkx
    if level == "state":
        assert (frozenset((("Russia", 1), ("United States", 2))), True, True) in by_sparql


def test_lead_times_agree(dataset, graph):
    by_sparql = {(r["warning"], sparql.lead_days(r["lead"])) for r in ask(dataset, "lead-times")}
    by_networkx = {(r["warning"], r["lead_days"]) for r in analysis.lead_times(graph)
                   if r["lead_days"] is not None}
    assert by_sparql == by_networkx == {("us-warns-russia-crocus", 15)}


def test_death_tolls_agree(dataset, graph):
    qualifiers = {"Exact": "exact", "MoreThan": "more_than", "AtLeast": "at_least",
                  "About": "about", "AtMost": "at_most"}
    by_sparql = {(r["attack"], r["killed"], qualifiers[r["qualifier"]], r["source"])
                 for r in ask(dataset, "death-tolls")}
    by_networkx = {(a["id"], c["value"], c["qualifier"], c["source"])
                   for a in analysis.attacks(graph) for c in a["killed"]}
    assert by_sparql == by_networkx
    assert ("kerman-bombings", 94, "exact", RFI) in by_sparql


def test_conflicting_death_tolls_agree(dataset, graph):
    by_sparql = {r["attack"] for r in ask(dataset, "conflicting-death-tolls")}
    by_networkx = {c["subject"] for c in analysis.conflicts(graph, every=True)
                   if c["attribute"] == "killed"}
    assert by_sparql == by_networkx
    assert "kerman-bombings" in by_sparql


def test_disputes_agree(dataset, graph):
    by_sparql = {(r["event"], r["disputingSource"]) for r in ask(dataset, "disputed-warnings")}
    by_networkx = {(w["id"], s) for w in analysis.warnings(graph) for s in w["disputed_by"]}
    assert by_sparql == by_networkx == {("russia-warns-us-tsarnaev", OUTREACH)}


def test_attacks_agree(dataset, graph):
    rows = ask(dataset, "attacks")
    assert {r["attack"] for r in rows} == {a["id"] for a in analysis.attacks(graph)}
    by_sparql = {(r["attack"], r["place"]) for r in rows if r.get("place")}
    by_networkx = {(a["id"], place) for a in analysis.attacks(graph) if a["place"]
                   for place in a["place"].split(" / ")}
    assert by_sparql == by_networkx
    perpetrators = {(r["attack"], r["perpetrator"]) for r in rows if r.get("perpetrator")}
    assert perpetrators == {(a["id"], p) for a in analysis.attacks(graph)
                            for p in a["perpetrators"]}


def test_timeline_agrees(dataset, graph):
    by_sparql = {(r["event"], str(r["date"]), r["source"]) for r in ask(dataset, "timeline")}
    # The answer says "before 2020-07-08 (inferred)" where SPARQL has the date and kg:Before.
    by_networkx = {(r["id"], r["date"].removeprefix("before ").removesuffix(" (inferred)"), s)
                   for r in analysis.timeline(graph) if r["date"] for s in r["sources"]}
    assert by_sparql == by_networkx


def test_actor_warnings_agree(dataset, graph):
    by_sparql = {(r["actor"], r["role"], r["warning"]) for r in ask(dataset, "actor-warnings")}
    by_networkx = set()
    for actor in {a for a, _, _ in by_sparql}:
        profile = analysis.actor(graph, actor)
        by_networkx |= {(actor, "sent", w) for w in profile["warnings_sent"]}
        by_networkx |= {(actor, "received", w) for w in profile["warnings_received"]}
    assert by_sparql == by_networkx


def test_default_graph_is_the_union_and_named_graphs_tell_sources_apart(dataset):
    union = sparql.run(dataset, "ASK { ?w a kg:Warning ; kg:warner ?x }").askAnswer
    per_source = ask(dataset, "SELECT DISTINCT ?g WHERE { GRAPH ?g { "
                              "<https://w3id.org/duty-to-warn/id/event/kerman-bombings> "
                              "kg:killed ?c } }")
    assert union
    assert {r["g"] for r in per_source} == {AP, RFI, OUTREACH}


@pytest.mark.parametrize("name", sorted(sparql.named_queries()))
def test_named_query_matches_its_golden_result(dataset, name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert ask(dataset, name) == expected


def test_every_named_query_says_what_it_answers():
    for name in sparql.named_queries():
        assert len(sparql.describe(name)) > 20, name


def test_bad_query_is_a_clear_error(dataset):
    with pytest.raises(sparql.QueryError, match="SPARQL query failed"):
        sparql.run(dataset, "SELECT ?x WHERE { ?x ")


def test_reciprocity_verdicts_agree(dataset, graph):
    by_sparql = {(r["partyA"], r["partyB"], r["reciprocity"], r["source"])
                 for r in ask(dataset, "reciprocity-verdicts")}
    levels = {"NotReciprocated": "not_reciprocated", "RarelyReciprocated": "rarely_reciprocated",
              "PartlyReciprocated": "partly_reciprocated", "Reciprocated": "reciprocated"}
    by_sparql = {(a, b, levels[r], s) for a, b, r, s in by_sparql}
    by_networkx = {(*v["parties"], v["verdict"], v["source"])
                   for found in analysis.verdicts(graph, "actor").values() for v in found}
    assert by_sparql == by_networkx
    assert ("Central Intelligence Agency", "Russia", "not_reciprocated", DAILY_BEAST) in by_sparql


def test_a_query_error_is_one_of_ours(dataset):
    from kg.errors import KGError, QueryError

    assert sparql.QueryError is QueryError and issubclass(QueryError, KGError)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_our_prefixes_need_no_declaration_and_ids_come_back_short(store):
    from kg.iri import entity_iri, event_iri, graph_iri
    from kg.stores import open_dataset
    from kg.vocab import KG

    dataset = open_dataset(store)
    dataset.graph(graph_iri("s1")).add((event_iri("w1"), KG.warner, entity_iri("ruritania")))
    rows = sparql.rows(sparql.run(dataset, "SELECT ?w { ?w kg:warner entity:ruritania }"))
    assert rows == [{"w": "w1"}]
