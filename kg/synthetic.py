"""A synthetic corpus for benchmarks: N warnings among N/10 actors, skewed degrees.

Everything is invented ("Actor 17 warned Actor 3 ...") and plainly marked so. The
corpus goes through the same readers, checks and builder as real data: each
claim's quote is a sentence of a generated source text. Seeded, so the same
arguments give the same corpus.

Example:
    >>> corpus = synthetic_corpus(50, seed=1)
    >>> len({c.event for c in corpus.claims if c.kind == "warning"})
    50
    >>> sum(c.kind == "warning" for c in corpus.claims)  # a tenth told by a second source
    55
    >>> len([e for e in corpus.entities if e.type != "place"])
    5
"""

from __future__ import annotations

import hashlib
import random
from itertools import accumulate
from pathlib import Path

import yaml

from .records import Claim, Corpus, Count, DateValue, Entity, Quote, Source

CLAIMS_PER_SOURCE = 200


def synthetic_corpus(n_warnings: int, seed: int = 0, n_actors: int | None = None) -> Corpus:
    """A corpus with ``n_warnings`` warnings among ``n_warnings // 10`` actors (at least 2).

    Actor choice follows a Zipf-like weight (a few actors send and receive most
    warnings), roughly a third of warnings concern an attack, and a tenth of the
    warnings are reported by a second, independent source.
    """
    rng = random.Random(seed)
    n_actors = n_actors or max(2, n_warnings // 10)
    n_states = max(1, n_actors // 5)
    entities = [Entity(f"state-{i}", "state", f"State {i}", (f"Synthetic State {i}",))
                for i in range(n_states)]
    entities += [Entity(f"agency-{i}", "agency", f"Agency {i}", (), state=f"state-{i % n_states}")
                 for i in range(n_actors - n_states)]
    entities.append(Entity("city", "place", "Synthetic City"))
    actors = [e.id for e in entities if e.type != "place"]
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(actors))]
    # Cumulative weights once: random.choices would sum all weights on every call, which
    # made a million warnings take hours. The same draws either way.
    cumulative = list(accumulate(weights))
    sentences: dict[int, list[str]] = {}
    claims: list[Claim] = []

    def add(kind: str, event: str, fields: dict, sentence: str, source_index: int) -> None:
        sentences.setdefault(source_index, []).append(sentence)
        claims.append(Claim(
            id=f"s{source_index}-{event}", kind=kind, source=f"syn-{source_index}", event=event,
            fields=tuple(sorted(fields.items())), quotes=(Quote(sentence),)))

    for i in range(n_warnings):
        warner, recipient = rng.choices(actors, cum_weights=cumulative, k=2)
        while recipient == warner:
            recipient = rng.choices(actors, cum_weights=cumulative)[0]
        year, month, day = 2000 + rng.randrange(24), rng.randrange(1, 13), rng.randrange(1, 29)
        date = f"{year:04d}-{month:02d}-{day:02d}"
        fields: dict = {"warner": warner, "recipient": recipient,
                        "date": DateValue(date, "day"), "outcome": "none_reported"}
        source_index = i // CLAIMS_PER_SOURCE
        if i % 3 == 0:
            attack = f"attack-{i}"
            killed = rng.randrange(200)
            add("attack", attack, {"place": "city", "killed": (Count(killed, "exact"),),
                                   "date": DateValue(f"{min(year + 1, 2024):04d}", "year")},
                f"Synthetic attack {i} in Synthetic City killed {killed} people.", source_index)
            fields["concerns"] = attack
            fields["outcome"] = "attack_happened"
        sentence = f"Synthetic report {i}: {warner} warned {recipient} on {date}."
        add("warning", f"warning-{i}", fields, sentence, source_index)
        if i % 10 == 0:
            second = f"Independent synthetic report {i}: {warner} warned {recipient}."
            add("warning", f"warning-{i}", fields, second, source_index + 10**6)
    texts = {f"syn-{k}": "\n".join(v) + "\n" for k, v in sentences.items()}
    sources = tuple(
        Source(sid, f"sources/{sid}.txt", hashlib.sha256(text.encode()).hexdigest(),
               title=f"Synthetic source {sid}", outlet="synthetic")
        for sid, text in sorted(texts.items()))
    return Corpus(sources, tuple(entities), tuple(claims), texts)


def write_corpus(corpus: Corpus, data_dir: Path | str) -> Path:
    """Write a corpus as a ``data/`` directory that ``kg build --data`` reads."""
    data = Path(data_dir)
    (data / "sources").mkdir(parents=True, exist_ok=True)
    (data / "claims").mkdir(exist_ok=True)
    for source in corpus.sources:
        (data / source.file).write_bytes(corpus.texts[source.id].encode())
    (data / "sources.yaml").write_text(yaml.safe_dump(
        [{"id": s.id, "file": s.file, "sha256": s.sha256, "title": s.title, "outlet": s.outlet}
         for s in corpus.sources], sort_keys=False))
    (data / "actors.yaml").write_text(yaml.safe_dump(
        [{"id": e.id, "type": e.type, "label": e.label, "aliases": list(e.aliases),
          **({"state": e.state} if e.state else {})} for e in corpus.entities], sort_keys=False))
    by_source: dict[str, list[dict]] = {}
    for claim in corpus.claims:
        by_source.setdefault(claim.source, []).append(_claim_yaml(claim))
    for sid, items in by_source.items():
        (data / "claims" / f"{sid}.yaml").write_text(
            yaml.safe_dump({"source": sid, "claims": items}, sort_keys=False, allow_unicode=True))
    return data


def _claim_yaml(claim: Claim) -> dict:
    out: dict = {"id": claim.id, "kind": claim.kind, "event": claim.event}
    for name, value in claim.fields:
        if isinstance(value, DateValue):
            out[name] = {"value": value.value, "precision": value.precision}
        elif isinstance(value, tuple) and value and isinstance(value[0], Count):
            out[name] = [{"value": c.value, "qualifier": c.qualifier} for c in value]
        else:
            out[name] = list(value) if isinstance(value, tuple) else value
    out["quotes"] = [q.text for q in claim.quotes]
    return out
