"""The pipeline: data directory -> checked records -> Dataset -> validated -> outputs.

This is the only module that ties the stages together; each stage stays a plain
function that can be called on its own.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph
from rdflib.store import Store

from .build import Triples, build_dataset, dataset_quads
from .built import RECORD_FILE, BuildRecord, take
from .errors import DataError, Problem, SetupError
from .fingerprints import ENTITIES, graph_fingerprints, seed
from .iri import graph_iri, local_id
from .output import FORMATS, graph_lines, nt_terms, write_atomically, writer
from .records import Corpus, claims_by_kind
from .sources import read_corpus
from .stores import (
    DEFAULT_STORE,
    StoreSpec,
    close,
    forget,
    holds_union,
    open_dataset,
    read_manifest,
    read_record,
    record,
    spec_of,
    store_union,
    unite_as_built,
    united,
    write_record,
)
from .validate import check_corpus, compiled_shapes, shacl_problems

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """Where ``kg.ttl`` and ``shapes.ttl`` are: the repo's ``ontology/`` or the packaged copy."""
    for candidate in (_PACKAGE.parent / "ontology", _PACKAGE / "_ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise SetupError(f"ontology/kg.ttl is not found next to the kg package ({_PACKAGE}): the "
                     "installation is incomplete; reinstall kg, or run it from a checkout")


def load_ontology() -> Graph:
    """The ontology graph (``ontology/kg.ttl``), its blank nodes given stable labels.

    Stable labels keep the outputs byte-stable across runs. The graph is read once per
    process (again if the file changes); callers get their own copy.
    """
    path = ontology_dir() / "kg.ttl"
    parsed = _ontology(str(path), path.stat().st_mtime)
    graph = Graph()
    for prefix, ns in parsed.namespaces():
        graph.bind(prefix, ns)
    graph += parsed
    return graph


@functools.lru_cache(maxsize=2)
def _ontology(path: str, mtime: float) -> Graph:
    parsed = Graph().parse(path, format="turtle")
    graph = Graph()
    for prefix, ns in parsed.namespaces():
        graph.bind(prefix, ns)
    labels = _blank_labels(parsed)
    if labels is None:  # blank nodes that their neighbourhood does not tell apart
        from rdflib.compare import to_canonical_graph

        for triple in to_canonical_graph(parsed):
            graph.add(triple)
        return graph

    def stable(term: Any) -> Any:
        return labels.get(term, term) if isinstance(term, BNode) else term

    for s, p, o in parsed:
        graph.add((stable(s), p, stable(o)))
    return graph


def _blank_labels(graph: Graph) -> dict[BNode, BNode] | None:
    """A label for each blank node from what leads to it and what it holds; None when two
    blank nodes would get the same label (rdflib's canonical labelling is used then).

    The ontology's blank nodes are trees (class unions, lists) hanging from named terms,
    so the path from a named term and the contents name each one; this is far cheaper
    than the general canonical labelling.
    """
    import hashlib

    def described(node: BNode, memo: dict[BNode, str], pairs: Any, depth: int = 0) -> str:
        """``node`` by its (predicate, object) or (subject, predicate) pairs, blank ones
        described in turn."""
        if node not in memo:
            if depth > 50:
                raise RecursionError
            memo[node] = "|".join(sorted(
                " ".join(described(t, memo, pairs, depth + 1) if isinstance(t, BNode)
                         else t.n3() for t in pair) for pair in pairs(node)))
        return memo[node]

    down: dict[BNode, str] = {}
    up: dict[BNode, str] = {}

    def below(node: BNode) -> str:
        return described(node, down, graph.predicate_objects)

    def above(node: BNode) -> str:
        return described(node, up, graph.subject_predicates)

    blanks = {n for triple in graph for n in triple if isinstance(n, BNode)}
    try:
        labels = {b: BNode("b" + hashlib.sha256(f"{above(b)}\n{below(b)}".encode())
                           .hexdigest()[:16]) for b in blanks}
    except RecursionError:
        return None
    return labels if len(set(labels.values())) == len(labels) else None


@dataclass
class Built:
    """A built, validated dataset and what went into it."""

    dataset: Dataset
    corpus: Corpus
    timings: dict[str, float] = field(default_factory=dict)
    #: Graphs written into a persistent store by this load (None: the whole dataset was built).
    written: tuple[str, ...] | None = None
    #: What the build was made from (``kg.built``): kept beside the outputs and in the store.
    record: BuildRecord | None = None
    #: Triples in the named graphs, once counted (the build counts them as it writes them).
    triples: int | None = None

    def summary(self) -> dict[str, int]:
        """Counts a person checks after a build."""
        kinds = claims_by_kind(self.corpus.claims)
        return {"sources": len(self.corpus.sources), "entities": len(self.corpus.entities),
                "claims": len(self.corpus.claims),
                "quotes": sum(len(c.quotes) for c in self.corpus.claims),
                "triples": self.triples if self.triples is not None
                else sum(len(g) for g in self.dataset.graphs()),
                **{f"claims.{k}": v for k, v in sorted(kinds.items())}}


def load(data_dir: Path | str = "data", store: str | StoreSpec | Store = DEFAULT_STORE,
         shapes: bool = True, with_extracted: bool = False) -> Built:
    """Read, check, build and validate the graph from ``data_dir`` into ``store``.

    ``store`` is a ``--store`` spec (see ``kg.stores``) or an rdflib Store. Building into a
    persistent store (``oxigraph:PATH``, ``sparql:URL``) is incremental: only the named
    graphs whose records changed are validated and rewritten, and graphs of removed
    sources are dropped; on any problem nothing in the store is touched.

    ``with_extracted`` adds machine-extracted claims (``kg.extract``) for sources that
    have no curated claims; they are marked ``kg:method kg:Extracted``.

    Raises DataError listing every problem (quotes, references, shapes).
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    taken = take(data_dir) if Path(data_dir).is_dir() else None  # before reading: edits show
    corpus = read_corpus(data_dir)
    if with_extracted:
        from .extract import with_extracted as add_extracted  # rules load only when asked

        corpus = add_extracted(corpus)
    corpus = check_corpus(corpus)
    timings["read+check"] = time.perf_counter() - start
    start = time.perf_counter()
    ontology = load_ontology()
    dataset = open_dataset(store)
    spec = spec_of(dataset)
    record = taken.finished(corpus.sources, with_extracted, str(spec or "")) \
        if taken is not None else None
    if spec is not None and spec.persistent:
        try:
            written = _update_store(dataset, corpus, ontology, shapes, timings, record)
        except BaseException:
            close(dataset)  # free an on-disk store's lock for the next attempt
            raise
        timings["build"] = (time.perf_counter() - start - timings.get("shacl", 0.0)
                            - timings.get("union", 0.0))
        return Built(dataset, corpus, timings, written, record)
    if shapes:
        # Before writing: the records' own triples, checked without a store.
        shacl_start = time.perf_counter()
        problems = shacl_problems(corpus, ontology, _shapes())
        timings["shacl"] = time.perf_counter() - shacl_start
        if problems:
            close(dataset)
            raise DataError(problems)
    as_built = unite_as_built(dataset)  # a new store: the union is written with the graphs
    build_dataset(corpus, ontology, store=dataset)
    united(dataset)
    if not as_built:
        store_union(dataset)
    timings["build"] = time.perf_counter() - start - timings.get("shacl", 0.0)
    return Built(dataset, corpus, timings, record=record)


def _shapes() -> Any:
    """The compiled SHACL shapes (``ontology/shapes.ttl``), read once per process."""
    return compiled_shapes(ontology_dir() / "shapes.ttl")


def fingerprints(corpus: Corpus, ontology: Graph) -> dict[str, str]:
    """Graph IRI -> fingerprint, as an incremental build records them (``kg.fingerprints``,
    seeded with the shape version and ``shapes.ttl``)."""
    return graph_fingerprints(corpus, ontology, seed([ontology_dir() / "shapes.ttl"]))


def _update_store(dataset: Dataset, corpus: Corpus, ontology: Graph, shapes: bool,
                  timings: dict[str, float], record_of: BuildRecord | None) -> tuple[str, ...]:
    """Bring a persistent store up to date; the local ids of the graphs (re)written.

    The build's record (``kg.built``) is removed before anything changes and written last,
    after the union (``kg.stores.store_union``): a store with a record is complete.
    """
    wanted = fingerprints(corpus, ontology)
    stored = read_manifest(dataset)
    present = {str(g.identifier) for g in dataset.graphs()}
    stale = sorted(iri for iri, fingerprint in wanted.items() if stored.get(iri) != fingerprint)
    names = {local_id(iri) for iri in stale if iri != ENTITIES}
    previous = read_record(dataset)
    complete = holds_union(dataset)  # the union is whole (read before the record goes)
    if shapes and names:
        # Validate in memory before writing, so a failed build leaves the store as it was;
        # only the changed graphs, unless the ontology or the entities they refer to changed.
        start = time.perf_counter()
        everything = "ontology" in names or ENTITIES in stale
        problems = shacl_problems(corpus, ontology, _shapes(),
                                  None if everything else names)
        timings["shacl"] = time.perf_counter() - start
        if problems:
            raise DataError(problems)
    existing = set(stored) | present
    dropped = (existing & set(stale)) | (existing - set(wanted))  # stale or removed
    if previous is not None and (stale or dropped):
        write_record(dataset, None)
    start = time.perf_counter()
    as_built = unite_as_built(dataset, dropped, complete)  # the union follows the graphs
    timings["union"] = time.perf_counter() - start
    forget(dataset, dropped)
    build_dataset(corpus, ontology, store=dataset, only=names)
    united(dataset)
    record(dataset, {iri: wanted[iri] for iri in stale})
    if not as_built:  # a store without a (complete) union: copy it whole
        start = time.perf_counter()
        store_union(dataset)
        timings["union"] = time.perf_counter() - start
    if record_of is not None and record_of.to_json() != previous:
        write_record(dataset, record_of.to_json())
    return tuple(sorted(names))


#: Above this many claims the build does not draw the explorer page (see :func:`build`).
PAGE_LIMIT = 2_000

#: The page written in its place: fixed text, nothing from the data but two numbers.
LARGE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Duty-to-warn graph: too large to draw
</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Too large to draw whole</h1>
<p>This build holds {claims:,} claims; the build draws the explorer page only up to
{limit:,}. Draw a view of it with <code>kg html</code>, for example
<code>kg html --actor NAME</code>, or the whole graph with <code>kg html</code>
(see <code>kg html --help</code>).</p>
</body></html>
"""


def build(data_dir: Path | str = "data", out_dir: Path | str = "out",
          store: str | StoreSpec | Store = DEFAULT_STORE, with_extracted: bool = False,
          page: bool | None = None) -> Built:
    """Build from ``data_dir`` and replace ``out_dir`` with every output, as one set.

    See :func:`kg.output.write_atomically`: a failed or killed build leaves the previous
    outputs complete; other files in ``out_dir`` (``kg html`` views) are kept. The graph
    files stream from the store to disk (:func:`kg.output.writer`).

    ``page``: draw the explorer page ``graph.html``; by default only up to
    :data:`PAGE_LIMIT` claims, past which a short page says how to draw a view instead
    (``kg html``): drawing hundreds of thousands of nodes costs minutes and shows nothing.
    """
    built = load(data_dir, store=store, with_extracted=with_extracted)
    start = time.perf_counter()
    # The outputs are made from the records, as the store was: reading two million quads
    # back from an on-disk store would cost more than making them again.
    ontology = load_ontology()
    lines = graph_lines(dataset_quads(built.corpus, None, None, Triples(nt_terms())),
                        {str(graph_iri("ontology")): ontology.serialize(format="nt",
                                                                        encoding="utf-8")})
    built.triples = sum(len(graph) for graph in lines.values())
    files: dict[str, Any] = {name: writer(lines, fmt) for fmt, name in FORMATS.items()}
    files["validation.txt"] = validation_report(built, [])
    built.timings["lines"] = time.perf_counter() - start
    if page is None:
        page = len(built.corpus.claims) <= PAGE_LIMIT
    if page:
        from .html import page as explorer_page  # pyvis and the layout load only when drawn

        files["graph.html"] = explorer_page(built.dataset)
    else:
        files["graph.html"] = LARGE_PAGE.format(claims=len(built.corpus.claims),
                                                limit=PAGE_LIMIT)
    if built.record is not None:  # what read commands check data/ against (kg.built)
        files[RECORD_FILE] = built.record.to_json() + "\n"
    built.timings["page"] = time.perf_counter() - start - built.timings["lines"]
    start = time.perf_counter()
    write_atomically(out_dir, files)
    built.timings["write"] = time.perf_counter() - start
    return built


def validation_report(built: Built | None, problems: list[Problem]) -> str:
    """A plain-text validation report: what was checked and what was found."""
    lines = ["Validation report", "", "Checks: sources sha256, YAML structure, quotes verbatim "
             "in their sources (whitespace-insensitive), references to entities, events and "
             "sources, SHACL shapes (ontology/shapes.ttl).", ""]
    if problems:
        lines.append(f"{len(problems)} problem(s):")
        lines.extend(str(p) for p in problems)
    else:
        lines.append("Result: conforms (no problems).")
    if built is not None:
        lines.append("")
        lines.extend(f"{k}: {v}" for k, v in built.summary().items())
    return "\n".join(lines) + "\n"
