"""Reading YAML and text files safely: line numbers kept, expensive or unstorable input refused.

The readers of ``kg.sources`` build on this. Every mapping and list remembers its line
(:class:`LineDict`, :class:`LineList`); the loader refuses what could make a small file
cost minutes or gigabytes (aliases, deep nesting, huge files, values or numbers) and text
that not every store can hold (control characters, lone surrogates), each as a
:class:`~kg.errors.DataError` at ``file:line``.

Example:
    >>> doc = parse_yaml("- id: russia\\n  type: state\\n", "actors.yaml")
    >>> doc[0]["id"], doc[0].line, doc[0].key_line("type")
    ('russia', 1, 2)
    >>> parse_yaml("a: &x [1]\\nb: *x\\n", "x.yaml")
    Traceback (most recent call last):
    ...
    kg.errors.DataError: x.yaml:2: YAML alias *x is not allowed: write the value out in full ...
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import DataError, Problem

#: Limits that keep a broken or hostile file from costing minutes or gigabytes.
MAX_YAML_BYTES = 32 * 1024 * 1024    # one YAML file (a million synthetic warnings: < 10 MB)
MAX_SOURCE_BYTES = 32 * 1024 * 1024  # one stored source text
MAX_TEXT_CHARS = 100_000             # one YAML text value: a quote, a note, a description
MAX_DEPTH = 12                       # lists and mappings inside each other (claims need 5)
MAX_NUMBER_DIGITS = 15               # a count or a year; longer numbers are a mistake

#: Characters no text value may hold: control characters (tab and newline excepted),
#: lone surrogates (half of a UTF-16 pair, e.g. the escape "\\uD800") and non-characters.
#: Checked here, so every store sees the same text (some would refuse it, some not).
BAD_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class LineDict(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def key_line(self, key: str) -> int:
        """Line of ``key`` (falls back to the mapping's own line)."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list[int]


def _mark(event: Any) -> yaml.error.Mark | None:
    """Where ``event`` starts (libyaml's marks have the same fields as PyYAML's)."""
    mark: yaml.error.Mark | None = event.start_mark
    return mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that records line numbers, refuses duplicate keys, aliases, deep nesting."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"YAML alias *{event.anchor} is not allowed: write the value out "
                "in full (anchors and aliases could make a small file expand into a huge one)",
                _mark(event))
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH and isinstance(
                    event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                raise yaml.composer.ComposerError(
                    None, None, f"lists and mappings nested more than {MAX_DEPTH} deep; "
                    "data/FORMAT.md never needs more than 5 (a bracket left open?)",
                    _mark(event))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _refuse(loader: _Loader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not used in kg "
        "data; write plain text, numbers, lists and mappings", node.start_mark)


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    problem = text_problem(value)
    if problem:
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    return value


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    # Python refuses ints of more than 4300 digits with a ValueError, PyYAML passes it on.
    if len(str(node.value)) > MAX_NUMBER_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"number {str(node.value)[:20]}... has more than {MAX_NUMBER_DIGITS} "
            "digits; put it in quotes if it is text", node.start_mark)
    return loader.construct_yaml_int(node)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word (like 'id'), not a list or mapping",
                key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
# Dates stay text: DateValue.parse checks them and reports an impossible date (2021-02-30)
# at its line, where PyYAML's own date constructor would raise.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (too long, a control character...), or None.

    Example:
        >>> text_problem("Kerman\\x00")
        'text holds the control character U+0000 at position 7; remove it ...'
    """
    if len(value) > MAX_TEXT_CHARS:
        return (f"text of {len(value):,} characters is longer than the {MAX_TEXT_CHARS:,} "
                "allowed; shorten it (quote only the words that support the claim)")
    bad = BAD_CHARACTERS.search(value)
    if bad is None:
        return None
    char, where = ord(bad.group()), bad.start() + 1
    if 0xD800 <= char <= 0xDFFF:
        return (f"text holds a lone surrogate U+{char:04X} at position {where} (half of a "
                "UTF-16 pair, e.g. an escape like \\uD800); write the character itself")
    if char in (0xFFFE, 0xFFFF):
        return f"text holds the non-character U+{char:04X} at position {where}; remove it"
    return (f"text holds the control character U+{char:04X} at position {where}; remove it "
            "(of the control characters only tab and newline are allowed)")


class _Fallback(Exception):
    """The fast loader met something only the line-tracking loader reports well."""


_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_MAP, _SEQ = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, \
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_SCALARS = yaml.constructor.SafeConstructor()
_PLAIN = {"tag:yaml.org,2002:null": _SCALARS.construct_yaml_null,
          "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
          "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float}

if getattr(yaml, "__with_libyaml__", False):

    class _FastComposer(yaml.CSafeLoader):
        """libyaml's parser and composer (every node keeps its line); plain scalars'
        types are resolved once per distinct value (keys such as ``id`` recur)."""

        _resolved: dict[str, str] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is yaml.ScalarNode and implicit[0]:
                tag = self._resolved.get(value)
                if tag is None:
                    if len(self._resolved) > 100_000:
                        self._resolved.clear()
                    tag = self._resolved[value] = super().resolve(kind, value, implicit)
                return tag
            return super().resolve(kind, value, implicit)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastComposer = None  # type: ignore[assignment,misc]


def _fast_load(text: str) -> Any:
    """The document as :func:`parse_yaml` returns it, read by libyaml.

    Raises _Fallback for anything the line-tracking loader must report (an alias, a tag,
    deep nesting, a duplicate key, a text that cannot be stored).
    """
    node = yaml.compose(text, Loader=_FastComposer)  # noqa: S506 - composing runs no code
    if node is None:
        return None
    # Without a backslash no escape can make a bad character that the text does not show.
    clean = "\\" not in text and BAD_CHARACTERS.search(text) is None
    seen: set[int] = set()

    def convert(node: yaml.Node, depth: int) -> Any:
        if id(node) in seen:  # the same node twice: an alias
            raise _Fallback
        seen.add(id(node))
        tag = node.tag
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            value = node.value
            if (not clean or len(value) > MAX_TEXT_CHARS) and text_problem(value):
                raise _Fallback
            return value
        if tag == _MAP:
            if depth > MAX_DEPTH:
                raise _Fallback
            result = LineDict()
            result.line = node.start_mark.line + 1
            result.key_lines = lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Fallback
                key = convert(key_node, depth + 1)
                if key in result:
                    raise _Fallback
                result[key] = convert(value_node, depth + 1)
                lines[str(key)] = key_node.start_mark.line + 1
            return result
        if tag == _SEQ:
            if depth > MAX_DEPTH:
                raise _Fallback
            items = LineList(convert(child, depth + 1) for child in node.value)
            items.line = node.start_mark.line + 1
            items.item_lines = [child.start_mark.line + 1 for child in node.value]
            return items
        if tag == _INT and len(str(node.value)) <= MAX_NUMBER_DIGITS:
            return _SCALARS.construct_yaml_int(cast(yaml.ScalarNode, node))
        if tag in _PLAIN:
            return _PLAIN[tag](cast(yaml.ScalarNode, node))
        raise _Fallback  # tags kg refuses, long numbers: reported by the line-tracking loader

    return convert(node, 1)


#: Brackets that a text may open before libyaml's own recursion is no longer safe; past
#: it the line-tracking loader (which stops at MAX_DEPTH) reads the file.
_SAFE_BRACKETS = 1000
_BRACKETS = re.compile(r"[\[\]{}]")


def _shallow(text: str) -> bool:
    """True when ``text`` cannot nest flow collections deeper than libyaml handles safely."""
    if text.count("[") + text.count("{") <= _SAFE_BRACKETS:
        return True
    depth = 0
    for bracket in _BRACKETS.findall(text):
        depth += 1 if bracket in "[{" else -1
        if depth > _SAFE_BRACKETS:
            return False
    return True


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text, keeping line numbers; raise DataError naming ``name:line``.

    libyaml parses (keeping every node's line); when a file has a problem, the pure-Python
    line-tracking loader reads it again and reports the problem at its line.
    """
    if _FastComposer is not None and _shallow(text):
        try:
            return _fast_load(text)
        except (_Fallback, yaml.YAMLError, RecursionError, ValueError):
            pass  # read again below, to report the problem at its line
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = exc.problem or str(exc)
        if "expected a single document" in str(exc.context):
            message = "more than one YAML document (a '---' line?); keep one per file"
        elif isinstance(exc, yaml.constructor.ConstructorError | yaml.composer.ComposerError):
            message = reason
        else:
            message = (f"malformed YAML: {reason}; fix the syntax (indentation, quotes, "
                       "colons) near this line")
        raise DataError([Problem(name, line, message)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([Problem(name, line, f"character U+{exc.character:04X} is not allowed "
                                             "in YAML (a control character); remove it")]) \
            from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, 0, f"malformed YAML: {exc}")]) from None
    except RecursionError:  # only if MAX_DEPTH were raised past Python's stack
        raise DataError([Problem(name, 0, "lists and mappings nested too deeply")]) from None


def read_text(path: Path, name: str, limit: int = MAX_SOURCE_BYTES) -> str:
    """Read a UTF-8 file exactly (no newline translation); DataError if it is not UTF-8.

    Also refused: a file over ``limit`` bytes and a NUL (a binary file, not text).
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise DataError([Problem(name, 0, f"file of {size:,} bytes is larger than the "
                                              f"{limit:,} allowed; is it the right file?")])
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read the file ({exc.strerror})")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                   "save the file as UTF-8")
        raise DataError([Problem(name, line, message)]) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise DataError([Problem(name, text.count("\n", 0, nul) + 1,
                                 "holds a NUL character (a binary file?); save it as plain "
                                 "UTF-8 text")])
    return text
