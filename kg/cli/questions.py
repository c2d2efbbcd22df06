"""The read commands: the questions, each answered from the graph `kg build` made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..rows import (
    ActorRow,
    AttackRow,
    ConflictRow,
    LeadTimeRow,
    PathStep,
    ReciprocityRow,
    SourceRow,
    TimelineRow,
    WarningRow,
    shape,
)
from .answering import ask, emit, kept_sources
from .options import (
    built_option,
    data_option,
    format_option,
    handle_errors,
    level_option,
    output_options,
    read_store_option,
    selection_options,
    stale_option,
)
from .text import (
    attack_text,
    graded_sources,
    pair_row_text,
    profile_text,
    value_text,
)


@click.command()
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
    kept = kept_sources(listed, as_of, min_reliability)
    rows = [source_row(s) for s in listed if kept is None or s.id in kept]
    emit(rows, shape(SourceRow), fmt)


def _sources_of(data_dir: Path) -> list[Any]:
    """DATA's sources: from the last build's record while DATA is unchanged, else read."""
    from ..built import changes, describe, read_record_file

    meta = click.get_current_context().meta
    record = read_record_file(meta.get("kg.built", Path("out")))
    if record is not None:
        found = changes(record, data_dir, limit=4)
        if not found or meta.get("kg.stale"):
            if found:
                click.echo(f"kg: {describe(found, data_dir)}; listing the sources as last "
                           "built (--stale).", err=True)
            return record.source_records()
    from ..sources import read_corpus

    return list(read_corpus(data_dir).sources)


def source_row(source: Any) -> SourceRow:
    """The JSON fields of ``kg sources`` for one Source record."""
    return {"id": source.id, "title": source.title, "outlet": source.outlet,
            "published": source.published.value if source.published else None,
            "url": source.url, "file": source.file, "sha256": source.sha256,
            "reliability": source.reliability, "reliability_reason": source.reliability_reason,
            "copy_of": copy_of(source)}


def copy_of(source: Any) -> str | None:
    """What a copy copies, in words: its relation, its original's id (and, for an original
    that is not stored, its outlet and that it is not stored); None for an original.

    Example:
        >>> from kg.records import Original, Source
        >>> copy_of(Source("b", "b.txt", "0", relation="repost",
        ...                original=Original("d-1", outlet="The Daily Beast")))
        'repost of d-1 (The Daily Beast, not stored)'
    """
    if source.relation is None:
        return None
    if source.derived_from:
        return f"{source.relation} of {source.derived_from}"
    original = source.original
    if original is None:
        return source.relation
    known = ", ".join(filter(None, (original.outlet, "not stored")))
    return f"{source.relation} of {original.id} ({known})"



@click.command()
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
    rows = ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    emit(rows, shape(WarningRow), fmt, text=graded_sources)



@click.command()
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
    rows = ask(data_dir, store, level, as_of=as_of, min_reliability=min_reliability)
    emit(rows, shape(ReciprocityRow), fmt, text=pair_row_text)



@click.command("lead-times")
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
    rows = ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    emit(rows, shape(LeadTimeRow), fmt)



@click.command()
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
    rows = ask(data_dir, store, as_of=as_of, min_reliability=min_reliability)
    emit(rows, shape(AttackRow), fmt, text=attack_text)



@click.command()
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
    rows = ask(data_dir, store, every, as_of=as_of, min_reliability=min_reliability)
    emit(rows, shape(ConflictRow), fmt,
          text=lambda r: {**r, "values": " | ".join(value_text(v) for v in r["values"])})



@click.command()
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
    profile = ask(data_dir, store, name, as_of=as_of, min_reliability=min_reliability)
    emit([profile], shape(ActorRow), fmt, text=profile_text, record=True)



@click.command()
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
    steps = ask(data_dir, store, a, b, as_of=as_of, min_reliability=min_reliability)
    if not steps and fmt == "table":
        click.echo(f"No connection between {a!r} and {b!r} in the graph.")
        return
    emit(steps, shape(PathStep), fmt)


@click.command()
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
    emit(ask(data_dir, store, as_of=as_of, min_reliability=min_reliability),
         shape(TimelineRow), fmt)



#: The commands of this module, for the ``kg`` group.
COMMANDS = [sources, warnings, reciprocity, lead_times, attacks, conflicts, actor, path, timeline]
