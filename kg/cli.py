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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import DataError, KGError
from .render import FORMATS, render

SOURCE_FIELDS = ["id", "title", "outlet", "published", "url", "file", "sha256"]

data_option = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"),
    show_default=True, help="Data directory: sources.yaml, actors.yaml, sources/, claims/.")
out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
    show_default=True, help="Output directory (written atomically).")
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format: a table for people, JSON or CSV for scripts.")


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
@out_option
@handle_errors
def build(data_dir: Path, out_dir: Path) -> None:
    """Build the graph from DATA and write TriG, Turtle, JSON-LD, N-Quads and a report.

    Checks every quote against its source, every reference, and the SHACL shapes;
    on any problem prints them all as file:line and leaves OUT untouched.

    \b
    Example:
      kg build --data data --out out
    """
    from .pipeline import build as run_build

    start = time.perf_counter()
    built = run_build(data_dir, out_dir)
    summary = built.summary()
    click.echo(f"Built {out_dir}/ from {data_dir}/ in {time.perf_counter() - start:.2f}s: "
               f"{summary['sources']} sources, {summary['entities']} entities, "
               f"{summary['claims']} claims, {summary['quotes']} quotes verified, "
               f"{summary['triples']} triples.")
    kinds = ", ".join(f"{k.split('.', 1)[1]} {v}" for k, v in summary.items()
                      if k.startswith("claims."))
    click.echo(f"Claims by kind: {kinds}.")
    click.echo(f"Wrote: {', '.join(sorted(p.name for p in out_dir.iterdir() if p.is_file()))}")


@cli.command()
@data_option
@handle_errors
def validate(data_dir: Path) -> None:
    """Check DATA without writing anything: quotes, references, SHACL shapes.

    Exits 1 and lists every problem as file:line: message if any is found.

    \b
    Example:
      kg validate --data data
    """
    from .pipeline import load

    built = load(data_dir)
    summary = built.summary()
    click.echo(f"{data_dir}/ is valid: {summary['claims']} claims, {summary['quotes']} quotes "
               f"verified in {summary['sources']} sources.")


@cli.command()
@data_option
@format_option
@handle_errors
def sources(data_dir: Path, fmt: str) -> None:
    """List the stored sources with their metadata and sha256.

    \b
    Example:
      kg sources --format json
    """
    from .sources import read_corpus

    rows = [source_row(s) for s in read_corpus(data_dir).sources]
    click.echo(render(rows, SOURCE_FIELDS, fmt), nl=fmt == "table")


def source_row(source: Any) -> dict[str, Any]:
    """The JSON fields of ``kg sources`` for one Source record."""
    return {"id": source.id, "title": source.title, "outlet": source.outlet,
            "published": source.published.value if source.published else None,
            "url": source.url, "file": source.file, "sha256": source.sha256}


level_option = click.option(
    "--level", type=click.Choice(["state", "actor"]), default="state", show_default=True,
    help="state: agencies and officials roll up to their state; actor: keep them apart.")


def _graph(data_dir: Path, rollup: bool = False) -> Any:
    """Load DATA (quotes and references checked) and project it to NetworkX."""
    from .pipeline import load
    from .project import project

    return project(load(data_dir, shapes=False).dataset, rollup=rollup)


def _emit(rows: list[dict[str, Any]], fields: list[str], fmt: str,
          extra_json: tuple[str, ...] = ()) -> None:
    """Print rows; JSON also carries ``extra_json`` fields (quotes, ranges...)."""
    if fmt == "json":
        fields = [*fields, *extra_json]
    click.echo(render(rows, fields, fmt), nl=fmt == "table")


def _counts_text(counts: list[dict[str, Any]]) -> str:
    words = {"exact": "", "more_than": "more than ", "at_least": "at least ", "about": "about ",
             "at_most": "at most "}
    return "; ".join(f"{words[c['qualifier']]}{c['value']} [{c['source']}]" for c in counts)


@cli.command()
@data_option
@format_option
@handle_errors
def warnings(data_dir: Path, fmt: str) -> None:
    """Who warned whom: each warning with date, concern, outcome, response, sources.

    Where sources name different warners or dates, every value is shown (most
    sourced first, separated by ' / '); `kg conflicts` says who says what. JSON
    adds each warning's verbatim quotes and the sources that dispute it.

    \b
    Example:
      kg warnings --format json
    """
    from .analysis import WARNING_FIELDS, warnings as answer

    _emit(answer(_graph(data_dir)), WARNING_FIELDS, fmt, ("disputed_by", "quotes"))


@cli.command()
@data_option
@level_option
@format_option
@handle_errors
def reciprocity(data_dir: Path, level: str, fmt: str) -> None:
    """Was it reciprocated: for each pair, warnings each way, and whether any is disputed.

    \b
    Example:
      kg reciprocity --level state
    """
    from .analysis import RECIPROCITY_FIELDS, reciprocity as answer

    rows = answer(_graph(data_dir), level)
    if fmt != "json":
        rows = [{**r, "warnings": [f"{w['id']} ({w['from']} -> {w['to']})"
                                   for w in r["warnings"]]} for r in rows]
    _emit(rows, RECIPROCITY_FIELDS, fmt)


@cli.command("lead-times")
@data_option
@format_option
@handle_errors
def lead_times(data_dir: Path, fmt: str) -> None:
    """Days from each warning to the attack it concerned, and what came of it.

    Exact only when both dates are known to the day; otherwise bounded by
    lead_days_min/max where precision allows, with a note saying why.

    \b
    Example:
      kg lead-times --format csv
    """
    from .analysis import LEAD_TIME_FIELDS, lead_times as answer

    _emit(answer(_graph(data_dir)), LEAD_TIME_FIELDS, fmt)


@cli.command()
@data_option
@format_option
@handle_errors
def attacks(data_dir: Path, fmt: str) -> None:
    """Attacks: when, where, who, who claimed them, and each source's casualty figures.

    killed/injured keep each source's figure and qualifier ("more than 130" is a
    lower bound); JSON adds the range the figures span and the quotes.

    \b
    Example:
      kg attacks --format json
    """
    from .analysis import ATTACK_FIELDS, attacks as answer

    rows = answer(_graph(data_dir))
    if fmt != "json":
        rows = [{**r, "killed": _counts_text(r["killed"]), "injured": _counts_text(r["injured"])}
                for r in rows]
    _emit(rows, ATTACK_FIELDS, fmt, ("killed_range", "injured_range", "quotes"))


@cli.command()
@data_option
@format_option
@handle_errors
def conflicts(data_dir: Path, fmt: str) -> None:
    """Where sources disagree: each attribute with every value and its sources.

    \b
    Example:
      kg conflicts
    """
    from .analysis import CONFLICT_FIELDS, conflicts as answer

    rows = answer(_graph(data_dir))
    if fmt != "json":
        rows = [{**r, "values": " | ".join(f"{v['value']} [{', '.join(v['sources'])}]"
                                           for v in r["values"])} for r in rows]
    _emit(rows, CONFLICT_FIELDS, fmt)


@cli.command()
@click.argument("name")
@data_option
@format_option
@handle_errors
def actor(name: str, data_dir: Path, fmt: str) -> None:
    """Everything about one actor, found by id, label or any alias (any case).

    \b
    Example:
      kg actor Langley
    """
    from .analysis import actor as answer

    profile = answer(_graph(data_dir), name)
    if fmt == "table":
        for key, value in profile.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                value = "; ".join(", ".join(f"{v}" for v in item.values() if v) for item in value)
            click.echo(f"{key:22} {render([{'v': value}], ['v'], 'csv').splitlines()[1]}")
        return
    _emit([profile], list(profile), fmt)


@cli.command()
@click.argument("a")
@click.argument("b")
@data_option
@format_option
@handle_errors
def path(a: str, b: str, data_dir: Path, fmt: str) -> None:
    """How two actors are connected: the shortest chain of events and relations.

    \b
    Example:
      kg path Putin "Tamerlan Tsarnaev"
    """
    from .analysis import path as answer

    steps = answer(_graph(data_dir), a, b)
    if not steps and fmt == "table":
        click.echo(f"No connection between {a!r} and {b!r} in the graph.")
        return
    _emit(steps, ["from", "relation", "to", "sources"], fmt)


@cli.command()
@data_option
@format_option
@handle_errors
def timeline(data_dir: Path, fmt: str) -> None:
    """Events in date order, each source's date and precision kept; undated last.

    \b
    Example:
      kg timeline --format csv
    """
    from .analysis import TIMELINE_FIELDS, timeline as answer

    _emit(answer(_graph(data_dir)), TIMELINE_FIELDS, fmt)


@cli.command()
@click.argument("query")
@data_option
@format_option
@handle_errors
def sparql(query: str, data_dir: Path, fmt: str) -> None:
    """Run SPARQL: a named query (see `kg queries`), a .rq file, or the query text.

    Named graphs are visible to GRAPH ?g (one per source); the default graph is
    their union. Prefixes kg:, rdfs:, prov:, dcterms:, skos:, owl:, org: and xsd:
    are predeclared. CONSTRUCT/DESCRIBE print Turtle.

    \b
    Example:
      kg sparql reciprocity
      kg sparql 'SELECT ?s WHERE { ?s a kg:Warning }' --format json
    """
    from .pipeline import load
    from .sparql import query_text, rows, run

    text = query_text(query)
    result = run(load(data_dir, shapes=False).dataset, text)
    if result.type == "ASK":
        click.echo("true" if result.askAnswer else "false")
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        from .build import bind_prefixes

        bind_prefixes(result.graph)
        click.echo(result.graph.serialize(format="turtle"), nl=False)
    else:
        _emit(rows(result), [str(v) for v in result.vars], fmt)


@cli.command()
@format_option
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
    _emit(rows, ["name", "question", "file"], fmt)


@cli.command()
@data_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "nquads"]),
              required=True, help="graphml/gexf for Gephi or Cytoscape, csv for spreadsheets "
                                  "(nodes.csv + edges.csv), nquads for triple stores.")
@out_option
@click.option("--level", type=click.Choice(["state", "actor"]), default="actor",
              show_default=True, help="state: roll agencies and officials up to their state.")
@handle_errors
def export(data_dir: Path, fmt: str, out_dir: Path, level: str) -> None:
    """Export the graph for Gephi, Cytoscape, spreadsheets and other triple stores.

    \b
    Example:
      kg export --format graphml --out out
    """
    from .export import export as make
    from .output import write_atomically
    from .pipeline import load
    from .project import project

    dataset = load(data_dir, shapes=False).dataset
    files = make(project(dataset, rollup=level == "state"), dataset, fmt)
    for written in write_atomically(out_dir, files):
        click.echo(f"Wrote {written}")


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
