"""Warnings, and intelligence sharing that is not a warning (responses: kg.extract.responses).

A warning needs a warner, a recipient of another state, and words of threat in the
sentence (attack, plot, threat, bomb...). Patterns, from most to least explicit:

- ``X warned / alerted / notified / informed / tipped off Y`` (and the passive,
  ``Y was warned by X``);
- ``X shared / passed / conveyed / issued ... a warning / intelligence ... to|with Y``;
- ``X's warning to Y``, ``a warning from X to Y``;
- ``Y received / missed / ignored a (Russian) warning (from X)``.

Without words of threat, "X shared intelligence with Y" is intelligence sharing.
Negated or hypothetical verbs ("would never warn", "a duty to warn them") are skipped,
and so are pronoun subjects: the extractor does not resolve "he" or "they".

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
from .doc import LOCATIVE, PRONOUNS, REPORTING, Doc, Parsed, clause_start, first_after, nearest_before
from .events import Event
from .gazetteer import Mention
from .text import words

WARN_VERBS = words("""warn warns warned alert alerts alerted alerting notify notifies notified
notifying inform informs informed informing caution cautioned cautioning forewarn forewarned
tipped tipping briefed contacted flagged""")
#: Verbs of telling that are a warning only with the recipient right after and words of threat.
TELL_VERBS = words("told tell tells telling")
#: Verbs that warn without naming a recipient: "the agency warned of a credible threat".
OPEN_VERBS = words("warn warns warned warning cautioned alerted signalled signaled")
PASS_VERBS = words("""share shares shared sharing pass passes passed conveyed convey provided provide
gave give given sent send relayed relay transmitted delivered issued issue
forwarded handed""")
WARN_NOUNS = words("""warning warnings tip tips tip-off tip-offs tipoff tipoffs alert alerts heads
heads-up""")
INFO_NOUNS = WARN_NOUNS | words(
    """intelligence information info details indications name names number numbers data
    assessment assessments note dossier inputs input intel leads report reports memo letter
    cable message"""
)
RECEIVE_VERBS = words("""received receive receives got ignored ignore missed dismissed heeded heed
rejected disregarded follow followed acted act""")
STRONG_CUES = (
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
NOT_DONE = words("not never n't would could should might must will to cannot can if")
_RANK = {"partial": -1, "open": -1, "scene": 0, "target": 0, "noun": 1, "share": 2, "pass": 2, "passive": 3, "verb": 3}
_OBJECT_STOP = words("of about that on over regarding against to , ; : .")
_VERBAL = words("was were been being is are")


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


def find_warnings(doc: Doc, mentions: list[AttackMention] | None = None) -> list[WarningFound]:
    """Warnings (and intelligence sharing) of an article, merged per pair of states."""
    by_sentence: dict[int, list[AttackMention]] = {}
    by_place: dict[str, Event] = {}
    for m in mentions or []:
        by_sentence.setdefault(m.sentence, []).append(m)
        if m.event is not None:
            for place in m.event.places:
                by_place.setdefault(place, m.event)
    found: list[WarningFound] = []
    for p in doc.sentences:
        for warning in _sentence_warnings(doc, p):
            warning.concerns = _concerned(by_sentence.get(p.index, []), by_place)
            _merge(doc, found, warning)
    return found


def _article_threat(doc: Doc) -> bool:
    """Whether the article speaks of attacks, plots or threats at all."""
    return any(_threat(p) == 1.0 for p in doc.sentences)


def _threat(p: Parsed) -> float:
    words = " ".join(t.norm for t in p.toks)
    if any(cue in words for cue in STRONG_CUES):
        return 1.0
    return 0.85 if any(cue in words for cue in WEAK_CUES) else 0.0


def _sentence_warnings(doc: Doc, p: Parsed) -> list[WarningFound]:
    threat = _threat(p)
    context = max((_threat(doc.sentences[i]) for i in range(max(0, p.index - 2), p.index)),
                  default=0.0)
    found = []
    used: set[int] = set()
    domestic: set[str] = set()  # warners whose warning here went to their own state
    for k, tok in enumerate(p.toks):
        norm = tok.norm
        if k in used or norm not in _TRIGGERS:
            continue
        pair = _call_to_warn(doc, p, k) if norm in WARN_VERBS | {"warning"} else None
        if pair is None and _not_done(p, k):
            continue
        gerund = norm == "warning" and (
            p.words(k - 1, k) and p.words(k - 1, k)[0] in _VERBAL | {"been"}
            or first_after(doc, p, k, 2) is not None
            and (p.mention_at(k + 1) is not None or p.words(k + 1, k + 2) == ["the"])
        )
        if norm in ("alert", "alerts") and p.words(k - 1, k) and p.words(k - 1, k)[0] in _ALERT_STATE:
            continue
        if pair is not None:
            pass
        elif (
            norm in WARN_VERBS
            and (norm not in ("tipped", "tipping") or p.words(k + 1, k + 2) == ["off"])
        ) or gerund:
            pair = _verb(doc, p, k)
        elif norm in TELL_VERBS and threat:
            pair = _tell(doc, p, k)
        elif norm in PASS_VERBS and p.words(k - 1, k) != ["-"]:
            pair = _pass(doc, p, k, used) or _passed_by(doc, p, k)
        elif norm in WARN_NOUNS:
            pair = _noun(doc, p, k)
        triggered = norm in WARN_NOUNS | PASS_VERBS | WARN_VERBS
        if pair is None and triggered:
            pair = _to_target(doc, p, k)
            if pair is not None and _advisory(doc, pair[0]):
                pair = None  # an embassy's alert goes to its own citizens, not the target's state
        if pair is None and threat and norm in WARN_NOUNS:
            pair = _tip_to_scene(doc, p, k)
        if pair is None:
            warner_only = (
                _subject(doc, p, k)
                if threat
                and not (norm in WARN_VERBS and _passive(p, k))
                and (
                    norm in WARN_NOUNS
                    or norm in WARN_VERBS
                    or norm in OPEN_VERBS
                    or norm in PASS_VERBS
                    and any(w in WARN_NOUNS for w in p.words(k + 1, k + 7))
                )
                else None
            )
            if (
                warner_only is not None
                and _can_act(doc, warner_only[1])
                and not _advisory(doc, warner_only[1])
            ):
                open_verb = (
                    norm in OPEN_VERBS
                    and threat == 1.0
                    and _says_what(p, k)
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
        if _stateless_person(doc, recipient) and not _stateless_person(doc, warner):
            # "Rice dismissed the warnings from Putin": more about Putin's warning, whose
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
        if _state_or_home(doc, warner) == _state_or_home(doc, recipient):
            domestic.add(doc.state_of(warner))
            continue  # domestic: "the BIN warned the National Police" in a Jakarta story
        if not (_can_act(doc, warner) and _can_act(doc, recipient)):
            continue
        kind = "warning"
        if (
            threat == 0.0
            and pattern in ("pass", "noun", "passive", "verb")
            and any(t.norm in WARN_NOUNS for t in p.toks)
        ):
            threat = 0.85  # "passed the warning to Tehran": the noun says what it was
        if threat == 0.0 and pattern in ("passive", "verb") and norm in WARN_VERBS and context:
            threat = 0.8  # "X was warned about the man": the plot is in the sentences before
        if (
            threat == 0.0
            and pattern == "verb"
            and norm in WARN_VERBS
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
            # "failed to follow up on a Russian warning in 2013": the year is the failure's.
            dates = [d for d in dates if abs(p.token_at(d.start) - k) <= 4]
        warners = [warner, *_as_did(doc, p, k), *_and_more(doc, p, warner, k)]
        recipients = [recipient, *_and_more(doc, p, recipient, k)]
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
                    disputed=any(w in _DENY - {"claimed", "claims"} for w in p.words(0, k)),
                )
            )
    found = [w for w in found if w.recipient or doc.state_of(w.warner) not in domestic]
    return _not_recipients(found)


def _not_located(
    p: Parsed, found: tuple[Mention, str] | None
) -> tuple[Mention, str] | None:
    """``warned its citizens in Lebanon``: a state named after "in" is where, not whom."""
    if found is not None and p.words(found[0].first - 1, found[0].first)[:1] in (["in"], ["at"]):
        return None
    return found


def _named(
    doc: Doc, p: Parsed, found: tuple[Mention, str] | None
) -> tuple[Mention, str] | None:
    """``its British counterpart, MI5,``: the agency the apposition names, of that state."""
    if found is None or p.words(found[0].last, found[0].last + 1) != [","]:
        return found
    nxt = p.mention_at(found[0].last + 1) or (
        p.mention_at(found[0].last + 2) if p.words(found[0].last + 1, found[0].last + 2) == ["the"] else None
    )
    if nxt is None:
        return found
    actor = doc.actor(p, nxt)
    if actor and doc.lex.known(actor).type == "agency" and doc.state_of(actor) == doc.state_of(found[1]):
        return nxt, actor
    return found


def _local(doc: Doc, p: Parsed, i: int) -> tuple[Mention, str] | None:
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
_DENY = words("denied denies deny disputed disputes rejected insisted claimed claims admitted")
#: Verbs of saying, believing or denying: whoever is before them reports the warning.
_SAYING = REPORTING | _DENY | words("say saying reported reports believe believed wrote writes")
_LOCAL_NOUNS = words("officials authorities police government security officers")


def _and_more(doc: Doc, p: Parsed, actor: str, k: int) -> list[str]:
    """``warned by Britain and the United States``: the actors joined to ``actor``.

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
        if nxt is None or nxt[0].first > i + 2 or not _can_act(doc, nxt[1]):
            break
        if (doc.lex.known(nxt[1]).type == "person") != (doc.lex.known(actor).type == "person"):
            break
        joined = joined or "and" in p.words(i, nxt[0].first)
        found.append(nxt[1])
        i = nxt[0].last
    return found if joined else []


def _as_did(doc: Doc, p: Parsed, k: int) -> list[str]:
    """``X contacted France about a threat, as did the United States``: the others."""
    found = []
    for i in range(k + 1, len(p.toks) - 1):
        if p.toks[i].norm == "as" and p.toks[i + 1].norm in ("did", "had", "have", "has", "do"):
            actor = first_after(doc, p, i + 1, 3)
            if actor is not None and _can_act(doc, actor[1]):
                found.append(actor[1])
    return found


#: Verbs of getting in touch: "X telephoned Y ... to warn that", "X called Y, warning of".
CALL_VERBS = words("""called phoned telephoned rang wrote met contacted visited summoned cabled
briefed messaged""")


def _call_to_warn(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X called Y two days before, warning about a plot``: X warned Y."""
    before = p.words(k - 1, k)
    if not before or before[0] not in ("to", ","):
        return None
    for i in range(k - 2, max(clause_start(p, k) - 1, k - 26), -1):
        if p.toks[i].norm in CALL_VERBS and not _not_done(p, i):
            warner = _subject(doc, p, i)
            recipient = first_after(doc, p, i, 5, _OBJECT_STOP)
            if warner and recipient:
                return warner[1], recipient[1], "verb", 0.8
            return None
    return None


def _state_or_home(doc: Doc, actor: str) -> str:
    """An actor's state; for a named agency of no known state ("the National Police"),
    the state of the story's dateline, where local bodies usually belong."""
    known = doc.lex.known(actor)
    if known.type == "agency" and not known.state and known.label[:1].isupper():
        return _home_state(doc) or actor
    return doc.state_of(actor)


def _home_state(doc: Doc) -> str | None:
    """The state of the first place the article names (its dateline: "JAKARTA -")."""
    for p in doc.sentences[:2]:
        for m in p.mentions:
            known = doc.known(m)
            state = m.entity if known.type == "state" else known.state
            if state and doc.lex.known(state).type == "state":
                return state
    return None


def _stateless_person(doc: Doc, actor: str) -> bool:
    known = doc.lex.known(actor)
    return known.type == "person" and not known.state


def _advisory(doc: Doc, actor: str) -> bool:
    """An embassy warning no one in particular: a security alert to its own citizens."""
    known = doc.lex.known(actor)
    return any(w in known.label.lower() for w in ("embassy", "consulate", "mission"))


_TRIGGERS = WARN_VERBS | TELL_VERBS | PASS_VERBS | WARN_NOUNS | OPEN_VERBS


def _not_recipients(found: list[WarningFound]) -> list[WarningFound]:
    """"A report sent by the CIA to Iraqi officials warned of ...": the officials, who got
    the report, are not a second, undirected warner."""
    got = {w.recipient for w in found if w.recipient}
    return [w for w in found if w.recipient or w.warner not in got]


def _can_act(doc: Doc, actor: str) -> bool:
    """Armed groups threaten; they do not warn states, nor receive their warnings."""
    return doc.lex.known(actor).type != "group"


def _says_what(p: Parsed, k: int) -> bool:
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


def _passive(p: Parsed, k: int) -> bool:
    """``was warned``, ``were first warned``: the subject is who was warned."""
    before = p.words(k - 3, k)
    return any(w in _VERBAL for w in before[-2:]) and not p.words(k - 1, k) == ["has"]


#: "on high alert", "a terror alert": the state of alert, not somebody alerting.
_ALERT_STATE = words("on high heightened maximum red an a the of security terror top state")


_SAY_SKIP = words("had has have been also again repeatedly publicly privately")
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


def _subject(doc: Doc, p: Parsed, k: int) -> tuple[Mention, str] | None:
    """Who acts at token ``k``: the actor right before it, or what a pronoun stands for.

    An actor before a verb of saying is who said it ("British officials say the agency
    warned MI6"), not who warned: the subject is looked for after that verb.
    """
    found = nearest_before(doc, p, k)
    if found is not None and not any(
        t.norm in _SAYING for t in p.toks[found[0].last : k]
    ):
        return found
    i = k - 1
    while i >= 0 and (p.toks[i].norm in _SUBJECT_SKIP or p.toks[i].norm.endswith("ly")):
        i -= 1
    if i < 0 or p.mention_at(i) is not None:
        return None
    country = next(
        (j for j in range(max(clause_start(p, k), k - 8), k)
         if p.words(j - 1, j + 2) == ["the", "country", "'"]),
        None,
    )
    if country is not None:
        # "the country's intelligence agency had been warned": the state just named.
        for m in reversed(p.mentions):
            if m.last <= country and doc.known(m).type == "state":
                return m, m.entity
        return _antecedent(doc, p, ("state",))
    word = p.toks[i].norm
    if word not in _ANAPHORS or (word not in PRONOUNS and p.words(i - 1, i) != ["the"]):
        return None
    j = next(
        (x for x in range(i - 1, max(clause_start(p, i) - 1, i - 9), -1)
         if p.toks[x].norm in _SAYING),
        -1,
    )  # "Slovak police confirmed in a post that they had informed ..."
    if word in PRONOUNS and j >= 0:
        # "Turkish officials said they had alerted ...": they are who said it.
        said = nearest_before(doc, p, j)
        if said is not None:
            return said
    return _antecedent(doc, p, _ANAPHORS[word])


_SUBJECT_SKIP = words("""had has have also then publicly privately repeatedly reportedly already
secretly quietly recently officially formally previously once first later indeed been " '""")


def _antecedent(doc: Doc, p: Parsed, types: tuple[str, ...]) -> tuple[Mention, str] | None:
    """The first actor of the right type in the nearest of the two sentences before."""
    for back in range(p.index - 1, max(-1, p.index - 3), -1):
        earlier = doc.sentences[back]
        for m in earlier.mentions:
            actor = doc.actor(earlier, m)
            if actor is None or not _can_act(doc, actor):
                continue
            if doc.lex.known(actor).type in types:
                return m, actor
    return None


def _tell(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``X told Y (that) ... plot``: the recipient right after the verb."""
    if p.words(k - 1, k) in ([","], ['"'], ["'"]):
        return None  # "..., a source told the newspaper": who said it, not who warned
    if p.words(k - 2, k) and p.words(k - 2, k)[-1] in _VERBAL:
        recipient = nearest_before(doc, p, k)
        by = next(
            (i for i in range(k + 1, min(len(p.toks), k + 6)) if p.toks[i].norm == "by"), None
        )
        warner = first_after(doc, p, by, 5) if by is not None else None
        if recipient and warner:
            return warner[1], recipient[1], "passive", 0.75
        return None
    warner = _subject(doc, p, k)
    recipient = first_after(doc, p, k, 3, _OBJECT_STOP)
    if recipient and doc.known(recipient[0]).type == "place":
        return None  # "told the Munich Security Conference": an audience, not a recipient
    if warner and recipient:
        return warner[1], recipient[1], "verb", 0.7
    return None


def _tip_to_scene(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``a tip-off from X led police to ... in Paris``: the state where it was acted on."""
    after = p.words(k + 1, k + 6)
    if "from" not in after and "by" not in after:
        before = p.mention_at(k - 1) or (p.mention_at(k - 2) if k >= 2 else None)
        warner = (
            (before, doc.actor(p, before, adjective=True)) if before is not None else None
        )
    else:
        i = k + 1 + (after.index("from") if "from" in after else after.index("by"))
        warner = first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
    if not warner or warner[1] is None or not _can_act(doc, warner[1]):
        return None
    other = _scene_state(doc, p, warner)
    return (warner[1], other, "scene", 0.5) if other else None


def _scene_state(doc: Doc, p: Parsed, warner: tuple[Mention, str]) -> str | None:
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


def _not_done(p: Parsed, k: int) -> bool:
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


def _verb(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    before = [w for w in p.words(k - 4, k) if w not in ('"', "'")][-2:]
    if (
        not p.toks[k].norm.endswith("ing")
        and before
        and before[-1] in _VERBAL
        or before[:1]
        and before[0] in _VERBAL
        and (before[-1].endswith("ly") or before[-1] in _SUBJECT_SKIP)
    ):
        recipient = _subject(doc, p, k)
        by = next(
            (i for i in range(k + 1, min(len(p.toks), k + 10)) if p.toks[i].norm == "by"), None
        )
        warner = None
        if by is not None:
            warner = first_after(doc, p, by, 5) or _phrase_actor(doc, p, by)
        if recipient and warner:
            return warner[1], recipient[1], "passive", 0.8
        return None
    warner = _subject(doc, p, k)
    start = k + 1 if p.toks[k].norm not in ("tipped", "tipping") else k + 2
    recipient = first_after(doc, p, start - 1, 6, _OBJECT_STOP) or _local(doc, p, start)
    recipient = _named(doc, p, _not_located(p, recipient))
    if warner and recipient:
        return warner[1], recipient[1], "verb", 0.85
    others = _as_did(doc, p, k) if recipient else []
    if others and recipient:
        # "sources in North Africa contacted France, as did the United States"
        return others[0], recipient[1], "verb", 0.75
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


def _phrase_actor(doc: Doc, p: Parsed, i: int) -> tuple[Mention, str] | None:
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


def _pass(doc: Doc, p: Parsed, k: int, used: set[int]) -> tuple[str, str, str, float] | None:
    end = min(len(p.toks), k + 10)
    noun = next(
        (i for i in range(k + 1, end) if p.toks[i].norm in INFO_NOUNS and p.mention_at(i) is None),
        None,
    )
    if noun is None:
        return None
    used.add(noun)
    warner = nearest_before(doc, p, k)
    recipient = None
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
            recipient = _not_located(
                p, first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
            )
            if recipient:
                break
    if recipient is None:
        recipient = first_after(doc, p, k, noun - k - 1, _OBJECT_STOP)
    if warner and recipient:
        pattern = "share" if p.toks[noun].norm not in WARN_NOUNS else "pass"
        return warner[1], recipient[1], pattern, 0.75
    return None


def _passed_by(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    """``intelligence passed to X by Y``, ``Israeli intelligence that was passed on to X``,
    ``information provided by Y helped X``."""
    info = next((i for i in range(k - 1, max(-1, k - 5), -1) if p.toks[i].norm in INFO_NOUNS), None)
    if info is None and _passive(p, k) and p.words(0, 2)[-1:] and p.words(0, 2)[-1] in INFO_NOUNS:
        info = 1  # "The tip, which included ..., was passed to US officials"
    if info is None:
        return None
    # "passed on to X", "sent by the CIA to X": the first "to" before the clause ends
    to = next(
        (i for i in range(k + 1, min(len(p.toks), k + 9)) if p.toks[i].norm in ("to", ",", ";")),
        k + 1,
    )
    by = next((i for i in range(k + 1, min(len(p.toks), k + 12)) if p.toks[i].norm == "by"), None)
    warner = None
    if by is not None:
        warner = first_after(doc, p, by, 5) or _phrase_actor(doc, p, by)
    elif p.mention_at(info) is not None:
        warner = nearest_before(doc, p, info + 1)  # "Israeli intelligence that was passed"
    else:
        warner = nearest_before(doc, p, info)  # "X was the source of information, handed to"
        if warner is None and p.words(info - 1, info) == ["the"]:
            # "The tip": from the agency just named (a service tips; a state is a place here)
            warner = _antecedent(doc, p, ("agency",))
    if warner is None:
        return None
    if p.words(to, to + 1) == ["to"]:
        recipient = first_after(doc, p, to, 5, frozenset((",", ";", "of", "about", "by")))
        if recipient is None or not _can_act(doc, recipient[1]):
            return None
        return warner[1], recipient[1], "passive", 0.75
    helped = next(
        (i for i in range(k + 1, min(len(p.toks), k + 16)) if p.toks[i].norm in _HELPED), None
    )
    if helped is None:
        return None
    recipient = first_after(doc, p, helped, 3, _OBJECT_STOP)
    if recipient is not None and _can_act(doc, recipient[1]):
        return warner[1], recipient[1], "passive", 0.75
    other = _scene_state(doc, p, warner)  # "... that helped prevent attacks in Russia"
    return (warner[1], other, "scene", 0.5) if other else None


#: "information provided by Y helped X foil ...": X acted on it.
_HELPED = words("helped allowed enabled led")


def _noun(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
    warner = recipient = None
    # X's warning / a Russian warning / the US warning
    for i in range(k - 1, max(-1, k - 5), -1):
        m = p.mention_at(i)
        if m is not None:
            actor = doc.actor(p, m, adjective=True)
            warner = (m, actor) if actor else None
            break
        if p.toks[i].norm not in (
            "'",
            "s",
            "similar",
            "clear",
            "private",
            "public",
            "early",
            "specific",
            "earlier",
            "new",
            "first",
            "precise",
        ):
            break
    after = p.words(k + 1, k + 8)
    for word, slot in (("from", "warner"), ("by", "warner"), ("to", "recipient")):
        if word in after[:5]:
            i = k + 1 + after.index(word)
            found = first_after(doc, p, i, 4, frozenset((",", ";", "of", "about")))
            if found and slot == "warner":
                warner = found
            elif found:
                recipient = found
    if recipient is None:
        # Y received / missed / ignored ... warning
        for i in range(k - 1, max(-1, k - 8), -1):
            if p.toks[i].norm in RECEIVE_VERBS:
                recipient = nearest_before(doc, p, i)
                break
    if warner and recipient:
        return warner[1], recipient[1], "noun", 0.7
    acted = any(t.norm.startswith(_ACTED_ON) for t in p.toks[:k])
    if warner and "from" in after[:5] and acted:
        # "Y detained them thanks to a tip from X": Y, the subject, got the warning.
        for m in p.mentions:
            actor = doc.actor(p, m)
            if (
                m.last <= k
                and actor
                and _can_act(doc, actor)
                and doc.state_of(actor) != doc.state_of(warner[1])
            ):
                return warner[1], actor, "noun", 0.55
    return None


#: Verbs of acting on a tip: its subject is who received it.
_ACTED_ON = ("arrest", "detain", "foil", "raid", "jail", "seiz", "thwart", "stopp", "captur",
             "receiv", "got", "acted", "rais")


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
            t.norm in HEADS for t in p.toks[max(0, first - 2) : first] + p.toks[last + 1 : last + 3]
        ) or any(t.norm in _EVENT_VERBS for t in p.toks[max(k + 1, first - 4) : first])
        stamp = p.words(first - 1, first) in (["-"], ["|"]) and last >= len(p.toks) - 2
        if not said and not near_event and not stamp:  # "... Warned US - 2002-06-04": a stamp
            dates.append(d)
    return sorted(dates, key=lambda d: abs(p.token_at(d.start) - k))


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
    for prev, d in zip(after, after[1:]):
        between = p.words(p.token_at(prev.end - 1) + 1, p.token_at(d.start))
        if between and set(between) <= {"and", "again", "on", "in", ",", "then", "later", "once"}:
            chain.append(d)
        else:
            break
    if len(chain) < 2:
        return [dates]
    return [[d] for d in chain]


def _to_target(doc: Doc, p: Parsed, k: int) -> tuple[str, str, str, float] | None:
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


def _concerned(here: list[AttackMention], by_place: dict[str, Event]) -> Event | None:
    """The attack or plot a warning was about: named in its sentence, or at the same place."""
    for m in here:
        if m.event is not None:
            return m.event
    for m in here:
        for place in m.places:
            if place in by_place:
                return by_place[place]
    return None


def _year(warning: WarningFound) -> str | None:
    resolved = [d.value for d in warning.dates if d.value is not None]
    return resolved[0].value[:4] if resolved else None


def _years_clash(doc: Doc, old: WarningFound, new: WarningFound) -> bool:
    """Whether two warnings of one pair are two episodes: their years differ, or one is
    dated to an earlier year than the story and told apart from the undated one."""
    a, b = _year(old), _year(new)
    if a and b:
        return a != b
    dated = a or b
    published = doc.published.value[:4] if doc.published is not None else None
    far = abs(new.sentence - max(old.sentences or [old.sentence])) > 2
    return bool(dated and published and dated < published and far)


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
        elif (doc.state_of(old.warner), doc.state_of(old.recipient), old.kind) != key:
            continue
        if _year(old) and _year(new) and _year(old) != _year(new):
            continue
        if old.concerns and new.concerns and old.concerns is not new.concerns:
            continue
        old.sentences.append(new.sentence)
        old.spans.append(new.span)
        if _RANK[new.pattern] > _RANK[old.pattern] or old.pattern == "open":
            old.warner, old.recipient, old.pattern = new.warner, new.recipient, new.pattern
        old.confidence = max(old.confidence, new.confidence)
        old.dates = old.dates + new.dates
        old.anchor = old.anchor or new.anchor
        old.concerns = old.concerns or new.concerns
        old.channel = list(dict.fromkeys(old.channel + new.channel))
        old.disputed = old.disputed or new.disputed
        return
    new.sentences.append(new.sentence)
    new.spans.append(new.span)
    found.append(new)
