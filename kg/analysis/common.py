"""What the questions share: sources, quotes, dates and states of events on the projection."""

from __future__ import annotations

from collections import Counter
from typing import TypedDict

import networkx as nx

from ..agreement import Stated
from ..iri import local_id
from ..project import claims_about, facts, targets
from ..rows import DerivedValue, InferredDate, Quote
from ..schema import CREDIBILITY, END_OFFSET, EVIDENCE, QUOTE, START_OFFSET, STATE, TYPED_BY
from ..stated import (
    Context,
    date_values,
    entity_values,
    fact_values,
    headline,
    inferred_dates,
    ordered,
)


def _joined(values: list[tuple[str, list[str]]]) -> str | None:
    """Distinct values, most sources first: 'A / B' (None when no source states one)."""
    weight: Counter[str] = Counter()
    for value, sources in values:
        weight[value] += len(sources)
    ordered = sorted(weight, key=lambda v: (-weight[v], v))
    return " / ".join(ordered) if ordered else None


def sources_of(graph: nx.MultiDiGraph, event: str, type_name: str) -> list[str]:
    """Sources that report ``event`` as a ``type_name``."""
    return sorted(set(graph.nodes[event].get(TYPED_BY, {}).get(type_name, ())))


def quotes(graph: nx.MultiDiGraph, event: str) -> list[Quote]:
    """The verbatim quotes of every claim about ``event``, with source and offsets."""
    out: list[Quote] = []
    for claim in claims_about(graph, event):
        for quote, _sources in targets(graph, claim, EVIDENCE):
            text = facts(graph, quote, QUOTE)
            start, end = facts(graph, quote, START_OFFSET), facts(graph, quote, END_OFFSET)
            graded = facts(graph, claim, CREDIBILITY)
            out.append({"source": text[0][1] if text else None,
                        "credibility": graded[0][0] if graded else None,
                        "quote": text[0][0] if text else None,
                        "start": start[0][0] if start else None,
                        "end": end[0][0] if end else None, "claim": local_id(claim)})
    return sorted(out, key=lambda q: (q["source"] or "", q["start"] or 0))


def _incoming(graph: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    return sorted(u for u, _, k in graph.in_edges(node, keys=True) if k == key)


def state_of(graph: nx.MultiDiGraph, node: str) -> str:
    """The state an actor acts for (itself when it is one, or when none is known)."""
    return graph.nodes[node].get(STATE) or node if node in graph else node


def _usable(context: Context, values: list[Stated]) -> list[Stated]:
    """The dates with independent support (a copy's date only when nothing else dates it)."""
    marked = ordered(context, "date", values)
    return [v for v, d in marked if not d] or [v for v, _ in marked]


class DateFields(TypedDict):
    """An event's date as a table prints it, and the first and last day it allows."""

    date: str | None
    earliest: str | None
    latest: str | None


class EventDates(DateFields):
    """:class:`DateFields` and which sources inferred their date, and how."""

    date_inferred: list[InferredDate]


class WarningFacts(EventDates):
    """A warning's states, dates and outcome, as its rows show them."""

    warner_state: str | None
    recipient_state: str | None
    outcome: str | None


def date_fields(context: Context, values: list[Stated]) -> DateFields:
    """``date`` (as a table prints it), ``earliest`` and ``latest`` of one event's dates.

    The bounds span what the dates with independent support allow (copies' dates only
    when nothing else dates the event): ``None`` where unbounded or undated.
    """
    kept = _usable(context, values)
    lows = [v.key[0] for v in kept]
    highs = [v.key[1] for v in kept]
    return {"date": headline(context, "date", values),
            "earliest": None if not lows or None in lows else min(lows).isoformat(),
            "latest": None if not highs or None in highs else max(highs).isoformat()}


def _date_fields(context: Context, graph: nx.MultiDiGraph, event: str) -> EventDates:
    """:func:`date_fields` of ``event`` and ``date_inferred``: which sources inferred how."""
    return {**date_fields(context, date_values(graph, event)),
            "date_inferred": inferred_dates(graph, event)}


def _states_and_outcome(context: Context, graph: nx.MultiDiGraph, event: str,
                        values_of: dict[str, list[Stated]] | None = None) -> WarningFacts:
    """States, dates and outcome of a warning (``values_of``: its :func:`attribute_values`)."""
    if values_of is None:
        dates, outcomes = date_values(graph, event), fact_values(graph, event, "outcome")
    else:
        dates, outcomes = values_of.get("date", []), values_of.get("outcome", [])
    return {
        "warner_state": headline(context, "warner",
                                 entity_values(graph, event, "warner", to_state=True)),
        "recipient_state": headline(context, "recipient",
                                    entity_values(graph, event, "recipient", to_state=True)),
        **date_fields(context, dates), "date_inferred": inferred_dates(graph, event),
        "outcome": headline(context, "outcome", outcomes)}


def _derived_rows(context: Context, values_of: dict[str, list[Stated]]
                  ) -> list[DerivedValue]:
    """The values (of :func:`attribute_values`) only copies state, their originals silent."""
    out: list[DerivedValue] = []
    for attribute, values in sorted(values_of.items()):
        for value, derived in ordered(context, attribute, values):
            if derived:
                out.append({"attribute": attribute, "value": value.shown,
                            "sources": list(value.sources)})
    return out
