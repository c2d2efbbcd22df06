"""Casualty figures in a sentence: killed and injured, with their qualifiers.

"more than 130" is a bound (``more_than``), "at least 95" another (``at_least``),
"nearly 100" an upper bound (``at_most``), "about 40" approximate, and "hundreds"
is more than 100. A figure is read only next to words that say what it counts
(killed, dead, lives, injured...), so years and other numbers are left alone.

Example:
    >>> from kg.extract.text import Sentence
    >>> s = Sentence(0, 70, "The blast killed more than 130 people and injured hundreds of others.")
    >>> [(c.what, c.count.value, c.count.qualifier) for c in find_counts(s)]
    [('killed', 130, 'more_than'), ('injured', 100, 'more_than')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Count
from .numbers import NUMBER_WORDS, alternation, parse_number
from .text import Sentence

_VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}
_QUALIFIERS = {
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "close to": "about",
    "nearly": "at_most",
    "almost": "at_most",
    "up to": "at_most",
    "as many as": "at_most",
    "fewer than": "at_most",
    "less than": "at_most",
    "at most": "at_most",
}

_WORD = alternation(list(NUMBER_WORDS))
_NUMBER = (
    rf"\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_WORD})(?:[-\s](?:{_WORD}))?(?:\s+hundred)?"
    rf"|a\s+hundred|a\s+dozen|dozens|scores|hundreds|thousands"
)
_QUAL = "|".join(sorted(_QUALIFIERS, key=len, reverse=True)).replace(" ", r"\s+")
_NUMQ = rf"(?i:(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUMBER}))"
_WHO_REQ = (
    r"(?:\s+(?:of\s+)?(?:[A-Za-z'-]+\s+)?(?:people|persons|civilians|individuals|worshippers|"
    r"worshipers|concertgoers|spectators|tourists|children|students|soldiers|troops|officers|"
    r"policemen|passengers|pilgrims|mourners|others|victims|residents|visitors|attendees|"
    r"guests|members|fighters|[A-Z][a-z]+(?:ans|is|ese|ians)))"
)
_WHO = rf"{_WHO_REQ}?"
_BE = (
    r"(?:\s+(?:were|was|have\s+been|had\s+been|are|being|reportedly|reported|confirmed|"
    r"later|found))*"
)

_PATTERNS = [
    ("killed", re.compile(rf"(?i:\b(?:killed|killing|kills|murdered|massacred)\s+){_NUMQ}{_WHO}")),
    ("killed", re.compile(rf"(?i:\b(?:left|leaving)\s+){_NUMQ}{_WHO}(?i:\s+dead)\b")),
    (
        "killed",
        re.compile(
            rf"(?i:\b(?:claimed|cost|took)\s+(?:the\s+lives\s+of\s+)?){_NUMQ}"
            rf"(?:(?i:\s+lives)|{_WHO_REQ})"
        ),
    ),
    (
        "killed",
        re.compile(rf"(?i:\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:of|at|to|is|was)\s+){_NUMQ}"),
    ),
    (
        "injured",
        re.compile(
            rf"(?i:\b(?:injuring|wounding|injured|wounded|injures|wounds)\s+)"
            rf"{_NUMQ}{_WHO}"
        ),
    ),
    (
        "killed",
        re.compile(
            rf"{_NUMQ}{_WHO}{_BE}(?i:\s+(?:killed|dead|died|deaths|fatalities|"
            rf"murdered|slain|lost\s+their\s+lives))\b"
        ),
    ),
    ("injured", re.compile(rf"{_NUMQ}{_WHO}{_BE}(?i:\s+(?:injured|wounded|hurt|injuries))\b")),
]


@dataclass(frozen=True)
class CountMention:
    """A casualty figure: offsets of its phrase, what it counts, and the count."""

    start: int
    end: int
    what: str
    count: Count


def find_counts(sentence: Sentence) -> list[CountMention]:
    """Every killed/injured figure in a sentence, in text order, without overlaps."""
    found: list[CountMention] = []
    numbers: list[tuple[int, int]] = []
    for what, pattern in _PATTERNS:
        for match in pattern.finditer(sentence.text):
            span = match.span("n")
            if any(s < span[1] and span[0] < e for s, e in numbers):
                continue
            count = _count(match.group("n"), match.group("q"), match.group())
            if count is None:
                continue
            numbers.append(span)
            found.append(
                CountMention(
                    sentence.start + match.start(), sentence.start + match.end(), what, count
                )
            )
    return sorted(found, key=lambda c: c.start)


def _count(number: str, qualifier: str | None, phrase: str) -> Count | None:
    word = number.lower()
    if word in _VAGUE:
        if qualifier:
            return None
        return Count(_VAGUE[word], "more_than", " ".join(phrase.split()))
    value = parse_number(number)
    if value is None:
        return None
    if re.fullmatch(r"(1[89]|20)\d\d", number) and not re.search(r"(?i)people|persons", phrase):
        return None
    kind = _QUALIFIERS[" ".join(qualifier.lower().split())] if qualifier else "exact"
    return Count(value, kind, " ".join(phrase.split()))
