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
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, PROV

import kg.pipeline
from kg.iri import entity_iri, graph_iri
from kg.vocab import ENUM_TERMS, KG, KIND_CLASS, ORG, SCHEMA, SEM, TYPE_CLASS

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
    (KG.Source, RDFS.subClassOf, KG.Article),
    (KG.Article, RDFS.subClassOf, PROV.Entity),
    (KG.Summary, RDFS.subClassOf, PROV.Derivation),
    (KG.Translation, RDFS.subClassOf, PROV.Derivation),
    (KG.Repost, RDFS.subClassOf, PROV.Quotation),
    (KG.position, RDFS.subPropertyOf, ORG.role),
    (KG.position, RDFS.range, ORG.Role),
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
    (KG.State, RDFS.subClassOf, ORG.Organization),
    (KG.Agency, RDFS.subClassOf, ORG.Organization),
    (KG.Group, RDFS.subClassOf, ORG.Organization),
    (KG.Role, RDFS.subClassOf, ORG.Membership),
    (KG.person, RDFS.subPropertyOf, ORG.member),
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


def disjoint_groups(ontology: Graph) -> list[list[frozenset[URIRef]]]:
    """Each owl:AllDisjointClasses as its members, a union member as the set it unites."""
    groups = []
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = []
        for member in Collection(ontology, ontology.value(axiom, OWL.members)):
            union = ontology.value(member, OWL.unionOf)
            members.append(frozenset(Collection(ontology, union)) if union is not None
                           else frozenset([member]))
        groups.append(members)
    return groups


def disjoint(ontology: Graph, a: URIRef, b: URIRef) -> bool:
    return any(a in x and b in y for group in disjoint_groups(ontology)
               for x in group for y in group if x is not y)


@pytest.mark.parametrize(("a", "b"), [
    (KG.Quote, KG.Actor), (KG.Article, KG.Event), (KG.Claim, KG.Actor), (KG.Place, KG.Actor),
    (KG.Article, KG.Actor), (KG.Quote, KG.Event), (KG.Person, KG.State),
    (KG.Person, KG.Agency), (KG.Person, KG.Group), (KG.State, KG.Agency),
    (KG.Warning, KG.Attack), (KG.Warning, KG.Response), (KG.Attack, KG.Response),
    (KG.IntelligenceSharing, KG.FailureToWarn), (KG.Plot, KG.ClaimOfResponsibility),
    (KG.Summary, KG.Repost), (ORG.Role, KG.Actor),
])
def test_category_errors_are_disjoint(ontology, a, b):
    assert disjoint(ontology, a, b) and disjoint(ontology, b, a)


@pytest.mark.parametrize(("a", "b"), [(KG.Warning, KG.IntelligenceSharing),
                                      (KG.Attack, KG.Plot)])
def test_classes_sources_disagree_on_are_not_disjoint(ontology, a, b):
    # The FSB's tip is a Warning in one source's graph, IntelligenceSharing in another's.
    assert not disjoint(ontology, a, b)
    assert not list(ontology.triples((None, OWL.disjointWith, None)))


def test_no_functional_properties(ontology):
    # Sources may name different warners or dates for one event: one value per source is
    # the shapes' rule (per graph), not OWL's.
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        assert not list(ontology.subjects(RDF.type, kind)), kind
    assert not list(ontology.triples((None, OWL.maxCardinality, None)))
    assert not list(ontology.triples((None, OWL.cardinality, None)))


def test_state_is_a_government_not_a_territory(ontology):
    # OOPS! P07: one class for two concepts. A state is an actor; kg:place may name one.
    assert (KG.State, RDFS.subClassOf, SCHEMA.Country) not in ontology
    assert disjoint(ontology, KG.Actor, KG.Place)


def test_ontology_header_has_licence_and_creator(ontology):
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == \
        URIRef("https://opensource.org/licenses/MIT")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) is not None


#: Annotation properties OWL itself defines.
BUILT_IN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, OWL.versionInfo}
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_metadata_terms_are_annotation_properties(ontology):
    # dcterms:description as a datatype property made the ontology header an individual.
    for term in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator,
                 DCTERMS.publisher, DCTERMS.language, SKOS.altLabel, SCHEMA.url):
        assert (term, RDF.type, OWL.AnnotationProperty) in ontology, term
    for s, p, _o in ontology:
        if s == ONTOLOGY_IRI and p != RDF.type:
            assert p in BUILT_IN_ANNOTATIONS or \
                (p, RDF.type, OWL.AnnotationProperty) in ontology, p


def check_dl_declarations(ontology: Graph, graph: Graph) -> None:
    """OWL 2 DL's typing: every property used is declared one kind, and used as that kind."""
    problems = set()
    for term in set(ontology.subjects(RDF.type, None)):
        kinds = [k for k in PROPERTY_KINDS if (term, RDF.type, k) in ontology]
        if len(kinds) > 1:
            problems.add(f"{term} declared as {kinds}")
    for _s, p, o in graph:
        if str(p).startswith((str(RDF), str(RDFS), str(OWL))) and p != RDF.type:
            if p in BUILT_IN_ANNOTATIONS or p == OWL.sameAs:
                continue
        if p == RDF.type:
            continue
        if (p, RDF.type, OWL.AnnotationProperty) in ontology or p in BUILT_IN_ANNOTATIONS \
                or p == OWL.sameAs:
            continue
        if (p, RDF.type, OWL.DatatypeProperty) in ontology:
            if not isinstance(o, Literal):
                problems.add(f"datatype property {p} has a non-literal")
        elif (p, RDF.type, OWL.ObjectProperty) in ontology:
            if isinstance(o, Literal):
                problems.add(f"object property {p} has a literal")
        elif str(p).startswith(str(OWL)) or str(p).startswith(str(RDFS)) or \
                str(p).startswith(str(RDF)):
            continue
        else:
            problems.add(f"{p} is not declared")
    assert not problems, sorted(problems)


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


def test_good_corpus_declares_every_term_it_uses(ontology, good):
    check_dl_declarations(ontology, union_graph(good.dataset))


def test_dl_check_finds_an_undeclared_term(ontology, good):
    graph = union_graph(good.dataset)
    graph.add((entity_iri("ruritania"), URIRef("http://example.org/undeclared"), Literal("x")))
    with pytest.raises(AssertionError, match="undeclared is not declared"):
        check_dl_declarations(ontology, graph)


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
    check_dl_declarations(ontology, union_graph(real.dataset))


def test_real_data_never_gives_one_node_two_disjoint_classes(ontology, real):
    # Sources disagree on what kind of event one is; the union must not contradict the
    # disjointness axioms (the FSB's tip is a Warning in one graph, IntelligenceSharing in
    # another's: those two overlap on purpose).
    union = union_graph(real.dataset)
    clashes = []
    for node in set(union.subjects(RDF.type, None)):
        kinds = sorted(o for o in union.objects(node, RDF.type) if str(o).startswith(NS))
        clashes += [(node, a, b) for i, a in enumerate(kinds) for b in kinds[i + 1:]
                    if disjoint(ontology, a, b)]
    assert clashes == []
    tip = URIRef("https://w3id.org/duty-to-warn/id/event/russia-warns-us-tsarnaev")
    assert {KG.Warning, KG.IntelligenceSharing} <= set(union.objects(tip, RDF.type))


def test_real_data_types_only_with_declared_classes(ontology, real):
    owl_own = {OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
               OWL.AnnotationProperty, OWL.NamedIndividual, OWL.AllDifferent,
               OWL.AllDisjointClasses, OWL.Restriction}
    used = set(union_graph(real.dataset).objects(None, RDF.type)) - owl_own
    assert [c for c in used if (c, RDF.type, OWL.Class) not in ontology] == []


def source_node(name: str) -> URIRef:
    return URIRef(f"https://w3id.org/duty-to-warn/id/source/{name}")


def article_node(name: str) -> URIRef:
    return URIRef(f"https://w3id.org/duty-to-warn/id/article/{name}")


@pytest.mark.parametrize(("copy", "original", "kind"), [
    ("ap-summary", source_node("ap-2024-03"), KG.Summary),
    ("rfi-2024-03", article_node("rfi-2024-03-fr"), KG.Translation),
    ("daily-beast-2020-07", article_node("daily-beast-2020-07-08"), KG.Repost),
])
def test_every_copy_is_derived_from_its_original(real, copy, original, kind):
    reference = real.dataset.graph(graph_iri("reference"))
    node = source_node(copy)
    assert (node, PROV.wasDerivedFrom, original) in reference
    derivation = reference.value(node, PROV.qualifiedDerivation)
    assert (derivation, RDF.type, kind) in reference
    assert (derivation, PROV.entity, original) in reference
    # The kind of derivation is the derivation's class, no longer a string on the source.
    assert not [o for o in reference.objects(node, None) if str(o) == kind.removeprefix(NS)
                .lower()]


def test_unstored_originals_are_articles_of_their_own(real):
    reference = real.dataset.graph(graph_iri("reference"))
    french = article_node("rfi-2024-03-fr")
    assert (french, RDF.type, KG.Article) in reference
    assert (french, RDF.type, KG.Source) not in reference
    assert reference.value(french, DCTERMS.language) == Literal("fr")
    assert reference.value(french, DCTERMS.publisher) == Literal("RFI")
    story = article_node("daily-beast-2020-07-08")
    assert str(reference.value(story, SCHEMA.url)).startswith("https://www.thedailybeast.com/")
    assert reference.value(story, DCTERMS.publisher) == Literal("The Daily Beast")
    assert reference.value(story, DCTERMS.creator) == Literal("Spencer Ackerman")
    repost = source_node("daily-beast-2020-07")
    assert (repost, PROV.wasQuotedFrom, story) in reference
    # The blog's own node no longer carries the story's outlet and address.
    assert reference.value(repost, DCTERMS.publisher) is None
    assert reference.value(repost, SCHEMA.url) is None


def test_each_named_graph_says_which_source_it_holds(real):
    reference = real.dataset.graph(graph_iri("reference"))
    for source in real.corpus.sources:
        assert list(reference.objects(graph_iri(source.id), DCTERMS.source)) == \
            [source_node(source.id)]


def test_org_links_and_positions(real):
    graph = real.dataset.graph(graph_iri("ap-2024-03"))
    reference = real.dataset.graph(graph_iri("reference"))
    assert (entity_iri("fsb"), ORG.subOrganizationOf, entity_iri("russia")) in graph
    assert (entity_iri("isis-k"), ORG.linkedTo, entity_iri("islamic-state")) in graph
    union = union_graph(real.dataset)
    assert not [a for a in union.subjects(RDF.type, KG.Affiliation)
                if (a, RDF.type, ORG.Membership) in union]
    role = next(r for r in graph.subjects(KG.person, entity_iri("william-burns")))
    position = graph.value(role, KG.position)
    assert (position, RDF.type, ORG.Role) in reference
    assert reference.value(position, RDFS.label) == Literal("CIA Director")
    assert not [o for o in graph.objects(role, None) if isinstance(o, Literal)
                and str(o) == "CIA Director"]


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


def test_service_description_says_which_source_each_graph_holds():
    from kg.serve.description import service_description
    from kg.serve.protocol import Limits

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    names = [graph_iri(n) for n in ("ontology", "reference", "ap-2024-03")]
    description = service_description("http://127.0.0.1:1/sparql",
                                      {str(n): 1 for n in names}, 3, Limits())
    held = {}
    for named in description.subjects(sd.name, None):
        graph = description.value(named, sd.graph)
        held[description.value(named, sd.name)] = list(description.objects(graph,
                                                                           DCTERMS.source))
    assert held == {names[0]: [], names[1]: [], names[2]: [source_node("ap-2024-03")]}
