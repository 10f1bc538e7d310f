"""A club's deals out: players it sold, which its club board no longer lists once they have gone.

The club board's `wanted` follows the players a club holds *now* (as of the date), so a player
who has left appears under his new club. A sale is therefore read here, from the pursuits whose
selling club was this one and whose status is `deal done`, at the board's own time point
(the same `as_of` and ledger position), so the page shows one consistent moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ledger.database import translated_errors
from projections.boards import TimePoint
from projections.name_lookup import club_name
from projections.queries import VISIBLE

_FAR_FUTURE = date(9999, 12, 31)
# Plain text with psycopg's parameters, like the boards' own (`projections.queries`).
DEALS_OUT = (
    "SELECT latest.player_id, coalesce(p.name, latest.player_id) AS player_name,"
    " latest.club_id, latest.since, latest.latest_fee, latest.deal FROM ("
    "  SELECT DISTINCT ON (player_id, club_id) player_id, club_id, status, since, latest_fee,"
    "  deal FROM pursuit_versions WHERE from_club_id = %(club)s AND club_id <> %(club)s"
    f"  AND {VISIBLE} ORDER BY player_id, club_id, valid_from DESC"
    ") latest LEFT JOIN players p USING (player_id)"
    " WHERE latest.status = 'deal done' ORDER BY latest.since DESC, player_name"
)


@dataclass(frozen=True, slots=True)
class Sale:
    player: str
    to_club: str
    since: date
    fee: dict[str, str] | None
    deal: str | None


def deals_out(engine: sa.Engine, club_id: str, at: TimePoint) -> list[Sale]:
    params = {"club": club_id, "as_of": at.as_of or _FAR_FUTURE, "known": at.position}
    with translated_errors(engine.url), engine.connect() as conn:
        rows = conn.exec_driver_sql(DEALS_OUT, params).all()
    return [
        Sale(
            row.player_name,
            club_name(row.club_id) or row.club_id,
            row.since,
            row.latest_fee,
            row.deal,
        )
        for row in rows
    ]
