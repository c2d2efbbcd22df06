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
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),
    ...                          Entity("united-states", "state", "United States"))))
    >>> doc = read("The United States warned Russia of an imminent attack.", lex, None)
    >>> [(w.warner, w.recipient, w.pattern) for w in find_warnings(doc)]
    [('united-states', 'russia', 'verb')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .attacks import AttackMention
from .dates import DateMention
from .doc import Doc, Parsed, first_after
from .events import Event
from .roles import DENY, advisory, as_did, can_act, joined, state_or_home, stateless_person, subject
from .text import words
from .warn_dates import anchor, reported_date, split_by_date, warning_dates
from .warn_merge import merge
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

#: What a construction finds: (warner, recipient, pattern, confidence).
Pair = tuple[str, str, str, float]

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
            merge(doc, found, warning)
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


class _Sentence:
    """One sentence being read for warnings, and what its triggers share.

    ``threat`` is how clearly the sentence speaks of a threat; once one trigger's warning
    noun shows what was passed on, it holds for the triggers after it. ``used`` holds the
    tokens a construction has consumed; ``domestic`` collects the states that warned their
    own (a warning between two bodies of one state is not proposed).
    """

    def __init__(self, doc: Doc, p: Parsed, domestic: set[str]) -> None:
        self.doc, self.p, self.domestic = doc, p, domestic
        self.threat = _threat(p)
        self.context = max(
            (_threat(doc.sentences[i]) for i in range(max(0, p.index - 2), p.index)),
            default=0.0,
        )
        self.used: set[int] = set()
        self.span = (p.sentence.start, p.sentence.end)


def _sentence_warnings(doc: Doc, p: Parsed, domestic: set[str]) -> list[WarningFound]:
    """The warnings one sentence states; ``domestic`` collects the states that warned
    their own (a warning between two bodies of one state is not proposed)."""
    s = _Sentence(doc, p, domestic)
    found = []
    for k, tok in enumerate(p.toks):
        if k not in s.used and tok.norm in _TRIGGERS:
            found += _at_trigger(s, k)
    found = [w for w in found if w.recipient or doc.state_of(w.warner) not in domestic]
    return _not_recipients(found)


def _at_trigger(s: _Sentence, k: int) -> list[WarningFound]:
    """The warnings a trigger word at token ``k`` states: directed ones, or one of a
    warner alone."""
    pair = _construction(s, k)
    if pair is False:
        return []
    if pair is None:
        warning = _warner_alone(s, k)
        return [warning] if warning is not None else []
    return _directed(s, k, pair)


def _construction(s: _Sentence, k: int) -> Pair | None | Literal[False]:
    """Who warned whom by the construction around token ``k`` (see warn_patterns), None
    when none names both, False when the word is no warning here ("failed to warn",
    "on high alert")."""
    doc, p, norm = s.doc, s.p, s.p.toks[k].norm
    called = call_to_warn(doc, p, k) if norm in WARN_VERBS | {"warning"} else None
    if called is None and not_done(p, k):
        return False
    if norm in ("alert", "alerts") and p.words(k - 1, k) and p.words(k - 1, k)[0] in ALERT_STATE:
        return False
    if called is not None:
        return called
    pair = _pattern(s, k)
    if pair is None and norm in WARN_NOUNS | PASS_VERBS | WARN_VERBS:
        pair = to_target(doc, p, k)
        if pair is not None and advisory(doc, pair[0]):
            pair = None  # an embassy's alert goes to its own citizens, not the target's state
    if pair is None and s.threat and norm in WARN_NOUNS:
        pair = tip_to_scene(doc, p, k)
    return pair


def _pattern(s: _Sentence, k: int) -> Pair | None:
    """The construction the trigger word's class calls for: a warning verb (or gerund),
    telling, passing on, a warning noun, receiving."""
    doc, p, norm = s.doc, s.p, s.p.toks[k].norm
    if (
        norm in WARN_VERBS
        and (norm not in ("tipped", "tipping") or p.words(k + 1, k + 2) == ["off"])
    ) or _gerund(doc, p, k):
        return verb(doc, p, k)
    if norm in TELL_VERBS and s.threat:
        return tell(doc, p, k)
    if norm in PASS_VERBS and p.words(k - 1, k) != ["-"]:
        return pass_on(doc, p, k, s.used) or passed_by(doc, p, k)
    if norm in WARN_NOUNS:
        return noun(doc, p, k)
    if norm in RECEIVE_VERBS:
        return received(doc, p, k)
    return None


def _gerund(doc: Doc, p: Parsed, k: int) -> bool:
    """"had been warning", "warning the FBI": the word ``warning`` used as a verb."""
    if p.toks[k].norm != "warning":
        return False
    before = p.words(k - 1, k)
    return bool(before and before[0] in VERBAL | {"been"}) or (
        first_after(doc, p, k, 2) is not None
        and (p.mention_at(k + 1) is not None or p.words(k + 1, k + 2) == ["the"]))


def _warner_alone(s: _Sentence, k: int) -> WarningFound | None:
    """A warning of a warner with no recipient named ("the agency warned of a plot"):
    open when a state or agency spoke of a clear threat, else partial (merged into the
    warning it restates); none when it went to the warner's own people."""
    doc, p, norm = s.doc, s.p, s.p.toks[k].norm
    warner = _subject_warner(s, k)
    if warner is None:
        return None
    if advisory(doc, warner) or _to_its_own(doc, p, k, warner):
        s.domestic.add(doc.state_of(warner))  # to its own citizens or units
        return None
    if not can_act(doc, warner):
        return None
    issued = norm in _ISSUED and any(w in WARN_NOUNS for w in p.words(k + 1, k + 6))
    open_verb = (
        (norm in OPEN_VERBS and says_what(p, k) or issued)
        and s.threat == 1.0
        and doc.lex.known(warner).type in ("state", "agency")
    )
    return WarningFound(p.index, warner, "", "open" if open_verb else "partial", s.span,
                        0.5 if open_verb else 0.0, dates=warning_dates(p, k),
                        anchor=anchor(p), channel=_channel(p))


def _subject_warner(s: _Sentence, k: int) -> str | None:
    """The subject of a warning word in a sentence of threat, as the warner alone."""
    p, norm = s.p, s.p.toks[k].norm
    if not s.threat or norm in WARN_VERBS and passive(p, k):
        return None
    if not (norm in WARN_NOUNS or norm in WARN_VERBS or norm in OPEN_VERBS
            or norm in PASS_VERBS and any(w in WARN_NOUNS for w in p.words(k + 1, k + 7))):
        return None
    found = subject(s.doc, p, k)
    return found[1] if found is not None else None


def _directed(s: _Sentence, k: int, pair: Pair) -> list[WarningFound]:
    """The warnings (or sharing) of a warner and a recipient found at token ``k``: one per
    warner joined to it, recipient and date named."""
    doc, p = s.doc, s.p
    warner, recipient, pattern, confidence = pair
    if stateless_person(doc, warner):
        return []  # a person of no known state ("spokesman X"): no pair of states to propose
    if stateless_person(doc, recipient):
        # "an aide shrugged off the tip from X": more about X's warning, whose
        # recipient's state the text does not give here.
        return [WarningFound(p.index, warner, "", "partial", s.span, 0.0,
                             dates=warning_dates(p, k), channel=_channel(p))]
    if state_or_home(doc, warner) == state_or_home(doc, recipient):
        s.domestic.add(doc.state_of(warner))
        return []  # domestic: "the BIN warned the National Police" in a Jakarta story
    if not (can_act(doc, warner) and can_act(doc, recipient)):
        return []
    kind, threat_factor = _kind(s, k, warner, recipient, pattern)
    if kind is None:
        return []
    dates = warning_dates(p, k)
    if pattern in ("noun", "scene"):
        # "failed to follow up on a Russian warning in 2013": the year is the failure's;
        # "a heads-up from a Western intelligence agency in December": the warning's.
        dates = [d for d in dates if -4 <= p.token_at(d.start) - k <= 10]
    warners = dict.fromkeys([warner, *as_did(doc, p, k), *joined(doc, p, warner, k)])
    recipients = dict.fromkeys([recipient, *joined(doc, p, recipient, k)])
    disputed = any(w in DENY - {"claimed", "claims"} for w in p.words(0, k))
    return [
        WarningFound(
            p.index, other, to, pattern, s.span,
            round(confidence * threat_factor * (1 if other == warner else 0.9), 2),
            kind, dated, anchor(p), channel=_channel(p), disputed=disputed,
            reported=reported_date(p, k),
        )
        for other in warners
        for to in recipients
        for dated in split_by_date(p, k, dates)
        if doc.state_of(other) != doc.state_of(to)
    ]


def _kind(s: _Sentence, k: int, warner: str, recipient: str, pattern: str
          ) -> tuple[str | None, float]:
    """A warning (and how sure its threat is), intelligence sharing, or neither (None)."""
    if s.threat == 0.0:
        s.threat = unstated_threat(s.doc, s.p, k, (warner, recipient, pattern), s.context)
    if s.threat:
        return "warning", s.threat
    return ("intelligence_sharing", 0.7) if pattern == "share" else (None, 0.0)


def unstated_threat(doc: Doc, p: Parsed, k: int, roles: tuple[str, str, str],
                    context: float) -> float:
    """How sure a warning is in a sentence with no words of threat: the warning noun says
    what was passed on, the plot is in the sentences before (``context``), or the article
    is about an attack; 0.0 when none of these holds.

    Example:
        >>> from kg.records import Entity
        >>> from kg.extract.gazetteer import gazetteer
        >>> from kg.extract.lexicon import Lexicon
        >>> from kg.extract.doc import read
        >>> lex = Lexicon(gazetteer((Entity("iran", "state", "Iran"),
        ...                          Entity("france", "state", "France"))))
        >>> doc = read("France passed the warning to Iran. France told Iran.", lex, None)
        >>> unstated_threat(doc, doc.sentences[0], 1, ("france", "iran", "pass"), 0.0)
        0.85
        >>> unstated_threat(doc, doc.sentences[1], 1, ("france", "iran", "verb"), 0.0)
        0.0
    """
    warner, recipient, pattern = roles
    norm = p.toks[k].norm
    if pattern in ("pass", "noun", "passive", "verb") and any(t.norm in WARN_NOUNS
                                                              for t in p.toks):
        return 0.85  # "passed the warning to Tehran": the noun says what it was
    if pattern in ("passive", "verb", "pass") and context and (norm in WARN_VERBS
                                                               or norm in PASS_VERBS):
        return 0.8  # "X was warned about the man": the plot is in the sentences before
    if (
        (pattern == "verb" and norm in WARN_VERBS or pattern in ("pass", "passive"))
        and _article_threat(doc)
        and all(doc.lex.known(a).type in ("state", "agency") for a in (warner, recipient))
    ):
        return 0.7  # one service warning another "about" a man, in a story of an attack
    return 0.0


_TRIGGERS = WARN_VERBS | TELL_VERBS | PASS_VERBS | WARN_NOUNS | OPEN_VERBS | RECEIVE_VERBS


def _not_recipients(found: list[WarningFound]) -> list[WarningFound]:
    """ "A report sent by the CIA to Iraqi officials warned of ...": the officials, who got
    the report, are not a second, undirected warner."""
    got = {w.recipient for w in found if w.recipient}
    return [w for w in found if w.recipient or w.warner not in got]


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


