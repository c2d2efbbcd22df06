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

import hashlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import fields
from decimal import Decimal
from itertools import islice
from pathlib import Path
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
Quad = tuple[URIRef, URIRef, Any, URIRef]

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


#: Fingerprint key of the entities alone (part of the reference graph): when they change,
#: every source graph must be validated again, not only the changed ones.
ENTITIES = str(graph_iri("reference")) + "#entities"
#: Quads written per call to the store: one transaction (Oxigraph) or request (SPARQL) each.
BATCH = 20_000


def build_dataset(corpus: Corpus, ontology: Graph | None = None,
                  store: Store | str | Dataset = "default",
                  only: Collection[str] | None = None) -> Dataset:
    """Turn a checked corpus into a Dataset with ontology, reference and per-source graphs.

    Triples are streamed into the store in batches of :data:`BATCH` quads through the
    Store API (``addN``); nothing holds all of them at once.

    Args:
        corpus: records whose quotes have been located (see ``kg.validate.check_corpus``).
        ontology: the ontology graph to include as the ``ontology`` named graph.
        store: an rdflib Store instance or plugin name (the in-memory store by default), or
            an open Dataset (see ``kg.stores.open_dataset``) to write into.
        only: write only these named graphs (local ids: ``ontology``, ``reference`` or a
            source id); every graph by default.
    """
    dataset = store if isinstance(store, Dataset) else Dataset(store=store, default_union=True)
    bind_prefixes(dataset)
    graphs: dict[URIRef, Graph] = {}
    names = ("ontology",) * (ontology is not None) + ("reference",) + tuple(
        s.id for s in corpus.sources)
    for name in names:
        if only is None or name in only:
            graphs[graph_iri(name)] = dataset.graph(graph_iri(name))
    quads = ((s, p, o, graphs[g]) for s, p, o, g in dataset_quads(corpus, ontology, only))
    while batch := list(islice(quads, BATCH)):
        # The store's own addN: Dataset.addN would make a new Graph object for every quad.
        dataset.store.addN(batch)
    return dataset


def dataset_quads(corpus: Corpus, ontology: Graph | None = None,
                  only: Collection[str] | None = None) -> Iterator[Quad]:
    """Every quad of the dataset as ``(s, p, o, graph IRI)``, generated one record at a time."""
    def wanted(name: str) -> bool:
        return only is None or name in only

    if ontology is not None and wanted("ontology"):
        target = graph_iri("ontology")
        yield from ((s, p, o, target) for s, p, o in ontology)
    if wanted("reference"):
        target = graph_iri("reference")
        yield from ((s, p, o, target) for s, p, o in reference_triples(corpus))
    for claim in corpus.claims:
        if wanted(claim.source):
            target = graph_iri(claim.source)
            yield from ((s, p, o, target) for s, p, o in claim_triples(claim))


def graph_fingerprints(corpus: Corpus, ontology: Graph | None = None) -> dict[str, str]:
    """Graph IRI -> sha256 of everything that named graph is built from.

    A graph whose fingerprint is unchanged holds the same triples, so an incremental
    build (``kg.pipeline``) leaves it alone. One more key, :data:`ENTITIES`, covers the
    reference entities alone. The builder's own code is part of every fingerprint: a new
    version of it rebuilds everything.
    """
    code = hashlib.sha256()
    for module in ("build.py", "vocab.py"):
        code.update((Path(__file__).parent / module).read_bytes())
    digests: dict[str, Any] = {}

    def digest(name: str) -> Any:
        if name not in digests:
            digests[name] = hashlib.sha256(code.digest())
        return digests[name]

    if ontology is not None:
        for line in sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in ontology):
            digest("ontology").update(line.encode())
    for entity in corpus.entities:
        digest("reference").update(_record_key(entity))
        digest(ENTITIES).update(_record_key(entity))
    for source in corpus.sources:
        digest("reference").update(_record_key(source))
    for source in corpus.sources:
        digest(source.id).update(_record_key(source))
    for claim in corpus.claims:
        digest(claim.source).update(_record_key(claim))
    return {name if name == ENTITIES else str(graph_iri(name)): h.hexdigest()
            for name, h in digests.items()}


def _record_key(record: Any) -> bytes:
    # The fields that say what a record is (not where it was read: ``where`` has compare=False).
    return repr(tuple(getattr(record, f.name) for f in fields(record) if f.compare)).encode()


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
        # A float would be typed xsd:double by value; a Decimal is a valid xsd:decimal.
        yield node, KG.confidence, Literal(Decimal(str(claim.confidence)), datatype=XSD.decimal)
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

__all__ = ["bind_prefixes", "build_dataset", "claim_triples", "dataset_quads", "entity_triples",
           "graph_fingerprints", "local_id", "reference_triples", "source_triples"]
