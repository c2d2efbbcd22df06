"""One warning per pair of states and year: a warning restated later in the article adds
its quotes and details to the first, and an undirected or partial mention ("the US issued
a very precise warning") adds to the warning it restates.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> from kg.extract.warn_rules import find_warnings
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),
    ...                          Entity("united-states", "state", "United States"))))
    >>> doc = read("The United States warned Russia of an attack. "
    ...            "Washington had warned Moscow of the plot.", lex, None)
    >>> [(w.warner, w.recipient, w.sentences) for w in find_warnings(doc)]
    [('united-states', 'russia', [0, 1])]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Doc

if TYPE_CHECKING:
    from .warn_rules import WarningFound

#: How much a construction says of who warned whom: a later, more explicit one replaces
#: the warner and recipient of the warning it restates.
_RANK = {
    "partial": -1,
    "open": -1,
    "scene": 0,
    "target": 0,
    "noun": 1,
    "share": 2,
    "pass": 2,
    "passive": 3,
    "verb": 3,
}

#: How many sentences apart a restatement may be from the warning it restates.
_NEAR = 12


def merge(doc: Doc, found: list[WarningFound], new: WarningFound) -> None:
    """Add ``new`` to ``found``: to the warning it restates, or as a warning of its own."""
    if new.pattern in ("partial", "open"):
        _merge_undirected(doc, found, new)
        return
    old = next((old for old in found if restates(doc, old, new)), None)
    if old is None:
        _keep(found, new)
    else:
        _absorb(doc, old, new)


def _merge_undirected(doc: Doc, found: list[WarningFound], new: WarningFound) -> None:
    """"the US issued a very precise warning": more about a warning found before; an open
    warning ("the agency warned of a plot") found first is kept, a partial one dropped."""
    earlier = [
        w
        for w in found
        if w.kind == "warning"
        and doc.state_of(w.warner) == doc.state_of(new.warner)
        and 0 <= new.sentence - max(w.sentences) <= _NEAR
        and not _other_year(w, new)
    ]
    if earlier:
        old = max(earlier, key=lambda w: max(w.sentences))
        old.sentences.append(new.sentence)
        old.spans.append(new.span)
        old.dates = old.dates + new.dates
        old.channel = list(dict.fromkeys(old.channel + new.channel))
    elif new.pattern == "open":
        _keep(found, new)


def restates(doc: Doc, old: WarningFound, new: WarningFound) -> bool:
    """Whether ``new`` (a directed warning or sharing) tells again of ``old``: the same
    states and kind (or an unnamed warner a few sentences on), year and event."""
    if old.pattern == "open" and new.kind == "warning":
        # "the agency warned of a plot ... it had warned Y": Y is who was warned.
        if doc.state_of(old.warner) != doc.state_of(new.warner) \
                or abs(new.sentence - max(old.sentences)) > _NEAR:
            return False
    elif not _same_pair(doc, old, new):
        return False
    if _other_year(old, new):
        return False
    return not (old.concerns and new.concerns and old.concerns is not new.concerns)


def _same_pair(doc: Doc, old: WarningFound, new: WarningFound) -> bool:
    """Same recipient state and kind, and the same warner state unless one warner is
    unnamed and the two are close ("a foreign agency alerted Australia": Israel's tip,
    named later)."""
    if (doc.state_of(old.recipient), old.kind) != (doc.state_of(new.recipient), new.kind):
        return False
    return doc.state_of(old.warner) == doc.state_of(new.warner) or (
        (_unnamed(doc, old.warner) or _unnamed(doc, new.warner))
        and abs(new.sentence - max(old.sentences)) <= 4)


def _absorb(doc: Doc, old: WarningFound, new: WarningFound) -> None:
    """``old`` takes ``new``'s quote and what it adds; the more explicit roles win."""
    old.sentences.append(new.sentence)
    old.spans.append(new.span)
    if (
        _RANK[new.pattern] > _RANK[old.pattern]
        and not _unnamed(doc, new.warner)
        or old.pattern == "open"
        or _unnamed(doc, old.warner)
    ):
        old.warner, old.recipient, old.pattern = new.warner, new.recipient, new.pattern
    old.confidence = max(old.confidence, new.confidence)
    old.dates = old.dates + new.dates
    old.anchor = old.anchor or new.anchor
    old.concerns = old.concerns or new.concerns
    old.channel = list(dict.fromkeys(old.channel + new.channel))
    old.disputed = old.disputed or new.disputed
    old.reported = old.reported or new.reported


def _keep(found: list[WarningFound], new: WarningFound) -> None:
    new.sentences.append(new.sentence)
    new.spans.append(new.span)
    found.append(new)


def _other_year(a: WarningFound, b: WarningFound) -> bool:
    """Whether both are dated, in different years."""
    return bool(_year(a) and _year(b) and _year(a) != _year(b))


def _year(warning: WarningFound) -> str | None:
    resolved = [d.value for d in warning.dates if d.value is not None]
    return resolved[0].value[:4] if resolved else None


def _unnamed(doc: Doc, actor: str) -> bool:
    """An actor the text describes but does not name ("a foreign intelligence agency")."""
    known = doc.lex.known(actor)
    return not known.reference and not known.state and known.label[:1].islower()
