"""Answers (rows of plain values) written for people and for scripts: table, JSON, CSV.

A table fits the width it is given (the CLI gives the ``COLUMNS`` variable, else the
terminal's, else 100: :func:`terminal_width`). Cells wrap by word inside their column;
when the columns cannot fit, each row is printed as a record (``field  value`` lines).
Every cell is readable text: lists joined, mappings as ``key: value``, nothing empty
shown as ``""``, control characters made visible. JSON keeps the full structure.

All three formats are written as a stream of text chunks (:func:`stream`): column
widths come from the width and the first rows, so the first lines of 100,000 rows
print before the rest are formatted, and JSON is encoded one row at a time.

Example:
    >>> print(render([{"id": "a", "n": 1}], ["id", "n"], "csv"), end="")
    id,n
    a,1
    >>> print(render([{"id": "a", "tags": ["x", "y"]}], ["id", "tags"], "table"), end="")
    id  tags
    --  ----
    a   x; y
    >>> rows = [{"id": "a", "text": "one two three four"}]
    >>> print(render(rows, ["id", "text"], "table", width=12), end="")
    id  text
    --  --------
    a   one two
        three
        four
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any

FORMATS = ("table", "json", "csv")
#: Width of a table when neither ``COLUMNS`` nor a terminal says otherwise.
DEFAULT_WIDTH = 100
#: Rows read before a table's column widths are fixed; later rows wrap inside them.
SAMPLE = 200
#: Narrowest a column gets (unless its text is narrower).
MIN_COLUMN = 6
#: How far a column may be squeezed below its longest word: the first of these lengths
#: that lets the table fit. When none does (too many columns for the width: words and
#: names would be cut into pieces), the rows are printed as records instead.
WORD_COLUMNS = (20, 16, 12, 10)
#: Characters gathered before a chunk is handed over for writing.
CHUNK = 1 << 16
GAP = "  "
#: The width of a table asked for no width: its rows decide.
UNLIMITED = 1 << 30

#: Characters that would act on a terminal rather than show: C0/C1 controls, and the
#: bidirectional overrides that can make text read other than it is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"[\t\n\r\u2028\u2029]")
_BREAK = re.compile(r"(?<=[-/_.])(?=[^-/_.])")


def terminal_width(default: int = DEFAULT_WIDTH) -> int:
    """Columns to fill: ``COLUMNS``, else the terminal's width, else ``default``."""
    return max(20, shutil.get_terminal_size((default, 24)).columns)


def cell(value: Any) -> str:
    """``value`` as the text of one table or CSV cell: no Python reprs, no JSON.

    Example:
        >>> cell(None), cell(True), cell(["a", "b"]), cell([])
        ('', 'yes', 'a; b', '')
        >>> cell([{"role": "President", "sources": ["ap", "rfi"]}, {"role": "Head"}])
        'role: President, sources: ap/rfi | role: Head'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_inner(v)}" for k, v in value.items() if _inner(v))
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        sep = " | " if any(isinstance(v, Mapping) for v in items) else "; "
        return sep.join(text for text in map(cell, items) if text)
    return str(value)


def _inner(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "/".join(cell(v) for v in value)
    return cell(value)


def _visible(text: str) -> str:
    """Text safe to print on a terminal: line breaks as spaces, controls as ``\\x1b``."""
    if text.isprintable():  # the common case, at C speed
        return text
    text = _SPACE.sub(" ", text)
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def stream(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], fmt: str,
           width: int | None = None, record: bool = False,
           empty: bool = False) -> Iterator[str]:
    """``rows`` as ``fmt`` (table, json, csv), in chunks of text to write in turn.

    A table is at most ``width`` characters wide (the CLI passes :func:`terminal_width`;
    None: as wide as its rows, for a notebook or a file); ``record``
    prints each row as ``field  value`` lines, leaving out empty fields unless
    ``empty`` (as does a table with too many columns for its width).
    """
    if fmt == "json":
        return _chunks(json_lines(rows, fields))
    if fmt == "csv":
        return csv_chunks(rows, fields)
    if fmt == "table":
        width = width or UNLIMITED
        lines = record_lines(rows, fields, width, skip_empty=not empty) if record else \
            table_lines(rows, fields, width, empty)
        return _chunks(lines)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def render(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], fmt: str,
           width: int | None = None, record: bool = False, empty: bool = False) -> str:
    """:func:`stream` joined into one string (ends with a newline)."""
    return "".join(stream(rows, fields, fmt, width, record, empty))


def _chunks(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined into chunks: the first line alone, then chunks growing to :data:`CHUNK`.

    So the first lines show at once, and the rest go out in few large writes.
    """
    buffer: list[str] = []
    size, limit = 0, 0
    for line in lines:
        buffer.append(line)
        size += len(line) + 1
        if size >= limit:
            yield "\n".join(buffer) + "\n"
            buffer, size, limit = [], 0, min(max(2 * limit, 1024), CHUNK)
    if buffer:
        yield "\n".join(buffer) + "\n"


def json_lines(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> Iterator[str]:
    """Lines of a JSON list of objects with ``fields``: one object a line, encoded as it comes.

    Each object is on one line (the standard library's C encoder; an indented object goes
    through its pure-Python one, three times slower on a 100,000-row answer), so a program
    reads the list as JSON and a person can still ``grep`` a row.

    Example:
        >>> print("\\n".join(json_lines([{"id": "a", "n": [1]}, {"id": "b"}], ["id"])))
        [
          {"id": "a"},
          {"id": "b"}
        ]
    """
    previous = None
    for row in rows:
        if previous is None:
            yield "["
        else:
            yield previous + ","
        previous = "  " + json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False)
    if previous is None:
        yield "[]"
    else:
        yield previous
        yield "]"


_FORMULA = re.compile(r"[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will show as text, not run as a formula: text from an article
    that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or CR) gets a leading ``'``; numbers,
    negative ones included, stay as they are.

    Example:
        >>> print(spreadsheet_safe("=SUM(A1)"), spreadsheet_safe("-12"), spreadsheet_safe(3))
        '=SUM(A1) -12 3
    """
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> Iterator[str]:
    """CSV with a header, every cell :func:`cell` text (:func:`spreadsheet_safe`), in chunks
    growing as in :func:`_chunks`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    limit = 0
    for row in chain([None], rows):
        if row is not None:
            writer.writerow([spreadsheet_safe(cell(row.get(f))) for f in fields])
        if buffer.tell() >= limit:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            limit = min(max(2 * limit, 1024), CHUNK)
    if buffer.tell():
        yield buffer.getvalue()


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _typical_word(name: str, texts: list[str]) -> int:
    """A column's longest word in most rows (the 80th percentile).

    An outlier does not widen the column; it wraps inside it.
    """
    longest = sorted(_longest_word(t) for t in texts)
    return longest[(len(longest) * 4) // 5] if longest else 0


def fit(natural: Sequence[int], least: Sequence[int], room: int,
        weight: Sequence[float] | None = None) -> list[int] | None:
    """Column widths that fill at most ``room``, each between its ``least`` and ``natural``.

    A column that cannot have its natural width gets room in proportion to the square
    root of its ``weight`` (the total length of its text): that split makes the fewest
    wrapped lines when each column's lines are its text's length over its width. None
    if even the ``least`` widths do not fit.

    Example:
        >>> fit([4, 30, 50], [4, 6, 6], 40)
        [4, 16, 20]
        >>> fit([10, 10], [8, 8], 12) is None
        True
    """
    if sum(natural) <= room:
        return list(natural)
    if sum(least) > room:
        return None
    share = [max(w, 1.0) ** 0.5 for w in (weight or natural)]
    bounds = list(zip(least, natural, share, strict=True))

    def widths_at(scale: float) -> list[float]:
        return [min(n, max(lo, scale * sh)) for lo, n, sh in bounds]

    low, high = 0.0, max(n / sh for _, n, sh in bounds)
    for _ in range(50):  # the largest scale whose widths fill no more than the room
        mid = (low + high) / 2
        low, high = (mid, high) if sum(widths_at(mid)) <= room else (low, mid)
    ideal = widths_at(low)
    widths = [int(w) for w in ideal]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: (widths[i] - ideal[i], i)):
        if spare <= 0:
            break
        if widths[i] < natural[i]:
            widths[i] += 1
            spare -= 1
    return widths


def _header_lines(name: str, width: int) -> list[str]:
    """A column name wrapped at its underscores (``recipient_`` / ``state``)."""
    lines: list[str] = []
    for part in re.findall(r"[^_]+_*|_+", name):
        while len(part) > width:
            lines.append(part[:width])
            part = part[width:]
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        elif part:
            lines.append(part)
    return lines or [""]


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken at spaces.

    A word longer than the line breaks after ``-/_.`` (an id at its hyphens:
    ``cia-warns-`` / ``russia``), else anywhere. Several times faster than textwrap,
    which matters at 100,000 rows.

    Example:
        >>> _wrap("ap-2024-03 [B], cia-warns-russia-st-petersburg", 12)
        ['ap-2024-03', '[B], cia-', 'warns-', 'russia-st-', 'petersburg']
    """
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        pieces = [word] if len(word) <= width else [
            part[k:k + width] for part in _BREAK.split(word) for k in range(0, len(part), width)]
        for n, piece in enumerate(pieces):
            joined = f"{line} {piece}" if line and n == 0 else line + piece
            if len(joined) <= width:
                line = joined
            else:
                if line:
                    lines.append(line)
                line = piece
    if line:
        lines.append(line)
    return lines or [""]


def table_lines(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], width: int,
                empty: bool = False) -> Iterator[str]:
    """A table no line of which is wider than ``width``; records if it cannot be.

    Column widths are fixed from the first :data:`SAMPLE` rows; a later, longer cell
    wraps inside its column. When any column had to be narrowed, rows are separated
    by a blank line so that wrapped rows stay apart.
    """
    iterator = iter(rows)
    head = list(islice(iterator, SAMPLE))
    texts = [[_visible(cell(row.get(f))) for f in fields] for row in head]
    natural = [max([len(f), *(len(t[i]) for t in texts)]) for i, f in enumerate(fields)]
    weight = [sum(len(t[i]) for t in texts) for i in range(len(fields))]
    words = [_typical_word(f, [t[i] for t in texts]) for i, f in enumerate(fields)]
    room = width - len(GAP) * (len(fields) - 1)
    names = [max(len(part) for part in f.split("_")) for f in fields]
    widths = None
    for cap in WORD_COLUMNS:  # names and words as whole as the width allows
        least = [min(n, max(MIN_COLUMN, min(w, cap), min(len(f), cap), h))
                 for n, w, h, f in zip(natural, words, names, fields, strict=True)]
        widths = fit(natural, least, room, weight)
        if widths is not None:
            break
    if widths is None or not fields:
        yield from record_lines(chain(head, iterator), fields, width, skip_empty=not empty)
        return
    wrapped = widths != natural
    headers = [_header_lines(f, w) for f, w in zip(fields, widths, strict=True)]
    yield from _block(headers, widths)
    yield GAP.join("-" * w for w in widths)
    for i, row in enumerate(chain(head, iterator)):
        values = texts[i] if i < len(texts) else [_visible(cell(row.get(f))) for f in fields]
        if wrapped and i:
            yield ""
        if all(map(int.__le__, map(len, values), widths)):
            yield GAP.join(map(str.ljust, values, widths)).rstrip()
        else:
            yield from _block([[v] if len(v) <= w else _wrap(v, w)
                               for v, w in zip(values, widths, strict=True)], widths)


def _block(cells: list[list[str]], widths: list[int]) -> Iterator[str]:
    """Lines of one row whose cells each hold several lines, side by side."""
    for n in range(max(len(c) for c in cells)):
        yield GAP.join((c[n] if n < len(c) else "").ljust(w)
                       for c, w in zip(cells, widths, strict=True)).rstrip()


def record_lines(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], width: int,
                 skip_empty: bool = True) -> Iterator[str]:
    """Each row as ``field  value`` lines, values wrapped; a blank line between rows.

    Example:
        >>> rows = [{"id": "putin", "aliases": ["Putin", "President Putin"], "members": []}]
        >>> print("\\n".join(record_lines(rows, ["id", "aliases", "members"], 30)))
        id       putin
        aliases  Putin; President Putin
    """
    key = min(max((len(f) for f in fields), default=0), max(8, width // 3))
    room = max(width - key - len(GAP), 10)
    for i, row in enumerate(rows):
        if i:
            yield ""
        for f in fields:
            text = _visible(cell(row.get(f)))
            if skip_empty and not text:
                continue
            names = _header_lines(f, key)
            values = _wrap(text, room)
            for n in range(max(len(names), len(values))):
                name = names[n] if n < len(names) else ""
                value = values[n] if n < len(values) else ""
                yield f"{name.ljust(key)}{GAP}{value}".rstrip()
