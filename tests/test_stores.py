"""Stores: the same graph, outputs and answers on rdflib's memory store, Oxigraph and Virtuoso.

Virtuoso is Debian's ``virtuoso-opensource``, installed if missing and started on
127.0.0.1 by ``scripts/virtuoso.sh`` for this session only, and written to and queried
through ``--store sparql:URL`` like any SPARQL 1.1 server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg import analysis, sparql
from kg.cli import cli
from kg.errors import DataError, Problem, StoreError
from kg.output import serialise
from kg.project import project
from kg.stores import StoreSpec, close, open_dataset, parse_store, read_manifest, select

from .conftest import DATA, ROOT
from .iris import AP, CROCUS_WARNING, GRAPH, KG

GOLDEN = Path(__file__).resolve().parent / "golden"
STORES = ("memory", "oxigraph", "virtuoso")


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server for this session: its ``sparql:`` store spec."""
    where = tmp_path_factory.mktemp("virtuoso")
    script = ROOT / "scripts" / "virtuoso.sh"
    started = subprocess.run(["bash", str(script), "start", str(where)], capture_output=True,
                             text=True, check=False, timeout=600)
    assert started.returncode == 0, started.stderr
    yield "sparql:" + started.stdout.strip()
    subprocess.run(["bash", str(script), "stop", str(where)], check=False, timeout=120)
    shutil.rmtree(where, ignore_errors=True)


@pytest.fixture(scope="session")
def loaded(virtuoso):
    """The real data loaded into each store (quotes and references checked)."""
    specs = {"memory": "memory", "oxigraph": "oxigraph", "virtuoso": virtuoso}
    return {name: kg.load(DATA, store=spec, shapes=False) for name, spec in specs.items()}


def ask(dataset, name):
    rows = sparql.rows(sparql.run(dataset, sparql.query_text(name)))
    for row in rows:
        if "lead" in row:  # Virtuoso subtracts dates to seconds, the others to a duration
            row["lead"] = sparql.lead_days(row["lead"])
    return rows


@pytest.mark.parametrize("spec,parsed", [
    ("memory", StoreSpec("memory")),
    ("oxigraph", StoreSpec("oxigraph")),
    ("oxigraph:/var/kg/store", StoreSpec("oxigraph", "/var/kg/store")),
    ("sparql:http://127.0.0.1:8890/sparql", StoreSpec("sparql", "http://127.0.0.1:8890/sparql")),
    ("sparql:http://h/ds/query,http://h/ds/update",
     StoreSpec("sparql", "http://h/ds/query", "http://h/ds/update")),
])
def test_store_specs_parse_and_print_back(spec, parsed):
    assert parse_store(spec) == parsed
    assert parse_store(str(parsed)) == parsed


@pytest.mark.parametrize("spec", ["postgres", "memory:x", "sparql:", "sparql:ftp://h/sparql",
                                  "sparql:http://a,http://b,http://c"])
def test_a_bad_store_spec_says_what_is_accepted(spec):
    with pytest.raises(StoreError, match="sparql"):
        parse_store(spec)


def test_the_cli_refuses_a_bad_store_with_a_message_not_a_traceback():
    result = CliRunner().invoke(cli, ["warnings", "--store", "postgres"])
    assert result.exit_code == 2
    assert "unknown store 'postgres'" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_an_on_disk_store_in_use_is_a_clear_error(tmp_path):
    first = open_dataset(f"oxigraph:{tmp_path}")
    with pytest.raises(StoreError, match="using it"):
        open_dataset(f"oxigraph:{tmp_path}")
    close(first)


def test_an_unreachable_sparql_server_is_a_clear_error():
    result = CliRunner().invoke(cli, ["warnings", "--data", str(DATA),
                                      "--store", "sparql:http://127.0.0.1:9/sparql"])
    assert result.exit_code == 1
    assert "cannot be reached" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("name", sorted(sparql.named_queries()))
def test_named_query_gives_its_golden_result_on_every_store(loaded, store, name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    for row in expected:
        if "lead" in row:
            row["lead"] = sparql.lead_days(row["lead"])
    assert ask(loaded[store].dataset, name) == expected


QUESTIONS = {
    "warnings": analysis.warnings, "lead_times": analysis.lead_times,
    "attacks": analysis.attacks, "conflicts": analysis.conflicts,
    "timeline": analysis.timeline,
    "reciprocity_state": lambda g: analysis.reciprocity(g, "state"),
    "reciprocity_actor": lambda g: analysis.reciprocity(g, "actor"),
    "path": lambda g: analysis.path(g, "Putin", "Tamerlan Tsarnaev"),
}


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_the_questions_answer_the_same_on_every_store(loaded, graph, store, question):
    on_store = project(loaded[store].dataset, lean=True)
    assert QUESTIONS[question](on_store) == QUESTIONS[question](graph)


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_an_actor_profile_is_the_same_on_every_store_but_for_alias_order(loaded, graph, store):
    mine = analysis.actor(project(loaded[store].dataset, lean=True), "Langley")
    reference = analysis.actor(graph, "Langley")
    assert sorted(mine.pop("aliases")) == sorted(reference.pop("aliases"))
    assert mine == reference


def test_the_lean_projection_answers_every_question_like_the_full_one(graph, dataset):
    lean = project(dataset, lean=True)
    assert lean.number_of_edges() < graph.number_of_edges()
    for question in QUESTIONS.values():
        assert question(lean) == question(graph)


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("fmt", ["trig", "turtle", "nquads", "json-ld"])
def test_outputs_are_byte_identical_on_every_store(loaded, store, fmt):
    assert serialise(loaded[store].dataset, fmt) == serialise(loaded["memory"].dataset, fmt)


def test_oxigraph_literals_read_back_as_rdflib_makes_them(loaded):
    rows = list(select(loaded["oxigraph"].dataset,
                       f"SELECT ?quote WHERE {{ GRAPH <{GRAPH[AP]}> {{ ?c <{KG.asserts}> "
                       f"<{CROCUS_WARNING}> ; <{KG.evidence}>/<{KG.quote}> ?quote }} }}"))
    assert rows and all(row[0].datatype is None for row in rows)


@pytest.mark.parametrize("query", sorted(sparql.named_queries()) + ["""
    SELECT ?v WHERE { VALUES ?v { 7 -3 "04"^^xsd:integer 2.5 1.0e3 true "0"^^xsd:boolean
      "x"^^xsd:boolean "2024-03-07"^^xsd:date "P15D"^^xsd:dayTimeDuration "Moskva"@ru "plain"
      <https://w3id.org/duty-to-warn/id/entity/russia> <https://example.org/x>
      <https://w3id.org/duty-to-warn/.well-known/genid/b0> "seven"^^xsd:integer } }"""])
def test_oxigraph_rows_read_natively_equal_rows_read_through_rdflib_terms(loaded, query):
    result = sparql.run(loaded["oxigraph"].dataset, sparql.query_text(query))
    assert hasattr(result, "native_rows")
    native = sparql.rows(result)
    assert native and native == sparql.rdflib_rows(result)


def test_virtuoso_holds_only_our_graphs_as_ours_and_a_second_load_writes_nothing(
        loaded, virtuoso):
    names = {str(g.identifier) for g in loaded["virtuoso"].dataset.graphs()}
    assert names == {str(g.identifier) for g in loaded["memory"].dataset.graphs() if len(g)}
    again = kg.load(DATA, store=virtuoso, shapes=False)
    assert again.written == ()


def test_the_cli_answers_the_same_through_a_sparql_server(loaded, virtuoso):
    def answer(store):
        result = CliRunner().invoke(cli, ["reciprocity", "--data", str(DATA), "--store", store,
                                          "--format", "json"])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    assert answer(virtuoso) == answer("memory")


@pytest.fixture
def on_disk(good_copy, tmp_path):
    """A tiny corpus and an Oxigraph store on disk built from it: (data dir, store spec)."""
    spec = f"oxigraph:{tmp_path / 'store'}"
    built = kg.load(good_copy, store=spec)
    assert set(built.written) == {"ontology", "reference", "gazette-2021-06", "herald-2021-06"}
    close(built.dataset)
    return good_copy, spec


def _state(spec):
    dataset = open_dataset(spec)
    try:
        return read_manifest(dataset), sorted(dataset.quads((None, None, None, None)))
    finally:
        close(dataset)


def test_an_unchanged_corpus_writes_nothing(on_disk):
    data, spec = on_disk
    built = kg.load(data, store=spec)
    assert built.written == ()
    close(built.dataset)


def test_a_changed_claims_file_rewrites_only_its_graph(on_disk):
    data, spec = on_disk
    claims = data / "claims" / "gazette-2021-06.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "routine intelligence sharing, not", "routine sharing of intelligence, not"),
        encoding="utf-8")
    built = kg.load(data, store=spec)
    assert built.written == ("gazette-2021-06",)
    descriptions = {str(o) for o in built.dataset.graph(GRAPH["gazette-2021-06"]).objects(
        None, KG.description)}
    assert any("routine sharing of intelligence" in d for d in descriptions)
    close(built.dataset)


def test_adding_a_source_writes_it_and_the_reference_graph_only_and_removing_drops_it(on_disk):
    data, spec = on_disk
    shutil.copy(data / "sources" / "gazette.txt", data / "sources" / "copy.txt")
    sha = next(line.split(":")[1].strip() for line in
               (data / "sources.yaml").read_text(encoding="utf-8").splitlines()
               if "37d86448" in line)
    original = (data / "sources.yaml").read_text(encoding="utf-8")
    (data / "sources.yaml").write_text(original + f"\n- id: copy-2021\n  file: sources/copy.txt"
                                                  f"\n  sha256: {sha}\n", encoding="utf-8")
    built = kg.load(data, store=spec)
    assert built.written == ("copy-2021", "reference")
    close(built.dataset)
    (data / "sources.yaml").write_text(original, encoding="utf-8")
    built = kg.load(data, store=spec)
    assert built.written == ("reference",)
    assert str(GRAPH["copy-2021"]) not in read_manifest(built.dataset)
    close(built.dataset)


def test_a_failed_build_leaves_the_store_as_it_was(on_disk, monkeypatch):
    data, spec = on_disk
    before = _state(spec)
    claims = data / "claims" / "gazette-2021-06.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "routine intelligence sharing, not", "routine sharing of intelligence, not"),
        encoding="utf-8")
    # The readers catch nearly everything a shape would; stand in for a shape violation.
    monkeypatch.setattr(kg.pipeline, "shacl_problems",
                        lambda *args: [Problem(str(claims), 1, "shape violation")])
    with pytest.raises(DataError, match="shape violation"):
        kg.load(data, store=spec)
    assert _state(spec) == before
    monkeypatch.undo()
    built = kg.load(data, store=spec)
    assert built.written == ("gazette-2021-06",)
    close(built.dataset)


def test_kg_build_reports_what_it_rewrote(on_disk, tmp_path):
    data, spec = on_disk
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--store", spec,
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "0 graph(s) rewritten, the rest unchanged" in result.stdout


# --- The Oxigraph adapter and its protocol -------------------------------------------------

def _tiny(store):
    """Two graphs of ours that share one triple in ``store``, and (on Oxigraph, which can be
    persistent) the manifest."""
    from rdflib import Literal

    from kg.iri import MANIFEST, entity_iri, graph_iri

    dataset = open_dataset(store)
    shared = (entity_iri("a"), KG.warner, entity_iri("b"))
    for name in ("s1", "s2"):
        dataset.graph(graph_iri(name)).add(shared)
    dataset.graph(graph_iri("s2")).add((entity_iri("a"), KG.name, Literal("A")))
    if store != "memory":
        dataset.graph(MANIFEST).add((entity_iri("a"), KG.note, Literal("not ours")))
    return dataset


def test_only_oxigraph_offers_the_native_protocol():
    from kg.oxigraph import OxigraphStore
    from kg.stores import NativeStore, native

    oxigraph, memory = open_dataset("oxigraph"), open_dataset("memory")
    assert isinstance(oxigraph.store, OxigraphStore)
    assert isinstance(oxigraph.store, NativeStore) and native(oxigraph) is oxigraph.store
    assert native(memory) is None
    assert str(oxigraph.spec) == "oxigraph" and memory.spec == StoreSpec("memory")


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_union_counts_a_triple_stated_twice_once_and_the_manifest_never(store):
    from kg.stores import store_union

    dataset = _tiny(store)
    union = store_union(dataset)
    count = [int(row[0]) for row in dataset.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
    assert count == [2]
    assert union == (2 if store == "oxigraph" else None)
    assert [local for local in (str(g.identifier).rsplit("/", 1)[-1]
                                for g in dataset.graphs())] == ["s1", "s2"]


def test_no_attribute_is_set_on_rdflib_objects_by_a_query_or_a_reload(tmp_path):
    """What rdflib's own classes carry is rdflib's: our extras live on classes of ours."""
    from rdflib import Dataset
    from rdflib.query import Result

    from kg.built import reload
    from kg.output import serialise as write
    from kg.oxigraph import NativeResult

    dataset = _tiny("oxigraph")
    result = dataset.query("SELECT ?s { ?s ?p ?o }")
    assert isinstance(result, NativeResult) and type(result) is not Result
    assert "native_rows" not in vars(Result("SELECT"))
    nquads = tmp_path / "graph.nq"
    nquads.write_text(write(dataset, "nquads"), encoding="utf-8")
    again = reload(nquads)
    assert type(again) is not Dataset and again.built_from == str(nquads)
    base = set(vars(Dataset(store=again.store)))
    assert set(vars(again)) - base == {"spec", "built_from"}
    assert sorted(vars(again.store)) == sorted(vars(type(again.store)())), \
        "the store's attributes are the ones its class declares"


def test_a_reloaded_build_gives_back_its_blank_nodes_and_its_bytes(tmp_path):
    from rdflib import BNode, Literal

    from kg.built import reload
    from kg.iri import graph_iri
    from kg.output import serialise as write

    dataset = open_dataset("memory")
    blank = BNode("b0a1")
    graph = dataset.graph(graph_iri("ontology"))
    graph.add((KG.Warning, KG.note, blank))
    graph.add((blank, KG.name, Literal("a class union")))
    text = write(dataset, "nquads")
    (tmp_path / "graph.nq").write_text(text, encoding="utf-8")
    again = reload(tmp_path / "graph.nq")
    assert write(again, "nquads") == text
    assert (KG.Warning, KG.note, blank) in again.graph(graph_iri("ontology"))


def test_rows_read_natively_are_rows_of_rdflib_terms():
    from rdflib import Literal

    from kg.iri import entity_iri
    from kg.stores import native_select, store_union

    dataset = _tiny("oxigraph")
    store_union(dataset)  # as every build does: the union, without the manifest
    query = f"SELECT ?o {{ <{entity_iri('a')}> ?p ?o }}"
    assert set(select(dataset, query)) == {(entity_iri("b"),), (Literal("A"),)}
    assert set(select(_tiny("memory"), query)) == {(entity_iri("b"),), (Literal("A"),)}
    assert {row[0].value for row in native_select(dataset)(query)} == {
        str(entity_iri("b")), "A"}
    assert native_select(open_dataset("memory")) is None


def test_a_closed_oxigraph_store_says_so():
    from kg.stores import native

    dataset = _tiny("oxigraph")
    close(dataset)
    with pytest.raises(StoreError, match="closed"):
        native_store = native(dataset)
        assert native_store is not None
        native_store.read_record()


# --- Fingerprints ---------------------------------------------------------------------------

def test_a_graph_is_rebuilt_when_its_records_or_the_shapes_change_and_not_for_code_comments(
        good_copy):
    from kg import fingerprints
    from kg.pipeline import ontology_dir
    from kg.sources import read_corpus

    corpus = read_corpus(good_copy)
    shapes = ontology_dir() / "shapes.ttl"
    before = fingerprints.graph_fingerprints(corpus, None, fingerprints.seed([shapes]))
    assert before == fingerprints.graph_fingerprints(corpus, None, fingerprints.seed([shapes]))
    changed = good_copy / "shapes.ttl"
    changed.write_bytes(shapes.read_bytes() + b"\n# a stricter shape\n")
    assert set(before.values()).isdisjoint(fingerprints.graph_fingerprints(
        corpus, None, fingerprints.seed([changed])).values()), "every graph is checked again"
    import inspect

    assert "read_bytes" not in inspect.getsource(fingerprints.graph_fingerprints), \
        "the builder's source is not part of a fingerprint"


def test_a_new_shape_version_rebuilds_every_graph(good_copy, monkeypatch):
    from kg import fingerprints
    from kg.sources import read_corpus

    corpus = read_corpus(good_copy)
    before = fingerprints.graph_fingerprints(corpus, None, fingerprints.seed())
    monkeypatch.setattr(fingerprints, "SHAPE_VERSION", fingerprints.SHAPE_VERSION + 1)
    after = fingerprints.graph_fingerprints(corpus, None, fingerprints.seed())
    assert before.keys() == after.keys()
    assert all(before[k] != after[k] for k in before)
