"""The built dataset: identities on the real data, determinism, atomic outputs, round trips."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV

from kg.build import build_dataset
from kg.iri import local_id
from kg.output import serialise
from kg.project import project
from kg.records import Claim, Corpus, Count, DateValue, Entity, Quote, Source, date_instants
from kg.sparql import rows, run
from kg.validate import check_corpus

from .conftest import DATA, ROOT
from .iris import (
    AP,
    AP_GRAPH,
    AP_SUMMARY,
    CIA,
    CLAIM,
    CROCUS_ATTACK,
    CROCUS_WARNING,
    DAILY_BEAST,
    EVENT,
    GRAPH,
    ICD_191,
    KERMAN_ATTACK,
    KG,
    NAIROBI_BOMBING,
    OUTREACH_GRAPH,
    RFI_GRAPH,
    RUSSIA,
    SOURCE,
    ST_PETERSBURG_PLOT,
    TSARNAEV_TIP,
    US,
)


def _quotes_of(graph, event):
    return {str(q) for claim in graph.subjects(KG.asserts, event)
            for node in graph.objects(claim, KG.evidence) for q in graph.objects(node, KG.quote)}


def test_us_warning_to_russia_of_2024_03_07_is_in_the_ap_graph_with_its_quote(dataset):
    ap = dataset.graph(AP_GRAPH)
    assert (CROCUS_WARNING, RDF.type, KG.Warning) in ap
    assert (CROCUS_WARNING, KG.warner, US) in ap
    assert (CROCUS_WARNING, KG.recipient, RUSSIA) in ap
    assert (CROCUS_WARNING, KG.dated, CLAIM["ap-us-warns-russia-crocus/date"]) in ap
    assert (CROCUS_WARNING, KG.concerns, CROCUS_ATTACK) in ap
    assert {KG.Public, KG.Private} <= set(ap.objects(CROCUS_WARNING, KG.channel))
    assert any(q.startswith("On March 7, the US government publicly issued a very precise "
                            "warning") for q in _quotes_of(ap, CROCUS_WARNING))


def _instant(lexical: str) -> Literal:
    return Literal(lexical, datatype=XSD.dateTime)


def test_the_warning_of_2024_03_07_is_dated_by_a_node_of_the_ap_claim(dataset):
    ap = dataset.graph(AP_GRAPH)
    node = CLAIM["ap-us-warns-russia-crocus/date"]
    assert set(ap.predicate_objects(node)) == {
        (RDF.type, KG.DateValue), (RDFS.label, Literal("2024-03-07")),
        (KG.earliest, _instant("2024-03-07T00:00:00")),
        (KG.latest, _instant("2024-03-08T00:00:00")),
        (KG.datePrecision, KG.Day), (KG.dateText, Literal("On March 7")),
        (KG.dateInferred, Literal("the year, from the source's publication month (sources.yaml: "
                                  "2024-03, itself inferred from the text)"))}


def test_sources_dates_of_one_event_stay_apart_in_the_union(dataset):
    # Two sources date the Nairobi bombing to the day, the AP summary only to the year: in
    # the union of the graphs each date node still has one precision and its own bounds.
    stated = set()
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    for graph in dataset.graphs():
        for node in graph.objects(NAIROBI_BOMBING, KG.dated):
            found = {p: set(union.objects(node, p)) for p in (KG.datePrecision, KG.earliest,
                                                               KG.latest, RDFS.label)}
            assert all(len(values) == 1 for values in found.values()), found
            precision, earliest, latest, label = (next(iter(found[p])) for p in (
                KG.datePrecision, KG.earliest, KG.latest, RDFS.label))
            stated.add((local_id(graph.identifier), str(label), precision, str(earliest),
                        str(latest)))
    assert stated == {
        ("ap-2024-03", "1998-08-07", KG.Day, "1998-08-07T00:00:00", "1998-08-08T00:00:00"),
        ("rfi-2024-03", "1998-08-07", KG.Day, "1998-08-07T00:00:00", "1998-08-08T00:00:00"),
        ("ap-summary", "1998", KG.Year, "1998-01-01T00:00:00", "1999-01-01T00:00:00")}


def test_a_count_is_a_node_of_its_claim_with_one_value_and_qualifier(dataset):
    # The AP's "more than 130" and the RFI's figure for the Crocus attack: each claim's count
    # is its own node, so the union still pairs each number with its qualifier.
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    for graph in dataset.graphs():
        for count in graph.objects(CROCUS_ATTACK, KG.killed):
            claims = set(graph.subjects(KG.asserts, CROCUS_ATTACK))
            assert any(str(count).startswith(f"{claim}/killed/") for claim in claims), count
            assert len(set(union.objects(count, KG.value))) == 1
            assert len(set(union.objects(count, KG.qualifier))) == 1


def test_a_date_the_source_only_bounds_has_no_lower_bound(dataset):
    # "Before 2020-07-08": the day is the upper bound, never the date's value.
    beast = dataset.graph(GRAPH[DAILY_BEAST])
    node = beast.value(ST_PETERSBURG_PLOT, KG.dated)
    assert node is not None and beast.value(node, KG.earliest) is None
    assert beast.value(node, KG.latest) == _instant("2020-07-08T00:00:00")
    assert beast.value(node, KG.qualifier) == KG.Before
    assert beast.value(node, KG.datePrecision) == KG.Day
    assert str(beast.value(node, RDFS.label)) == "before 2020-07-08"


def test_a_source_is_published_on_a_date_node_of_its_own(dataset):
    reference = dataset.graph(GRAPH["reference"])
    node = reference.value(SOURCE[AP], KG.published)
    assert node == SOURCE[AP + "/published"]
    assert reference.value(node, KG.datePrecision) == KG.Month
    assert (reference.value(node, KG.earliest), reference.value(node, KG.latest)) == (
        _instant("2024-03-01T00:00:00"), _instant("2024-04-01T00:00:00"))
    assert reference.value(SOURCE[AP], DCTERMS.issued) is None


def test_the_date_query_of_the_graph_docs_answers(dataset):
    # docs/graph.md shows how to ask for what surely happened in 2024; it must run as shown.
    text = (ROOT / "docs" / "graph.md").read_text(encoding="utf-8")
    query = next(q for q in re.findall(r"```sparql\n(.*?)```", text, re.S) if "kg:earliest" in q)
    found = {(local_id(str(r["event"])), local_id(str(r["g"])), str(r["stated"]))
             for r in rows(run(dataset, query))}
    assert ("us-warns-russia-crocus", "ap-2024-03", "2024-03-07") in found
    assert ("us-warns-iran-kerman", "rfi-2024-03", "2024-01") in found
    assert not any(stated.startswith("before") or not stated.startswith("2024")
                   for _e, _g, stated in found)


@pytest.mark.parametrize(("date", "bounds"), [
    (DateValue("2024-02-28", "day"), ("2024-02-28T00:00:00", "2024-02-29T00:00:00")),
    (DateValue("2023-12-31", "day"), ("2023-12-31T00:00:00", "2024-01-01T00:00:00")),
    (DateValue("2024-12", "month"), ("2024-12-01T00:00:00", "2025-01-01T00:00:00")),
    (DateValue("9999", "year"), ("9999-01-01T00:00:00", "10000-01-01T00:00:00")),
    (DateValue("2022-03-01", "before"), (None, "2022-03-01T00:00:00")),
])
def test_date_instants(date, bounds):
    assert date_instants(date) == bounds


DATES = st.one_of(
    st.dates(max_value=date(9998, 12, 31)).map(lambda d: DateValue(d.isoformat(), "day")),
    st.dates(max_value=date(9998, 12, 31)).map(lambda d: DateValue(d.isoformat()[:7], "month")),
    # Not 9999: its end, 10000-01-01, is valid XML Schema but past what rdflib reads.
    st.integers(1, 9998).map(lambda y: DateValue(f"{y:04d}", "year")),
    st.dates().map(lambda d: DateValue(d.isoformat(), "before")))


@settings(max_examples=60, deadline=None)
@given(DATES)
def test_a_dates_node_projects_back_to_its_record(date):
    # record -> date node -> the projection's facts: the value and precision the record has.
    text = "Ruritania warned Freedonia."
    corpus = Corpus(
        (Source("s1", "s1.txt", hashlib.sha256(text.encode()).hexdigest()),),
        (Entity("ruritania", "state", "Ruritania"), Entity("freedonia", "state", "Freedonia")),
        (Claim("c1", "warning", "s1", "w1", (("date", date), ("recipient", "freedonia"),
                                             ("warner", "ruritania")), (Quote(text),)),),
        {"s1": text})
    facts = project(build_dataset(check_corpus(corpus))).nodes[str(EVENT["w1"])]["facts"]
    assert [(str(v), s) for v, s in facts["date"]] == [(date.value, "s1")]
    assert facts["datePrecision"] == [(date.precision.capitalize(), "s1")]
    earliest, latest = date_instants(date)
    assert earliest is None or earliest < latest


def test_every_quote_offset_slices_the_stored_text(built):
    for claim in built.corpus.claims:
        text = built.corpus.texts[claim.source]
        for quote in claim.quotes:
            assert " ".join(text[quote.start:quote.end].split()) == " ".join(quote.text.split())


def test_quote_nodes_carry_offsets_and_source(dataset):
    ap = dataset.graph(AP_GRAPH)
    claim = CLAIM["ap-us-warns-russia-crocus"]
    for node in ap.objects(claim, KG.evidence):
        assert (node, KG.inSource, SOURCE[AP]) in ap
        start, end = ap.value(node, KG.startOffset), ap.value(node, KG.endOffset)
        assert 0 <= start.toPython() < end.toPython()


def test_more_than_130_is_stored_as_a_bound(dataset):
    ap = dataset.graph(AP_GRAPH)
    counts = list(ap.objects(CROCUS_ATTACK, KG.killed))
    assert [(ap.value(c, KG.value).toPython(), ap.value(c, KG.qualifier)) for c in counts] == [
        (130, KG.MoreThan)]


def test_kerman_tolls_live_in_three_source_graphs(dataset):
    tolls = {}
    for name in ("ap-2024-03", "rfi-2024-03", "outreach-2024"):
        graph = dataset.graph(GRAPH[name])
        tolls[name] = {(graph.value(c, KG.value).toPython(), graph.value(c, KG.qualifier))
                       for c in graph.objects(KERMAN_ATTACK, KG.killed)}
    assert tolls == {"ap-2024-03": {(95, KG.Exact)}, "rfi-2024-03": {(94, KG.Exact)},
                     "outreach-2024": {(100, KG.MoreThan)}}


def test_outreach_disputes_the_tsarnaev_tip_and_types_it_differently(dataset):
    outreach = dataset.graph(OUTREACH_GRAPH)
    disputes = list(outreach.subjects(KG.disputes, TSARNAEV_TIP))
    assert disputes and (disputes[0], KG.disputedAspect, KG.IsDutyToWarn) in outreach
    assert (TSARNAEV_TIP, RDF.type, KG.IntelligenceSharing) in outreach
    assert (TSARNAEV_TIP, RDF.type, KG.Warning) in dataset.graph(RFI_GRAPH)


def test_icd_191_has_its_waiver_conditions(dataset):
    ap = dataset.graph(AP_GRAPH)
    assert (ICD_191, RDF.type, KG.Policy) in ap
    assert len(list(ap.objects(ICD_191, KG.waiverCondition))) >= 2


def test_reference_graph_has_aliases_states_and_wikidata(dataset):
    reference = dataset.graph(GRAPH["reference"])
    assert (CIA, KG.actsFor, US) in reference
    assert Literal("Langley") in set(reference.objects(CIA, None))
    assert str(reference.value(CIA, __import__("rdflib").OWL.sameAs)).endswith("Q37230")


def test_source_metadata_is_what_the_texts_state(dataset):
    reference = dataset.graph(GRAPH["reference"])
    beast = SOURCE[DAILY_BEAST]
    # The blog's repost names the story's author; the story is its own (unstored) article.
    story = reference.value(beast, PROV.wasDerivedFrom)
    assert str(reference.value(story, DCTERMS.creator)) == "Spencer Ackerman"
    assert reference.value(beast, DCTERMS.creator) is None
    assert (reference.value(beast, PROV.qualifiedDerivation), RDF.type, KG.Repost) in reference
    assert (SOURCE[AP_SUMMARY], PROV.wasDerivedFrom, SOURCE[AP]) in reference
    assert str(reference.value(SOURCE["rfi-2024-03"], KG.translatedFrom)) == "fr"
    assert reference.value(SOURCE["outreach-2024"], DCTERMS.creator) is None


def test_sha256_recorded_matches_the_stored_bytes(built):
    for source in built.corpus.sources:
        assert hashlib.sha256((DATA / source.file).read_bytes()).hexdigest() == source.sha256


def test_stored_sources_are_the_seed_articles_byte_for_byte():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():  # a user's clone has no ../shared; CI and developers do
        return
    for seed in seeds.glob("*.txt"):
        assert (DATA / "sources" / seed.name).read_bytes() == seed.read_bytes()


def _build_in_subprocess(out: Path, seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(DATA), "--out", str(out)],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def test_build_is_deterministic_across_processes(tmp_path):
    first = _build_in_subprocess(tmp_path / "a", "1")
    second = _build_in_subprocess(tmp_path / "b", "2")
    assert first == second
    assert {"graph.trig", "graph.ttl", "graph.jsonld", "graph.nq", "validation.txt"} <= set(first)


def test_failed_build_leaves_previous_outputs_intact(tmp_path, good_copy):
    out = tmp_path / "out"
    ok = subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(good_copy),
                         "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (good_copy / "claims" / "broken.yaml").write_text("source: herald-2021-06\nclaims: [\n")
    bad = subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(good_copy),
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "broken.yaml:" in bad.stderr and "Traceback" not in bad.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_trig_output_parses_back_to_the_same_graphs(dataset):
    parsed = Dataset()
    parsed.parse(data=serialise(dataset, "trig"), format="trig")
    for graph in dataset.graphs():
        if len(graph):
            assert isomorphic(graph, parsed.graph(graph.identifier)), graph.identifier


# --- property test: records -> Dataset -> TriG -> Dataset is isomorphic per named graph ---

WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs",
                                                                        "Zl", "Zp")),
                min_size=1, max_size=8)


@st.composite
def corpora(draw):
    actors = [Entity(f"actor-{i}", draw(st.sampled_from(["state", "agency", "group", "person"])),
                     f"{draw(WORDS)} {i}") for i in range(3)]
    sentences = draw(st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join),
                              min_size=1, max_size=5))
    text = "\n".join(sentences)
    claims = []
    for i, sentence in enumerate(sentences):
        kind = draw(st.sampled_from(["warning", "attack"]))
        date = draw(st.one_of(st.none(), DATES))
        fields: dict = {"description": draw(WORDS)}
        if date is not None:
            fields["date"] = date
        if kind == "warning":
            fields["warner"], fields["recipient"] = "actor-0", "actor-1"
            fields["channel"] = tuple(draw(st.lists(st.sampled_from(["public", "private"]),
                                                    unique=True)))
        else:
            fields["killed"] = tuple(Count(draw(st.integers(0, 10**6)),
                                           draw(st.sampled_from(["exact", "more_than"])))
                                     for _ in range(draw(st.integers(0, 2))))
        claims.append(Claim(f"c{i}", kind, "s1", f"e{i}", tuple(sorted(fields.items())),
                            (Quote(sentence),)))
    source = Source("s1", "s1.txt", hashlib.sha256(text.encode()).hexdigest(),
                    title=draw(WORDS))
    return Corpus((source,), tuple(actors), tuple(claims), {"s1": text})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_records_to_trig_and_back_is_isomorphic_per_named_graph(corpus):
    dataset = build_dataset(check_corpus(corpus))
    parsed = Dataset()
    parsed.parse(data=serialise(dataset, "trig"), format="trig")
    for graph in dataset.graphs():
        if len(graph):
            assert isomorphic(graph, parsed.graph(graph.identifier))
