"""Latency and throughput of `kg serve` per named query, under concurrent load on loopback.

Usage:
    uv run python benchmarks/serve_load.py [--data data | --synthetic N] [--store SPEC]
        [--engine oxigraph|rdflib] [--clients 8] [--requests 50] [--mixed 200] [--workers 2]
        [--start-only]

Starts the endpoint on a free port of 127.0.0.1 (nothing else is ever addressed) with the
graph built from --data (or the synthetic corpus of N warnings) into --store (default:
Oxigraph in memory; the store decides the engine, as in `kg serve`, unless --engine says
otherwise), and prints how long the workers took to start and each one's memory (RSS).
Then, for each named query in kg/queries, --clients concurrent clients each send it
--requests times over a persistent HTTP connection (POST application/sparql-query, SPARQL
JSON results); finally a mixed run where each client sends --mixed queries cycling through
all the named queries (the shape of the test suite's load test). Prints per run: latency
p50 / p99 in ms, throughput in queries/s, the rows of the answer, and any non-200 answer.
Bounded: every client stops after its count or after --deadline seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import threading
import time
from pathlib import Path

import kg
from kg import sparql
from kg.serve import Limits, start
from kg.stores import DEFAULT_STORE, SPEC_HELP, close, open_dataset


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def load(port: int, texts: list[str], clients: int, per_client: int,
         deadline_s: float) -> tuple[list[float], float, list[str], int]:
    """Run ``clients`` threads x ``per_client`` queries; latencies (s), wall time, errors, rows."""
    latencies: list[float] = []
    errors: list[str] = []
    rows: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + deadline_s

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        try:
            conn.connect()  # as urllib3/requests do: no Nagle delay between headers and body
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for i in range(per_client):
                if time.monotonic() > deadline:
                    errors.append(f"client {number} stopped at the deadline")
                    break
                text = texts[(number + i) % len(texts)]
                began = time.perf_counter()
                conn.request("POST", "/sparql", body=text.encode(), headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                body = response.read()
                mine.append(time.perf_counter() - began)
                if response.status != 200:
                    errors.append(f"{response.status}: {body[:120]!r}")
                elif not rows:
                    rows.append(len(json.loads(body).get("results", {}).get("bindings", [])))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"client {number}: {exc!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began, errors, rows[0] if rows else 0


def dataset_from(args: argparse.Namespace):
    """The dataset to serve: the real data, or the synthetic corpus."""
    if args.synthetic:
        from kg.build import build_dataset
        from kg.pipeline import load_ontology
        from kg.synthetic import synthetic_corpus
        from kg.validate import check_corpus

        return build_dataset(check_corpus(synthetic_corpus(args.synthetic)), load_ontology(),
                             store=open_dataset(args.store))
    return kg.load(args.data, store=args.store, shapes=False).dataset


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """A process's resident memory now and at its peak, in MB (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def print_memory(endpoint, when: str) -> None:
    workers = [memory_mb(pid) for pid in sorted(endpoint.worker_pids())]
    print(f"memory {when}: server {memory_mb()[0]:,.0f} MB; workers (now/peak MB) "
          + ", ".join(f"{now:,.0f}/{peak:,.0f}" for now, peak in workers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--store", default=DEFAULT_STORE, help=SPEC_HELP)
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"],
                        help="the engine to answer with (default: the one the store implies)")
    parser.add_argument("--start-only", action="store_true",
                        help="start the workers, print their start time and memory, stop")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="per client, per query")
    parser.add_argument("--mixed", type=int, default=200, help="per client, all queries")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="the server's time limit")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds per run")
    args = parser.parse_args()

    began = time.perf_counter()
    dataset = dataset_from(args)
    print(f"{len(dataset)} quads in {args.store}, built in {time.perf_counter() - began:.1f}s")
    names = sorted(sparql.named_queries())
    texts = {name: sparql.query_text(name) for name in names}
    limits = Limits(timeout=args.timeout, max_results=1_000_000)
    began = time.perf_counter()
    with start(dataset, "127.0.0.1", 0, workers=args.workers, limits=limits,
               engine=args.engine) as endpoint:
        port = int(endpoint.base_url.rsplit(":", 1)[1])
        print(f"{endpoint.engine} engine: {args.workers} workers started in "
              f"{time.perf_counter() - began:.2f}s on {os.cpu_count()} cores; "
              f"{args.clients} clients on {endpoint.url}")
        print_memory(endpoint, "after start")
        runs = [(name, [texts[name]], args.requests) for name in names]
        runs.append(("mixed (all named)", [texts[n] for n in names], args.mixed))
        runs = [] if args.start_only else [run for run in runs if run[2] > 0]
        if runs:
            print(f"{'query':26} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'q/s':>8} "
                  f"{'rows':>6} {'errors':>6}")
        for title, batch, per_client in runs:
            latencies, wall, errors, rows = load(port, batch, args.clients, per_client,
                                                 args.deadline)
            print(f"{title:26} {len(latencies):8d} {percentile(latencies, 0.5) * 1000:8.1f} "
                  f"{percentile(latencies, 0.99) * 1000:8.1f} {len(latencies) / wall:8.1f} "
                  f"{rows if len(batch) == 1 else '-':>6} {len(errors):6d}")
            for error in sorted(set(errors))[:3]:
                print(f"    {error}")
        if runs:
            print_memory(endpoint, "after the runs")
    close(dataset)


if __name__ == "__main__":
    main()
