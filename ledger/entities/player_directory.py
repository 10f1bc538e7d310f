"""Players as stored in PostgreSQL, matched through `ledger.entities.players.PlayerMatcher`.

Players are created on first mention. A directory loads the known players once, answers
repeated names from a cache (a bulk file names the same players thousands of times), and keeps
players it created but has not stored yet until `store_new` writes them in the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ledger.entities.names import name_key
from ledger.entities.players import KnownPlayer, PlayerMatcher, new_player_id
from ledger.errors import AmbiguousNameError, UnknownNameError


@dataclass(frozen=True, slots=True)
class ResolvedPlayer:
    id: str
    name: str
    created: bool


class PlayerDirectory:
    def __init__(self, known: Sequence[KnownPlayer]) -> None:
        self._matcher = PlayerMatcher(known)
        self._ids = {player.id for player in known}
        self._cache: dict[tuple[str, tuple[str, ...]], ResolvedPlayer] = {}
        self._unstored: dict[str, KnownPlayer] = {}

    @classmethod
    def load(cls, conn: sa.Connection) -> PlayerDirectory:
        rows = conn.execute(sa.text("SELECT player_id, name FROM players"))
        return cls([KnownPlayer(id=row[0], name=row[1]) for row in rows])

    def resolve(self, name: str, context: Sequence[str] = ()) -> ResolvedPlayer:
        """The player a name means; a new one for an unknown full name; errors when unsure."""
        key = (name_key(name), tuple(context))
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._match(name, context)
        return cached

    def _match(self, name: str, context: Sequence[str]) -> ResolvedPlayer:
        match = self._matcher.match(name, context)
        if match.outcome == "surname" and match.player is None and match.via:
            # The surname points at a full name of this claim set not stored yet: create that.
            return self._match(match.via, ())
        if match.player is not None and match.outcome in {"exact", "fuzzy", "surname"}:
            return ResolvedPlayer(match.player.id, match.player.name, created=False)
        candidates = [candidate.name for candidate in match.candidates]
        if match.outcome == "ambiguous":
            if candidates:
                raise AmbiguousNameError(
                    f"'{name}' could be {', '.join(candidates[:5])}: give the full name",
                    name,
                    candidates,
                )
            raise UnknownNameError(
                f"'{name}' names no known player: give the player's full name", name
            )
        player = KnownPlayer(
            id=new_player_id(name, self._ids.__contains__), name=" ".join(name.split())
        )
        self._ids.add(player.id)
        self._unstored[player.id] = player
        self._matcher.add(player)
        return ResolvedPlayer(player.id, player.name, created=True)

    def store_new(self, conn: sa.Connection) -> int:
        """Insert players created since the last call; returns how many."""
        return store_players(conn, self.take_unstored())

    def take_unstored(self) -> list[KnownPlayer]:
        """The players created since the last call, no longer held here: the caller stores them
        (the bulk ingest stores them on another thread, with the batch naming them)."""
        players = list(self._unstored.values())
        self._unstored.clear()
        return players


def store_players(conn: sa.Connection, players: Sequence[KnownPlayer]) -> int:
    """Insert `players` in the caller's transaction (a repeat of a stored id is skipped)."""
    if not players:
        return 0
    conn.execute(
        sa.text(
            "INSERT INTO players (player_id, name, name_key) VALUES (:id, :name, :key) "
            "ON CONFLICT (player_id) DO NOTHING"
        ),
        [{"id": p.id, "name": p.name, "key": name_key(p.name)} for p in players],
    )
    return len(players)
