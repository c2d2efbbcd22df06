"""Rendering rows (a list of dicts) as a table, JSON or CSV for the read commands.

Example:
    >>> print(render([{"id": "a", "n": 1}], ["id", "n"], "csv"), end="")
    id,n
    a,1
    >>> print(render([{"id": "a", "tags": ["x", "y"]}], ["id", "tags"], "table"))
    id  tags
    --  ----
    a   x; y
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def render(rows: Sequence[dict[str, Any]], fields: Sequence[str], fmt: str) -> str:
    """Render ``rows`` with columns ``fields`` as ``table``, ``json`` or ``csv``."""
    if fmt == "json":
        return json.dumps([{f: row.get(f) for f in fields} for row in rows], indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_cell(row.get(f)) for f in fields])
        return buffer.getvalue()
    if fmt == "table":
        cells = [[_cell(row.get(f)).replace("\n", " ") for f in fields] for row in rows]
        widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(fields)]
        lines = ["  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                  for r in cells]
        return "\n".join(lines)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
