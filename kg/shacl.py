"""A SHACL Core validator for the subset of SHACL that ``ontology/shapes.ttl`` uses.

pySHACL is the reference (the tests run every shape's passing and failing case through
both and require the same results); this module is what the build runs, because it is
a hundred times faster on our graphs: it reads the shapes once, indexes each graph by
subject, and checks only the nodes of the graph being validated, against the reference
and ontology triples looked up in place instead of copied into every graph.

What it implements: targets ``sh:targetClass`` (with ``rdfs:subClassOf``) and
``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` (the objects of the focus nodes'
triples: the nodes a graph points to, such as the source its quotes are in); paths that
are a predicate, ``sh:inversePath`` or a sequence;
the constraints ``sh:class``, ``sh:datatype`` (ill-typed literals fail), ``sh:nodeKind``,
``sh:minCount``, ``sh:maxCount``, ``sh:minLength``, ``sh:pattern``, ``sh:in``,
``sh:hasValue``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:disjoint``, ``sh:equals``,
``sh:lessThan``, ``sh:lessThanOrEquals``, ``sh:or``, ``sh:not``, ``sh:closed`` (with
``sh:ignoredProperties``) and ``sh:property``. A shape that uses anything
else is refused when the shapes are read (:class:`UnsupportedShape`), never ignored.

Terms are plain Python values, so a graph can be checked without making rdflib terms:
an IRI is a ``str``, a blank node a :class:`Blank`, a literal a :class:`Lit`
(:mod:`kg.shacl_graph` holds them and the indexes of the data).

Example:
    >>> from rdflib import Graph
    >>> shapes = compile_shapes(Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <urn:S> a sh:NodeShape ; sh:targetClass <urn:Warning> ;
    ...         sh:property [ sh:path <urn:warner> ; sh:minCount 1 ;
    ...                       sh:message "a warning needs a warner" ] .'''))
    >>> graph = Index([("urn:w", RDF_TYPE, "urn:Warning")])
    >>> [(r.focus, r.component, r.message) for r in validate(shapes, graph)]
    [('urn:w', 'MinCount', 'a warning needs a warner')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .shacl_graph import (
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    SH,
    XSD,
    XSD_STRING,
    Blank,
    Index,
    Lit,
    Term,
    Union,
    has_datatype,
    numeric,
    ordered_before,
    term_of,
)

XSD_BOOLEAN = XSD + "boolean"

__all__ = ["RDF_TYPE", "XSD_STRING", "Blank", "Index", "Lit", "Result", "Shape", "Shapes",
           "Term", "Union", "UnsupportedShape", "compile_shapes", "conforms", "targets_of",
           "term_of", "validate"]

class UnsupportedShape(ValueError):
    """Raised when a shapes graph uses SHACL that this validator does not implement."""


# --- reading the shapes ---------------------------------------------------------------------

Path = tuple  # ("p", iri) | ("inverse", iri) | ("sequence", (Path, ...))


@dataclass(eq=False)
class Shape:
    """One node or property shape, compiled."""

    node: Term
    message: str | None = None
    path: Path | None = None
    path_term: Term = None
    constraints: list[tuple[str, Any]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    target_classes: frozenset[str] = frozenset()
    target_subjects_of: frozenset[str] = frozenset()
    target_objects_of: frozenset[str] = frozenset()
    #: True when no value at all cannot violate it (no minCount, hasValue, equals, nested).
    empty_ok: bool = False
    #: ``sh:closed``: the predicates a focus node may have (None: not closed).
    closed: frozenset[str] | None = None


@dataclass
class Shapes:
    """A compiled shapes graph: the shapes that have targets, and everything they need."""

    targeted: list[Shape]
    by_class: dict[str, list[Shape]]
    by_predicate: dict[str, list[Shape]]
    #: ``sh:targetObjectsOf``: predicate -> the shapes that target its objects.
    by_object_of: dict[str, list[Shape]] = field(default_factory=dict)


# Shape predicates and how each is read: what a predicate is for, or the constraint
# component it configures (the name pySHACL reports as sh:<name>ConstraintComponent).
_STRUCTURAL = {RDF_TYPE, SH + "message", SH + "path", SH + "targetClass",
               SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "property", SH + "name",
               SH + "description",
               SH + "closed", SH + "ignoredProperties"}
_COMPONENTS = {"class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind",
               "minCount": "MinCount", "maxCount": "MaxCount", "minLength": "MinLength",
               "pattern": "Pattern", "in": "In", "hasValue": "HasValue",
               "minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive",
               "disjoint": "Disjoint", "equals": "Equals", "lessThan": "LessThan",
               "lessThanOrEquals": "LessThanOrEquals", "or": "Or", "not": "Not"}



def compile_shapes(graph: Any) -> Shapes:
    """Read an rdflib shapes graph into :class:`Shapes`.

    Raises UnsupportedShape for a SHACL feature this module does not implement.
    """
    triples: dict[Term, dict[str, list[Term]]] = {}
    for s, p, o in graph:
        triples.setdefault(term_of(s), {}).setdefault(str(p), []).append(term_of(o))
    compiled: dict[Term, Shape] = {}

    def values(node: Term, predicate: str) -> list[Term]:
        return triples.get(node, {}).get(predicate, [])

    def one(node: Term, predicate: str) -> Term:
        found = values(node, predicate)
        if len(found) != 1:
            raise UnsupportedShape(f"shape {node}: expected one {predicate}, found {found}")
        return found[0]

    def rdf_list(node: Term) -> list[Term]:
        items = []
        while node != RDF_NIL:
            items.append(one(node, RDF_FIRST))
            node = one(node, RDF_REST)
        return items

    def path_of(node: Term) -> Path:
        if isinstance(node, Blank):
            if values(node, SH + "inversePath"):
                return ("inverse", one(node, SH + "inversePath"))
            if values(node, RDF_FIRST):
                return ("sequence", tuple(path_of(step) for step in rdf_list(node)))
            raise UnsupportedShape(f"path {node}: only predicates, sh:inversePath and "
                                   "sequences are implemented")
        return ("p", node)

    def shape(node: Term) -> Shape:
        if node in compiled:
            return compiled[node]
        result = compiled[node] = Shape(node)
        messages = values(node, SH + "message")
        result.message = messages[0].lexical if messages else None
        if values(node, SH + "path"):
            result.path_term = one(node, SH + "path")
            result.path = path_of(result.path_term)
        result.target_classes = frozenset(values(node, SH + "targetClass"))
        result.target_subjects_of = frozenset(values(node, SH + "targetSubjectsOf"))
        result.target_objects_of = frozenset(values(node, SH + "targetObjectsOf"))
        for predicate, objects in sorted(triples.get(node, {}).items()):
            if predicate in _STRUCTURAL:
                continue
            name = predicate[len(SH):] if predicate.startswith(SH) else None
            if name not in _COMPONENTS:
                raise UnsupportedShape(f"shape {node} uses {predicate}, which kg.shacl does "
                                       "not implement")
            for value in objects:
                result.constraints.append((_COMPONENTS[name], _parameter(name, value)))
        result.properties = [shape(p) for p in values(node, SH + "property")]
        if any(v == Lit("true", XSD_BOOLEAN) for v in values(node, SH + "closed")):
            ignored = values(node, SH + "ignoredProperties")
            result.closed = frozenset(
                [p.path[1] for p in result.properties if p.path and p.path[0] == "p"]
                + (rdf_list(ignored[0]) if ignored else []))
        result.empty_ok = not result.properties and all(
            (name == "MinCount" and parameter == 0)
            or name not in ("MinCount", "HasValue", "Equals", "Or", "Not")
            for name, parameter in result.constraints)
        return result

    def _parameter(name: str, value: Term) -> Any:
        if name == "or":
            return [shape(alternative) for alternative in rdf_list(value)]
        if name == "not":
            return shape(value)
        if name == "in":
            return frozenset(rdf_list(value))
        if name in ("minCount", "maxCount", "minLength"):
            return int(value.lexical)
        if name == "pattern":
            return re.compile(value.lexical)
        if name in ("minInclusive", "maxInclusive"):
            number = numeric(value)
            if number is None:
                raise UnsupportedShape(f"sh:{name} {value}: only numbers are implemented")
            return number
        return value

    shape_types = {SH + "NodeShape", SH + "PropertyShape"}
    for node, predicates in list(triples.items()):
        if shape_types & set(predicates.get(RDF_TYPE, ())) or \
                {SH + "targetClass", SH + "targetSubjectsOf", SH + "targetObjectsOf"} & \
                set(predicates):
            shape(node)
    targeted = [s for s in compiled.values()
                if s.target_classes or s.target_subjects_of or s.target_objects_of]
    by_class: dict[str, list[Shape]] = {}
    by_predicate: dict[str, list[Shape]] = {}
    by_object_of: dict[str, list[Shape]] = {}
    for s in targeted:
        for c in s.target_classes:
            by_class.setdefault(c, []).append(s)
        for p in s.target_subjects_of:
            by_predicate.setdefault(p, []).append(s)
        for p in s.target_objects_of:
            by_object_of.setdefault(p, []).append(s)
    return Shapes(targeted, by_class, by_predicate, by_object_of)


# --- validating -------------------------------------------------------------------------------


class Result(NamedTuple):
    """One violation, with the fields a SHACL validation result has."""

    focus: Term
    shape: Term
    component: str
    path: Term
    value: Term
    message: str | None


def validate(shapes: Shapes, data: Union | Index,
             focus_nodes: Iterable[Term] | None = None) -> list[Result]:
    """Every violation of ``shapes`` in ``data``, checking only ``focus_nodes`` (default: all).

    A node is checked against each shape that targets it; the nodes it points to are read
    from ``data`` wherever they are. A shape with ``sh:targetObjectsOf`` checks the objects
    of the focus nodes' triples (each once), wherever those objects are described.
    """
    graph = data if isinstance(data, Union) else Union([data])
    if focus_nodes is None:
        focus_nodes = dict.fromkeys(s for layer in graph.layers for s in layer.subjects())
    results: list[Result] = []
    pointed: dict[tuple[int, Term], Shape] = {}
    for node in focus_nodes:
        for shape in targets_of(shapes, graph, node):
            _check(shape, node, graph, results)
        for predicate, targeting in shapes.by_object_of.items():
            for target in graph.objects(node, predicate):
                for shape in targeting:
                    pointed.setdefault((id(shape), target), shape)
    for (_, target), shape in pointed.items():
        _check(shape, target, graph, results)
    return results


def targets_of(shapes: Shapes, graph: Union, node: Term) -> list[Shape]:
    """The shapes that target ``node`` (each once, in the shapes' order)."""
    found: dict[int, Shape] = {}
    if shapes.by_class:
        for cls in graph.classes(node):
            for shape in shapes.by_class.get(cls, ()):
                found.setdefault(id(shape), shape)
    for predicate in graph.predicates(node):
        for shape in shapes.by_predicate.get(predicate, ()):
            found.setdefault(id(shape), shape)
    return list(found.values())


def conforms(shape: Shape, node: Term, graph: Union) -> bool:
    """True when ``node`` conforms to ``shape`` (its targets aside)."""
    return _check(shape, node, graph, None)


def _path_values(graph: Union, node: Term, path: Path) -> list[Term]:
    kind, step = path
    if kind == "p":
        return graph.objects(node, step)
    if kind == "inverse":
        return list(graph.subjects_of(step, node))
    current = [node]
    for part in step:
        current = list(dict.fromkeys(v for n in current for v in _path_values(graph, n, part)))
    return current


def _check(shape: Shape, focus: Term, graph: Union, results: list[Result] | None) -> bool:
    """Check ``focus`` against ``shape``; add results (unless None: then stop at the first)."""
    values = [focus] if shape.path is None else _path_values(graph, focus, shape.path)
    if not values and shape.empty_ok:
        return True
    ok = True

    def fail(component: str, value: Term = None) -> bool:
        if results is not None:
            results.append(Result(focus, shape.node, component, shape.path_term, value,
                                  shape.message))
        return results is not None  # go on collecting, or stop

    if shape.closed is not None:
        for predicate in sorted(graph.predicates(focus)):
            if predicate not in shape.closed:
                for value in graph.objects(focus, predicate):
                    ok = False
                    if results is None:
                        return False
                    results.append(Result(focus, shape.node, "Closed", predicate, value,
                                          shape.message))
    for component, parameter in shape.constraints:
        bad = _violations(component, parameter, values, focus, graph)
        for value in bad:
            ok = False
            if not fail(component, value):
                return False
    present = graph.predicates(focus) if shape.properties and shape.path is None else None
    for prop in shape.properties:
        if present is not None and prop.empty_ok and prop.path is not None and \
                prop.path[0] == "p" and prop.path[1] not in present:
            continue  # no value, and nothing in the shape asks for one
        if not _check(prop, focus, graph, results):
            ok = False
            if results is None:
                return False
    return ok


_NO_VALUE: list[Term] = [None]


def _violations(component: str, parameter: Any, values: list[Term], focus: Term,
                graph: Union) -> list[Term]:
    """The value nodes that violate one constraint ([None] for a count-like violation)."""
    if component == "MinCount":
        return _NO_VALUE if len(values) < parameter else []
    if component == "MaxCount":
        return _NO_VALUE if len(values) > parameter else []
    if component == "HasValue":
        return [] if parameter in values else _NO_VALUE
    if component == "Class":
        return [v for v in values if isinstance(v, Lit) or parameter not in graph.classes(v)]
    if component == "Datatype":
        return [v for v in values if not has_datatype(v, parameter)]
    if component == "NodeKind":
        return [v for v in values if not _node_kind(v, parameter)]
    if component == "MinLength":
        return [v for v in values if isinstance(v, Blank) or len(_text(v)) < parameter]
    if component == "Pattern":
        return [v for v in values if isinstance(v, Blank) or not parameter.search(_text(v))]
    if component == "In":
        return [v for v in values if v not in parameter]
    if component in ("MinInclusive", "MaxInclusive"):
        bad = []
        for v in values:
            number = numeric(v)
            if number is None or (number < parameter if component == "MinInclusive"
                                  else number > parameter):
                bad.append(v)
        return bad
    if component == "Disjoint":
        disjoint = set(graph.objects(focus, parameter))
        return [v for v in values if v in disjoint]
    if component == "Equals":
        others = graph.objects(focus, parameter)
        mine, theirs = set(values), set(others)
        return [v for v in values if v not in theirs] + [v for v in others if v not in mine]
    if component in ("LessThan", "LessThanOrEquals"):
        others = graph.objects(focus, parameter)
        bad = []
        for v in values:
            for w in others:
                if not ordered_before(v, w, strict=component == "LessThan"):
                    bad.append(v)
                    break
        return bad
    if component == "Or":
        return [v for v in values if not any(conforms(alt, v, graph) for alt in parameter)]
    if component == "Not":
        return [v for v in values if conforms(parameter, v, graph)]
    raise UnsupportedShape(component)  # pragma: no cover - compile_shapes refuses it first


def _text(value: Term) -> str:
    return value.lexical if isinstance(value, Lit) else str(value)


def _node_kind(value: Term, kind: Term) -> bool:
    if kind == SH + "IRI":
        return isinstance(value, str) and not isinstance(value, Blank)
    if kind == SH + "Literal":
        return isinstance(value, Lit)
    if kind == SH + "BlankNode":
        return isinstance(value, Blank)
    raise UnsupportedShape(f"sh:nodeKind {kind}")


