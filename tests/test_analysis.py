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


def test_conflicts_list_kirbys_two_roles_but_not_the_compatible_crocus_tolls(graph):
    conflicts = {(c["subject"], c["attribute"]): c for c in analysis.conflicts(graph)}
    kirby = conflicts[("john-kirby", "role organisation")]
    assert kirby["kind"] == "contradiction"
    posts = {v["value"]: v["sources"] for v in kirby["values"]}
    assert posts["US Department of Defense"] == [RFI]
    assert posts["Biden administration"] == [AP]
    assert ("crocus-city-hall-attack", "killed") not in conflicts


def test_default_conflicts_are_only_contradictions(graph):
    rows = analysis.conflicts(graph)
    assert {r["kind"] for r in rows} == {"contradiction"}
    assert all(r["reason"] for r in rows)
    keys = {(r["subject"], r["attribute"]) for r in rows}
    assert ("kerman-bombings", "killed") in keys
    assert ("russia-warns-us-tsarnaev", "is_duty_to_warn") in keys
    for refinement in [("crocus-city-hall-attack", "place"),
                       ("embassy-bombing-kenya-1998", "date"),
                       ("us-warns-russia-crocus", "warner"),
                       ("boston-marathon-bombing", "perpetrator"),
                       ("mike-pompeo", "role organisation")]:
        assert refinement not in keys


@pytest.mark.parametrize("subject,attribute,kind,words", [
    ("crocus-city-hall-attack", "killed", "refinement", "143 lies within more than 130"),
    ("embassy-bombing-kenya-1998", "date", "refinement", "1998-08-07 lies within 1998"),
    ("crocus-city-hall-attack", "place", "refinement", "Crocus City Hall lies in Moscow"),
    ("us-warns-russia-crocus", "warner", "refinement",
     "US Intelligence Community acts for United States"),
    ("russia-warns-us-tsarnaev", "warner", "refinement",
     "Federal Security Service (FSB) acts for Russia"),
    ("icd-191", "issuer", "refinement", "James Clapper is"),
    ("islamic-state-claims-kerman", "claimant", "refinement",
     "ISIS-K is affiliate of Islamic State"),
    ("boston-marathon-bombing", "perpetrator", "complement", "name them together"),
    ("russian-taliban-bounty-plot", "perpetrator", "complement",
     "daily-beast-2020-07 names them together"),
    ("mike-pompeo", "role organisation", "complement", "successive roles"),
    ("kerman-bombings", "killed", "contradiction", "94 and 95"),
])
def test_all_conflicts_say_their_kind_and_why(graph, subject, attribute, kind, words):
    rows = {(r["subject"], r["attribute"]): r for r in analysis.conflicts(graph, every=True)}
    row = rows[(subject, attribute)]
    assert row["kind"] == kind
    assert words in row["reason"]


def test_a_value_only_the_summary_states_is_derived_only_and_never_leads(graph):
    rows = {(r["subject"], r["attribute"]): r for r in analysis.conflicts(graph, every=True)}
    values = rows[("us-warns-venezuela-chavez-plot", "outcome")]["values"]
    assert [(v["value"], v["derived_only"]) for v in values] == [
        ("unknown", False), ("attack_happened", True)]
    row = _by(analysis.warnings(graph))["us-warns-venezuela-chavez-plot"]
    assert row["outcome"] == "unknown / attack_happened (derived only)"
    assert {"attribute": "outcome", "value": "attack_happened",
            "sources": [AP_SUMMARY]} in row["derived_only"]
    assert not row["contested"]


def test_a_summary_value_its_original_refines_is_not_derived_only(graph):
    rows = {(r["subject"], r["attribute"]): r for r in analysis.conflicts(graph, every=True)}
    kenya = {v["value"]: v for v in rows[("embassy-bombing-kenya-1998", "date")]["values"]}
    assert kenya["1998"]["sources"] == [AP_SUMMARY] and not kenya["1998"]["derived_only"]
    tip = {v["value"]: v for v in rows[("russia-warns-us-tsarnaev", "warner")]["values"]}
    assert not tip["Russia"]["derived_only"]


def test_source_counts_count_a_summary_with_its_original(graph):
    rows = {(r["a"], r["b"]): r for r in analysis.reciprocity(graph, "state")}
    crocus = next(w for w in rows[("Russia", "United States")]["warnings"]
                  if w["id"] == "us-warns-russia-crocus")
    assert AP_SUMMARY in crocus["sources"]
    assert crocus["independent_sources"] == [AP, OUTREACH, RFI]
    assert AP_SUMMARY not in rows[("Russia", "United States")]["independent_sources"]
    attack = _by(analysis.attacks(graph))["crocus-city-hall-attack"]
    assert AP_SUMMARY in attack["sources"] and AP_SUMMARY not in attack["independent_sources"]


def test_contested_says_which_warning_and_why(graph):
    rows = {(r["a"], r["b"]): r for r in analysis.reciprocity(graph, "state")}
    because = rows[("Russia", "United States")]["contested_because"]
    assert any(b.startswith("russia-warns-us-tsarnaev: is_duty_to_warn") for b in because)
    warning = _by(analysis.warnings(graph))["russia-warns-us-tsarnaev"]
    assert warning["contested"] and warning["contested_because"]
    crocus = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert not crocus["contested"] and crocus["contested_because"] == []


def test_before_dates_print_as_before_with_bounds(graph):
    row = _by(analysis.warnings(graph))["cia-warns-russia-st-petersburg"]
    assert row["date"] == "before 2020-07-08 (inferred)"  # the bound is the article's date
    assert row["earliest"] is None and row["latest"] == "2020-07-07"
    lead = _by(analysis.lead_times(graph), "warning")["cia-warns-russia-st-petersburg"]
    assert lead["warning_date"] == lead["attack_date"] == "before 2020-07-08 (inferred)"
    assert lead["lead_days"] is None and "before a day" in lead["note"]


def test_month_and_year_dates_keep_their_precision_and_bounds(graph):
    kerman = _by(analysis.warnings(graph))["us-warns-iran-kerman"]
    assert (kerman["date"], kerman["earliest"], kerman["latest"]) == (
        "2024-01 (inferred)", "2024-01-01", "2024-01-31")
    tip = _by(analysis.warnings(graph))["russia-warns-us-tsarnaev"]
    assert (tip["date"], tip["earliest"], tip["latest"]) == ("2011", "2011-01-01", "2011-12-31")


def test_a_lead_time_whose_bounds_straddle_zero_is_null_with_the_reason(graph):
    row = _by(analysis.lead_times(graph), "warning")["us-warns-venezuela-chavez-plot"]
    assert row["lead_days"] is row["lead_days_min"] is row["lead_days_max"] is None
    assert "straddle zero" in row["note"]
    assert row["outcome"].startswith("unknown")


def test_path_follows_an_agency_to_its_state(graph):
    steps = analysis.path(graph, "Langley", "Iran")
    assert steps[0] == {"from": "Central Intelligence Agency", "relation": "actsFor",
                        "to": "United States", "sources": ["reference"]}
    assert steps[-1]["to"] == "Iran"
    assert any(s["from"] == "us-warns-iran-kerman" for s in steps)


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
    dated = [r["earliest"] or r["latest"] for r in rows if r["date"]]
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


def test_a_year_taken_from_the_publication_month_is_marked_inferred(graph):
    crocus = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert crocus["date"] == "2024-03-07"  # RFI states the year; only AP infers it
    assert [(d["source"], d["date"]) for d in crocus["date_inferred"]] == [(AP, "2024-03-07")]
    assert "publication month" in crocus["date_inferred"][0]["inferred"]
    kerman = _by(analysis.warnings(graph))["us-warns-iran-kerman"]
    assert kerman["date"].endswith("(inferred)")
    rows = [r for r in analysis.timeline(graph) if r["id"] == "putin-dismisses-crocus-warning"]
    assert rows[0]["date"] == "2024-03-19 (inferred)" and rows[0]["inferred"]


@pytest.mark.parametrize("claim,absent", [
    ("aps-us-warns-russia-crocus", "timing"),       # the summary gives no time
    ("ap-russia-warns-us-tsarnaev", "perpetrators"),  # it named a suspect, not the bombers
])
def test_claims_state_only_what_their_quotes_say(built, claim, absent):
    record = next(c for c in built.corpus.claims if c.id == claim)
    assert absent not in (record.get("specificity") or ())


def test_reciprocity_shows_the_sources_own_verdict_beside_the_counts(graph):
    rows = {(r["a"], r["b"]): r for r in analysis.reciprocity(graph, "state")}
    us_russia = rows[("Russia", "United States")]
    assert us_russia["reciprocated"]  # by the count of warnings each way...
    said = {(v["source"], v["verdict"]) for v in us_russia["verdicts"]}
    assert said == {(DAILY_BEAST, "not_reciprocated"),  # ...but not in the sources' view
                    (OUTREACH, "rarely_reciprocated")}
    beast = next(v for v in us_russia["verdicts"] if v["source"] == DAILY_BEAST)
    assert "had pushed the agency into a counterterrorism relationship that was nowhere near " \
           "reciprocal" in beast["quotes"]
    assert rows[("Iran", "United States")]["verdicts"] == []
    actors = {(r["a"], r["b"]): r for r in analysis.reciprocity(graph, "actor")}
    assert [v["source"] for v in actors[("Central Intelligence Agency", "Russia")]["verdicts"]] \
        == [DAILY_BEAST]


def test_contested_because_names_the_disputing_source(graph):
    row = _by(analysis.warnings(graph))["russia-warns-us-tsarnaev"]
    assert any("no (disputed) [outreach-2024]" in b for b in row["contested_because"])


def test_a_warner_the_summary_does_not_name_is_listed_as_inferred(graph):
    row = _by(analysis.warnings(graph))["us-warns-venezuela-chavez-plot"]
    assert [(d["attribute"], d["source"]) for d in row["inferred"]] == [("warner", AP_SUMMARY)]
    assert row["warner"] == "United States"  # AP and RFI name the warner in their words
    crocus = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert crocus["inferred"] == []


def test_answers_list_the_grades_of_their_sources(graph):
    crocus = _by(analysis.warnings(graph))["us-warns-russia-crocus"]
    assert crocus["source_grades"][AP] == "B" and crocus["source_grades"][AP_SUMMARY] == "F"
    rows = [r for r in analysis.timeline(graph) if r["id"] == "cia-warns-russia-st-petersburg"]
    assert rows[0]["source_grades"] == {DAILY_BEAST: "C"}


def test_events_that_cannot_disagree_are_exactly_skipped(graph):
    """may_disagree is never false where some attribute has two values (conflicts skip it)."""
    from kg.stated import attribute_values, may_disagree

    events = [n for n, d in graph.nodes(data=True) if set(d["types"]) & set(analysis.EVENT_TYPES)]
    several = [e for e in events if any(len(v) > 1 for v in attribute_values(graph, e).values())]
    assert several and all(may_disagree(graph, e) for e in several)
    assert any(not may_disagree(graph, e) for e in events)


def test_path_prefers_warnings_and_is_the_same_in_any_node_order(graph):
    import networkx as nx

    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(sorted(graph.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(graph.edges(keys=True, data=True), reverse=True))
    for a, b in (("Langley", "Iran"), ("Putin", "Tamerlan Tsarnaev")):
        assert analysis.path(shuffled, a, b) == analysis.path(graph, a, b)
