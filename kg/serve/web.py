"""HTTP for the endpoint: routes, the query page, the explorer, the service description
(made by :mod:`kg.serve.description`).

The standard library's ``ThreadingHTTPServer`` (one thread per connection, keep-alive)
takes requests; queries go to the :class:`~kg.serve.workers.WorkerPool`. Every reply to a
client's input is plain text or a serialised result, never HTML built from the input.
"""

from __future__ import annotations

import ipaddress
import re
import signal
import socket
import socketserver
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from rdflib import Dataset

from ..errors import QueryRefused, ServeError
from .description import service_description
from .pages import example_queries, query_page
from .protocol import Limits, QueryRequest
from .results import (
    RDFLIB_FORMATS,
    TURTLE,
    Reply,
    negotiate,
    server_error,
    text_reply,
)
from .workers import WorkerPool, log_fault

_KG = Path(__file__).resolve().parents[1]  # the kg package: static/ and queries/
_CORS = (("Access-Control-Allow-Origin", "*"),)  # read-only, no cookies: any page may query
_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
             "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
             "frame-ancestors 'none'")
# No other host; and no other site's page may frame it (default-src does not cover that).
_EXPLORER_CSP = ("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
                 "frame-ancestors 'none'")
#: Below this many seconds a client's ``timeout=`` is refused: ending a worker and loading
#: the graph again costs far more than the query it stopped.
MIN_TIMEOUT = 1.0
_QUERY_METHODS = "GET, HEAD, POST, OPTIONS"
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")


class _App:
    """What every request handler shares: the pool, the limits and the pages."""

    def __init__(self, limits: Limits, host: str,
                 explorer: Callable[[], str | None] | None, queries_dir: Path | None,
                 log: Callable[[str], None] | None):
        self.limits, self.log, self.host = limits, log, host
        self.pool: WorkerPool | None = None
        self.base: str | None = None  #: the endpoint's URL: the base IRI of every query
        self.graphs: dict[str, int] = {}  #: set once the workers are started: what they see
        self.union_size = 0  #: likewise
        self._explorer = explorer
        self._queries_dir = queries_dir
        self._descriptions: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def route(self, method: str, target: str, headers: Any, body: bytes) -> Reply:
        """The reply to one request."""
        url = urlsplit(target)
        host = headers.get("Host")
        if host is not None and _is_loopback(self.host) and not _is_loopback(
                host if host.endswith("]") else host.rsplit(":", 1)[0]):
            # A page on another site can resolve its own name to 127.0.0.1 (DNS rebinding).
            return text_reply(403, f"this endpoint listens on {self.host} and answers only "
                              "requests addressed to localhost or a loopback address")
        if url.path in ("/sparql", "/sparql/"):
            if method == "OPTIONS":
                return Reply(204, "text/plain", b"", _CORS + (
                    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                    ("Access-Control-Max-Age", "86400")))
            reply = self._sparql(method, url.query, headers, body)
            return replace(reply, headers=reply.headers + _CORS + (("Vary", "Accept"),))
        if method not in ("GET", "HEAD"):
            return text_reply(405, f"{method} is not allowed on {url.path}",
                              headers=(("Allow", "GET, HEAD"),))
        if url.path in ("/", "/query"):
            page = query_page(example_queries(self._queries_dir), self.limits)
            return Reply(200, "text/html; charset=utf-8", page.encode(),
                         (("Content-Security-Policy", _PAGE_CSP),))
        if url.path == "/static/query.js":
            script = (_KG / "static" / "query.js").read_bytes()
            return Reply(200, "text/javascript; charset=utf-8", script)
        if url.path == "/explorer":
            return self._explorer_reply()
        return text_reply(404, f"nothing at {url.path!r}: try / (query page), /sparql "
                          "(SPARQL endpoint and service description) or /explorer")

    def _sparql(self, method: str, query_string: str, headers: Any, body: bytes) -> Reply:
        try:
            params = parse_qs(query_string, keep_blank_values=True, errors="strict")
            if method == "POST":
                ctype = headers.get_content_type()
                charset = headers.get_content_charset("utf-8").lower()
                if charset not in ("utf-8", "utf8"):
                    raise QueryRefused(415, f"cannot read a body in charset {charset}: "
                                       "SPARQL is sent in UTF-8 (charset=utf-8, or none)")
                if ctype == "application/sparql-update":
                    raise QueryRefused(403, "SPARQL Update is refused: this endpoint is "
                                       "read-only.")
                if ctype == "application/x-www-form-urlencoded":
                    form = parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                    errors="strict")
                    for key, values in form.items():
                        params.setdefault(key, []).extend(values)
                elif ctype == "application/sparql-query":
                    if "query" in params:
                        raise QueryRefused(400, "send the query either as the body or as "
                                           "the query parameter, not both")
                    params["query"] = [body.decode("utf-8")]
                else:
                    raise QueryRefused(415, f"cannot read a {ctype} body: POST "
                                       "application/x-www-form-urlencoded (query=...) or "
                                       "application/sparql-query")
            elif method not in ("GET", "HEAD"):
                return text_reply(405, f"{method} is not allowed on /sparql: query with GET "
                                  "or POST (this endpoint is read-only)",
                                  headers=(("Allow", _QUERY_METHODS),))
            return self._query(method, params, headers)
        except (UnicodeDecodeError, LookupError):
            return text_reply(400, "the request is not valid UTF-8 (or names an unknown "
                              "charset)")
        except QueryRefused as exc:
            return text_reply(exc.status, str(exc))

    def _query(self, method: str, params: dict[str, list[str]], headers: Any) -> Reply:
        if "update" in params:
            raise QueryRefused(403, "SPARQL Update is refused: this endpoint is read-only.")
        queries = params.get("query", [])
        if not queries:
            if method in ("GET", "HEAD"):
                return self._description(headers)
            raise QueryRefused(400, "no query: send query=... (form) or an "
                               "application/sparql-query body")
        if len(queries) > 1:
            raise QueryRefused(400, "send exactly one query parameter")
        if not queries[0].strip():
            raise QueryRefused(400, "the query is empty")
        timeout = self.limits.timeout
        if params.get("timeout"):
            least = min(MIN_TIMEOUT, timeout)
            try:
                timeout = min(float(params["timeout"][0]), timeout)
            except ValueError:
                timeout = -1.0
            if not timeout >= least:
                raise QueryRefused(400, f"timeout must be a number of seconds from {least:g} "
                                   f"to {self.limits.timeout:g}")
        request = QueryRequest(queries[0], tuple(params.get("default-graph-uri", ())),
                               tuple(params.get("named-graph-uri", ())),
                               headers.get("Accept", ""), self.base)
        assert self.pool is not None
        return self.pool.run(request, timeout)

    def _description(self, headers: Any) -> Reply:
        media = negotiate(headers.get("Accept", ""), "graph") or TURTLE
        host = headers.get("Host", "")
        if not _HOST.match(host):
            host = f"[{self.host}]" if ":" in self.host else self.host
        with self._lock:
            if (host, media) not in self._descriptions:
                if len(self._descriptions) > 64:
                    self._descriptions.clear()
                sd = service_description(f"http://{host}/sparql", self.graphs,
                                         self.union_size, self.limits)
                self._descriptions[host, media] = sd.serialize(
                    format=RDFLIB_FORMATS[media], encoding="utf-8")
            body = self._descriptions[host, media]
        return Reply(200, media + ("; charset=utf-8" if media.startswith("text/") else ""),
                     body)

    def _explorer_reply(self) -> Reply:
        page = self._explorer() if self._explorer is not None else None
        if page is None:
            return Reply(404, "text/html; charset=utf-8", _NO_EXPLORER.encode(),
                         (("Content-Security-Policy", _PAGE_CSP),))
        return Reply(200, "text/html; charset=utf-8", page.encode(),
                     (("Content-Security-Policy", _EXPLORER_CSP),))


_NO_EXPLORER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title></head>
<body><h1>The explorer page is not there yet</h1>
<p>Run <code>kg build</code> first: it writes <code>out/graph.html</code>, which this server
shows here. The <a href="/">query page</a> works without it.</p></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every reply carries Content-Length
    server_version = "kg-serve"
    timeout = 60  # seconds a client may idle on a connection or dribble a request
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

    def do_GET(self) -> None:
        self._respond("GET")

    def do_POST(self) -> None:
        self._respond("POST")

    def do_OPTIONS(self) -> None:
        self._respond("OPTIONS")

    def do_HEAD(self) -> None:
        self._respond("HEAD")

    def __getattr__(self, name: str) -> Any:
        # Any other method (PUT, DELETE, PATCH, BREW...) is answered by the routes (405 and
        # Allow), not by the standard library's 501 HTML page.
        if name.startswith("do_") and name[3:].isupper():
            return lambda: self._respond(name[3:])
        raise AttributeError(name)

    def version_string(self) -> str:
        return self.server_version  # not the Python version

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """The standard library's own refusals (414, 431, a bad request line...) as text."""
        reason = message or self.responses.get(code, ("error",))[0]
        hint = {414: "the request line is too long: send a long query by POST "
                     "(application/sparql-query, or a form)",
                431: "a header line is too long, or there are too many headers"}.get(code, "")
        reply = text_reply(code, f"{code} {reason}" + (f": {hint}" if hint else ""))
        self.close_connection = True
        self.send_response(code, message)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(reply.body)

    def _respond(self, method: str) -> None:
        app: _App = cast(_Server, self.server).app
        try:
            if method != "POST" and (self.headers.get("Content-Length", "0").strip() != "0"
                                     or "Transfer-Encoding" in self.headers):
                self.close_connection = True  # a body we do not read must not be a request
            body = self._read_body(app.limits.max_body) if method == "POST" else b""
            reply = app.route(method, self.path, self.headers, body)
        except QueryRefused as exc:
            reply = text_reply(exc.status, str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad request must not stop the server
            reply = log_fault(server_error(exc), f"on {method} {self.path[:200]!r}")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(reply.body)

    def _read_body(self, limit: int) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise QueryRefused(411, "send a Content-Length (chunked bodies are not supported)")
        if len({value.strip() for value in self.headers.get_all("Content-Length", [])}) > 1:
            self.close_connection = True  # which one frames the body? (request smuggling)
            raise QueryRefused(400, "the request has conflicting Content-Length headers; "
                               "send one")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            # Drop a moderately large body so that the client can read the answer; close
            # the connection otherwise (an unread body must not be taken for a request).
            status, remaining = (413 if length > limit else 400), length
            while 0 < remaining <= 64 * limit:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                remaining = remaining - len(chunk) if chunk else -1
            self.close_connection = remaining != 0
            raise QueryRefused(status, f"the request body must be at most {limit} bytes, "
                               "with a valid Content-Length")
        return self.rfile.read(length)

    def log_message(self, format: str, *args: Any) -> None:
        log = cast(_Server, self.server).app.log
        if log is not None:
            log(f"{self.address_string()} - {format % args}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: _App):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # skip HTTPServer's slow reverse DNS lookup
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away before its answer: nothing to report
        super().handle_error(request, client_address)


class Endpoint:
    """A running endpoint; ``url`` is its ``/sparql``. Use as a context manager or ``close()``."""

    def __init__(self, server: _Server, pool: WorkerPool, thread: threading.Thread):
        self._server, self._pool, self._thread = server, pool, thread
        host, port = str(server.server_address[0]), server.server_address[1]
        self.base_url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        self.url = f"{self.base_url}/sparql"

    @property
    def engine(self) -> str:
        """The engine that answers queries: "oxigraph" or "rdflib"."""
        return self._pool.engine

    @property
    def network_isolated(self) -> bool:
        """Whether every query worker runs cut off from the network (Linux namespaces)."""
        return self._pool.isolated

    @property
    def graphs(self) -> dict[str, int]:
        """IRI -> triples of each named graph the queries see."""
        return dict(self._pool.graphs)

    def worker_pids(self) -> set[int]:
        """The process ids of the query workers now alive."""
        return self._pool.pids()

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread.is_alive():
            self._thread.join(0.5)

    def close(self) -> None:
        """Stop answering, close the socket and end the workers."""
        self._server.shutdown()
        self._server.server_close()
        self._pool.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start(dataset: Dataset, host: str = "127.0.0.1", port: int = 8000, *,
          limits: Limits | None = None, workers: int = 2,
          explorer: Callable[[], str | None] | None = None, queries_dir: Path | None = None,
          log: Callable[[str], None] | None = None, engine: str | None = None) -> Endpoint:
    """Start serving ``dataset`` in a background thread; port 0 picks a free port.

    Args:
        explorer: returns the explorer page, or None while there is none (called per visit).
        queries_dir: where the example queries are (default: the named queries, kg/queries).
        log: receives one line per request; None is quiet.
        engine: "oxigraph" or "rdflib"; by default rdflib's on rdflib's memory store and
            Oxigraph's on every other (see :mod:`kg.serve.workers`).

    Raises:
        ServeError: the address cannot be used, or a worker cannot load the dataset.
    """
    limits = limits or Limits()
    app = _App(limits, host, explorer, queries_dir, log)
    try:
        server = _Server((host, port), app)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose "
                         "another --port (or --host)") from None
    try:
        app.pool = WorkerPool(dataset, workers, limits, log, engine=engine)
    except BaseException:
        server.server_close()
        raise
    app.graphs, app.union_size = app.pool.graphs, app.pool.union_size
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="kg-serve", daemon=True)
    endpoint = Endpoint(server, app.pool, thread)
    app.base = endpoint.url
    thread.start()
    return endpoint


def serve(dataset: Dataset, host: str = "127.0.0.1", port: int = 8000,
          on_ready: Callable[[Endpoint], None] | None = None, **options: Any) -> None:
    """Serve ``dataset`` until Ctrl-C or SIGTERM (see :func:`start` for the options).

    Either way the workers are ended and the data file written for them is removed, also
    when the signal comes while the workers are still starting.
    """
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        endpoint = start(dataset, host, port, **options)  # cleans up after itself
        try:
            if on_ready is not None:
                on_ready(endpoint)
            endpoint.wait()
        finally:
            if main:  # a second SIGTERM must not cut the cleanup short
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            endpoint.close()
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


# The query page's parts (kg.serve.pages) stay importable from here.
__all__ = ["Endpoint", "serve", "start"]
