"""The questions users ask, answered on the NetworkX projection (graph first).

Every answer carries the ids of the sources behind it. Where sources disagree on a
single-valued attribute (a warner, a date), the answer lists every value, the one with
most independent sources first, joined with `` / ``; a value that only a copy (summary,
translation, repost) states without its stored original is marked ``(derived only)`` and
comes last. :func:`conflicts` shows who says what, and whether the values contradict each
other or one refines another (see :mod:`kg.agreement`).

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

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from .agreement import Stated, date_bounds, date_text, judge, judge_roles
from .errors import UnknownNameError
from .project import ACTOR_TYPES, EVENT_TYPES, claims_about, facts, nodes_of_type, targets
from .records import Count, DateValue
from .stated import (
    Context,
    attribute_values,
    contradictions,
    count_values,
    counts,
    date_values,
    dated,
    disputes_of,
    entity_values,
    enum,
    fact_values,
    grades,
    headline,
    inferred_dates,
    inferred_fields,
    label,
    may_disagree,
    ordered,
    originals,
    value_rows,
)
from .stated import independent as _independent
from .vocab import local_id

SOURCE = "https://w3id.org/duty-to-warn/id/source/"
WARNING_FIELDS = ["id", "warner", "warner_state", "recipient", "recipient_state", "date",
                  "date_precision", "concerns", "outcome", "channel", "response", "contested",
                  "sources"]
RECIPROCITY_FIELDS = ["a", "b", "a_to_b", "b_to_a", "reciprocated", "contested", "warnings",
                      "verdicts"]
ATTACK_FIELDS = ["id", "name", "date", "place", "perpetrators", "claimed_by", "killed",
                 "injured", "sources"]
CONFLICT_FIELDS = ["subject", "attribute", "kind", "values", "reason"]
LEAD_TIME_FIELDS = ["warning", "warner_state", "recipient_state", "concerns", "warning_date",
                    "attack_date", "lead_days", "lead_days_min", "lead_days_max", "outcome",
                    "note"]
TIMELINE_FIELDS = ["date", "date_precision", "kind", "id", "description", "sources"]


def _joined(values: list[tuple[str, list[str]]]) -> str | None:
    """Distinct values, most sources first: 'A / B' (None when no source states one)."""
    weight: Counter[str] = Counter()
    for value, sources in values:
        weight[value] += len(sources)
    ordered = sorted(weight, key=lambda v: (-weight[v], v))
    return " / ".join(ordered) if ordered else None


def _enum(value: Any) -> Any:
    return enum(value)


def sources_of(graph: nx.MultiDiGraph, event: str, type_name: str) -> list[str]:
    """Sources that report ``event`` as a ``type_name``."""
    return sorted(set(graph.nodes[event].get("typed_by", {}).get(type_name, ())))


def quotes(graph: nx.MultiDiGraph, event: str) -> list[dict[str, Any]]:
    """The verbatim quotes of every claim about ``event``, with source and offsets."""
    out = []
    for claim in claims_about(graph, event):
        for quote, _sources in targets(graph, claim, "evidence"):
            text = facts(graph, quote, "quote")
            start, end = facts(graph, quote, "startOffset"), facts(graph, quote, "endOffset")
            graded = facts(graph, claim, "credibility")
            out.append({"source": text[0][1] if text else None,
                        "credibility": graded[0][0] if graded else None,
                        "quote": text[0][0] if text else None,
                        "start": start[0][0] if start else None,
                        "end": end[0][0] if end else None, "claim": local_id(claim)})
    return sorted(out, key=lambda q: (q["source"] or "", q["start"] or 0))


def _incoming(graph: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    return sorted(u for u, _, k in graph.in_edges(node, keys=True) if k == key)


def _state(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("state") or node if node in graph else node


def date_fields(context: Context, values: list[Stated]) -> dict[str, Any]:
    """``date`` (as a table prints it), ``earliest`` and ``latest`` of one event's dates.

    The bounds span what the dates with independent support allow (copies' dates only
    when nothing else dates the event): ``None`` where unbounded or undated.
    """
    marked = ordered(context, "date", values)
    kept = [v for v, d in marked if not d] or [v for v, _ in marked]
    lows = [v.key[0] for v in kept]
    highs = [v.key[1] for v in kept]
    return {"date": headline(context, "date", values),
            "earliest": None if not lows or None in lows else min(lows).isoformat(),
            "latest": None if not highs or None in highs else max(highs).isoformat()}


def _date_fields(context: Context, graph: nx.MultiDiGraph, event: str) -> dict[str, Any]:
    """:func:`date_fields` of ``event`` and ``date_inferred``: which sources inferred how."""
    return {**date_fields(context, date_values(graph, event)),
            "date_inferred": inferred_dates(graph, event)}


def warnings(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Who warned whom: one row per warning event, with every source's values.

    A value only a copy states without its original (``derived_only``) is listed last
    and marked; ``contested`` is true when some attribute's values cannot all be true
    (``contested_because`` says which, :mod:`kg.agreement` how that is decided).
    """
    context = Context.of(graph)
    rows = []
    for event in nodes_of_type(graph, "Warning"):
        dates = dated(graph, event)
        responses: list[str] = []
        for response in _incoming(graph, event, "respondsTo"):
            kinds = {_enum(v) for v, _ in facts(graph, response, "responseType")}
            who = ", ".join(label(graph, r) for r, _ in targets(graph, response, "responder"))
            responses.extend(f"{k} ({who})" if who else k for k in sorted(kinds))
        values_of = attribute_values(graph, event)
        summary = _states_and_outcome(context, graph, event, values_of)
        because = contradictions(context, graph, event, values_of)
        sources = sources_of(graph, event, "Warning")
        guessed = inferred_fields(graph, event)
        rows.append({
            "id": local_id(event),
            "warner": headline(context, "warner", values_of.get("warner", []), guessed),
            "warner_state": summary["warner_state"],
            "recipient": headline(context, "recipient", values_of.get("recipient", []), guessed),
            "recipient_state": summary["recipient_state"],
            "date": summary["date"],
            "date_precision": _joined([(d.precision, [s]) for s, d in dates.items()]),
            "concerns": headline(context, "concerns", values_of.get("concerns", []), guessed),
            "outcome": summary["outcome"],
            "channel": sorted({_enum(v) for v, _ in facts(graph, event, "channel")}),
            "response": sorted(set(responses)),
            "contested": bool(because),
            "sources": sources,
            "earliest": summary["earliest"], "latest": summary["latest"],
            "date_inferred": summary["date_inferred"],
            "inferred": guessed,
            "independent_sources": _independent(context.original, sources),
            "source_grades": context.graded(sources),
            "contested_because": because,
            "derived_only": _derived_rows(context, values_of),
            "disputed_by": disputes_of(graph, event),
            "quotes": quotes(graph, event),
        })
    return rows


def _derived_rows(context: Context, values_of: dict[str, list[Stated]]
                  ) -> list[dict[str, Any]]:
    """The values (of :func:`attribute_values`) only copies state, their originals silent."""
    out = []
    for attribute, values in sorted(values_of.items()):
        for value, derived in ordered(context, attribute, values):
            if derived:
                out.append({"attribute": attribute, "value": value.shown,
                            "sources": list(value.sources)})
    return out


def independent(graph: nx.MultiDiGraph, sources: list[str]) -> list[str]:
    """The sources that count as independent: a copy counts with its original as one.

    Corroboration counts these only: a summary repeating its original is not a second
    confirmation.

    Example:
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge(SOURCE + "summary", SOURCE + "ap", key="wasDerivedFrom", sources=["r"])
        'wasDerivedFrom'
        >>> independent(g, ["ap", "summary", "rfi"])
        ['ap', 'rfi']
    """
    return _independent(originals(graph), sources)


def warning_pairs(graph: nx.MultiDiGraph, level: str = "state") -> list[dict[str, Any]]:
    """Each warning as directed (from, to) pairs at ``state`` or ``actor`` level.

    A warning whose sources name different warners or recipients gives one pair per
    distinct combination, each with the sources that state it. ``contested`` follows the
    rule of :func:`warnings`; ``derived_only`` is true when only copies state the pair and
    their stored originals do not report the warning at all.
    """
    if level not in ("state", "actor"):
        raise ValueError("level must be 'state' or 'actor'")
    context = Context.of(graph)
    pairs = []
    for event in nodes_of_type(graph, "Warning"):
        because = contradictions(context, graph, event)
        dates = date_fields(context, date_values(graph, event))
        reporting = set(sources_of(graph, event, "Warning"))
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
            copies_only = all(s in context.original and context.original[s] not in reporting
                              for s in srcs)
            pairs.append({"id": local_id(event), "from": a, "to": b, **dates,
                          "contested": bool(because), "contested_because": because,
                          "sources": sorted(srcs),
                          "independent_sources": _independent(context.original, sorted(srcs)),
                          "source_grades": context.graded(sorted(srcs)),
                          "derived_only": copies_only})
    return pairs


def verdicts(graph: nx.MultiDiGraph, level: str = "state"
             ) -> dict[frozenset[str], list[dict[str, Any]]]:
    """The sources' own verdicts on reciprocity, by the pair of actors (or states) they judge.

    Each verdict: ``verdict`` (reciprocated, partly_reciprocated, rarely_reciprocated,
    not_reciprocated), ``source``, ``parties`` (labels, as the source names them),
    ``exchange`` and the ``quotes``.
    """
    out: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for node in nodes_of_type(graph, "ReciprocityVerdict"):
        parties = [p for p, _ in targets(graph, node, "party")]
        pair = frozenset(_state(graph, p) if level == "state" else p for p in parties)
        exchange = {s: str(v) for v, s in facts(graph, node, "exchange")}
        said = quotes(graph, node)
        for value, source in facts(graph, node, "reciprocity"):
            out[pair].append({"verdict": _enum(value), "source": source,
                              "parties": sorted(label(graph, p) or p for p in parties),
                              "exchange": exchange.get(source),
                              "quotes": [q["quote"] for q in said if q["source"] == source]})
    for found in out.values():
        found.sort(key=lambda v: (v["source"], v["verdict"]))
    return out


def reciprocity(graph: nx.MultiDiGraph, level: str = "state") -> list[dict[str, Any]]:
    """For each pair of actors (or states) with warnings between them: both directions.

    ``a_to_b``/``b_to_a`` count warnings that some independent source reports (a warning
    only a copy states, its original silent, is listed but not counted);
    ``independent_sources`` are the sources behind the pair, a copy counted with its
    original; ``contested_because`` names each contested warning and why; ``verdicts`` are
    what the sources themselves conclude about the pair (:func:`verdicts`), shown beside
    the counts, which they may contradict.
    """
    judged = verdicts(graph, level)
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pair in warning_pairs(graph, level):
        key = tuple(sorted((pair["from"], pair["to"]), key=lambda n: label(graph, n) or n))
        by_pair[key].append(pair)
    original = originals(graph)
    rows = []
    for (a, b), pairs in sorted(by_pair.items(), key=lambda kv: (label(graph, kv[0][0]),
                                                                  label(graph, kv[0][1]))):
        counted = [p for p in pairs if not p["derived_only"]]
        a_to_b = sorted({p["id"] for p in counted if p["from"] == a})
        b_to_a = sorted({p["id"] for p in counted if p["from"] == b})
        rows.append({"a": label(graph, a), "b": label(graph, b), "a_to_b": len(a_to_b),
                     "b_to_a": len(b_to_a), "reciprocated": bool(a_to_b and b_to_a),
                     "contested": any(p["contested"] for p in counted),
                     "independent_sources": _independent(
                         original, sorted({s for p in pairs for s in p["sources"]})),
                     "contested_because": [f"{p['id']}: {why}" for p in pairs
                                           for why in p["contested_because"]],
                     "warnings": [{"id": p["id"], "from": label(graph, p["from"]),
                                   "to": label(graph, p["to"]), "date": p["date"],
                                   "earliest": p["earliest"], "latest": p["latest"],
                                   "contested": p["contested"], "sources": p["sources"],
                                   "independent_sources": p["independent_sources"],
                                   "source_grades": p["source_grades"],
                                   "derived_only": p["derived_only"]}
                                  for p in pairs],
                     "verdicts": judged.get(frozenset((a, b)), [])})
    return rows


def lead_times(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Days from each warning to the attack or plot it concerned, where dates allow.

    ``lead_days`` is set only when both dates are known to the day (and every source
    pairing gives the same number); otherwise ``lead_days_min``/``max`` bound it when
    the precisions allow, and ``note`` says why it is not exact. Bounds that straddle
    zero (the warning may have come after the attack) are no lead time: all three are
    null and the note says so. Dates only copies state, their originals silent, are not
    used while an independent date exists.
    """
    context = Context.of(graph)
    rows = []
    for event in nodes_of_type(graph, "Warning"):
        concerned = targets(graph, event, "concerns")
        if concerned:
            row = _states_and_outcome(context, graph, event)
            w_values = _usable(context, date_values(graph, event))
        for target, _ in concerned:
            a_values = _usable(context, date_values(graph, target))
            w_dates = {v.shown: v.key for v in w_values}
            a_dates = {v.shown: v.key for v in a_values}
            exact, lows, highs, notes = set(), [], [], []
            for w0, w1 in w_dates.values():
                for a0, a1 in a_dates.values():
                    if w0 == w1 and a0 == a1 and w0 is not None and a0 is not None:
                        exact.add((a0 - w0).days)
                    lows.append((a0 - w1).days if a0 and w1 else None)
                    highs.append((a1 - w0).days if a1 and w0 else None)
            if not w_dates or not a_dates:
                notes.append("no source dates the " + ("warning" if not w_dates else "attack"))
            elif not exact:
                vague = sorted({_precision_of(k) for k in (*w_dates, *a_dates)} - {"day"})
                notes.append("a date is known only " + " or ".join(
                    "as before a day" if p == "before" else f"to the {p}" for p in vague))
            known_lows = [x for x in lows if x is not None]
            known_highs = [x for x in highs if x is not None]
            low = min(known_lows) if known_lows and None not in lows else None
            high = max(known_highs) if known_highs and None not in highs else None
            lead = exact.pop() if len(exact) == 1 else None
            if high is not None and high < 0:
                notes.append("the warning is dated after the attack")
                lead = low = high = None
            elif low is not None and high is not None and low < 0 < high:
                notes.append(f"the bounds ({low} to {high} days) straddle zero: the dates do "
                             "not say whether the warning came before the attack")
                lead = low = high = None
            attack = _date_fields(context, graph, target)
            # A date every source of it inferred in part (a year from the publication month).
            guessed = [(which, d) for which, values, found in (
                ("warning", w_values, row["date_inferred"]),
                ("attack", a_values, attack["date_inferred"]))
                for v in values if v.shown.endswith(" (inferred)")
                for d in found if d["source"] in v.sources]
            notes.extend(f"the {which}'s date {d['date']} [{d['source']}] is inferred: "
                         f"{d['inferred']}" for which, d in guessed)
            rows.append({
                "warning": local_id(event), "warner_state": row["warner_state"],
                "recipient_state": row["recipient_state"], "concerns": local_id(target),
                "warning_date": row["date"], "attack_date": attack["date"],
                "lead_days": lead, "lead_days_min": low, "lead_days_max": high,
                "outcome": row["outcome"],
                "note": "; ".join(notes) if notes else ("sources disagree" if len(exact) > 1
                                                        else ""),
                "lead_days_inferred": lead is not None and bool(guessed),
                "warning_earliest": row["earliest"], "warning_latest": row["latest"],
                "attack_earliest": attack["earliest"], "attack_latest": attack["latest"]})
    return rows


def _usable(context: Context, values: list[Stated]) -> list[Stated]:
    """The dates with independent support (a copy's date only when nothing else dates it)."""
    marked = ordered(context, "date", values)
    return [v for v, d in marked if not d] or [v for v, _ in marked]


def _precision_of(shown: str) -> str:
    shown = shown.removesuffix(" (inferred)")
    if shown.startswith("before "):
        return "before"
    return {10: "day", 7: "month", 4: "year"}.get(len(shown), "day")


def _states_and_outcome(context: Context, graph: nx.MultiDiGraph, event: str,
                        values_of: dict[str, list[Stated]] | None = None) -> dict[str, Any]:
    """States, dates and outcome of a warning (``values_of``: its :func:`attribute_values`)."""
    if values_of is None:
        dates, outcomes = date_values(graph, event), fact_values(graph, event, "outcome")
    else:
        dates, outcomes = values_of.get("date", []), values_of.get("outcome", [])
    return {
        "warner_state": headline(context, "warner",
                                 entity_values(graph, event, "warner", to_state=True)),
        "recipient_state": headline(context, "recipient",
                                    entity_values(graph, event, "recipient", to_state=True)),
        **date_fields(context, dates), "date_inferred": inferred_dates(graph, event),
        "outcome": headline(context, "outcome", outcomes)}


def count_range(counts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The span of stated figures: lowest and highest number and whether the top is open."""
    if not counts:
        return None
    low = min(counts, key=lambda c: c["value"])
    high = max(counts, key=lambda c: c["value"])
    return {"low": low["value"], "high": high["value"],
            "high_is_lower_bound": high["qualifier"] in ("more_than", "at_least")}


def _marked_counts(context: Context, graph: nx.MultiDiGraph, event: str, key: str
                   ) -> list[dict[str, Any]]:
    """Each source's figure, with ``derived_only`` when only a copy states it, unsupported."""
    values = count_values(graph, event, key)
    derived = {v.shown for v, d in ordered(context, key, values) if d}
    return [{**c, "derived_only": Count(c["value"], c["qualifier"]).describe() in derived}
            for c in counts(graph, event, key)]


def attacks(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Attacks: when, where, who, who claimed them, and each source's casualty figures."""
    context = Context.of(graph)
    rows = []
    for event in nodes_of_type(graph, "Attack"):
        claims = [c for c in _incoming(graph, event, "concerns")
                  if "ClaimOfResponsibility" in graph.nodes[c]["types"]]
        killed = _marked_counts(context, graph, event, "killed")
        injured = _marked_counts(context, graph, event, "injured")
        sources = sources_of(graph, event, "Attack")
        rows.append({
            "id": local_id(event),
            "name": _joined([(v, [s]) for v, s in facts(graph, event, "name")]),
            **_date_fields(context, graph, event),
            "place": headline(context, "place", entity_values(graph, event, "place")),
            "perpetrators": sorted({label(graph, p) for p, _ in
                                    targets(graph, event, "perpetrator")}),
            "claimed_by": sorted({label(graph, c) for claim in claims
                                  for c, _ in targets(graph, claim, "claimant")}),
            "killed": killed, "injured": injured,
            "killed_range": count_range(killed), "injured_range": count_range(injured),
            "sources": sources,
            "independent_sources": _independent(context.original, sources),
            "source_grades": context.graded(sources),
            "inferred": inferred_fields(graph, event),
            "derived_only": _derived_rows(context, attribute_values(graph, event)),
            "quotes": quotes(graph, event)})
    return rows


def conflicts(graph: nx.MultiDiGraph, every: bool = False) -> list[dict[str, Any]]:
    """The attributes of events on which sources state values that cannot all be true.

    Each row has a ``kind`` and a ``reason`` (:func:`kg.agreement.judge`). With
    ``every=True`` it also lists refinements (a bound and a number inside it, a year and
    a day in it, a place within a place, an agency or official and its state) and
    complements (values one source gives together, successive roles).
    """
    context = Context.of(graph)
    rows = []
    for event in sorted(n for n, d in graph.nodes(data=True)
                        if set(d.get("types", ())) & set(EVENT_TYPES)):
        if not may_disagree(graph, event):  # one value of everything: nothing to judge
            continue
        for attribute, values in sorted(attribute_values(graph, event).items()):
            if len(values) < 2:
                continue
            verdict = judge(attribute, values, context.broader)
            if every or verdict.kind == "contradiction":
                rows.append({"subject": local_id(event), "attribute": attribute,
                             "kind": verdict.kind, "reason": verdict.reason,
                             "values": value_rows(context, attribute, values)})
    return rows + _role_conflicts(graph, context, every)


def _role_conflicts(graph: nx.MultiDiGraph, context: Context, every: bool
                    ) -> list[dict[str, Any]]:
    by_person: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    spans: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for role in nodes_of_type(graph, "Role"):
        orgs = targets(graph, role, "organisation")
        dates = [date_bounds(d) for d in dated(graph, role).values()]
        for person, sources in targets(graph, role, "person"):
            for org, _ in orgs:
                by_person[person][org].update(sources)
                spans[person][org].append(dates[0] if len(dates) == 1 else None)
    rows = []
    for person, found in sorted(by_person.items()):
        if len(found) < 2:
            continue
        values = [Stated(label(graph, o) or o, o, tuple(sorted(s))) for o, s in found.items()]
        roles = [(v, spans[person][v.key][0] if len(spans[person][v.key]) == 1 else None)
                 for v in values]
        verdict = judge_roles(roles, context.broader)
        if every or verdict.kind == "contradiction":
            rows.append({"subject": local_id(person), "attribute": "role organisation",
                         "kind": verdict.kind, "reason": verdict.reason,
                         "values": value_rows(context, "organisation", values)})
    return rows


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The node an actor or place name refers to: its id, label or any alias (any case)."""
    wanted = name.strip().casefold()
    known: list[str] = []
    for node in sorted(graph):  # the first match in IRI order, whatever the store's order
        data = graph.nodes[node]
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
        for org, _sources in targets(graph, role, "organisation") or [(None, [])]:
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
            "reciprocity_verdicts": events("party", "ReciprocityVerdict"),
            "roles": roles, "affiliations": affiliations}


def path(graph: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest connection between two actors, through events and relations.

    Agencies and officials are linked to the state they act for (``actsFor``, from the
    reference data), so ``path(g, "Langley", "Iran")`` goes CIA -> United States -> the
    US warning to Iran -> Iran.
    """
    start, end = resolve(graph, a), resolve(graph, b)
    keep = {n for n, d in graph.nodes(data=True)
            if set(d.get("types", ())) & {*ACTOR_TYPES, "Place", *EVENT_TYPES, "Role",
                                          "Affiliation"}}
    view = nx.Graph()
    # Links through warnings first, then in IRI order, the relation most sources state
    # first: which of several shortest paths is found, and which relation names a step,
    # never depends on the order a store gave its triples in.
    def order(edge: tuple[str, str, str, Any]) -> tuple[bool, str, str, int, str]:
        u, v = edge[0], edge[1]
        warning = "Warning" in graph.nodes[u]["types"] or "Warning" in graph.nodes[v]["types"]
        return (not warning, u, v, -len(edge[3]["sources"]), edge[2])

    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=order):
        if u in keep and v in keep and key != "asserts":
            view.add_edge(u, v)
            view.edges[u, v].setdefault("edges", []).append((u, key, v, data["sources"]))
    # An agency or official acts for its state (actors.yaml): "the CIA warned" is the
    # United States warning, so the path may go from the one to the other.
    for node in sorted(keep):
        state = graph.nodes[node].get("state")
        if state and state != node and state in keep:
            view.add_edge(node, state)
            view.edges[node, state].setdefault("edges", []).append(
                (node, "actsFor", state, ["reference"]))
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
    graded = grades(graph)
    rows = []
    for event in sorted(n for n, d in graph.nodes(data=True)
                        if set(d.get("types", ())) & set(EVENT_TYPES)):
        kinds = sorted(set(graph.nodes[event]["types"]) & set(EVENT_TYPES))
        description = _joined([(v, [s]) for v, s in facts(graph, event, "description")][:1])
        sources = sorted({s for k in kinds for s in sources_of(graph, event, k)})
        by_date: dict[tuple[str, str], list[str]] = defaultdict(list)
        guessed: dict[tuple[str, str], list[str]] = defaultdict(list)
        for source, date in dated(graph, event).items():
            by_date[(date.value, date.precision)].append(source)
            if date.inferred:
                guessed[(date.value, date.precision)].append(f"{source}: {date.inferred}")
        for (value, precision), srcs in sorted(by_date.items()) or [((None, None), sources)]:
            first, last = (date_bounds(DateValue(value, precision)) if value
                           else (None, None))
            marked = " (inferred)" if len(guessed.get((value, precision), ())) == len(srcs) else ""
            rows.append({"date": date_text(DateValue(value, precision)) + marked if value else None,
                         "date_precision": precision, "kind": "/".join(kinds),
                         "id": local_id(event), "description": description,
                         "sources": sorted(srcs),
                         "earliest": first.isoformat() if first else None,
                         "latest": last.isoformat() if last else None,
                         "inferred": guessed.get((value, precision), []),
                         "source_grades": {s: graded.get(s) for s in sorted(srcs)}})
    return sorted(rows, key=lambda r: (r["date"] is None, _sort_day(r), r["id"]))


def _sort_day(row: dict[str, Any]) -> str:
    """Where a timeline row sorts: its first day, or the day a "before" date is before."""
    return row["earliest"] or row["latest"] or ""
