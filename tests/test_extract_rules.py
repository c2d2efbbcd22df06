"""kg extract on the constructions real news uses, one sentence each (written for these tests).

Each test names a construction the extractor must read in general (a verb, a passive, a
pronoun, a counterpart, a denial...), not a sentence of any article: the sentences here are
invented. Assertions are about who warned whom, in which year, and what is left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extraction, extract
from kg.extract.writers import json_rows
from kg.records import DateValue
from kg.sources import read_entities

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def reference():
    return tuple(read_entities(DATA / "actors.yaml", "actors.yaml", []))


def rows(reference, text: str, published: str | None = "2019-06-20") -> dict[str, list[dict]]:
    date = DateValue.parse(published) if published else None
    found: Extraction = extract(text, reference, "t", date, infer_date=False)
    return json_rows(found, reference)


def pairs(reference, text: str, published: str | None = "2019-06-20") -> set[tuple]:
    """(warner state, recipient state or None, year or None) of every warning."""
    return {
        (
            w["warner_state"] or w["warner"],
            w["recipient_state"] or w["recipient"],
            (w["date"] or "")[:4] or None,
        )
        for w in rows(reference, text, published)["warnings"]
    }


def test_counterpart_named_by_its_state_adjective(reference):
    text = ("Canada's CSIS had alerted its Australian counterpart, ASIO, "
            "that a cell plotted bombings.")
    assert pairs(reference, text) == {("Canada", "Australia", "2019")}


def test_passive_with_the_warner_after_by(reference):
    text = "Dutch police were tipped off by Belgian intelligence about a plot to attack a stadium."
    assert pairs(reference, text) == {("Belgium", "Netherlands", "2019")}


def test_passive_with_an_unnamed_warner_proposes_it(reference):
    text = "Italian prosecutors had been tipped off about the group by allied security services."
    [warning] = rows(reference, "A bomb plot was uncovered in Rome. " + text)["warnings"]
    assert (warning["warner"], warning["warner_state"]) == ("allied security services", None)
    assert warning["recipient_state"] == "Italy"


def test_pronoun_subject_is_the_actor_of_the_sentence_before(reference):
    text = (
        "The Jordanian intelligence service tracked the cell for months. "
        "It warned the Iraqi government of a planned bombing in Baghdad."
    )
    assert pairs(reference, text) == {("Jordan", "Iraq", "2019")}


def test_reported_speech_and_no_recipient(reference):
    text = (
        "Diplomats believe that the CIA cautioned three days ago about a scheme to bomb a ferry."
    )
    assert pairs(reference, text) == {("United States", None, "2019")}


def test_a_tip_acted_on_elsewhere_goes_to_that_state(reference):
    text = "An Emirati tip allowed detectives to search a lorry in Riyadh, where a bomb was found."
    assert pairs(reference, text) == {("United Arab Emirates", "Saudi Arabia", "2019")}


def test_a_call_to_warn(reference):
    text = (
        "Kenyan President Uhuru Kenyatta rang his Ugandan counterpart a week ahead of the "
        "blasts, warning of a bomb threat."
    )
    assert {p[:2] for p in pairs(reference, text)} == {("Kenya", "Uganda")}


def test_as_did_adds_a_second_warner(reference):
    text = (
        "Officers in Tunisia contacted Malta about the bomb threat, "
        "as did Canada."
    )
    assert ("Canada", "Malta", "2019") in pairs(reference, text)


@pytest.mark.parametrize(
    "text",
    [
        "Lisbon got no warning from neighbouring governments about the gunmen.",
        "Al-Shabaab warned Kenya of more attacks against its troops.",
        "The US embassy in Nairobi warned of a possible attack on hotels.",
        "Norway stayed on high alert once Sweden shared intelligence on the bomb plot.",
        "The two services agreed to share intelligence about threats in future.",
    ],
    ids=["negated", "group-threat", "embassy-advisory", "state-of-alert", "agreement"],
)
def test_not_a_warning_between_states(reference, text):
    assert pairs(reference, text) == set()


def test_undated_warning_is_bounded_by_the_publication(reference):
    [warning] = rows(reference, "Ottawa had cautioned Oslo about a bomb threat.", "2024-04-02")[
        "warnings"
    ]
    assert (warning["date"], warning["date_precision"]) == ("2024-04-02", "before")


def test_a_story_looking_back_takes_the_year_it_gives(reference):
    text = (
        "Dutch intelligence alerted the FBI to a kidnap plot weeks before the bombings of 1998."
    )
    assert pairs(reference, text, "2004-04-17") == {("Netherlands", "United States", "1998")}


def test_a_year_early_in_january_is_not_guessed(reference):
    text = "Greece had alerted Cyprus to a bomb plot against a stadium."
    assert pairs(reference, text, "2017-01-02") == {("Greece", "Cyprus", None)}


def test_attack_told_by_a_verb(reference):
    [attack] = rows(reference, "Gunmen stormed a hotel in Mogadishu, killing 12 people.")["attacks"]
    assert attack["place"] == "Mogadishu"
    assert [k["value"] for k in attack["killed"]] == [12]


def test_town_from_geonames(reference):
    text = "A suicide bomber killed 20 people at a shrine in Sehwan on Thursday."
    found = extract(text, reference, "t", DateValue.parse("2017-02-17"), infer_date=False)
    [attack] = found.of_kind("attack")
    place = next(e for e in found.entities if e.id == attack.get("place"))
    assert (place.label, place.type, place.state) == ("Sehwan", "place", "pakistan")
    assert attack.get("date") == DateValue("2017-02-16", "day", "on Thursday")


def test_a_thwarted_attack_is_a_plot(reference):
    text = "Dutch police thwarting an attack on a church in Utrecht detained three men."
    found = extract(text, reference, "t", None, infer_date=False)
    assert found.of_kind("attack") == []
    [plot] = found.of_kind("plot")
    assert plot.get("status") == "foiled"


def test_one_attack_when_a_later_mention_has_no_place(reference):
    text = (
        "A bombing in Lyon killed 9 people on June 3. "
        "Most of those hurt in the bombing were students."
    )
    [attack] = rows(reference, text, "2018-06-10")["attacks"]
    assert (attack["place"], attack["date"]) == ("Lyon", "2018-06-03")


def test_two_years_later_moves_the_year_written_before(reference):
    text = (
        "In 2011, the FSB alerted the FBI about a man. "
        "Two years later, a bombing in Boston killed three people."
    )
    [attack] = rows(reference, text, "2019-12-17")["attacks"]
    assert (attack["place"], attack["date"]) == ("Boston", "2013")


def test_a_day_without_a_year_takes_the_latest_year_when_the_date_is_unknown(reference):
    text = (
        "Late in 2015 the police were told about a cell planning bombings. "
        "Six people died in the bombing in Lyon on April 9."
    )
    found = extract(text, reference, "t", None, infer_date=False)
    [attack] = found.of_kind("attack")
    assert (attack.get("date").value, attack.get("date").text) == ("2015-04-09", "April 9")
    assert "the latest year the article gives" in attack.get("date").inferred
    assert "latest year the article gives" in attack.note


def test_an_issued_alert_with_no_recipient(reference):
    text = "Pakistan's counter-terrorism authority had issued a general threat alert about attacks."
    assert pairs(reference, text) == {("Pakistan", None, "2019")}


@pytest.mark.parametrize(
    "text",
    [
        "The army's command issued a threat advisory to its units warning of a bombing plot.",
        "The US embassy in Ankara warned of an attack, urging American citizens to stay away.",
    ],
    ids=["own-units", "own-citizens"],
)
def test_a_warning_to_its_own_is_domestic(reference, text):
    assert pairs(reference, text) == set()


def test_its_agency_belongs_to_the_state_named_before(reference):
    text = (
        "Singapore's ministry said its Internal Security Department had passed the information "
        "about a rocket plot to Indonesia's Densus 88 unit."
    )
    [warning] = rows(reference, "JAKARTA - Police foiled a plot. " + text)["warnings"]
    assert (warning["warner"], warning["recipient_state"]) == (
        "Internal Security Department",
        "Indonesia",
    )


def test_two_towns_are_two_attacks(reference):
    text = (
        "The bombing of the cathedral in Jolo killed 20 people. It was the deadliest attack "
        "since the siege of Marawi in 2017."
    )
    places = {(a["place"], a["date"]) for a in rows(reference, text, "2019-01-30")["attacks"]}
    assert ("Marawi", "2017") in places
    assert all(date != "2017" for place, date in places if place == "Jolo")


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Afghanistan's NDS said it had passed on a warning to Pakistan about the militants.",
         ("Afghanistan", "Pakistan")),
        ("US officials say they shared the intelligence with Moscow under the duty to warn.",
         ("United States", "Russia")),
        ("Norway's police service said it had received information from a foreign partner "
         "service about the attacker.", ("foreign partner service", "Norway")),
        ("The Americans in turn alerted their British and Emirati counterparts about the bomb.",
         ("United States", "United Kingdom")),
    ],
    ids=["pronoun-passed-on", "duty-to-warn", "received-from", "adjectives-joined"],
)
def test_more_ways_of_telling_a_warning(reference, text, pair):
    assert pair in {p[:2] for p in pairs(reference, text)}


@pytest.mark.parametrize(
    "text",
    [
        "Iran warned the United States of a crushing response if it attacked again.",
        "Egypt received no warning from foreign intelligence services before the bombing.",
        "Last week, no foreign government had warned Turkey of a plan to hit the airport.",
    ],
    ids=["own-retaliation", "received-no-warning", "no-government"],
)
def test_threats_and_denials_are_not_warnings(reference, text):
    assert pairs(reference, text) == set()


def test_modifiers_between_a_state_and_its_agency(reference):
    text = "Washington in turn alerted British counter-terrorism police about the parcel bomb plot."
    assert ("United States", "United Kingdom") in {p[:2] for p in pairs(reference, text)}


def test_a_titled_official_with_lowercase_title_words_has_the_state(reference):
    text = (
        "Pakistan's national security adviser Nasser Khan Janjua shared the information "
        "with India's national security adviser Ajit Doval, warning of an attack."
    )
    found = extract(text, reference, "t", None, infer_date=False)
    states = {e.id: e.state for e in found.entities}
    assert states["nasser-khan-janjua"] == "pakistan"
