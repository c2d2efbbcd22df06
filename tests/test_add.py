"""kg add: an article becomes a stored source plus drafts for review, or nothing changes.

Every test works on a tmp_path copy of data/ and short articles written here for the
purpose (invented events, not news text).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

import kg
from kg.add import NewSource, plan_add, source_block, write_plan
from kg.cli import cli
from kg.errors import DataError
from kg.sources import parse_yaml, read_claims_file, read_corpus
from kg.yamlfile import text_problem

from .conftest import DATA

# Invented for these tests. CRLF line ends and non-ASCII text check "byte for byte".
ARTICLE = (
    "Tip passed before the harbour bombing\r\n\r\n"
    "The United States warned Russia on 2 May 2023 that militants planned to attack a ferry "
    "terminal in Moscow, officials said \u2014 a month before the blast.\r\n"
    "The bombing at the terminal in Kazan on June 3, 2023 killed at least 12 people.\r\n"
).encode("utf-8")
OTHER = b"Russia warned the United States in 2019 about a planned attack in Chicago.\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the real data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.txt"
    path.write_bytes(ARTICLE)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: 'nothing changed' means equal snapshots."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["add", *args])
    return result.exit_code, result.stdout, result.stderr


def test_add_stores_the_text_byte_for_byte_and_appends_its_entry(data, article):
    before = (data / "sources.yaml").read_bytes()
    code, out, err = run(str(article), "--id", "harbour-2023", "--published", "2023-06-05",
                         "--title", "Tip passed: the harbour bombing", "--outlet", "Test Wire",
                         "--author", "A. Reporter", "--url", "https://example.org/harbour",
                         "--data", str(data))
    assert code == 0, err
    stored = data / "sources" / f"005_{hashlib.sha256(ARTICLE).hexdigest()[:16]}.txt"
    assert stored.read_bytes() == ARTICLE
    after = (data / "sources.yaml").read_bytes()
    assert after.startswith(before), "the existing entries and comments must stay byte for byte"
    assert after[len(before):].decode("utf-8") == (
        "\n- id: harbour-2023\n"
        f"  file: sources/{stored.name}\n"
        f"  sha256: {hashlib.sha256(ARTICLE).hexdigest()}\n"
        "  title: 'Tip passed: the harbour bombing'\n"
        "  outlet: Test Wire\n"
        "  author: A. Reporter\n"
        "  published: {value: 2023-06-05, precision: day}\n"
        "  url: https://example.org/harbour\n"
        "  language: en\n"
        "  notes: >-\n"
        "    Added with kg add from harbour.txt; the metadata is as given on the command line.\n")
    source = {s.id: s for s in read_corpus(data).sources}["harbour-2023"]
    assert (source.title, source.outlet, source.published.value) == \
        ("Tip passed: the harbour bombing", "Test Wire", "2023-06-05")
    assert "Added source 'harbour-2023'" in out and "move the draft to" in out


def test_the_drafts_wait_in_drafts_and_kg_validate_still_passes(data, article):
    code, _, err = run(str(article), "--id", "harbour-2023", "--published", "2023-06-05",
                       "--data", str(data))
    assert code == 0, err
    draft = data / "drafts" / "harbour-2023.yaml"
    problems: list = []
    claims = read_claims_file(draft, str(draft), problems)
    assert problems == []
    assert {c.source for c in claims} == {"harbour-2023"}
    warning = next(c for c in claims if c.kind == "warning")
    assert (warning.get("warner"), warning.get("recipient")) == ("united-states", "russia")
    assert (data / "drafts" / "harbour-2023.entities.yaml").is_file()
    built = kg.load(data)
    assert "harbour-2023" in {s.id for s in built.corpus.sources}
    assert not any(c.source == "harbour-2023" for c in built.corpus.claims), \
        "drafts must not be loaded as curated claims"


def test_a_reviewed_draft_moved_to_claims_validates(data, article):
    """The documented review step: accept the entities, move the draft into claims/."""
    assert run(str(article), "--id", "harbour-2023", "--published", "2023-06-05",
               "--data", str(data))[0] == 0
    proposed = parse_yaml((data / "drafts" / "harbour-2023.entities.yaml")
                          .read_text(encoding="utf-8"), "entities")
    if proposed:
        body = (data / "drafts" / "harbour-2023.entities.yaml").read_text(encoding="utf-8")
        with open(data / "actors.yaml", "a", encoding="utf-8") as actors:
            actors.write("\n" + "".join(line + "\n" for line in body.splitlines()
                                        if not line.startswith("#")))
    (data / "drafts" / "harbour-2023.yaml").rename(data / "claims" / "harbour-2023.yaml")
    built = kg.load(data)
    assert any(c.source == "harbour-2023" and c.kind == "warning" for c in built.corpus.claims)


def test_dry_run_shows_the_plan_and_writes_nothing(data, article):
    before = snapshot(data.parent)
    code, out, err = run(str(article), "--id", "harbour-2023", "--dry-run", "--data",
                         str(data))
    assert code == 0, err
    assert snapshot(data.parent) == before
    assert "nothing was written" in out
    assert f"write {data / 'drafts' / 'harbour-2023.yaml'}" in out
    assert f"append to {data / 'sources.yaml'}" in out
    assert "- id: harbour-2023\n  file: sources/005_" in out
    assert f"--- {data / 'drafts' / 'harbour-2023.yaml'}\n# Draft claims" in out
    assert "\nsource: harbour-2023\n" in out


def test_a_derived_text_records_its_original_and_relation(data, tmp_path):
    summary = tmp_path / "summary.txt"
    summary.write_bytes(OTHER)
    code, _, err = run(str(summary), "--id", "tip-summary", "--derived-from", "ap-2024-03",
                       "--relation", "summary", "--data", str(data))
    assert code == 0, err
    source = {s.id: s for s in kg.load(data).corpus.sources}["tip-summary"]
    assert (source.derived_from, source.relation, source.published) == \
        ("ap-2024-03", "summary", None)


@pytest.mark.parametrize("case, args, expected", [
    ("existing id, same text", ["existing.txt", "--id", "ap-2024-03"],
     "source 'ap-2024-03' already exists"),
    ("existing id, changed text", ["harbour.txt", "--id", "ap-2024-03"],
     "with a different text"),
    ("same text under a new id", ["existing.txt", "--id", "ap-again"],
     "already stored as source 'ap-2024-03'"),
    ("not UTF-8", ["latin1.txt", "--id", "new-one"], "not UTF-8 (byte 0xe9"),
    ("empty", ["empty.txt", "--id", "new-one"], "the article is empty"),
    ("only whitespace", ["blank.txt", "--id", "new-one"], "the article is empty"),
    ("missing article", ["nowhere.txt", "--id", "new-one"], "article not found"),
    ("unknown --derived-from", ["harbour.txt", "--id", "new-one", "--derived-from",
                                "ap-2024-3", "--relation", "repost"],
     "unknown source 'ap-2024-3' (did you mean 'ap-2024-03'"),
    ("--derived-from without --relation", ["harbour.txt", "--id", "new-one",
                                           "--derived-from", "ap-2024-03"],
     "--relation: say how the text derives"),
    ("--relation without an original", ["harbour.txt", "--id", "new-one", "--relation",
                                        "repost"], "name the stored original with"),
    ("impossible date", ["harbour.txt", "--id", "new-one", "--published", "2023-02-30"],
     "--published: impossible date '2023-02-30'"),
    ("not a date", ["harbour.txt", "--id", "new-one", "--published", "June 2023"],
     "give YYYY-MM-DD, YYYY-MM or YYYY"),
    ("bad id", ["harbour.txt", "--id", "harbour 2023!"], "use e.g. 'harbour-2023'"),
    ("a draft waits for review", ["harbour.txt", "--id", "pending"],
     "drafts/pending.yaml: already exists"),
])
def test_bad_input_is_refused_clearly_and_changes_nothing(data, article, case, args, expected):
    folder = data.parent
    shutil.copyfile(data / "sources" / "001_e7447cc4f1f6120f.txt", folder / "existing.txt")
    (folder / "latin1.txt").write_bytes("Caf\u00e9 bombing".encode("latin-1"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\t\r\n")
    (data / "drafts").mkdir()
    (data / "drafts" / "pending.yaml").write_text("# a reviewer's work\n", encoding="utf-8")
    before = snapshot(folder)
    code, out, err = run(str(folder / args[0]), *args[1:], "--data", str(data))
    assert code == 1, case
    assert expected in err, err
    assert "Traceback" not in err + out
    assert "nothing was written" in err
    assert snapshot(folder) == before, case


def test_a_sources_yaml_changed_after_planning_is_not_overwritten(data, article):
    plan = plan_add(article, data, NewSource("harbour-2023"))
    with open(data / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("# a curator's edit meanwhile\n")
    before = snapshot(data)
    with pytest.raises(DataError, match="changed since kg add checked it"):
        write_plan(plan)
    assert snapshot(data) == before


def test_a_failed_write_leaves_the_data_as_it_was(data, article, monkeypatch):
    plan = plan_add(article, data, NewSource("harbour-2023"))
    before = snapshot(data)
    real_replace = os.replace

    def failing(src, dst):
        if Path(dst).name == "sources.yaml":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(DataError, match="nothing was added"):
        write_plan(plan)
    after = snapshot(data)
    assert {k: v for k, v in after.items() if not k.startswith("drafts")} == before
    assert not any(k.startswith("drafts/") for k in after)


def test_files_are_numbered_after_the_stored_ones(data, article, tmp_path):
    first = plan_add(article, data, NewSource("harbour-2023"))
    write_plan(first)
    other = tmp_path / "other.txt"
    other.write_bytes(OTHER)
    second = plan_add(other, data, NewSource("chicago-2019"))
    assert [f.path for f in first.files][0].startswith("sources/005_")
    assert [f.path for f in second.files][0].startswith("sources/006_")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60))
@example("yes")
@example("null")
@example("2024-03-07")
@example("0x1F")
@example("1e5")
@example("- a dash")
@example("# not a comment")
@example("Warning: a test")
@example("'single' and \"double\" quotes")
@example("`tick %pct *star &amp !bang |pipe >gt ~ @at ?q")
@example("\u201cDuty to warn\u201d \u2014 \u00fcml\u00e4ut")
def test_any_title_reads_back_as_written(title):
    """Quoting is YAML's job: colons, quotes, '#', leading dashes and any Unicode survive."""
    title = " ".join(title.split())
    if not title or text_problem(title):
        return  # a control character is refused before anything is written (test below)
    doc = parse_yaml(source_block({"id": "x", "file": "sources/x.txt", "sha256": "0" * 64,
                                   "title": title}), "sources.yaml")
    assert doc[0]["title"] == title


def test_a_title_with_a_control_character_is_refused(data, article):
    before = snapshot(data)
    with pytest.raises(DataError) as caught:
        plan_add(article, data, NewSource("wire-x", title="Bell\x07 rings"))
    [problem] = caught.value.problems
    assert problem.file == "--title" and "control character U+0007" in problem.message
    assert snapshot(data) == before


def test_a_stored_text_that_changed_must_be_restored_before_adding(data, article):
    stored = data / "sources" / "004_6d3447ab7da0c159.txt"
    stored.write_bytes(stored.read_bytes() + b"An edit.\n")
    before = snapshot(data.parent)
    code, out, err = run(str(article), "--id", "harbour-2023", "--data", str(data))
    assert code == 1
    assert "source 'daily-beast-2020-07': sources/004_6d3447ab7da0c159.txt changed since it " \
           "was stored" in err
    assert "restore it" in err and "Traceback" not in err + out
    assert snapshot(data.parent) == before


def test_a_stored_text_that_is_missing_must_be_restored_before_adding(data, article):
    (data / "sources" / "002_dcc66aedeae0d1b3.txt").unlink()
    before = snapshot(data.parent)
    code, _, err = run(str(article), "--id", "harbour-2023", "--data", str(data))
    assert code == 1
    assert "source 'ap-summary': sources/002_dcc66aedeae0d1b3.txt not found" in err
    assert snapshot(data.parent) == before


def test_a_crlf_sources_yaml_gets_a_crlf_entry(data, article):
    crlf = (data / "sources.yaml").read_bytes().replace(b"\n", b"\r\n")
    (data / "sources.yaml").write_bytes(crlf)
    assert run(str(article), "--id", "harbour-2023", "--data", str(data))[0] == 0
    after = (data / "sources.yaml").read_bytes()
    assert after.startswith(crlf)
    assert after[len(crlf):].startswith(b"\r\n- id: harbour-2023\r\n  file: sources/005_")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert "harbour-2023" in {s.id for s in read_corpus(data).sources}
