"""Dates in a sentence, with honest precision, resolved against the publication date.

Absolute dates keep the precision the words give: "August 7, 1998" is a day,
"March 2024" a month, "in 2015" a year. Relative ones ("on Monday", "last year",
"in January", "two weeks ago") are worked out from the article's publication date
only when that date is precise enough, and carry their words in ``text``; otherwise
they stay unresolved (``value`` is None) rather than guessed. A month and day without
a year ("March 7") takes the year that puts it nearest the publication date.

"N days/weeks before the attack" is an *anchor*: the rules resolve it against the
date of the event it names.

Example:
    >>> from kg.records import DateValue
    >>> from kg.extract.text import Sentence
    >>> pub = DateValue.parse("2024-03-27")
    >>> s = Sentence(0, 60, "On March 7 the US warned; Kirby spoke on Monday, last year.")
    >>> [(d.text, d.value.value if d.value else None) for d in find_dates(s, pub)]
    [('March 7', '2024-03-07'), ('on Monday', '2024-03-25'), ('last year', '2023')]
    >>> [d.value for d in find_dates(s, None)][1:]
    [None, None]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..records import DateValue
from .numbers import NUMBER_WORDS, alternation
from .text import Sentence

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR = r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
_MONTH = rf"(?:{_FULL}|{_ABBR})"
_ORD = r"(?:st|nd|rd|th)?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The number words read in an amount of time ("three weeks ago", "fifteen days before").
_AMOUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", "fifteen", "twenty", "thirty")
#: Amounts of time in words: their number (None: a vague one, "a few days ago").
_NUMBERS: dict[str, int | None] = {
    "a": 1,
    "an": 1,
    **{w: NUMBER_WORDS[w] for w in _AMOUNT_WORDS},
    "several": None,
    "few": None,
    "a few": None,
    "a couple of": None,
    "some": None,
}
_NUM = rf"\d{{1,3}}|{alternation(list(_NUMBERS))}"

_PATTERNS = [
    ("iso", re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")),
    ("mdy", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}})\b")),
    ("my", re.compile(rf"\b({_MONTH})\s+(?:of\s+)?(\d{{4}})\b")),
    ("md", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}){_ORD}(?![\d,]*\d)\b")),
    ("dm", re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_FULL})\b")),
    (
        "anchor",
        re.compile(
            rf"(?i:\b(?:(?:almost|nearly|about|some|just|only|roughly)\s+)?"
            rf"({_NUM})\s+(days?|weeks?|months?)\s+"
            r"(before|after|ahead\s+of|prior\s+to|earlier\s+than)\b)"
        ),
    ),
    ("later", re.compile(rf"(?i:\b({_NUM})\s+(years?)\s+(later|earlier)\b)")),
    ("ago", re.compile(rf"(?i:\b({_NUM})\s+(days?|weeks?|months?|years?)\s+ago\b)")),
    (
        "rel",
        re.compile(
            r"(?i:\b(yesterday|today|tonight|last\s+night|this\s+morning|"
            r"(?:earlier|later)?\s*(?:last|this|next|past)\s+(?:year|month|week|spring|summer|"
            r"autumn|fall))\b)"
        ),
    ),
    (
        "month",
        re.compile(
            rf"(?i:\b(last|this|next|early|late|mid-?|earlier|in|on|since|by|"
            rf"until|during|of)\s+)(?:(?i:early|late|mid-?)\s*)?({_FULL})\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?i:(last|this|next|this\s+past|on|late|early))\s+)?"
            r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
            r"(?:['’]s)?\b"
        ),
    ),
    ("holiday", re.compile(r"\b(Christmas Day|Christmas Eve|New Year['’]s (?:Day|Eve))\b")),
    ("year", re.compile(r"(?<![\d,.$#/:£€])(1[89]\d{2}|20\d{2})(?!\d|,\d|s\b|\s*%)")),
]
_NAMES_EVENT = re.compile(r"(?i),?\s+(?:terror(?:ist)?\s+)?(?:attacks?|bombings?|massacre)\b")


#: The last month of each season (northern hemisphere, as the wires write).
_SEASONS = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11}

_HOLIDAYS = {
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
}


@dataclass(frozen=True)
class DateMention:
    """A date phrase: where it is, its words, its value (None if unresolved), and an anchor.

    ``anchor`` is set for "N days before/after ...": ``(days, exact, direction)``, where
    ``exact`` is False when the amount is vague or in weeks or months.
    """

    start: int
    end: int
    text: str
    value: DateValue | None
    relative: bool = False
    anchor: tuple[int, bool, str] | None = None


def find_dates(sentence: Sentence, published: DateValue | None) -> list[DateMention]:
    """Every date phrase in a sentence, in text order, without overlaps."""
    if published is not None and published.precision == "before":
        published = None
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence.text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            mention = _read(kind, match, sentence.start, published)
            if mention is not None:
                found.append(mention)
                taken.append(span)
    return sorted(found, key=lambda d: d.start)


def last_day(date: DateValue) -> str:
    """The last day a date can stand for: ``2024-03`` -> ``2024-03-31``, a day itself.

    Example:
        >>> last_day(DateValue("2024-02", "month")), last_day(DateValue("2023", "year"))
        ('2024-02-29', '2023-12-31')
    """
    if date.precision == "before":  # the day it names (what a draft's "before" repeats)
        return date.value
    last = date.bounds()[1]  # the one reading of a date as days (kg.records)
    assert last is not None
    return last.isoformat()


def shift(date: DateValue, days: int) -> DateValue | None:
    """A day-precision date moved by ``days``; None for coarser dates."""
    if date.precision != "day":
        return None
    return DateValue(
        (dt.date.fromisoformat(date.value) + dt.timedelta(days=days)).isoformat(), "day"
    )


def _read(kind: str, m: re.Match, base: int, pub: DateValue | None) -> DateMention | None:
    """The date mention a match of the pattern ``kind`` makes (None: not a date after all)."""
    text = m.group()
    start, end = base + m.start(), base + m.end()
    if kind in _ABSOLUTE:
        written = _ABSOLUTE[kind](m)
        if written is None:
            return None
        try:
            return DateMention(start, end, text, DateValue.parse(written))
        except ValueError:
            return None
    if kind == "md" or kind == "dm":
        return _month_day(kind, m, start, end, pub)
    if kind == "anchor":
        return _anchor(m, start, end)
    if kind == "later":
        return _years_later(m, start, end)
    value = _RELATIVE[kind](m, pub)
    if value is not None:
        value = DateValue(value.value, value.precision, _clean(text))
    return DateMention(start, end, text, value, relative=True)


def _month_year(m: re.Match) -> str | None:
    month = _month(m.group(1))
    return f"{int(m.group(2)):04d}-{month:02d}" if month else None


#: Patterns of dates written in full: their value's text, read from the match.
_ABSOLUTE: dict[str, Callable[[re.Match], str | None]] = {
    "iso": lambda m: m.group(),
    "mdy": lambda m: _ymd(m.group(3), _month(m.group(1)), m.group(2)),
    "dmy": lambda m: _ymd(m.group(3), _month(m.group(2)), m.group(1)),
    "my": _month_year,
    "year": lambda m: m.group(1),
}
#: Patterns of dates relative to the publication: their value, worked out from it.
_RELATIVE: dict[str, Callable[[re.Match, DateValue | None], DateValue | None]] = {
    "ago": lambda m, pub: _ago(m.group(1).lower(), m.group(2).lower(), pub),
    "rel": lambda m, pub: _relative_word(" ".join(m.group(1).lower().split()), pub),
    "month": lambda m, pub: _month_alone(m.group(1).lower(), _month(m.group(2)), pub),
    "holiday": lambda m, pub: _nearest_day(
        *_HOLIDAYS[m.group(1).replace("’", "'").lower()], pub),
    "weekday": lambda m, pub: _weekday((m.group(1) or "").lower(), m.group(2).lower(), pub),
}


def _month_day(kind: str, m: re.Match, start: int, end: int, pub: DateValue | None
               ) -> DateMention:
    """"March 7", "7 March": the year nearest the publication, unless it names an event."""
    month_text, day = (m.group(1), m.group(2)) if kind == "md" else (m.group(2), m.group(1))
    value = _nearest_day(_month(month_text), int(day), pub)
    if _NAMES_EVENT.match(m.string, m.end()) and not _within(value, pub, 21):
        # "the Sept. 11 attacks" names an event; its year is not this article's to guess
        # (but "the April 3 bombing" in an April story is this month's).
        return DateMention(start, end, m.group(), None, relative=True)
    if value is not None:
        value = DateValue(value.value, value.precision, _clean(m.group()))
    return DateMention(start, end, m.group(), value, relative=True)


def _anchor(m: re.Match, start: int, end: int) -> DateMention:
    """"two weeks before the attack": days counted from an event the rules resolve."""
    text = m.group()
    amount, unit, direction = m.group(1).lower(), m.group(2).lower(), m.group(3).lower()
    count = int(amount) if amount.isdigit() else _NUMBERS.get(amount)
    factor = {"d": 1, "w": 7, "m": 30}[unit[0]]
    days = (count or 2) * factor
    exact = (
        count is not None
        and factor == 1
        and not re.match(
            r"(?i)almost|nearly|about|"
            r"some|roughly",
            text,
        )
    )
    sign = "after" if direction == "after" else "before"
    return DateMention(start, end, text, None, True, (days, exact, sign))


def _years_later(m: re.Match, start: int, end: int) -> DateMention | None:
    """"three years later": years counted from a date told before (an anchor)."""
    amount = m.group(1).lower()
    count = int(amount) if amount.isdigit() else _NUMBERS.get(amount)
    if count is None:
        return None
    return DateMention(start, end, m.group(), None, True, (365 * count, False,
                                                           m.group(3).lower()))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next((i + 1 for i, full in enumerate(_MONTHS) if full.startswith(key)), 0)


def _ymd(year: str, month: int, day: str) -> str | None:
    if not month:
        return None
    return f"{int(year):04d}-{month:02d}-{int(day):02d}"


def _within(value: DateValue | None, pub: DateValue | None, days: int) -> bool:
    """Whether a resolved day lies within ``days`` of the publication day."""
    day = _pub_day(pub)
    if value is None or day is None or value.precision != "day":
        return False
    return abs((dt.date.fromisoformat(value.value) - day).days) <= days


def _pub_day(pub: DateValue | None) -> dt.date | None:
    return dt.date.fromisoformat(pub.value) if pub is not None and pub.precision == "day" else None


def _pub_month(pub: DateValue | None) -> tuple[int, int] | None:
    if pub is None or pub.precision not in ("day", "month"):
        return None
    year, month = pub.value.split("-")[:2]
    return int(year), int(month)


def _nearest_day(month: int, day: int, pub: DateValue | None) -> DateValue | None:
    """A month and day without a year: the year that puts it nearest the publication."""
    ym = _pub_month(pub)
    if ym is None or not month:
        return None
    anchor = _pub_day(pub) or dt.date(ym[0], ym[1], 15)
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    # News reports what has happened: the latest such day up to a week after publication.
    past = [d for d in options if (d - anchor).days <= 7]
    best = max(past) if past else min(options, key=lambda d: abs((d - anchor).days))
    return DateValue(best.isoformat(), "day")


def _month_alone(modifier: str, month: int, pub: DateValue | None) -> DateValue | None:
    ym = _pub_month(pub)
    if ym is None or not month:
        return None
    index = ym[0] * 12 + ym[1] - 1
    options = [(y * 12 + month - 1) for y in (ym[0] - 1, ym[0], ym[0] + 1)]
    if modifier == "last":
        chosen = max(o for o in options if o < index)
    elif modifier == "next":
        chosen = min(o for o in options if o > index)
    elif modifier == "this":
        chosen = ym[0] * 12 + month - 1
    else:
        # A month named alone is the latest one up to the publication's month.
        chosen = max(o for o in options if o <= index)
    return DateValue(f"{chosen // 12:04d}-{chosen % 12 + 1:02d}", "month")


def _weekday(modifier: str, name: str, pub: DateValue | None) -> DateValue | None:
    day = _pub_day(pub)
    if day is None:
        return None
    target = _WEEKDAYS.index(name)
    back = (day.weekday() - target) % 7
    if modifier == "next":
        delta = (target - day.weekday()) % 7 or 7
    elif modifier in ("last", "this past"):
        delta = -(back or 7)
    else:
        delta = -back
    return DateValue((day + dt.timedelta(days=delta)).isoformat(), "day")


def _relative_word(words: str, pub: DateValue | None) -> DateValue | None:
    day = _pub_day(pub)
    words = words.replace("earlier ", "").replace("later ", "").replace("past ", "last ")
    if words in ("today", "tonight", "this morning") and day:
        return DateValue(day.isoformat(), "day")
    if words in ("yesterday", "last night") and day:
        return DateValue((day - dt.timedelta(days=1)).isoformat(), "day")
    unit = words.split()[-1]
    which = words.split()[0]
    step = {"last": -1, "this": 0, "next": 1}.get(which)
    if step is None:
        return None
    return _moved(unit, which, step, pub)


def _moved(unit: str, which: str, step: int, pub: DateValue | None) -> DateValue | None:
    """"last year", "this month", "next week", "last summer": the publication's ``unit``
    moved by ``step``; None when the publication is not precise enough."""
    day, ym = _pub_day(pub), _pub_month(pub)
    if unit in _SEASONS and ym and which in ("last", "this"):
        # The latest such season over by the publication's month ("last summer", in March).
        ended = _SEASONS[unit]
        year = ym[0] if ym[1] > ended or which == "this" else ym[0] - 1
        return DateValue(f"{year:04d}", "year")
    if unit == "year" and pub is not None:
        return DateValue(f"{int(pub.value[:4]) + step:04d}", "year")
    if unit == "month" and ym:
        index = ym[0] * 12 + ym[1] - 1 + step
        return DateValue(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")
    if unit == "week" and day:
        monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=step)
        sunday = monday + dt.timedelta(days=6)
        if monday.month == sunday.month:
            return DateValue(f"{monday.year:04d}-{monday.month:02d}", "month")
    return None


def _ago(amount: str, unit: str, pub: DateValue | None) -> DateValue | None:
    count = int(amount) if amount.isdigit() else _NUMBERS.get(amount)
    if count is None or pub is None:
        return None
    day, ym = _pub_day(pub), _pub_month(pub)
    if unit.startswith("year"):
        return DateValue(f"{int(pub.value[:4]) - count:04d}", "year")
    if unit.startswith("month") and ym:
        index = ym[0] * 12 + ym[1] - 1 - count
        return DateValue(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")
    if unit.startswith("day") and day:
        return DateValue((day - dt.timedelta(days=count)).isoformat(), "day")
    if unit.startswith("week") and day:
        middle = day - dt.timedelta(weeks=count)
        low, high = middle - dt.timedelta(days=3), middle + dt.timedelta(days=3)
        if (low.year, low.month) == (high.year, high.month):
            return DateValue(f"{middle.year:04d}-{middle.month:02d}", "month")
    return None
