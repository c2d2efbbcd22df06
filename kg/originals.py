"""What a stored copy derives from, read from ``sources.yaml``: ``derived_from`` (a stored
source) or ``original:`` (an article that is not stored, with what is known of it), and how
(``relation``). Every problem is located as ``file:line``.

Example:
    >>> from kg.yamlfile import parse_yaml
    >>> problems = []
    >>> item = parse_yaml("id: blog-copy\\nrelation: repost", "sources.yaml")
    >>> check_derivation(item, None, "repost", None, "sources.yaml", problems)
    >>> print(problems[0])
    sources.yaml:2: relation 'repost' needs its original: 'derived_from: <source id>' if ...
"""

from __future__ import annotations

from .errors import Problem
from .records import Original
from .yamlfields import _date, _describe, _ident, _text, _unknown_keys
from .yamlfile import LineDict

ORIGINAL_FIELDS = ("id", "title", "outlet", "author", "published", "url", "language")
#: How a stored copy derives from its original.
RELATIONS = ("summary", "translation", "repost")


def read_original(item: LineDict, name: str, problems: list[Problem]) -> Original | None:
    """The ``original:`` mapping of a copy whose original is not stored; None if absent."""
    raw = item.get("original")
    if raw is None:
        return None
    if not isinstance(raw, LineDict):
        problems.append(Problem(name, item.key_line("original"),
                                "'original' must be a mapping of what is known of the article "
                                f"the text derives from (at least 'id'), not {_describe(raw)}"))
        return None
    count = len(problems)
    _unknown_keys(raw, ORIGINAL_FIELDS, name, problems)
    ident = _ident(raw, "id", name, problems, required=True)
    texts = {k: _text(raw, k, name, problems)
             for k in ("title", "outlet", "author", "url", "language")}
    published = _date(raw, "published", name, problems)
    if len(problems) > count or ident is None:
        return None
    return Original(id=ident, published=published, title=texts["title"],
                    outlet=texts["outlet"], author=texts["author"], url=texts["url"],
                    language=texts["language"])


def check_derivation(item: LineDict, derived: str | None, relation: str | None,
                      original: Original | None, name: str, problems: list[Problem]) -> None:
    """A copy names how it derives (``relation``) and from what: one original, stored or not."""
    if derived is not None and original is not None:
        problems.append(Problem(name, item.key_line("original"),
                                "give either 'derived_from' (a stored source) or 'original' "
                                "(an article that is not stored), not both"))
    elif relation is not None and derived is None and item.get("original") is None:
        problems.append(Problem(name, item.key_line("relation"),
                                f"relation {relation!r} needs its original: 'derived_from: "
                                "<source id>' if it is stored, else 'original:' with its id "
                                "and what is known of it (outlet, author, url, language)"))
    elif relation is None and (derived is not None or original is not None):
        key = "derived_from" if derived is not None else "original"
        problems.append(Problem(name, item.key_line(key),
                                f"say how the text derives from its original: relation: "
                                f"{' | '.join(RELATIONS)}"))


def check_original(item: LineDict, original: Original, translated_from: str | None,
                    originals: dict[str, tuple[Original, int]], name: str,
                    problems: list[Problem]) -> None:
    """One description per unstored original, and its language the one translated from."""
    at = item.key_line("original")
    first = originals.setdefault(original.id, (original, at))
    if first[0] != original:
        problems.append(Problem(name, at, f"original {original.id!r} is described differently "
                                f"at {name}:{first[1]}; describe it the same way in both"))
    if translated_from and original.language and translated_from != original.language:
        problems.append(Problem(name, at, f"'translated_from: {translated_from}' but the "
                                f"original's language is {original.language!r}; make them agree"))


def check_unstored(originals: dict[str, tuple[Original, int]], stored: dict[str, int],
                   name: str, problems: list[Problem]) -> None:
    """An ``original:`` must not be a stored source (one article, two nodes)."""
    for ident, (_, at) in originals.items():
        if ident in stored:
            problems.append(Problem(name, at, f"original {ident!r} is a stored source "
                                    f"({name}:{stored[ident]}); write 'derived_from: {ident}'"))


__all__ = ["ORIGINAL_FIELDS", "RELATIONS", "check_derivation", "check_original", "check_unstored",
           "read_original"]
