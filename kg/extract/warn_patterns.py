"""The constructions that state a warning: verbs, passives, nouns, calls, tips acted on elsewhere.

Each pattern looks at one trigger word of a sentence and returns ``(warner, recipient,
pattern, confidence)`` or None; :mod:`kg.extract.warn_rules` decides whether it is a warning
(words of threat), splits it per date and merges it with the article's other warnings.

- ``X warned / alerted / notified / informed / tipped off / briefed / contacted Y``,
  ``X told Y`` (with words of threat); the passive ``Y was warned by X``;
- ``X shared / passed / conveyed / issued ... a warning / intelligence ... to|with Y``,
  ``intelligence passed to Y by X``, ``information provided by X helped Y``;
- ``X's warning to Y``, ``a tip-off from X``, ``Y received / ignored a warning from X``;
- ``X telephoned Y ... to warn``, ``X called Y, warning of ...``;
- ``a Moroccan tip-off led police to ... in Paris`` (the state where it was acted on).

Negated, hypothetical and infinitive triggers ("no government had warned", "would never
warn", "a duty to warn them") are refused by :func:`not_done`.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("belgium", "state", "Belgium"),
    ...                          Entity("netherlands", "state", "Netherlands"))))
    >>> doc = read("Dutch police were tipped off by Belgian intelligence.", lex, None)
    >>> p = doc.sentences[0]
    >>> verb(doc, p, [t.norm for t in p.toks].index("tipped"))[2]
    'passive'
"""

from __future__ import annotations

from .doc import Doc, Parsed, clause_start, first_after, nearest_before
from .gazetteer import Mention
from .roles import (
    SUBJECT_SKIP,
    antecedent,
    as_did,
    can_act,
    local_actor,
    named,
    not_located,
    phrase_actor,
    scene_state,
    subject,
)
from .text import words

WARN_VERBS = words("""warn warns warned alert alerts alerted alerting notify notifies notified
notifying inform informs informed informing caution cautioned cautioning forewarn forewarned
tipped tipping briefed contacted flagged""")


#: Verbs of telling that are a warning only with the recipient right after and words of threat.
TELL_VERBS = words("told tell tells telling")


#: Verbs that warn without naming a recipient: "the agency warned of a serious threat".
OPEN_VERBS = words("warn warns warned warning cautioned alerted signalled signaled")


PASS_VERBS = words("""share shares shared sharing pass passes passed conveyed convey provided
provide gave give given sent send relayed relay transmitted delivered issued issue
forwarded handed""")


WARN_NOUNS = words("""warning warnings tip tips tip-off tip-offs tipoff tipoffs alert alerts heads
heads-up advisory advisories""")


INFO_NOUNS = WARN_NOUNS | words(
    """intelligence information info details indications name names number numbers data
    assessment assessments note dossier inputs input intel leads report reports memo letter
    cable message material"""
)


RECEIVE_VERBS = words("""received receive receives got ignored ignore missed dismissed heeded heed
rejected disregarded follow followed acted act""")


NOT_DONE = words("not never n't would could should might must will to cannot can if whether")


OBJECT_STOP = words("of about that on over regarding against to , ; : .")


VERBAL = words("was were been being is are")


#: Verbs of getting in touch: "X telephoned Y ... to warn that", "X called Y, warning of".
CALL_VERBS = words("""called phoned telephoned rang wrote met contacted visited summoned cabled
briefed messaged""")


def call_to_warn(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X called Y two days before, warning about a plot``: X warned Y."""
    before = p.words(k - 1, k)
    if not before or before[0] not in ("to", ","):
        return None
    for i in range(k - 2, max(clause_start(p, k) - 1, k - 26), -1):
        if p.toks[i].norm in CALL_VERBS and not not_done(p, i):
            warner = subject(doc, p, i)
            recipient = first_after(doc, p, i, 5, OBJECT_STOP)
            if warner and recipient:
                return warner[1], recipient[1], "verb", 0.8
            return None
    return None


def says_what(p: Parsed, k: int) -> bool:
    """``warned (two weeks ago) of / about / that ...``: what was warned of follows the verb."""
    dated = {i for d in p.dates for i in range(p.token_at(d.start), p.token_at(d.end - 1) + 1)}
    dated |= {i - 1 for i in dated if p.toks[i - 1].norm in ("on", "in", "last", "this")}
    after = [
        p.toks[i].norm
        for i in range(k + 1, min(len(p.toks), k + 8))
        if i not in dated and not p.toks[i].norm.endswith("ly") and p.toks[i].norm not in _SAY_SKIP
    ]
    if after[:1] and after[0] in ("a", "an", "the"):
        return any(w.startswith(_THREAT_NOUNS) for w in after[1:4])
    return bool(after) and after[0] in ("of", "about", "that", "against")


_THREAT_NOUNS = ("threat", "attack", "plot", "danger", "risk", "bomb")


def passive(p: Parsed, k: int) -> bool:
    """``was warned``, ``were first warned``: the subject is who was warned."""
    before = p.words(k - 3, k)
    return any(w in VERBAL for w in before[-2:]) and not p.words(k - 1, k) == ["has"]


#: "on high alert", "a terror alert": the state of alert, not somebody alerting.
ALERT_STATE = words("on high heightened maximum red an a the of security terror top state")


_SAY_SKIP = words("had has have been also again repeatedly publicly privately")


def tell(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X told Y (that) ... plot``: the recipient right after the verb."""
    if p.words(k - 1, k) in ([","], ['"'], ["'"]):
        return None  # "..., a source told the newspaper": who said it, not who warned
    if p.words(k - 2, k) and p.words(k - 2, k)[-1] in VERBAL:
        recipient = nearest_before(doc, p, k)
        by = next(
            (i for i in range(k + 1, min(len(p.toks), k + 6)) if p.toks[i].norm == "by"), None
        )
        warner = first_after(doc, p, by, 5) if by is not None else None
        if recipient and warner:
            return warner[1], recipient[1], "passive", 0.75
        return None
    warner = subject(doc, p, k)
    recipient = first_after(doc, p, k, 3, OBJECT_STOP)
    if recipient and doc.known(recipient[0]).type == "place":
        return None  # "told the Munich Security Conference": an audience, not a recipient
    if warner and recipient:
        return warner[1], recipient[1], "verb", 0.7
    return None


def tip_to_scene(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``a tip-off from X led police to ... in Paris``: the state where it was acted on."""
    after = p.words(k + 1, k + 6)
    if "from" not in after and "by" not in after:
        # "a Moroccan tip-off", "Morocco's tip" (not "the US says tips ...")
        possessive = p.words(k - 2, k) == ["'", "s"]
        before = p.mention_at(k - 3 if possessive else k - 1)
        actor = doc.actor(p, before, adjective=True) if before is not None else None
        warner = (before, actor) if before is not None and actor is not None else None
    else:
        i = k + 1 + (after.index("from") if "from" in after else after.index("by"))
        warner = first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
    if warner is None or not can_act(doc, warner[1]):
        return None
    other = scene_state(doc, p, warner)
    return (warner[1], other, "scene", 0.5) if other else None


def not_done(p: Parsed, k: int) -> bool:
    """Negated, infinitive or hypothetical: "would never warn", "a duty to warn them",
    "no foreign government had warned"."""
    before = p.words(max(clause_start(p, k), k - 3), k)
    subject = p.words(max(clause_start(p, k), k - 6), k)
    if "no" in subject and "that" not in subject[subject.index("no") :]:
        return True
    if before[-1:] == ["to"] and (p.toks[k].norm in WARN_VERBS or p.toks[k].norm in PASS_VERBS):
        return True
    if p.toks[k].norm in WARN_NOUNS:
        return any(w in NOT_DONE and w != "to" or w in ("no", "without") for w in before)
    return before[-1:] == ["to"] or any(w in NOT_DONE and w != "to" for w in before)


def verb(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X warned Y`` (its subject warned its object), or ``Y was warned by X``."""
    if _passive_form(p, k):
        return _passive_verb(doc, p, k)
    if own_threat(p, k):
        return None
    warner = subject(doc, p, k)
    start = k + 1 if p.toks[k].norm not in ("tipped", "tipping") else k + 2
    recipient = first_after(doc, p, start - 1, 6, OBJECT_STOP) or local_actor(doc, p, start)
    recipient = named(doc, p, not_located(p, recipient))
    if warner and recipient:
        return warner[1], recipient[1], "verb", 0.85
    others = as_did(doc, p, k) if recipient else []
    if others and recipient:
        # "officers abroad contacted Malta, as did Canada"
        return others[0], recipient[1], "verb", 0.75
    return None


def _passive_form(p: Parsed, k: int) -> bool:
    """"was warned", "had been quietly alerted": a form of "be" (or "get") just before."""
    before = [w for w in p.words(k - 4, k) if w not in ('"', "'")][-2:]
    return bool(
        not p.toks[k].norm.endswith("ing")
        and before
        and before[-1] in VERBAL
        or before[:1]
        and before[0] in VERBAL
        and (before[-1].endswith("ly") or before[-1] in SUBJECT_SKIP)
    )


def _passive_verb(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``Y was warned by X``: the subject is the recipient, the actor after "by" the warner."""
    recipient = subject(doc, p, k)
    by = next(
        (i for i in range(k + 1, min(len(p.toks), k + 10)) if p.toks[i].norm == "by"), None
    )
    warner = None
    if by is not None:
        warner = first_after(doc, p, by, 5) or phrase_actor(doc, p, by)
    if recipient and warner:
        return warner[1], recipient[1], "passive", 0.8
    return None


def pass_on(doc: Doc, p: Parsed, k: int, used: set[int]) -> tuple[str, str, str, float] | None:
    """``X passed (on) a warning to Y``, ``X shared intelligence with Y`` (sharing when the
    noun is no warning); the noun's token goes into ``used``."""
    end = min(len(p.toks), k + 10)
    noun = next(
        (i for i in range(k + 1, end) if p.toks[i].norm in INFO_NOUNS and p.mention_at(i) is None),
        None,
    )
    if noun is None:
        return None
    used.add(noun)
    warner = subject(doc, p, k)  # "the NDS said it had passed on a warning": it is the NDS
    recipient = _passed_to(doc, p, k, noun)
    if warner and recipient:
        pattern = "share" if p.toks[noun].norm not in WARN_NOUNS else "pass"
        return warner[1], recipient[1], pattern, 0.75
    return None


def _passed_to(doc: Doc, p: Parsed, k: int, noun: int) -> tuple[Mention, str] | None:
    """Who information passed on at ``k`` (its noun at ``noun``) went to: after "to" or
    "with" (not an infinitive: "a plot to kill"), else the object, else who it "helped"."""
    for i in range(k + 1, min(len(p.toks), noun + 8)):
        nxt = p.toks[i + 1] if i + 1 < len(p.toks) else None
        if (
            p.toks[i].norm == "to"
            and nxt is not None
            and nxt.text.islower()
            and nxt.norm not in ("the", "a", "an", "its", "their", "his", "her", "our")
            and p.mention_at(i + 1) is None
        ):
            continue  # "a plot to kill ...": an infinitive, not a recipient
        if p.toks[i].norm in ("to", "with"):
            recipient = not_located(
                p, first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
            )
            if recipient:
                return recipient
    recipient = first_after(doc, p, k, noun - k - 1, OBJECT_STOP)
    if recipient is None:
        # "provided the information that allowed Australian authorities to foil ..."
        helped = next(
            (i for i in range(noun + 1, min(len(p.toks), noun + 5)) if p.toks[i].norm in _HELPED),
            None,
        )
        recipient = first_after(doc, p, helped, 3, OBJECT_STOP) if helped is not None else None
    return recipient


def passed_by(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``intelligence passed to X by Y``, ``Israeli intelligence that was passed on to X``,
    ``information provided by Y helped X``."""
    info = _info_noun(p, k)
    if info is None:
        return None
    warner = _info_source(doc, p, k, info)
    if warner is None:
        return None
    # "passed on to X", "sent by the CIA to X": the first "to" before the clause ends
    to = next(
        (i for i in range(k + 1, min(len(p.toks), k + 9)) if p.toks[i].norm in ("to", ",", ";")),
        k + 1,
    )
    if p.words(to, to + 1) == ["to"]:
        recipient = first_after(doc, p, to, 5, frozenset((",", ";", "of", "about", "by")))
        if recipient is None or not can_act(doc, recipient[1]):
            return None
        return warner[1], recipient[1], "passive", 0.75
    helped = next(
        (i for i in range(k + 1, min(len(p.toks), k + 16)) if p.toks[i].norm in _HELPED), None
    )
    if helped is None:
        return None
    recipient = first_after(doc, p, helped, 3, OBJECT_STOP)
    if recipient is not None and can_act(doc, recipient[1]):
        return warner[1], recipient[1], "passive", 0.75
    other = scene_state(doc, p, warner)  # "... that helped prevent attacks in Russia"
    return (warner[1], other, "scene", 0.5) if other else None


def _info_noun(p: Parsed, k: int) -> int | None:
    """The noun of information just before a verb of passing on, or (passive) near the
    start of the sentence."""
    info = next((i for i in range(k - 1, max(-1, k - 5), -1) if p.toks[i].norm in INFO_NOUNS), None)
    if info is None and passive(p, k):
        # "The tip, which included ..., was passed to US officials", "A second alert was ..."
        info = next((i for i in range(min(4, k)) if p.toks[i].norm in INFO_NOUNS), None)
    return info


def _info_source(doc: Doc, p: Parsed, k: int, info: int) -> tuple[Mention, str] | None:
    """Who the information passed on at ``k`` came from: after "by", the name it is
    ("Israeli intelligence"), the actor before it, or the agency just named ("The tip")."""
    by = next((i for i in range(k + 1, min(len(p.toks), k + 12)) if p.toks[i].norm == "by"), None)
    if by is not None:
        return first_after(doc, p, by, 5) or phrase_actor(doc, p, by)
    if p.mention_at(info) is not None:
        return nearest_before(doc, p, info + 1)  # "Israeli intelligence that was passed"
    # "X was the source of information, handed to ..." (not "a handler in Syria")
    warner = not_located(p, nearest_before(doc, p, info))
    if warner is None and p.words(info - 1, info)[:1] in (["the"], ["second"], ["third"]):
        # "The tip": from the agency just named (a service tips; a state is a place here)
        warner = antecedent(doc, p, ("agency",))
    return warner


#: "information provided by Y helped X foil ...": X acted on it.
_HELPED = words("helped allowed enabled led")


def own_threat(p: Parsed, k: int) -> bool:
    """``Iran warned the US of retaliation``, ``warned Israel against``, ``warned it would
    respond``: the warner threatens what it will do itself; that is not a warning of a
    threat by others."""
    after = p.words(k + 1, k + 14)
    if any(w.startswith(_OWN_THREAT) for w in after):
        return True
    return any(a == "not" and b == "to" for a, b in zip(after, after[1:], strict=False)) or (
        "against" in after[:6] and not any(w.startswith(("attack", "plot")) for w in after[:10])
    )


_OWN_THREAT = ("retaliat", "respond", "response", "consequence", "revenge", "punish", "reprisal")


def received(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``Y received information from X``, ``Y got intelligence from X``."""
    noun_at = next(
        (i for i in range(k + 1, min(len(p.toks), k + 5)) if p.toks[i].norm in INFO_NOUNS), None
    )
    if noun_at is None or "from" not in p.words(noun_at + 1, noun_at + 4):
        return None
    if {"no", "any", "little"} & set(p.words(k + 1, noun_at)):
        return None  # "Egypt received no warning from foreign services"
    i = noun_at + 1 + p.words(noun_at + 1, noun_at + 4).index("from")
    warner = first_after(doc, p, i, 4, OBJECT_STOP) or phrase_actor(doc, p, i)
    recipient = subject(doc, p, k)
    if warner and recipient:
        return warner[1], recipient[1], "noun", 0.7
    return None


def noun(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X's warning to Y``, ``a warning from X``, ``Y ignored the warning``, ``Y detained
    them thanks to a tip from X``."""
    warner = _noun_owner(doc, p, k)
    after = p.words(k + 1, k + 10)
    recipient = None
    for word, slot, reach in (("from", "warner", 8), ("by", "warner", 5), ("to", "recipient", 5)):
        if word in after[:reach]:
            i = k + 1 + after.index(word)
            found = first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
            if found is None and slot == "warner":
                found = phrase_actor(doc, p, i)  # "a heads-up from a Western intelligence agency"
            if found and slot == "warner":
                warner = found
            elif found:
                recipient = found
    if recipient is None:
        recipient = _noun_receiver(doc, p, k, warner is not None)
    if warner and recipient:
        return warner[1], recipient[1], "noun", 0.7
    if warner and "from" in after[:5] and any(t.norm.startswith(_ACTED_ON) for t in p.toks[:k]):
        return _acted_on(doc, p, k, warner[1])
    return None


def _acted_on(doc: Doc, p: Parsed, k: int, warner: str) -> tuple[str, str, str, float] | None:
    """"Y detained them thanks to a tip from X": Y, the subject, got the warning."""
    for m in p.mentions:
        actor = doc.actor(p, m)
        if (
            m.last <= k
            and actor
            and can_act(doc, actor)
            and doc.state_of(actor) != doc.state_of(warner)
        ):
            return warner, actor, "noun", 0.55
    return None


#: Words that may stand between an owner and its warning: "the US's early, precise warning".
_NOUN_MODIFIERS = words("' s similar clear private public early specific earlier new first precise")


def _noun_owner(doc: Doc, p: Parsed, k: int) -> tuple[Mention, str] | None:
    """X's warning / a Russian warning / the US warning: the actor named just before."""
    for i in range(k - 1, max(-1, k - 5), -1):
        m = p.mention_at(i)
        if m is not None:
            actor = doc.actor(p, m, adjective=True)
            return (m, actor) if actor else None
        if p.toks[i].norm not in _NOUN_MODIFIERS:
            return None
    return None


def _noun_receiver(doc: Doc, p: Parsed, k: int, has_warner: bool
                   ) -> tuple[Mention, str] | None:
    """Who got the warning at ``k`` when no "to" says: the subject of "received",
    "missed", "ignored"... before it, or (a warner known) who assessed or acted on it."""
    receiving = next((i for i in range(k - 1, max(-1, k - 8), -1)
                      if p.toks[i].norm in RECEIVE_VERBS), None)
    if receiving is not None:
        receiver = subject(doc, p, receiving)
        if receiver is not None:
            return receiver
    if not has_warner:
        return None
    # "The tip, understood to have come from X, was assessed by MI5"
    by = next(
        (
            i
            for i in range(k + 1, min(len(p.toks), k + 20))
            if p.toks[i].norm == "by" and p.words(i - 2, i)[-1:] != ["from"]
        ),
        None,
    )
    if by is not None and (passive(p, by) or p.words(by - 1, by) in (
            ["assessed"], ["received"], ["acted"], ["handled"])):
        return first_after(doc, p, by, 4)
    return None


#: Verbs of acting on a tip: its subject is who received it.
_ACTED_ON = (
    "arrest",
    "detain",
    "foil",
    "raid",
    "jail",
    "seiz",
    "thwart",
    "stopp",
    "captur",
    "receiv",
    "got",
    "acted",
    "rais",
)


def to_target(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """A warning with no named recipient, of a plot against someone: their state, guessed."""
    warner = nearest_before(doc, p, k)
    if warner is None:
        return None
    for i in range(k + 1, min(len(p.toks), k + 14)):
        if p.toks[i].norm in ("kill", "assassinate", "against", "targeting", "target"):
            for j in range(i + 1, min(len(p.toks), i + 6)):
                m = p.mention_at(j)
                if m is None:
                    continue
                state = doc.state_of(doc.known(m).id)
                if doc.lex.known(state).type == "state" and state != doc.state_of(warner[1]):
                    return warner[1], state, "target", 0.45
            return None
    return None
