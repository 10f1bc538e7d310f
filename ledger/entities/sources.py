"""News sources — outlets, journalists, agencies, clubs — and their reliability over time.

The reference list ships as package data (`ledger/data/sources*.csv`). Unlike clubs, sources are
open-ended: a name the list does not know still resolves, to an unknown `Source` with no tier, so
a claim from a new blog is kept rather than refused. Only names that cannot be names at all are
refused.

`find_mentions` is the dictionary half of source attribution for the article extractor: it finds
known names and aliases in running text. Because several outlets are named after ordinary words
(`Sport`, `Record`, `Mirror`, `AS`), case is part of the match: a capitalised alias word needs a
capital in the text, an all-capitals alias word must be written in capitals, and a two-letter
acronym followed by a capitalised word (`AS Monaco`, `AS Roma`) is read as part of another name.
A capitalised word at the start of a sentence can still match; the extractor's citation cues
("according to", "per", "reports") are what confirm a mention as a source.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal, cast

from rapidfuzz import fuzz, process

from ledger.entities.names import name_key, slugify, strip_accents
from ledger.errors import LedgerError, UnknownNameError

SourceKind = Literal["outlet", "journalist", "agency", "club"]
KINDS: frozenset[str] = frozenset({"outlet", "journalist", "agency", "club"})
MAX_NAME_LENGTH = 120
# Spelling slips only: at 90 a 13-letter name survives one wrong letter (`Alisdair Gold` scores
# 92) but two different outlets rarely come this close. Keys shorter than 8 characters are never
# fuzzy-matched, since there one letter turns a name into another (`Sport`/`Sports` 91).
SOURCE_FUZZY_THRESHOLD = 90.0
SOURCE_FUZZY_MIN_LENGTH = 8

_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
# What may sit between two words of one name in running text: `Sky Sports`, `Football.London`,
# `L'Équipe`, `Agence France-Presse`. A sentence break (". ") or a line break may not.
_JOINER = re.compile(r"[ \t\u00a0]{1,2}|['’.\-]")
_FOLLOWING_WORD = re.compile(r"[ \u00a0]([^\W\d_])")


@dataclass(frozen=True)
class Source:
    """One outlet or person a claim is attributed to; `known` is False for names not listed."""

    id: str
    name: str
    kind: SourceKind
    known: bool


@dataclass(frozen=True)
class SourceMention:
    """A known source named in a text: `text[start:end] == surface`."""

    start: int
    end: int
    surface: str
    source: Source


@dataclass(frozen=True)
class _Surface:
    """One way of writing a source, as words with their case as listed."""

    words: tuple[str, ...]
    source: Source


def _case_fits(listed: str, written: str) -> bool:
    if len(listed) > 1 and listed.isupper():
        return written == listed
    return not listed[0].isupper() or written[0].isupper()


def _fold(word: str) -> str:
    return strip_accents(word).casefold()


def _variants(key: str) -> tuple[str, ...]:
    """Loose spellings of a key: run together (`CaughtOffside`) and without a leading `the`."""
    variants = (key.replace(" ", ""), key.removeprefix("the "))
    return tuple(dict.fromkeys(v for v in variants if v and v != key))


def checked_source_name(name: str) -> str:
    """`name` without surrounding space, if it can be a source's name (the rules of player
    names: printable, at most MAX_NAME_LENGTH characters, a letter); else UnknownNameError."""
    cleaned = name.strip()
    printable = all(ch.isprintable() for ch in cleaned)
    if not printable or len(cleaned) > MAX_NAME_LENGTH or not any(c.isalpha() for c in cleaned):
        raise UnknownNameError(f"not a source name: {cleaned[:40]!r}", name)
    return cleaned


class SourceRegistry:
    """Known sources with their aliases and dated reliability tiers (1 best … 5 worst)."""

    def __init__(
        self,
        sources: Iterable[Source],
        aliases: Iterable[tuple[str, str]],
        tiers: Iterable[tuple[str, int, date]],
    ) -> None:
        self._by_id = {source.id: source for source in sources}
        self._exact: dict[str, Source] = {}
        self._loose: dict[str, Source | None] = {}
        self._by_first_word: dict[str, list[_Surface]] = {}
        named = [(s.id, s.name) for s in self._by_id.values()]
        for source_id, surface in [*named, *aliases]:
            self._index(self._known(source_id), surface)
        for surfaces in self._by_first_word.values():
            surfaces.sort(key=lambda s: -len(s.words))
        self._tiers: dict[str, list[tuple[date, int]]] = {}
        for source_id, tier, valid_from in tiers:
            self._tiers.setdefault(self._known(source_id).id, []).append((valid_from, tier))
        for history in self._tiers.values():
            history.sort()

    def _known(self, source_id: str) -> Source:
        if source_id not in self._by_id:
            raise LedgerError(f"source data names unknown source id {source_id!r}")
        return self._by_id[source_id]

    def _index(self, source: Source, surface: str) -> None:
        key = name_key(surface)
        if self._exact.setdefault(key, source) != source:
            raise LedgerError(f"source data: {surface!r} names two sources")
        for variant in _variants(key):
            # A loose spelling shared by two sources belongs to neither.
            seen = self._loose.setdefault(variant, source)
            if seen != source:
                self._loose[variant] = None
        words = tuple(strip_accents(word) for word in _WORD.findall(surface))
        self._by_first_word.setdefault(words[0].casefold(), []).append(_Surface(words, source))

    def all(self) -> list[Source]:
        """Every listed source, ordered by id."""
        return sorted(self._by_id.values(), key=lambda source: source.id)

    def resolve(self, name: str) -> Source:
        """The listed source `name` spells (in any case, accents, alias or one slip), else a new,
        unknown one. Raises UnknownNameError for text that cannot be a name."""
        cleaned = checked_source_name(name)
        key = name_key(cleaned)
        found = self._exact.get(key) or self._lookup_loose(key) or self._lookup_fuzzy(key)
        return found or Source(slugify(cleaned), cleaned, "outlet", known=False)

    def _lookup_loose(self, key: str) -> Source | None:
        for variant in (*_variants(key), key):
            if found := self._exact.get(variant) or self._loose.get(variant):
                return found
        return None

    def _lookup_fuzzy(self, key: str) -> Source | None:
        if len(key) < SOURCE_FUZZY_MIN_LENGTH:
            return None
        best = process.extractOne(
            key, self._exact.keys(), scorer=fuzz.ratio, score_cutoff=SOURCE_FUZZY_THRESHOLD
        )
        return self._exact[best[0]] if best else None

    def tier(self, source_id: str, on: date) -> int | None:
        """The tier in force for `source_id` on `on`; None if unrated then (or unknown)."""
        history = self._tiers.get(source_id, [])
        index = bisect.bisect_right(history, on, key=lambda row: row[0])
        return history[index - 1][1] if index else None

    def find_mentions(self, text: str) -> list[SourceMention]:
        """Known sources named in `text`, left to right, the longest name winning at each spot."""
        words = list(_WORD.finditer(text))
        mentions: list[SourceMention] = []
        at = 0
        while at < len(words):
            found = self._longest_at(text, words, at)
            if found is None:
                at += 1
                continue
            surface, length = found
            start, end = words[at].start(), words[at + length - 1].end()
            mentions.append(SourceMention(start, end, text[start:end], surface.source))
            at += length
        return mentions

    def _longest_at(
        self, text: str, words: list[re.Match[str]], at: int
    ) -> tuple[_Surface, int] | None:
        candidates = self._by_first_word.get(_fold(words[at].group()), [])
        for surface in candidates:
            span = words[at : at + len(surface.words)]
            if len(span) == len(surface.words) and _fits(text, surface, span):
                return surface, len(span)
        return None


def _fits(text: str, surface: _Surface, span: list[re.Match[str]]) -> bool:
    for listed, match in zip(surface.words, span, strict=True):
        written = strip_accents(match.group())
        if written.casefold() != listed.casefold() or not _case_fits(listed, written):
            return False
    for left, right in itertools.pairwise(span):
        if not _JOINER.fullmatch(text, left.end(), right.start()):
            return False
    return not _is_name_prefix(text, surface, span[-1].end())


def _is_name_prefix(text: str, surface: _Surface, end: int) -> bool:
    """`AS Monaco`: a lone two-letter acronym directly followed by a capitalised word."""
    lone = surface.words[0]
    if len(surface.words) != 1 or len(lone) != 2 or not lone.isupper():
        return False
    following = _FOLLOWING_WORD.match(text, end)
    return following is not None and following.group(1).isupper()


def _read_rows(filename: str) -> Iterator[dict[str, str]]:
    data = resources.files("ledger") / "data" / filename
    yield from csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"), newline=""))


def _load_sources() -> Iterator[Source]:
    for row in _read_rows("sources.csv"):
        if row["kind"] not in KINDS:
            raise LedgerError(f"sources.csv: {row['id']!r} has unknown kind {row['kind']!r}")
        yield Source(row["id"], row["name"], cast(SourceKind, row["kind"]), known=True)


def _load_tiers() -> Iterator[tuple[str, int, date]]:
    for row in _read_rows("source_tiers.csv"):
        tier = int(row["tier"])
        if not 1 <= tier <= 5:
            raise LedgerError(f"source_tiers.csv: {row['source_id']!r} has tier {tier}")
        yield row["source_id"], tier, date.fromisoformat(row["valid_from"])


@functools.cache
def source_registry() -> SourceRegistry:
    """The registry built from the shipped reference data, loaded once per process."""
    aliases = ((row["source_id"], row["alias"]) for row in _read_rows("source_aliases.csv"))
    return SourceRegistry(_load_sources(), aliases, _load_tiers())
