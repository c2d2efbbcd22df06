"""Extraction speed in characters per second: the five sources, and synthetic long texts.

Run: uv run python benchmarks/extract_speed.py [--repeat N]

Prints, for each input, its size, the best time of N runs and characters per second.
The gazetteer and the GeoNames city index are built once (cached) before timing; their
build times are printed apart (a single `kg extract` pays both once).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extract import extract
from kg.extract.cities import city_index
from kg.extract.gazetteer import gazetteer
from kg.sources import read_corpus

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, text: str, entities: tuple, source: str, published) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        extract(text, entities, source, published)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = read_corpus(ROOT / "data")
    start = time.perf_counter()
    gazetteer.cache_clear()
    gazetteer(corpus.entities)
    print(
        f"gazetteer build: {time.perf_counter() - start:.3f} s "
        f"({len(gazetteer(corpus.entities).entities)} entities)"
    )
    start = time.perf_counter()
    city_index()
    print(f"GeoNames city index, loaded once per process: {time.perf_counter() - start:.3f} s")
    print(f"{'input':<28} {'chars':>9} {'seconds':>9} {'chars/s':>10}")
    total_chars, total_time = 0, 0.0
    for source in corpus.sources:
        text = corpus.texts[source.id]
        seconds = best_of(args.repeat, text, corpus.entities, source.id, source.published)
        total_chars, total_time = total_chars + len(text), total_time + seconds
        print(f"{source.id:<28} {len(text):>9} {seconds:>9.3f} {len(text) / seconds:>10.0f}")
    print(
        f"{'five sources (sum)':<28} {total_chars:>9} {total_time:>9.3f} "
        f"{total_chars / total_time:>10.0f}"
    )
    joined = "\n\n".join(corpus.texts[s.id] for s in corpus.sources)
    for copies in (10, 40):
        text = "\n\n".join([joined] * copies)
        seconds = best_of(1, text, corpus.entities, "big", None)
        print(
            f"{f'all five x{copies}':<28} {len(text):>9} {seconds:>9.3f} "
            f"{len(text) / seconds:>10.0f}"
        )
    paragraph = " ".join(["the officials said that the US warned Russia of an attack"] * 4000)
    seconds = best_of(1, paragraph, corpus.entities, "one-paragraph", None)
    print(
        f"{'one huge paragraph':<28} {len(paragraph):>9} {seconds:>9.3f} "
        f"{len(paragraph) / seconds:>10.0f}"
    )


if __name__ == "__main__":
    main()
