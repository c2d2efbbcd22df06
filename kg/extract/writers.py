"""Write an extraction: a claims file (curated format), proposed entities, or JSON rows.

The claims file is exactly what :func:`kg.sources.read_claims_file` reads (a mapping
with ``source`` and ``claims``), so a reviewer can edit it and move it to
``data/claims/``. Proposed entities go to a second file in the ``actors.yaml``
format. The JSON has the fields of ``kg warnings`` and ``kg attacks`` (DESIGN.md),
plus ``confidence``, ``method`` and ``quotes`` (text and offsets) for each item.

Example:
    >>> from kg.records import Entity
    >>> from kg.extract import extract
    >>> ref = (Entity("united-states", "state", "United States", ("US",)),
    ...        Entity("russia", "state", "Russia"))
    >>> found = extract("The US warned Russia of an imminent attack.", ref, "demo")
    >>> print(claims_yaml(found).split("claims:")[0].splitlines()[-1])
    source: demo
    >>> json_rows(found, ref)["warnings"][0]["warner_state"]
    'United States'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ..records import KINDS, Claim, Count, DateValue, Entity
from . import Extraction

WARNING_FIELDS = [
    "id",
    "warner",
    "warner_state",
    "recipient",
    "recipient_state",
    "date",
    "date_precision",
    "concerns",
    "outcome",
    "channel",
    "response",
    "contested",
    "sources",
]
ATTACK_FIELDS = [
    "id",
    "name",
    "date",
    "place",
    "perpetrators",
    "claimed_by",
    "killed",
    "injured",
    "sources",
]


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as the curated files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _plain(value: Any) -> Any:
    if isinstance(value, DateValue):
        if value.text is None and value.inferred is None and value.precision != "before":
            return value.value
        out: dict[str, Any] = (
            {"before": value.value}
            if value.precision == "before"
            else {"value": value.value, "precision": value.precision}
        )
        if value.text:
            out["text"] = value.text
        if value.inferred:
            out["inferred"] = value.inferred
        return out
    if isinstance(value, Count):
        out = {"value": value.value, "qualifier": value.qualifier}
        if value.text:
            out["text"] = value.text
        return out
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def claim_mapping(claim: Claim) -> dict[str, Any]:
    """One claim as the mapping a claims file holds (keys in the documented order)."""
    out: dict[str, Any] = {"id": claim.id, "kind": claim.kind}
    if claim.event != claim.id:
        out["event"] = claim.event
    out["method"] = claim.method
    if claim.confidence is not None:
        out["confidence"] = claim.confidence
    fields = dict(claim.fields)
    for name in (f.rstrip("*") for f in KINDS[claim.kind]):
        if name in fields:
            out[name] = _plain(fields[name])
    out["quotes"] = [q.text for q in claim.quotes]
    if claim.note:
        out["note"] = claim.note
    return out


def claims_yaml(
    found: Extraction, article: str | None = None, entities_file: str | None = None
) -> str:
    """The claims file for an extraction, with a header for the reviewer."""
    lines = [
        f"# Draft claims extracted by `kg extract` from {article or 'an article'}.",
        "# Rules and gazetteers, no model: review every claim against its quotes, fix or",
        "# delete it; keep `method: extracted` and `confidence` on what you keep unchecked.",
        "# Quotes show runs of whitespace as one space (the build accepts that).",
    ]
    if found.published is not None:
        lines.append(
            f"# Relative dates were resolved against the publication date {found.published.value}."
        )
    else:
        lines.append(
            "# No publication date was given: relative dates stay unresolved (pass --published)."
        )
    lines.extend(f"# {note}" for note in found.notes)
    if found.entities:
        where = entities_file or "the proposed-entities file"
        lines.append(
            f"# {len(found.entities)} proposed new entities are in {where}; add the "
            "ones you accept to data/actors.yaml."
        )
    doc = {"source": found.source, "claims": [claim_mapping(c) for c in found.claims]}
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


def entities_yaml(found: Extraction) -> str:
    """Proposed entities in the ``actors.yaml`` format."""
    rows = []
    for entity in found.entities:
        row: dict[str, Any] = {"id": entity.id, "type": entity.type, "label": entity.label}
        if entity.aliases:
            row["aliases"] = list(entity.aliases)
        if entity.state:
            row["state"] = entity.state
        if entity.description:
            row["description"] = entity.description
        rows.append(row)
    header = (
        f"# Entities proposed by `kg extract` for source {found.source}: not reviewed.\n"
        "# Check each type, label and state; add the ones you accept to data/actors.yaml.\n"
    )
    if not rows:
        return header + "[]\n"
    return header + yaml.dump(rows, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def json_rows(found: Extraction, reference: Sequence[Entity]) -> dict[str, list[dict]]:
    """``{"warnings": [...], "attacks": [...]}`` with the fields of ``kg warnings/attacks``."""
    names = _Names({e.id: e for e in (*reference, *found.entities)})
    events = {c.event: c.get("name") or c.id for c in found.claims}
    responses: dict[str, list[str]] = {}
    claimed: dict[str, list[str | None]] = {}
    for c in found.claims:
        if c.kind == "response":
            responses.setdefault(c.get("responds_to"), []).append(c.get("response"))
        if c.kind == "claim_of_responsibility":
            claimed.setdefault(c.get("concerns"), []).append(names.label(c.get("claimant")))
    warnings = [_warning_row(c, names, events, responses) for c in found.claims
                if c.kind == "warning"]
    attacks = [_attack_row(c, names, claimed, found.source) for c in found.claims
               if c.kind == "attack"]
    return {"warnings": warnings, "attacks": attacks}


@dataclass(frozen=True)
class _Names:
    """Entity ids as the JSON shows them: labels, and the state an actor acts for."""

    entities: dict[str, Entity]

    def label(self, ident: str | None) -> str | None:
        return self.entities[ident].label if ident in self.entities else ident

    def state(self, ident: str | None) -> str | None:
        if ident is None or ident not in self.entities:
            return None
        entity = self.entities[ident]
        if entity.type == "state":
            return self.label(ident)
        return self.label(entity.state) if entity.state else None  # unknown stays unknown


def _warning_row(c: Claim, names: _Names, events: dict[str, str],
                 responses: dict[str, list[str]]) -> dict[str, Any]:
    """A warning claim as a row of ``kg warnings``."""
    return {
        "id": c.id,
        "warner": names.label(c.get("warner")),
        "warner_state": names.state(c.get("warner")),
        "recipient": names.label(c.get("recipient")),
        "recipient_state": names.state(c.get("recipient")),
        **_date_fields(c.get("date")),
        "concerns": events.get(c.get("concerns")) if c.get("concerns") else None,
        "outcome": c.get("outcome"),
        "channel": list(c.get("channel") or ()),
        "response": responses.get(c.event, []),
        "contested": "Disputed:" in (c.note or ""),
        "sources": [c.source],
        **_extra(c),
    }


def _attack_row(c: Claim, names: _Names, claimed: dict[str, list[str | None]],
                source: str) -> dict[str, Any]:
    """An attack claim as a row of ``kg attacks``."""
    return {
        "id": c.id,
        "name": c.get("name"),
        **_date_fields(c.get("date")),
        "place": names.label(c.get("place")),
        "perpetrators": [names.label(p) for p in c.get("perpetrators") or ()],
        "claimed_by": claimed.get(c.event, []),
        "killed": _counts(c.get("killed"), source),
        "injured": _counts(c.get("injured"), source),
        "sources": [c.source],
        **_extra(c),
    }


def _date_fields(date: DateValue | None) -> dict[str, Any]:
    return {
        "date": date.value if date else None,
        "date_precision": date.precision if date else None,
        "date_inferred": date.inferred if date else None,
    }


def _extra(c: Claim) -> dict[str, Any]:
    return {
        "confidence": c.confidence,
        "method": c.method,
        "quotes": [{"text": q.text, "start": q.start, "end": q.end} for q in c.quotes],
    }


def _counts(values: tuple[Count, ...] | None, source: str) -> list[dict]:
    return [{"value": v.value, "qualifier": v.qualifier, "source": source} for v in values or ()]
