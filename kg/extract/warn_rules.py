"""Warnings, and intelligence sharing that is not a warning (responses: kg.extract.responses).

A warning needs a warner, a recipient of another state (or none named: "the agency warned of
a serious threat"), and words of threat in the sentence or the two before it (attack, plot,
threat, bomb...). The constructions are in :mod:`kg.extract.warn_patterns`, the roles in
:mod:`kg.extract.roles`; here each sentence's warnings are found, dated (a date in their own
clause; one warning per date named), and merged across the article: one warning per pair of
states and year, an undirected or partial mention adding to the warning it restates.

Without words of threat, "X shared intelligence with Y" is intelligence sharing. A denial
("the embassy denied it had warned") keeps the warning, marked ``disputed``.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import Lexicon, gazetteer
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),
    ...                          Entity("united-states", "state", "United States"))))
    >>> doc = read("The United States warned Russia of an imminent attack.", lex, None)
    >>> [(w.warner, w.recipient, w.pattern) for w in find_warnings(doc)]
    [('united-states', 'russia', 'verb')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .attacks import HEADS, AttackMention
from .dates import DateMention
from .doc import REPORTING, Doc, Parsed, clause_start, first_after
from .events import Event
from .roles import DENY, advisory, as_did, can_act, joined, state_or_home, stateless_person, subject
from .text import words
from .warn_patterns import (
    ALERT_STATE,
    INFO_NOUNS,
    OPEN_VERBS,
    PASS_VERBS,
    RECEIVE_VERBS,
    TELL_VERBS,
    VERBAL,
    WARN_NOUNS,
    WARN_VERBS,
    call_to_warn,
    not_done,
    noun,
    pass_on,
    passed_by,
    passive,
    received,
    says_what,
    tell,
    tip_to_scene,
    to_target,
    verb,
)

__all__ = ["INFO_NOUNS", "WARN_VERBS", "WarningFound", "find_warnings"]

STRONG_CUES = (
    "duty to warn",
    "attack",
    "plot",
    "threat",
    "bomb",
    "assault",
    "assassinat",
    "kill",
    "kidnap",
    "imminent",
    "hostage",
    "explosi",
    "massacre",
    "shooting",
    "danger",
    "terror",
    "slaughter",
    "hijack",
)


WEAK_CUES = (
    "cell",
    "islamist",
    "gunm",
    "bomber",
    "extremis",
    "militant",
    "jihad",
    "radical",
    "suspect",
    "dangerous",
    "arrest",
    "foil",
    "raid",
    "detain",
    "police",
)


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


@dataclass
class WarningFound:
    """A warning read from one sentence, before claims are assembled."""

    sentence: int
    warner: str
    recipient: str
    pattern: str
    span: tuple[int, int]
    confidence: float
    kind: str = "warning"
    dates: list[DateMention] = field(default_factory=list)
    anchor: DateMention | None = None
    concerns: Event | None = None
    channel: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    disputed: bool = False
    reported: DateMention | None = None  # "Last November, officials said they had warned"


def find_warnings(
    doc: Doc, mentions: list[AttackMention] | None = None, events: list[Event] | None = None
) -> list[WarningFound]:
    """Warnings (and intelligence sharing) of an article, merged per pair of states.

    ``events`` are the attacks and plots the article proposes: a mention of an event left
    out (placeless, say) concerns nothing.
    """
    by_sentence: dict[int, list[AttackMention]] = {}
    by_place: dict[str, Event] = {}
    kept = {id(e) for e in events} if events is not None else None
    for m in mentions or []:
        if kept is not None and m.event is not None and id(m.event) not in kept:
            continue
        by_sentence.setdefault(m.sentence, []).append(m)
        if m.event is not None:
            for place in m.event.places:
                by_place.setdefault(place, m.event)
    found: list[WarningFound] = []
    domestic: set[str] = set()
    for p in doc.sentences:
        for warning in _sentence_warnings(doc, p, domestic):
            warning.concerns = _concerned(
                by_sentence.get(p.index, []), by_place, warning.anchor is not None
            )
            _merge(doc, found, warning)
    # "US had warned of plot" (headline), told below as the embassy's alert to its citizens:
    # a warning of no named recipient from a state that warned its own is that warning.
    return [w for w in found if w.recipient or doc.state_of(w.warner) not in domestic]


#: "had issued a general threat alert": a warning to whoever hears it.
_ISSUED = words("issued issues issue sounded released")


def _to_its_own(doc: Doc, p: Parsed, k: int, warner: str) -> bool:
    """``issued a threat advisory to its units``, ``urging its citizens``, ``urged Israelis``
    (the warner's own people): a warning to its own."""
    after = p.words(max(0, k - 12), k + 10)
    if "travel" in p.words(k - 3, k + 2):
        return True  # "a travel warning", "travel advice": to the state's own travellers
    if any(
        a in ("its", "their", "american", "british", "french", "us") and b in _OWN_PEOPLE
        for a, b in zip(after, after[1:], strict=False)
    ):
        return True
    own = doc.state_of(warner)
    return any(
        m.form == "people" and m.entity == own and abs(m.first - k) <= 12 for m in p.mentions
    )


_OWN_PEOPLE = words("""units citizens nationals staff personnel officers troops forces members
employees travellers travelers residents""")


def _article_threat(doc: Doc) -> bool:
    """Whether the article speaks of attacks, plots or threats at all."""
    return any(_threat(p) == 1.0 for p in doc.sentences)


def _threat(p: Parsed) -> float:
    words = " ".join(t.norm for t in p.toks)
    if any(cue in words for cue in STRONG_CUES):
        return 1.0
    return 0.85 if any(cue in words for cue in WEAK_CUES) else 0.0


def _sentence_warnings(doc: Doc, p: Parsed, domestic: set[str]) -> list[WarningFound]:
    """The warnings one sentence states; ``domestic`` collects the states that warned
    their own (a warning between two bodies of one state is not proposed)."""
    threat = _threat(p)
    context = max(
        (_threat(doc.sentences[i]) for i in range(max(0, p.index - 2), p.index)), default=0.0
    )
    found = []
    used: set[int] = set()
    for k, tok in enumerate(p.toks):
        norm = tok.norm
        if k in used or norm not in _TRIGGERS:
            continue
        pair = call_to_warn(doc, p, k) if norm in WARN_VERBS | {"warning"} else None
        if pair is None and not_done(p, k):
            continue
        gerund = norm == "warning" and (
            p.words(k - 1, k)
            and p.words(k - 1, k)[0] in VERBAL | {"been"}
            or first_after(doc, p, k, 2) is not None
            and (p.mention_at(k + 1) is not None or p.words(k + 1, k + 2) == ["the"])
        )
        if (
            norm in ("alert", "alerts")
            and p.words(k - 1, k)
            and p.words(k - 1, k)[0] in ALERT_STATE
        ):
            continue
        if pair is not None:
            pass
        elif (
            norm in WARN_VERBS
            and (norm not in ("tipped", "tipping") or p.words(k + 1, k + 2) == ["off"])
        ) or gerund:
            pair = verb(doc, p, k)
        elif norm in TELL_VERBS and threat:
            pair = tell(doc, p, k)
        elif norm in PASS_VERBS and p.words(k - 1, k) != ["-"]:
            pair = pass_on(doc, p, k, used) or passed_by(doc, p, k)
        elif norm in WARN_NOUNS:
            pair = noun(doc, p, k)
        elif norm in RECEIVE_VERBS:
            pair = received(doc, p, k)
        triggered = norm in WARN_NOUNS | PASS_VERBS | WARN_VERBS
        if pair is None and triggered:
            pair = to_target(doc, p, k)
            if pair is not None and advisory(doc, pair[0]):
                pair = None  # an embassy's alert goes to its own citizens, not the target's state
        if pair is None and threat and norm in WARN_NOUNS:
            pair = tip_to_scene(doc, p, k)
        if pair is None:
            warner_only = (
                subject(doc, p, k)
                if threat
                and not (norm in WARN_VERBS and passive(p, k))
                and (
                    norm in WARN_NOUNS
                    or norm in WARN_VERBS
                    or norm in OPEN_VERBS
                    or norm in PASS_VERBS
                    and any(w in WARN_NOUNS for w in p.words(k + 1, k + 7))
                )
                else None
            )
            if warner_only is None:
                continue
            if advisory(doc, warner_only[1]) or _to_its_own(doc, p, k, warner_only[1]):
                domestic.add(doc.state_of(warner_only[1]))  # to its own citizens or units
            elif can_act(doc, warner_only[1]):
                issued = norm in _ISSUED and any(w in WARN_NOUNS for w in p.words(k + 1, k + 6))
                open_verb = (
                    (norm in OPEN_VERBS and says_what(p, k) or issued)
                    and threat == 1.0
                    and doc.lex.known(warner_only[1]).type in ("state", "agency")
                )
                found.append(
                    WarningFound(
                        p.index,
                        warner_only[1],
                        "",
                        "open" if open_verb else "partial",
                        (p.sentence.start, p.sentence.end),
                        0.5 if open_verb else 0.0,
                        dates=_dates(p, k),
                        anchor=_anchor(p),
                        channel=_channel(p),
                    )
                )
            continue
        warner, recipient, pattern, confidence = pair
        if stateless_person(doc, warner):
            continue  # a person of no known state ("spokesman X"): no pair of states to propose
        if stateless_person(doc, recipient):
            # "an aide shrugged off the tip from X": more about X's warning, whose
            # recipient's state the text does not give here.
            found.append(
                WarningFound(
                    p.index,
                    warner,
                    "",
                    "partial",
                    (p.sentence.start, p.sentence.end),
                    0.0,
                    dates=_dates(p, k),
                    channel=_channel(p),
                )
            )
            continue
        if state_or_home(doc, warner) == state_or_home(doc, recipient):
            domestic.add(doc.state_of(warner))
            continue  # domestic: "the BIN warned the National Police" in a Jakarta story
        if not (can_act(doc, warner) and can_act(doc, recipient)):
            continue
        kind = "warning"
        if (
            threat == 0.0
            and pattern in ("pass", "noun", "passive", "verb")
            and any(t.norm in WARN_NOUNS for t in p.toks)
        ):
            threat = 0.85  # "passed the warning to Tehran": the noun says what it was
        if (
            threat == 0.0
            and pattern in ("passive", "verb", "pass")
            and context
            and (norm in WARN_VERBS or norm in PASS_VERBS)
        ):
            threat = 0.8  # "X was warned about the man": the plot is in the sentences before
        if (
            threat == 0.0
            and (pattern == "verb" and norm in WARN_VERBS or pattern in ("pass", "passive"))
            and _article_threat(doc)
            and all(doc.lex.known(a).type in ("state", "agency") for a in (warner, recipient))
        ):
            threat = 0.7  # one service warning another "about" a man, in a story of an attack
        if threat == 0.0:
            if pattern != "share":
                continue
            kind, threat_factor = "intelligence_sharing", 0.7
        else:
            threat_factor = threat
        dates = _dates(p, k)
        if pattern in ("noun", "scene"):
            # "failed to follow up on a Russian warning in 2013": the year is the failure's;
            # "a heads-up from a Western intelligence agency in December": the warning's.
            dates = [d for d in dates if -4 <= p.token_at(d.start) - k <= 10]
        warners = [warner, *as_did(doc, p, k), *joined(doc, p, warner, k)]
        recipients = [recipient, *joined(doc, p, recipient, k)]
        for other, dated, recipient in [
            (o, ds, r)
            for o in dict.fromkeys(warners)
            for r in dict.fromkeys(recipients)
            for ds in _split_by_date(p, k, dates)
        ]:
            if doc.state_of(other) == doc.state_of(recipient):
                continue
            found.append(
                WarningFound(
                    p.index,
                    other,
                    recipient,
                    pattern,
                    (p.sentence.start, p.sentence.end),
                    round(confidence * threat_factor * (1 if other == warner else 0.9), 2),
                    kind,
                    dated,
                    _anchor(p),
                    channel=_channel(p),
                    disputed=any(w in DENY - {"claimed", "claims"} for w in p.words(0, k)),
                    reported=_reported(p, k),
                )
            )
    found = [w for w in found if w.recipient or doc.state_of(w.warner) not in domestic]
    return _not_recipients(found)


_TRIGGERS = WARN_VERBS | TELL_VERBS | PASS_VERBS | WARN_NOUNS | OPEN_VERBS | RECEIVE_VERBS


def _not_recipients(found: list[WarningFound]) -> list[WarningFound]:
    """ "A report sent by the CIA to Iraqi officials warned of ...": the officials, who got
    the report, are not a second, undirected warner."""
    got = {w.recipient for w in found if w.recipient}
    return [w for w in found if w.recipient or w.warner not in got]


def _dates(p: Parsed, k: int) -> list[DateMention]:
    """Date phrases that may date the warning, nearest to the verb first.

    A date that goes with a verb of saying before the warning ("In January, an official
    said that ...") dates the report, not the warning, and is left out.
    """
    dates = []
    for d in p.dates:
        if d.anchor is not None:
            continue
        first, last = p.token_at(d.start), p.token_at(d.end - 1)
        said = [
            i for i in range(last + 1, min(k, last + 10)) if p.toks[i].norm in REPORTING
        ] or any(t.norm in REPORTING for t in p.toks[max(0, first - 2) : first])
        near_event = any(
            t.norm in HEADS for t in p.toks[max(0, first - 2) : first] + p.toks[last + 1 : last + 4]
        ) or any(t.norm in _EVENT_VERBS for t in p.toks[max(k + 1, first - 4) : first])
        stamp = p.words(first - 1, first) in (["-"], ["|"]) and last >= len(p.toks) - 2
        if not said and not near_event and not stamp:  # "... Alert Issued - 2019-05-01": a stamp
            dates.append(d)
    # A date of the verb's own clause wins ("ahead of the 2013 bombing: the FSB alerted the
    # FBI in 2011"), then the nearest.
    own = clause_start(p, k)
    return sorted(
        dates,
        key=lambda d: (clause_start(p, p.token_at(d.start)) != own, abs(p.token_at(d.start) - k)),
    )


def _reported(p: Parsed, k: int) -> DateMention | None:
    """The date of saying, before the warning's verb: "Last November, officials said they
    had warned France" (the warning came before it)."""
    said = next((i for i in range(k - 1, -1, -1) if p.toks[i].norm in REPORTING), None)
    if said is None:
        return None
    for d in p.dates:
        first, last = p.token_at(d.start), p.token_at(d.end - 1)
        if (
            d.value is not None
            and d.anchor is None
            and (last < said and said - last <= 10 or 0 < first - said <= 3)
        ):
            return d
    return None


#: Verbs of a clause about the attack: "the bombers who struck Brussels this week".
_EVENT_VERBS = words("""struck attacked bombed stormed killed exploded detonated occurred
happened hit""")


def _split_by_date(p: Parsed, k: int, dates: list[DateMention]) -> list[list[DateMention]]:
    """``warned X on September 19 and again on October 11``: one warning per date."""
    after = sorted(
        (d for d in dates if d.value is not None and p.token_at(d.start) > k),
        key=lambda d: d.start,
    )
    chain = after[:1]
    for prev, d in zip(after, after[1:], strict=False):
        between = p.words(p.token_at(prev.end - 1) + 1, p.token_at(d.start))
        if between and set(between) <= {"and", "again", "on", "in", ",", "then", "later", "once"}:
            chain.append(d)
        else:
            break
    if len(chain) < 2:
        return [dates]
    return [[d] for d in chain]


def _anchor(p: Parsed) -> DateMention | None:
    return next((d for d in p.dates if d.anchor is not None and d.anchor[2] == "before"), None)


def _channel(p: Parsed) -> list[str]:
    words = set(p.words(0, len(p.toks)))
    channel = []
    if words & {"publicly", "public"}:
        channel.append("public")
    if words & {"privately", "private", "confidentially"}:
        channel.append("private")
    if words & {"diplomatic", "diplomats", "cable"}:
        channel.append("diplomatic")
    return channel


def _concerned(
    here: list[AttackMention], by_place: dict[str, Event], anchored: bool = False
) -> Event | None:
    """The attack or plot a warning was about: named in its sentence, or at the same place.

    A bare "the attack" is only guessed to be the event told last; it names none.
    """
    for m in here:
        if m.event is not None and not m.bare():
            return m.event
    for m in here:
        for place in m.places:
            if place in by_place:
                return by_place[place]
    if anchored:  # "fifteen days before the attack": the event told last, to count from
        return next((m.event for m in here if m.event is not None), None)
    return None


def _year(warning: WarningFound) -> str | None:
    resolved = [d.value for d in warning.dates if d.value is not None]
    return resolved[0].value[:4] if resolved else None


def _unnamed(doc: Doc, actor: str) -> bool:
    """An actor the text describes but does not name ("a foreign intelligence agency")."""
    known = doc.lex.known(actor)
    return not known.reference and not known.state and known.label[:1].islower()


def _merge(doc: Doc, found: list[WarningFound], new: WarningFound) -> None:
    """One warning per pair of states (and year): later sentences add quotes and details."""
    if new.pattern in ("partial", "open"):
        # "the US issued a very precise warning": more about a warning found before.
        earlier = [
            w
            for w in found
            if w.kind == "warning"
            and doc.state_of(w.warner) == doc.state_of(new.warner)
            and 0 <= new.sentence - max(w.sentences) <= 12
            and not (_year(w) and _year(new) and _year(w) != _year(new))
        ]
        if earlier:
            old = max(earlier, key=lambda w: max(w.sentences))
            old.sentences.append(new.sentence)
            old.spans.append(new.span)
            old.dates = old.dates + new.dates
            old.channel = list(dict.fromkeys(old.channel + new.channel))
            return
        if new.pattern == "open":
            new.sentences.append(new.sentence)
            new.spans.append(new.span)
            found.append(new)
        return
    key = (doc.state_of(new.warner), doc.state_of(new.recipient), new.kind)
    for old in found:
        if old.pattern == "open" and new.kind == "warning":
            # "the agency warned of a plot ... it had warned Y": Y is who was warned.
            same = (doc.state_of(old.warner), "", "warning") == (key[0], "", new.kind)
            if not same or abs(new.sentence - max(old.sentences)) > 12:
                continue
        elif (
            (doc.state_of(old.warner), doc.state_of(old.recipient), old.kind) != key
            and not (
                (_unnamed(doc, old.warner) or _unnamed(doc, new.warner))
                and abs(new.sentence - max(old.sentences)) <= 4
            )
            or (doc.state_of(old.recipient), old.kind) != key[1:]
        ):
            continue  # "a foreign agency alerted Australia": Israel's tip, named later
        if _year(old) and _year(new) and _year(old) != _year(new):
            continue
        if old.concerns and new.concerns and old.concerns is not new.concerns:
            continue
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
        return
    new.sentences.append(new.sentence)
    new.spans.append(new.span)
    found.append(new)
