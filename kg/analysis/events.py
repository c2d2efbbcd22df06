"""Attacks and the timeline: events, when and where, each source's figures and dates."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from ..agreement import count_bounds, date_text
from ..iri import local_id
from ..project import EVENT_TYPES, facts, nodes_of_type, targets
from ..records import Count, DateValue
from ..rows import AttackRow, FigureRange, MarkedFigure, TimelineRow
from ..schema import (
    CLAIMANT,
    CONCERNS,
    DESCRIPTION,
    INJURED,
    KILLED,
    NAME,
    PERPETRATOR,
    PLACE,
    TYPES,
)
from ..stated import (
    Context,
    attribute_values,
    count_values,
    counts,
    dated,
    entity_values,
    grades,
    headline,
    inferred_fields,
    label,
    ordered,
)
from ..stated import independent as _independent
from .common import _date_fields, _derived_rows, _incoming, _joined, quotes, sources_of


def count_range(counts: list[MarkedFigure]) -> FigureRange | None:
    """The span of stated figures: lowest and highest number and whether the top is open."""
    known = [(c["value"], c) for c in counts if c["value"] is not None]
    if not known:
        return None
    low, _ = min(known, key=lambda vc: vc[0])
    top, high = max(known, key=lambda vc: vc[0])
    return {"low": low, "high": top,
            "high_is_lower_bound": count_bounds(top, high["qualifier"])[1] == math.inf}


def _marked_counts(context: Context, graph: nx.MultiDiGraph, event: str, key: str
                   ) -> list[MarkedFigure]:
    """Each source's figure, with ``derived_only`` when only a copy states it, unsupported."""
    values = count_values(graph, event, key)
    derived = {v.shown for v, d in ordered(context, key, values) if d}
    return [{**c, "derived_only": c["value"] is not None
             and Count(c["value"], c["qualifier"]).describe() in derived}
            for c in counts(graph, event, key)]


def attacks(graph: nx.MultiDiGraph) -> list[AttackRow]:
    """Attacks: when, where, who, who claimed them, and each source's casualty figures."""
    context = Context.of(graph)
    rows: list[AttackRow] = []
    for event in nodes_of_type(graph, "Attack"):
        claims = [c for c in _incoming(graph, event, CONCERNS)
                  if "ClaimOfResponsibility" in graph.nodes[c][TYPES]]
        killed = _marked_counts(context, graph, event, KILLED)
        injured = _marked_counts(context, graph, event, INJURED)
        sources = sources_of(graph, event, "Attack")
        dates = _date_fields(context, graph, event)
        rows.append({
            "id": local_id(event),
            "name": _joined([(v, [s]) for v, s in facts(graph, event, NAME)]),
            "date": dates["date"],
            "place": headline(context, "place", entity_values(graph, event, PLACE)),
            "perpetrators": sorted({label(graph, p) for p, _ in
                                    targets(graph, event, PERPETRATOR)}),
            "claimed_by": sorted({label(graph, c) for claim in claims
                                  for c, _ in targets(graph, claim, CLAIMANT)}),
            "killed": killed, "injured": injured, "sources": sources,
            "earliest": dates["earliest"], "latest": dates["latest"],
            "date_inferred": dates["date_inferred"],
            "killed_range": count_range(killed), "injured_range": count_range(injured),
            "independent_sources": _independent(context.original, sources),
            "source_grades": context.graded(sources),
            "inferred": inferred_fields(graph, event),
            "derived_only": _derived_rows(context, attribute_values(graph, event)),
            "quotes": quotes(graph, event)})
    return rows


def timeline(graph: nx.MultiDiGraph) -> list[TimelineRow]:
    """Dated events in order (each source's date kept); undated events last."""
    graded = grades(graph)
    rows = [row for event in sorted(n for n, d in graph.nodes(data=True)
                                    if set(d.get(TYPES, ())) & set(EVENT_TYPES))
            for row in _timeline_rows(graph, event, graded)]
    return sorted(rows, key=lambda r: (r["date"] is None, _sort_day(r), r["id"]))


def _timeline_rows(graph: nx.MultiDiGraph, event: str, graded: dict[str, str]
                   ) -> list[TimelineRow]:
    """One row for each date the sources give ``event`` (one undated row if none does)."""
    kinds = sorted(set(graph.nodes[event][TYPES]) & set(EVENT_TYPES))
    description = _joined([(v, [s]) for v, s in facts(graph, event, DESCRIPTION)][:1])
    by_date: dict[tuple[str, str], list[str]] = defaultdict(list)
    guessed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, date in dated(graph, event).items():
        by_date[(date.value, date.precision)].append(source)
        if date.inferred:
            guessed[(date.value, date.precision)].append(f"{source}: {date.inferred}")

    def row(date: DateValue | None, srcs: list[str], inferred: list[str]) -> TimelineRow:
        first, last = date.bounds() if date else (None, None)
        marked = " (inferred)" if inferred and len(inferred) == len(srcs) else ""
        return {"date": date_text(date) + marked if date else None,
                "date_precision": date.precision if date else None, "kind": "/".join(kinds),
                "id": local_id(event), "description": description, "sources": sorted(srcs),
                "earliest": first.isoformat() if first else None,
                "latest": last.isoformat() if last else None, "inferred": inferred,
                "source_grades": {s: graded.get(s) for s in sorted(srcs)}}

    if not by_date:
        return [row(None, sorted({s for k in kinds for s in sources_of(graph, event, k)}), [])]
    return [row(DateValue(value, precision), srcs, guessed.get((value, precision), []))
            for (value, precision), srcs in sorted(by_date.items())]


def _sort_day(row: TimelineRow) -> str:
    """Where a timeline row sorts: its first day, or the day a "before" date is before."""
    return row["earliest"] or row["latest"] or ""
