"""Structured values of answers as text for a table or CSV (JSON keeps the structure)."""

from __future__ import annotations

from typing import Any

from ..records import count_text


def counts_text(counts: list[dict[str, Any]]) -> str:
    ordered = sorted(counts, key=lambda c: bool(c.get("derived_only")))
    return "; ".join(f"{count_text(c['value'], c['qualifier'])}"
                     f"{' (derived only)' if c.get('derived_only') else ''} [{c['source']}]"
                     for c in ordered)



def graded_sources(row: dict[str, Any]) -> dict[str, Any]:
    """A row whose ``sources`` and ``quotes`` read as text: grades, how many are independent."""
    return {**row, "sources": sources_text(row["sources"], row["independent_sources"],
                                            row["source_grades"]),
            "quotes": [quote_text(q) for q in row.get("quotes", ())]}


def quote_text(quote: dict[str, Any]) -> str:
    """One quote for a table: ``“the words” [source, characters 408-519]``."""
    where = f", characters {quote['start']}-{quote['end']}" if quote.get("start") is not None \
        else ""
    return f"“{quote['quote']}” [{quote['source']}{where}]"



def pair_row_text(row: dict[str, Any]) -> dict[str, Any]:
    """A reciprocity row whose warnings and verdicts read as text."""
    return {**row, "warnings": [pair_text(w) for w in row["warnings"]],
            "verdicts": [f"{v['verdict']} [{v['source']}]" for v in row["verdicts"]]}


def pair_text(warning: dict[str, Any]) -> str:
    """One warning of a pair for a table: id, direction, date, independent sources."""
    n = len(warning["independent_sources"])
    notes = [f"{warning['from']} -> {warning['to']}", warning["date"] or "undated",
             f"{n} independent source{'s' if n != 1 else ''}"]
    if warning["contested"]:
        notes.append("contested")
    if warning["derived_only"]:
        notes.append("derived only, not counted")
    return f"{warning['id']} ({'; '.join(notes)})"



def attack_text(row: dict[str, Any]) -> dict[str, Any]:
    """An attack row whose casualty figures and sources read as text."""
    return {**graded_sources(row), "killed": counts_text(row["killed"]),
            "injured": counts_text(row["injured"])}



def value_text(value: dict[str, Any]) -> str:
    """One value of a conflict for a table: ``143 [rfi-2024-03]``, copies marked."""
    mark = " (derived only)" if value.get("derived_only") else ""
    return f"{value['value']}{mark} [{', '.join(value['sources'])}]"


def sources_text(sources: list[str], independent: list[str],
                  grades: dict[str, str | None] | None = None) -> str:
    """Sources for a table with their reliability grades, and how many are independent."""
    grades = grades or {}
    named = ", ".join(f"{s} [{grades[s]}]" if grades.get(s) else s for s in sources)
    if len(independent) == len(sources):
        return named
    return f"{named} ({len(independent)} independent)"



def profile_text(profile: dict[str, Any]) -> dict[str, Any]:
    """An actor's roles and affiliations as text: ``President (Russia) [ap-2024-03]``."""
    def said(item: dict[str, Any], what: str | None) -> str:
        sources = f" [{', '.join(item['sources'])}]" if item.get("sources") else ""
        return f"{what or 'unnamed'}{sources}"

    return {**profile,
            "roles": [said(r, f"{r['role'] or 'a role'}"
                              + (f" ({r['organisation']})" if r["organisation"] else ""))
                      for r in profile.get("roles", [])],
            "affiliations": [said(a, f"{a['relation'] or 'affiliated with'} {a['organisation']}")
                             for a in profile.get("affiliations", [])]}

