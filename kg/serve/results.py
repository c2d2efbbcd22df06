"""The endpoint's replies: media types, content negotiation, and answers written in them.

Both engines (``kg.serve.protocol``) write through these, so the same answer is the same
bytes whichever engine found it.

Example:
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "select")
    'application/sparql-results+xml'
    >>> text_reply(400, "the query is empty").body.decode().strip()
    'the query is empty'
"""

from __future__ import annotations

import traceback
import uuid
from dataclasses import dataclass
from typing import Any

from rdflib.query import Result
from rdflib.term import BNode, Literal

from ..errors import QueryRefused

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
OUT_OF_MEMORY = ("query stopped: it needed more memory than the endpoint's per-query limit; "
                 "narrow it or add LIMIT")
#: pyoxigraph's names of the formats it writes for us.
OX_RESULTS = {JSON: "JSON", XML: "XML", CSV: "CSV", TSV: "TSV"}
OX_GRAPHS = {TURTLE: "TURTLE", JSONLD: "JSON_LD", RDFXML: "RDF_XML"}
@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    retire: bool = False  #: the worker that made it should be replaced (it ran out of memory)
    #: a fault of ours (not of the query) made this reply: its id and traceback, for the
    #: server's log (see :func:`server_error`); empty otherwise
    fault: str = ""


def text_reply(status: int, message: str, **kwargs: Any) -> Reply:
    """A plain-text reply (never HTML, so a message echoing the query cannot inject markup)."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode(),
                 **kwargs)


def server_error(exc: BaseException) -> Reply:
    """The 500 reply to an exception nobody expected while answering: the body says it is
    the server's fault and gives a short id; ``fault`` carries the id and the traceback
    for the server's log (the caller writes it: this module does no I/O).

    Example:
        >>> reply = server_error(RuntimeError("boom"))
        >>> reply.status, reply.fault.split()[0] in reply.body.decode()
        (500, True)
    """
    ident = uuid.uuid4().hex[:8]
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return text_reply(500, f"internal server error {ident}: the endpoint failed while "
                      "answering; this is a fault of the server, not of the query. Its log "
                      f"has the details under {ident}.", fault=f"{ident} {trace}")


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


def tsv_to(tsv: bytes, media: str) -> bytes:
    """SELECT results written as TSV, rewritten in ``media`` by Oxigraph."""
    import pyoxigraph as ox

    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(
        format=getattr(ox.QueryResultsFormat, OX_RESULTS[media])) or b""


def ask_answer(value: bool, media: str) -> bytes:
    """An ASK answer in ``media``, the same bytes whichever engine found it."""
    if media in (CSV, TSV):
        end = "\r\n" if media == CSV else "\n"
        header = "_askResult" if media == CSV else "?_askResult"
        return f"{header}{end}{str(value).lower()}{end}".encode()
    ask = Result("ASK")
    ask.askAnswer = value
    return ask.serialize(format=RDFLIB_FORMATS[media]) or b""


def too_many(limit: int, what: str) -> QueryRefused:
    return QueryRefused(413, f"the result has more than {limit} {what}, the endpoint's "
                        "limit; add LIMIT or narrow the query")


class LineSink:
    """A binary sink for Oxigraph's writers that fails once it has seen ``limit`` lines
    (``distinct``: distinct lines, kept in order of arrival)."""

    def __init__(self, limit: int, distinct: bool = False):
        self.limit, self.distinct, self.over = limit, distinct, False
        self._chunks: list[bytes] = []
        self._lines: dict[bytes, None] = {}
        self._count, self._tail = 0, b""

    def write(self, data: bytes) -> int:
        data = bytes(data)
        if self.distinct:
            *complete, self._tail = (self._tail + data).split(b"\n")
            self._lines.update(dict.fromkeys(complete))
            self._count = len(self._lines)
        else:
            self._chunks.append(data)
            self._count += data.count(b"\n")
        if self._count > self.limit:
            self.over = True
            raise QueryRefused(413, "over the result-size limit")
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: everything is kept in memory."""

    def value(self) -> bytes:
        if self.distinct:
            return b"".join(line + b"\n" for line in self._lines) + self._tail
        return b"".join(self._chunks)


def write_capped(result: Any, sink: LineSink, fmt: Any, limit: int, what: str) -> None:
    try:
        result.serialize(sink, format=fmt)
    except Exception:  # noqa: BLE001 - whatever pyoxigraph makes of the sink's refusal
        if sink.over:
            raise too_many(limit, what) from None
        raise


def tsv_lines(variables: list[Any], rows: list[dict[Any, Any]]) -> bytes:
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
