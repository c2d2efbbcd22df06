"""Read once: read commands answer from what `kg build` made while data/ is unchanged.

And set semantics: on every store, the default graph (the union of the named graphs)
counts a triple once, as SPARQL 1.1's union of graphs (an RDF merge) does.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

import kg
import kg.answers
from kg import built as kg_built
from kg import sources as kg_sources
from kg.built import RECORD_FILE, BuildRecord, answering, changes, read_record_file, take
from kg.cli import cli
from kg.serve import Limits, start
from kg.sparql import rows, run
from kg.stores import close, holds_union, open_dataset, read_record, select

from .conftest import DATA

SD = "http://www.w3.org/ns/sparql-service-description#"
COUNT = "SELECT (COUNT(?e) AS ?n) (COUNT(DISTINCT ?e) AS ?d) WHERE { ?e a kg:Warning }"
#: The real data's warnings, several stated by more than one source's graph.
WARNING_ROWS = "SELECT ?e WHERE { ?e a kg:Warning }"


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def no_reading(monkeypatch):
    """Fail the test if data/ is read (the corpus reader is the only way in)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("data/ was read")

    monkeypatch.setattr(kg_sources, "read_corpus", refuse)
    monkeypatch.setattr(kg.pipeline, "read_corpus", refuse)


@pytest.fixture
def copied(tmp_path):
    """A copy of the real data (edited by tests) and a build of it: (data, out)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = tmp_path / "out"
    code, _, err = _invoke("build", "--data", str(data), "--out", str(out))
    assert code == 0, err
    return data, out


# --- set semantics --------------------------------------------------------------------------

@pytest.mark.parametrize("store", ["memory", "oxigraph", "oxigraph:PATH"])
def test_the_default_graph_counts_each_warning_once_on_every_store(store, tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}" if store == "oxigraph:PATH" else store
    dataset = kg.load(DATA, store=spec, shapes=False).dataset
    try:
        [row] = rows(run(dataset, COUNT))
        assert row["n"] == row["d"] > 0
        named = rows(run(dataset, WARNING_ROWS))
        assert len(named) == len({r["e"] for r in named})
        # GRAPH ?g still sees each source's statement of it.
        per_graph = rows(run(dataset, "SELECT ?g ?e WHERE { GRAPH ?g { ?e a kg:Warning } }"))
        assert len(per_graph) > row["d"]
    finally:
        close(dataset)


def test_a_reopened_on_disk_store_still_counts_once(tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    close(kg.load(DATA, store=spec, shapes=False).dataset)
    ready = answering(DATA, spec)
    try:
        assert holds_union(ready.dataset)
        [row] = rows(run(ready.dataset, COUNT))
        assert row["n"] == row["d"] > 0
    finally:
        close(ready.dataset)


def test_kg_sparql_help_example_returns_each_warning_once(copied, no_reading):
    data, out = copied
    code, text, err = _invoke("sparql", "SELECT ?s WHERE { ?s a kg:Warning }", "--data",
                              str(data), "--built", str(out), "--format", "json")
    assert code == 0 and not err, err
    found = [r["s"] for r in json.loads(text)]
    assert found and len(found) == len(set(found))


@pytest.mark.parametrize("store", ["oxigraph", "oxigraph:PATH"])
def test_the_endpoint_counts_each_warning_once(store, tmp_path, copied):
    data, out = copied
    if store == "oxigraph:PATH":
        spec = f"oxigraph:{tmp_path / 'store'}"
        close(kg.load(data, store=spec, shapes=False).dataset)
        ready = answering(data, spec)
    else:
        ready = answering(data, "oxigraph", out)
    try:
        with start(ready.dataset, "127.0.0.1", 0, workers=1,
                   limits=Limits(timeout=60)) as served:
            from urllib.parse import urlencode
            from urllib.request import Request, urlopen

            prefixed = "PREFIX kg: <https://w3id.org/duty-to-warn/ontology#>\n" + COUNT
            req = Request(f"{served.url}?{urlencode({'query': prefixed})}",
                          headers={"Accept": "application/sparql-results+json"})
            with urlopen(req, timeout=60) as reply:  # noqa: S310 - our own loopback server
                [binding] = json.load(reply)["results"]["bindings"]
            assert binding["n"]["value"] == binding["d"]["value"] != "0"
            # The service description's default graph: the union's distinct triples.
            with urlopen(served.url, timeout=60) as reply:  # noqa: S310
                description = Graph().parse(data=reply.read(), format="turtle")
            default = next(description.objects(None, URIRef(SD + "defaultGraph")))
            union = {triple for graph in ready.dataset.graphs() for triple in graph}
            assert int(description.value(default, VOID.triples)) == len(union)
    finally:
        close(ready.dataset)


# --- read once ------------------------------------------------------------------------------

def test_after_a_build_a_question_reads_nothing_of_data(copied, no_reading):
    data, out = copied
    code, text, err = _invoke("warnings", "--data", str(data), "--built", str(out),
                              "--format", "json")
    assert code == 0 and err == "", err
    assert any(w["id"] == "us-warns-russia-crocus" for w in json.loads(text))


def test_answers_from_the_build_equal_answers_built_in_memory(copied):
    data, out = copied
    for question in (["warnings"], ["reciprocity"], ["attacks"], ["conflicts"], ["timeline"],
                     ["lead-times"], ["actor", "Putin"], ["path", "Putin", "Kremlin"],
                     ["warnings", "--as-of", "2024-03-15"],
                     ["reciprocity", "--min-reliability", "B"], ["sparql", "reciprocity"]):
        fresh = _invoke(*question, "--data", str(data), "--built", str(out), "--format", "json")
        again = _invoke(*question, "--data", str(data), "--store", "memory", "--format", "json")
        assert fresh[0] == again[0] == 0, (question, fresh[2], again[2])
        assert _aliases_sorted(fresh[1]) == _aliases_sorted(again[1]), question
        assert fresh[2] == again[2], question  # the --as-of / --min-reliability notes


def _aliases_sorted(text: str) -> list:
    """An answer, an actor's aliases in order (stores list them in their own order)."""
    answer = json.loads(text)
    for row in answer:
        if isinstance(row.get("aliases"), list):
            row["aliases"] = sorted(row["aliases"])
    return answer


def test_a_touched_but_unchanged_file_does_not_rebuild(copied, no_reading):
    data, out = copied
    claims = data / "claims" / "ap-2024-03.yaml"
    os.utime(claims, ns=(claims.stat().st_atime_ns, claims.stat().st_mtime_ns + 10**9))
    code, _, err = _invoke("warnings", "--data", str(data), "--built", str(out))
    assert code == 0 and err == "", err


def test_a_changed_file_is_named_and_the_answer_follows_it(copied):
    data, out = copied
    claims = data / "claims" / "ap-2024-03.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# a curator's note\n",
                      encoding="utf-8")
    code, text, err = _invoke("warnings", "--data", str(data), "--built", str(out),
                              "--format", "json")
    assert code == 0
    assert "claims/ap-2024-03.yaml" in err and "changed since the last kg build" in err
    assert "building from" in err
    assert json.loads(text)


def test_stale_answers_from_the_old_build_and_says_so(copied, no_reading):
    data, out = copied
    (data / "claims" / "ap-2024-03.yaml").unlink()  # the build would now refuse or differ
    code, text, err = _invoke("warnings", "--data", str(data), "--built", str(out), "--stale",
                              "--format", "json")
    assert code == 0, err
    assert "claims/ap-2024-03.yaml (removed)" in err and "--stale" in err
    assert any(w["id"] == "us-warns-russia-crocus" for w in json.loads(text))


def test_without_a_build_a_question_builds_in_memory_and_says_so(tmp_path):
    code, text, err = _invoke("warnings", "--data", str(DATA), "--built",
                              str(tmp_path / "none"), "--format", "json")
    assert code == 0 and json.loads(text)
    assert "no build of" in err and "kg build" in err


def test_a_failed_build_leaves_the_record_and_outputs_as_they_were(copied):
    data, out = copied
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    sources = data / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("sha256: ", "sha256: 0", 1),
                       encoding="utf-8")
    code, _, _ = _invoke("build", "--data", str(data), "--out", str(out))
    assert code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert RECORD_FILE in before


def test_the_record_holds_the_fingerprint_and_the_sources(copied):
    data, out = copied
    record = read_record_file(out)
    assert record is not None and record.data == str(data.resolve())
    assert {s.id for s in record.source_records()} == {
        s.id for s in kg.read_corpus(data).sources}
    assert changes(record, data) == []
    assert {k: v[:3] for k, v in take(data).files.items()} == {
        k: v[:3] for k, v in record.files.items()}  # size, time, sha256 (racy aside)
    assert BuildRecord.from_json(record.to_json()) == record


def test_an_on_disk_store_answers_without_reading_data_until_it_changes(copied, tmp_path,
                                                                        monkeypatch):
    data, out = copied
    spec = f"oxigraph:{tmp_path / 'store'}"
    code, _, err = _invoke("build", "--data", str(data), "--store", spec, "--out", str(out))
    assert code == 0, err
    reads = []
    real = kg.pipeline.read_corpus
    monkeypatch.setattr(kg.pipeline, "read_corpus", lambda d: reads.append(d) or real(d))
    code, text, err = _invoke("warnings", "--data", str(data), "--store", spec, "--format",
                              "json")
    assert code == 0 and err == "" and reads == [], err
    claims = data / "claims" / "ap-2024-03.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# a note\n", encoding="utf-8")
    code, again, err = _invoke("warnings", "--data", str(data), "--store", spec, "--format",
                               "json")
    assert code == 0 and "bringing store" in err and len(reads) == 1
    assert again == text
    # The store was brought up to date, and says so in its record: no reading next time.
    code, _, err = _invoke("warnings", "--data", str(data), "--store", spec)
    assert code == 0 and err == "" and len(reads) == 1, err
    dataset = open_dataset(spec)
    try:
        assert read_record(dataset) is not None
    finally:
        close(dataset)


def test_an_interrupted_store_update_is_not_trusted(good_copy, tmp_path, monkeypatch):
    data = good_copy
    spec = f"oxigraph:{tmp_path / 'store'}"
    close(kg.load(data, store=spec, shapes=False).dataset)
    claims = data / "claims" / "gazette-2021-06.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "routine intelligence sharing, not", "routine sharing of intelligence, not"),
        encoding="utf-8")

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline, "united", killed)  # after the graphs, before the record
    with pytest.raises(KeyboardInterrupt):
        kg.load(data, store=spec, shapes=False)
    monkeypatch.undo()
    dataset = open_dataset(spec)
    try:
        assert read_record(dataset) is None  # so the next read updates it again
    finally:
        close(dataset)
    ready = answering(data, spec)
    try:
        assert any("bringing store" in n for n in ready.notes)
        [row] = rows(run(ready.dataset, COUNT))
        assert row["n"] == row["d"] > 0
        descriptions = rows(run(ready.dataset, "SELECT ?d WHERE { ?e kg:description ?d }"))
        assert any("routine sharing of intelligence" in r["d"] for r in descriptions)
        assert not any("routine intelligence sharing, not" in r["d"] for r in descriptions)
        assert _union(ready.dataset) == _merge(ready.dataset)
    finally:
        close(ready.dataset)


def _union(dataset) -> set:
    """The triples a query's default graph holds."""
    return set(select(dataset, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))


def _merge(dataset) -> set:
    """The RDF merge of the named graphs (what the default graph must hold)."""
    return {triple for graph in dataset.graphs() for triple in graph}


def test_the_union_follows_incremental_builds(good_copy, tmp_path, monkeypatch):
    data = good_copy
    spec = f"oxigraph:{tmp_path / 'store'}"
    # Written with the graphs, and kept up as they change: never copied whole.
    monkeypatch.setattr(kg.pipeline, "store_union", lambda *_: pytest.fail("copied whole"))
    built = kg.load(data, store=spec, shapes=False)
    assert _union(built.dataset) == _merge(built.dataset)
    close(built.dataset)
    claims = data / "claims" / "gazette-2021-06.yaml"
    original = claims.read_text(encoding="utf-8")
    claims.write_text(original.replace("routine intelligence sharing, not",
                                       "routine sharing of intelligence, not"), encoding="utf-8")
    built = kg.load(data, store=spec, shapes=False)
    assert built.written == ("gazette-2021-06",)
    assert _union(built.dataset) == _merge(built.dataset)
    close(built.dataset)
    claims.unlink()  # its graph empties: what only it stated leaves the union
    built = kg.load(data, store=spec, shapes=False)
    assert _union(built.dataset) == _merge(built.dataset)
    assert not any("routine sharing" in str(o) for _, _, o in _union(built.dataset))
    close(built.dataset)


def test_kg_export_and_html_answer_from_the_build(copied, no_reading, tmp_path):
    data, out = copied
    code, _, err = _invoke("export", "--data", str(data), "--built", str(out), "--format",
                           "nquads", "--out", str(tmp_path / "exported"))
    assert code == 0 and "kg:" not in err, err
    assert (tmp_path / "exported" / "graph.nq").read_bytes() == (out / "graph.nq").read_bytes()
    code, _, err = _invoke("html", "--data", str(data), "--built", str(out), "--out",
                           str(tmp_path / "view.html"), "--actor", "Kremlin")
    assert code == 0 and "no build" not in err and "changed" not in err, err
    assert (tmp_path / "view.html").stat().st_size > 0


def test_a_record_of_another_version_is_not_trusted(copied):
    data, out = copied
    path = out / RECORD_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["version"] = kg_built.VERSION + 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert read_record_file(out) is None
    ready = answering(data, "oxigraph", out)
    assert any("no build of" in n for n in ready.notes)


def test_a_record_whose_sources_do_not_read_back_is_not_trusted(copied):
    # A hand-edited record: an unknown field in a source row is an unreadable record (the
    # read command builds from data/), never an internal error.
    data, out = copied
    path = out / RECORD_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["sources"][0]["outlet_name"] = "edited by hand"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert read_record_file(out) is None
    code, listed, err = _invoke("sources", "--data", str(data), "--built", str(out),
                                "--format", "json")
    assert code == 0, err
    assert "daily-beast-2020-07" in {row["id"] for row in json.loads(listed)}  # read from data/


def test_kg_sources_lists_from_the_record_without_reading_data(copied, tmp_path, monkeypatch):
    data, out = copied
    read = _invoke("sources", "--data", str(data), "--built", str(tmp_path / "none"),
                   "--format", "json")
    monkeypatch.setattr(kg_sources, "read_corpus", lambda *_: pytest.fail("data/ was read"))
    recorded = _invoke("sources", "--data", str(data), "--built", str(out), "--format", "json")
    assert read[0] == recorded[0] == 0 and recorded[2] == ""
    assert json.loads(recorded[1]) == json.loads(read[1])


def test_an_on_disk_store_keeps_the_answer_for_the_next_command(copied, tmp_path, monkeypatch):
    """The second `kg warnings` on a built on-disk store reads the kept answer: no projection."""
    data, out = copied
    store = tmp_path / "store"
    code, _, err = _invoke("build", "--data", str(data), "--store", f"oxigraph:{store}",
                           "--out", str(out))
    assert code == 0, err
    code, first, err = _invoke("warnings", "--data", str(data), "--store", f"oxigraph:{store}",
                               "--format", "json")
    assert code == 0, err
    assert list((tmp_path / "store.answers").iterdir()), "the answer is kept beside the store"

    def refuse(*_args, **_kwargs):
        raise AssertionError("projected again")

    monkeypatch.setattr(kg.answers, "project", refuse)
    code, second, err = _invoke("warnings", "--data", str(data), "--store", f"oxigraph:{store}",
                                "--format", "json")
    assert code == 0 and second == first, err
    assert any(w["id"] == "us-warns-russia-crocus" for w in json.loads(second))


def test_build_keep_answers_makes_the_first_question_read_a_kept_answer(copied, tmp_path,
                                                                       monkeypatch):
    data, out = copied
    spec = f"oxigraph:{tmp_path / 'store'}"
    code, said, err = _invoke("build", "--data", str(data), "--store", spec, "--out", str(out),
                              "--keep-answers")
    assert code == 0 and "Kept 7 answers" in said, err

    def refuse(*_args, **_kwargs):
        raise AssertionError("projected: the answer was not kept by the build")

    monkeypatch.setattr(kg.answers, "project", refuse)
    for args in (["warnings"], ["reciprocity", "--level", "actor"], ["conflicts"],
                 ["lead-times"]):
        code, text, err = _invoke(*args, "--data", str(data), "--store", spec, "--format",
                                  "json")
        assert code == 0, (args, err)
    assert any(r["warning"] == "us-warns-russia-crocus" and r["lead_days"] == 15
               for r in json.loads(text))


def test_build_keep_answers_says_it_keeps_nothing_without_an_on_disk_store(copied):
    data, out = copied
    code, _, err = _invoke("build", "--data", str(data), "--out", str(out), "--keep-answers")
    assert code == 0 and "nothing kept" in err


def test_a_damaged_graph_nq_is_built_again_and_said(copied):
    """graph.nq broken after the build: the answer comes from data/, and stderr says why."""
    data, out = copied
    with (out / "graph.nq").open("a", encoding="utf-8") as nq:
        nq.write("not <n-quads\n")
    code, text, err = _invoke("warnings", "--data", str(data), "--built", str(out), "--format",
                              "json")
    assert code == 0 and "graph.nq cannot be read" in err and "building from" in err, err
    assert any(w["id"] == "us-warns-russia-crocus" for w in json.loads(text))
