"""Rewrite the golden results of the named queries from the real data.

Run it only after checking that a changed result is right:
    uv run python tests/golden/regenerate.py && git diff tests/golden
"""

import json
from pathlib import Path

import kg
from kg import sparql

here = Path(__file__).resolve().parent
dataset = kg.load(here.parent.parent / "data", shapes=False).dataset
for name in sparql.named_queries():
    rows = sparql.rows(sparql.run(dataset, sparql.query_text(name)))
    (here / f"{name}.json").write_text(
        json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{name}: {len(rows)} rows")
