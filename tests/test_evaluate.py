"""kg eval: extraction scored against the curated claims of the same sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.evaluate import SCORE_FIELDS, compare, evaluate_dir, f1, state_map
from kg.records import Claim, Count, DateValue, Entity, Quote

DATA = Path(__file__).resolve().parent.parent / "data"
ENTITIES = (
    Entity("russia", "state", "Russia"),
    Entity("fsb", "agency", "FSB", state="russia"),
    Entity("united-states", "state", "US"),
    Entity("moscow", "place", "Moscow", state="russia"),
)
STATES = state_map(ENTITIES)


def claim(ident: str, kind: str, **fields) -> Claim:
    return Claim(ident, kind, "s", ident, tuple(sorted(fields.items())), (Quote("q"),))


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_dir(DATA)


def test_scores_per_source_and_overall(evaluation):
    kinds = {(row["source"], row["kind"]) for row in evaluation.scores}
    assert {("overall", "warning"), ("overall", "attack"), ("ap-2024-03", "warning")} <= kinds
    for row in evaluation.scores:
        for name in ("precision", "recall", "f1", "relaxed_f1"):
            assert row[name] is None or 0.0 <= row[name] <= 1.0
        assert row["matched"] <= min(row["gold"], row["extracted"])


def test_known_items_are_matched(evaluation):
    matched = {(d["source"], d["claim"]) for d in evaluation.details if d["status"] == "matched"}
    assert ("ap-2024-03", "ap-us-warns-russia-crocus") in matched
    assert ("rfi-2024-03", "rfi-russia-warns-us-tsarnaev") in matched
    assert ("ap-2024-03", "ap-embassy-bombing-kenya-1998") in matched


def test_agencies_roll_up_to_states():
    gold = [
        claim(
            "g", "warning", warner="fsb", recipient="united-states", date=DateValue("2011", "year")
        )
    ]
    found = [
        claim(
            "x",
            "warning",
            warner="russia",
            recipient="united-states",
            date=DateValue("2011-03", "month"),
        )
    ]
    row, details = compare(gold, found, STATES, "s", "warning")
    assert (row["matched"], row["f1"]) == (1, 1.0)
    assert [d["status"] for d in details] == ["matched"]


def test_year_and_bounds_must_agree():
    gold = [
        claim(
            "g",
            "attack",
            place="moscow",
            date=DateValue("2024-03-22", "day"),
            killed=(Count(130, "more_than"),),
        )
    ]
    exact = [
        claim(
            "x",
            "attack",
            place="russia",
            date=DateValue("2024", "year"),
            killed=(Count(130, "exact"),),
        )
    ]
    row, details = compare(gold, exact, STATES, "s", "attack")
    assert row["matched"] == 0 and row["relaxed_f1"] == 1.0
    assert {d["status"] for d in details} == {"missed", "spurious"}


def test_f1_edges():
    assert f1(0, 0, 0) == (None, None, None)
    assert f1(0, 0, 3) == (None, 0.0, 0.0)
    assert f1(1, 1, 1) == (1.0, 1.0, 1.0)


def test_cli_eval_json_and_details():
    result = CliRunner().invoke(cli, ["eval", "--data", str(DATA), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(list(row) == SCORE_FIELDS for row in rows)
    details = CliRunner().invoke(cli, ["eval", "--data", str(DATA), "--details"])
    assert details.exit_code == 0 and "matched" in details.output
