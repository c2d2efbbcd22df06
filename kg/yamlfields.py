"""Typed YAML fields: one value of a ``data/`` file checked against its type.

Each check names the field, the file and line, and what to write instead, and adds a
:class:`~kg.errors.Problem` rather than raising, so a reader collects every mistake of a
file at once (:mod:`kg.sources` reads whole files with these).

Example:
    >>> problems = []
    >>> _text(parse_yaml("note: 42", "x.yaml"), "note", "x.yaml", problems)
    >>> print(problems[0])
    x.yaml:1: 'note' must be text, not a number (42; put it in quotes if it is text)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import DataError, Problem
from .records import DateValue
from .yamlfile import MAX_YAML_BYTES, LineDict, LineList, parse_yaml, read_text

#: What an id may hold: it becomes part of IRIs (``.../id/entity/<id>``, graph names).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*\Z")


def _check_id(item: LineDict, key: str, name: str, problems: list[Problem]) -> None:
    """An id (or event id) must be safe inside an IRI; suggest one that is.

    Example:
        >>> problems = []
        >>> _check_id(parse_yaml("id: Crocus attack!", "x.yaml"), "id", "x.yaml", problems)
        >>> print(problems[0])
        x.yaml:1: id 'Crocus attack!' may hold only letters, digits, ...
    """
    value = item.get(key)
    if value is None or ID_PATTERN.match(str(value)):
        return
    suggestion = re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-._")[:60] or "an-id"
    problems.append(Problem(name, item.key_line(key), f"{key} {_show(str(value))} may hold only "
                            "letters, digits, '-', '_' and '.' and must start with a letter or "
                            f"digit (it becomes part of IRIs); write e.g. {suggestion!r}"))



def _read_yaml_file(path: Path, name: str, problems: list[Problem]) -> Any:
    """The parsed document, or None after a problem; empty and comments-only are refused."""
    try:
        doc = parse_yaml(read_text(path, name, MAX_YAML_BYTES), name)
    except DataError as exc:
        problems.extend(exc.problems)
        return None
    if doc is None:
        problems.append(Problem(name, 1, "file is empty (nothing but blanks or comments); see "
                                         "data/FORMAT.md for what it should contain, or delete "
                                         "it"))
    return doc


# --- typed fields: each check names the field, the line, and what to write instead ---

def _describe(value: Any) -> str:
    """What a YAML value is, in a curator's words (for 'must be X, not ...')."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return (f"{str(value).lower()} (YAML reads yes/no/on/off/true/false as true or false; "
                "put it in quotes if it is text)")
    if isinstance(value, int | float):
        return f"a number ({value!r}; put it in quotes if it is text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return type(value).__name__


def _show(value: Any) -> str:
    """A value for an error message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text_value(key: str, value: Any, line: int, name: str, problems: list[Problem]) -> str | None:
    """``value`` if it is non-empty text, else None after a problem."""
    if not isinstance(value, str):
        problems.append(Problem(name, line, f"{key!r} must be text, not {_describe(value)}"))
        return None
    if not value.strip():
        problems.append(Problem(name, line, f"{key!r} is empty; give it a value or leave the "
                                            "field out"))
        return None
    return value


def _text(item: LineDict, key: str, name: str, problems: list[Problem],
          required: bool = False) -> str | None:
    """Field ``key`` as text; None when absent (a problem if ``required``) or wrong."""
    value = item.get(key)
    if value is None:
        if required:
            state = "empty" if key in item else "missing"
            problems.append(Problem(name, item.key_line(key),
                                    f"{key!r} is required and {state}; write it as {key}: ..."))
        return None
    return _text_value(key, value, item.key_line(key), name, problems)


def _ident(item: LineDict, key: str, name: str, problems: list[Problem],
           required: bool = False) -> str | None:
    """Field ``key`` as an id (text safe inside an IRI); None when absent or wrong."""
    value = _text(item, key, name, problems, required)
    if value is None or ID_PATTERN.match(value):
        return value
    _check_id(item, key, name, problems)
    return None


def _choice(item: LineDict, key: str, choices: tuple[str, ...], name: str,
            problems: list[Problem], what: str | None = None) -> str | None:
    """Field ``key`` as one of ``choices``; None when absent or wrong."""
    value = _text(item, key, name, problems)
    if value is not None and value not in choices:
        problems.append(Problem(name, item.key_line(key), f"unknown {what or key} {_show(value)};"
                                                          f" use one of {', '.join(choices)}"))
        return None
    return value


def _text_list(key: str, raw: Any, line: int, name: str, problems: list[Problem],
               choices: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """A list of non-empty text (one value is a list of one); None after a problem."""
    items = raw if isinstance(raw, list) else [raw]
    lines = getattr(raw, "item_lines", None) or [line] * len(items)
    values, ok = [], True
    for value, at in zip(items, lines, strict=True):
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(name, at, f"{key!r} must be text or a list of text; one "
                                              f"item is {_describe(value) if value else 'empty'}"))
            ok = False
        elif choices and value not in choices:
            problems.append(Problem(name, at, f"unknown {key} {_show(value)}; use one of "
                                              f"{', '.join(choices)}"))
            ok = False
        else:
            values.append(value)
    return tuple(values) if ok else None


def _unknown_keys(node: LineDict, allowed: tuple[str, ...], name: str,
                  problems: list[Problem]) -> None:
    for key in node:
        if key not in allowed:
            problems.append(Problem(name, node.key_line(key),
                                    f"unknown field {_show(key)}; allowed: {', '.join(allowed)}"))


def _date(item: LineDict, key: str, name: str, problems: list[Problem]) -> DateValue | None:
    if item.get(key) is None:
        return None
    try:
        return DateValue.parse(item[key])
    except ValueError as exc:
        problems.append(Problem(name, item.key_line(key), f"{key}: {exc}"))
        return None


def _items(doc: LineList) -> list[tuple[Any, int]]:
    return list(zip(doc, doc.item_lines, strict=True))


