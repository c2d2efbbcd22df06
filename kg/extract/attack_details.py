"""What an attack mention says around its word: where (after "in/at/near", or a name before
it: "the Moscow attack"), who ("by X", "X's attacks", "X suicide bombers", "X carried out"),
when (the nearest date of its clause), and against what (a plot's target).

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("kerman", "place", "Kerman", state="iran"),
    ...                          Entity("iran", "state", "Iran"))))
    >>> p = read("A bombing in Kerman on January 3, 2024 shocked Iran.", lex, None).sentences[0]
    >>> d = date_near(p, 1)
    >>> d.value.value, _places_after(read("", lex, None), p, 1, len(p.toks))
    ('2024-01-03', ['kerman'])
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from .attack_words import AGENTS, HEADS, MODIFIERS, WINDOW_STOP
from .dates import DateMention
from .doc import Doc, Parsed, clause_start, first_after, nearest_before
from .gazetteer import Mention
from .text import words

if TYPE_CHECKING:
    from .attacks import AttackMention

_STRONG = words("in at near inside outside across")
_WEAK = frozenset(["on", "of", "against"])
_PLACE_NOUNS = words("""city town capital province region village port soil territory border
district state""")
_FUNCTION = words("""and or but in on at of for to from with by during including where when which
that who as after before while since near into onto over under""")
_CARRY = words("carried perpetrated staged launched conducted committed masterminded")
#: Words between an attack noun and a later date that hand the date to something else.
_OTHER_CLAUSE = words("since told warned informed alerted notified")


def read_attributes(doc: Doc, p: Parsed, m: AttackMention) -> None:
    """Read the place, perpetrators, date and (of a plot) target around mention ``m``."""
    k = m.token
    end = k + 1
    while (
        end < min(len(p.toks), k + 18)
        and p.toks[end].norm not in WINDOW_STOP
        and (p.toks[end].norm not in HEADS or end == k + 1)  # "shooting rampage in ..."
    ):
        end += 1
    m.places = _places_after(doc, p, k, end)
    if p.toks[k].norm in HEADS:
        _name_before(doc, p, m)
    perpetrators(doc, p, m, end)
    m.date = date_near(p, k)
    if m.head == "plot":
        m.target = _target(p, k)


def _name_before(doc: Doc, p: Parsed, m: AttackMention) -> None:
    """A name right before the noun: "the Moscow attack" (a place, if none is named after
    it), "ISIS-K attack", "a U.S. drone strike" (a perpetrator). Not before a verb: "a
    bomber from Dagestan blew herself up" was not in Dagestan."""
    k = m.token
    mention = next((x for x in reversed(p.mentions)
                    if not (x.last > k or k - x.last > 3 or x.form == "adj")), None)
    if mention is None or not all(t.norm in MODIFIERS or (t.capitalised and t.text.isalpha())
                                  for t in p.toks[mention.last : k]):
        return
    known = doc.known(mention)
    if known.type == "group" or (known.type == "state" and m.head == "strike"):
        m.perps.append(known.id)
    elif known.type in ("place", "state") and not m.places:
        m.places.append(known.id)


def _places_after(doc: Doc, p: Parsed, k: int, end: int) -> list[str]:
    """Places named after the noun: after in/at/near first, else after on/of; with "and"."""
    found = _places_by_strength(doc, p, k, end)
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


def _places_by_strength(doc: Doc, p: Parsed, k: int, end: int
                        ) -> dict[str, list[tuple[int, str]]]:
    """(token, place) of the places in tokens ``(k, end)``: ``strong`` after in/at/near,
    ``weak`` after on/of; none after "from" (where the attacker came from)."""
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
        if strength is not None and known.type in ("place", "state") \
                and _where(p, mention, known.type):
            found[strength].append((mention.first, known.id))
    return found


def _where(p: Parsed, mention: Mention, kind: str) -> bool:
    """Whether a state or place named after an attack word says where it was, not a
    manner ("Afghanistan-style"), who ("Palestinians") or what ("the US embassies")."""
    nxt = p.toks[mention.last] if mention.last < len(p.toks) else None
    attributive = (
        nxt is not None
        and nxt.text.isalpha()
        and nxt.text.islower()
        and nxt.norm not in _FUNCTION
    )
    if kind == "state" and p.words(mention.first - 1, mention.first) == ["outside"]:
        return False  # "an attack outside Somalia": anywhere but there
    if nxt is not None and nxt.norm == "-":
        return False  # "Afghanistan-style attacks": a manner, not a place
    if mention.form == "adj" and not (
        nxt is not None and nxt.norm in _PLACE_NOUNS and nxt.text.islower()
    ):
        return False  # "the Iranian city of Kerman", not "the Ethiopian Village restaurant"
    if mention.form == "people":
        return False  # "blamed on Palestinians": who, not where
    # "the US embassies in Kenya": the embassies are in Kenya
    return not (attributive and kind == "state" and mention.form != "adj")


def _specific(doc: Doc, places: list[str]) -> list[str]:
    """Drop a state when a place in it is also named ("in the Iranian city of Kerman")."""
    states_covered = {doc.state_of(p) for p in places if doc.lex.known(p).type == "place"}
    return [p for p in places if not (doc.lex.known(p).type == "state" and p in states_covered)]


def perpetrators(doc: Doc, p: Parsed, m: AttackMention, end: int) -> None:
    """Who carried the attack out: "by X", "X's attacks", "X suicide bombers", "X carried
    out the attack" (added to what the mention has, each once)."""
    k = m.token
    m.perps.extend(_perp_by(doc, p, k, end))
    m.perps.extend(_perp_possessive(doc, p, k))
    m.perps.extend(_perp_agents(doc, p, k))
    m.perps.extend(_perp_carried(doc, p, k))
    m.perps = list(dict.fromkeys(m.perps))


def _perp_by(doc: Doc, p: Parsed, k: int, end: int) -> list[str]:
    """"an attack by al-Shabaab": the actor after the first "by"."""
    for i in range(k + 1, end):
        if p.toks[i].norm == "by":
            found = first_after(doc, p, i, 7, types=("group", "person", "state"))
            return [found[1]] if found is not None else []
    return []


def _perp_possessive(doc: Doc, p: Parsed, k: int) -> list[str]:
    """"al-Qaeda's August 7, 1998, attacks": a group or person owning the attack."""
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
                return [owner.entity]
            return []
        i -= 1
    return []


def _perp_agents(doc: Doc, p: Parsed, k: int) -> list[str]:
    """"ISIS-K suicide bombers killed ...": groups named before a word for attackers."""
    found = []
    for mention in p.mentions:
        words = p.words(mention.last, mention.last + 2)
        if (
            words
            and (words[0] in AGENTS or words[:2] == ["suicide", words[-1]] and words[-1] in AGENTS)
            and abs(mention.last - k) <= 14
        ) and doc.known(mention).type == "group":
            found.append(mention.entity)
    return found


def _perp_carried(doc: Doc, p: Parsed, k: int) -> list[str]:
    """Subjects of "carried out", "perpetrated"... the noun."""
    found = []
    for i in range(max(0, k - 6), k):
        if p.toks[i].norm in _CARRY:
            subject = nearest_before(doc, p, i, 12, types=("group", "person"))
            if subject is not None:
                found.append(subject[1])
    return found


def date_near(p: Parsed, k: int) -> DateMention | None:
    """The date of the attack word at token ``k``: the nearest date phrase of its clause
    that no other attack word or clause stands between; none when a date is counted from
    it ("two weeks before the attack")."""
    best, best_distance = None, 99
    for date in p.dates:
        if date.anchor is not None and 0 <= k - p.token_at(date.end - 1) <= 3:
            return None  # "two weeks before the attack": the date there is not the attack's
        distance = _date_distance(p, k, date)
        if distance is not None and distance < best_distance:
            best, best_distance = date, distance
    return best


def _date_distance(p: Parsed, k: int, date: DateMention) -> int | None:
    """How far a date phrase is from the attack word at ``k`` (20: the clause's opening
    date); None when it cannot be the attack's date."""
    if date.anchor is not None:
        return None
    first, last = p.token_at(date.start), p.token_at(date.end - 1)
    if {"since", "until"} & set(p.words(first - 2, first)):
        return None  # "the deadliest attack since the 1979 revolution": a period's start
    between = set(p.words(k + 1, first)) if first > k else set()
    if between & _OTHER_CLAUSE:
        return None  # "attack: Belgium had been told ... as early as 2016", "since ... in 1989"
    if last < k and k - last <= 8:
        distance = k - last
    elif last < k and first <= clause_start(p, k) + 1 and k - last <= 24:
        distance = 20  # "On December 16, militants carried out the attack": the clause's date
    elif first > k and first - k <= 15:
        distance = first - k
    else:
        return None
    return None if _kept_apart(p, k, first) else distance


def _kept_apart(p: Parsed, k: int, first: int) -> bool:
    """Whether another attack word, or a comma after the attack word (but not ", which
    began"), stands between it and a date starting at token ``first``."""
    lo, hi = sorted((k, first))
    began = p.words(k + 1, k + 4)[:3] in (
        [",", "which", w] for w in ("began", "started", "happened", "occurred", "unfolded")
    )  # "The attacks, which began on November 26, 2008"
    return any(t.norm in HEADS for t in p.toks[lo + 1 : hi]) or (
        first > k and not began and any(t.norm in (",", ";") for t in p.toks[k + 1 : first])
    )


def _target(p: Parsed, k: int) -> str | None:
    words = p.words(k + 1, k + 3)
    if not words or words[0] not in ("to", "against", "targeting"):
        return None
    start = k + 2 if words[0] == "to" and len(words) > 1 else k + 1
    if words[0] == "to":
        start = k + 3
    stop = start
    while stop < min(len(p.toks), start + 8) and p.toks[stop].norm not in WINDOW_STOP:
        stop += 1
    if stop <= start:
        return None
    return " ".join(t.text for t in p.toks[start:stop]).replace(" ' s", "'s")


def places_in_sentence(doc: Doc, p: Parsed, k: int) -> list[str]:
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
