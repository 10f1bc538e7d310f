"""Which pursuits changed status between two ledger positions (the live feed's one query).

The boards answer "what is true at one time point"; the feed needs "what moved between two",
so this reads the projection's bitemporal rows directly: the pursuits with a row opened in
(after, until], each pursuit's latest status as known at `until` and as known at `after`, and
only those where the two differ (a new pursuit differs from nothing). Only projection tables and
`players` are read, so the reader role may run it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ledger.database import translated_errors
from projections.name_lookup import club_name


def _latest_status(known: str) -> str:
    return (
        "SELECT status, since FROM pursuit_versions v WHERE v.player_id = t.player_id"
        f" AND v.club_id = t.club_id AND v.known_from <= {known}"
        f" AND (v.known_to IS NULL OR v.known_to > {known}) ORDER BY v.valid_from DESC LIMIT 1"
    )


STATUS_CHANGES = sa.text(
    "WITH touched AS (SELECT DISTINCT player_id, club_id FROM pursuit_versions"
    "  WHERE known_from > :after AND known_from <= :until)"
    " SELECT t.player_id, t.club_id, coalesce(p.name, t.player_id) AS player_name,"
    "  now_.status, now_.since, before.status AS previous"
    " FROM touched t LEFT JOIN players p USING (player_id)"
    f" JOIN LATERAL ({_latest_status(':until')}) now_ ON true"
    f" LEFT JOIN LATERAL ({_latest_status(':after')}) before ON true"
    " WHERE before.status IS DISTINCT FROM now_.status"
    " ORDER BY player_name, t.club_id"
)


@dataclass(frozen=True, slots=True)
class StatusChange:
    position: int  # the ledger position the new status is known from (at the latest)
    player: str
    club: str
    status: str
    previous: str | None  # None: a pursuit the ledger had not seen before
    since: date

    def as_json_text(self) -> str:
        return json.dumps(
            {
                "position": self.position,
                "player": self.player,
                "club": self.club,
                "status": self.status,
                "previous": self.previous,
                "since": self.since.isoformat(),
            },
            ensure_ascii=False,
        )


def status_changes(engine: sa.Engine, *, after: int, until: int) -> list[StatusChange]:
    with translated_errors(engine.url), engine.connect() as conn:
        rows = conn.execute(STATUS_CHANGES, {"after": after, "until": until}).all()
    return [
        StatusChange(
            until,
            row.player_name,
            club_name(row.club_id) or row.club_id,
            row.status,
            row.previous,
            row.since,
        )
        for row in rows
    ]
