"""The IRIs of our resources, and the one table of prefixes every output and query uses.

Every IRI this project mints is made here: an id from ``data/`` (checked against
``kg.sources.ID_PATTERN``) becomes ``BASE + "id/<kind>/<id>"``, a named graph
``BASE + "graph/<name>"``, and :func:`local_id` turns any of them back into the id.
Blank nodes that travel as IRIs (to a SPARQL server, or a reloaded ``graph.nq``) are
skolemised under :data:`GENID`.

Example:
    >>> str(entity_iri("russia"))
    'https://w3id.org/duty-to-warn/id/entity/russia'
    >>> local_id(event_iri("crocus-2024"))
    'crocus-2024'
    >>> str(quote_iri("ap-1", 0))
    'https://w3id.org/duty-to-warn/id/claim/ap-1/quote/0'
    >>> PREFIXES["entity"] == ENTITY
    True
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import Graph, URIRef

#: Everything of ours lives under this IRI.
BASE = "https://w3id.org/duty-to-warn/"
#: Namespace of the ontology's terms (``kg.vocab.KG``).
ONTOLOGY = BASE + "ontology#"
ENTITY = BASE + "id/entity/"
EVENT = BASE + "id/event/"
CLAIM = BASE + "id/claim/"
SOURCE = BASE + "id/source/"
#: Articles that are not stored (the original of a stored translation or repost).
ARTICLE = BASE + "id/article/"
#: Positions (``org:Role``) named by a source's words.
POSITION = BASE + "id/position/"
#: Named graphs: one per source, ``ontology`` and ``reference``.
GRAPHS = BASE + "graph/"
#: Blank nodes (the ontology's class unions) travel to SPARQL servers as these IRIs.
GENID = BASE + ".well-known/genid/"
#: The named graph of a persistent store that records what each of our graphs was built
#: from (``kg.stores``): not one of our graphs, never projected or serialised.
MANIFEST = URIRef(GRAPHS + "_manifest")
#: In the manifest: a graph's fingerprint, and the build's record of ``data/`` (``kg.built``).
FINGERPRINT = URIRef(BASE + "build#fingerprint")
BUILD = URIRef(BASE + "build#data")
RECORD = URIRef(BASE + "build#record")

#: Prefix -> namespace: the TriG and Turtle outputs declare these (in this order), queries
#: may use them undeclared, the query page shortens IRIs with them, and datasets bind them.
PREFIXES: dict[str, str] = {
    "kg": ONTOLOGY, "entity": ENTITY, "event": EVENT, "claim": CLAIM, "source": SOURCE,
    "graph": GRAPHS, "article": ARTICLE, "position": POSITION,
    "dcterms": "http://purl.org/dc/terms/", "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "wd": "http://www.wikidata.org/entity/", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def entity_iri(entity_id: str) -> URIRef:
    """IRI of a reference entity (an actor or a place)."""
    return URIRef(ENTITY + entity_id)


def event_iri(event_id: str) -> URIRef:
    """IRI of a real-world event (shared by the claims of every source about it)."""
    return URIRef(EVENT + event_id)


def claim_iri(claim_id: str) -> URIRef:
    """IRI of one source's claim."""
    return URIRef(CLAIM + claim_id)


def quote_iri(claim_id: str, index: int) -> URIRef:
    """IRI of a claim's quote (``index``: its place in the claim's list, from 0)."""
    return URIRef(f"{CLAIM}{claim_id}/quote/{index}")


def count_iri(claim_id: str, field: str, index: int) -> URIRef:
    """IRI of a count a claim states (``field``: ``killed`` or ``injured``)."""
    return URIRef(f"{CLAIM}{claim_id}/{field}/{index}")


def source_iri(source_id: str) -> URIRef:
    """IRI of a source (an article)."""
    return URIRef(SOURCE + source_id)


def derivation_iri(source_id: str) -> URIRef:
    """IRI of how a stored copy derives from its original (its qualified ``prov:Derivation``)."""
    return URIRef(f"{SOURCE}{source_id}/derivation")


def is_derivation(iri: str) -> bool:
    """Whether ``iri`` is one :func:`derivation_iri` mints (a source id has no ``/``).

    Example:
        >>> is_derivation(derivation_iri("rfi-2024-03")), is_derivation(ENTITY + "derivation")
        (True, False)
    """
    return iri.startswith(SOURCE) and iri.endswith("/derivation") and \
        "/" not in iri[len(SOURCE):-len("/derivation")]


def article_iri(article_id: str) -> URIRef:
    """IRI of an article that is not stored (the original of a translation or repost)."""
    return URIRef(ARTICLE + article_id)


def position_iri(words: str) -> URIRef:
    """IRI of a position (an ``org:Role``) named by a source's words, one per distinct words.

    Example:
        >>> local_id(position_iri("CIA Director")), local_id(position_iri("U.S._envoy"))
        ('CIA_Director', 'U.S.%5Fenvoy')
    """
    # Spaces read as underscores, so an underscore of the words is escaped: one IRI per words.
    name = quote(words, safe="").replace("_", "%5F").replace("%20", "_")
    return URIRef(POSITION + name)


def graph_iri(name: str) -> URIRef:
    """IRI of a named graph: a source id, ``ontology`` or ``reference``."""
    return URIRef(GRAPHS + name)


def local_id(iri: str) -> str:
    """The id an IRI of ours was minted from (``.../entity/russia`` -> ``russia``).

    Example:
        >>> local_id("https://w3id.org/duty-to-warn/ontology#Warning")
        'Warning'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def bind_prefixes(graph: Graph) -> None:
    """Bind :data:`PREFIXES` on an rdflib ``Graph`` or ``Dataset`` (readable serialisations)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def skolemised(data: bytes) -> bytes:
    """N-Quads text with every blank node as its skolem IRI (``GENID`` + label).

    Example:
        >>> skolemised(b'_:a <urn:p> _:b <urn:g> .\\n<urn:s> <urn:p> "_:c" <urn:g> .\\n')[:60]
        b'<https://w3id.org/duty-to-warn/.well-known/genid/a> <urn:p> '
    """
    genid = GENID.encode()
    data = re.sub(rb"^_:(\S+) ", lambda m: b"<" + genid + m.group(1) + b"> ", data,
                  flags=re.MULTILINE)
    return re.sub(rb" _:([^\s\"]+)( <[^>]*>)? \.$",
                  lambda m: b" <" + genid + m.group(1) + b">" + (m.group(2) or b"") + b" .",
                  data, flags=re.MULTILINE)


def blank_again(data: bytes) -> bytes:
    """N-Triples whose skolem IRIs (see :func:`skolemised`) are blank nodes again.

    Example:
        >>> blank_again(b"<https://w3id.org/duty-to-warn/.well-known/genid/b1> <urn:p> <urn:o> .")
        b'_:b1 <urn:p> <urn:o> .'
    """
    return re.sub(rb"<" + re.escape(GENID.encode()) + rb"([^>]+)>", rb"_:\1", data)


__all__ = ["ARTICLE", "BASE", "BUILD", "CLAIM", "ENTITY", "EVENT", "FINGERPRINT", "GENID",
           "GRAPHS", "MANIFEST", "ONTOLOGY", "POSITION", "PREFIXES", "RECORD", "SOURCE",
           "article_iri", "bind_prefixes", "blank_again", "claim_iri", "count_iri",
           "derivation_iri", "entity_iri", "event_iri", "graph_iri", "is_derivation", "local_id",
           "position_iri", "quote_iri", "skolemised", "source_iri"]
