"""Attack and plot mentions: a noun such as "attack", "bombings" or "killing", and what it says.

A mention is a noun (or a death toll with attackers: "gunmen killed 12 people").
Words before it decide whether it happened ("a deadly attack") or not ("potential
attacks", "an imminent assault"); a hypothetical attack that was foiled or plotted
is a plot. Around it the rules read the place (after "in/at/near", or a name before
the noun: "the Moscow attack"), the date, the perpetrators ("by X", "X's attacks",
"X suicide bombers"; see :mod:`kg.extract.attack_details`) and the toll.
:mod:`kg.extract.events` groups mentions into events.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("kerman", "place", "Kerman", state="iran"),
    ...                          Entity("iran", "state", "Iran"))))
    >>> doc = read("ISIS-K suicide bombers killed 95 people in Kerman.", lex, None)
    >>> [(m.places, [c.value for c in m.killed]) for m in sentence_mentions(doc, doc.sentences[0])]
    [(['kerman'], [95])]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..records import Count
from .attack_details import date_near, perpetrators, places_in_sentence, read_attributes
from .attack_words import (
    AGENTS,
    FOILED,
    HEADS,
    HYPOTHETICAL,
    MODIFIERS,
    NEGATION,
    PLOTTING,
    WINDOW_STOP,
    foiled_word,
)
from .dates import DateMention
from .doc import Doc, Parsed, clause_start
from .text import words

if TYPE_CHECKING:
    from .events import Event

#: Verbs after "to" that make an attack a purpose, not a fact ("to stage an attack").
_TO_DO = words("carry launch stage mount commit conduct perpetrate execute attack")


@dataclass
class AttackMention:
    """One mention of an attack or plot in a sentence."""

    sentence: int
    token: int
    head: str
    noun: str
    span: tuple[int, int]
    realis: bool = True
    plot: bool = False
    foiled: bool = False
    places: list[str] = field(default_factory=list)
    date: DateMention | None = None
    killed: list[Count] = field(default_factory=list)
    injured: list[Count] = field(default_factory=list)
    perps: list[str] = field(default_factory=list)
    target: str | None = None
    event: Event | None = None  # set when grouped (kg.extract.events)

    def bare(self) -> bool:
        """True when the mention says nothing that identifies an event."""
        return not (self.places or self.date or self.killed or self.perps or self.target)


def sentence_mentions(doc: Doc, p: Parsed) -> list[AttackMention]:
    """The attack and plot mentions of a sentence, each with its mood and attributes."""
    found: list[AttackMention] = []
    last_head = -99
    for k, tok in enumerate(p.toks):
        head = _head_at(doc, p, k)
        if head is None:
            continue
        if k - last_head <= 14 and not set(p.words(last_head + 1, k)) & WINDOW_STOP:
            continue  # "killing ... by a drone strike": one event, described once
        last_head = k
        noun = tok.text if tok.norm in HEADS else _VERB_NOUNS[head]
        m = AttackMention(p.index, k, head, noun, (tok.start, tok.end))
        _read_mood(p, m)
        read_attributes(doc, p, m)
        if set(p.words(k - 4, k)) & _GENERIC:
            # "a series of attacks in Kenya": a class of attacks, not one; it names no
            # place or date of its own.
            m.places, m.date = [], None
        found.extend(_split_by_state(doc, m))
    _assign_counts(doc, p, found)
    return found


def _head_at(doc: Doc, p: Parsed, k: int) -> str | None:
    """The kind of attack token ``k`` names: an attack noun used as a noun, or a verb of
    attack with attackers as its subject."""
    head = HEADS.get(p.toks[k].norm)
    if head is not None and not _is_noun(p, k, head):
        return None
    return head or _verb_head(doc, p, k)


def _read_mood(p: Parsed, m: AttackMention) -> None:
    """Whether the mention is of an attack that happened, a plot, or one that was foiled."""
    k, head = m.token, m.head
    wider = p.words(max(clause_start(p, k), k - 8), k)
    negated = any(w in NEGATION for w in p.words(0, k))
    foil_near = any(w in FOILED or foiled_word(w) for w in wider[-6:]) and not negated
    before = _mood_words(p, k)
    hypothetical = foil_near or _hypothetical(p, k, before)
    m.foiled = foil_near or (
        (hypothetical or head == "plot")
        and not negated
        and any(w in FOILED or foiled_word(w) for w in p.words(0, len(p.toks)))
    )
    m.plot = head == "plot" or (
        hypothetical and (m.foiled or any(w in PLOTTING for w in before))
    )
    m.realis = not hypothetical and head != "plot"


def _mood_words(p: Parsed, k: int) -> list[str]:
    """The words before an attack word that say whether it happened: its clause's last
    four, none after "than" (a real attack, compared), eight after "planning", and a
    "would" for "to stage an attack" (not done yet)."""
    cs = clause_start(p, k)
    before = p.words(max(cs, k - 4), k)
    wider = p.words(max(cs, k - 8), k)
    if p.words(k - 1, k) == ["than"] or (
        p.words(k - 2, k - 1) == ["than"] and p.toks[k - 1].norm in MODIFIERS
    ):
        before = []  # "deadlier than the bombings in Lisbon": a real attack, compared
    if any(w in ("planning", "plotting", "planned", "plotted") for w in wider):
        before = wider  # "suspected of planning a commando-style attack"
    if "to" in wider and any(w in _TO_DO for w in wider[wider.index("to") + 1 :]):
        before = [*before, "would"]  # "a mission to stage an attack": not done yet
    return before


def _hypothetical(p: Parsed, k: int, before: list[str]) -> bool:
    """A word of possibility before the attack word ("threatened", "more" right before
    it), or a plan after it ("attack plans")."""
    near = p.words(k - 2, k)
    after = p.words(k + 1, k + 2)
    return any(
        w in HYPOTHETICAL and w not in FOILED and (w not in _QUANTITY or w in near)
        for w in before
    ) or bool(after and after[0] in ("plan", "plans", "plot", "threat", "threats"))


#: Verbs that report an attack when attackers are their subject ("gunmen stormed the mall").
VERB_HEADS = {"stormed": "attack", "attacked": "attack", "bombed": "bomb", "rammed": "attack"}


_VERB_NOUNS = {"attack": "attack", "bomb": "bombing", "shoot": "shooting"}


#: Words that make an attack hypothetical only right before it ("more attacks"), not in
#: "asked for more guards before the bombings".
_QUANTITY = words("more further new any such against")
#: Words that make an attack noun a class of attacks: "a series of", "a string of".
_GENERIC = words("series string spate number")


def _verb_head(doc: Doc, p: Parsed, k: int) -> str | None:
    """``gunmen stormed``, ``X blew himself up``, ``militants opened fire``: an attack."""
    norm = p.toks[k].norm
    head = VERB_HEADS.get(norm)
    if norm == "blew" and p.words(k + 1, k + 3)[-1:] == ["up"]:
        head = "bomb"
    elif norm == "opened" and p.words(k + 1, k + 2) == ["fire"]:
        head = "shoot"
    if head is None:
        return None
    for i in range(max(0, k - 4), k):
        mention = p.mention_at(i)
        if p.toks[i].norm in AGENTS or (mention is not None and doc.known(mention).type == "group"):
            return head
    return None


def _split_by_state(doc: Doc, m: AttackMention) -> list[AttackMention]:
    """One mention per state when a noun names places in several ("in Kenya and Tanzania")."""
    states = list(dict.fromkeys(doc.state_of(x) for x in m.places))
    if len(states) < 2:
        return [m]
    return [
        replace(
            m,
            places=[x for x in m.places if doc.state_of(x) == state],
            perps=list(m.perps),
            killed=list(m.killed),
            injured=list(m.injured),
        )
        for state in states
    ]


def _is_noun(p: Parsed, k: int, head: str) -> bool:
    prev = p.toks[k - 1].norm if k else ""
    nxt = p.toks[k + 1].norm if k + 1 < len(p.toks) else ""
    if head == "kill" and p.toks[k].norm.startswith("killing"):
        return (
            nxt == "of"
            or prev in ("the", "a", "his", "her", "their", "its", "this", "that", "s")
            or prev.isdigit()
        )
    if head == "strike":
        return p.toks[k].norm.startswith("air") or prev in ("drone", "air", "missile", "rocket")
    if nxt in ("rifle", "rifles", "weapon", "weapons", "helicopter", "helicopters", "craft"):
        return False  # "an assault rifle", "attack helicopters": a thing, not an event
    if prev in ("heart", "panic", "asthma", "anxiety"):
        return False  # "died of a heart attack"
    return not (
        head == "attack" and prev in ("to", "will", "would", "could", "can", "may", "might")
    )


def _assign_counts(doc: Doc, p: Parsed, found: list[AttackMention]) -> None:
    """Give each toll to the nearest attack that happened; a toll with attackers is one."""
    for count in p.counts:
        index = p.token_at(count.start)
        real = [m for m in found if m.realis or m.plot]
        before = [m for m in real if m.token < index]
        target = before[-1] if before else (real[0] if real else None)
        if target is None:
            if not any(t.norm in AGENTS for t in p.toks):
                continue
            tok = p.toks[index]
            target = AttackMention(p.index, index, "attack", "attack", (tok.start, tok.end))
            perpetrators(doc, p, target, index)
            target.date = date_near(p, index)
            found.append(target)
        (target.killed if count.what == "killed" else target.injured).append(count.count)
        target.realis, target.plot = True, False
    for m in found:
        if m.realis and not m.places and not m.bare():
            m.places = places_in_sentence(doc, p, m.token)
