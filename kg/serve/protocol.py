"""The SPARQL 1.1 Protocol's query side: one request in, one HTTP reply out, no I/O.

:func:`answer` parses a query, refuses what a read-only endpoint must refuse (SPARQL
Update, ``LOAD``, ``SERVICE``, graphs the dataset does not have), evaluates it over the
dataset, enforces the result-size limit and serialises the result in the negotiated
format. It is a plain function so that a worker process can run it and be ended if it
runs too long (see :mod:`kg.serve.workers`).

Example:
    >>> from rdflib import Dataset, URIRef
    >>> ds = Dataset(default_union=True)
    >>> ds.graph(URIRef("urn:g:a")).add((URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:y")))
    <Graph identifier=urn:g:a (<class 'rdflib.graph.Graph'>)>
    >>> reply = answer(ds, QueryRequest("SELECT ?g { GRAPH ?g { ?s ?p ?o } }", accept="text/csv"))
    >>> reply.status, reply.content_type, reply.body
    (200, 'text/csv; charset=utf-8', b'g\\r\\nurn:g:a\\r\\n')
    >>> print(answer(ds, QueryRequest("LOAD <http://example.org/data.ttl>")).body.decode())
    SPARQL Update (LOAD) is refused: this endpoint is read-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pyparsing import ParseException
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import BNode, Literal

from ..errors import KGError

JSON, XML = "application/sparql-results+json", "application/sparql-results+xml"
CSV, TSV = "text/csv", "text/tab-separated-values"
TURTLE, NTRIPLES = "text/turtle", "application/n-triples"
JSONLD, RDFXML = "application/ld+json", "application/rdf+xml"
#: What each query form can be answered in, default first.
SELECT_TYPES = (JSON, XML, CSV, TSV)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)

# (media type a client may ask for, the type we answer with), in order of preference.
_OFFERS = {
    "select": tuple((t, t) for t in SELECT_TYPES) + (
        ("application/json", JSON), ("application/xml", XML), ("text/xml", XML)),
    "graph": tuple((t, t) for t in GRAPH_TYPES) + (
        ("application/x-turtle", TURTLE), ("application/turtle", TURTLE), ("text/n3", TURTLE),
        ("text/rdf+n3", TURTLE), ("text/plain", NTRIPLES), ("application/json", JSONLD),
        ("application/x-json+ld", JSONLD)),
}
#: rdflib's serialiser for each media type (TSV and CSV/TSV for ASK are written here).
RDFLIB_FORMATS = {JSON: "json", XML: "xml", CSV: "csv", TURTLE: "turtle", NTRIPLES: "nt",
                  JSONLD: "json-ld", RDFXML: "pretty-xml"}
_FORMS = {"SelectQuery": "select", "AskQuery": "select", "ConstructQuery": "graph",
          "DescribeQuery": "graph"}


@dataclass(frozen=True)
class Limits:
    """The endpoint's safety limits (every one is answered with a 4xx and a message)."""

    timeout: float = 10.0  #: seconds one query may run before its worker is stopped (422)
    max_results: int = 10_000  #: rows of a SELECT, triples of a CONSTRUCT/DESCRIBE (413)
    memory_mb: int = 1024  #: memory a worker may grow by while answering one query (413)
    max_body: int = 1 << 20  #: bytes of a POST body (413)
    queue_wait: float = 30.0  #: seconds a request waits for a free worker before 503


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query as the protocol delivers it."""

    query: str
    default_graphs: tuple[str, ...] = ()  #: ``default-graph-uri`` values
    named_graphs: tuple[str, ...] = ()  #: ``named-graph-uri`` values
    accept: str = ""  #: the HTTP Accept header


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    retire: bool = False  #: the worker that made it should be replaced (it ran out of memory)


class QueryRefused(KGError):
    """Raised when a query is malformed, not allowed or over a limit; carries the HTTP status."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def text_reply(status: int, message: str, **kwargs: Any) -> Reply:
    """A plain-text reply (never HTML, so a message echoing the query cannot inject markup)."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode(),
                 **kwargs)


def negotiate(accept: str, form: str) -> str | None:
    """The media type to answer a ``form`` ("select" or "graph") query in, or None (406).

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "select")
        'application/sparql-results+xml'
        >>> negotiate("", "graph"), negotiate("image/png", "graph")
        ('text/turtle', None)
    """
    offers = _OFFERS[form]
    if not accept.strip():
        return offers[0][1]
    ranges = []
    for part in accept.lower().split(","):
        mtype, *params = (field.strip() for field in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((mtype, quality))
    best, best_q = None, 0.0
    for asked, answer_type in offers:
        major = asked.split("/")[0]
        matches = [(2 if r == asked else 1 if r == f"{major}/*" else 0, q)
                   for r, q in ranges if r in (asked, f"{major}/*", "*/*")]
        quality = max(matches)[1] if matches else 0.0
        if quality > best_q:
            best, best_q = answer_type, quality
    return best


def answer(dataset: Dataset, request: QueryRequest, max_results: int = Limits.max_results,
           cache: dict[str, Query] | None = None) -> Reply:
    """Evaluate ``request`` over ``dataset`` and serialise the result, or refuse it.

    Args:
        dataset: the dataset; its namespace prefixes may be used without declaring them.
        request: the query, its dataset parameters and the client's format wishes.
        max_results: more rows (SELECT) or triples (CONSTRUCT/DESCRIBE) than this -> 413.
        cache: parsed queries by text, reused across calls (it is cleared when large).
    """
    try:
        query = prepare(request.query, dataset, cache)
        query = with_dataset(query, request, {g.identifier for g in dataset.graphs()})
        form = _FORMS[query.algebra.name]
        media = _choose_format(form, request.accept)
        body = _evaluate(dataset, query, media, max_results)
    except QueryRefused as exc:
        return text_reply(exc.status, str(exc))
    except MemoryError:
        return text_reply(413, "query stopped: it needed more memory than the endpoint's "
                          "per-query limit; narrow it or add LIMIT", retire=True)
    except RecursionError:
        return text_reply(400, "query refused: it is nested too deeply to evaluate")
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception for query faults
        return text_reply(500, f"query evaluation failed: {type(exc).__name__}: {exc}")
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Reply(200, media + charset, body)


def prepare(text: str, dataset: Dataset, cache: dict[str, Query] | None = None) -> Query:
    """Parse and translate a query, refusing updates and ``SERVICE``; raises QueryRefused."""
    if cache is not None and text in cache:
        return cache[text]
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        operations = _update_operations(text)
        if operations:
            raise QueryRefused(403, f"SPARQL Update ({', '.join(operations)}) is refused: "
                               "this endpoint is read-only.") from None
        raise QueryRefused(400, f"malformed query: {exc.msg} at line {exc.lineno}, column "
                           f"{exc.col}:\n{exc.line}\n{' ' * (exc.col - 1)}^") from None
    try:
        query = translateQuery(parsed, initNs=dict(dataset.namespaces()))
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix...)
        raise QueryRefused(400, f"malformed query: {exc}") from None
    if any(node.name == "ServiceGraphPattern" for node in _walk(query.algebra)):
        raise QueryRefused(403, "SERVICE (federated query) is refused: this endpoint never "
                           "fetches other URLs. Query the endpoints separately.")
    if cache is not None:
        if len(cache) >= 256:
            cache.clear()
        cache[text] = query
    return query


def with_dataset(query: Query, request: QueryRequest, graphs: Iterable[Any]) -> Query:
    """Apply ``default-graph-uri``/``named-graph-uri`` (they override FROM / FROM NAMED).

    Every graph named either way must be one of ``graphs``: nothing is fetched.
    """
    clauses = query.algebra.datasetClause or []
    if request.default_graphs or request.named_graphs:
        clauses = [CompValue("DatasetClause", default=URIRef(g)) for g in request.default_graphs]
        clauses += [CompValue("DatasetClause", named=URIRef(g)) for g in request.named_graphs]
    known = {g for g in graphs if g != DATASET_DEFAULT_GRAPH_ID}
    unknown = [str(c.default or c.named) for c in clauses if (c.default or c.named) not in known]
    if unknown:
        names = sorted(str(g) for g in known)
        shown = ", ".join(f"<{n}>" for n in names[:20]) + (" ..." if len(names) > 20 else "")
        hint = " (rdflib's name for a default graph: with rdflib use Dataset(store=SPARQLStore(" \
            "url), default_union=True))" if unknown[0] == str(DATASET_DEFAULT_GRAPH_ID) else ""
        raise QueryRefused(400, f"unknown graph <{unknown[0]}>{hint}: FROM, FROM NAMED, "
                           "default-graph-uri and named-graph-uri may only name graphs of this "
                           f"dataset (nothing is fetched). Graphs: {shown}")
    if clauses is query.algebra.datasetClause or not clauses:
        return query
    algebra = CompValue(query.algebra.name, **dict(query.algebra))
    algebra["datasetClause"] = clauses
    return Query(query.prologue, algebra)


def _choose_format(form: str, accept: str) -> str:
    media = negotiate(accept, form)
    if media is None:
        kind, offered = ("SELECT/ASK", SELECT_TYPES) if form == "select" else \
            ("CONSTRUCT/DESCRIBE", GRAPH_TYPES)
        raise QueryRefused(406, f"cannot answer a {kind} query in any type of Accept: "
                           f"{accept}; available: {', '.join(offered)}")
    return media


def _evaluate(dataset: Dataset, query: Query, media: str, max_results: int) -> bytes:
    result = evalQuery(dataset, query)
    kind = result["type_"]
    if kind == "ASK":
        if media in (CSV, TSV):
            end = "\r\n" if media == CSV else "\n"
            header = "_askResult" if media == CSV else "?_askResult"
            return f"{header}{end}{str(result['askAnswer']).lower()}{end}".encode()
        ask = Result("ASK")
        ask.askAnswer = bool(result["askAnswer"])
        return ask.serialize(format=RDFLIB_FORMATS[media]) or b""
    if kind == "SELECT":
        rows = [dict(row) for row in islice(result["bindings"], max_results + 1)]
        if len(rows) > max_results:
            raise QueryRefused(413, f"the result has more than {max_results} rows, the "
                               "endpoint's limit; add LIMIT or narrow the query")
        variables = list(result["vars_"] or [])
        if media == TSV:
            return _tsv(variables, rows)
        select = Result("SELECT")
        select.vars, select.bindings = variables, rows  # type: ignore[assignment]
        return select.serialize(format=RDFLIB_FORMATS[media]) or b""
    graph = result["graph"]
    if len(graph) > max_results:
        raise QueryRefused(413, f"the result has {len(graph)} triples, more than the "
                           f"endpoint's limit of {max_results}; add LIMIT or narrow the query")
    if media == TURTLE:
        for prefix, namespace in dataset.namespaces():
            graph.bind(prefix, namespace, override=False)
    return graph.serialize(format=RDFLIB_FORMATS[media], encoding="utf-8")


def _tsv(variables: list[Any], rows: list[dict[Any, Any]]) -> bytes:
    """SPARQL 1.1 TSV: terms in Turtle syntax, one row a line."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(row.get(v)) for v in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term)
        for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"),
                             ("\t", "\\t")):
            text = text.replace(raw, escaped)
        suffix = f"@{term.language}" if term.language else \
            f"^^<{term.datatype}>" if term.datatype else ""
        return f'"{text}"{suffix}'
    return f"<{term}>"


def _update_operations(text: str) -> list[str]:
    """The SPARQL Update operations in ``text`` (e.g. ['LOAD']), or [] if it is not an update."""
    try:
        request = parseUpdate(text).request or []
    except Exception:  # noqa: BLE001 - not an update either; the query parser's error is shown
        return []
    return [re.sub(r"(?<!^)(?=[A-Z])", " ", op.name).upper() for op in request]


def _walk(node: Any) -> Iterator[CompValue]:
    """Every CompValue in a parsed or translated query (iteratively: queries nest deeply)."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(dict.values(item))
        elif isinstance(item, (list, tuple, set)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
