"""Draft claims from an article, offline: rules, gazetteers and GeoNames' towns, no model.

The stages: :mod:`~kg.extract.doc` reads sentences, names (:mod:`~kg.extract.gazetteer`,
:mod:`~kg.extract.lexicon`, :mod:`~kg.extract.cities`), dates and figures;
:mod:`~kg.extract.events` groups attack and plot mentions (:mod:`~kg.extract.attacks`) into
events; :mod:`~kg.extract.warn_rules` finds warnings through :mod:`~kg.extract.warn_patterns`
(the constructions) and :mod:`~kg.extract.roles` (who warned whom); :mod:`~kg.extract.claims`
makes the records, marking every date it infers.

:func:`extract` reads any text and returns an :class:`Extraction`: claims of the
same :class:`~kg.records.Claim` type the curated reader makes, marked
``method="extracted"`` with a confidence, each with verbatim quotes and offsets;
and the new entities it proposes (actors and places that are not reference
entities yet). :mod:`kg.extract.writers` turns an extraction into a claims file in
the curated format, an ``actors.yaml``-style file of proposals, or the JSON of
``kg warnings`` / ``kg attacks``. :func:`with_extracted` adds extracted claims to a
corpus for the sources that have no curated claims (``kg build --with-extracted``).

Example:
    >>> from kg.records import Entity
    >>> ref = (Entity("united-states", "state", "United States", ("US",)),
    ...        Entity("russia", "state", "Russia"))
    >>> found = extract("The US warned Russia of a threat on Monday. A bombing in Moscow "
    ...                 "killed 12 people.",
    ...                 ref, "demo", published=DateValue.parse("2024-03-07"))
    >>> warning = next(c for c in found.claims if c.kind == "warning")
    >>> warning.get("warner"), warning.get("recipient"), warning.get("date").value
    ('united-states', 'russia', '2024-03-04')
    >>> warning.method, warning.quotes[0].start
    ('extracted', 0)
    >>> [e.id for e in found.entities]
    ['moscow']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..records import ENTITY_FIELDS, Claim, Corpus, DateValue, Entity
from .actor_rules import find_affiliations, find_roles
from .claims import assemble
from .doc import read
from .events import find_events
from .gazetteer import gazetteer, slug
from .lexicon import Lexicon
from .responses import find_responses
from .warn_rules import find_warnings

__all__ = ["Extraction", "extract", "extract_file", "infer_published", "with_extracted"]

#: Written on every proposed entity, so nobody mistakes it for reviewed data.
PROPOSED = "Proposed by kg extract from {source}; review it before adding it to actors.yaml."


@dataclass(frozen=True)
class Extraction:
    """What the extractor drew from one article.

    Attributes:
        source: the source id the claims belong to.
        claims: the draft claims, in text order.
        entities: proposed new entities the claims use (not in the reference data).
        published: the publication date used to resolve relative dates (or None).
        notes: remarks for the reviewer (e.g. where the publication date came from).
    """

    source: str
    claims: tuple[Claim, ...]
    entities: tuple[Entity, ...]
    published: DateValue | None
    notes: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> list[Claim]:
        """The claims of one kind."""
        return [c for c in self.claims if c.kind == kind]


def extract(
    text: str,
    reference: Sequence[Entity],
    source: str = "article",
    published: DateValue | None = None,
    infer_date: bool = True,
) -> Extraction:
    """Draft claims from ``text``, linking actors to the ``reference`` entities.

    Args:
        text: the article, exactly as stored (offsets refer to it).
        reference: the reference entities (``data/actors.yaml``).
        source: the source id to put on the claims.
        published: the publication date; relative dates resolve against it.
        infer_date: when ``published`` is None, look for a dateline at the top.
    """
    notes = []
    if published is None and infer_date:
        published = infer_published(text)
        if published is not None:
            notes.append(
                f"Publication date {published.value} read from the dateline {published.text!r}."
            )
    lex = Lexicon(gazetteer(tuple(reference)))
    doc = read(text, lex, published)
    events, mentions, responsibility = find_events(doc)
    warnings = find_warnings(doc, mentions, events)
    responses = find_responses(doc, warnings)
    claims = assemble(
        doc,
        source,
        events,
        responsibility,
        warnings,
        responses,
        find_roles(doc),
        find_affiliations(doc),
    )
    proposed = _proposed(lex, claims, source)
    return Extraction(source, tuple(claims), proposed, published, tuple(notes))


_DATELINE = re.compile(
    r"^(?:(?:Published|Posted|Updated|Date)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)"
    r"day,?\s+)?((?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2},?\s+"
    r"\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4}|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)


_PUBLISHED = re.compile(
    r"\b(?:Published|Posted|Updated)\s*:?\s*(?:on\s+)?(\S.{0,40})", re.IGNORECASE
)


def infer_published(text: str) -> DateValue | None:
    """A publication date stated as a dateline in the first lines, or None.

    Example:
        >>> infer_published("Wednesday, July 08, 2020\\n\\nCIA Kept Giving Intel").value
        '2020-07-08'
        >>> infer_published("In 2011, Russia warned the US.") is None
        True
    """
    from .dates import find_dates
    from .text import Sentence

    for line in [ln.strip() for ln in text.splitlines() if ln.strip()][:8]:
        match = _DATELINE.match(line[:120]) or _PUBLISHED.search(line[:200])
        if match is None:
            continue
        words = match.group(1)
        for date in find_dates(Sentence(0, len(words), words), None):
            if date.value is not None and date.value.precision == "day":
                return DateValue(date.value.value, "day", line[:80])
    return None


def _proposed(lex: Lexicon, claims: Iterable[Claim], source: str) -> tuple[Entity, ...]:
    """The non-reference entities the claims use, with the states they point to."""
    wanted: list[str] = []
    for claim in claims:
        for name, value in claim.fields:
            if name in ENTITY_FIELDS:
                wanted.extend(value if isinstance(value, tuple) else (value,))
    result: dict[str, Entity] = {}
    while wanted:
        ident = wanted.pop(0)
        known = lex.known(ident)
        if known.reference or ident in result:
            continue
        result[ident] = known.entity(PROPOSED.format(source=source))
        if known.state:
            wanted.append(known.state)
    return tuple(sorted(result.values(), key=lambda e: e.id))


def with_extracted(corpus: Corpus) -> Corpus:
    """The corpus plus extracted claims for every source that has no curated claims.

    Only claims whose actors and places are all reference entities are added (proposed
    entities are for a person to review, not for the graph); a required field that
    names a proposed entity drops the claim, an optional one is left out.
    """
    curated = {c.source for c in corpus.claims}
    known = {e.id for e in corpus.entities}
    added: list[Claim] = []
    for source in corpus.sources:
        if source.id in curated or source.id not in corpus.texts:
            continue
        found = extract(corpus.texts[source.id], corpus.entities, source.id, source.published)
        kept = [c for c in (_only_known(c, known) for c in found.claims) if c is not None]
        events = {c.event for c in kept}
        added.extend(c for c in (_drop_dangling(c, events) for c in kept) if c is not None)
    return replace(corpus, claims=corpus.claims + tuple(added))


def _only_known(claim: Claim, known: set[str]) -> Claim | None:
    from ..records import KINDS

    required = {f.rstrip("*") for f in KINDS[claim.kind] if f.endswith("*")}
    fields = []
    for name, value in claim.fields:
        if name in ENTITY_FIELDS:
            values = value if isinstance(value, tuple) else (value,)
            kept = tuple(v for v in values if v in known)
            if len(kept) != len(values):
                if name in required:
                    return None
                if isinstance(value, tuple) and kept:
                    fields.append((name, kept))
                continue
        fields.append((name, value))
    return replace(claim, fields=tuple(fields))


def _drop_dangling(claim: Claim, events: set[str]) -> Claim | None:
    """Leave out references to events that were dropped (a warning's ``concerns``)."""
    fields = []
    for name, value in claim.fields:
        if name in ("concerns", "responds_to") and value not in events:
            if name == "responds_to" or claim.kind == "claim_of_responsibility":
                return None
            continue
        fields.append((name, value))
    return replace(claim, fields=tuple(fields))


def extract_file(
    article: Path | str,
    data_dir: Path | str = "data",
    published: str | None = None,
    source: str | None = None,
) -> tuple[Extraction, tuple[Entity, ...]]:
    """Extract from a UTF-8 file, with the reference entities of ``data_dir``.

    A stored article (a file listed in ``sources.yaml``) takes its source id and
    publication date from there unless ``source`` / ``published`` are given.
    Returns the extraction and the reference entities. Raises DataError for a missing
    or non-UTF-8 file, a bad date, or an unreadable ``actors.yaml``.
    """
    from ..errors import DataError, Problem
    from ..sources import read_entities, read_sources, read_text

    path, data = Path(article), Path(data_dir)
    if not path.is_file():
        raise DataError(
            [Problem(str(path), 0, "article not found; give the path of a UTF-8 text file")]
        )
    text = read_text(path, str(path))
    problems: list[Problem] = []
    actors = data / "actors.yaml"
    if not actors.is_file():
        raise DataError(
            [
                Problem(
                    str(actors),
                    0,
                    "reference entities not found; pass --data DIR with an actors.yaml",
                )
            ]
        )
    reference = tuple(read_entities(actors, str(actors), problems))
    stored = None
    if (data / "sources.yaml").is_file():
        listed = read_sources(data / "sources.yaml", str(data / "sources.yaml"), problems)
        stored = next((s for s in listed if (data / s.file).resolve() == path.resolve()), None)
    if problems:
        raise DataError(problems)
    date = stored.published if stored is not None else None
    if published is not None:
        try:
            date = DateValue.parse(published)
        except ValueError as exc:
            raise DataError(
                [Problem("--published", 0, f"{exc}; give YYYY-MM-DD, YYYY-MM or YYYY")]
            ) from None
    ident = source or (stored.id if stored is not None else slug(path.stem) or "article")
    return extract(text, reference, ident, date), reference
