"""Sentences and tokens with character offsets into the original article text.

The extractor never edits the text it reads: every sentence and token keeps its
``start``/``end`` in the stored text, so quotes and offsets stay true. HTML tags are
treated as boundaries, never as words; paragraph breaks end a sentence unless the
text plainly runs on across them (the next line starts in lower case or with a comma).

Example:
    >>> [s.text for s in sentences("The U.S. warned Iran. Tehran said\\nnothing.\\n\\nNew para")]
    ['The U.S. warned Iran.', 'Tehran said\\nnothing.', 'New para']
    >>> [t.norm for t in tokens(Sentence(0, 9, "Russia’s FSB"))][:3]
    ['russia', "'", 's']
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def words(text: str) -> frozenset[str]:
    """A set of words written as one string: how the rules keep their word lists.

    Example:
        >>> sorted(words("was were\\n been"))
        ['been', 'was', 'were']
    """
    return frozenset(text.split())


#: A sentence longer than this is cut into pieces at spaces: rules look at a few words
#: around a trigger, and the cut keeps the work linear on huge paragraphs.
MAX_SENTENCE = 1200

_TAG = re.compile(
    r"<(script|style)\b[^<>]{0,2000}>.{0,20000}?</\1\s*>|<!--.{0,2000}?-->"
    r"|</?([A-Za-z][A-Za-z0-9]*)[^<>]{0,2000}>|<![A-Za-z][^<>]{0,500}>",
    re.DOTALL | re.IGNORECASE,
)
#: Tags inside a line of text ("<b>Iran</b> warned"): hidden from the rules, not boundaries.
INLINE_TAGS = words("""a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span
strong sub sup time u var wbr""")
_BREAK = re.compile(r"[ \t\f\v]*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WS = re.compile(r"\s+")
_NORM = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
    }
)

#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = words("""mr mrs ms dr prof gen lt col maj capt sgt sen rep gov st mt ft no vs etc
inc corp ltd co jr sr jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e
a.m p.m approx dept est fig govt""")


@dataclass(frozen=True)
class Sentence:
    """A stretch of the text with its offsets: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark: offsets into the article, and a normalised form."""

    start: int
    end: int
    text: str
    norm: str

    @property
    def is_word(self) -> bool:
        """True for words and numbers (not punctuation)."""
        return self.text[:1].isalnum() or self.text[:1] == "_"

    @property
    def capitalised(self) -> bool:
        """True when the token starts with a capital letter."""
        return self.text[:1].isupper()


def normalise(text: str) -> str:
    """Case-fold and unify quotes and dashes, for matching (lengths may change)."""
    return text.translate(_NORM).casefold()


def collapse(text: str) -> str:
    """Runs of whitespace as one space, trimmed: how quotes are written for reviewers."""
    return _WS.sub(" ", text).strip()


def tokens(sentence: Sentence) -> list[Token]:
    """The tokens of a sentence, with offsets into the article."""
    base = sentence.start
    return [
        Token(base + m.start(), base + m.end(), m.group(), normalise(m.group()))
        for m in _TOKEN.finditer(sentence.text)
    ]


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; block HTML tags and paragraph breaks separate.

    Inline tags (``<b>``, ``<a href>``) are blanked out of ``Sentence.text`` (same length,
    so offsets stay true); quotes are still cut from the original text.
    """
    result: list[Sentence] = []
    masked, blocks = _mask(text)
    for start, end in _blocks(masked, blocks):
        for s, e in _split_block(masked, start, end):
            _emit(masked, s, e, result)
    return result


def _mask(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with inline tags blanked, and the spans of block tags (boundaries)."""
    if "<" not in text:
        return text, []
    pieces, blocks, pos = [], [], 0
    for tag in _TAG.finditer(text):
        pieces.append(text[pos : tag.start()])
        pieces.append(" " * (tag.end() - tag.start()))
        if (tag.group(2) or "").lower() not in INLINE_TAGS:
            blocks.append(tag.span())
        pos = tag.end()
    pieces.append(text[pos:])
    return "".join(pieces), blocks


def _blocks(text: str, tags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches between block tags and between paragraph breaks that end a sentence."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for tag_start, tag_end in tags:
        pieces.append((pos, tag_start))
        pos = tag_end
    pieces.append((pos, len(text)))
    blocks = []
    for start, end in pieces:
        pos = start
        for brk in _BREAK.finditer(text, start, end):
            if not _runs_on(text, brk.start(), brk.end(), end):
                blocks.append((pos, brk.start()))
                pos = brk.end()
        blocks.append((pos, end))
    return blocks


def _runs_on(text: str, left: int, right: int, limit: int) -> bool:
    """Whether the text continues the same sentence across a line break."""
    before = text[left - 1] if left > 0 else ""
    after = text[right] if right < limit else ""
    if not before or not after:
        return False
    if before in '“‘("[':
        return True
    if before in ".!?…:":
        return False
    return after.islower() or after.isdigit() or after in ",;:.)]”’\"'"


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if match.group()[0] == "." and _abbreviation(text, pos, match.start()):
            continue
        following = text[stop:end].lstrip()[:1]
        if following and not (following.isupper() or following.isdigit() or following in "\"'“‘(["):
            continue
        spans.append((pos, stop))
        pos = stop
    spans.append((pos, end))
    return spans


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the word before a full stop is an abbreviation (U.S., Gen., Sept., J.)."""
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'“‘([").casefold()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True
    return word in ABBREVIATIONS or "." in word.strip(".")


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Trim a span and append it, cut into pieces of at most MAX_SENTENCE characters."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _emit(text, start, cut, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
