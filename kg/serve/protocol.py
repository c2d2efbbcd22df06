"""The SPARQL 1.1 Protocol's query side: one request in, one HTTP reply out, no I/O.

:func:`answer` parses a query, refuses what a read-only endpoint must refuse (SPARQL
Update, ``LOAD``, ``SERVICE``, graphs the dataset does not have), evaluates it, enforces
the result-size limit and serialises the result in the negotiated format. It is a plain
function so that a worker process can run it and be ended if it runs too long (see
:mod:`kg.serve.workers`).

Two engines answer: rdflib's, over an rdflib ``Dataset``, and Oxigraph's, over a
``pyoxigraph.Store`` (an :class:`OxigraphSource`). Both go through the same gate first:
rdflib's parser decides what is an update, a ``SERVICE`` or a graph the dataset lacks,
so the two engines refuse exactly the same queries. The gate is only as good as the
agreement of the two parsers, so both get the same text, one they read alike
(:func:`canonical`): codepoint escapes expanded once, here, and no line break that only
one of them takes for the end of a comment; any other query is refused.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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

from ..errors import QueryRefused
from .results import (
    GRAPH_TYPES,
    NTRIPLES,
    OUT_OF_MEMORY,
    OX_GRAPHS,
    RDFLIB_FORMATS,
    RDFXML,
    SELECT_TYPES,
    TSV,
    TURTLE,
    XML,
    LineSink,
    Reply,
    ask_answer,
    negotiate,
    server_error,
    text_reply,
    too_many,
    tsv_lines,
    tsv_to,
    write_capped,
)

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
    base: str | None = None  #: the base IRI of relative IRIs (the endpoint's URL)


@dataclass(frozen=True)
class OxigraphSource:
    """A ``pyoxigraph.Store`` to answer with Oxigraph's engine, and what the gate needs.

    The default graph of a query is the union of the named graphs, as on rdflib's side.
    """

    store: Any  #: the pyoxigraph.Store
    prefixes: dict[str, str] = field(default_factory=dict)  #: usable without declaring them
    graphs: frozenset[URIRef] = frozenset()  #: the named graphs a query may name
    #: the store's default graph holds the union of the named graphs, each triple once
    #: (see :func:`kg.serve.workers.fill_union`); else Oxigraph's union view is used, which
    #: repeats a triple once per graph that states it
    union_in_default_graph: bool = False

    @classmethod
    def of(cls, store: Any, prefixes: Mapping[str, str] | None = None) -> OxigraphSource:
        """The source for ``store``; its graphs are the named graphs it holds.

        Example:
            >>> import pyoxigraph as ox
            >>> store = ox.Store()
            >>> store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"),
            ...                   ox.Literal("a"), ox.NamedNode("urn:g:a")))
            >>> source = OxigraphSource.of(store, {"ex": "urn:"})
            >>> print(answer(source, QueryRequest("SELECT ?o { ex:x ex:p ?o }",
            ...                                   accept="text/csv")).body.decode())
            o
            a
        """
        import pyoxigraph as ox

        graphs = frozenset(URIRef(g.value) for g in store.named_graphs()
                           if isinstance(g, ox.NamedNode))
        return cls(store, {p: str(n) for p, n in (prefixes or {}).items()}, graphs)


def answer(source: Dataset | OxigraphSource, request: QueryRequest,
           max_results: int = Limits.max_results,
           cache: dict[str, Query] | None = None) -> Reply:
    """Evaluate ``request`` and serialise the result, or refuse it.

    Args:
        source: an rdflib Dataset (rdflib's engine) or an :class:`OxigraphSource`
            (Oxigraph's); its namespace prefixes may be used without declaring them.
        request: the query, its dataset parameters and the client's format wishes.
        max_results: more rows (SELECT) or triples (CONSTRUCT/DESCRIBE) than this -> 413.
        cache: parsed queries by text, reused across calls (it is cleared when large).
    """
    try:
        if isinstance(source, OxigraphSource):
            namespaces: Mapping[str, Any] = source.prefixes
            graphs: Iterable[Any] = source.graphs
        else:
            namespaces, graphs = dict(source.namespaces()), {g.identifier
                                                             for g in source.graphs()}
        text = canonical(request.query)
        query = prepare(text, namespaces, cache, request.base)
        query = with_dataset(query, request, graphs)
        form = _FORMS[query.algebra.name]
        media = _choose_format(form, request.accept)
        if isinstance(source, OxigraphSource):
            body = _evaluate_oxigraph(source, text, query, media, max_results, request.base)
        else:
            body = _evaluate(source, query, media, max_results)
    except QueryRefused as exc:
        return text_reply(exc.status, str(exc))
    except MemoryError:
        return text_reply(413, OUT_OF_MEMORY, retire=True)
    except RecursionError:
        return text_reply(400, "query refused: it is nested too deeply to evaluate")
    except Exception as exc:  # noqa: BLE001 - anything else is a fault of ours, or an engine's
        return server_error(exc)
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Reply(200, media + charset, body)


#: SPARQL's codepoint escapes (section 19.2): four hex digits after \u, eight after \U.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: What rdflib would still expand (it reads \u and \U alike, with 4 or 8 digits).
_ESCAPE_LEFT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
#: A carriage return not followed by a line feed: Oxigraph ends a comment there, rdflib
#: does not. Other control characters are refused too: no query needs them raw.
_AMBIGUOUS = re.compile(r"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def canonical(text: str) -> str:
    r"""``text`` with its codepoint escapes expanded, as both engines will read it.

    Raises QueryRefused (400) for text that rdflib's parser and Oxigraph's might read
    differently (the gate reads one, the other runs it): a lone carriage return or
    another control character, an escape that makes another escape, or an escape of
    no character. rdflib expands escapes across the whole text and wrongly takes eight
    digits after ``\u``; Oxigraph only inside strings and IRIs; so neither sees one.

    Example:
        >>> canonical('SELECT ("\\u00410042" AS ?x) {}')
        'SELECT ("A0042" AS ?x) {}'
        >>> try:
        ...     canonical("SELECT * { # note\rSERVICE <http://127.0.0.1/> {} }")
        ... except QueryRefused as refused:
        ...     print(refused.status, str(refused).split(";")[0])
        400 query refused: a carriage return (U+000D) without a line feed at line 1, column 18
    """
    def expand(match: re.Match[str]) -> str:
        point = int(match.group(1) or match.group(2), 16)
        if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
            raise QueryRefused(400, f"query refused: {match.group(0)} is not a Unicode "
                               "character")
        return chr(point)

    expanded = _CODEPOINT.sub(expand, text)
    for found in (_AMBIGUOUS.search(expanded), _ESCAPE_LEFT.search(expanded)):
        if found is None:
            continue
        before = expanded[:found.start()]
        where = (f"line {before.count(chr(10)) + 1}, column "
                 f"{found.start() - before.rfind(chr(10))}")
        if found.group(0).startswith("\\"):
            raise QueryRefused(400, f"query refused: {found.group(0)} at {where} is not an "
                               "escape both parsers read alike (\\u takes 4 hex digits, \\U "
                               "8, and an escape may not make another); write the character "
                               "itself")
        char = found.group(0)
        what = "a carriage return (U+000D) without a line feed" if char == "\r" else \
            f"the control character U+{ord(char):04X}"
        hint = ("parsers disagree on where a comment ends there: end lines with LF or CRLF"
                if char == "\r" else "write it as an escape inside a string (\\t, \\n...)")
        raise QueryRefused(400, f"query refused: {what} at {where}; {hint}")
    return expanded


def prepare(text: str, namespaces: Mapping[str, Any],
            cache: dict[str, Query] | None = None, base: str | None = None) -> Query:
    """Parse and translate a query, refusing updates and ``SERVICE``; raises QueryRefused.

    ``text`` is what :func:`canonical` returned, ``namespaces`` maps the prefixes a query
    may use without declaring them, and ``base`` resolves relative IRIs.
    """
    key = f"{base}\n{text}"
    if cache is not None and key in cache:
        return cache[key]
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
        query = translateQuery(parsed, base=base, initNs=dict(namespaces))
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix...)
        raise QueryRefused(400, f"malformed query: {exc}") from None
    if any(node.name == "ServiceGraphPattern" for node in _walk(query.algebra)):
        raise QueryRefused(403, "SERVICE (federated query) is refused: this endpoint never "
                           "fetches other URLs. Query the endpoints separately.")
    if cache is not None:
        if len(cache) >= 256:
            cache.clear()
        cache[key] = query
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
        return ask_answer(bool(result["askAnswer"]), media)
    if kind == "SELECT":
        rows = [dict(row) for row in islice(result["bindings"], max_results + 1)]
        if len(rows) > max_results:
            raise too_many(max_results, "rows")
        variables = list(result["vars_"] or [])
        if media in (TSV, XML):  # rdflib's XML writer drops falsy values: 0, false, 0.0
            tsv = tsv_lines(variables, rows)
            return tsv if media == TSV else tsv_to(tsv, media)
        select = Result("SELECT")
        select.vars, select.bindings = variables, rows  # type: ignore[assignment]
        return select.serialize(format=RDFLIB_FORMATS[media]) or b""
    graph = result["graph"]
    if len(graph) > max_results:
        raise too_many(max_results, "triples")
    if media == TURTLE:
        for prefix, namespace in dataset.namespaces():
            graph.bind(prefix, namespace, override=False)
    return graph.serialize(format=RDFLIB_FORMATS[media], encoding="utf-8")


def _evaluate_oxigraph(source: OxigraphSource, text: str, query: Query, media: str,
                       max_results: int, base: str | None = None) -> bytes:
    """Run ``text`` on Oxigraph (``query`` is rdflib's reading of it, already checked).

    Results are first written as TSV (SELECT) or N-Triples (CONSTRUCT, DESCRIBE), where
    each row or triple is one line (both formats escape line breaks), into a sink that
    stops the query one past the limit; what fits is then re-read and written in the
    asked format, all by Oxigraph.
    """
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": source.prefixes, "base_iri": base}
    store, clauses = source.store, query.algebra.datasetClause
    defaults = list(dict.fromkeys(ox.NamedNode(c.default) for c in clauses or [] if c.default))
    if len(defaults) > 1:  # Oxigraph's default graph of several graphs repeats shared triples
        store = _merged(store, defaults, clauses)
        options["default_graph"] = ox.DefaultGraph()  # not the query's own FROM any more
        options["named_graphs"] = list(dict.fromkeys(ox.NamedNode(c.named) for c in clauses
                                                     if c.named))
    elif clauses:  # FROM / FROM NAMED or the protocol's graphs: exactly those, no union
        options["default_graph"] = defaults
        options["named_graphs"] = [ox.NamedNode(c.named) for c in clauses if c.named]
    elif not source.union_in_default_graph:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:  # rdflib's parser took it, Oxigraph's did not
        raise QueryRefused(400, f"malformed query: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return ask_answer(bool(result), media)
    if isinstance(result, ox.QuerySolutions):
        sink = LineSink(max_results + 1)  # the header line, then one line a row
        write_capped(result, sink, ox.QueryResultsFormat.TSV, max_results, "rows")
        tsv = sink.value()
        return tsv if media == TSV else tsv_to(tsv, media)
    sink = LineSink(max_results, distinct=True)  # a graph: each triple once
    write_capped(result, sink, ox.RdfFormat.N_TRIPLES, max_results, "triples")
    triples = sink.value()
    if media == NTRIPLES:
        return triples
    used = {prefix: namespace for prefix, namespace in source.prefixes.items()
            if f"<{namespace}".encode() in triples}
    return ox.serialize(ox.parse(triples, ox.RdfFormat.N_TRIPLES),
                        format=getattr(ox.RdfFormat, OX_GRAPHS[media]),
                        prefixes=used if media in (TURTLE, RDFXML) else None) or b""


def _merged(store: Any, defaults: list[Any], clauses: list[CompValue]) -> Any:
    """A scratch store whose default graph is the merge of ``defaults`` (each triple once)
    and whose named graphs are the ``FROM NAMED`` ones: a query's dataset, as SPARQL
    defines it, where Oxigraph's own would count a triple once per graph."""
    import pyoxigraph as ox

    scratch = ox.Store()
    for graph in defaults:
        scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                       for q in store.quads_for_pattern(None, None, None, graph))
    for graph in dict.fromkeys(ox.NamedNode(c.named) for c in clauses if c.named):
        scratch.extend(store.quads_for_pattern(None, None, None, graph))
    return scratch


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
