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

import functools
import gc
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Literal
from rdflib.namespace import DCTERMS

from .iri import ENTITY, GRAPHS, graph_iri, local_id
from .project_read import reader
from .reshape import ORG_LINKS, POSITION, ROLE_NAME_IRI, Reshaper
from .schema import ALIASES, ASSERTS, FACTS, LABEL, SOURCES, STATE, TYPED_BY, TYPES
from .vocab import KG, SCHEMA, WD

_KG = str(KG._NS)
_ENTITY = ENTITY
_GRAPHS = GRAPHS
_WD = str(WD)
ACTOR_TYPES = ("State", "Agency", "Group", "Person")
EVENT_TYPES = ("Warning", "Attack", "Plot", "Response", "ClaimOfResponsibility",
               "IntelligenceSharing", "FailureToWarn", "Policy")


#: What the questions (``kg.analysis``) never read: provenance plumbing and the sources'
#: bibliographic metadata. ``project(..., lean=True)`` leaves these out; a test checks that
#: every question answers the same without them.
NOT_FOR_QUESTIONS = frozenset((
    KG.inSource, KG.file, KG.sha256, KG.textLength, KG.dateText, KG.translatedFrom, DCTERMS.title,
    DCTERMS.publisher, DCTERMS.creator, DCTERMS.language, SCHEMA.url, RDFS.comment))


@dataclass(frozen=True)
class Needs:
    """What one question reads from the source graphs (the reference graph is read whole).

    ``predicates`` are the local names of our predicates it reads (``None``: every
    predicate but those in ``skip``); ``types`` the local names of the classes whose
    ``rdf:type`` statements it reads (``None``: every class). A test proves, question by
    question, that the answer from a projection of only these equals the answer from the
    full projection.
    """

    predicates: frozenset[str] | None
    types: frozenset[str] | None
    skip: frozenset[str] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        def union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            return None if a is None or b is None else a | b
        return Needs(union(self.predicates, other.predicates), union(self.types, other.types),
                     self.skip & other.skip)


def _needs(predicates: str, types: Iterable[str] = ()) -> Needs:
    for name in predicates.split():  # KG is a closed namespace: a typo raises here
        getattr(KG, name)
    return Needs(frozenset(predicates.split()), frozenset(types))


#: :class:`kg.stated.Context`: roles, affiliations (the reference graph gives the rest).
_CONTEXT = _needs("person organisation position affiliationType member", ("Role", "Affiliation"))
#: :func:`kg.stated.attribute_values` of events: who, where, what, when, how many, disputes.
_STATED = _needs("warner recipient place perpetrator concerns claimant sharer responder "
                 "organisation issuer outcome status dated earliest latest datePrecision "
                 "dateInferred killed injured value qualifier countText disputes",
                 (*EVENT_TYPES, "Dispute"))
#: :func:`kg.stated.inferred_fields`: what claims took from outside their quotes.
_CLAIMS = _needs("asserts inferredValue")
#: :func:`kg.analysis.quotes`: each claim's verbatim quotes and offsets.
_QUOTES = _needs("asserts evidence quote startOffset endOffset credibility")

#: What each question reads, by the name of its ``kg`` command.
NEEDS: dict[str, Needs] = {
    "warnings": _CONTEXT | _STATED | _CLAIMS | _QUOTES
    | _needs("respondsTo responseType responder channel"),
    "reciprocity": _CONTEXT | _STATED | _QUOTES
    | _needs("party exchange reciprocity", ("ReciprocityVerdict",)),
    "lead-times": _CONTEXT | _STATED,
    "attacks": _CONTEXT | _STATED | _CLAIMS | _QUOTES | _needs("name"),
    "conflicts": _CONTEXT | _STATED,
    "timeline": _needs("dated earliest latest datePrecision dateInferred description",
                       EVENT_TYPES),
    "actor": Needs(frozenset("warner recipient sharer perpetrator claimant responder party "
                             "person organisation position member affiliationType".split()),
                   None),
    # Every relation between actors, places and events; none of the words or figures.
    "path": Needs(None, None, frozenset(
        "asserts evidence quote startOffset endOffset inSource method description note name "
        "dated earliest latest datePrecision dateText dateInferred value qualifier countText "
        "credibility "
        "inferredValue position affiliationType responseType channel specificity exchange "
        "reciprocity outcome status disputedAspect waiverCondition".split())),
}


def needs_of(question: str | None) -> Needs | None:
    """What the question named (a ``kg`` command) reads; ``None`` (everything) if unknown.

    Example:
        >>> "quote" in needs_of("warnings").predicates, "quote" in needs_of("lead-times").predicates
        (True, False)
        >>> needs_of("export") is None
        True
    """
    return NEEDS.get(question) if question else None


def project(dataset: Dataset, rollup: bool = False, lean: bool = False,
            sources: Collection[str] | None = None, needs: Needs | str | None = None
            ) -> nx.MultiDiGraph:
    """Project every source graph and the reference graph into a MultiDiGraph.

    On rdflib's in-memory store the triples are read directly; on Oxigraph each need is
    one SPARQL SELECT whose rows are read as Oxigraph's own strings (no rdflib term is
    made); on a SPARQL server through rdflib's SELECT. Facts and edges are gathered in
    plain dicts and the graph is made from them at once.

    Args:
        dataset: a dataset made by ``kg.build.build_dataset`` (or parsed from its TriG).
        rollup: map agencies and officials to their state (``kg:actsFor``).
        lean: read only what the questions need (leave out :data:`NOT_FOR_QUESTIONS`).
        sources: read only these sources' graphs (``None``: all), as ``--as-of`` and
            ``--min-reliability`` choose them (:func:`kg.selection.select_sources`).
        needs: read of the source graphs only what one question needs (a :class:`Needs`
            or a question's name in :data:`NEEDS`); ``None``: everything.
    """
    if isinstance(needs, str):
        needs = needs_of(needs)
    # Hundreds of thousands of new dicts and lists, none of them garbage: without the pause,
    # the collector walks all of them again and again (a third of the time at 10,000).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _project(dataset, rollup, lean, sources, needs)
    finally:
        if paused:
            gc.enable()


def _project(dataset: Dataset, rollup: bool, lean: bool, sources: Collection[str] | None,
             needs: Needs | None) -> nx.MultiDiGraph:
    skip = NOT_FOR_QUESTIONS if lean or needs is not None else frozenset()
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], list[str]] = {}
    acts_for: dict[str, str] = {}
    shapes = Reshaper()
    read = reader(dataset)
    # The sources' publication dates are nodes of their own: read the reference graph once
    # to know them, so each is folded back where its source's triples are (same node order).
    reference = list(read.graph(graph_iri("reference"), skip))
    date_nodes = {o for _, p, o, _ in reference if p in _DATE_LINKS}
    dates: dict[str, dict[str, Any]] = {}
    for s, p, o, literal in reference:
        if s in date_nodes:
            _fact(dates.setdefault(s, {}), _short(p), o if literal else _short(o), "reference")
    for s, p, o, literal in reference:
        if s in date_nodes or shapes.reference(s, p, o):
            continue
        data = nodes.setdefault(s, {})
        if p == _TYPE:
            _type_of(data, _short(o))
        elif p == _LABEL:
            data[LABEL] = str(o)
        elif p == _ALT_LABEL:
            data.setdefault(ALIASES, []).append(str(o))
        elif p == _ACTS_FOR:
            acts_for[s] = o
        elif literal or o.startswith(_WD):
            _fact(data, _short(p), o if literal else _short(o), "reference")
        elif p in _DATE_LINKS:
            _fold_dates(nodes, edges, [(s, o, _short(p), "reference")], dates)
        else:
            nodes.setdefault(o, {})
            _edge(edges, s, o, _short(p), "reference")
    del reference, dates
    for source, kind in shapes.relations():
        _fact(nodes.setdefault(source, {}), "relation", kind, "reference")
    for node, state in acts_for.items():
        nodes[node][STATE] = state
    for node, data in nodes.items():
        if any(t in ACTOR_TYPES for t in data.get(TYPES, ())):
            data.setdefault(STATE, node if "State" in data[TYPES] else None)
    names = {str(g.identifier): local_id(g.identifier) for g in dataset.graphs()}
    wanted = {iri: name for iri, name in sorted(names.items())
              if iri.startswith(_GRAPHS) and name not in ("ontology", "reference")
              and (sources is None or name in sources)}
    rows = read.graphs(wanted, skip) if needs is None else read.needs(wanted, needs)
    dated: list[tuple[str, str, str, str]] = []
    for name, s, p, o, literal in rows:
        if p in ORG_LINKS:  # the Affiliation node states the same tie
            continue
        if p == POSITION:
            o, literal, p = shapes.position_words(o), True, ROLE_NAME_IRI
        data = nodes.setdefault(s, {})
        if p == _TYPE:
            _type_of(data, _short(o), name)
        elif literal or o.startswith(_KG):
            _fact(data, _short(p), o if literal else _short(o), name)
        elif p in _DATE_LINKS:
            dated.append((s, o, _short(p), name))
        else:
            if rollup and o in acts_for:
                o = acts_for[o]
            nodes.setdefault(o, {})
            _edge(edges, s, o, _short(p), name)
    _fold_dates(nodes, edges, dated, nodes)
    for node in [n for n, data in nodes.items() if "DateValue" in data.get(TYPES, ())]:
        del nodes[node]  # a date read without its link (a question that skips dates)
    rank = {"reference": 0, **{name: i for i, name in enumerate(sorted(wanted.values()), 1)}}
    for node, data in nodes.items():
        data.setdefault(LABEL, local_id(node))
        data.setdefault(TYPES, []).sort()
        if ALIASES in data:  # in name order, not the order a store happens to keep
            data[ALIASES].sort()
        # The same order whatever order the store gave the triples in.
        for found in data.get(FACTS, {}).values():
            if len(found) > 1:
                found.sort(key=lambda vs: (rank[vs[1]], type(vs[0]).__name__, str(vs[0])))
        for found in data.get(TYPED_BY, {}).values():
            if len(found) > 1:
                found.sort(key=rank.__getitem__)
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes.items())
    keyed: Iterator[Any] = (  # (u, v, key, data): the stubs know only 2- and 3-tuples
        (u, v, key, {SOURCES: srcs if len(srcs) == 1 else sorted(srcs, key=rank.__getitem__)})
        for (u, v, key), srcs in edges.items())
    graph.add_edges_from(keyed)
    if rollup:
        graph.remove_nodes_from([n for n in acts_for if graph.degree(n) == 0])
    return graph


#: local_id of predicates, classes and controlled values: a few dozen, met on every row.
_short = functools.lru_cache(maxsize=4096)(local_id)
_TYPE, _LABEL, _ALT_LABEL, _ACTS_FOR = str(RDF.type), str(RDFS.label), str(SKOS.altLabel), \
    str(KG.actsFor)



#: The links from what is dated (an event, a source) to its date's own node.
_DATE_LINKS = frozenset((str(KG.dated), str(KG.published)))
#: How many characters of ``kg:earliest`` a date of each precision states.
_STATED_LENGTH = {"Day": 10, "Month": 7, "Year": 4}
#: The datatypes dates of these precisions had as literals: the projection keeps the
#: values it always had (rdflib gives no Python value for gYearMonth and gYear).
_OLD_DATATYPE = {"Month": XSD.gYearMonth, "Year": XSD.gYear}


def _fold_dates(nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], list[str]],
                dated: list[tuple[str, str, str, str]], found_in: dict[str, dict[str, Any]]
                ) -> None:
    """Put each date node's value back on what it dates, as facts, and drop the node.

    ``dated`` holds ``(owner, date node, link, source)``; ``found_in`` what was read of each
    date node (its ``facts``), from which the node is removed. An event gets the facts ``date``,
    ``datePrecision`` (``Before`` for a date with no earliest bound), ``dateText`` and
    ``dateInferred`` from that source; a source (reference graph) gets ``issued`` and a
    ``datePrecision`` edge to the precision's term. The date stays a literal attribute,
    never a node, as it was when the graph held it as a literal.
    """
    for owner, node, link, source in dated:
        found = found_in.pop(node, {}).get(FACTS, {})
        latest, precision = found.get("latest"), found.get("datePrecision")
        if not latest or not precision:
            continue  # the question does not read dates
        earliest = found.get("earliest")
        if earliest:
            kind = precision[0][0]
            value: Any = str(earliest[0][0])[:_STATED_LENGTH[kind]]
            if kind in _OLD_DATATYPE:
                value = Literal(value, datatype=_OLD_DATATYPE[kind])
        else:
            kind, value = "Before", str(latest[0][0])[:10]
        data = nodes.setdefault(owner, {})
        if link == "published":
            _fact(data, "issued", value, source)
            nodes.setdefault(_KG + kind, {})
            _edge(edges, owner, _KG + kind, "datePrecision", source)
        else:
            _fact(data, "date", value, source)
            _fact(data, "datePrecision", kind, source)
        for name in ("dateText", "dateInferred"):
            for words, _ in found.get(name, ()):
                _fact(data, name, words, source)


def _type_of(data: dict[str, Any], type_name: str, source: str | None = None) -> None:
    types = data.setdefault(TYPES, [])
    if type_name not in types:
        types.append(type_name)
    if source is not None:
        data.setdefault(TYPED_BY, {}).setdefault(type_name, []).append(source)


def _fact(data: dict[str, Any], name: str, value: Any, source: str) -> None:
    found = data.setdefault(FACTS, defaultdict(list))[name]
    if (value, source) not in found:
        found.append((value, source))


def _edge(edges: dict[tuple[str, str, str], list[str]], u: str, v: str, key: str,
          source: str) -> None:
    found = edges.get((u, v, key))
    if found is None:
        edges[(u, v, key)] = [source]
    elif source not in found:
        found.append(source)


def facts(graph: nx.MultiDiGraph, node: str, name: str) -> list[tuple[Any, str]]:
    """The ``(value, source)`` pairs of fact ``name`` on ``node``."""
    return list(graph.nodes[node].get(FACTS, {}).get(name, ()))


def targets(graph: nx.MultiDiGraph, node: str, key: str) -> list[tuple[str, list[str]]]:
    """Nodes reached from ``node`` by edges keyed ``key``, with the edges' sources."""
    # The adjacency dict directly: an out_edges view per call costs more than the lookup.
    return sorted((v, list(keys[key][SOURCES])) for v, keys in graph.succ[node].items()
                  if key in keys)


def claims_about(graph: nx.MultiDiGraph, event: str) -> list[str]:
    """The claims that assert ``event`` (``kg:asserts`` edges into it), in edge order."""
    return [claim for claim, _, key in graph.in_edges(event, keys=True) if key == ASSERTS]


def nodes_of_type(graph: nx.MultiDiGraph, type_name: str) -> list[str]:
    """Nodes carrying ``type_name`` (e.g. ``Warning``) in any source, sorted."""
    return sorted(n for n, d in graph.nodes(data=True) if type_name in d.get(TYPES, ()))
