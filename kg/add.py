"""``kg add``: one step from an article to a stored source and draft claims for review.

:func:`plan_add` checks everything and returns an :class:`AddPlan`: the files it would
write (the text byte for byte under ``sources/``, ``sources.yaml`` with one entry
appended, the draft claims and proposed entities under ``drafts/``). It writes
nothing, so ``--dry-run`` is the plan printed. :func:`write_plan` then writes the
plan all or nothing. Any problem (an existing id, a text that is empty or not UTF-8,
a bad date, an unknown ``derived_from``) is a :class:`~kg.errors.DataError` raised
before a byte is written.

Drafts live in ``drafts/``, not ``claims/``: :func:`kg.sources.read_corpus` reads only
``claims/``, so ``kg build`` and ``kg validate`` never treat an unreviewed draft as
curated. A reviewer edits the draft, adds the entities they accept to
``actors.yaml`` and moves the draft to ``claims/<id>.yaml``.

The ``sources.yaml`` entry is appended as text in the style of the existing entries,
so the rest of the file (comments included) stays byte for byte.

Example:
    >>> print(source_block({"id": "wire-2024", "file": "sources/005_ab.txt",
    ...                     "sha256": "ab", "title": "Warning: a test", "outlet": None,
    ...                     "published": DateValue.parse("2024-03-07")}), end="")
    - id: wire-2024
      file: sources/005_ab.txt
      sha256: ab
      title: 'Warning: a test'
      outlet: null
      published: {value: 2024-03-07, precision: day}
"""

from __future__ import annotations

import hashlib
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem, suggest
from .originals import RELATIONS
from .records import DateValue, Source
from .sources import ID_PATTERN, parse_yaml, read_entities, read_sources
from .yamlfile import text_problem

__all__ = ["AddPlan", "NewSource", "PlannedFile", "describe", "plan_add", "source_block",
           "write_plan"]

#: Where drafts go, relative to the data directory (never read as curated claims).
DRAFTS = "drafts"

_NUMBERED = re.compile(r"(\d+)_")


@dataclass(frozen=True)
class NewSource:
    """What the person adding an article says about it (None: not stated)."""

    id: str
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = "en"
    derived_from: str | None = None
    relation: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class PlannedFile:
    """One file to write: its path relative to the data directory and its bytes."""

    path: str
    content: bytes
    what: str
    append: bool = False


@dataclass(frozen=True)
class AddPlan:
    """Everything ``kg add`` would write, checked, and what the extraction found.

    Attributes:
        data_dir: the data directory the paths are relative to.
        source_id: the new source's id.
        files: the files to write, ``sources.yaml`` last (it makes the source official).
        entry: the block appended to ``sources.yaml``.
        kinds: draft claims per kind, in text order of first appearance.
        entities: ids of the proposed new entities.
        hints: remarks for the person adding (e.g. a dateline the text states).
        base_sha256: the sha256 of ``sources.yaml`` as planned against.
    """

    data_dir: Path
    source_id: str
    files: tuple[PlannedFile, ...]
    entry: str
    kinds: tuple[tuple[str, int], ...]
    entities: tuple[str, ...]
    hints: tuple[str, ...]
    base_sha256: str


def _one_line(value: str | None) -> str | None:
    """Metadata is one line: runs of whitespace become one space; blank is unknown."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def _scalar(value: Any) -> str:
    """A YAML scalar in flow form, quoted only when YAML needs it."""
    if value is None:
        return "null"
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def source_block(fields: dict[str, Any]) -> str:
    """One ``sources.yaml`` entry as text, in the file's style (keys in the given order).

    Dates are written ``{value: ..., precision: ...}``; ``notes`` is folded over lines
    of at most 92 characters, as the curated entries are.
    """
    lines = []
    for index, (key, value) in enumerate(fields.items()):
        lead = "- " if index == 0 else "  "
        if isinstance(value, DateValue):
            lines.append(f"{lead}{key}: {{value: {value.value}, precision: {value.precision}}}")
        elif key == "notes" and value:
            lines.append(f"{lead}{key}: >-")
            lines.extend(textwrap.wrap(value, 92, initial_indent="    ",
                                       subsequent_indent="    ", break_long_words=False,
                                       break_on_hyphens=False))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _next_file_name(data: Path, listed: list[str], sha256: str) -> str:
    """``sources/NNN_<sha256 prefix>.txt``, numbered after every stored or listed file."""
    names = [Path(f).name for f in listed]
    folder = data / "sources"
    if folder.is_dir():
        names.extend(p.name for p in folder.iterdir())
    numbers = [m.group(1) for m in map(_NUMBERED.match, names) if m]
    width = max([3, *(len(n) for n in numbers)])
    number = max((int(n) for n in numbers), default=-1) + 1
    return f"sources/{number:0{width}d}_{sha256[:16]}.txt"


def _read_article(article: Path, problems: list[Problem]) -> tuple[bytes, str] | None:
    name = str(article)
    if not article.is_file():
        problems.append(Problem(name, 0, "article not found; give the path of a UTF-8 text file"))
        return None
    data = article.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                                            f"{exc.start}); save the article as UTF-8 and add "
                                            "it again"))
        return None
    if not text.strip():
        problems.append(Problem(name, 0, "the article is empty; give a file with the "
                                         "article's text"))
        return None
    return data, text


def plan_add(article: Path | str, data_dir: Path | str, new: NewSource) -> AddPlan:
    """Check an article and its metadata against ``data_dir``; return what adding would write.

    Writes nothing. Raises DataError listing every problem: the article is missing,
    empty or not UTF-8; the id is malformed or taken (with the same text, or another
    one: stored texts never change); the text is already stored under another id;
    ``published`` is not a date; ``derived_from`` names no source or lacks a
    ``relation``; a draft for the id is already waiting for review.
    """
    from .extract import extract
    from .extract.writers import claims_yaml, entities_yaml

    article, data = Path(article), Path(data_dir)
    if not data.is_dir():
        raise DataError([Problem(str(data), 0, "data directory not found; pass --data DIR")])
    problems: list[Problem] = []
    read = _read_article(article, problems)
    sources_path, actors_path = data / "sources.yaml", data / "actors.yaml"
    for required in (sources_path, actors_path):
        if not required.is_file():
            problems.append(Problem(str(required), 0, "required file is missing; pass --data "
                                                      "DIR with the project's data directory"))
    listed = read_sources(sources_path, str(sources_path), problems) \
        if sources_path.is_file() else []
    reference = tuple(read_entities(actors_path, str(actors_path), problems)) \
        if actors_path.is_file() else ()
    if problems:
        raise DataError(problems)

    digest = hashlib.sha256(read[0]).hexdigest() if read else None
    by_id = {s.id: s for s in listed}
    _check_stored(listed, data, problems)
    _check_identity(new, article, digest, by_id, data, problems)
    published = _check_metadata(new, by_id, problems)
    draft = f"{DRAFTS}/{new.id}.yaml"
    draft_entities = f"{DRAFTS}/{new.id}.entities.yaml"
    if problems or read is None or digest is None:
        raise DataError(problems)

    raw, text = read
    sha256 = digest
    file = _next_file_name(data, [s.file for s in listed], sha256)
    notes = _one_line(new.notes) or (f"Added with kg add from {article.name}; the metadata is "
                                     "as given on the command line.")
    fields: dict[str, Any] = {
        "id": new.id, "file": file, "sha256": sha256, "title": _one_line(new.title),
        "outlet": _one_line(new.outlet), "author": _one_line(new.author),
        "published": published, "url": _one_line(new.url), "language": _one_line(new.language),
    }
    if new.derived_from is not None:
        fields["derived_from"] = new.derived_from
    if new.relation is not None:
        fields["relation"] = new.relation
    fields["notes"] = notes
    entry = source_block(fields)
    base = sources_path.read_bytes()
    joined = _appended(base.decode("utf-8"), entry)
    _check_appended(joined, sources_path, fields, len(listed))

    found = extract(text, reference, new.id, published)
    hints = []
    if published is None and found.published is not None:
        hints.append(f"The text's dateline says {found.published.value}; relative dates were "
                     f"resolved against it, but sources.yaml records no date: pass "
                     f"--published {found.published.value} if that is the publication date.")
    kinds: dict[str, int] = {}
    for claim in found.claims:
        kinds[claim.kind] = kinds.get(claim.kind, 0) + 1
    files = (
        PlannedFile(file, raw, "the article, byte for byte"),
        PlannedFile(draft, claims_yaml(found, file, draft_entities).encode("utf-8"),
                    "draft claims for review"),
        PlannedFile(draft_entities, entities_yaml(found).encode("utf-8"),
                    "proposed new entities for review"),
        PlannedFile("sources.yaml", joined.encode("utf-8"), "the new source entry",
                    append=True),
    )
    return AddPlan(data, new.id, files, entry, tuple(kinds.items()),
                   tuple(e.id for e in found.entities), tuple(hints),
                   hashlib.sha256(base).hexdigest())


def _check_stored(listed: list[Source], data: Path, problems: list[Problem]) -> None:
    """A stored text that no longer matches its sha256 must be restored first."""
    for source in listed:
        path = data / source.file
        if not path.is_file():
            problems.append(Problem(source.where.file, source.where.line,
                                    f"source {source.id!r}: {source.file} not found under "
                                    f"{data}; restore it (e.g. git checkout) before adding "
                                    "another source"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != source.sha256:
            problems.append(Problem(source.where.file, source.where.line,
                                    f"source {source.id!r}: {source.file} changed since it was "
                                    "stored (its sha256 differs from sources.yaml); restore it "
                                    "(e.g. git checkout) before adding another source"))


def _check_identity(new: NewSource, article: Path, sha256: str | None,
                    by_id: dict[str, Source], data: Path, problems: list[Problem]) -> None:
    """The id is well formed and free, and the text is not stored already."""
    if not ID_PATTERN.match(new.id):
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "-", new.id).strip("-._") or "an-id"
        problems.append(Problem("--id", 0, f"{new.id!r} may hold only letters, digits, '-', "
                                           "'_' and '.' and must start with a letter or digit "
                                           f"(it becomes part of IRIs); use e.g. {fixed!r}"))
    elif new.id in by_id:
        old = by_id[new.id]
        where = f"{old.where.file}:{old.where.line}"
        if sha256 is not None and old.sha256 == sha256:
            problems.append(Problem("--id", 0, f"source {new.id!r} already exists ({where}) "
                                               f"with this very text ({old.file}); nothing to "
                                               "add. To draft claims again, run kg extract "
                                               f"{data / old.file} --out {data / DRAFTS}/"
                                               f"{new.id}.yaml"))
        elif sha256 is not None:
            problems.append(Problem("--id", 0, f"source {new.id!r} already exists ({where}) "
                                               f"with a different text ({old.file}); stored "
                                               "texts never change (quote offsets depend on "
                                               "the bytes). Add this version under a new id, "
                                               f"e.g. --id {new.id}-v2"))
    else:
        for taken in (f"{DRAFTS}/{new.id}.yaml", f"{DRAFTS}/{new.id}.entities.yaml",
                      f"claims/{new.id}.yaml"):
            if (data / taken).exists():
                problems.append(Problem(str(data / taken), 0, f"already exists for id "
                                                              f"{new.id!r}; finish or remove "
                                                              "it, or choose another --id"))
    twin = next((s for s in by_id.values() if s.sha256 == sha256 and s.id != new.id), None)
    if sha256 is not None and twin is not None:
        problems.append(Problem(str(article), 0, f"this text is already stored as source "
                                                 f"{twin.id!r} ({twin.file}); do not add it "
                                                 "twice"))


def _check_metadata(new: NewSource, by_id: dict[str, Source],
                    problems: list[Problem]) -> DateValue | None:
    """The date parses, every text can be stored (no control characters...), and
    ``derived_from`` names a stored source and comes with a relation."""
    for option in ("title", "outlet", "author", "url", "language", "notes"):
        value = getattr(new, option)
        why = text_problem(value) if isinstance(value, str) else None
        if why is not None:
            problems.append(Problem(f"--{option}", 0, why))
    published = None
    if new.published is not None:
        try:
            published = DateValue.parse(new.published)
        except ValueError as exc:
            problems.append(Problem("--published", 0, f"{exc}; give YYYY-MM-DD, YYYY-MM or "
                                                      "YYYY"))
    if new.derived_from is not None:
        if new.derived_from not in by_id:
            problems.append(Problem("--derived-from", 0, f"unknown source "
                                                         f"{new.derived_from!r}"
                                                         f"{suggest(new.derived_from, by_id)}; "
                                                         "name a source id of sources.yaml "
                                                         "(kg sources lists them)"))
        if new.relation is None:
            problems.append(Problem("--relation", 0, "say how the text derives from "
                                                     f"{new.derived_from!r}: --relation "
                                                     f"{'|'.join(RELATIONS)}"))
    if new.relation is not None and new.relation not in RELATIONS:
        problems.append(Problem("--relation", 0, f"unknown relation {new.relation!r}; use one "
                                                 f"of {', '.join(RELATIONS)}"))
    elif new.relation is not None and new.derived_from is None:
        problems.append(Problem("--relation", 0, "name the stored original with --derived-from; "
                                                 "if it is not stored, add the text without "
                                                 "--relation and describe it under 'original:' "
                                                 "in sources.yaml (data/FORMAT.md)"))
    return published


def _appended(existing: str, entry: str) -> str:
    """``existing`` with ``entry`` after one blank line, the existing text untouched.

    The entry takes the file's line ends (CRLF if it has them).

    Example:
        >>> _appended("# sources\\r\\n- id: a\\r\\n", "- id: b\\n")
        '# sources\\r\\n- id: a\\r\\n\\r\\n- id: b\\r\\n'
    """
    end = "\r\n" if "\r\n" in existing else "\n"
    entry = entry.replace("\n", end)
    if not existing.strip():
        return entry
    if not existing.endswith("\n"):
        existing += end
    return existing + ("" if existing.endswith(end * 2) else end) + entry


def _check_appended(joined: str, path: Path, fields: dict[str, Any], count: int) -> None:
    """Refuse to write a ``sources.yaml`` that would not read back as intended."""
    try:
        doc = parse_yaml(joined, str(path))
        last = doc[-1] if isinstance(doc, list) and len(doc) == count + 1 else None
    except DataError:
        last = None
    expected = {k: (v.value if isinstance(v, DateValue) else v) for k, v in fields.items()}
    if last is not None and isinstance(last.get("published"), dict):
        last = {**last, "published": last["published"].get("value")}
    if last is None or dict(last) != expected:
        raise DataError([Problem(str(path), 0, "cannot append a source entry to this file "
                                               "(it does not end as a YAML list of sources); "
                                               "fix the file, or add this entry by hand:\n"
                                               + source_block(fields))])


def write_plan(plan: AddPlan) -> list[Path]:
    """Write a plan's files all or nothing; return their paths.

    Each file is first written beside its target and then moved into place,
    ``sources.yaml`` last; if anything fails, the files already moved are removed
    again and ``sources.yaml`` is as it was. Raises DataError, changing nothing, if
    ``sources.yaml`` changed or a target appeared since the plan was made.
    """
    data = plan.data_dir
    sources_path = data / "sources.yaml"
    problems = []
    if hashlib.sha256(sources_path.read_bytes()).hexdigest() != plan.base_sha256:
        problems.append(Problem(str(sources_path), 0, "changed since kg add checked it; run "
                                                      "kg add again"))
    for planned in plan.files:
        if not planned.append and (data / planned.path).exists():
            problems.append(Problem(str(data / planned.path), 0, "appeared since kg add "
                                                                 "checked; run kg add again"))
    if problems:
        raise DataError(problems)
    staged: list[tuple[Path, Path]] = []
    moved: list[Path] = []
    try:
        for planned in plan.files:
            target = data / planned.path
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.kg-add-{os.getpid()}.tmp")
            with open(temp, "xb") as out:
                staged.append((temp, target))
                out.write(planned.content)
                out.flush()
                os.fsync(out.fileno())
            if planned.append:
                os.chmod(temp, sources_path.stat().st_mode & 0o777)
        for temp, target in staged:
            os.replace(temp, target)
            moved.append(target)
    except OSError as exc:
        for target in moved:
            if target != sources_path:
                target.unlink(missing_ok=True)
        raise DataError([Problem(str(data), 0, f"writing failed ({exc}); nothing was added")]) \
            from None
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return moved


def describe(plan: AddPlan, dry_run: bool = False) -> str:
    """What ``kg add`` wrote (or would write), and the review step that follows.

    A dry run also shows the drafts in full, since nothing else will.
    """
    kinds = ", ".join(f"{n} {k}" for k, n in plan.kinds) or "no claims"
    lines = ["Dry run: nothing was written. kg add would write:" if dry_run else
             f"Added source {plan.source_id!r}:"]
    for planned in plan.files:
        verb = "append to" if planned.append else "write"
        lines.append(f"  {verb} {plan.data_dir / planned.path}: {planned.what}")
    lines += ["", f"--- entry appended to {plan.data_dir / 'sources.yaml'}",
              *plan.entry.splitlines()]
    if dry_run:
        for planned in plan.files:
            if planned.path.startswith(f"{DRAFTS}/"):
                lines += ["", f"--- {plan.data_dir / planned.path}",
                          *planned.content.decode("utf-8").splitlines()]
    lines += ["", f"Drafted {kinds}; {len(plan.entities)} proposed entities.", *plan.hints]
    draft = plan.data_dir / DRAFTS / plan.source_id
    lines.append(f"Next: review {draft}.yaml against its quotes, add the entities you accept "
                 f"to {plan.data_dir / 'actors.yaml'}, move the draft to "
                 f"{plan.data_dir / 'claims' / plan.source_id}.yaml, then run kg validate.")
    return "\n".join(lines) + "\n"
