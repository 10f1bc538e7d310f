"""Matching a player mention to a known player, or deciding it names someone new (SPEC §3.3).

Players are not reference data: they are created on first mention and matched afterwards. This
module is pure logic; the caller loads the known players (from PostgreSQL), feeds them to a
`PlayerMatcher`, `add`s players it creates, and reports every "ambiguous" outcome — a name is
never merged into a player by guesswork.

How a mention is read (after `name_key` folding):

* a **full name** (`Marc Guehi`, `Kevin De Bruyne`): exact on a known name or alias; else a fuzzy
  match that clears `FUZZY_THRESHOLD` with `FUZZY_MARGIN` over the runner-up; else "new".
* a **bare surname** (`Itakura`, `Van de Ven`, even the typo `Ikatura`): resolved only through the
  context — the other names of the same article or claim set — when exactly one person named
  there has that surname (`"surname"`). Otherwise "ambiguous", with the known players sharing the
  surname as candidates; never "new", since a surname alone is not a name to create a player under.
* **initials and a surname** (`K. Itakura`): like a bare surname, but the initials must agree with
  the given names; with no context, one known player with that exact surname and initials is
  enough, because the initial does the narrowing a given name would.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from ledger.entities.names import name_key, slugify
from ledger.entities.player_blocks import SpellingBlocks, SurnameIndex
from ledger.errors import UnknownNameError

# fuzz.ratio is 100·(1 − edits/total length), where one wrong or swapped letter costs 2 edits.
# At 88 a key of 9+ characters survives one slip (`Marc Guhei` → `Marc Guehi` scores 90) and
# 17+ characters survive two, while people who share only a given name or only a surname stay
# well below (`Kevin Danso`/`Kevin De Bruyne` 62, `Kai Itakura`/`Ko Itakura` 86).
FUZZY_THRESHOLD = 88.0
# Two known players this close to the same spelling means the text cannot tell them apart; five
# points is about one letter in a typical 12–16 character name.
FUZZY_MARGIN = 5.0
# Surnames are compared loosely only against the handful of people named in the same text, where
# a mix-up costs little: 70 admits two swapped letters in a 7-letter surname (`Ikatura`/`Itakura`
# 71) yet rejects different surnames sharing a few letters (`Danso`/`Disasi` 55).
CONTEXT_SURNAME_THRESHOLD = 70.0
MAX_NAME_LENGTH = 120
# Lower-case words that belong to the surname that follows them (`Van de Ven`, `De Bruyne`).
# fmt: off
_PARTICLES = frozenset({
    "van", "von", "de", "der", "den", "di", "da", "do", "dos", "das", "du", "del", "della", "la",
    "le", "ter", "ten", "al", "el",
})
# fmt: on
_MAX_CANDIDATES = 10

Outcome = Literal["exact", "fuzzy", "surname", "new", "ambiguous"]


@dataclass(frozen=True)
class KnownPlayer:
    """A player the ledger already holds, with every spelling it accepts as exact."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlayerMatch:
    """What a mention resolved to.

    `player` is set for "exact", "fuzzy" and "surname". It is None for "new", for "ambiguous"
    (see `candidates`), and for a "surname" match through a context name that is not yet a known
    player: `via` then holds that full name — match it, add the player, and use that one.
    """

    outcome: Outcome
    player: KnownPlayer | None
    score: float
    candidates: tuple[KnownPlayer, ...] = ()
    via: str | None = None


@dataclass(frozen=True)
class _Form:
    """One spelling split into given names and surname (particles stay with the surname)."""

    key: str
    given: tuple[str, ...]
    surname: str

    @property
    def is_full(self) -> bool:
        return bool(self.given) and not self.has_initials

    @property
    def has_initials(self) -> bool:
        return bool(self.given) and all(len(token) == 1 for token in self.given)

    def initials_fit(self, other: _Form) -> bool:
        """Whether this form's given names could abbreviate or equal `other`'s."""
        mine = "".join(token[0] for token in self.given)
        theirs = "".join(token[0] for token in other.given)
        return bool(theirs) and theirs.startswith(mine)


@dataclass(frozen=True)
class _Person:
    """Someone named in the context: a known player, or a full name the matcher has not seen."""

    label: str
    player: KnownPlayer | None
    forms: tuple[_Form, ...]


def _form(text: str) -> _Form:
    key = name_key(text)
    if not any(ch.isalpha() for ch in key) or len(text) > MAX_NAME_LENGTH:
        raise UnknownNameError(f"not a player name: {text[:40]!r}", text)
    tokens = key.split()
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1] in _PARTICLES:
        start -= 1
    return _Form(key, tuple(tokens[:start]), " ".join(tokens[start:]))


def _spellings(player: KnownPlayer) -> list[_Form]:
    forms = []
    for text in (player.name, *player.aliases):
        try:
            forms.append(_form(text))
        except UnknownNameError:
            continue  # an alias with no letters can never be matched; skip it, keep the player
    return forms


def _surname_score(mention: _Form, form: _Form) -> float:
    if mention.given and not mention.initials_fit(form):
        return 0.0
    return fuzz.ratio(mention.surname, form.surname)


def new_player_id(name: str, taken: Callable[[str], bool]) -> str:
    """The slug of `name`, suffixed `-2`, `-3`, … until `taken` says it is free."""
    base = slugify(_form(name).key)
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(candidate for candidate in candidates if not taken(candidate))


class PlayerMatcher:
    """Resolves mentions against an in-memory set of known players (see the module docstring)."""

    def __init__(self, known: Iterable[KnownPlayer] = ()) -> None:
        self._players: dict[str, KnownPlayer] = {}
        self._forms: dict[str, list[_Form]] = {}
        self._by_key: dict[str, set[str]] = {}
        self._keys: list[str] = []
        self._key_owners: list[str] = []
        self._surnames = SurnameIndex()
        self._blocks = SpellingBlocks()  # finds the indexes into _keys near a mention
        for player in known:
            self.add(player)

    def add(self, player: KnownPlayer) -> None:
        """Make `player` (or new aliases of a player already added) matchable."""
        self._players[player.id] = player
        for form in _spellings(player):
            self._forms.setdefault(player.id, []).append(form)
            self._by_key.setdefault(form.key, set()).add(player.id)
            self._blocks.add(form.key, len(self._keys))
            self._keys.append(form.key)
            self._key_owners.append(player.id)
            self._surnames.add(form.surname, player.id)

    def match(self, name: str, context: Sequence[str] = ()) -> PlayerMatch:
        """Resolve `name`; `context` holds the other player names of the same article or batch."""
        mention = _form(name)
        exact = self._exact(mention.key)
        if exact is not None:
            return exact
        if mention.is_full:
            return self._fuzzy(mention)
        return self._short(mention, context)

    def _exact(self, key: str) -> PlayerMatch | None:
        owners = self._by_key.get(key, set())
        players = tuple(self._players[pid] for pid in sorted(owners))
        if len(players) == 1:
            return PlayerMatch("exact", players[0], 100.0)
        if players:
            return PlayerMatch("ambiguous", None, 100.0, players)
        return None

    def _fuzzy(self, mention: _Form) -> PlayerMatch:
        cutoff = FUZZY_THRESHOLD - FUZZY_MARGIN
        candidates = self._candidates(mention)
        found = process.extract(
            mention.key,
            [self._keys[i] for i in candidates],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            limit=None,
        )
        owners = (self._key_owners[candidates[j]] for _, _, j in found)
        ranked = self._best_per_player(zip(owners, (score for _, score, _ in found), strict=True))
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            return PlayerMatch("new", None, ranked[0][1] if ranked else 0.0)
        best, score = ranked[0]
        rivals = tuple(p for p, s in ranked[1:] if score - s < FUZZY_MARGIN)
        if rivals:
            return PlayerMatch("ambiguous", None, score, (best, *rivals))
        return PlayerMatch("fuzzy", best, score)

    def _candidates(self, mention: _Form) -> list[int]:
        """Indexes of the spellings sharing a block with `mention`, in insertion order.

        Scoring every known spelling made each new name cost O(players), so a file introducing
        many players was quadratic; `player_blocks` says which spellings a block is sure to hold.
        """
        return self._blocks.candidates(mention.key)

    def _short(self, mention: _Form, context: Sequence[str]) -> PlayerMatch:
        hits = self._context_hits(mention, context)
        if len(hits) == 1:
            person, score = hits[0]
            return PlayerMatch("surname", person.player, score, (), person.label)
        if hits:
            known = tuple(p.player for p, _ in hits if p.player is not None)
            return PlayerMatch("ambiguous", None, hits[0][1], known)
        suggestions = self._surname_suggestions(mention)
        exact = [p for p in suggestions if self._surname_fit(mention, p) == 100.0]
        if mention.has_initials and len(exact) == 1:
            return PlayerMatch("surname", exact[0], 100.0)
        best = self._surname_fit(mention, suggestions[0]) if suggestions else 0.0
        return PlayerMatch("ambiguous", None, best, suggestions)

    def _context_hits(self, mention: _Form, context: Sequence[str]) -> list[tuple[_Person, float]]:
        scored = [(p, self._person_fit(mention, p)) for p in self._people(mention, context)]
        exact = [(p, s) for p, s in scored if s == 100.0]
        loose = [(p, s) for p, s in scored if s >= CONTEXT_SURNAME_THRESHOLD]
        return exact or sorted(loose, key=lambda hit: -hit[1])

    def _people(self, mention: _Form, context: Sequence[str]) -> list[_Person]:
        people: dict[str, _Person] = {}
        for text in context:
            try:
                other = _form(text)
            except UnknownNameError:
                continue  # context is best-effort; a junk name in it must not sink the mention
            if other.key == mention.key:
                continue
            resolved = self._exact(other.key) or (self._fuzzy(other) if other.is_full else None)
            if resolved is None:
                continue
            for player in (resolved.player,) if resolved.player else resolved.candidates:
                people[player.id] = _Person(text, player, tuple(self._forms[player.id]))
            if resolved.outcome == "new":
                people["\0" + other.key] = _Person(text, None, (other,))
        return list(people.values())

    def _person_fit(self, mention: _Form, person: _Person) -> float:
        return max((_surname_score(mention, form) for form in person.forms), default=0.0)

    def _surname_fit(self, mention: _Form, player: KnownPlayer) -> float:
        forms = self._forms.get(player.id, [])
        return max((_surname_score(mention, form) for form in forms), default=0.0)

    def _surname_suggestions(self, mention: _Form) -> tuple[KnownPlayer, ...]:
        players = (self._players[pid] for pid in sorted(self._surnames.near(mention.surname)))
        fits = [(p, self._surname_fit(mention, p)) for p in players]
        fits = [(p, s) for p, s in fits if s >= CONTEXT_SURNAME_THRESHOLD]
        fits.sort(key=lambda fit: (-fit[1], fit[0].name))
        return tuple(player for player, _ in fits[:_MAX_CANDIDATES])

    def _best_per_player(
        self, scored: Iterable[tuple[str, float]]
    ) -> list[tuple[KnownPlayer, float]]:
        best: dict[str, float] = {}
        for pid, score in scored:
            best[pid] = max(score, best.get(pid, score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [(self._players[pid], score) for pid, score in ranked]
