"""Readers and checks: every bad input gives a clear file:line error, exit 1, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import DataError
from kg.records import DateValue
from kg.sources import read_corpus
from kg.validate import check_corpus

from .conftest import BAD

CASES = [
    # (bad file, where it goes, expected file:line, expected words)
    ("quote-not-in-source.yaml", "claims", "quote-not-in-source.yaml:9",
     "quote not found in source 'herald-2021-06'"),
    ("unknown-actor.yaml", "claims", "unknown-actor.yaml:5",
     "warner 'ruritanai' is not defined in actors.yaml (did you mean 'ruritania'?)"),
    ("impossible-date.yaml", "claims", "impossible-date.yaml:7", "impossible date '2021-02-30'"),
    ("duplicate-id.yaml", "claims", "duplicate-id.yaml:3",
     "duplicate claim id 'herald-grand-market-bombing'"),
    ("malformed.yaml", "claims", "malformed.yaml:6", "malformed YAML"),
    ("not-utf8.yaml", "claims", "not-utf8.yaml:7", "not UTF-8"),
    ("empty.yaml", "claims", "empty.yaml:1", "file is empty"),
    ("unknown-kind.yaml", "claims", "unknown-kind.yaml:4", "unknown kind 'warnng'"),
    ("bad-id.yaml", "claims", "bad-id.yaml:3",
     "id 'ruritania warns freedonia again' may hold only letters, digits, '-', '_' and '.'"),
]


def _install(data: Path, name: str, where: str) -> None:
    shutil.copy(BAD / name, data / where / name)


@pytest.mark.parametrize("name,where,location,words", CASES)
def test_bad_input_is_reported_with_file_line_and_exit_1(good_copy, name, where, location,
                                                         words):
    _install(good_copy, name, where)
    result = CliRunner().invoke(cli, ["validate", "--data", str(good_copy)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    matching = [line for line in result.stderr.splitlines() if location in line]
    assert matching, result.stderr
    assert any(words in line for line in matching), result.stderr


def test_changed_source_text_fails_the_sha256_check(good_copy):
    shutil.copy(BAD / "herald-changed.txt", good_copy / "sources" / "herald.txt")
    result = CliRunner().invoke(cli, ["validate", "--data", str(good_copy)])
    assert result.exit_code == 1
    assert "sources.yaml:4: source 'herald-2021-06': sha256 of sources/herald.txt is" \
        in result.stderr
    assert "restore it" in result.stderr


def test_reading_problems_come_first_and_all_together(good_copy):
    # Like a compiler's syntax errors: every file that cannot be read is listed at once,
    # before references are checked (a claim in an unreadable file cannot be resolved).
    for name in ("impossible-date.yaml", "empty.yaml", "unknown-kind.yaml", "unknown-actor.yaml"):
        _install(good_copy, name, "claims")
    with pytest.raises(DataError) as caught:
        read_corpus(good_copy)
    assert {Path(p.file).name for p in caught.value.problems} == {
        "impossible-date.yaml", "empty.yaml", "unknown-kind.yaml"}


def test_reference_problems_are_all_listed_together(good_copy):
    for name in ("quote-not-in-source.yaml", "unknown-actor.yaml"):
        _install(good_copy, name, "claims")
    with pytest.raises(DataError) as caught:
        check_corpus(read_corpus(good_copy))
    assert {Path(p.file).name for p in caught.value.problems} == {
        "quote-not-in-source.yaml", "unknown-actor.yaml"}


def test_unknown_field_is_named(good_copy):
    path = good_copy / "claims" / "extra.yaml"
    path.write_text("source: herald-2021-06\nclaims:\n  - id: x\n    kind: warning\n"
                    "    warner: ruritania\n    recipient: freedonia\n    wraner: ruritania\n"
                    "    quotes: [\"Ruritania warned Freedonia\"]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"extra.yaml:7: unknown field 'wraner'"):
        read_corpus(good_copy)


def test_stray_file_in_claims_is_not_skipped_silently(good_copy):
    (good_copy / "claims" / "notes.txt").write_text("todo", encoding="utf-8")
    with pytest.raises(DataError, match=r"notes.txt: unexpected file in claims/"):
        read_corpus(good_copy)


def test_missing_data_directory_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["validate", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "data directory not found" in result.stderr


def test_quote_offsets_point_at_the_words(good_copy):
    corpus = check_corpus(read_corpus(good_copy))
    for claim in corpus.claims:
        text = corpus.texts[claim.source]
        for quote in claim.quotes:
            assert quote.start is not None and quote.end is not None
            assert " ".join(text[quote.start:quote.end].split()) == " ".join(quote.text.split())


def test_quote_across_a_line_break_is_found_with_offsets_in_the_original(good_copy):
    corpus = check_corpus(read_corpus(good_copy))
    claim = next(c for c in corpus.claims if c.id == "gazette-disputes-ruritanian-warning")
    quote = claim.quotes[0]
    assert "\n" in corpus.texts[claim.source][quote.start:quote.end]


@pytest.mark.parametrize("raw,value,precision", [
    ("2024-03-07", "2024-03-07", "day"), ("2024-03", "2024-03", "month"), (2015, "2015", "year"),
    ({"before": "2020-07-08"}, "2020-07-08", "before"),
    ({"value": "2024-01", "precision": "month", "text": "last January"}, "2024-01", "month"),
])
def test_dates_keep_their_precision(raw, value, precision):
    date = DateValue.parse(raw)
    assert (date.value, date.precision) == (value, precision)


@pytest.mark.parametrize("raw", ["2021-02-30", "2024-13", "March 2024",
                                 {"value": "2024", "precision": "day"}])
def test_impossible_or_malformed_dates_are_refused(raw):
    with pytest.raises(ValueError):
        DateValue.parse(raw)


def test_empty_label_is_reported_once_at_its_line(good_copy):
    import kg

    actors = good_copy / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "  label: Freedonia\n", "  label: ''\n"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        kg.load(good_copy)
    assert [(Path(p.file).name, p.message) for p in caught.value.problems] == [
        ("actors.yaml", "'label' is empty; give it a value or leave the field out")]
    assert caught.value.problems[0].line > 0


def test_wikidata_id_that_is_not_a_q_number_is_refused_when_read(good_copy):
    actors = good_copy / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "  label: Freedonia\n", "  label: Freedonia\n  wikidata: not a qid\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", str(good_copy)])
    assert result.exit_code == 1 and "Traceback" not in result.output + result.stderr
    assert "actors.yaml:" in result.stderr
    assert "wikidata 'not a qid' is not a Wikidata item id" in result.stderr


def test_a_date_says_what_was_inferred_and_refuses_unknown_keys():
    date = DateValue.parse({"value": "2024-03-07", "text": "On March 7",
                            "inferred": "the year, from the publication month"})
    assert (date.value, date.precision, date.inferred) == (
        "2024-03-07", "day", "the year, from the publication month")
    with pytest.raises(ValueError, match="inferred"):
        DateValue.parse({"value": "2024-03-07", "inferred": ""})
    with pytest.raises(ValueError, match="'guessed'"):
        DateValue.parse({"value": "2024-03-07", "guessed": True})


def test_grades_are_admiralty_grades(good_copy):
    sources = good_copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    first = text.index("- id: ")
    line = text.index("\n", first) + 1
    sources.write_text(text[:line] + "  reliability: G\n" + text[line:], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        check_corpus(read_corpus(good_copy))
    assert any("reliability 'G' is not an Admiralty grade" in str(p)
               for p in caught.value.problems)


def test_inferred_names_a_field_of_the_claim_and_says_why(good_copy):
    claims = good_copy / "claims" / "gazette-2021-06.yaml"
    text = claims.read_text(encoding="utf-8")
    marker = "    place: grand-market\n"
    claims.write_text(text.replace(marker, marker + "    inferred: {warner: guessed}\n"),
                      encoding="utf-8")
    with pytest.raises(DataError) as caught:
        check_corpus(read_corpus(good_copy))
    assert any("inferred 'warner'" in str(p) for p in caught.value.problems)
    claims.write_text(text.replace(marker, marker + "    inferred: {place: the headline}\n"),
                      encoding="utf-8")
    corpus = check_corpus(read_corpus(good_copy))
    attack = next(c for c in corpus.claims if c.id == "gazette-grand-market-bombing")
    assert attack.inferred == (("place", "the headline"),)


# --- libyaml reads, the line-tracking loader reports ---------------------------------------------

def _shape(value):
    """A parsed document with every line number it carries."""
    if isinstance(value, dict):
        return ("map", value.line, value.key_lines, {k: _shape(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("list", value.line, value.item_lines, [_shape(v) for v in value])
    return (type(value).__name__, value)


def test_libyaml_reads_the_same_values_and_lines_as_the_line_tracking_loader():
    import yaml

    from kg import yamlfile

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "data").rglob("*.yaml")) + sorted((root / "tests" / "data" /
                                                               "good").rglob("*.yaml"))
    assert yamlfile._FastComposer is not None, "PyYAML without libyaml: nothing to compare"
    for path in files:
        text = path.read_text(encoding="utf-8")
        expected = _shape(yaml.load(text, Loader=yamlfile._Loader))  # noqa: S506
        assert _shape(yamlfile._fast_load(text)) == expected, path


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- id: a\n  quotes:\n    - ok\n  note: a: b\n", 4, "malformed YAML"),
    ("a: &x [1]\nb: *x\n", 2, "YAML alias *x is not allowed"),
    ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    ("a: b\nc: !!binary aGVsbG8=\n", 2, "YAML tag !!binary"),
    ("a:\n  b: \"bad \\x01 text\"\n", 2, "control character U+0001"),
    ("a: " + "[" * 13 + "]" * 13 + "\n", 1, "nested more than 12 deep"),
    ("a: 1\nb: 1234567890123456789\n", 2, "more than 15 digits"),
])
def test_a_broken_file_still_gets_its_line_number(text, line, words):
    from kg import yamlfile

    with pytest.raises(DataError) as caught:
        yamlfile.parse_yaml(text, "x.yaml")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("x.yaml", line)
    assert words in problem.message
    with pytest.raises(Exception):  # noqa: B017 - the fast path hands every one of these over
        yamlfile._fast_load(text)


def test_nesting_past_what_libyaml_survives_is_read_by_the_checking_loader():
    from kg import yamlfile

    with pytest.raises(DataError, match="nested more than 12 deep"):
        yamlfile.parse_yaml("[" * 300_000, "x.yaml")  # libyaml alone would crash the process


# --- a copy and its original ----------------------------------------------------------------------

def _with_source_lines(data: Path, extra: str) -> Path:
    """sources.yaml with ``extra`` lines added to the gazette's entry (after its id)."""
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    marker = "- id: gazette-2021-06\n"
    sources.write_text(text.replace(marker, marker + extra), encoding="utf-8")
    return sources


def _problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        check_corpus(read_corpus(data))
    return [str(p) for p in caught.value.problems]


def test_an_unstored_original_is_read_with_what_is_known_of_it(good_copy):
    _with_source_lines(good_copy, "  relation: translation\n  translated_from: fr\n"
                                  "  original:\n    id: gazette-fr\n    outlet: La Gazette\n"
                                  "    language: fr\n    published: 2021-06-01\n")
    gazette = next(s for s in read_corpus(good_copy).sources if s.id == "gazette-2021-06")
    assert gazette.original is not None
    assert (gazette.original.id, gazette.original.outlet, gazette.original.language,
            gazette.original.published) == ("gazette-fr", "La Gazette", "fr",
                                             DateValue("2021-06-01", "day"))
    assert gazette.derived_from is None and gazette.relation == "translation"


def test_a_copy_without_its_original_is_refused_at_its_line(good_copy):
    _with_source_lines(good_copy, "  relation: repost\n")
    found = _problems(good_copy)
    assert any("sources.yaml:16: relation 'repost' needs its original" in p for p in found), found


def test_an_original_without_a_relation_is_refused(good_copy):
    _with_source_lines(good_copy, "  original: {id: somewhere}\n")
    found = _problems(good_copy)
    assert any("sources.yaml:16: say how the text derives from its original" in p
               for p in found), found


def test_a_stored_and_an_unstored_original_together_are_refused(good_copy):
    _with_source_lines(good_copy, "  relation: summary\n  derived_from: herald-2021-06\n"
                                  "  original: {id: elsewhere}\n")
    found = _problems(good_copy)
    assert any("give either 'derived_from'" in p for p in found), found


@pytest.mark.parametrize(("original", "words"), [
    ("  original: La Gazette\n", "'original' must be a mapping"),
    ("  original: {outlet: La Gazette}\n", "'id' is required"),
    ("  original: {id: g, publisher: x}\n", "unknown field 'publisher'"),
    ("  original: {id: g, published: 2021-02-30}\n", "published:"),
])
def test_a_bad_original_is_refused_at_its_line(good_copy, original, words):
    _with_source_lines(good_copy, "  relation: repost\n" + original)
    found = _problems(good_copy)
    assert any(p.startswith(f"{good_copy / 'sources.yaml'}:17") and words in p
               for p in found), found
    assert not any("needs its original" in p for p in found), found  # said once


def test_an_original_in_another_language_than_translated_from_is_refused(good_copy):
    _with_source_lines(good_copy, "  relation: translation\n  translated_from: de\n"
                                  "  original: {id: gazette-fr, language: fr}\n")
    found = _problems(good_copy)
    assert any("sources.yaml:18: 'translated_from: de' but the original's language is 'fr'"
               in p for p in found), found


def test_a_stored_source_given_as_an_unstored_original_is_refused(good_copy):
    _with_source_lines(good_copy, "  relation: summary\n  original: {id: herald-2021-06}\n")
    found = _problems(good_copy)
    assert any("sources.yaml:17: original 'herald-2021-06' is a stored source" in p
               and "derived_from: herald-2021-06" in p for p in found), found


def test_one_original_described_two_ways_is_refused(good_copy):
    _with_source_lines(good_copy, "  relation: repost\n"
                                  "  original: {id: story, outlet: The Paper}\n")
    sources = good_copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("- id: herald-2021-06\n", "- id: herald-2021-06\n"
                                    "  relation: repost\n"
                                    "  original: {id: story, outlet: Another Paper}\n"),
                       encoding="utf-8")
    found = _problems(good_copy)
    assert any("original 'story' is described differently at" in p for p in found), found


def test_the_real_copies_name_their_originals():
    from .conftest import DATA

    by_id = {s.id: s for s in read_corpus(DATA).sources}
    assert by_id["ap-summary"].derived_from == "ap-2024-03"
    assert (by_id["rfi-2024-03"].original.language, by_id["rfi-2024-03"].original.outlet) == \
        ("fr", "RFI")
    repost = by_id["daily-beast-2020-07"]
    assert (repost.outlet, repost.url) == (None, None)
    assert repost.original.url.startswith("https://www.thedailybeast.com/")
    assert all(s.length == len(read_corpus(DATA).texts[s.id]) for s in by_id.values())
