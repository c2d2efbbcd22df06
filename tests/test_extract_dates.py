"""kg.extract.dates: date phrases read back to the dates they write, with honest precision.

Property tests write dates in the formats the reader knows and check that they read back to
themselves; the sentences are invented for these tests.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kg.extract.dates import DateMention, find_dates, last_day, shift
from kg.extract.numbers import NUMBER_WORDS
from kg.extract.text import Sentence
from kg.records import DateValue

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
#: Abbreviations as the wires write them (May has none).
ABBREVIATIONS = {1: "Jan.", 2: "Feb.", 3: "Mar.", 4: "Apr.", 6: "Jun.", 7: "Jul.", 8: "Aug.",
                 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
#: The amounts of time the reader knows in words ("three weeks ago").
AMOUNTS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "fifteen", "twenty", "thirty"]

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
publications = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


def read(text: str, published: dt.date | str | None = None) -> list[DateMention]:
    pub = DateValue.parse(str(published)) if published is not None else None
    return find_dates(Sentence(0, len(text), text), pub)


def only(text: str, published: dt.date | str | None = None) -> DateMention:
    found = read(text, published)
    assert len(found) == 1, (text, found)
    return found[0]


def written(day: dt.date, style: str) -> str:
    month = MONTHS[day.month - 1]
    return {
        "mdy": f"{month} {day.day}, {day.year}",
        "mdy-ordinal": f"{month} {day.day}th {day.year}",
        "dmy": f"{day.day} {month} {day.year}",
        "dmy-of": f"the {day.day}th of {month}, {day.year}",
        "abbreviated": f"{ABBREVIATIONS.get(day.month, month)} {day.day}, {day.year}",
        "iso": day.isoformat(),
    }[style]


@given(day=days, style=st.sampled_from(["mdy", "mdy-ordinal", "dmy", "dmy-of", "abbreviated",
                                        "iso"]),
       published=st.none() | publications)
def test_a_day_written_out_reads_back_to_itself(day, style, published):
    phrase = written(day, style)
    text = f"The agency sent its warning on {phrase} to the embassy."
    found = only(text, published)
    assert found.value == DateValue(day.isoformat(), "day")
    assert text[found.start:found.end] == phrase.removeprefix("the ")
    assert not found.relative  # written in full: no publication date needed


@given(day=days, published=st.none() | publications)
def test_a_month_and_year_read_as_a_month(day, published):
    found = only(f"Officials were warned in {MONTHS[day.month - 1]} {day.year}.", published)
    assert found.value == DateValue(f"{day.year:04d}-{day.month:02d}", "month")


@given(year=st.integers(1900, 2099), published=st.none() | publications)
def test_a_year_reads_as_a_year(year, published):
    found = only(f"The plot was uncovered in {year} by the police.", published)
    assert found.value == DateValue(f"{year:04d}", "year")


@given(month=st.sampled_from(MONTHS),
       modifier=st.sampled_from(["in", "last", "this", "next", "early", "late", "since", "by"]),
       published=st.none() | publications)
def test_a_month_name_never_yields_a_day(month, modifier, published):
    found = only(f"The embassy was alerted {modifier} {month} about the cell.", published)
    assert found.relative
    if published is None:
        assert found.value is None  # nothing to resolve it against
    else:
        assert found.value is not None and found.value.precision == "month"
        assert found.value.value.endswith(f"-{MONTHS.index(month) + 1:02d}")


@given(published=publications, month=st.integers(1, 12), day=st.integers(1, 28))
def test_a_day_without_year_takes_the_year_nearest_the_publication(published, month, day):
    found = only(f"The warning came on {MONTHS[month - 1]} {day} from Ankara.", published)
    assert found.value is not None and found.value.precision == "day"
    resolved = dt.date.fromisoformat(found.value.value)
    assert (resolved.month, resolved.day) == (month, day)
    # news reports what has happened: at most a week ahead, and never a year or more back
    assert -366 < (resolved - published).days <= 7
    assert found.value.text == f"{MONTHS[month - 1]} {day}"


@given(published=publications, amount=st.sampled_from(AMOUNTS), digits=st.booleans(),
       unit=st.sampled_from(["day", "year"]))
def test_an_amount_of_time_ago_counts_back_from_the_publication(published, amount, digits, unit):
    count = NUMBER_WORDS[amount]
    plural = unit if count == 1 else unit + "s"
    text = f"Police said {count if digits else amount} {plural} ago they had been warned."
    found = only(text, published)
    assert found.relative
    if unit == "day":
        assert found.value == DateValue((published - dt.timedelta(days=count)).isoformat(),
                                        "day", found.value.text)
    else:
        assert found.value == DateValue(f"{published.year - count:04d}", "year",
                                        found.value.text)


@given(amount=st.sampled_from(AMOUNTS), unit=st.sampled_from(["days", "weeks", "months"]))
def test_an_amount_before_the_attack_is_an_anchor_to_it(amount, unit):
    found = only(f"The tip arrived {amount} {unit} before the attack on the hotel.")
    assert found.value is None
    days_back, exact, direction = found.anchor
    factor = {"days": 1, "weeks": 7, "months": 30}[unit]
    assert (days_back, exact, direction) == (NUMBER_WORDS[amount] * factor, unit == "days",
                                             "before")


@given(published=publications, weekday=st.sampled_from(WEEKDAYS))
def test_a_weekday_is_the_latest_such_day_up_to_the_publication(published, weekday):
    found = only(f"The minister spoke on {weekday} about the threat.", published)
    resolved = dt.date.fromisoformat(found.value.value)
    assert resolved.weekday() == WEEKDAYS.index(weekday)
    assert 0 <= (published - resolved).days <= 6


@given(text=st.sampled_from(["on Monday", "last year", "two weeks ago", "yesterday",
                             "in January", "March 7"]))
def test_relative_dates_stay_unresolved_without_a_publication_date(text):
    found = only(f"The service warned its partners {text}.")
    assert found.relative and found.value is None


def test_a_month_publication_does_not_resolve_a_weekday():
    assert only("They met on Tuesday.", "2024-03").value is None


@given(day=days)
def test_last_day_is_the_end_of_the_month_or_year(day):
    month = DateValue(f"{day.year:04d}-{day.month:02d}", "month")
    end = dt.date.fromisoformat(last_day(month))
    assert (end.year, end.month) == (day.year, day.month)
    assert (end + dt.timedelta(days=1)).day == 1
    assert last_day(DateValue(str(day.year), "year")) == f"{day.year}-12-31"
    assert last_day(DateValue(day.isoformat(), "day")) == day.isoformat()


@given(day=days, offset=st.integers(-400, 400))
def test_shift_moves_a_day_and_refuses_coarser_dates(day, offset):
    moved = shift(DateValue(day.isoformat(), "day"), offset)
    assert moved == DateValue((day + dt.timedelta(days=offset)).isoformat(), "day")
    assert shift(DateValue(f"{day.year:04d}-{day.month:02d}", "month"), offset) is None


def test_the_named_event_keeps_its_own_year():
    """"the Sept. 11 attacks" names an event: its year is not guessed from the article."""
    found = only("Officials recalled the Sept. 11 attacks in their testimony.", "2024-03-20")
    assert found.value is None and found.relative
