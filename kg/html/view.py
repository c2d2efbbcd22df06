"""What the explorer draws: the NetworkX projection -> nodes, edges and their details.

Actors, places, attacks, plots and policies are nodes. Warnings are directed edges
``warner -> recipient`` (one per warning and pair, so two warnings between the same
pair stay two edges, and ``b -> a`` never hides ``a -> b``); intelligence sharing,
failures to warn, claims of responsibility, roles and membership are edges too. The
answers come from :mod:`kg.analysis` (warnings, reciprocity, attacks, quotes); this
module only arranges them for drawing. Everything here is plain data (dicts of
strings), so the page, the CLI filters and the tests read the same thing.

Example:
    >>> from kg.synthetic import synthetic_corpus
    >>> from kg.validate import check_corpus
    >>> from kg.build import build_dataset
    >>> from kg.project import project
    >>> view = build_view(project(build_dataset(check_corpus(synthetic_corpus(20, seed=3)))))
    >>> edge = next(e for e in view.edges if e["detail"] == "event/warning-0")
    >>> edge["rel"], edge["kind"], view.details[edge["detail"]]["title"][:8]
    ('warned', 'warning', 'Warning:')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import analysis
from ..analysis.common import state_of
from ..iri import BASE, local_id
from ..project import ACTOR_TYPES, facts, nodes_of_type, targets
from ..records import DateValue, count_text
from ..schema import (
    AFFILIATION_TYPE,
    ALIASES,
    CONCERNS,
    CONTAINED_IN_PLACE,
    DESCRIPTION,
    FACTS,
    ISSUER,
    NAME,
    PERPETRATOR,
    PLACE,
    ROLE_NAME,
    SAME_AS,
    SPECIFICITY,
    STATE,
    SUBJECT,
    TYPES,
    UNDER_POLICY,
    WAS_DERIVED_FROM,
)
from ..stated import enum

_ID_BASE = BASE + "id/"
NODE_TYPES = (*ACTOR_TYPES, "Place", "Attack", "Plot", "Policy")
#: Node types that are events: filtered by their own sources and dates.
EVENT_NODE_KINDS = {"Attack": "attack", "Plot": "plot", "Policy": "policy"}
#: The kinds a reader can switch on and off, in the order the page lists them.
KINDS = {"warning": "Warnings", "sharing": "Intelligence sharing",
         "failure": "Failures to warn", "attack": "Attacks", "plot": "Plots",
         "claim": "Claims of responsibility", "policy": "Policies",
         "membership": "Membership and roles", "place": "Places"}
#: One item of each kind, as the side panel names it.
KIND_NAMES = {"warning": "Warning", "sharing": "Intelligence sharing",
              "failure": "Failure to warn", "attack": "Attack", "plot": "Plot",
              "claim": "Claim of responsibility", "policy": "Policy",
              "membership": "Membership or role", "place": "Place"}


@dataclass
class View:
    """The drawable graph: nodes and edges (dicts), details and sources by key."""

    level: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    details: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def key(iri: str) -> str:
    """A node's short key: its IRI without the ``.../id/`` base (``entity/russia``)."""
    return iri.removeprefix(_ID_BASE)


def words(value: Any) -> str:
    """A controlled value as words: ``attack_happened`` -> ``attack happened``."""
    return str(value).replace("_", " ")


def date_text(date: DateValue) -> str:
    """A date as a person reads it, precision included."""
    if date.precision == "before":
        return f"before {date.value}"
    return date.value if date.precision == "day" else f"{date.value} ({date.precision})"


def span(dates: list[DateValue]) -> tuple[str | None, str | None]:
    """Earliest and latest ISO day the dates allow (None, None when undated).

    The bounds are :meth:`DateValue.bounds`; a ``before`` date has no lower bound (``""``,
    which sorts before every day) and its upper one is the day before the day it names (the
    page shows it as ``before`` the day after: ``before 2020-07-08``).

    Example:
        >>> span([DateValue("2024-03", "month"), DateValue("2011", "year")])
        ('2011-01-01', '2024-03-31')
        >>> span([DateValue("2020-07-08", "before")])
        ('', '2020-07-07')
    """
    if not dates:
        return None, None
    lows, highs = [], []
    for date in dates:
        first, last = date.bounds()
        assert last is not None  # every date has an end; only "before" has no start
        lows.append("" if first is None else first.isoformat())
        highs.append(last.isoformat())
    return min(lows), max(highs)


def enum_words(value: Any) -> str:
    """A controlled value of the ontology as words: ``AttackHappened`` -> ``attack happened``."""
    return words(enum(str(value)))


def build_view(graph: nx.MultiDiGraph, level: str = "actor") -> View:
    """Arrange the projection for drawing (``graph`` rolled up to states for ``state``)."""
    details: dict[str, dict[str, Any]] = {}
    nodes = _nodes(graph, details)
    present = {n["key"] for n in nodes}
    edges: list[dict[str, Any]] = []
    _warning_edges(graph, level, edges, details)
    _event_edges(graph, edges, details)
    _structure_edges(graph, edges, details)
    edges = [e for e in edges if e["from"] in present and e["to"] in present]
    unique = {e["key"]: e for e in edges}
    return View(level, nodes, sorted(unique.values(), key=lambda e: e["key"]), details,
                _sources(graph))


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    """An actor's label; an event's name (or title), else its id in words."""
    data = graph.nodes[node] if node in graph else {}
    if set(data.get(TYPES, ())) & {*ACTOR_TYPES, "Place"}:
        return analysis.label(graph, node) or key(node)
    for name in ("name", "title"):
        values = [(str(v), [s]) for v, s in data.get(FACTS, {}).get(name, ())]
        if values:
            return _per_source(values).split(" [")[0]
    return local_id(node).replace("-", " ")


def _nodes(graph: nx.MultiDiGraph, details: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    attacks = {r["id"]: r for r in analysis.attacks(graph)}
    nodes = []
    for node, data in graph.nodes(data=True):
        types = [t for t in NODE_TYPES if t in data.get(TYPES, ())]
        if not types:
            continue
        kind = EVENT_NODE_KINDS.get(types[0]) or ("place" if types[0] == "Place" else None)
        dates = list(analysis.dated(graph, node).values()) if kind not in (None, "place") else []
        d0, d1 = span(dates)
        item: dict[str, Any] = {
            "key": key(node), "label": _label(graph, node), "type": types[0], "kind": kind,
            "sources": analysis.sources_of(graph, node, types[0]) if kind in
            EVENT_NODE_KINDS.values() else [],
            "d0": d0, "d1": d1, "aliases": sorted(data.get(ALIASES, ()))}
        nodes.append(item)
        if types[0] == "Attack":
            details[item["key"]] = _attack_detail(graph, node, attacks[local_id(node)])
        elif kind in ("plot", "policy"):
            details[item["key"]] = _event_detail(graph, node, types[0])
        else:
            details[item["key"]] = _actor_detail(graph, node, types[0])
    return sorted(nodes, key=lambda n: n["key"])


def _actor_detail(graph: nx.MultiDiGraph, node: str, type_name: str) -> dict[str, Any]:
    data = graph.nodes[node]
    rows = [["Type", type_name]]
    if data.get(ALIASES):
        rows.append(["Also known as", ", ".join(sorted(data[ALIASES]))])
    if data.get(STATE) and data[STATE] != node:
        rows.append(["Acts for", analysis.label(graph, data[STATE]) or data[STATE]])
    wikidata = sorted({str(v) for v, _ in facts(graph, node, SAME_AS)})
    if wikidata:
        rows.append(["Wikidata", ", ".join(wikidata)])
    description = sorted({str(v) for v, _ in facts(graph, node, DESCRIPTION)})
    if description:
        rows.append(["Description", " / ".join(description)])
    return {"title": analysis.label(graph, node), "rows": rows, "quotes": []}


def _per_source(values: list[tuple[str, list[str]]]) -> str:
    """``value [source, source]`` for each distinct value, most sourced first."""
    by_value: dict[str, set[str]] = defaultdict(set)
    for value, sources in values:
        by_value[value].update(sources)
    ordered = sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if len(ordered) == 1:
        return ordered[0][0]
    return " / ".join(f"{v} [{', '.join(sorted(s))}]" for v, s in ordered)


def _dates_row(graph: nx.MultiDiGraph, event: str) -> str | None:
    dates = analysis.dated(graph, event)
    return _per_source([(date_text(d), [s]) for s, d in dates.items()]) if dates else None


def _quotes(graph: nx.MultiDiGraph, event: str) -> list[dict[str, str | None]]:
    return [{"source": q["source"], "quote": q["quote"]} for q in analysis.quotes(graph, event)
            if q["quote"] is not None]


def _rows(pairs: list[tuple[str, Any]]) -> list[list[str]]:
    """Rows with a value; lists are joined with commas."""
    out = []
    for name, value in pairs:
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if value not in (None, ""):
            out.append([name, str(value)])
    return out


def _attack_detail(graph: nx.MultiDiGraph, node: str, row: Mapping[str, Any]
                   ) -> dict[str, Any]:
    def counts(items: list[dict[str, Any]]) -> list[str]:
        return [f"{count_text(c['value'], c['qualifier'])} [{c['source']}]" for c in items]

    names = [(str(v), [s]) for v, s in facts(graph, node, NAME)]
    return {"title": f"Attack: {_label(graph, node)}", "quotes": _quotes(graph, node),
            "rows": _rows([("Names", _per_source(names) if len(names) > 1 else None),
                           ("Date", _dates_row(graph, node)), ("Place", row["place"]),
                           ("Carried out by", row["perpetrators"]),
                           ("Claimed by", row["claimed_by"]), ("Killed", counts(row["killed"])),
                           ("Injured", counts(row["injured"])), ("Sources", row["sources"])])}


_TITLES = {"IntelligenceSharing": "Intelligence sharing", "FailureToWarn": "Failure to warn",
           "ClaimOfResponsibility": "Claim of responsibility"}
_DETAIL_FACTS = (("roleName", "Role"), ("affiliationType", "Relation"), ("status", "Status"),
                 ("waiver", "Waivers"), ("target", "Target"), ("description", "Description"))
_DETAIL_EDGES = (("sharer", "Shared by"), ("accused", "Accused"), ("claimant", "Claimed by"),
                 ("person", "Person"), ("member", "Member"), ("recipient", "Shared with"),
                 ("victim", "Not warned"), ("organisation", "Organisation"),
                 ("concerns", "Concerning"), ("subject", "About"), ("place", "Place"),
                 ("perpetrator", "Perpetrators"), ("issuer", "Issued by"))


def _event_detail(graph: nx.MultiDiGraph, node: str, type_name: str) -> dict[str, Any]:
    """Details of a plot, policy, role, sharing... : each source's values, and the quotes."""
    pairs: list[tuple[str, Any]] = [("Date", _dates_row(graph, node))]
    for fact, title in _DETAIL_FACTS:
        values = facts(graph, node, fact)
        if values:
            pairs.append((title, _per_source([(enum_words(v), [s]) for v, s in values])))
    for edge, title in _DETAIL_EDGES:
        found = targets(graph, node, edge)
        if found:
            pairs.append((title, _per_source([(_label(graph, t), s) for t, s in found])))
    pairs.append(("Sources", analysis.sources_of(graph, node, type_name)))
    return {"title": f"{_TITLES.get(type_name, type_name)}: {_label(graph, node)}",
            "quotes": _quotes(graph, node), "rows": _rows(pairs)}


def _add(edges: list[dict[str, Any]], source: str, target: str, kind: str, rel: str,
         sources: list[str], detail: str | None = None, d0: str | None = None,
         d1: str | None = None, **extra: Any) -> None:
    edges.append({"key": f"{detail or kind}|{key(source)}>{key(target)}|{rel}",
                  "from": key(source), "to": key(target), "kind": kind, "rel": rel,
                  "sources": sorted(set(sources)), "detail": detail, "d0": d0, "d1": d1,
                  **extra})


def _warning_edges(graph: nx.MultiDiGraph, level: str, edges: list[dict[str, Any]],
                   details: dict[str, dict[str, Any]]) -> None:
    rows = {r["id"]: r for r in analysis.warnings(graph)}
    all_states = analysis.reciprocity(graph, "state")
    by_state = [r for r in all_states if r["reciprocated"]]
    # What the sources themselves conclude about the pair of states ("nowhere near reciprocal").
    judged: dict[str, list[str]] = defaultdict(list)
    for r in all_states:
        for w in r["warnings"]:
            judged[w["id"]].extend(f"{v['verdict'].replace('_', ' ')} ({v['source']}: "
                                   f"{' / '.join(v['parties'])})" for v in r["verdicts"])
    by_level = by_state if level == "state" else [
        r for r in analysis.reciprocity(graph, level) if r["reciprocated"]]
    here = {(w["id"], w["from"], w["to"]) for r in by_level for w in r["warnings"]}
    states = {(w["id"], w["from"], w["to"]) for r in by_state for w in r["warnings"]}
    state_pairs: dict[str, set[tuple[str, str, int, int]]] = defaultdict(set)
    for r in by_state:
        for w in r["warnings"]:
            state_pairs[w["id"]].add((r["a"], r["b"], r["a_to_b"], r["b_to_a"]))
    for pair in analysis.warning_pairs(graph, level):
        event = _ID_BASE + "event/" + pair["id"]
        row = rows[pair["id"]]
        detail = key(event)
        if detail not in details:
            details[detail] = _warning_detail(graph, event, row, state_pairs)
            if judged.get(pair["id"]):
                details[detail]["rows"].append(["Sources' verdict on the pair",
                                                "; ".join(judged[pair["id"]])])
        d0, d1 = span(list(analysis.dated(graph, event).values()))
        names = (pair["id"], analysis.label(graph, pair["from"]),
                 analysis.label(graph, pair["to"]))
        state_names = (pair["id"], analysis.label(graph, state_of(graph, pair["from"])),
                       analysis.label(graph, state_of(graph, pair["to"])))
        recip = 2 if names in here else 1 if state_names in states else 0
        _add(edges, pair["from"], pair["to"], "warning", "warned", pair["sources"], detail,
             d0, d1, recip=recip, contested=pair["contested"])
        for field_name, rel in (("concerns", "warned of"), ("subject", "warned about")):
            for target, sources in targets(graph, event, field_name):
                stated = sorted(set(sources) & set(pair["sources"]))
                if stated:
                    _add(edges, pair["from"], target, "warning", rel, stated, detail, d0, d1)


def _warning_detail(graph: nx.MultiDiGraph, event: str, row: Mapping[str, Any],
                    state_pairs: dict[str, set[tuple[str, str, int, int]]]) -> dict[str, Any]:
    concerns = [_label(graph, t) for t, _ in targets(graph, event, CONCERNS)]
    subject = [analysis.label(graph, t) for t, _ in targets(graph, event, SUBJECT)]
    policy = [_label(graph, t) for t, _ in targets(graph, event, UNDER_POLICY)]
    specificity = sorted({enum_words(v) for v, _ in facts(graph, event, SPECIFICITY)})
    recip = sorted(f"{a} and {b} warned each other (state level): {ab} warning(s) "
                   f"{a} \u2192 {b}, {ba} {b} \u2192 {a}"
                   for a, b, ab, ba in state_pairs.get(row["id"], ()))
    return {"title": f"Warning: {row['warner']} \u2192 {row['recipient']}",
            "quotes": _quotes(graph, event),
            "rows": _rows([
                ("Warned by", row["warner"]), ("Warned", row["recipient"]),
                ("States", f"{row['warner_state']} \u2192 {row['recipient_state']}"),
                ("Date", _dates_row(graph, event)), ("Concerned", concerns),
                ("About", subject), ("Named", specificity),
                ("Channel", [words(c) for c in row["channel"]]),
                ("Outcome", words(row["outcome"]) if row["outcome"] else None),
                ("Response", [words(r) for r in row["response"]] or "none reported"),
                ("Under policy", policy), ("Reciprocated", recip),
                ("Disputed by", row["disputed_by"]),
                ("Contested", row["contested_because"]),
                ("Only a copy says", [f"{d['attribute']}: {words(d['value'])} "
                                      f"({', '.join(d['sources'])})"
                                      for d in row["derived_only"]]),
                ("Sources", row["sources"]),
                ("Independent sources", row["independent_sources"]
                 if row["independent_sources"] != row["sources"] else None)])}


_PAIR_EVENTS = {"IntelligenceSharing": ("sharer", "recipient", "sharing", "shared intelligence"),
                "FailureToWarn": ("accused", "victim", "failure", "failed to warn"),
                "ClaimOfResponsibility": ("claimant", "concerns", "claim", "claimed"),
                "Role": ("person", "organisation", "membership", None),
                "Affiliation": ("member", "organisation", "membership", None)}


def _event_edges(graph: nx.MultiDiGraph, edges: list[dict[str, Any]],
                 details: dict[str, dict[str, Any]]) -> None:
    for type_name, (from_key, to_key, kind, rel) in _PAIR_EVENTS.items():
        for event in nodes_of_type(graph, type_name):
            detail = key(event)
            d0, d1 = span(list(analysis.dated(graph, event).values()))
            for a, a_sources in targets(graph, event, from_key):
                for b, b_sources in targets(graph, event, to_key):
                    common = sorted(set(a_sources) & set(b_sources))
                    if not common or a == b:
                        continue
                    name = rel or _relation_name(graph, event, type_name)
                    _add(edges, a, b, kind, name, common, detail, d0, d1)
            if detail not in details:
                details[detail] = _event_detail(graph, event, type_name)
    for type_name, rel in (("Attack", "carried out"), ("Plot", "plotted")):
        for event in nodes_of_type(graph, type_name):
            for actor, sources in targets(graph, event, PERPETRATOR):
                _add(edges, actor, event, type_name.lower(), rel, sources, key(event))
            for place, sources in targets(graph, event, PLACE):
                _add(edges, event, place, type_name.lower(), "at", sources, key(event))
    for policy in nodes_of_type(graph, "Policy"):
        for issuer, sources in targets(graph, policy, ISSUER):
            _add(edges, issuer, policy, "policy", "issued", sources, key(policy))


def _relation_name(graph: nx.MultiDiGraph, event: str, type_name: str) -> str:
    if type_name == "Role":
        names = sorted({str(v) for v, _ in facts(graph, event, ROLE_NAME)})
        return " / ".join(names) or "role"
    kinds = sorted({enum_words(v) for v, _ in facts(graph, event, AFFILIATION_TYPE)})
    return " / ".join(kinds) or "affiliated with"


def _structure_edges(graph: nx.MultiDiGraph, edges: list[dict[str, Any]],
                     details: dict[str, dict[str, Any]]) -> None:
    """Reference data: agencies and officials acting for a state, places within places."""
    for node, data in graph.nodes(data=True):
        state = data.get(STATE)
        if state and state != node and state in graph:
            rel = "acts for" if "Person" in data.get(TYPES, ()) else "part of"
            _add(edges, node, state, "membership", rel, [])
    for a, b, k in graph.edges(keys=True):
        if k == CONTAINED_IN_PLACE:
            _add(edges, a, b, "place", "in", [])


def _sources(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Each source's title, outlet, date, author, URL and what it derives from (reference)."""
    def first(node: str, name: str) -> str | None:
        values = facts(graph, node, name)
        return str(values[0][0]) if values else None

    out = {}
    for node in nodes_of_type(graph, "Source"):
        derived = [local_id(t) for t, _ in targets(graph, node, WAS_DERIVED_FROM)]
        relation = first(node, "relation")
        out[local_id(node)] = {
            "title": first(node, "title"), "outlet": first(node, "publisher"),
            "published": first(node, "issued"), "author": first(node, "creator"),
            "url": first(node, "url"),
            "derived": f"{relation or 'derived'} of {', '.join(derived)}" if derived else
            (relation if relation else None),
            "grade": (f"reliability {first(node, 'reliability')}: "
                      f"{first(node, 'reliabilityReason') or ''}".rstrip(": ")
                      if first(node, "reliability") else None)}
    return dict(sorted(out.items()))
