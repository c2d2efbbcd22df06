"""Numbers written in words: the one table the extractor reads them by.

Casualty figures (:mod:`kg.extract.counts`: "twenty-five killed", "two hundred injured")
and amounts of time (:mod:`kg.extract.dates`: "three weeks ago", "fifteen days before")
both look their words up here. Dates read only the words amounts of time are written with
(one to twelve, fifteen, twenty, thirty: ``dates._AMOUNT_WORDS``), on purpose: reading
"sixteen days ago" too is a change of behaviour to measure on the devset first.

Example:
    >>> NUMBER_WORDS["twelve"], parse_number("twenty-five"), parse_number("a dozen")
    (12, 25, 12)
    >>> parse_number("1,500"), parse_number("two hundred"), parse_number("umpteen")
    (1500, 200, None)
"""

from __future__ import annotations

import re

#: Every number word with its value: the units up to nineteen, then the tens.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

#: Words that multiply what comes before them ("two hundred", "a dozen").
MULTIPLIERS: dict[str, int] = {"hundred": 100, "dozen": 12}


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regular expression matching any of ``words``, the longest tried first.

    Example:
        >>> alternation(["one", "a few", "ten"])
        'a\\\\ few|one|ten'
    """
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def parse_number(text: str) -> int | None:
    """A number written in digits or words ("130", "1,500", "twenty-five", "two hundred");
    None if a word is not a number's."""
    words = text.lower().replace(",", "").replace("-", " ").split()
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    total = 0
    for word in words:
        if word == "a":
            total = 1
        elif word in NUMBER_WORDS:
            total += NUMBER_WORDS[word]
        elif word in MULTIPLIERS:
            total = (total or 1) * MULTIPLIERS[word]
        else:
            return None
    return total
