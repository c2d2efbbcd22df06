"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, a query page and the explorer.

- :mod:`kg.serve.protocol`: one query in, one reply out (parsing, refusals, limits; a
  fault of ours is a 500 with an id); no I/O.
- :mod:`kg.serve.results`: media types, content negotiation, replies and the result
  writers both engines share.
- :mod:`kg.serve.workers`: worker processes holding the dataset (Oxigraph's engine, or
  rdflib's on the memory store), so that a query over the time limit can be stopped by
  ending its process.
- :mod:`kg.serve.pages`: the offline query page and its examples, the explorer page.
- :mod:`kg.serve.description`: the SPARQL service description.
- :mod:`kg.serve.web`: HTTP routes, the server, :func:`start` / :func:`serve`.

Example:
    >>> from rdflib import Dataset, URIRef
    >>> ds = Dataset(default_union=True)
    >>> ds.graph(URIRef("urn:g:a")).add((URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:y")))
    <Graph identifier=urn:g:a (<class 'rdflib.graph.Graph'>)>
    >>> answer(ds, QueryRequest("ASK { ?s ?p ?o }")).body
    b'{"head": {}, "boolean": true}'
"""

from ..errors import QueryRefused
from .pages import example_queries, explorer_page, query_page
from .protocol import Limits, OxigraphSource, QueryRequest, answer
from .results import Reply, negotiate
from .web import Endpoint, serve, start
from .workers import WorkerPool

__all__ = ["Endpoint", "Limits", "OxigraphSource", "QueryRefused", "QueryRequest", "Reply",
           "WorkerPool", "answer", "example_queries", "explorer_page", "negotiate", "query_page",
           "serve", "start"]
