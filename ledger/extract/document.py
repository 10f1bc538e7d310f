"""One article analysed once: sentences, people, clubs, fees and cited sources, all in body offsets.

Also the phrase tests the assembler asks of a stretch of text: does it refer back to a player
(`the 26-year-old`, `him`) or to a club (`they`, `both clubs`), or name an unnamed new target
(`another central defender`)?
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ledger.entities.players import KnownPlayer
from ledger.extract.article import Article
from ledger.extract.attribution import (
    Citation,
    cited_in,
    clause_source,
    find_citations,
    listed_sources,
    sentence_sources,
    story_source,
)
from ledger.extract.clubrefs import named_refs
from ledger.extract.lexicon import alternation, words
from ledger.extract.people import PersonRef, find_people
from ledger.extract.roles import ClubContext, build_club_context
from ledger.extract.text import Sentence, split_sentences
from ledger.money.fee_parser import FeeMention, find_fees


@dataclass(frozen=True, slots=True)
class Document:
    """The analysed article; every offset is an offset in `article.body`."""

    article: Article
    sentences: tuple[Sentence, ...]
    people: tuple[PersonRef, ...]  # in order of offset
    clubs: ClubContext
    fees: tuple[FeeMention, ...]
    sources: tuple[str, ...]  # one per sentence
    people_starts: tuple[int, ...]  # the people's offsets, for bisection
    citations: tuple[Citation, ...]
    story_source: str

    def source_of(self, index: int, clause: tuple[int, int]) -> str:
        """Who a claim in this clause of sentence `index` is credited to (attribution follows
        the clause: see `clause_source`); the sentence's fallback when it cites nobody."""
        sentence = self.sentences[index]
        if cited_in(sentence, self.citations) is not None:
            return clause_source(sentence, clause, self.citations) or self.story_source
        return self.sources[index]

    def people_in(self, start: int, end: int) -> list[PersonRef]:
        """Target-eligible people mentioned between two offsets (possessive modifiers left out)."""
        return [p for p in self._people_between(start, end) if p.eligible and not p.modifier]

    def officials_in(self, start: int, end: int) -> bool:
        """Whether a manager or official is named between two offsets."""
        return any(not p.eligible for p in self._people_between(start, end))

    def _people_between(self, start: int, end: int) -> tuple[PersonRef, ...]:
        # People are sorted by offset: a bisection per question keeps a long article linear.
        return self.people[
            bisect_left(self.people_starts, start) : bisect_left(self.people_starts, end)
        ]

    def fees_in(self, start: int, end: int) -> list[FeeMention]:
        return [f for f in self.fees if start <= f.start and f.end <= end]


def analyse(
    article: Article, publisher: str | None, known_players: Iterable[KnownPlayer]
) -> Document:
    """Split, tag and resolve everything the claim assembler needs."""
    body = article.body
    sentences = split_sentences(body)
    listed = listed_sources(body)
    named, club_spans = named_refs(body)
    citations = find_citations(body, club_spans, listed)
    excluded = [
        *club_spans,
        *((m.start, m.end) for m in listed),
        *((c.start, c.end) for c in citations),
    ]
    spans = [(ref.start, ref.end) for ref in named]
    people = sorted(find_people(body, excluded, known_players, spans), key=lambda p: p.start)
    clubs = build_club_context(body, sentences, people, named)
    sources = sentence_sources(body, sentences, citations, publisher)
    fees = _conversions_dropped(body, [f for f in find_fees(body) if not _not_a_fee(body, f)])
    return Document(
        article,
        tuple(sentences),
        tuple(people),
        clubs,
        tuple(fees),
        tuple(sources),
        tuple(p.start for p in people),
        tuple(citations),
        story_source(body, citations, publisher),
    )


# `still €4m apart` is a gap between two valuations and `improved their offer by £5m` a raise:
# neither is a fee. Nor is a wage converted in brackets (`€155k-a-week (£130k)`): the fee parser
# knows the first amount for a wage, the bracket repeats it in another currency.
_GAP_AFTER = re.compile(r"\s+(?:apart|short|difference|gap)\b")
_RAISE_BEFORE = re.compile(r"\b(?:by|an extra|a further)\s+$")
_WAGE_BEFORE = re.compile(
    r"(?:[\s-](?:a|per|each|every)[\s-]+(?:week|month|year|annum)|\bp/?w|\bweekly|\bwages?)"
    r"\s*\(\s*(?:about |around |roughly |some |or )?$",
    re.IGNORECASE,
)


def _not_a_fee(body: str, fee: FeeMention) -> bool:
    ahead = body[max(0, fee.start - 20) : fee.start]
    return bool(
        _GAP_AFTER.match(body, fee.end)
        or _RAISE_BEFORE.search(ahead)
        or _WAGE_BEFORE.search(body, max(0, fee.start - 40), fee.start)
    )


def _conversions_dropped(body: str, fees: list[FeeMention]) -> list[FeeMention]:
    """`a €9m (£7.8m) bid`: the bracketed amount repeats the one before it in another currency;
    the fee is the first, as the writer stated it."""
    kept: list[FeeMention] = []
    for fee in fees:
        gap = body[kept[-1].end : fee.start] if kept else ""
        if not (kept and _BRACKET_GAP.fullmatch(gap)):
            kept.append(fee)
    return kept


_BRACKET_GAP = re.compile(r"\s*\(\s*(?:about |around |roughly |some |or |approx\.? )?")


# The assembler asks these of the same clause once per trigger in it; a run-on "sentence" has
# dozens, so the answers are cached by text.
@lru_cache(maxsize=1024)
def definite_references(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of phrases referring back to a player (`the 26-year-old`, `him`) in `text`."""
    return tuple(m.span() for m in _definite().finditer(text))


# Words that follow a person, not a noun a demonym would describe (`the Brazilian has`).
_AFTER_PERSON = (
    "is|was|has|had|have|will|would|could|can|may|might|must|should|does|did|who|whose|and|"
    "to|in|at|for|from|on|with|into|says|said|wants|remains|insists|insisted|admits|admitted"
)


@cache
def _definite() -> re.Pattern[str]:
    nouns = alternation(words("position") | {"player", "man", "youngster"})
    # Modifiers only (`the 26-year-old Japan`), no prepositions: `the signing of Chelsea winger`
    # is not a reference; nor is a description followed by the name it describes.
    modifier = r"(?:(?!(?:of|for|to|with|from|by|and|in|on|at|over)\s)[\w-]+\s+)"
    # `the Frenchman`, `the Brazilian`: a demonym alone is a person; before a noun (`the
    # Italian club`, `the Dutch press`) it describes something else.
    demonyms = alternation(words("demonym"))
    return re.compile(
        rf"\bhim\b|\bthe\s+{modifier}{{0,3}}?(?:{nouns}|\d+-year-old)\b(?!\s+(?-i:[A-Z]))"
        rf"|\bthe\s+(?:{demonyms})\b(?=\s*[,.;:!?)\"']|\s+(?-i:{_AFTER_PERSON}|[a-z]+ed)\b)",
        re.IGNORECASE,
    )


@cache
def _indefinite() -> re.Pattern[str]:
    nouns = alternation(words("position") | {"signing", "recruit", "addition"})
    return re.compile(
        rf"\b(?:another|one more|a new|an?)\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b(?!\s+who)",
        re.IGNORECASE,
    )


@cache
def _pronoun() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(words('pronoun'))})\b", re.IGNORECASE)


@cache
def _pair() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(words('pair'))})\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def refers_to_player(text: str) -> bool:
    """`him`, `the player`, `the 26-year-old centre-back`, `the Japan international`."""
    return _definite().search(text) is not None


_SPEAKS = re.compile(
    r"\s+(?:has |had |also |then )?(?:said|says|added|adds|insisted|insists|told|admitted|admits|"
    r"explained|explains|stated|states|confirmed|confirms|revealed|reveals|believes)\b"
)


def speaks(body: str, end: int) -> bool:
    """Whether the person whose name ends at `end` is saying something (`Le Bris said …`)."""
    return _SPEAKS.match(body, end) is not None


def names_new_target(text: str) -> bool:
    """`another central defender`, `a new defender`: the target is someone not yet named."""
    return _indefinite().search(text) is not None


def pronoun_at(text: str) -> int | None:
    """Where `they` / `their` / `them` first occurs in `text`, if it does."""
    match = _pronoun().search(text)
    return None if match is None else match.start()


def mentions_pair(text: str) -> bool:
    """`both clubs`, `the two clubs`: the last two clubs named together."""
    return _pair().search(text) is not None
