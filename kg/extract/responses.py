"""Responses to warnings: dismissed, thanked, arrested suspects, failed to follow up...

A sentence within three sentences after a warning that has a cue word ("dismissive",
"thank", "arrested", "failed to follow up", "suspicious and incredulous") and names
an actor of the warned state (before the cue, or after "by") is a response to that
warning. Cues other than thanks and arrests count only where the sentence speaks of
the warning (or follows the sentence that did).

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> from kg.extract.warn_rules import find_warnings
    >>> lex = Lexicon(gazetteer((Entity("iran", "state", "Iran"),
    ...                          Entity("united-states", "state", "United States"))))
    >>> doc = read("The United States warned Iran of an attack. Iran dismissed it.", lex, None)
    >>> [(r.responder, r.response) for r in find_responses(doc, find_warnings(doc))]
    [('iran', 'dismissed')]
"""

from __future__ import annotations

from dataclasses import dataclass

from .doc import Doc, Parsed, first_after
from .warn_patterns import INFO_NOUNS, WARN_VERBS
from .warn_rules import WarningFound

_RESPONSES = (
    ("dismissed", ("dismiss", "brushed", "rejected", "ignored", "mock", "scoff", "blackmail")),
    ("thanked", ("thank", "grateful", "gratitude")),
    ("arrested_suspects", ("arrested", "detained", "detain")),
    ("failed_to_follow_up", ("failed to adequately follow", "failed to follow", "missed")),
    ("distrusted", ("suspicious", "incredulous", "distrust", "skeptic", "sceptic")),
    ("investigated", ("investigat", "determined", "concluded")),
)


@dataclass(frozen=True)
class ResponseFound:
    """A recipient's response to a warning."""

    responder: str
    warning: WarningFound
    response: str
    span: tuple[int, int]


def find_responses(doc: Doc, warnings: list[WarningFound]) -> list[ResponseFound]:
    """The responses to ``warnings`` in the sentences after them, one per kind and pair."""
    found: list[ResponseFound] = []
    for index, recent in sorted(_warnings_near(warnings).items()):
        if index >= len(doc.sentences):
            break
        p = doc.sentences[index]
        hit = response_in(doc, p, recent, _about_warning(p, index, recent))
        if hit is None:
            continue
        response, actor, w = hit
        if not any(r.responder == actor and r.warning is w and r.response == response
                   for r in found):
            found.append(ResponseFound(actor, w, response, (p.sentence.start, p.sentence.end)))
    return found


def _warnings_near(warnings: list[WarningFound]) -> dict[int, list[WarningFound]]:
    """Sentence index -> the warnings stated in it or in the three sentences before it."""
    near: dict[int, list[WarningFound]] = {}
    for w in warnings:
        if w.kind != "warning":
            continue
        for index in sorted({i for s in w.sentences for i in range(s, s + 4)}):
            near.setdefault(index, []).append(w)
    return near


def _about_warning(p: Parsed, index: int, recent: list[WarningFound]) -> bool:
    """Whether sentence ``p`` speaks of a warning, or follows one that stated it."""
    return any(t.norm in INFO_NOUNS or t.norm in WARN_VERBS for t in p.toks) or any(
        index - s == 1 for w in recent for s in w.sentences)


def response_in(doc: Doc, p: Parsed, recent: list[WarningFound], about_warning: bool
                ) -> tuple[str, str, WarningFound] | None:
    """The first response sentence ``p`` states to one of the ``recent`` warnings:
    (response, responder, warning), the responder of the warned state.

    Thanks and arrests count anywhere; the other cues only where ``about_warning``.
    """
    text = " ".join(t.norm for t in p.toks)
    for response, cues in _RESPONSES:
        if not any(c in text for c in cues):
            continue
        k = next((i for i in range(len(p.toks)) if any(_cue_at(p, i, c) for c in cues)), None)
        if k is None or (response not in ("thanked", "arrested_suspects") and not about_warning):
            continue
        match = next(((actor, w) for actor in _responders(doc, p, k) for w in reversed(recent)
                      if doc.state_of(w.recipient) == doc.state_of(actor)), None)
        if match is not None:
            return response, match[0], match[1]
    return None


def _responders(doc: Doc, p: Parsed, k: int) -> list[str]:
    """Who may have responded with the cue at token ``k``: the actor after a "by" just
    after it, else the actors named before it, nearest first."""
    by = next((i for i in range(k + 1, min(len(p.toks), k + 4)) if p.toks[i].norm == "by"), None)
    if by is not None:
        found_by = first_after(doc, p, by, 5)
        return [found_by[1]] if found_by else []
    return [a for m in reversed(p.mentions)
            if m.last <= k + 1 and (a := doc.actor(p, m)) is not None]


def _cue_at(p: Parsed, i: int, cue: str) -> bool:
    """Whether the words of ``cue`` start at token ``i`` (the last one as a prefix)."""
    words = cue.split()
    toks = p.words(i, i + len(words))
    return (
        len(toks) == len(words)
        and all(t == w for t, w in zip(toks[:-1], words[:-1], strict=True))
        and toks[-1].startswith(words[-1])
    )
