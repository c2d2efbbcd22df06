"""Stores: parse a ``--store`` spec and open the rdflib ``Dataset`` behind it.

One code path fills and reads every store through rdflib's Store API:

- ``memory``: rdflib's own in-memory store.
- ``oxigraph``: Oxigraph in memory (``pyoxigraph`` behind rdflib's Store API:
  ``kg.oxigraph``).
- ``oxigraph:PATH``: Oxigraph on disk in directory PATH (created if missing); builds into
  it are incremental (see ``kg.pipeline.load``).
- ``sparql:URL`` or ``sparql:QUERY_URL,UPDATE_URL``: any SPARQL 1.1 server (Virtuoso,
  Fuseki, GraphDB, Neptune) through rdflib's ``SPARQLUpdateStore`` (``kg.remote``);
  incremental too.

The dataset returned is a :class:`KGDataset`: SPARQL's default graph is the union of the
named graphs, each triple once (RDF merge, as SPARQL 1.1 and rdflib's union define it), and
``graphs()`` lists only this project's graphs (a server's own system graphs, or the build
manifest, are not ours to project or serialise). Oxigraph's own union view counts a triple
once per graph that states it, so on Oxigraph the build keeps the union, as a set, in the
store's real default graph (:func:`store_union`) and queries read that graph.

What only Oxigraph can do fast (bulk loads of N-Quads text, rows in its own terms, the
kept union, dumps) the rest of the code asks of a :class:`NativeStore`, which
:func:`native` finds behind a dataset (None on other stores); ``kg.oxigraph`` is the one
implementation.

Example:
    >>> parse_store("oxigraph:/var/kg")
    StoreSpec(kind='oxigraph', location='/var/kg', update=None)
    >>> str(parse_store("sparql:http://127.0.0.1:8890/sparql"))
    'sparql:http://127.0.0.1:8890/sparql'
    >>> from kg.iri import local_id
    >>> ds = open_dataset("memory")
    >>> _ = ds.graph(graph_iri("s1")).add((graph_iri("a"), graph_iri("b"), graph_iri("c")))
    >>> [local_id(g.identifier) for g in ds.graphs()]
    ['s1']
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from rdflib import XSD, BNode, Dataset, Literal, URIRef
from rdflib.graph import Graph
from rdflib.store import Store

from .errors import StoreError
from .iri import (
    BUILD,
    FINGERPRINT,
    GENID,
    GRAPHS,
    MANIFEST,
    RECORD,
    graph_iri,  # noqa: F401 - the examples below use it
)

if TYPE_CHECKING:
    from .remote import RemoteStore

#: The store used when none is given; chosen by measurement (README, "Stores and scale").
DEFAULT_STORE = "oxigraph"
SPEC_HELP = ("memory | oxigraph | oxigraph:PATH (on disk, incremental) | sparql:URL "
             "(a SPARQL 1.1 server; sparql:QUERY_URL,UPDATE_URL when they differ)")
#: Graphs removed from a SPARQL server per request.
_DROP_CHUNK = 200


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


@runtime_checkable
class NativeStore(Protocol):
    """What a store offers besides rdflib's Store API (``kg.oxigraph.OxigraphStore``).

    Terms travel as N-Triples text (``kg.output.nt_terms``) or as the store's own term
    objects, whose ``.value`` is the IRI, label or lexical form.
    """

    #: The store is a directory on disk.
    on_disk: bool
    #: The default graph holds the union of our graphs, each triple once.
    union_stored: bool

    def add_nquads(self, quads: Iterable[tuple[str, str, str, str]]) -> None:
        """Write quads whose four terms are N-Triples text."""

    def load_nquads(self, data: bytes) -> None:
        """Load an N-Quads document (a build's ``graph.nq``), blank nodes kept."""

    def select(self, query: str) -> Iterator[tuple[Any, ...]]:
        """Rows of a SELECT over the union, as rdflib terms."""

    def select_native(self, query: str) -> Iterator[Any]:
        """Rows of a SELECT over the union, in the store's own terms."""

    def keep_union(self) -> int:
        """Copy the union of our graphs into the default graph; its size."""

    def unite_as_built(self, dropped: Iterable[str], complete: bool | None = None) -> bool:
        """Keep the union while a build writes; False when it must be copied after."""

    def united(self) -> None:
        """The build has written (see :meth:`unite_as_built`)."""

    def read_record(self) -> str | None:
        """The build's record kept in the manifest."""

    def graph_sizes(self) -> dict[str, int]:
        """IRI -> triples of every named graph."""

    def graph_ntriples(self, iri: str) -> bytes:
        """One named graph as N-Triples."""

    def dump_nquads(self, path: str) -> None:
        """Everything in the store as N-Quads in the file ``path``."""

    def flush(self) -> None:
        """Write what is buffered to disk."""


class KGDataset(Dataset):
    """A Dataset whose ``graphs()`` are this project's named graphs only (sorted).

    Attributes:
        spec: the ``--store`` spec it was opened with (None: given a Store instance).
        built_from: the build's ``graph.nq`` it was loaded from (``kg.built.reload``), which
            ``kg serve``'s workers read instead of a new dump; None otherwise.
    """

    def __init__(self, store: Store | str = "default", default_union: bool = True,
                 spec: StoreSpec | None = None, built_from: str | None = None) -> None:
        super().__init__(store=store, default_union=default_union)
        self.spec = spec
        self.built_from = built_from

    def graphs(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        """Our named graphs (ontology, reference, one per source), by IRI."""
        found = {g.identifier: g for g in super().graphs(triple)
                 if str(g.identifier).startswith(GRAPHS) and g.identifier != MANIFEST}
        return iter([found[k] for k in sorted(found)])

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        """The same as :meth:`graphs` (rdflib's serialisers still ask for contexts)."""
        return self.graphs(triple)


def open_dataset(spec: str | StoreSpec | Store = DEFAULT_STORE) -> KGDataset:
    """Open the store ``spec`` names and wrap it in a :class:`KGDataset` (union default graph).

    A Store instance is used as it is. Raises StoreError for a bad spec or an on-disk store
    that cannot be opened (another process holds it). A SPARQL server is not contacted
    until the dataset is used.
    """
    if isinstance(spec, Store):
        return KGDataset(store=spec)
    parsed = parse_store(spec)
    store: Store | str
    if parsed.kind == "memory":
        store = "default"
    elif parsed.kind == "oxigraph":
        from .oxigraph import OxigraphStore  # pyoxigraph loads when first used

        store = OxigraphStore(parsed.location)
    else:
        from .remote import RemoteStore

        store = RemoteStore(parsed)
    dataset = KGDataset(store=store, spec=parsed)
    ox = native(dataset)
    if ox is not None and ox.on_disk:
        # A build's record is written after its union and removed before any change.
        ox.union_stored = ox.read_record() is not None
    return dataset


def native(dataset: Dataset) -> NativeStore | None:
    """The :class:`NativeStore` behind ``dataset`` (None: rdflib's Store API only)."""
    store = dataset.store
    return store if isinstance(store, NativeStore) else None


def spec_of(dataset: Dataset) -> StoreSpec | None:
    """The spec a dataset was opened with (None when it was given a Store instance)."""
    return dataset.spec if isinstance(dataset, KGDataset) else None


def built_from(dataset: Dataset) -> str | None:
    """The build's ``graph.nq`` the dataset was loaded from (see :class:`KGDataset`)."""
    return dataset.built_from if isinstance(dataset, KGDataset) else None


def is_memory(dataset: Dataset) -> bool:
    """True when ``dataset`` lives in rdflib's own in-memory store."""
    from rdflib.plugins.stores.memory import Memory

    return isinstance(dataset.store, Memory)


def _remote(dataset: Dataset) -> RemoteStore | None:
    """The SPARQL server store behind ``dataset``, or None (kg.remote loads only when used,
    so a store of its class exists only once it is loaded)."""
    remote = sys.modules.get("kg.remote")
    if remote is not None and isinstance(dataset.store, remote.RemoteStore):
        return dataset.store
    return None


def select(dataset: Dataset, query: str) -> Iterator[tuple[Any, ...]]:
    """Rows of a SELECT query as tuples of rdflib terms, streamed where the store can.

    On Oxigraph the query runs natively and rows are converted as they come (about five
    times faster than going through rdflib's result objects); elsewhere through
    ``dataset.query``.
    """
    ox = native(dataset)
    if ox is None:
        return (tuple(row) for row in dataset.query(query))  # type: ignore[arg-type]
    return ox.select(query)


def native_select(dataset: Dataset) -> Any:
    """A function from a SELECT to its rows of Oxigraph's own terms; None if not Oxigraph.

    For readers that want a term's ``.value`` string and no rdflib term at all
    (``kg.project``): making rdflib terms was most of the time of reading a large store.
    """
    ox = native(dataset)
    return None if ox is None else ox.select_native


def plain(term: Any) -> Any:
    """An ``xsd:string`` literal as the plain literal rdflib makes (RDF 1.1: the same), and
    a skolem IRI (``GENID``) as its blank node.

    Example:
        >>> plain(Literal("x", datatype=XSD.string)) == Literal("x")
        True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    if isinstance(term, URIRef) and term.startswith(GENID):
        return BNode(term[len(GENID):])
    return term


def read_manifest(dataset: Dataset) -> dict[str, str]:
    """Graph IRI -> fingerprint of what it was built from, as recorded in the store."""
    manifest = dataset.graph(MANIFEST)
    return {str(s): str(o) for s, _, o in manifest.triples((None, FINGERPRINT, None))}


def forget(dataset: Dataset, graphs: Iterable[str]) -> None:
    """Drop ``graphs`` and their manifest entries (entries first: a crash leaves them stale)."""
    graphs = sorted(graphs)
    server = _remote(dataset)
    if server is not None:
        # On a server: a few requests, not two per graph.
        for i in range(0, len(graphs), _DROP_CHUNK):
            chunk = graphs[i:i + _DROP_CHUNK]
            server.run_update(" ;\n".join(
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


def store_union(dataset: Dataset) -> int | None:
    """Keep the union of our graphs, each triple once, in an Oxigraph store's default graph.

    Oxigraph's ``use_default_graph_as_union`` counts a triple once per graph that holds it;
    SPARQL 1.1's union of graphs and rdflib's count it once (see
    ``kg.oxigraph.OxigraphStore.keep_union``). Returns the union's size; None on stores
    other than Oxigraph (rdflib's own union is a set; a SPARQL server's default graph is
    the server's to define).

    Example:
        >>> ds = open_dataset("oxigraph")
        >>> for name in ("a", "b"):
        ...     _ = ds.graph(graph_iri(name)).add((graph_iri("x"), graph_iri("p"), Literal(1)))
        >>> store_union(ds)
        1
        >>> [int(row[0]) for row in ds.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
        [1]
    """
    ox = native(dataset)
    return None if ox is None else ox.keep_union()


def unite_as_built(dataset: Dataset, dropped: Iterable[str] = (),
                   complete: bool | None = None) -> bool:
    """Prepare to keep the union while a build writes: True when it will be complete.

    The cheap way to the union of :func:`store_union`: each quad the build writes into one
    of our graphs is written into the default graph too (in the same batches), and the
    triples only ``dropped`` graphs held are deleted from it first (one SPARQL update,
    before they are dropped). That holds when the default graph already holds the union of
    what is there (``complete``, by default :func:`holds_union`), or when nothing is there
    yet; otherwise (a store made before unions were kept, or an interrupted build) False,
    and the caller copies the union whole after the build. Not on stores other than
    Oxigraph (False).
    """
    ox = native(dataset)
    return False if ox is None else ox.unite_as_built(dropped, complete)


def united(dataset: Dataset) -> None:
    """The build has written: the default graph holds the union (see :func:`unite_as_built`)."""
    ox = native(dataset)
    if ox is not None:
        ox.united()


def holds_union(dataset: Dataset) -> bool:
    """True when the store keeps the union in its default graph (see :func:`store_union`)."""
    ox = native(dataset)
    return ox is not None and ox.union_stored


def read_record(dataset: Dataset) -> str | None:
    """The build's record of ``data/`` kept in a persistent store (JSON; None: none kept).

    A build removes it before it changes anything and writes it last, so a record present
    means the store holds a complete build of what it describes, its union included.
    """
    ox = native(dataset)
    if ox is not None:
        return ox.read_record()
    for value in dataset.graph(MANIFEST).objects(BUILD, RECORD):
        return str(value)
    return None


def write_record(dataset: Dataset, record: str | None) -> None:
    """Replace the build's record in the store's manifest (None: remove it)."""
    manifest = dataset.graph(MANIFEST)
    server = _remote(dataset)
    if server is not None:
        server.run_update(
            f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{BUILD}> <{RECORD}> ?r }} }}")
    else:
        manifest.remove((BUILD, RECORD, None))
    ox = native(dataset)
    if record is not None:
        manifest.add((BUILD, RECORD, Literal(record)))
    elif ox is not None:
        ox.union_stored = False


def close(dataset: Dataset) -> None:
    """Flush and release the store (an on-disk Oxigraph store's lock is freed)."""
    ox = native(dataset)
    if ox is not None:
        ox.flush()
    dataset.store.close()


__all__ = ["DEFAULT_STORE", "KGDataset", "NativeStore",
           "StoreSpec", "built_from", "close", "forget", "holds_union", "is_memory", "native",
           "native_select", "open_dataset", "parse_store", "plain", "read_manifest",
           "read_record", "record", "select", "spec_of", "store_union", "unite_as_built",
           "united", "write_record"]
