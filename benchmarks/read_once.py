"""Read once: what a read command costs after `kg build`, and what keeping the union costs.

Two measurements, each printed as medians (the machine is shared: quote medians):

- ``commands``: whole processes, in turn (A B A B ...): a read command against ``kg --help``,
  with the ratio taken pair by pair. By default on the seed corpus after a build into a
  temporary ``out/``; ``--data DIR --store oxigraph:PATH`` measures an existing on-disk store
  (build it first: ``kg build --data DIR --store oxigraph:PATH``).
- ``union N``: building N synthetic warnings into a new on-disk Oxigraph store, three ways:
  the named graphs only; with the union written alongside (what ``kg build`` does); and the
  graphs followed by a whole copy of the union (``store_union``, what a store without a
  trusted union gets).

Usage:
    uv run python benchmarks/read_once.py commands [--runs 7] [-- kg warnings]
    uv run python benchmarks/read_once.py commands --data /tmp/d100000 \\
        --store oxigraph:/tmp/s100000 -- kg sparql 'ASK { ?s ?p ?o }'
    uv run python benchmarks/read_once.py union 10000 [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _kg() -> list[str]:
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg"]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   cwd=ROOT)
    return time.perf_counter() - start


def commands(args: argparse.Namespace) -> None:
    kg = _kg()
    command = args.command or ["kg", "warnings"]
    if command[0] == "kg":
        command = kg + command[1:]
    scratch = None
    if args.store is None:
        scratch = Path(tempfile.mkdtemp(prefix="kg-read-once-"))
        subprocess.run([*kg, "build", "--data", args.data, "--out", str(scratch / "out")],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        command += ["--data", args.data, "--built", str(scratch / "out")]
    else:
        command += ["--data", args.data, "--store", args.store]
    try:
        _time(command), _time([*kg, "--help"])  # warm-up
        read, help_, ratio = [], [], []
        for _ in range(args.runs):
            a, b = _time(command), _time([*kg, "--help"])
            read.append(a), help_.append(b), ratio.append(a / b)
        print(f"{' '.join(command)}: median {statistics.median(read):.3f} s; kg --help "
              f"{statistics.median(help_):.3f} s; ratio pair by pair median "
              f"{statistics.median(ratio):.2f} (min {min(ratio):.2f}, max {max(ratio):.2f}; "
              f"{args.runs} pairs)")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def union(args: argparse.Namespace) -> None:
    from kg.build import build_dataset
    from kg.pipeline import load_ontology
    from kg.stores import close, native, open_dataset, store_union, unite_as_built, united
    from kg.synthetic import synthetic_corpus
    from kg.validate import check_corpus

    corpus = check_corpus(synthetic_corpus(args.n, seed=0))
    ontology = load_ontology()
    times: dict[str, list[float]] = {"graphs only": [], "graphs and union (kg build)": [],
                                     "graphs, then a whole copy": []}
    for _ in range(args.runs):
        for mode, found in times.items():
            where = Path(tempfile.mkdtemp(prefix="kg-union-"))
            dataset = open_dataset(f"oxigraph:{where / 'store'}")
            start = time.perf_counter()
            if mode.startswith("graphs and union"):
                unite_as_built(dataset)
            build_dataset(corpus, ontology, store=dataset)
            united(dataset)
            if mode.endswith("whole copy"):
                store_union(dataset)
            native(dataset).flush()  # type: ignore[union-attr]  # an Oxigraph store
            found.append(time.perf_counter() - start)
            close(dataset)
            shutil.rmtree(where, ignore_errors=True)
    for mode, found in times.items():
        print(f"{args.n} warnings, on disk, {mode}: median {statistics.median(found):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in found)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("commands")
    one.add_argument("--runs", type=int, default=7)
    one.add_argument("--data", default="data")
    one.add_argument("--store")
    one.add_argument("command", nargs="*")
    two = sub.add_parser("union")
    two.add_argument("n", type=int)
    two.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    commands(args) if args.what == "commands" else union(args)


if __name__ == "__main__":
    main()
