"""Projection: the RDF dataset -> a NetworkX ``MultiDiGraph``, on purpose.

- Node keys are IRIs (strings). ``label``, ``types`` and, for actors, ``state`` are
  node attributes.
- Literals are never nodes: they go into the node attribute ``facts``, a dict from
  predicate name to a list of ``(value, source)`` pairs, because sources disagree.
  Controlled values of our ontology (``kg:Public``, ``kg:MoreThan``...) are treated the
  same way, by local name, so they do not become hubs that connect unrelated events.
- The edge key is the predicate's local name (``warner``, ``concerns``...); every edge
  has ``sources``, the ids of the source graphs that assert it.
- ``rollup=True`` replaces agencies and officials by the state they act for
  (``kg:actsFor``), so "the FSB warned US officials" counts as Russia -> United States.

Example:
    >>> from kg.synthetic import synthetic_corpus
    >>> from kg.validate import check_corpus
    >>> from kg.build import build_dataset
    >>> g = project(build_dataset(check_corpus(synthetic_corpus(20, seed=3))))
    >>> w = "https://w3id.org/duty-to-warn/id/event/warning-0"
    >>> g.nodes[w]["types"], sorted(k for _, _, k in g.out_edges(w, keys=True))[:2]
    (['Warning'], ['concerns', 'recipient'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from .vocab import BASE, KG, SCHEMA, WD, graph_iri, local_id

_KG = str(KG._NS)
_ENTITY = "https://w3id.org/duty-to-warn/id/entity/"
_GRAPHS = BASE + "graph/"
ACTOR_TYPES = ("State", "Agency", "Group", "Person")


#: What the questions (``kg.analysis``) never read: provenance plumbing and the sources'
#: bibliographic metadata. ``project(..., lean=True)`` leaves these out; a test checks that
#: every question answers the same without them.
NOT_FOR_QUESTIONS = frozenset((
    KG.inSource, KG.file, KG.sha256, KG.dateText, KG.translatedFrom, DCTERMS.title,
    DCTERMS.publisher, DCTERMS.creator, DCTERMS.language, SCHEMA.url, RDFS.comment))


def project(dataset: Dataset, rollup: bool = False, lean: bool = False,
            sources: Collection[str] | None = None) -> nx.MultiDiGraph:
    """Project every source graph and the reference graph into a MultiDiGraph.

    On rdflib's in-memory store the triples are read directly; on any other store
    (Oxigraph, a SPARQL server) each graph is read with one SPARQL SELECT, so no copy of
    the dataset is made in memory.

    Args:
        dataset: a dataset made by ``kg.build.build_dataset`` (or parsed from its TriG).
        rollup: map agencies and officials to their state (``kg:actsFor``).
        lean: read only what the questions need (leave out :data:`NOT_FOR_QUESTIONS`).
        sources: read only these sources' graphs (``None``: all), as ``--as-of`` and
            ``--min-reliability`` choose them (:func:`kg.selection.select_sources`).
    """
    skip = NOT_FOR_QUESTIONS if lean else frozenset()
    graph = nx.MultiDiGraph()
    acts_for: dict[str, str] = {}
    for s, p, o in _triples(dataset, graph_iri("reference"), skip):
        node = str(s)
        if p == RDF.type:
            _add_type(graph, node, local_id(o))
        elif p == RDFS.label:
            graph.add_node(node, label=str(o))
        elif p == SKOS.altLabel:
            graph.add_node(node)
            graph.nodes[node].setdefault("aliases", []).append(str(o))
        elif p == KG.actsFor:
            acts_for[node] = str(o)
        elif isinstance(o, Literal) or (isinstance(o, URIRef) and str(o).startswith(str(WD))):
            _add_fact(graph, node, local_id(p), _value(o), "reference")
        else:
            _add_edge(graph, node, str(o), local_id(p), "reference")
    for node, state in acts_for.items():
        graph.nodes[node]["state"] = state
    for node, data in graph.nodes(data=True):
        if any(t in ACTOR_TYPES for t in data.get("types", ())):
            data.setdefault("state", node if "State" in data["types"] else None)
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        name = local_id(named.identifier)
        if name in ("ontology", "reference") or not str(named.identifier).startswith(_GRAPHS):
            continue
        if sources is not None and name not in sources:
            continue
        for s, p, o in _triples(dataset, named.identifier, skip):
            node = str(s)
            if p == RDF.type:
                _add_type(graph, node, local_id(o), name)
            elif isinstance(o, Literal) or str(o).startswith(_KG):
                _add_fact(graph, node, local_id(p), _value(o), name)
            else:
                target = str(o)
                if rollup and target in acts_for:
                    target = acts_for[target]
                _add_edge(graph, node, target, local_id(p), name)
    for node, data in graph.nodes(data=True):
        data.setdefault("label", local_id(node))
        data.setdefault("types", [])
        data["types"].sort()
    if rollup:
        graph.remove_nodes_from([n for n in acts_for if graph.degree(n) == 0])
    return graph


def _triples(dataset: Dataset, name: URIRef, skip: frozenset[URIRef]) -> Iterator[Any]:
    """The triples of named graph ``name`` except those with a predicate in ``skip``."""
    from .stores import is_memory, select

    if is_memory(dataset):
        return (t for t in dataset.graph(name) if t[1] not in skip)
    unwanted = f"FILTER (?p NOT IN ({', '.join(p.n3() for p in sorted(skip))}))" if skip else ""
    return select(dataset, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} {unwanted} }}")


def _add_type(graph: nx.MultiDiGraph, node: str, type_name: str, source: str | None = None
              ) -> None:
    graph.add_node(node)
    data = graph.nodes[node]
    if type_name not in data.setdefault("types", []):
        data["types"].append(type_name)
    if source is not None:
        data.setdefault("typed_by", {}).setdefault(type_name, []).append(source)


def _add_fact(graph: nx.MultiDiGraph, node: str, name: str, value: Any, source: str) -> None:
    graph.add_node(node)
    facts = graph.nodes[node].setdefault("facts", defaultdict(list))
    if (value, source) not in facts[name]:
        facts[name].append((value, source))


def _add_edge(graph: nx.MultiDiGraph, u: str, v: str, key: str, source: str) -> None:
    if graph.has_edge(u, v, key):
        sources = graph.edges[u, v, key]["sources"]
        if source not in sources:
            sources.append(source)
    else:
        graph.add_edge(u, v, key=key, sources=[source])


def _value(term: Any) -> Any:
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if hasattr(value, "isoformat") or value is None else value
    return local_id(term)


def facts(graph: nx.MultiDiGraph, node: str, name: str) -> list[tuple[Any, str]]:
    """The ``(value, source)`` pairs of fact ``name`` on ``node``."""
    return list(graph.nodes[node].get("facts", {}).get(name, ()))


def targets(graph: nx.MultiDiGraph, node: str, key: str) -> list[tuple[str, list[str]]]:
    """Nodes reached from ``node`` by edges keyed ``key``, with the edges' sources."""
    # The adjacency dict directly: an out_edges view per call costs more than the lookup.
    return sorted((v, list(keys[key]["sources"])) for v, keys in graph.succ[node].items()
                  if key in keys)


def nodes_of_type(graph: nx.MultiDiGraph, type_name: str) -> list[str]:
    """Nodes carrying ``type_name`` (e.g. ``Warning``) in any source, sorted."""
    return sorted(n for n, d in graph.nodes(data=True) if type_name in d.get("types", ()))
