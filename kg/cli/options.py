"""The options the ``kg`` commands share, defined once, and the one error decorator."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import DataError, KGError
from ..records import RELIABILITY
from ..render import FORMATS
from ..stores import DEFAULT_STORE, SPEC_HELP

data_option = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"),
    show_default=True, help="Data directory: sources.yaml, actors.yaml, sources/, claims/.")
out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
    show_default=True, help="Output directory (written atomically).")
def _parse_store(_ctx: Any, _param: Any, value: str) -> Any:
    from ..errors import StoreError
    from ..stores import parse_store

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
        "--min-reliability", type=click.Choice(list(RELIABILITY)),
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
    context, where :func:`emit` reads them, so commands do not pass them along.
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
                              "column of the JSON may be named). `--columns help` lists "
                              "the columns and what each holds."),
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



level_option = click.option(
    "--level", type=click.Choice(["state", "actor"]), default="state", show_default=True,
    help="state: agencies and officials roll up to their state; actor: keep them apart.")
