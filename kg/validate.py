"""Validation: quotes against their sources, referential integrity, and SHACL shapes.

The shapes are checked by :mod:`kg.shacl` over the triples the builder makes of the
records; pySHACL stays the reference the tests hold it to (:func:`pyshacl_problems`).

Every check collects problems instead of stopping at the first, so a curator sees
all of them as ``file:line: message``.

Example:
    >>> locate_quote("The  US warned\\nRussia early.", "US warned Russia")
    (5, 21)
    >>> locate_quote("The US warned Russia.", "Iran") is None
    True
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from . import shacl
from .build import Terms, Triples
from .errors import DataError, Problem, suggest
from .iri import claim_iri, entity_iri, event_iri, graph_iri, local_id, source_iri
from .records import ENTITY_FIELDS, EVENT_FIELDS, Claim, Corpus, Quote

_WS = re.compile(r"\s+")

#: Which kinds of event a field may point to.
EVENT_FIELD_KINDS = {
    "concerns": ("attack", "plot"),
    "responds_to": ("warning", "claim_of_responsibility", "intelligence_sharing"),
    "policy": ("policy",),
    "disputes": ("warning", "attack", "plot", "intelligence_sharing", "response",
                 "claim_of_responsibility", "failure_to_warn"),
}
#: Which entity types a field may hold (None = any).
ENTITY_FIELD_TYPES: dict[str, tuple[str, ...] | None] = {
    "place": ("place", "state"),
    "person": ("person",),
    "organisation": ("state", "agency", "group"),
    "parties": ("state", "agency", "group", "person"),
}
ACTOR_TYPES = ("state", "agency", "group", "person")


class _NormalText:
    """A text with whitespace runs collapsed, and a map back to original offsets."""

    def __init__(self, text: str):
        pieces, starts = [], []
        pos = 0
        for match in _WS.finditer(text):
            if match.start() > pos:
                pieces.append(text[pos:match.start()])
                starts.append(pos)
            pieces.append(" ")
            starts.append(match.start())
            pos = match.end()
        if pos < len(text):
            pieces.append(text[pos:])
            starts.append(pos)
        self.text = "".join(pieces)
        # Offsets of each piece in the normalised and the original text.
        self._norm_starts, self._orig_starts, n = [], starts, 0
        for piece in pieces:
            self._norm_starts.append(n)
            n += len(piece)
        self._pieces = pieces

    def original(self, norm_index: int, end: bool = False) -> int:
        i = bisect.bisect_right(self._norm_starts, norm_index - (1 if end else 0)) - 1
        delta = norm_index - self._norm_starts[i]
        if self._pieces[i] == " ":
            return self._orig_starts[i] if not end else self._orig_starts[i] + 1
        return self._orig_starts[i] + delta


def locate_quote(text: str, quote: str, normal: _NormalText | None = None
                 ) -> tuple[int, int] | None:
    """Character offsets ``(start, end)`` of ``quote`` in ``text``, ignoring whitespace runs."""
    normal = normal or _NormalText(text)
    needle = _WS.sub(" ", quote).strip()
    found = normal.text.find(needle)
    if found < 0 or not needle:
        return None
    return normal.original(found), normal.original(found + len(needle), end=True)


def check_corpus(corpus: Corpus) -> Corpus:
    """Check quotes and references; return the corpus with quote offsets filled in.

    Raises DataError with every problem found.
    """
    problems: list[Problem] = []
    _check_unique(corpus, problems)
    entities = {e.id: e for e in corpus.entities}
    sources = {s.id: s for s in corpus.sources}
    for entity in corpus.entities:
        if entity.state is not None:
            target = entities.get(entity.state)
            if target is None or target.type != "state":
                problems.append(Problem(entity.where.file, entity.where.line,
                                        f"entity {entity.id!r}: state {entity.state!r} is not a "
                                        f"state entity{suggest(entity.state, entities)}"))
        if entity.within is not None:
            outer = entities.get(entity.within)
            if entity.type != "place":
                problems.append(Problem(entity.where.file, entity.where.line,
                                        f"entity {entity.id!r}: only a place may have 'within' "
                                        "(the place it lies in); use 'state' for an actor"))
            elif outer is None or outer.type != "place":
                problems.append(Problem(entity.where.file, entity.where.line,
                                        f"entity {entity.id!r}: within {entity.within!r} is not "
                                        f"a place entity{suggest(entity.within, entities)}"))
    for source in corpus.sources:
        if source.derived_from is not None and source.derived_from not in sources:
            hint = suggest(source.derived_from, sources)
            problems.append(Problem(source.where.file, source.where.line,
                                    f"source {source.id!r} is derived_from unknown source "
                                    f"{source.derived_from!r}{hint}"))
    event_kinds: dict[str, set[str]] = defaultdict(set)
    for claim in corpus.claims:
        event_kinds[claim.event].add(claim.kind)
    normals = {sid: _NormalText(text) for sid, text in corpus.texts.items()}
    checked = []
    for claim in corpus.claims:
        file = claim.where.file
        if claim.source not in sources:
            problems.append(Problem(file, claim.where.line,
                                    f"claim {claim.id!r}: source {claim.source!r} is not in "
                                    f"sources.yaml{suggest(claim.source, sources)}"))
            checked.append(claim)
            continue
        _check_references(claim, entities, event_kinds, problems)
        quotes = []
        for i, quote in enumerate(claim.quotes):
            span = locate_quote(corpus.texts[claim.source], quote.text, normals[claim.source])
            if span is None:
                problems.append(Problem(file, claim.line_of(f"quote:{i}"),
                                        f"quote not found in source {claim.source!r} "
                                        f"({sources[claim.source].file}): {quote.text[:80]!r}; "
                                        "copy the words exactly as the source has them"))
                quotes.append(quote)
            else:
                quotes.append(Quote(quote.text, span[0], span[1]))
        checked.append(replace(claim, quotes=tuple(quotes)))
    if problems:
        raise DataError(sorted(set(problems)))
    return replace(corpus, claims=tuple(checked))


def _check_unique(corpus: Corpus, problems: list[Problem]) -> None:
    for what, records in (("source", corpus.sources), ("entity", corpus.entities),
                          ("claim", corpus.claims)):
        seen: dict[str, str] = {}
        for record in records:
            if record.id in seen:
                problems.append(Problem(record.where.file, record.where.line,
                                        f"duplicate {what} id {record.id!r} (first defined at "
                                        f"{seen[record.id]}); ids must be unique"))
            else:
                seen[record.id] = str(record.where)
    owners: dict[str, str] = {}
    for entity in corpus.entities:
        for name in (entity.label, *entity.aliases):
            key = name.casefold()
            if owners.get(key, entity.id) != entity.id:
                problems.append(Problem(entity.where.file, entity.where.line,
                                        f"alias {name!r} of {entity.id!r} already names "
                                        f"{owners[key]!r}; an alias may name one entity only"))
            owners.setdefault(key, entity.id)
    counts = Counter((c.source, c.event, c.kind) for c in corpus.claims)
    for claim in corpus.claims:
        if counts[(claim.source, claim.event, claim.kind)] > 1 and claim.kind in (
                "warning", "attack", "plot"):
            problems.append(Problem(claim.where.file, claim.where.line,
                                    f"claim {claim.id!r}: source {claim.source!r} has more than "
                                    f"one {claim.kind} claim for event {claim.event!r}; merge "
                                    "them (a source gives one account of an event)"))


def _check_references(claim: Claim, entities: dict, event_kinds: dict[str, set[str]],
                      problems: list[Problem]) -> None:
    file = claim.where.file
    for name, value in claim.fields:
        values = value if isinstance(value, tuple) else (value,)
        if name in ENTITY_FIELDS:
            allowed = ENTITY_FIELD_TYPES.get(name, ACTOR_TYPES)
            for v in values:
                if v not in entities:
                    problems.append(Problem(file, claim.line_of(name),
                                            f"{name} {v!r} is not defined in actors.yaml"
                                            f"{suggest(v, entities)}"))
                elif allowed and entities[v].type not in allowed:
                    problems.append(Problem(file, claim.line_of(name),
                                            f"{name} {v!r} is a {entities[v].type}; "
                                            f"{name} must be a {' or '.join(allowed)}"))
        elif name in EVENT_FIELDS:
            for v in values:
                kinds = event_kinds.get(v)
                if not kinds:
                    problems.append(Problem(file, claim.line_of(name),
                                            f"{name} {v!r} is not an event of any claim"
                                            f"{suggest(v, event_kinds)}"))
                elif not kinds & set(EVENT_FIELD_KINDS[name]):
                    problems.append(Problem(file, claim.line_of(name),
                                            f"{name} {v!r} is a {'/'.join(sorted(kinds))} event; "
                                            f"{name} must point to a "
                                            f"{' or '.join(EVENT_FIELD_KINDS[name])}"))


def load_shapes(path: Path) -> Graph:
    """Parse the SHACL shapes graph."""
    return Graph().parse(path, format="turtle")


@functools.lru_cache(maxsize=4)
def _compiled(path: str, mtime: float) -> shacl.Shapes:
    return shacl.compile_shapes(load_shapes(Path(path)))


def compiled_shapes(path: Path) -> shacl.Shapes:
    """The shapes of ``path``, read once per process (and again when the file changes)."""
    return _compiled(str(path), path.stat().st_mtime)


def _plain_triples(graph: Graph) -> Iterator[tuple[Any, str, Any]]:
    return ((shacl.term_of(s), str(p), shacl.term_of(o)) for s, p, o in graph)


def validator_terms() -> Triples:
    """The builder's triples as the validator's plain terms (no rdflib term is made)."""
    return Triples(Terms(str, lambda lexical, datatype: shacl.Lit(
        lexical, datatype if datatype is not None else shacl.XSD_STRING)))


def shacl_problems(corpus: Corpus, ontology: Graph, shapes: shacl.Shapes,
                   only: Collection[str] | None = None) -> list[Problem]:
    """Check the graphs the build makes of ``corpus`` against the SHACL shapes.

    The triples are those of :mod:`kg.build`, made straight from the records, so nothing
    is validated that is not written and nothing is written twice to be validated. The
    reference graph is checked on its own, then each source's graph with the reference
    and ontology triples beside it (reporting only its own nodes): shapes such as
    "exactly one warner" hold per source, while two sources may name different warners.
    ``only`` limits the check to those graphs (local ids: ``reference`` or a source id).

    Results are reported at the file and line of the claim, entity or source whose node
    failed, so they read like every other data error.
    """
    triples = validator_terms()
    ontology_index = shacl.Index(_plain_triples(ontology))
    reference = shacl.Index(triples.reference(corpus))
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in corpus.claims:
        if only is None or claim.source in only:
            by_source[claim.source].append(claim)
    where_reference = _reference_places(corpus)
    problems: list[Problem] = []
    if only is None or "reference" in only:
        problems += _results(shacl.validate(shapes, shacl.Union([reference, ontology_index])),
                             "reference", {}, where_reference)
    for source in sorted(by_source):
        claims = by_source[source]
        graph = shacl.Index(t for claim in claims for t in triples.claim(claim))
        where: dict[str, tuple[str, int]] = {}
        for claim in claims:
            place = (claim.where.file, claim.where.line)
            where[str(claim_iri(claim.id))] = place
            where.setdefault(str(event_iri(claim.event)), place)
        found = shacl.validate(shapes, shacl.Union([graph, reference, ontology_index]),
                               graph.subjects())
        problems += _results(found, source, where, where_reference)
    return sorted(set(problems))


def dataset_problems(dataset: Dataset, corpus: Corpus, ontology: Graph,
                     shapes: shacl.Shapes) -> list[Problem]:
    """As :func:`shacl_problems`, over the graphs of a built ``dataset`` as they are now."""
    reference = shacl.Index(_plain_triples(dataset.graph(graph_iri("reference"))))
    ontology_index = shacl.Index(_plain_triples(ontology))
    where_reference = _reference_places(corpus)
    where: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for claim in corpus.claims:
        place = (claim.where.file, claim.where.line)
        where[claim.source][str(claim_iri(claim.id))] = place
        where[claim.source].setdefault(str(event_iri(claim.event)), place)
    problems = _results(shacl.validate(shapes, shacl.Union([reference, ontology_index])),
                        "reference", {}, where_reference)
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        name = local_id(graph.identifier)
        if name in ("ontology", "reference") or not len(graph):
            continue
        index = shacl.Index(_plain_triples(graph))
        found = shacl.validate(shapes, shacl.Union([index, reference, ontology_index]),
                               index.subjects())
        problems += _results(found, name, where[name], where_reference)
    return sorted(set(problems))


def _reference_places(corpus: Corpus) -> dict[str, tuple[str, int]]:
    where = {str(entity_iri(e.id)): (e.where.file, e.where.line) for e in corpus.entities}
    where.update({str(source_iri(s.id)): (s.where.file, s.where.line) for s in corpus.sources})
    return where


def _results(results: list[shacl.Result], name: str, where: dict[str, tuple[str, int]],
             where_reference: dict[str, tuple[str, int]]) -> list[Problem]:
    problems = []
    for result in results:
        file, line = _where_of(str(result.focus), where, where_reference)
        path = result.path
        detail = f" ({local_id(path)})" if isinstance(path, str) and not isinstance(
            path, shacl.Blank) else ""
        problems.append(Problem(file, line, f"in {name}: shape violation on "
                                            f"{local_id(result.focus)}{detail}: "
                                            f"{result.message}"))
    return problems


def pyshacl_problems(dataset: Dataset, shapes: Graph, ontology: Graph,
                     corpus: Corpus) -> list[Problem]:
    """The same check through pySHACL, the reference implementation (for the tests).

    Each named graph is merged with the reference graph and validated by pySHACL, with
    the ontology as ``ont_graph`` and no inference: what :func:`shacl_problems` must match.
    """
    from pyshacl import validate as _shacl  # heavy import: only when validating
    from rdflib.namespace import SH

    where: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for claim in corpus.claims:
        place = (claim.where.file, claim.where.line)
        where[claim.source][str(claim_iri(claim.id))] = place
        where[claim.source].setdefault(str(event_iri(claim.event)), place)
    where["reference"] = _reference_places(corpus)
    reference = dataset.graph(graph_iri("reference"))
    reference_nodes = set(reference.subjects())
    problems: list[Problem] = []

    def run(name: str, graph: Graph, skip: set) -> None:
        data = Graph()
        for triple in graph:
            data.add(triple)
        if graph is not reference:
            for triple in reference:
                data.add(triple)
        conforms, results, _text = _shacl(data, shacl_graph=shapes, ont_graph=ontology,
                                          inference="none", advanced=True)
        if conforms:
            return
        for result in results.subjects(SH.resultSeverity, SH.Violation):
            focus = results.value(result, SH.focusNode)
            if focus in skip:
                continue
            message = results.value(result, SH.resultMessage)
            path = results.value(result, SH.resultPath)
            file, line = _where_of(str(focus), where.get(name, {}), where["reference"])
            detail = f" ({local_id(path)})" if isinstance(path, URIRef) else ""
            problems.append(Problem(file, line, f"in {name}: shape violation on "
                                                f"{local_id(focus)}{detail}: {message}"))

    run("reference", reference, set())
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        name = local_id(graph.identifier)
        if name not in ("ontology", "reference") and len(graph):
            run(name, graph, reference_nodes - set(graph.subjects()))
    return sorted(set(problems))


def _where_of(iri: str, *tables: dict[str, tuple[str, int]]) -> tuple[str, int]:
    # A quote or count node (claim/<id>/quote/0) is reported at its claim's line.
    while iri:
        for table in tables:
            if iri in table:
                return table[iri]
        iri = iri.rsplit("/", 1)[0] if "/" in iri else ""
    return ("graph", 0)
