"""The pipeline's options: extracted claims for sources without curated claims."""

from __future__ import annotations

import hashlib

import pytest

import kg
from kg import sparql


def test_with_extracted_adds_marked_claims_only_for_uncurated_sources(good_copy):
    text = ("On 3 March 2022, Freedonia warned Ruritania of an imminent attack on a market in "
            "Fredonia City.\n")
    (good_copy / "sources" / "bulletin.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    with open(good_copy / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"\n- id: bulletin-2022\n  file: sources/bulletin.txt\n  sha256: {digest}\n"
                     "  published: 2022-03-10\n")
    plain = kg.load(good_copy)
    assert not [c for c in plain.corpus.claims if c.source == "bulletin-2022"]

    built = kg.load(good_copy, with_extracted=True)
    extracted = [c for c in built.corpus.claims if c.method == "extracted"]
    assert extracted and {c.source for c in extracted} == {"bulletin-2022"}
    rows = sparql.rows(sparql.run(built.dataset, """
        SELECT ?claim ?source WHERE { GRAPH ?g { ?claim kg:method kg:Extracted ;
                                                        kg:inSource ?source } }"""))
    assert {r["source"] for r in rows} == {"bulletin-2022"}
    warnings = sparql.rows(sparql.run(built.dataset, """
        SELECT ?w ?warner WHERE { GRAPH <https://w3id.org/duty-to-warn/graph/bulletin-2022> {
            ?w a kg:Warning ; kg:warner ?warner } }"""))
    assert {r["warner"] for r in warnings} == {"freedonia"}
    curated = sparql.rows(sparql.run(built.dataset, """
        SELECT ?claim WHERE { ?claim kg:method kg:Curated }"""))
    assert curated, "curated claims are still there, marked as curated"


def test_a_place_within_a_place_is_checked_and_reaches_the_answers(good_copy):
    from kg.errors import DataError
    from kg.project import project
    from kg.stated import hierarchy

    actors = good_copy / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    marker = "  description: A market in Fredonia City.\n"
    actors.write_text(text.replace(marker, marker + "  within: ruritania\n"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        kg.load(good_copy)
    assert any("within 'ruritania' is not a place entity" in str(p)
               for p in caught.value.problems)
    actors.write_text(text.replace(marker, marker + "  within: fredonia-city\n"),
                      encoding="utf-8")
    graph = project(kg.load(good_copy).dataset)
    market = "https://w3id.org/duty-to-warn/id/entity/grand-market"
    city = "https://w3id.org/duty-to-warn/id/entity/fredonia-city"
    assert hierarchy(graph)(market)[city] == "Grand Market lies in Fredonia City"


def test_a_missing_ontology_is_an_error_of_ours_that_says_what_to_do(monkeypatch, tmp_path):
    from kg import pipeline
    from kg.errors import KGError, SetupError

    monkeypatch.setattr(pipeline, "_PACKAGE", tmp_path / "kg")
    with pytest.raises(SetupError, match="ontology/kg.ttl is not found.*reinstall") as caught:
        pipeline.ontology_dir()
    assert isinstance(caught.value, KGError)


def test_an_incremental_build_does_not_depend_on_the_builders_source(good_copy, tmp_path,
                                                                      monkeypatch):
    """A comment edit in kg/build.py rebuilds nothing: fingerprints do not read code."""
    from pathlib import Path

    spec = f"oxigraph:{tmp_path / 'store'}"
    kg.stores.close(kg.load(good_copy, store=spec).dataset)
    real = Path.read_bytes

    def no_source(path):
        assert Path(path).suffix != ".py", f"read {path}"
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", no_source)
    again = kg.load(good_copy, store=spec)
    kg.stores.close(again.dataset)
    assert again.written == ()
