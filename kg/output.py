"""Writing outputs: deterministic serialisations, and an output directory replaced as a set.

An output directory (``out/``) changes in one step. A write builds the complete new
directory beside it (``.out.kg-new-*``: every new file, fsynced, plus hard links to the
files it does not replace, such as ``kg html`` views), then swaps the two directories
in one atomic system call (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np`` on
macOS), then deletes the old one. A reader, or a build killed at any moment, sees the
old set or the new set, never a mix; ``out`` stays a plain directory, so a page opened
as ``out/graph.html`` reloads the new build. Writers of one directory hold a lock on it
(``flock``), so two builds never interleave, and each removes what killed writers left
(``.out.kg-*``). Where no atomic swap exists, the old directory is renamed aside and the
new one renamed in: for an instant there is no ``out/``, but never a mixed one.

Example:
    >>> from rdflib import Dataset, URIRef, Literal
    >>> ds = Dataset()
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal(1)))
    >>> serialise(ds, "nquads").strip()
    '<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .'
"""

from __future__ import annotations

import ctypes
import heapq
import io
import itertools
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib import Dataset

from .errors import OutputError
from .iri import PREFIXES

if TYPE_CHECKING:
    from .build import Terms

FORMATS = {"trig": "graph.trig", "turtle": "graph.ttl", "json-ld": "graph.jsonld",
           "nquads": "graph.nq"}


Writer = Callable[[BinaryIO], None]


def serialise(dataset: Dataset, fmt: str) -> str:
    """Serialise ``dataset`` in ``fmt`` (trig, turtle, json-ld, nquads), byte-stable.

    ``turtle`` is the merged union of every named graph. See :func:`writer`.
    """
    buffer = io.BytesIO()
    writer(dataset, fmt)(buffer)
    return buffer.getvalue().decode("utf-8")


#: Each non-empty graph's IRI -> its triples as sorted canonical N-Triples lines.
GraphLines = dict[str, list[bytes]]


def writer(source: Dataset | GraphLines, fmt: str) -> Writer:
    """A function that writes ``source`` in ``fmt`` to a binary file, as a stream.

    ``source`` is a dataset, or its :func:`graph_lines` (made once for every format).
    Oxigraph's serialisers write every format; the same triples always give the same
    bytes, on every store: each graph's triples are put in their canonical N-Triples
    form (Oxigraph's) and sorted, and the writers keep that order. The JSON-LD is
    JSON-LD 1.1 in expanded form, one object per named graph.
    """
    if fmt not in ("trig", "turtle", "nquads", "json-ld"):
        raise ValueError(f"unknown format {fmt!r}")

    def write(handle: BinaryIO) -> None:
        import pyoxigraph as ox

        graphs = source if isinstance(source, dict) else dataset_lines(source)
        if fmt == "nquads":
            # Each graph's lines are sorted, and stay so with the graph's name after the
            # triple: merged, they are the whole file sorted, never all held twice.
            handle.writelines(heapq.merge(*(_with_graph(lines, graph)
                                            for graph, lines in graphs.items())))
        elif fmt == "turtle":
            union = (line for line, _ in itertools.groupby(heapq.merge(*graphs.values())))
            with _SortedHeader(handle) as out:
                ox.serialize(ox.parse(_reader(union), format=ox.RdfFormat.N_TRIPLES), out,
                             format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        else:
            quads = ox.parse(_reader(line for graph in sorted(graphs)
                                     for line in _with_graph(graphs[graph], graph)),
                             format=ox.RdfFormat.N_QUADS)
            if fmt == "trig":
                with _SortedHeader(handle) as out:
                    ox.serialize(quads, out, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
            else:
                ox.serialize(quads, handle, format=ox.RdfFormat.JSON_LD)
                handle.write(b"\n")

    return write


class _LineReader(io.RawIOBase):
    """A binary file that reads the bytes of an iterator of lines (a parser's input)."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self.lines, self.pending = lines, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self.pending) < len(buffer):
            chunk = b"".join(itertools.islice(self.lines, 4096))
            if not chunk:
                break
            self.pending += chunk
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def _reader(lines: Iterator[bytes]) -> BinaryIO:
    return io.BufferedReader(_LineReader(lines), buffer_size=1 << 20)


def dataset_lines(dataset: Dataset) -> GraphLines:
    """Each non-empty graph of ``dataset`` (by IRI) with its sorted canonical lines."""
    from .stores import native

    fast = native(dataset)
    found: GraphLines = {}
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        name = str(graph.identifier)
        if fast is not None:
            data = fast.graph_ntriples(name)
        else:
            data = graph.serialize(format="nt", encoding="utf-8")
        lines = _canonical(data or b"")
        if lines:
            found[name] = lines
    return found


def graph_lines(quads: Iterable[tuple[str, str, str, str]],
                texts: Mapping[str, bytes] | None = None) -> GraphLines:
    """:data:`GraphLines` of quads whose terms are N-Triples text (see :func:`nt_terms`),
    and of whole graphs given as N-Triples ``texts`` (graph IRI -> text).

    What the build writes from its records, without reading the store back: the same
    lines as :func:`dataset_lines` of the dataset built from them.
    """
    by_graph: dict[str, list[str]] = {}
    for s, p, o, g in quads:
        texts_of = by_graph.get(g)
        if texts_of is None:
            texts_of = by_graph[g] = []
        texts_of.append(f"{s} {p} {o} .\n")
    chunks = {graph[1:-1]: "".join(by_graph.pop(graph)).encode() for graph in sorted(by_graph)}
    for graph, text in (texts or {}).items():
        chunks[graph] = chunks.get(graph, b"") + text
    found: GraphLines = {}
    for graph in sorted(chunks):
        lines = _canonical(chunks.pop(graph))
        if lines:
            found[graph] = lines
    return found


def _canonical(data: bytes) -> list[bytes]:
    """N-Triples text as sorted, distinct lines in Oxigraph's canonical form."""
    import pyoxigraph as ox

    text = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES),
                        format=ox.RdfFormat.N_TRIPLES) or b""
    return sorted(set(text.splitlines(keepends=True)))


_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_terms() -> Terms:
    """The builder's terms as N-Triples text (IRIs are ours, checked when read: no escaping).

    Example:
        >>> terms = nt_terms()
        >>> terms.iri("urn:x"), terms.literal('say "hi"'), terms.literal("5", "urn:int")
        ('<urn:x>', '"say \\\\"hi\\\\""', '"5"^^<urn:int>')
    """
    from .build import Terms

    def literal(lexical: str, datatype: str | None) -> str:
        text = lexical.translate(_NT_ESCAPE)
        return f'"{text}"' if datatype is None else f'"{text}"^^{datatype}'

    return Terms(lambda value: f"<{value}>", literal)


def _with_graph(lines: list[bytes], graph: str) -> Iterator[bytes]:
    suffix = f" <{graph}> .\n".encode()
    return (line[:line.rindex(b" .")] + suffix for line in lines)


class _SortedHeader(io.RawIOBase, BinaryIO):
    """Passes writes on to ``target``, with the leading ``@prefix`` lines sorted.

    Oxigraph declares prefixes in an order of its own; sorted, they cannot change with
    its version.
    """

    def __init__(self, target: BinaryIO) -> None:
        self.target, self.head, self.passing = target, b"", False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        if self.passing:
            self.target.write(data)
            return len(data)
        self.head += data
        lines = self.head.split(b"\n")
        complete = lines[:-1]
        body = next((i for i, line in enumerate(complete) if not line.startswith(b"@prefix")),
                    None)
        if body is not None:
            self._flush_head(complete[:body], b"\n".join(lines[body:]))
        return len(data)

    def _flush_head(self, prefixes: list[bytes], rest: bytes) -> None:
        self.target.write(b"".join(line + b"\n" for line in sorted(prefixes)) + rest)
        self.head, self.passing = b"", True

    def close(self) -> None:
        if not self.passing:
            lines = self.head.split(b"\n")
            prefixes = [line for line in lines if line.startswith(b"@prefix")]
            rest = b"\n".join(line for line in lines if not line.startswith(b"@prefix"))
            self._flush_head(prefixes, rest)
        super().close()


#: Written into every output directory: kg replaces only directories that carry it
#: (or are new, empty, or hold nothing but files kg writes).
MARKER = ".kg-output"
MARKER_TEXT = ("This directory is written by kg (kg build, kg export) and replaced as a whole "
               "on each write;\nfiles added to it are carried over. See README.md, "
               "'Outputs change as a set'.\n")
#: How long a writer waits for another one writing the same directory.
LOCK_TIMEOUT = 600.0


def _owned(out: Path) -> list[str]:
    """Entries of ``out`` that show it is not kg's to replace (empty: it is kg's)."""
    if (out / MARKER).is_file():
        return []
    strangers = []
    for entry in sorted(out.iterdir()):
        ours = entry.name.startswith(".kg-build-") or entry.is_file() and (
            entry.name.startswith("graph.") or entry.suffix == ".html"
            or entry.name in ("validation.txt", "nodes.csv", "edges.csv"))
        if not ours:
            strangers.append(entry.name)
    return strangers


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created if missing) while writing it.

    The lock is ``flock`` on the directory itself, so it leaves no file behind. A writer
    that swapped the directory away since we opened it has released a lock on the old
    one: then lock the new one. Where ``fcntl`` is missing (Windows) nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        directory.mkdir(parents=True, exist_ok=True)
        yield
        return
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        directory.mkdir(parents=True, exist_ok=True)
        handle = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OutputError(f"{directory}: another kg process has been writing "
                                          f"it for {LOCK_TIMEOUT:.0f}s; wait for it to finish "
                                          "or stop it") from None
                    time.sleep(0.05)
            try:
                current = os.path.samestat(os.fstat(handle), os.stat(directory))
            except FileNotFoundError:
                current = False
            if current:
                yield
                return
        finally:
            os.close(handle)  # releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` in one atomic step; False where the OS cannot."""
    if not sys.platform.startswith(("linux", "darwin")):  # pragma: no cover - Windows
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                                rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), 2)  # RENAME_SWAP
    else:  # pragma: no cover
        return False
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this filesystem
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _switch(staging: Path, out: Path) -> None:
    """Make ``staging`` the directory at ``out`` in one step; the old one ends at ``staging``."""
    if _exchange(staging, out):
        return
    aside = staging.with_name(staging.name.replace(".kg-new-", ".kg-old-"))
    os.rename(out, aside)
    os.rename(staging, out)
    os.rename(aside, staging)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fsync_dir(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - Windows cannot open directories
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(handle)


def _write(path: Path, content: str | bytes | Writer) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        if callable(content):
            content(handle)
        else:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        handle.flush()
        os.fsync(handle.fileno())


def _clean_leftovers(parent: Path, prefix: str) -> None:
    """Remove what killed writers left beside the output: ``<prefix>*`` files and dirs."""
    for entry in parent.glob(f"{prefix}*"):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def write_atomically(out_dir: Path | str,
                     files: Mapping[str, str | bytes | Writer]) -> list[Path]:
    """Replace ``out_dir`` by itself with ``files`` (name -> content), in one atomic step.

    A content is text, bytes, or a function that writes the file's bytes to the binary
    file it is given (a :func:`writer`), so a large output streams to disk.

    Files of ``out_dir`` whose names ``files`` does not hold are carried over (hard
    links), so a build keeps the ``kg html`` views and exports written beside it.

    Raises OutputError if the directory cannot be written, or holds files kg did not
    write; the previous outputs then stay exactly as they were.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "out"
        >>> [p.name for p in write_atomically(out, {"a.txt": "one", "b.txt": "two"})]
        ['a.txt', 'b.txt']
        >>> _ = write_atomically(out, {"b.txt": "three"})
        >>> sorted((p.name, p.read_text()) for p in out.iterdir() if p.name != MARKER)
        [('a.txt', 'one'), ('b.txt', 'three')]
    """
    out = Path(out_dir)
    out = out.resolve() if out.is_symlink() else out.absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a directory; choose another --out")
    try:
        if Path.cwd().resolve().is_relative_to(out.resolve()):
            raise OutputError(f"{out_dir}: kg replaces an output directory as a whole, and "
                              "this one holds the current directory; choose another --out")
        with locked(out):
            strangers = _owned(out)
            if strangers:
                raise OutputError(
                    f"{out_dir}: holds files kg did not write ({', '.join(strangers[:3])}"
                    f"{', ...' if len(strangers) > 3 else ''}); kg replaces its output directory "
                    "as a whole, so choose a new or empty --out (or move those files)")
            prefix = f".{out.name}.kg-"
            _clean_leftovers(out.parent, prefix)
            _clean_leftovers(out, ".kg-build-")  # what earlier versions of kg left
            staging = Path(tempfile.mkdtemp(prefix=f"{prefix}new-", dir=out.parent))
            try:
                os.chmod(staging, os.stat(out).st_mode & 0o7777)
                replaced = {name.split("/", 1)[0] for name in files} | {MARKER}
                for entry in out.iterdir():
                    if entry.name in replaced or entry.name.startswith(".kg-build-"):
                        continue
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.copytree(entry, staging / entry.name, symlinks=True,
                                        copy_function=_link_or_copy)
                    elif entry.is_symlink():
                        os.symlink(os.readlink(entry), staging / entry.name)
                    else:
                        _link_or_copy(entry, staging / entry.name)
                for name, content in {**files, MARKER: MARKER_TEXT}.items():
                    _write(staging / name, content)
                _fsync_dir(staging)
                _switch(staging, out)
                _fsync_dir(out.parent)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: writing outputs failed ({exc.strerror or exc}); the "
                          "previous outputs were left in place") from None
    return [Path(out_dir) / name for name in files]


def write_file_atomically(path: Path | str, content: str | bytes) -> Path:
    """Write one file in one step: a complete temporary file renamed over ``path``.

    Holds the lock of its directory meanwhile, so a page written into ``out/`` is not
    lost to a build replacing ``out/`` at the same moment.

    Raises OutputError if it cannot be written; the previous file then stays.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{path}: is a directory; give the name of the file to write")
    parent = target.parent.resolve() if target.parent.is_symlink() else target.parent.absolute()
    temp = None
    try:
        with locked(parent):
            prefix = f".{target.name}.kg-"
            _clean_leftovers(parent, prefix)
            temp = parent / f"{prefix}{uuid.uuid4().hex[:12]}"
            _write(temp, content)
            os.replace(temp, parent / target.name)
            temp = None
            _fsync_dir(parent)
    except OSError as exc:
        raise OutputError(f"{path}: writing failed ({exc.strerror or exc}); the previous file "
                          "was left in place") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return target
