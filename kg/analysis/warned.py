"""Who warned whom, and was it reciprocated: warnings, their pairs, the sources' verdicts."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..iri import local_id
from ..project import facts, nodes_of_type, targets
from ..rows import PairWarning, ReciprocityRow, SourceVerdict, WarningPair, WarningRow
from ..schema import (
    CHANNEL,
    EXCHANGE,
    PARTY,
    RECIPIENT,
    RECIPROCITY,
    RESPONDER,
    RESPONDS_TO,
    RESPONSE_TYPE,
    WARNER,
)
from ..stated import (
    Context,
    attribute_values,
    contradictions,
    date_values,
    dated,
    disputes_of,
    enum,
    headline,
    inferred_fields,
    label,
    originals,
)
from ..stated import independent as _independent
from .common import (
    _derived_rows,
    _incoming,
    _joined,
    _states_and_outcome,
    date_fields,
    quotes,
    sources_of,
    state_of,
)


def warnings(graph: nx.MultiDiGraph) -> list[WarningRow]:
    """Who warned whom: one row per warning event, with every source's values.

    A value only a copy states without its original (``derived_only``) is listed last
    and marked; ``contested`` is true when some attribute's values cannot all be true
    (``contested_because`` says which, :mod:`kg.agreement` how that is decided).
    """
    context = Context.of(graph)
    rows: list[WarningRow] = []
    for event in nodes_of_type(graph, "Warning"):
        dates = dated(graph, event)
        responses: list[str] = []
        for response in _incoming(graph, event, RESPONDS_TO):
            kinds = {enum(v) for v, _ in facts(graph, response, RESPONSE_TYPE)}
            who = ", ".join(label(graph, r) for r, _ in targets(graph, response, RESPONDER))
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
            "channel": sorted({enum(v) for v, _ in facts(graph, event, CHANNEL)}),
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


def independent(graph: nx.MultiDiGraph, sources: list[str]) -> list[str]:
    """The sources that count as independent: a copy counts with its original as one.

    Corroboration counts these only: a summary repeating its original is not a second
    confirmation.

    Example:
        >>> from kg.stated import SOURCE
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge(SOURCE + "summary", SOURCE + "ap", key="wasDerivedFrom", sources=["r"])
        'wasDerivedFrom'
        >>> independent(g, ["ap", "summary", "rfi"])
        ['ap', 'rfi']
    """
    return _independent(originals(graph), sources)


def warning_pairs(graph: nx.MultiDiGraph, level: str = "state") -> list[WarningPair]:
    """Each warning as directed (from, to) pairs at ``state`` or ``actor`` level.

    A warning whose sources name different warners or recipients gives one pair per
    distinct combination, each with the sources that state it. ``contested`` follows the
    rule of :func:`warnings`; ``derived_only`` is true when only copies state the pair and
    their stored originals do not report the warning at all.
    """
    if level not in ("state", "actor"):
        raise ValueError("level must be 'state' or 'actor'")
    context = Context.of(graph)
    pairs: list[WarningPair] = []
    for event in nodes_of_type(graph, "Warning"):
        because = contradictions(context, graph, event)
        dates = date_fields(context, date_values(graph, event))
        reporting = set(sources_of(graph, event, "Warning"))
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for w, w_sources in targets(graph, event, WARNER):
            for r, r_sources in targets(graph, event, RECIPIENT):
                common = set(w_sources) & set(r_sources)
                if not common:
                    continue
                a, b = (state_of(graph, w), state_of(graph, r)) if level == "state" else (w, r)
                if a != b:
                    found[(a, b)] |= common
        for (a, b), srcs in sorted(found.items()):
            copies_only = all(s in context.original and context.original[s] not in reporting
                              for s in srcs)
            pairs.append({"id": local_id(event), "from": a, "to": b, "date": dates["date"],
                          "earliest": dates["earliest"], "latest": dates["latest"],
                          "contested": bool(because), "contested_because": because,
                          "sources": sorted(srcs),
                          "independent_sources": _independent(context.original, sorted(srcs)),
                          "source_grades": context.graded(sorted(srcs)),
                          "derived_only": copies_only})
    return pairs


def verdicts(graph: nx.MultiDiGraph, level: str = "state"
             ) -> dict[frozenset[str], list[SourceVerdict]]:
    """The sources' own verdicts on reciprocity, by the pair of actors (or states) they judge.

    Each verdict: ``verdict`` (reciprocated, partly_reciprocated, rarely_reciprocated,
    not_reciprocated), ``source``, ``parties`` (labels, as the source names them),
    ``exchange`` and the ``quotes``.
    """
    out: dict[frozenset[str], list[SourceVerdict]] = defaultdict(list)
    for node in nodes_of_type(graph, "ReciprocityVerdict"):
        parties = [p for p, _ in targets(graph, node, PARTY)]
        pair = frozenset(state_of(graph, p) if level == "state" else p for p in parties)
        exchange = {s: str(v) for v, s in facts(graph, node, EXCHANGE)}
        said = quotes(graph, node)
        for value, source in facts(graph, node, RECIPROCITY):
            out[pair].append({"verdict": enum(value), "source": source,
                              "parties": sorted(label(graph, p) or p for p in parties),
                              "exchange": exchange.get(source),
                              "quotes": [q["quote"] for q in said if q["source"] == source]})
    for found in out.values():
        found.sort(key=lambda v: (v["source"], v["verdict"]))
    return out


def reciprocity(graph: nx.MultiDiGraph, level: str = "state") -> list[ReciprocityRow]:
    """For each pair of actors (or states) with warnings between them: both directions.

    ``a_to_b``/``b_to_a`` count warnings that some independent source reports (a warning
    only a copy states, its original silent, is listed but not counted);
    ``independent_sources`` are the sources behind the pair, a copy counted with its
    original; ``contested_because`` names each contested warning and why; ``verdicts`` are
    what the sources themselves conclude about the pair (:func:`verdicts`), shown beside
    the counts, which they may contradict.
    """
    judged = verdicts(graph, level)
    by_pair: dict[tuple[str, str], list[WarningPair]] = defaultdict(list)
    for pair in warning_pairs(graph, level):
        first, second = sorted((pair["from"], pair["to"]), key=lambda n: label(graph, n) or n)
        by_pair[(first, second)].append(pair)
    original = originals(graph)
    rows: list[ReciprocityRow] = []
    for (a, b), pairs in sorted(by_pair.items(), key=lambda kv: (label(graph, kv[0][0]),
                                                                  label(graph, kv[0][1]))):
        counted = [p for p in pairs if not p["derived_only"]]
        a_to_b = sorted({p["id"] for p in counted if p["from"] == a})
        b_to_a = sorted({p["id"] for p in counted if p["from"] == b})
        listed: list[PairWarning] = [
            {"id": p["id"], "from": label(graph, p["from"]), "to": label(graph, p["to"]),
             "date": p["date"], "earliest": p["earliest"], "latest": p["latest"],
             "contested": p["contested"], "sources": p["sources"],
             "independent_sources": p["independent_sources"],
             "source_grades": p["source_grades"], "derived_only": p["derived_only"]}
            for p in pairs]
        rows.append({"a": label(graph, a), "b": label(graph, b), "a_to_b": len(a_to_b),
                     "b_to_a": len(b_to_a), "reciprocated": bool(a_to_b and b_to_a),
                     "contested": any(p["contested"] for p in counted),
                     "warnings": listed, "verdicts": judged.get(frozenset((a, b)), []),
                     "independent_sources": _independent(
                         original, sorted({s for p in pairs for s in p["sources"]})),
                     "contested_because": [f"{p['id']}: {why}" for p in pairs
                                           for why in p["contested_because"]]})
    return rows
