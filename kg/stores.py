"""Stores: parse a ``--store`` spec and open the rdflib ``Dataset`` behind it.

One code path fills and reads every store through rdflib's Store API:

- ``memory``: rdflib's own in-memory store.
- ``oxigraph``: Oxigraph in memory (``pyoxigraph`` behind rdflib's Store API).
- ``oxigraph:PATH``: Oxigraph on disk in directory PATH (created if missing); builds into
  it are incremental (see ``kg.pipeline.load``).
- ``sparql:URL`` or ``sparql:QUERY_URL,UPDATE_URL``: any SPARQL 1.1 server (Virtuoso,
  Fuseki, GraphDB, Neptune) through rdflib's ``SPARQLUpdateStore``; incremental too.

The dataset returned is a :class:`KGDataset`: SPARQL's default graph is the union of the
named graphs, each triple once (RDF merge, as SPARQL 1.1 and rdflib's union define it), and
``graphs()`` lists only this project's graphs (a server's own system graphs, or the build
manifest, are not ours to project or serialise). Oxigraph's own union view counts a triple
once per graph that states it, so on Oxigraph the build keeps the union, as a set, in the
store's real default graph (:func:`store_union`) and queries read that graph.

Example:
    >>> parse_store("oxigraph:/var/kg")
    StoreSpec(kind='oxigraph', location='/var/kg', update=None)
    >>> str(parse_store("sparql:http://127.0.0.1:8890/sparql"))
    'sparql:http://127.0.0.1:8890/sparql'
    >>> from kg.vocab import local_id
    >>> ds = open_dataset("memory")
    >>> _ = ds.graph(graph_iri("s1")).add((graph_iri("a"), graph_iri("b"), graph_iri("c")))
    >>> [local_id(g.identifier) for g in ds.graphs()]
    ['s1']
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from rdflib import XSD, BNode, Dataset, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Graph
from rdflib.query import Result
from rdflib.store import Store

from .errors import StoreError
from .vocab import BASE, graph_iri

#: The store used when none is given; chosen by measurement (README, "Stores and scale").
DEFAULT_STORE = "oxigraph"
KINDS = ("memory", "oxigraph", "sparql")
SPEC_HELP = ("memory | oxigraph | oxigraph:PATH (on disk, incremental) | sparql:URL "
             "(a SPARQL 1.1 server; sparql:QUERY_URL,UPDATE_URL when they differ)")
GRAPHS = BASE + "graph/"
#: The named graph that records what each of our graphs was built from (persistent stores).
MANIFEST = graph_iri("_manifest")
FINGERPRINT = URIRef(BASE + "build#fingerprint")
_XSD_STRING = str(XSD.string)
#: Blank nodes (the ontology's class unions) travel to SPARQL servers as these IRIs.
GENID = BASE + ".well-known/genid/"


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` spec: the kind of store and where it is."""

    kind: str
    location: str | None = None
    update: str | None = None

    @property
    def persistent(self) -> bool:
        """True when the data outlives the process (on disk or on a server)."""
        return self.kind == "sparql" or (self.kind == "oxigraph" and self.location is not None)

    def __str__(self) -> str:
        where = ",".join(x for x in (self.location, self.update) if x)
        return f"{self.kind}:{where}" if where else self.kind


def parse_store(spec: str | StoreSpec) -> StoreSpec:
    """Parse ``memory``, ``oxigraph``, ``oxigraph:PATH`` or ``sparql:URL[,UPDATE_URL]``.

    Raises StoreError naming the accepted forms.
    """
    if isinstance(spec, StoreSpec):
        return spec
    kind, _, rest = spec.strip().partition(":")
    kind = kind.lower()
    if kind == "memory" and not rest:
        return StoreSpec("memory")
    if kind == "oxigraph":
        return StoreSpec("oxigraph", rest or None)
    if kind == "sparql" and rest:
        urls = [u.strip() for u in rest.split(",")]
        if len(urls) <= 2 and all(u.startswith(("http://", "https://")) for u in urls):
            return StoreSpec("sparql", urls[0], urls[1] if len(urls) == 2 else None)
        raise StoreError(f"store {spec!r}: sparql: needs an http(s) URL of the endpoint, "
                         "e.g. sparql:http://127.0.0.1:8890/sparql")
    raise StoreError(f"unknown store {spec!r}; use {SPEC_HELP}")


class KGDataset(Dataset):
    """A Dataset whose ``graphs()`` are this project's named graphs only (sorted)."""

    def graphs(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        """Our named graphs (ontology, reference, one per source), by IRI."""
        found = {g.identifier: g for g in super().graphs(triple)
                 if str(g.identifier).startswith(GRAPHS) and g.identifier != MANIFEST}
        return iter([found[k] for k in sorted(found)])

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        """The same as :meth:`graphs` (rdflib's serialisers still ask for contexts)."""
        return self.graphs(triple)


@functools.cache
def _oxigraph_class() -> type:
    """An rdflib Store over pyoxigraph, behaving like rdflib's (imported only when first used).

    Our own rather than oxrdflib's: oxrdflib imports rdflib's SPARQL engine (pyparsing and
    all; about 0.17 s, a third of a question's whole process after a build) only to
    recognise parsed queries, which we never pass.
    """
    import pyoxigraph as ox

    known: dict[str, Any] = {}  # IRIs met often (predicates, classes, graphs, entities)
    default = ox.DefaultGraph()

    def iri(term: str) -> Any:
        key = term[:]  # a plain str: dict lookups then skip rdflib's Python-level __eq__
        node = known.get(key)
        if node is None:
            if len(known) > 200_000:
                known.clear()
            node = known[key] = ox.NamedNode(key)
        return node

    def node(term: Any) -> Any:
        kind = type(term)
        if kind is URIRef:
            return iri(term)
        if kind is Literal:
            if term.language:
                return ox.Literal(term, language=term.language)
            return ox.Literal(term, datatype=iri(term.datatype) if term.datatype else None)
        if kind is BNode:
            return ox.BlankNode(term)
        return iri(term) if isinstance(term, URIRef) else ox.Literal(term)

    def graph_name(context: Any) -> Any:
        """An rdflib graph (or its identifier) as Oxigraph's graph name."""
        name = getattr(context, "identifier", context)
        if name is None:
            return None
        if name == DATASET_DEFAULT_GRAPH_ID:
            return default
        return ox.BlankNode(name) if type(name) is BNode else iri(name)

    def pattern_term(term: Any) -> Any:
        return None if term is None else node(term)

    class KGOxigraphStore(Store):
        """Oxigraph behind rdflib's Store API: plain literals as rdflib makes them, one
        transaction a batch, SELECT rows kept in Oxigraph's own terms."""

        context_aware = True
        formula_aware = False
        transaction_aware = False
        graph_aware = True
        #: The store's real default graph holds the union of our graphs, each triple once
        #: (see :func:`store_union`); queries then read it instead of Oxigraph's union view.
        union_stored = False
        #: Blank nodes are held as their skolem IRIs (``GENID``; see ``kg.built.reload``).
        skolemised = False
        on_disk = False
        #: Every quad written into one of our graphs also goes into the default graph (set
        #: by the build while it writes: see :func:`unite_as_built`).
        union_writes = False

        def __init__(self, store: Any) -> None:
            self._inner = store
            self._namespace_for_prefix: dict[str, URIRef] = {}
            self._prefix_for_namespace: dict[URIRef, str] = {}
            super().__init__()

        def close(self, commit_pending_transaction: bool = False) -> None:
            """Release the Oxigraph store (on disk: its lock, for the next process)."""
            self._inner = None

        def gc(self) -> None:
            """Nothing to collect."""

        def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
            if quoted:
                raise ValueError("Oxigraph stores are not formula aware")
            s, p, o = triple
            self._inner.add(ox.Quad(node(s), iri(p), node(o), graph_name(context) or default))

        def addN(self, quads: Iterable[Any]) -> None:  # noqa: N802 - rdflib's name
            made = [ox.Quad(iri(s) if type(s) is URIRef else node(s), iri(p), node(o),
                            graph_name(g)) for s, p, o, g in quads]
            if self.union_writes:
                made += [ox.Quad(q.subject, q.predicate, q.object, default) for q in made
                         if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value
                         .startswith(GRAPHS) and q.graph_name.value != str(MANIFEST)]
            self._inner.extend(made)

        def remove(self, triple: Any, context: Any = None) -> None:
            s, p, o = triple
            for quad in list(self._inner.quads_for_pattern(
                    pattern_term(s), pattern_term(p), pattern_term(o), graph_name(context))):
                self._inner.remove(quad)

        def _graph(self, name: Any) -> Graph:
            if isinstance(name, ox.DefaultGraph):
                return Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID)
            return Graph(store=self, identifier=_from_ox(name))

        def triples(self, pattern: Any, context: Any = None) -> Iterator[Any]:
            if self.skolemised and any(type(t) is BNode for t in pattern):
                pattern = tuple(URIRef(GENID + t) if type(t) is BNode else t for t in pattern)
            s, p, o = pattern
            try:
                quads = self._inner.quads_for_pattern(pattern_term(s), pattern_term(p),
                                                      pattern_term(o), graph_name(context))
            except (TypeError, ValueError):  # a literal subject...: matches nothing
                return
            convert = _converter()
            for quad in quads:
                # a skolem IRI (a build's blank node reloaded, see kg.built.reload) as its node
                yield ((plain(convert(quad.subject)), convert(quad.predicate),
                        plain(convert(quad.object))), iter((self._graph(quad.graph_name),)))

        def __len__(self, context: Any = None) -> int:
            options: dict[str, Any] = {"use_default_graph_as_union": True} \
                if context is None else {"default_graph": graph_name(context)}
            return int(next(iter(self._inner.query(
                "SELECT (COUNT(DISTINCT TRIPLE(?s, ?p, ?o)) AS ?c) WHERE { ?s ?p ?o }",
                **options)))[0].value)

        def contexts(self, triple: Any = None) -> Iterator[Any]:  # type: ignore[override]
            if triple is None:
                return (self._graph(g) for g in self._inner.named_graphs())
            s, p, o = triple
            return (self._graph(q.graph_name) for q in self._inner.quads_for_pattern(
                pattern_term(s), pattern_term(p), pattern_term(o), None))

        def add_graph(self, graph: Graph) -> None:
            name = graph_name(graph)
            if not isinstance(name, ox.DefaultGraph):
                self._inner.add_graph(name)

        def remove_graph(self, graph: Graph) -> None:
            name = graph_name(graph)
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

        @property
        def native_terms(self) -> Any:
            """The builder's terms for Oxigraph: N-Quads text (see :func:`_nquads_terms`).

            A new maker each time: its memo of IRIs lives as long as one build.
            """
            return _nquads_terms()

        def add_native(self, quads: Iterable[tuple[str, str, str, str]]) -> None:
            """Load quads of :attr:`native_terms` with Oxigraph's parser, batch by batch.

            In memory each batch is one transaction; on disk Oxigraph's bulk loader writes
            each batch's index files directly (about twice as fast; not atomic, but a build
            records a graph in the manifest only after all of it is written, so an
            interrupted build is redone). Oxigraph parses and stores a batch with the GIL
            released, so the next batch is being made meanwhile (on a second core).
            """
            quads = iter(quads)
            write = self._inner.bulk_load if getattr(self, "on_disk", False) else \
                self._inner.load
            with ThreadPoolExecutor(1, thread_name_prefix="kg-load") as loader:
                pending = None
                while batch := list(islice(quads, _LOAD_BATCH)):
                    text = "".join([f"{s} {p} {o} {g} .\n" for s, p, o, g in batch]).encode()
                    if self.union_writes:  # the build's graphs are all ours
                        text += "".join([f"{s} {p} {o} .\n" for s, p, o, _ in batch]).encode()
                    if pending is not None:
                        pending.result()
                    pending = loader.submit(write, text, ox.RdfFormat.N_QUADS)
                if pending is not None:
                    pending.result()

        def query(self, query: Any, initNs: Any, initBindings: Any,  # noqa: N803
                  queryGraph: Any, **kwargs: Any) -> Result:  # noqa: N803
            if kwargs or not isinstance(query, str):
                # rdflib's own engine answers (a parsed query, or options Oxigraph lacks)
                raise NotImplementedError("Oxigraph takes SPARQL query text only")
            union = queryGraph == "__UNION__"
            answer = self._inner.query(
                query, use_default_graph_as_union=union and not self.union_stored,
                default_graph=graph_name(queryGraph) if not union and isinstance(
                    queryGraph, URIRef) and queryGraph != DATASET_DEFAULT_GRAPH_ID else None,
                prefixes=dict(self._namespace_for_prefix, **initNs),
                substitutions={ox.Variable(str(k)): node(v) for k, v in initBindings.items()}
                if initBindings else None)
            convert = _converter()
            if isinstance(answer, ox.QueryBoolean):
                out = Result("ASK")
                out.askAnswer = bool(answer)
                return out
            if isinstance(answer, ox.QueryTriples):
                out = Result("CONSTRUCT")
                out.graph = Graph()
                out.graph.addN((plain(convert(t.subject)), convert(t.predicate),
                                plain(convert(t.object)), out.graph) for t in answer)
                return out
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in answer.variables]
            # Oxigraph's own rows are kept (``kg.sparql.rows`` reads them straight); rdflib
            # terms are made only when the bindings are asked for.
            out.native_rows = native = [tuple(row) for row in answer]  # type: ignore[attr-defined]
            out._bindings = []
            out._genbindings = ({var: convert(value)
                                 for var, value in zip(out.vars, row, strict=True)
                                 if value is not None} for row in native)
            return out

    return KGOxigraphStore


#: Quads per Oxigraph load (one transaction each); about 20 MB of N-Quads text.
_LOAD_BATCH = 100_000
_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_literal(lexical: str, datatype: str | None) -> str:
    """A literal in N-Triples syntax (``datatype`` already ``<...>``; None: plain).

    Example:
        >>> print(_nt_literal('say "hi"\\n', None), _nt_literal("5", "<x:int>"))
        "say \\"hi\\"\\n" "5"^^<x:int>
    """
    text = lexical.translate(_NT_ESCAPE)
    return f'"{text}"' if datatype is None else f'"{text}"^^{datatype}'


def _nquads_terms() -> Any:
    """Terms as N-Quads text: Python makes strings fast, Oxigraph's parser does the rest.

    Making a pyoxigraph term object per term from Python costs more than Oxigraph's
    parsing and storing together (measured at 100,000 warnings: see the README). IRIs are
    our own (ids are checked when read), so they need no escaping.
    """
    from .build import Terms

    return Terms(lambda value: f"<{value}>", _nt_literal)


def _oxigraph_store(location: str | None) -> Store:
    import pyoxigraph

    if location is None:
        return _oxigraph_class()(pyoxigraph.Store())
    try:
        Path(location).mkdir(parents=True, exist_ok=True)
        store = _oxigraph_class()(pyoxigraph.Store(location))
        store.on_disk = True
        return store
    except OSError as exc:
        raise StoreError(f"store oxigraph:{location}: cannot open it ({exc}); is another kg "
                         "process (a build, kg serve) using it?") from None


def plain(term: Any) -> Any:
    """An ``xsd:string`` literal as the plain literal rdflib makes (RDF 1.1: the same).

    Example:
        >>> plain(Literal("x", datatype=XSD.string)) == Literal("x")
        True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    if isinstance(term, URIRef) and term.startswith(GENID):
        return BNode(term[len(GENID):])
    return term


def _plain_result(result: Result) -> Result:
    if result.type == "SELECT":
        bindings = result.bindings
        result.bindings = [{k: plain(v) for k, v in b.items() if v is not None}
                           for b in bindings]
    elif result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        graph = Graph()
        graph.addN((plain(s), p, plain(o), graph) for s, p, o in result.graph)
        result.graph = graph
    return result


def _remote_store(spec: StoreSpec) -> Store:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore, _node_to_sparql

    def node_to_sparql(node: Any) -> str:
        return f"<{GENID}{node}>" if isinstance(node, BNode) else _node_to_sparql(node)

    class RemoteStore(SPARQLUpdateStore):
        """rdflib's SPARQL update store; blank nodes skolemised, graphs dropped silently."""

        def triples(self, spo: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
            for (s, p, o), contexts in super().triples(spo, context):
                yield (plain(s), p, plain(o)), contexts

        def query(self, *args: Any, **kwargs: Any) -> Result:
            return _plain_result(super().query(*args, **kwargs))

        def contexts(self, triple: Any = None) -> Iterator[Any]:  # type: ignore[override]
            if triple is not None:
                return super().contexts(triple)
            rows = super().query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                 f"FILTER (STRSTARTS(STR(?g), \"{GRAPHS}\")) }}")
            return iter([row[0] for row in rows])  # type: ignore[index]

        def _query(self, *args: Any, **kwargs: Any) -> Result:
            try:
                return super()._query(*args, **kwargs)
            except OSError as exc:  # urllib's URLError and HTTPError are OSErrors
                raise _unreachable(spec, exc) from None

        def _update(self, update: str) -> None:
            try:
                super()._update(update)
            except OSError as exc:
                raise _unreachable(spec, exc) from None

        def add_graph(self, graph: Graph) -> None:
            """Graphs exist on a server once they hold triples; nothing to create."""

        def remove_graph(self, graph: Graph) -> None:
            if graph.identifier != DATASET_DEFAULT_GRAPH_ID:
                self.update(f"DROP SILENT GRAPH <{graph.identifier}>")

    # Credentials come from the environment, never the command line (ps shows that).
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    # Form-encoded POST: Virtuoso 7 never answers a body of type application/sparql-query.
    return RemoteStore(query_endpoint=spec.location, update_endpoint=spec.update or spec.location,
                       node_to_sparql=node_to_sparql, method="POST_FORM", returnFormat="json",
                       autocommit=True, **({"auth": (user, password or "")} if user else {}))


def _unreachable(spec: StoreSpec, exc: OSError) -> StoreError:
    detail = getattr(exc, "reason", None) or exc
    body = exc.read().decode("utf-8", "replace")[:300] if hasattr(exc, "read") else ""
    return StoreError(f"store {spec}: the SPARQL server failed or cannot be reached ({detail})"
                      + (f": {body.strip()}" if body.strip() else "")
                      + "; check the URL, that the server runs, and that it accepts SPARQL "
                        "Update (KG_STORE_USER / KG_STORE_PASSWORD for a login)")


def open_dataset(spec: str | StoreSpec | Store = DEFAULT_STORE) -> KGDataset:
    """Open the store ``spec`` names and wrap it in a :class:`KGDataset` (union default graph).

    A Store instance is used as it is. Raises StoreError for a bad spec or an on-disk store
    that cannot be opened (another process holds it). A SPARQL server is not contacted
    until the dataset is used.
    """
    if isinstance(spec, Store):
        return KGDataset(store=spec, default_union=True)
    parsed = parse_store(spec)
    if parsed.kind == "memory":
        store: Store | str = "default"
    elif parsed.kind == "oxigraph":
        store = _oxigraph_store(parsed.location)
    else:
        store = _remote_store(parsed)
    dataset = KGDataset(store=store, default_union=True)
    dataset.store_spec = parsed  # type: ignore[attr-defined]
    if parsed.kind == "oxigraph" and parsed.location is not None:
        # A build's record is written after its union and removed before any change.
        store.union_stored = read_record(dataset) is not None  # type: ignore[union-attr]
    return dataset


def spec_of(dataset: Dataset) -> StoreSpec | None:
    """The spec a dataset was opened with (None when it was given a Store instance)."""
    return getattr(dataset, "store_spec", None)


def is_memory(dataset: Dataset) -> bool:
    """True when ``dataset`` lives in rdflib's own in-memory store."""
    from rdflib.plugins.stores.memory import Memory

    return isinstance(dataset.store, Memory)


def select(dataset: Dataset, query: str) -> Iterator[tuple[Any, ...]]:
    """Rows of a SELECT query as tuples of rdflib terms, streamed where the store can.

    On Oxigraph the query runs natively and rows are converted as they come (about five
    times faster than going through rdflib's result objects); elsewhere through
    ``dataset.query``.
    """
    inner = getattr(dataset.store, "_inner", None)
    if inner is None:
        return (tuple(row) for row in dataset.query(query))  # type: ignore[arg-type]
    convert = _converter()
    return (tuple(convert(v) for v in row) for row in inner.query(
        query, use_default_graph_as_union=not getattr(dataset.store, "union_stored", False)))


def native_select(dataset: Dataset) -> Any:
    """A function from a SELECT to its rows of Oxigraph's own terms; None if not Oxigraph.

    For readers that want a term's ``.value`` string and no rdflib term at all
    (``kg.project``): making rdflib terms was most of the time of reading a large store.
    """
    inner = getattr(dataset.store, "_inner", None)
    if inner is None:
        return None
    union = not getattr(dataset.store, "union_stored", False)
    return lambda query: iter(inner.query(query, use_default_graph_as_union=union))


def _converter() -> Any:
    """:func:`_from_ox` with a memo: labels, classes and predicates recur row after row."""
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        term = memo.get(value)
        if term is None:
            if len(memo) > 100_000:
                memo.clear()
            term = memo[value] = _from_ox(value)
        return term

    return convert


def _from_ox(value: Any) -> Any:
    """An Oxigraph term as the rdflib term rdflib itself would make (plain literals plain)."""
    kind = type(value).__name__  # pyoxigraph's classes, without importing it on every call
    if kind == "NamedNode":
        return URIRef(value.value)
    if kind == "Literal":
        if value.language:
            return Literal(value.value, lang=value.language)
        datatype = value.datatype.value
        return Literal(value.value) if datatype == _XSD_STRING else Literal(
            value.value, datatype=URIRef(datatype))
    if kind == "BlankNode":
        return BNode(value.value)
    return None if value is None else plain(value)


def read_manifest(dataset: Dataset) -> dict[str, str]:
    """Graph IRI -> fingerprint of what it was built from, as recorded in the store."""
    manifest = dataset.graph(MANIFEST)
    return {str(s): str(o) for s, _, o in manifest.triples((None, FINGERPRINT, None))}


def forget(dataset: Dataset, graphs: Iterable[str]) -> None:
    """Drop ``graphs`` and their manifest entries (entries first: a crash leaves them stale)."""
    graphs = sorted(graphs)
    if hasattr(dataset.store, "update_endpoint"):
        # On a server: a few requests, not two per graph.
        for i in range(0, len(graphs), 200):
            chunk = graphs[i:i + 200]
            dataset.store.update(" ;\n".join(
                [f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{g}> <{FINGERPRINT}> ?f }} }}"
                 for g in chunk] + [f"DROP SILENT GRAPH <{g}>" for g in chunk]))
        return
    manifest = dataset.graph(MANIFEST)
    for iri in graphs:
        manifest.remove((URIRef(iri), FINGERPRINT, None))
    for iri in graphs:
        dataset.remove_graph(dataset.graph(URIRef(iri)))


def record(dataset: Dataset, fingerprints: dict[str, str]) -> None:
    """Record the fingerprints of graphs just written."""
    manifest = dataset.graph(MANIFEST)
    manifest.addN((URIRef(iri), FINGERPRINT, Literal(value), manifest)
                  for iri, value in sorted(fingerprints.items()))


#: Where the build keeps its record of what ``data/`` was (``kg.built``) in a store's manifest.
BUILD = URIRef(BASE + "build#data")
RECORD = URIRef(BASE + "build#record")
#: Bytes of N-Triples copied into the union per load (bounds the memory the copy takes).
_UNION_CHUNK = 64_000_000


def store_union(dataset: Dataset) -> int | None:
    """Keep the union of our graphs, each triple once, in an Oxigraph store's default graph.

    Oxigraph's ``use_default_graph_as_union`` counts a triple once per graph that holds it
    (``COUNT(?e)`` of a warning three sources state is 3); SPARQL 1.1's union of graphs and
    rdflib's count it once. So the union is written, as a set, into the store's real default
    graph, and queries read that graph (``union_stored``). Graphs are copied as N-Triples
    through Oxigraph's loader (the bulk loader on disk), a few graphs at a time; graphs that
    hold blank nodes (the ontology's class unions) through SPARQL, which keeps their
    identity. Returns the union's size; None on stores other than Oxigraph (rdflib's own
    union is a set; a SPARQL server's default graph is the server's to define).

    Example:
        >>> ds = open_dataset("oxigraph")
        >>> for name in ("a", "b"):
        ...     _ = ds.graph(graph_iri(name)).add((graph_iri("x"), graph_iri("p"), Literal(1)))
        >>> store_union(ds)
        1
        >>> [int(row[0]) for row in ds.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
        [1]
    """
    inner = getattr(dataset.store, "_inner", None)
    if inner is None:
        return None
    import io

    import pyoxigraph as ox

    inner.update("CLEAR SILENT DEFAULT")
    ours = sorted(g.value for g in inner.named_graphs()
                  if isinstance(g, ox.NamedNode) and g.value.startswith(GRAPHS)
                  and g.value != str(MANIFEST))
    write = inner.bulk_load if getattr(dataset.store, "on_disk", False) else inner.load
    chunk = io.BytesIO()
    for iri in ours:
        text = inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        if b"_:" in text:  # a blank node (or those characters in a literal: the same answer)
            inner.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
            continue
        chunk.write(text)
        if chunk.tell() > _UNION_CHUNK:
            write(chunk.getvalue(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            chunk = io.BytesIO()
    if chunk.tell():
        write(chunk.getvalue(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    dataset.store.union_stored = True  # type: ignore[attr-defined]
    return int(next(iter(inner.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))[0].value)


def unite_as_built(dataset: Dataset, dropped: Iterable[str] = (),
                   complete: bool | None = None) -> bool:
    """Prepare to keep the union while a build writes: True when it will be complete.

    The cheap way to the union of :func:`store_union`: each quad the build writes into one
    of our graphs is written into the default graph too (in the same batches), and the
    triples only ``dropped`` graphs held are deleted from it first (one SPARQL update,
    before they are dropped). That holds when the default graph already holds the union of
    what is there (``complete``, by default ``union_stored``), or when nothing is there yet;
    otherwise (a store
    made before unions were kept, or an interrupted build) False, and the caller copies the
    union whole after the build. Not on stores other than Oxigraph (False).
    """
    store = dataset.store
    inner = getattr(store, "_inner", None)
    if inner is None:
        return False
    dropped = sorted(dropped)
    empty = not any(True for _ in inner.quads_for_pattern(None, None, None, None))
    if complete is None:
        complete = getattr(store, "union_stored", False)
    if not empty and not complete:
        return False
    if dropped:
        others = ", ".join(f"<{g}>" for g in [*dropped, str(MANIFEST)])
        inner.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in dropped)} }}"
            f" GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
            f"FILTER (?h NOT IN ({others})) }} }}")
    store.union_writes = True  # type: ignore[attr-defined]
    return True


def united(dataset: Dataset) -> None:
    """The build has written: the default graph holds the union (see :func:`unite_as_built`)."""
    store = dataset.store
    if getattr(store, "union_writes", False):
        store.union_writes = False  # type: ignore[attr-defined]
        store.union_stored = True  # type: ignore[attr-defined]


def holds_union(dataset: Dataset) -> bool:
    """True when the store keeps the union in its default graph (see :func:`store_union`)."""
    return bool(getattr(dataset.store, "union_stored", False))


def read_record(dataset: Dataset) -> str | None:
    """The build's record of ``data/`` kept in a persistent store (JSON; None: none kept).

    A build removes it before it changes anything and writes it last, so a record present
    means the store holds a complete build of what it describes, its union included.
    """
    inner = getattr(dataset.store, "_inner", None)
    if inner is not None:  # one lookup, without rdflib's conversions
        import pyoxigraph as ox

        for quad in inner.quads_for_pattern(ox.NamedNode(BUILD), ox.NamedNode(RECORD), None,
                                            ox.NamedNode(MANIFEST)):
            return str(quad.object.value)
        return None
    for value in dataset.graph(MANIFEST).objects(BUILD, RECORD):
        return str(value)
    return None


def write_record(dataset: Dataset, record: str | None) -> None:
    """Replace the build's record in the store's manifest (None: remove it)."""
    manifest = dataset.graph(MANIFEST)
    if hasattr(dataset.store, "update_endpoint"):
        dataset.store.update(  # type: ignore[call-arg]
            f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{BUILD}> <{RECORD}> ?r }} }}")
    else:
        manifest.remove((BUILD, RECORD, None))
    if record is not None:
        manifest.add((BUILD, RECORD, Literal(record)))
    elif hasattr(dataset.store, "union_stored"):
        dataset.store.union_stored = False  # type: ignore[attr-defined]


def close(dataset: Dataset) -> None:
    """Flush and release the store (an on-disk Oxigraph store's lock is freed)."""
    inner = getattr(dataset.store, "_inner", None)
    if inner is not None and hasattr(inner, "flush"):
        try:
            inner.flush()
        except OSError:  # an in-memory store has nothing to flush
            pass
    dataset.store.close()


__all__ = ["DEFAULT_STORE", "KGDataset", "StoreSpec", "close", "forget", "holds_union",
           "is_memory", "native_select", "open_dataset", "parse_store", "read_manifest",
           "read_record", "record", "select", "spec_of", "store_union", "unite_as_built",
           "united", "write_record"]
