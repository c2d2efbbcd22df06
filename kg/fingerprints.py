"""Fingerprints of the named graphs: what each one is built from, as a sha256.

An incremental build (``kg.pipeline``) rewrites only the graphs whose fingerprint
changed. A graph's fingerprint covers the records it is made of (their fields that say
what they are, not where they were read), the ontology's triples for the ``ontology``
graph, and a seed shared by every graph: :data:`SHAPE_VERSION` and the bytes of the
SHACL shapes the graphs are validated with. The builder's source code is not part of
it, so an edit that changes no triple (a comment, a rename) rebuilds nothing.

Example:
    >>> from kg.records import Corpus, Entity
    >>> corpus = Corpus(sources=(), entities=(Entity("russia", "state", "Russia"),), claims=())
    >>> prints = graph_fingerprints(corpus)
    >>> sorted(prints) == ["https://w3id.org/duty-to-warn/graph/reference", ENTITIES]
    True
    >>> prints == graph_fingerprints(corpus, shared=seed())
    False
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from rdflib import Graph

from .iri import graph_iri
from .records import Corpus

#: The version of the graph's shape: what the builder makes of the records (predicates,
#: IRIs, datatypes, which graph a triple goes in). Bump it with every change to
#: ``kg.build`` or ``kg.iri`` that changes the triples made from the same records, so
#: that stores built before the change are rebuilt; leave it for changes that do not.
SHAPE_VERSION = 2  # 2: dates and counts as nodes, PROV derivations, ORG links

#: Fingerprint key of the entities alone (part of the reference graph): when they change,
#: every source graph must be validated again, not only the changed ones.
ENTITIES = str(graph_iri("reference")) + "#entities"


def seed(files: Iterable[Path] = ()) -> bytes:
    """The part every fingerprint shares: :data:`SHAPE_VERSION` and the bytes of ``files``
    (the SHACL shapes), in the order given."""
    digest = hashlib.sha256(f"kg graph shape {SHAPE_VERSION}\n".encode())
    for path in files:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.digest()


def graph_fingerprints(corpus: Corpus, ontology: Graph | None = None,
                       shared: bytes = b"") -> dict[str, str]:
    """Graph IRI -> sha256 of everything that named graph is built from.

    A graph whose fingerprint is unchanged holds the same triples, so an incremental
    build leaves it alone. One more key, :data:`ENTITIES`, covers the reference entities
    alone. ``shared`` (a :func:`seed`) goes into every fingerprint.
    """
    digests: dict[str, Any] = {}

    def digest(name: str) -> Any:
        if name not in digests:
            digests[name] = hashlib.sha256(shared)
        return digests[name]

    if ontology is not None:
        for line in sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in ontology):
            digest("ontology").update(line.encode())
    for entity in corpus.entities:
        digest("reference").update(record_key(entity))
        digest(ENTITIES).update(record_key(entity))
    for source in corpus.sources:
        digest("reference").update(record_key(source))
    for source in corpus.sources:
        digest(source.id).update(record_key(source))
    for claim in corpus.claims:
        digest(claim.source).update(record_key(claim))
    return {name if name == ENTITIES else str(graph_iri(name)): h.hexdigest()
            for name, h in digests.items()}


def record_key(record: Any) -> bytes:
    """The fields that say what a record is (not where it was read: ``where`` has
    ``compare=False``), as bytes."""
    return repr(tuple(getattr(record, f.name) for f in fields(record) if f.compare)).encode()


__all__ = ["ENTITIES", "SHAPE_VERSION", "graph_fingerprints", "record_key", "seed"]
