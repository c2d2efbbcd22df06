"""kg.analysis.leads: lead times from date intervals, on pairs of dates and a tiny projection."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import analysis
from kg.analysis.leads import lead
from kg.records import DateValue
from kg.schema import CONCERNS, DATE, DATE_PRECISION, FACTS, LABEL, SOURCES, TYPED_BY, TYPES

ID = "https://w3id.org/duty-to-warn/id/"


def _days(*values: str) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Dates as the question sees them: shown -> (first, last) day."""
    out = {}
    for value in values:
        before = value.startswith("before ")
        raw = value.removeprefix("before ")
        precision = "before" if before else {10: "day", 7: "month", 4: "year"}[len(raw)]
        out[value] = DateValue(raw, precision).bounds()
    return out


def test_two_days_give_an_exact_lead():
    found = lead(_days("2024-03-07"), _days("2024-03-22"))
    assert (found.days, found.low, found.high, found.notes) == (15, 15, 15, [])


def test_a_month_bounds_the_lead_and_says_why_it_is_not_exact():
    found = lead(_days("2024-01"), _days("2024-03-22"))
    assert found.days is None
    assert (found.low, found.high) == (51, 81)  # from 31 January and from 1 January
    assert found.notes == ["a date is known only to the month"]


def test_bounds_that_straddle_zero_are_no_lead_time():
    found = lead(_days("2024"), _days("2024-03-22"))
    assert (found.days, found.low, found.high) == (None, None, None)
    assert "straddle zero" in found.notes[-1]


def test_a_warning_after_the_attack_is_no_lead_time():
    found = lead(_days("2024-04-01"), _days("2024-03-22"))
    assert (found.days, found.low, found.high) == (None, None, None)
    assert found.notes == ["the warning is dated after the attack"]


def test_a_before_date_leaves_the_lead_unbounded_above():
    found = lead(_days("before 2024-03-01"), _days("2024-03-22"))
    assert (found.days, found.low, found.high) == (None, 22, None)
    assert found.notes == ["a date is known only as before a day"]


def test_sources_that_date_the_warning_differently_disagree():
    found = lead(_days("2024-03-07", "2024-03-08"), _days("2024-03-22"))
    assert found.days is None and found.disagreeing and (found.low, found.high) == (14, 15)


def test_an_undated_side_says_which():
    assert lead({}, _days("2024-03-22")).notes == ["no source dates the warning"]
    assert lead(_days("2024-03-22"), {}).notes == ["no source dates the attack"]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2050, 1, 1)),
       st.integers(min_value=0, max_value=3000))
def test_an_exact_lead_is_the_days_between_and_lies_within_the_bounds(warned, gap):
    attacked = warned + dt.timedelta(days=gap)
    found = lead(_days(warned.isoformat()), _days(attacked.isoformat()))
    assert found.days == found.low == found.high == gap
    coarse = lead(_days(warned.isoformat()[:7]), _days(attacked.isoformat()))
    if coarse.low is not None:
        assert coarse.low <= gap <= coarse.high


def _tiny(warning_date: tuple[str, str], attack_dates: list[tuple[str, str, str]]
          ) -> nx.MultiDiGraph:
    """A projection of one warning (source ``ap``) about one attack dated by each source."""
    g = nx.MultiDiGraph()
    warning, attack = ID + "event/w", ID + "event/a"
    value, precision = warning_date
    g.add_node(warning, **{LABEL: "w", TYPES: ["Warning"], TYPED_BY: {"Warning": ["ap"]},
                           FACTS: {DATE: [(value, "ap")], DATE_PRECISION: [(precision, "ap")]}})
    g.add_node(attack, **{LABEL: "a", TYPES: ["Attack"],
                          TYPED_BY: {"Attack": sorted({s for *_, s in attack_dates})},
                          FACTS: {DATE: [(v, s) for v, _, s in attack_dates],
                                  DATE_PRECISION: [(p, s) for _, p, s in attack_dates]}})
    g.add_edge(warning, attack, key=CONCERNS, **{SOURCES: ["ap"]})
    return g


def test_lead_times_on_a_tiny_projection_name_the_warning_and_the_attack():
    [row] = analysis.lead_times(_tiny(("2024-03-07", "Day"), [("2024-03-22", "Day", "ap")]))
    assert (row["warning"], row["concerns"], row["lead_days"]) == ("w", "a", 15)
    assert (row["warning_date"], row["attack_date"], row["note"]) == (
        "2024-03-07", "2024-03-22", "")


@pytest.mark.parametrize("dates,expected", [
    ([("2024-03-22", "Day", "ap"), ("2024-03-23", "Day", "rfi")],
     (None, 15, 16, "sources disagree")),
    ([("2024-03", "Month", "ap")],
     (None, None, None, "a date is known only to the month; the bounds (-6 to 24 days) "
      "straddle zero: the dates do not say whether the warning came before the attack")),
])
def test_lead_times_on_a_tiny_projection_say_why_they_are_not_exact(dates, expected):
    [row] = analysis.lead_times(_tiny(("2024-03-07", "Day"), dates))
    assert (row["lead_days"], row["lead_days_min"], row["lead_days_max"], row["note"]) == expected
