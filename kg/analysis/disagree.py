"""Where sources disagree: the values of one attribute that cannot all be true."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from ..agreement import Stated, judge, judge_roles
from ..iri import local_id
from ..project import EVENT_TYPES, nodes_of_type, targets
from ..rows import ConflictRow
from ..schema import ORGANISATION, PERSON, TYPES
from ..stated import Context, attribute_values, dated, label, may_disagree, value_rows


def conflicts(graph: nx.MultiDiGraph, every: bool = False) -> list[ConflictRow]:
    """The attributes of events on which sources state values that cannot all be true.

    Each row has a ``kind`` and a ``reason`` (:func:`kg.agreement.judge`). With
    ``every=True`` it also lists refinements (a bound and a number inside it, a year and
    a day in it, a place within a place, an agency or official and its state) and
    complements (values one source gives together, successive roles).
    """
    context = Context.of(graph)
    rows: list[ConflictRow] = []
    for event in sorted(n for n, d in graph.nodes(data=True)
                        if set(d.get(TYPES, ())) & set(EVENT_TYPES)):
        if not may_disagree(graph, event):  # one value of everything: nothing to judge
            continue
        for attribute, values in sorted(attribute_values(graph, event).items()):
            if len(values) < 2:
                continue
            verdict = judge(attribute, values, context.broader)
            if every or verdict.kind == "contradiction":
                rows.append({"subject": local_id(event), "attribute": attribute,
                             "kind": verdict.kind,
                             "values": value_rows(context, attribute, values),
                             "reason": verdict.reason})
    return rows + _role_conflicts(graph, context, every)


def _role_conflicts(graph: nx.MultiDiGraph, context: Context, every: bool
                    ) -> list[ConflictRow]:
    by_person: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    spans: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for role in nodes_of_type(graph, "Role"):
        orgs = targets(graph, role, ORGANISATION)
        dates = [d.bounds() for d in dated(graph, role).values()]
        for person, sources in targets(graph, role, PERSON):
            for org, _ in orgs:
                by_person[person][org].update(sources)
                spans[person][org].append(dates[0] if len(dates) == 1 else None)
    rows: list[ConflictRow] = []
    for person, found in sorted(by_person.items()):
        if len(found) < 2:
            continue
        values = [Stated(label(graph, o) or o, o, tuple(sorted(s))) for o, s in found.items()]
        roles = [(v, spans[person][v.key][0] if len(spans[person][v.key]) == 1 else None)
                 for v in values]
        verdict = judge_roles(roles, context.broader)
        if every or verdict.kind == "contradiction":
            rows.append({"subject": local_id(person), "attribute": "role organisation",
                         "kind": verdict.kind,
                         "values": value_rows(context, "organisation", values),
                         "reason": verdict.reason})
    return rows
