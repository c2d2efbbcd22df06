"""The SHACL shapes (ontology/shapes.ttl), one tiny graph at a time.

Each case is a pair of small Turtle graphs that differ in one thing: the ``bad`` one must
be reported by the named shape (``sh:sourceShape``, and the constraint component or the
result path where that matters), the ``good`` one must conform to every shape. Graphs
are validated by pySHACL, the reference (the ontology as ``ont_graph``,
``inference="none"``, ``advanced=True``), and by ``kg.shacl``, the validator the build
runs, which must give the very same results (focus node, shape, constraint component,
path, value and message) on every graph. Every graph includes a small reference fragment
(actors, a place, two sources), as the validator reads the reference graph beside each
source's graph.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.namespace import SH

import kg.pipeline
from kg import shacl
from kg.iri import event_iri, graph_iri
from kg.validate import (
    dataset_problems,
    load_shapes,
    pyshacl_problems,
    shacl_problems,
)
from kg.vocab import KG

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "data" / "good"
KGSH = Namespace("https://w3id.org/duty-to-warn/shapes#")

SHAPES = load_shapes(ROOT / "ontology" / "shapes.ttl")
ONTOLOGY = Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")
COMPILED = shacl.compile_shapes(SHAPES)
ONTOLOGY_INDEX = shacl.Index((shacl.term_of(s), str(p), shacl.term_of(o))
                             for s, p, o in ONTOLOGY)

PREFIXES = """\
@prefix kg:      <https://w3id.org/duty-to-warn/ontology#> .
@prefix entity:  <https://w3id.org/duty-to-warn/id/entity/> .
@prefix event:   <https://w3id.org/duty-to-warn/id/event/> .
@prefix claim:   <https://w3id.org/duty-to-warn/id/claim/> .
@prefix source:  <https://w3id.org/duty-to-warn/id/source/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix wd:      <http://www.wikidata.org/entity/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix position: <https://w3id.org/duty-to-warn/id/position/> .
"""

SHA_1 = "7396fade98e458d9b5136d675aeaf5df20aa9a74540da4abf21210bb924f9edd"
SHA_2 = "37d86448d3ad1420b06fcd8979df3fece66f1f9b3d53915e56d137c8bf5c31ed"

# The reference graph's part of every test graph: one entity of each type, two sources.
REFERENCE = f"""
entity:ruritania a kg:State ;
    rdfs:label "Ruritania" ;
    .
entity:freedonia a kg:State ;
    rdfs:label "Freedonia" ;
    .
entity:ris a kg:Agency ;
    rdfs:label "Ruritanian Intelligence Service" ;
    kg:actsFor entity:ruritania ;
    .
entity:front a kg:Group ;
    rdfs:label "Sylvanian Front" ;
    .
entity:firefly a kg:Person ;
    rdfs:label "Rufus T. Firefly" ;
    kg:actsFor entity:freedonia ;
    .
entity:market a kg:Place ;
    rdfs:label "Grand Market" ;
    schema:containedInPlace entity:freedonia ;
    .
source:s1 a kg:Source ;
    rdfs:label "s1" ;
    kg:file "sources/s1.txt" ;
    kg:sha256 "{SHA_1}" ;
    .
source:s2 a kg:Source ;
    rdfs:label "s2" ;
    kg:file "sources/s2.txt" ;
    kg:sha256 "{SHA_2}" ;
    .
position:Prime_Minister a org:Role ;
    rdfs:label "Prime Minister" ;
    .
"""

WARNING = """
event:w a kg:Warning ;
    kg:warner entity:ruritania ;
    kg:recipient entity:freedonia ;
    .
"""

ATTACK = """
event:a a kg:Attack ;
    .
"""

PLOT = """
event:p a kg:Plot ;
    .
"""

COUNT = """
event:a a kg:Attack ;
    kg:killed claim:c-killed-0 ;
    .
claim:c-killed-0 a kg:Count ;
    kg:value 130 ;
    kg:qualifier kg:MoreThan ;
    .
"""

RESPONSE = """
event:r a kg:Response ;
    kg:responder entity:freedonia ;
    kg:respondsTo event:w ;
    kg:responseType kg:Dismissed ;
    .
"""

CLAIM_OF_RESPONSIBILITY = """
event:cor a kg:ClaimOfResponsibility ;
    kg:claimant entity:front ;
    kg:concerns event:a ;
    .
"""

SHARING = """
event:s a kg:IntelligenceSharing ;
    kg:sharer entity:ris ;
    kg:recipient entity:freedonia ;
    .
"""

FAILURE = """
event:f a kg:FailureToWarn ;
    kg:accused entity:ruritania ;
    kg:victim entity:freedonia ;
    .
"""

POLICY = """
event:icd a kg:Policy ;
    kg:name "ICD 191" ;
    .
"""

ROLE = """
event:role a kg:Role ;
    kg:person entity:firefly ;
    kg:position position:Prime_Minister ;
    kg:organisation entity:freedonia ;
    .
"""

AFFILIATION = """
event:aff a kg:Affiliation ;
    kg:member entity:ris ;
    kg:organisation entity:ruritania ;
    kg:affiliationType kg:PartOf ;
    .
"""

VERDICT = """
event:v a kg:ReciprocityVerdict ;
    kg:party entity:freedonia , entity:ruritania ;
    kg:reciprocity kg:NotReciprocated ;
    kg:exchange "counterterrorism intelligence" ;
    .
"""

DISPUTE = """
event:d a kg:Dispute ;
    kg:disputes event:w ;
    kg:disputedAspect kg:IsDutyToWarn ;
    .
"""

# A date as the builder writes it: one node per claim, with instants as bounds.
DATED = """
event:a a kg:Attack ;
    kg:dated claim:c-date ;
    .
claim:c-date a kg:DateValue ;
    rdfs:label "2021-05-20" ;
    kg:earliest "2021-05-20T00:00:00"^^xsd:dateTime ;
    kg:latest "2021-05-21T00:00:00"^^xsd:dateTime ;
    kg:datePrecision kg:Day ;
    kg:dateText "On 20 May 2021" ;
    .
"""

# A date the source only bounds: it happened before 20 May 2021.
BEFORE = """
event:a a kg:Attack ;
    kg:dated claim:c-date ;
    .
claim:c-date a kg:DateValue ;
    rdfs:label "before 2021-05-20" ;
    kg:latest "2021-05-20T00:00:00"^^xsd:dateTime ;
    kg:datePrecision kg:Day ;
    kg:qualifier kg:Before ;
    .
"""

PUBLISHED = """
source:s1 kg:published source:s1-published .
source:s1-published a kg:DateValue ;
    rdfs:label "2021-06" ;
    kg:earliest "2021-06-01T00:00:00"^^xsd:dateTime ;
    kg:latest "2021-07-01T00:00:00"^^xsd:dateTime ;
    kg:datePrecision kg:Month ;
    .
"""

# A claim as the builder writes it: the claim, its quote, and what it asserts.
CLAIM = WARNING + """
claim:c a kg:Claim ;
    kg:asserts event:w ;
    kg:inSource source:s1 ;
    kg:method kg:Curated ;
    kg:evidence claim:c-q0 ;
    .
claim:c-q0 a kg:Quote ;
    kg:quote "Ruritania warned Freedonia" ;
    kg:startOffset 0 ;
    kg:endOffset 26 ;
    kg:inSource source:s1 ;
    .
"""

SOURCE_METADATA = """
source:s1 dcterms:title "Ruritania warned Freedonia" ;
    dcterms:publisher "The Ruritania Herald" ;
    dcterms:creator "A. Reporter" ;
    dcterms:language "en" ;
    schema:url "https://example.org/herald/1"^^xsd:anyURI ;
    prov:wasDerivedFrom source:s2 ;
    prov:qualifiedDerivation <https://w3id.org/duty-to-warn/id/source/s1/derivation> ;
    kg:translatedFrom "fr" ;
    kg:note "fictional" ;
    kg:reliability "B" ;
    kg:reliabilityReason "a signed story that names its sources" ;
    .
<https://w3id.org/duty-to-warn/id/source/s1/derivation> a kg:Summary ;
    prov:entity source:s2 ;
    .
"""

ENTITY_EXTRAS = """
entity:ruritania skos:altLabel "Ruritanian government" ;
    owl:sameAs wd:Q1 ;
    .
"""

TEXTS = """
event:a a kg:Attack ;
    kg:name "Grand Market bombing" ;
    kg:target "the Grand Market" ;
    kg:description "A bomb exploded at the Grand Market." ;
    kg:dated claim:c-date ;
    .
claim:c-date a kg:DateValue ;
    kg:earliest "2021-05-20T00:00:00"^^xsd:dateTime ;
    kg:latest "2021-05-21T00:00:00"^^xsd:dateTime ;
    kg:datePrecision kg:Day ;
    kg:dateText "On 20 May 2021" ;
    .
event:icd a kg:Policy ;
    kg:name "ICD 191" ;
    kg:waiverCondition "when warning would endanger sources" ;
    .
""" + ROLE


def edit(text: str, old: str, new: str = "") -> str:
    """``text`` with the one occurrence of ``old`` replaced (a test-writing guard)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def drop(text: str, line: str) -> str:
    """``text`` without the line ``line`` (given without its indentation)."""
    return edit(text, f"    {line}\n")


@dataclass(frozen=True)
class Case:
    """A graph that a shape must report (``bad``) and one that conforms (``good``)."""

    id: str
    shape: str | None      # local name in the kgsh: namespace (None: anonymous shape)
    bad: str
    good: str
    component: str | None = None   # e.g. "MinCount" for sh:MinCountConstraintComponent
    path: URIRef | None = None
    reference: str = REFERENCE     # the reference fragment of the bad graph


CASES = [
    # --- Warning -----------------------------------------------------------------------------
    Case("warning-without-warner", "Warning-warner",
         drop(WARNING, "kg:warner entity:ruritania ;"), WARNING, "MinCount"),
    Case("warning-with-two-warners", "Warning-warner",
         edit(WARNING, "kg:warner entity:ruritania ;", "kg:warner entity:ruritania, entity:ris ;"),
         WARNING, "MaxCount"),
    Case("warner-is-a-place", "Warning-warner",
         edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:market"),
         # An agency is an actor through rdfs:subClassOf in the ontology.
         edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:ris"), "Class"),
    Case("warner-is-unknown", "Warning-warner",
         edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:nobody"), WARNING,
         "Class"),
    Case("warner-is-recipient", "Warning-warner",
         edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:freedonia"), WARNING,
         "Disjoint"),
    Case("warning-without-recipient", "Warning-recipient",
         drop(WARNING, "kg:recipient entity:freedonia ;"), WARNING, "MinCount"),
    Case("recipient-is-text", "Warning-recipient",
         edit(WARNING, "kg:recipient entity:freedonia", 'kg:recipient "Freedonia"'),
         # A person is an actor too.
         edit(WARNING, "kg:recipient entity:freedonia", "kg:recipient entity:firefly"), "Class"),
    Case("warning-with-two-recipients", "Warning-recipient",
         edit(WARNING, "kg:recipient entity:freedonia", "kg:recipient entity:freedonia, "
                                                        "entity:firefly"), WARNING, "MaxCount"),
    Case("warning-concerns-text", "Warning-concerns",
         WARNING + 'event:w kg:concerns "grand-market-bombing" .',
         # The attack may be described by another source's graph: an IRI is enough here.
         WARNING + "event:w kg:concerns event:bombing .", "NodeKind"),
    Case("warning-subject-is-a-place", "Warning-subject",
         WARNING + "event:w kg:subject entity:market .",
         WARNING + "event:w kg:subject entity:firefly .", "Class"),
    Case("channel-is-text", "Warning-channel",
         WARNING + 'event:w kg:channel "public" .',
         WARNING + "event:w kg:channel kg:Public, kg:Private .", "Class"),
    Case("channel-is-not-a-channel", "Warning-channel",
         WARNING + "event:w kg:channel kg:Day .",
         WARNING + "event:w kg:channel kg:Diplomatic .", "Class"),
    Case("specificity-is-not-a-specificity", "Warning-specificity",
         WARNING + "event:w kg:specificity kg:Exact .",
         WARNING + "event:w kg:specificity kg:TimingNamed, kg:LocationNamed .", "Class"),
    Case("outcome-is-a-plot-status", "Warning-outcome",
         WARNING + "event:w kg:outcome kg:PlotFoiled .",
         WARNING + "event:w kg:outcome kg:Foiled .", "Class"),
    Case("warning-with-two-outcomes", "Warning-outcome",
         WARNING + "event:w kg:outcome kg:Foiled, kg:AttackHappened .",
         WARNING + "event:w kg:outcome kg:AttackHappened .", "MaxCount"),
    Case("policy-is-text", "Warning-underPolicy",
         WARNING + 'event:w kg:underPolicy "icd-191" .',
         WARNING + "event:w kg:underPolicy event:icd-191 .", "NodeKind"),

    # --- Attack and Plot ---------------------------------------------------------------------
    Case("attack-place-is-a-group", "Attack-place",
         ATTACK + "event:a kg:place entity:front .",
         ATTACK + "event:a kg:place entity:market, entity:freedonia .", "Or"),
    Case("attack-perpetrator-is-a-place", "Attack-perpetrator",
         ATTACK + "event:a kg:perpetrator entity:market .",
         ATTACK + "event:a kg:perpetrator entity:front, entity:firefly .", "Class"),
    Case("killed-is-a-number", "Attack-killed",
         ATTACK + "event:a kg:killed 130 .", COUNT, "Class"),
    Case("injured-is-not-a-count", "Attack-injured",
         ATTACK + "event:a kg:injured claim:c-injured-0 .\nclaim:c-injured-0 kg:value 3 .",
         ATTACK + "event:a kg:injured claim:c-injured-0 .\n"
                  "claim:c-injured-0 a kg:Count ; kg:value 3 ; kg:qualifier kg:AtLeast .",
         "Class"),
    Case("plot-place-is-text", "Plot-place",
         PLOT + 'event:p kg:place "Moscow" .',
         PLOT + "event:p kg:place entity:freedonia .", "Or"),
    Case("plot-perpetrator-is-text", "Plot-perpetrator",
         PLOT + 'event:p kg:perpetrator "extremists" .',
         PLOT + "event:p kg:perpetrator entity:front .", "Class"),
    Case("plot-status-is-an-outcome", "Plot-status",
         PLOT + "event:p kg:status kg:Foiled .",
         PLOT + "event:p kg:status kg:PlotFoiled .", "Class"),
    Case("plot-with-two-statuses", "Plot-status",
         PLOT + "event:p kg:status kg:PlotFoiled, kg:PlotUnconfirmed .",
         PLOT + "event:p kg:status kg:PlotUnconfirmed .", "MaxCount"),

    # --- Response, claim of responsibility, intelligence sharing, failure to warn ------------
    Case("response-without-responder", "Response-responder",
         drop(RESPONSE, "kg:responder entity:freedonia ;"), RESPONSE, "MinCount"),
    Case("responder-is-a-place", "Response-responder",
         edit(RESPONSE, "entity:freedonia", "entity:market"), RESPONSE, "Class"),
    Case("response-without-responds-to", "Response-respondsTo",
         drop(RESPONSE, "kg:respondsTo event:w ;"), RESPONSE, "MinCount"),
    Case("responds-to-is-text", "Response-respondsTo",
         edit(RESPONSE, "kg:respondsTo event:w", 'kg:respondsTo "w"'), RESPONSE, "NodeKind"),
    Case("response-without-type", "Response-responseType",
         drop(RESPONSE, "kg:responseType kg:Dismissed ;"), RESPONSE, "MinCount"),
    Case("response-type-is-a-qualifier", "Response-responseType",
         edit(RESPONSE, "kg:Dismissed", "kg:Exact"),
         edit(RESPONSE, "kg:Dismissed", "kg:Thanked"), "Class"),
    Case("claim-of-responsibility-without-claimant", "ClaimOfResponsibility-claimant",
         drop(CLAIM_OF_RESPONSIBILITY, "kg:claimant entity:front ;"), CLAIM_OF_RESPONSIBILITY,
         "MinCount"),
    Case("claim-of-responsibility-without-concerns", "ClaimOfResponsibility-concerns",
         drop(CLAIM_OF_RESPONSIBILITY, "kg:concerns event:a ;"), CLAIM_OF_RESPONSIBILITY,
         "MinCount"),
    Case("sharing-without-sharer", "IntelligenceSharing-sharer",
         drop(SHARING, "kg:sharer entity:ris ;"), SHARING, "MinCount"),
    Case("sharer-is-recipient", "IntelligenceSharing-sharer",
         edit(SHARING, "kg:sharer entity:ris", "kg:sharer entity:freedonia"), SHARING,
         "Disjoint"),
    Case("sharing-without-recipient", "IntelligenceSharing-recipient",
         drop(SHARING, "kg:recipient entity:freedonia ;"), SHARING, "MinCount"),
    Case("sharing-subject-is-text", "IntelligenceSharing-subject",
         SHARING + 'event:s kg:subject "Tsarnaev" .',
         SHARING + "event:s kg:subject entity:firefly .", "Class"),
    Case("failure-without-accused", "FailureToWarn-accused",
         drop(FAILURE, "kg:accused entity:ruritania ;"), FAILURE, "MinCount"),
    Case("failure-without-victim", "FailureToWarn-victim",
         drop(FAILURE, "kg:victim entity:freedonia ;"), FAILURE, "MinCount"),
    Case("failure-concerns-text", "FailureToWarn-concerns",
         FAILURE + 'event:f kg:concerns "bombing" .',
         FAILURE + "event:f kg:concerns event:bombing .", "NodeKind"),

    # --- Policy, role, affiliation, dispute --------------------------------------------------
    Case("policy-without-name", "Policy-name",
         drop(POLICY, 'kg:name "ICD 191" ;'), POLICY, "MinCount"),
    Case("policy-with-empty-name", "Policy-name",
         edit(POLICY, '"ICD 191"', '""'), POLICY, "MinLength"),
    Case("policy-issuer-is-a-place", "Policy-issuer",
         POLICY + "event:icd kg:issuer entity:market .",
         POLICY + "event:icd kg:issuer entity:ris .", "Class"),
    Case("role-without-person", "Role-person",
         drop(ROLE, "kg:person entity:firefly ;"), ROLE, "MinCount"),
    Case("role-person-is-an-agency", "Role-person",
         edit(ROLE, "kg:person entity:firefly", "kg:person entity:ris"), ROLE, "Class"),
    Case("role-without-position", "Role-position",
         drop(ROLE, "kg:position position:Prime_Minister ;"), ROLE, "MinCount"),
    Case("role-position-is-text", "Role-position",
         edit(ROLE, "kg:position position:Prime_Minister", 'kg:position "Prime Minister"'),
         ROLE, "Class"),
    Case("role-organisation-is-a-person", "Role-organisation",
         edit(ROLE, "kg:organisation entity:freedonia", "kg:organisation entity:firefly"),
         edit(ROLE, "kg:organisation entity:freedonia", "kg:organisation entity:ris"), "Or"),
    Case("affiliation-without-member", "Affiliation-member",
         drop(AFFILIATION, "kg:member entity:ris ;"), AFFILIATION, "MinCount"),
    Case("affiliation-without-organisation", "Affiliation-organisation",
         drop(AFFILIATION, "kg:organisation entity:ruritania ;"), AFFILIATION, "MinCount"),
    Case("affiliation-organisation-is-a-place", "Affiliation-organisation",
         edit(AFFILIATION, "kg:organisation entity:ruritania", "kg:organisation entity:market"),
         edit(AFFILIATION, "kg:organisation entity:ruritania", "kg:organisation entity:front"),
         "Or"),
    Case("affiliation-without-type", "Affiliation-affiliationType",
         drop(AFFILIATION, "kg:affiliationType kg:PartOf ;"), AFFILIATION, "MinCount"),
    Case("affiliation-type-is-a-channel", "Affiliation-affiliationType",
         edit(AFFILIATION, "kg:PartOf", "kg:Public"),
         edit(AFFILIATION, "kg:PartOf", "kg:AffiliateOf"), "Class"),
    Case("verdict-with-one-party", "ReciprocityVerdict-party",
         edit(VERDICT, "entity:freedonia , entity:ruritania", "entity:freedonia"), VERDICT,
         "MinCount"),
    Case("verdict-party-is-a-place", "ReciprocityVerdict-party",
         edit(VERDICT, "entity:freedonia , entity:ruritania", "entity:freedonia , entity:market"),
         VERDICT, "Class"),
    Case("verdict-without-level", "ReciprocityVerdict-reciprocity",
         drop(VERDICT, "kg:reciprocity kg:NotReciprocated ;"), VERDICT, "MinCount"),
    Case("verdict-level-is-a-channel", "ReciprocityVerdict-reciprocity",
         edit(VERDICT, "kg:NotReciprocated", "kg:Public"), VERDICT, "Class"),
    Case("exchange-is-empty", None, edit(VERDICT, '"counterterrorism intelligence"', '""'),
         VERDICT, "MinLength", KG.exchange),
    Case("dispute-without-event", "Dispute-disputes",
         drop(DISPUTE, "kg:disputes event:w ;"), DISPUTE, "MinCount"),
    Case("dispute-without-aspect", "Dispute-disputedAspect",
         drop(DISPUTE, "kg:disputedAspect kg:IsDutyToWarn ;"), DISPUTE, "MinCount"),
    Case("dispute-aspect-is-a-precision", "Dispute-disputedAspect",
         edit(DISPUTE, "kg:IsDutyToWarn", "kg:Day"),
         edit(DISPUTE, "kg:IsDutyToWarn", "kg:DisputedDate"), "Class"),

    # --- Dates -------------------------------------------------------------------------------
    Case("date-is-a-literal", "Dated-dated",
         edit(DATED, "kg:dated claim:c-date", 'kg:dated "2021-05-20"^^xsd:dateTime'), DATED,
         "NodeKind"),
    Case("date-is-not-a-date-value", "Dated-dated",
         edit(DATED, "kg:dated claim:c-date", "kg:dated entity:ruritania"), DATED, "Class"),
    Case("two-dates", "Dated-dated",
         edit(DATED, "kg:dated claim:c-date", "kg:dated claim:c-date, claim:d-date")
         + BEFORE.replace("event:a", "event:x").replace("claim:c-date", "claim:d-date"),
         DATED, "MaxCount"),
    Case("date-without-precision", "DateValue-datePrecision",
         drop(DATED, "kg:datePrecision kg:Day ;"), DATED, "MinCount"),
    Case("date-with-two-precisions", "DateValue-datePrecision",
         edit(DATED, "kg:datePrecision kg:Day", "kg:datePrecision kg:Day, kg:Year"), DATED,
         "MaxCount"),
    Case("precision-is-a-qualifier", "DateValue-datePrecision",
         edit(DATED, "kg:datePrecision kg:Day", "kg:datePrecision kg:Exact"), DATED, "Class"),
    Case("date-without-upper-bound", "DateValue-latest",
         drop(BEFORE, 'kg:latest "2021-05-20T00:00:00"^^xsd:dateTime ;'), BEFORE, "MinCount"),
    Case("upper-bound-is-a-day", "DateValue-latest",
         edit(BEFORE, '"2021-05-20T00:00:00"^^xsd:dateTime', '"2021-05-20"^^xsd:date'),
         BEFORE, "Datatype"),
    Case("upper-bound-is-not-an-instant", "DateValue-latest",
         edit(BEFORE, '"2021-05-20T00:00:00"^^xsd:dateTime', '"2021-05-20T25:00:00"^^xsd:dateTime'),
         BEFORE, "Datatype"),
    Case("two-upper-bounds", "DateValue-latest",
         edit(BEFORE, '"2021-05-20T00:00:00"^^xsd:dateTime',
              '"2021-05-20T00:00:00"^^xsd:dateTime, "2021-05-21T00:00:00"^^xsd:dateTime'),
         BEFORE, "MaxCount"),
    Case("lower-bound-is-a-year", "DateValue-earliest",
         edit(DATED, '"2021-05-20T00:00:00"^^xsd:dateTime', '"2021"^^xsd:gYear'), DATED,
         "Datatype"),
    Case("lower-bound-after-upper-bound", "DateValue-earliest",
         edit(DATED, '"2021-05-20T00:00:00"^^xsd:dateTime',
              '"2021-05-22T00:00:00"^^xsd:dateTime'), DATED, "LessThan"),
    Case("qualifier-of-a-count-on-a-date", "DateValue-qualifier",
         edit(BEFORE, "kg:qualifier kg:Before", "kg:qualifier kg:AtMost"), BEFORE, "In"),
    Case("date-with-two-texts", "DateValue-dateText",
         edit(DATED, '"On 20 May 2021"', '"On 20 May 2021", "that Thursday"'), DATED,
         "MaxCount"),
    Case("before-date-with-a-lower-bound", "DateValueBoundShape",
         edit(BEFORE, "kg:qualifier kg:Before ;",
              'kg:qualifier kg:Before ;\n    kg:earliest "2021-05-19T00:00:00"^^xsd:dateTime ;'),
         BEFORE, "Or"),
    Case("date-without-lower-bound-or-qualifier", "DateValueBoundShape",
         drop(DATED, 'kg:earliest "2021-05-20T00:00:00"^^xsd:dateTime ;'), DATED, "Or"),
    Case("published-is-a-string", "Published-published",
         edit(PUBLISHED, "kg:published source:s1-published", 'kg:published "June 2021"'),
         PUBLISHED, "NodeKind"),
    Case("two-publication-dates", "Published-published",
         edit(PUBLISHED, "kg:published source:s1-published",
              "kg:published source:s1-published, claim:c-date") + BEFORE, PUBLISHED, "MaxCount"),

    # --- Counts ------------------------------------------------------------------------------
    Case("count-without-value", "Count-value",
         drop(COUNT, "kg:value 130 ;"), COUNT, "MinCount"),
    Case("count-is-negative", "Count-value",
         edit(COUNT, "kg:value 130", "kg:value -1"), edit(COUNT, "kg:value 130", "kg:value 0"),
         "MinInclusive"),
    Case("count-is-a-fraction", "Count-value",
         edit(COUNT, "kg:value 130", "kg:value 1.5"), COUNT, "Datatype"),
    Case("count-is-text", "Count-value",
         edit(COUNT, "kg:value 130", 'kg:value "130"'), COUNT, "Datatype"),
    Case("count-with-two-values", "Count-value",
         edit(COUNT, "kg:value 130", "kg:value 130, 133"), COUNT, "MaxCount"),
    Case("count-without-qualifier", "Count-qualifier",
         drop(COUNT, "kg:qualifier kg:MoreThan ;"), COUNT, "MinCount"),
    Case("count-qualifier-is-a-precision", "Count-qualifier",
         edit(COUNT, "kg:MoreThan", "kg:Day"), edit(COUNT, "kg:MoreThan", "kg:Exact"), "Class"),
    Case("count-with-two-qualifiers", "Count-qualifier",
         edit(COUNT, "kg:MoreThan", "kg:MoreThan, kg:About"), COUNT, "MaxCount"),
    Case("count-with-two-texts", "Count-countText",
         COUNT + 'claim:c-killed-0 kg:countText "over 130", "130" .',
         COUNT + 'claim:c-killed-0 kg:countText "over 130 people" .', "MaxCount"),

    # --- Claims and quotes -------------------------------------------------------------------
    Case("claim-without-quote", "Claim-evidence",
         drop(CLAIM, "kg:evidence claim:c-q0 ;"), CLAIM, "MinCount"),
    Case("claim-evidence-is-not-a-quote", "Claim-evidence",
         edit(CLAIM, "kg:evidence claim:c-q0 ;", "kg:evidence claim:c-q0, claim:c-q1 ;"), CLAIM,
         "Class"),
    Case("claim-asserts-nothing", "Claim-asserts",
         drop(CLAIM, "kg:asserts event:w ;"), CLAIM, "MinCount"),
    Case("claim-asserts-two-events", "Claim-asserts",
         edit(CLAIM, "kg:asserts event:w ;", "kg:asserts event:w, event:a ;") + ATTACK, CLAIM,
         "MaxCount"),
    Case("claim-asserts-an-untyped-node", "Claim-asserts",
         edit(CLAIM, "kg:asserts event:w ;", "kg:asserts event:elsewhere ;"),
         # Policies and relations are asserted too, not only events.
         edit(CLAIM, "kg:asserts event:w ;", "kg:asserts event:role ;") + ROLE, "Or"),
    Case("claim-without-source", "Claim-inSource",
         edit(CLAIM, "kg:inSource source:s1 ;\n    kg:method", "kg:method"), CLAIM,
         "MinCount"),
    Case("claim-source-is-an-entity", "Claim-inSource",
         edit(CLAIM, "kg:inSource source:s1 ;\n    kg:method",
              "kg:inSource entity:ruritania ;\n    kg:method"), CLAIM, "Class"),
    Case("quote-from-another-source", "Claim-evidenceSource",
         edit(CLAIM, "kg:inSource source:s1 ;\n    .", "kg:inSource source:s2 ;\n    ."), CLAIM,
         "Equals"),
    Case("claim-without-method", "Claim-method",
         drop(CLAIM, "kg:method kg:Curated ;"), CLAIM, "MinCount"),
    Case("claim-method-is-a-channel", "Claim-method",
         edit(CLAIM, "kg:method kg:Curated", "kg:method kg:Public"), CLAIM, "Class"),
    Case("confidence-above-one", "Claim-confidence",
         edit(CLAIM, "kg:method kg:Curated", 'kg:method kg:Curated ;\n    kg:confidence 1.5'),
         edit(CLAIM, "kg:method kg:Curated", 'kg:method kg:Curated ;\n    kg:confidence 1.0'),
         "MaxInclusive"),
    Case("extracted-claim-without-confidence", "ExtractedClaimShape",
         edit(CLAIM, "kg:method kg:Curated", "kg:method kg:Extracted"),
         edit(CLAIM, "kg:method kg:Curated", "kg:method kg:Extracted ;\n    kg:confidence 0.8"),
         "Or"),
    Case("quote-without-words", "Quote-quote",
         drop(CLAIM, 'kg:quote "Ruritania warned Freedonia" ;'), CLAIM, "MinCount"),
    Case("quote-is-empty", "Quote-quote",
         edit(CLAIM, '"Ruritania warned Freedonia"', '""'), CLAIM, "MinLength"),
    Case("quote-without-start", "Quote-startOffset",
         drop(CLAIM, "kg:startOffset 0 ;"), CLAIM, "MinCount"),
    Case("quote-start-is-negative", "Quote-startOffset",
         edit(CLAIM, "kg:startOffset 0", "kg:startOffset -1"), CLAIM, "MinInclusive"),
    Case("quote-start-after-end", "Quote-startOffset",
         edit(CLAIM, "kg:startOffset 0", "kg:startOffset 30"),
         edit(CLAIM, "kg:startOffset 0", "kg:startOffset 25"), "LessThan"),
    Case("quote-without-end", "Quote-endOffset",
         drop(CLAIM, "kg:endOffset 26 ;"), CLAIM, "MinCount"),
    Case("quote-end-is-text", "Quote-endOffset",
         edit(CLAIM, "kg:endOffset 26", 'kg:endOffset "26"'), CLAIM, "Datatype"),
    Case("quote-without-source", "Quote-inSource",
         edit(CLAIM, "kg:inSource source:s1 ;\n    .", "."), CLAIM, "MinCount"),
    Case("quote-of-no-claim", "Quote-claim",
         CLAIM + 'claim:stray a kg:Quote ; kg:quote "warned" ; kg:startOffset 10 ; '
                 "kg:endOffset 16 ; kg:inSource source:s1 .",
         CLAIM, "MinCount"),

    # --- Sources -----------------------------------------------------------------------------
    Case("sha256-in-capitals", "Source-sha256", "", "", "Pattern",
         reference=edit(REFERENCE, SHA_1, SHA_1.upper())),
    Case("sha256-too-short", "Source-sha256", "", "", "Pattern",
         reference=edit(REFERENCE, SHA_1, SHA_1[:-1])),
    Case("source-without-sha256", "Source-sha256", "", "", "MinCount",
         reference=drop(REFERENCE, f'kg:sha256 "{SHA_1}" ;')),
    Case("source-without-file", "Source-file", "", "", "MinCount",
         reference=drop(REFERENCE, 'kg:file "sources/s1.txt" ;')),
    Case("source-with-two-labels", "Source-label",
         'source:s1 rdfs:label "herald" .', "", "MaxCount"),
    Case("source-with-two-titles", "Source-title",
         SOURCE_METADATA + 'source:s1 dcterms:title "Another title" .', SOURCE_METADATA,
         "MaxCount"),
    Case("source-with-two-outlets", "Source-publisher",
         SOURCE_METADATA + 'source:s1 dcterms:publisher "AP" .', SOURCE_METADATA, "MaxCount"),
    Case("source-with-two-authors", "Source-creator",
         SOURCE_METADATA + 'source:s1 dcterms:creator "B. Writer" .', SOURCE_METADATA,
         "MaxCount"),
    Case("source-with-two-languages", "Source-language",
         SOURCE_METADATA + 'source:s1 dcterms:language "fr" .', SOURCE_METADATA, "MaxCount"),
    Case("source-url-is-a-string", "Source-url",
         edit(SOURCE_METADATA, '"https://example.org/herald/1"^^xsd:anyURI',
              '"https://example.org/herald/1"'), SOURCE_METADATA, "Datatype"),
    Case("source-derived-from-an-entity", "Source-derivedFrom",
         edit(SOURCE_METADATA, "prov:wasDerivedFrom source:s2", "prov:wasDerivedFrom entity:ris"),
         SOURCE_METADATA, "Class"),
    Case("source-reliability-not-a-grade", "Source-reliability",
         edit(SOURCE_METADATA, 'kg:reliability "B"', 'kg:reliability "G"'), SOURCE_METADATA,
         "Pattern"),
    Case("source-reliability-reason-empty", "Source-reliabilityReason",
         edit(SOURCE_METADATA, '"a signed story that names its sources"', '""'),
         SOURCE_METADATA, "MinLength"),
    Case("credibility-above-six", "Claim-credibility",
         edit(CLAIM, "kg:method kg:Curated", "kg:method kg:Curated ;\n    kg:credibility 7"),
         edit(CLAIM, "kg:method kg:Curated", "kg:method kg:Curated ;\n    kg:credibility 3"),
         "MaxInclusive"),
    Case("source-relation-unknown", "Source-relation",
         edit(SOURCE_METADATA, "a kg:Summary", "a kg:Claim"), SOURCE_METADATA, "Or"),

    # --- Reference entities ------------------------------------------------------------------
    Case("actor-without-label", "Entity-label",
         'entity:nobody a kg:Group .', 'entity:nobody a kg:Group ; rdfs:label "Nobody" .',
         "MinCount"),
    Case("place-with-two-labels", "Entity-label",
         'entity:market rdfs:label "Grand Bazaar" .', "", "MaxCount"),
    Case("actor-with-empty-label", "Entity-label",
         'entity:nobody a kg:Person ; rdfs:label "" .',
         'entity:nobody a kg:Person ; rdfs:label "N. Obody" .', "MinLength"),
    Case("alias-is-empty", "Entity-altLabel",
         'entity:ruritania skos:altLabel "" .', ENTITY_EXTRAS, "MinLength"),
    Case("wikidata-is-not-an-item", "Entity-sameAs",
         "entity:ruritania owl:sameAs <https://example.org/ruritania> .", ENTITY_EXTRAS,
         "Pattern"),
    Case("wikidata-is-text", "Entity-sameAs",
         'entity:ruritania owl:sameAs "Q1" .', ENTITY_EXTRAS, "NodeKind"),
    Case("actor-acts-for-a-place", "Actor-actsFor",
         "entity:front kg:actsFor entity:market .",
         "entity:front kg:actsFor entity:ruritania .", "Class"),
    Case("actor-acts-for-two-states", "Actor-actsFor",
         "entity:ris kg:actsFor entity:freedonia .", "", "MaxCount"),
    Case("place-in-a-group", "Place-containedInPlace",
         "entity:market schema:containedInPlace entity:front .", "", "Class"),
    Case("place-within-a-state", "Place-within",
         "entity:market kg:within entity:freedonia .", "", "Class"),

    # --- Text fields (anonymous property shapes: checked by result path) --------------------
    Case("name-is-a-number", None, edit(TEXTS, '"Grand Market bombing"', "5"), TEXTS,
         "Datatype", KG.name),
    Case("target-is-empty", None, edit(TEXTS, '"the Grand Market"', '""'), TEXTS,
         "MinLength", KG.target),
    Case("description-is-a-number", None,
         edit(TEXTS, '"A bomb exploded at the Grand Market."', "1"), TEXTS, "Datatype",
         KG.description),
    Case("date-text-is-empty", None, edit(TEXTS, '"On 20 May 2021"', '""'), TEXTS,
         "MinLength", KG.dateText),
    Case("position-words-are-a-number", None,
         'position:Prime_Minister rdfs:label 7 .', TEXTS, "Datatype", RDFS.label),
    Case("waiver-is-empty", None,
         edit(TEXTS, '"when warning would endanger sources"', '""'), TEXTS, "MinLength",
         KG.waiverCondition),
    Case("note-is-a-number", None, 'source:s1 kg:note 3 .', SOURCE_METADATA, "Datatype",
         KG.note),
    Case("translated-from-is-empty", None,
         edit(SOURCE_METADATA, 'kg:translatedFrom "fr"', 'kg:translatedFrom ""'),
         SOURCE_METADATA, "MinLength", KG.translatedFrom),
]


@functools.cache
def run(turtle: str, reference: str = REFERENCE) -> tuple[bool, Graph, str]:
    """Validate ``turtle`` plus the reference fragment with pySHACL, the reference."""
    data = Graph().parse(data=PREFIXES + reference + turtle, format="turtle")
    return validate(data, shacl_graph=SHAPES, ont_graph=ONTOLOGY, inference="none",
                    advanced=True)


def results(report: Graph) -> list[dict[str, object]]:
    return [{"shape": report.value(r, SH.sourceShape),
             "component": report.value(r, SH.sourceConstraintComponent),
             "path": report.value(r, SH.resultPath),
             "message": report.value(r, SH.resultMessage)}
            for r in report.subjects(SH.resultSeverity, SH.Violation)]


def matches(result: dict[str, object], case: Case) -> bool:
    if case.shape is not None and result["shape"] != KGSH[case.shape]:
        return False
    if case.component is not None and result["component"] != SH[f"{case.component}"
                                                                 "ConstraintComponent"]:
        return False
    return case.path is None or result["path"] == case.path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_shape_reports_the_bad_graph(case):
    conforms, report, text = run(case.bad, case.reference)
    found = results(report)
    assert not conforms
    assert any(matches(r, case) for r in found), \
        f"expected a violation of {case.shape} ({case.component}); got:\n{text}"
    for r in found:
        if matches(r, case):
            assert r["message"], "a violation without a message for the curator"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_shape_accepts_the_good_graph(case):
    conforms, _report, text = run(case.good)
    assert conforms, text


def test_every_constraint_shape_has_a_case():
    structural = {RDF.type, SH.property, SH.targetClass, SH.targetSubjectsOf,
                  SH.targetObjectsOf, SH.message, SH.path}
    constraining = {s for s in set(SHAPES.subjects()) if isinstance(s, URIRef)
                    and str(s).startswith(str(KGSH))
                    and set(SHAPES.predicates(s)) - structural}
    from .test_shapes_gaps import GAP_CASES  # the shapes closing issue 14's gaps

    covered = {KGSH[c.shape] for c in CASES + GAP_CASES if c.shape}
    assert constraining - covered == set(), "shapes without a test case"
    assert covered - constraining == set(), "cases for shapes that do not exist"


def test_every_shape_has_a_message():
    # Named shapes and the property shapes of node shapes; the alternatives inside an
    # sh:or are reported through the message of the shape that holds the sh:or.
    node_shapes = set(SHAPES.subjects(RDF.type, SH.NodeShape))
    shapes = node_shapes | set(SHAPES.subjects(RDF.type, SH.PropertyShape)) \
        | {o for s in node_shapes for o in SHAPES.objects(s, SH.property)}
    assert len(shapes) > 100
    assert [s for s in shapes if SHAPES.value(s, SH.message) is None] == []


def test_shapes_hold_per_source_not_across_sources():
    # Two sources naming different warners for one event: each graph is valid alone (the
    # validator checks one source's graph at a time), merged they would not be.
    other = edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:ris")
    assert run(WARNING)[0] and run(other)[0]
    conforms, report, _text = run(WARNING + other)
    assert not conforms
    assert {r["shape"] for r in results(report)} == {KGSH["Warning-warner"]}


# --- kg.shacl gives pySHACL's results ------------------------------------------------------------


def _plain(term: object) -> object:
    return None if term is None else shacl.term_of(term)


def pyshacl_results(turtle: str, reference: str = REFERENCE) -> set[tuple]:
    report = run(turtle, reference)[1]
    found = set()
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        shape, message = report.value(r, SH.sourceShape), report.value(r, SH.resultMessage)
        path = report.value(r, SH.resultPath)
        found.add((_plain(report.value(r, SH.focusNode)),
                   f"anonymous: {message}" if isinstance(shape, BNode) else str(shape),
                   str(report.value(r, SH.sourceConstraintComponent))
                   .removeprefix(str(SH)).removesuffix("ConstraintComponent"),
                   str(path) if isinstance(path, URIRef) else None,
                   _plain(report.value(r, SH.value)), str(message)))
    return found


def kg_shacl_results(turtle: str, reference: str = REFERENCE) -> set[tuple]:
    data = Graph().parse(data=PREFIXES + reference + turtle, format="turtle")
    index = shacl.Index((shacl.term_of(s), str(p), shacl.term_of(o)) for s, p, o in data)
    found = shacl.validate(COMPILED, shacl.Union([index, ONTOLOGY_INDEX]), index.subjects())
    return {(r.focus,
             f"anonymous: {r.message}" if isinstance(r.shape, shacl.Blank) else r.shape,
             r.component,
             r.path if isinstance(r.path, str) and not isinstance(r.path, shacl.Blank) else None,
             r.value, r.message) for r in found}


@pytest.mark.parametrize("graph", ["bad", "good"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_kg_shacl_gives_the_results_of_pyshacl(case, graph):
    turtle, reference = (case.bad, case.reference) if graph == "bad" else (case.good, REFERENCE)
    expected = pyshacl_results(turtle, reference)
    assert kg_shacl_results(turtle, reference) == expected
    assert bool(expected) == (graph == "bad")


def test_kg_shacl_gives_pyshacl_results_where_sources_disagree():
    other = edit(WARNING, "kg:warner entity:ruritania", "kg:warner entity:ris")
    assert kg_shacl_results(WARNING + other) == pyshacl_results(WARNING + other) != set()


def test_no_ontology_node_is_a_target():
    # kg.shacl checks a source graph's own nodes (with the reference and ontology beside
    # them); pySHACL would also check ontology nodes in every graph if a shape targeted one.
    graph = shacl.Union([ONTOLOGY_INDEX])
    assert [s for s in ONTOLOGY_INDEX.subjects() if shacl.targets_of(COMPILED, graph, s)] == []


def test_shapes_using_unimplemented_shacl_are_refused():
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:uniqueLang true .""")
    with pytest.raises(shacl.UnsupportedShape, match="uniqueLang"):
        shacl.compile_shapes(shapes)


# --- Through kg.validate, on the tiny corpus ---------------------------------------------------


def test_good_corpus_conforms():
    built = kg.pipeline.load(GOOD, shapes=False)
    assert pyshacl_problems(built.dataset, SHAPES, ONTOLOGY, built.corpus) == []
    assert shacl_problems(built.corpus, kg.pipeline.load_ontology(), COMPILED) == []
    assert dataset_problems(built.dataset, built.corpus, ONTOLOGY, COMPILED) == []


def test_violation_is_reported_at_the_claim_line():
    built = kg.pipeline.load(GOOD, shapes=False)
    graph = built.dataset.graph(graph_iri("herald-2021-06"))
    graph.remove((event_iri("ruritania-warns-freedonia"), KG.recipient, None))
    problems = dataset_problems(built.dataset, built.corpus, ONTOLOGY, COMPILED)
    assert problems == pyshacl_problems(built.dataset, SHAPES, ONTOLOGY, built.corpus)
    claim = next(c for c in built.corpus.claims if c.id == "herald-ruritania-warns-freedonia")
    assert [(p.file, p.line) for p in problems] == [(claim.where.file, claim.where.line)]
    assert "recipient" in problems[0].message and "herald-2021-06" in problems[0].message


def test_a_bad_record_is_reported_from_the_records_at_its_line():
    # What the build runs: the records' triples, before anything is written.
    from dataclasses import replace

    from kg.records import Quote

    built = kg.pipeline.load(GOOD, shapes=False)
    claim = next(c for c in built.corpus.claims if c.id == "herald-ruritania-warns-freedonia")
    broken = replace(claim, quotes=(Quote(claim.quotes[0].text, 40, 10),))  # start > end
    corpus = replace(built.corpus, claims=tuple(broken if c is claim else c
                                                for c in built.corpus.claims))
    problems = shacl_problems(corpus, kg.pipeline.load_ontology(), COMPILED)
    assert [(p.file, p.line) for p in problems] == [(claim.where.file, claim.where.line)]
    assert "start offset" in problems[0].message and "herald-2021-06" in problems[0].message
    # Only the graphs asked for.
    assert shacl_problems(corpus, kg.pipeline.load_ontology(), COMPILED, {"reference"}) == []
