"""The ``kg`` command line: a thin client of the library.

Each command calls ``kg.*`` and turns a :class:`~kg.errors.KGError` into a clean
message and exit status 1; anything unexpected is a crash, exit 2
(:func:`~kg.cli.options.handle_errors`). The commands are grouped by topic:
:mod:`~kg.cli.graph` (build, validate, sparql, queries, export, html, serve),
:mod:`~kg.cli.questions` (the read commands), :mod:`~kg.cli.drafts` (extract, add, eval);
:mod:`~kg.cli.options` holds the shared options, :mod:`~kg.cli.answering` how an answer
is asked and printed, :mod:`~kg.cli.text` how its structured values read in a table.
"""

from __future__ import annotations

import click

from . import drafts, graph, questions


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


for _module in (graph, questions, drafts):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")


__all__ = ["cli", "main"]
