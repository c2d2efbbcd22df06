"""Assemble what the rules found into :class:`~kg.records.Claim` records.

Every claim is ``method="extracted"`` with a confidence, carries verbatim quotes with
their offsets (whitespace runs shown as one space, as data/FORMAT.md allows), and a
note saying which rule produced it and what it could not resolve. Ids are prefixed
``x-<source>-`` so they never collide with curated ids; each claim is its own event,
and warnings point (``concerns``) to the attack or plot claim they were about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from ..records import Claim, DateValue, Quote
from .actor_rules import AffiliationFound, RoleFound
from .dates import DateMention, find_dates, last_day, shift
from .doc import Doc
from .events import Event, Responsibility
from .gazetteer import slug
from .responses import ResponseFound
from .text import Sentence, collapse
from .warn_rules import WarningFound

#: Longest quote written for one sentence; longer sentences are cut around the trigger.
MAX_QUOTE = 400
_HEAD_WORDS = {
    "attack": "attack",
    "bomb": "bombing",
    "shoot": "shooting",
    "kill": "killing",
    "poison": "poisoning",
    "strike": "strike",
    "plot": "plot",
}
_RULE = "Extracted by kg extract (rules, no model); check it against the quotes."


class _Ids:
    """Unique, readable claim ids within one extraction."""

    def __init__(self, source: str):
        self.prefix = f"x-{slug(source)}-"
        self.used: set[str] = set()

    def __call__(self, *parts: str | None) -> str:
        base = self.prefix + "-".join(slug(p) for p in parts if p)
        ident, n = base, 2
        while ident in self.used:
            ident, n = f"{base}-{n}", n + 1
        self.used.add(ident)
        return ident


def quote(doc: Doc, span: tuple[int, int], focus: int | None = None) -> Quote | None:
    """The words of ``span`` (cut to MAX_QUOTE around ``focus``), trimmed, with offsets."""
    start, end = span
    text = doc.text
    if end - start > MAX_QUOTE:
        focus = start if focus is None else focus
        start = max(start, min(focus - MAX_QUOTE // 3, end - MAX_QUOTE))
        end = min(end, start + MAX_QUOTE)
        while start < end and not text[start - 1].isspace() and start > span[0]:
            start += 1
        while end > start and end < span[1] and not text[end].isspace():
            end -= 1
    start, end = _printable(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    words = collapse(text[start:end])
    return Quote(words, start, end) if words else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _printable(text: str, start: int, end: int) -> tuple[int, int]:
    """The longest run of ``text[start:end]`` without control characters, which no claims
    file may hold: a quote is cut to it rather than refused."""
    controls = [m.start() for m in _CONTROL.finditer(text, start, end)]
    if not controls:
        return start, end
    runs = list(zip([start, *(c + 1 for c in controls)], [*controls, end], strict=True))
    return max(runs, key=lambda r: r[1] - r[0])


def _quotes(doc: Doc, spans: Iterable[tuple[tuple[int, int], int | None]]) -> tuple[Quote, ...]:
    seen: dict[str, Quote] = {}
    for span, focus in spans:
        q = quote(doc, span, focus)
        if q is not None and q.text not in seen:
            seen[q.text] = q
    return tuple(list(seen.values())[:6])


def _claim(
    ident: str,
    kind: str,
    source: str,
    fields: dict,
    quotes: tuple[Quote, ...],
    confidence: float,
    note: str,
) -> Claim | None:
    if not quotes:
        return None
    items = tuple(sorted((k, v) for k, v in fields.items() if v not in (None, (), "")))
    return Claim(
        ident,
        kind,
        source,
        ident,
        items,
        quotes,
        "extracted",
        round(min(max(confidence, 0.05), 0.95), 2),
        note,
    )


def assemble(
    doc: Doc,
    source: str,
    events: list[Event],
    responsibility: list[Responsibility],
    warnings: list[WarningFound],
    responses: list[ResponseFound],
    roles: list[RoleFound],
    affiliations: list[AffiliationFound],
) -> list[Claim]:
    """All claims of one article, in the order a reader meets them."""
    ids = _Ids(source)
    claims: list[tuple[int, Claim]] = []

    def add(position: int, claim: Claim | None) -> None:
        if claim is not None:
            claims.append((position, claim))

    attacks = [e for e in events if e.kind == "attack"]
    main = max(attacks, key=lambda e: len(e.mentions)) if attacks else None
    for event in events:
        event.id = ids(_HEAD_WORDS[event.head], event.place, _year(event.date))
    for event in events:
        add(event.mentions[0].span[0], _event_claim(doc, source, event, event is main))
    for item in responsibility:
        ident = ids(item.claimant, "claims", item.event.id.removeprefix(ids.prefix))
        add(
            item.span[0],
            _claim(
                ident,
                "claim_of_responsibility",
                source,
                {"claimant": item.claimant, "concerns": item.event.id},
                _quotes(doc, [(item.span, None)]),
                0.7,
                _RULE,
            ),
        )
    warning_ids: dict[int, str] = {}
    for w in warnings:
        claim = _warning_claim(doc, source, w, ids)
        if claim is not None:
            warning_ids[id(w)] = claim.id
        add(w.spans[0][0], claim)
    for r in responses:
        if id(r.warning) not in warning_ids:
            continue
        ident = ids(r.responder, r.response)
        add(
            r.span[0],
            _claim(
                ident,
                "response",
                source,
                {
                    "responder": r.responder,
                    "responds_to": warning_ids[id(r.warning)],
                    "response": r.response,
                },
                _quotes(doc, [(r.span, None)]),
                0.5,
                _RULE,
            ),
        )
    for role in roles:
        add(
            role.span[0],
            _claim(
                ids("role", role.person),
                "role",
                source,
                {"person": role.person, "role": role.role, "organisation": role.organisation},
                _quotes(doc, [(role.span, None)]),
                role.confidence,
                _RULE,
            ),
        )
    for a in affiliations:
        add(
            a.span[0],
            _claim(
                ids(a.member, a.relation, a.organisation),
                "affiliation",
                source,
                {"member": a.member, "organisation": a.organisation, "relation": a.relation},
                _quotes(doc, [(a.span, None)]),
                a.confidence,
                _RULE,
            ),
        )
    return [c for _, c in sorted(claims, key=lambda pc: pc[0])]


def _year(date: DateValue | None) -> str | None:
    return date.value[:4] if date is not None and date.precision != "before" else None


def _event_claim(doc: Doc, source: str, event: Event, main: bool = False) -> Claim | None:
    spans: list[tuple[tuple[int, int], int | None]] = [
        (
            (doc.sentences[m.sentence].sentence.start, doc.sentences[m.sentence].sentence.end),
            m.span[0],
        )
        for m in event.mentions
    ]
    said = event.place_said
    if event.place and said is not None and said not in {m.sentence for m in event.mentions}:
        # The place is read from another sentence: its words go in, second, so a curator
        # (and the quote check) sees where the place comes from.
        where = doc.sentences[said]
        at = next((m.start for m in where.mentions if m.entity == event.place), None)
        spans.insert(1, ((where.sentence.start, where.sentence.end), at))
    name = event.noun.lower()
    if event.place:
        name += f" in {doc.lex.known(event.place).label}"
    elif event.perps:
        name += f" by {doc.lex.known(event.perps[0]).label}"
    fields: dict = {
        "name": name,
        "date": event.date,
        "place": event.place,
        "perpetrators": tuple(event.perps),
    }
    notes = [_RULE] + _unresolved(d.text for d in event.dates if d.value is None)
    if event.kind == "attack" and event.date is None:
        first = event.mentions[0].sentence
        for infer in (
            lambda: years_later(doc, first),
            lambda: in_latest_year(doc, event.dates),
            lambda: implied_date(doc, first, not event.dates, main),
        ):
            fields["date"], why = infer()
            if fields["date"] is not None:
                notes.append(why)
                break
    if event.kind == "attack":
        fields["killed"] = tuple(event.killed)
        fields["injured"] = tuple(event.injured)
        confidence = (
            0.55
            + 0.1 * bool(event.place)
            + 0.1 * bool(event.killed)
            + 0.05 * bool(event.date)
            + 0.05 * (len(event.mentions) > 1)
        )
    else:
        fields["target"] = event.target
        fields["status"] = "foiled" if event.foiled else "unknown"
        confidence = 0.45 + 0.1 * bool(event.place or event.target)
    return _claim(
        event.id,
        event.kind,
        source,
        {**fields, "date": mark_inferred(fields["date"], notes)},
        _quotes(doc, spans),
        confidence,
        " ".join(notes),
    )


def _warning_claim(doc: Doc, source: str, w: WarningFound, ids: _Ids) -> Claim | None:
    date, notes = _warning_date(doc, w)
    date = mark_inferred(date, notes)
    if w.kind == "intelligence_sharing":
        fields: dict = {"sharer": w.warner, "recipient": w.recipient, "date": date}
        name = ids(w.warner, "shares-with", w.recipient, _year(date))
    else:
        outcome = None
        if w.concerns is not None:
            outcome = (
                "attack_happened"
                if w.concerns.kind == "attack"
                else ("foiled" if w.concerns.foiled else None)
            )
        if not w.recipient:
            notes.append("The text names no recipient: name one, or delete this claim.")
        if w.disputed:
            notes.append("Disputed: a party denies or disputes this warning in the text.")
        fields = {
            "warner": w.warner,
            "recipient": w.recipient or None,
            "date": date,
            "concerns": w.concerns.id if w.concerns else None,
            "channel": tuple(w.channel),
            "outcome": outcome,
        }
        name = ids(w.warner, "warns", w.recipient, _year(date))
    focus = [(span, None) for span in w.spans]
    confidence = w.confidence + 0.05 * (len(set(w.sentences)) - 1)
    note = " ".join([_RULE, f"Pattern: {w.pattern}."] + notes)
    return _claim(name, w.kind, source, fields, _quotes(doc, focus), confidence, note)


def _warning_date(doc: Doc, w: WarningFound) -> tuple[DateValue | None, list[str]]:
    """The warning's date: its own words first, then the bounds the text implies.

    In order: a date in the warning's sentence; "N days before the attack" against the
    attack's known date; before the attack it warned of; the year of the nearest year
    written before it, when that is earlier than the publication (a story looking back);
    before the article's publication. Every inferred date says so in the claim's note.
    """
    resolved = [d for d in w.dates if d.value is not None]
    if resolved:
        return resolved[0].value, []
    anchored = _anchored_date(w)
    if anchored is not None:
        return anchored, []
    unresolved = [d.text for d in w.dates if d.value is None]
    notes = _unresolved(
        unresolved + ([w.anchor.text + " (the event's day is not known)"] if w.anchor else [])
    )
    bound = _bound_date(w)
    if bound is not None:
        return bound[0], [*notes, bound[1]]
    # When the text dates it in words this extractor cannot place, only an earlier year
    # written before it is kept; "before publication" would hide those words.
    implied, why = implied_date(
        doc, min(w.sentences) if w.sentences else w.sentence, not unresolved
    )
    if implied is not None:
        return implied, [*notes, why]
    return None, notes


def _anchored_date(w: WarningFound) -> DateValue | None:
    """"fifteen days before the attack": the day counted back from the attack's known day."""
    target = w.concerns.date if w.concerns is not None else None
    if w.anchor is None or target is None:
        return None
    noun = w.concerns.noun.lower() if w.concerns is not None else "attack"
    days, exact, _direction = w.anchor.anchor or (0, False, "before")
    text = collapse(w.anchor.text + " the " + noun)
    if exact and target.precision == "day":
        moved = shift(target, -days)
        if moved is not None:
            return DateValue(moved.value, "day", text)
    return None


def _bound_date(w: WarningFound) -> tuple[DateValue, str] | None:
    """A date the warning came before, and the note saying so: when it was said ("Last
    November, officials said they had warned"), or the attack it warned of."""
    if w.reported is not None and w.reported.value is not None:
        said = w.reported.value
        words = f"before {collapse(w.reported.text)}, when it was said"
        return (DateValue(last_day(said), "before", collapse(w.reported.text)),
                f"Date inferred: {words} ({said.value}).")
    target = w.concerns.date if w.concerns is not None else None
    if target is not None and target.precision != "before":
        noun = w.concerns.noun.lower() if w.concerns is not None else "attack"
        return (DateValue(last_day(target), "before"),
                f"Date inferred: before the {noun} it warned of ({target.value}).")
    return None


def years_later(doc: Doc, sentence: int) -> tuple[DateValue | None, str]:
    """ "Two years later, a bombing ...": the year of the last date written before, moved."""
    here = doc.sentences[sentence]
    shift_by = next(
        (d for d in here.dates if d.anchor is not None and d.anchor[2] in ("later", "earlier")),
        None,
    )
    if shift_by is None or shift_by.anchor is None:
        return None, ""
    days, _exact, direction = shift_by.anchor
    for back in range(sentence - 1, max(-1, sentence - 4), -1):
        years = [
            d.value.value[:4]
            for d in doc.sentences[back].dates
            if d.value is not None and d.anchor is None
        ]
        if years:
            step = days // 365 * (1 if direction == "later" else -1)
            year = f"{int(years[-1]) + step:04d}"
            words = collapse(shift_by.text)
            return DateValue(year, "year", words), (
                f"Date inferred: “{words}” after the year {years[-1]} written before it."
            )
    return None, ""


def in_latest_year(doc: Doc, dates: list[DateMention]) -> tuple[DateValue | None, str]:
    """With no publication date, "May 22" taken in the latest year the article writes.

    A story names the year of what it reports somewhere ("In early 2017 ..."); the day
    it gives without one is placed in that year, and the note says so.
    """
    if doc.published is not None:
        return None, ""
    years = [
        d.value.value[:4]
        for p in doc.sentences
        for d in p.dates
        if d.value is not None and not d.relative and d.anchor is None
    ]
    if not years:
        return None, ""
    year = max(years)
    for d in dates:
        if d.value is None and d.anchor is None:
            sentence = Sentence(0, len(d.text), d.text)
            for again in find_dates(sentence, DateValue(f"{year}-12-31", "day")):
                if again.value is not None and again.value.precision == "day":
                    return DateValue(again.value.value, "day", collapse(d.text)), (
                        f"Date inferred: “{collapse(d.text)}” in {year}, the latest year the "
                        "article gives (its publication date is not known)."
                    )
    return None, ""


def implied_date(
    doc: Doc, sentence: int, publication: bool = True, main: bool = False
) -> tuple[DateValue | None, str]:
    """What the text implies about the date of something told in ``sentence``, and why.

    A year written in its sentence, when that is earlier than the publication (a story
    looking back) or the publication is not known; else before
    the article's publication (a report tells what happened before it was published).
    Early in a year that bound does not tell the year, so it is given only for the
    article's ``main`` story, which news tells within days; else nothing.
    """
    published = doc.published
    years = [
        d.value.value[:4]
        for d in doc.sentences[sentence].dates
        if d.value is not None and not d.relative and d.anchor is None
    ]
    if years and (published is None or years[0] < published.value[:4]):
        year = years[0]
        return DateValue(year, "year"), (
            f"Date inferred: the year its sentence gives ({year})."
        )
    if publication and published is not None and (main or published.value[5:] > "02-14"):
        return DateValue(last_day(published), "before"), (
            f"Date inferred: before the article's publication ({published.value})."
        )
    return None, ""


def mark_inferred(date: DateValue | None, notes: Iterable[str]) -> DateValue | None:
    """The date, carrying in ``inferred`` what its "Date inferred: ..." note says."""
    said = [n.removeprefix(_INFERRED) for n in notes if n.startswith(_INFERRED)]
    return replace(date, inferred=said[0].rstrip(".")) if date is not None and said else date


_INFERRED = "Date inferred: "


def _unresolved(texts: Iterable[str]) -> list[str]:
    texts = [collapse(t) for t in texts]
    if not texts:
        return []
    return [
        (
            f"Date not resolved: {', '.join(f'“{t}”' for t in texts)} (needs a publication "
            "date, or a more precise one)."
        )
    ]
