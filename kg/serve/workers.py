"""Worker processes that each hold the dataset and answer queries; a stuck one is ended.

Neither rdflib's SPARQL engine nor Oxigraph's can be interrupted from another thread, so
the time limit is kept by ending the worker's process and starting a fresh one in its
place. Workers are plain ``python -c`` subprocesses speaking over a socket pair with
:class:`multiprocessing.connection.Connection` (not ``multiprocessing`` itself, whose
spawn would re-run the caller's main script). Each worker also makes sure no query can
make it fetch a URL and caps its own memory.

Which engine answers follows the store (see :func:`engine_for`): rdflib's on ``memory``,
Oxigraph's on every other. Workers get the data as an N-Quads file written once by the
server (Oxigraph in memory writes it natively), except on ``oxigraph:PATH``, where each
worker opens the store on disk read-only and nothing is copied.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.sparql import Query

from ..errors import QueryRefused, ServeError
from ..stores import built_from, holds_union, is_memory, native, spec_of
from .protocol import Limits, OxigraphSource, QueryRequest, answer
from .results import OUT_OF_MEMORY, Reply, text_reply

_ROOT = Path(__file__).resolve().parents[2]  # the directory that holds the kg package
#: What a worker process runs (``python -c``); tests swap it to deny the network isolation.
_WORKER_CODE = "from kg.serve.workers import worker_main; worker_main()"
NOT_ISOLATED = ("kg serve: warning: the query workers could not be cut off from the network "
                "(this kernel or container refuses them both a network namespace of their "
                "own and a seccomp filter); "
                "SERVICE is still refused before any query runs, but a query engine fault "
                "could reach the network. Allow unprivileged user namespaces or seccomp "
                "filters (or run as root) to restore this defence.")


def _harden_rdflib() -> None:
    """Make sure no query can make this process fetch a URL, whatever slips past the checks."""
    import rdflib.plugins.sparql as sparql
    from rdflib.plugins.sparql import evaluate

    sparql.SPARQL_LOAD_GRAPHS = False

    def refuse_service(ctx: Any, part: Any) -> Any:
        raise QueryRefused(403, "SERVICE (federated query) is refused")

    evaluate.evalServiceQuery = refuse_service


def _limit_memory(headroom_mb: int) -> None:
    """Cap this process's address space at its current size plus ``headroom_mb``."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
        limit = (size_kb + headroom_mb * 1024) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # not Linux: the time limit still bounds a runaway query

    def quiet(unraisable: Any) -> None:  # generators dropped while out of memory
        if not isinstance(unraisable.exc_value, MemoryError):
            sys.__unraisablehook__(unraisable)

    sys.unraisablehook = quiet


def _isolate_network() -> bool:
    """Cut this process off from the network; True when it worked.

    Defence in depth: Oxigraph's engine fetches ``SERVICE`` URLs itself, and the gate
    that refuses ``SERVICE`` is rdflib's parser (both read the same text, one they read
    alike: :func:`kg.serve.protocol.canonical`); if the two parsers ever read a query
    differently all the same, the worker still reaches no network. Linux only: a network
    namespace of its own where the kernel allows it (root, or unprivileged user
    namespaces), else a seccomp filter (containers that refuse the namespace usually
    allow that). Must run while the process has a single thread.
    """
    if not sys.platform.startswith("linux"):
        return False
    return _new_network_namespace() or _refuse_ip_sockets()


def _new_network_namespace() -> bool:
    """Move this process into a network namespace of its own, with no interface up."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        new_net, new_user = 0x40000000, 0x10000000  # CLONE_NEWNET, CLONE_NEWUSER
        return any(libc.unshare(flags) == 0 for flags in (new_net, new_user | new_net))
    except (OSError, AttributeError):
        return False


#: machine -> (its seccomp audit architecture, the number of its socket() system call)
_SECCOMP = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def _refuse_ip_sockets() -> bool:
    """Install a seccomp filter under which ``socket(AF_INET or AF_INET6, ...)`` fails
    (EACCES) in this process and every thread it starts later; True when installed.

    Only IP sockets: the worker talks to the server over a Unix socket pair it already has.
    """
    import ctypes
    import errno
    import platform

    known = _SECCOMP.get(platform.machine())
    if known is None:
        return False
    arch, socket_call = known
    load, equal, give = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EACCES  # SECCOMP_RET_ALLOW, _RET_ERRNO
    program = [  # (code, jump if true, jump if false, k); jumps count from the next one
        (load, 0, 0, 4),  # seccomp_data.arch
        (equal, 0, 5, arch),  # another architecture: allow
        (load, 0, 0, 0),  # seccomp_data.nr
        (equal, 0, 3, socket_call),  # not socket(): allow
        (load, 0, 0, 16),  # seccomp_data.args[0]: the address family
        (equal, 2, 0, socket.AF_INET),
        (equal, 1, 0, socket.AF_INET6),
        (give, 0, 0, allow),
        (give, 0, 0, refuse),
    ]

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                    ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    filters = (Filter * len(program))(*(Filter(*step) for step in program))
    fprog = Program(len(program), filters)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        no_new_privs, set_seccomp, mode_filter = 38, 22, 2  # PR_SET_NO_NEW_PRIVS ...
        ulong = ctypes.c_ulong
        return (libc.prctl(no_new_privs, ulong(1), ulong(0), ulong(0), ulong(0)) == 0
                and libc.prctl(set_seccomp, ulong(mode_filter), ctypes.byref(fprog),
                               ulong(0), ulong(0)) == 0)
    except (OSError, AttributeError):
        return False


def fill_union(store: Any) -> int:
    """Copy every triple of the named graphs into the store's default graph; its size.

    The default graph of a query is then the union with set semantics: a triple that
    several sources state counts once, as in rdflib's union (Oxigraph's own union view
    counts it once per graph).

    Example:
        >>> import pyoxigraph as ox
        >>> store = ox.Store()
        >>> for g in ("urn:g:a", "urn:g:b"):
        ...     store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"),
        ...                       ox.Literal("a"), ox.NamedNode(g)))
        >>> fill_union(store)
        1
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
    return int(count["n"].value)


def _open_source(kind: str, where: str,
                 namespaces: list[tuple[str, str]]) -> tuple[Any, int | None]:
    """What a worker answers from (an rdflib Dataset or an :class:`OxigraphSource`) and
    the size of its default graph (None: Oxigraph's union view on disk, see README)."""
    if kind == "rdflib":
        dataset = Dataset(default_union=True)
        with open(where, "rb") as nquads:
            dataset.parse(file=nquads, format="nquads")
        for prefix, namespace in namespaces:
            dataset.bind(prefix, URIRef(namespace), replace=True)
        return dataset, len(dataset)
    import pyoxigraph as ox

    if kind == "oxigraph-disk":  # read-only: its union view repeats shared triples
        return OxigraphSource.of(ox.Store.read_only(where), dict(namespaces)), None
    if kind == "oxigraph-disk-union":  # the build kept the union, as a set, in its default graph
        store = ox.Store.read_only(where)
        count = next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))  # type: ignore[arg-type]
        return replace(OxigraphSource.of(store, dict(namespaces)),
                       union_in_default_graph=True), int(count["n"].value)
    store = ox.Store()  # blank nodes get new labels: the same graph, as far as a query can tell
    store.load(path=where, format=ox.RdfFormat.N_QUADS)
    source = OxigraphSource.of(store, dict(namespaces))
    size = fill_union(store)
    return replace(source, union_in_default_graph=True), size


def log_fault(reply: Reply, doing: str) -> Reply:
    """Write a fault reply's id and traceback on stderr (what ``doing`` was); the reply
    without them, for the client (:func:`kg.serve.results.server_error` made it)."""
    ident, _, trace = reply.fault.partition(" ")
    print(f"kg serve: internal error {ident} {doing}:\n{trace.rstrip()}", file=sys.stderr,
          flush=True)
    return replace(reply, fault="")


def worker_main() -> None:
    """A worker process: open the data named on its socket, then answer until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    isolated = _isolate_network()
    conn = Connection(int(sys.argv[-1]))
    (kind, where), namespaces, max_results, memory_mb = conn.recv()
    _harden_rdflib()
    source, union_size = _open_source(kind, where, namespaces)
    _limit_memory(memory_mb)
    cache: dict[str, Query] = {}
    conn.send(("ready", isolated, union_size))
    while True:
        try:
            request = conn.recv()
            conn.send(answer(source, request, max_results, cache))
        except (EOFError, OSError):
            return  # the server has gone: so do we


def engine_for(dataset: Dataset) -> str:
    """The engine that answers for ``dataset``: "rdflib" on rdflib's memory store, else
    "oxigraph" (10 to 100 times faster on the named queries; README, ``kg serve``)."""
    return "rdflib" if is_memory(dataset) else "oxigraph"


def _disk_location(dataset: Dataset) -> str | None:
    """The directory of an on-disk Oxigraph store, or None."""
    spec = spec_of(dataset)
    if spec is not None and spec.kind == "oxigraph" and spec.location is not None:
        return os.path.abspath(spec.location)
    return None


def _write_nquads(dataset: Dataset, path: str, built: str | None = None) -> None:
    """The dataset as N-Quads in ``path``: the build's own ``graph.nq`` (``built``, linked:
    a later build replaces the name, not this file), natively from Oxigraph in memory, else
    by rdflib."""
    if built is not None:
        try:
            os.link(built, path)
        except OSError:
            shutil.copyfile(built, path)
        return
    spec, fast = spec_of(dataset), native(dataset)
    if fast is not None and spec is not None and spec.kind == "oxigraph" and not spec.location:
        # In memory it holds only our graphs, and their union in its default graph (see
        # kg.stores.store_union), which the workers' own union fill leaves as it is.
        fast.dump_nquads(path)
    else:  # our graphs only (not a server's own, nor the build manifest)
        dataset.serialize(destination=path, format="nquads")


def _graph_sizes(dataset: Dataset, every: bool = False) -> dict[str, int]:
    """IRI -> triples of the dataset's named graphs (``every``: of all the graphs in an
    Oxigraph store, the build's manifest included, as its own queries see them)."""
    ours = {str(g.identifier) for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    fast = native(dataset)
    if fast is None:
        return {iri: len(dataset.graph(URIRef(iri))) for iri in sorted(ours)}
    sizes = fast.graph_sizes()  # one query, where len() would count graph by graph
    return {iri: sizes.get(iri, 0) for iri in sorted(set(sizes) if every else ours)}


Worker = tuple[subprocess.Popen, Connection]


def _aborted(process: subprocess.Popen) -> bool:
    """True when a worker that stopped answering was aborted: the Rust side of Oxigraph
    aborts the process when an allocation fails (past the worker's memory cap)."""
    try:
        return process.wait(5) == -signal.SIGABRT
    except subprocess.TimeoutExpired:
        return False


class WorkerPool:
    """Worker processes that each hold the dataset; a stuck one is ended and replaced.

    Workers are plain ``python -c`` subprocesses talking over a socket pair (not
    ``multiprocessing``, whose spawn would re-run the caller's main script).

    Args:
        engine: "oxigraph" or "rdflib"; by default the one :func:`engine_for` picks.
        nquads: the build's ``graph.nq`` the dataset was loaded from (``kg.built``): the
            workers read it instead of a new dump.

    Attributes:
        engine: the engine the workers answer with.
        graphs: IRI -> triples of each named graph a query sees (``GRAPH ?g``).
        union_size: the triples of the default graph (the union) as the engine counts them.
        isolated: every worker started so far runs with no network (see NOT_ISOLATED).
    """

    def __init__(self, dataset: Dataset, size: int, limits: Limits,
                 log: Callable[[str], None] | None = None, start_timeout: float = 600.0,
                 engine: str | None = None, nquads: str | None = None):
        if engine not in (None, "oxigraph", "rdflib"):
            raise ServeError(f"unknown query engine {engine!r}: use oxigraph or rdflib")
        self.engine = engine or engine_for(dataset)
        nquads = nquads or built_from(dataset)
        location = _disk_location(dataset)
        disk = self.engine == "oxigraph" and location is not None
        self.graphs = _graph_sizes(dataset, every=disk)
        # What `{ ?s ?p ?o }` counts, as the workers report it; on disk, Oxigraph's union
        # view counts a triple once per graph that holds it.
        self.union_size = sum(self.graphs.values())
        self.isolated = True
        self._files: str | None = None
        if disk:
            # Workers open the directory read-only while this process keeps it open (and
            # locked against other writers); a read-only RocksDB instance takes no lock,
            # and keeps the snapshot it opened even if the files are compacted away. Flushed
            # first, so that a worker does not replay the write-ahead log into its memory.
            # (Measured: a read-only instance opened beside the writer saw what was written,
            # flushed or not, and kept its snapshot through later writes and compactions.)
            fast = native(dataset)
            if fast is not None:
                fast.flush()
            data = ("oxigraph-disk-union" if holds_union(dataset) else "oxigraph-disk",
                    location)
        else:
            self._files = tempfile.mkdtemp(prefix="kg-serve-")  # readable by us only
            path = os.path.join(self._files, "dataset.nq")
            try:
                _write_nquads(dataset, path, nquads)
            except BaseException:
                shutil.rmtree(self._files, ignore_errors=True)
                raise
            data = (self.engine, path)
        self._payload = (data, [(p, str(n)) for p, n in dataset.namespaces()],
                         limits.max_results, limits.memory_mb)
        self._limits, self._log, self._start_timeout = limits, log, start_timeout
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        #: Workers that said they are ready (and isolated, where the kernel allows): a
        #: replacement starting up is in ``_all`` but not yet here, nor given queries.
        self._ready: set[int] = set()
        self._lock, self._closed, self._started = threading.Lock(), False, False
        try:  # a SIGTERM (KeyboardInterrupt) meanwhile must not leave the data file behind
            for worker in [self._spawn() for _ in range(size)]:
                self._await_ready(worker)
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise
        self._started = True
        if not self.isolated and log is not None:
            log(NOT_ISOLATED)

    def run(self, request: QueryRequest, timeout: float) -> Reply:
        """Answer ``request`` in a free worker, stopping it after ``timeout`` seconds."""
        try:
            worker = self._idle.get(timeout=self._limits.queue_wait)
        except queue.Empty:
            return text_reply(503, "all query workers are busy; retry shortly",
                              headers=(("Retry-After", "5"),))
        conn = worker[1]
        try:
            conn.send(request)
            if not conn.poll(timeout):
                self._retire(worker)
                return text_reply(422, f"query stopped: it ran longer than the time limit of "
                                  f"{timeout:g} s; narrow it or add LIMIT")
            reply: Reply = conn.recv()
        except (EOFError, OSError):
            out_of_memory = _aborted(worker[0])
            self._retire(worker)
            if out_of_memory:
                return text_reply(413, OUT_OF_MEMORY)
            return text_reply(500, "the query worker stopped unexpectedly; it has been "
                              "replaced, retry the query")
        if reply.fault:  # our fault, not the query's: the traceback goes to the log
            reply = log_fault(reply, f"answering {request.query[:200]!r}")
        if reply.retire:
            self._retire(worker)
            return replace(reply, retire=False)
        self._idle.put(worker)
        return reply

    def pids(self) -> set[int]:
        """The process ids of the live workers that are ready to answer (a replacement
        still starting is left out: it has not isolated itself yet, nor had a query)."""
        with self._lock:
            return {process.pid for process, _ in self._all if process.pid in self._ready}

    def close(self) -> None:
        """End every worker and remove the data file written for them."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._end(worker)
        if self._files is not None:
            shutil.rmtree(self._files, ignore_errors=True)

    def _spawn(self) -> Worker:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)  # the workers run this very package, installed or not
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT),
                                                          env.get("PYTHONPATH")]))
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                start_new_session=True)
        worker = (process, Connection(ours.detach()))
        with self._lock:
            self._all.add(worker)
        try:
            worker[1].send(self._payload)
        except OSError:
            pass  # it died on start; _await_ready reports it
        return worker

    def _await_ready(self, worker: Worker) -> None:
        process, conn = worker
        try:
            if conn.poll(self._start_timeout):
                ready, isolated, union_size = conn.recv()
                if ready == "ready":
                    if not isolated and self.isolated and self._started and self._log:
                        self._log(NOT_ISOLATED)  # a replacement, where the first ones were
                    self.isolated = self.isolated and isolated
                    if union_size is not None:
                        self.union_size = union_size
                    with self._lock:
                        self._ready.add(process.pid)
                    return
        except (EOFError, OSError, ValueError, TypeError):
            pass
        self._end(worker)
        raise ServeError(f"a query worker failed to start (exit status {process.returncode}); "
                         "see the messages above")

    def _retire(self, worker: Worker) -> None:
        self._end(worker)
        threading.Thread(target=self._replace, name="kg-sparql-respawn", daemon=True).start()

    def _replace(self) -> None:
        with self._lock:
            if self._closed:
                return
        try:
            worker = self._spawn()
            self._await_ready(worker)
        except (ServeError, OSError) as exc:
            if self._log and not self._closed:
                self._log(f"kg serve: could not replace a query worker: {exc}")
            return
        if self._closed:
            self._end(worker)
        else:
            self._idle.put(worker)

    def _end(self, worker: Worker) -> None:
        process, conn = worker
        with self._lock:
            self._all.discard(worker)
            self._ready.discard(process.pid)
        process.terminate()
        try:
            process.wait(2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        conn.close()
