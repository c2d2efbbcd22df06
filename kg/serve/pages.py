"""The endpoint's pages: the offline query page with its examples, and the explorer.

Example:
    >>> page_prefixes()["entity"]
    'https://w3id.org/duty-to-warn/id/entity/'
    >>> [q["name"] for q in example_queries()][:2]
    ['actor-warnings', 'attacks']
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset

from ..iri import PREFIXES
from ..sparql import query_description
from .protocol import Limits

_KG = Path(__file__).resolve().parents[1]  # the kg package: static/ and queries/


def example_queries(directory: Path | None = None) -> list[dict[str, str]]:
    """The named queries ``*.rq`` as ``{name, description, query}``, sorted by name.

    The description is the query's first line when it is a ``#`` comment. A missing
    directory gives an empty list.
    """
    directory = directory or _KG / "queries"  # kg.sparql.QUERY_DIR
    found = []
    for path in sorted(directory.glob("*.rq")) if directory.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        found.append({"name": path.stem, "query": text, "description": query_description(text)})
    return found


def explorer_page(dataset: Dataset, out_dir: Path | None = None) -> Callable[[], str | None]:
    """What ``/explorer`` shows: the page :mod:`kg.html` makes of ``dataset`` (once, on
    the first visit), else ``out_dir/graph.html`` as ``kg build`` wrote it, else None (404).
    """
    made: list[str] = []
    lock = threading.Lock()

    def page() -> str | None:
        with lock:
            if not made:
                try:
                    from ..html import page as render
                except ImportError:
                    built = (out_dir or Path("out")) / "graph.html"
                    return built.read_text(encoding="utf-8") if built.is_file() else None
                made.append(render(dataset))
            return made[0]

    return page


#: The query page's first example: each warning once, however the default graph counts
#: (a triple stated by three sources is one row, not three: DISTINCT and GROUP BY).
FIRST_EXAMPLE = {
    "name": "who-warned-whom",
    "description": "Who warned whom: each warning once, with every date its sources give "
                   "(a bound says \"before\"), what it concerned and how many sources report it",
    "query": """# Who warned whom: each warning once, the dates its sources give, what it was
# about, how many sources report it. A date a source only bounds reads "before ...".
PREFIX kg: <https://w3id.org/duty-to-warn/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?warning
       (GROUP_CONCAT(DISTINCT ?day; separator=" / ") AS ?dates)
       (GROUP_CONCAT(DISTINCT ?warnerName; separator=" / ") AS ?warner)
       (GROUP_CONCAT(DISTINCT ?recipientName; separator=" / ") AS ?recipient)
       (GROUP_CONCAT(DISTINCT ?concernsName; separator=" / ") AS ?concerning)
       (COUNT(DISTINCT ?source) AS ?sources)
WHERE {
  GRAPH ?source { ?warning a kg:Warning }
  ?warning kg:warner/rdfs:label ?warnerName ; kg:recipient/rdfs:label ?recipientName .
  OPTIONAL { ?warning kg:dated/rdfs:label ?dated }
  OPTIONAL { ?warning kg:concerns/kg:name ?name }
  BIND (COALESCE(?dated, "") AS ?day)
  BIND (COALESCE(?name, "") AS ?concernsName)
}
GROUP BY ?warning
ORDER BY ?warning
"""}


def page_prefixes() -> dict[str, str]:
    """Prefix -> namespace the query page shortens IRIs with (``entity:russia``), besides
    the query's own PREFIX lines: the project's one table, ``kg.iri.PREFIXES``."""
    return dict(PREFIXES)


def _script_json(value: Any) -> str:
    """JSON to put inside a <script> element: nothing in it can close the element."""
    text = json.dumps(value)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(raw, escaped)
    return text


def query_page(queries: list[dict[str, str]], limits: Limits) -> str:
    """The offline query page with ``queries`` as its examples (all of it escaped).

    The page's own :data:`FIRST_EXAMPLE` comes first, then the named queries.
    """
    limits_text = html.escape(f"{limits.timeout:g} s per query, {limits.max_results} rows or "
                              "triples per result")
    template = (_KG / "static" / "query.html").read_text(encoding="utf-8")
    return (template.replace("{{LIMITS}}", limits_text)
            .replace("{{FIRST}}", _script_json(FIRST_EXAMPLE))
            .replace("{{PREFIXES}}", _script_json(page_prefixes()))
            .replace("{{EXAMPLES}}", _script_json(queries)))


__all__ = ["FIRST_EXAMPLE", "example_queries", "explorer_page", "page_prefixes", "query_page"]
