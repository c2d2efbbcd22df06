"""The kg command: formats, fields, help, exit codes, and the README naming every command."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import DATA, GOOD, ROOT

JSON_FIELDS = {
    "sources": ["id", "title", "outlet", "published", "url", "file", "sha256", "reliability",
                "reliability_reason"],
    "warnings": ["id", "warner", "warner_state", "recipient", "recipient_state", "date",
                 "date_precision", "concerns", "outcome", "channel", "response", "contested",
                 "sources"],
    "reciprocity": ["a", "b", "a_to_b", "b_to_a", "reciprocated", "contested", "warnings",
                    "verdicts"],
    "attacks": ["id", "name", "date", "place", "perpetrators", "claimed_by", "killed",
                "injured", "sources"],
    "conflicts": ["subject", "attribute", "kind", "values", "reason"],
}


def run(*args: str, columns: int | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner(env=env).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


#: Every command that prints an answer as a table, with arguments that give one.
READ_COMMANDS = {
    "attacks": ("attacks",), "warnings": ("warnings",), "timeline": ("timeline",),
    "sources": ("sources",), "reciprocity": ("reciprocity",), "lead-times": ("lead-times",),
    "conflicts": ("conflicts",), "actor": ("actor", "Putin"),
    "path": ("path", "Putin", "Tamerlan Tsarnaev"),
    "reciprocity-actors": ("reciprocity", "--level", "actor"),
    "conflicts-all": ("conflicts", "--all"), "sparql": ("sparql", "reciprocity"),
    "eval": ("eval",),
}
#: What a Python repr or embedded JSON looks like in a cell.
REPR = re.compile(r"\['|'\]|\{'|\{\"|\bNone\b|\bTrue\b|\bFalse\b")


@pytest.mark.parametrize("name,width,extra", [
    *((name, 100, ()) for name in sorted(READ_COMMANDS)),
    *((name, 100, ("--all-columns",)) for name in sorted(READ_COMMANDS)),
    *((name, 60, ()) for name in ("warnings", "attacks", "timeline", "actor", "reciprocity"))])
def test_every_table_fits_the_terminal_width(name, width, extra):
    code, out, err = run(*READ_COMMANDS[name], *extra, "--data", str(DATA), columns=width)
    assert code == 0, err
    assert out.strip(), name
    wide = [line for line in out.splitlines() if len(line) > width]
    assert not wide, f"kg {name}: {len(wide)} lines wider than {width}: {wide[0]!r}"


def test_queries_fits_too():
    code, out, _ = run("queries", columns=80)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("name", sorted(READ_COMMANDS))
def test_no_python_reprs_or_json_in_tables_or_csv(name):
    _, table, _ = run(*READ_COMMANDS[name], "--all-columns", "--data", str(DATA))
    assert not REPR.search(table), REPR.search(table)
    assert '""' not in table
    _, text, _ = run(*READ_COMMANDS[name], "--format", "csv", "--data", str(DATA))
    for row in csv.reader(io.StringIO(text)):
        for value in row:
            assert not value.startswith(("[", "{")) and not REPR.search(value), value


def test_actor_reads_like_a_record():
    _, table, _ = run("actor", "Putin", "--data", str(DATA), columns=100)
    lines = table.splitlines()
    assert lines[0].split() == ["id", "vladimir-putin"]
    assert any(line.split(None, 1) == ["roles", "President (Russia) [ap-2024-03]; President of "
                                                "Russia (Russia) [outreach-2024]"]
               for line in lines)
    assert not any(line.split()[0] == "members" for line in lines if line)  # nothing to say
    _, text, _ = run("actor", "Putin", "--format", "csv", "--data", str(DATA))
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["roles"] == "President (Russia) [ap-2024-03]; President of Russia (Russia) " \
                           "[outreach-2024]"
    assert row["members"] == "" and "Putin" in row["aliases"].split("; ")
    _, out, _ = run("actor", "Putin", "--format", "json", "--data", str(DATA))
    assert {"role": "President", "organisation": "Russia", "sources": ["ap-2024-03"]} in \
        json.loads(out)[0]["roles"]  # JSON keeps the structure


def test_tables_show_main_columns_and_all_columns_on_request():
    _, compact, _ = run("warnings", "--data", str(DATA), columns=200)
    _, every, _ = run("warnings", "--all-columns", "--data", str(DATA), columns=400)
    assert compact.split()[:3] == ["id", "date", "warner"] and "warner_state" not in compact
    assert every.split()[:3] == ["id", "warner", "warner_state"]
    _, text, _ = run("warnings", "--columns", "id,outcome", "--format", "csv", "--data",
                     str(DATA))
    assert text.splitlines()[0] == "id,outcome"
    _, out, _ = run("warnings", "--columns", "id,quotes", "--format", "json", "--data",
                    str(DATA))
    assert all(set(row) == {"id", "quotes"} and row["quotes"] for row in json.loads(out))


def test_an_unknown_column_is_a_clear_error():
    code, out, err = run("warnings", "--columns", "id,warnr", "--data", str(DATA))
    assert code == 1 and out == ""
    assert "unknown column 'warnr' (did you mean 'warner'" in err and "Traceback" not in err


def test_limit_and_offset_page_through_an_answer_and_say_so():
    _, out, _ = run("timeline", "--format", "json", "--data", str(DATA))
    every = json.loads(out)
    code, out, err = run("timeline", "--format", "json", "--limit", "3", "--offset", "2",
                         "--data", str(DATA))
    assert code == 0 and json.loads(out) == every[2:5]
    assert f"rows 3-5 of {len(every)}; --offset 5 for the next" in err
    _, out, err = run("timeline", "--format", "csv", "--offset", str(len(every)), "--data",
                      str(DATA))
    assert out.splitlines() == [out.splitlines()[0]] and "no rows from --offset" in err
    _, out, _ = run("timeline", "--limit", "1", "--data", str(DATA), columns=200)
    assert every[0]["id"] in out and every[1]["id"] not in out


@pytest.mark.parametrize("command", sorted(JSON_FIELDS))
def test_json_output_has_the_fields_design_names(command):
    code, out, err = run(command, "--data", str(DATA), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(set(JSON_FIELDS[command]) <= set(row) for row in rows)


@pytest.mark.parametrize("command", sorted(JSON_FIELDS))
def test_csv_output_has_a_header_and_rows(command):
    code, out, _ = run(command, "--data", str(DATA), "--format", "csv")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][: len(JSON_FIELDS[command])] == JSON_FIELDS[command]
    assert len(table) > 1


def test_conflicts_lists_contradictions_and_all_adds_the_rest_with_kinds():
    _, out, _ = run("conflicts", "--data", str(DATA), "--format", "json")
    default = {(r["subject"], r["attribute"]): r["kind"] for r in json.loads(out)}
    _, out, _ = run("conflicts", "--all", "--data", str(DATA), "--format", "json")
    every = {(r["subject"], r["attribute"]): r["kind"] for r in json.loads(out)}
    assert set(default.values()) == {"contradiction"}
    assert default.items() <= every.items()
    assert every[("crocus-city-hall-attack", "killed")] == "refinement"
    assert every[("boston-marathon-bombing", "perpetrator")] == "complement"
    _, table, _ = run("conflicts", "--all", "--data", str(DATA), "--format", "csv")
    assert "attack_happened (derived only) [ap-summary]" in table


def test_tables_print_before_dates_and_count_independent_sources():
    _, table, _ = run("warnings", "--data", str(DATA), "--format", "csv")
    assert "before 2020-07-08" in table
    assert ("ap-2024-03 [B], ap-summary [F], outreach-2024 [F], rfi-2024-03 [B] "
            "(3 independent)") in table
    _, out, _ = run("lead-times", "--data", str(DATA), "--format", "json")
    chavez = {r["warning"]: r for r in json.loads(out)}["us-warns-venezuela-chavez-plot"]
    assert chavez["lead_days_min"] is None and "straddle zero" in chavez["note"]
    assert chavez["warning_earliest"] == "2004-01-01"


def test_every_source_has_a_grade_and_a_reason():
    _, out, _ = run("sources", "--data", str(DATA), "--format", "json")
    grades = {r["id"]: r["reliability"] for r in json.loads(out)}
    assert set(grades.values()) <= set("ABCDEF") and None not in grades.values()
    assert grades["ap-summary"] == "F"  # a copy of unknown origin cannot be judged
    assert all(r["reliability_reason"] for r in json.loads(out))


def test_min_reliability_leaves_out_lower_grades_and_says_so():
    code, out, err = run("reciprocity", "--min-reliability", "B", "--data", str(DATA),
                         "--format", "json")
    assert code == 0
    assert "3 sources graded below B left out" in err and "daily-beast-2020-07" in err
    us_russia = {(r["a"], r["b"]): r for r in json.loads(out)}[("Russia", "United States")]
    ids = {w["id"] for w in us_russia["warnings"]}
    assert "cia-warns-russia-st-petersburg" not in ids  # only the Daily Beast (C) reports it
    assert all(set(w["source_grades"].values()) == {"B"} for w in us_russia["warnings"])
    assert us_russia["verdicts"] == []  # both verdicts come from sources graded below B


def test_as_of_shows_what_was_published_by_a_date():
    code, out, err = run("warnings", "--as-of", "2021", "--data", str(DATA), "--format", "json")
    assert code == 0
    assert {r["id"] for r in json.loads(out)} == {"cia-warns-russia-st-petersburg"}
    assert "2 sources with no publication date left out (ap-summary, outreach-2024)" in err
    code, out, _ = run("sources", "--as-of", "2024-03", "--data", str(DATA), "--format", "json")
    assert {r["id"] for r in json.loads(out)} == {"ap-2024-03", "rfi-2024-03",
                                                  "daily-beast-2020-07"}
    code, _, err = run("timeline", "--as-of", "2024-13", "--data", str(DATA))
    assert code == 1 and "--as-of '2024-13'" in err


def test_html_as_of_draws_only_what_was_published(tmp_path):
    page = tmp_path / "then.html"
    code, _, err = run("html", "--as-of", "2021", "--out", str(page), "--data", str(DATA))
    assert code == 0 and "left out" in err
    text = page.read_text(encoding="utf-8")
    assert "cia-warns-russia-st-petersburg" in text and "us-warns-russia-crocus" not in text


def test_sources_json_identifies_the_daily_beast_story():
    _, out, _ = run("sources", "--data", str(DATA), "--format", "json")
    beast = {r["id"]: r for r in json.loads(out)}["daily-beast-2020-07"]
    # A blog's repost: the story's outlet and URL belong to its original (an article of the
    # graph, docs/graph.md), not to the blog's copy, whose own are not known.
    assert (beast["outlet"], beast["url"]) == (None, None)
    assert beast["title"] == "CIA Kept Giving Intel to Russia, Got Nothing Back"
    assert beast["published"] == "2020-07-08"
    # ... and the row says what it copies, so the story's outlet is not lost to a reader.
    assert beast["copy_of"] == "repost of daily-beast-2020-07-08 (The Daily Beast, not stored)"


def test_sources_say_what_each_copy_copies_from_the_build_too(tmp_path):
    out = tmp_path / "out"
    assert run("build", "--data", str(DATA), "--out", str(out))[0] == 0
    fresh = run("sources", "--data", str(DATA), "--format", "json")[1]
    built = run("sources", "--data", str(DATA), "--built", str(out), "--format", "json")[1]
    rows = {r["id"]: r["copy_of"] for r in json.loads(built)}
    assert rows["ap-summary"] == "summary of ap-2024-03"
    assert rows["rfi-2024-03"] == "translation of rfi-2024-03-fr (RFI, not stored)"
    assert rows["ap-2024-03"] is None  # an original copies nothing
    assert built == fresh  # the build's record keeps each copy's original


def test_attacks_json_keeps_qualifiers_and_sources():
    _, out, _ = run("attacks", "--data", str(DATA), "--format", "json")
    kerman = {r["id"]: r for r in json.loads(out)}["kerman-bombings"]
    assert {"value": 100, "qualifier": "more_than", "source": "outreach-2024"}.items() <= next(
        k for k in kerman["killed"] if k["value"] == 100).items()


def test_reciprocity_actor_level_differs_from_state_level():
    _, state, _ = run("reciprocity", "--data", str(DATA), "--format", "json")
    _, actor, _ = run("reciprocity", "--data", str(DATA), "--level", "actor", "--format", "json")
    assert {(r["a"], r["b"]) for r in json.loads(state)} != {(r["a"], r["b"]) for r in
                                                           json.loads(actor)}


def test_actor_by_alias_and_unknown_actor_suggestion():
    code, out, _ = run("actor", "the Kremlin", "--data", str(DATA), "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "kremlin"
    code, _, err = run("actor", "Kremln", "--data", str(DATA))
    assert code == 1
    assert "unknown actor 'Kremln' (did you mean" in err and "Kremlin" in err


def test_path_and_timeline_and_lead_times_run():
    code, out, _ = run("path", "CIA", "Putin", "--data", str(DATA), "--format", "json")
    assert code == 0 and json.loads(out)
    code, out, _ = run("timeline", "--data", str(DATA), "--format", "json")
    days = [r["earliest"] or r["latest"] for r in json.loads(out) if r["date"]]
    assert code == 0 and days == sorted(days)
    assert "before 2020-07-08 (inferred)" in {r["date"] for r in json.loads(out)}
    code, out, _ = run("lead-times", "--data", str(DATA), "--format", "json")
    crocus = {r["warning"]: r for r in json.loads(out)}["us-warns-russia-crocus"]
    assert crocus["lead_days"] == 15


def test_sparql_by_name_file_and_text(tmp_path):
    code, out, _ = run("sparql", "disputed-warnings", "--data", str(DATA), "--format", "json")
    assert code == 0 and json.loads(out)[0]["disputingSource"] == "outreach-2024"
    query = tmp_path / "q.rq"
    query.write_text("ASK { GRAPH ?g { ?w a kg:Warning } }")
    code, out, _ = run("sparql", str(query), "--data", str(DATA))
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run("sparql", "SELECT ?w WHERE { ?w a kg:Attack }", "--data", str(DATA),
                       "--format", "csv")
    assert code == 0 and "crocus-city-hall-attack" in out
    code, out, _ = run("sparql", "CONSTRUCT { ?w a kg:Warning } WHERE { ?w a kg:Warning }",
                       "--data", str(DATA))
    assert code == 0 and "kg:Warning" in out


def test_bad_sparql_and_unknown_query_name_are_clear_errors():
    code, _, err = run("sparql", "SELECT ?x WHERE {", "--data", str(DATA))
    assert code == 1 and "SPARQL query failed" in err
    code, _, err = run("sparql", "reciprocty", "--data", str(DATA))
    assert code == 1 and "did you mean 'reciprocity'" in err


def test_queries_lists_the_library():
    code, out, _ = run("queries", "--format", "json")
    assert code == 0
    assert {"reciprocity", "lead-times", "death-tolls"} <= {r["name"] for r in json.loads(out)}


@pytest.mark.parametrize("fmt,files", [("graphml", ["graph.graphml"]), ("gexf", ["graph.gexf"]),
                                       ("csv", ["nodes.csv", "edges.csv"]),
                                       ("nquads", ["graph.nq"])])
def test_export_writes_files_other_tools_read(tmp_path, fmt, files):
    code, _, err = run("export", "--data", str(DATA), "--format", fmt, "--out", str(tmp_path))
    assert code == 0, err
    for name in files:
        assert (tmp_path / name).stat().st_size > 0
    if fmt == "graphml":
        graph = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
        tip = "https://w3id.org/duty-to-warn/id/event/russia-warns-us-tsarnaev"
        assert any(d["predicate"] == "warner" for _, _, d in graph.out_edges(tip, data=True))


def test_build_prints_a_summary_and_validate_checks(tmp_path):
    code, out, err = run("build", "--data", str(GOOD), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "5 claims, 6 quotes verified" in out
    code, out, _ = run("validate", "--data", str(GOOD))
    assert code == 0 and "is valid" in out


def test_python_dash_m_kg_works():
    result = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0 and "build" in result.stdout


def test_every_command_has_help_ending_with_an_example_and_is_documented():
    """Every command has an example in its help, and docs/cli.md (linked from the README)."""
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "docs/cli.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        code, out, _ = run(name, "--help")
        assert code == 0
        assert "Example:" in out, name
        assert f"kg {name}" in documented, f"docs/cli.md does not mention `kg {name}`"


def test_importing_kg_loads_no_pyvis_web_server_or_shacl():
    code = ("import sys, kg; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('pyvis', 'pyshacl', 'uvicorn', 'starlette', 'fastapi', 'http.server', 'networkx')"
            " or m == 'http.server']; print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_a_reader_that_stops_early_ends_the_command_quietly(monkeypatch):
    from kg.cli import answering

    def closed_pipe(*_args, **_kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", io.StringIO())  # no file descriptor to redirect
    monkeypatch.setattr(answering.click, "echo", closed_pipe)
    with pytest.raises(SystemExit) as stop:
        answering.write(iter(["id\n", "a\n"]))
    assert stop.value.code == 0
