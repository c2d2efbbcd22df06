"""Lead times: days from each warning to the attack or plot it concerned.

Each side's dates are intervals (:meth:`kg.records.DateValue.bounds`): a lead time is exact
only when both are days, bounded when the intervals allow, and none at all when the
bounds straddle zero (the warning may have come after the attack).

Example:
    >>> import datetime as dt
    >>> day = dt.date(2024, 3, 7)
    >>> attack = {"2024-03-22": (dt.date(2024, 3, 22),) * 2}
    >>> lead({"2024-03-07": (day, day)}, attack)
    Lead(days=15, low=15, high=15, notes=[], disagreeing=False)
    >>> for note in lead({"2024-03": (dt.date(2024, 3, 1), dt.date(2024, 3, 31))}, attack).notes:
    ...     print(note)
    a date is known only to the month
    the bounds (-9 to 21 days) straddle zero: the dates do not say whether the warning
    came before the attack
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import networkx as nx

from ..agreement import Stated
from ..iri import local_id
from ..project import nodes_of_type, targets
from ..rows import InferredDate, LeadTimeRow
from ..schema import CONCERNS
from ..stated import Context, date_values
from .common import WarningFacts, _date_fields, _states_and_outcome, _usable

#: A date as an interval: its first and last possible day (None: unbounded).
Interval = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Lead:
    """The days from a warning to an attack: exact, bounds, and why they are what they are."""

    days: int | None
    low: int | None
    high: int | None
    notes: list[str] = field(default_factory=list)
    #: Whether day-precise pairings give different numbers (the sources disagree).
    disagreeing: bool = False


def lead_times(graph: nx.MultiDiGraph) -> list[LeadTimeRow]:
    """Days from each warning to the attack or plot it concerned, where dates allow.

    ``lead_days`` is set only when both dates are known to the day (and every source
    pairing gives the same number); otherwise ``lead_days_min``/``max`` bound it when
    the precisions allow, and ``note`` says why it is not exact. Bounds that straddle
    zero (the warning may have come after the attack) are no lead time: all three are
    null and the note says so. Dates only copies state, their originals silent, are not
    used while an independent date exists.
    """
    context = Context.of(graph)
    rows: list[LeadTimeRow] = []
    for event in nodes_of_type(graph, "Warning"):
        concerned = targets(graph, event, CONCERNS)
        if not concerned:
            continue
        warning = _states_and_outcome(context, graph, event)
        warning_dates = _usable(context, date_values(graph, event))
        for target, _ in concerned:
            rows.append(_lead_row(context, graph, event, warning, warning_dates, target))
    return rows


def _lead_row(context: Context, graph: nx.MultiDiGraph, event: str, warning: WarningFacts,
              warning_dates: list[Stated], target: str) -> LeadTimeRow:
    """The row of one warning and one attack or plot it concerned."""
    attack_dates = _usable(context, date_values(graph, target))
    attack = _date_fields(context, graph, target)
    found = lead({v.shown: v.key for v in warning_dates}, {v.shown: v.key for v in attack_dates})
    guessed = _inferred_notes(warning_dates, warning["date_inferred"], attack_dates,
                              attack["date_inferred"])
    notes = [*found.notes, *guessed]
    return {
        "warning": local_id(event), "warner_state": warning["warner_state"],
        "recipient_state": warning["recipient_state"], "concerns": local_id(target),
        "warning_date": warning["date"], "attack_date": attack["date"],
        "lead_days": found.days, "lead_days_min": found.low, "lead_days_max": found.high,
        "outcome": warning["outcome"],
        "note": "; ".join(notes) or ("sources disagree" if found.disagreeing else ""),
        "warning_earliest": warning["earliest"], "warning_latest": warning["latest"],
        "attack_earliest": attack["earliest"], "attack_latest": attack["latest"],
        "lead_days_inferred": found.days is not None and bool(guessed)}


def lead(warning: dict[str, Interval], attack: dict[str, Interval]) -> Lead:
    """The lead time between the dates of a warning and an attack (each shown -> interval).

    Every pairing of a warning date with an attack date counts: the lead is exact when
    all day-precise pairings give the same number, bounded by the lowest and highest
    the intervals allow (unbounded when any pairing is), and none when the bounds say
    the warning may have come after the attack.
    """
    exact, low, high = _days(warning, attack)
    notes = _why_not_exact(warning, attack, exact)
    days = next(iter(exact)) if len(exact) == 1 else None
    if high is not None and high < 0:
        return Lead(None, None, None, [*notes, "the warning is dated after the attack"])
    if low is not None and high is not None and low < 0 < high:
        return Lead(None, None, None, [*notes, f"the bounds ({low} to {high} days) straddle "
                                       "zero: the dates do not say whether the warning came "
                                       "before the attack"])
    return Lead(days, low, high, notes, disagreeing=len(exact) > 1)


def _days(warning: dict[str, Interval], attack: dict[str, Interval]
          ) -> tuple[set[int], int | None, int | None]:
    """The exact leads of day-precise pairings, and the lowest and highest any allows."""
    exact: set[int] = set()
    lows: list[int | None] = []
    highs: list[int | None] = []
    for w0, w1 in warning.values():
        for a0, a1 in attack.values():
            if w0 is not None and a0 is not None and w0 == w1 and a0 == a1:
                exact.add((a0 - w0).days)
            lows.append((a0 - w1).days if a0 and w1 else None)
            highs.append((a1 - w0).days if a1 and w0 else None)
    low = min(x for x in lows if x is not None) if lows and None not in lows else None
    high = max(x for x in highs if x is not None) if highs and None not in highs else None
    return exact, low, high


def _why_not_exact(warning: dict[str, Interval], attack: dict[str, Interval],
                   exact: set[int]) -> list[str]:
    """A note when a side is undated, or no pairing is of two days."""
    if not warning or not attack:
        return ["no source dates the " + ("warning" if not warning else "attack")]
    if exact:
        return []
    vague = sorted({_precision_of(shown) for shown in (*warning, *attack)} - {"day"})
    return ["a date is known only " + " or ".join(
        "as before a day" if p == "before" else f"to the {p}" for p in vague)]


def _inferred_notes(warning_dates: list[Stated], warning_inferred: list[InferredDate],
                    attack_dates: list[Stated], attack_inferred: list[InferredDate]
                    ) -> list[str]:
    """A note for each date used that every source of it inferred in part.

    (A year from the publication month, say.)
    """
    return [f"the {which}'s date {d['date']} [{d['source']}] is inferred: {d['inferred']}"
            for which, values, found in (("warning", warning_dates, warning_inferred),
                                         ("attack", attack_dates, attack_inferred))
            for v in values if v.shown.endswith(" (inferred)")
            for d in found if d["source"] in v.sources]


def _precision_of(shown: str) -> str:
    shown = shown.removesuffix(" (inferred)")
    if shown.startswith("before "):
        return "before"
    return {10: "day", 7: "month", 4: "year"}.get(len(shown), "day")


__all__ = ["Lead", "lead", "lead_times"]
