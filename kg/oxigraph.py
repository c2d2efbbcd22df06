"""Oxigraph: the one module that knows pyoxigraph's store, behind rdflib's Store API.

:class:`OxigraphStore` is an rdflib ``Store`` over a ``pyoxigraph.Store`` (in memory or
on disk) that behaves like rdflib's own (plain literals plain, blank nodes as rdflib
makes them), and it is the :class:`kg.stores.NativeStore` the rest of the code asks for
Oxigraph's fast paths: N-Quads text written in bulk, SELECT rows in Oxigraph's own
terms, the union of our graphs kept in the default graph, dumps and counts. Nothing
outside this module reads the pyoxigraph store inside it.

Ours rather than oxrdflib's: oxrdflib imports rdflib's SPARQL engine (pyparsing and all;
about 0.17 s, a third of a question's whole process after a build) only to recognise
parsed queries, which we never pass.

Example:
    >>> from rdflib import Dataset, Literal, URIRef
    >>> store = OxigraphStore()
    >>> ds = Dataset(store=store, default_union=True)
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal("x")))
    >>> [row for row in store.select("SELECT ?o { ?s ?p ?o }")]
    [(rdflib.term.Literal('x'),)]
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.store import Store

from .errors import StoreError
from .iri import BUILD, GENID, GRAPHS, MANIFEST, RECORD, blank_again, skolemised
from .stores import plain

#: IRIs remembered as Oxigraph terms (predicates, classes, graphs, entities recur): past
#: this many the memo starts again, so a huge build's IRIs do not all stay in memory.
IRI_MEMO = 200_000
#: Oxigraph terms remembered as rdflib terms while rows are read (labels, classes recur).
TERM_MEMO = 100_000
#: Quads per Oxigraph load (one transaction each); about 20 MB of N-Quads text.
LOAD_BATCH = 100_000
#: Bytes of N-Triples copied into the union per load (bounds the memory the copy takes).
UNION_CHUNK = 64_000_000

_XSD_STRING = str(XSD.string)
_DEFAULT = ox.DefaultGraph()


class NativeResult(Result):
    """A SELECT result that keeps Oxigraph's own rows (``kg.sparql.rows`` reads them
    straight); rdflib terms are made only when the bindings are asked for."""

    def __init__(self, variables: list[Variable], native_rows: list[tuple[Any, ...]]) -> None:
        super().__init__("SELECT")
        self.vars = variables
        self.native_rows = native_rows
        convert = converter()
        self._bindings = []
        self._genbindings = ({var: convert(value)
                              for var, value in zip(variables, row, strict=True)
                              if value is not None} for row in native_rows)


class OxigraphStore(Store):
    """Oxigraph behind rdflib's Store API: plain literals as rdflib makes them, one
    transaction a batch, SELECT rows kept in Oxigraph's own terms.

    Args:
        location: a directory for an on-disk store (created if missing); None: in memory.

    Attributes:
        on_disk: the store is a directory (loads go through Oxigraph's bulk loader).
        union_stored: the store's real default graph holds the union of our graphs, each
            triple once (see :meth:`keep_union`); queries then read it instead of
            Oxigraph's union view.
        skolemised: blank nodes are held as their skolem IRIs (``GENID``; see
            :meth:`load_nquads`).
        union_writes: every quad written into one of our graphs also goes into the
            default graph (while a build writes: see :meth:`unite_as_built`).
    """

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, location: str | None = None) -> None:
        if location is None:
            self._store: ox.Store | None = ox.Store()
        else:
            try:
                Path(location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(location)
            except OSError as exc:
                raise StoreError(f"store oxigraph:{location}: cannot open it ({exc}); is "
                                 "another kg process (a build, kg serve) using it?") from None
        self.on_disk = location is not None
        self.union_stored = False
        self.skolemised = False
        self.union_writes = False
        self._known: dict[str, ox.NamedNode] = {}
        self._namespace_for_prefix: dict[str, URIRef] = {}
        self._prefix_for_namespace: dict[URIRef, str] = {}
        super().__init__()

    @property
    def _inner(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the Oxigraph store is closed")
        return self._store

    # -- terms ---------------------------------------------------------------------------

    def _iri(self, term: str) -> ox.NamedNode:
        key = term[:]  # a plain str: dict lookups then skip rdflib's Python-level __eq__
        node = self._known.get(key)
        if node is None:
            if len(self._known) > IRI_MEMO:
                self._known.clear()
            node = self._known[key] = ox.NamedNode(key)
        return node

    def _node(self, term: Any) -> Any:
        kind = type(term)
        if kind is URIRef:
            return self._iri(term)
        if kind is Literal:
            if term.language:
                return ox.Literal(term, language=term.language)
            return ox.Literal(term, datatype=self._iri(term.datatype) if term.datatype else None)
        if kind is BNode:
            return ox.BlankNode(term)
        return self._iri(term) if isinstance(term, URIRef) else ox.Literal(term)

    def _graph_name(self, context: Any) -> Any:
        """An rdflib graph (or its identifier) as Oxigraph's graph name."""
        name = getattr(context, "identifier", context)
        if name is None:
            return None
        if name == DATASET_DEFAULT_GRAPH_ID:
            return _DEFAULT
        return ox.BlankNode(name) if type(name) is BNode else self._iri(name)

    def _pattern(self, term: Any) -> Any:
        return None if term is None else self._node(term)

    def _graph(self, name: Any) -> Graph:
        if isinstance(name, ox.DefaultGraph):
            return Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID)
        return Graph(store=self, identifier=from_oxigraph(name))

    # -- rdflib's Store API --------------------------------------------------------------

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Release the Oxigraph store (on disk: its lock, for the next process)."""
        self._store = None

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        if quoted:
            raise ValueError("Oxigraph stores are not formula aware")
        s, p, o = triple
        self._inner.add(ox.Quad(self._node(s), self._iri(p), self._node(o),
                                self._graph_name(context) or _DEFAULT))

    def addN(self, quads: Iterable[Any]) -> None:  # noqa: N802 - rdflib's name
        iri, node, graph_name = self._iri, self._node, self._graph_name
        made = [ox.Quad(iri(s) if type(s) is URIRef else node(s), iri(p), node(o),
                        graph_name(g)) for s, p, o, g in quads]
        if self.union_writes:
            made += [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in made
                     if isinstance(q.graph_name, ox.NamedNode) and _ours(q.graph_name.value)]
        self._inner.extend(made)

    def remove(self, triple: Any, context: Any = None) -> None:
        s, p, o = triple
        for quad in list(self._inner.quads_for_pattern(
                self._pattern(s), self._pattern(p), self._pattern(o),
                self._graph_name(context))):
            self._inner.remove(quad)

    def triples(self, pattern: Any, context: Any = None) -> Iterator[Any]:
        if self.skolemised and any(type(t) is BNode for t in pattern):
            pattern = tuple(URIRef(GENID + t) if type(t) is BNode else t for t in pattern)
        s, p, o = pattern
        try:
            quads = self._inner.quads_for_pattern(self._pattern(s), self._pattern(p),
                                                  self._pattern(o), self._graph_name(context))
        except (TypeError, ValueError):  # a literal subject...: matches nothing
            return
        convert = converter()
        for quad in quads:
            # a skolem IRI (a build's blank node reloaded, see load_nquads) as its node
            yield ((plain(convert(quad.subject)), convert(quad.predicate),
                    plain(convert(quad.object))), iter((self._graph(quad.graph_name),)))

    def __len__(self, context: Any = None) -> int:
        options: dict[str, Any] = {"use_default_graph_as_union": True} \
            if context is None else {"default_graph": self._graph_name(context)}
        return _number(self._inner.query(
            "SELECT (COUNT(DISTINCT TRIPLE(?s, ?p, ?o)) AS ?c) WHERE { ?s ?p ?o }", **options))

    def contexts(self, triple: Any = None) -> Iterator[Any]:  # type: ignore[override]
        if triple is None:
            return (self._graph(g) for g in self._inner.named_graphs())
        s, p, o = triple
        return (self._graph(q.graph_name) for q in self._inner.quads_for_pattern(
            self._pattern(s), self._pattern(p), self._pattern(o), None))

    def add_graph(self, graph: Graph) -> None:
        name = self._graph_name(graph)
        if not isinstance(name, ox.DefaultGraph):
            self._inner.add_graph(name)

    def remove_graph(self, graph: Graph) -> None:
        name = self._graph_name(graph)
        if isinstance(name, ox.DefaultGraph):
            self._inner.clear_graph(name)
        else:
            self._inner.remove_graph(name)

    def update(self, update: Any, initNs: Any, initBindings: Any,  # noqa: N803
               queryGraph: Any, **kwargs: Any) -> None:  # noqa: N803
        if initBindings or kwargs or not isinstance(update, str):
            raise NotImplementedError("Oxigraph takes SPARQL Update text only")
        self._inner.update(update, prefixes=dict(self._namespace_for_prefix, **initNs))

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        namespace = URIRef(namespace)
        if not override and (prefix in self._namespace_for_prefix
                             or namespace in self._prefix_for_namespace):
            return
        old = self._namespace_for_prefix.pop(prefix, None)
        if old is not None:
            self._prefix_for_namespace.pop(old, None)
        other = self._prefix_for_namespace.pop(namespace, None)
        if other is not None:
            self._namespace_for_prefix.pop(other, None)
        self._namespace_for_prefix[prefix] = namespace
        self._prefix_for_namespace[namespace] = prefix

    def prefix(self, namespace: Any) -> str | None:
        return self._prefix_for_namespace.get(URIRef(namespace))

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace_for_prefix.get(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespace_for_prefix.items())

    def query(self, query: Any, initNs: Any, initBindings: Any,  # noqa: N803
              queryGraph: Any, **kwargs: Any) -> Result:  # noqa: N803
        if kwargs or not isinstance(query, str):
            # rdflib's own engine answers (a parsed query, or options Oxigraph lacks)
            raise NotImplementedError("Oxigraph takes SPARQL query text only")
        union = queryGraph == "__UNION__"
        answer = self._inner.query(
            query, use_default_graph_as_union=union and not self.union_stored,
            default_graph=self._graph_name(queryGraph) if not union and isinstance(
                queryGraph, URIRef) and queryGraph != DATASET_DEFAULT_GRAPH_ID else None,
            prefixes=dict(self._namespace_for_prefix, **initNs),
            substitutions={ox.Variable(str(k)): self._node(v) for k, v in initBindings.items()}
            if initBindings else None)
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        if isinstance(answer, ox.QueryTriples):
            convert = converter()
            out = Result("CONSTRUCT")
            out.graph = Graph()
            out.graph.addN((plain(convert(t.subject)), convert(t.predicate),
                            plain(convert(t.object)), out.graph) for t in answer)
            return out
        return NativeResult([Variable(v.value) for v in answer.variables],
                            [tuple(row) for row in answer])

    # -- kg.stores.NativeStore: Oxigraph's fast paths ------------------------------------

    def add_nquads(self, quads: Iterable[tuple[str, str, str, str]]) -> None:
        """Load quads whose terms are N-Triples text (``kg.output.nt_terms``), in batches.

        In memory each batch is one transaction; on disk Oxigraph's bulk loader writes
        each batch's index files directly (about twice as fast; not atomic, but a build
        records a graph in the manifest only after all of it is written, so an
        interrupted build is redone). Oxigraph parses and stores a batch with the GIL
        released, so the next batch is being made meanwhile (on a second core).
        """
        quads = iter(quads)
        write = self._inner.bulk_load if self.on_disk else self._inner.load
        with ThreadPoolExecutor(1, thread_name_prefix="kg-load") as loader:
            pending = None
            while batch := list(islice(quads, LOAD_BATCH)):
                text = "".join([f"{s} {p} {o} {g} .\n" for s, p, o, g in batch]).encode()
                if self.union_writes:  # the build's graphs are all ours
                    text += "".join([f"{s} {p} {o} .\n" for s, p, o, _ in batch]).encode()
                if pending is not None:
                    pending.result()
                pending = loader.submit(write, text, ox.RdfFormat.N_QUADS)
            if pending is not None:
                pending.result()

    def load_nquads(self, data: bytes) -> None:
        """Load a build's ``graph.nq``, its blank nodes kept as their skolem IRIs.

        Oxigraph's parser gives blank nodes new labels; the build's (the ontology's class
        unions, canonically labelled so that outputs are byte-stable) are kept by loading
        them as the skolem IRIs that this store reads back as the same blank nodes.
        """
        if b"_:" in data:
            data = skolemised(data)
            self.skolemised = True
        self._inner.load(data, format=ox.RdfFormat.N_QUADS)

    def select(self, query: str) -> Iterator[tuple[Any, ...]]:
        """Rows of a SELECT over the union, as rdflib terms made as the rows come."""
        convert = converter()
        return (tuple(convert(v) for v in row) for row in self.select_native(query))

    def select_native(self, query: str) -> Iterator[Any]:
        """Rows of a SELECT over the union in Oxigraph's own terms (``.value`` strings)."""
        return iter(_solutions(self._inner.query(
            query, use_default_graph_as_union=not self.union_stored)))

    def keep_union(self) -> int:
        """Write the union of our graphs, each triple once, into the default graph.

        Oxigraph's ``use_default_graph_as_union`` counts a triple once per graph that holds
        it (``COUNT(?e)`` of a warning three sources state is 3); SPARQL 1.1's union of
        graphs and rdflib's count it once. So the union is written, as a set, into the
        store's real default graph, and queries read that graph (``union_stored``).
        Graphs are copied as N-Triples through Oxigraph's loader (the bulk loader on
        disk), a few graphs at a time; graphs that hold blank nodes (the ontology's class
        unions) through SPARQL, which keeps their identity. Returns the union's size.
        """
        inner = self._inner
        inner.update("CLEAR SILENT DEFAULT")
        ours = sorted(g.value for g in inner.named_graphs()
                      if isinstance(g, ox.NamedNode) and _ours(g.value))
        write = inner.bulk_load if self.on_disk else inner.load
        chunk = io.BytesIO()
        for iri in ours:
            text = inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
            if text is not None and b"_:" in text:  # a blank node (or "_:" in a literal)
                inner.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
                continue
            chunk.write(text or b"")
            if chunk.tell() > UNION_CHUNK:
                write(chunk.getvalue(), format=ox.RdfFormat.N_TRIPLES, to_graph=_DEFAULT)
                chunk = io.BytesIO()
        if chunk.tell():
            write(chunk.getvalue(), format=ox.RdfFormat.N_TRIPLES, to_graph=_DEFAULT)
        self.union_stored = True
        return _number(self._inner.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))

    def unite_as_built(self, dropped: Iterable[str], complete: bool | None = None) -> bool:
        """Prepare to keep the union while a build writes (see ``kg.stores.unite_as_built``)."""
        dropped = sorted(dropped)
        empty = not any(True for _ in self._inner.quads_for_pattern(None, None, None, None))
        if complete is None:
            complete = self.union_stored
        if not empty and not complete:
            return False
        if dropped:
            others = ", ".join(f"<{g}>" for g in [*dropped, str(MANIFEST)])
            values = " ".join(f"<{g}>" for g in dropped)
            self._inner.update(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }}"
                f" GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
                f"FILTER (?h NOT IN ({others})) }} }}")
        self.union_writes = True
        return True

    def united(self) -> None:
        """The build has written: the default graph holds the union (when it was kept)."""
        if self.union_writes:
            self.union_writes = False
            self.union_stored = True

    def read_record(self) -> str | None:
        """The build's record in the manifest (one lookup, without rdflib's conversions)."""
        for quad in self._inner.quads_for_pattern(ox.NamedNode(BUILD), ox.NamedNode(RECORD),
                                                  None, ox.NamedNode(MANIFEST)):
            return str(quad.object.value)  # type: ignore[union-attr]
        return None

    def graph_sizes(self) -> dict[str, int]:
        """IRI -> triples of every named graph (the manifest too), in one query.

        rdflib's ``len()`` counts distinct triples graph by graph (15 s at 100,000
        warnings, where this takes under a second); a graph is a set, so COUNT(*) is
        its size.
        """
        counts = _solutions(self._inner.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
        return {row["g"].value: int(row["n"].value) for row in counts}

    def graph_ntriples(self, iri: str) -> bytes:
        """One named graph as N-Triples, skolem IRIs blank nodes again."""
        data = self._inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        if data and self.skolemised:  # graph.nq reloaded
            data = blank_again(data)
        return data or b""

    def dump_nquads(self, path: str) -> None:
        """The whole store as N-Quads in ``path`` (in memory it holds only our graphs, and
        their union in the default graph)."""
        self._inner.dump(path, format=ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        """Write what is buffered to disk (nothing to do in memory)."""
        if self._store is not None:
            try:
                self._store.flush()
            except OSError:  # an in-memory store has nothing to flush
                pass


def _solutions(answer: Any) -> ox.QuerySolutions:
    """The rows of a SELECT's answer (a bug of ours if the query was not a SELECT)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"a SELECT query was expected, not one that gives {type(answer)}")
    return answer


def _number(answer: Any) -> int:
    """The one number a ``SELECT (COUNT(...) AS ?n)`` gives."""
    return int(next(iter(_solutions(answer)))[0].value)


def _ours(graph: str) -> bool:
    return graph.startswith(GRAPHS) and graph != str(MANIFEST)


def converter() -> Any:
    """:func:`from_oxigraph` with a memo: labels, classes and predicates recur row after row."""
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        term = memo.get(value)
        if term is None:
            if len(memo) > TERM_MEMO:
                memo.clear()
            term = memo[value] = from_oxigraph(value)
        return term

    return convert


def from_oxigraph(value: Any) -> Any:
    """An Oxigraph term as the rdflib term rdflib itself would make (plain literals plain)."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        datatype = value.datatype.value
        return Literal(value.value) if datatype == _XSD_STRING else Literal(
            value.value, datatype=URIRef(datatype))
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    return value  # None (an unbound variable), or a term rdflib has no kind for


__all__ = ["IRI_MEMO", "LOAD_BATCH", "TERM_MEMO", "UNION_CHUNK", "NativeResult",
           "OxigraphStore", "converter", "from_oxigraph"]
