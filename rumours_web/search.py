"""Suggestions while a name is typed: players in the ledger and clubs in the reference list.

Players are matched against the `players` table (which the reader role may read), clubs through
the club registry's own suggestions, so a search finds what `rumours status` and `rumours club`
would resolve. The player list is kept for a few seconds: a search box asks on every keystroke.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz, process

from ledger.database import translated_errors
from ledger.entities.clubs import club_registry
from ledger.entities.names import name_key

PLAYER_LIST_SECONDS = 5.0
SCORE_CUTOFF = 60
CLUB_PARTIAL_CUTOFF = 90


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # "player" or "club"
    name: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name}


class NameSearch:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._players: dict[str, str] = {}  # folded name -> display name
        self._loaded_at = float("-inf")

    def suggest(self, typed: str, limit: int = 8) -> list[Suggestion]:
        key = name_key(typed)
        if not key:
            return []
        players = self._player_names()
        # Names that start with what was typed come first; then close spellings.
        starting = [name for folded, name in players.items() if folded.startswith(key)]
        close = process.extract(key, players, scorer=fuzz.WRatio, limit=limit,
                                score_cutoff=SCORE_CUTOFF)  # fmt: skip
        found = dict.fromkeys([*sorted(starting)[:limit], *(match[0] for match in close)])
        hits = [Suggestion("player", name) for name in list(found)[:limit]]
        return hits + [Suggestion("club", name) for name in _clubs(typed, key, limit - len(hits))]

    def _player_names(self) -> dict[str, str]:
        with self._lock:
            if time.monotonic() - self._loaded_at > PLAYER_LIST_SECONDS:
                with translated_errors(self._engine.url), self._engine.connect() as conn:
                    rows = conn.execute(sa.text("SELECT name FROM players")).scalars().all()
                self._players = {name_key(name): name for name in rows}
                self._loaded_at = time.monotonic()
            return self._players


def _clubs(typed: str, key: str, limit: int) -> list[str]:
    """Clubs the name resolves to exactly (aliases too: Spurs), then close spellings that hold
    what was typed nearly verbatim; the reference list is long, and looser matches are noise."""
    registry = club_registry()
    exact = [club.name for club in registry.candidates(typed)]
    close = [name for name in registry.suggest(typed, limit=max(1, limit))
             if fuzz.partial_ratio(key, name_key(name)) >= CLUB_PARTIAL_CUTOFF]  # fmt: skip
    return list(dict.fromkeys(exact + close))[: max(0, limit)]
