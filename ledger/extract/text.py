"""Text plumbing for extraction: normalisation, sentences, clauses and the matching view.

Sentence boundaries are a full stop, `!` or `?` followed by space and a capital, digit or quote,
and every line break (headlines and teaser lines have no full stop). A full stop does not end a
sentence after a listed abbreviation (`St.`, `Mr.`) or a lone initial (`K. Itakura`); decimals
such as `£20.9m` have no space after the point, so they never split.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ledger.extract.lexicon import words

# One character in, one character out: offsets computed on the view are offsets in the text.
_TYPOGRAPHY = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"')
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
    | dict.fromkeys("\u00a0\u2007\u2009\u202f\u2002\u2003\u2005\u2006\t", " ")
)
# A round-up credits each item after its full stop: `… in the summer. (The Sun) The Magpies…`;
# the bracketed source belongs to the sentence before it.
_STOP = re.compile(r"[.!?]+[\"')\]]*(?:\s+\([^()\n]{1,40}\))?(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_CLAUSE_BREAK = re.compile(
    r"\s+-\s+|;\s*|:\s+"
    r"|,\s+(?=(?:and|but|while|whereas|although|though|with|who|which|where|hence|so|as)\b)"
    r"|\s+(?=(?:but|hence|although|whereas)\b)"
    r"|\s+(?=and\s+(?:their|they|them|that|is|are|has|have|had|was|were|will|would)\b)"
    r"|\s+(?=who\s)"
    # Subordinate clauses are events of their own: in `Arsenal bid £105m after City had a bid
    # rejected` the rejection is City's. `after the end of the season` is a time, not a clause.
    r"|,?\s+(?=(?:after|before|despite|amid|amidst|because|since|although|whilst|unless|once|"
    r"until|whereas)\s+(?!(?:the |a |his |their |this |next |last )?(?:end|start|season|summer|"
    r"window|deadline|game|match|break|month|week|year|day|january|june|july|august)\b))"
    r"|\s+(?=(?:(?:is|are|be|being|could be|may be|might be|would be) )?(?:dependent|depending|"
    r"contingent|conditional) (?:on|upon)\s)"
)
# `Kylian Mbappe: Liverpool are set to…`, `Done deal: X to Forest`: a short label before a colon
# belongs to the clause it introduces.
_LABEL_COLON = re.compile(r"^\s*(?:[\w'-]+\s+){0,2}[\w'-]+:\s+")
_QUOTE = re.compile(r"(?<![A-Za-z\u00c0-\u024f])['\"]|['\"](?![A-Za-z\u00c0-\u024f])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """`text == body[start:end]`, where `body` is the article body it was split from."""

    start: int
    end: int
    text: str


def normalise(text: str) -> str:
    """NFC, no BOM, `\\n` line ends, straight quotes, plain hyphens and plain spaces."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2026", "...")
    return text.translate(_TYPOGRAPHY)


def split_sentences(body: str) -> list[Sentence]:
    """The sentences of `body`, in order, trimmed, never empty."""
    found: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", body):
        start = line.start()
        for stop in _STOP.finditer(body, line.start(), line.end()):
            if _is_abbreviation(body[max(start, stop.end() - 40) : stop.end()]):
                continue
            _append(found, body, start, stop.end())
            start = stop.end()
        _append(found, body, start, line.end())
    return found


def _is_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    last = _LAST_WORD.search(chunk)
    if last is None:
        return False
    word = last.group(1)
    return (len(word) == 1 and word.isupper()) or word.casefold() in words("abbreviation")


# The rules look at a sentence once per trigger word in it, so their cost grows with the square of
# its length. Prose sentences stay far below this (the longest in our labelled articles is 251
# characters); a "sentence" of pasted tables or a run-on scrape is cut at word boundaries so one
# hostile article costs seconds, not hours (tests/unit/test_article_fuzz.py).
MAX_SENTENCE_CHARS = 1_000


def _append(found: list[Sentence], body: str, start: int, end: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = body.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        cut = start + MAX_SENTENCE_CHARS if cut == -1 else cut
        _append(found, body, start, cut)
        start = cut
        while start < end and body[start].isspace():
            start += 1
    if end > start:
        found.append(Sentence(start, end, body[start:end]))


_HEADLINE_BREAK = re.compile(r",\s+|\s+-\s+|;\s*|:\s+|\s+(?=and\s)")


@lru_cache(maxsize=2048)
def clause_bounds(text: str, *, headline: bool = False) -> list[tuple[int, int]]:
    """Clause spans of one sentence: breaks at dashes, semicolons, `, and`, `, who`, `but` …;
    a headline also breaks at every comma (`Spurs watch Traore, Villa bid for Mbala`)."""
    bounds = []
    start = 0
    label = _LABEL_COLON.match(text)
    skip = label.end() if label else 0
    breaks = _HEADLINE_BREAK if headline else _CLAUSE_BREAK
    for brk in breaks.finditer(text):
        if brk.start() < skip:
            continue
        if brk.start() > start:
            bounds.append((start, brk.start()))
        start = brk.end()
    bounds.append((start, len(text)))
    return [part for s, e in bounds if text[s:e].strip() for part in _close_relative(text, s, e)]


_RELATIVE_OPEN = re.compile(r"(?:who|which|whose)\s")


def _close_relative(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`…the 26-year-old, who cost £6m in 2014, at £30m`: a relative clause set off by commas
    ends at its closing comma; what follows belongs to the main clause again."""
    closing = text.find(", ", start, end) if _RELATIVE_OPEN.match(text, start) else -1
    if closing < 0:
        return [(start, end)]
    return [(start, closing), (closing + 2, end)]


_TIMESTAMP = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:BST|GMT|CET|ET))?$", re.I)
_HEADING_WORDS = 14


def is_heading(body: str, sentence: Sentence) -> bool:
    """A line of its own with no closing stop (`Done deal: Hudson-Odoi to Forest`, `09:05`):
    a live-blog entry, a round-up item or a section begins there."""
    whole_line = (sentence.start == 0 or body[sentence.start - 1] == "\n") and (
        sentence.end == len(body) or body[sentence.end] == "\n"
    )
    if not whole_line:
        return False
    text = sentence.text
    if is_timestamp(text):
        return True
    # The article's first line is its headline however long it runs.
    short = sentence.start == 0 or len(text.split()) <= _HEADING_WORDS
    return not text.endswith((".", "!", "?", '"', "'")) and short


def is_timestamp(text: str) -> bool:
    """`09:05`, `14.30pm`, `11:02 GMT`: a live-blog entry's time."""
    return _TIMESTAMP.match(text) is not None


def match_view(text: str) -> str:
    """`text` with quotation marks (not apostrophes) blanked, so `'put out feelers'` matches."""
    return _QUOTE.sub(" ", text)
