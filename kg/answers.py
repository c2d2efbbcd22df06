"""Ask a question of an open store: project only what it reads, answer, keep the answer.

:func:`ask` projects what the question reads (:data:`kg.project.NEEDS`), answers it with
:mod:`kg.analysis`, and, on an on-disk Oxigraph store built by ``kg build``, keeps the
answer in a directory beside the store (``STORE.answers/``). The answer is filed under a
digest of the store's build manifest (the fingerprint ``kg build`` records for every
graph it writes), of the code that answers, and of the question with its arguments: an
answer kept for another build, another version of the code or other arguments is never
read, and a build that changes the store changes its manifest (a graph's entry is
dropped before the graph is rewritten). A store whose graphs the manifest does not all
name (written some other way) gets no kept answers.

Example:
    >>> from kg.build import build_dataset
    >>> from kg.synthetic import synthetic_corpus
    >>> from kg.validate import check_corpus
    >>> rows = ask(build_dataset(check_corpus(synthetic_corpus(30, seed=2))), "warnings")
    >>> rows[0]["id"], rows[0]["sources"]
    ('warning-0', ['syn-0', 'syn-1000000'])
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from rdflib import Dataset

from . import analysis
from .project import project

#: Each question by its ``kg`` command: the function that answers it on a projection.
QUESTIONS: dict[str, Callable[..., Any]] = {
    "warnings": analysis.warnings,
    "reciprocity": analysis.reciprocity,
    "lead-times": analysis.lead_times,
    "attacks": analysis.attacks,
    "conflicts": analysis.conflicts,
    "timeline": analysis.timeline,
    "actor": analysis.actor,
    "path": analysis.path,
}
#: The questions ``kg build --keep-answers`` answers ahead, with the arguments the ``kg``
#: commands pass by default (a kept answer is found by its exact arguments).
AHEAD: tuple[tuple[Any, ...], ...] = (
    ("warnings",), ("reciprocity", "state"), ("reciprocity", "actor"), ("lead-times",),
    ("attacks",), ("conflicts", False), ("timeline",))
#: The modules (and packages) whose code decides an answer: a kept answer is for this code
#: only.
_CODE = ("analysis", "rows.py", "schema.py", "stated.py", "agreement.py", "project.py",
         "project_read.py", "reshape.py", "records.py", "vocab.py", "iri.py", "answers.py")
_SUFFIX = ".answer"


def ask(dataset: Dataset, question: str, *args: Any, sources: Collection[str] | None = None,
        keep: bool = True) -> Any:
    """The answer to ``question`` (a ``kg`` command's name) with ``args``, from ``dataset``.

    Args:
        dataset: an open dataset (any store).
        question: one of :data:`QUESTIONS`.
        args: the question's own arguments (``"actor"`` for reciprocity's level, a name
            for ``actor``, two names for ``path``, ``True`` for every conflict).
        sources: answer from only these sources (``--as-of``, ``--min-reliability``).
        keep: read and keep the answer beside an on-disk store (see the module's text).

    Raises KeyError for a question it does not know.
    """
    answer = QUESTIONS[question]
    place = _kept_at(dataset, question, args, sources) if keep else None
    if place is not None:
        try:
            kept = place.read_bytes()
        except OSError:
            kept = None  # not kept yet: answer afresh
        if kept is not None:
            paused = gc.isenabled()
            gc.disable()  # many new containers, none garbage: as kg.project, no collections
            try:
                return marshal.loads(kept)
            except (EOFError, ValueError, TypeError):
                pass  # unreadable: answer afresh, and keep that
            finally:
                if paused:
                    gc.enable()
    rows = answer(project(dataset, sources=sources, needs=question), *args)
    if place is not None:
        _keep(place, rows)
    return rows


def keep(dataset: Dataset, question: str, rows: Any, *args: Any,
         sources: Collection[str] | None = None) -> None:
    """Keep ``rows`` as the answer to ``question`` with ``args`` (where :func:`ask` would)."""
    place = _kept_at(dataset, question, args, sources)
    if place is not None:
        _keep(place, rows)


def _kept_at(dataset: Dataset, question: str, args: tuple[Any, ...],
             sources: Collection[str] | None) -> Path | None:
    """Where the answer is kept, or None when this store keeps none."""
    from .stores import read_manifest, spec_of

    spec = spec_of(dataset)
    if spec is None or spec.kind != "oxigraph" or spec.location is None:
        return None
    manifest = read_manifest(dataset)
    graphs = {str(g.identifier) for g in dataset.graphs()}
    if not manifest or not graphs <= set(manifest):
        return None  # not (only) written by kg build: nothing says what the store holds
    build = hashlib.sha256(json.dumps(sorted(manifest.items())).encode()).hexdigest()[:20]
    key = json.dumps([build, _code(), sys.version, marshal.version, question,
                      [repr(a) for a in args],
                      sorted(sources) if sources is not None else None])
    name = f"{build}-{hashlib.sha256(key.encode()).hexdigest()[:32]}{_SUFFIX}"
    return Path(spec.location).with_name(Path(spec.location).name + ".answers") / name


@functools.cache
def _code() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _CODE:
        place = here / name
        for module in sorted(place.glob("*.py")) if place.is_dir() else [place]:
            digest.update(module.read_bytes())
    return digest.hexdigest()


def _keep(place: Path, rows: Any) -> None:
    """Write ``rows`` at ``place`` atomically, and drop the answers of earlier builds."""
    try:
        data = marshal.dumps(rows)
    except ValueError:
        return  # a value marshal cannot write: answer afresh each time
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        build = place.name.split("-", 1)[0]
        for old in place.parent.glob(f"*{_SUFFIX}"):
            if not old.name.startswith(build + "-"):
                old.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=place.parent, prefix=".kg-answer-")
    except OSError:
        return  # a read-only place: the answer is still right, only not kept
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, place)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


__all__ = ["QUESTIONS", "ask", "keep"]
