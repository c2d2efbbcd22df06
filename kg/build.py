"""The builder: records -> an rdflib ``Dataset``. No file I/O happens here.

The dataset holds one named graph for the ontology, one for the reference data
(entities and source descriptions) and one per source with that source's claims.
It is written through rdflib's Store API: pass any rdflib store (or plugin name)
and the same code fills it.

SPARQL over the dataset sees the union of all named graphs as its default graph
(``default_union=True``); ``GRAPH ?g { ... }`` still tells the sources apart.

Example:
    >>> from kg.records import Corpus, Entity, Source
    >>> corpus = Corpus(sources=(Source("s1", "s1.txt", "0" * 64, title="T"),),
    ...                 entities=(Entity("russia", "state", "Russia"),), claims=())
    >>> ds = build_dataset(corpus)
    >>> sorted(local_id(g.identifier) for g in ds.graphs() if len(g))
    ['reference']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.store import Store

from .records import Claim, Corpus, Count, DateValue, Entity, Source
from .vocab import (
    ENUM_TERMS, KG, KIND_CLASS, SCHEMA, TYPE_CLASS, WD, claim_iri, entity_iri, event_iri,
    graph_iri, local_id, source_iri,
)

Triple = tuple[URIRef, URIRef, Any]

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear,
               "before": XSD.date}

#: Field -> (predicate, how to turn a value into an RDF term).
_FIELD_MAP: dict[str, tuple[URIRef, str]] = {
    "warner": (KG.warner, "entity"), "recipient": (KG.recipient, "entity"),
    "subject": (KG.subject, "entity"), "place": (KG.place, "entity"),
    "perpetrators": (KG.perpetrator, "entity"), "responder": (KG.responder, "entity"),
    "claimant": (KG.claimant, "entity"), "sharer": (KG.sharer, "entity"),
    "accused": (KG.accused, "entity"), "victim": (KG.victim, "entity"),
    "issuer": (KG.issuer, "entity"), "person": (KG.person, "entity"),
    "organisation": (KG.organisation, "entity"), "member": (KG.member, "entity"),
    "concerns": (KG.concerns, "event"), "responds_to": (KG.respondsTo, "event"),
    "disputes": (KG.disputes, "event"), "policy": (KG.underPolicy, "event"),
    "channel": (KG.channel, "channel"), "specificity": (KG.specificity, "specificity"),
    "outcome": (KG.outcome, "outcome"), "status": (KG.status, "status"),
    "response": (KG.responseType, "response"), "relation": (KG.affiliationType, "relation"),
    "aspect": (KG.disputedAspect, "aspect"),
    "name": (KG.name, "text"), "target": (KG.target, "text"),
    "description": (KG.description, "text"), "role": (KG.roleName, "text"),
    "waivers": (KG.waiverCondition, "text"),
    "killed": (KG.killed, "count"), "injured": (KG.injured, "count"),
    "date": (KG.date, "date"),
}


def build_dataset(corpus: Corpus, ontology: Graph | None = None,
                  store: Store | str = "default") -> Dataset:
    """Turn a checked corpus into a Dataset with ontology, reference and per-source graphs.

    Args:
        corpus: records whose quotes have been located (see ``kg.validate.check_corpus``).
        ontology: the ontology graph to include as the ``ontology`` named graph.
        store: an rdflib Store instance or plugin name; the in-memory store by default.
    """
    dataset = Dataset(store=store, default_union=True)
    bind_prefixes(dataset)
    if ontology is not None:
        target = dataset.graph(graph_iri("ontology"))
        target.addN((s, p, o, target) for s, p, o in ontology)
    reference = dataset.graph(graph_iri("reference"))
    reference.addN((s, p, o, reference) for s, p, o in reference_triples(corpus))
    graphs = {s.id: dataset.graph(graph_iri(s.id)) for s in corpus.sources}
    for claim in corpus.claims:
        graph = graphs[claim.source]
        graph.addN((s, p, o, graph) for s, p, o in claim_triples(claim))
    return dataset


def bind_prefixes(graph: Graph | Dataset) -> None:
    """Bind the prefixes our outputs use, so serialisations are readable and stable."""
    from .vocab import BASE, ORG, SEM

    for prefix, ns in (("kg", str(KG._NS)), ("entity", BASE + "id/entity/"),
                       ("event", BASE + "id/event/"), ("claim", BASE + "id/claim/"),
                       ("source", BASE + "id/source/"), ("graph", BASE + "graph/"),
                       ("prov", str(PROV)), ("dcterms", str(DCTERMS)), ("org", str(ORG)),
                       ("sem", str(SEM)), ("schema", str(SCHEMA)), ("skos", str(SKOS)),
                       ("wd", str(WD)), ("owl", str(OWL))):
        graph.bind(prefix, ns, override=True, replace=True)


def reference_triples(corpus: Corpus) -> Iterator[Triple]:
    """Triples describing the reference entities and the sources."""
    for entity in corpus.entities:
        yield from entity_triples(entity)
    for source in corpus.sources:
        yield from source_triples(source)


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """Triples for one reference entity."""
    node = entity_iri(entity.id)
    yield node, RDF.type, TYPE_CLASS[entity.type]
    yield node, RDFS.label, Literal(entity.label)
    for alias in entity.aliases:
        yield node, SKOS.altLabel, Literal(alias)
    if entity.state is not None:
        predicate = SCHEMA.containedInPlace if entity.type == "place" else KG.actsFor
        yield node, predicate, entity_iri(entity.state)
    if entity.wikidata:
        yield node, OWL.sameAs, WD[entity.wikidata]
    if entity.description:
        yield node, RDFS.comment, Literal(entity.description)


def source_triples(source: Source) -> Iterator[Triple]:
    """Triples describing one source (an article)."""
    node = source_iri(source.id)
    yield node, RDF.type, KG.Source
    yield node, RDFS.label, Literal(source.id)
    yield node, KG.file, Literal(source.file)
    yield node, KG.sha256, Literal(source.sha256)
    for predicate, value in ((DCTERMS.title, source.title), (DCTERMS.publisher, source.outlet),
                             (DCTERMS.creator, source.author), (KG.note, source.notes),
                             (KG.relation, source.relation)):
        if value is not None:
            yield node, predicate, Literal(value)
    if source.language:
        yield node, DCTERMS.language, Literal(source.language)
    if source.translated_from:
        yield node, KG.translatedFrom, Literal(source.translated_from)
    if source.url:
        yield node, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI)
    if source.derived_from:
        yield node, PROV.wasDerivedFrom, source_iri(source.derived_from)
    if source.published is not None:
        yield from _date_triples(node, DCTERMS.issued, source.published)


def claim_triples(claim: Claim) -> Iterator[Triple]:
    """Triples for one claim: the claim node, its quotes, and what it says of its event."""
    node, event, source = claim_iri(claim.id), event_iri(claim.event), source_iri(claim.source)
    yield node, RDF.type, KG.Claim
    yield node, KG.asserts, event
    yield node, KG.inSource, source
    yield node, KG.method, ENUM_TERMS["method"][claim.method]
    if claim.confidence is not None:
        yield node, KG.confidence, Literal(claim.confidence, datatype=XSD.decimal)
    if claim.note:
        yield node, KG.note, Literal(claim.note)
    for i, quote in enumerate(claim.quotes):
        qnode = URIRef(f"{node}/quote/{i}")
        yield node, KG.evidence, qnode
        yield qnode, RDF.type, KG.Quote
        yield qnode, KG.quote, Literal(quote.text)
        yield qnode, KG.inSource, source
        if quote.start is not None and quote.end is not None:
            yield qnode, KG.startOffset, Literal(quote.start)
            yield qnode, KG.endOffset, Literal(quote.end)
    yield event, RDF.type, KIND_CLASS[claim.kind]
    for name, value in claim.fields:
        predicate, how = _FIELD_MAP[name]
        values = value if isinstance(value, tuple) else (value,)
        for i, v in enumerate(values):
            yield from _CONVERT[how](event, predicate, v, f"{node}/{name}/{i}")


def _date_triples(node: URIRef, predicate: URIRef, date: DateValue) -> Iterator[Triple]:
    yield node, predicate, Literal(date.value, datatype=_DATE_TYPES[date.precision])
    yield node, KG.datePrecision, ENUM_TERMS["precision"][date.precision]
    if date.text:
        yield node, KG.dateText, Literal(date.text)


def _count_triples(event: URIRef, predicate: URIRef, count: Count,
                   iri: str) -> Iterator[Triple]:
    node = URIRef(iri)
    yield event, predicate, node
    yield node, RDF.type, KG.Count
    yield node, KG.value, Literal(count.value)
    yield node, KG.qualifier, ENUM_TERMS["qualifier"][count.qualifier]
    if count.text:
        yield node, KG.countText, Literal(count.text)


def _enum(kind: str) -> Callable[..., Iterator[Triple]]:
    def convert(event: URIRef, predicate: URIRef, value: str, _iri: str) -> Iterator[Triple]:
        yield event, predicate, ENUM_TERMS[kind][value]
    return convert


_CONVERT: dict[str, Callable[..., Iterator[Triple]]] = {
    "entity": lambda e, p, v, _i: iter([(e, p, entity_iri(v))]),
    "event": lambda e, p, v, _i: iter([(e, p, event_iri(v))]),
    "text": lambda e, p, v, _i: iter([(e, p, Literal(v))]),
    "date": lambda e, p, v, _i: _date_triples(e, p, v),
    "count": _count_triples,
    **{kind: _enum(kind) for kind in ("channel", "specificity", "outcome", "status",
                                      "response", "relation", "aspect")},
}

__all__ = ["build_dataset", "bind_prefixes", "claim_triples", "reference_triples",
           "entity_triples", "source_triples", "local_id"]
