"""Finding the people an article names, and telling transfer targets from everyone else.

Candidates are runs of capitalised words (`Ko Itakura`, `Micky van de Ven`) that are not club or
source names and not listed stop words (months, competitions, nationalities, headline words).
Runs of two or more words are full names; a single word (`Danso`, the typo `Ikatura`) counts only
when `PlayerMatcher` ties it to exactly one full name of the same article — nobody is invented.
Managers and officials (a listed name, a role word before the name, `X's side`, `under X`) are
people but never targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ledger.entities.names import name_key
from ledger.entities.players import KnownPlayer, PlayerMatcher
from ledger.errors import UnknownNameError
from ledger.extract.lexicon import alternation, non_player_surnames, non_players, words
from ledger.extract.namecontext import (
    is_place,
    is_reporter,
    is_title,
    judges_the_player,
    single_name_player,
)

_TOKEN = re.compile(r"[^\W\d_][\w'-]*")
_PLACE = re.compile(r"-(?:born|based|bred|raised|bound|year-old|style|like|esque)$", re.IGNORECASE)
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "di", "da", "dos", "das", "du", "del",
                        "della", "la", "le", "ter", "ten"})  # fmt: skip
_MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class PersonRef:
    """One mention of a person: `name` is the full name as the article (or registry) writes it."""

    start: int
    end: int
    name: str
    score: float  # 100 for a full name or exact surname; lower for a misspelt surname
    eligible: bool  # False for managers, officials and other non-targets
    modifier: bool  # `Okafor's compatriot Lukas Brenner`: the possessive one is not the subject


@dataclass(frozen=True, slots=True)
class _Run:
    start: int
    end: int
    tokens: tuple[str, ...]
    possessive: bool


def find_people(
    body: str,
    excluded: Sequence[tuple[int, int]],
    known: Iterable[KnownPlayer] = (),
    clubs: Sequence[tuple[int, int]] = (),
) -> list[PersonRef]:
    """Every person mention in `body`, left to right; `excluded` spans are clubs and sources,
    `clubs` the club references (a club beside a single word can make it a player)."""
    runs = [
        run
        for run in _runs(body, excluded)
        if len(run.tokens) <= _MAX_WORDS and not is_place(run.tokens) and not is_title(run.tokens)
    ]
    full = [run for run in runs if _is_full(run.tokens)]
    matcher = PlayerMatcher(known)
    names = _canonical_names(full, matcher)
    names.update(_single_names(body, runs, names, clubs))
    context = list(dict.fromkeys(names.values()))
    keyed = [(name_key(name), name) for name in context if " " in name]
    cache: dict[tuple[str, ...], tuple[str, float] | None] = {}

    def resolve(run: _Run) -> tuple[str, float] | None:
        if run.tokens not in cache:
            cache[run.tokens] = _resolve(run, names, matcher, (context, keyed))
        return cache[run.tokens]

    barred = _non_targets(body, runs, resolve, frozenset(end for _, end in clubs))
    people = []
    for run in runs:
        resolved = resolve(run)
        if resolved is None:
            continue
        name, score = resolved
        modifier = run.possessive and _followed_by_person(body, run.end, runs)
        eligible = name_key(name) not in barred
        people.append(PersonRef(run.start, run.end, name, score, eligible, modifier))
    return people


def _runs(body: str, excluded: Sequence[tuple[int, int]]) -> list[_Run]:
    taken = bytearray(len(body) + 1)
    for start, end in excluded:
        taken[start:end] = b"\x01" * (end - start)
    runs: list[_Run] = []
    current: list[re.Match[str]] = []
    for token in _TOKEN.finditer(body):
        namey = _namey(token, taken)
        if current and (not _joined(body, current[-1], token) or not (namey or _particle(token))):
            runs.extend(_close(current))
            current = []
        if namey or (_particle(token) and current):
            current.append(token)
        if current and current[-1].group().endswith(("'s", "'")):
            runs.extend(_close(current))
            current = []
    runs.extend(_close(current))
    return runs


def _namey(token: re.Match[str], taken: bytearray) -> bool:
    text = token.group()
    base = text.removesuffix("'s").removesuffix("'")
    if not base or not base[0].isupper() or _PLACE.search(base):
        return False
    if base.casefold() in words("stop"):
        return False
    return not any(taken[token.start() : token.end()])


def _particle(token: re.Match[str]) -> bool:
    return token.group() in _PARTICLES


def _joined(body: str, left: re.Match[str], right: re.Match[str]) -> bool:
    gap = body[left.end() : right.start()]
    return gap == " " or (gap == ". " and len(left.group()) == 1)


def _close(tokens: list[re.Match[str]]) -> list[_Run]:
    while tokens and tokens[-1].group().casefold() in _PARTICLES:
        tokens = tokens[:-1]
    # `Winger Noah Brinkhuis` opening a sentence: the position is not part of the name.
    while len(tokens) > 2 and tokens[0].group().casefold() in words("position"):
        tokens = tokens[1:]
    if not tokens:
        return []
    last = tokens[-1].group()
    possessive = last.endswith(("'s", "'"))
    words_ = tuple(t.group().removesuffix("'s").removesuffix("'") for t in tokens)
    end = tokens[-1].end() - (len(last) - len(words_[-1]))
    if len(words_) == 1 and len(words_[0]) == 1:
        return []
    return [_Run(tokens[0].start(), end, words_, possessive)]


def _is_full(tokens: tuple[str, ...]) -> bool:
    """A given name (not an initial) before the surname: `Sem de Vries`, not `De Vries`, `K Itakura`."""
    given = [t for t in tokens[:-1] if t.casefold() not in _PARTICLES]
    return any(len(t) > 1 for t in given) and tokens[0].casefold() not in _PARTICLES


def _canonical_names(full: list[_Run], matcher: PlayerMatcher) -> dict[str, str]:
    """Folded full name → the name to report: the registry's if known, else as first written."""
    names: dict[str, str] = {}
    for run in full:
        written = " ".join(run.tokens)
        key = name_key(written)
        if key in names:
            continue
        match = matcher.match(written)
        known = match.player is not None and match.outcome in ("exact", "fuzzy")
        names[key] = match.player.name if known and match.player else written
    return names


def _single_names(
    body: str, runs: list[_Run], names: dict[str, str], clubs: Sequence[tuple[int, int]]
) -> dict[str, str]:
    """Players the article knows by one word (`Jorginho`), from where the word is written."""
    parts = {part for key in names for part in key.split()}
    starts = frozenset(start for start, _ in clubs)
    ends = frozenset(end for _, end in clubs)
    found: dict[str, str] = {}
    for run in runs:
        if len(run.tokens) != 1:
            continue
        key = name_key(run.tokens[0])
        if (
            set(key.split()) <= parts
            or key in found
            or key in non_players()
            or key in non_player_surnames()
            # `Anderlecht's Ivorian midfielder X`: a nationality stands where a name could.
            or key in words("demonym")
        ):
            continue
        if single_name_player(body, run.start, run.end, starts, ends):
            found[key] = run.tokens[0]
    return found


Context = tuple[list[str], list[tuple[str, str]]]  # the article's names; (folded, name) pairs


def _resolve(
    run: _Run, names: dict[str, str], matcher: PlayerMatcher, context: Context
) -> tuple[str, float] | None:
    written = " ".join(run.tokens)
    key = name_key(written)
    if _is_full(run.tokens) or (len(run.tokens) == 1 and key in names):
        return names[key], 100.0
    # The surname of exactly one full name of the article (`Hudson-Odoi`, `Rice`), found by
    # folded suffix before asking the matcher, which also tries misspellings but costs more.
    owners = [name for folded, name in context[1] if folded.endswith(" " + key)]
    if len(owners) == 1:
        return owners[0], 100.0
    try:
        match = matcher.match(written, context[0])
    except UnknownNameError:
        return _by_given_name(key, context[1])
    if match.outcome not in ("exact", "surname"):
        return _by_given_name(key, context[1])
    if match.player is not None:
        return match.player.name, match.score
    return (match.via, match.score) if match.via else None


def _by_given_name(key: str, keyed: list[tuple[str, str]]) -> tuple[str, float] | None:
    """`"Elias is not for sale," Kehl said`: quotes call a player by his given name; it counts
    when exactly one full name of the article starts with it."""
    owners = [name for folded, name in keyed if folded.split()[0] == key]
    return (owners[0], 90.0) if len(owners) == 1 else None


def _followed_by_person(body: str, end: int, runs: list[_Run]) -> bool:
    nearby = body[end : end + 40]
    head = re.match(r"'s?\s+(?:[a-z][\w-]*\s+){1,2}", nearby)
    return head is not None and any(run.start == end + head.end() for run in runs)


_CAME_FROM = re.compile(
    r"\b(?:joined|signed|moved|arrived|switched|transferred|joining|arriving)\b[^.]{0,30}?"
    r"\bfrom\s+$"
)
_A_YEAR_OR_FEE = re.compile(r"^(?:\s+(?:in|for|on|back|last|this)\b|[,.;])")


# `X's side`, `X's charges`: a manager's; `Gary Rowett's third signing`: a manager counts his
# signings (a player's own `signing` has no ordinal).
_MANAGERS_OWN = re.compile(
    r"^'s?\s+(?:side|men|team|squad|charges|outfit|"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|latest|last)"
    r"\s+(?:\w+\s+)?signing)\b"
)


def _non_targets(
    body: str,
    runs: list[_Run],
    resolve: Callable[[_Run], tuple[str, float] | None],
    club_ends: frozenset[int],
) -> frozenset[str]:
    """Folded names of the people this article shows are not players (or are listed as such)."""
    resolved_names = [r[0] for r in map(resolve, runs) if r is not None]
    barred = {key for key in map(name_key, resolved_names) if key in non_players()}
    role = alternation(words("role"))
    before = re.compile(rf"\b(?:{role})\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
    for run in runs:
        resolved = resolve(run)
        if resolved is None:
            continue
        ahead = body[max(0, run.start - 40) : run.start]
        behind = body[run.end : run.end + 20]
        under = re.search(r"\b(?:under|(?:coached|managed|led|run)\s+by)\s+$", ahead)
        reporter = is_reporter(body, run.start, run.end)
        # `joined Monaco from ASEC Mimosas in 2021`: where a player came from is a club the
        # registry does not know, not a person.
        origin = _CAME_FROM.search(ahead) and _A_YEAR_OR_FEE.match(behind)
        judge = judges_the_player(body, run.end)
        # `Internacional of Porto Alegre`, `Nacional of Montevideo`: a club's town.
        town = body[run.start - 4 : run.start] == " of " and (run.start - 4) in club_ends
        if (
            before.search(ahead)
            or _MANAGERS_OWN.search(behind)
            or under
            or reporter
            or origin
            or judge
            or town
        ):
            barred.add(name_key(resolved[0]))
    return frozenset(barred)
