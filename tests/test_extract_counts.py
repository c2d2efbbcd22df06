"""kg.extract.counts and kg.extract.numbers: casualty figures in words or digits read back.

The number words are written here by a small writer of our own, so the round trip checks the
reader against an independent spelling; the sentences are invented for these tests.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.counts import find_counts
from kg.extract.numbers import NUMBER_WORDS, alternation, parse_number
from kg.extract.text import Sentence

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int, hyphen: bool = True) -> str:
    """0 <= n < 1000 spelled out: "two hundred thirty-five" (no "and")."""
    hundreds, rest = divmod(n, 100)
    parts = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest or not hundreds:
        if rest < 20:
            parts.append(ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            parts.append(TENS[tens] + (("-" if hyphen else " ") + ONES[ones] if ones else ""))
    return " ".join(parts)


def counts(text: str) -> list[tuple[str, int, str]]:
    return [(c.what, c.count.value, c.count.qualifier)
            for c in find_counts(Sentence(0, len(text), text))]


@given(n=st.integers(0, 999), hyphen=st.booleans(), title=st.booleans())
def test_number_words_round_trip(n, hyphen, title):
    words = in_words(n, hyphen)
    assert parse_number(words.title() if title else words) == n


@given(n=st.integers(0, 10**9))
def test_figures_round_trip_with_or_without_thousands_commas(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


def test_the_table_agrees_with_the_writer():
    assert {w: NUMBER_WORDS[w] for w in ONES} == {w: i for i, w in enumerate(ONES)}
    assert {w: NUMBER_WORDS[w] for w in TENS if w} == {w: 10 * i for i, w in enumerate(TENS)
                                                      if w}
    assert parse_number("a dozen") == 12 and parse_number("a hundred") == 100


@given(word=st.text(alphabet="bcdgjklmpqvxz", min_size=1, max_size=8))
def test_a_word_that_is_no_number_gives_none(word):
    assert parse_number(word) is None
    assert parse_number(f"twenty {word}") is None


@given(words=st.lists(st.sampled_from(sorted(NUMBER_WORDS)), min_size=1, max_size=6,
                      unique=True))
def test_alternation_matches_each_word_whole(words):
    pattern = re.compile(rf"(?:{alternation(words)})\Z")
    for w in words:
        assert pattern.match(w)


@given(n=st.integers(1, 99))
def test_a_figure_in_words_is_a_count_of_the_killed(n):
    words = in_words(n)
    assert counts(f"The bombing killed {words} people in the market.") == [("killed", n, "exact")]
    assert counts(f"{words.capitalize()} people were wounded in the blast.") == [
        ("injured", n, "exact")]


@given(hundreds=st.integers(1, 9))
def test_hundreds_in_words(hundreds):
    text = f"The siege left {ONES[hundreds]} hundred people dead."
    assert counts(text) == [("killed", hundreds * 100, "exact")]


@given(n=st.integers(1, 5000).filter(lambda n: not 1800 <= n <= 2099), comma=st.booleans())
def test_a_figure_in_digits_is_a_count(n, comma):
    figure = f"{n:,}" if comma else str(n)
    assert counts(f"The attack claimed {figure} lives.") == [("killed", n, "exact")]


@pytest.mark.parametrize(("qualifier", "kind"), [
    ("more than", "more_than"), ("over", "more_than"), ("at least", "at_least"),
    ("no fewer than", "at_least"), ("about", "about"), ("an estimated", "about"),
    ("nearly", "at_most"), ("up to", "at_most"),
])
@given(n=st.integers(2, 99))
def test_a_qualified_figure_keeps_its_bound(qualifier, kind, n):
    text = f"The gunmen killed {qualifier} {in_words(n)} civilians."
    assert counts(text) == [("killed", n, kind)]


@given(year=st.integers(1800, 2099))
def test_a_year_is_not_a_count_unless_it_counts_people(year):
    assert counts(f"{year} soldiers were killed.") == []
    assert counts(f"{year} people were killed.") == [("killed", year, "exact")]


@pytest.mark.parametrize(("vague", "value"), [("dozens", 12), ("hundreds", 100),
                                              ("thousands", 1000)])
def test_a_vague_number_is_a_lower_bound(vague, value):
    assert counts(f"The explosion injured {vague} of people.") == [("injured", value,
                                                                     "more_than")]
    assert counts(f"The explosion injured about {vague} of people.") == []


def test_killed_and_injured_in_one_sentence_in_text_order():
    text = "The blast killed twenty-one people and injured at least 40 others."
    assert counts(text) == [("killed", 21, "exact"), ("injured", 40, "at_least")]
