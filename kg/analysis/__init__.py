"""The questions users ask, answered on the NetworkX projection (graph first).

Every answer carries the ids of the sources behind it. Where sources disagree on a
single-valued attribute (a warner, a date), the answer lists every value, the one with
most independent sources first, joined with `` / ``; a value that only a copy (summary,
translation, repost) states without its stored original is marked ``(derived only)`` and
comes last. :func:`conflicts` shows who says what, and whether the values contradict each
other or one refines another (see :mod:`kg.agreement`). Each answer's rows are declared in
:mod:`kg.rows`.

The questions, by topic: :mod:`~kg.analysis.warned` (warnings, their pairs, reciprocity),
:mod:`~kg.analysis.leads` (lead times), :mod:`~kg.analysis.events` (attacks, timeline),
:mod:`~kg.analysis.disagree` (conflicts), :mod:`~kg.analysis.actors` (actor, path);
:mod:`~kg.analysis.common` holds what they share.

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

from ..project import EVENT_TYPES
from ..stated import dated, label
from .actors import actor, path, resolve
from .common import date_fields, quotes, sources_of
from .disagree import conflicts
from .events import attacks, count_range, timeline
from .leads import lead_times
from .warned import independent, reciprocity, verdicts, warning_pairs, warnings

__all__ = [
    "EVENT_TYPES", "actor", "attacks", "conflicts", "count_range", "date_fields", "dated",
    "independent", "label", "lead_times", "path", "quotes", "reciprocity", "resolve",
    "sources_of", "timeline", "verdicts", "warning_pairs", "warnings",
]
