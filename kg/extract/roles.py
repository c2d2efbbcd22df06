"""Who warned whom: the actors in a warning's roles, found through the sentence and its neighbours.

A subject before the verb, unless a verb of saying stands between ("British officials say the
agency warned MI6": the officials report it); a pronoun or "the agency" stands for an actor of
the sentences before; "its British counterpart, MI5" is MI5; "local officials" belong to the
story's dateline; an unnamed agent ("by foreign intelligence agencies") is proposed as written;
lists need their "and". Armed groups threaten: they are never warner or recipient.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("jordan", "state", "Jordan"),
    ...                          Entity("iraq", "state", "Iraq"))))
    >>> doc = read("Jordan tracked the cell. It warned Iraq of a bombing.", lex, None)
    >>> p = doc.sentences[1]
    >>> subject(doc, p, 1)[1]
    'jordan'
"""

from __future__ import annotations

from .doc import (
    LOCATIVE,
    PRONOUNS,
    REPORTING,
    Doc,
    Parsed,
    clause_start,
    first_after,
    nearest_before,
)
from .gazetteer import Mention
from .text import words


def not_located(p: Parsed, found: tuple[Mention, str] | None) -> tuple[Mention, str] | None:
    """``warned its citizens in Lebanon``: a state named after "in" is where, not whom."""
    if found is not None and p.words(found[0].first - 1, found[0].first)[:1] in (["in"], ["at"]):
        return None
    return found


def named(doc: Doc, p: Parsed, found: tuple[Mention, str] | None) -> tuple[Mention, str] | None:
    """``its British counterpart, MI5,``: the agency the apposition names, of that state."""
    if found is None or p.words(found[0].last, found[0].last + 1) != [","]:
        return found
    nxt = p.mention_at(found[0].last + 1) or (
        p.mention_at(found[0].last + 2)
        if p.words(found[0].last + 1, found[0].last + 2) == ["the"]
        else None
    )
    if nxt is None:
        return found
    actor = doc.actor(p, nxt)
    if (
        actor
        and doc.lex.known(actor).type == "agency"
        and doc.state_of(actor) == doc.state_of(found[1])
    ):
        return nxt, actor
    return found


def local_actor(doc: Doc, p: Parsed, i: int) -> tuple[Mention, str] | None:
    """``local officials``, ``the local police``: the state where the story takes place.

    That is the state of a place named in the sentence, or else in the article's first
    sentence (its dateline).
    """
    words = p.words(i, i + 4)
    if words[:1] == ["the"]:
        words = words[1:]
    if words[:1] != ["local"] or len(words) < 2 or words[1] not in _LOCAL_NOUNS:
        return None
    for q in (p, doc.sentences[0]):
        for m in q.mentions:
            known = doc.known(m)
            state = known.state if known.type == "place" else None
            if state and doc.lex.known(state).type == "state":
                return m, state
    return None


#: Verbs of denying or disputing: "the embassy denied it had warned" is a disputed warning.
DENY = words("denied denies deny disputed disputes rejected insisted claimed claims admitted")


#: Verbs of saying, believing or denying: whoever is before them reports the warning.
SAYING = REPORTING | DENY | words("say saying reported reports believe believed wrote writes")


_LOCAL_NOUNS = words("officials authorities police government security officers")


def joined(doc: Doc, p: Parsed, actor: str, k: int) -> list[str]:
    """``warned by France and Spain``: the actors joined to ``actor``.

    A list needs its "and" ("France, Belgium and Italy"); a comma alone ends a quote or
    starts an apposition, and a person is never listed with a state.
    """
    mentions = [m for m in p.mentions if doc.actor(p, m) == actor and abs(m.first - k) <= 12]
    if not mentions:
        return []
    found: list[str] = []
    joined = False
    i = mentions[0].last
    while i < len(p.toks) and p.toks[i].norm in ("and", ","):
        nxt = first_after(doc, p, i, 2)
        if nxt is None or nxt[0].first > i + 2 or not can_act(doc, nxt[1]):
            break
        if (doc.lex.known(nxt[1]).type == "person") != (doc.lex.known(actor).type == "person"):
            break
        joined = joined or "and" in p.words(i, nxt[0].first)
        found.append(nxt[1])
        i = nxt[0].last
    first = mentions[0].first
    before = p.mention_at(first - 2) if p.words(first - 1, first) == ["and"] else None
    if before is not None and before.form == "adj" and doc.known(before).type == "state":
        # "their British and Emirati counterparts": the adjective shares the noun
        found.append(before.entity)
        joined = True
    return found if joined else []


def as_did(doc: Doc, p: Parsed, k: int) -> list[str]:
    """``X contacted Malta about a threat, as did Canada``: the others."""
    found = []
    for i in range(k + 1, len(p.toks) - 1):
        if p.toks[i].norm == "as" and p.toks[i + 1].norm in ("did", "had", "have", "has", "do"):
            actor = first_after(doc, p, i + 1, 3)
            if actor is not None and can_act(doc, actor[1]):
                found.append(actor[1])
    return found


def state_or_home(doc: Doc, actor: str) -> str:
    """An actor's state; for a named agency of no known state ("the National Police"),
    the state of the story's dateline, where local bodies usually belong."""
    known = doc.lex.known(actor)
    if known.type == "agency" and not known.state and known.label[:1].isupper():
        return home_state(doc) or actor
    return doc.state_of(actor)


def home_state(doc: Doc) -> str | None:
    """The state of the first place the article names (its dateline: "JAKARTA -")."""
    for p in doc.sentences[:2]:
        for m in p.mentions:
            known = doc.known(m)
            state = m.entity if known.type == "state" else known.state
            if state and doc.lex.known(state).type == "state":
                return state
    return None


def stateless_person(doc: Doc, actor: str) -> bool:
    known = doc.lex.known(actor)
    return known.type == "person" and not known.state


def advisory(doc: Doc, actor: str) -> bool:
    """An embassy warning no one in particular: a security alert to its own citizens."""
    known = doc.lex.known(actor)
    return any(w in known.label.lower() for w in ("embassy", "consulate", "mission"))


def can_act(doc: Doc, actor: str) -> bool:
    """Armed groups threaten; they do not warn states, nor receive their warnings."""
    return doc.lex.known(actor).type != "group"


#: "he", "the agency": a subject that names an actor of an earlier sentence.
_ANAPHORS = {
    "he": ("person",),
    "she": ("person",),
    "it": ("state", "agency"),
    "they": ("state", "agency", "person"),
    "agency": ("agency",),
    "bureau": ("agency",),
    "service": ("agency",),
    "ministry": ("agency",),
    "embassy": ("agency", "state"),
    "government": ("state",),
    "country": ("state",),
    "officials": ("state", "agency"),
}


def subject(doc: Doc, p: Parsed, k: int) -> tuple[Mention, str] | None:
    """Who acts at token ``k``: the actor right before it, or what a pronoun stands for.

    An actor before a verb of saying is who said it ("British officials say the agency
    warned MI6"), not who warned: the subject is looked for after that verb.
    """
    found = nearest_before(doc, p, k)
    if found is not None and not any(t.norm in SAYING for t in p.toks[found[0].last : k]):
        return found
    i = k - 1
    while i >= 0 and (p.toks[i].norm in SUBJECT_SKIP or p.toks[i].norm.endswith("ly")):
        i -= 1
    if i < 0 or p.mention_at(i) is not None:
        return None
    country = next(
        (
            j
            for j in range(max(clause_start(p, k), k - 8), k)
            if p.words(j - 1, j + 2) == ["the", "country", "'"]
        ),
        None,
    )
    if country is not None:
        return _the_country(doc, p, country)
    word = p.toks[i].norm
    if _described(p, i):
        # "a foreign intelligence service had informed Belgian authorities": unnamed, proposed
        return phrase_before(doc, p, i)
    if word not in _ANAPHORS or (word not in PRONOUNS and p.words(i - 1, i) != ["the"]):
        return None
    return _anaphor(doc, p, i)


def _described(p: Parsed, i: int) -> bool:
    """Whether the word at ``i`` ends an actor described, not named: "a foreign
    intelligence service" (not "the agency" or "its service", which refer back)."""
    word = p.toks[i].norm
    if word in _PHRASE_HEADS and word not in _ANAPHORS:
        return True
    return (word in _ANAPHORS and p.words(i - 1, i) not in (["the"], ["its"])
            and word not in PRONOUNS)


def _the_country(doc: Doc, p: Parsed, country: int) -> tuple[Mention, str] | None:
    """"the country's intelligence agency had been warned": the state just named."""
    for m in reversed(p.mentions):
        if m.last <= country and doc.known(m).type == "state":
            return m, m.entity
    return antecedent(doc, p, ("state",))


def _anaphor(doc: Doc, p: Parsed, i: int) -> tuple[Mention, str] | None:
    """What the pronoun or "the agency" at token ``i`` stands for: who said it ("Turkish
    officials said they had alerted ..."), else the actor of its type named before."""
    word = p.toks[i].norm
    j = next(
        (
            x
            for x in range(i - 1, max(clause_start(p, i) - 1, i - 9), -1)
            if p.toks[x].norm in SAYING
        ),
        -1,
    )  # "Slovak police confirmed in a post that they had informed ..."
    if word in PRONOUNS and j >= 0:
        said = nearest_before(doc, p, j)
        if said is not None:
            return said
    return antecedent(doc, p, _ANAPHORS[word])


SUBJECT_SKIP = words("""had has have also then publicly privately repeatedly reportedly already
secretly quietly recently officially formally previously once first later indeed been twice
again both all " '""")


def antecedent(doc: Doc, p: Parsed, types: tuple[str, ...]) -> tuple[Mention, str] | None:
    """The first actor of the right type in the nearest of the two sentences before."""
    for back in range(p.index - 1, max(-1, p.index - 3), -1):
        earlier = doc.sentences[back]
        for m in earlier.mentions:
            actor = doc.actor(earlier, m)
            if actor is None or not can_act(doc, actor):
                continue
            if doc.lex.known(actor).type in types:
                return m, actor
    return None


def scene_state(doc: Doc, p: Parsed, warner: tuple[Mention, str]) -> str | None:
    """The state, other than the warner's, where the sentence's action takes place:
    an agency or person acting first, then a state named, then a place."""
    state = doc.state_of(warner[1])

    def tier(m: Mention) -> int:
        known, before = doc.known(m), p.words(m.first - 1, m.first)
        if known.type == "place" or (before and before[0] in LOCATIVE):
            return 2
        return 0 if known.type in ("agency", "person") else 1

    for m in sorted(p.mentions, key=tier):
        known = doc.known(m)
        if m is warner[0]:
            continue
        other = doc.state_of(known.id) if known.type != "place" else known.state
        if other and other != state and doc.lex.known(other).type == "state":
            return other
    return None


#: Heads of a noun phrase that names an unnamed actor: "foreign intelligence agencies".
_PHRASE_HEADS = {
    **dict.fromkeys(
        words("""agencies agency services service intelligence police authorities officials
        governments partners allies spies sources"""),
        "agency",
    ),
    **dict.fromkeys(words("caller tipster informant informants witness"), "person"),
}


_PHRASE_SKIP = words("the a an some several other unnamed unidentified its their")


def phrase_before(doc: Doc, p: Parsed, head: int) -> tuple[Mention, str] | None:
    """An unnamed actor whose noun phrase ends at ``head``: "a foreign intelligence service"."""
    first = head
    while (
        first > 0
        and p.toks[first - 1].is_word
        and p.mention_at(first - 1) is None
        and (p.toks[first - 1].norm not in _PHRASE_SKIP and head - first < 3)
    ):
        first -= 1
    if first == head or p.words(first - 1, first)[:1] not in (["a"], ["an"], ["the"], ["some"]):
        return None  # a bare "officials", or a phrase that is not a subject's
    return phrase_actor(doc, p, first - 1)


def phrase_actor(doc: Doc, p: Parsed, i: int) -> tuple[Mention, str] | None:
    """An actor the text describes but does not name, after ``by`` / ``from`` at ``i``.

    "by foreign intelligence agencies" proposes *foreign intelligence agencies*, an
    agency of no known state; the reviewer names it or deletes the claim.
    """
    j = i + 1
    while j < len(p.toks) and p.toks[j].norm in _PHRASE_SKIP:
        j += 1
    first = j
    while j < min(len(p.toks), first + 4) and p.toks[j].is_word and p.mention_at(j) is None:
        if p.toks[j].norm in _PHRASE_HEADS:
            while j + 1 < len(p.toks) and p.toks[j + 1].norm in _PHRASE_HEADS:
                j += 1  # "intelligence agencies": the head is the last noun
            if j == first:
                return None  # a bare "officials": too vague to propose
            label = " ".join(t.text for t in p.toks[first : j + 1])
            kind = _PHRASE_HEADS[p.toks[j].norm]
            ident = doc.lex.propose(label, kind, None, label)
            tok = p.toks
            return Mention(first, j + 1, tok[first].start, tok[j].end, ident, "new"), ident
        j += 1
    return None
