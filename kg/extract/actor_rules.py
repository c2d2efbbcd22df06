"""Roles of people and affiliations of organisations.

Roles come from a title before a name ("CIA Director William Burns", "former
President Donald Trump") or an apposition after it ("John Kirby, the Biden
administration's national security spokesman,"); the organisation is the actor the
title names, if any. Affiliations come from "X, an affiliate of Y", from names such
as "the Islamic State's affiliate in Afghanistan", and from "Russia's Federal
Security Service" (an agency named with its own state: part of it).

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("cia", "agency", "CIA", state="united-states"),
    ...                          Entity("william-burns", "person", "William Burns"))))
    >>> doc = read("CIA Director William Burns spoke.", lex, None)
    >>> [(r.person, r.role, r.organisation) for r in find_roles(doc)]
    [('william-burns', 'CIA Director', 'cia')]
"""

from __future__ import annotations

from dataclasses import dataclass

from .doc import Doc, Parsed
from .gazetteer import Mention
from .name_words import TITLES
from .text import collapse, words

ROLE_NOUNS = words("""spokesman spokeswoman spokesperson director official officer minister diplomat
ambassador president chief head commander leader secretary adviser advisor
envoy general analyst veteran agent operative journalist reporter scholar
expert founder chairman premier chancellor governor senator king prince emir
correspondent""")
_LEADING = words("former then late acting deputy vice interim")
_RELATIONS = {
    "affiliate": "affiliate_of",
    "branch": "branch_of",
    "offshoot": "affiliate_of",
    "wing": "part_of",
    "arm": "part_of",
    "faction": "part_of",
    "franchise": "affiliate_of",
    "member": "member_of",
    "part": "part_of",
    "unit": "part_of",
}


@dataclass(frozen=True)
class RoleFound:
    """A person's role, with the organisation it is in when named."""

    person: str
    role: str
    organisation: str | None
    span: tuple[int, int]
    confidence: float


@dataclass(frozen=True)
class AffiliationFound:
    """An organisation's relation to another (part_of, affiliate_of, branch_of, member_of)."""

    member: str
    organisation: str
    relation: str
    span: tuple[int, int]
    confidence: float


def find_roles(doc: Doc) -> list[RoleFound]:
    """Roles stated next to people's names, one per person and role text."""
    found: dict[tuple[str, str], RoleFound] = {}
    for p in doc.sentences:
        for m in p.mentions:
            if doc.known(m).type != "person":
                continue
            for role in (_title_before(doc, p, m), _apposition(doc, p, m)):
                if role is not None:
                    found.setdefault((role.person, role.role.casefold()), role)
    return list(found.values())


def _title_before(doc: Doc, p: Parsed, m: Mention) -> RoleFound | None:
    """ "then National Intelligence Director James Clapper" -> role and organisation."""
    i = m.first - 1
    has_title = False
    while i >= 0:
        tok = p.toks[i]
        inside = p.mention_at(i)
        if tok.norm.rstrip(".") in TITLES:
            has_title = True
        elif inside is not None and doc.known(inside).type in ("state", "agency", "group"):
            i = inside.first
        elif not (tok.capitalised and tok.is_word or tok.norm in _LEADING or tok.norm == "."):
            break
        i -= 1
    first = i + 1
    if not has_title or first >= m.first:
        return None
    role = collapse(doc.text[p.toks[first].start : p.toks[m.first - 1].end])
    return RoleFound(
        m.entity, role, _organisation(doc, p, first, m.first), (p.toks[first].start, m.end), 0.75
    )


def _apposition(doc: Doc, p: Parsed, m: Mention) -> RoleFound | None:
    """ "John Kirby, the Biden administration's national security spokesman," -> role."""
    words = p.words(m.last, m.last + 2)
    if words[:1] != [","] or words[1:2] not in (["a"], ["an"], ["the"]):
        return None
    start = m.last + 2
    stop = start
    while stop < min(len(p.toks), start + 14) and p.toks[stop].norm not in (
        ",",
        ";",
        ":",
        "(",
        "who",
        "which",
    ):
        stop += 1
    nouns = [i for i in range(start, stop) if p.toks[i].norm in ROLE_NOUNS]
    if not nouns:
        return None
    end = nouns[0] + 1
    role = collapse(doc.text[p.toks[start].start : p.toks[end - 1].end])
    if stop - end <= 6:  # keep a short tail: "in Central and South America"
        role = collapse(doc.text[p.toks[start].start : p.toks[stop - 1].end])
        end = stop
    return RoleFound(
        m.entity, role, _organisation(doc, p, start, end), (m.start, p.toks[end - 1].end), 0.65
    )


def _organisation(doc: Doc, p: Parsed, first: int, last: int) -> str | None:
    for mention in p.mentions:
        if first <= mention.first < last:
            known = doc.known(mention)
            if known.type in ("agency", "group") or (known.type == "state"):
                before = p.toks[mention.first - 1].norm if mention.first else ""
                if before not in ("in", "at", "near"):
                    return known.id
    return None


def find_affiliations(doc: Doc) -> list[AffiliationFound]:
    """Affiliations stated in the text, one per pair and relation."""
    found: dict[tuple[str, str, str], AffiliationFound] = {}
    for p in doc.sentences:
        for m in p.mentions:
            known = doc.known(m)
            if known.type not in ("agency", "group"):
                continue
            for item in (_possessive_name(doc, p, m), _of_phrase(doc, p, m)):
                if item is not None:
                    found.setdefault((item.member, item.organisation, item.relation), item)
    return list(found.values())


def _possessive_name(doc: Doc, p: Parsed, m: Mention) -> AffiliationFound | None:
    """ "Russia's Federal Security Service", "the Islamic State's affiliate in Afghanistan"."""
    toks = p.toks[m.first : m.last]
    owner_end = next(
        (i for i in range(len(toks) - 1) if toks[i].norm == "'" and toks[i + 1].norm == "s"), None
    )
    if owner_end is None or owner_end == 0:
        return None
    owner_text = doc.text[toks[0].start : toks[owner_end - 1].end]
    owner = _name_of(doc, owner_text)
    if owner is None or owner == m.entity:
        return None
    rest = [t.norm for t in toks[owner_end + 2 :]]
    relation = next((_RELATIONS[w] for w in rest[:2] if w in _RELATIONS), None)
    known = doc.known(m)
    if relation is None and known.type == "agency" and known.state == owner:
        relation = "part_of"
    if relation is None:
        return None
    return AffiliationFound(m.entity, owner, relation, (m.start, m.end), 0.6)


def _of_phrase(doc: Doc, p: Parsed, m: Mention) -> AffiliationFound | None:
    """ "X, an affiliate of Y" / "X, the Afghan branch of Y"."""
    words = p.words(m.last, m.last + 6)
    if words[:1] != [","]:
        return None
    for offset, word in enumerate(words[1:5], start=1):
        if word in _RELATIONS and words[offset + 1 : offset + 2] == ["of"]:
            index = m.last + offset + 2
            other = p.mention_at(index) or p.mention_at(index + 1)
            if (
                other is not None
                and doc.known(other).type in ("state", "agency", "group")
                and other.entity != m.entity
            ):
                return AffiliationFound(
                    m.entity, other.entity, _RELATIONS[word], (m.start, other.end), 0.65
                )
    return None


def _name_of(doc: Doc, text: str) -> str | None:
    """The entity whose name is exactly ``text`` (after an optional "the")."""
    from .text import Sentence

    words = text.split()
    if words and words[0].lower() == "the":
        text = " ".join(words[1:])
    mentions = doc.lex.mentions(Sentence(0, len(text), text))
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(text):
        return mentions[0].entity
    return None
