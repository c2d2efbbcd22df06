"""SHACL: kg.shacl (what the build runs) against pySHACL (the reference) on one corpus.

Usage:
    uv run python benchmarks/shacl_speed.py data [--runs 5] [--no-pyshacl]

Prints the median seconds of each over ``--runs`` runs (after one warm-up) and whether
they found the same problems. pySHACL validates each source's graph merged with the
reference graph, as kg.validate.pyshacl_problems does; kg.shacl checks the records' own
triples (kg.validate.shacl_problems), with nothing built.
"""

from __future__ import annotations

import argparse
import statistics
import time

import kg.pipeline
from kg.validate import load_shapes, pyshacl_problems, shacl_problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pyshacl", action="store_true", help="time kg.shacl only")
    args = parser.parse_args()
    built = kg.pipeline.load(args.data, shapes=False)
    ontology = kg.pipeline.load_ontology()
    shapes_path = kg.pipeline.ontology_dir() / "shapes.ttl"
    checks = {"kg.shacl": lambda: shacl_problems(built.corpus, ontology,
                                                 kg.pipeline._shapes())}
    if not args.no_pyshacl:
        shapes = load_shapes(shapes_path)
        checks["pySHACL"] = lambda: pyshacl_problems(built.dataset, shapes, ontology,
                                                     built.corpus)
    found = {}
    for name, check in checks.items():
        found[name] = check()  # warm-up
        seconds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            check()
            seconds.append(time.perf_counter() - start)
        print(f"{name:9} median {statistics.median(seconds):.3f} s (min {min(seconds):.3f}, "
              f"max {max(seconds):.3f}, {args.runs} runs), {len(found[name])} problem(s)")
    if len(found) == 2:
        print("same problems:", found["kg.shacl"] == found["pySHACL"])


if __name__ == "__main__":
    main()
