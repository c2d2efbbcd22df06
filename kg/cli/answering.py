"""How a ``kg`` command answers: from the build of DATA, printed as the options ask."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import click

from ..errors import KGError, suggest
from ..render import stream, terminal_width
from ..rows import Shape
from .options import View


def ask(data_dir: Path, store: Any, *args: Any, as_of: str | None = None,
         min_reliability: str | None = None) -> Any:
    """This command's answer, from the graph `kg build` made from DATA (:func:`from_build`).

    The question is the command's name (``kg.answers.QUESTIONS``); only what it reads is
    projected (``kg.project.NEEDS``), and on an on-disk store built by `kg build` the answer
    is kept for the next time (``kg.answers.ask``). With ``as_of`` or ``min_reliability``,
    only the sources they keep are read, and what was left out is said on stderr.
    """
    from ..answers import ask as ask_store
    from ..stores import close

    ready = from_build(data_dir, store)
    try:
        kept = kept_sources(ready.sources, as_of, min_reliability)
        question = click.get_current_context().info_name or ""
        return ask_store(ready.dataset, question, *args, sources=kept)
    finally:
        close(ready.dataset)  # an on-disk store's lock is freed for the next command


def from_build(data_dir: Path, store: Any, built_dir: Path | None = None,
               shapes: bool = False) -> Any:
    """What `kg build` made for DATA (``kg.built.answering``), its notes said on stderr."""
    from ..built import answering

    meta = click.get_current_context().meta
    ready = answering(data_dir, store, built_dir or meta.get("kg.built", Path("out")),
                      stale=meta.get("kg.stale", False), shapes=shapes)
    for note in ready.notes:
        click.echo(f"kg: {note}.", err=True)
    return ready


def kept_sources(sources: Any, as_of: str | None, min_reliability: str | None) -> Any:
    """The source ids ``--as-of``/``--min-reliability`` keep (None: all), notes on stderr."""
    if as_of is None and min_reliability is None:
        return None
    from ..selection import select_sources

    chosen = select_sources(sources, min_reliability, as_of)
    for note in chosen.notes:
        click.echo(f"kg: {note}.", err=True)
    return chosen.kept


def emit(rows: Iterable[Mapping[str, Any]], shape: Shape | Sequence[str], fmt: str,
         text: Callable[[Any], Mapping[str, Any]] | None = None,
         record: bool = False) -> None:
    """Print an answer's rows as the output options (:class:`View`) ask, streamed.

    ``shape`` is the rows' :func:`kg.rows.shape` (or plain field names, each a column):
    JSON carries every field with its full structure; CSV the columns; a table the main
    columns (all with ``--all-columns``). ``text`` turns a row's structured values into
    readable text for a table or CSV, one row at a time; ``record`` prints each row
    as ``field  value`` lines (those with a value; all with ``--all-columns``).
    """
    if not isinstance(shape, Shape):
        shape = Shape(tuple(shape), tuple(shape), tuple(shape), {})
    view = click.get_current_context().meta.get("kg.view", View())
    if view.columns == ("help",) and "help" not in shape.fields:
        write(stream(columns_help(shape), ["column", "in", "meaning"], fmt,
                     width=terminal_width()))
        return
    if view.columns:
        known = shape.fields
        for name in view.columns:
            if name not in known:
                raise KGError(f"--columns: unknown column {name!r}{suggest(name, known)}; "
                              f"the columns are {', '.join(known)}")
        chosen: Sequence[str] = view.columns
    elif fmt == "json":
        chosen = shape.fields
    elif fmt == "table" and not view.all_columns:
        chosen = shape.table
    else:
        chosen = shape.columns
    shown = page(rows, view)
    if text is not None and fmt != "json":
        shown = map(text, shown)
    write(stream(shown, chosen, fmt, width=terminal_width(), record=record,
                 empty=view.all_columns))


def columns_help(shape: Shape) -> list[dict[str, str]]:
    """What ``--columns help`` prints: each column, where it shows, and what it holds."""
    def where(name: str) -> str:
        shown = [label for label, on in (("table", name in shape.table),
                                         ("CSV", name in shape.columns), ("JSON", True)) if on]
        return ", ".join(shown)

    return [{"column": name, "in": where(name), "meaning": shape.docs.get(name, "")}
            for name in shape.fields]


def page(rows: Iterable[Mapping[str, Any]], view: View) -> Iterable[Mapping[str, Any]]:
    """The rows ``--offset``/``--limit`` keep; says on stderr what was left out."""
    if view.limit is None and not view.offset:
        return rows
    stop = None if view.limit is None else view.offset + view.limit
    if isinstance(rows, Sequence):
        total = len(rows)
        first, last = min(view.offset, total), min(stop if stop is not None else total, total)
        if first == last:
            click.echo(f"kg: no rows from --offset {view.offset}; the answer has {total}.",
                       err=True)
        elif last - first < total:
            more = f"; --offset {last} for the next" if last < total else ""
            rows_shown = f"row {last}" if last - first == 1 else f"rows {first + 1}-{last}"
            click.echo(f"kg: {rows_shown} of {total}{more}.", err=True)
    return islice(rows, view.offset, stop)


def write(chunks: Iterator[str]) -> None:
    """Write chunks to stdout as they come; a reader that stops early (head) ends it."""
    try:
        for chunk in chunks:
            click.echo(chunk, nl=False)
    except BrokenPipeError:
        # The reader has what it wanted; send what Python flushes at exit nowhere.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
            pass
        sys.exit(0)

