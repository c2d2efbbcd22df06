"""Build and question times at scale, for each store, all in one run so the ratios are fair.

Usage:
    uv run python benchmarks/scale.py 10000 100000 1000000 [--stores memory,oxigraph,disk]
        [--timeout 60] [--memory-limit-gb 20] [--json results.jsonl] [--no-projection]

For each N (synthetic corpus: N warnings among N/10 actors) and each store, a fresh
process: generates and checks the corpus, builds it into the store (``memory``: rdflib's,
``oxigraph``: Oxigraph in memory, ``disk``: ``oxigraph:PATH`` in a temporary directory,
built the way ``kg build`` does, then the time to add one source), projects it to
NetworkX (``project(lean=True)``, SPARQL over the store unless it is rdflib's), and times
each question via NetworkX and via SPARQL (a forked child, stopped at --timeout).

Peak memory is the process's peak RSS (``ru_maxrss``), corpus included. A (size, store)
whose peak, extrapolated linearly from the previous size, would pass --memory-limit-gb is
skipped, and the run says so. SHACL is not part of the build here (see the README).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

QUESTIONS: list[tuple[str, str, str]] = [
    # (title, kg.analysis call, named query)
    ("who warned whom", "warnings", "warnings"),
    ("reciprocity (state)", "reciprocity:state", "reciprocity"),
    ("reciprocity (actor)", "reciprocity:actor", "reciprocity-actors"),
    ("lead times", "lead_times", "lead-times"),
    ("attacks", "attacks", "attacks"),
    ("death tolls", "attacks", "death-tolls"),
    ("conflicting tolls", "conflicts", "conflicting-death-tolls"),
    ("timeline", "timeline", "timeline"),
]
STORES = {"memory": "memory", "oxigraph": "oxigraph", "disk": "oxigraph:{tmp}"}
_DATASET: Any = None


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _analysis(name: str) -> Callable[[Any], Any]:
    from kg import analysis

    function, _, level = name.partition(":")
    call = getattr(analysis, function)
    return (lambda g: call(g, level)) if level else call


def _sparql_child(name: str, queue: Any) -> None:
    from kg import sparql

    # The parent's heap (the corpus, the NetworkX projection) is not this query's: without
    # this, a full garbage collection in the child walks all of it, adding seconds at random.
    gc.freeze()
    start = time.perf_counter()
    rows = sparql.rows(sparql.run(_DATASET, sparql.query_text(name)))
    queue.put((time.perf_counter() - start, len(rows)))


def _time_sparql(name: str, timeout: float) -> tuple[float | None, int | None]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_sparql_child, args=(name, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    return queue.get() if not queue.empty() else (None, None)


def run_one(n: int, store: str, timeout: float, projection: bool = True) -> dict[str, Any]:
    """Everything measured for one size and one store (run in its own process)."""
    global _DATASET
    from kg.build import build_dataset
    from kg.pipeline import _update_store, load_ontology
    from kg.project import project
    from kg.records import Corpus
    from kg.stores import open_dataset
    from kg.synthetic import synthetic_corpus
    from kg.validate import check_corpus

    out: dict[str, Any] = {"n": n, "store": store}
    start = time.perf_counter()
    corpus = check_corpus(synthetic_corpus(n))
    out["corpus_s"] = time.perf_counter() - start
    out["corpus_peak_mb"] = _peak_mb()
    ontology = load_ontology()
    tmp = tempfile.mkdtemp(prefix="kg-scale-")
    try:
        dataset = _DATASET = open_dataset(STORES[store].format(tmp=f"{tmp}/store"))
        start = time.perf_counter()
        if store == "disk":
            # As `kg build` does: the corpus but its last source, then add that source.
            last = corpus.sources[-1].id
            before = Corpus(corpus.sources[:-1], corpus.entities,
                            tuple(c for c in corpus.claims if c.source != last), corpus.texts)
            _update_store(dataset, before, ontology, False, {})
            out["build_s"] = time.perf_counter() - start
            start = time.perf_counter()
            written = _update_store(dataset, corpus, ontology, False, {})
            out["add_one_source_s"] = time.perf_counter() - start
            out["add_one_source_wrote"] = list(written)
        else:
            build_dataset(corpus, ontology, store=dataset)
            out["build_s"] = time.perf_counter() - start
        out["quads"] = sum(len(g) for g in dataset.graphs())
        out["build_peak_mb"] = _peak_mb()
        graph = None
        if projection:
            start = time.perf_counter()
            graph = project(dataset, lean=True)
            out["project_s"] = time.perf_counter() - start
            out["nodes"], out["edges"] = graph.number_of_nodes(), graph.number_of_edges()
        out["peak_mb"] = _peak_mb()
        out["questions"] = {}
        for title, call, query in QUESTIONS:
            nx_s = None
            if graph is not None:
                start = time.perf_counter()
                _analysis(call)(graph)
                nx_s = time.perf_counter() - start
            sparql_s, rows = _time_sparql(query, timeout)
            out["questions"][title] = {"networkx_s": nx_s, "sparql_s": sparql_s, "rows": rows}
        if store == "disk":
            out["disk_mb"] = sum(os.path.getsize(os.path.join(d, f))
                                 for d, _, fs in os.walk(tmp) for f in fs) / 2**20
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fmt(value: float | None, width: int = 9, digits: int = 2, missing: str = ">t/o") -> str:
    return f"{value:{width}.{digits}f}" if value is not None else f"{missing:>{width}}"


def report(results: list[dict[str, Any]], timeout: float) -> None:
    """Print the tables and whether the aims of issue 8 are reached."""
    for n in sorted({r["n"] for r in results}):
        rows = [r for r in results if r["n"] == n]
        print(f"\n=== N = {n:,} warnings ===")
        print(f"{'store':9} {'build s':>9} {'quads':>11} {'quads/s':>9} {'peak MB':>8} "
              f"{'project s':>9} {'add 1 src s':>11}  (corpus read+check "
              f"{rows[0].get('corpus_s', 0):.1f}s, {rows[0].get('corpus_peak_mb', 0):.0f} MB)")
        for r in rows:
            if "skipped" in r:
                print(f"{r['store']:9} skipped: {r['skipped']}")
                continue
            print(f"{r['store']:9} {_fmt(r['build_s'], 9, 1)} {r['quads']:11,} "
                  f"{r['quads'] / r['build_s']:9,.0f} {r['peak_mb']:8.0f} "
                  f"{_fmt(r.get('project_s'), 9, 1, '-')} "
                  f"{_fmt(r.get('add_one_source_s'), 11, 2) if 'add_one_source_s' in r else '':>11}")
        for r in rows:
            if "note" in r:
                print(f"{r['store']}: {r['note']}")
        done = [r for r in rows if "questions" in r]
        if not done:
            continue
        print(f"\n{'question':22}" + "".join(f" {r['store'] + ' nx':>12} {r['store'] + ' sparql':>16}"
                                             for r in done))
        for title, _, _ in QUESTIONS:
            cells = "".join(f" {_fmt(r['questions'][title]['networkx_s'], 12, 3, '-')}"
                            f" {_fmt(r['questions'][title]['sparql_s'], 16, 3)}" for r in done)
            print(f"{title:22}{cells}")
    print(f"\n(>t/o: the SPARQL query was stopped after {timeout:.0f} s; -: not measured)")
    by = {(r["n"], r["store"]): r for r in results if "build_s" in r}
    print("\nAims at 100,000 warnings:")
    mem, ox = by.get((100_000, "memory")), by.get((100_000, "oxigraph"))
    if mem and ox:
        ratio = mem["build_s"] / ox["build_s"]
        print(f"- Oxigraph build {ratio:.1f}x faster than memory (aim >= 5x): "
              f"{'reached' if ratio >= 5 else 'NOT reached'}")
    for store in ("memory", "oxigraph", "disk"):
        r = by.get((100_000, store))
        if not r:
            continue
        if "project_s" not in r:
            continue
        worst_nx = max(q["networkx_s"] for q in r["questions"].values())
        sparql = [q["sparql_s"] for q in r["questions"].values()]
        worst_sp = None if None in sparql else max(sparql)
        print(f"- {store}: slowest question via NetworkX {worst_nx:.2f}s, via SPARQL "
              f"{'>' + str(timeout) if worst_sp is None else f'{worst_sp:.2f}'}s (aim < 1 s: "
              f"NetworkX {'reached' if worst_nx < 1 else 'NOT reached'}, SPARQL "
              f"{'reached' if worst_sp is not None and worst_sp < 1 else 'NOT reached'}); "
              f"peak {r['peak_mb']:.0f} MB (aim < 4096: "
              f"{'reached' if r['peak_mb'] < 4096 else 'NOT reached'})")


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_child(n: int, store: str, timeout: float, flags: list[str],
               limit_mb: float) -> dict[str, Any]:
    """Run one measurement in a fresh process; stop it if its memory passes ``limit_mb``."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, __file__, "--one", str(n), store,
                                  "--timeout", str(timeout), *flags], stdout=out, stderr=err,
                                 text=True)
        worst = 0.0
        while child.poll() is None:
            worst = max(worst, _rss_mb(child.pid))
            if worst > limit_mb:
                child.kill()
                child.wait()
                return {"n": n, "store": store, "skipped": f"stopped at {worst / 1024:.1f} GB "
                                                           f"(> {limit_mb / 1024:g} GB)"}
            time.sleep(0.5)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            return {"n": n, "store": store, "skipped": f"failed (exit {child.returncode}): "
                                                       f"{err.read().strip().splitlines()[-1:]}"}
        return json.loads(out.read().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--stores", default="memory,oxigraph,disk")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--memory-limit-gb", type=float, default=20.0)
    parser.add_argument("--json", help="Also append each result as a JSON line to this file.")
    parser.add_argument("--one", nargs=2, metavar=("N", "STORE"), help=argparse.SUPPRESS)
    parser.add_argument("--no-projection", action="store_true",
                        help="Skip the NetworkX projection and questions (SPARQL only).")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1], args.timeout,
                                 not args.no_projection)))
        return
    results: list[dict[str, Any]] = []
    limit_mb = args.memory_limit_gb * 1024
    for n in sorted(args.sizes):
        for store in args.stores.split(","):
            flags: list[str] = ["--no-projection"] if args.no_projection else []
            note = "NetworkX not measured (--no-projection)" if args.no_projection else None
            previous = [r for r in results if r["store"] == store and "peak_mb" in r]
            if previous:
                last = previous[-1]
                build_guess = last["build_peak_mb"] * n / last["n"]
                full_guess = last["peak_mb"] * n / last["n"] if "project_s" in last else None
                if build_guess > limit_mb:
                    results.append({"n": n, "store": store, "skipped":
                                    f"the build alone would peak near {build_guess / 1024:.1f} "
                                    f"GB (> {args.memory_limit_gb:g} GB)"})
                    print(f"N={n} {store}: skipped ({results[-1]['skipped']})", flush=True)
                    continue
                if full_guess is None or full_guess > limit_mb:
                    flags = ["--no-projection"]
                    note = ("no NetworkX projection: with it the peak would be near "
                            f"{(full_guess or 0) / 1024:.1f} GB (> {args.memory_limit_gb:g} GB)")
            print(f"N={n} {store}: running{' (' + note + ')' if note else ''}...", flush=True)
            result = _run_child(n, store, args.timeout, flags, limit_mb)
            if note and "skipped" not in result:
                result["note"] = note
            results.append(result)
            if args.json:
                with open(args.json, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(result) + "\n")
            print(f"N={n} {store}: {json.dumps(result)[:300]}", flush=True)
    report(results, args.timeout)


if __name__ == "__main__":
    main()
