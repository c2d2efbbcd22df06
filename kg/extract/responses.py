"""Responses to warnings: dismissed, thanked, arrested suspects, failed to follow up...

A sentence within three sentences after a warning that has a cue word ("dismissive",
"thank", "arrested", "failed to follow up", "suspicious and incredulous") and names
an actor of the warned state (before the cue, or after "by") is a response to that
warning. Cues other than thanks and arrests count only where the sentence speaks of
the warning (or follows the sentence that did).

Example:
    >>> from kg.records import Entity
    >>> from kg.extract.gazetteer import Lexicon, gazetteer
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
    found: list[ResponseFound] = []
    near: dict[int, list[WarningFound]] = {}
    for w in warnings:
        if w.kind != "warning":
            continue
        for index in sorted({i for s in w.sentences for i in range(s, s + 4)}):
            near.setdefault(index, []).append(w)
    for index, recent in sorted(near.items()):
        if index >= len(doc.sentences):
            break
        p = doc.sentences[index]
        text = " ".join(t.norm for t in p.toks)
        about_warning = any(t.norm in INFO_NOUNS or t.norm in WARN_VERBS for t in p.toks) or any(
            index - s == 1 for w in recent for s in w.sentences
        )
        for response, cues in _RESPONSES:
            if not any(c in text for c in cues):
                continue
            k = next((i for i in range(len(p.toks)) if any(_cue_at(p, i, c) for c in cues)), None)
            if k is None or (
                response not in ("thanked", "arrested_suspects") and not about_warning
            ):
                continue
            by = next(
                (i for i in range(k + 1, min(len(p.toks), k + 4)) if p.toks[i].norm == "by"), None
            )
            if by is not None:
                found_by = first_after(doc, p, by, 5)
                candidates = [found_by[1]] if found_by else []
            else:
                candidates = [
                    a
                    for m in reversed(p.mentions)
                    if m.last <= k + 1 and (a := doc.actor(p, m)) is not None
                ]
            match = next(
                (
                    (actor, w)
                    for actor in candidates
                    for w in reversed(recent)
                    if doc.state_of(w.recipient) == doc.state_of(actor)
                ),
                None,
            )
            if match is not None:
                if not any(
                    r.responder == match[0] and r.warning is match[1] and r.response == response
                    for r in found
                ):
                    found.append(
                        ResponseFound(
                            match[0], match[1], response, (p.sentence.start, p.sentence.end)
                        )
                    )
                break
    return found


def _cue_at(p: Parsed, i: int, cue: str) -> bool:
    """Whether the words of ``cue`` start at token ``i`` (the last one as a prefix)."""
    words = cue.split()
    toks = p.words(i, i + len(words))
    return (
        len(toks) == len(words)
        and all(t == w for t, w in zip(toks[:-1], words[:-1], strict=True))
        and toks[-1].startswith(words[-1])
    )
