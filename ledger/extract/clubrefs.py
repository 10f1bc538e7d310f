"""Every way an article refers to a club, resolved only where it is safe.

* names and newsroom forms from the club registry (`Tottenham`, `Spurs`, `PSG`);
* nicknames (`the Lilywhites`, `the Seagulls`) — only for a club the article also names;
* bare short forms (`United`, `Villa`) — only when exactly one named club carries that word;
* descriptions (`the capital club`, `the Spanish side`, `the La Liga champions`) — the one named
  club that fits, or the article's main club when several fit and it is one of them;
* a manager's team (`Postecoglou's side`) — the article's main club.

A name followed by a venue word (`Tottenham Hotspur Stadium`, `Villa Park`) is a ground, not a
club. Roles (buyer or seller) and the main club are decided in `ledger.extract.roles`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ledger.entities.clubs import Club, club_registry
from ledger.entities.names import name_key
from ledger.extract.entries import entry_of
from ledger.extract.lexicon import alternation, club_groups, grounds, words
from ledger.extract.people import PersonRef

How = Literal["name", "nickname", "short", "descriptor", "manager_side", "ground"]
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+(?P<what>(?:[A-Za-z0-9-]+\s+){0,3}?[A-Za-z0-9-]+)\s+(?P<noun>%s)\b(?!\s+[A-Z])"
)
# `the Bavarians`, `the Catalans`: a people stands for its club; a singular (`the Italian`,
# `the Spaniard`) is a person.
_STANDALONE = re.compile(r"\b[Tt]he\s+(?P<what>[A-Z][a-z]+)s\b")
_SIDE = re.compile(r"'s?\s+(?:side|men|team|charges|squad)\b")


@dataclass(frozen=True, slots=True)
class ClubRef:
    """One reference to a club; `how` says how it was recognised (and so how sure it is)."""

    start: int
    end: int
    club: Club
    how: How


def named_refs(body: str) -> tuple[list[ClubRef], list[tuple[int, int]]]:
    """Registry names, safe nicknames and short forms; also every span that was a club or ground."""
    registry = club_registry()
    plain = {(m.start, m.end) for m in registry.find_mentions(body)}
    mentions = registry.find_mentions(body, allow_nicknames=True)
    spans = [(m.start, m.end) for m in mentions]
    named = {m.club.id for m in mentions if (m.start, m.end) in plain and not _venue(body, m.end)}
    refs = []
    for m in mentions:
        how: How = "name" if (m.start, m.end) in plain else "nickname"
        if _venue(body, m.end) or _town(body, m.start, m.end, m.club):
            continue
        if how == "nickname" and m.club.id not in named:
            continue
        refs.append(ClubRef(m.start, m.end, m.club, how))
    clubs = {ref.club.id: ref.club for ref in refs if ref.how == "name"}
    refs.extend(_short_forms(body, spans, list(clubs.values())))
    for ref in _grounds(body):
        spans.append((ref.start, ref.end))
        if _DESTINATION.search(body, max(0, ref.start - 16), ref.start):
            refs.append(ref)
    return sorted(refs, key=lambda r: r.start), spans


# `a £9m switch to Portman Road`, `his medical at Stamford Bridge`: where a player is going, a
# ground stands for its club; elsewhere (`scored at Anfield`) it is only a place.
_DESTINATION = re.compile(
    r"\b(?:move|moving|switch|transfer|return|way|arrive[sd]?|arriving|arrival|medical|join|"
    r"joining|joined|heading|headed|bound|deal|due|fly|flew|travel|travelled|test|tests)"
    r"\s+(?:back\s+)?(?:to|at|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _grounds(body: str) -> list[ClubRef]:
    """Every stadium of `extract_grounds.csv` the text names, as a reference to its club."""
    table = grounds()
    registry = club_registry()
    return [
        ClubRef(m.start(), m.end(), registry.resolve(table[m.group()]), "ground")
        for m in _ground_pattern().finditer(body)
    ]


@cache
def _ground_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(frozenset(grounds()))})(?!\w)")


_IN_TOWN = re.compile(r"(?<!interest )(?<!interested )(?<!invest )(?<!invested )\b(?:in|at) $")


def _town(body: str, start: int, end: int, club: Club) -> bool:
    """`a medical on Thursday in Birmingham`: the town a club is named after, as a place."""
    written = body[start:end]
    return (
        " " not in written
        and len(written) < len(club.name)
        and _IN_TOWN.search(body, max(0, start - 12), start) is not None
    )


def _venue(body: str, end: int) -> bool:
    follows = re.match(r"\s+(\w+)", body[end : end + 20])
    return follows is not None and follows.group(1).casefold() in words("venue")


def _short_forms(body: str, taken: Sequence[tuple[int, int]], named: list[Club]) -> list[ClubRef]:
    pattern = re.compile(rf"\b(?:{alternation(words('short_club'))})\b", re.IGNORECASE)
    refs = []
    for match in pattern.finditer(body):
        if not match.group()[0].isupper() or _venue(body, match.end()):
            continue
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        owners = [c for c in named if match.group().casefold() in name_key(c.name).split()]
        if len(owners) == 1:
            refs.append(ClubRef(match.start(), match.end(), owners[0], "short"))
    return refs


def described_refs(
    body: str,
    named: Sequence[ClubRef],
    people: Sequence[PersonRef],
    main: Club | None,
    starts: tuple[Sequence[int], Sequence[int]] = ((0,), (0,)),
) -> list[ClubRef]:
    """References by description or by a manager's name, resolved against the named clubs
    (see `_fit`). `starts` are the offsets where the article's entries and its sentences begin."""
    clubs = list({ref.club.id: ref.club for ref in named if ref.how == "name"}.values())
    nouns = alternation(words("descriptor_noun"))
    found: list[ClubRef] = []
    for regex in (re.compile(_DESCRIPTION.pattern % nouns), _STANDALONE):
        for match in regex.finditer(body):
            recent = _recent_clubs(named, starts, match.start())
            club = _fit(match["what"], recent, clubs, main)
            if club is not None and not _overlaps(match.span(), named, found):
                found.append(ClubRef(match.start(), match.end(), club, "descriptor"))
    found.extend(_shared_nicknames(body, named, found, starts))
    for match in _TO_TOWN.finditer(body):
        group = club_groups().get(name_key(match["what"]))
        if group is None or not group.names or _overlaps(match.span("what"), named, found):
            continue
        recent = _recent_clubs(named, starts, match.start())
        if (club := _fit(match["what"], recent, clubs, main)) is not None:
            found.append(ClubRef(match.start("what"), match.end(), club, "descriptor"))
    for match in _JOINED_THE_CLUB.finditer(body):
        recent = _recent_clubs(named, starts, match.start())
        if recent and not _overlaps(match.span("what"), named, found):
            found.append(ClubRef(match.start("what"), match.end(), recent[0][0], "descriptor"))
    if main is not None:
        for person in people:
            if not person.eligible and _SIDE.match(body, person.end):
                found.append(ClubRef(person.start, person.end, main, "manager_side"))
    return found


# `moved to Berlin from Slavia Prague`, `will move to Florence on loan`: a town a player moves
# to stands for the one named club of that town (towns of `extract_club_groups.csv` with clubs).
_TO_TOWN = re.compile(
    r"\b(?:move|moved|moves|moving|switch|switched|transfer|transferred|join|joined|return|"
    r"returned|loaned|went|heading|headed|relocated?)\s+(?:back\s+)?to\s+(?P<what>[A-Z][a-z]+)\b"
)
# `Al-Ahli have signed X, and Y has joined the club from Chelsea`: the club a player joins is
# the first the latest sentence naming a club names (its subject, more often than not).
_JOINED_THE_CLUB = re.compile(
    r"\b(?:joined|joins|join|joining|signed for|sign for|moved to|move to|switch to|returned to|"
    r"return to)\s+(?P<what>the club)\b"
)
_NICKNAME = re.compile(r"\b[Tt]he\s+(?P<what>[A-Z][\w'-]+)")


def _shared_nicknames(
    body: str,
    named: Sequence[ClubRef],
    found: Sequence[ClubRef],
    starts: tuple[Sequence[int], Sequence[int]],
) -> list[ClubRef]:
    """`Chelsea … Benfica's teenager … negotiations with the Eagles`: a nickname several named
    clubs share (Benfica, Crystal Palace) is the one owner the latest sentence of the entry that
    names any owner names; two owners in that sentence leave it unresolved."""
    registry = club_registry()
    refs = []
    for match in _NICKNAME.finditer(body):
        what = match["what"]
        if _overlaps(match.span(), named, found) or registry.candidates(what):
            continue
        owners = {club.id for club in registry.candidates(what, allow_nicknames=True)}
        if len(owners) < 2:
            continue
        for sentence in _recent_clubs(named, starts, match.start()):
            fitting = {club.id: club for club in sentence if club.id in owners}
            if fitting:
                if len(fitting) == 1:
                    club = next(iter(fitting.values()))
                    refs.append(ClubRef(match.start("what"), match.end(), club, "nickname"))
                break
    return refs


def _recent_clubs(
    named: Sequence[ClubRef], starts: tuple[Sequence[int], Sequence[int]], at: int
) -> list[list[Club]]:
    """The clubs named in the current entry before `at`, sentence by sentence, the latest
    sentence first and each sentence's clubs in the order written."""
    entries, sentences = starts
    low = bisect.bisect_left(named, entry_of(entries, at), key=_start)
    high = bisect.bisect_left(named, at, key=_start)
    by_sentence: dict[int, list[Club]] = {}
    for ref in named[low:high]:
        by_sentence.setdefault(entry_of(sentences, ref.start), []).append(ref.club)
    return [by_sentence[key] for key in sorted(by_sentence, reverse=True)]


def _start(ref: ClubRef) -> int:
    return ref.start


def _fit(
    what: str, recent: Sequence[Sequence[Club]], clubs: Sequence[Club], main: Club | None
) -> Club | None:
    """The club a description (`Italian`, `north London`, `Dortmund`) means: in the latest
    sentence of the entry that names a club it fits, the main club if it is one of them, else
    the first (`Benfica signed him from Braga … the Portuguese club` is Benfica); else the one
    named club of the article it fits; else the main club if it fits."""
    fits = _fitting(name_key(what).split(), clubs)
    if fits is None:
        return None
    for sentence in recent:
        fitting = [club for club in sentence if club in fits]
        if fitting:
            return main if main in fitting else fitting[0]
    if len(fits) == 1:
        return fits[0]
    return main if main is not None and main in fits else None


def _fitting(tokens: list[str], clubs: Sequence[Club]) -> list[Club] | None:
    """The named clubs a description fits; None when it is no description of a club. A group
    of `extract_club_groups.csv` (country, league, city, region) decides; else words of the
    clubs' own names (`the Dortmund club`, `the Madrid side`)."""
    for skip in range(len(tokens)):
        words_left = " ".join(tokens[skip:])
        group = club_groups().get(words_left) or club_groups().get(words_left.removesuffix("s"))
        if group is not None:
            return [c for c in clubs if group.fits(c.name, c.country, c.league)]
    if ground := _ground_keys().get(" ".join(tokens)):
        return [ground]  # `the Ibrox club`, `the Easter Road side`
    by_name = [c for c in clubs if tokens and set(tokens) <= set(name_key(c.name).split())]
    return by_name or None


@cache
def _ground_keys() -> dict[str, Club]:
    """Folded ground name (`ibrox`, `easter road`) → the club that plays there."""
    registry = club_registry()
    return {name_key(ground): registry.resolve(club) for ground, club in grounds().items()}


def _overlaps(span: tuple[int, int], *groups: Sequence[ClubRef]) -> bool:
    return any(r.start < span[1] and span[0] < r.end for group in groups for r in group)


def coordinated_pairs(body: str, refs: Sequence[ClubRef]) -> list[tuple[int, Club, Club]]:
    """`Liverpool and Tottenham`: (position, first, second) for every pair joined by `and`."""
    pairs = []
    for left, right in itertools.pairwise(refs):
        if body[left.end : right.start] == " and " and left.club.id != right.club.id:
            pairs.append((left.start, left.club, right.club))
    return pairs
