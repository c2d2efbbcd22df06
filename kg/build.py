"""The builder: records -> an rdflib ``Dataset``. No file I/O happens here.

The dataset holds one named graph for the ontology, one for the reference data
(entities and source descriptions) and one per source with that source's claims.
It is written through rdflib's Store API: pass any rdflib store (or plugin name)
and the same code fills it.

SPARQL over the dataset sees the union of all named graphs as its default graph
(``default_union=True``); ``GRAPH ?g { ... }`` still tells the sources apart.

Example:
    >>> from kg.iri import local_id
    >>> from kg.records import Corpus, Entity, Source
    >>> corpus = Corpus(sources=(Source("s1", "s1.txt", "0" * 64, title="T"),),
    ...                 entities=(Entity("russia", "state", "Russia"),), claims=())
    >>> ds = build_dataset(corpus)
    >>> sorted(local_id(g.identifier) for g in ds.graphs() if len(g))
    ['reference']
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.store import Store

from .iri import (
    CLAIM,
    ENTITY,
    EVENT,
    article_iri,
    bind_prefixes,
    count_iri,
    derivation_iri,
    graph_iri,
    position_iri,
    quote_iri,
    source_iri,
)
from .records import (
    Claim,
    Corpus,
    Count,
    DateValue,
    Entity,
    Original,
    Source,
    date_instants,
    date_label,
)
from .vocab import (
    DERIVATION_CLASS,
    ENUM_TERMS,
    KG,
    KIND_CLASS,
    ORG,
    ORG_LINK,
    QUOTED_FROM,
    SCHEMA,
    TYPE_CLASS,
    WD,
)

Triple = tuple[URIRef, URIRef, Any]
#: A quad of rdflib terms or of a store's own (see :class:`Terms`).
Quad = tuple[Any, Any, Any, Any]

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
    "parties": (KG.party, "entity"), "reciprocity": (KG.reciprocity, "reciprocity"),
    "exchange": (KG.exchange, "text"),
    "name": (KG.name, "text"), "target": (KG.target, "text"),
    "description": (KG.description, "text"), "role": (KG.position, "position"),
    "waivers": (KG.waiverCondition, "text"),
    "killed": (KG.killed, "count"), "injured": (KG.injured, "count"),
    "date": (KG.dated, "date"),
}


#: Quads written per call to the store: one transaction (Oxigraph) or request (SPARQL) each.
BATCH = 20_000
#: IRI terms a :class:`Terms` remembers before it forgets them all (bounds its memory).
REMEMBERED_IRIS = 500_000


def build_dataset(corpus: Corpus, ontology: Graph | None = None,
                  store: Store | str | Dataset = "default",
                  only: Collection[str] | None = None) -> Dataset:
    """Turn a checked corpus into a Dataset with ontology, reference and per-source graphs.

    Quads are streamed into the store; nothing holds all of them at once. A
    ``kg.stores.NativeStore`` (Oxigraph) gets the records' quads as N-Triples text
    (``kg.output.nt_terms``), which it parses itself. Everything else goes as rdflib
    terms through the Store API (``addN``), in batches of :data:`BATCH` quads.

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
    graphs = {graph_iri(name): dataset.graph(graph_iri(name))
              for name in ("ontology", "reference", *(s.id for s in corpus.sources))}

    def add(quads: Iterator[tuple[Any, Any, Any, URIRef]]) -> None:
        contexts = ((s, p, o, graphs[g]) for s, p, o, g in quads)
        while batch := list(islice(contexts, BATCH)):
            # The store's own addN: Dataset.addN would make a new Graph object for every quad.
            dataset.store.addN(batch)

    from .output import nt_terms
    from .stores import native

    fast = native(dataset)
    if fast is None:
        add(dataset_quads(corpus, ontology, only))
        return dataset
    if ontology is not None and (only is None or "ontology" in only):
        # Through the Store API: the ontology's blank nodes keep their canonical labels.
        add((s, p, o, graph_iri("ontology")) for s, p, o in ontology)
    # A new maker each build: its memo of IRIs lives as long as the build.
    fast.add_nquads(dataset_quads(corpus, None, only, Triples(nt_terms())))
    return dataset


def dataset_quads(corpus: Corpus, ontology: Graph | None = None,
                  only: Collection[str] | None = None,
                  triples: Triples | None = None) -> Iterator[Quad]:
    """Every quad of the dataset as ``(s, p, o, graph)``, generated one record at a time.

    The records' terms are made by ``triples`` (rdflib's by default); the ontology's are
    always rdflib's, as parsed.
    """
    triples = triples or Triples()

    def wanted(name: str) -> bool:
        return only is None or name in only

    if ontology is not None and wanted("ontology"):
        target = graph_iri("ontology")
        yield from ((s, p, o, target) for s, p, o in ontology)
    if wanted("reference"):
        target = triples.graph("reference")
        yield from ((s, p, o, target) for s, p, o in triples.reference(corpus))
    for claim in corpus.claims:
        if wanted(claim.source):
            target = triples.graph(claim.source)
            yield from ((s, p, o, target) for s, p, o in triples.claim(claim))


class Terms:
    """How the builder makes RDF terms: rdflib's by default, or a store's own.

    The builder names every term through these two calls, so a store with native terms
    (Oxigraph's, see ``kg.stores``) is filled without making an rdflib term first. IRIs
    that recur (vocabulary, entities, events, graphs) are made once and remembered.

    Example:
        >>> terms = Terms(URIRef, lambda value, datatype: (value, datatype))
        >>> terms.iri("https://example.org/x") is terms.iri("https://example.org/x")
        True
        >>> terms.literal("5", str(XSD.integer))
        ('5', rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """

    def __init__(self, make_iri: Callable[[str], Any],
                 make_literal: Callable[[str, Any], Any]) -> None:
        self.new = make_iri
        self._make_literal = make_literal
        self._known: dict[str, Any] = {}

    def iri(self, value: str) -> Any:
        """A term for an IRI that recurs (remembered; forgets all past
        :data:`REMEMBERED_IRIS` of them)."""
        term = self._known.get(value)
        if term is None:
            if len(self._known) > REMEMBERED_IRIS:
                self._known.clear()
            term = self._known[value] = self.new(value)
        return term

    def literal(self, lexical: str, datatype: str | None = None) -> Any:
        """A literal: plain (``xsd:string``) when ``datatype`` is None."""
        return self._make_literal(lexical, None if datatype is None else self.iri(datatype))


def _rdflib_literal(lexical: str, datatype: URIRef | None) -> Literal:
    return Literal(lexical) if datatype is None else Literal(lexical, datatype=datatype)


def rdflib_terms() -> Terms:
    """rdflib's own terms (what ``build_dataset`` makes for rdflib's stores)."""
    return Terms(URIRef, _rdflib_literal)

_INTEGER, _DECIMAL, _ANY_URI, _DATE_TIME = (str(XSD.integer), str(XSD.decimal),
                                           str(XSD.anyURI), str(XSD.dateTime))


class Triples:
    """The triples of each record, as terms of one :class:`Terms` maker.

    Example:
        >>> from kg.iri import local_id
        >>> from kg.records import Entity
        >>> [(local_id(s), local_id(p)) for s, p, _ in
        ...  Triples().entity(Entity("russia", "state", "Russia"))]
        [('russia', 'type'), ('russia', 'label')]
    """

    def __init__(self, terms: Terms | None = None) -> None:
        # A Terms of its own by default: its memo lives as long as this emitter (one build).
        self.terms = t = terms or rdflib_terms()
        iri = t.iri
        self.type, self.label = iri(str(RDF.type)), iri(str(RDFS.label))
        self.vocab = {name: iri(str(value)) for name, value in (
            ("altLabel", SKOS.altLabel), ("containedInPlace", SCHEMA.containedInPlace),
            ("actsFor", KG.actsFor), ("within", KG.within), ("sameAs", OWL.sameAs),
            ("comment", RDFS.comment),
            ("Source", KG.Source), ("Article", KG.Article), ("textLength", KG.textLength),
            ("Position", ORG.Role), ("qualifiedDerivation", PROV.qualifiedDerivation),
            ("entity", PROV.entity), ("wasQuotedFrom", QUOTED_FROM),
            ("graphSource", DCTERMS.source), ("file", KG.file), ("sha256", KG.sha256),
            ("language", DCTERMS.language), ("translatedFrom", KG.translatedFrom),
            ("url", SCHEMA.url), ("wasDerivedFrom", PROV.wasDerivedFrom),
            ("Claim", KG.Claim), ("asserts", KG.asserts),
            ("inSource", KG.inSource), ("method", KG.method), ("confidence", KG.confidence),
            ("credibility", KG.credibility), ("inferredValue", KG.inferredValue),
            ("note", KG.note), ("evidence", KG.evidence), ("Quote", KG.Quote),
            ("quote", KG.quote), ("startOffset", KG.startOffset),
            ("endOffset", KG.endOffset), ("datePrecision", KG.datePrecision),
            ("dateText", KG.dateText), ("dateInferred", KG.dateInferred),
            ("DateValue", KG.DateValue), ("published", KG.published),
            ("earliest", KG.earliest), ("latest", KG.latest), ("Before", KG.Before),
            ("Count", KG.Count), ("value", KG.value),
            ("qualifier", KG.qualifier), ("countText", KG.countText))}
        self.source_fields = [(iri(str(predicate)), attr) for predicate, attr in (
            (DCTERMS.title, "title"), (DCTERMS.publisher, "outlet"),
            (DCTERMS.creator, "author"), (KG.note, "notes"),
            (KG.reliability, "reliability"), (KG.reliabilityReason, "reliability_reason"))]
        self.enums = {kind: {k: iri(str(v)) for k, v in values.items()}
                      for kind, values in ENUM_TERMS.items()}
        self.kinds = {k: iri(str(v)) for k, v in KIND_CLASS.items()}
        self.types = {k: iri(str(v)) for k, v in TYPE_CLASS.items()}
        self.derivations = {k: iri(str(v)) for k, v in DERIVATION_CLASS.items()}
        self.org_links = {k: iri(str(v)) for k, v in ORG_LINK.items()}
        self.article_fields = self.source_fields[:3]  # title, outlet, author
        self.fields = {name: (iri(str(predicate)), how)
                       for name, (predicate, how) in _FIELD_MAP.items()}

    def graph(self, name: str) -> Any:
        """The term of a named graph (``ontology``, ``reference`` or a source id)."""
        return self.terms.iri(str(graph_iri(name)))

    def reference(self, corpus: Corpus) -> Iterator[Triple]:
        """Triples describing the reference entities and the sources."""
        for entity in corpus.entities:
            yield from self.entity(entity)
        for source in corpus.sources:
            yield from self.source(source)
        for words in positions(corpus):
            yield from self.position(words)

    def position(self, words: str) -> Iterator[Triple]:
        """A position named by a role claim: an ``org:Role`` labelled with the words."""
        node = self.terms.iri(str(position_iri(words)))
        yield node, self.type, self.vocab["Position"]
        yield node, self.label, self.terms.literal(words)

    def entity(self, entity: Entity) -> Iterator[Triple]:
        """Triples for one reference entity."""
        t, v = self.terms, self.vocab
        node = t.iri(ENTITY + entity.id)
        yield node, self.type, self.types[entity.type]
        yield node, self.label, t.literal(entity.label)
        for alias in entity.aliases:
            yield node, v["altLabel"], t.literal(alias)
        if entity.state is not None:
            predicate = v["containedInPlace"] if entity.type == "place" else v["actsFor"]
            yield node, predicate, t.iri(ENTITY + entity.state)
        if entity.within is not None:
            yield node, v["within"], t.iri(ENTITY + entity.within)
        if entity.wikidata:
            yield node, v["sameAs"], t.new(str(WD[entity.wikidata]))
        if entity.description:
            yield node, v["comment"], t.literal(entity.description)

    def source(self, source: Source) -> Iterator[Triple]:
        """Triples describing one source (an article), and the original it derives from."""
        t, v = self.terms, self.vocab
        node = t.iri(str(source_iri(source.id)))
        yield node, self.type, v["Source"]
        yield node, v["file"], t.literal(source.file)
        yield node, v["sha256"], t.literal(source.sha256)
        yield from self.bibliographic(node, source, self.source_fields, str(source_iri(source.id)))
        if source.translated_from:
            yield node, v["translatedFrom"], t.literal(source.translated_from)
        if source.length is not None:
            yield node, v["textLength"], t.literal(str(source.length), _INTEGER)
        yield self.graph(source.id), v["graphSource"], node  # the graph says what it holds
        original = source_iri(source.derived_from) if source.derived_from else \
            article_iri(source.original.id) if source.original else None
        if original is None or source.relation is None:
            return
        of = t.iri(str(original))
        yield node, v["wasDerivedFrom"], of
        if source.relation == "repost":
            yield node, v["wasQuotedFrom"], of
        derivation = t.new(str(derivation_iri(source.id)))
        yield node, v["qualifiedDerivation"], derivation
        yield derivation, self.type, self.derivations[source.relation]
        yield derivation, v["entity"], of
        if source.original is not None:
            yield of, self.type, v["Article"]
            yield from self.bibliographic(of, source.original, self.article_fields,
                                          str(original))

    def bibliographic(self, node: Any, article: Source | Original,
                      fields: list[tuple[Any, str]], iri: str) -> Iterator[Triple]:
        """An article's id (its label), ``fields``, language, address and date (a node of
        its own, ``iri/published``)."""
        t, v = self.terms, self.vocab
        yield node, self.label, t.literal(article.id)
        for predicate, attr in fields:
            value = getattr(article, attr)
            if value is not None:
                yield node, predicate, t.literal(value)
        if article.language:
            yield node, v["language"], t.literal(article.language)
        if article.url:
            yield node, v["url"], t.literal(article.url, _ANY_URI)
        if article.published is not None:
            yield from self.date(node, v["published"], article.published, f"{iri}/published")

    def claim(self, claim: Claim) -> Iterator[Triple]:
        """Triples for one claim: the claim node, its quotes, and what it says of its event."""
        t, v = self.terms, self.vocab
        claim_node = CLAIM + claim.id
        node = t.new(claim_node)
        event = t.iri(EVENT + claim.event)
        source = t.iri(str(source_iri(claim.source)))
        yield node, self.type, v["Claim"]
        yield node, v["asserts"], event
        yield node, v["inSource"], source
        yield node, v["method"], self.enums["method"][claim.method]
        for name, why in claim.inferred:
            yield node, v["inferredValue"], t.literal(f"{name}: {why}")
        if claim.credibility is not None:
            yield node, v["credibility"], t.literal(str(claim.credibility), _INTEGER)
        if claim.confidence is not None:
            # The decimal's own lexical form ("0.8"), typed xsd:decimal as SHACL expects.
            yield node, v["confidence"], t.literal(str(Decimal(str(claim.confidence))),
                                                   _DECIMAL)
        if claim.note:
            yield node, v["note"], t.literal(claim.note)
        for i, quote in enumerate(claim.quotes):
            qnode = t.new(str(quote_iri(claim.id, i)))
            yield node, v["evidence"], qnode
            yield qnode, self.type, v["Quote"]
            yield qnode, v["quote"], t.literal(quote.text)
            yield qnode, v["inSource"], source
            if quote.start is not None and quote.end is not None:
                yield qnode, v["startOffset"], t.literal(str(quote.start), _INTEGER)
                yield qnode, v["endOffset"], t.literal(str(quote.end), _INTEGER)
        yield event, self.type, self.kinds[claim.kind]
        for name, value in claim.fields:
            predicate, how = self.fields[name]
            for i, one in enumerate(value if isinstance(value, tuple) else (value,)):
                if how == "entity":
                    yield event, predicate, t.iri(ENTITY + one)
                elif how == "event":
                    yield event, predicate, t.iri(EVENT + one)
                elif how == "text":
                    yield event, predicate, t.literal(one)
                elif how == "position":
                    yield event, predicate, t.iri(str(position_iri(one)))
                elif how == "date":
                    yield from self.date(event, predicate, one, f"{claim_node}/date")
                elif how == "count":
                    yield from self.count(event, predicate, one, str(count_iri(claim.id, name, i)))
                else:
                    yield event, predicate, self.enums[how][one]
        if claim.kind == "affiliation":
            # The tie itself, as W3C ORG states it; the Affiliation node describes it.
            yield (t.iri(ENTITY + claim.get("member")),
                   self.org_links[claim.get("relation")],
                   t.iri(ENTITY + claim.get("organisation")))

    def date(self, owner: Any, predicate: Any, date: DateValue, iri: str) -> Iterator[Triple]:
        """A date as one node of its own (``iri``, minted from the claim's or source's IRI).

        The node carries everything one claim says of the date: its bounds as
        ``xsd:dateTime`` (see :func:`date_instants`), its precision, the ``kg:Before``
        qualifier of a date known only as an upper bound, the record's value as a label and
        the source's words. Each claim has its own node, so the union of the source graphs
        never mixes one source's value with another's precision.
        """
        t, v = self.terms, self.vocab
        node = t.new(iri)
        yield owner, predicate, node
        yield node, self.type, v["DateValue"]
        yield node, self.label, t.literal(date_label(date))
        earliest, latest = date_instants(date)
        if earliest is not None:
            yield node, v["earliest"], t.literal(earliest, _DATE_TIME)
        yield node, v["latest"], t.literal(latest, _DATE_TIME)
        before = date.precision == "before"
        yield node, v["datePrecision"], self.enums["precision"]["day" if before else
                                                               date.precision]
        if before:
            yield node, v["qualifier"], v["Before"]
        if date.text:
            yield node, v["dateText"], t.literal(date.text)
        if date.inferred:
            yield node, v["dateInferred"], t.literal(date.inferred)

    def count(self, event: Any, predicate: Any, count: Count, iri: str) -> Iterator[Triple]:
        """A count (killed, injured) as a node with its value, qualifier and words."""
        t, v = self.terms, self.vocab
        node = t.new(iri)
        yield event, predicate, node
        yield node, self.type, v["Count"]
        yield node, v["value"], t.literal(str(count.value), _INTEGER)
        yield node, v["qualifier"], self.enums["qualifier"][count.qualifier]
        if count.text:
            yield node, v["countText"], t.literal(count.text)


def positions(corpus: Corpus) -> list[str]:
    """The distinct words for positions that the corpus's role claims name, sorted."""
    return sorted({claim.get("role") for claim in corpus.claims
                   if claim.kind == "role" and claim.get("role")})


def reference_triples(corpus: Corpus) -> Iterator[Triple]:
    """Triples describing the reference entities and the sources (rdflib terms)."""
    return Triples().reference(corpus)


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """Triples for one reference entity (rdflib terms)."""
    return Triples().entity(entity)


def source_triples(source: Source) -> Iterator[Triple]:
    """Triples describing one source (rdflib terms)."""
    return Triples().source(source)


def claim_triples(claim: Claim) -> Iterator[Triple]:
    """Triples for one claim (rdflib terms)."""
    return Triples().claim(claim)


__all__ = ["Terms", "Triples", "build_dataset", "claim_triples", "dataset_quads",
           "entity_triples", "rdflib_terms", "reference_triples", "source_triples"]
