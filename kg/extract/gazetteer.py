"""Naming actors and places: reference aliases first, then packaged world data, then proposals.

A :class:`Gazetteer` is built once from the reference entities (``data/actors.yaml``)
plus two packaged lists, ``world.txt`` (states with their adjectives, people and
cities) and ``organisations.txt`` (well-known agencies and armed groups). Reference
data always wins: a world name that a reference entity already uses belongs to it.
Matching is case-insensitive and takes the longest alias first, except that short
all-capital names (``US``, ``IS``) match only in capitals and one-word names only
when capitalised (``Burns`` the person, not "burns").

A :class:`Lexicon` is one article's view: the gazetteer plus the entities the
extractor proposes while reading it (``Indian intelligence services``, a person named
after a title). Whatever a claim uses that is not a reference entity is proposed.

Example:
    >>> from kg.records import Entity
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),)))
    >>> from kg.extract.text import Sentence
    >>> s = Sentence(0, 44, "Indian intelligence warned the Russians, too")
    >>> [(m.entity, m.form) for m in lex.mentions(s)]
    [('india-intelligence-services', 'new'), ('russia', 'people')]
    >>> lex.known("india-intelligence-services").state
    'india'
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources

from ..records import Entity
from .text import Sentence, Token, normalise, tokens, words

#: Nouns that turn a state into one of its agencies ("Indian intelligence").
AGENCY_NOUNS = {
    ("intelligence",): "intelligence services",
    ("intelligence", "services"): "intelligence services",
    ("intelligence", "service"): "intelligence services",
    ("intelligence", "agencies"): "intelligence services",
    ("intelligence", "agency"): "intelligence services",
    ("spy", "agency"): "intelligence services",
    ("spy", "agencies"): "intelligence services",
    ("intelligence", "officials"): "intelligence services",
    ("intelligence", "agents"): "intelligence services",
    ("service",): "intelligence services",
    ("services",): "intelligence services",
    ("intelligence", "officers"): "intelligence services",
    ("intelligence", "community"): "intelligence services",
    ("intelligence", "sources"): "intelligence services",
    ("spies",): "intelligence services",
    ("spy", "service"): "intelligence services",
    ("spy", "services"): "intelligence services",
    ("security", "agency"): "security services",
    ("security", "authorities"): "security services",
    ("counterterrorism", "officials"): "security services",
    ("counter-terrorism", "officials"): "security services",
    ("police", "officers"): "police",
    ("police", "force"): "police",
    ("federal", "police"): "police",
    ("law", "enforcement"): "police",
    ("security", "services"): "security services",
    ("security", "service"): "security services",
    ("security", "agencies"): "security services",
    ("security", "forces"): "security services",
    ("security", "officials"): "security services",
    ("police",): "police",
    ("military",): "military",
    ("army",): "military",
    ("armed", "forces"): "military",
    ("embassy",): "embassy",
}
#: Lowercase words between a state's adjective and its agency: "British counter-terrorism
#: police", "Indian federal investigators".
_MODIFIERS = words("""counter terrorism counterterrorism anti security federal national state
local senior top domestic foreign external internal military border special""")
#: Nouns after which a state name still means the state ("Iranian officials").
STATE_NOUNS = words("""officials official authorities authority government counterparts counterpart
leaders leadership diplomats administration regime side officers ministers president
agencies agency services colleagues partners prosecutors investigators detectives""")
#: Last words of organisation names, and the type they suggest.
ORG_WORDS = {
    **dict.fromkeys(
        [
            "agency",
            "service",
            "services",
            "ministry",
            "authority",
            "department",
            "bureau",
            "directorate",
            "police",
            "office",
            "command",
            "council",
            "committee",
            "corps",
            "guard",
            "guards",
            "embassy",
            "consulate",
            "unit",
            "center",
            "centre",
        ],
        "agency",
    ),
    **dict.fromkeys(
        [
            "front",
            "brigade",
            "brigades",
            "movement",
            "group",
            "organisation",
            "organization",
            "party",
            "network",
            "jamaat",
            "jama'ath",
            "jamaath",
            "jamath",
            "tehreek",
            "tehrik",
            "mujahideen",
            "battalion",
            "militia",
            "faction",
            "cell",
            "army",
        ],
        "group",
    ),
}
#: Last words of the names of buildings and sites, proposed as places ("Westgate Mall").
BUILDINGS = words("""tower towers hotel mall airport station church mosque synagogue museum
school university college market hall club stadium arena cathedral shrine temple bazaar
plaza square cafe restaurant nightclub theatre theater gate bakery hill memorial border
palace base camp barracks compound harbour bridge parliament consulate headquarters park""")
#: Words before a name that make it a person's name.
TITLES = words("""president minister director secretary ambassador general gen colonel col commander
chief senator sen governor gov king queen prince sheikh imam mullah ayatollah mr
mrs ms dr spokesman spokeswoman spokesperson leader chairman emir judge premier
chancellor envoy officer official lieutenant lt captain capt major counterpart adviser advisor
spokesman""")
#: Capitalised words that never start a name.
NOT_NAMES = words("""the a an in on at of for and but or if when while after before since this that
these those it its his her their our we they he she i you there here as by from
to with without however meanwhile still yet also even many some few most other
another such monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december
according despite during under over""")
_PAPERS = words("""times post herald journal tribune gazette globe chronicle telegraph observer
monitor standard""")
_STREETS = words("drive road street avenue boulevard lane way square")
#: Nouns of violence after which a town's name is the attack's ("the Kano bombing").
_VIOLENCE = words("""attack attacks bombing bombings blast blasts explosion explosions siege
shooting shootings massacre stabbing gunman gunmen bomber bombers hospital""")
#: Words after which a capitalised name may be a town: "in Krasnogorsk", "near Sehwan".
_IN_PLACE = words("in at near outside inside of")
_CONNECTORS = words("of the for and al el e i ul bin ibn de - '")


@dataclass(frozen=True)
class Known:
    """An entity the extractor can name: from the reference data, world data, or proposed."""

    id: str
    type: str
    label: str
    state: str | None = None
    reference: bool = False
    adjective: str | None = None
    aliases: tuple[str, ...] = ()

    def entity(self, description: str) -> Entity:
        """This entity as a record for an ``actors.yaml``-style file."""
        aliases = tuple(a for a in dict.fromkeys(self.aliases) if a != self.label)
        return Entity(self.id, self.type, self.label, aliases, self.state, description=description)


@dataclass(frozen=True)
class Mention:
    """Words of a sentence that name an entity: token range, offsets, and how it was named.

    ``form`` is ``name`` (a name or alias), ``adj`` (an adjective: "Iranian"), ``people``
    ("Americans") or ``new`` (a name the extractor proposes).
    """

    first: int
    last: int
    start: int
    end: int
    entity: str
    form: str


@dataclass
class Gazetteer:
    """Every name the extractor knows, as a token trie, and the entities they name."""

    entities: dict[str, Known] = field(default_factory=dict)
    trie: dict = field(default_factory=dict)

    def add(self, alias: str, entity: str, form: str, rule: str) -> None:
        """Add an alias (``rule``: ``any`` case, ``caps`` as written, ``exact``).

        An acronym is added with and without full stops: ``US`` and ``U.S.``.
        """
        for variant in _dot_variants(alias):
            self._add(variant, entity, form, rule)

    def _add(self, alias: str, entity: str, form: str, rule: str) -> None:
        toks = tokens(Sentence(0, len(alias), alias))
        if not toks:
            return
        node = self.trie
        for tok in toks:
            node = node.setdefault(tok.norm, {})
        node.setdefault("", []).append((entity, form, rule, tuple(t.text for t in toks)))

    def has(self, alias: str) -> bool:
        """Whether some entity already owns ``alias``."""
        node: dict | None = self.trie
        for tok in tokens(Sentence(0, len(alias), alias)):
            node = node.get(tok.norm) if node is not None else None
        return bool(node and node.get(""))


@functools.lru_cache(maxsize=8)
def gazetteer(reference: tuple[Entity, ...]) -> Gazetteer:
    """Build the gazetteer for a set of reference entities (cached)."""
    gaz = Gazetteer()
    for entity in reference:
        gaz.entities[entity.id] = Known(
            entity.id,
            entity.type,
            entity.label,
            entity.state,
            True,
            aliases=(entity.label, *entity.aliases),
        )
        for alias in (entity.label, *entity.aliases):
            gaz.add(alias, entity.id, "name", _rule(alias, reference=True))
    owners = {_key(a): e.id for e in reference for a in (e.label, *e.aliases)}
    ids: dict[str, str] = {}
    for row in _rows("world.txt"):
        ident, label, names, adjectives, people, places = (row + [""] * 6)[:6]
        all_names = [label, *_split(names)]
        found = [owners[_key(n)] for n in all_names if _key(n) in owners]
        state = next((f for f in found if gaz.entities[f].type == "state"), None)
        ids[ident] = state or ident
        adjective = next(iter(_split(adjectives)), None)
        if state:
            gaz.entities[state] = replace(gaz.entities[state], adjective=adjective)
        else:
            gaz.entities[ident] = Known(
                ident, "state", label, adjective=adjective, aliases=tuple(all_names)
            )
        for names_, form in (
            (all_names, "name"),
            (_split(adjectives), "adj"),
            (_split(people), "people"),
        ):
            for name in names_:
                if _key(name) not in owners:
                    gaz.add(name, ids[ident], form, _rule(name, reference=False))
        for place in _split(places):
            owner = owners.get(_key(place))
            if owner is not None and gaz.entities[owner].type == "place":
                if not gaz.entities[owner].state:  # a reference town of no state: lend it one
                    gaz.entities[owner] = replace(gaz.entities[owner], state=ids[ident])
                continue
            if _key(place) in owners or gaz.has(place):
                continue
            pid = slug(place) if slug(place) not in gaz.entities else f"{ids[ident]}-{slug(place)}"
            gaz.entities[pid] = Known(pid, "place", place, ids[ident], aliases=(place,))
            gaz.add(place, pid, "name", _rule(place, reference=False))
    for row in _rows("organisations.txt"):
        ident, kind, label, names, state = (row + [""] * 5)[:5]
        all_names = [label, *_split(names)]
        if ident in gaz.entities or any(_key(n) in owners for n in all_names):
            continue
        gaz.entities[ident] = Known(
            ident, kind, label, ids.get(state) if state else None, aliases=tuple(all_names)
        )
        for name in all_names:
            gaz.add(name, ident, "name", _rule(name, reference=False))
    return gaz


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
        found = _match(self.gaz.trie, toks)
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
            if last < len(toks) and toks[last].capitalised and toks[last].norm in _PAPERS:
                continue  # "the New York Times", "The Moscow Times": a newspaper
            for i in range(first, last):
                taken[i] = True
            chosen.append(Mention(first, last, toks[first].start, toks[last - 1].end, entity, form))
        chosen.sort(key=lambda m: m.first)
        chosen = self._compose(chosen, toks)
        return sorted(chosen + self._new_names(chosen, toks), key=lambda m: m.first)

    def _compose(self, mentions: list[Mention], toks: list[Token]) -> list[Mention]:
        """State + noun: "Indian intelligence" is an agency, "Iranian officials" the state."""
        result = []
        starts = {m.first for m in mentions}
        for m in mentions:
            known = self.known(m.entity)
            if known.type != "state" or m.form not in ("name", "adj"):
                result.append(m)
                continue
            i = m.last
            if (
                m.form == "name"
                and i + 1 < len(toks)
                and toks[i].norm == "'"
                and toks[i + 1].norm == "s"
            ):
                i += 2
            # "British counter-terrorism police": lowercase modifiers before the noun
            j = i
            while (
                j < min(len(toks), i + 4)
                and j not in starts
                and (toks[j].norm in _MODIFIERS or toks[j].norm == "-")
            ):
                j += 1
            if (
                j > i
                and j < len(toks)
                and (toks[j].norm in STATE_NOUNS or (toks[j].norm,) in AGENCY_NOUNS)
            ):
                i = j
            for size in (2, 1):
                words = tuple(t.norm for t in toks[i : i + size])
                if len(words) < size or i in starts:
                    continue
                if words in AGENCY_NOUNS:
                    noun = AGENCY_NOUNS[words]
                    adjective = known.adjective or f"{known.label}'s"
                    ident = self.propose(
                        f"{adjective} {noun}",
                        "agency",
                        m.entity,
                        _tidy(toks, m.first, i + size),
                        f"{m.entity}-{slug(noun)}",
                    )
                    m = Mention(m.first, i + size, m.start, toks[i + size - 1].end, ident, "new")
                    break
                if size == 1 and words[0] in STATE_NOUNS:
                    m = Mention(m.first, i + 1, m.start, toks[i].end, m.entity, "name")
                    break
            result.append(m)
        return result

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
                        toks[j].norm in _CONNECTORS
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
        words = [t.norm for t in toks[i:j]]
        last = words[-1]
        before = covered[i - 1] if i > 0 else None
        if last in BUILDINGS or words[-2:] in (["trade", "center"], ["trade", "centre"]):
            if len(words) < 2:
                return None
            label = _tidy(toks, i, j)
            ident = self.propose(label, "place", None, label)
            return Mention(i, j, toks[i].start, toks[j - 1].end, ident, "new")
        if last in ORG_WORDS:
            state, first = None, i
            if before is not None and self.known(before.entity).type == "state":
                state, first = before.entity, before.first
            elif (
                i >= 3
                and toks[i - 1].norm == "s"
                and toks[i - 2].norm == "'"
                and covered[i - 3] is not None
                and self.known(covered[i - 3].entity).type == "state"
            ):
                state = covered[i - 3].entity
            if first == i and len(words) < 2:
                return None
            if state is None and i > 0 and toks[i - 1].norm in ("its", "their"):
                # "Singapore's ministry said its Internal Security Department ...": the
                # state named last before the possessive owns it.
                owners = [
                    m.entity
                    for m in covered[:i]
                    if m is not None and self.known(m.entity).type == "state"
                ]
                state = owners[-1] if owners else None
            label = _tidy(toks, first, j)
            ident = self.propose(label, ORG_WORDS[last], state, label)
            return Mention(first, j, toks[first].start, toks[j - 1].end, ident, "new")
        before_violence = any(t.norm in _VIOLENCE for t in toks[j : j + 3])
        dateline = (
            (i == 0 or i in self._line_starts)
            and j < len(toks)
            and toks[j].norm in (",", ":", "-", "(")
        )
        if (i > 0 and toks[i - 1].norm in _IN_PLACE or before_violence or dateline) and j - i <= 3:
            # "in Krasnogorsk", "the Liverpool Women's Hospital explosion", "Brussels gunman"
            place = self._city(i, j, toks, covered)
            if place is not None:
                return place
        if len(words) == 1 and words[0] in self._surnames:
            return Mention(i, j, toks[i].start, toks[i].end, self._surnames[words[0]], "new")
        titled = i > 0 and toks[i - 1].norm.rstrip(".") in TITLES
        appositive = (
            j + 1 < len(toks)
            and toks[j].norm == ","
            and toks[j + 1].norm in ("a", "an", "the", "who")
        )
        speaks = j < len(toks) and toks[j].norm in ("said", "told", "says", "wrote", "added")
        if (
            2 <= j - i <= 4
            and all(t.is_word for t in toks[i:j])
            and (titled or appositive or speaks)
        ):
            state = self._title_state(i, toks, covered) if titled else None
            ident = self.propose(_tidy(toks, i, j), "person", state, _tidy(toks, i, j))
            return Mention(i, j, toks[i].start, toks[j - 1].end, ident, "new")
        return None

    def _city(self, i: int, j: int, toks: list[Token], covered: list) -> Mention | None:
        """A town after "in" / "near" that GeoNames knows: a proposed place in its state."""
        from .cities import find_city

        nearby = tuple(
            self.known(m.entity).label
            for m in {id(m): m for m in covered if m is not None}.values()
            if self.known(m.entity).type == "state"
        )
        name = _tidy(toks, i, j)
        if j < len(toks) and toks[j].norm in _STREETS:
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
        for first, last, entity, _form in _match(self.gaz.trie, toks):
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
                or tok.norm in _MODIFIERS
                or tok.norm in ("'", "s", "-")
            ):
                return None  # "Pakistan's national security adviser X": Pakistan
            k -= 1
        return None


def _dot_variants(alias: str) -> list[str]:
    """``alias`` plus its spelling with acronyms dotted (US -> U.S.) or undotted."""
    dotted = re.sub(r"\b([A-Z]{2,3})\b", lambda m: ".".join(m.group(1)) + ".", alias)
    dotted = dotted.replace("..", ".")
    undotted = re.sub(r"\b((?:[A-Z]\.){2,3})", lambda m: m.group(1).replace(".", ""), alias)
    return list(dict.fromkeys((alias, dotted, undotted)))


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


def _match(trie: dict, toks: list[Token]) -> list[tuple[int, int, str, str]]:
    """All (first, last, entity, form) alias matches; the longest at each start."""
    found = []
    for i in range(len(toks)):
        node = trie.get(toks[i].norm)
        j, best = i + 1, None
        while node is not None:
            for entity, form, rule, spelled in node.get("", ()):
                if _case_ok(rule, spelled, toks[i:j]):
                    best = (i, j, entity, form)
                    break
            if j >= len(toks):
                break
            node = node.get(toks[j].norm)
            j += 1
        if best is not None:
            found.append(best)
    return found


def _case_ok(rule: str, words: tuple[str, ...], toks: list[Token]) -> bool:
    if rule == "exact":
        return all(w == t.text for w, t in zip(words, toks, strict=True))
    if rule == "caps":
        return all(
            t.text[:1].isupper() for w, t in zip(words, toks, strict=True) if w[:1].isupper()
        )
    return True


def _rule(alias: str, reference: bool) -> str:
    letters = [c for c in alias if c.isalpha()]
    if letters and not any(c.islower() for c in letters) and len(letters) <= 6:
        return "exact"
    if not reference or (" " not in alias.strip() and alias[:1].isupper()):
        return "caps"
    return "any"


def _key(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokens(Sentence(0, len(name), name)))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@functools.lru_cache(maxsize=4)
def _read(name: str) -> str:
    return resources.files("kg.extract").joinpath(name).read_text(encoding="utf-8")


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in _read(name).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append([cell.strip() for cell in line.split("|")])
    return rows


def slug(text: str) -> str:
    """An id from a label: ASCII letters, digits and hyphens.

    Example:
        >>> slug("Hugo Chávez's   Jama'ath")
        'hugo-chavezs-jamaath'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    ident = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return ident or "entity-" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:10]
