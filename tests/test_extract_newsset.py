"""kg extract on the invented news sets (tests/data/extract/NEWSSET.md): identities, and silence.

The sets imitate real news closely enough to catch rules that only fit the sentences they
were written on; these tests pin what the extractor must find in them, and that it proposes
no warning at all where the gold has none (hard negatives: cooperation deals, travel advice,
a group's threats, denials of any warning).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kg.extract import extract
from kg.extract.writers import json_rows
from kg.records import DateValue
from kg.sources import read_entities

ROOT = Path(__file__).resolve().parent.parent
SETS = Path(__file__).resolve().parent / "data" / "extract"
ARTICLES = sorted(SETS.glob("newsset-*/articles/*.txt"))


@pytest.fixture(scope="module")
def reference():
    return tuple(read_entities(ROOT / "data" / "actors.yaml", "actors.yaml", []))


def rows(reference, path: Path) -> dict[str, list[dict]]:
    header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    stamp = re.search(r"^published: (\d{4}-\d{2}-\d{2})", header, re.M)
    published = DateValue.parse(stamp.group(1)) if stamp else None
    return json_rows(extract(body, reference, path.stem, published), reference)


def article(name: str) -> Path:
    [path] = SETS.glob(f"newsset-{name}*.txt".replace("/", "/articles/"))
    return path


def warnings(found: dict) -> set[tuple]:
    return {
        (w["warner_state"], w["recipient_state"], (w["date"] or "")[:4]) for w in found["warnings"]
    }


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in ARTICLES
        if not yaml.safe_load(
            (p.parent.parent / "gold" / f"{p.stem}.yaml").read_text(encoding="utf-8")
        ).get("warnings")
    ],
    ids=lambda p: f"{p.parent.parent.name}/{p.stem[:2]}",
)
def test_no_warning_where_the_gold_has_none(reference, path):
    assert rows(reference, path)["warnings"] == []


def test_a_passive_with_a_neighbour_as_agent(reference):
    found = rows(reference, article("b/13"))
    assert ("Slovakia", "Austria", "2020") in warnings(found)
    [quote] = [
        q["text"] for w in found["warnings"] for q in w["quotes"] if "neighbouring" in q["text"]
    ]
    assert "warned by neighbouring Slovakia" in quote


def test_one_warning_per_year_named(reference):
    assert {
        ("Jordan", "United Kingdom", "2009"),
        ("Jordan", "United Kingdom", "2011"),
        ("Jordan", "United States", "1999"),
    } <= warnings(rows(reference, article("b/18")))


def test_intelligence_passed_to_by(reference):
    assert ("France", "Burkina Faso", "2015") in warnings(rows(reference, article("a/06")))


def test_a_denied_warning_is_kept_and_contested(reference):
    [warning] = rows(reference, article("a/14"))["warnings"]
    assert (warning["warner_state"], warning["recipient_state"]) == ("United States", "Philippines")
    assert warning["contested"] is True


def test_attacks_in_towns_the_packaged_list_lacks(reference):
    places = {a["place"] for a in rows(reference, article("a/07"))["attacks"]}
    assert "Davao City" in places  # "a night market in Davao City": GeoNames knows Davao
