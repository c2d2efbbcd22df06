"""The projection: each question answers the same from only what it reads as from everything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kg import analysis
from kg.build import build_dataset
from kg.pipeline import load
from kg.project import NEEDS, needs_of, project
from kg.stores import open_dataset
from kg.synthetic import synthetic_corpus
from kg.validate import check_corpus

from .conftest import DATA
from .iris import AP, CROCUS_WARNING, OUTREACH, RFI, US

#: Each question as its ``kg`` command asks it: (command, answer from a projection).
QUESTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("warnings", analysis.warnings),
    ("reciprocity", lambda g: analysis.reciprocity(g, "state")),
    ("reciprocity", lambda g: analysis.reciprocity(g, "actor")),
    ("lead-times", analysis.lead_times),
    ("attacks", analysis.attacks),
    ("conflicts", analysis.conflicts),
    ("conflicts", lambda g: analysis.conflicts(g, every=True)),
    ("timeline", analysis.timeline),
]
#: The questions about named actors, on the seed data (the synthetic corpus names others).
SEED_QUESTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("actor", lambda g: [analysis.actor(g, n) for n in ("Putin", "Langley", "Russia",
                                                          "ISIS-K", "Iran")]),
    ("path", lambda g: [analysis.path(g, a, b) for a, b in (
        ("Putin", "Tamerlan Tsarnaev"), ("Langley", "Iran"), ("FSB", "Kerman"))]),
]
SYNTHETIC_QUESTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("actor", lambda g: [analysis.actor(g, n) for n in ("State 0", "Agency 3")]),
    ("path", lambda g: [analysis.path(g, "State 1", "Agency 7")]),
]


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def datasets(request) -> dict[str, Any]:
    """The seed data and a synthetic corpus, each in the store named."""
    return {"seed": load(DATA, store=request.param, shapes=False).dataset,
            "synthetic": build_dataset(check_corpus(synthetic_corpus(400, seed=5)),
                                       store=open_dataset(request.param))}


def _cases(corpus: str) -> list[tuple[str, Callable[[Any], Any]]]:
    return QUESTIONS + (SEED_QUESTIONS if corpus == "seed" else SYNTHETIC_QUESTIONS)


@pytest.mark.parametrize("corpus", ["seed", "synthetic"])
def test_every_question_answers_the_same_from_what_it_reads(datasets, corpus):
    dataset = datasets[corpus]
    full = project(dataset, lean=True)
    narrow = {command: project(dataset, needs=command) for command in NEEDS}
    for command, answer in _cases(corpus):
        expected = answer(full)
        # The seed data has something in every answer (the synthetic corpus no conflicts).
        assert expected or corpus == "synthetic", f"{command}: nothing to compare"
        assert answer(narrow[command]) == expected, command


@pytest.mark.parametrize("corpus", ["seed", "synthetic"])
def test_narrow_projections_read_less(datasets, corpus):
    dataset = datasets[corpus]
    full = project(dataset)
    warnings = project(dataset, needs="warnings")
    assert warnings.number_of_edges() < full.number_of_edges()
    # Neither the claims' plumbing nor, for the lead times, any quote.
    lead = project(dataset, needs="lead-times")
    assert not any("quote" in d.get("facts", {}) for _, d in lead.nodes(data=True))
    assert not any(k == "inSource" for _, _, k in warnings.edges(keys=True))


def test_the_same_projection_from_every_store(datasets):
    """Memory and Oxigraph give one projection: node data, edges and their sources."""
    mine = project(datasets["seed"], needs="warnings")
    other = project(load(DATA, store="memory", shapes=False).dataset, needs="warnings")
    assert dict(mine.nodes(data=True)) == dict(other.nodes(data=True))
    assert sorted(mine.edges(keys=True, data=True)) == sorted(other.edges(keys=True, data=True))


def test_a_narrow_projection_keeps_what_the_warnings_question_shows(datasets):
    graph = project(datasets["seed"], needs="warnings")
    crocus = str(CROCUS_WARNING)
    assert graph.nodes[crocus]["types"] == ["Warning"]
    assert {AP, RFI, OUTREACH} <= set(graph.nodes[crocus]["typed_by"]["Warning"])
    warners = {v for _, v, k in graph.out_edges(crocus, keys=True) if k == "warner"}
    assert str(US) in warners or any(graph.nodes[w].get("state") == str(US) for w in warners)


def test_rollup_and_source_selection_apply_to_narrow_projections(datasets):
    dataset = datasets["seed"]
    for rollup in (False, True):
        full = project(dataset, rollup=rollup, lean=True, sources={AP, RFI})
        narrow = project(dataset, rollup=rollup, sources={AP, RFI}, needs="warnings")
        assert analysis.warnings(narrow) == analysis.warnings(full)
        assert {s for r in analysis.warnings(narrow) for s in r["sources"]} <= {AP, RFI}


def test_needs_name_only_terms_of_the_ontology():
    from kg.project import _needs

    with pytest.raises(AttributeError):
        _needs("warner recipeint")  # a typo fails here, not as a silently empty answer
    assert needs_of("export") is None
    path = needs_of("path")
    assert path is not None and path.predicates is None and "asserts" in path.skip


def test_the_sparql_server_path_reads_the_same(monkeypatch):
    """A store that is neither rdflib's nor Oxigraph is read through rdflib's SELECT."""
    import kg.project

    dataset = load(DATA, store="memory", shapes=False).dataset
    expected = {needs: project(dataset, needs=needs) for needs in ("warnings", "path")}
    import kg.project_read

    monkeypatch.setattr(kg.project, "reader", kg.project_read._Reader)
    for needs, graph in expected.items():
        through_select = project(dataset, needs=needs)
        assert dict(through_select.nodes(data=True)) == dict(graph.nodes(data=True))
        assert sorted(through_select.edges(keys=True, data=True)) == sorted(
            graph.edges(keys=True, data=True))
    assert analysis.path(through_select, "Putin", "Tamerlan Tsarnaev") == analysis.path(
        expected["path"], "Putin", "Tamerlan Tsarnaev")


# kg.answers.ask: the same answers, kept beside an on-disk store only while they hold.

ASKED: list[tuple[str, tuple[Any, ...]]] = [
    ("warnings", ()), ("reciprocity", ("state",)), ("reciprocity", ("actor",)),
    ("lead-times", ()), ("attacks", ()), ("conflicts", ()), ("conflicts", (True,)),
    ("timeline", ()), ("actor", ("Langley",)), ("path", ("Putin", "Tamerlan Tsarnaev")),
]


def test_ask_answers_as_the_full_projection_does(datasets):
    from kg.answers import QUESTIONS, ask

    full = project(datasets["seed"], lean=True)
    for question, args in ASKED:
        assert ask(datasets["seed"], question, *args) == QUESTIONS[question](full, *args)


def _on_disk(data, place):
    from kg.stores import close

    close(load(data, store=f"oxigraph:{place}", shapes=False).dataset)
    return open_dataset(f"oxigraph:{place}")


def test_an_answer_is_kept_beside_the_store_and_read_back(tmp_path, monkeypatch):
    import kg.answers
    from kg.stores import close

    dataset = _on_disk(DATA, tmp_path / "store")
    try:
        fresh = {(q, a): kg.answers.ask(dataset, q, *a, keep=False) for q, a in ASKED}
        first = {(q, a): kg.answers.ask(dataset, q, *a) for q, a in ASKED}
        kept = sorted((tmp_path / "store.answers").iterdir())
        assert len(kept) == len({(q, a) for q, a in ASKED})

        def no_projection(*_args, **_kwargs):
            raise AssertionError("a kept answer must be read, not made again")

        monkeypatch.setattr(kg.answers, "project", no_projection)
        assert {(q, a): kg.answers.ask(dataset, q, *a) for q, a in ASKED} == first == fresh
        with pytest.raises(AssertionError):  # other arguments are another answer
            kg.answers.ask(dataset, "actor", "Putin")
    finally:
        close(dataset)


def test_a_rebuilt_store_never_gets_an_earlier_answer(good_copy, tmp_path):
    from kg.answers import ask
    from kg.stores import close

    dataset = _on_disk(good_copy, tmp_path / "store")
    before = ask(dataset, "warnings")
    close(dataset)
    claims = good_copy / "claims" / "herald-2021-06.yaml"  # the source's outcome changes
    claims.write_text(claims.read_text().replace("outcome: attack_happened",
                                                 "outcome: unknown", 1))
    dataset = _on_disk(good_copy, tmp_path / "store")
    try:
        after = ask(dataset, "warnings")
        assert after == ask(dataset, "warnings", keep=False) != before
        assert len(list((tmp_path / "store.answers").iterdir())) == 1, "earlier build's gone"
    finally:
        close(dataset)


def test_a_store_not_built_by_kg_build_keeps_no_answers(tmp_path):
    from kg.answers import ask
    from kg.stores import close

    dataset = open_dataset(f"oxigraph:{tmp_path / 'store'}")
    try:
        build_dataset(check_corpus(synthetic_corpus(40, seed=1)), store=dataset)
        assert ask(dataset, "warnings") == analysis.warnings(project(dataset))
        assert not (tmp_path / "store.answers").exists()
    finally:
        close(dataset)


def test_an_entity_whose_id_reads_like_a_derivation_keeps_its_label():
    # Only a source's own derivation node (source/<id>/derivation) is read as one.
    from kg.iri import ENTITY, derivation_iri
    from kg.reshape import RDFS_LABEL, Reshaper

    shapes = Reshaper()
    assert not shapes.reference(ENTITY + "derivation", RDFS_LABEL, "Derivation Ltd")
    assert shapes.reference(str(derivation_iri("rfi-2024-03")), RDFS_LABEL, "x")
