"""Rendering answers: tables that fit their width, readable cells, output that streams."""

from __future__ import annotations

import csv
import io
import json
import os
from itertools import count, islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import render as rendering
from kg.render import (
    SAMPLE,
    cell,
    csv_chunks,
    fit,
    json_lines,
    record_lines,
    render,
    stream,
    table_lines,
    terminal_width,
)

ROWS = [
    {"id": "us-warns-russia-crocus", "warner": "United States / US Intelligence Community",
     "date": "2024-03-07", "channel": ["public", "private"], "contested": False,
     "killed": [{"value": 143, "qualifier": "exact", "source": "rfi-2024-03"}],
     "grades": {"ap-2024-03": "B", "rfi-2024-03": "B"}, "note": None,
     "text": "Americans had publicly and privately informed President Vladimir Putin’s "
             "government of the threat"},
    {"id": "cia-warns-russia-st-petersburg", "warner": "Central Intelligence Agency",
     "date": "before 2020-07-08 (inferred)", "channel": [], "contested": True, "killed": [],
     "grades": {}, "note": "a date is known only as before a day", "text": "short"},
]
FIELDS = list(ROWS[0])


def body_columns(text: str) -> list[str]:
    """The text of each column of a rendered table, read back through the dashes line."""
    lines = text.splitlines()
    dashes = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans, start = [], 0
    for run in lines[dashes].split("  "):
        spans.append((start, start + len(run)))
        start += len(run) + 2
    return ["".join(line[a:b] for line in lines[dashes + 1:]) for a, b in spans]


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_cells_are_text_never_python_reprs_or_json():
    assert cell(None) == "" and cell([]) == "" and cell({}) == ""
    assert cell(True) == "yes" and cell(False) == "no"
    assert cell(["public", "private"]) == "public; private"
    assert cell({"ap-2024-03": "B", "rfi-2024-03": "B"}) == "ap-2024-03: B, rfi-2024-03: B"
    roles = [{"role": "President", "organisation": "Russia", "sources": ["ap-2024-03"]}]
    assert cell(roles) == "role: President, organisation: Russia, sources: ap-2024-03"
    for row in ROWS:
        for value in row.values():
            text = cell(value)
            assert not any(mark in text for mark in ("['", "{'", '{"', "None", '""')), text


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_a_table_fits_its_width_and_keeps_every_character(width):
    text = render(ROWS, FIELDS, "table", width=width)
    assert all(len(line) <= width for line in text.splitlines())
    layout_is_table = any(line and set(line) <= {"-", " "} for line in text.splitlines())
    if layout_is_table:
        columns = body_columns(text)
        for i, field in enumerate(FIELDS):
            assert squeezed(columns[i]) == "".join(squeezed(cell(r[field])) for r in ROWS)
    else:  # too many columns for the width: one record per row, every value kept
        assert "us-warns-russia-crocus" in text and "cia-warns-russia-st-" in text


def test_cells_wrap_by_word_inside_their_column():
    text = render([{"id": "a", "text": "one two three four five six"}], ["id", "text"],
                  "table", width=14)
    assert text.splitlines() == ["id  text", "--  ----------", "a   one two", "    three four",
                                 "    five six"]


def test_a_long_id_breaks_at_its_hyphens_and_sources_between_each_other():
    row = {"id": "cia-warns-russia-st-petersburg",
           "sources": "ap-2024-03 [B], ap-summary [F], rfi-2024-03 [B]"}
    assert list(record_lines([row], ["id", "sources"], 30)) == [
        "id       cia-warns-russia-st-",
        "         petersburg",
        "sources  ap-2024-03 [B],",
        "         ap-summary [F],",
        "         rfi-2024-03 [B]"]
    text = render([row], ["id", "sources"], "table", width=40)
    assert "ap-2024-03 [B]," in text and "ap-\n" not in text


def test_a_narrow_column_keeps_its_width_and_the_wide_ones_share_the_rest():
    rows = [{"date": "2024", "kind": "Attack", "description": "word " * 40}]
    text = render(rows, ["date", "kind", "description"], "table", width=50)
    header = text.splitlines()[0]
    assert header.startswith("date  kind    description")
    assert max(len(line) for line in text.splitlines()) == 50


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b_c", "long_name_here", "d"]),
                                st.text(st.characters(codec="utf-8",
                                                      categories=["L", "N", "P", "Zs", "Cc"]),
                                        max_size=80), min_size=1), min_size=1, max_size=8),
       st.integers(20, 200))
@settings(max_examples=150, deadline=None)
def test_no_line_is_wider_than_asked_whatever_the_cells(rows, width):
    fields = ["a", "b_c", "long_name_here", "d"]
    text = render(rows, fields, "table", width=width)
    assert all(len(line) <= width for line in text.splitlines())
    assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in text)


def test_control_characters_from_sources_are_shown_not_obeyed():
    text = render([{"title": "red\x1b[31m alert\x07\nnext"}], ["title"], "table")
    assert "\x1b" not in text and "\x07" not in text
    assert "red\\x1b[31m alert\\x07 next" in text
    flipped = render([{"name": "abc\u202edcba"}], ["name"], "table")
    assert "\u202e" not in flipped and "abc\\u202edcba" in flipped


def test_fit_respects_room_least_and_natural_widths():
    widths = fit([4, 30, 50], [4, 8, 8], 40)
    assert widths is not None and sum(widths) <= 40 and widths[0] == 4
    assert all(lo <= w <= n for w, lo, n in zip(widths, [4, 8, 8], [4, 30, 50], strict=True))
    assert fit([5, 5], [5, 5], 20) == [5, 5]  # fits: natural widths, nothing wasted
    assert fit([10, 10, 10], [8, 8, 8], 20) is None


def test_too_many_columns_for_the_width_print_as_records():
    row = {f"field_{i}": f"value {i}" for i in range(12)}
    text = render([row, row], list(row), "table", width=60)
    assert text.splitlines()[:2] == ["field_0   value 0", "field_1   value 1"]
    assert "" in text.splitlines()  # a blank line between the two records
    assert all(len(line) <= 60 for line in text.splitlines())


def test_records_leave_out_empty_fields():
    text = "\n".join(record_lines([{"id": "x", "members": [], "state": None, "type": "Person"}],
                                  ["id", "members", "state", "type"], 80))
    assert text == "id       x\ntype     Person"


def test_width_is_columns_else_the_terminal_else_100(monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    monkeypatch.delenv("COLUMNS")

    def no_terminal(*_args):
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert terminal_width() == 100


def test_json_is_a_list_with_one_object_a_line_written_row_by_row():
    text = render(ROWS, FIELDS, "json")
    assert json.loads(text) == [{f: r[f] for f in FIELDS} for r in ROWS]
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(ROWS) + 2
    assert json.loads(lines[1].rstrip(","))["id"] == ROWS[0]["id"]  # a row is one line
    assert render([], FIELDS, "json") == "[]\n"
    assert json.loads("\n".join(json_lines(ROWS, ["id", "killed"])))[0]["killed"] == \
        ROWS[0]["killed"]


def test_csv_cells_are_readable_text():
    table = list(csv.reader(io.StringIO("".join(csv_chunks(ROWS, FIELDS)))))
    assert table[0] == FIELDS
    first = dict(zip(table[0], table[1], strict=True))
    assert first["channel"] == "public; private" and first["contested"] == "no"
    assert first["killed"] == "value: 143, qualifier: exact, source: rfi-2024-03"
    assert first["note"] == ""


def endless(consumed: list[int]):
    for n in count():
        consumed.append(n)
        yield {"id": f"warning-{n}", "text": "a warning " * (n % 7)}


@pytest.mark.parametrize("fmt,reads", [("table", SAMPLE + 50), ("json", 50), ("csv", 50)])
def test_the_first_lines_print_before_the_rest_are_formatted(fmt, reads):
    consumed: list[int] = []
    chunks = stream(endless(consumed), ["id", "text"], fmt, width=80)
    shown = next(chunks)
    while "warning-0" not in shown:
        shown += next(chunks)
    # The rows never end: only a stream gets here. A table reads a sample for its widths.
    assert len(consumed) <= reads and len(shown) < 2 * rendering.CHUNK


def test_rows_past_the_sample_wrap_inside_its_widths():
    rows = [{"id": f"w{n}", "text": "x"} for n in range(SAMPLE)]
    rows.append({"id": "late", "text": "a much longer text than any row of the sample had"})
    lines = list(islice(table_lines(rows, ["id", "text"], 30), 0, None))
    assert all(len(line) <= 30 for line in lines)
    assert any(line.startswith("late") for line in lines)
    assert "a much longer text than any row of the sample had" not in "\n".join(lines)


def test_csv_cells_from_articles_never_run_as_spreadsheet_formulas():
    rows = [{"title": '=HYPERLINK("http://example.org","x")', "days": -3, "note": "@SUM(A1)"},
            {"title": "+1 (an article's words)", "days": "-12", "note": "plain words"}]
    text = "".join(rendering.csv_chunks(rows, ["title", "days", "note"]))
    read = list(csv.DictReader(io.StringIO(text)))
    assert read[0]["title"] == "'" + rows[0]["title"] and read[0]["note"] == "'@SUM(A1)"
    assert read[1]["title"] == "'+1 (an article's words)"
    assert (read[0]["days"], read[1]["days"], read[1]["note"]) == ("-3", "-12", "plain words")
