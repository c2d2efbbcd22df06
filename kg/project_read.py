"""How the projection (:mod:`kg.project`) reads a store: triples as plain values.

Three readers: rdflib's memory store through its indexes, Oxigraph through one SELECT per
need (its strings read directly, no rdflib term made per row), and any other store through
rdflib. Each gives a triple as ``(subject, predicate, object, is_literal)``: IRIs as
strings, a literal as its Python value (a date or a value rdflib cannot read as its text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import RDF, XSD, BNode, Dataset, Literal, URIRef

from .iri import local_id
from .vocab import KG

if TYPE_CHECKING:
    from .project import Needs

#: One triple as the projection reads it: subject, predicate, object (an IRI's string, or
#: a literal's Python value), and whether the object is a literal.
Triple = tuple[str, str, Any, bool]

_KG = str(KG._NS)
_TYPE = str(RDF.type)


class _Reader:
    """Reads triples from one kind of store (see :func:`reader`)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def graph(self, name: URIRef, skip: frozenset[URIRef]) -> Iterator[Triple]:
        """The triples of named graph ``name`` but those whose predicate is in ``skip``."""
        for s, p, o in self.dataset.graph(name):
            if p not in skip:
                yield _rdflib_triple(s, p, o)

    def graphs(self, wanted: dict[str, str], skip: frozenset[URIRef]
               ) -> Iterator[tuple[str, str, str, Any, bool]]:
        """Every triple of the graphs ``wanted`` (IRI -> source id), graph by graph."""
        for iri, name in wanted.items():
            for triple in self.graph(URIRef(iri), skip):
                yield (name, *triple)

    def needs(self, wanted: dict[str, str], needs: Needs
              ) -> Iterator[tuple[str, str, str, Any, bool]]:
        """The triples of the graphs ``wanted`` that ``needs`` asks for, as they come.

        Not graph by graph: :func:`project` puts what the order could change in one order.
        """
        for g, triple in self.rows(needs):
            name = wanted.get(g)
            if name is not None:
                yield (name, *triple)

    def rows(self, needs: Needs) -> Iterator[tuple[str, Triple]]:
        """(graph IRI, triple) of every named graph, as ``needs`` asks."""
        for query, p, o in _queries(needs):
            for row in self.dataset.query(query):
                found = iter(row)  # type: ignore[arg-type]
                g, s = next(found), next(found)
                yield str(g), _rdflib_triple(s, next(found) if p is None else URIRef(p),
                                             next(found) if o is None else URIRef(o))


class _MemoryReader(_Reader):
    """rdflib's in-memory store: each predicate's triples through its index."""

    def rows(self, needs: Needs) -> Iterator[tuple[str, Triple]]:
        # The same triples as the SELECTs of :func:`_queries`.
        if needs.predicates is None:
            yield from self._quads(None, None, needs)
        else:
            for name in sorted(needs.predicates):
                yield from self._quads(URIRef(_KG + name), None, needs)
        if needs.types is not None:
            for type_name in sorted(needs.types):
                yield from self._quads(RDF.type, URIRef(_KG + type_name), needs)
        elif needs.predicates is not None:
            yield from self._quads(RDF.type, None, needs)

    def _quads(self, p: URIRef | None, o: URIRef | None, needs: Needs
               ) -> Iterator[tuple[str, Triple]]:
        skip = {_KG + n for n in needs.skip}
        for s, p2, o2, g in self.dataset.quads((None, p, o, None)):
            if p is None and (str(p2) in skip or (p2 == RDF.type and needs.types is not None)):
                continue
            yield str(getattr(g, "identifier", g)), _rdflib_triple(s, p2, o2)


class _OxigraphReader(_Reader):
    """Oxigraph: one SELECT per need, its rows read as Oxigraph's strings."""

    def __init__(self, dataset: Dataset, select: Callable[[str], Iterator[Any]]) -> None:
        super().__init__(dataset)
        self.select = select
        self.literal = _literal_reader()

    def graph(self, name: URIRef, skip: frozenset[URIRef]) -> Iterator[Triple]:
        unwanted = f"FILTER (?p NOT IN ({', '.join(p.n3() for p in sorted(skip))}))" \
            if skip else ""
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} {unwanted} }}"
        literal = self.literal
        for s, p, o in self.select(query):
            kind = type(o).__name__
            yield (s.value, p.value, literal(o) if kind == "Literal" else
                   _blank(o.value) if kind == "BlankNode" else o.value, kind == "Literal")

    def rows(self, needs: Needs) -> Iterator[tuple[str, Triple]]:
        literal = self.literal
        for query, p, o in _queries(needs):
            if p is not None and o is not None:  # a type: no object to read
                for g, s in self.select(query):
                    yield g.value, (s.value, p, o, False)
                continue
            if p is not None:
                for g, s, o in self.select(query):
                    kind = type(o).__name__
                    yield g.value, (s.value, p, literal(o) if kind == "Literal" else
                                    _blank(o.value) if kind == "BlankNode" else o.value,
                                    kind == "Literal")
                continue
            for g, s, p2, o in self.select(query):
                kind = type(o).__name__
                yield g.value, (s.value, p2.value, literal(o) if kind == "Literal" else
                                _blank(o.value) if kind == "BlankNode" else o.value,
                                kind == "Literal")


def _queries(needs: Needs) -> list[tuple[str, str | None, str | None]]:
    """The SELECTs that read what ``needs`` asks for, one per need.

    Each with the predicate and object it fixes (``None``: a column): a predicate's query
    selects ``?g ?s ?o``, a type's ``?g ?s``, the rest ``?g ?s ?p ?o``. Every column read
    costs Oxigraph a string lookup per row.
    """
    queries: list[tuple[str, str | None, str | None]] = []
    if needs.predicates is None:
        unwanted = [f"<{_KG}{n}>" for n in sorted(needs.skip)]
        if needs.types is not None:
            unwanted.append(f"<{_TYPE}>")
        where = f"FILTER (?p NOT IN ({', '.join(unwanted)}))" if unwanted else ""
        queries.append((f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} }}",
                        None, None))
    else:
        queries += [(f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{_KG}{n}> ?o }} }}",
                     _KG + n, None) for n in sorted(needs.predicates)]
    if needs.types is not None:
        queries += [(f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s <{_TYPE}> <{_KG}{t}> }} }}",
                     _TYPE, _KG + t) for t in sorted(needs.types)]
    elif needs.predicates is not None:
        queries.append((f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{_TYPE}> ?o }} }}",
                        _TYPE, None))
    return queries


def reader(dataset: Dataset) -> _Reader:
    from .stores import is_memory, native_select

    if is_memory(dataset):
        return _MemoryReader(dataset)
    select = native_select(dataset)
    return _OxigraphReader(dataset, select) if select is not None else _Reader(dataset)


def _blank(value: str) -> str:
    return str(BNode(value))


def _rdflib_triple(s: Any, p: Any, o: Any) -> Triple:
    from .stores import plain

    s, o = plain(s), plain(o)
    if isinstance(o, Literal):
        return str(s), str(p), _value(o), True
    return str(s), str(p), str(o), False


_XSD = str(XSD)
_STRING, _INTEGER, _LANG_STRING = _XSD + "string", _XSD + "integer", str(RDF.langString)


def _literal_reader() -> Callable[[Any], Any]:
    """An Oxigraph literal -> the value :func:`_value` gives for the rdflib literal.

    Strings and integers directly; any other datatype through rdflib once per distinct
    value (the same dates, years and grades recur).
    """
    memo: dict[tuple[str, str], Any] = {}

    def literal(term: Any) -> Any:
        datatype = term.datatype.value
        if datatype == _STRING or datatype == _LANG_STRING:
            return term.value
        if datatype == _INTEGER and term.value.isascii() and term.value.isdigit():
            return int(term.value)
        key = (term.value, datatype)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _value(Literal(term.value, datatype=URIRef(datatype)))
        return found

    return literal


def _value(term: Any) -> Any:
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if hasattr(value, "isoformat") or value is None else value
    return local_id(term)
