"""Score kg extract on a folder of articles with hand-written gold (the devset's format).

Run: uv run python benchmarks/extract_score.py [DIR ...] [--details]

DIR holds ``articles/NN_slug.txt`` (header lines ``url:``, ``outlet:``, ``published:``, a blank
line, then the body) and ``gold/NN_slug.yaml`` (actors, warnings, attacks), the format of
the development set in ``../shared/devset/``. The default is the project's own invented set,
every ``tests/data/extract/newsset-*`` (articles written for this project, with gold).

The metric is the development set's (``../shared/devset/score.py``), in process:

- warnings match on (warner state, recipient state) with compatible years (equal, or one
  side has none); a warning whose two sides are one state (domestic) is not scored;
- attacks that happened (not foiled plots, coups or police shootouts) match on place (the
  predicted place's words inside the gold place, or the gold place's first word in the
  prediction) with compatible years;
- *dated*: the same, but where the gold gives a year the prediction must give it too.

Gold and predictions are paired one to one; names are compared after mapping the gold's
aliases (and an agency or official to its state, where the gold says so) to one name.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

from kg.extract import extract
from kg.extract.writers import json_rows
from kg.records import DateValue
from kg.sources import read_entities

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = sorted((ROOT / "tests" / "data" / "extract").glob("newsset-*"))
COMMON = {
    "united states": ["us", "u s", "usa", "america", "washington", "u s government"],
    "russia": ["russian federation", "moscow", "kremlin"],
    "united kingdom": ["uk", "britain", "great britain", "london"],
}


def norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def canon_table(gold: dict) -> dict[str, str]:
    table = {norm(a): canon for canon, aliases in COMMON.items() for a in [canon, *aliases]}
    for actor in gold.get("actors") or []:
        for name in [actor["name"], *(actor.get("aliases") or [])]:
            table.setdefault(norm(name), norm(actor["name"]))
    for w in gold.get("warnings") or []:
        for who, state in (("warner", "warner_state"), ("recipient", "recipient_state")):
            if w.get(state):
                table[norm(w[who])] = table.get(norm(w[state]), norm(w[state]))
    return table


def year(date: object) -> str | None:
    if isinstance(date, dict):
        date = date.get("value")
    match = re.match(r"(\d{4})", str(date or ""))
    return match.group(1) if match else None


def years_ok(gold: str | None, pred: str | None, dated: bool) -> bool:
    if gold is None:
        return True
    return (pred is None and not dated) or gold == pred


def place_ok(gold: str, pred: str) -> bool:
    g, p = norm(gold), norm(pred)
    return bool(g and p) and (f" {p} " in f" {g} " or f" {g.split()[0]} " in f" {p} ")


def matching(gold: list, pred: list, ok) -> int:
    """Size of a maximum one-to-one matching (augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, p in enumerate(pred):
            if j not in seen and ok(gold[i], p):
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(1 for i in range(len(gold)) if augment(i, set()))


def items(gold: dict, found: dict) -> tuple[list, list, list, list]:
    table = canon_table(gold)

    def c(x: object) -> str:
        return table.get(norm(x), norm(x))

    def side(w: dict, who: str) -> str:
        return c(w.get(f"{who}_state") or w.get(who))

    gw = [
        (side(w, "warner"), side(w, "recipient"), year(w.get("date")))
        for w in gold.get("warnings") or []
    ]
    pw = {(side(w, "warner"), side(w, "recipient"), year(w.get("date"))) for w in found["warnings"]}
    ga = [
        (a.get("place") or "", year(a.get("date")))
        for a in gold.get("attacks") or []
        if a.get("status", "happened") == "happened" and a.get("kind") not in ("coup", "shootout")
    ]
    pa = [(a.get("place") or "", year(a.get("date"))) for a in found["attacks"]]
    return [g for g in gw if g[0] != g[1]], [p for p in pw if p[0] != p[1]], ga, pa


def prf(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = right / predicted if predicted else (1.0 if gold == 0 else 0.0)
    r = right / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(folder: Path, details: bool) -> None:
    reference = tuple(read_entities(ROOT / "data" / "actors.yaml", "actors.yaml", []))
    totals = {(k, d): [0, 0, 0] for k in "wa" for d in (False, True)}
    chars, seconds = 0, 0.0
    for article in sorted((folder / "articles").glob("*.txt")):
        header, body = article.read_text(encoding="utf-8").split("\n\n", 1)
        stamp = re.search(r"^published: (\d{4}-\d{2}(?:-\d{2})?)", header, re.M)
        published = DateValue.parse(stamp.group(1)) if stamp else None
        start = time.perf_counter()
        found = json_rows(extract(body, reference, article.stem, published), reference)
        seconds += time.perf_counter() - start
        chars += len(body)
        gold = yaml.safe_load((folder / "gold" / f"{article.stem}.yaml").read_text("utf-8"))
        gw, pw, ga, pa = items(gold, found)
        line = []
        for dated in (False, True):
            def wok(g: tuple, p: tuple, dated: bool = dated) -> bool:
                return g[:2] == p[:2] and years_ok(g[2], p[2], dated)

            def aok(g: tuple, p: tuple, dated: bool = dated) -> bool:
                return place_ok(g[0], p[0]) and years_ok(g[1], p[1], dated)

            wm, am = matching(gw, pw, wok), matching(ga, pa, aok)
            for key, right, predicted, total in (
                ("w", wm, len(pw), len(gw)),
                ("a", am, len(pa), len(ga)),
            ):
                t = totals[(key, dated)]
                t[0], t[1], t[2] = t[0] + right, t[1] + predicted, t[2] + total
            if not dated:
                line = [
                    f"warnings {wm}/{len(gw)} found, {len(pw)} proposed",
                    f"attacks {am}/{len(ga)} found, {len(pa)} proposed",
                ]
        if details:
            print(f"{article.stem}: {'; '.join(line)}")
    print(
        f"{folder}: {len(list((folder / 'articles').glob('*.txt')))} articles, "
        f"{chars / seconds:,.0f} characters/s"
    )
    print(f"{'':7} {'warnings P':>10} {'R':>5} {'F1':>5}   {'attacks P':>9} {'R':>5} {'F1':>5}")
    for dated in (False, True):
        w, a = prf(*totals[("w", dated)]), prf(*totals[("a", dated)])
        print(
            f"{'dated' if dated else 'pair':<7} {w[0]:>10.2f} {w[1]:>5.2f} {w[2]:>5.2f}   "
            f"{a[0]:>9.2f} {a[1]:>5.2f} {a[2]:>5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULTS)
    parser.add_argument("--details", action="store_true", help="one line per article")
    args = parser.parse_args()
    for folder in args.folders:
        if not (folder / "articles").is_dir() or not (folder / "gold").is_dir():
            sys.exit(f"{folder}: needs articles/ and gold/ folders (the devset's layout)")
        score(folder, args.details)


if __name__ == "__main__":
    main()
