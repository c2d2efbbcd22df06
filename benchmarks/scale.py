"""What a user waits for at scale, in one run: the whole ``kg build`` and ``kg <question>``
processes on an on-disk store, beside two anchors, with each process's peak memory.

Usage:
    uv run python benchmarks/scale.py 10000 100000 [1000000] [--runs 3] [--timeout 600]
        [--keep DIR] [--json results.jsonl] [--questions warnings,timeline]

For each N (the synthetic corpus of ``kg.synthetic``: N warnings among N/10 actors,
written as a ``data/`` directory, as ``kg build --data`` reads it):

- ``kg build --data D --store oxigraph:S --out O`` as a fresh process, into an empty
  store (reading, checking, SHACL, the store, every output), then once more with nothing
  changed (the incremental path: read, check, compare fingerprints, write the outputs);
- ``kg <question> --data D --store oxigraph:S --format json`` as a process, for each
  question: once right after the build (it projects what it reads and answers, and keeps
  the answer beside the store), then ``--runs`` times more (median: the kept answer;
  output thrown away);
- anchor "networkx only": a process that opens the store with pyoxigraph, selects the
  warnings' (warner, recipient) pairs in one SPARQL query and answers per-pair
  reciprocity with NetworkX: what a question costs with no framework around it;
- anchor "rdflib SPARQL": rdflib's engine on the named ``warnings`` and ``reciprocity``
  queries over ``out/graph.nq`` parsed into rdflib's memory store (parse timed apart;
  stopped at --timeout).

Wall seconds are measured around each process, CPU seconds (user + system, all threads)
and peak memory (its own peak resident set, ``ru_maxrss``) come from ``wait4``: on a shared
machine the CPU seconds say more than the wall time. ``--keep DIR`` keeps (and reuses) the corpora
and stores in DIR. Sizes past 100,000 need an on-disk store, which is what this uses.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUESTIONS: list[tuple[str, list[str]]] = [
    ("warnings", ["warnings"]),
    ("reciprocity (state)", ["reciprocity"]),
    ("reciprocity (actor)", ["reciprocity", "--level", "actor"]),
    ("lead-times", ["lead-times"]),
    ("attacks", ["attacks"]),
    ("conflicts", ["conflicts"]),
    ("timeline", ["timeline"]),
]

ANCHOR_NETWORKX = r"""
import sys, time
import networkx as nx
import pyoxigraph as ox
start = time.perf_counter()
store = ox.Store.read_only(sys.argv[1])
pairs = [(row[0].value, row[1].value) for row in store.query(
    "PREFIX kg: <https://w3id.org/duty-to-warn/ontology#> "
    "SELECT ?w ?r WHERE { GRAPH ?g { ?e a kg:Warning ; kg:warner ?w ; kg:recipient ?r } }")]
extract = time.perf_counter() - start
graph = nx.MultiDiGraph()
graph.add_edges_from(pairs)
built = time.perf_counter() - start - extract
answer = {}
for a, b in {tuple(sorted(p)) for p in pairs}:
    answer[(a, b)] = (graph.number_of_edges(a, b), graph.number_of_edges(b, a))
print(f"{extract:.2f} {built:.2f} {time.perf_counter() - start - extract - built:.2f}")
"""

ANCHOR_RDFLIB = r"""
import sys, time
from rdflib import Dataset
from kg import sparql
start = time.perf_counter()
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
print(f"parse {time.perf_counter() - start:.2f}", flush=True)
for name in sys.argv[2:]:
    start = time.perf_counter()
    rows = list(dataset.query(sparql.query_text(name)))
    print(f"{name} {time.perf_counter() - start:.2f} {len(rows)}", flush=True)
"""


def run(command: list[str], timeout: float, cwd: str | None = None) -> dict[str, Any]:
    """Run ``command`` as a process: wall seconds, peak memory (MB), exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                return {"wall": None, "cpu": None, "peak_mb": usage.ru_maxrss / 1024,
                        "code": "timeout"}
            time.sleep(0.02)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024, "code": child.returncode,
                "stdout": out.read().decode(errors="replace")[-2000:],
                "stderr": err.read().decode(errors="replace")[-2000:]}


def median_of(command: list[str], runs: int, timeout: float) -> dict[str, Any]:
    """``runs`` runs of ``command``: median wall seconds and the largest peak memory."""
    results = [run(command, timeout) for _ in range(runs)]
    walls = [r["wall"] for r in results if r["wall"] is not None]
    cpus = [r["cpu"] for r in results if r["cpu"] is not None]
    return {"wall": statistics.median(walls) if len(walls) == runs else None,
            "cpu": statistics.median(cpus) if len(cpus) == runs else None,
            "walls": walls, "peak_mb": max(r["peak_mb"] for r in results),
            "code": next((r["code"] for r in results if r["code"] != 0), 0),
            "stderr": results[-1].get("stderr", "")}


def corpus(n: int, root: Path) -> Path:
    """The synthetic data directory of N warnings under ``root`` (written once)."""
    data = root / f"data-{n}"
    if not (data / "sources.yaml").is_file():
        from kg.synthetic import synthetic_corpus, write_corpus

        shutil.rmtree(data, ignore_errors=True)
        write_corpus(synthetic_corpus(n), data)
    return data


def measure(n: int, root: Path, runs: int, timeout: float,
            questions: list[tuple[str, list[str]]] = QUESTIONS) -> dict[str, Any]:
    """Everything measured at one size."""
    kg = [sys.executable, "-m", "kg"]
    data, store, out = corpus(n, root), root / f"store-{n}", root / f"out-{n}"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    spec = f"oxigraph:{store}"
    result: dict[str, Any] = {"n": n}
    build = [*kg, "build", "--data", str(data), "--store", spec, "--out", str(out)]
    result["build"] = run(build, timeout)
    if result["build"]["code"] != 0:
        print(result["build"]["stderr"], file=sys.stderr)
        return result
    result["build_again"] = run(build, timeout)
    result["questions"] = {}
    for title, args in questions:
        command = [*kg, *args, "--data", str(data), "--store", spec, "--format", "json"]
        first = run(command, timeout)  # right after the build: projects and keeps the answer
        again = median_of(command, runs, timeout)  # the answer kept beside the store
        result["questions"][title] = {"first": first, "again": again}
        print(f"  {title}: first {first['wall']}, again {again['wall']}", flush=True)
    anchor = run([sys.executable, "-c", ANCHOR_NETWORKX, str(store)], timeout)
    if anchor["code"] == 0:
        extract, built, answer = (float(x) for x in anchor["stdout"].split())
        anchor.update(extract=extract, build=built, answer=answer)
    result["anchor_networkx"] = anchor
    rdflib = run([sys.executable, "-c", ANCHOR_RDFLIB, str(out / "graph.nq"), "warnings",
                  "reciprocity"], timeout)
    rdflib["steps"] = dict((line.split()[0], float(line.split()[1]))
                           for line in rdflib.get("stdout", "").splitlines() if line.strip())
    result["anchor_rdflib"] = rdflib
    result["store_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20
    return result


def _s(value: float | None) -> str:
    return "stopped" if value is None else f"{value:.2f}"


def report(results: list[dict[str, Any]], timeout: float) -> None:
    """A Markdown table per size: each process, wall seconds and peak memory."""
    for r in results:
        print(f"\n### {r['n']:,} warnings (on-disk Oxigraph store, "
              f"{r.get('store_mb', 0):.0f} MB on disk)\n")
        print("| process | wall s | cpu s | peak MB |")
        print("|---|---:|---:|---:|")
        print(f"| `kg build` (empty store) | {_s(r['build']['wall'])} | {_s(r['build']['cpu'])} | "
              f"{r['build']['peak_mb']:.0f} |")
        if "build_again" not in r:
            continue
        print(f"| `kg build` again (nothing changed) | {_s(r['build_again']['wall'])} | "
              f"{_s(r['build_again']['cpu'])} | {r['build_again']['peak_mb']:.0f} |")
        for title, q in r["questions"].items():
            first, again = q["first"], q["again"]
            print(f"| `kg {title}`, first after the build | {_s(first['wall'])} | "
                  f"{_s(first['cpu'])} | {first['peak_mb']:.0f} |")
            print(f"| `kg {title}` again (median; the kept answer) | {_s(again['wall'])} | "
                  f"{_s(again['cpu'])} | {again['peak_mb']:.0f} |")
        a = r["anchor_networkx"]
        if "extract" in a:
            print(f"| anchor: NetworkX only, reciprocity per pair (extract {a['extract']:.2f} + "
                  f"graph {a['build']:.2f} + answer {a['answer']:.2f}) | {_s(a['wall'])} | "
                  f"{_s(a['cpu'])} | {a['peak_mb']:.0f} |")
        steps = r["anchor_rdflib"]["steps"]
        detail = ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
        stopped = " (stopped)" if r["anchor_rdflib"]["wall"] is None else ""
        print(f"| anchor: rdflib SPARQL over graph.nq ({detail}){stopped} | "
              f"{_s(r['anchor_rdflib']['wall'])} | {_s(r['anchor_rdflib']['cpu'])} | "
              f"{r['anchor_rdflib']['peak_mb']:.0f} |")
    print(f"\n(stopped: passed --timeout {timeout:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--runs", type=int, default=3, help="runs of each question (median)")
    parser.add_argument("--timeout", type=float, default=600.0, help="per process, seconds")
    parser.add_argument("--keep", help="keep corpora and stores in this directory")
    parser.add_argument("--json", help="append each size's results to this JSON-lines file")
    parser.add_argument("--questions", help="only these questions (comma-separated titles' "
                                            "first words, e.g. warnings,timeline)")
    args = parser.parse_args()
    wanted = args.questions.split(",") if args.questions else None
    questions = [q for q in QUESTIONS if wanted is None or q[0].split()[0] in wanted]
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sorted(args.sizes):
            print(f"N={n:,}: corpus, build, questions, anchors...", flush=True)
            results.append(measure(n, root, args.runs, args.timeout, questions))
            if args.json:
                with open(args.json, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(results[-1]) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report(results, args.timeout)


if __name__ == "__main__":
    main()
