"""The shapes that close issue 14's gaps (the end of ontology/shapes.ttl), one gap at a time.

Before them, the shapes let through: ``kg:concerns`` (or another link to an event) pointing
to a source; a misspelt predicate (a ``kg:`` term the ontology does not declare); an event
typed kg:Warning and kg:Attack in one source's graph; quote offsets past the end of the
source's text. Each gap has a tiny bad graph that its shape must report and a good one
that conforms, validated by pySHACL (the reference) and by ``kg.shacl`` (the build's
validator), which must agree exactly; then the same slip put into the real built data is
reported at the right file and line, and the real data as built has none.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

import kg.pipeline
from kg.iri import event_iri, graph_iri, source_iri
from kg.validate import dataset_problems
from kg.vocab import KG

from .test_shapes import (
    ATTACK,
    CLAIM,
    COMPILED,
    KGSH,
    ONTOLOGY,
    SHAPES,
    WARNING,
    Case,
    edit,
    kg_shacl_results,
    matches,
    pyshacl_results,
    results,
    run,
)

ROOT = Path(__file__).resolve().parents[1]

RESPONSE = """
event:r a kg:Response ;
    kg:responder entity:freedonia ;
    kg:respondsTo event:w ;
    kg:responseType kg:Thanked ;
    .
"""

CLAIM_OF_RESPONSIBILITY = """
event:cr a kg:ClaimOfResponsibility ;
    kg:claimant entity:front ;
    kg:concerns event:a ;
    .
"""

DISPUTE = """
event:d a kg:Dispute ;
    kg:disputes event:w ;
    kg:disputedAspect kg:IsDutyToWarn ;
    .
"""

POLICY_LINK = """
event:icd a kg:Policy ;
    kg:name "ICD 191" ;
    .
event:w kg:underPolicy event:icd .
"""

GAP_CASES = [
    # kg:concerns (and every other link to an event) pointing to a source, claim or actor.
    Case("warning-concerns-a-source", "EventLink-concerns",
         WARNING + "event:w kg:concerns source:s1 .",
         WARNING + ATTACK + "event:w kg:concerns event:a .", "Not"),
    Case("response-to-an-actor", "EventLink-respondsTo",
         edit(RESPONSE, "kg:respondsTo event:w", "kg:respondsTo entity:ruritania") + WARNING,
         RESPONSE + WARNING, "Not"),
    Case("dispute-of-a-quote", "EventLink-disputes",
         edit(DISPUTE, "kg:disputes event:w", "kg:disputes claim:c-q0") + CLAIM,
         DISPUTE + WARNING, "Not"),
    Case("warning-under-a-place", "EventLink-underPolicy",
         WARNING + "event:w kg:underPolicy entity:market .", WARNING + POLICY_LINK, "Not"),
    Case("claim-asserts-a-source", "EventLink-asserts",
         edit(CLAIM, "kg:asserts event:w", "kg:asserts source:s2"), CLAIM, "Not"),
    # A misspelt predicate: kg:warnr is no term of the ontology.
    Case("misspelt-predicate", "KnownPredicatesShape",
         WARNING + "event:w kg:warnr entity:ris .", WARNING, "Closed", KG._NS["warnr"]),
    Case("predicate-from-nowhere-on-a-quote", "KnownPredicatesShape",
         CLAIM + 'claim:c-q0 <https://example.org/page> 3 .', CLAIM, "Closed",
         URIRef("https://example.org/page")),
    # One event, two kinds, in one source's graph.
    Case("warning-that-is-an-attack", "OneKindOfExchangeShape",
         WARNING + "event:w a kg:Attack .", WARNING + ATTACK, "Not"),
    Case("attack-that-is-a-response", "OneKindOfAttackShape",
         RESPONSE + WARNING + "event:r a kg:Attack .", RESPONSE + WARNING + ATTACK, "Not"),
    Case("response-that-is-a-claim-of-responsibility", "OneKindOfResponseShape",
         RESPONSE + WARNING + ATTACK + "event:r a kg:ClaimOfResponsibility ; "
         "kg:claimant entity:front ; kg:concerns event:a .",
         RESPONSE + WARNING + ATTACK + CLAIM_OF_RESPONSIBILITY, "Not"),
    Case("claim-of-responsibility-that-is-a-failure-to-warn", "OneKindOfClaimShape",
         CLAIM_OF_RESPONSIBILITY + ATTACK + "event:cr a kg:FailureToWarn ; "
         "kg:accused entity:ruritania ; kg:victim entity:freedonia .",
         CLAIM_OF_RESPONSIBILITY + ATTACK, "Not"),
    # The quote ends at 26; the stored text has 20 characters.
    Case("quote-past-the-end-of-the-text", "QuotesWithinText-endOffset",
         CLAIM + "source:s1 kg:textLength 20 .", CLAIM + "source:s1 kg:textLength 26 .",
         "LessThanOrEquals"),
]


@pytest.mark.parametrize("case", GAP_CASES, ids=lambda c: c.id)
def test_the_gap_shape_reports_the_bad_graph(case):
    conforms, report, text = run(case.bad, case.reference)
    assert not conforms
    assert any(matches(r, case) and r["message"] for r in results(report)), \
        f"expected a violation of {case.shape} ({case.component}); got:\n{text}"


@pytest.mark.parametrize("case", GAP_CASES, ids=lambda c: c.id)
def test_the_good_graph_conforms(case):
    conforms, _report, text = run(case.good)
    assert conforms, text


@pytest.mark.parametrize("graph", ["bad", "good"])
@pytest.mark.parametrize("case", GAP_CASES, ids=lambda c: c.id)
def test_kg_shacl_gives_the_results_of_pyshacl(case, graph):
    turtle = case.bad if graph == "bad" else case.good
    expected = pyshacl_results(turtle)
    assert kg_shacl_results(turtle) == expected
    assert bool(expected) == (graph == "bad")


def test_known_predicates_are_every_property_the_ontology_declares():
    # A new property in kg.ttl must be added to kgsh:KnownPredicatesShape, or the build
    # refuses the data that uses it.
    listed = set(Collection(SHAPES, SHAPES.value(KGSH.KnownPredicatesShape,
                                                 SH.ignoredProperties)))
    declared = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty,
                               OWL.AnnotationProperty)
                for p in ONTOLOGY.subjects(RDF.type, kind)}
    written_by_rdf_and_owl = {RDF.type, URIRef(str(OWL) + "sameAs"),
                              URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                              URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
    assert listed - written_by_rdf_and_owl == declared


# --- the real data --------------------------------------------------------------------------


@functools.cache
def real() -> kg.pipeline.Built:
    return kg.pipeline.load(ROOT / "data")


def problems_with(graph_name: str, *triples: tuple) -> list[str]:
    """dataset_problems of the real data with ``triples`` added to one source's graph."""
    built = kg.pipeline.load(ROOT / "data")  # a fresh dataset: the slips stay in this one
    graph = built.dataset.graph(graph_iri(graph_name))
    for triple in triples:
        graph.add(triple)
    compiled = COMPILED
    return [str(p) for p in dataset_problems(built.dataset, built.corpus, ONTOLOGY, compiled)]


CROCUS = event_iri("us-warns-russia-crocus")


def test_the_real_data_has_none_of_the_gaps():
    built = real()
    assert dataset_problems(built.dataset, built.corpus, ONTOLOGY, COMPILED) == []


def test_the_real_data_has_none_of_the_gaps_for_pyshacl():
    # The gap shapes alone (pySHACL on every shape and graph is slow), graph by graph with
    # the reference beside it, as the build validates.
    from pyshacl import validate

    gaps = Graph()
    for prefix, namespace in SHAPES.namespaces():
        gaps.bind(prefix, namespace)
    wanted = {KGSH[c.shape] for c in GAP_CASES}
    todo = list(wanted)
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in SHAPES.predicate_objects(node):
            gaps.add((node, p, o))
            if not isinstance(o, Literal):
                todo.append(o)
    built = real()
    reference = built.dataset.graph(graph_iri("reference"))
    for source in built.corpus.sources:
        data = Graph()
        for triple in reference:
            data.add(triple)
        for triple in built.dataset.graph(graph_iri(source.id)):
            data.add(triple)
        conforms, _report, text = validate(data, shacl_graph=gaps, ont_graph=ONTOLOGY,
                                           inference="none", advanced=True)
        assert conforms, text


def test_a_real_warning_that_concerns_a_source_is_reported_at_its_claim():
    found = problems_with("ap-2024-03", (CROCUS, KG.concerns, source_iri("rfi-2024-03")))
    assert len(found) == 1 and "'concerns' (kg:concerns) must be an attack or plot" in found[0]
    assert found[0].startswith(str(ROOT / "data" / "claims" / "ap-2024-03.yaml"))


def test_a_misspelt_predicate_in_the_real_data_is_reported():
    found = problems_with("ap-2024-03", (CROCUS, KG._NS["warnr"], URIRef(
        "https://w3id.org/duty-to-warn/id/entity/united-states")))
    assert len(found) == 1 and "(warnr): unknown predicate" in found[0]


def test_a_real_warning_typed_an_attack_is_reported():
    found = problems_with("ap-2024-03", (CROCUS, RDF.type, KG.Attack))
    assert any("a warning or intelligence sharing is not also an attack" in p for p in found)


def test_real_quote_offsets_past_the_text_are_reported_at_the_source():
    built = real()
    quote = next(q for q in built.dataset.graph(graph_iri("ap-summary"))
                 .subjects(RDF.type, KG.Quote))
    found = problems_with("ap-summary", (quote, KG.endOffset,
                                         Literal(10**6, datatype=XSD.integer)))
    assert any("past the end of its stored text" in p for p in found), found
    source = next(s for s in built.corpus.sources if s.id == "ap-summary")
    assert any(p.startswith(f"{source.where.file}:{source.where.line}:") for p in found)
