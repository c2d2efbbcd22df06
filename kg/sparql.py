"""SPARQL over the dataset, and the named query library in ``kg/queries/*.rq``.

Named graphs are visible to ``GRAPH ?g``; the default graph is the union of all
graphs (see ``kg.build``). Each ``.rq`` file starts with a ``#`` comment line that
says what question it answers.

Example:
    >>> sorted(named_queries())[:2]
    ['actor-warnings', 'attacks']
    >>> describe("reciprocity").startswith("Was it reciprocated")
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal
from rdflib.query import Result

from .errors import QueryError, UnknownNameError
from .iri import BASE, GENID, PREFIXES, local_id
from .oxigraph import TERM_MEMO, NativeResult

QUERY_DIR = Path(__file__).resolve().parent / "queries"


def named_queries() -> dict[str, Path]:
    """Name -> path of every query in the library."""
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


def describe(name: str) -> str:
    """The first comment line of a named query: the question it answers."""
    return query_description(named_queries()[name].read_text(encoding="utf-8"))


def query_description(text: str) -> str:
    """A query's first line when it is a ``#`` comment, without the ``#``; else "".

    Example:
        >>> query_description("# Who warned whom"), query_description("ASK {}")
        ('Who warned whom', '')
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first.lstrip("#").strip() if first.startswith("#") else ""


def query_text(spec: str) -> str:
    """Resolve ``spec``: a named query, a ``.rq`` file, or the text of a query."""
    queries = named_queries()
    if spec in queries:
        return queries[spec].read_text(encoding="utf-8")
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 512 and "\n" not in spec and path.is_file()):
        if not path.is_file():
            raise UnknownNameError("query", spec, list(queries))
        return path.read_text(encoding="utf-8")
    if not any(word in spec.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise UnknownNameError("query", spec, list(queries))
    return spec


def run(dataset: Dataset, text: str) -> Result:
    """Run a SPARQL query; the prefixes of ``kg.iri.PREFIXES`` (kg, rdfs, prov, entity,
    ...) are predeclared."""
    try:
        return dataset.query(text, initNs=PREFIXES)
    except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad queries
        raise QueryError(f"SPARQL query failed: {type(exc).__name__}: {exc}") from None


def rows(result: Result) -> list[dict[str, Any]]:
    """SELECT results as dicts of plain values (IRIs of ours shortened to their ids).

    A result from Oxigraph keeps Oxigraph's own rows, which are read straight into plain
    values, a memo saving the terms that recur (labels, classes): at 100,000 rows this is
    several times faster than going through rdflib terms, with the same values.
    """
    if isinstance(result, NativeResult):
        native = result.native_rows
        names = [str(v) for v in result.vars or ()]
        memo: dict[Any, Any] = {}

        def value(term: Any) -> Any:
            plain = memo.get(term, _MISSING)
            if plain is _MISSING:
                if len(memo) > TERM_MEMO:
                    memo.clear()
                plain = memo[term] = _plain_native(term)
            return plain

        return [{name: value(term)
                 for name, term in zip(names, row, strict=True) if term is not None}
                for row in native]
    return rdflib_rows(result)


def rdflib_rows(result: Result) -> list[dict[str, Any]]:
    """:func:`rows` through the result's rdflib terms (any store)."""
    out = []
    for binding in result.bindings:
        # Stores differ in how they report an unbound variable (absent, or None).
        out.append({str(var): _plain(value) for var, value in binding.items()
                    if value is not None})
    return out


def _plain(term: Any) -> Any:
    if isinstance(term, Literal):
        # Oxigraph types every plain literal xsd:string, rdflib leaves it untyped: the same
        # value in RDF 1.1; toPython gives str for both.
        value = term.toPython()
        if isinstance(value, bool | int | float | str) and not isinstance(value, Literal):
            return value
        return str(term)
    text = str(term)
    return local_id(text) if text.startswith(BASE) else text


_MISSING = object()
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_FLOATS = {_XSD + "double", _XSD + "float"}


def _plain_native(term: Any) -> Any:
    """An Oxigraph term as the plain value :func:`_plain` gives for the same rdflib term."""
    kind = type(term).__name__  # pyoxigraph's classes, read by name
    if kind == "NamedNode":
        text = term.value
        if text.startswith(GENID):  # a blank node that travelled as an IRI
            return text[len(GENID):]
        return local_id(text) if text.startswith(BASE) else text
    if kind != "Literal":
        return term.value  # a blank node: its label
    lexical, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype in _FLOATS:
            return float(lexical)
    except ValueError:
        return lexical  # ill-typed: rdflib gives its text too
    if datatype == _XSD + "boolean":
        return lexical.lower() in ("true", "1")  # as rdflib reads it (anything else: False)
    return lexical


def lead_days(duration: str | int) -> int | None:
    """Days in an xsd duration such as ``P15D`` or ``-P3D`` (None if it has other parts).

    Virtuoso subtracts two dates to a number of seconds instead: an int is read as that.

    Example:
        >>> lead_days("P15D"), lead_days("-P3D"), lead_days("P1M"), lead_days(1296000)
        (15, -3, None, 15)
    """
    if isinstance(duration, int):
        return duration // 86400 if duration % 86400 == 0 else None
    sign = -1 if duration.startswith("-") else 1
    body = duration.lstrip("-")
    if not (body.startswith("P") and body.endswith("D")) or not body[1:-1].isdigit():
        return None
    return sign * int(body[1:-1])
