"""Names as a person types them, resolved to ids; ids shown back as display names."""

from __future__ import annotations

from ledger.connections import Connection
from ledger.entities.display_names import club_names_by_id, source_names_by_id
from ledger.entities.names import name_key
from ledger.errors import AmbiguousNameError, UnknownNameError

# The club registry, the player matcher and the source registry (rapidfuzz, alias indexes) are
# imported where a typed name needs them: showing a board by ids never does.


class PlayerNames:
    """Resolves typed player names against the players table, caching what it found."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str]] = {}
        self._guessed: set[str] = set()  # keys of typed names matched fuzzily or by surname

    def guessed(self, typed: str) -> bool:
        """Whether `typed` was resolved by a guess (a misspelling, a bare surname)."""
        return name_key(typed) in self._guessed

    def resolve(self, conn: Connection, typed: str) -> tuple[str, str]:
        """(player_id, canonical name) for a typed name or id; errors carry suggestions."""
        key = name_key(typed)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._lookup(conn, typed, key)
        return found

    def _lookup(self, conn: Connection, typed: str, key: str) -> tuple[str, str]:
        rows = conn.execute(
            "SELECT player_id, name FROM players WHERE name_key = %(k)s OR player_id = %(t)s",
            {"k": key, "t": typed.strip()},
        ).fetchall()
        if len(rows) == 1:
            return rows[0][0], rows[0][1]
        if len(rows) > 1:
            ids = [row[0] for row in rows]
            raise AmbiguousNameError(
                f"'{typed}' names several players: use one of the ids {', '.join(ids)}", typed, ids
            )
        found = self._fuzzy(conn, typed)
        self._guessed.add(key)
        return found

    def _fuzzy(self, conn: Connection, typed: str) -> tuple[str, str]:
        from rapidfuzz import process

        from ledger.entities.players import KnownPlayer, PlayerMatcher

        known = [
            KnownPlayer(id=r[0], name=r[1])
            for r in conn.execute("SELECT player_id, name FROM players")
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
    from ledger.entities.clubs import club_registry

    return club_registry().resolve(typed).id


def guess_club(typed: str) -> tuple[str, bool]:
    """(club id, guessed): a misspelt club with one close name is taken, as a player's would be."""
    from ledger.entities.clubs import club_registry

    registry = club_registry()
    try:
        return registry.resolve(typed).id, False
    except UnknownNameError:
        close = registry.close_match(typed)
        if close is None:
            raise
        return close.id, True


def club_name(club: str | None) -> str | None:
    return None if club is None else club_names_by_id().get(club, club)


def source_name(source: str) -> str:
    return source_names_by_id().get(source, source)
