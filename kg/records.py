"""Typed records: what the readers produce and the builder consumes.

These are plain frozen dataclasses with no rdflib in sight, so readers, the
extractor and tests can make them without touching RDF. Curated and
machine-extracted claims are the same :class:`Claim` type; only ``method`` and
``confidence`` tell them apart.

Example:
    >>> d = DateValue.parse("2024-03")
    >>> d.value, d.precision
    ('2024-03', 'month')
    >>> Count(130, "more_than").describe()
    'more than 130'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: How precisely a date is known. ``before`` means only an upper bound is known:
#: the event happened before ``value`` (exclusive).
PRECISIONS = ("day", "month", "year", "before")

#: How a count relates to the number a source gives ("more than 130" is a bound).
QUALIFIERS = ("exact", "more_than", "at_least", "about", "at_most")
#: How each qualifier reads before its number (``more than 130``).
QUALIFIER_WORDS = {"exact": "", "more_than": "more than ", "at_least": "at least ",
                   "about": "about ", "at_most": "at most "}

#: Claim kinds and, for each, the fields it may carry (``*`` marks required ones).
KINDS: dict[str, tuple[str, ...]] = {
    "warning": ("warner*", "recipient*", "date", "concerns", "subject", "channel",
                "specificity", "outcome", "policy", "description"),
    "attack": ("name", "date", "place", "perpetrators", "target", "killed", "injured",
               "description"),
    "plot": ("name", "date", "place", "perpetrators", "target", "status", "description"),
    "response": ("responder*", "responds_to*", "response*", "date", "description"),
    "claim_of_responsibility": ("claimant*", "concerns*", "date", "description"),
    "intelligence_sharing": ("sharer*", "recipient*", "date", "subject", "description"),
    "failure_to_warn": ("accused*", "victim*", "concerns", "date", "description"),
    "policy": ("name*", "issuer", "date", "waivers", "description"),
    "role": ("person*", "role*", "organisation", "date", "description"),
    "affiliation": ("member*", "organisation*", "relation*", "description"),
    "dispute": ("disputes*", "aspect*", "description"),
    "reciprocity_verdict": ("parties*", "reciprocity*", "exchange", "description"),
}

#: Closed vocabularies for enumerated fields.
ENUMS: dict[str, tuple[str, ...]] = {
    "channel": ("public", "private", "diplomatic"),
    "specificity": ("timing", "location", "perpetrators", "target"),
    "outcome": ("attack_happened", "foiled", "none_reported", "unknown"),
    "status": ("foiled", "carried_out", "unconfirmed", "unknown"),
    "response": ("dismissed", "thanked", "arrested_suspects", "investigated",
                 "failed_to_follow_up", "distrusted", "supported_claim", "unknown"),
    "relation": ("part_of", "affiliate_of", "branch_of", "member_of"),
    "aspect": ("is_duty_to_warn", "date", "details"),
    "reciprocity": ("reciprocated", "partly_reciprocated", "rarely_reciprocated",
                    "not_reciprocated"),
}

#: Fields whose values are reference-entity ids (actors or places).
ENTITY_FIELDS = ("warner", "recipient", "subject", "place", "perpetrators", "responder",
                 "claimant", "sharer", "accused", "victim", "issuer", "person",
                 "organisation", "member", "parties")

#: Fields whose values are event ids (declared by some claim's ``event``).
EVENT_FIELDS = ("concerns", "responds_to", "disputes", "policy")

#: Fields that hold a list even when the YAML gives one value.
LIST_FIELDS = ("channel", "specificity", "perpetrators", "killed", "injured", "waivers",
               "parties")

ENTITY_TYPES = ("state", "agency", "group", "person", "place")

METHODS = ("curated", "extracted")

#: The Admiralty code: a source's reliability, A (completely reliable) to F (cannot be
#: judged), and a claim's credibility, 1 (confirmed by other sources) to 6 (cannot be judged).
RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
               4: "doubtful", 5: "improbable", 6: "truth cannot be judged"}


#: ASCII digits only: ``\\d`` would also match Arabic-Indic or full-width digits.
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_DATE_KEYS = {
    "value": ("value", "precision", "text", "inferred"),
    "before": ("before", "text", "inferred"),
}


@dataclass(frozen=True)
class Location:
    """Where a record came from, for error messages (``file:line``)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class DateValue:
    """A date with its precision: ``2024-03-07`` (day), ``2024-03``, ``2024``, or before a day.

    Example:
        >>> DateValue.parse({"before": "2024-01-03"})
        DateValue(value='2024-01-03', precision='before', text=None, inferred=None)
    """

    value: str
    precision: str
    text: str | None = None
    inferred: str | None = None

    @classmethod
    def parse(cls, raw: Any) -> DateValue:
        """Read a date from YAML; raise ``ValueError`` with a readable reason.

        ``inferred`` says what of the date comes from outside the quotes, and from where
        (``the year, from the source's publication month``).
        """
        text = inferred = None
        if isinstance(raw, dict):
            form = "before" if "before" in raw else "value"
            unknown = [k for k in raw if k not in _DATE_KEYS[form]]
            if unknown:
                raise ValueError(f"unknown key {unknown[0]!r} in a date; a date is "
                                 "2024-03-07, {value: ..., precision: ..., text: ...} or "
                                 "{before: ..., text: ...}")
            text = raw.get("text")
            if text is not None and (not isinstance(text, str) or not text.strip()):
                raise ValueError(f"a date's 'text' must be the source's words, not {text!r}")
            inferred = raw.get("inferred")
            if inferred is not None and (not isinstance(inferred, str) or not inferred.strip()):
                raise ValueError("a date's 'inferred' must say, in words, what was inferred "
                                 "and from where")
            if "before" in raw:
                value = _iso(raw["before"])
                _check_date(value, "day")
                if value == "0001-01-01":
                    raise ValueError("'before 0001-01-01' allows no day at all; check the date")
                return cls(value, "before", text, inferred)
            if "value" not in raw:
                raise ValueError("a date needs 'value' (or 'before')")
            value = _iso(raw["value"])
            precision = raw.get("precision")
            precision = _precision_of(value) if precision is None else precision
        else:
            value = _iso(raw)
            precision = _precision_of(value)
        if precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {precision!r}; use one of {PRECISIONS}")
        _check_date(value, "day" if precision == "before" else precision)
        return cls(value, precision, text, inferred)

    def bounds(self) -> tuple[_dt.date | None, _dt.date | None]:
        """The first and last day the date allows (None where unbounded).

        The one reading of a date as an interval: comparisons, lead times, the
        explorer's date filter and ``--as-of`` all use it.

        Example:
            >>> DateValue("2024-02", "month").bounds()
            (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
            >>> DateValue("2023-04", "month").bounds()[1], DateValue("2011", "year").bounds()[1]
            (datetime.date(2023, 4, 30), datetime.date(2011, 12, 31))
            >>> DateValue("2020-07-08", "before").bounds()
            (None, datetime.date(2020, 7, 7))
        """
        if self.precision == "before":
            return None, _dt.date.fromisoformat(self.value) - _dt.timedelta(days=1)
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        first = _dt.date(parts[0], parts[1], parts[2])
        if self.precision == "day":
            return first, first
        if self.precision == "month":
            return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first, _dt.date(first.year, 12, 31)


@dataclass(frozen=True)
class Count:
    """A casualty figure as a source states it: a number and how it bounds the truth."""

    value: int
    qualifier: str = "exact"
    text: str | None = None

    def describe(self) -> str:
        """Human wording, e.g. ``more than 130``."""
        return count_text(self.value, self.qualifier)


@dataclass(frozen=True)
class Quote:
    """Verbatim words of a source; offsets are filled in by the quote check."""

    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Original:
    """An article a stored source derives from that is not stored itself, as far as known.

    The French article a stored translation was made from, the story a blog reposts: its
    own id (an IRI ``.../id/article/<id>``), outlet, author, date, address and language.
    """

    id: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: DateValue | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Source:
    """A stored article and what its text says about itself.

    A copy (``relation``: summary, translation or repost) names its original: a stored
    source (``derived_from``) or an article that is not stored (``original``).
    """

    id: str
    file: str
    sha256: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: DateValue | None = None
    url: str | None = None
    language: str | None = None
    translated_from: str | None = None
    derived_from: str | None = None
    relation: str | None = None
    notes: str | None = None
    where: Location = field(default=Location(""), compare=False)
    reliability: str | None = None
    reliability_reason: str | None = None
    original: Original | None = None
    #: Characters (code points) of the stored text, once read: quote offsets end within it.
    length: int | None = None


@dataclass(frozen=True)
class Entity:
    """A reference entity: an actor (state, agency, group, person) or a place."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    state: str | None = None
    wikidata: str | None = None
    description: str | None = None
    where: Location = field(default=Location(""), compare=False)
    within: str | None = None


@dataclass(frozen=True)
class Claim:
    """One source's statement about one event or relation, with the words that support it.

    ``event`` names the real-world event the claim is about; claims from different
    sources about the same event share it, while their values stay separate.
    ``fields`` holds the kind's fields as sorted ``(name, value)`` pairs, where a
    value is a str, a DateValue, or a tuple of str / Count.
    """

    id: str
    kind: str
    source: str
    event: str
    fields: tuple[tuple[str, Any], ...]
    quotes: tuple[Quote, ...]
    method: str = "curated"
    confidence: float | None = None
    note: str | None = None
    where: Location = field(default=Location(""), compare=False)
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    credibility: int | None = None
    #: ``(field, why)``: fields whose value comes from outside the quotes, and from where.
    inferred: tuple[tuple[str, str], ...] = ()

    def line_of(self, name: str) -> int:
        """Line of field ``name`` (or ``quote:N``) in its file; the claim's line if unknown."""
        return dict(self.field_lines).get(name, self.where.line)

    def get(self, name: str, default: Any = None) -> Any:
        """The value of field ``name``, or ``default``."""
        for key, value in self.fields:
            if key == name:
                return value
        return default


@dataclass(frozen=True)
class Corpus:
    """Everything the build needs, read from a data directory."""

    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    claims: tuple[Claim, ...]
    texts: dict[str, str] = field(default_factory=dict, compare=False)


def _iso(raw: Any) -> str:
    if isinstance(raw, bool):  # YAML reads yes/no/on/off as booleans
        raise ValueError(f"a date must look like 2024-03-07, 2024-03 or 2024, not "
                         f"{str(raw).lower()} (YAML reads yes/no/on/off as true or false)")
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    if isinstance(raw, int) and 0 < raw <= 9999:
        return f"{raw:04d}"
    if isinstance(raw, str):
        return raw.strip()
    shown = repr(raw) if len(repr(raw)) < 40 else repr(raw)[:37] + "..."
    raise ValueError(f"a date must look like 2024-03-07, 2024-03 or 2024, not {shown}")


def _precision_of(value: str) -> str:
    match = _DATE_RE.match(value)
    if not match:
        shown = repr(value) if len(value) < 40 else repr(value[:37]) + "..."
        raise ValueError(f"a date must look like 2024-03-07, 2024-03 or 2024 (ASCII digits), "
                         f"not {shown}")
    return "day" if match.group(3) else "month" if match.group(2) else "year"


def _check_date(value: str, precision: str) -> None:
    match = _DATE_RE.match(value)
    if not match or _precision_of(value) != precision:
        raise ValueError(f"date {value!r} does not match precision {precision!r}")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        _dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"impossible date {value!r}: {exc}") from None
    if year == 9999:  # its span would end in year 10000, past what the graph's bounds hold
        raise ValueError(f"date {value!r}: year 9999 is out of range (a typo for the year?)")


def count_text(value: int | None, qualifier: str) -> str:
    """A figure as words: ``more than 130`` (an unknown qualifier reads as exact).

    Example:
        >>> count_text(130, "more_than"), count_text(94, "exact")
        ('more than 130', '94')
    """
    return f"{QUALIFIER_WORDS.get(qualifier, '')}{value}"


def claims_by_kind(claims: Iterable[Claim]) -> dict[str, int]:
    """How many claims of each kind, in the order the kinds first come.

    Example:
        >>> claims_by_kind(Claim(f"c{i}", kind, "ap", f"e{i}", (), ()) for i, kind in
        ...                enumerate(["warning", "attack", "warning"]))
        {'warning': 2, 'attack': 1}
    """
    return dict(Counter(claim.kind for claim in claims))


def date_instants(date: DateValue) -> tuple[str | None, str]:
    """The instants a date allows, as ``xsd:dateTime`` lexical forms: ``(earliest, latest)``.

    ``earliest`` is the first instant of the date (None for a ``before`` date: only the end
    is known); ``latest`` is the instant it ends, the start of the next day, month or year
    (for ``before``, the start of the day before which it happened). So a date is the span
    ``earliest <= t < latest``. No time zone: a source's day is a day where it happened,
    which the records do not say (and every store writes such a value back as given).

    Example:
        >>> date_instants(DateValue("1998-08-07", "day"))
        ('1998-08-07T00:00:00', '1998-08-08T00:00:00')
        >>> date_instants(DateValue("2024-12", "month"))
        ('2024-12-01T00:00:00', '2025-01-01T00:00:00')
        >>> date_instants(DateValue("2020-07-08", "before"))
        (None, '2020-07-08T00:00:00')
    """
    first, last = date.bounds()  # the one reading of a date as days (kg.records)
    assert last is not None  # every date the records hold has an end
    return (None if first is None else _instant(first)), _instant_after(last)


def _instant(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}T00:00:00"


def _instant_after(day: _dt.date) -> str:
    if day == _dt.date.max:  # year 9999's end: past what datetime.date holds
        return "10000-01-01T00:00:00"
    return _instant(day + _dt.timedelta(days=1))


def date_label(date: DateValue) -> str:
    """The date as its record states it, for people: ``1998-08``, ``before 2020-07-08``.

    Example:
        >>> date_label(DateValue("2020-07-08", "before"))
        'before 2020-07-08'
    """
    return f"before {date.value}" if date.precision == "before" else date.value
