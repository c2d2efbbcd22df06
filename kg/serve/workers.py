"""Worker processes that each hold the dataset and answer queries; a stuck one is ended.

rdflib's SPARQL engine cannot be interrupted from another thread, so the time limit is
kept by ending the worker's process and starting a fresh one in its place. Workers are
plain ``python -c`` subprocesses speaking over a socket pair with
:class:`multiprocessing.connection.Connection` (not ``multiprocessing`` itself, whose
spawn would re-run the caller's main script). Each worker also makes sure no query can
make it fetch a URL and caps its own memory.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef
from rdflib.plugins.sparql.sparql import Query

from ..errors import ServeError
from .protocol import Limits, QueryRefused, QueryRequest, Reply, answer, text_reply

_ROOT = Path(__file__).resolve().parents[2]  # the directory that holds the kg package


def _harden_rdflib() -> None:
    """Make sure no query can make this process fetch a URL, whatever slips past the checks."""
    import rdflib.plugins.sparql as sparql
    from rdflib.plugins.sparql import evaluate

    sparql.SPARQL_LOAD_GRAPHS = False

    def refuse_service(ctx: Any, part: Any) -> Any:
        raise QueryRefused(403, "SERVICE (federated query) is refused")

    evaluate.evalServiceQuery = refuse_service  # type: ignore[assignment]


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


def worker_main() -> None:
    """A worker process: load the dataset sent on its socket, then answer until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    conn = Connection(int(sys.argv[-1]))
    nquads, namespaces, max_results, memory_mb = conn.recv()
    _harden_rdflib()
    dataset = Dataset(default_union=True)
    dataset.parse(data=nquads, format="nquads")
    del nquads
    for prefix, namespace in namespaces:
        dataset.bind(prefix, URIRef(namespace), replace=True)
    _limit_memory(memory_mb)
    cache: dict[str, Query] = {}
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
            conn.send(answer(dataset, request, max_results, cache))
        except (EOFError, OSError):
            return  # the server has gone: so do we


Worker = tuple[subprocess.Popen, Connection]


class WorkerPool:
    """Worker processes that each hold the dataset; a stuck one is ended and replaced.

    Workers are plain ``python -c`` subprocesses talking over a socket pair (not
    ``multiprocessing``, whose spawn would re-run the caller's main script).
    """

    def __init__(self, dataset: Dataset, size: int, limits: Limits,
                 log: Callable[[str], None] | None = None, start_timeout: float = 600.0):
        self._payload = (dataset.serialize(format="nquads"),
                         [(p, str(n)) for p, n in dataset.namespaces()],
                         limits.max_results, limits.memory_mb)
        self._limits, self._log, self._start_timeout = limits, log, start_timeout
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock, self._closed = threading.Lock(), False
        try:
            for worker in [self._spawn() for _ in range(size)]:
                self._await_ready(worker)
                self._idle.put(worker)
        except (ServeError, OSError):
            self.close()
            raise

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
            self._retire(worker)
            return text_reply(500, "the query worker stopped unexpectedly; it has been "
                              "replaced, retry the query")
        if reply.retire:
            self._retire(worker)
            return replace(reply, retire=False)
        self._idle.put(worker)
        return reply

    def pids(self) -> set[int]:
        """The process ids of the live workers."""
        with self._lock:
            return {process.pid for process, _ in self._all}

    def close(self) -> None:
        """End every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._end(worker)

    def _spawn(self) -> Worker:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)  # the workers run this very package, installed or not
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT),
                                                          env.get("PYTHONPATH")]))
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-c", "from kg.serve.workers import worker_main; worker_main()",
                 str(theirs.fileno())], pass_fds=[theirs.fileno()], env=env,
                stdin=subprocess.DEVNULL, start_new_session=True)
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
            if conn.poll(self._start_timeout) and conn.recv() == "ready":
                return
        except (EOFError, OSError):
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
        process.terminate()
        try:
            process.wait(2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        conn.close()
