"""The pipeline's options: extracted claims for sources without curated claims."""

from __future__ import annotations

import hashlib

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
