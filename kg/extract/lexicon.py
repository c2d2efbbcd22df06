"""One article's names: the gazetteer plus the entities proposed while reading it.

A :class:`Lexicon` finds the names in each sentence (the gazetteer's, longest first)
and proposes what a claim may need that the reference data lacks: a state's agency
(``Indian intelligence services``), an organisation named by its last word ("... Front"),
a building, a town GeoNames knows after "in", a person named after a title. Whatever a
claim uses that is not a reference entity is proposed.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),)))
    >>> from kg.extract.text import Sentence
    >>> s = Sentence(0, 44, "Indian intelligence warned the Russians, too")
    >>> [(m.entity, m.form) for m in lex.mentions(s)]
    [('india-intelligence-services', 'new'), ('russia', 'people')]
    >>> lex.known("india-intelligence-services").state
    'india'
"""

from __future__ import annotations

from dataclasses import replace

from .gazetteer import Gazetteer, Known, Mention, match_names, slug
from .name_words import (
    AGENCY_NOUNS,
    BUILDINGS,
    CONNECTORS,
    IN_PLACE,
    MODIFIERS,
    NOT_NAMES,
    ORG_WORDS,
    PAPERS,
    STATE_NOUNS,
    STREETS,
    TITLES,
    VIOLENCE,
)
from .text import Sentence, Token, normalise, tokens


class Lexicon:
    """One article's names: the gazetteer plus the entities proposed while reading it."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.new: dict[str, Known] = {}
        self._surnames: dict[str, str] = {}
        self._placed: dict[str, Known] = {}
        self._line_starts: set[int] = set()

    def known(self, ident: str) -> Known:
        """The entity with id ``ident`` (reference, world or proposed).

        A town with no state (a reference place entered without one) takes the state of
        the GeoNames city of that name, for this reading only.
        """
        found = self.new.get(ident) or self.gaz.entities[ident]
        if found.type == "place" and not found.state and ident not in self._placed:
            from .cities import find_city

            city = find_city(found.label)
            state = self._state_named(city[1]) if city else None
            self._placed[ident] = replace(found, state=state) if state else found
        return self._placed.get(ident, found)

    def state_of(self, ident: str) -> str:
        """The state an actor acts for (itself for a state; itself when unknown)."""
        if not ident:
            return ident  # no actor named (a warning whose recipient the text leaves out)
        known = self.known(ident)
        return ident if known.type == "state" else known.state or ident

    def propose(
        self, label: str, kind: str, state: str | None, alias: str, ident: str | None = None
    ) -> str:
        """Register a proposed entity (or reuse one with the same id); return its id."""
        ident = ident or slug(label)
        existing = self.new.get(ident) or self.gaz.entities.get(ident)
        if existing is not None and existing.type == kind:
            if ident in self.new:
                self.new[ident] = replace(existing, aliases=(*existing.aliases, alias))
            return ident
        if existing is not None:
            ident = f"{ident}-{kind}"
        self.new[ident] = Known(ident, kind, label, state, aliases=(label, alias))
        if kind == "person" and " " in label:
            self._surnames[normalise(label.split()[-1])] = ident
        return ident

    def mentions(self, sentence: Sentence, toks: list[Token] | None = None) -> list[Mention]:
        """Every entity named in a sentence, longest names first, without overlaps."""
        toks = tokens(sentence) if toks is None else toks
        self._line_starts = {
            i
            for i, t in enumerate(toks)
            if t.start == sentence.start or sentence.text[t.start - sentence.start - 1] == "\n"
        }
        found = match_names(self.gaz.trie, toks)
        taken = [False] * len(toks)
        chosen: list[Mention] = []
        for first, last, entity, form in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if any(taken[first:last]):
                continue
            if (
                self.known(entity).type == "agency"
                and last < len(toks)
                and toks[last].capitalised
                and toks[last].norm in ORG_WORDS
            ):
                continue  # "Department of State Services": a longer name, not the known one
            if last < len(toks) and toks[last].capitalised and toks[last].norm in PAPERS:
                continue  # "the New York Times", "The Moscow Times": a newspaper
            for i in range(first, last):
                taken[i] = True
            chosen.append(Mention(first, last, toks[first].start, toks[last - 1].end, entity, form))
        chosen.sort(key=lambda m: m.first)
        chosen = self._compose(chosen, toks)
        return sorted(chosen + self._new_names(chosen, toks), key=lambda m: m.first)

    def _compose(self, mentions: list[Mention], toks: list[Token]) -> list[Mention]:
        """State + noun: "Indian intelligence" is an agency, "Iranian officials" the state."""
        starts = {m.first for m in mentions}
        result = []
        for m in mentions:
            if self.known(m.entity).type == "state" and m.form in ("name", "adj"):
                m = self._state_noun(m, toks, starts)
            result.append(m)
        return result

    def _state_noun(self, m: Mention, toks: list[Token], starts: set[int]) -> Mention:
        """A state's mention grown by the noun after it: to a proposed agency ("Indian
        intelligence", "British counter-terrorism police") or to the state's own body
        ("Iranian officials"); unchanged when no such noun follows."""
        i = _noun_after(m, toks, starts)
        for size in (2, 1):
            words = tuple(t.norm for t in toks[i : i + size])
            if len(words) < size or i in starts:
                continue
            if words in AGENCY_NOUNS:
                known = self.known(m.entity)
                noun = AGENCY_NOUNS[words]
                adjective = known.adjective or f"{known.label}'s"
                ident = self.propose(
                    f"{adjective} {noun}",
                    "agency",
                    m.entity,
                    _tidy(toks, m.first, i + size),
                    f"{m.entity}-{slug(noun)}",
                )
                return Mention(m.first, i + size, m.start, toks[i + size - 1].end, ident, "new")
            if size == 1 and words[0] in STATE_NOUNS:
                return Mention(m.first, i + 1, m.start, toks[i].end, m.entity, "name")
        return m

    def _new_names(self, mentions: list[Mention], toks: list[Token]) -> list[Mention]:
        """Propose people (after a title) and organisations (names ending in Agency, Front...)."""
        covered: list[Mention | None] = [None] * len(toks)
        for m in mentions:
            for i in range(m.first, m.last):
                covered[i] = m
        found = []
        i = 0
        while i < len(toks):
            if covered[i] is not None or not _name_word(toks[i]):
                i += 1
                continue
            j = i
            while (
                j < len(toks)
                and covered[j] is None
                and (
                    _name_word(toks[j])
                    or (
                        toks[j].norm in CONNECTORS
                        and j + 1 < len(toks)
                        and _name_word(toks[j + 1])
                    )
                )
            ):
                j += 1
            mention = self._classify(i, j, toks, covered)
            if mention is not None:
                found.append(mention)
            i = max(j, i + 1)
        return found

    def _classify(self, i: int, j: int, toks: list[Token], covered: list) -> Mention | None:
        """What the unknown name in tokens ``[i, j)`` is: a building, an organisation, a
        town, a person named before, or a person after a title; None if it says not."""
        words = [t.norm for t in toks[i:j]]
        if words[-1] in BUILDINGS or words[-2:] in (["trade", "center"], ["trade", "centre"]):
            return self._building(i, j, toks)
        if words[-1] in ORG_WORDS:
            return self._organisation(i, j, toks, covered)
        if self._may_be_town(i, j, toks) and j - i <= 3:
            # "in Krasnogorsk", "the Liverpool Women's Hospital explosion", "Brussels gunman"
            place = self._city(i, j, toks, covered)
            if place is not None:
                return place
        if len(words) == 1 and words[0] in self._surnames:
            return Mention(i, j, toks[i].start, toks[i].end, self._surnames[words[0]], "new")
        return self._person(i, j, toks, covered)

    def _building(self, i: int, j: int, toks: list[Token]) -> Mention | None:
        """"Westgate Mall", "World Trade Center": a proposed place (one word is too few)."""
        if j - i < 2:
            return None
        label = _tidy(toks, i, j)
        ident = self.propose(label, "place", None, label)
        return Mention(i, j, toks[i].start, toks[j - 1].end, ident, "new")

    def _organisation(self, i: int, j: int, toks: list[Token], covered: list
                      ) -> Mention | None:
        """A name ending in an organisation word ("... Agency", "... Front"), of the state
        named just before it ("Pakistan's Inter-Services Intelligence") or by "its"."""
        state, first = self._owner(i, toks, covered)
        if first == i and j - i < 2:
            return None
        label = _tidy(toks, first, j)
        ident = self.propose(label, ORG_WORDS[toks[j - 1].norm], state, label)
        return Mention(first, j, toks[first].start, toks[j - 1].end, ident, "new")

    def _owner(self, i: int, toks: list[Token], covered: list) -> tuple[str | None, int]:
        """The state that owns the organisation named from token ``i``, and where its
        name starts: a state name just before it is part of the name; "Pakistan's"
        or (else) "its" after a state named earlier is not."""
        before = covered[i - 1] if i > 0 else None
        if before is not None and self.known(before.entity).type == "state":
            return before.entity, before.first
        if (
            i >= 3
            and toks[i - 1].norm == "s"
            and toks[i - 2].norm == "'"
            and covered[i - 3] is not None
            and self.known(covered[i - 3].entity).type == "state"
        ):
            return covered[i - 3].entity, i
        if i > 0 and toks[i - 1].norm in ("its", "their"):
            # "Singapore's ministry said its Internal Security Department ...": the
            # state named last before the possessive owns it.
            owners = [m.entity for m in covered[:i]
                      if m is not None and self.known(m.entity).type == "state"]
            return (owners[-1] if owners else None), i
        return None, i

    def _may_be_town(self, i: int, j: int, toks: list[Token]) -> bool:
        """Whether the name stands where a town's would: after "in", before a word of
        violence, or as a dateline ("KABUL, Afghanistan")."""
        before_violence = any(t.norm in VIOLENCE for t in toks[j : j + 3])
        dateline = (
            (i == 0 or i in self._line_starts)
            and j < len(toks)
            and toks[j].norm in (",", ":", "-", "(")
        )
        return i > 0 and toks[i - 1].norm in IN_PLACE or before_violence or dateline

    def _person(self, i: int, j: int, toks: list[Token], covered: list) -> Mention | None:
        """Two to four name words after a title, before ", a/the/who" or a verb of saying:
        a proposed person (of the state in the title)."""
        titled = i > 0 and toks[i - 1].norm.rstrip(".") in TITLES
        appositive = (
            j + 1 < len(toks)
            and toks[j].norm == ","
            and toks[j + 1].norm in ("a", "an", "the", "who")
        )
        speaks = j < len(toks) and toks[j].norm in ("said", "told", "says", "wrote", "added")
        if not (
            2 <= j - i <= 4
            and all(t.is_word for t in toks[i:j])
            and (titled or appositive or speaks)
        ):
            return None
        state = self._title_state(i, toks, covered) if titled else None
        ident = self.propose(_tidy(toks, i, j), "person", state, _tidy(toks, i, j))
        return Mention(i, j, toks[i].start, toks[j - 1].end, ident, "new")

    def _city(self, i: int, j: int, toks: list[Token], covered: list) -> Mention | None:
        """A town after "in" / "near" that GeoNames knows: a proposed place in its state."""
        from .cities import find_city

        nearby = tuple(
            self.known(m.entity).label
            for m in {id(m): m for m in covered if m is not None}.values()
            if self.known(m.entity).type == "state"
        )
        name = _tidy(toks, i, j)
        if j < len(toks) and toks[j].norm in STREETS:
            return None  # "14 Riverside Drive" is a street, not Riverside, California
        found = find_city(name, nearby)
        if found is None and j - i > 1 and toks[j - 1].norm == "city":
            found = find_city(_tidy(toks, i, j - 1), nearby)  # "Davao City" is Davao
        if found is None:
            return None
        state = self._state_named(found[1])
        if state is None:
            return None
        ident = self.propose(name, "place", state, found[0])  # as the text spells it
        return Mention(i, j, toks[i].start, toks[j - 1].end, ident, "new")

    def _state_named(self, name: str) -> str | None:
        """The id of the state the gazetteer knows by ``name`` (a GeoNames country name)."""
        toks = tokens(Sentence(0, len(name), name))
        for first, last, entity, _form in match_names(self.gaz.trie, toks):
            if first == 0 and last == len(toks) and self.known(entity).type == "state":
                return entity
        return None

    def _title_state(self, i: int, toks: list[Token], covered: list) -> str | None:
        """The state in a title before a name: "Egyptian President", "US Ambassador"."""
        k = i - 1
        while k >= max(0, i - 6):
            m = covered[k]
            if m is not None:
                known = self.known(m.entity)
                state = m.entity if known.type == "state" else known.state
                return state if state and self.known(state).type == "state" else None
            tok = toks[k]
            if not (
                tok.capitalised
                or tok.norm in TITLES
                or tok.norm in MODIFIERS
                or tok.norm in ("'", "s", "-")
            ):
                return None  # "Pakistan's national security adviser X": Pakistan
            k -= 1
        return None



def _noun_after(m: Mention, toks: list[Token], starts: set[int]) -> int:
    """Where the noun after a state's mention may start: past "'s" and past lowercase
    modifiers that lead to a noun ("British counter-terrorism police")."""
    i = m.last
    if m.form == "name" and i + 1 < len(toks) and toks[i].norm == "'" and toks[i + 1].norm == "s":
        i += 2
    j = i
    while (
        j < min(len(toks), i + 4)
        and j not in starts
        and (toks[j].norm in MODIFIERS or toks[j].norm == "-")
    ):
        j += 1
    if j > i and j < len(toks) and (toks[j].norm in STATE_NOUNS or (toks[j].norm,) in AGENCY_NOUNS):
        return j
    return i


def _tidy(toks: list[Token], first: int, last: int) -> str:
    """The words of a token range as written, with single spaces between words."""
    out = ""
    for k in range(first, last):
        tok = toks[k]
        if k > first and tok.start > toks[k - 1].end:
            out += " "
        out += tok.text
    return out


def _name_word(tok: Token) -> bool:
    return (
        tok.capitalised
        and tok.text[:1].isalpha()
        and tok.norm not in NOT_NAMES
        and tok.norm not in TITLES
    )
