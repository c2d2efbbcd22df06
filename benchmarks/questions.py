"""Time each question via NetworkX and via SPARQL on the synthetic corpus.

Usage:
    uv run python benchmarks/questions.py 1000 10000 100000 [--timeout 120]

For each N: builds the synthetic corpus (N warnings among N/10 actors) into rdflib's
in-memory store, projects it to NetworkX, then times each question both ways. A
SPARQL query runs in a forked child so a slow one can be stopped at --timeout
seconds (printed as ">TIMEOUT"). Prints one table row per question.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import resource
import time
from collections.abc import Callable

from kg import analysis, sparql
from kg.build import build_dataset
from kg.project import project
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

QUESTIONS: list[tuple[str, Callable, str]] = [
    ("who warned whom", analysis.warnings, "warnings"),
    ("reciprocity (state)", lambda g: analysis.reciprocity(g, "state"), "reciprocity"),
    ("reciprocity (actor)", lambda g: analysis.reciprocity(g, "actor"), "reciprocity-actors"),
    ("lead times", analysis.lead_times, "lead-times"),
    ("attacks", analysis.attacks, "attacks"),
    ("death tolls", analysis.attacks, "death-tolls"),
    ("conflicting tolls", analysis.conflicts, "conflicting-death-tolls"),
    ("timeline", analysis.timeline, "timeline"),
]

_DATASET = None


def _child(name: str, queue: mp.Queue) -> None:
    gc.freeze()  # the parent's heap is not this query's: no full collection walks it
    start = time.perf_counter()
    result = sparql.run(_DATASET, sparql.query_text(name))
    count = len(result.bindings)
    queue.put((time.perf_counter() - start, count))


def time_sparql(name: str, timeout: float) -> tuple[float | None, int | None]:
    """Seconds and row count of a named query, or (None, None) after ``timeout``."""
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(name, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    return queue.get() if not queue.empty() else (None, None)


def main() -> None:
    global _DATASET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    for n in args.sizes:
        start = time.perf_counter()
        corpus = check_corpus(synthetic_corpus(n))
        _DATASET = build_dataset(corpus)
        build_s = time.perf_counter() - start
        triples = sum(len(g) for g in _DATASET.graphs())
        start = time.perf_counter()
        graph = project(_DATASET)
        project_s = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nN={n} warnings: {triples} triples; build (check+build) {build_s:.2f}s; "
              f"projection {project_s:.2f}s ({graph.number_of_nodes()} nodes, "
              f"{graph.number_of_edges()} edges); peak RSS {rss:.0f} MB")
        print(f"{'question':22} {'networkx s':>11} {'sparql s':>10} {'sparql/nx':>10} "
              f"{'rows':>8}")
        for title, function, query in QUESTIONS:
            start = time.perf_counter()
            function(graph)
            nx_s = time.perf_counter() - start
            sp_s, rows = time_sparql(query, args.timeout)
            sp_text = f"{sp_s:10.3f}" if sp_s is not None else f"{'>' + str(args.timeout):>10}"
            ratio = f"{sp_s / nx_s:10.1f}" if sp_s is not None and nx_s > 0 else f"{'-':>10}"
            print(f"{title:22} {nx_s:11.3f} {sp_text} {ratio} {rows if rows is not None else '-':>8}")


if __name__ == "__main__":
    main()
