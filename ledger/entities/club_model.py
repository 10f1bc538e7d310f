"""Club value types and the rule that picks one club when a name fits several.

The preference rule (documented in docs/club-data.md), applied to the clubs a name fits:

1. Context first: a ``country`` (code, e.g. ``ENG``) or ``league`` (e.g. ``Ligue 1``) keeps only
   the clubs that match it. Context that matches none of them is ignored, so it acts as a hint.
2. A club whose own display name is the text wins (``Everton`` is Everton, not a namesake).
3. The bigger league wins: the lowest ``league_rank`` (1 top division, 2 second, …,
   9 league not recorded, 10 defunct club).
4. Between clubs of recorded leagues with the same rank, ``COUNTRY_ORDER`` decides.
5. Anything still tied is ambiguous: ``AmbiguousNameError`` lists the candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ledger.entities.names import name_key
from ledger.errors import AmbiguousNameError

UNRECORDED_RANK = 9
DEFUNCT_RANK = 10
# Leagues by size, roughly the UEFA ranking; Welsh and Monegasque clubs sit next to the league
# they play in. Countries not listed never win a tie: two namesakes there are reported ambiguous.
COUNTRY_ORDER: tuple[str, ...] = (
    "ENG", "WAL", "ES", "DE", "IT", "FR", "MC", "PT", "NL", "BE", "SCO", "TR",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Club:
    """A canonical club. ``league`` is None when the reference data does not record it."""

    id: str
    name: str
    country: str
    league: str | None
    league_rank: int


@dataclass(frozen=True, slots=True)
class ClubMention:
    """A club named in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    club: Club


def choose(
    candidates: Sequence[Club], name: str, *, country: str | None = None, league: str | None = None
) -> Club:
    """Apply the preference rule of this module to the clubs ``name`` fits."""
    pool = narrow(candidates, country=country, league=league)
    if len(pool) == 1:
        return pool[0]
    key = name_key(name)
    own = [club for club in pool if name_key(club.name) == key]
    if len(own) == 1:
        return own[0]
    best = min(club.league_rank for club in pool)
    top = [club for club in pool if club.league_rank == best]
    if len(top) == 1:
        return top[0]
    if best < UNRECORDED_RANK:
        first = min(_country_position(club) for club in top)
        leaders = [club for club in top if _country_position(club) == first]
        if first < len(COUNTRY_ORDER) and len(leaders) == 1:
            return leaders[0]
    raise ambiguous(name, pool)


def narrow(
    candidates: Sequence[Club], *, country: str | None = None, league: str | None = None
) -> list[Club]:
    """The candidates that fit the context, or all of them when none does."""
    pool = list(candidates)
    if country:
        wanted = country.strip().casefold()
        pool = [club for club in pool if club.country.casefold() == wanted] or pool
    if league:
        wanted = name_key(league)
        pool = [club for club in pool if club.league and name_key(club.league) == wanted] or pool
    return pool


def by_preference(clubs: Sequence[Club]) -> list[Club]:
    """Clubs ordered as the rule would rank them: league rank, country order, then name."""
    return sorted(clubs, key=preference_key)


def preference_key(club: Club) -> tuple[int, int, str]:
    """Sort key of ``by_preference``."""
    return (club.league_rank, _country_position(club), club.name)


def ambiguous(name: str, clubs: Sequence[Club]) -> AmbiguousNameError:
    """The error for a name that several clubs fit; candidates are display names."""
    names = [club.name for club in by_preference(clubs)]
    shown = ", ".join(f"{club.name} ({club.country})" for club in by_preference(clubs))
    return AmbiguousNameError(
        f"club name {name!r} is ambiguous: {shown}; give the country or league", name, names
    )


def _country_position(club: Club) -> int:
    try:
        return COUNTRY_ORDER.index(club.country)
    except ValueError:
        return len(COUNTRY_ORDER)
