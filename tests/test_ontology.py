"""The ontology (ontology/kg.ttl): its terms match kg.vocab.KG, and it is consistent with data.

(a) The file parses, declares exactly the terms of the closed namespace ``KG`` (both
ways), each with a label, a comment and one kind of declaration, and aligns with the
community vocabularies the design names.
(b) An OWL 2 RL closure (owlrl) over the ontology plus a built dataset -- the tiny
corpus in tests/data/good and the real data/ -- entails no owl:Nothing member and no
inconsistency. owlrl reports an inconsistency by adding ``[] a err:ErrorMessage ;
err:error "..."`` to the graph (owlrl.Closure.Core.closure, namespace
owlrl.Namespaces.ERRNS); a sanity test checks that this detection works.
"""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

import kg.pipeline
from kg.vocab import ENUM_TERMS, KG, KIND_CLASS, ORG, SCHEMA, SEM, TYPE_CLASS, entity_iri

# rdflib's XSD namespace warns when pytest's doctest collector probes module globals.
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "kg.ttl"
GOOD = ROOT / "tests" / "data" / "good"
DATA = ROOT / "data"
NS = str(KG._NS)
ONTOLOGY_IRI = URIRef("https://w3id.org/duty-to-warn/ontology")

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)

#: Record enum name -> the value class of its individuals.
VALUE_CLASS = {
    "precision": KG.DatePrecision, "qualifier": KG.Qualifier, "channel": KG.Channel,
    "specificity": KG.Specificity, "outcome": KG.Outcome, "status": KG.PlotStatus,
    "response": KG.ResponseType, "relation": KG.AffiliationType,
    "aspect": KG.DisputedAspect, "method": KG.ClaimMethod, "reciprocity": KG.ReciprocityLevel,
}

EVENT_CLASSES = (KG.Warning, KG.Attack, KG.Plot, KG.Response, KG.ClaimOfResponsibility,
                 KG.IntelligenceSharing, KG.FailureToWarn)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def vocab_terms() -> set[URIRef]:
    return {URIRef(NS + name) for name in KG.__annotations__}


def ontology_terms(graph: Graph) -> set[URIRef]:
    """Every IRI of the kg: namespace that the ontology mentions anywhere."""
    return {node for node in graph.all_nodes()
            if isinstance(node, URIRef) and str(node).startswith(NS)}


# --- (a) the ontology and the closed namespace ------------------------------------------------


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")


def test_declares_exactly_the_vocab_terms(ontology):
    in_file, in_vocab = ontology_terms(ontology), vocab_terms()
    only_file = sorted(t.removeprefix(NS) for t in in_file - in_vocab)
    only_vocab = sorted(t.removeprefix(NS) for t in in_vocab - in_file)
    print("in kg.ttl but not in kg.vocab.KG:", only_file)
    print("in kg.vocab.KG but not in kg.ttl:", only_vocab)
    assert not only_file and not only_vocab, (
        f"kg.ttl and kg.vocab.KG differ: only in kg.ttl {only_file}; "
        f"only in KG {only_vocab}")


def test_every_term_has_one_kind_of_declaration(ontology):
    for term in sorted(vocab_terms()):
        kinds = [k for k in DECLARATIONS if (term, RDF.type, k) in ontology]
        assert len(kinds) == 1, f"{term} is declared as {kinds}; expected exactly one of " \
                                f"owl:Class, owl:ObjectProperty, owl:DatatypeProperty, " \
                                f"owl:NamedIndividual"


def test_every_term_has_an_english_label_and_comment(ontology):
    missing = []
    for term in sorted(vocab_terms()):
        for predicate in (RDFS.label, RDFS.comment):
            values = [v for v in ontology.objects(term, predicate)
                      if isinstance(v, Literal) and v.language == "en" and str(v).strip()]
            if len(values) != 1:
                missing.append(f"{term.removeprefix(NS)} {predicate.n3()} x{len(values)}")
    assert not missing, missing


def graph_values() -> dict[str, set[URIRef]]:
    """The records' controlled values as the graph types them: the records' precision
    ``before`` is, in the graph, a day-precision date with the qualifier kg:Before."""
    values = {enum: set(terms.values()) for enum, terms in ENUM_TERMS.items()}
    values["precision"].discard(KG.Before)
    values["qualifier"].add(KG.Before)
    return values


def test_individuals_are_typed_with_their_value_class(ontology):
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    expected = {term: VALUE_CLASS[enum] for enum, terms in graph_values().items()
                for term in terms}
    assert individuals == set(expected)
    for term, value_class in expected.items():
        classes = set(ontology.objects(term, RDF.type)) - {OWL.NamedIndividual}
        assert classes == {value_class}, f"{term} is typed {classes}, expected {value_class}"
        assert (value_class, RDF.type, OWL.Class) in ontology


def test_value_individuals_are_all_different(ontology):
    different: set[frozenset] = set()
    for node in ontology.subjects(RDF.type, OWL.AllDifferent):
        members = list(ontology.items(ontology.value(node, OWL.members)))
        different.add(frozenset(members))
    for enum, terms in graph_values().items():
        assert frozenset(terms) in different, f"no owl:AllDifferent for {enum}"


def test_record_kinds_and_entity_types_are_classes(ontology):
    for cls in (*KIND_CLASS.values(), *TYPE_CLASS.values()):
        assert (cls, RDF.type, OWL.Class) in ontology
    for cls in EVENT_CLASSES:
        assert (cls, RDFS.subClassOf, KG.Event) in ontology, cls
    for cls in (KG.State, KG.Agency, KG.Group, KG.Person):
        assert (cls, RDFS.subClassOf, KG.Actor) in ontology, cls
    # Plans and relations are asserted by claims but are not world events.
    for cls in (KG.Policy, KG.Role, KG.Affiliation, KG.Dispute, KG.ReciprocityVerdict):
        assert (cls, RDFS.subClassOf, KG.Event) not in ontology, cls


@pytest.mark.parametrize("triple", [
    (KG.Claim, RDFS.subClassOf, PROV.Entity),
    (KG.Quote, RDFS.subClassOf, PROV.Entity),
    (KG.Source, RDFS.subClassOf, PROV.Entity),
    (KG.inSource, RDFS.subPropertyOf, PROV.hadPrimarySource),
    (KG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (KG.Actor, RDFS.subClassOf, PROV.Agent),
    (KG.Actor, RDFS.subClassOf, SEM.Actor),
    (KG.actsFor, RDFS.subPropertyOf, PROV.actedOnBehalfOf),
    (KG.Policy, RDFS.subClassOf, PROV.Plan),
    (KG.Event, RDFS.subClassOf, SEM.Event),
    (KG.Place, RDFS.subClassOf, SEM.Place),
    (KG.Place, RDFS.subClassOf, SCHEMA.Place),
    (KG.place, RDFS.subPropertyOf, SEM.hasPlace),
    (KG.warner, RDFS.subPropertyOf, SEM.hasActor),
    (KG.State, RDFS.subClassOf, SCHEMA.Country),
    (KG.Agency, RDFS.subClassOf, ORG.Organization),
    (KG.Group, RDFS.subClassOf, ORG.Organization),
    (KG.Role, RDFS.subClassOf, ORG.Membership),
    (KG.person, RDFS.subPropertyOf, ORG.member),
    (KG.organisation, RDFS.subPropertyOf, ORG.organization),
    (KG.Person, RDFS.subClassOf, FOAF.Person),
    (KG.killed, RDFS.range, KG.Count),
    (KG.injured, RDFS.range, KG.Count),
    (KG.value, RDFS.range, XSD_INTEGER),
])
def test_alignment_and_ranges(ontology, triple):
    assert triple in ontology


def test_event_is_not_a_prov_activity(ontology):
    # PROV-O describes our statements (sources, claims, quotes), not the world's events.
    assert (KG.Event, RDFS.subClassOf, PROV.Activity) not in ontology


def test_date_bounds_are_instants_of_a_date_value(ontology):
    # xsd:dateTime is in the OWL 2 datatype map; xsd:date, gYearMonth and gYear are not.
    for bound in (KG.earliest, KG.latest):
        assert ontology.value(bound, RDFS.range) == XSD.dateTime
        assert ontology.value(bound, RDFS.domain) == KG.DateValue
    assert ontology.value(KG.dated, RDFS.range) == KG.DateValue
    assert ontology.value(KG.published, RDFS.range) == KG.DateValue
    assert (KG.Before, RDF.type, KG.Qualifier) in ontology
    assert (KG.Before, RDF.type, KG.DatePrecision) not in ontology


def test_no_disjointness_and_no_functional_properties(ontology):
    # Sources may type one event differently and name different warners or dates for it.
    for predicate in (OWL.disjointWith, OWL.propertyDisjointWith, OWL.disjointUnionOf):
        assert not list(ontology.triples((None, predicate, None))), predicate
    for kind in (OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.FunctionalProperty,
                 OWL.InverseFunctionalProperty):
        assert not list(ontology.subjects(RDF.type, kind)), kind
    assert not list(ontology.triples((None, OWL.maxCardinality, None)))
    assert not list(ontology.triples((None, OWL.cardinality, None)))


# --- built datasets ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good():
    return kg.pipeline.load(GOOD)


def union_graph(dataset) -> Graph:
    """All named graphs of a dataset (ontology, reference, every source) as one graph."""
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def check_builder_uses_terms_as_declared(ontology: Graph, graph: Graph) -> None:
    problems = set()
    for s, p, o in graph:
        if str(p).startswith(NS):
            kind = OWL.DatatypeProperty if isinstance(o, Literal) else OWL.ObjectProperty
            if (p, RDF.type, kind) not in ontology:
                problems.add(f"{p.removeprefix(NS)} used with a {type(o).__name__} object")
        if p == RDF.type and str(o).startswith(NS) and (s, RDF.type, OWL.NamedIndividual) \
                not in ontology:
            if (o, RDF.type, OWL.Class) not in ontology:
                problems.add(f"rdf:type {o.removeprefix(NS)} is not an owl:Class")
    assert not problems, sorted(problems)


def test_good_corpus_uses_terms_as_declared(ontology, good):
    check_builder_uses_terms_as_declared(ontology, union_graph(good.dataset))


# --- (b) OWL 2 RL consistency ------------------------------------------------------------------


def owl_rl_problems(graph: Graph) -> list[str]:
    """Expand ``graph`` in place with the OWL 2 RL closure; return what owlrl found wrong."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = sorted(str(m) for m in graph.objects(None, ERRNS.error))
    errors += [f"{node} is an owl:Nothing" for node in graph.subjects(RDF.type, OWL.Nothing)]
    return errors


@pytest.fixture(scope="module")
def good_closure(good):
    graph = union_graph(good.dataset)
    return graph, owl_rl_problems(graph)


def test_good_corpus_is_owl_rl_consistent(good_closure):
    _graph, problems = good_closure
    assert problems == []


def test_good_corpus_closure_entails_the_alignments(good_closure):
    graph, _problems = good_closure
    event = URIRef("https://w3id.org/duty-to-warn/id/event/ruritania-warns-freedonia")
    claim = URIRef("https://w3id.org/duty-to-warn/id/claim/herald-ruritania-warns-freedonia")
    source = URIRef("https://w3id.org/duty-to-warn/id/source/herald-2021-06")
    assert (event, RDF.type, KG.Event) in graph
    assert (event, RDF.type, SEM.Event) in graph
    assert (event, SEM.hasActor, entity_iri("ruritania")) in graph
    assert (entity_iri("ruritania"), RDF.type, PROV.Agent) in graph
    assert (entity_iri("ruritanian-intelligence-service"), PROV.actedOnBehalfOf,
            entity_iri("ruritania")) in graph
    assert (claim, RDF.type, PROV.Entity) in graph
    assert (claim, PROV.hadPrimarySource, source) in graph
    assert (entity_iri("grand-market"), RDF.type, SEM.Place) in graph


def test_owl_rl_check_detects_an_inconsistency(good):
    # Guard against a vacuous check: a clash with owl:AllDifferent must be reported.
    graph = union_graph(good.dataset)
    graph.add((KG.Day, OWL.sameAs, KG.Month))
    graph.add((entity_iri("ruritania"), RDF.type, OWL.Nothing))
    problems = owl_rl_problems(graph)
    assert any("AllDifferent" in p for p in problems), problems
    assert any("owl:Nothing" in p for p in problems), problems


@pytest.fixture(scope="module")
def real():
    # The real corpus: fails (with every data problem listed) while data/ is not loadable.
    return kg.pipeline.load(DATA)


def test_real_data_uses_terms_as_declared(ontology, real):
    check_builder_uses_terms_as_declared(ontology, union_graph(real.dataset))


#: The datatypes of the OWL 2 datatype map (OWL 2 Structural Specification, section 4), and
#: rdf:langString, which RDF 1.1 gives every language-tagged string.
OWL2_DATATYPES = {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational,
                  RDF.langString} | {XSD[name] for name in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
    "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
    "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
    "base64Binary anyURI dateTime dateTimeStamp").split()}


def datatypes_outside_owl2(dataset) -> dict[str, set[str]]:
    """Datatype -> graphs (IRIs) of every literal whose datatype a DL reasoner refuses."""
    found: dict[str, set[str]] = {}
    for _s, _p, o, g in dataset.quads((None, None, None, None)):
        if isinstance(o, Literal):
            datatype = o.datatype or (RDF.langString if o.language else XSD.string)
            if datatype not in OWL2_DATATYPES:
                found.setdefault(str(datatype), set()).add(str(getattr(g, "identifier", g)))
    return found


def test_good_corpus_uses_only_owl2_datatypes(good):
    assert datatypes_outside_owl2(good.dataset) == {}


def test_real_data_uses_only_owl2_datatypes(real):
    assert datatypes_outside_owl2(real.dataset) == {}


def test_datatype_scan_finds_a_date_literal():
    # Guard against a vacuous scan: an xsd:date, as the graph had them, is found.
    dataset = Dataset()
    dataset.graph(URIRef("urn:g")).add((URIRef("urn:e"), RDFS.label,
                                        Literal("2024-03-07", datatype=XSD.date)))
    assert datatypes_outside_owl2(dataset) == {str(XSD.date): {"urn:g"}}


def test_real_data_is_owl_rl_consistent(real):
    assert owl_rl_problems(union_graph(real.dataset)) == []
