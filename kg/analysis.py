"""The questions users ask, answered on the NetworkX projection (graph first).

Every answer carries the ids of the sources behind it. Where sources disagree on a
single-valued attribute (a warner, a date), the answer lists every value, most
sourced first, joined with `` / ``; :func:`conflicts` shows who says what.

Example:
    >>> from kg.synthetic import synthetic_corpus
    >>> from kg.validate import check_corpus
    >>> from kg.build import build_dataset
    >>> from kg.project import project
    >>> g = project(build_dataset(check_corpus(synthetic_corpus(30, seed=2))))
    >>> rows = warnings(g)
    >>> rows[0]["id"], rows[0]["sources"]
    ('warning-0', ['syn-0', 'syn-1000000'])
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from .errors import UnknownNameError
from .project import ACTOR_TYPES, facts, nodes_of_type, targets
from .records import DateValue
from .vocab import ENUM_TERMS, local_id

EVENT_TYPES = ("Warning", "Attack", "Plot", "Response", "ClaimOfResponsibility",
               "IntelligenceSharing", "FailureToWarn", "Policy")
SOURCE = "https://w3id.org/duty-to-warn/id/source/"
_ENUM_NAMES = {local_id(iri): key for table in ENUM_TERMS.values() for key, iri in table.items()}
WARNING_FIELDS = ["id", "warner", "warner_state", "recipient", "recipient_state", "date",
                  "date_precision", "concerns", "outcome", "channel", "response", "contested",
                  "sources"]
RECIPROCITY_FIELDS = ["a", "b", "a_to_b", "b_to_a", "reciprocated", "contested", "warnings"]
ATTACK_FIELDS = ["id", "name", "date", "place", "perpetrators", "claimed_by", "killed",
                 "injured", "sources"]
CONFLICT_FIELDS = ["subject", "attribute", "values"]
LEAD_TIME_FIELDS = ["warning", "warner_state", "recipient_state", "concerns", "warning_date",
                    "attack_date", "lead_days", "lead_days_min", "lead_days_max", "outcome",
                    "note"]
TIMELINE_FIELDS = ["date", "date_precision", "kind", "id", "description", "sources"]


def label(graph: nx.MultiDiGraph, node: str | None) -> str | None:
    """The human label of a node (its id when it has none)."""
    if node is None:
        return None
    return graph.nodes[node].get("label", local_id(node)) if node in graph else local_id(node)


def _joined(values: list[tuple[str, list[str]]]) -> str | None:
    """Distinct values, most sources first: 'A / B' (None when no source states one)."""
    weight: Counter[str] = Counter()
    for value, sources in values:
        weight[value] += len(sources)
    ordered = sorted(weight, key=lambda v: (-weight[v], v))
    return " / ".join(ordered) if ordered else None


def _enum(value: Any) -> Any:
    return _ENUM_NAMES.get(value, value)


def sources_of(graph: nx.MultiDiGraph, event: str, type_name: str) -> list[str]:
    """Sources that report ``event`` as a ``type_name``."""
    return sorted(set(graph.nodes[event].get("typed_by", {}).get(type_name, ())))


def dated(graph: nx.MultiDiGraph, node: str) -> dict[str, DateValue]:
    """Each source's date for ``node`` (with its precision)."""
    precisions = {src: _enum(v) for v, src in facts(graph, node, "datePrecision")}
    return {src: DateValue(str(v), precisions.get(src, "day")) for v, src in
            facts(graph, node, "date")}


def quotes(graph: nx.MultiDiGraph, event: str) -> list[dict[str, Any]]:
    """The verbatim quotes of every claim about ``event``, with source and offsets."""
    out = []
    for claim, _, key in graph.in_edges(event, keys=True):
        if key != "asserts":
            continue
        for quote, _sources in targets(graph, claim, "evidence"):
            text = facts(graph, quote, "quote")
            start, end = facts(graph, quote, "startOffset"), facts(graph, quote, "endOffset")
            out.append({"source": text[0][1] if text else None,
                        "quote": text[0][0] if text else None,
                        "start": start[0][0] if start else None,
                        "end": end[0][0] if end else None, "claim": local_id(claim)})
    return sorted(out, key=lambda q: (q["source"] or "", q["start"] or 0))


def _incoming(graph: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    return sorted(u for u, _, k in graph.in_edges(node, keys=True) if k == key)


def _state(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("state") or node if node in graph else node


def warnings(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Who warned whom: one row per warning event, with every source's values."""
    rows = []
    for event in nodes_of_type(graph, "Warning"):
        warners, recipients = targets(graph, event, "warner"), targets(graph, event, "recipient")
        dates = dated(graph, event)
        responses = []
        for response in _incoming(graph, event, "respondsTo"):
            kinds = {_enum(v) for v, _ in facts(graph, response, "responseType")}
            who = ", ".join(label(graph, r) for r, _ in targets(graph, response, "responder"))
            responses.extend(f"{k} ({who})" if who else k for k in sorted(kinds))
        summary = _states_and_outcome(graph, event)
        rows.append({
            "id": local_id(event),
            "warner": _joined([(label(graph, w), s) for w, s in warners]),
            "warner_state": summary["warner_state"],
            "recipient": _joined([(label(graph, r), s) for r, s in recipients]),
            "recipient_state": summary["recipient_state"],
            "date": summary["date"],
            "date_precision": _joined([(d.precision, [s]) for s, d in dates.items()]),
            "concerns": _joined([(local_id(c), s) for c, s in targets(graph, event, "concerns")]),
            "outcome": summary["outcome"],
            "channel": sorted({_enum(v) for v, _ in facts(graph, event, "channel")}),
            "response": sorted(set(responses)),
            "contested": bool(disputes_of(graph, event)),
            "sources": sources_of(graph, event, "Warning"),
            "independent_sources": independent(graph, sources_of(graph, event, "Warning")),
            "disputed_by": disputes_of(graph, event),
            "quotes": quotes(graph, event),
        })
    return rows


def independent(graph: nx.MultiDiGraph, sources: list[str]) -> list[str]:
    """The sources that do not derive (as a summary, translation or repost) from another one.

    Corroboration counts these only: a summary repeating its original is not a second
    confirmation.

    Example:
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge(SOURCE + "summary", SOURCE + "ap", key="wasDerivedFrom", sources=["r"])
        'wasDerivedFrom'
        >>> independent(g, ["ap", "summary", "rfi"])
        ['ap', 'rfi']
    """
    chosen = set(sources)

    def derives(source: str, seen: frozenset = frozenset()) -> bool:
        node = SOURCE + source
        if node not in graph or source in seen:
            return False
        for _, parent, key in graph.out_edges(node, keys=True):
            if key == "wasDerivedFrom":
                parent_id = local_id(parent)
                if parent_id in chosen or derives(parent_id, seen | {source}):
                    return True
        return False

    return sorted(s for s in chosen if not derives(s))


def disputes_of(graph: nx.MultiDiGraph, event: str) -> list[str]:
    """Sources with a Dispute claim against ``event``."""
    return sorted({s for d in _incoming(graph, event, "disputes")
                   for s in graph.nodes[d].get("typed_by", {}).get("Dispute", ())})


def warning_pairs(graph: nx.MultiDiGraph, level: str = "state") -> list[dict[str, Any]]:
    """Each warning as directed (from, to) pairs at ``state`` or ``actor`` level.

    A warning whose sources name different warners or recipients gives one pair per
    distinct combination, each with the sources that state it.
    """
    if level not in ("state", "actor"):
        raise ValueError("level must be 'state' or 'actor'")
    pairs = []
    for event in nodes_of_type(graph, "Warning"):
        contested = bool(disputes_of(graph, event))
        dates = dated(graph, event)
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for w, w_sources in targets(graph, event, "warner"):
            for r, r_sources in targets(graph, event, "recipient"):
                common = set(w_sources) & set(r_sources)
                if not common:
                    continue
                a, b = (_state(graph, w), _state(graph, r)) if level == "state" else (w, r)
                if a != b:
                    found[(a, b)] |= common
        for (a, b), srcs in sorted(found.items()):
            pairs.append({"id": local_id(event), "from": a, "to": b,
                          "date": _joined([(d.value, [s]) for s, d in dates.items()]),
                          "contested": contested, "sources": sorted(srcs)})
    return pairs


def reciprocity(graph: nx.MultiDiGraph, level: str = "state") -> list[dict[str, Any]]:
    """For each pair of actors (or states) with warnings between them: both directions."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pair in warning_pairs(graph, level):
        key = tuple(sorted((pair["from"], pair["to"]), key=lambda n: label(graph, n) or n))
        by_pair[key].append(pair)
    rows = []
    for (a, b), pairs in sorted(by_pair.items(), key=lambda kv: (label(graph, kv[0][0]),
                                                                  label(graph, kv[0][1]))):
        a_to_b = sorted({p["id"] for p in pairs if p["from"] == a})
        b_to_a = sorted({p["id"] for p in pairs if p["from"] == b})
        rows.append({"a": label(graph, a), "b": label(graph, b), "a_to_b": len(a_to_b),
                     "b_to_a": len(b_to_a), "reciprocated": bool(a_to_b and b_to_a),
                     "contested": any(p["contested"] for p in pairs),
                     "warnings": [{"id": p["id"], "from": label(graph, p["from"]),
                                   "to": label(graph, p["to"]), "date": p["date"],
                                   "contested": p["contested"], "sources": p["sources"]}
                                  for p in pairs]})
    return rows


def _interval(date: DateValue) -> tuple[dt.date | None, dt.date | None]:
    """First and last day a date allows (None where unbounded)."""
    if date.precision == "before":
        return None, dt.date.fromisoformat(date.value) - dt.timedelta(days=1)
    first = date.first_day()
    assert first is not None
    if date.precision == "day":
        return first, first
    if date.precision == "month":
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return first, dt.date(first.year, 12, 31)


def lead_times(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Days from each warning to the attack or plot it concerned, where dates allow.

    ``lead_days`` is set only when both dates are known to the day (and every source
    pairing gives the same number); otherwise ``lead_days_min``/``max`` bound it when
    the precisions allow, and ``note`` says why it is not exact.
    """
    rows = []
    for event in nodes_of_type(graph, "Warning"):
        concerned = targets(graph, event, "concerns")
        if concerned:
            row = _states_and_outcome(graph, event)
        for target, _ in concerned:
            w_dates, a_dates = dated(graph, event), dated(graph, target)
            exact, lows, highs, notes = set(), [], [], []
            for w in w_dates.values():
                for a in a_dates.values():
                    (w0, w1), (a0, a1) = _interval(w), _interval(a)
                    if w.precision == a.precision == "day":
                        exact.add((a0 - w0).days)
                    lows.append((a0 - w1).days if a0 and w1 else None)
                    highs.append((a1 - w0).days if a1 and w0 else None)
            if not w_dates or not a_dates:
                notes.append("no source dates the " + ("warning" if not w_dates else "attack"))
            elif not exact:
                vague = sorted({d.precision for d in (*w_dates.values(), *a_dates.values())
                                if d.precision != "day"})
                notes.append("a date is known only " + " or ".join(
                    "as before a day" if p == "before" else f"to the {p}" for p in vague))
            known_lows = [x for x in lows if x is not None]
            known_highs = [x for x in highs if x is not None]
            rows.append({
                "warning": local_id(event), "warner_state": row["warner_state"],
                "recipient_state": row["recipient_state"], "concerns": local_id(target),
                "warning_date": row["date"],
                "attack_date": _joined([(d.value, [s]) for s, d in a_dates.items()]),
                "lead_days": exact.pop() if len(exact) == 1 else None,
                "lead_days_min": min(known_lows) if known_lows and None not in lows else None,
                "lead_days_max": max(known_highs) if known_highs and None not in highs
                else None,
                "outcome": row["outcome"],
                "note": "; ".join(notes) if notes else ("sources disagree" if len(exact) > 1
                                                        else "")})
    return rows


def _states_and_outcome(graph: nx.MultiDiGraph, event: str) -> dict[str, Any]:
    warners, recipients = targets(graph, event, "warner"), targets(graph, event, "recipient")
    return {
        "warner_state": _joined([(label(graph, _state(graph, w)), s) for w, s in warners]),
        "recipient_state": _joined([(label(graph, _state(graph, r)), s) for r, s in recipients]),
        "date": _joined([(d.value, [s]) for s, d in dated(graph, event).items()]),
        "outcome": _joined([(_enum(v), [s]) for v, s in facts(graph, event, "outcome")])}


def _counts(graph: nx.MultiDiGraph, event: str, key: str) -> list[dict[str, Any]]:
    out = []
    for node, sources in targets(graph, event, key):
        value = facts(graph, node, "value")
        qualifier = facts(graph, node, "qualifier")
        text = facts(graph, node, "countText")
        for source in sources:
            out.append({"value": value[0][0] if value else None,
                        "qualifier": _enum(qualifier[0][0]) if qualifier else "exact",
                        "source": source, "text": text[0][0] if text else None})
    return sorted(out, key=lambda c: (c["value"] or 0, c["source"]))


def count_range(counts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The span of stated figures: lowest and highest number and whether the top is open."""
    if not counts:
        return None
    low = min(counts, key=lambda c: c["value"])
    high = max(counts, key=lambda c: c["value"])
    return {"low": low["value"], "high": high["value"],
            "high_is_lower_bound": high["qualifier"] in ("more_than", "at_least")}


def attacks(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Attacks: when, where, who, who claimed them, and each source's casualty figures."""
    rows = []
    for event in nodes_of_type(graph, "Attack"):
        claims = [c for c in _incoming(graph, event, "concerns")
                  if "ClaimOfResponsibility" in graph.nodes[c]["types"]]
        killed, injured = _counts(graph, event, "killed"), _counts(graph, event, "injured")
        rows.append({
            "id": local_id(event),
            "name": _joined([(v, [s]) for v, s in facts(graph, event, "name")]),
            "date": _joined([(d.value, [s]) for s, d in dated(graph, event).items()]),
            "place": _joined([(label(graph, p), s) for p, s in targets(graph, event, "place")]),
            "perpetrators": sorted({label(graph, p) for p, _ in
                                    targets(graph, event, "perpetrator")}),
            "claimed_by": sorted({label(graph, c) for claim in claims
                                  for c, _ in targets(graph, claim, "claimant")}),
            "killed": killed, "injured": injured,
            "killed_range": count_range(killed), "injured_range": count_range(injured),
            "sources": sources_of(graph, event, "Attack"),
            "independent_sources": independent(graph, sources_of(graph, event, "Attack")),
            "quotes": quotes(graph, event)})
    return rows


_CONFLICT_EDGES = ("warner", "recipient", "place", "perpetrator", "concerns", "claimant",
                   "sharer", "responder", "organisation", "issuer")
_CONFLICT_FACTS = ("date", "outcome", "status")


def conflicts(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every attribute of an event on which sources state different values."""
    rows = []
    for event in sorted(n for n, d in graph.nodes(data=True)
                        if set(d.get("types", ())) & set(EVENT_TYPES)):
        attributes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for type_name, sources in graph.nodes[event].get("typed_by", {}).items():
            for s in sources:
                attributes["type"][type_name].add(s)
        for key in _CONFLICT_EDGES:
            for node, sources in targets(graph, event, key):
                attributes[key][label(graph, node) or node].update(sources)
        for name in _CONFLICT_FACTS:
            precision = {s: _enum(v) for v, s in facts(graph, event, "datePrecision")}
            for value, source in facts(graph, event, name):
                shown = _enum(value)
                if name == "date" and precision.get(source, "day") != "day":
                    shown = f"{precision[source]} {value}"
                attributes[name][str(shown)].add(source)
        for key in ("killed", "injured"):
            for count in _counts(graph, event, key):
                words = {"exact": "", "more_than": "more than ", "at_least": "at least ",
                         "about": "about ", "at_most": "at most "}[count["qualifier"]]
                attributes[key][f"{words}{count['value']}"].add(count["source"])
        disputed = disputes_of(graph, event)
        if disputed:
            attributes["is_duty_to_warn"]["no (disputed)"].update(disputed)
            attributes["is_duty_to_warn"]["yes"].update(sources_of(graph, event, "Warning"))
        for attribute, values in sorted(attributes.items()):
            if len(values) > 1:
                rows.append({"subject": local_id(event), "attribute": attribute,
                             "values": [{"value": v, "sources": sorted(s)}
                                        for v, s in sorted(values.items(),
                                                           key=lambda kv: (-len(kv[1]), kv[0]))]})
    return rows + _role_conflicts(graph)


def _role_conflicts(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    by_person: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for role in nodes_of_type(graph, "Role"):
        orgs = targets(graph, role, "organisation")
        for person, sources in targets(graph, role, "person"):
            for org, _ in orgs:
                by_person[person][label(graph, org) or org].update(sources)
    return [{"subject": local_id(person), "attribute": "role organisation",
             "values": [{"value": v, "sources": sorted(s)} for v, s in sorted(values.items())]}
            for person, values in sorted(by_person.items()) if len(values) > 1]


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The node an actor or place name refers to: its id, label or any alias (any case)."""
    wanted = name.strip().casefold()
    known: list[str] = []
    for node, data in graph.nodes(data=True):
        if not set(data.get("types", ())) & {*ACTOR_TYPES, "Place"}:
            continue
        names = [local_id(node), data.get("label", ""), *data.get("aliases", ())]
        if wanted in (n.casefold() for n in names):
            return node
        known.extend(names)
    unique = {k.casefold(): k for k in sorted(known, reverse=True)}
    raise UnknownNameError("actor", name, sorted(unique.values()))


def actor(graph: nx.MultiDiGraph, name: str) -> dict[str, Any]:
    """Everything about one actor: identity, warnings sent and received, roles, attacks."""
    node = resolve(graph, name)
    data = graph.nodes[node]
    members = [n for n in graph.nodes if graph.nodes[n].get("state") == node and n != node]

    def events(key: str, type_name: str) -> list[str]:
        return sorted({local_id(e) for e in _incoming(graph, node, key)
                       if type_name in graph.nodes[e]["types"]})

    roles = []
    for role in _incoming(graph, node, "person"):
        for org, sources in targets(graph, role, "organisation") or [(None, [])]:
            names = facts(graph, role, "roleName")
            roles.append({"role": names[0][0] if names else None,
                          "organisation": label(graph, org),
                          "sources": sorted({s for _, s in names})})
    affiliations = [{"relation": _joined([(_enum(v), [s]) for v, s in
                                          facts(graph, a, "affiliationType")]),
                     "organisation": label(graph, o), "sources": s}
                    for a in _incoming(graph, node, "member")
                    for o, s in targets(graph, a, "organisation")]
    wikidata = [v for v, _ in facts(graph, node, "sameAs")]
    return {"id": local_id(node), "label": data.get("label"),
            "type": (data.get("types") or [None])[0], "aliases": data.get("aliases", []),
            "state": label(graph, data.get("state")) if data.get("state") != node else None,
            "wikidata": wikidata[0] if wikidata else None,
            "members": sorted(label(graph, m) for m in members),
            "warnings_sent": events("warner", "Warning"),
            "warnings_received": events("recipient", "Warning"),
            "shared_intelligence": events("sharer", "IntelligenceSharing"),
            "received_intelligence": events("recipient", "IntelligenceSharing"),
            "attacks": events("perpetrator", "Attack") + events("perpetrator", "Plot"),
            "claimed": events("claimant", "ClaimOfResponsibility"),
            "responses": events("responder", "Response"),
            "roles": roles, "affiliations": affiliations}


def path(graph: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest connection between two actors, through events and relations."""
    start, end = resolve(graph, a), resolve(graph, b)
    keep = {n for n, d in graph.nodes(data=True)
            if set(d.get("types", ())) & {*ACTOR_TYPES, "Place", *EVENT_TYPES, "Role",
                                          "Affiliation"}}
    view = nx.Graph()
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u in keep and v in keep and key != "asserts":
            view.add_edge(u, v)
            view.edges[u, v].setdefault("edges", []).append((u, key, v, data["sources"]))
    try:
        nodes = nx.shortest_path(view, start, end)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        for src, key, dst, sources in view.edges[u, v]["edges"]:
            steps.append({"from": label(graph, src), "relation": key, "to": label(graph, dst),
                          "sources": sources})
            break
    return steps


def timeline(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Dated events in order (each source's date kept); undated events last."""
    rows = []
    for event in sorted(n for n, d in graph.nodes(data=True)
                        if set(d.get("types", ())) & set(EVENT_TYPES)):
        kinds = sorted(set(graph.nodes[event]["types"]) & set(EVENT_TYPES))
        description = _joined([(v, [s]) for v, s in facts(graph, event, "description")][:1])
        sources = sorted({s for k in kinds for s in sources_of(graph, event, k)})
        by_date: dict[tuple[str, str], list[str]] = defaultdict(list)
        for source, date in dated(graph, event).items():
            by_date[(date.value, date.precision)].append(source)
        for (value, precision), srcs in sorted(by_date.items()) or [((None, None), sources)]:
            rows.append({"date": value, "date_precision": precision, "kind": "/".join(kinds),
                         "id": local_id(event), "description": description,
                         "sources": sorted(srcs)})
    return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
