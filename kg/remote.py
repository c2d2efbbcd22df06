"""A SPARQL 1.1 server as an rdflib store (``--store sparql:URL``): Virtuoso, Fuseki,
GraphDB, Neptune, through rdflib's ``SPARQLUpdateStore``.

Blank nodes travel as skolem IRIs (``kg.iri.GENID``) and come back as the same blank
nodes; literals typed ``xsd:string`` come back plain, as rdflib makes them; a server
that fails or cannot be reached is a :class:`~kg.errors.StoreError` that says what to
check. Credentials come from the environment (``KG_STORE_USER``, ``KG_STORE_PASSWORD``),
never the command line (``ps`` shows that).

Example:
    >>> from kg.stores import parse_store
    >>> store = RemoteStore(parse_store("sparql:http://127.0.0.1:1/sparql"))
    >>> store.update_endpoint
    'http://127.0.0.1:1/sparql'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore, _node_to_sparql
from rdflib.query import Result

from .errors import StoreError
from .iri import GENID, GRAPHS
from .stores import plain

if TYPE_CHECKING:
    from .stores import StoreSpec


def _node_to_sparql_skolemised(node: Any) -> str:
    return f"<{GENID}{node}>" if isinstance(node, BNode) else _node_to_sparql(node)


class RemoteStore(SPARQLUpdateStore):
    """rdflib's SPARQL update store; blank nodes skolemised, graphs dropped silently."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
        # Form-encoded POST: Virtuoso 7 never answers a body of type application/sparql-query.
        super().__init__(query_endpoint=spec.location,
                         update_endpoint=spec.update or spec.location,
                         node_to_sparql=_node_to_sparql_skolemised, method="POST_FORM",
                         returnFormat="json", autocommit=True,
                         auth=(user, password or "") if user else None)

    def triples(self, spo: Any, context: Any = None) -> Iterator[Any]:
        for (s, p, o), contexts in super().triples(spo, context):
            yield (plain(s), p, plain(o)), contexts

    def query(self, *args: Any, **kwargs: Any) -> Result:
        return _plain_result(super().query(*args, **kwargs))

    def contexts(self, triple: Any = None) -> Iterator[Any]:  # type: ignore[override]
        if triple is not None:
            return super().contexts(triple)
        rows = super().query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                             f"FILTER (STRSTARTS(STR(?g), \"{GRAPHS}\")) }}")
        return iter([row[0] for row in rows])  # type: ignore[index]

    def _query(self, *args: Any, **kwargs: Any) -> Result:
        try:
            return super()._query(*args, **kwargs)
        except OSError as exc:  # urllib's URLError and HTTPError are OSErrors
            raise unreachable(self.spec, exc) from None

    def _update(self, update: str) -> None:
        try:
            super()._update(update)
        except OSError as exc:
            raise unreachable(self.spec, exc) from None

    def add_graph(self, graph: Graph) -> None:
        """Graphs exist on a server once they hold triples; nothing to create."""

    def remove_graph(self, graph: Graph) -> None:
        if graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            self.run_update(f"DROP SILENT GRAPH <{graph.identifier}>")

    def run_update(self, update: str) -> None:
        """Send SPARQL Update text to the server as it is."""
        super().update(update)


def unreachable(spec: StoreSpec, exc: OSError) -> StoreError:
    """The StoreError for a server that failed or could not be reached."""
    detail = getattr(exc, "reason", None) or exc
    body = exc.read().decode("utf-8", "replace")[:300] if hasattr(exc, "read") else ""
    return StoreError(f"store {spec}: the SPARQL server failed or cannot be reached ({detail})"
                      + (f": {body.strip()}" if body.strip() else "")
                      + "; check the URL, that the server runs, and that it accepts SPARQL "
                        "Update (KG_STORE_USER / KG_STORE_PASSWORD for a login)")


def _plain_result(result: Result) -> Result:
    if result.type == "SELECT":
        bindings = result.bindings
        result.bindings = [{k: plain(v) for k, v in b.items() if v is not None}
                           for b in bindings]
    elif result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        graph = Graph()
        graph.addN((plain(s), p, plain(o), graph) for s, p, o in result.graph)
        result.graph = graph
    return result


__all__ = ["RemoteStore", "unreachable"]
