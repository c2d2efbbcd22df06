"""Time to first line and in total for writing a large answer: JSON, table, CSV.

Usage:
    uv run --locked python benchmarks/render_speed.py 10000 100000 [--runs 5] [--base 10000]

The rows are the answer of ``kg warnings`` (``kg.analysis.warnings``, with every JSON
field: quotes, dates, grades...) on the synthetic corpus of ``--base`` warnings, built and
projected as the library does; a larger N repeats them with new ids. Each format is
written by ``kg.render.stream`` to /dev/null; "first line" is when its first chunk is
ready, "total" when the last is written. For comparison, "whole" is the writer kg had
before (the complete text formatted first, ``json.dumps`` of the whole list with
indent=2; a table formatted row by row in full), for which the first line comes only
with the whole text (both tables have the same columns, the main ones of ``kg warnings``,
100 characters wide). Table and CSV rows go through the same text conversion the
``kg warnings`` command applies (sources with grades, quotes as text). Prints medians
of ``--runs`` runs, in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from kg import analysis
from kg.build import build_dataset
from kg.cli.text import graded_sources as _graded_sources
from kg.project import project
from kg.render import cell, stream
from kg.rows import WarningRow, shape
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

WIDTH = 100
JSON_FIELDS = shape(WarningRow).fields
TABLE_COLUMNS = {"warnings": shape(WarningRow).table}


def answer_rows(base: int) -> list[dict[str, Any]]:
    """The warnings answer on the synthetic corpus of ``base`` warnings."""
    start = time.perf_counter()
    graph = project(build_dataset(check_corpus(synthetic_corpus(base))), lean=True)
    rows = analysis.warnings(graph)
    print(f"# {len(rows)} warning rows from the synthetic corpus of {base} warnings "
          f"({time.perf_counter() - start:.1f}s to build, project and answer)")
    return rows


def tiled(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` rows: ``rows`` again and again, each copy with its own ids."""
    out: list[dict[str, Any]] = []
    for copy in range(n // len(rows) + 1):
        for row in rows:
            if len(out) == n:
                return out
            out.append(row if copy == 0 else {**row, "id": f"{row['id']}-copy{copy}"})
    return out


def whole_table(rows: list[dict[str, Any]], fields: list[str]) -> str:
    """The table writer kg had before: every row formatted, then widths, then the text."""
    cells = [[cell(row.get(f)).replace("\n", " ") for f in fields] for row in rows]
    widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(fields)]
    lines = ["  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    return "\n".join(lines) + "\n"


def timed(make: Callable[[], Iterator[str]]) -> tuple[float, float]:
    """Seconds to the first chunk and to the end, writing every chunk to /dev/null."""
    with open(os.devnull, "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        first = None
        for chunk in make():
            if first is None:
                first = time.perf_counter() - start
            sink.write(chunk)
        return first or 0.0, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", type=int, default=10_000,
                        help="warnings in the synthetic corpus the rows come from")
    args = parser.parse_args()
    base = answer_rows(args.base)
    texts = [_graded_sources(row) for row in base]
    cases: list[tuple[str, Callable[[list, list], Callable[[], Iterator[str]]]]] = [
        ("json, streamed", lambda rows, _t: lambda: stream(rows, JSON_FIELDS, "json")),
        ("json, whole (before)", lambda rows, _t: lambda: iter(
            [json.dumps([{f: r.get(f) for f in JSON_FIELDS} for r in rows], indent=2,
                        ensure_ascii=False) + "\n"])),
        ("table, streamed", lambda _r, text: lambda: stream(
            text, TABLE_COLUMNS["warnings"], "table", width=WIDTH)),
        ("table, 80 wide (wraps)", lambda _r, text: lambda: stream(
            text, TABLE_COLUMNS["warnings"], "table", width=80)),
        ("table, 60 wide: records", lambda _r, text: lambda: stream(
            text, TABLE_COLUMNS["warnings"], "table", width=60)),
        ("table, whole (before)", lambda _r, text: lambda: iter(
            [whole_table(text, TABLE_COLUMNS["warnings"])])),
        ("csv, streamed", lambda _r, text: lambda: stream(text, shape(WarningRow).columns,
                                                          "csv")),
    ]
    print(f"{'rows':>8}  {'writer':<24}  {'first line ms':>13}  {'total s':>8}  {'MB':>7}")
    for n in args.sizes:
        rows, text = tiled(base, n), tiled(texts, n)
        for name, case in cases:
            make = case(rows, text)
            firsts, totals = [], []
            for _ in range(args.runs):
                first, total = timed(make)
                firsts.append(first)
                totals.append(total)
            size = sum(len(c) for c in make()) / 1e6
            print(f"{n:>8}  {name:<24}  {1000 * statistics.median(firsts):>13.1f}  "
                  f"{statistics.median(totals):>8.2f}  {size:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
