"""Writing outputs: deterministic serialisations, written atomically.

All files are first written into a temporary directory beside the output
directory; only when every one of them has been written are they moved into place
(``os.replace``, atomic per file). A failure before that leaves the previous
outputs exactly as they were.

Example:
    >>> from rdflib import Dataset, URIRef, Literal
    >>> ds = Dataset()
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal(1)))
    >>> serialise(ds, "nquads")
    '<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\\n'
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import OutputError

FORMATS = {"trig": "graph.trig", "turtle": "graph.ttl", "json-ld": "graph.jsonld",
           "nquads": "graph.nq"}


def serialise(dataset: Dataset, fmt: str) -> str:
    """Serialise ``dataset`` in ``fmt`` (trig, turtle, json-ld, nquads), byte-stable.

    ``turtle`` is the merged union of every named graph. Line-based and JSON
    formats are sorted so that the same triples always give the same text.
    """
    if fmt == "trig":
        return _trig(dataset)
    if fmt == "turtle":
        merged = Graph()
        for prefix, ns in dataset.namespaces():
            merged.bind(prefix, ns, override=True, replace=True)
        for graph in dataset.graphs():
            for triple in graph:
                merged.add(triple)
        return merged.serialize(format="turtle")
    if fmt == "nquads":
        text = dataset.serialize(format="nquads")
        return "".join(sorted(set(text.splitlines(keepends=True))))
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in dataset.namespaces()
                   if prefix in ("kg", "entity", "event", "claim", "source", "graph", "prov",
                                 "dcterms", "org", "schema", "skos", "wd", "owl", "rdfs",
                                 "xsd")}
        doc = json.loads(_without_empty_graphs(dataset).serialize(format="json-ld",
                                                                  context=context))
        return json.dumps(_sorted_jsonld(doc), indent=1, sort_keys=True,
                          ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def _trig(dataset: Dataset) -> str:
    # rdflib's TriG writer orders graphs by hash; write each graph as sorted Turtle instead.
    prefixes: set[str] = set()
    bodies = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        copy = Graph()
        for prefix, ns in dataset.namespaces():
            copy.bind(prefix, ns, override=True, replace=True)
        for triple in graph:
            copy.add(triple)
        lines = copy.serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        # No indentation: it would change the content of multi-line literals.
        body = [line for line in lines if not line.startswith("@prefix")]
        while body and not body[0]:
            body.pop(0)
        bodies.append(f"<{graph.identifier}> {{\n" + "\n".join(body).rstrip() + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(bodies)


def _without_empty_graphs(dataset: Dataset) -> Dataset:
    # rdflib lists an empty default graph; drop it so the output says only what is there.
    copy = Dataset()
    for prefix, ns in dataset.namespaces():
        copy.bind(prefix, ns, override=True, replace=True)
    for graph in dataset.graphs():
        if len(graph):
            target = copy.graph(graph.identifier)
            target.addN((s, p, o, target) for s, p, o in graph)
    return copy


def _sorted_jsonld(node: object) -> object:
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def write_atomically(out_dir: Path | str, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write ``files`` (name -> content) into ``out_dir``, all or nothing.

    Raises OutputError if the directory cannot be written; the previous outputs stay.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write outputs here ({exc.strerror}); "
                          "choose another --out") from None
    try:
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        written = []
        for name in files:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        return written
    except OSError as exc:
        raise OutputError(f"{out}: writing outputs failed ({exc}); previous outputs were "
                          "left in place") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
