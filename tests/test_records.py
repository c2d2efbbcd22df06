"""kg.records: dates read from YAML, their intervals and instants, figures in words.

Properties over generated dates rather than the corpus: what a date allows as days
(``DateValue.bounds``) and as ``xsd:dateTime`` instants (``date_instants``, what the graph
stores) must be one reading, and a date must parse back to itself from what it states.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.records import (
    QUALIFIER_WORDS,
    DateValue,
    count_text,
    date_instants,
    date_label,
)

days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9998, 12, 31))


@st.composite
def date_values(draw: st.DrawFn) -> DateValue:
    day = draw(days)
    precision = draw(st.sampled_from(["day", "month", "year", "before"]))
    value = {"day": day.isoformat(), "before": day.isoformat(), "month": day.isoformat()[:7],
             "year": day.isoformat()[:4]}[precision]
    return DateValue(value, precision)


def _instant(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


@given(date_values())
def test_instants_and_days_are_one_reading(date):
    first, last = date.bounds()
    earliest, latest = date_instants(date)
    assert earliest == (None if first is None else _instant(first))
    assert last is not None
    after = "10000-01-01T00:00:00" if last == dt.date.max else _instant(
        last + dt.timedelta(days=1))
    assert latest == after  # latest is exclusive: the start of the day after the last


@given(date_values())
def test_a_date_allows_what_it_states_and_a_bound_never_its_own_day(date):
    first, last = date.bounds()
    if date.precision == "before":
        assert first is None and last == dt.date.fromisoformat(date.value) - dt.timedelta(1)
        assert date_label(date) == f"before {date.value}"
    else:
        assert first is not None and last is not None and first <= last
        assert first.isoformat().startswith(date.value) and last.isoformat().startswith(date.value)
        assert date_label(date) == date.value


@given(date_values())
def test_a_stated_date_parses_back_to_itself(date):
    raw = {"before": date.value} if date.precision == "before" else {
        "value": date.value, "precision": date.precision}
    assert DateValue.parse(raw) == date


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_a_month_ends_on_its_last_day(year, month):
    first, last = DateValue(f"{year:04d}-{month:02d}", "month").bounds()
    assert first == dt.date(year, month, 1)
    assert last is not None and (last + dt.timedelta(days=1)).day == 1
    assert last.month == month


@pytest.mark.parametrize("raw, reason", [
    ("2024-02-30", "day"), ({"value": "2024-03", "precision": "week"}, "precision"),
    ({"before": "2024-01-03", "when": "x"}, "unknown key 'when'"),
    # Read, these would crash or mislead the build: no day before the first, no end to 9999.
    ({"before": "0001-01-01"}, "allows no day"), ("9999-12-31", "year 9999"),
    ({"value": "9999", "precision": "year"}, "year 9999"),
])
def test_a_bad_date_says_why(raw, reason):
    with pytest.raises(ValueError, match=reason):
        DateValue.parse(raw)


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(sorted(QUALIFIER_WORDS)))
def test_a_figure_in_words_keeps_its_number_and_qualifier(value, qualifier):
    words = count_text(value, qualifier)
    assert words.endswith(str(value))
    assert words.removesuffix(str(value)) == QUALIFIER_WORDS[qualifier]
