"""Fuzz: every field of every file kind, given wrong values, is refused at file:line.

One table of YAML values, put in place of each value of tests/data/good (block fields, list
items, and the fields inside flow mappings such as counts and dates) in turn; plus
mutations of the keys and structure. Each mutated corpus is read and checked in-process:
it is either accepted (and then built into Oxigraph and serialised), or refused with a
DataError naming a file and a line (the mutated file, for values wrong everywhere); never
anything else. A few end-to-end runs of `kg build` check exit 1 at once, no traceback,
and out/ untouched.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.build import build_dataset
from kg.cli import cli
from kg.errors import DataError, Problem
from kg.output import serialise
from kg.pipeline import load_ontology
from kg.records import KINDS
from kg.sources import (
    CLAIM_KEYS,
    ENTITY_KEYS,
    SOURCE_FIELDS,
    read_claims_file,
    read_corpus,
    read_entities,
    read_sources,
)
from kg.stores import open_dataset
from kg.validate import check_corpus
from kg.yamlfile import MAX_TEXT_CHARS

from .conftest import GOOD, ROOT

FILES = ("sources.yaml", "actors.yaml", "claims/herald-2021-06.yaml",
         "claims/gazette-2021-06.yaml", "claims/herald-more.yaml")

#: Added to tests/data/good so that every field of every kind appears (and stays valid).
MORE_ACTORS = """
- id: market-bombers
  type: group
  label: Market Bombers
  aliases: [the bombers]
  wikidata: Q4
- id: herald-editor
  type: person
  label: Herald Editor
  state: ruritania
- id: market-stall
  type: place
  label: Market Stall
  state: freedonia
  within: grand-market
"""
MORE_SOURCE_FIELDS = """  reliability: B
  reliability_reason: A fictional paper that names its sources.
  translated_from: fr
  derived_from: herald-2021-06
  relation: translation
"""
MORE_CLAIMS = """source: herald-2021-06
claims:
  - id: herald-more-plot
    kind: plot
    name: Grand Market plot
    date: {before: 2021-05-20, text: "Before the bombing"}
    place: fredonia-city
    perpetrators: [market-bombers]
    target: the Grand Market
    status: carried_out
    description: A plot to bomb the Grand Market.
    method: extracted
    confidence: 0.5
    credibility: 3
    inferred:
      target: the market named in the headline
    note: A reviewer's note.
    quotes:
      - "a plot to bomb the Grand Market in Fredonia City"
  - id: herald-more-attack
    kind: attack
    killed: [40]
    injured: [3]
    quotes: ["a bomb exploded at the Grand Market"]
  - id: herald-more-attack-counted
    kind: attack
    injured:
      - value: 40
        qualifier: more_than
        text: more than 40 people
    quotes: ["killing more than 40 people"]
  - id: herald-more-claim
    kind: claim_of_responsibility
    claimant: market-bombers
    concerns: grand-market-bombing
    date: 2021-05
    quotes: ["a bomb exploded at the Grand Market"]
  - id: herald-more-sharing
    kind: intelligence_sharing
    sharer: ruritanian-intelligence-service
    recipient: freedonia
    subject: market-bombers
    date: 2021
    quotes: ["passed the warning privately to Freedonian officials"]
  - id: herald-more-failure
    kind: failure_to_warn
    accused: ruritania
    victim: freedonia
    concerns: grand-market-bombing
    quotes: ["Ruritania warned Freedonia"]
  - id: herald-more-policy
    kind: policy
    name: Ruritanian duty to warn
    issuer: ruritania
    date: 2021-01-01
    waivers: [none named]
    quotes: ["Ruritania warned Freedonia"]
  - id: herald-more-role
    kind: role
    person: herald-editor
    role: editor
    organisation: ruritania
    quotes: ["THE RURITANIA HERALD"]
  - id: herald-more-affiliation
    kind: affiliation
    member: ruritanian-intelligence-service
    organisation: ruritania
    relation: part_of
    quotes: ["The Ruritanian Intelligence Service"]
  - id: herald-more-verdict
    kind: reciprocity_verdict
    parties: [ruritania, freedonia]
    reciprocity: not_reciprocated
    exchange: warnings of bomb plots
    quotes: ["Ruritania warned Freedonia"]
  - id: herald-more-warning
    kind: warning
    warner: ruritanian-intelligence-service
    recipient: freedonia
    subject: market-bombers
    policy: herald-more-policy
    concerns: herald-more-plot
    quotes:
      - "The Ruritanian Intelligence Service passed the warning"
"""

#: Wrong in every field: each must be refused, wherever it is put.
ALWAYS_BAD = {
    "bool": "yes",
    "mapping": "{a: 1}",
    "list-of-null": "[null]",
    "empty-text": '""',
    "negative": "-1",
    "huge-number": "123456789012345678901234567890",
    "surrogate": '"\\uD800"',
    "nul": '"a\\0b"',
    "escape": '"a\\eb"',
    "raw-control": "a\x07b",
    "deep": "[" * 40 + "]" * 40,
    "undefined-alias": "*nowhere",
    "alias": "&here [x]\nkg-fuzz-next: *here",
    "binary": "!!binary aGk=",
    "set": "!!set {a}",
    "too-long": '"' + "x" * (MAX_TEXT_CHARS + 1) + '"',
}
#: Refused by the YAML reader itself, whatever the field: every 5th field is enough.
SAMPLED = {"huge-number", "surrogate", "nul", "escape", "raw-control", "deep",
           "undefined-alias", "alias", "binary", "set", "too-long"}
#: Right for some fields, wrong for others: refused or accepted, never a crash.
SOMETIMES_BAD = {
    "number": "42",
    "float": "0.5",
    "null": "null",
    "list": "[a, b]",
    "full-width-digits": "２０２１",  # and Arabic-Indic ones: test_dates_take_ascii_digits_only
    "date": "2021-02-30",
}
#: Values that matter in one file only.
ONLY_IN = {"sources.yaml": {"path-outside": "../../etc/hostname"}}

_BLOCK = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):( +)(\S.*)$")
_FLOW = re.compile(r"([{,]\s*)([A-Za-z_]+): ([^,}]+)")
_ITEM = re.compile(r"^(\s*- )([^{\[#\s].*)$")


def _value_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, field, in_flow) of every scalar field value of a YAML file."""
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        block = _BLOCK.match(body)
        if block and not block.group(4).startswith(("{", "[", "#")):
            start = offset + block.end(3)
            spans.append((start, offset + len(body), block.group(2), False))
        elif block and block.group(4).startswith("{"):
            for flow in _FLOW.finditer(body):
                spans.append((offset + flow.start(3), offset + flow.end(3), flow.group(2), True))
        elif block and block.group(4).startswith("["):
            spans.append((offset + block.end(3), offset + len(body), block.group(2), False))
        elif _ITEM.match(body) and not block:  # a list item: a quote, a source
            spans.append((offset + _ITEM.match(body).end(1), offset + len(body), "item", False))
        elif body.lstrip().startswith("- {"):
            for flow in _FLOW.finditer(body):
                spans.append((offset + flow.start(3), offset + flow.end(3), flow.group(2), True))
        offset += len(line)
    return spans


def _mutants(text: str, bad: str) -> list[tuple[str, str]]:
    """(field, mutated text) for ``bad`` put in place of each value in ``text``."""
    found = []
    for start, end, field, in_flow in _value_spans(text):
        value = bad
        if "\n" in bad:
            if in_flow:
                continue
            indent = re.match(r"\s*", text[text.rfind("\n", 0, start) + 1:]).group()
            indent = indent + "  " if text[text.rfind("\n", 0, start) + 1:].lstrip() \
                .startswith("- ") else indent
            value = bad.replace("\n", "\n" + indent)
        found.append((field, text[:start] + value + text[end:]))
    return found


READERS = {"sources.yaml": read_sources, "actors.yaml": read_entities}


def _outcome(data: Path, file: str | None = None) -> str | list[str]:
    """'accepted' (read, checked, built), or the refusal's problems as 'file:line: ...'.

    With ``file``, its reader alone is tried first (fast: most mutants stop there).
    """
    if file is not None:
        problems: list[Problem] = []
        READERS.get(file, read_claims_file)(data / file, str(data / file), problems)
        if problems:
            return [str(p) for p in problems]
    try:
        corpus = check_corpus(read_corpus(data))
    except DataError as exc:
        return [str(p) for p in exc.problems]
    # What the readers let through, every store must take: Oxigraph is the strictest.
    serialise(build_dataset(corpus, _ontology(), store=open_dataset("oxigraph")), "nquads")
    return "accepted"


@functools.cache
def _ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """tests/data/good with every field of every kind, valid."""
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(GOOD, target)
    with open(target / "actors.yaml", "a", encoding="utf-8") as handle:
        handle.write(MORE_ACTORS)
    sources = target / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "  language: en\n  notes: Fictional test source;",
        MORE_SOURCE_FIELDS + "  language: en\n  notes: Fictional test source;"),
        encoding="utf-8")
    (target / "claims" / "herald-more.yaml").write_text(MORE_CLAIMS, encoding="utf-8")
    assert _outcome(target) == "accepted"
    kg.load(target)  # and the SHACL shapes agree
    return target


def test_the_fuzzed_corpus_has_every_field_of_every_file_kind(work):
    fields = {field for file in FILES
              for *_, field, _ in _value_spans((work / file).read_text(encoding="utf-8"))}
    expected = {f.rstrip("*") for spec in KINDS.values() for f in spec} | set(SOURCE_FIELDS) \
        | set(ENTITY_KEYS) | set(CLAIM_KEYS) | {"precision", "before", "value", "qualifier",
                                                "text", "item"}
    # "quotes" and "inferred" hold lists and mappings: their items are the fields fuzzed.
    # "original" (an unstored original's mapping) excludes "derived_from", which is here.
    assert expected - {"quotes", "inferred", "original"} <= fields, expected - fields
    assert "inferred:" in (work / "claims" / "herald-more.yaml").read_text(encoding="utf-8")


def _sweep(work: Path, file: str, values: dict[str, str], anywhere: bool = False
           ) -> dict[str, list]:
    """Each value in each field of ``file``: accepted, refused at file:line, or wrong.

    Refused means a problem at a line of ``file`` (or, with ``anywhere``, of any data
    file: a source id changed to another valid one is missed by the claims citing it).
    """
    path = work / file
    where = work if anywhere else path
    original = path.read_text(encoding="utf-8")
    results: dict[str, list] = {"accepted": [], "refused": [], "wrong": []}
    try:
        for name, bad in values.items():
            mutants = _mutants(original, bad)
            for field, mutated in mutants[::5] if name in SAMPLED else mutants:
                path.write_text(mutated, encoding="utf-8")
                outcome = _outcome(work, file)
                case = f"{file} {field}: {name}"
                if outcome == "accepted":
                    results["accepted"].append(case)
                elif any(re.match(rf"{re.escape(str(where))}.*:[1-9][0-9]*: ", p)
                         for p in outcome):
                    results["refused"].append(case)
                else:
                    results["wrong"].append((case, outcome[:3]))
    finally:
        path.write_text(original, encoding="utf-8")
    return results


@pytest.mark.parametrize("file", FILES)
def test_wrong_values_in_every_field_are_refused_at_file_line(work, file):
    results = _sweep(work, file, ALWAYS_BAD)
    assert not results["wrong"], results["wrong"]
    assert not results["accepted"], results["accepted"]
    # Every field was reached: sources and entities have ~10 fields, claims ~20.
    assert len(results["refused"]) >= 8 * (len(ALWAYS_BAD) - len(SAMPLED))


@pytest.mark.parametrize("file", FILES)
def test_other_values_are_refused_at_file_line_or_build(work, file):
    results = _sweep(work, file, {**SOMETIMES_BAD, **ONLY_IN.get(file, {})}, anywhere=True)
    assert not results["wrong"], results["wrong"]
    assert results["refused"] and results["accepted"]


# Mutations of the structure rather than of one value.
STRUCTURE = [
    ("complex key", "claims/herald-2021-06.yaml", "    kind: warning\n",
     "    kind: warning\n    ? [a, b]\n    : c\n", 5, "a key must be a plain word"),
    ("kind as a list", "claims/herald-2021-06.yaml", "    kind: warning\n",
     "    kind: [warning]\n", 4, "'kind' must be text, not a list"),
    ("count text a number", "claims/herald-2021-06.yaml", 'text: "more than 40 people"',
     "text: 130", 26, "a count's 'text' must be the source's words"),
    ("unknown count field", "claims/herald-2021-06.yaml", "qualifier: more_than,",
     "qualifer: more_than,", 26, "unknown field 'qualifer' in a killed count"),
    ("unknown date field", "claims/gazette-2021-06.yaml", "precision: month,",
     "precison: month,", 6, "unknown key 'precison' in a date"),
    ("duplicate key", "actors.yaml", "  label: Freedonia\n",
     "  label: Freedonia\n  label: Fredonia\n", 10, "duplicate key 'label'"),
    ("only comments", "claims/gazette-2021-06.yaml", None, "# nothing yet\n# really\n", 1,
     "file is empty"),
    ("sources as strings", "sources.yaml", None, "- herald-2021-06\n- gazette-2021-06\n", 1,
     "each source is a mapping"),
    ("entities as a mapping", "actors.yaml", None, "ruritania: {type: state}\n", 1,
     "expected a list of entities"),
    ("claims as text", "claims/gazette-2021-06.yaml", None,
     "source: gazette-2021-06\nclaims: none\n", 2, "'claims' must be a list"),
    ("two documents", "actors.yaml", None, "- id: a\n---\n- id: b\n", 2,
     "more than one YAML document"),
    ("NUL in YAML", "actors.yaml", "  label: Freedonia\n", "  label: Free\x00donia\n", 9,
     "holds a NUL character"),
    ("control character in YAML", "actors.yaml", "  label: Freedonia\n",
     "  label: Free\x1bdonia\n", 9, "U+001B is not allowed in YAML"),
    ("duplicate source id", "sources.yaml", "- id: gazette-2021-06", "- id: herald-2021-06", 15,
     "duplicate source id 'herald-2021-06' (first defined at"),
    ("absolute source path", "sources.yaml", "file: sources/herald.txt", "file: /etc/hostname",
     4, "is an absolute path"),
]


@pytest.mark.parametrize("case", STRUCTURE, ids=[c[0] for c in STRUCTURE])
def test_broken_structure_is_refused_at_its_line(good_copy, case):
    _, file, old, new, line, words = case
    path = good_copy / file
    text = path.read_text(encoding="utf-8")
    assert old is None or old in text
    path.write_text(new if old is None else text.replace(old, new, 1), encoding="utf-8")
    problems = _outcome(good_copy)
    assert problems != "accepted"
    # The real error first: reading problems are reported before any reference check.
    assert problems[0].startswith(f"{path}:{line}: ") and words in problems[0], problems


def test_a_symlink_leading_outside_data_is_refused(good_copy, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    shutil.copy(good_copy / "sources" / "herald.txt", outside)
    (good_copy / "sources" / "herald.txt").unlink()
    (good_copy / "sources" / "herald.txt").symlink_to(outside)
    problems = _outcome(good_copy)
    assert problems != "accepted"
    assert problems[0].startswith(f"{good_copy / 'sources.yaml'}:4: ")
    assert "resolves outside the data directory" in problems[0]


def test_dates_take_ascii_digits_only():
    for raw in ("٢٠٢١-٠٥-٠٥", "２０２１", "2021-０5", True, {"value": "2021", "precision": ""}):
        with pytest.raises(ValueError):
            kg.DateValue.parse(raw)


# --- end to end: the kg command, a good out/, bad data ---

BOMB = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))


@pytest.fixture(scope="module")
def good_out(tmp_path_factory) -> Path:
    """out/ as a good build of tests/data/good left it."""
    out = tmp_path_factory.mktemp("good-build") / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(GOOD), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("name,file,old,new", [
    ("alias bomb", "claims/gazette-2021-06.yaml", "  - id: gazette-grand-market-bombing\n",
     "  - id: gazette-grand-market-bombing\n    description:\n      "
     + BOMB.replace("\n", "\n      ") + "\n"),
    ("deep brackets", "actors.yaml", "  label: Freedonia\n", "  label: " + "[" * 20000 + "\n"),
    ("lone surrogate", "actors.yaml", "  label: Freedonia\n", '  label: "Free\\uDC00donia"\n'),
], ids=["alias-bomb", "deep-brackets", "surrogate"])
def test_kg_build_refuses_at_once_and_leaves_out_untouched(tmp_path, good_copy, good_out,
                                                           name, file, old, new):
    out = tmp_path / "out"
    shutil.copytree(good_out, out)
    before = _snapshot(out)
    path = good_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # The default store in a process of its own (as a user runs it), memory in this one.
    start = time.perf_counter()
    bad = subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(good_copy),
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert time.perf_counter() - start < 30, name
    memory = CliRunner().invoke(cli, ["build", "--data", str(good_copy), "--out", str(out),
                                      "--store", "memory"])
    for code, stdout, stderr in ((bad.returncode, bad.stdout, bad.stderr),
                                 (memory.exit_code, memory.stdout, memory.stderr)):
        assert code == 1, stderr
        assert "Traceback" not in stdout + stderr
        assert re.search(rf"{re.escape(str(path))}:[1-9][0-9]*: ", stderr), stderr
    assert bad.stderr == memory.stderr
    assert _snapshot(out) == before
