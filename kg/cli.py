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


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
