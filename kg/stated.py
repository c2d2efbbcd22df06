"""What the sources state about one event, attribute by attribute, on the NetworkX projection.

Each attribute's distinct values become :class:`~kg.agreement.Stated` values (with the
sources that state each), which :mod:`kg.agreement` judges (contradiction, refinement,
complement) and checks for copies that lead without their original. :class:`Context` holds
what that needs from the whole graph, made once per question: which actor or place lies
within which (:func:`hierarchy`) and which source is a copy of which (:func:`originals`).

Example:
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("e/fsb", label="FSB", state="e/russia")
    >>> g.add_node("e/russia", label="Russia", state="e/russia")
    >>> hierarchy(g)("e/fsb")
    {'e/russia': 'FSB acts for Russia'}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, overload

import networkx as nx

from .agreement import Broader, Stated, count_bounds, date_text, derived_only, judge
from .iri import SOURCE, local_id
from .project import claims_about, facts, nodes_of_type, targets
from .records import Count, DateValue
from .rows import Figure, InferredDate, InferredValue, ValueRow
from .schema import (
    AFFILIATION_TYPE,
    CLAIMANT,
    CONCERNS,
    CONTAINED_IN_PLACE,
    COUNT_TEXT,
    DATE,
    DATE_INFERRED,
    DATE_PRECISION,
    DISPUTES,
    FACTS,
    INFERRED_VALUE,
    INJURED,
    ISSUER,
    KILLED,
    LABEL,
    MEMBER,
    ORGANISATION,
    OUTCOME,
    PERPETRATOR,
    PERSON,
    PLACE,
    QUALIFIER,
    RECIPIENT,
    RELIABILITY,
    RESPONDER,
    ROLE_NAME,
    SHARER,
    SOURCES,
    STATE,
    STATUS,
    TYPED_BY,
    VALUE,
    WARNER,
    WAS_DERIVED_FROM,
    WITHIN,
)
from .vocab import ENUM_TERMS

_ENUM_NAMES = {local_id(iri): key for table in ENUM_TERMS.values() for key, iri in table.items()}

#: Event attributes that point at actors, places or events, and those that are literals.
ENTITY_ATTRIBUTES = (WARNER, RECIPIENT, PLACE, PERPETRATOR, CONCERNS, CLAIMANT, SHARER,
                     RESPONDER, ORGANISATION, ISSUER)
FACT_ATTRIBUTES = (OUTCOME, STATUS)


def enum(value: Any) -> Any:
    """A controlled value's name (``attack_happened``) from its local IRI name."""
    return _ENUM_NAMES.get(value, value)


@overload
def label(graph: nx.MultiDiGraph, node: str) -> str: ...
@overload
def label(graph: nx.MultiDiGraph, node: None) -> None: ...
def label(graph: nx.MultiDiGraph, node: str | None) -> str | None:
    """The human label of a node (its id when it has none)."""
    if node is None:
        return None
    return graph.nodes[node].get(LABEL, local_id(node)) if node in graph else local_id(node)


def dated(graph: nx.MultiDiGraph, node: str) -> dict[str, DateValue]:
    """Each source's date for ``node`` (with its precision)."""
    precisions = {src: enum(v) for v, src in facts(graph, node, DATE_PRECISION)}
    inferred = {src: str(v) for v, src in facts(graph, node, DATE_INFERRED)}
    return {src: DateValue(str(v), precisions.get(src, "day"), None, inferred.get(src))
            for v, src in facts(graph, node, DATE)}


def hierarchy(graph: nx.MultiDiGraph) -> Broader:
    """A function from a node to every node it lies within, each with the words why.

    An agency or official lies within the state it acts for; a place within the place
    that contains it; a person within an organisation a source says they hold a post in;
    a group or agency within one a source says it is part, branch or affiliate of.
    """
    up: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        state = data.get(STATE)
        if state and state != node:
            up[node].append((state, f"{label(graph, node)} acts for {label(graph, state)}"))
    for u, v, key in graph.edges(keys=True):
        if key in (CONTAINED_IN_PLACE, WITHIN):
            up[u].append((v, f"{label(graph, u)} lies in {label(graph, v)}"))
    for role in nodes_of_type(graph, "Role"):
        names = sorted({str(v) for v, _ in facts(graph, role, ROLE_NAME)})
        for person, _ in targets(graph, role, PERSON):
            for org, sources in targets(graph, role, ORGANISATION):
                up[person].append((org, f"{label(graph, person)} is "
                                   f"{' / '.join(names) or 'a member'} of "
                                   f"{label(graph, org)} ({', '.join(sources)})"))
    for link in nodes_of_type(graph, "Affiliation"):
        relation = sorted({str(enum(v)).replace("_", " ")
                           for v, _ in facts(graph, link, AFFILIATION_TYPE)})
        for member, _ in targets(graph, link, MEMBER):
            for org, sources in targets(graph, link, ORGANISATION):
                up[member].append((org, f"{label(graph, member)} is "
                                   f"{' / '.join(relation) or 'part of'} {label(graph, org)} "
                                   f"({', '.join(sources)})"))
    memo: dict[str, dict[str, str]] = {}

    def broader(node: str) -> dict[str, str]:
        if node not in memo:
            found: dict[str, str] = {}
            frontier = [(node, "")]
            while frontier:
                current, words = frontier.pop(0)
                for parent, step in sorted(up.get(current, ())):
                    if parent != node and parent not in found:
                        found[parent] = f"{words}, and {step}" if words else step
                        frontier.append((parent, found[parent]))
            memo[node] = found
        return memo[node]

    return broader


def originals(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each copy (summary, translation, repost) whose original is stored -> that original."""
    out = {}
    for u, v, key in graph.edges(keys=True):
        if key == WAS_DERIVED_FROM and u.startswith(SOURCE) and v.startswith(SOURCE):
            out[local_id(u)] = local_id(v)
    return out


def independent(original: dict[str, str], sources: list[str]) -> list[str]:
    """The sources that count: a copy counts with its original as one (the original's id).

    Example:
        >>> independent({"summary": "ap"}, ["ap", "summary", "rfi"])
        ['ap', 'rfi']
        >>> independent({"summary": "ap"}, ["summary"])
        ['summary']
    """
    chosen = set(sources)

    def root(source: str) -> str:
        seen = {source}
        while source in original and original[source] not in seen:
            source = original[source]
            seen.add(source)
        return source

    return sorted({root(s) if root(s) in chosen else s for s in chosen})


def grades(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each graded source's Admiralty reliability (A-F), by source id."""
    return {local_id(node): str(value) for node, data in graph.nodes(data=True)
            if node.startswith(SOURCE)
            for value, _ in data.get(FACTS, {}).get(RELIABILITY, ())}


@dataclass(frozen=True)
class Context:
    """What judging values needs from the whole graph, made once per question."""

    broader: Broader
    original: dict[str, str]
    grades: dict[str, str]

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> Context:
        """The context of ``graph``."""
        return cls(hierarchy(graph), originals(graph), grades(graph))

    def graded(self, sources: list[str]) -> dict[str, str | None]:
        """The reliability grade of each of ``sources`` (None when ungraded)."""
        return {s: self.grades.get(s) for s in sources}


def _values(found: dict[Any, set[str]], shown: dict[Any, str]) -> list[Stated]:
    return [Stated(shown[k], k, tuple(sorted(s))) for k, s in found.items()]


def entity_values(graph: nx.MultiDiGraph, event: str, attribute: str,
                  to_state: bool = False) -> list[Stated]:
    """The actors, places or events that sources give as ``attribute`` of ``event``."""
    found: dict[Any, set[str]] = defaultdict(set)
    shown: dict[Any, str] = {}
    for node, sources in targets(graph, event, attribute):
        if to_state and node in graph:
            node = graph.nodes[node].get(STATE) or node
        found[node].update(sources)
        shown[node] = label(graph, node) or node
    return _values(found, shown)


def date_values(graph: nx.MultiDiGraph, event: str) -> list[Stated]:
    """The dates sources give for ``event``, each as its (earliest, latest) interval.

    A date that every source stating it had to infer in part from outside its words (a
    year from the publication month) is shown ``2024-03-07 (inferred)``.
    """
    found: dict[Any, set[str]] = defaultdict(set)
    shown: dict[Any, str] = {}
    guessed: dict[Any, list[bool]] = defaultdict(list)
    for source, date in dated(graph, event).items():
        key = date.bounds()
        found[key].add(source)
        shown[key] = date_text(date)
        guessed[key].append(bool(date.inferred))
    for key, marks in guessed.items():
        if all(marks):
            shown[key] += " (inferred)"
    return _values(found, shown)


def inferred_dates(graph: nx.MultiDiGraph, event: str) -> list[InferredDate]:
    """The sources whose date for ``event`` is partly inferred: date, source, and how."""
    return [{"date": date_text(d), "source": s, "inferred": d.inferred}
            for s, d in sorted(dated(graph, event).items()) if d.inferred]


def fact_values(graph: nx.MultiDiGraph, event: str, attribute: str) -> list[Stated]:
    """The controlled values (outcome, status) sources give for ``event``."""
    found: dict[Any, set[str]] = defaultdict(set)
    for value, source in facts(graph, event, attribute):
        found[str(enum(value))].add(source)
    return _values(found, {k: k for k in found})


def counts(graph: nx.MultiDiGraph, event: str, key: str) -> list[Figure]:
    """Each source's casualty figure (``killed``/``injured``) for ``event``."""
    out: list[Figure] = []
    for node, sources in targets(graph, event, key):
        value = facts(graph, node, VALUE)
        qualifier = facts(graph, node, QUALIFIER)
        text = facts(graph, node, COUNT_TEXT)
        for source in sources:
            out.append({"value": value[0][0] if value else None,
                        "qualifier": enum(qualifier[0][0]) if qualifier else "exact",
                        "source": source, "text": text[0][0] if text else None})
    return sorted(out, key=lambda c: (c["value"] or 0, c["source"]))


def count_values(graph: nx.MultiDiGraph, event: str, key: str) -> list[Stated]:
    """The casualty figures of ``event``, each as the interval of numbers it allows."""
    found: dict[Any, set[str]] = defaultdict(set)
    shown: dict[Any, str] = {}
    for count in counts(graph, event, key):
        if count["value"] is None:
            continue
        bounds = count_bounds(count["value"], count["qualifier"])
        found[bounds].add(count["source"])
        shown[bounds] = Count(count["value"], count["qualifier"]).describe()
    return _values(found, shown)


def disputes_of(graph: nx.MultiDiGraph, event: str) -> list[str]:
    """Sources with a Dispute claim against ``event``."""
    return sorted({s for d, _, k in graph.in_edges(event, keys=True) if k == DISPUTES
                   for s in graph.nodes[d].get(TYPED_BY, {}).get("Dispute", ())})


def attribute_values(graph: nx.MultiDiGraph, event: str) -> dict[str, list[Stated]]:
    """Every attribute of ``event`` that some source states, with its distinct values."""
    out: dict[str, list[Stated]] = {}
    typed = graph.nodes[event].get(TYPED_BY, {})
    out["type"] = [Stated(t, t, tuple(sorted(set(s)))) for t, s in sorted(typed.items())]
    # One pass over the event's edges (a lookup per attribute costs ten passes).
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for node, keys in graph.succ[event].items():
        for key, data in keys.items():
            if key in ENTITY_ATTRIBUTES:
                found[key][node].update(data[SOURCES])
    for attribute, nodes in found.items():
        out[attribute] = [Stated(label(graph, n) or n, n, tuple(sorted(s)))
                          for n, s in sorted(nodes.items())]
    for attribute in FACT_ATTRIBUTES:
        out[attribute] = fact_values(graph, event, attribute)
    out["date"] = date_values(graph, event)
    for key in (KILLED, INJURED):
        out[key] = count_values(graph, event, key)
    disputed = disputes_of(graph, event)
    if disputed:
        yes = tuple(sorted(set(typed.get("Warning", ()))))
        out["is_duty_to_warn"] = [Stated("no (disputed)", "no", tuple(disputed))] + (
            [Stated("yes", "yes", yes)] if yes else [])
    return {k: v for k, v in out.items() if v}


def may_disagree(graph: nx.MultiDiGraph, event: str) -> bool:
    """False when no attribute of ``event`` can have two values: nothing for :func:`judge`.

    A cheap test on the projection's own counts, true whenever :func:`attribute_values`
    would give some attribute two values or more (it may be true when it would not:
    two sources stating the same figure). Most events, told by one source, pass on it.
    """
    data = graph.nodes[event]
    if len(data.get(TYPED_BY, ())) > 1:
        return True
    found = data.get(FACTS, {})
    if any(len(found.get(name, ())) > 1 for name in ("date", *FACT_ATTRIBUTES)):
        return True
    seen: set[str] = set()
    for keys in graph.succ[event].values():
        for key in keys:
            if key in seen and (key in ENTITY_ATTRIBUTES or key in (KILLED, INJURED)):
                return True
            seen.add(key)
    return any(k == DISPUTES for keys in graph.pred[event].values() for k in keys)


def ordered(context: Context, attribute: str, values: list[Stated]
            ) -> list[tuple[Stated, bool]]:
    """Values with their ``derived_only`` mark: most independent sources first, copies last."""
    if not any(s in context.original for v in values for s in v.sources):
        # No copy among the sources (the common case): every source counts, none is derived.
        return sorted(((v, False) for v in values), key=lambda vd: (-len(vd[0].sources),
                                                                     vd[0].shown))
    derived = derived_only(attribute, values, context.original, context.broader)
    return sorted(((v, v.shown in derived) for v in values),
                  key=lambda vd: (vd[1], -len(independent(context.original, list(vd[0].sources))),
                                  vd[0].shown))


#: Claim fields -> the attribute names answers use for them.
_ATTRIBUTE_OF = {"perpetrators": "perpetrator", "policy": "underPolicy"}


def inferred_fields(graph: nx.MultiDiGraph, event: str) -> list[InferredValue]:
    """The values of ``event`` that a claim took from outside its quotes: attribute, source, why."""
    out: list[InferredValue] = []
    for claim in claims_about(graph, event):
        for text, source in facts(graph, claim, INFERRED_VALUE):
            name, _, why = str(text).partition(": ")
            out.append({"attribute": _ATTRIBUTE_OF.get(name, name), "source": source,
                        "inferred": why, "claim": local_id(claim)})
    return sorted(out, key=lambda d: (d["attribute"], d["source"]))


def headline(context: Context, attribute: str, values: list[Stated],
             inferred: list[InferredValue] | None = None) -> str | None:
    """Distinct values for a table cell: ``A / B``, a derived-only value last and marked.

    A value every source of which inferred it from outside its quotes (``inferred``, from
    :func:`inferred_fields`) is marked ``(inferred)``.
    """
    if not values:
        return None
    guessed = {d["source"] for d in inferred or () if d["attribute"] == attribute}

    def shown(value: Stated, derived: bool) -> str:
        marks = [m for m, on in (("inferred", set(value.sources) <= guessed),
                                 ("derived only", derived)) if on]
        return f"{value.shown} ({', '.join(marks)})" if marks else value.shown

    return " / ".join(shown(v, d) for v, d in ordered(context, attribute, values))


def value_rows(context: Context, attribute: str, values: list[Stated]) -> list[ValueRow]:
    """The JSON form of values: value, sources, independent sources, derived_only."""
    return [{"value": v.shown, "sources": list(v.sources),
             "independent_sources": independent(context.original, list(v.sources)),
             "source_grades": context.graded(list(v.sources)),
             "derived_only": d} for v, d in ordered(context, attribute, values)]


def contradictions(context: Context, graph: nx.MultiDiGraph, event: str,
                   values_of: dict[str, list[Stated]] | None = None) -> list[str]:
    """Why ``event`` is contested: each attribute whose values cannot all be true.

    ``values_of`` is :func:`attribute_values` of ``event`` when the caller has it already.
    """
    out: list[str] = []
    if values_of is None:
        if not may_disagree(graph, event):
            return out
        values_of = attribute_values(graph, event)
    for attribute, values in sorted(values_of.items()):
        if len(values) > 1:
            verdict = judge(attribute, values, context.broader)
            if verdict.kind == "contradiction":
                out.append(f"{attribute}: {verdict.reason}")
    return out
