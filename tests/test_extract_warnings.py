"""The steps of reading a warning, each on its own: dating it (kg.extract.warn_dates), the
threat a sentence leaves unsaid (warn_rules.unstated_threat), one warning per pair and year
(kg.extract.warn_merge), responses (kg.extract.responses), and names (kg.extract.lexicon).

A small gazetteer of invented-for-the-test reference entities; the sentences are our own.
"""

from __future__ import annotations

import pytest

from kg.extract.dates import DateMention
from kg.extract.doc import Doc, read
from kg.extract.gazetteer import gazetteer
from kg.extract.lexicon import Lexicon
from kg.extract.responses import find_responses, response_in
from kg.extract.text import Sentence
from kg.extract.warn_dates import reported_date, split_by_date, warning_dates
from kg.extract.warn_merge import merge, restates
from kg.extract.warn_rules import WarningFound, find_warnings, unstated_threat
from kg.records import DateValue, Entity

REFERENCE = (
    Entity("france", "state", "France"),
    Entity("turkey", "state", "Turkey"),
    Entity("belgium", "state", "Belgium"),
    Entity("mit", "agency", "MIT", state="turkey"),
)


def doc(text: str, published: str | None = "2016-03-25") -> Doc:
    return read(text, Lexicon(gazetteer(REFERENCE)),
                DateValue.parse(published) if published else None)


def pairs(d: Doc) -> list[tuple[str, str, list[int]]]:
    return [(w.warner, w.recipient, w.sentences) for w in find_warnings(d)]


def token(d: Doc, word: str, sentence: int = 0) -> int:
    return next(i for i, t in enumerate(d.sentences[sentence].toks) if t.norm == word)


# warn_dates


def test_the_date_of_the_warnings_own_clause_comes_first():
    d = doc("Ahead of the 2015 bombing, Turkey warned Belgium in 2014.")
    p = d.sentences[0]
    assert [m.value.value for m in warning_dates(p, token(d, "warned"))] == ["2014"]


def test_a_date_of_saying_is_the_report_not_the_warning():
    d = doc("Last November, officials said Turkey had warned Belgium about the cell.")
    p, k = d.sentences[0], token(d, "warned")
    assert warning_dates(p, k) == []
    reported = reported_date(p, k)
    assert reported is not None and reported.value == DateValue("2015-11", "month",
                                                                "Last November")


def test_one_warning_per_date_named_in_a_row():
    d = doc("Turkey warned Belgium on June 3, 2014 and again on May 9, 2015 of a terror threat.")
    p, k = d.sentences[0], token(d, "warned")
    split = split_by_date(p, k, warning_dates(p, k))
    assert [[m.value.value for m in part] for part in split] == [["2014-06-03"], ["2015-05-09"]]
    assert [(w.warner, w.recipient) for w in find_warnings(d)] == [("turkey", "belgium")] * 2


# warn_rules.unstated_threat


@pytest.mark.parametrize(("text", "pattern", "context", "threat"), [
    ("Turkey passed the warning to Belgium.", "pass", 0.0, 0.85),   # the noun says it
    ("Turkey told Belgium about the man.", "verb", 1.0, 0.0),        # "told": not a warn verb
    ("Turkey warned Belgium about the man.", "verb", 1.0, 0.8),      # the plot came before
    ("Turkey warned Belgium about the man.", "verb", 0.0, 0.0),      # nothing says threat
])
def test_a_threat_the_sentence_leaves_unsaid(text, pattern, context, threat):
    d = doc(text)
    k = token(d, text.split()[1].lower())
    assert unstated_threat(d, d.sentences[0], k, ("turkey", "belgium", pattern),
                           context) == threat


# warn_merge


def found(sentence: int, warner: str, recipient: str, pattern: str = "verb",
          year: str | None = None) -> WarningFound:
    w = WarningFound(sentence, warner, recipient, pattern, (0, 1), 0.9)
    if year:
        w.dates = [_year_mention(year)]
    return w


def _year_mention(year: str) -> DateMention:
    return DateMention(0, 4, year, DateValue(year, "year"))


def test_a_restated_warning_adds_its_sentence_to_the_first():
    d = doc("Filler.")
    kept: list[WarningFound] = []
    merge(d, kept, found(0, "turkey", "belgium"))
    merge(d, kept, found(3, "mit", "belgium", "noun"))  # the agency stands for its state
    assert [(w.warner, w.sentences) for w in kept] == [("turkey", [0, 3])]


def test_other_years_or_other_pairs_are_other_warnings():
    d = doc("Filler.")
    first = found(0, "turkey", "belgium", year="2014")
    assert restates(d, first, found(2, "turkey", "belgium", year="2014"))
    assert not restates(d, first, found(2, "turkey", "belgium", year="2015"))
    assert not restates(d, first, found(2, "turkey", "france"))
    assert not restates(d, first, found(2, "france", "belgium"))


def test_a_more_explicit_restatement_names_the_roles():
    d = doc("Filler.")
    kept: list[WarningFound] = []
    merge(d, kept, found(0, "turkey", "belgium", "noun"))
    merge(d, kept, found(1, "mit", "belgium", "verb"))
    assert [(w.warner, w.pattern) for w in kept] == [("mit", "verb")]


def test_a_partial_mention_joins_the_warning_before_it_or_is_dropped():
    d = doc("Filler.")
    kept: list[WarningFound] = []
    merge(d, kept, found(0, "turkey", "", "partial"))
    assert kept == []  # nothing to add to
    merge(d, kept, found(1, "turkey", "belgium"))
    merge(d, kept, found(2, "turkey", "", "partial"))
    assert [(w.recipient, w.sentences) for w in kept] == [("belgium", [1, 2])]


def test_warnings_merged_across_an_article():
    d = doc("Turkey warned Belgium of an attack in 2015. Ankara's warning to Belgium was "
            "precise. Turkey also warned France of a plot.")
    assert pairs(d) == [("turkey", "belgium", [0, 1]), ("turkey", "france", [2])]


# responses


def test_thanks_are_a_response_anywhere_dismissal_only_about_the_warning():
    d = doc("Turkey warned Belgium of an attack. Belgium thanked Ankara. Weeks passed by. "
            "Belgium dismissed the report as rumour. Belgium dismissed the minister.")
    warnings = find_warnings(d)
    assert [(r.responder, r.response) for r in find_responses(d, warnings)] == [
        ("belgium", "thanked"), ("belgium", "dismissed")]
    last = d.sentences[4]
    assert response_in(d, last, warnings, about_warning=False) is None
    assert response_in(d, last, warnings, about_warning=True)[:2] == ("dismissed", "belgium")


def test_a_response_by_someone_of_another_state_is_not_the_recipients():
    d = doc("Turkey warned Belgium of an attack. France dismissed the warning.")
    assert find_responses(d, find_warnings(d)) == []


# lexicon


def mentions(text: str) -> list[tuple[str, str, str]]:
    lex = Lexicon(gazetteer(REFERENCE))
    s = Sentence(0, len(text), text)
    return [(text[m.start:m.end], m.entity, lex.known(m.entity).type)
            for m in lex.mentions(s)]


def test_a_state_and_an_agency_noun_is_a_proposed_agency():
    assert ("French intelligence", "france-intelligence-services", "agency") in mentions(
        "French intelligence passed it on.")


def test_a_state_and_its_officials_is_the_state():
    assert mentions("Belgian officials said nothing.")[0] == ("Belgian officials", "belgium",
                                                              "state")


def test_an_organisation_takes_the_state_named_before_it():
    lex = Lexicon(gazetteer(REFERENCE))
    text = "Turkey said its Crisis Coordination Agency was told."
    found = [m for m in lex.mentions(Sentence(0, len(text), text)) if m.form == "new"]
    assert [(lex.known(m.entity).label, lex.known(m.entity).state) for m in found] == [
        ("Crisis Coordination Agency", "turkey")]


def test_a_person_after_a_title_and_by_surname_later():
    lex = Lexicon(gazetteer(REFERENCE))
    first = "Turkish Ambassador Orhan Veli Kanik met them."
    found = [m for m in lex.mentions(Sentence(0, len(first), first)) if m.form == "new"]
    person = lex.known(found[0].entity)
    assert (person.label, person.type, person.state) == ("Orhan Veli Kanik", "person", "turkey")
    later = "Kanik said more."
    assert [m.entity for m in lex.mentions(Sentence(0, len(later), later))] == [person.id]


def test_a_building_needs_two_words():
    assert ("Grand Bazaar", "grand-bazaar", "place") in mentions(
        "The blast hit the Grand Bazaar at noon.")
    assert all(m[0] != "Bazaar" for m in mentions("The blast hit Bazaar at noon."))


def test_a_warning_noun_received_with_no_subject_goes_to_who_assessed_it():
    """The receiving verb names no subject here: who assessed the warning received it."""
    d = doc("Received late, the warning of a bomb plot from Turkey was assessed by Belgium.")
    assert [(w.warner, w.recipient, w.pattern) for w in find_warnings(d)] == [
        ("turkey", "belgium", "noun")]
