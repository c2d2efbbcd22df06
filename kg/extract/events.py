"""Events: group the mentions of one attack or plot, and read claims of responsibility.

Mentions (:mod:`kg.extract.attacks`) of one event across an article are grouped when
nothing they say conflicts (place at state level, year, toll, perpetrators) and
something agrees, or when a definite mention ("the attack") has nothing of its own
to add; so "the Moscow attack" and "Friday's attack at a concert hall on Moscow's
edge, which killed over 130 people" are one event. "X claimed responsibility" and
"claimed by X" name who claimed the event nearby.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("kerman", "place", "Kerman", state="iran"),
    ...                          Entity("iran", "state", "Iran"))))
    >>> doc = read("The bombings in Kerman killed 95 people.", lex, None)
    >>> events = find_events(doc)[0]
    >>> [(e.kind, e.place, [c.value for c in e.killed]) for e in events]
    [('attack', 'kerman', [95])]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Count, DateValue
from .attack_words import PLOTTING, foiled_word
from .attacks import AttackMention, sentence_mentions
from .dates import DateMention
from .doc import Doc, Parsed, first_after, nearest_before
from .text import words

_PRECISION = {"day": 3, "month": 2, "year": 1, "before": 0}


@dataclass
class Event:
    """An attack or plot as this article reports it, from one or more mentions."""

    kind: str
    head: str
    noun: str
    mentions: list[AttackMention] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    killed: list[Count] = field(default_factory=list)
    injured: list[Count] = field(default_factory=list)
    perps: list[str] = field(default_factory=list)
    claimed_by: list[str] = field(default_factory=list)
    target: str | None = None
    foiled: bool = False
    id: str = ""
    #: The sentence the place was read from when none of the mentions names it (the one
    #: before, or the dateline's): its words go into the claim's quotes.
    place_said: int | None = None

    @property
    def place(self) -> str | None:
        """The most specific place named (the first one)."""
        return self.places[0] if self.places else None

    @property
    def date(self) -> DateValue | None:
        """The most precise resolved date any mention gives."""
        resolved = [d.value for d in self.dates if d.value is not None]
        return max(resolved, key=lambda v: _PRECISION[v.precision]) if resolved else None


@dataclass(frozen=True)
class Responsibility:
    """A claim of responsibility: who claimed which event, and where it is said."""

    claimant: str
    event: Event
    span: tuple[int, int]


def find_events(doc: Doc) -> tuple[list[Event], list[AttackMention], list[Responsibility]]:
    """Every attack and plot of an article, all attack mentions, and claims of responsibility."""
    mentions: list[AttackMention] = []
    for parsed in doc.sentences:
        mentions.extend(sentence_mentions(doc, parsed))
    events = _placed(doc, _grouped(doc, mentions))
    kept = {id(e) for e in events}
    claims = [c for c in _responsibility(doc, mentions, events) if id(c.event) in kept]
    return events, mentions, claims  # no claim of an attack left out (placeless, say)


def _grouped(doc: Doc, mentions: list[AttackMention]) -> list[Event]:
    """The mentions of attacks that happened and of plots, each given its event (a new
    one, or one told before that it is compatible with), in text order."""
    events: list[Event] = []
    for mention in mentions:
        if not mention.realis and not mention.plot:
            continue
        kind = "plot" if mention.plot else "attack"
        if mention.bare() and _bare_settled(events, mentions, mention, kind):
            continue
        event = _told_before(doc, events, mentions, mention, kind)
        if event is None:
            event = Event(kind, mention.head, mention.noun)
            events.append(event)
        _absorb(doc, event, mention)
    return events


def _bare_settled(events: list[Event], mentions: list[AttackMention], mention: AttackMention,
                  kind: str) -> bool:
    """Whether a bare mention ("the attack") is settled without an event of its own: it
    refers to the event of its kind told in the last three sentences, or (a plot, or the
    only bare attack of its head) to none. A story that tells its attack only as "the
    bombings" and "the attack" is not settled: it is one event, placed by its dateline if
    nothing else (see _places_nearby)."""
    recent = [
        e
        for e in events
        if e.kind == kind
        and _heads_ok(e.head, mention.head)
        and mention.sentence - e.mentions[-1].sentence <= 3
    ]
    if recent:
        mention.event = recent[-1]
        return True
    if kind == "plot" or not any(
        m.bare() and m is not mention and m.realis
        for m in mentions
        if m.head == mention.head or "attack" in (m.head, mention.head)
    ):
        mention.event = None
        return True
    return False


def _told_before(doc: Doc, events: list[Event], mentions: list[AttackMention],
                 mention: AttackMention, kind: str) -> Event | None:
    """The latest event ``mention`` is compatible with, or, for a mention with no place
    and no perpetrator, the event of an earlier mention of its sentence ("that attack,
    twin suicide bombings that claimed 95 lives": an apposition)."""
    event = next((e for e in reversed(events) if _compatible(doc, mention, e, kind)), None)
    if event is not None or mention.places or mention.perps:
        return event
    return next(
        (
            m.event
            for m in reversed(mentions)
            if m.sentence == mention.sentence
            and m.token < mention.token
            and m.event is not None
            and _compatible(doc, mention, m.event, kind, need_agreement=False)
        ),
        None,
    )


def _placed(doc: Doc, events: list[Event]) -> list[Event]:
    """Plots told as attacks made plots, events of one place merged, placeless attacks
    placed from nearby (the main one from the dateline), and attacks still placeless
    dropped: an attack whose place the text does not give is too loose to propose."""
    for event in events:
        _plot_if_stopped(doc, event)
    events = _merge_placeless(doc, _merge_same_place(doc, events))
    attacks = [e for e in events if e.kind == "attack"]
    main = max(attacks, key=lambda e: len(e.mentions)) if attacks else None
    for event in events:
        if event.kind == "attack" and not event.places:
            event.places, event.place_said = _places_nearby(doc, event, event is main)
    return [e for e in _merge_same_place(doc, events) if e.places or e.kind != "attack"]


def _plot_if_stopped(doc: Doc, event: Event) -> None:
    """An "attack" that killed no one, told in sentences of foiling or plotting, is a plot."""
    if event.kind != "attack" or event.killed or event.injured:
        return
    date, published = event.date, doc.published
    if date is not None and published is not None and date.value[:4] < published.value[:4]:
        return  # a dated attack of an earlier year is history, whatever else is foiled now
    said = [t.norm for m in event.mentions for t in doc.sentences[m.sentence].toks]
    if any(foiled_word(w) for w in said):
        event.kind, event.foiled = "plot", True
    elif any(w in PLOTTING for w in said) and not any(w in _HAPPENED for w in said):
        event.kind = "plot"


#: Words that say an attack took place, whatever else its sentences say.
_HAPPENED = words("""killed died dead wounded injured stormed exploded detonated struck
blew claimed carried""")


def _merge_same_place(doc: Doc, events: list[Event]) -> list[Event]:
    """Join events of one article in the same state when nothing they say conflicts."""
    merged: list[Event] = []
    for event in events:
        target = None
        for other in merged:
            if other.kind != event.kind or not _heads_ok(other.head, event.head):
                continue
            if (
                not event.places
                or not other.places
                or not (
                    {doc.state_of(x) for x in event.places}
                    & {doc.state_of(x) for x in other.places}
                )
            ):
                continue
            if all(
                _compatible(doc, m, other, event.kind, need_agreement=False) for m in event.mentions
            ):
                target = other
                break
        _join(doc, event, target, merged)
    return merged


def _places_nearby(doc: Doc, event: Event, main: bool = False
                   ) -> tuple[list[str], int | None]:
    """Where an attack told without a place happened, when the text makes it plain.

    The one town of its sentence ("Hyderabad was last hit in 2007, when twin blasts
    killed 42"); else the one town the sentence before puts something in ("in Quetta");
    else, for "the city" or "the capital", the town of the dateline. A town someone
    came from ("a bomber from Dagestan") does not count, and two towns leave it unknown.
    With the towns, the sentence they were read from.
    """
    first = event.mentions[0].sentence
    for index, locative_only in ((first, False), (first - 1, True)):
        if index < 0:
            break
        towns = _towns(doc, doc.sentences[index], locative_only)
        if len(towns) == 1:
            return towns, index
        if towns:
            return [], None
    said = [t.norm for m in event.mentions for t in doc.sentences[m.sentence].toks]
    main = main and len(event.mentions) > 1  # the story told more than once
    pairs = zip(said, said[1:], strict=False)
    if main or any(a == "the" and b in ("city", "capital") for a, b in pairs):
        # "the city", or the story's own attack: the town of the dateline ("PESHAWAR: ...")
        town, line = dateline_at(doc)
        return ([town], line) if town else ([], None)
    return [], None


def _towns(doc: Doc, p: Parsed, locative_only: bool) -> list[str]:
    """The towns a sentence names, not where someone came from ("a bomber from Dagestan");
    with ``locative_only``, only those after "in" or "at"."""
    return list(
        dict.fromkeys(
            m.entity
            for m in p.mentions
            if doc.known(m).type == "place"
            and p.words(m.first - 1, m.first) != ["from"]
            and (not locative_only or p.words(m.first - 1, m.first)[:1] in (["in"], ["at"]))
        )
    )


def dateline(doc: Doc) -> str | None:
    """The town a story is filed from: a place opening one of its first three sentences
    and followed by ":", ",", "(" or a dash ("PESHAWAR: ...", "ANKARA, Turkey (AP) -");
    else the one town its headline names."""
    return dateline_at(doc)[0]


def dateline_at(doc: Doc) -> tuple[str | None, int | None]:
    """:func:`dateline`, with the sentence it is read from."""
    for index, p in enumerate(doc.sentences[:4]):
        for m in p.mentions[:3]:
            line_start = m.start == 0 or doc.text[m.start - 1] == "\n"  # after a byline too
            if not (m.first == 0 or line_start) or doc.known(m).type != "place":
                continue
            if p.words(m.last, m.last + 1)[:1] in ([":"], [","], ["("], ["-"]):
                return m.entity, index
    towns = {m.entity for m in doc.sentences[0].mentions if doc.known(m).type == "place"}
    return (towns.pop(), 0) if len(towns) == 1 else (None, None)  # the headline's one town


def _merge_placeless(doc: Doc, events: list[Event]) -> list[Event]:
    """An attack told without its place ("died in the bombing") joins the attack it is.

    It joins the only attack of the article that has a place and nothing conflicting,
    or else the nearest such attack within three sentences; otherwise it stays apart.
    """
    placed = [e for e in events if e.places and e.kind == "attack"]
    kept: list[Event] = []
    for event in events:
        if event.places or event.kind != "attack" or not placed:
            kept.append(event)
            continue
        fits = [other for other in placed if _may_join(doc, event, other)]
        first = event.mentions[0].sentence
        near = [o for o in fits if min(abs(m.sentence - first) for m in o.mentions) <= 3]
        target = fits[0] if len(fits) == 1 else (near[0] if len(near) == 1 else None)
        _join(doc, event, target, kept)
    return kept


def _may_join(doc: Doc, event: Event, other: Event) -> bool:
    """Whether a placeless attack can be ``other``: a compatible head (not a killing or a
    poisoning), no other year, and every mention compatible with it."""
    return (
        (event.head == other.head or _heads_ok(other.head, event.head))
        and event.head not in ("kill", "poison")
        and (event.date is None or bool(other.date and other.date.value[:4]
                                        == event.date.value[:4]))
        and all(_compatible(doc, m, other, "attack", need_agreement=False)
                for m in event.mentions)
    )


def _join(doc: Doc, event: Event, target: Event | None, kept: list[Event]) -> None:
    """Keep ``event`` apart when it has no ``target``; else move its mentions into it."""
    if target is None:
        kept.append(event)
        return
    for m in event.mentions:
        _absorb(doc, target, m)


def _heads_ok(a: str, b: str) -> bool:
    return a == b or "attack" in (a, b)


def _counts_ok(a: list[Count], b: list[Count]) -> bool:
    return not a or not b or any(_count_ok(x, y) for x in a for y in b)


def _count_ok(x: Count, y: Count) -> bool:
    if x.qualifier != "exact" and y.qualifier == "exact":
        x, y = y, x
    if x.qualifier == "exact" and y.qualifier == "exact":
        return x.value == y.value
    if x.qualifier == "exact":
        return {
            "more_than": x.value > y.value,
            "at_least": x.value >= y.value,
            "at_most": x.value <= y.value,
            "about": abs(x.value - y.value) <= max(2, y.value // 5),
        }[y.qualifier]
    return True


def _compatible(
    doc: Doc, m: AttackMention, e: Event, kind: str, need_agreement: bool = True
) -> bool:
    """Whether a mention can be the same event: nothing conflicts, and something agrees."""
    if e.kind != kind or not _heads_ok(e.head, m.head):
        return False
    agree = False
    for check in (_places_verdict, _year_verdict, _perps_verdict, _killed_verdict):
        verdict = check(doc, m, e)
        if verdict is False:
            return False
        agree = agree or verdict is True
    return agree or not need_agreement or _anaphoric(doc, m)


def _places_verdict(doc: Doc, m: AttackMention, e: Event) -> bool | None:
    """Places of one state and no two different towns agree; None when one gives none."""
    if not (m.places and e.places):
        return None
    states_m = {doc.state_of(x) for x in m.places}
    states_e = {doc.state_of(x) for x in e.places}
    return bool(states_m & states_e) and not _other_towns(doc, m.places, e.places)


def _year_verdict(doc: Doc, m: AttackMention, e: Event) -> bool | None:
    """The same year agrees; None when one is undated."""
    if not (m.date and m.date.value and e.date):
        return None
    return m.date.value.value[:4] == e.date.value[:4]


def _perps_verdict(doc: Doc, m: AttackMention, e: Event) -> bool | None:
    """Perpetrators of a common state agree; None when one names none."""
    if not (m.perps and e.perps):
        return None
    return bool({doc.state_of(x) for x in m.perps} & {doc.state_of(x) for x in e.perps})


def _killed_verdict(doc: Doc, m: AttackMention, e: Event) -> bool | None:
    """Death tolls that can both be true agree; None when one gives none."""
    if not (m.killed and e.killed):
        return None
    return _counts_ok(m.killed, e.killed)


def _other_towns(doc: Doc, a: list[str], b: list[str]) -> bool:
    """Whether two lists of places name different towns ("Jolo" and "the siege of Marawi");
    a town and a site in it ("Moscow", "Crocus City Hall") do not conflict."""
    from .cities import find_city

    def towns(places: list[str]) -> set[str]:
        found = set()
        for place in places:
            known = doc.lex.known(place)
            listed = not known.reference and known.state  # a town of world.txt or GeoNames
            if known.type == "place" and (listed or find_city(known.label) is not None):
                found.add(place)
        return found

    ta, tb = towns(a), towns(b)
    return bool(ta and tb and not ta & tb)


def _anaphoric(doc: Doc, m: AttackMention) -> bool:
    """A definite mention with nothing of its own to say ("that attack, ... which claimed")."""
    p = doc.sentences[m.sentence]
    before = p.words(m.token - 3, m.token)
    return (
        any(w in ("the", "that", "this", "these", "those") for w in before)
        and not m.places
        and not m.perps
    )


def _absorb(doc: Doc, event: Event, m: AttackMention) -> None:
    m.event = event
    event.mentions.append(m)
    if event.head == "attack" and m.head != "attack":
        event.head, event.noun = m.head, m.noun
    for place in m.places:
        if place not in event.places:
            event.places.append(place)
    event.places = sorted(event.places, key=lambda x: doc.lex.known(x).type == "state")
    if m.date is not None:
        event.dates.append(m.date)
    for count in m.killed:
        if count not in event.killed:
            event.killed.append(count)
    for count in m.injured:
        if count not in event.injured:
            event.injured.append(count)
    for perp in m.perps:
        if perp not in event.perps:
            event.perps.append(perp)
    event.target = event.target or m.target
    event.foiled = event.foiled or m.foiled


def _responsibility(
    doc: Doc, mentions: list[AttackMention], events: list[Event]
) -> list[Responsibility]:
    found = []
    for p in doc.sentences:
        for k, tok in enumerate(p.toks):
            if tok.norm not in ("claimed", "claims", "claim", "took", "claiming"):
                continue
            after = p.words(k + 1, k + 4)
            claimant = None
            if after[:1] == ["responsibility"] or after[:2] == ["credit", "for"]:
                claimant = nearest_before(doc, p, k, 20, ("group", "person", "state"))
            elif after[:1] == ["by"]:
                claimant = first_after(doc, p, k + 1, 6, types=("group", "person", "state"))
            if claimant is None:
                continue
            event = _event_for(p, k, mentions, events)
            if event is None:
                continue
            if claimant[1] not in event.claimed_by:
                event.claimed_by.append(claimant[1])
            found.append(Responsibility(claimant[1], event, (p.sentence.start, p.sentence.end)))
    return found


def _event_for(
    p: Parsed, k: int, mentions: list[AttackMention], events: list[Event]
) -> Event | None:
    """The event a word refers to: a mention in its sentence, else the latest event before."""
    here = [m for m in mentions if m.sentence == p.index and m.event is not None]
    if here:
        return min(here, key=lambda m: abs(m.token - k)).event
    earlier = [
        m
        for m in mentions
        if m.sentence < p.index and m.event is not None and m.event.kind == "attack"
    ]
    return earlier[-1].event if earlier else None
