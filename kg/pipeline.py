"""The pipeline: data directory -> checked records -> Dataset -> validated -> outputs.

This is the only module that ties the stages together; each stage stays a plain
function that can be called on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.store import Store

from .build import build_dataset
from .errors import DataError, Problem
from .output import FORMATS, serialise, write_atomically
from .records import Corpus
from .sources import read_corpus
from .validate import check_corpus, load_shapes, shacl_problems

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """Where ``kg.ttl`` and ``shapes.ttl`` are: the repo's ``ontology/`` or the packaged copy."""
    for candidate in (_PACKAGE.parent / "ontology", _PACKAGE / "_ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise FileNotFoundError("ontology/kg.ttl not found next to the kg package")


def load_ontology() -> Graph:
    """The ontology graph (``ontology/kg.ttl``), its blank nodes given canonical labels.

    Canonical labels keep N-Quads and JSON-LD outputs byte-stable across runs.
    """
    from rdflib.compare import to_canonical_graph

    parsed = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    graph = Graph()
    for prefix, ns in parsed.namespaces():
        graph.bind(prefix, ns)
    for triple in to_canonical_graph(parsed):
        graph.add(triple)
    return graph


@dataclass
class Built:
    """A built, validated dataset and what went into it."""

    dataset: Dataset
    corpus: Corpus
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """Counts a person checks after a build."""
        kinds: dict[str, int] = {}
        for claim in self.corpus.claims:
            kinds[claim.kind] = kinds.get(claim.kind, 0) + 1
        return {"sources": len(self.corpus.sources), "entities": len(self.corpus.entities),
                "claims": len(self.corpus.claims),
                "quotes": sum(len(c.quotes) for c in self.corpus.claims),
                "triples": sum(len(g) for g in self.dataset.graphs()),
                **{f"claims.{k}": v for k, v in sorted(kinds.items())}}


def load(data_dir: Path | str = "data", store: Store | str = "default",
         shapes: bool = True) -> Built:
    """Read, check, build and validate the graph from ``data_dir``.

    Raises DataError listing every problem (quotes, references, shapes).
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    corpus = check_corpus(read_corpus(data_dir))
    timings["read+check"] = time.perf_counter() - start
    start = time.perf_counter()
    ontology = load_ontology()
    dataset = build_dataset(corpus, ontology, store=store)
    timings["build"] = time.perf_counter() - start
    if shapes:
        start = time.perf_counter()
        problems = shacl_problems(dataset, load_shapes(ontology_dir() / "shapes.ttl"),
                                  ontology, corpus)
        timings["shacl"] = time.perf_counter() - start
        if problems:
            raise DataError(problems)
    return Built(dataset, corpus, timings)


def build(data_dir: Path | str = "data", out_dir: Path | str = "out",
          store: Store | str = "default") -> Built:
    """Build from ``data_dir`` and write every output into ``out_dir`` atomically."""
    built = load(data_dir, store=store)
    start = time.perf_counter()
    files = {name: serialise(built.dataset, fmt) for fmt, name in FORMATS.items()}
    files["validation.txt"] = validation_report(built, [])
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
