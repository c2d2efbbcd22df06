"""Which sources an answer may use: graded at least so reliable, published by a date.

A pure function over :class:`~kg.records.Source` records; the CLI's ``--min-reliability``
and ``--as-of`` pass what it keeps to the projection (``project(..., sources=...)``) and to
the explorer, and print what it left out.

Example:
    >>> from kg.records import DateValue, Source
    >>> ap = Source("ap", "a.txt", "", published=DateValue("2024-03", "month"), reliability="B")
    >>> op = Source("op", "o.txt", "", reliability="F")
    >>> chosen = select_sources([ap, op], min_reliability="C", as_of="2024-04-01")
    >>> sorted(chosen.kept)
    ['ap']
    >>> for note in chosen.notes:
    ...     print(note)
    1 source graded below C left out (op)
    1 source with no publication date left out (op)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import FilterError
from .records import RELIABILITY, DateValue, Source


@dataclass(frozen=True)
class Selection:
    """The ids of the sources kept, and one line for each reason others were left out."""

    kept: frozenset[str]
    notes: tuple[str, ...]


def select_sources(sources: Iterable[Source], min_reliability: str | None = None,
                   as_of: str | None = None) -> Selection:
    """The sources graded ``min_reliability`` or better and surely published by ``as_of``.

    Args:
        min_reliability: an Admiralty grade, A (best) to F; ungraded sources are left out.
        as_of: a day, month or year (``2024-03-22``, ``2024-03``, ``2024``): a source is kept
            when its publication date's last possible day is on or before the last day of
            ``as_of``. A source with no publication date is left out.

    Raises:
        FilterError: ``min_reliability`` is not a grade or ``as_of`` is not a date.
    """
    sources = list(sources)
    if min_reliability is not None and min_reliability not in RELIABILITY:
        raise FilterError(f"--min-reliability {min_reliability!r} is not an Admiralty grade; "
                         f"use one of {', '.join(RELIABILITY)}")
    limit = None
    if as_of is not None:
        try:
            limit = DateValue.parse(as_of).bounds()[1]
        except ValueError as exc:
            raise FilterError(f"--as-of {as_of!r}: {exc}") from None
    kept = {s.id for s in sources}
    notes = []
    if min_reliability is not None:
        order = list(RELIABILITY)
        low = sorted(s.id for s in sources if s.reliability is None
                     or order.index(s.reliability) > order.index(min_reliability))
        kept -= set(low)
        if low:
            notes.append(f"{len(low)} source{'s' if len(low) != 1 else ''} graded below "
                         f"{min_reliability} left out ({', '.join(low)})")
    if limit is not None:
        undated = sorted(s.id for s in sources if s.published is None)
        later = sorted(s.id for s in sources if s.published is not None
                       and _last_day(s.published) > limit)
        kept -= set(undated) | set(later)
        if later:
            notes.append(f"{len(later)} source{'s' if len(later) != 1 else ''} published after "
                         f"{as_of} (or possibly after) left out ({', '.join(later)})")
        if undated:
            notes.append(f"{len(undated)} source{'s' if len(undated) != 1 else ''} with no "
                         f"publication date left out ({', '.join(undated)})")
    return Selection(frozenset(kept), tuple(notes))


def _last_day(date: DateValue) -> dt.date:
    last = date.bounds()[1]
    assert last is not None
    return last
