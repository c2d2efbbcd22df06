"""One actor, and how two are connected: names resolved, profiles, shortest paths."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..errors import UnknownNameError
from ..iri import local_id
from ..project import ACTOR_TYPES, EVENT_TYPES, facts, targets
from ..rows import ActorRow, AffiliationRow, PathStep, RoleRow
from ..schema import (
    ACTS_FOR,
    AFFILIATION_TYPE,
    ALIASES,
    ASSERTS,
    CLAIMANT,
    LABEL,
    MEMBER,
    ORGANISATION,
    PARTY,
    PERPETRATOR,
    PERSON,
    RECIPIENT,
    RESPONDER,
    ROLE_NAME,
    SAME_AS,
    SHARER,
    SOURCES,
    STATE,
    TYPES,
    WARNER,
)
from ..stated import enum, label
from .common import _incoming, _joined


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The node an actor or place name refers to: its id, label or any alias (any case)."""
    wanted = name.strip().casefold()
    known: list[str] = []
    for node in sorted(graph):  # the first match in IRI order, whatever the store's order
        data = graph.nodes[node]
        if not set(data.get(TYPES, ())) & {*ACTOR_TYPES, "Place"}:
            continue
        names = [local_id(node), data.get(LABEL, ""), *data.get(ALIASES, ())]
        if wanted in (n.casefold() for n in names):
            return node
        known.extend(names)
    unique = {k.casefold(): k for k in sorted(known, reverse=True)}
    raise UnknownNameError("actor", name, sorted(unique.values()))


def actor(graph: nx.MultiDiGraph, name: str) -> ActorRow:
    """Everything about one actor: identity, warnings sent and received, roles, attacks."""
    node = resolve(graph, name)
    data = graph.nodes[node]
    members = [n for n in graph.nodes if graph.nodes[n].get(STATE) == node and n != node]

    def events(key: str, type_name: str) -> list[str]:
        return sorted({local_id(e) for e in _incoming(graph, node, key)
                       if type_name in graph.nodes[e][TYPES]})

    roles: list[RoleRow] = []
    for role in _incoming(graph, node, PERSON):
        orgs: list[tuple[str | None, list[str]]] = [*targets(graph, role, ORGANISATION)]
        for org, _sources in orgs or [(None, [])]:
            names = facts(graph, role, ROLE_NAME)
            roles.append({"role": names[0][0] if names else None,
                          "organisation": label(graph, org),
                          "sources": sorted({s for _, s in names})})
    affiliations: list[AffiliationRow] = [
        {"relation": _joined([(enum(v), [s]) for v, s in facts(graph, a, AFFILIATION_TYPE)]),
         "organisation": label(graph, o), "sources": s}
        for a in _incoming(graph, node, MEMBER) for o, s in targets(graph, a, ORGANISATION)]
    wikidata = [v for v, _ in facts(graph, node, SAME_AS)]
    return {"id": local_id(node), "label": data.get(LABEL),
            "type": (data.get(TYPES) or [None])[0], "aliases": data.get(ALIASES, []),
            "state": label(graph, data.get(STATE)) if data.get(STATE) != node else None,
            "wikidata": wikidata[0] if wikidata else None,
            "members": sorted(label(graph, m) for m in members),
            "warnings_sent": events(WARNER, "Warning"),
            "warnings_received": events(RECIPIENT, "Warning"),
            "shared_intelligence": events(SHARER, "IntelligenceSharing"),
            "received_intelligence": events(RECIPIENT, "IntelligenceSharing"),
            "attacks": events(PERPETRATOR, "Attack") + events(PERPETRATOR, "Plot"),
            "claimed": events(CLAIMANT, "ClaimOfResponsibility"),
            "responses": events(RESPONDER, "Response"),
            "reciprocity_verdicts": events(PARTY, "ReciprocityVerdict"),
            "roles": roles, "affiliations": affiliations}


def path(graph: nx.MultiDiGraph, a: str, b: str) -> list[PathStep]:
    """The shortest connection between two actors, through events and relations.

    Agencies and officials are linked to the state they act for (``actsFor``, from the
    reference data), so ``path(g, "Langley", "Iran")`` goes CIA -> United States -> the
    US warning to Iran -> Iran.
    """
    start, end = resolve(graph, a), resolve(graph, b)
    keep = {n for n, d in graph.nodes(data=True)
            if set(d.get(TYPES, ())) & {*ACTOR_TYPES, "Place", *EVENT_TYPES, "Role",
                                          "Affiliation"}}
    view: nx.Graph = nx.Graph()
    # Links through warnings first, then in IRI order, the relation most sources state
    # first: which of several shortest paths is found, and which relation names a step,
    # never depends on the order a store gave its triples in.
    def order(edge: tuple[str, str, str, Any]) -> tuple[bool, str, str, int, str]:
        u, v = edge[0], edge[1]
        warning = "Warning" in graph.nodes[u][TYPES] or "Warning" in graph.nodes[v][TYPES]
        return (not warning, u, v, -len(edge[3][SOURCES]), edge[2])

    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=order):
        if u in keep and v in keep and key != ASSERTS:
            view.add_edge(u, v)
            view.edges[u, v].setdefault("edges", []).append((u, key, v, data[SOURCES]))
    # An agency or official acts for its state (actors.yaml): "the CIA warned" is the
    # United States warning, so the path may go from the one to the other.
    for node in sorted(keep):
        state = graph.nodes[node].get(STATE)
        if state and state != node and state in keep:
            view.add_edge(node, state)
            view.edges[node, state].setdefault("edges", []).append(
                (node, ACTS_FOR, state, ["reference"]))
    try:
        nodes = nx.shortest_path(view, start, end)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    steps: list[PathStep] = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        for src, key, dst, sources in view.edges[u, v]["edges"]:
            steps.append({"from": label(graph, src), "relation": key, "to": label(graph, dst),
                          "sources": sources})
            break
    return steps
