"""Time every question in-process from an open store, as ``kg <question>`` answers it.

Usage:
    uv run --locked python benchmarks/questions.py 10000 [100000] [--store-dir DIR]
        [--repeat 3] [--full] [--sparql] [--only warnings,timeline] [--kept-only]
        [--timeout 300]

For each N: the synthetic corpus (N warnings among N/10 actors) is built, as ``kg build``
builds it (graphs and their manifest), into an on-disk Oxigraph store ``DIR/N`` (made
once, then reused: building is not what is measured here). Then, each in a fresh forked
process that has opened the store, each question is answered:

- ``narrow``: the projection of only what the question reads (``project(needs=...)``)
  plus the answer (``kg.analysis``): what ``kg.answers.ask`` does the first time.
- ``kept``: ``kg.answers.ask`` again, the answer read back from beside the store.
- ``full``: the projection of everything the questions read (``project(lean=True)``,
  what every question paid before) plus the answer; with ``--full`` only (slow).
- ``sparql``: the question's named SPARQL query on the same store (``--sparql``).

Each cell is the median wall time and CPU time of ``--repeat`` runs (seconds; writing
the output excluded; on a shared machine the CPU time is the steadier of the two) and the
largest resident memory of a run (MB). Prints one table per N.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import time
from pathlib import Path
from typing import Any

#: (title, question, its arguments, the named query that answers the same, if any)
QUESTIONS: list[tuple[str, str, tuple[Any, ...], str | None]] = [
    ("warnings", "warnings", (), "warnings"),
    ("reciprocity (state)", "reciprocity", ("state",), "reciprocity"),
    ("reciprocity (actor)", "reciprocity", ("actor",), "reciprocity-actors"),
    ("lead-times", "lead-times", (), "lead-times"),
    ("attacks", "attacks", (), "attacks"),
    ("conflicts", "conflicts", (), "conflicting-death-tolls"),
    ("timeline", "timeline", (), None),
    ("actor", "actor", ("State 1",), None),
    ("path", "path", ("State 1", "Agency 7"), None),
]


def make_store(n: int, place: Path) -> None:
    """The synthetic corpus built into ``place`` as ``kg build`` builds it (with manifest)."""
    from kg.build import build_dataset
    from kg.pipeline import fingerprints, load_ontology
    from kg.stores import close, open_dataset, record
    from kg.synthetic import synthetic_corpus
    from kg.validate import check_corpus

    start = time.perf_counter()
    corpus = check_corpus(synthetic_corpus(n))
    ontology = load_ontology()
    dataset = open_dataset(f"oxigraph:{place}")
    build_dataset(corpus, ontology, store=dataset)
    record(dataset, fingerprints(corpus, ontology))
    close(dataset)
    print(f"built {n} warnings into {place} in {time.perf_counter() - start:.1f}s")


def _run(place: str, how: str, question: str, args: tuple[Any, ...], query: str | None,
         queue: Any) -> None:
    """One measurement in this (forked) process: seconds, rows, peak MB."""
    from kg import answers, sparql
    from kg.project import project
    from kg.stores import open_dataset

    dataset = open_dataset(f"oxigraph:{place}")
    start, cpu = time.perf_counter(), time.process_time()
    if how == "narrow":
        rows = answers.ask(dataset, question, *args, keep=False)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        answers.keep(dataset, question, rows, *args)  # for "kept" (not timed)
        count = len(rows) if isinstance(rows, list) else 1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put((seconds, count, peak, cpu))
        return
    elif how in ("kept", "keep"):  # "keep": make sure it is kept (not timed)
        rows = answers.ask(dataset, question, *args)
    elif how == "full":
        rows = answers.QUESTIONS[question](project(dataset, lean=True), *args)
    else:
        assert query is not None
        rows = sparql.run(dataset, sparql.query_text(query)).bindings
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    count = len(rows) if isinstance(rows, list) else 1
    queue.put((seconds, count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu))


def measure(place: Path, how: str, question: str, args: tuple[Any, ...], query: str | None,
            timeout: float) -> tuple[float, int, float, float] | None:
    """(seconds, rows, peak MB, CPU seconds) of one run in a forked process (None after
    ``timeout``)."""
    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    child = ctx.Process(target=_run, args=(str(place), how, question, args, query, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--store-dir", type=Path, default=Path("/tmp/kg-questions"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="time the full projection too")
    parser.add_argument("--sparql", action="store_true", help="time the named queries too")
    parser.add_argument("--only", help="these questions only (comma-separated commands)")
    parser.add_argument("--kept-only", action="store_true",
                        help="time only the kept answers (the others are slow at scale)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    hows = (["kept"] if args.kept_only else ["narrow", "kept"]) + (
        ["full"] if args.full else []) + (["sparql"] if args.sparql else [])
    for n in args.sizes:
        place = args.store_dir / str(n)
        if not place.exists():
            make_store(n, place)
        print(f"\nN={n} warnings, on-disk Oxigraph store {place}; median of {args.repeat} "
              "runs: wall seconds, CPU seconds (peak MB)")
        print(f"{'question':22}" + "".join(f"{h:>24}" for h in hows) + f"{'rows':>9}")
        for title, question, qargs, query in QUESTIONS:
            if args.only and question not in args.only.split(","):
                continue
            cells, rows = [], None
            for how in hows:
                if how == "sparql" and query is None:
                    cells.append(f"{'-':>24}")
                    continue
                if how == "kept" and "narrow" not in hows:
                    measure(place, "keep", question, qargs, query, args.timeout)
                runs = [measure(place, how, question, qargs, query, args.timeout)
                        for _ in range(args.repeat)]
                done = [r for r in runs if r is not None]
                if not done:
                    cells.append(f"{'>' + str(int(args.timeout)):>24}")
                    continue
                seconds = statistics.median(r[0] for r in done)
                cpu = statistics.median(r[3] for r in done)
                peak = max(r[2] for r in done)
                rows = done[0][1] if how != "sparql" else rows
                cells.append(f" {seconds:8.2f} {cpu:7.2f} ({peak:4.0f})")
            print(f"{title:22}" + "".join(cells) + f"{rows if rows is not None else '-':>9}",
                  flush=True)


if __name__ == "__main__":
    main()
