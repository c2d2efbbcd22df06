"""Naming actors and places: reference aliases first, then packaged world data.

A :class:`Gazetteer` is built once from the reference entities (``data/actors.yaml``)
plus two packaged lists, ``world.txt`` (states with their adjectives, people and
cities) and ``organisations.txt`` (well-known agencies and armed groups). Reference
data always wins: a world name that a reference entity already uses belongs to it.
Matching is case-insensitive and takes the longest alias first, except that short
all-capital names (``US``, ``IS``) match only in capitals and one-word names only
when capitalised (``Burns`` the person, not "burns"). One article's view of it, with
the names the extractor proposes, is a :class:`~kg.extract.lexicon.Lexicon`.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.text import Sentence, tokens
    >>> gaz = gazetteer((Entity("russia", "state", "Russia"),))
    >>> s = Sentence(0, 35, "Russian officials met the Americans.")
    >>> [(first, last, entity, form) for first, last, entity, form
    ...  in match_names(gaz.trie, tokens(s))]
    [(0, 1, 'russia', 'adj'), (4, 5, 'united-states', 'people')]
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources

from ..records import Entity
from .text import Sentence, Token, tokens


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
        _add_state(gaz, owners, ids, row)
    for row in _rows("organisations.txt"):
        _add_organisation(gaz, owners, ids, row)
    return gaz


def _add_state(gaz: Gazetteer, owners: dict[tuple[str, ...], str], ids: dict[str, str],
               row: list[str]) -> None:
    """A ``world.txt`` row: a state (or more names of a reference state), its adjectives,
    people and towns; ``ids`` maps the row's id to the state's id in the gazetteer."""
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
        _add_town(gaz, owners, ids[ident], place)


def _add_town(gaz: Gazetteer, owners: dict[tuple[str, ...], str], state: str,
              place: str) -> None:
    """A town of ``state`` from world data, unless a reference entity or an earlier name
    has it (a reference town of no state is lent this one)."""
    owner = owners.get(_key(place))
    if owner is not None and gaz.entities[owner].type == "place":
        if not gaz.entities[owner].state:  # a reference town of no state: lend it one
            gaz.entities[owner] = replace(gaz.entities[owner], state=state)
        return
    if _key(place) in owners or gaz.has(place):
        return
    pid = slug(place) if slug(place) not in gaz.entities else f"{state}-{slug(place)}"
    gaz.entities[pid] = Known(pid, "place", place, state, aliases=(place,))
    gaz.add(place, pid, "name", _rule(place, reference=False))


def _add_organisation(gaz: Gazetteer, owners: dict[tuple[str, ...], str],
                      ids: dict[str, str], row: list[str]) -> None:
    """An ``organisations.txt`` row, unless a reference entity already has one of its names."""
    ident, kind, label, names, state = (row + [""] * 5)[:5]
    all_names = [label, *_split(names)]
    if ident in gaz.entities or any(_key(n) in owners for n in all_names):
        return
    gaz.entities[ident] = Known(
        ident, kind, label, ids.get(state) if state else None, aliases=tuple(all_names)
    )
    for name in all_names:
        gaz.add(name, ident, "name", _rule(name, reference=False))


def _dot_variants(alias: str) -> list[str]:
    """``alias`` plus its spelling with acronyms dotted (US -> U.S.) or undotted."""
    dotted = re.sub(r"\b([A-Z]{2,3})\b", lambda m: ".".join(m.group(1)) + ".", alias)
    dotted = dotted.replace("..", ".")
    undotted = re.sub(r"\b((?:[A-Z]\.){2,3})", lambda m: m.group(1).replace(".", ""), alias)
    return list(dict.fromkeys((alias, dotted, undotted)))


def match_names(trie: dict, toks: list[Token]) -> list[tuple[int, int, str, str]]:
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
