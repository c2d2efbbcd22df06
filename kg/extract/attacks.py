"""Attack and plot mentions: a noun such as "attack", "bombings" or "killing", and what it says.

A mention is a noun (or a death toll with attackers: "gunmen killed 12 people").
Words before it decide whether it happened ("a deadly attack") or not ("potential
attacks", "an imminent assault"); a hypothetical attack that was foiled or plotted
is a plot. Around it the rules read the place (after "in/at/near", or a name before
the noun: "the Moscow attack"), the date, the perpetrators ("by X", "X's attacks",
"X suicide bombers") and the toll. :mod:`kg.extract.events` groups mentions into events.

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

import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..records import Count
from .dates import DateMention
from .doc import Doc, Parsed, clause_start, first_after, nearest_before
from .text import words

if TYPE_CHECKING:
    from .events import Event

HEADS = {
    **dict.fromkeys(
        (
            "attack",
            "attacks",
            "assault",
            "assaults",
            "massacre",
            "massacres",
            "siege",
            "sieges",
            "ambush",
            "hijacking",
            "hijackings",
            "stabbing",
            "stabbings",
            "rampage",
        ),
        "attack",
    ),
    **dict.fromkeys(("bombing", "bombings", "blast", "blasts", "explosion", "explosions"), "bomb"),
    **dict.fromkeys(("shooting", "shootings"), "shoot"),
    **dict.fromkeys(("killing", "killings", "assassination", "assassinations", "murder"), "kill"),
    **dict.fromkeys(("poisoning", "poisonings"), "poison"),
    **dict.fromkeys(("strike", "strikes", "airstrike", "airstrikes"), "strike"),
    **dict.fromkeys(("plot", "plots", "conspiracy", "scheme"), "plot"),
}
HYPOTHETICAL = words("""potential possible future imminent impending upcoming planned plotting
plotted plot plan plans planning threatened threatening threaten threatens feared would
could might may will
can if any such prevent prevented thwart thwarted foil foiled avert averted
disrupt disrupted stop stopped against further new more""")
FOILED = words("""prevent prevented thwart thwarted foil foiled avert averted disrupt disrupted
arrested detained""")
PLOTTING = words("plot plots plotting plotted planning planned plan plans conspiracy")
#: Stems of stopping an attack before it happened ("thwarting", "foils", "blocked").
FOIL_STEMS = ("prevent", "thwart", "foil", "avert", "disrupt", "block", "stopp", "stop")


def foiled_word(norm: str) -> bool:
    """Whether a word says an attack was stopped: ``foils``, ``thwarting``, ``averted``.

    Example:
        >>> [foiled_word(w) for w in ("thwarting", "foils", "stop", "stoppage", "bomb")]
        [True, True, True, False, False]
    """
    return norm.startswith(FOIL_STEMS) and norm not in ("stoppage", "blockade", "stopover")


NEGATION = words("not never neither nor n't no little unable failed without")
AGENTS = words("""bomber bombers gunman gunmen militant militants attacker attackers terrorist
terrorists extremist extremists jihadists fighters operatives assailants insurgents""")
MODIFIERS = words("""suicide terrorist terror deadly deadliest twin double triple car truck bomb
drone missile air islamist jihadist militant extremist mass coordinated marathon
park market mosque church school hotel mall station airport bus train metro subway stadium
concert embassy shrine temple cafe restaurant nightclub club rally parade beach university
' s - 's""")
_STRONG = words("in at near inside outside across")
_WEAK = frozenset(["on", "of", "against"])
_PLACE_NOUNS = words("""city town capital province region village port soil territory border
district state""")
_FUNCTION = words("""and or but in on at of for to from with by during including where when which
that who as after before while since near into onto over under""")
_WINDOW_STOP = words(""", ; : which that who when where after before while as but because since
killing killed claimed""")
#: Verbs after "to" that make an attack a purpose, not a fact ("to stage an attack").
_TO_DO = words("carry launch stage mount commit conduct perpetrate execute attack")
_CARRY = words("carried perpetrated staged launched conducted committed masterminded")


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
    found: list[AttackMention] = []
    last_head = -99
    for k, tok in enumerate(p.toks):
        head = HEADS.get(tok.norm)
        if head is not None and not _is_noun(p, k, head):
            continue
        head = head or _verb_head(doc, p, k)
        if head is None:
            continue
        if k - last_head <= 14 and not set(p.words(last_head + 1, k)) & _WINDOW_STOP:
            continue  # "killing ... by a drone strike": one event, described once
        last_head = k
        noun = tok.text if tok.norm in HEADS else _VERB_NOUNS[head]
        m = AttackMention(p.index, k, head, noun, (tok.start, tok.end))
        cs = clause_start(p, k)
        before = p.words(max(cs, k - 4), k)
        wider = p.words(max(cs, k - 8), k)
        after = p.words(k + 1, k + 2)
        negated = any(w in NEGATION for w in p.words(0, k))
        foil_near = any(w in FOILED or foiled_word(w) for w in wider[-6:]) and not negated
        if p.words(k - 1, k) == ["than"] or (
            p.words(k - 2, k - 1) == ["than"] and p.toks[k - 1].norm in MODIFIERS
        ):
            before = []  # "deadlier than the bombings in Lisbon": a real attack, compared
        if any(w in ("planning", "plotting", "planned", "plotted") for w in wider):
            before = wider  # "suspected of planning a commando-style attack"
        if "to" in wider and any(w in _TO_DO for w in wider[wider.index("to") + 1 :]):
            before = [*before, "would"]  # "a mission to stage an attack": not done yet
        near = p.words(k - 2, k)
        hypothetical = (
            foil_near
            or any(
                w in HYPOTHETICAL and w not in FOILED and (w not in _QUANTITY or w in near)
                for w in before
            )
            or bool(after and after[0] in ("plan", "plans", "plot", "threat", "threats"))
        )
        m.foiled = foil_near or (
            (hypothetical or head == "plot")
            and not negated
            and any(w in FOILED or foiled_word(w) for w in p.words(0, len(p.toks)))
        )
        m.plot = head == "plot" or (
            hypothetical and (m.foiled or any(w in PLOTTING for w in before))
        )
        m.realis = not hypothetical and head != "plot"
        _read_attributes(doc, p, m)
        if set(p.words(k - 4, k)) & _GENERIC:
            # "a series of attacks in Kenya": a class of attacks, not one; it names no
            # place or date of its own.
            m.places, m.date = [], None
        found.extend(_split_by_state(doc, m))
    _assign_counts(doc, p, found)
    return found


#: Verbs that report an attack when attackers are their subject ("gunmen stormed the mall").
VERB_HEADS = {"stormed": "attack", "attacked": "attack", "bombed": "bomb", "rammed": "attack"}


_VERB_NOUNS = {"attack": "attack", "bomb": "bombing", "shoot": "shooting"}


#: Words that make an attack hypothetical only right before it ("more attacks"), not in
#: "asked for more guards before the bombings".
_QUANTITY = words("more further new any such against")
#: Words between an attack noun and a later date that hand the date to something else.
_OTHER_CLAUSE = words("since told warned informed alerted notified")
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


def _read_attributes(doc: Doc, p: Parsed, m: AttackMention) -> None:
    k = m.token
    end = k + 1
    while (
        end < min(len(p.toks), k + 18)
        and p.toks[end].norm not in _WINDOW_STOP
        and (p.toks[end].norm not in HEADS or end == k + 1)  # "shooting rampage in ..."
    ):
        end += 1
    m.places = _places_after(doc, p, k, end)
    # A name right before the noun: "the Moscow attack", "ISIS-K attack", "a U.S. drone strike".
    # (Not before a verb: "a bomber from Dagestan blew herself up" was not in Dagestan.)
    for mention in reversed(p.mentions if p.toks[k].norm in HEADS else []):
        if mention.last > k or k - mention.last > 3 or mention.form == "adj":
            continue
        if all(
            t.norm in MODIFIERS or (t.capitalised and t.text.isalpha())
            for t in p.toks[mention.last : k]
        ):
            known = doc.known(mention)
            if known.type == "group" or (known.type == "state" and m.head == "strike"):
                m.perps.append(known.id)
            elif known.type in ("place", "state") and not m.places:
                m.places.append(known.id)
        break
    _perpetrators(doc, p, m, end)
    m.date = _date_near(p, k)
    if m.head == "plot":
        m.target = _target(p, k)


def _places_after(doc: Doc, p: Parsed, k: int, end: int) -> list[str]:
    """Places named after the noun: after in/at/near first, else after on/of; with "and"."""
    found: dict[str, list[tuple[int, str]]] = {"strong": [], "weak": []}
    strength = None
    i = k + 1
    while i < end:
        norm = p.toks[i].norm
        if norm == "to" and p.toks[k].norm.startswith("siege"):
            norm = "in"  # "laid siege to Mumbai"
        if norm in _STRONG or norm in _WEAK:
            strength = "strong" if norm in _STRONG else "weak"
        elif norm == "from":
            strength = None  # "a bomber from Dagestan": where the attacker came from
        mention = p.mention_at(i)
        if mention is None or mention.first != i:
            i += 1
            continue
        i = mention.last
        known = doc.known(mention)
        nxt = p.toks[mention.last] if mention.last < len(p.toks) else None
        attributive = (
            nxt is not None
            and nxt.text.isalpha()
            and nxt.text.islower()
            and nxt.norm not in _FUNCTION
        )
        if strength is None or known.type not in ("place", "state"):
            continue
        if known.type == "state" and p.words(mention.first - 1, mention.first) == ["outside"]:
            continue  # "an attack outside Somalia": anywhere but there
        if nxt is not None and nxt.norm == "-":
            continue  # "Afghanistan-style attacks": a manner, not a place
        if mention.form == "adj" and not (
            nxt is not None and nxt.norm in _PLACE_NOUNS and nxt.text.islower()
        ):
            continue  # "the Iranian city of Kerman", not "the Ethiopian Village restaurant"
        if mention.form == "people":
            continue  # "blamed on Palestinians": who, not where
        if attributive and known.type == "state" and mention.form != "adj":
            continue  # "the US embassies in Kenya": the embassies are in Kenya
        found[strength].append((mention.first, known.id))
    chosen = found["strong"] or found["weak"]
    if not chosen:
        return []
    if doc.lex.known(chosen[0][1]).type == "state":
        # "in the Iranian city of Kerman": the city, named just after, is the place.
        later = [
            c
            for c in found["strong"] + found["weak"]
            if 0 < c[0] - chosen[0][0] <= 5
            and doc.lex.known(c[1]).type == "place"
            and doc.state_of(c[1]) == chosen[0][1]
        ]
        if later:
            chosen = later
    places = [chosen[0][1]]
    for (prev_first, _), (first, ident) in itertools.pairwise(chosen):
        if set(p.words(first - 2, first)) & {"and", ","} and first - prev_first <= 6:
            places.append(ident)
        else:
            break
    return _specific(doc, list(dict.fromkeys(places)))


def _specific(doc: Doc, places: list[str]) -> list[str]:
    """Drop a state when a place in it is also named ("in the Iranian city of Kerman")."""
    states_covered = {doc.state_of(p) for p in places if doc.lex.known(p).type == "place"}
    return [p for p in places if not (doc.lex.known(p).type == "state" and p in states_covered)]


def _perpetrators(doc: Doc, p: Parsed, m: AttackMention, end: int) -> None:
    k = m.token
    for i in range(k + 1, end):
        if p.toks[i].norm == "by":
            found = first_after(doc, p, i, 7, types=("group", "person", "state"))
            if found is not None:
                m.perps.append(found[1])
            break
    # Possessive: "al-Qaeda's August 7, 1998, attacks".
    i = k - 1
    while i >= max(0, k - 9) and (
        p.toks[i].norm in MODIFIERS
        or p.toks[i].norm == ","
        or p.toks[i].norm.isdigit()
        or p.toks[i].capitalised
        and p.mention_at(i) is None
    ):
        if p.toks[i].norm == "s" and i >= 2 and p.toks[i - 1].norm == "'":
            owner = p.mention_at(i - 2)
            if owner is not None and doc.known(owner).type in ("group", "person"):
                m.perps.append(owner.entity)
            break
        i -= 1
    # Agents: "ISIS-K suicide bombers killed ...".
    for mention in p.mentions:
        words = p.words(mention.last, mention.last + 2)
        if (
            words
            and (words[0] in AGENTS or words[:2] == ["suicide", words[-1]] and words[-1] in AGENTS)
            and abs(mention.last - k) <= 14
        ) and doc.known(mention).type == "group":
            m.perps.append(mention.entity)
    # Subjects of "carried out", "perpetrated"... the noun.
    for i in range(max(0, k - 6), k):
        if p.toks[i].norm in _CARRY:
            found = nearest_before(doc, p, i, 12, types=("group", "person"))
            if found is not None:
                m.perps.append(found[1])
    m.perps = list(dict.fromkeys(m.perps))


def _date_near(p: Parsed, k: int) -> DateMention | None:
    best, best_distance = None, 99
    for date in p.dates:
        if date.anchor is not None and 0 <= k - p.token_at(date.end - 1) <= 3:
            return None  # "two weeks before the attack": the date there is not the attack's
        if date.anchor is not None:
            continue
        first, last = p.token_at(date.start), p.token_at(date.end - 1)
        if {"since", "until"} & set(p.words(first - 2, first)):
            continue  # "the deadliest attack since the 1979 revolution": a period's start
        between = set(p.words(k + 1, first)) if first > k else set()
        if between & _OTHER_CLAUSE:
            continue  # "attack: Belgium had been told ... as early as 2016", "since ... in 1989"
        if last < k and k - last <= 8:
            distance = k - last
        elif last < k and first <= clause_start(p, k) + 1 and k - last <= 24:
            distance = 20  # "On December 16, militants carried out the attack": the clause's date
        elif first > k and first - k <= 15:
            distance = first - k
        else:
            continue
        lo, hi = sorted((k, first))
        began = p.words(k + 1, k + 4)[:3] in (
            [",", "which", w] for w in ("began", "started", "happened", "occurred", "unfolded")
        )  # "The attacks, which began on November 26, 2008"
        if any(t.norm in HEADS for t in p.toks[lo + 1 : hi]) or (
            first > k and not began and any(t.norm in (",", ";") for t in p.toks[k + 1 : first])
        ):
            continue
        if distance < best_distance:
            best, best_distance = date, distance
    return best


def _target(p: Parsed, k: int) -> str | None:
    words = p.words(k + 1, k + 3)
    if not words or words[0] not in ("to", "against", "targeting"):
        return None
    start = k + 2 if words[0] == "to" and len(words) > 1 else k + 1
    if words[0] == "to":
        start = k + 3
    stop = start
    while stop < min(len(p.toks), start + 8) and p.toks[stop].norm not in _WINDOW_STOP:
        stop += 1
    if stop <= start:
        return None
    return " ".join(t.text for t in p.toks[start:stop]).replace(" ' s", "'s")


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
            _perpetrators(doc, p, target, index)
            target.date = _date_near(p, index)
            found.append(target)
        (target.killed if count.what == "killed" else target.injured).append(count.count)
        target.realis, target.plot = True, False
    for m in found:
        if m.realis and not m.places and not m.bare():
            m.places = _places_in_sentence(doc, p, m.token)


def _places_in_sentence(doc: Doc, p: Parsed, k: int) -> list[str]:
    """The place after "in/at/near" nearest to token ``k`` (a fallback)."""
    best, distance = None, 99
    for mention in p.mentions:
        before = p.toks[mention.first - 1].norm if mention.first else ""
        known = doc.known(mention)
        if (
            before in ("in", "at", "near")
            and known.type == "place"
            and abs(mention.first - k) < distance
        ):
            best, distance = known.id, abs(mention.first - k)
    return [best] if best else []
