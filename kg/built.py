"""What ``kg build`` made, and whether it still answers for ``data/``: read once, answer often.

A build takes a fingerprint of the data directory before it reads it (every file's path,
size, modification time and sha256) and keeps it, with the sources' metadata, as a
:class:`BuildRecord`: in ``out/.kg-built.json`` beside ``out/graph.nq``, and in the store's
manifest on a persistent store (``oxigraph:PATH``, ``sparql:URL``). A read command
(questions, ``kg sparql``, ``kg html``, ``kg export``, ``kg serve``) then compares the data
directory with the record, :func:`changes`: sizes and times first, and a file's content only
when its time moved but not its size, so a touched-but-unchanged file costs one hash and no
rebuild. Unchanged: it answers from what the build made (:func:`answering`), without reading
or checking ``data/``. Changed: it says which files and builds again, or, asked to
(``--stale``), answers from the old build and says that.

Example:
    >>> import tempfile
    >>> data = Path(tempfile.mkdtemp())
    >>> _ = (data / "sources.yaml").write_text("[]")
    >>> record = take(data)
    >>> changes(record, data)
    []
    >>> _ = (data / "actors.yaml").write_text("[]")
    >>> changes(record, data)
    ['actors.yaml (added)']
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import DateValue, Original, Source

if TYPE_CHECKING:
    from .stores import KGDataset

#: The record's file in the output directory (written with the outputs, as one set).
RECORD_FILE = ".kg-built.json"
#: The record's format; a record of another version is not trusted.
VERSION = 2  # 2: a copy's original kept with its source
#: Directories of ``data/`` a build does not read (``kg add`` writes drafts for review).
_UNREAD = frozenset({"drafts"})
#: A file modified within this long of the fingerprint may have changed within the same
#: clock tick (as git's "racily clean" entries): its content is compared.
_RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class BuildRecord:
    """What a build was made from: the data directory's files and its sources' metadata."""

    data: str
    #: path in data/ -> (size, mtime_ns, sha256, racy): racy when modified within a clock
    #: tick or two of the fingerprint, so that its time alone cannot prove it unchanged
    files: dict[str, tuple[int, int, str, bool]]
    sources: tuple[dict[str, Any], ...] = ()
    with_extracted: bool = False
    store: str = ""

    def to_json(self) -> str:
        """The record as JSON (sorted, no clock time: the same data, the same bytes)."""
        return json.dumps({"version": VERSION, "data": self.data, "store": self.store,
                           "with_extracted": self.with_extracted,
                           "files": {k: list(v) for k, v in sorted(self.files.items())},
                           "sources": list(self.sources)},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> BuildRecord | None:
        """A record read back (None when it is unreadable or of another version)."""
        try:
            raw = json.loads(text)
            if raw.get("version") != VERSION:
                return None
            record = cls(raw["data"], {k: (int(v[0]), int(v[1]), str(v[2]), bool(v[3]))
                                       for k, v in raw["files"].items()},
                         tuple(raw["sources"]), bool(raw["with_extracted"]), str(raw["store"]))
            record.source_records()  # a source row that does not read back: unreadable too
            return record
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def source_records(self) -> list[Source]:
        """The sources as records (what ``--as-of``, ``--min-reliability`` and ``kg sources``
        read)."""
        return [Source(**{**row, "published": _date(row.get("published")),
                          "original": _original(row.get("original"))}) for row in self.sources]

    def finished(self, sources: Any, with_extracted: bool, store: str) -> BuildRecord:
        """This fingerprint completed by what the build read and where it went."""
        return replace(self, sources=tuple(_source_row(s) for s in sources),
                       with_extracted=with_extracted, store=store)


def _source_row(source: Source) -> dict[str, Any]:
    row = {name: getattr(source, name) for name in (
        "id", "file", "sha256", "title", "outlet", "author", "url", "language",
        "translated_from", "derived_from", "relation", "notes", "reliability",
        "reliability_reason")}
    if source.published is not None:
        row["published"] = _date_row(source.published)
    if source.original is not None:
        original = source.original
        row["original"] = {name: getattr(original, name) for name in (
            "id", "title", "outlet", "author", "url", "language")}
        if original.published is not None:
            row["original"]["published"] = _date_row(original.published)
    return row


def _date_row(date: DateValue) -> dict[str, Any]:
    return {"value": date.value, "precision": date.precision, "text": date.text,
            "inferred": date.inferred}


def _date(row: dict[str, Any] | None) -> DateValue | None:
    return DateValue(**row) if row else None


def _original(row: dict[str, Any] | None) -> Original | None:
    return Original(**{**row, "published": _date(row.get("published"))}) if row else None


def _files(data_dir: Path) -> dict[str, os.stat_result]:
    """Every file a build may read under ``data_dir`` (hidden files and drafts/ aside)."""
    found: dict[str, os.stat_result] = {}
    for root, dirs, names in os.walk(data_dir):
        top = root == str(data_dir)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (top and d in _UNREAD))
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                found[os.path.relpath(path, data_dir).replace(os.sep, "/")] = os.stat(path)
            except OSError:  # a dangling link: the build reports it if it reads it
                continue
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def take(data_dir: Path | str) -> BuildRecord:
    """Fingerprint ``data_dir`` (taken before the build reads it: a later edit shows)."""
    data = Path(data_dir)
    taken = time.time_ns()
    files = {rel: (st.st_size, st.st_mtime_ns, _sha256(data / rel),
                   st.st_mtime_ns >= taken - _RACY_NS) for rel, st in _files(data).items()}
    return BuildRecord(str(data.resolve()), files)


def changes(record: BuildRecord, data_dir: Path | str, limit: int | None = None) -> list[str]:
    """What changed in ``data_dir`` since ``record`` was taken ([]: nothing).

    Sizes and times are compared; a file's content only when its size is the same and its
    time is not (touched, or edited within a clock tick of the fingerprint). Stops after
    ``limit`` changes.
    """
    data = Path(data_dir)
    found: list[str] = []
    if str(data.resolve()) != record.data:
        return [f"the build was made from {record.data}"]
    now = _files(data)
    for rel in sorted(set(now) | set(record.files)):
        if limit is not None and len(found) >= limit:
            break
        st, was = now.get(rel), record.files.get(rel)
        if st is None:
            found.append(f"{rel} (removed)")
        elif was is None:
            found.append(f"{rel} (added)")
        elif st.st_size != was[0]:
            found.append(rel)
        elif (st.st_mtime_ns != was[1] or was[3]) and _sha256(data / rel) != was[2]:
            found.append(rel)
    return found


def describe(found: list[str], data_dir: Path | str) -> str:
    """``data/ changed since the build (3 files: a, b, c)``."""
    shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
    return f"{data_dir}/ changed since the last kg build ({shown})"


def read_record_file(out_dir: Path | str) -> BuildRecord | None:
    """The record a build left in ``out_dir`` (None: none there, or unreadable)."""
    try:
        text = (Path(out_dir) / RECORD_FILE).read_text(encoding="utf-8")
    except OSError:
        return None
    return BuildRecord.from_json(text)


@dataclass(frozen=True)
class Answering:
    """What a read command answers from: the dataset, the sources, and what to say first."""

    dataset: Any
    sources: list[Source]
    notes: tuple[str, ...] = ()
    #: the N-Quads file the dataset was loaded from (``kg serve`` hands it to its workers)
    nquads: Path | None = None


def answering(data_dir: Path | str = "data", store: Any = "oxigraph",
              built_dir: Path | str = "out", stale: bool = False,
              shapes: bool = False) -> Answering:
    """The dataset a read command answers from, built again only when ``data/`` changed.

    - ``oxigraph`` (the default): ``built_dir/graph.nq`` loaded into Oxigraph in memory
      when ``built_dir``'s record matches ``data_dir``.
    - ``oxigraph:PATH``, ``sparql:URL``: the store itself, when the record in its manifest
      matches ``data_dir``; else the store is brought up to date (incrementally).
    - ``memory``: built from ``data_dir`` every time (rdflib's store is not kept).

    When ``data_dir`` changed, a note says so, and the graph is built from ``data_dir`` (in
    memory, for this answer only, unless the store is persistent); with ``stale`` the old
    build answers and a note says that instead.
    """
    from .pipeline import load
    from .stores import close, open_dataset, parse_store, read_record

    spec = parse_store(store)
    notes: list[str] = []
    if spec.kind == "memory":
        built = load(data_dir, store=spec, shapes=shapes)
        return Answering(built.dataset, list(built.corpus.sources))
    if spec.persistent:
        dataset = open_dataset(spec)
        record = _parse(read_record(dataset))
        why = _why(record, data_dir, f"store {spec}")
        if why is None or (stale and record is not None):
            assert record is not None
            if why is not None:
                notes.append(f"{why}; answering from the store as last built (--stale)")
            from .iri import bind_prefixes

            bind_prefixes(dataset)
            return Answering(dataset, record.source_records(), tuple(notes))
        close(dataset)
        notes.append(f"{why}; bringing store {spec} up to date")
        built = load(data_dir, store=spec, shapes=shapes,
                     with_extracted=record.with_extracted if record else False)
        return Answering(built.dataset, list(built.corpus.sources), tuple(notes))
    record = read_record_file(built_dir)
    nquads = Path(built_dir) / "graph.nq"
    why = _why(record, data_dir, f"{built_dir}/")
    if record is not None and not nquads.is_file():
        why = f"{nquads} is missing"
    if why is None or (stale and record is not None and nquads.is_file()):
        assert record is not None
        try:
            dataset = reload(nquads)
        except (SyntaxError, OSError, ValueError) as exc:  # damaged since the build
            why = f"{nquads} cannot be read ({exc})"
        else:
            if why is not None:
                notes.append(f"{why}; answering from {built_dir}/ as last built (--stale)")
            return Answering(dataset, record.source_records(), tuple(notes), nquads)
    notes.append(f"{why}; building from {data_dir}/ in memory for this answer (kg build "
                 "saves it for the next)")
    built = load(data_dir, store=spec, shapes=shapes,
                 with_extracted=record.with_extracted if record else False)
    return Answering(built.dataset, list(built.corpus.sources), tuple(notes))


def _parse(text: str | None) -> BuildRecord | None:
    return None if text is None else BuildRecord.from_json(text)


def _why(record: BuildRecord | None, data_dir: Path | str, where: str) -> str | None:
    """Why the build in ``where`` cannot answer for ``data_dir`` (None: it can)."""
    if record is None:
        return f"no build of {data_dir}/ found in {where} (kg build makes one)"
    found = changes(record, data_dir, limit=4)
    return describe(found, data_dir) if found else None


def reload(nquads: Path | str) -> KGDataset:
    """``graph.nq`` of a build in Oxigraph in memory, the union kept in its default graph.

    The build's blank nodes (the ontology's class unions, canonically labelled so that
    outputs are byte-stable) keep their labels (see ``kg.oxigraph``'s ``load_nquads``).
    """
    from .iri import bind_prefixes
    from .oxigraph import OxigraphStore
    from .stores import KGDataset, StoreSpec

    store = OxigraphStore()
    store.load_nquads(Path(nquads).read_bytes())
    store.keep_union()
    dataset = KGDataset(store=store, spec=StoreSpec("oxigraph"), built_from=str(nquads))
    bind_prefixes(dataset)
    return dataset
