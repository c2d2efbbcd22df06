"""An article read once: sentences, tokens, named entities, dates and figures.

The rules (warnings, attacks, roles) all look at the same :class:`Doc`; helpers
here answer the questions they share: which mention can act (an actor, not an
adjective or a place after "in"), where a clause starts, what is near a word.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> doc = read("In 2011, Russia warned the US.", Lexicon(gazetteer((
    ...     Entity("russia", "state", "Russia"), Entity("united-states", "state", "US")))), None)
    >>> [doc.lex.known(m.entity).label for m in doc.sentences[0].mentions]
    ['Russia', 'US']
    >>> doc.sentences[0].dates[0].value.value
    '2011'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..records import DateValue
from .counts import CountMention, find_counts
from .dates import DateMention, find_dates
from .gazetteer import Known, Mention
from .lexicon import Lexicon
from .text import Sentence, Token, sentences, tokens, words

ACTOR_TYPES = ("state", "agency", "group", "person")
#: Words after which a place is where something happened, not who acted.
LOCATIVE = words("in at near on inside outside across from within around")
#: Tokens that end a clause for the purpose of finding a subject (full stops inside a
#: sentence belong to abbreviations such as "U.S.").
CLAUSE_END = frozenset(";:!?")
#: Nouns a town's name can qualify without acting: "the Brussels attacks", "Moscow police".
ATTRIBUTIVE = words("""attack attacks attacker attackers bombing bombings bomber bombers blast
blasts plot siege shooting massacre""")
#: Verbs of saying: "X said (that) they had warned ..." makes "they" X.
REPORTING = words("said says told stated added announced confirmed acknowledged")
PRONOUNS = words("he she they we it i you him her them us")


@dataclass
class Parsed:
    """One sentence and what was found in it."""

    index: int
    sentence: Sentence
    toks: list[Token]
    mentions: list[Mention]
    dates: list[DateMention]
    counts: list[CountMention]
    _starts: list[int] = field(default_factory=list, repr=False)

    def token_at(self, offset: int) -> int:
        """Index of the token containing (or following) character ``offset``."""
        if not self._starts:
            self._starts = [t.start for t in self.toks]
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def mention_at(self, index: int) -> Mention | None:
        """The mention covering token ``index``, if any."""
        for m in self.mentions:
            if m.first <= index < m.last:
                return m
        return None

    def words(self, first: int, last: int) -> list[str]:
        """Normalised tokens in ``[first, last)`` (clipped to the sentence)."""
        return [t.norm for t in self.toks[max(0, first) : max(0, last)]]


@dataclass
class Doc:
    """The article: its text, publication date, names, and parsed sentences."""

    text: str
    published: DateValue | None
    lex: Lexicon
    sentences: list[Parsed]

    def known(self, mention: Mention) -> Known:
        """The entity a mention names."""
        return self.lex.known(mention.entity)

    def actor(self, parsed: Parsed, mention: Mention, adjective: bool = False) -> str | None:
        """The actor a mention can stand for in a subject/object slot, or None.

        Places act for their state ("Moscow dismissed the warning") unless they follow
        a locative word ("in Moscow"); adjectives ("Russian") act only when asked.
        """
        known = self.known(mention)
        if mention.form == "adj" and not adjective:
            return None
        if known.type in ACTOR_TYPES:
            return known.id
        if known.type == "place" and known.state and mention.form == "name":
            before = parsed.toks[mention.first - 1].norm if mention.first else ""
            after = parsed.toks[mention.last].norm if mention.last < len(parsed.toks) else ""
            # "Moscow dismissed the warning" acts; "in Moscow" and "the Brussels attacks" do not
            if before not in LOCATIVE and before != "of" and after not in ATTRIBUTIVE:
                return known.state
        return None

    def state_of(self, ident: str) -> str:
        """The state an actor or place belongs to (itself if none is known)."""
        return self.lex.state_of(ident)


def read(text: str, lex: Lexicon, published: DateValue | None) -> Doc:
    """Split, tokenise and tag an article."""
    parsed = []
    for i, sentence in enumerate(sentences(text)):
        toks = tokens(sentence)
        dates = find_dates(sentence, published)
        counts = [
            c
            for c in find_counts(sentence)
            if not any(_overlaps_number(c, d) for d in dates if d.anchor is None)
        ]
        parsed.append(Parsed(i, sentence, toks, lex.mentions(sentence, toks), dates, counts))
    return Doc(text, published, lex, parsed)


def clause_start(parsed: Parsed, index: int) -> int:
    """First token of the clause that contains token ``index`` (after ; : or a dash)."""
    for k in range(index - 1, -1, -1):
        norm = parsed.toks[k].norm
        if norm in CLAUSE_END or (norm == "-" and parsed.toks[k].text in "—–"):
            return k + 1
    return 0


def nearest_before(
    doc: Doc, parsed: Parsed, index: int, limit: int = 25, types: tuple[str, ...] = ACTOR_TYPES
) -> tuple[Mention, str] | None:
    """The nearest actor mention before token ``index`` in its clause, as (mention, actor).

    Returns None when the subject right before is a pronoun ("he warned"): the
    extractor does not resolve pronouns, and a farther name would be a guess.
    """
    start = max(clause_start(parsed, index), index - limit)
    k = index - 1
    while k >= start and (parsed.toks[k].norm in _SKIP or parsed.toks[k].norm.endswith("ly")):
        k -= 1
    if k >= start and parsed.toks[k].norm in PRONOUNS and parsed.mention_at(k) is None:
        said = next(
            (
                j
                for j in range(k - 1, max(start, k - 7) - 1, -1)
                if parsed.toks[j].norm in REPORTING
            ),
            None,
        )
        if said is not None and parsed.toks[k - 1].norm == "that":
            return nearest_before(doc, parsed, said, limit, types)
        return None
    for m in reversed(parsed.mentions):
        if m.last > index or m.first < start:
            continue
        actor = doc.actor(parsed, m)
        if actor is not None and doc.lex.known(actor).type in types:
            return m, actor
    return None


def first_after(
    doc: Doc,
    parsed: Parsed,
    index: int,
    limit: int = 6,
    stop: frozenset[str] = frozenset(),
    adjective: bool = False,
    types: tuple[str, ...] = ACTOR_TYPES,
) -> tuple[Mention, str] | None:
    """The first actor mention starting within ``limit`` tokens after ``index``."""
    end = min(len(parsed.toks), index + 1 + limit)
    k = index + 1
    while k < end:
        m = parsed.mention_at(k)
        if m is not None:
            actor = doc.actor(parsed, m, adjective)
            if actor is not None and doc.lex.known(actor).type in types:
                return m, actor
            k = m.last
            continue
        if parsed.toks[k].norm in stop or parsed.toks[k].norm in CLAUSE_END:
            return None
        k += 1
    return None


#: Words skipped when looking for the subject right before a verb.
_SKIP = words("""had has have also then publicly privately repeatedly reportedly already and
secretly quietly recently officially formally previously once first later indeed""")


def _overlaps_number(count: CountMention, date: DateMention) -> bool:
    """Whether the figure of a count is a number inside a date ("on January 3 killed")."""
    text = count.count.text or ""
    number = re.search(r"\d+", text)
    if number is None:
        return False
    position = count.start + number.start()
    return date.start <= position < date.end
