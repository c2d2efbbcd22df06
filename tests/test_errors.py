"""kg.errors: one hierarchy, one did-you-mean."""

from __future__ import annotations

import pytest

from kg import errors
from kg.errors import KGError, UnknownNameError, close_matches, suggest


@pytest.mark.parametrize(("name", "known", "expected"), [
    ("Kremln", ["Kremlin", "Russia"], ("Kremlin",)),
    ("kremlin", ["Kremlin"], ("Kremlin",)),
    ("ruritanai", ["ruritania", "freedonia"], ("ruritania",)),
    ("warnings", ["warning", "attack"], ("warning",)),
    ("zzz", ["ruritania"], ()),
])
def test_one_did_you_mean_for_every_message(name, known, expected):
    assert close_matches(name, known) == expected
    assert UnknownNameError("actor", name, known).suggestions == expected
    hint = suggest(name, known)
    assert hint == (f" (did you mean {expected[0]!r}?)" if expected else "")


def test_names_differing_only_in_case_are_suggested_once():
    assert close_matches("freedoni", ["Freedonia", "freedonia"]) == ("Freedonia",)


def test_every_error_of_ours_is_a_kgerror_with_a_docstring_saying_when():
    found = [value for value in vars(errors).values()
             if isinstance(value, type) and issubclass(value, Exception)]
    assert {c.__name__ for c in found} >= {"DataError", "QueryError", "QueryRefused",
                                           "SetupError", "StoreError", "ServeError"}
    for cls in found:
        assert issubclass(cls, KGError), cls
        assert cls.__doc__ and cls.__doc__.startswith("Raised when") or cls is KGError, cls


def test_a_refusal_carries_its_http_status():
    refused = errors.QueryRefused(413, "too many rows")
    assert (refused.status, str(refused)) == (413, "too many rows")
