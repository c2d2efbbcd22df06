"""The graphs a SHACL validation reads (:mod:`kg.shacl`), as plain Python values.

An IRI is a ``str``, a blank node a :class:`Blank`, a literal a :class:`Lit`. An
:class:`Index` holds one graph's triples by subject and predicate; a :class:`Union` reads
several as one graph (as pySHACL reads a merged graph), with the class hierarchy
(``rdfs:subClassOf``) and inverse lookups it needs. Literal checks (a datatype's lexical
form, a number's value) are here too.

Example:
    >>> g = Union([Index([("urn:a", RDF_TYPE, "urn:Warning")]),
    ...            Index([("urn:Warning", SUBCLASS_OF, "urn:Event")])])
    >>> sorted(g.classes("urn:a"))
    ['urn:Event', 'urn:Warning']
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


class Lit(NamedTuple):
    """A literal: its lexical form, datatype IRI and language tag (or None)."""

    lexical: str
    datatype: str = XSD_STRING
    lang: str | None = None


class Blank(str):
    """A blank node, by its label."""

    __slots__ = ()


Term = Any  # str (an IRI) | Blank | Lit


def term_of(node: Any) -> Term:
    """The validator's term for an rdflib term."""
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        if node.language:
            return Lit(str(node), RDF_LANGSTRING, node.language)
        return Lit(str(node), str(node.datatype) if node.datatype else XSD_STRING, None)
    if isinstance(node, BNode):
        return Blank(node)
    return str(node)



class Index:
    """Triples indexed by subject and predicate (objects kept in order, without repeats).

    Example:
        >>> g = Index([("urn:s", "urn:p", Lit("1")), ("urn:s", "urn:p", Lit("1"))])
        >>> g.objects("urn:s", "urn:p")
        [Lit(lexical='1', datatype='http://www.w3.org/2001/XMLSchema#string', lang=None)]
    """

    def __init__(self, triples: Iterable[tuple[Term, Term, Term]] = ()) -> None:
        self.spo: dict[Term, dict[str, dict[Term, None]]] = {}
        self.add(triples)

    def add(self, triples: Iterable[tuple[Term, Term, Term]]) -> None:
        """Add triples (repeats are kept once)."""
        spo = self.spo
        for s, p, o in triples:
            by_p = spo.get(s)
            if by_p is None:
                by_p = spo[s] = {}
            objects = by_p.get(p)
            if objects is None:
                by_p[p] = {o: None}
            else:
                objects[o] = None

    def objects(self, s: Term, p: str) -> list[Term]:
        """The objects of ``s p``."""
        found = self.spo.get(s, {}).get(p)
        return list(found) if found else []

    def subjects(self) -> Iterator[Term]:
        """Every subject."""
        return iter(self.spo)


class Union:
    """Several indexes read as one graph (their union), as pySHACL reads a merged graph."""

    def __init__(self, layers: Sequence[Index]) -> None:
        self.layers = [layer for layer in layers if layer.spo]
        self._inverse: dict[str, dict[Term, list[Term]]] = {}
        self._superclasses: dict[Term, frozenset[Term]] = {}
        self._classes: dict[Term, set[Term]] = {}

    def objects(self, s: Term, p: str) -> list[Term]:
        """The objects of ``s p`` in any layer, each once."""
        found: dict[Term, None] | None = None
        first: dict[Term, None] | None = None
        for layer in self.layers:
            objects = layer.spo.get(s, {}).get(p)
            if objects:
                if first is None:
                    first = objects
                else:
                    if found is None:
                        found = dict(first)
                    found.update(objects)
        return list(found if found is not None else first or ())

    def predicates(self, s: Term) -> set[str]:
        """The predicates of ``s`` in any layer."""
        found: set[str] = set()
        for layer in self.layers:
            found.update(layer.spo.get(s, ()))
        return found

    def subjects_of(self, p: str, o: Term) -> list[Term]:
        """The subjects of ``? p o`` (an inverse path), from an index made on first use."""
        inverse = self._inverse.get(p)
        if inverse is None:
            inverse = self._inverse[p] = {}
            for layer in self.layers:
                for s, by_p in layer.spo.items():
                    for obj in by_p.get(p, ()):
                        inverse.setdefault(obj, [])
                        if s not in inverse[obj]:
                            inverse[obj].append(s)
        return inverse.get(o, [])

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it is a ``rdfs:subClassOf`` of, transitively."""
        known = self._superclasses.get(cls)
        if known is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), SUBCLASS_OF):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            known = self._superclasses[cls] = frozenset(seen)
        return known

    def classes(self, node: Term) -> set[Term]:
        """Every class ``node`` is a SHACL instance of (its types and their superclasses)."""
        found = self._classes.get(node)
        if found is None:
            found = set()
            for cls in self.objects(node, RDF_TYPE):
                found |= self.superclasses(cls)
            self._classes[node] = found
        return found


_TZ = r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_LEXICAL = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "gYear": re.compile(r"-?([1-9]\d{4,}|\d{4})" + _TZ),
    XSD + "gYearMonth": re.compile(r"-?([1-9]\d{4,}|\d{4})-(0[1-9]|1[0-2])" + _TZ),
    XSD + "date": re.compile(r"(-?(?:[1-9]\d{4,}|\d{4})-\d\d-\d\d)" + _TZ),
    XSD + "dateTime": re.compile(r"-?([1-9]\d{4,}|\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?" + _TZ),
    XSD + "boolean": re.compile(r"true|false|1|0"),
}


def has_datatype(value: Term, datatype: str) -> bool:
    """A literal of ``datatype`` whose lexical form is valid for it (as pySHACL checks)."""
    if not isinstance(value, Lit) or value.datatype != datatype:
        return False
    pattern = _LEXICAL.get(datatype)
    if pattern is None:
        return True
    match = pattern.fullmatch(value.lexical)
    if match is None:
        return False
    if datatype == XSD + "date":
        try:
            datetime.date.fromisoformat(match.group(1))
        except ValueError:
            return False
    if datatype == XSD + "dateTime":
        return _ordered(value) is not None  # a real day and time, as rdflib reads it
    return True


def _ordered(value: Term) -> Decimal | datetime.datetime | None:
    """A value ``sh:lessThan`` can compare: a number, or an ``xsd:dateTime``."""
    if isinstance(value, Lit) and value.datatype == XSD + "dateTime":
        try:
            return datetime.datetime.fromisoformat(value.lexical.replace("Z", "+00:00"))
        except ValueError:
            return None
    return numeric(value)


def ordered_before(v: Term, w: Term, strict: bool = True) -> bool:
    """Whether ``v`` < ``w`` (``strict``) or ``v`` <= ``w``: two numbers, or two
    ``xsd:dateTime`` both with or both without a time zone (else XML Schema leaves them
    unordered, and the answer is no)."""
    a, b = _ordered(v), _ordered(w)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a < b if strict else a <= b
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        if (a.tzinfo is None) != (b.tzinfo is None):
            return False
        return a < b if strict else a <= b
    return False


def numeric(value: Term) -> Decimal | None:
    """The number a numeric literal stands for; None for anything else."""
    if not isinstance(value, Lit) or value.datatype not in (XSD + "integer", XSD + "decimal"):
        return None
    if not _LEXICAL[value.datatype].fullmatch(value.lexical):
        return None
    try:
        return Decimal(value.lexical)
    except InvalidOperation:  # pragma: no cover - the pattern allows only numbers
        return None
