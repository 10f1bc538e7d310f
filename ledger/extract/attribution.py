"""Who says so: the source each sentence cites.

A source name counts as cited when a citation cue sits next to it: `according to X`, `per X`,
`as per X`, `reports X`, `X sources`, `X reports / understands / claims / says`. Names the source
list does not know are still taken after `according to` / `per` / `via` (`according to the
Manchester Evening News`). A sentence that cites nobody but says `the report` or `the outlet`
points back at the last source cited; otherwise the source cited in the article's first
paragraph stands for the whole story (`…, as per Caught Offside.`), then the publisher, then
`unknown`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from ledger.entities.sources import SourceMention, source_registry
from ledger.errors import UnknownNameError
from ledger.extract.lexicon import words
from ledger.extract.text import Sentence

UNKNOWN_SOURCE = "unknown"
_BEFORE = re.compile(
    r"(?:according to|as per|\bper|\bvia|\breports|\breported by|\brevealed by|\btold)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"\s*(?:'s?\s+)?(?:sources?|have|has|reports?|reported|understands|understood|claims?|"
    r"claimed|says|say|said|revealed|reveals|insists?|insisted|suggests?|suggested|states?|writes|"
    r"wrote|notes|noted|believes|adds|added|is reporting|are reporting|learned|learnt)\b",
    re.IGNORECASE,
)
_UNLISTED = re.compile(
    r"(?:according to|as per|\bper|\bvia|\breports)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'&-]*(?: (?:[A-Z][\w'&-]*|of|de|dello|della|del)){0,4})"
)
_UNLISTED_AFTER = re.compile(
    r"(?P<name>[A-Z][\w'&-]*(?: [A-Z][\w'&-]*){0,3}) (?:can (?:exclusively )?reveal|understands|"
    r"has learned|has learnt|has been told|is reporting)\b"
)
_OUTLET_WORDS = re.compile(
    r"^(?:(?:[A-Z][a-z]+ )?(?:outlet|newspaper|daily|paper|publication|broadcaster|journalist|"
    r"reporter|website|site|network|channel|radio|television|TV|magazine) )+",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:the|that|this) (?:report|outlet|publication|newspaper|paper|journalist|reporter)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited source: `name` is its canonical name (or the name as written when unlisted)."""

    start: int
    end: int
    name: str


_BRACKETED = re.compile(
    r"(?<=[.!?\"'] )\((?:the |The )?(?P<name>[A-Z][\w'&.-]*(?: (?:[A-Z][\w'&.-]*|de|del|of)){0,3})\)"
)


def find_citations(
    body: str,
    taken: Sequence[tuple[int, int]] = (),
    mentions: Sequence[SourceMention] | None = None,
) -> list[Citation]:
    """Every cited source in `body`; `taken` spans (clubs) are never read as unlisted sources;
    `mentions` are the source names already found in `body`, if the caller has them."""
    found = []
    listed = source_registry().find_mentions(body) if mentions is None else mentions
    for mention in listed:
        ahead = body[max(0, mention.start - 40) : mention.start]
        if _BEFORE.search(ahead) or _AFTER.match(body, mention.end):
            found.append(Citation(mention.start, mention.end, mention.source.name))
    found.extend(_bracketed(body, found, taken))
    for regex in (_UNLISTED, _UNLISTED_AFTER):
        for match in regex.finditer(body):
            citation = _unlisted(match, found, taken)
            if citation is not None:
                found.append(citation)
    return sorted(found, key=lambda c: c.start)


def _unlisted(
    match: re.Match[str], found: Sequence[Citation], taken: Sequence[tuple[int, int]]
) -> Citation | None:
    start, end = match.span("name")
    prefix = _OUTLET_WORDS.match(match["name"])
    if prefix is not None:
        start += prefix.end()
    name = match.string[start:end]
    if not name or name.casefold() in words("stop") or name.split()[0].casefold() == "the":
        return None
    if any(c.start < end and start < c.end for c in found):
        return None
    if any(s < end and start < e for s, e in taken):
        return None
    try:
        return Citation(start, end, source_registry().resolve(name).name)
    except UnknownNameError:
        return None


def _bracketed(
    body: str, found: Sequence[Citation], taken: Sequence[tuple[int, int]]
) -> list[Citation]:
    """`… in January. (The Sun)`: a round-up item's outlet, in brackets after its full stop;
    kept as written when the source list does not know it (`(Le Parisien)`)."""
    cited = []
    # Spans by start, searched by bisection: a long round-up has thousands of brackets.
    blocked = sorted([*((c.start, c.end) for c in found), *taken])
    starts = [low for low, _ in blocked]
    for match in _BRACKETED.finditer(body):
        start, end = match.span("name")
        nearby = blocked[max(0, bisect_left(starts, start) - 1) : bisect_left(starts, end)]
        if any(low < end and start < high for low, high in nearby):
            continue
        try:
            name = source_registry().resolve(match["name"]).name
        except UnknownNameError:
            name = match["name"]
        cited.append(Citation(start, end, name))
    return cited


def listed_sources(body: str) -> list[SourceMention]:
    """Every listed source name in `body`, cited or not (never a person, never a club)."""
    return source_registry().find_mentions(body)


def listed_source_spans(body: str) -> list[tuple[int, int]]:
    """Spans of every listed source name, cited or not (never a person, never a club)."""
    return [(m.start, m.end) for m in listed_sources(body)]


def story_source(body: str, citations: Sequence[Citation], publisher: str | None) -> str:
    """Who stands for the claims no sentence attributes: the source cited in the first
    paragraph, else the publisher, else `unknown`."""
    first_paragraph = body.find("\n") if "\n" in body else len(body)
    lead = next((c.name for c in citations if c.start < first_paragraph), None)
    return lead or publisher or UNKNOWN_SOURCE


def sentence_sources(
    body: str, sentences: Sequence[Sentence], citations: Sequence[Citation], publisher: str | None
) -> list[str]:
    """The source each sentence's claims are attributed to, in sentence order."""
    default = story_source(body, citations, publisher)
    result = []
    last: str | None = None
    for sentence in sentences:
        own = cited_in(sentence, citations)
        if own is not None:
            last = own
            result.append(own)
        elif last is not None and _BACK_REFERENCE.search(sentence.text):
            result.append(last)
        else:
            result.append(default)
    return result


def clause_source(
    sentence: Sentence, clause: tuple[int, int], citations: Sequence[Citation]
) -> str | None:
    """The source cited in a claim's own clause; else one cited in its sentence outside any
    aside. `X – who is poised to join Villa, per Romano – …`: Romano is credited with the
    aside, not with the rest of the sentence, which the outlet reports itself."""
    inner = _within(citations, sentence.start, sentence.end)
    own = [c for c in inner if clause[0] <= c.start < clause[1]]
    if own:
        return own[0].name
    # The clause is often cut before its `, per X` tail: an aside's citation covers the claims
    # that lie inside the same aside.
    for citation in inner:
        aside = _aside_around(sentence, citation)
        if aside is not None and aside[0] <= clause[0] and clause[1] <= aside[1]:
            return citation.name
    outside = [c for c in inner if _aside_around(sentence, c) is None]
    return outside[0].name if outside else None


def _aside_around(sentence: Sentence, citation: Citation) -> tuple[int, int] | None:
    """The body offsets of the dash-delimited aside (` - … - `) that holds `citation`, if any."""
    ahead = sentence.text[: citation.start - sentence.start]
    behind = sentence.text[citation.end - sentence.start :]
    if ahead.count(" - ") % 2 == 0 or " - " not in behind:
        return None
    return sentence.start + ahead.rfind(" - ") + 3, citation.end + behind.find(" - ")


def _within(citations: Sequence[Citation], start: int, end: int) -> Sequence[Citation]:
    """The citations starting in [start, end); `citations` are sorted by start."""
    low = bisect_left(citations, start, key=lambda c: c.start)
    return citations[low : bisect_left(citations, end, lo=low, key=lambda c: c.start)]


def cited_in(sentence: Sentence, citations: Sequence[Citation]) -> str | None:
    """The first source cited in `sentence`, if any (`citations` sorted by start)."""
    inner = _within(citations, sentence.start, sentence.end)
    return inner[0].name if inner else None
