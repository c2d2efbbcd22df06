"""The exception hierarchy: every error the library raises on purpose.

Bad data is validated whole: readers and the validator collect every
:class:`Problem` and raise one :class:`DataError` that lists them all, each as
``file:line: message``. The CLI prints them and exits 1; anything else is a crash
(exit 2).

Example:
    >>> err = DataError([Problem("data/claims/x.yaml", 14, "actor 'Kremln' is not defined")])
    >>> print(err)
    data/claims/x.yaml:14: actor 'Kremln' is not defined
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, and where."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class KGError(Exception):
    """Base of every error the library raises on purpose."""


class DataError(KGError):
    """Raised when input data (sources, entities, claims) is invalid; carries every problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownNameError(KGError):
    """Raised when a name given by the user matches no entity, event or query."""

    def __init__(self, what: str, name: str, known: Iterable[str]):
        self.name = name
        self.suggestions = close_matches(name, known)
        super().__init__(f"unknown {what} {name!r}{_hint(self.suggestions)}")


class OutputError(KGError):
    """Raised when outputs cannot be written (the previous outputs are left as they were)."""


class ServeError(KGError):
    """Raised when the SPARQL endpoint cannot start (address in use, a worker fails to load)."""


class StoreError(KGError):
    """Raised when a --store spec is malformed, or its store cannot be opened or reached."""


class FilterError(KGError):
    """Raised when a filter cannot be used (a bad date, --since after --until, a bad grade)."""


class QueryError(KGError):
    """Raised when a SPARQL query cannot be parsed or evaluated (``kg query``)."""


class QueryRefused(KGError):
    """Raised when the endpoint refuses a query (malformed, not allowed or over a limit);
    carries the HTTP status of the reply."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


class SetupError(KGError):
    """Raised when the installation is incomplete (the ontology files are missing)."""


def close_matches(name: str, known: Iterable[str]) -> tuple[str, ...]:
    """Up to three of ``known`` that ``name`` may have meant, closest first.

    Case is ignored in comparing (``kremln`` finds ``Kremlin``); names come back as they
    are spelled in ``known``.

    Example:
        >>> close_matches("kremln", ["Kremlin", "russia"])
        ('Kremlin',)
    """
    spelled: dict[str, str] = {}
    for option in known:
        spelled.setdefault(option.lower(), option)
    close = difflib.get_close_matches(name.lower(), list(spelled), n=3, cutoff=0.6)
    return tuple(spelled[c] for c in close)


def suggest(name: str, known: Iterable[str]) -> str:
    """A ``(did you mean ...?)`` hint for ``name`` among ``known``, or an empty string.

    Example:
        >>> suggest("Kremln", ["kremlin", "russia"])
        " (did you mean 'kremlin'?)"
    """
    return _hint(close_matches(name, known))


def _hint(suggestions: tuple[str, ...]) -> str:
    return f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
