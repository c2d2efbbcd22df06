"""kg.rows: each answer's fields, columns and docs come from its one declaration."""

from __future__ import annotations

import json
import re
from typing import Annotated, TypedDict

import pytest
from click.testing import CliRunner

from kg import analysis
from kg.build import build_dataset
from kg.cli import cli
from kg.project import project
from kg.rows import ROWS, Column, json_only, shape
from kg.sources import read_corpus
from kg.validate import check_corpus

from .conftest import GOOD, ROOT


class _Tiny(TypedDict):
    b: Annotated[str, Column("second in a table", table=2)]
    a: Annotated[int, Column("first in a table", table=1)]
    hidden: Annotated[str, Column("in CSV only")]
    deep: Annotated[list[str], json_only("in JSON only")]


def test_a_declaration_gives_json_csv_and_table_columns_and_docs():
    found = shape(_Tiny)
    assert found.fields == ("b", "a", "hidden", "deep")  # JSON: every field, as declared
    assert found.columns == ("b", "a", "hidden")  # CSV: all but the JSON-only ones
    assert found.table == ("a", "b")  # a table: the placed ones, in their places
    assert found.docs["deep"] == "in JSON only"


def test_a_field_without_a_column_is_refused_by_name():
    class Bare(TypedDict):
        id: str

    with pytest.raises(TypeError, match="'id' has no Column"):
        shape(Bare)


@pytest.mark.parametrize("command", sorted(ROWS))
def test_every_field_of_every_answer_has_a_doc_and_a_table_shows_only_its_columns(command):
    found = shape(ROWS[command])
    assert all(found.docs[name].strip() for name in found.fields)
    assert set(found.table) <= set(found.columns) <= set(found.fields)
    assert len(set(found.fields)) == len(found.fields)


@pytest.fixture(scope="module")
def tiny():
    """The projection of the tiny valid corpus in tests/data/good."""
    return project(build_dataset(check_corpus(read_corpus(GOOD))))


@pytest.mark.parametrize("question,command", [
    (analysis.warnings, "warnings"), (analysis.attacks, "attacks"),
    (analysis.lead_times, "lead-times"), (analysis.timeline, "timeline"),
    (lambda g: analysis.reciprocity(g, "state"), "reciprocity"),
    (lambda g: analysis.conflicts(g, True), "conflicts")])
def test_the_questions_build_rows_of_exactly_the_declared_fields(tiny, question, command):
    rows = question(tiny)
    assert rows, f"the tiny corpus gives no {command} row: the test would prove nothing"
    assert [tuple(row) for row in rows] == [shape(ROWS[command]).fields] * len(rows)


def test_json_output_carries_the_declared_fields_in_order(tmp_path):
    result = CliRunner().invoke(cli, ["warnings", "--data", str(GOOD), "--built",
                                      str(tmp_path / "none"), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    assert [tuple(row) for row in rows] == [shape(ROWS["warnings"]).fields] * len(rows)


def _doc_table() -> dict[str, tuple[list[str], list[str], list[str]]]:
    """docs/cli.md's table of columns: command -> (main, all, JSON also)."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        match = re.match(r"\| `kg (\S+)(?: [A-Z ]+)?` \|(.*)\|(.*)\|(.*)\|$", line)
        if match:
            cells = [re.findall(r"`([^`]+)`", cell) for cell in match.groups()[1:]]
            found[match.group(1)] = tuple(
                [n.strip() for part in cell for n in part.split(",")] for cell in cells)
    return found


@pytest.mark.parametrize("command", sorted(set(ROWS) - {"actor"}))
def test_docs_list_each_commands_columns_as_declared(command):
    main, every, json_also = _doc_table()[command]
    found = shape(ROWS[command])
    assert main == list(found.table)
    if every:  # "the same" when the table shows every column
        assert every == list(found.columns)
    assert json_also == [f for f in found.fields if f not in found.columns]


def test_columns_help_lists_every_field_where_it_shows_and_its_doc(tmp_path):
    result = CliRunner().invoke(cli, ["attacks", "--data", str(GOOD), "--built",
                                      str(tmp_path / "none"), "--columns", "help",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = {row["column"]: row for row in json.loads(result.stdout)}
    found = shape(ROWS["attacks"])
    assert list(listed) == list(found.fields)
    assert listed["killed"] == {"column": "killed", "in": "table, CSV, JSON",
                                "meaning": found.docs["killed"]}
    assert listed["quotes"]["in"] == "JSON" and listed["name"]["in"] == "CSV, JSON"


def _answers_doc() -> dict[str, list[str]]:
    """docs/answers.md's table of JSON fields: command -> field names (nested shapes left out)."""
    text = (ROOT / "docs" / "answers.md").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        match = re.match(r"\| `kg (\S+)` \| (.*) \|$", line)
        if match:
            names = [name.strip() for code in re.findall(r"`([^`]+)`", match.group(2))
                     if not code.startswith("{") and ":" not in code
                     for name in code.split(",")]
            found[match.group(1)] = names
    return found


@pytest.mark.parametrize("command", ["sources", "warnings", "reciprocity", "lead-times",
                                     "attacks", "conflicts", "timeline"])
def test_docs_list_each_answers_json_fields_as_declared(command):
    assert _answers_doc()[command] == list(shape(ROWS[command]).fields)
