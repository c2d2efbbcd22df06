"""Whether the values that sources give for one attribute can all be true.

Two values of one attribute from different sources are a *contradiction* when they cannot
both be true (94 and 95 killed), a *refinement* when one lies within the other (more than
130 and 143; 1998 and 1998-08-07; Crocus City Hall and Moscow; an agency and its state), and
a *complement* when both hold (co-perpetrators one source names together, successive roles).
:func:`judge` decides which, and says why; ``kg conflicts`` lists contradictions, ``--all``
the rest, and the same verdict makes a warning ``contested``.

A value that only a copy states (a summary, translation or repost) whose stored original is
silent, or says something the copy's value does not cover, is *derived only*
(:func:`derived_only`): it is listed after independently sourced values and never leads.

Example:
    >>> a = Stated("94", count_bounds(94, "exact"), ("rfi",))
    >>> b = Stated("95", count_bounds(95, "exact"), ("ap",))
    >>> c = Stated("more than 90", count_bounds(90, "more_than"), ("op-ed",))
    >>> judge("killed", [a, b]).kind, judge("killed", [a, c]).kind
    ('contradiction', 'refinement')
    >>> judge("killed", [a, c]).reason
    '94 lies within more than 90'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .records import DateValue

KINDS = ("contradiction", "refinement", "complement")

#: Attributes whose values are intervals (dates, casualty counts).
INTERVAL_ATTRIBUTES = ("date", "killed", "injured")
#: Attributes of which one event may have several values at once (co-perpetrators).
MULTI_ATTRIBUTES = ("perpetrator",)
#: Attributes whose distinct values exclude each other (an event is a Warning or not).
EXCLUSIVE_ATTRIBUTES = ("type", "is_duty_to_warn")
#: Controlled values that say nothing is known: compatible with any other value.
UNKNOWN = "unknown"

Broader = Callable[[str], dict[str, str]]


@dataclass(frozen=True)
class Stated:
    """One value of an attribute, as some sources state it.

    ``key`` is what is compared: a node IRI (actors, places), an ``(earliest, latest)``
    interval (dates, counts; ``None`` is unbounded), or a controlled value's name.
    """

    shown: str
    key: Any
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What kind of disagreement a set of values is, and why."""

    kind: str
    reason: str


def count_bounds(value: int, qualifier: str) -> tuple[float, float]:
    """The numbers a stated figure allows: "more than 130" is 131 and up.

    ``about N`` allows N +/- 10% (rounded outwards): a reading of "about", stated here once.

    Example:
        >>> count_bounds(130, "more_than"), count_bounds(100, "about")
        ((131, inf), (90, 110))
    """
    if qualifier == "exact":
        return value, value
    if qualifier == "more_than":
        return value + 1, math.inf
    if qualifier == "at_least":
        return value, math.inf
    if qualifier == "at_most":
        return 0, value
    if qualifier == "about":
        return value * 9 // 10, -(-value * 11 // 10)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def date_text(date: DateValue) -> str:
    """What a date says, as a table prints it: ``before 2020-07-08``, ``2024-03``, ``2011``."""
    return f"before {date.value}" if date.precision == "before" else date.value


def _low(bound: Any) -> Any:
    return -math.inf if bound is None else bound


def _high(bound: Any) -> Any:
    return math.inf if bound is None else bound


def _comparable(interval: tuple[Any, Any]) -> tuple[Any, Any]:
    low, high = interval
    if isinstance(low, dt.date) or isinstance(high, dt.date):
        return (-math.inf if low is None else low.toordinal(),
                math.inf if high is None else high.toordinal())
    return _low(low), _high(high)


def interval_within(inner: tuple[Any, Any], outer: tuple[Any, Any]) -> bool:
    """Whether every point of ``inner`` lies in ``outer``."""
    (a, b), (c, d) = _comparable(inner), _comparable(outer)
    return c <= a and b <= d


def lies_within(attribute: str, inner: Stated, outer: Stated, broader: Broader) -> bool:
    """Whether ``inner`` is the same as ``outer`` or a refinement of it."""
    if inner.key == outer.key:
        return True
    if attribute in INTERVAL_ATTRIBUTES:
        return interval_within(inner.key, outer.key)
    if attribute in EXCLUSIVE_ATTRIBUTES or not isinstance(inner.key, str):
        return False
    return outer.key in broader(inner.key)


def judge(attribute: str, values: list[Stated], broader: Broader | None = None) -> Verdict:
    """Contradiction, refinement or complement: what the distinct ``values`` are together.

    Args:
        attribute: the attribute's name (``date``, ``killed``, ``warner``, ``type``...).
        values: its distinct values, each with the sources that state it (two or more).
        broader: for actors and places, a function from a node to every node it lies
            within (its state, an organisation it is part of or holds a post in, a place
            that contains it), each with the words that say so.
    """
    broader = broader or (lambda _node: {})
    if attribute in EXCLUSIVE_ATTRIBUTES:
        return Verdict("contradiction", f"{_either(values, who=True)}: only one can be true")
    if attribute in INTERVAL_ATTRIBUTES:
        return _intervals(attribute, values, broader)
    if all(isinstance(v.key, str) and v.key.rsplit("/", 1)[-1] == v.key for v in values):
        return _controlled(values)
    if attribute in MULTI_ATTRIBUTES:
        together = [s for s in sorted({s for v in values for s in v.sources})
                    if all(s in v.sources for v in values)]
        if together:
            return Verdict("complement", f"{', '.join(together)} "
                           f"{'names' if len(together) == 1 else 'name'} them together")
    return _nested(attribute, values, broader)


def _either(values: Iterable[Stated], who: bool = False) -> str:
    """``A or B``; with ``who``, each value with the sources that state it."""
    return " or ".join(f"{v.shown} [{', '.join(v.sources)}]" if who else v.shown
                       for v in values)


def _intervals(attribute: str, values: list[Stated], broader: Broader) -> Verdict:
    apart = [f"{a.shown} and {b.shown}" for a in values for b in values
             if _comparable(a.key)[1] < _comparable(b.key)[0]]
    if apart:
        return Verdict("contradiction", f"{'; '.join(apart)}: cannot both be true")
    narrowest = [v for v in values if all(lies_within(attribute, v, o, broader)
                                          for o in values)]
    if narrowest:
        inner = narrowest[0]
        return Verdict("refinement", "; ".join(f"{inner.shown} lies within {o.shown}"
                                               for o in values if o.key != inner.key))
    return Verdict("refinement", f"{_either(values)} overlap: all can be true")


def _controlled(values: list[Stated]) -> Verdict:
    known = [v for v in values if v.key != UNKNOWN]
    if len({v.key for v in known}) <= 1:
        unknown = [v for v in values if v.key == UNKNOWN]
        said = ", ".join(s for v in unknown for s in v.sources)
        return Verdict("refinement", f"'{UNKNOWN}' ({said}) leaves room for "
                       f"{_either(known) or 'any value'}")
    return Verdict("contradiction", f"{_either(known)}: only one can be true")


def _nested(attribute: str, values: list[Stated], broader: Broader) -> Verdict:
    for top in values:
        if all(lies_within(attribute, v, top, broader) for v in values):
            steps = [broader(v.key)[top.key] for v in values if v.key != top.key]
            return Verdict("refinement", "; ".join(steps))
    return Verdict("contradiction", f"{_either(values)}: different, and none lies within "
                   "another")


def judge_roles(roles: list[tuple[Stated, tuple[Any, Any] | None]], broader: Broader
                ) -> Verdict:
    """The organisations one person's posts belong to, as sources state them.

    ``roles`` pairs each organisation (a :class:`Stated`) with the span of its post's dates
    (``None`` when undated). Posts one source gives together, or whose dates do not
    overlap, are successive or concurrent posts: a complement.
    """
    values = [v for v, _ in roles]
    spans = [span for _, span in roles if span is not None]
    successive = len(spans) == len(roles) and all(
        _comparable(a)[1] < _comparable(b)[0] or _comparable(b)[1] < _comparable(a)[0]
        for i, a in enumerate(spans) for b in spans[i + 1:])
    together = [s for s in sorted({s for v in values for s in v.sources})
                if all(s in v.sources for v in values)]
    if together:
        order = ", at dates that do not overlap: successive roles" if successive else ""
        return Verdict("complement", f"{', '.join(together)} gives "
                       f"{'both' if len(values) == 2 else 'all'} posts{order}")
    nested = _nested("organisation", values, broader)
    if nested.kind == "refinement":
        return nested
    if successive:
        return Verdict("complement", "the posts' dates do not overlap: successive roles")
    return Verdict("contradiction", f"{_either(values)}: different posts, from different "
                   "sources, at overlapping or unknown dates")


def derived_only(attribute: str, values: list[Stated], original: dict[str, str],
                 broader: Broader | None = None) -> set[str]:
    """The values (their ``shown``) that only copies state without their original's support.

    A copy's value is supported when its stored original states the same value or one
    that lies within it (the summary's "1998" is supported by its original's
    "1998-08-07"; a summary's "attack happened" is not supported by an original that
    says nothing of the outcome).

    Args:
        original: each copy's stored original (a source id to a source id).

    Example:
        >>> ap = Stated("1998-08-07", (dt.date(1998, 8, 7),) * 2, ("ap",))
        >>> summary = Stated("1998", (dt.date(1998, 1, 1), dt.date(1998, 12, 31)), ("s",))
        >>> extra = Stated("attack_happened", "attack_happened", ("s",))
        >>> derived_only("date", [ap, summary], {"s": "ap"})
        set()
        >>> derived_only("outcome", [extra], {"s": "ap"})
        {'attack_happened'}
    """
    broader = broader or (lambda _node: {})
    out = set()
    for value in values:
        if any(s not in original for s in value.sources):
            continue
        supported = any(original[s] in other.sources
                        and lies_within(attribute, other, value, broader)
                        for s in value.sources for other in values)
        if not supported:
            out.add(value.shown)
    return out
