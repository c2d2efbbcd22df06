"""Outputs change as a set: out/ is swapped whole, locked, and left complete by a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import output
from kg.cli import cli
from kg.errors import OutputError
from kg.output import MARKER, locked, write_atomically, write_file_atomically

from .conftest import GOOD, ROOT


def _files(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())
            if p.name != MARKER}


def test_the_directory_is_replaced_whole_and_other_files_are_kept(tmp_path):
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": "one", "validation.txt": "ok"})
    (out / "view.html").write_text("a kg html view", encoding="utf-8")
    inode = out.stat().st_ino
    write_atomically(out, {"graph.ttl": "two", "validation.txt": "ok"})
    assert _files(out) == {"graph.ttl": "two", "validation.txt": "ok",
                           "view.html": "a kg html view"}
    assert out.stat().st_ino != inode, "a new directory took the old one's place"
    assert not out.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "nothing left beside it"


def test_without_an_atomic_swap_the_directory_is_renamed_in(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": "one"})
    write_atomically(out, {"graph.ttl": "two"})
    assert _files(out) == {"graph.ttl": "two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_killed_writers_are_removed(tmp_path):
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": "one"})
    (tmp_path / ".out.kg-new-abc").mkdir()
    (tmp_path / ".out.kg-new-abc" / "graph.ttl").write_text("half", encoding="utf-8")
    (out / ".kg-build-xyz").mkdir()  # what kg before issue 17 left inside out/
    (out / ".view.html.kg-123").write_text("half a page", encoding="utf-8")
    write_atomically(out, {"graph.ttl": "two"})
    write_file_atomically(out / "view.html", "page")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "graph.ttl", "view.html"]


def test_a_directory_kg_did_not_write_is_not_replaced(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "thesis").mkdir(parents=True)
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="holds files kg did not write"):
        write_atomically(home, {"nodes.csv": "a", "edges.csv": "b"})
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "thesis"]
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="holds the current directory"):
        write_atomically(".", {"graph.ttl": "x"})
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"):
        write_atomically(tmp_path / "file", {"graph.ttl": "x"})


def test_out_written_by_an_older_kg_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.trig", "graph.html", "validation.txt", "russia.html"):
        (out / name).write_text("old", encoding="utf-8")
    write_atomically(out, {"graph.trig": "new"})
    assert _files(out)["graph.trig"] == "new" and _files(out)["russia.html"] == "old"


def test_a_second_writer_waits_for_the_first_and_writes_after_it(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_atomically(out, {"graph.ttl": "zero"})
    switching, go_on = threading.Event(), threading.Event()
    real = output._switch

    def slow_switch(staging: Path, target: Path) -> None:
        if threading.current_thread().name == "first":
            switching.set()
            go_on.wait(10)
        real(staging, target)

    monkeypatch.setattr(output, "_switch", slow_switch)
    first = threading.Thread(name="first", target=write_atomically,
                             args=(out, {"graph.ttl": "first", "a.txt": "first"}))
    second = threading.Thread(name="second", target=write_file_atomically,
                              args=(out / "view.html", "second"))
    first.start()
    assert switching.wait(10)
    second.start()  # opens out/ before the first writer swaps it away
    time.sleep(0.3)
    assert not (out / "view.html").exists(), "the second writer waits for the lock"
    go_on.set()
    first.join(10)
    second.join(10)
    assert _files(out) == {"a.txt": "first", "graph.ttl": "first", "view.html": "second"}


def test_the_lock_is_held_while_writing(tmp_path):
    out = tmp_path / "out"
    with locked(out):
        done = threading.Event()
        writer = threading.Thread(target=lambda: (write_atomically(out, {"graph.ttl": "x"}),
                                                  done.set()))
        writer.start()
        assert not done.wait(0.3)
    writer.join(10)
    assert done.is_set() and _files(out) == {"graph.ttl": "x"}


_KILL_AT_SWITCH = """
import os, signal, sys
import kg.output
real, when = kg.output._switch, sys.argv[1]
def switch(staging, out):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real(staging, out)
    os.kill(os.getpid(), signal.SIGKILL)
kg.output._switch = switch
from kg.cli import main
sys.argv = ["kg", "build", "--data", sys.argv[2], "--out", sys.argv[3]]
main()
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_build_killed_at_its_switch_point_leaves_a_complete_build(tmp_path, good_copy, when):
    site = tmp_path / "site"
    out = site / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(good_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    old = _files(out)
    claims = good_copy / "claims" / "herald-2021-06.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "a plot to bomb the Grand Market.", "a plot to bomb the market."), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILL_AT_SWITCH, when, str(good_copy),
                             str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftovers = [p.name for p in site.iterdir() if p.name != "out"]
    assert leftovers and all(name.startswith(".out.kg-new-") for name in leftovers)
    found = _files(out)
    assert set(found) == set(old)
    if when == "before":
        assert found == old
    else:
        assert all(found[name] != old[name] for name in ("graph.trig", "graph.jsonld", "graph.nq"))
        assert "bomb the market." in found["graph.ttl"]
    result = CliRunner().invoke(cli, ["build", "--data", str(good_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.iterdir()) == ["out"], "leftovers cleaned up"
    assert "bomb the market." in _files(out)["graph.ttl"]


def test_kg_html_and_export_keep_the_rest_of_out(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", "--data", str(GOOD), "--out", str(out)]) \
        .exit_code == 0
    built = _files(out)
    result = CliRunner().invoke(cli, ["html", "--data", str(GOOD), "--out",
                                      str(out / "ruritania.html"), "--actor", "Ruritania"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["export", "--data", str(GOOD), "--format", "csv",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    after = _files(out)
    assert {k: after[k] for k in built} == built
    assert {"ruritania.html", "nodes.csv", "edges.csv"} <= set(after)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_export_of_a_set_refuses_a_directory_kg_did_not_write(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--data", str(GOOD), "--format", "csv",
                                      "--out", str(mine)])
    assert result.exit_code == 1 and "holds files kg did not write" in result.stderr
    result = CliRunner().invoke(cli, ["export", "--data", str(GOOD), "--format", "graphml",
                                      "--out", str(mine)])
    assert result.exit_code == 0, result.output  # one file: replaced by a rename
    assert sorted(p.name for p in mine.iterdir()) == ["graph.graphml", "notes.txt"]


def test_a_page_written_over_a_directory_is_refused(tmp_path):
    (tmp_path / "page.html").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        write_file_atomically(tmp_path / "page.html", "x")
    assert os.listdir(tmp_path) == ["page.html"]


# --- Serialisations: the same triples give the same bytes on every store --------------------

def _small(store):
    from rdflib import BNode, Literal

    from kg.iri import entity_iri, event_iri, graph_iri
    from kg.stores import open_dataset
    from kg.vocab import KG

    dataset = open_dataset(store)
    warning = event_iri("w1")
    source = dataset.graph(graph_iri("s1"))
    source.add((warning, KG.warner, entity_iri("ruritania")))
    source.add((warning, KG.description, Literal('a "quoted"\nline')))
    dataset.graph(graph_iri("ontology")).add((KG.Warning, KG.note, BNode("u1")))
    return dataset


@pytest.mark.parametrize("fmt", ["trig", "turtle", "nquads", "json-ld"])
def test_each_format_is_the_same_bytes_from_rdflib_and_from_oxigraph(fmt):
    assert output.serialise(_small("memory"), fmt) == output.serialise(_small("oxigraph"), fmt)


def test_turtle_declares_the_one_prefix_table_sorted_and_uses_it():
    from kg.iri import PREFIXES

    text = output.serialise(_small("memory"), "turtle")
    declared = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert declared == sorted(declared)
    assert {line.split()[1].rstrip(":") for line in declared} <= set(PREFIXES)
    assert "\tkg:warner entity:ruritania ." in text and "event:w1 kg:description" in text


def test_nquads_are_sorted_lines_each_with_its_graph():
    lines = output.serialise(_small("oxigraph"), "nquads").splitlines()
    assert lines == sorted(lines) and len(lines) == 3
    assert all(line.endswith((" <https://w3id.org/duty-to-warn/graph/s1> .",
                              " <https://w3id.org/duty-to-warn/graph/ontology> ."))
               for line in lines)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        output.writer({}, "xml")
