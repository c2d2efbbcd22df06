"""Lead times: days from each warning to the attack or plot it concerned."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..project import nodes_of_type, targets
from ..schema import CONCERNS
from ..stated import Context, date_values
from ..vocab import local_id
from .common import _date_fields, _states_and_outcome, _usable


def lead_times(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Days from each warning to the attack or plot it concerned, where dates allow.

    ``lead_days`` is set only when both dates are known to the day (and every source
    pairing gives the same number); otherwise ``lead_days_min``/``max`` bound it when
    the precisions allow, and ``note`` says why it is not exact. Bounds that straddle
    zero (the warning may have come after the attack) are no lead time: all three are
    null and the note says so. Dates only copies state, their originals silent, are not
    used while an independent date exists.
    """
    context = Context.of(graph)
    rows = []
    for event in nodes_of_type(graph, "Warning"):
        concerned = targets(graph, event, CONCERNS)
        if concerned:
            row = _states_and_outcome(context, graph, event)
            w_values = _usable(context, date_values(graph, event))
        for target, _ in concerned:
            a_values = _usable(context, date_values(graph, target))
            w_dates = {v.shown: v.key for v in w_values}
            a_dates = {v.shown: v.key for v in a_values}
            exact, lows, highs, notes = set(), [], [], []
            for w0, w1 in w_dates.values():
                for a0, a1 in a_dates.values():
                    if w0 == w1 and a0 == a1 and w0 is not None and a0 is not None:
                        exact.add((a0 - w0).days)
                    lows.append((a0 - w1).days if a0 and w1 else None)
                    highs.append((a1 - w0).days if a1 and w0 else None)
            if not w_dates or not a_dates:
                notes.append("no source dates the " + ("warning" if not w_dates else "attack"))
            elif not exact:
                vague = sorted({_precision_of(k) for k in (*w_dates, *a_dates)} - {"day"})
                notes.append("a date is known only " + " or ".join(
                    "as before a day" if p == "before" else f"to the {p}" for p in vague))
            known_lows = [x for x in lows if x is not None]
            known_highs = [x for x in highs if x is not None]
            low = min(known_lows) if known_lows and None not in lows else None
            high = max(known_highs) if known_highs and None not in highs else None
            lead = exact.pop() if len(exact) == 1 else None
            if high is not None and high < 0:
                notes.append("the warning is dated after the attack")
                lead = low = high = None
            elif low is not None and high is not None and low < 0 < high:
                notes.append(f"the bounds ({low} to {high} days) straddle zero: the dates do "
                             "not say whether the warning came before the attack")
                lead = low = high = None
            attack = _date_fields(context, graph, target)
            # A date every source of it inferred in part (a year from the publication month).
            guessed = [(which, d) for which, values, found in (
                ("warning", w_values, row["date_inferred"]),
                ("attack", a_values, attack["date_inferred"]))
                for v in values if v.shown.endswith(" (inferred)")
                for d in found if d["source"] in v.sources]
            notes.extend(f"the {which}'s date {d['date']} [{d['source']}] is inferred: "
                         f"{d['inferred']}" for which, d in guessed)
            rows.append({
                "warning": local_id(event), "warner_state": row["warner_state"],
                "recipient_state": row["recipient_state"], "concerns": local_id(target),
                "warning_date": row["date"], "attack_date": attack["date"],
                "lead_days": lead, "lead_days_min": low, "lead_days_max": high,
                "outcome": row["outcome"],
                "note": "; ".join(notes) if notes else ("sources disagree" if len(exact) > 1
                                                        else ""),
                "lead_days_inferred": lead is not None and bool(guessed),
                "warning_earliest": row["earliest"], "warning_latest": row["latest"],
                "attack_earliest": attack["earliest"], "attack_latest": attack["latest"]})
    return rows


def _precision_of(shown: str) -> str:
    shown = shown.removesuffix(" (inferred)")
    if shown.startswith("before "):
        return "before"
    return {10: "day", 7: "month", 4: "year"}.get(len(shown), "day")
