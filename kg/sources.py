"""Readers: files in ``data/`` -> typed records, with every problem located as ``file:line``.

The readers never import rdflib. They collect every problem they find and raise a
single :class:`~kg.errors.DataError` at the end, so a curator sees all mistakes at once.

Example:
    >>> doc = parse_yaml("- id: russia\\n  type: state\\n", "actors.yaml")
    >>> doc[0]["id"], doc[0].line, doc[0].key_line("type")
    ('russia', 1, 2)
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem
from .records import (
    CREDIBILITY, ENTITY_TYPES, ENUMS, KINDS, LIST_FIELDS, METHODS, QUALIFIERS, RELIABILITY,
    Claim, Corpus, Count,
    DateValue, Entity, Location, Quote, Source,
)

SOURCE_FIELDS = ("id", "file", "sha256", "reliability", "reliability_reason", "title", "outlet",
                 "author", "published", "url",
                 "language", "translated_from", "derived_from", "relation", "notes")
ENTITY_KEYS = ("id", "type", "label", "aliases", "state", "within", "wikidata",
               "description")
CLAIM_KEYS = ("id", "kind", "event", "quotes", "method", "confidence", "credibility", "note",
              "source", "inferred")
RELATIONS = ("summary", "translation", "repost")


class LineDict(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def key_line(self, key: str) -> int:
        """Line of ``key`` (falls back to the mapping's own line)."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that records line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text: DateValue.parse checks them and reports an impossible date (2021-02-30)
# at its line, where PyYAML's own date constructor would raise.
_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        lambda loader, node: loader.construct_scalar(node))


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text, keeping line numbers; raise DataError naming ``name:line``."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = exc.problem or str(exc)
        raise DataError([Problem(name, line, f"malformed YAML: {reason}; fix the syntax "
                                             "(indentation, quotes, colons) near this line")])
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, 0, f"malformed YAML: {exc}")]) from None


def read_text(path: Path, name: str) -> str:
    """Read a UTF-8 file exactly (no newline translation); DataError if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError([Problem(name, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at "
                                             f"offset {exc.start}); save the file as UTF-8")])


def _read_yaml_file(path: Path, name: str, problems: list[Problem]) -> Any:
    try:
        text = read_text(path, name)
        if not text.strip():
            problems.append(Problem(name, 1, "file is empty; see data/FORMAT.md for what it "
                                             "should contain, or delete it"))
            return None
        return parse_yaml(text, name)
    except DataError as exc:
        problems.extend(exc.problems)
        return None


def _unknown_keys(node: LineDict, allowed: tuple[str, ...], name: str,
                  problems: list[Problem]) -> None:
    for key in node:
        if key not in allowed:
            problems.append(Problem(name, node.key_line(key),
                                    f"unknown field {key!r}; allowed: {', '.join(allowed)}"))


def _optional_str(node: LineDict, key: str, name: str, problems: list[Problem]) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        problems.append(Problem(name, node.key_line(key), f"{key!r} must be text"))
        return None
    return str(value)


def read_sources(path: Path, name: str, problems: list[Problem]) -> list[Source]:
    """Read ``sources.yaml`` into Source records."""
    doc = _read_yaml_file(path, name, problems)
    if doc is None:
        return []
    if not isinstance(doc, list):
        problems.append(Problem(name, getattr(doc, "line", 1),
                                "expected a list of sources (each starting with '- id:')"))
        return []
    sources = []
    for item in doc:
        if not isinstance(item, LineDict) or "id" not in item or "file" not in item:
            problems.append(Problem(name, getattr(item, "line", 0),
                                    "each source needs at least 'id', 'file' and 'sha256'"))
            continue
        _unknown_keys(item, SOURCE_FIELDS, name, problems)
        _check_id(item, "id", name, problems)
        published = None
        if item.get("published") is not None:
            try:
                published = DateValue.parse(item["published"])
            except ValueError as exc:
                problems.append(Problem(name, item.key_line("published"), str(exc)))
        reliability = item.get("reliability")
        if reliability is not None and reliability not in RELIABILITY:
            problems.append(Problem(name, item.key_line("reliability"),
                                    f"reliability {reliability!r} is not an Admiralty grade; use "
                                    f"one of {', '.join(RELIABILITY)} ({RELIABILITY['A']} to "
                                    f"{RELIABILITY['F']})"))
        relation = item.get("relation")
        if relation is not None and relation not in RELATIONS:
            problems.append(Problem(name, item.key_line("relation"),
                                    f"unknown relation {relation!r}; use one of {RELATIONS}"))
        sources.append(Source(
            id=str(item["id"]), file=str(item["file"]),
            sha256=str(item.get("sha256") or ""),
            **{k: _optional_str(item, k, name, problems)
               for k in ("title", "outlet", "author", "url", "language", "translated_from",
                         "derived_from", "relation", "notes", "reliability",
                         "reliability_reason")},
            published=published, where=Location(name, item.line)))
    return sources


#: What an id may hold: it becomes part of IRIs (``.../id/entity/<id>``, graph names).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*\Z")


def _check_id(item: LineDict, key: str, name: str, problems: list[Problem]) -> None:
    """An id (or event id) must be safe inside an IRI; suggest one that is.

    Example:
        >>> problems = []
        >>> _check_id(parse_yaml("id: Crocus attack!", "x.yaml"), "id", "x.yaml", problems)
        >>> print(problems[0])
        x.yaml:1: id 'Crocus attack!' may hold only letters, digits, '-', '_' and '.' and must start with a letter or digit (it becomes part of IRIs); write e.g. 'Crocus-attack'
    """
    value = item.get(key)
    if value is None or ID_PATTERN.match(str(value)):
        return
    suggestion = re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-._") or "an-id"
    problems.append(Problem(name, item.key_line(key), f"{key} {str(value)!r} may hold only "
                            "letters, digits, '-', '_' and '.' and must start with a letter or "
                            f"digit (it becomes part of IRIs); write e.g. {suggestion!r}"))


def read_entities(path: Path, name: str, problems: list[Problem]) -> list[Entity]:
    """Read ``actors.yaml`` into Entity records."""
    doc = _read_yaml_file(path, name, problems)
    if doc is None:
        return []
    if not isinstance(doc, list):
        problems.append(Problem(name, getattr(doc, "line", 1), "expected a list of entities"))
        return []
    entities = []
    for item in doc:
        if not isinstance(item, LineDict) or not {"id", "type", "label"} <= item.keys():
            problems.append(Problem(name, getattr(item, "line", 0),
                                    "each entity needs 'id', 'type' and 'label'"))
            continue
        _unknown_keys(item, ENTITY_KEYS, name, problems)
        _check_id(item, "id", name, problems)
        wikidata = item.get("wikidata")
        if wikidata is not None and not WIKIDATA_PATTERN.match(str(wikidata)):
            problems.append(Problem(name, item.key_line("wikidata"),
                                    f"wikidata {str(wikidata)!r} is not a Wikidata item id; "
                                    "write the Q-number alone, e.g. 'Q159' for Russia"))
        if item["type"] not in ENTITY_TYPES:
            problems.append(Problem(name, item.key_line("type"),
                                    f"unknown entity type {item['type']!r}; use one of "
                                    f"{', '.join(ENTITY_TYPES)}"))
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            problems.append(Problem(name, item.key_line("aliases"), "'aliases' must be a list"))
            aliases = []
        entities.append(Entity(
            id=str(item["id"]), type=str(item["type"]), label=str(item["label"]),
            aliases=tuple(str(a) for a in aliases),
            state=_optional_str(item, "state", name, problems),
            wikidata=_optional_str(item, "wikidata", name, problems),
            description=_optional_str(item, "description", name, problems),
            within=_optional_str(item, "within", name, problems),
            where=Location(name, item.line)))
    return entities


def _field_value(kind_field: str, raw: Any, name: str, line: int,
                 problems: list[Problem]) -> Any:
    """Turn one YAML field value into its record form (or None after a problem)."""
    if kind_field == "date":
        try:
            return DateValue.parse(raw)
        except ValueError as exc:
            problems.append(Problem(name, line, str(exc)))
            return None
    if kind_field in ("killed", "injured"):
        counts = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, int) and not isinstance(item, bool):
                item = {"value": item}
            if not isinstance(item, dict) or not isinstance(item.get("value"), int) \
                    or isinstance(item.get("value"), bool) or item["value"] < 0:
                problems.append(Problem(name, line, f"{kind_field} must be a list of "
                                        "{value: N, qualifier: Q}, with N a whole number >= 0"))
                continue
            qualifier = item.get("qualifier", "exact")
            if qualifier not in QUALIFIERS:
                problems.append(Problem(name, line, f"unknown qualifier {qualifier!r}; use one "
                                                    f"of {', '.join(QUALIFIERS)}"))
                continue
            counts.append(Count(item["value"], qualifier, item.get("text")))
        return tuple(counts)
    if kind_field in LIST_FIELDS:
        values = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(v, str) for v in values):
            problems.append(Problem(name, line, f"{kind_field!r} must be text or a list of text"))
            return None
        if kind_field in ENUMS:
            for v in values:
                if v not in ENUMS[kind_field]:
                    problems.append(Problem(name, line, f"unknown {kind_field} {v!r}; use one "
                                                        f"of {', '.join(ENUMS[kind_field])}"))
        return tuple(values)
    if not isinstance(raw, str):
        problems.append(Problem(name, line, f"{kind_field!r} must be text, not {raw!r}"))
        return None
    if kind_field in ENUMS and raw not in ENUMS[kind_field]:
        problems.append(Problem(name, line, f"unknown {kind_field} {raw!r}; use one of "
                                            f"{', '.join(ENUMS[kind_field])}"))
    return raw


def claim_from_mapping(item: LineDict, source: str, name: str,
                       problems: list[Problem]) -> Claim | None:
    """Build one Claim from a YAML mapping (used by the reader and by tests)."""
    kind = item.get("kind")
    if "id" not in item or kind is None:
        problems.append(Problem(name, item.line, "each claim needs 'id' and 'kind'"))
        return None
    if kind not in KINDS:
        problems.append(Problem(name, item.key_line("kind"), f"unknown kind {kind!r}; use one "
                                                             f"of {', '.join(KINDS)}"))
        return None
    spec = KINDS[kind]
    allowed = tuple(f.rstrip("*") for f in spec)
    _unknown_keys(item, CLAIM_KEYS + allowed, name, problems)
    _check_id(item, "id", name, problems)
    _check_id(item, "event", name, problems)
    for required in (f.rstrip("*") for f in spec if f.endswith("*")):
        if item.get(required) in (None, "", []):
            problems.append(Problem(name, item.line, f"{kind} claim {item['id']!r} needs "
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
    if not isinstance(raw_quotes, list) or not raw_quotes:
        problems.append(Problem(name, item.line, f"claim {item['id']!r} has no quotes; every "
                                                 "claim needs the source's words"))
    else:
        for text, line in zip(raw_quotes, raw_quotes.item_lines, strict=True):
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(name, line, "a quote must be non-empty text"))
            else:
                quotes.append(Quote(text))
                lines.append((f"quote:{len(quotes) - 1}", line))
    method = item.get("method", "curated")
    if method not in METHODS:
        problems.append(Problem(name, item.key_line("method"), f"unknown method {method!r}"))
    inferred = []
    raw_inferred = item.get("inferred")
    if raw_inferred is not None:
        if not isinstance(raw_inferred, dict):
            problems.append(Problem(name, item.key_line("inferred"),
                                    "'inferred' maps a field to the words saying what was "
                                    "inferred and from where, e.g. {warner: \"...\"}"))
        else:
            for key, why in raw_inferred.items():
                if key not in allowed or not isinstance(why, str) or not why.strip():
                    problems.append(Problem(name, item.key_line("inferred"),
                                            f"inferred {key!r}: name one of this {kind} "
                                            "claim's fields and say, in words, what was "
                                            "inferred and from where"))
                else:
                    inferred.append((str(key), why.strip()))
    credibility = item.get("credibility")
    if credibility is not None and (isinstance(credibility, bool)
                                    or credibility not in CREDIBILITY):
        problems.append(Problem(name, item.key_line("credibility"),
                                "credibility is an Admiralty grade from 1 (confirmed by other "
                                "sources) to 6 (truth cannot be judged)"))
        credibility = None
    confidence = item.get("confidence")
    if confidence is not None and not (isinstance(confidence, int | float)
                                       and 0 <= confidence <= 1):
        problems.append(Problem(name, item.key_line("confidence"),
                                "confidence must be a number from 0 to 1"))
        confidence = None
    return Claim(
        id=str(item["id"]), kind=kind, source=str(item.get("source", source)),
        event=str(item.get("event") or item["id"]), fields=tuple(sorted(fields)),
        quotes=tuple(quotes), method=str(method),
        confidence=float(confidence) if confidence is not None else None,
        credibility=credibility, inferred=tuple(sorted(inferred)),
        note=item.get("note"), where=Location(name, item.line), field_lines=tuple(lines))


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
    if not isinstance(doc["claims"], list):
        problems.append(Problem(name, doc.key_line("claims"), "'claims' must be a list"))
        return []
    claims = []
    for item in doc["claims"]:
        if not isinstance(item, LineDict):
            problems.append(Problem(name, doc.key_line("claims"), "each claim must be a mapping"))
            continue
        claim = claim_from_mapping(item, str(doc["source"]), name, problems)
        if claim is not None:
            claims.append(claim)
    return claims


def read_corpus(data_dir: Path | str) -> Corpus:
    """Read sources, texts, entities and claims from ``data_dir``.

    Raises DataError listing every problem found (missing files, bad YAML, sha256
    mismatches, unknown fields...). Cross-references are checked later by
    :func:`kg.validate.check_corpus`.
    """
    data = Path(data_dir)
    problems: list[Problem] = []
    if not data.is_dir():
        raise DataError([Problem(str(data), 0, "data directory not found; pass --data DIR")])

    def rel(p: Path) -> str:
        return str(p) if not p.is_absolute() else str(p)

    sources_path, actors_path = data / "sources.yaml", data / "actors.yaml"
    for required in (sources_path, actors_path):
        if not required.is_file():
            problems.append(Problem(rel(required), 0, "required file is missing"))
    sources = read_sources(sources_path, rel(sources_path), problems) \
        if sources_path.is_file() else []
    entities = read_entities(actors_path, rel(actors_path), problems) \
        if actors_path.is_file() else []
    texts: dict[str, str] = {}
    for src in sources:
        path = data / src.file
        if not path.is_file():
            problems.append(Problem(src.where.file, src.where.line,
                                    f"source {src.id!r}: file {src.file!r} not found under "
                                    f"{data}"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != src.sha256:
            problems.append(Problem(src.where.file, src.where.line,
                                    f"source {src.id!r}: sha256 of {src.file} is {digest}, "
                                    f"but sources.yaml records {src.sha256 or 'nothing'}; the "
                                    "text changed - restore it, or re-curate its quotes and "
                                    "record the new sha256"))
        try:
            texts[src.id] = read_text(path, rel(path))
        except DataError as exc:
            problems.extend(exc.problems)
    claims: list[Claim] = []
    claims_dir = data / "claims"
    if claims_dir.is_dir():
        for path in sorted(claims_dir.iterdir()):
            if path.name.startswith(".") or path.name.lower().startswith("readme"):
                continue
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                problems.append(Problem(rel(path), 0, "unexpected file in claims/: only "
                                                      "*.yaml claims files belong here"))
                continue
            claims.extend(read_claims_file(path, rel(path), problems))
    if problems:
        raise DataError(sorted(set(problems)))
    return Corpus(tuple(sources), tuple(entities), tuple(claims), texts)
