"""Each answer's row, declared once: its JSON fields, CSV and table columns, and their docs.

A row is a ``TypedDict``; each field is ``Annotated`` with a :class:`Column` that says what
it holds and where it shows. The JSON object of a row has every field, in the order
declared; CSV (and a table with ``--all-columns``) the fields that are not JSON only; a
table by default the fields with a ``table`` place, in that order. The questions
(:mod:`kg.analysis`) build these rows, mypy checks every row they build against its
declaration, and the ``kg`` commands (:mod:`kg.cli`) and the docs take the columns from
:func:`shape`.

Example:
    >>> found = shape(AttackRow)
    >>> found.table
    ('id', 'date', 'place', 'perpetrators', 'killed', 'sources')
    >>> found.columns[:3], "quotes" in found.columns, found.fields[-1]
    (('id', 'name', 'date'), False, 'quotes')
    >>> found.docs["killed"]
    "each source's figure of the killed, with its qualifier"
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict, get_args, get_origin, get_type_hints


@dataclass(frozen=True)
class Column:
    """What one field of a row holds, and where it shows.

    ``table`` is the field's place among the columns a table shows by default (None: not
    shown unless asked for); ``csv`` is False for a field only JSON carries.
    """

    doc: str
    table: int | None = None
    csv: bool = True


def json_only(doc: str) -> Column:
    """A field that JSON carries (structured: quotes, ranges...) but CSV and tables do not."""
    return Column(doc, csv=False)


@dataclass(frozen=True)
class Shape:
    """The columns of one kind of row: JSON's, CSV's and a table's, with each field's doc."""

    fields: tuple[str, ...]
    columns: tuple[str, ...]
    table: tuple[str, ...]
    docs: dict[str, str]


@functools.cache
def shape(row: type) -> Shape:
    """The columns and docs that ``row`` (a TypedDict of this module) declares."""
    found = [(name, _column(name, hint))
             for name, hint in get_type_hints(row, include_extras=True).items()]
    columns = tuple(name for name, column in found if column.csv)
    placed = sorted((column.table, name) for name, column in found if column.table is not None)
    return Shape(fields=tuple(name for name, _ in found), columns=columns,
                 table=tuple(name for _, name in placed) or columns,
                 docs={name: column.doc for name, column in found})


def _column(name: str, hint: Any) -> Column:
    if get_origin(hint) is Annotated:
        for extra in get_args(hint)[1:]:
            if isinstance(extra, Column):
                return extra
    raise TypeError(f"field {name!r} has no Column: annotate it Annotated[type, Column(...)]")


# -- Parts of rows ------------------------------------------------------------------------

class Quote(TypedDict):
    """A claim's verbatim quote: its source, the claim's credibility, offsets, the claim."""

    source: str | None
    credibility: str | None
    quote: str | None
    start: int | None
    end: int | None
    claim: str


class InferredDate(TypedDict):
    """A source's date that is partly inferred, and how."""

    date: str
    source: str
    inferred: str | None


class InferredValue(TypedDict):
    """A value a claim took from outside its quotes: attribute, source, why, the claim."""

    attribute: str
    source: str
    inferred: str
    claim: str


class DerivedValue(TypedDict):
    """A value that only copies state, their originals silent."""

    attribute: str
    value: str
    sources: list[str]


class Figure(TypedDict):
    """One source's casualty figure, with its qualifier and words."""

    value: int | None
    qualifier: str
    source: str
    text: str | None


class MarkedFigure(Figure):
    """A casualty figure, marked when only a copy states it, unsupported."""

    derived_only: bool


class FigureRange(TypedDict):
    """The span of stated figures; the top is open after "more than" or "at least"."""

    low: int
    high: int
    high_is_lower_bound: bool


class ValueRow(TypedDict):
    """One of the values sources give an attribute, with who states it."""

    value: str
    sources: list[str]
    independent_sources: list[str]
    source_grades: dict[str, str | None]
    derived_only: bool


#: One warning between the two parties of a reciprocity row ("from" is a keyword in Python).
PairWarning = TypedDict("PairWarning", {
    "id": str, "from": str, "to": str, "date": "str | None", "earliest": "str | None",
    "latest": "str | None", "contested": bool, "sources": list[str],
    "independent_sources": list[str], "source_grades": "dict[str, str | None]",
    "derived_only": bool})


#: A warning as one directed pair of actors or states (:func:`kg.analysis.warning_pairs`).
WarningPair = TypedDict("WarningPair", {
    "id": str, "from": str, "to": str, "date": "str | None", "earliest": "str | None",
    "latest": "str | None", "contested": bool, "contested_because": list[str],
    "sources": list[str], "independent_sources": list[str],
    "source_grades": "dict[str, str | None]", "derived_only": bool})


class SourceVerdict(TypedDict):
    """What a source itself concludes about whether warnings were reciprocated."""

    verdict: str
    source: str
    parties: list[str]
    exchange: str | None
    quotes: list[str | None]


class RoleRow(TypedDict):
    """A post a person holds, in which organisation, as which sources say."""

    role: str | None
    organisation: str | None
    sources: list[str]


class AffiliationRow(TypedDict):
    """A group or agency's link to another organisation."""

    relation: str | None
    organisation: str | None
    sources: list[str]


# -- The answers' rows --------------------------------------------------------------------

_SOURCES = "the ids of the sources that report it"
_INDEPENDENT = "the sources that count as independent (a copy counts with its original)"
_GRADES = "each source's Admiralty reliability grade (A-F; null when ungraded)"
_EARLIEST = "the first day the dates with independent support allow (null: unbounded)"
_LATEST = "the last day the dates with independent support allow (null: unbounded)"
_DATE_INFERRED = "the sources whose date is partly inferred: {date, source, inferred}"
_INFERRED = "values claims took from outside their quotes: {attribute, source, inferred, claim}"
_DERIVED = "values only copies state, their originals silent: {attribute, value, sources}"
_QUOTES = "the verbatim quotes: {source, credibility, quote, start, end, claim}"


class SourceRow(TypedDict):
    """``kg sources``: a stored source with its metadata and reliability."""

    id: Annotated[str, Column("the source's id", table=1)]
    title: Annotated[str | None, Column("the article's title", table=2)]
    outlet: Annotated[str | None, Column("who published it", table=3)]
    published: Annotated[str | None, Column("when (YYYY, YYYY-MM or YYYY-MM-DD)", table=4)]
    url: Annotated[str | None, Column("where it was published")]
    file: Annotated[str, Column("the stored text, under DATA/sources/")]
    sha256: Annotated[str, Column("the stored text's sha256")]
    reliability: Annotated[str | None, Column("the Admiralty grade, A-F", table=5)]
    reliability_reason: Annotated[str | None, Column("why the curator graded it so")]
    copy_of: Annotated[str | None, Column(
        "what the source copies, if it is a copy: 'summary of ap-2024-03', 'repost of "
        "daily-beast-2020-07-08 (The Daily Beast, not stored)'; a copy does not corroborate "
        "its original", table=6)]


class WarningRow(TypedDict):
    """``kg warnings``: one warning event, with every source's values."""

    id: Annotated[str, Column("the warning's id", table=1)]
    warner: Annotated[str | None, Column("who warned (every value, most sourced first)",
                                         table=3)]
    warner_state: Annotated[str | None, Column("the state the warner acts for")]
    recipient: Annotated[str | None, Column("who was warned", table=4)]
    recipient_state: Annotated[str | None, Column("the state the recipient acts for")]
    date: Annotated[str | None, Column("when (each source's date, most sourced first)",
                                       table=2)]
    date_precision: Annotated[str | None, Column("day, month, year or before")]
    concerns: Annotated[str | None, Column("the attack or plot warned of")]
    outcome: Annotated[str | None, Column("what came of it (foiled, attack_happened...)",
                                          table=5)]
    channel: Annotated[list[str], Column("how the warning was passed (public, private...)")]
    response: Annotated[list[str], Column("how the recipient responded, and who")]
    contested: Annotated[bool, Column("whether some attribute's values cannot all be true",
                                      table=6)]
    sources: Annotated[list[str], Column(_SOURCES, table=7)]
    earliest: Annotated[str | None, json_only(_EARLIEST)]
    latest: Annotated[str | None, json_only(_LATEST)]
    date_inferred: Annotated[list[InferredDate], json_only(_DATE_INFERRED)]
    inferred: Annotated[list[InferredValue], json_only(_INFERRED)]
    independent_sources: Annotated[list[str], json_only(_INDEPENDENT)]
    source_grades: Annotated[dict[str, str | None], json_only(_GRADES)]
    contested_because: Annotated[list[str], json_only(
        "why it is contested: each 'attribute: reason'")]
    derived_only: Annotated[list[DerivedValue], json_only(_DERIVED)]
    disputed_by: Annotated[list[str], json_only("the sources that dispute it was a warning")]
    quotes: Annotated[list[Quote], json_only(_QUOTES)]


class ReciprocityRow(TypedDict):
    """``kg reciprocity``: two parties with warnings between them, both directions."""

    a: Annotated[str, Column("one party", table=1)]
    b: Annotated[str, Column("the other party", table=2)]
    a_to_b: Annotated[int, Column("warnings from a to b some independent source reports",
                                  table=3)]
    b_to_a: Annotated[int, Column("warnings from b to a some independent source reports",
                                  table=4)]
    reciprocated: Annotated[bool, Column("whether both directions have a warning", table=5)]
    contested: Annotated[bool, Column("whether a counted warning is contested", table=6)]
    warnings: Annotated[list[PairWarning], Column(
        "each warning: {id, from, to, date, earliest, latest, contested, sources, "
        "independent_sources, source_grades, derived_only}")]
    verdicts: Annotated[list[SourceVerdict], Column(
        "what the sources conclude about the pair: {verdict, source, parties, exchange, "
        "quotes}", table=7)]
    independent_sources: Annotated[list[str], json_only(_INDEPENDENT)]
    contested_because: Annotated[list[str], json_only(
        "each contested warning and why: 'warning: attribute: reason'")]


class LeadTimeRow(TypedDict):
    """``kg lead-times``: days from a warning to the attack or plot it concerned."""

    warning: Annotated[str, Column("the warning's id", table=1)]
    warner_state: Annotated[str | None, Column("the state that warned")]
    recipient_state: Annotated[str | None, Column("the state warned")]
    concerns: Annotated[str, Column("the attack or plot's id")]
    warning_date: Annotated[str | None, Column("when the warning was given", table=2)]
    attack_date: Annotated[str | None, Column("when the attack or plot was", table=3)]
    lead_days: Annotated[int | None, Column("the days between, when both dates are days")]
    lead_days_min: Annotated[int | None, Column("the fewest days the dates allow", table=4)]
    lead_days_max: Annotated[int | None, Column("the most days the dates allow", table=5)]
    outcome: Annotated[str | None, Column("what came of the warning", table=6)]
    note: Annotated[str, Column("why the lead time is not exact, or not known")]
    warning_earliest: Annotated[str | None, json_only("the warning's first possible day")]
    warning_latest: Annotated[str | None, json_only("the warning's last possible day")]
    attack_earliest: Annotated[str | None, json_only("the attack's first possible day")]
    attack_latest: Annotated[str | None, json_only("the attack's last possible day")]
    lead_days_inferred: Annotated[bool, json_only(
        "whether the lead time rests on a date inferred in part")]


class AttackRow(TypedDict):
    """``kg attacks``: when, where, who, who claimed it, each source's casualty figures."""

    id: Annotated[str, Column("the attack's id", table=1)]
    name: Annotated[str | None, Column("its name, as sources give it")]
    date: Annotated[str | None, Column("when (each source's date, most sourced first)",
                                       table=2)]
    place: Annotated[str | None, Column("where", table=3)]
    perpetrators: Annotated[list[str], Column("who carried it out", table=4)]
    claimed_by: Annotated[list[str], Column("who claimed responsibility")]
    killed: Annotated[list[MarkedFigure], Column(
        "each source's figure of the killed, with its qualifier", table=5)]
    injured: Annotated[list[MarkedFigure], Column(
        "each source's figure of the injured, with its qualifier")]
    sources: Annotated[list[str], Column(_SOURCES, table=6)]
    earliest: Annotated[str | None, json_only(_EARLIEST)]
    latest: Annotated[str | None, json_only(_LATEST)]
    date_inferred: Annotated[list[InferredDate], json_only(_DATE_INFERRED)]
    killed_range: Annotated[FigureRange | None, json_only(
        "the span of the killed figures: {low, high, high_is_lower_bound}")]
    injured_range: Annotated[FigureRange | None, json_only(
        "the span of the injured figures: {low, high, high_is_lower_bound}")]
    independent_sources: Annotated[list[str], json_only(_INDEPENDENT)]
    source_grades: Annotated[dict[str, str | None], json_only(_GRADES)]
    inferred: Annotated[list[InferredValue], json_only(_INFERRED)]
    derived_only: Annotated[list[DerivedValue], json_only(_DERIVED)]
    quotes: Annotated[list[Quote], json_only(_QUOTES)]


class ConflictRow(TypedDict):
    """``kg conflicts``: an attribute whose values sources state differently."""

    subject: Annotated[str, Column("the event's (or person's) id", table=1)]
    attribute: Annotated[str, Column("the attribute the values are of", table=2)]
    kind: Annotated[str, Column("contradiction, refinement or complement", table=3)]
    values: Annotated[list[ValueRow], Column(
        "each value: {value, sources, independent_sources, source_grades, derived_only}",
        table=4)]
    reason: Annotated[str, Column("why they are of that kind", table=5)]


class TimelineRow(TypedDict):
    """``kg timeline``: one event at one date some sources give it."""

    date: Annotated[str | None, Column("the date (null: undated)", table=1)]
    date_precision: Annotated[str | None, Column("day, month, year or before")]
    kind: Annotated[str, Column("what kind of event (Warning, Attack...)", table=2)]
    id: Annotated[str, Column("the event's id", table=3)]
    description: Annotated[str | None, Column("what happened", table=4)]
    sources: Annotated[list[str], Column("the sources that give this date")]
    earliest: Annotated[str | None, json_only("the first day the date allows")]
    latest: Annotated[str | None, json_only("the last day the date allows")]
    inferred: Annotated[list[str], json_only("the sources that inferred it, and how")]
    source_grades: Annotated[dict[str, str | None], json_only(_GRADES)]


class ActorRow(TypedDict):
    """``kg actor NAME``: everything about one actor."""

    id: Annotated[str, Column("the actor's id")]
    label: Annotated[str | None, Column("its name")]
    type: Annotated[str | None, Column("State, Agency, Person, Group...")]
    aliases: Annotated[list[str], Column("other names it goes by")]
    state: Annotated[str | None, Column("the state it acts for")]
    wikidata: Annotated[str | None, Column("its Wikidata item")]
    members: Annotated[list[str], Column("the agencies and officials acting for it")]
    warnings_sent: Annotated[list[str], Column("the warnings it gave")]
    warnings_received: Annotated[list[str], Column("the warnings it received")]
    shared_intelligence: Annotated[list[str], Column("intelligence it shared")]
    received_intelligence: Annotated[list[str], Column("intelligence it received")]
    attacks: Annotated[list[str], Column("attacks and plots it carried out")]
    claimed: Annotated[list[str], Column("claims of responsibility it made")]
    responses: Annotated[list[str], Column("responses it made to warnings")]
    reciprocity_verdicts: Annotated[list[str], Column("sources' verdicts on it as a party")]
    roles: Annotated[list[RoleRow], Column("its posts: {role, organisation, sources}")]
    affiliations: Annotated[list[AffiliationRow], Column(
        "its links to organisations: {relation, organisation, sources}")]


#: ``kg path A B``: one step of the shortest connection ("from" is a keyword in Python).
PathStep = TypedDict("PathStep", {
    "from": Annotated[str, Column("where the step starts", table=1)],
    "relation": Annotated[str, Column("the relation (warner, concerns, actsFor...)", table=2)],
    "to": Annotated[str, Column("where the step goes", table=3)],
    "sources": Annotated[list[str], Column("the sources that state it", table=4)],
})


class QueryRow(TypedDict):
    """``kg queries``: a named SPARQL query."""

    name: Annotated[str, Column("the query's name", table=1)]
    question: Annotated[str, Column("the question it answers", table=2)]
    file: Annotated[str, Column("its file, under kg/queries/")]


#: Each read command's row.
ROWS: dict[str, type] = {
    "sources": SourceRow, "warnings": WarningRow, "reciprocity": ReciprocityRow,
    "lead-times": LeadTimeRow, "attacks": AttackRow, "conflicts": ConflictRow,
    "timeline": TimelineRow, "actor": ActorRow, "path": PathStep, "queries": QueryRow,
}
