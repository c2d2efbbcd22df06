"""The ``kg`` command line: a thin client of the library.

Each command calls ``kg.*`` and turns a :class:`~kg.errors.KGError` into a clean
message and exit status 1; anything unexpected is a crash, exit 2.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import click

from .errors import DataError, KGError, suggest
from .render import FORMATS, stream, terminal_width
from .stores import DEFAULT_STORE, SPEC_HELP

SOURCE_FIELDS = ["id", "title", "outlet", "published", "url", "file", "sha256", "reliability",
                 "reliability_reason"]

#: The columns a table shows by default: what a person needs to read the answer.
#: ``--all-columns`` shows every field (as CSV does), ``--columns`` any chosen ones.
TABLE_COLUMNS = {
    "sources": ["id", "title", "outlet", "published", "reliability"],
    "warnings": ["id", "date", "warner", "recipient", "outcome", "contested", "sources"],
    "reciprocity": ["a", "b", "a_to_b", "b_to_a", "reciprocated", "contested", "verdicts"],
    "lead-times": ["warning", "warning_date", "attack_date", "lead_days_min", "lead_days_max",
                   "outcome"],
    "attacks": ["id", "date", "place", "perpetrators", "killed", "sources"],
    "timeline": ["date", "kind", "id", "description"],
    "queries": ["name", "question"],
}

data_option = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"),
    show_default=True, help="Data directory: sources.yaml, actors.yaml, sources/, claims/.")
out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
    show_default=True, help="Output directory (written atomically).")
def _parse_store(_ctx: Any, _param: Any, value: str) -> Any:
    from .errors import StoreError
    from .stores import parse_store

    try:
        return parse_store(value)
    except StoreError as exc:
        raise click.BadParameter(str(exc)) from None


store_option = click.option(
    "--store", "store", default=DEFAULT_STORE, show_default=True, envvar="KG_STORE",
    show_envvar=True, metavar="SPEC", callback=_parse_store,
    help=f"Where the graph lives: {SPEC_HELP}.")
def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"kg.{param.name}"] = value
    return value


built_option = click.option(
    "--built", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
    envvar="KG_BUILT", show_envvar=True, expose_value=False, callback=_remember,
    metavar="DIR", help="Where `kg build` wrote its outputs: answers come from that build "
    "(out/graph.nq, or the store of --store oxigraph:PATH / sparql:URL) while DATA is "
    "unchanged since; when it changed, kg says so and builds again.")
stale_option = click.option(
    "--stale", is_flag=True, expose_value=False, callback=_remember,
    help="Answer from the last build even if DATA changed since (kg says so).")


def read_store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--store``, ``--built`` and ``--stale``: where a read command's answers come from."""
    return store_option(built_option(stale_option(command)))


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--as-of`` and ``--min-reliability``: which sources an answer may use."""
    command = click.option(
        "--min-reliability", type=click.Choice(["A", "B", "C", "D", "E", "F"]),
        help="Only sources graded this reliable or better (Admiralty A-F, see `kg sources`); "
             "ungraded sources are left out.")(command)
    return click.option(
        "--as-of", "as_of", metavar="DATE",
        help="The graph as the sources published by DATE (YYYY, YYYY-MM or YYYY-MM-DD) tell "
             "it; sources with no known date are left out, and the answer says how many.")(
        command)


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format: a table for people (as wide as COLUMNS or the terminal, else 100), "
         "JSON or CSV for scripts.")


@dataclass(frozen=True)
class View:
    """Which columns and which rows of an answer to print (the output options)."""

    columns: tuple[str, ...] = ()
    all_columns: bool = False
    limit: int | None = None
    offset: int = 0


def output_options(paging: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--columns``, ``--all-columns`` and (``paging``) ``--limit``/``--offset``.

    The options are taken out of the command's arguments and kept on the click
    context, where :func:`_emit` reads them, so commands do not pass them along.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            columns = kwargs.pop("columns", None) or ""
            click.get_current_context().meta["kg.view"] = View(
                columns=tuple(c.strip() for c in columns.split(",") if c.strip()),
                all_columns=kwargs.pop("all_columns", False),
                limit=kwargs.pop("limit", None), offset=kwargs.pop("offset", 0) or 0)
            return command(*args, **kwargs)

        options = [
            click.option("--columns", metavar="A,B,...",
                         help="Print only these columns, in this order (any format; a "
                              "column of the JSON may be named)."),
            click.option("--all-columns", "all_columns", is_flag=True,
                         help="Table: every column, as CSV has, not only the main ones.")]
        if paging:
            options += [
                click.option("--limit", type=click.IntRange(min=0), metavar="N",
                             help="Print at most N rows."),
                click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
                             help="Skip the first N rows (with --limit: pages).")]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into messages and exit codes (1 bad input, 2 crash)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"kg: {len(exc.problems)} problem(s) found; nothing was written.",
                       err=True)
            sys.exit(1)
        except KGError as exc:
            click.echo(f"kg: {exc}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place a crash is reported
            if os.environ.get("KG_DEBUG"):
                traceback.print_exc()
            click.echo(f"kg: internal error ({type(exc).__name__}: {exc}). This is a bug; "
                       "rerun with KG_DEBUG=1 for a traceback and report it.", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duty-to-warn-kg")
def cli() -> None:
    """Knowledge graph of threat warnings, attacks and the actors between them.

    Every fact comes from a verbatim quote of a stored source. Start with
    `kg build`, then explore `out/`.

    \b
    Example:
      kg build --data data --out out
    """


@cli.command()
@data_option
@store_option
@out_option
@click.option("--with-extracted", is_flag=True,
              help="Add machine-extracted claims (kg extract) for sources that have no curated "
                   "claims; they are marked kg:method kg:Extracted.")
@click.option("--keep-answers", is_flag=True,
              help="With an on-disk store (--store oxigraph:PATH): answer the questions now and "
                   "keep the answers beside the store, so the first `kg warnings` (etc.) after "
                   "the build is as fast as the next ones. Costs build time at scale.")
@handle_errors
def build(data_dir: Path, store: Any, out_dir: Path, with_extracted: bool,
          keep_answers: bool) -> None:
    """Build the graph from DATA and write TriG, Turtle, JSON-LD, N-Quads, HTML and a report.

    Checks every quote against its source, every reference, and the SHACL shapes;
    on any problem prints them all as file:line and leaves OUT untouched.

    \b
    Example:
      kg build --data data --out out
    """
    from .pipeline import build as run_build

    start = time.perf_counter()
    built = run_build(data_dir, out_dir, store=store, with_extracted=with_extracted)
    summary = built.summary()
    click.echo(f"Built {out_dir}/ from {data_dir}/ in {time.perf_counter() - start:.2f}s: "
               f"{summary['sources']} sources, {summary['entities']} entities, "
               f"{summary['claims']} claims, {summary['quotes']} quotes verified, "
               f"{summary['triples']} triples.")
    kinds = ", ".join(f"{k.split('.', 1)[1]} {v}" for k, v in summary.items()
                      if k.startswith("claims."))
    click.echo(f"Claims by kind: {kinds}.")
    from .stores import close

    try:
        if keep_answers:
            _keep_answers(built.dataset, store)
    finally:
        close(built.dataset)  # an on-disk store's lock is freed for the next command
    names = sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name[0] != ".")
    click.echo(f"Wrote: {', '.join(names)}")
    if built.written is not None:
        click.echo(f"Store {store}: {len(built.written)} graph(s) rewritten"
                   + (f" ({', '.join(built.written)})" if built.written else
                      ", the rest unchanged") + ".")


def _keep_answers(dataset: Any, store: Any) -> None:
    """Answer every question that takes no name (``kg.answers.AHEAD``) and keep the answers."""
    from .answers import AHEAD, ask
    from .stores import spec_of

    spec = spec_of(dataset)
    if spec is None or spec.kind != "oxigraph" or spec.location is None:
        click.echo(f"kg: --keep-answers keeps answers only beside an on-disk store "
                   f"(--store oxigraph:PATH), not {store}; nothing kept.", err=True)
        return
    start = time.perf_counter()
    for question, *args in AHEAD:
        ask(dataset, question, *args)
    click.echo(f"Kept {len(AHEAD)} answers beside the store in "
               f"{time.perf_counter() - start:.2f}s.")


@cli.command()
@data_option
@store_option
@handle_errors
def validate(data_dir: Path, store: Any) -> None:
    """Check DATA without writing anything: quotes, references, SHACL shapes.

    Exits 1 and lists every problem as file:line: message if any is found.

    \b
    Example:
      kg validate --data data
    """
    from .pipeline import load

    built = load(data_dir, store=store)
    summary = built.summary()
    click.echo(f"{data_dir}/ is valid: {summary['claims']} claims, {summary['quotes']} quotes "
               f"verified in {summary['sources']} sources.")


@cli.command()
@data_option
@built_option
@stale_option
@format_option
@output_options()
@selection_options
@handle_errors
def sources(data_dir: Path, fmt: str, as_of: str | None, min_reliability: str | None) -> None:
    """List the stored sources with their metadata, sha256 and reliability grade.

    The grade is the curator's Admiralty reliability (A completely reliable ... F cannot
    be judged) with its reason.

    \b
    Example:
      kg sources --format json
      kg sources --min-reliability B
    """
    listed = _sources_of(data_dir)
    kept = _kept(listed, as_of, min_reliability)
    rows = [source_row(s) for s in listed if kept is None or s.id in kept]
    _emit(rows, SOURCE_FIELDS, fmt, table=TABLE_COLUMNS["sources"])


def _sources_of(data_dir: Path) -> list[Any]:
    """DATA's sources: from the last build's record while DATA is unchanged, else read."""
    from .built import changes, describe, read_record_file

    meta = click.get_current_context().meta
    record = read_record_file(meta.get("kg.built", Path("out")))
    if record is not None:
        found = changes(record, data_dir, limit=4)
        if not found or meta.get("kg.stale"):
            if found:
                click.echo(f"kg: {describe(found, data_dir)}; listing the sources as last "
                           "built (--stale).", err=True)
            return record.source_records()
    from .sources import read_corpus

    return list(read_corpus(data_dir).sources)


def source_row(source: Any) -> dict[str, Any]:
    """The JSON fields of ``kg sources`` for one Source record."""
    return {"id": source.id, "title": source.title, "outlet": source.outlet,
            "published": source.published.value if source.published else None,
            "url": source.url, "file": source.file, "sha256": source.sha256,
            "reliability": source.reliability, "reliability_reason": source.reliability_reason}


level_option = click.option(
    "--level", type=click.Choice(["state", "actor"]), default="state", show_default=True,
    help="state: agencies and officials roll up to their state; actor: keep them apart.")


def _ask(data_dir: Path, store: Any, *args: Any, as_of: str | None = None,
         min_reliability: str | None = None) -> Any:
    """This command's answer, from the graph `kg build` made from DATA (:func:`_answering`).

    The question is the command's name (``kg.answers.QUESTIONS``); only what it reads is
    projected (``kg.project.NEEDS``), and on an on-disk store built by `kg build` the answer
    is kept for the next time (``kg.answers.ask``). With ``as_of`` or ``min_reliability``,
    only the sources they keep are read, and what was left out is said on stderr.
    """
    from .answers import ask
    from .stores import close

    ready = _answering(data_dir, store)
    try:
        kept = _kept(ready.sources, as_of, min_reliability)
        question = click.get_current_context().info_name or ""
        return ask(ready.dataset, question, *args, sources=kept)
    finally:
        close(ready.dataset)  # an on-disk store's lock is freed for the next command


def _answering(data_dir: Path, store: Any, built_dir: Path | None = None,
               shapes: bool = False) -> Any:
    """What `kg build` made for DATA (``kg.built.answering``), its notes said on stderr."""
    from .built import answering

    meta = click.get_current_context().meta
    ready = answering(data_dir, store, built_dir or meta.get("kg.built", Path("out")),
                      stale=meta.get("kg.stale", False), shapes=shapes)
    for note in ready.notes:
        click.echo(f"kg: {note}.", err=True)
    return ready


def _kept(sources: Any, as_of: str | None, min_reliability: str | None) -> Any:
    """The source ids ``--as-of``/``--min-reliability`` keep (None: all), notes on stderr."""
    if as_of is None and min_reliability is None:
        return None
    from .selection import select_sources

    chosen = select_sources(sources, min_reliability, as_of)
    for note in chosen.notes:
        click.echo(f"kg: {note}.", err=True)
    return chosen.kept


def _emit(rows: Iterable[dict[str, Any]], fields: Sequence[str], fmt: str,
          extra_json: tuple[str, ...] = (), table: Sequence[str] | None = None,
          text: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
          record: bool = False) -> None:
    """Print an answer's rows as the output options (:class:`View`) ask, streamed.

    JSON carries ``fields`` and ``extra_json`` (quotes, ranges...) with their full
    structure; CSV carries ``fields``; a table the main columns ``table`` (all of
    ``fields`` with ``--all-columns``). ``text`` turns a row's structured values into
    readable text for a table or CSV, one row at a time; ``record`` prints each row
    as ``field  value`` lines (those with a value; all with ``--all-columns``).
    """
    view = click.get_current_context().meta.get("kg.view", View())
    if view.columns:
        known = [*fields, *extra_json]
        for name in view.columns:
            if name not in known:
                raise KGError(f"--columns: unknown column {name!r}{suggest(name, known)}; "
                              f"the columns are {', '.join(known)}")
        chosen: Sequence[str] = view.columns
    elif fmt == "json":
        chosen = [*fields, *extra_json]
    elif fmt == "table" and table and not view.all_columns:
        chosen = table
    else:
        chosen = fields
    shown = _page(rows, view)
    if text is not None and fmt != "json":
        shown = map(text, shown)
    _write(stream(shown, chosen, fmt, width=terminal_width(), record=record,
                  empty=view.all_columns))


def _page(rows: Iterable[dict[str, Any]], view: View) -> Iterable[dict[str, Any]]:
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


def _write(chunks: Iterator[str]) -> None:
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


def _counts_text(counts: list[dict[str, Any]]) -> str:
    words = {"exact": "", "more_than": "more than ", "at_least": "at least ", "about": "about ",
             "at_most": "at most "}
    ordered = sorted(counts, key=lambda c: bool(c.get("derived_only")))
    return "; ".join(f"{words[c['qualifier']]}{c['value']}"
                     f"{' (derived only)' if c.get('derived_only') else ''} [{c['source']}]"
                     for c in ordered)


@cli.command()
@data_option
@read_store_option
@format_option
@output_options()
@selection_options
@handle_errors
def warnings(data_dir: Path, store: Any, fmt: str, as_of: str | None,
             min_reliability: str | None) -> None:
    """Who warned whom: each warning with date, concern, outcome, response, sources.

    Where sources name different warners or dates, every value is shown (most
    sourced first, separated by ' / '); `kg conflicts` says who says what. JSON
    adds each warning's verbatim quotes and the sources that dispute it.

    \b
    Example:
      kg warnings --format json
    """
    from .analysis import WARNING_FIELDS

    rows = _ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    _emit(rows, WARNING_FIELDS, fmt,
          ("earliest", "latest", "date_inferred", "inferred", "independent_sources",
           "source_grades", "contested_because", "derived_only", "disputed_by", "quotes"),
          table=TABLE_COLUMNS["warnings"], text=_graded_sources)


def _graded_sources(row: dict[str, Any]) -> dict[str, Any]:
    """A row whose ``sources`` and ``quotes`` read as text: grades, how many are independent."""
    return {**row, "sources": _sources_text(row["sources"], row["independent_sources"],
                                            row["source_grades"]),
            "quotes": [_quote_text(q) for q in row.get("quotes", ())]}


def _quote_text(quote: dict[str, Any]) -> str:
    """One quote for a table: ``“the words” [source, characters 408-519]``."""
    where = f", characters {quote['start']}-{quote['end']}" if quote.get("start") is not None \
        else ""
    return f"“{quote['quote']}” [{quote['source']}{where}]"


@cli.command()
@data_option
@read_store_option
@level_option
@format_option
@output_options()
@selection_options
@handle_errors
def reciprocity(data_dir: Path, store: Any, level: str, fmt: str, as_of: str | None,
                min_reliability: str | None) -> None:
    """Was it reciprocated: warnings each way, whether any is contested, and the sources' verdict.

    A warning is contested when its sources' values cannot all be true (a source disputes
    it was a warning, two outcomes...); JSON's contested_because says which and why.
    Counts are of warnings some independent source reports; each warning lists its
    independent sources (a summary counts with its original as one). verdicts are what
    the sources themselves conclude about the pair ("nowhere near reciprocal"), with quotes.

    \b
    Example:
      kg reciprocity --level state
    """
    from .analysis import RECIPROCITY_FIELDS

    rows = _ask(data_dir, store, level, as_of=as_of, min_reliability=min_reliability)
    _emit(rows, RECIPROCITY_FIELDS, fmt, ("independent_sources", "contested_because"),
          table=TABLE_COLUMNS["reciprocity"], text=_pair_row_text)


def _pair_row_text(row: dict[str, Any]) -> dict[str, Any]:
    """A reciprocity row whose warnings and verdicts read as text."""
    return {**row, "warnings": [_pair_text(w) for w in row["warnings"]],
            "verdicts": [f"{v['verdict']} [{v['source']}]" for v in row["verdicts"]]}


def _pair_text(warning: dict[str, Any]) -> str:
    """One warning of a pair for a table: id, direction, date, independent sources."""
    n = len(warning["independent_sources"])
    notes = [f"{warning['from']} -> {warning['to']}", warning["date"] or "undated",
             f"{n} independent source{'s' if n != 1 else ''}"]
    if warning["contested"]:
        notes.append("contested")
    if warning["derived_only"]:
        notes.append("derived only, not counted")
    return f"{warning['id']} ({'; '.join(notes)})"


@cli.command("lead-times")
@data_option
@read_store_option
@format_option
@output_options()
@selection_options
@handle_errors
def lead_times(data_dir: Path, store: Any, fmt: str, as_of: str | None,
               min_reliability: str | None) -> None:
    """Days from each warning to the attack it concerned, and what came of it.

    Exact only when both dates are known to the day; otherwise bounded by
    lead_days_min/max where precision allows, with a note saying why. Bounds that
    straddle zero are no lead time: null, and the note says so.

    \b
    Example:
      kg lead-times --format csv
    """
    from .analysis import LEAD_TIME_FIELDS

    rows = _ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    _emit(rows, LEAD_TIME_FIELDS, fmt,
          ("warning_earliest", "warning_latest", "attack_earliest", "attack_latest",
           "lead_days_inferred"), table=TABLE_COLUMNS["lead-times"])


@cli.command()
@data_option
@read_store_option
@format_option
@output_options()
@selection_options
@handle_errors
def attacks(data_dir: Path, store: Any, fmt: str, as_of: str | None,
            min_reliability: str | None) -> None:
    """Attacks: when, where, who, who claimed them, and each source's casualty figures.

    killed/injured keep each source's figure and qualifier ("more than 130" is a
    lower bound); JSON adds the range the figures span and the quotes.

    \b
    Example:
      kg attacks --format json
    """
    from .analysis import ATTACK_FIELDS

    rows = _ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    _emit(rows, ATTACK_FIELDS, fmt,
          ("earliest", "latest", "date_inferred", "killed_range", "injured_range",
           "independent_sources", "source_grades", "inferred", "derived_only", "quotes"),
          table=TABLE_COLUMNS["attacks"], text=_attack_text)


def _attack_text(row: dict[str, Any]) -> dict[str, Any]:
    """An attack row whose casualty figures and sources read as text."""
    return {**_graded_sources(row), "killed": _counts_text(row["killed"]),
            "injured": _counts_text(row["injured"])}


@cli.command()
@data_option
@read_store_option
@format_option
@output_options()
@click.option("--all", "every", is_flag=True,
              help="Also list refinements (143 and 'more than 130'; 1998 and 1998-08-07; an "
                   "agency and its state) and complements (co-perpetrators one source names "
                   "together, successive roles).")
@selection_options
@handle_errors
def conflicts(data_dir: Path, store: Any, fmt: str, every: bool, as_of: str | None,
              min_reliability: str | None) -> None:
    """Where sources contradict each other: values of one attribute that cannot all be true.

    Each row says its kind (contradiction, refinement, complement) and why. A value that
    only a copy (summary, translation, repost) states, its stored original silent or
    saying otherwise, is marked "derived only" and listed last.

    \b
    Example:
      kg conflicts
      kg conflicts --all --format json
    """
    from .analysis import CONFLICT_FIELDS

    rows = _ask(data_dir, store, every, as_of=as_of, min_reliability=min_reliability)
    _emit(rows, CONFLICT_FIELDS, fmt,
          text=lambda r: {**r, "values": " | ".join(_value_text(v) for v in r["values"])})


def _value_text(value: dict[str, Any]) -> str:
    """One value of a conflict for a table: ``143 [rfi-2024-03]``, copies marked."""
    mark = " (derived only)" if value.get("derived_only") else ""
    return f"{value['value']}{mark} [{', '.join(value['sources'])}]"


def _sources_text(sources: list[str], independent: list[str],
                  grades: dict[str, str | None] | None = None) -> str:
    """Sources for a table with their reliability grades, and how many are independent."""
    grades = grades or {}
    named = ", ".join(f"{s} [{grades[s]}]" if grades.get(s) else s for s in sources)
    if len(independent) == len(sources):
        return named
    return f"{named} ({len(independent)} independent)"


@cli.command()
@click.argument("name")
@data_option
@read_store_option
@format_option
@output_options(paging=False)
@selection_options
@handle_errors
def actor(name: str, data_dir: Path, store: Any, fmt: str, as_of: str | None,
          min_reliability: str | None) -> None:
    """Everything about one actor, found by id, label or any alias (any case).

    \b
    Example:
      kg actor Langley
    """
    profile = _ask(data_dir, store, name, as_of=as_of, min_reliability=min_reliability)
    _emit([profile], list(profile), fmt, text=_profile_text, record=True)


def _profile_text(profile: dict[str, Any]) -> dict[str, Any]:
    """An actor's roles and affiliations as text: ``President (Russia) [ap-2024-03]``."""
    def said(item: dict[str, Any], what: str | None) -> str:
        sources = f" [{', '.join(item['sources'])}]" if item.get("sources") else ""
        return f"{what or 'unnamed'}{sources}"

    return {**profile,
            "roles": [said(r, f"{r['role'] or 'a role'}"
                              + (f" ({r['organisation']})" if r["organisation"] else ""))
                      for r in profile.get("roles", [])],
            "affiliations": [said(a, f"{a['relation'] or 'affiliated with'} {a['organisation']}")
                             for a in profile.get("affiliations", [])]}


@cli.command()
@click.argument("a")
@click.argument("b")
@data_option
@read_store_option
@format_option
@output_options(paging=False)
@selection_options
@handle_errors
def path(a: str, b: str, data_dir: Path, store: Any, fmt: str, as_of: str | None,
         min_reliability: str | None) -> None:
    """How two actors are connected: the shortest chain of events and relations.

    \b
    Example:
      kg path Putin "Tamerlan Tsarnaev"
    """
    steps = _ask(data_dir, store, a, b, as_of=as_of, min_reliability=min_reliability)
    if not steps and fmt == "table":
        click.echo(f"No connection between {a!r} and {b!r} in the graph.")
        return
    _emit(steps, ["from", "relation", "to", "sources"], fmt)


@cli.command()
@data_option
@read_store_option
@format_option
@output_options()
@selection_options
@handle_errors
def timeline(data_dir: Path, store: Any, fmt: str, as_of: str | None,
             min_reliability: str | None) -> None:
    """Events in date order, each source's date and precision kept; undated last.

    \b
    Example:
      kg timeline --format csv
    """
    from .analysis import TIMELINE_FIELDS

    _emit(_ask(data_dir, store, as_of=as_of, min_reliability=min_reliability), TIMELINE_FIELDS, fmt,
          ("earliest", "latest", "inferred", "source_grades"), table=TABLE_COLUMNS["timeline"])


@cli.command()
@click.argument("query")
@data_option
@read_store_option
@format_option
@output_options()
@handle_errors
def sparql(query: str, data_dir: Path, store: Any, fmt: str) -> None:
    """Run SPARQL: a named query (see `kg queries`), a .rq file, or the query text.

    Named graphs are visible to GRAPH ?g (one per source); the default graph is
    their union, each triple once (RDF merge). Prefixes kg:, rdfs:, prov:, dcterms:,
    skos:, owl:, org: and xsd: are predeclared. CONSTRUCT/DESCRIBE print Turtle.

    \b
    Example:
      kg sparql reciprocity
      kg sparql 'SELECT ?s WHERE { ?s a kg:Warning }' --format json
    """
    from .sparql import query_text, run
    from .stores import close

    text = query_text(query)
    dataset = _answering(data_dir, store).dataset
    try:
        _print_result(run(dataset, text), fmt)
    finally:
        close(dataset)


def _print_result(result: Any, fmt: str) -> None:
    """A SPARQL result: ASK true/false, CONSTRUCT/DESCRIBE as Turtle, SELECT as rows."""
    from .sparql import rows

    if result.type == "ASK":
        click.echo("true" if result.askAnswer else "false")
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        from .build import bind_prefixes

        bind_prefixes(result.graph)
        click.echo(result.graph.serialize(format="turtle"), nl=False)
    else:
        _emit(rows(result), [str(v) for v in result.vars or ()], fmt)


@cli.command()
@format_option
@output_options()
@handle_errors
def queries(fmt: str) -> None:
    """List the named SPARQL queries and the question each answers.

    \b
    Example:
      kg queries
    """
    from .sparql import describe, named_queries

    rows = [{"name": name, "question": describe(name), "file": f"kg/queries/{path.name}"}
            for name, path in named_queries().items()]
    _emit(rows, ["name", "question", "file"], fmt, table=TABLE_COLUMNS["queries"])


@cli.command()
@data_option
@read_store_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "nquads"]),
              required=True, help="graphml/gexf for Gephi or Cytoscape, csv for spreadsheets "
                                  "(nodes.csv + edges.csv), nquads for triple stores.")
@out_option
@click.option("--level", type=click.Choice(["state", "actor"]), default="actor",
              show_default=True, help="state: roll agencies and officials up to their state.")
@handle_errors
def export(data_dir: Path, store: Any, fmt: str, out_dir: Path, level: str) -> None:
    """Export the graph for Gephi, Cytoscape, spreadsheets and other triple stores.

    \b
    Example:
      kg export --format graphml --out out
    """
    from .export import export as make
    from .output import write_atomically, write_file_atomically
    from .project import project
    from .stores import close

    dataset = _answering(data_dir, store).dataset
    try:
        files = make(project(dataset, rollup=level == "state"), dataset, fmt)
    finally:
        close(dataset)
    # One file is replaced by a rename; a set (csv) by replacing the directory as a whole.
    paths = [write_file_atomically(out_dir / name, text) for name, text in files.items()] \
        if len(files) == 1 else write_atomically(out_dir, files)
    for written in paths:
        click.echo(f"Wrote {written}")


@cli.command("html")
@data_option
@read_store_option
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              required=True, help="The page to write (one self-contained .html file).")
@click.option("--actor", help="Only this actor's world and its state's (any alias): their "
                              "edges, their agencies' and officials', and the events reached.")
@click.option("--since", help="Only items dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD); "
                              "undated items are kept.")
@click.option("--until", help="Only items dated on or before this (YYYY, YYYY-MM or "
                              "YYYY-MM-DD); undated items are kept.")
@click.option("--source", "sources", multiple=True,
              help="Only what this source id states (repeat for several; see `kg sources`).")
@click.option("--kind", "kinds", multiple=True,
              help="Only these kinds (repeatable): warning, sharing, failure, attack, plot, "
                   "claim, policy, membership, place.")
@click.option("--level", type=click.Choice(["actor", "state"]), default="actor",
              show_default=True, help="state: roll agencies and officials up to their state.")
@selection_options
@handle_errors
def html_command(data_dir: Path, store: Any, out_file: Path, actor: str | None, since: str | None,
                 until: str | None, sources: tuple[str, ...], kinds: tuple[str, ...],
                 level: str, as_of: str | None, min_reliability: str | None) -> None:
    """Write the interactive explorer page, optionally narrowed by filters.

    The page is one file that links nothing outside itself: open it from disk
    (offline, air-gapped) or serve it. Click a node or an edge for its sources
    and their exact words; search any alias; filter by kind, source and date.

    \b
    Example:
      kg html --out out/us-2024.html --actor "United States" --since 2024 --kind warning
    """
    from .html import explorer
    from .output import write_file_atomically

    built = _answering(data_dir, store)
    kept = _kept(built.sources, as_of, min_reliability)
    if kept is not None:
        # Only what the kept sources state: those named by --source among them, else all.
        sources = tuple(sorted(set(sources) & kept if sources else kept)) or ("(none)",)
    from .stores import close

    try:
        made = explorer(built.dataset, actor=actor, since=since, until=until, source=sources,
                        kind=kinds, level=level)
    finally:
        close(built.dataset)
    written = write_file_atomically(out_file, made.html)
    click.echo(f"Wrote {written}: {made.nodes} nodes, {made.edges} edges ({level} level, "
               f"{len(made.html) / 1e6:.1f} MB).")
    for note in made.notes:
        click.echo(note, err=True)


@cli.command()
@data_option
@store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Where `kg build` wrote graph.html, shown at /explorer if "
                                        "kg.html cannot draw the page itself.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback by default; 0.0.0.0 exposes the endpoint "
                   "to the network (read-only, but anyone who can reach it can query it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (answered 422).")
@click.option("--max-results", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in an answer (else 413).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes, each holding a copy of the graph (on "
                   "oxigraph:PATH each reads the store on disk).")
@stale_option
@handle_errors
def serve(data_dir: Path, store: Any, out_dir: Path, host: str, port: int, timeout: float,
          max_results: int, workers: int) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page.

    /sparql is the endpoint (GET or POST; SPARQLWrapper, curl, YASGUI), / the
    offline query page with the named queries as examples, /explorer the HTML
    explorer of the same graph. SPARQL Update, LOAD and SERVICE are refused, and
    each query has a time and a result-size limit. Stop with Ctrl-C.

    \b
    Example:
      kg serve --data data --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
        http://127.0.0.1:8000/sparql
    """
    from .serve import Limits, explorer_page
    from .serve import serve as run_server

    built = _answering(data_dir, store, built_dir=out_dir, shapes=True)

    def ready(endpoint: Any) -> None:
        click.echo(f"Serving {len(endpoint.graphs)} named graphs built from {data_dir}/ "
                   f"read-only at {endpoint.url} (query page {endpoint.base_url}/, explorer "
                   f"{endpoint.base_url}/explorer; {endpoint.engine.capitalize()}'s engine "
                   "answers). Ctrl-C stops.", err=True)

    run_server(built.dataset, host, port, on_ready=ready, workers=workers,
               limits=Limits(timeout=timeout, max_results=max_results),
               explorer=explorer_page(built.dataset, out_dir),
               log=lambda line: click.echo(line, err=True))


@cli.command("extract")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD, YYYY-MM or YYYY): relative "
              "dates such as 'on Monday' resolve against it. Default: the date in "
              "sources.yaml for a stored article, else a dateline at the top of the text.")
@click.option("--source", "source_id", help="Source id for the claims. Default: the id in "
              "sources.yaml for a stored article, else the file name.")
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Write the claims "
              "file here, and the proposed entities next to it (FILE.entities.yaml).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="What to print: the claims file (yaml), or "
              '{"warnings": [...], "attacks": [...]} with the fields of kg warnings/attacks.')
@data_option
@handle_errors
def extract_command(article: Path, published: str | None, source_id: str | None,
                    out_file: Path | None, fmt: str, data_dir: Path) -> None:
    """Draft claims from ARTICLE (UTF-8 text), offline, for a person to review.

    Rules and gazetteers (no model): actors are linked through the aliases in
    DATA/actors.yaml; new organisations, people and places are proposed as entities.
    Every claim has verbatim quotes, a confidence and `method: extracted`.

    \b
    Example:
      kg extract article.txt --published 2024-03-25 --out draft.yaml
      kg extract article.txt --format json
    """
    import json

    from .extract import extract_file
    from .extract.writers import claims_yaml, entities_yaml, json_rows

    found, reference = extract_file(article, data_dir, published, source_id)
    entities_file = Path(str(out_file.with_suffix("")) + ".entities.yaml") if out_file else None
    if out_file is not None:
        out_file.write_text(claims_yaml(found, str(article), str(entities_file)),
                            encoding="utf-8")
        entities_file.write_text(entities_yaml(found), encoding="utf-8")
    if fmt == "json":
        click.echo(json.dumps(json_rows(found, reference), indent=2, ensure_ascii=False))
    elif out_file is None:
        click.echo(claims_yaml(found, str(article)), nl=False)
    kinds: dict[str, int] = {}
    for claim in found.claims:
        kinds[claim.kind] = kinds.get(claim.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "nothing"
    date = found.published.value if found.published else "unknown (relative dates unresolved)"
    lines = [f"Extracted {summary} from {article} as source {found.source!r} "
             f"(published {date})."]
    if out_file is not None:
        lines.append(f"Wrote {out_file} (claims) and {entities_file} "
                     f"({len(found.entities)} proposed entities).")
    elif found.entities:
        lines.append(f"{len(found.entities)} proposed entities ("
                     f"{', '.join(e.id for e in found.entities[:8])}"
                     f"{'...' if len(found.entities) > 8 else ''}); use --out to write them.")
    lines.append("Review every claim against its quotes before moving it to data/claims/.")
    for line in lines:
        click.echo(line, err=out_file is None or fmt == "json")


@cli.command("add")
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--id", "source_id", required=True, help="The new source's id (letters, digits, "
              "-, _ and .), e.g. reuters-2024-03-25.")
@click.option("--published", help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--title", help="The article's title.")
@click.option("--outlet", help="The outlet that published it.")
@click.option("--author", help="Its author(s).")
@click.option("--url", help="Where it was published.")
@click.option("--language", default="en", show_default=True, help="The text's language.")
@click.option("--derived-from", help="Id of the stored source this text is a copy of.")
@click.option("--relation", type=click.Choice(["summary", "translation", "repost"]),
              help="How it derives from --derived-from (or from an original not stored).")
@click.option("--notes", help="Where the metadata comes from. Default: the command line.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@data_option
@handle_errors
def add_command(article: Path, source_id: str, data_dir: Path, dry_run: bool,
                **metadata: str | None) -> None:
    """Store ARTICLE as a new source and write draft claims from it for review.

    Copies the text byte for byte to DATA/sources/, appends its metadata and sha256 to
    DATA/sources.yaml, and writes DATA/drafts/ID.yaml (draft claims) and
    DATA/drafts/ID.entities.yaml (proposed entities). Drafts are not read by kg build or
    kg validate: review them, then move the claims to DATA/claims/ID.yaml. On any
    problem nothing is written.

    \b
    Example:
      kg add article.txt --id wire-2024-03-25 --published 2024-03-25 --outlet Reuters
    """
    from .add import NewSource, describe, plan_add, write_plan

    plan = plan_add(article, data_dir, NewSource(source_id, **metadata))
    if not dry_run:
        write_plan(plan)
    click.echo(describe(plan, dry_run), nl=False)


@cli.command("eval")
@data_option
@format_option
@output_options()
@click.option("--details", is_flag=True,
              help="List every item instead: curated ones missed, extracted ones matching "
                   "nothing, and the matches.")
@handle_errors
def eval_command(data_dir: Path, fmt: str, details: bool) -> None:
    """Score `kg extract` against the curated claims of the same sources.

    Warnings are compared by (warner state, recipient state, year), attacks by
    (place at state level, year, killed with qualifiers); precision, recall and F1 per
    source and overall. relaxed_f1 compares only who/where.

    \b
    Example:
      kg eval --format json
    """
    from .evaluate import DETAIL_FIELDS, SCORE_FIELDS, evaluate_dir

    result = evaluate_dir(data_dir)
    rows, fields = (result.details, DETAIL_FIELDS) if details else (result.scores, SCORE_FIELDS)
    _emit(list(rows), fields, fmt)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
