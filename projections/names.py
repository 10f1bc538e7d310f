"""Names as a person types them, resolved to ids; ids shown back as display names."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from rapidfuzz import process

from ledger.clubs import club_registry
from ledger.errors import AmbiguousNameError, NameResolutionError, UnknownNameError
from ledger.names import name_key
from ledger.players import KnownPlayer, PlayerMatcher
from ledger.sources import source_registry


class PlayerNames:
    """Resolves typed player names against the players table, caching what it found."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str]] = {}

    def resolve(self, conn: sa.Connection, typed: str) -> tuple[str, str]:
        """(player_id, canonical name) for a typed name or id; errors carry suggestions."""
        key = name_key(typed)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._lookup(conn, typed, key)
        return found

    def _lookup(self, conn: sa.Connection, typed: str, key: str) -> tuple[str, str]:
        rows = conn.execute(
            sa.text("SELECT player_id, name FROM players WHERE name_key = :k OR player_id = :t"),
            {"k": key, "t": typed.strip()},
        ).all()
        if len(rows) == 1:
            return rows[0][0], rows[0][1]
        if len(rows) > 1:
            ids = [row[0] for row in rows]
            raise AmbiguousNameError(
                f"'{typed}' names several players: use one of the ids {', '.join(ids)}", typed, ids
            )
        return self._fuzzy(conn, typed)

    def _fuzzy(self, conn: sa.Connection, typed: str) -> tuple[str, str]:
        known = [
            KnownPlayer(id=r[0], name=r[1])
            for r in conn.execute(sa.text("SELECT player_id, name FROM players"))
        ]
        # Every stored name is context: a bare surname resolves when one player carries it.
        match = PlayerMatcher(known).match(typed, [player.name for player in known])
        if match.player is not None and match.outcome in {"exact", "fuzzy", "surname"}:
            return match.player.id, match.player.name
        names = [player.name for player in known]
        suggestions = [hit[0] for hit in process.extract(typed, names, limit=5, score_cutoff=60)]
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UnknownNameError(
            f"no player called '{typed}' in the ledger{hint}", typed, suggestions
        )


def club_id(typed: str) -> str:
    return club_registry().resolve(typed).id


@cache
def club_name(club: str | None) -> str | None:
    if club is None:
        return None
    try:
        return club_registry().get(club).name
    except NameResolutionError:
        return club


@cache
def _source_names() -> dict[str, str]:
    return {source.id: source.name for source in source_registry().all()}


def source_name(source: str) -> str:
    return _source_names().get(source, source)
