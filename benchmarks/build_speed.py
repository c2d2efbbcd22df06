"""The build alone, on one store: the synthetic corpus of N warnings, built into STORE once.

Usage:
    uv run python benchmarks/build_speed.py 100000 --store oxigraph
    uv run python benchmarks/build_speed.py --pipeline data --runs 9

With ``--pipeline DIR``: the whole ``kg build`` in one process instead (``kg.pipeline.build``
of DIR into a temporary out/, on --store, ``--runs`` times after one warm-up), printing the
median of the whole and of each stage (read+check, shacl, build, lines, page, write).

Prints one line: ``N STORE build_s quads quads_per_s peak_mb``. Run it several times per
store, alternating stores, and compare medians (scale.py does every store in one run, but
once; this is for repeated runs of the build alone). The corpus is generated and checked
before the clock starts; SHACL is not part of it (as in scale.py).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time

from kg.build import build_dataset
from kg.pipeline import load_ontology
from kg.stores import close, open_dataset
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?")
    parser.add_argument("--pipeline", metavar="DIR", help="time kg.pipeline.build of DIR")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--store", default="oxigraph",
                        help="memory | oxigraph | disk (oxigraph:PATH in a temporary directory)")
    args = parser.parse_args()
    if args.pipeline:
        pipeline(args.pipeline, args.store, args.runs)
        return
    corpus, ontology = check_corpus(synthetic_corpus(args.n)), load_ontology()
    tmp = tempfile.mkdtemp(prefix="kg-build-speed-")
    try:
        dataset = open_dataset(f"oxigraph:{tmp}/store" if args.store == "disk" else args.store)
        start = time.perf_counter()
        build_dataset(corpus, ontology, store=dataset)
        seconds = time.perf_counter() - start
        quads = sum(len(g) for g in dataset.graphs())
        close(dataset)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.n} {args.store} {seconds:.2f} {quads} {quads / seconds:.0f} {peak:.0f}")


def pipeline(data: str, store: str, runs: int) -> None:
    """Median seconds of the whole in-process build and of each of its stages."""
    import statistics

    from kg.pipeline import build

    tmp = tempfile.mkdtemp(prefix="kg-build-speed-")
    try:
        totals, cpus, stages = [], [], {}
        for run in range(runs + 1):
            shutil.rmtree(f"{tmp}/store", ignore_errors=True)
            where = f"oxigraph:{tmp}/store" if store == "disk" else store
            start, cpu = time.perf_counter(), time.process_time()
            built = build(data, f"{tmp}/out", store=where)
            if run == 0:
                continue  # the warm-up: imports, first reads of the ontology and shapes
            totals.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            close(built.dataset)
            for name, seconds in built.timings.items():
                stages.setdefault(name, []).append(seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"kg build {data} --store {store}: median {statistics.median(totals):.3f} s "
          f"(min {min(totals):.3f}, max {max(totals):.3f}, {runs} runs); CPU median "
          f"{statistics.median(cpus):.3f} s")
    print("  wall by stage: " + ", ".join(f"{name} {statistics.median(values):.3f}"
                           for name, values in stages.items()))


if __name__ == "__main__":
    main()
