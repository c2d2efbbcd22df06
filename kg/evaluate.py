"""Score the extractor against the curated claims of the same sources.

For every source that has curated claims, :func:`evaluate` runs :func:`kg.extract.extract`
on its text (with the publication date from ``sources.yaml``) and compares:

- **warnings** by ``(warner state, recipient state, year)``: agencies and officials roll
  up to their state, as in ``kg reciprocity --level state``;
- **attacks** by ``(place at state level, year, killed)``: a place counts as its state
  (Moscow and Crocus City Hall are both Russia), ``killed`` is the set of
  ``(value, qualifier)`` figures ("more than 130" is not 130).

A date known only as "before X", or not at all, has no year; unknown must match
unknown. Items are paired one to one on equal keys, giving precision, recall and F1 per
source and overall (micro-averaged). The *relaxed* F1 pairs on who/where only
(warner and recipient states; the attack's place), to show how much of the gap is
dates and tolls.

Example:
    >>> f1(2, 4, 2)
    (0.5, 1.0, 0.667)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .records import Claim, Corpus, DateValue, Entity

KINDS = ("warning", "attack")
SCORE_FIELDS = [
    "source",
    "kind",
    "gold",
    "extracted",
    "matched",
    "precision",
    "recall",
    "f1",
    "relaxed_f1",
]
DETAIL_FIELDS = ["source", "kind", "status", "key", "claim"]


@dataclass(frozen=True)
class Evaluation:
    """Scores per source and kind (plus ``overall`` rows), and every item's fate."""

    scores: tuple[dict, ...]
    details: tuple[dict, ...]

    def overall(self, kind: str) -> dict:
        """The overall score row of one kind."""
        return next(s for s in self.scores if s["source"] == "overall" and s["kind"] == kind)


def f1(matched: int, extracted: int, gold: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 (rounded to 3 places; None where undefined)."""
    precision = matched / extracted if extracted else None
    recall = matched / gold if gold else None
    if precision is None or recall is None:
        score = None if not (extracted or gold) else 0.0
    else:
        score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return rounded(precision), rounded(recall), rounded(score)


def _year(date: DateValue | None) -> str | None:
    return date.value[:4] if date is not None and date.precision != "before" else None


def _keys(claim: Claim, states: dict[str, str]) -> tuple[Hashable, Hashable]:
    """The strict and relaxed matching keys of a warning or attack claim."""

    def state(ident: str | None) -> str | None:
        return states.get(ident, ident) if ident else None

    if claim.kind == "warning":
        who = (state(claim.get("warner")), state(claim.get("recipient")))
        return (*who, _year(claim.get("date"))), who
    killed = frozenset((c.value, c.qualifier) for c in claim.get("killed") or ())
    where = state(claim.get("place"))
    return (where, _year(claim.get("date")), killed), where


def state_map(entities: Iterable[Entity]) -> dict[str, str]:
    """Entity id -> the state it rolls up to (itself when it has none)."""
    return {e.id: e.id if e.type == "state" else (e.state or e.id) for e in entities}


def _describe(key: Hashable) -> str:
    parts = []
    for part in key if isinstance(key, tuple) else (key,):
        if isinstance(part, frozenset):
            part = (
                ", ".join(
                    f"{q.replace('_', ' ')} {v}".replace("exact ", "") for v, q in sorted(part)
                )
                or "no toll"
            )
        parts.append("?" if part is None else str(part))
    return " | ".join(parts)


def compare(
    gold: Sequence[Claim],
    extracted: Sequence[Claim],
    states: dict[str, str],
    source: str,
    kind: str,
) -> tuple[dict, list[dict]]:
    """Score one source and kind; return its row and the fate of every item."""
    gold_keys = [_keys(c, states) for c in gold]
    found_keys = [_keys(c, states) for c in extracted]
    strict = Counter(k for k, _ in gold_keys) & Counter(k for k, _ in found_keys)
    relaxed = Counter(r for _, r in gold_keys) & Counter(r for _, r in found_keys)
    matched, relaxed_matched = sum(strict.values()), sum(relaxed.values())
    precision, recall, score = f1(matched, len(extracted), len(gold))
    row = {
        "source": source,
        "kind": kind,
        "gold": len(gold),
        "extracted": len(extracted),
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": score,
        "relaxed_f1": f1(relaxed_matched, len(extracted), len(gold))[2],
        "relaxed_matched": relaxed_matched,
    }
    details = []
    for claims, keys, miss in ((gold, gold_keys, "missed"), (extracted, found_keys, "spurious")):
        left = Counter(strict)
        for claim, (key, _) in zip(claims, keys, strict=True):
            status = "matched" if left[key] > 0 else miss
            left[key] -= 1
            if status == "matched" and miss == "spurious":
                continue  # listed once, on the gold side
            details.append(
                {
                    "source": source,
                    "kind": kind,
                    "status": status,
                    "key": _describe(key),
                    "claim": claim.id,
                }
            )
    return row, details


def evaluate(corpus: Corpus) -> Evaluation:
    """Run the extractor on every source with curated claims and score it."""
    from .extract import extract

    rows: list[dict] = []
    details: list[dict] = []
    totals: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    base_states = state_map(corpus.entities)
    curated = [c for c in corpus.claims if c.method == "curated"]
    for source in corpus.sources:
        gold = [c for c in curated if c.source == source.id]
        if not gold or source.id not in corpus.texts:
            continue
        found = extract(corpus.texts[source.id], corpus.entities, source.id, source.published)
        states = {**state_map(found.entities), **base_states}
        for kind in KINDS:
            row, items = compare(
                [c for c in gold if c.kind == kind], found.of_kind(kind), states, source.id, kind
            )
            rows.append(row)
            details.extend(items)
            totals[kind].update(
                gold=row["gold"],
                extracted=row["extracted"],
                matched=row["matched"],
                relaxed=row["relaxed_matched"],
            )
    for kind in KINDS:
        t = totals[kind]
        precision, recall, score = f1(t["matched"], t["extracted"], t["gold"])
        rows.append(
            {
                "source": "overall",
                "kind": kind,
                "gold": t["gold"],
                "extracted": t["extracted"],
                "matched": t["matched"],
                "precision": precision,
                "recall": recall,
                "f1": score,
                "relaxed_f1": f1(t["relaxed"], t["extracted"], t["gold"])[2],
            }
        )
    return Evaluation(tuple(rows), tuple(details))


def evaluate_dir(data_dir: Path | str) -> Evaluation:
    """Read the corpus in ``data_dir`` and evaluate the extractor on it."""
    from .sources import read_corpus

    return evaluate(read_corpus(data_dir))
