"""kg.agreement: contradiction, refinement, complement as properties, and dates as intervals."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from kg.agreement import (
    Stated,
    count_bounds,
    derived_only,
    interval_within,
    judge,
    judge_roles,
)
from kg.records import QUALIFIERS, DateValue

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
FIGURES = st.tuples(st.integers(min_value=0, max_value=10_000), st.sampled_from(QUALIFIERS))


@st.composite
def date_values(draw: st.DrawFn) -> DateValue:
    day = draw(DAYS)
    precision = draw(st.sampled_from(("day", "month", "year", "before")))
    value = {"month": day.isoformat()[:7], "year": day.isoformat()[:4]}.get(
        precision, day.isoformat())
    return DateValue(value, precision)


def _figure(value: int, qualifier: str, source: str) -> Stated:
    return Stated(f"{qualifier} {value}", count_bounds(value, qualifier), (source,))


def _date(date: DateValue, source: str) -> Stated:
    return Stated(date.value, date.bounds(), (source,))


# -- Dates as intervals --------------------------------------------------------------------

@given(date_values())
def test_a_date_is_an_interval_whose_last_day_ends_its_month_or_year(date):
    first, last = date.bounds()
    if date.precision == "before":
        assert first is None and last == dt.date.fromisoformat(date.value) - dt.timedelta(1)
        return
    assert first is not None and last is not None and first <= last
    assert first.isoformat().startswith(date.value)
    assert last.isoformat().startswith(date.value)
    following = last + dt.timedelta(days=1)
    assert not following.isoformat().startswith(date.value)  # the next day is outside it


def test_short_months_end_on_their_last_day():
    assert DateValue("2023-04", "month").bounds()[1] == dt.date(2023, 4, 30)
    assert DateValue("2023-02", "month").bounds()[1] == dt.date(2023, 2, 28)
    assert DateValue("2024-02", "month").bounds()[1] == dt.date(2024, 2, 29)


@given(DAYS)
def test_a_day_lies_within_its_month_and_its_year(day):
    inner = DateValue(day.isoformat(), "day").bounds()
    month = DateValue(day.isoformat()[:7], "month").bounds()
    year = DateValue(day.isoformat()[:4], "year").bounds()
    assert interval_within(inner, month) and interval_within(month, year)


# -- judge ---------------------------------------------------------------------------------

@given(date_values(), date_values())
def test_judging_two_dates_does_not_depend_on_their_order(a, b):
    one, other = _date(a, "ap"), _date(b, "rfi")
    if one.key != other.key:
        assert judge("date", [one, other]).kind == judge("date", [other, one]).kind


@given(FIGURES, FIGURES)
def test_judging_two_figures_does_not_depend_on_their_order(a, b):
    one, other = _figure(*a, "ap"), _figure(*b, "rfi")
    if one.key != other.key:
        assert judge("killed", [one, other]).kind == judge("killed", [other, one]).kind


@given(FIGURES)
def test_a_figure_never_contradicts_itself(figure):
    same = [_figure(*figure, "ap"), _figure(*figure, "rfi")]
    assert judge("killed", same).kind != "contradiction"


@given(date_values())
def test_a_date_never_contradicts_itself(date):
    assert judge("date", [_date(date, "ap"), _date(date, "rfi")]).kind != "contradiction"


@given(DAYS, date_values())
def test_a_day_inside_another_date_refines_it_and_one_outside_contradicts_it(day, date):
    inner = _date(DateValue(day.isoformat(), "day"), "ap")
    outer = _date(date, "rfi")
    verdict = judge("date", [inner, outer])
    low, high = outer.key
    inside = (low is None or low <= day) and (high is None or day <= high)
    assert verdict.kind == ("refinement" if inside else "contradiction")
    if inside and inner.key != outer.key:
        assert f"{inner.shown} lies within {outer.shown}" in verdict.reason


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_two_exact_figures_contradict_exactly_when_they_differ(a, b):
    verdict = judge("killed", [_figure(a, "exact", "ap"), _figure(b, "exact", "rfi")])
    assert (verdict.kind == "contradiction") == (a != b)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=500))
def test_a_figure_above_more_than_refines_it(bound, extra):
    verdict = judge("killed", [_figure(bound + extra, "exact", "ap"),
                               _figure(bound, "more_than", "rfi")])
    assert verdict.kind == "refinement"


@given(st.sampled_from(("attack_happened", "foiled", "no_attack")),
       st.sampled_from(("attack_happened", "foiled", "no_attack")))
def test_controlled_values_contradict_unless_equal_and_unknown_leaves_room(a, b):
    verdict = judge("outcome", [Stated(a, a, ("ap",)), Stated(b, b, ("rfi",))])
    assert (verdict.kind == "contradiction") == (a != b)
    unknown = judge("outcome", [Stated(a, a, ("ap",)), Stated("unknown", "unknown", ("x",))])
    assert unknown.kind == "refinement"


def test_an_agency_refines_its_state_and_two_states_contradict():
    broader = {"e/fsb": {"e/russia": "FSB acts for Russia"}}.get
    fsb, russia, usa = (Stated(n, f"e/{n}", (s,)) for n, s in
                        (("fsb", "ap"), ("russia", "rfi"), ("usa", "bbc")))

    def up(node: str) -> dict[str, str]:
        return broader(node) or {}

    assert judge("warner", [fsb, russia], up).reason == "FSB acts for Russia"
    assert judge("warner", [russia, usa], up).kind == "contradiction"


def test_co_perpetrators_one_source_names_together_complement_each_other():
    a, b = Stated("A", "e/a", ("ap", "rfi")), Stated("B", "e/b", ("ap",))
    verdict = judge("perpetrator", [a, b])
    assert verdict.kind == "complement" and "ap names them together" in verdict.reason


def test_posts_at_dates_that_do_not_overlap_are_successive_roles():
    early = DateValue("2010", "year").bounds()
    late = DateValue("2020", "year").bounds()
    a, b = Stated("Navy", "e/navy", ("ap",)), Stated("NSC", "e/nsc", ("rfi",))
    assert judge_roles([(a, early), (b, late)], lambda _n: {}).kind == "complement"
    assert judge_roles([(a, early), (b, early)], lambda _n: {}).kind == "contradiction"
    assert judge_roles([(a, None), (b, late)], lambda _n: {}).kind == "contradiction"


# -- derived_only --------------------------------------------------------------------------

@given(FIGURES)
def test_a_copy_repeating_its_original_is_never_derived_only(figure):
    values = [Stated("x", count_bounds(*figure), ("ap", "summary"))]
    assert derived_only("killed", values, {"summary": "ap"}) == set()


def test_a_value_only_the_copy_states_is_derived_only():
    values = [_figure(94, "exact", "ap"), _figure(95, "exact", "summary")]
    assert derived_only("killed", values, {"summary": "ap"}) == {"exact 95"}


def test_count_bounds_of_an_open_qualifier_have_no_top():
    assert count_bounds(130, "more_than") == (131, math.inf)
    assert count_bounds(130, "at_least")[1] == math.inf
    assert count_bounds(130, "at_most") == (0, 130)
