"""Readers: files in ``data/`` -> typed records, with every problem located as ``file:line``.

The readers never import rdflib. They collect every problem they find and raise a
single :class:`~kg.errors.DataError` at the end, so a curator sees all mistakes at once.

Every value is checked against its type before it is used (text, id, date, list of
ids, count...), so nothing downstream meets a number where it expects text, and every
store is given the same clean records. Files are read by :mod:`kg.yamlfile`, which
refuses what could make a small file expensive (aliases, deep nesting, huge files or
values) and text that no store can hold (control characters, lone surrogates); each
value is checked by :mod:`kg.yamlfields`; what a copy derives from by :mod:`kg.originals`.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

from .errors import DataError, Problem
from .originals import (
    RELATIONS,
    check_derivation,
    check_original,
    check_unstored,
    read_original,
)
from .records import (
    CREDIBILITY,
    ENTITY_TYPES,
    ENUMS,
    KINDS,
    LIST_FIELDS,
    METHODS,
    QUALIFIERS,
    RELIABILITY,
    Claim,
    Corpus,
    Count,
    DateValue,
    Entity,
    Location,
    Original,
    Quote,
    Source,
)
from .yamlfields import (
    ID_PATTERN,
    WIKIDATA_PATTERN,
    _choice,
    _date,
    _describe,
    _ident,
    _items,
    _read_yaml_file,
    _show,
    _text,
    _text_list,
    _text_value,
    _unknown_keys,
)
from .yamlfile import LineDict, LineList, parse_yaml, read_text

__all__ = ["CLAIM_KEYS", "ENTITY_KEYS", "ID_PATTERN", "SOURCE_FIELDS",
           "WIKIDATA_PATTERN", "claim_from_mapping", "parse_yaml", "read_claims_file",
           "read_corpus", "read_entities", "read_sources", "source_path"]

SOURCE_FIELDS = ("id", "file", "sha256", "reliability", "reliability_reason", "title", "outlet",
                 "author", "published", "url",
                 "language", "translated_from", "derived_from", "relation", "original",
                 "notes")
ENTITY_KEYS = ("id", "type", "label", "aliases", "state", "within", "wikidata",
               "description")
CLAIM_KEYS = ("id", "kind", "event", "quotes", "method", "confidence", "credibility", "note",
              "source", "inferred")
COUNT_KEYS = ("value", "qualifier", "text")
MAX_COUNT = 10**10  # killed / injured


def read_sources(path: Path, name: str, problems: list[Problem]) -> list[Source]:
    """Read ``sources.yaml`` into Source records (a duplicate id is a problem here)."""
    doc = _read_yaml_file(path, name, problems)
    if doc is None:
        return []
    if not isinstance(doc, LineList):
        problems.append(Problem(name, getattr(doc, "line", 1),
                                "expected a list of sources (each starting with '- id:')"))
        return []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    originals: dict[str, tuple[Original, int]] = {}  # an unstored original, first described
    for item, line in _items(doc):
        if not isinstance(item, LineDict):
            problems.append(Problem(name, line, "each source is a mapping with at least 'id', "
                                                f"'file' and 'sha256', not {_describe(item)}"))
            continue
        count = len(problems)
        _unknown_keys(item, SOURCE_FIELDS, name, problems)
        ident = _ident(item, "id", name, problems, required=True)
        file = _text(item, "file", name, problems, required=True)
        sha256 = _text(item, "sha256", name, problems)
        texts = {k: _text(item, k, name, problems)
                 for k in ("title", "outlet", "author", "url", "language", "translated_from",
                           "notes", "reliability_reason")}
        reliability = _text(item, "reliability", name, problems)
        if reliability is not None and reliability not in RELIABILITY:
            problems.append(Problem(name, item.key_line("reliability"),
                                    f"reliability {reliability!r} is not an Admiralty grade; "
                                    f"use one of {', '.join(RELIABILITY)} ({RELIABILITY['A']} "
                                    f"to {RELIABILITY['F']})"))
            reliability = None
        derived = _ident(item, "derived_from", name, problems)
        relation = _choice(item, "relation", RELATIONS, name, problems)
        original = read_original(item, name, problems)
        check_derivation(item, derived, relation, original, name, problems)
        if original is not None:
            check_original(item, original, texts["translated_from"], originals, name, problems)
        published = _date(item, "published", name, problems)
        if ident is not None and ident in seen:
            problems.append(Problem(name, item.key_line("id"),
                                    f"duplicate source id {ident!r} (first defined at "
                                    f"{name}:{seen[ident]}); ids must be unique"))
        elif ident is not None:
            seen[ident] = item.line
        if len(problems) > count or ident is None or file is None:
            continue
        sources.append(Source(id=ident, file=file, sha256=sha256 or "", title=texts["title"],
                              outlet=texts["outlet"], author=texts["author"], url=texts["url"],
                              language=texts["language"],
                              translated_from=texts["translated_from"], notes=texts["notes"],
                              reliability_reason=texts["reliability_reason"],
                              reliability=reliability,
                              derived_from=derived, relation=relation, published=published,
                              original=original, where=Location(name, item.line)))
    check_unstored(originals, seen, name, problems)
    return sources


def read_entities(path: Path, name: str, problems: list[Problem]) -> list[Entity]:
    """Read ``actors.yaml`` into Entity records."""
    doc = _read_yaml_file(path, name, problems)
    if doc is None:
        return []
    if not isinstance(doc, LineList):
        problems.append(Problem(name, getattr(doc, "line", 1), "expected a list of entities "
                                                               "(each starting with '- id:')"))
        return []
    entities = []
    for item, line in _items(doc):
        if not isinstance(item, LineDict):
            problems.append(Problem(name, line, "each entity is a mapping with 'id', 'type' "
                                                f"and 'label', not {_describe(item)}"))
            continue
        count = len(problems)
        _unknown_keys(item, ENTITY_KEYS, name, problems)
        ident = _ident(item, "id", name, problems, required=True)
        kind = _text(item, "type", name, problems, required=True)
        if kind is not None and kind not in ENTITY_TYPES:
            problems.append(Problem(name, item.key_line("type"),
                                    f"unknown entity type {_show(kind)}; use one of "
                                    f"{', '.join(ENTITY_TYPES)}"))
        label = _text(item, "label", name, problems, required=True)
        wikidata = _text(item, "wikidata", name, problems)
        if wikidata is not None and not WIKIDATA_PATTERN.match(wikidata):
            problems.append(Problem(name, item.key_line("wikidata"),
                                    f"wikidata {_show(wikidata)} is not a Wikidata item id; "
                                    "write the Q-number alone, e.g. 'Q159' for Russia"))
        aliases: tuple[str, ...] | None = ()
        if item.get("aliases") is not None:
            if not isinstance(item["aliases"], list):
                problems.append(Problem(name, item.key_line("aliases"),
                                        "'aliases' must be a list, e.g. aliases: [US, USA]"))
            else:
                aliases = _text_list("aliases", item["aliases"], item.key_line("aliases"), name,
                                     problems)
        state = _text(item, "state", name, problems)
        within = _ident(item, "within", name, problems)
        description = _text(item, "description", name, problems)
        if len(problems) > count or ident is None or kind is None or label is None:
            continue
        entities.append(Entity(id=ident, type=kind, label=label, aliases=aliases or (),
                               state=state, wikidata=wikidata, description=description,
                               within=within,
                               where=Location(name, item.line)))
    return entities


def _count(kind_field: str, item: Any, line: int, name: str,
           problems: list[Problem]) -> Count | None:
    """One killed/injured figure: N, or {value: N, qualifier: Q, text: words}."""
    if isinstance(item, int) and not isinstance(item, bool):
        item = {"value": item}
    value = item.get("value") if isinstance(item, dict) else item
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        problems.append(Problem(name, line, f"{kind_field} must be a list of "
                                "{value: N, qualifier: Q}, with N a whole number from 0 to "
                                f"{MAX_COUNT:,}; found {_show(value)}"))
        return None
    bad = [k for k in item if k not in COUNT_KEYS]
    if bad:
        problems.append(Problem(name, line, f"unknown field {_show(bad[0])} in a {kind_field} "
                                            f"count; allowed: {', '.join(COUNT_KEYS)}"))
        return None
    qualifier = item.get("qualifier", "exact")
    if not isinstance(qualifier, str) or qualifier not in QUALIFIERS:
        problems.append(Problem(name, line, f"unknown qualifier {_show(qualifier)}; use one "
                                            f"of {', '.join(QUALIFIERS)}"))
        return None
    words = item.get("text")
    if words is not None and (not isinstance(words, str) or not words.strip()):
        problems.append(Problem(name, line, f"a count's 'text' must be the source's words, not "
                                            f"{_describe(words)}"))
        return None
    return Count(value, qualifier, words)


def _field_value(kind_field: str, raw: Any, name: str, line: int,
                 problems: list[Problem]) -> Any:
    """Turn one YAML field value into its record form (or None after a problem)."""
    if kind_field == "date":
        try:
            return DateValue.parse(raw)
        except ValueError as exc:
            problems.append(Problem(name, line, f"date: {exc}"))
            return None
    if kind_field in ("killed", "injured"):
        items = raw if isinstance(raw, list) else [raw]
        lines = getattr(raw, "item_lines", None) or [line] * len(items)
        counts = [_count(kind_field, item, at, name, problems)
                  for item, at in zip(items, lines, strict=True)]
        return None if None in counts else tuple(counts)
    if kind_field in LIST_FIELDS:
        return _text_list(kind_field, raw, line, name, problems, ENUMS.get(kind_field, ()))
    value = _text_value(kind_field, raw, line, name, problems)
    if value is not None and kind_field in ENUMS and value not in ENUMS[kind_field]:
        problems.append(Problem(name, line, f"unknown {kind_field} {_show(value)}; use one of "
                                            f"{', '.join(ENUMS[kind_field])}"))
        return None
    return value


def claim_from_mapping(item: LineDict, source: str, name: str,
                       problems: list[Problem]) -> Claim | None:
    """Build one Claim from a YAML mapping (used by the reader and by tests)."""
    count = len(problems)
    ident = _ident(item, "id", name, problems, required=True)
    kind = _text(item, "kind", name, problems, required=True)
    if kind is not None and kind not in KINDS:
        problems.append(Problem(name, item.key_line("kind"), f"unknown kind {_show(kind)}; use "
                                                             f"one of {', '.join(KINDS)}"))
        return None
    if ident is None or kind is None:
        return None
    spec = KINDS[kind]
    allowed = tuple(f.rstrip("*") for f in spec)
    _unknown_keys(item, CLAIM_KEYS + allowed, name, problems)
    event = _ident(item, "event", name, problems)
    own_source = _ident(item, "source", name, problems)
    for required in (f.rstrip("*") for f in spec if f.endswith("*")):
        if item.get(required) in (None, "", []):
            problems.append(Problem(name, item.line, f"{kind} claim {ident!r} needs "
                                                     f"'{required}'"))
    fields, lines = [], []
    for key in allowed:
        if item.get(key) is None:
            continue
        value = _field_value(key, item[key], name, item.key_line(key), problems)
        if value is not None:
            fields.append((key, value))
            lines.append((key, item.key_line(key)))
    raw_quotes = item.get("quotes")
    quotes: list[Quote] = []
    if not isinstance(raw_quotes, LineList) or not raw_quotes:
        problems.append(Problem(name, item.key_line("quotes"),
                                f"claim {ident!r} has no quotes (a list of the source's words); "
                                "every claim needs them"))
    else:
        for text, line in zip(raw_quotes, raw_quotes.item_lines, strict=True):
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(name, line, "a quote must be non-empty text, not "
                                                    f"{_describe(text) if text else 'empty'}"))
            else:
                quotes.append(Quote(text))
                lines.append((f"quote:{len(quotes) - 1}", line))
    method = _choice(item, "method", METHODS, name, problems) or "curated"
    inferred = []
    raw_inferred = item.get("inferred")
    if raw_inferred is not None:
        if not isinstance(raw_inferred, dict):
            problems.append(Problem(name, item.key_line("inferred"),
                                    "'inferred' maps a field to the words saying what was "
                                    "inferred and from where, e.g. {warner: \"...\"}"))
        else:
            for key, why in raw_inferred.items():
                if (not isinstance(key, str) or key not in allowed
                        or not isinstance(why, str) or not why.strip()):
                    problems.append(Problem(name, item.key_line("inferred"),
                                            f"inferred {key!r}: name one of this {kind} "
                                            "claim's fields and say, in words, what was "
                                            "inferred and from where"))
                else:
                    inferred.append((str(key), why.strip()))
    credibility = item.get("credibility")
    if credibility is not None and (isinstance(credibility, bool)
                                    or not isinstance(credibility, int)
                                    or credibility not in CREDIBILITY):
        problems.append(Problem(name, item.key_line("credibility"),
                                "credibility is an Admiralty grade from 1 (confirmed by other "
                                "sources) to 6 (truth cannot be judged)"))
        credibility = None
    confidence = item.get("confidence")
    if confidence is not None and (isinstance(confidence, bool) or not (
            isinstance(confidence, int | float) and 0 <= confidence <= 1)):
        problems.append(Problem(name, item.key_line("confidence"),
                                f"confidence must be a number from 0 to 1, not "
                                f"{_describe(confidence)}"))
        confidence = None
    note = _text(item, "note", name, problems)
    if len(problems) > count:
        return None
    return Claim(
        id=ident, kind=kind, source=own_source or source, event=event or ident,
        fields=tuple(sorted(fields)), quotes=tuple(quotes), method=method,
        confidence=float(confidence) if confidence is not None else None,
        credibility=credibility, inferred=tuple(sorted(inferred)),
        note=note, where=Location(name, item.line), field_lines=tuple(lines))


def read_claims_file(path: Path, name: str, problems: list[Problem]) -> list[Claim]:
    """Read one ``claims/*.yaml`` file."""
    doc = _read_yaml_file(path, name, problems)
    if doc is None:
        return []
    if not isinstance(doc, LineDict) or "source" not in doc or "claims" not in doc:
        problems.append(Problem(name, getattr(doc, "line", 1),
                                "a claims file is a mapping with 'source:' (a source id) and "
                                "'claims:' (a list); see data/FORMAT.md"))
        return []
    _unknown_keys(doc, ("source", "claims"), name, problems)
    source = _ident(doc, "source", name, problems, required=True)
    if not isinstance(doc["claims"], LineList):
        problems.append(Problem(name, doc.key_line("claims"), "'claims' must be a list, not "
                                                              f"{_describe(doc['claims'])}"))
        return []
    if source is None:
        return []
    claims = []
    for item, line in _items(doc["claims"]):
        if not isinstance(item, LineDict):
            problems.append(Problem(name, line, "each claim must be a mapping (- id: ...), not "
                                                f"{_describe(item)}"))
            continue
        claim = claim_from_mapping(item, source, name, problems)
        if claim is not None:
            claims.append(claim)
    return claims


def source_path(data: Path, file: str) -> Path | str:
    """The path of a source's ``file:`` under ``data``, or why it is refused.

    A source file must lie inside the data directory: no absolute path, no ``..``,
    no symlink that leads outside.

    Example:
        >>> source_path(Path("data"), "../../etc/hostname")
        "file '../../etc/hostname' leaves the data directory ('..'); keep source texts under ..."
    """
    pure = PurePath(file)
    if pure.is_absolute() or pure.drive:
        return (f"file {_show(file)} is an absolute path; give it relative to the data "
                "directory, e.g. sources/x.txt")
    if ".." in pure.parts:
        return (f"file {_show(file)} leaves the data directory ('..'); keep source texts under "
                "data/, e.g. sources/x.txt")
    path = data / pure
    try:
        inside = path.resolve().is_relative_to(data.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        return (f"file {_show(file)} resolves outside the data directory (through a symlink); "
                "copy the text under data/ instead")
    return path


def read_corpus(data_dir: Path | str) -> Corpus:
    """Read sources, texts, entities and claims from ``data_dir``.

    Raises DataError listing every problem found (missing files, bad YAML, wrong types,
    sha256 mismatches, unknown fields...). Cross-references are checked later by
    :func:`kg.validate.check_corpus`.
    """
    data = Path(data_dir)
    problems: list[Problem] = []
    if not data.is_dir():
        raise DataError([Problem(str(data), 0, "data directory not found; pass --data DIR")])
    sources_path, actors_path = data / "sources.yaml", data / "actors.yaml"
    for required in (sources_path, actors_path):
        if not required.is_file():
            problems.append(Problem(str(required), 0, "required file is missing"))
    sources = read_sources(sources_path, str(sources_path), problems) \
        if sources_path.is_file() else []
    entities = read_entities(actors_path, str(actors_path), problems) \
        if actors_path.is_file() else []
    texts: dict[str, str] = {}
    for src in sources:
        path = source_path(data, src.file)
        if isinstance(path, str):
            problems.append(Problem(src.where.file, src.where.line, f"source {src.id!r}: {path}"))
            continue
        if not path.is_file():
            problems.append(Problem(src.where.file, src.where.line,
                                    f"source {src.id!r}: file {_show(src.file)} not found under "
                                    f"{data}"))
            continue
        try:
            texts[src.id] = read_text(path, str(path))
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        digest = hashlib.sha256(texts[src.id].encode("utf-8")).hexdigest()
        if digest != src.sha256:
            problems.append(Problem(src.where.file, src.where.line,
                                    f"source {src.id!r}: sha256 of {src.file} is {digest}, "
                                    f"but sources.yaml records {src.sha256 or 'nothing'}; the "
                                    "text changed - restore it, or re-curate its quotes and "
                                    "record the new sha256"))
    claims: list[Claim] = []
    claims_dir = data / "claims"
    if claims_dir.is_dir():
        for path in sorted(claims_dir.iterdir()):
            if path.name.startswith(".") or path.name.lower().startswith("readme"):
                continue
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                problems.append(Problem(str(path), 0, "unexpected file in claims/: only "
                                                      "*.yaml claims files belong here"))
                continue
            claims.extend(read_claims_file(path, str(path), problems))
    if problems:
        raise DataError(sorted(set(problems)))
    sources = [replace(s, length=len(texts[s.id])) for s in sources]
    return Corpus(tuple(sources), tuple(entities), tuple(claims), texts)
