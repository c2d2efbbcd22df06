"""The questions of DESIGN.md answered on the real data: identities, not counts."""

from __future__ import annotations

import pytest

from kg import analysis
from kg.errors import UnknownNameError
from kg.project import project

from .iris import AP, AP_SUMMARY, DAILY_BEAST, OUTREACH, RFI


def _by(rows, key="id"):
    return {r[key]: r for r in rows}


def test_crocus_warning_names_its_sources_channels_and_dismissal(graph):
    row = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert row["warner_state"] == "United States"
    assert row["recipient_state"] == "Russia"
    assert row["date"] == "2024-03-07" and row["date_precision"] == "day"
    assert row["concerns"] == "crocus-city-hall-attack"
    assert row["outcome"] == "attack_happened"
    assert {"public", "private"} <= set(row["channel"])
    assert "dismissed (Vladimir Putin)" in row["response"]
    assert {AP, RFI, OUTREACH} <= set(row["sources"])
    assert not row["contested"]
    quotes = {(q["source"], q["quote"]) for q in row["quotes"]}
    assert (AP, "On March 7, the US government publicly issued a very precise warning: The US "
                "Embassy in Moscow was monitoring reports that 'extremists have imminent plans "
                "to target large gatherings in Moscow, including concerts.'") in quotes


def test_sources_disagree_on_who_warned_and_both_are_kept(graph):
    row = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert set(row["warner"].split(" / ")) == {"United States", "US Intelligence Community"}


def test_state_reciprocity_us_russia_is_reciprocated_and_contested(graph):
    rows = {(r["a"], r["b"]): r for r in analysis.reciprocity(graph, "state")}
    us_russia = rows[("Russia", "United States")]
    assert us_russia["reciprocated"] and us_russia["contested"]
    ids = {(w["id"], w["from"], w["to"]) for w in us_russia["warnings"]}
    assert ("russia-warns-us-tsarnaev", "Russia", "United States") in ids
    assert ("us-warns-russia-crocus", "United States", "Russia") in ids
    assert ("cia-warns-russia-st-petersburg", "United States", "Russia") in ids


@pytest.mark.parametrize("other", ["Iran", "Venezuela"])
def test_us_warnings_to_iran_and_venezuela_are_not_reciprocated(graph, other):
    rows = {frozenset((r["a"], r["b"])): r for r in analysis.reciprocity(graph, "state")}
    row = rows[frozenset(("United States", other))]
    assert not row["reciprocated"]
    assert all(w["from"] == "United States" for w in row["warnings"])


def test_actor_level_keeps_agencies_apart(graph):
    pairs = {frozenset((r["a"], r["b"])) for r in analysis.reciprocity(graph, "actor")}
    assert frozenset(("Central Intelligence Agency", "Russia")) in pairs
    assert frozenset(("Federal Security Service (FSB)", "United States")) in pairs


def test_rollup_projection_counts_the_fsb_tip_as_russia_to_us(dataset):
    rolled = project(dataset, rollup=True)
    tip = "https://w3id.org/duty-to-warn/id/event/russia-warns-us-tsarnaev"
    warners = {v for _, v, k in rolled.out_edges(tip, keys=True) if k == "warner"}
    assert warners == {"https://w3id.org/duty-to-warn/id/entity/russia"}


def test_moscow_lead_time_is_15_days(graph):
    row = _by(analysis.lead_times(graph), "warning")["us-warns-russia-crocus"]
    assert row["lead_days"] == 15
    assert row["attack_date"] == "2024-03-22"


def test_kerman_lead_time_is_unknown_and_says_why(graph):
    row = _by(analysis.lead_times(graph), "warning")["us-warns-iran-kerman"]
    assert row["lead_days"] is None
    assert "no source dates the attack" in row["note"]


def test_tsarnaev_lead_time_is_bounded_by_year_precision(graph):
    row = _by(analysis.lead_times(graph), "warning")["russia-warns-us-tsarnaev"]
    assert row["lead_days"] is None
    assert 365 < row["lead_days_min"] <= row["lead_days_max"] <= 3 * 366


def test_three_kerman_death_tolls_with_their_three_sources(graph):
    row = _by(analysis.attacks(graph))["kerman-bombings"]
    tolls = {(c["value"], c["qualifier"], c["source"]) for c in row["killed"]}
    assert tolls == {(94, "exact", RFI), (95, "exact", AP), (100, "more_than", OUTREACH)}
    assert row["killed_range"] == {"low": 94, "high": 100, "high_is_lower_bound": True}


def test_more_than_130_is_a_lower_bound_not_130(graph):
    row = _by(analysis.attacks(graph))["crocus-city-hall-attack"]
    figures = {(c["value"], c["qualifier"], c["source"]) for c in row["killed"]}
    assert (130, "more_than", AP) in figures
    assert (143, "exact", RFI) in figures
    assert "ISIS-K" in row["claimed_by"]


def test_outreach_disputes_that_the_2011_tip_was_a_duty_to_warn_warning(graph):
    row = _by(analysis.warnings(graph))["russia-warns-us-tsarnaev"]
    assert row["contested"]
    assert row["disputed_by"] == [OUTREACH]
    conflicts = {(c["subject"], c["attribute"]): c for c in analysis.conflicts(graph)}
    values = {v["value"]: v["sources"] for v in
              conflicts[("russia-warns-us-tsarnaev", "is_duty_to_warn")]["values"]}
    assert values["no (disputed)"] == [OUTREACH]
    assert AP in values["yes"]


def test_conflicts_list_kirbys_two_roles_and_the_crocus_tolls(graph):
    conflicts = {(c["subject"], c["attribute"]): c for c in analysis.conflicts(graph)}
    kirby = {v["value"]: v["sources"] for v in
             conflicts[("john-kirby", "role organisation")]["values"]}
    assert kirby["US Department of Defense"] == [RFI]
    assert kirby["Biden administration"] == [AP]
    tolls = {v["value"] for v in conflicts[("crocus-city-hall-attack", "killed")]["values"]}
    assert tolls == {"more than 130", "143"}


@pytest.mark.parametrize("name", ["Langley", "cia", "CENTRAL INTELLIGENCE AGENCY", "@CIA"])
def test_actor_found_by_any_alias(graph, name):
    profile = analysis.actor(graph, name)
    assert profile["id"] == "cia"
    assert "cia-warns-russia-st-petersburg" in profile["warnings_sent"]
    assert profile["state"] == "United States"


@pytest.mark.parametrize("spelling", ["Dhozkar", "Djokhar", "Dzhokhar Tsarnaev"])
def test_three_spellings_of_one_brother_resolve_to_one_person(graph, spelling):
    assert analysis.actor(graph, spelling)["id"] == "dzhokhar-tsarnaev"


def test_unknown_actor_suggests_nearest_names(graph):
    with pytest.raises(UnknownNameError) as caught:
        analysis.actor(graph, "Kremln")
    assert "Kremlin" in caught.value.suggestions


def test_path_connects_putin_to_the_tsarnaev_tip(graph):
    steps = analysis.path(graph, "Putin", "Tamerlan Tsarnaev")
    assert steps, "Putin and Tsarnaev should be connected"
    assert steps[-1]["to"] == "Tamerlan Tsarnaev" or steps[-1]["from"] == "Tamerlan Tsarnaev"
    assert all(step["sources"] for step in steps)


def test_timeline_is_in_date_order_and_keeps_each_sources_date(graph):
    rows = analysis.timeline(graph)
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated)
    kenya = {(r["date"], tuple(r["sources"])) for r in rows
             if r["id"] == "embassy-bombing-kenya-1998"}
    assert ("1998", (AP_SUMMARY,)) in kenya
    assert ("1998-08-07", (AP, RFI)) in kenya


def test_st_petersburg_warning_was_foiled_with_arrests_and_thanks(graph):
    row = _by(analysis.warnings(graph))["cia-warns-russia-st-petersburg"]
    assert row["outcome"] == "foiled"
    assert row["sources"] == [DAILY_BEAST]
    assert any(r.startswith("thanked") for r in row["response"])
    assert any(r.startswith("arrested_suspects") for r in row["response"])


def test_a_summary_does_not_corroborate_its_original(graph):
    row = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert AP_SUMMARY in row["sources"]
    assert AP_SUMMARY not in row["independent_sources"]
    assert AP in row["independent_sources"]
