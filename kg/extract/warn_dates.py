"""The dates of a warning in its sentence: the date phrases of its own clause, the date of
saying it ("Last November, officials said they had warned"), one warning per date named.

Example:
    >>> from kg.records import DateValue, Entity
    >>> from kg.extract.gazetteer import gazetteer
    >>> from kg.extract.lexicon import Lexicon
    >>> from kg.extract.doc import read
    >>> lex = Lexicon(gazetteer((Entity("russia", "state", "Russia"),
    ...                          Entity("united-states", "state", "United States"))))
    >>> doc = read("Russia warned the United States on March 3 and again on May 9, 2011.", lex,
    ...            DateValue.parse("2011-06-01"))
    >>> p = doc.sentences[0]
    >>> [[d.value.value for d in ds if d.value] for ds in split_by_date(p, 1, warning_dates(p, 1))]
    [['2011-03-03'], ['2011-05-09']]
"""

from __future__ import annotations

from .attack_words import HEADS
from .dates import DateMention
from .doc import REPORTING, Parsed, clause_start
from .text import words

#: Verbs of a clause about the attack: "the bombers who struck Brussels this week".
_EVENT_VERBS = words("""struck attacked bombed stormed killed exploded detonated occurred
happened hit""")


def warning_dates(p: Parsed, k: int) -> list[DateMention]:
    """Date phrases that may date the warning whose word is token ``k``, nearest first.

    A date that goes with a verb of saying before the warning ("In January, an official
    said that ...") dates the report, not the warning, and is left out.
    """
    dates = []
    for d in p.dates:
        if d.anchor is not None:
            continue
        first, last = p.token_at(d.start), p.token_at(d.end - 1)
        said = [
            i for i in range(last + 1, min(k, last + 10)) if p.toks[i].norm in REPORTING
        ] or any(t.norm in REPORTING for t in p.toks[max(0, first - 2) : first])
        near_event = any(
            t.norm in HEADS for t in p.toks[max(0, first - 2) : first] + p.toks[last + 1 : last + 4]
        ) or any(t.norm in _EVENT_VERBS for t in p.toks[max(k + 1, first - 4) : first])
        stamp = p.words(first - 1, first) in (["-"], ["|"]) and last >= len(p.toks) - 2
        if not said and not near_event and not stamp:  # "... Alert Issued - 2019-05-01": a stamp
            dates.append(d)
    # A date of the verb's own clause wins ("ahead of the 2013 bombing: the FSB alerted the
    # FBI in 2011"), then the nearest.
    own = clause_start(p, k)
    return sorted(
        dates,
        key=lambda d: (clause_start(p, p.token_at(d.start)) != own, abs(p.token_at(d.start) - k)),
    )


def reported_date(p: Parsed, k: int) -> DateMention | None:
    """The date of saying, before the warning's verb: "Last November, officials said they
    had warned France" (the warning came before it)."""
    said = next((i for i in range(k - 1, -1, -1) if p.toks[i].norm in REPORTING), None)
    if said is None:
        return None
    for d in p.dates:
        first, last = p.token_at(d.start), p.token_at(d.end - 1)
        if (
            d.value is not None
            and d.anchor is None
            and (last < said and said - last <= 10 or 0 < first - said <= 3)
        ):
            return d
    return None


def split_by_date(p: Parsed, k: int, dates: list[DateMention]) -> list[list[DateMention]]:
    """``warned X on September 19 and again on October 11``: one warning per date."""
    after = sorted(
        (d for d in dates if d.value is not None and p.token_at(d.start) > k),
        key=lambda d: d.start,
    )
    chain = after[:1]
    for prev, d in zip(after, after[1:], strict=False):
        between = p.words(p.token_at(prev.end - 1) + 1, p.token_at(d.start))
        if between and set(between) <= {"and", "again", "on", "in", ",", "then", "later", "once"}:
            chain.append(d)
        else:
            break
    if len(chain) < 2:
        return [dates]
    return [[d] for d in chain]


def anchor(p: Parsed) -> DateMention | None:
    """A date counted back from an event in the sentence ("fifteen days before the attack")."""
    return next((d for d in p.dates if d.anchor is not None and d.anchor[2] == "before"), None)
