"""SQL of the boards: point lookups on the bitemporal version tables.

Every query takes `as_of` (a date: rows with valid_from <= as_of) and `known` (a ledger position:
rows with known_from <= known < known_to). "The latest row per pursuit" is a DISTINCT ON over
an index that starts with the player (or club), so the cost depends on one player's history,
never on the size of the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

VISIBLE = (
    "valid_from <= :as_of AND known_from <= :known AND (known_to IS NULL OR known_to > :known)"
)
_PURSUIT_FIELDS = (
    "player_id, club_id, status, since, first_reported, last_reported, claims, sources, "
    "latest_fee, bids, re_emerged, contested, from_club_id, deal"
)

PLAYER_PURSUITS = sa.text(
    f"SELECT DISTINCT ON (club_id) {_PURSUIT_FIELDS} FROM pursuit_versions "
    f"WHERE player_id = :player AND {VISIBLE} ORDER BY club_id, valid_from DESC"
)
PLAYER_FACTS = sa.text(
    "SELECT current_club_id, release_clause, release_clause_on, asking_price, asking_price_on "
    f"FROM player_versions WHERE player_id = :player AND {VISIBLE} "
    "ORDER BY valid_from DESC LIMIT 1"
)
CLUB_TARGETS = sa.text(
    f"SELECT DISTINCT ON (player_id) {_PURSUIT_FIELDS} FROM pursuit_versions "
    f"WHERE club_id = :club AND {VISIBLE} ORDER BY player_id, valid_from DESC"
)
CLUB_PLAYERS = sa.text(
    "SELECT player_id FROM ("
    "  SELECT DISTINCT ON (player_id) player_id, current_club_id FROM player_versions"
    "  WHERE player_id IN (SELECT player_id FROM player_versions WHERE current_club_id = :club)"
    f"  AND {VISIBLE} ORDER BY player_id, valid_from DESC"
    ") latest WHERE current_club_id = :club"
)
PLAYERS_PURSUITS = sa.text(
    f"SELECT DISTINCT ON (player_id, club_id) {_PURSUIT_FIELDS} FROM pursuit_versions "
    f"WHERE player_id = ANY(:players) AND {VISIBLE} ORDER BY player_id, club_id, valid_from DESC"
)
SOURCE_SCORES = sa.text(
    "WITH retracted AS ("
    "  SELECT (payload->>'retracts')::uuid AS event_id FROM events"
    "  WHERE kind = 'retraction' AND position <= :known"
    "), claims AS ("
    "  SELECT source_id, player_id, club_id FROM events e"
    "  WHERE source_id IS NOT NULL AND kind <> 'retraction' AND reported_on <= :as_of"
    "  AND position <= :known AND e.event_id NOT IN (SELECT event_id FROM retracted)"
    "), statuses AS ("
    "  SELECT DISTINCT ON (player_id, club_id) player_id, club_id, status FROM pursuit_versions"
    f"  WHERE {VISIBLE} ORDER BY player_id, club_id, valid_from DESC"
    "), pursuits AS ("
    "  SELECT DISTINCT c.source_id, c.player_id, c.club_id, s.status FROM claims c"
    "  JOIN statuses s USING (player_id, club_id)"
    ") "
    "SELECT c.source_id, count(*) AS claims,"
    " (SELECT count(*) FROM pursuits p WHERE p.source_id = c.source_id) AS pursuits,"
    " (SELECT count(*) FROM pursuits p WHERE p.source_id = c.source_id"
    "   AND p.status = 'deal done') AS deal_done,"
    " (SELECT count(*) FROM pursuits p WHERE p.source_id = c.source_id"
    "   AND p.status = 'lost out') AS lost_out,"
    " (SELECT count(*) FROM pursuits p WHERE p.source_id = c.source_id"
    "   AND p.status = ANY(:open)) AS still_open "
    "FROM claims c GROUP BY c.source_id ORDER BY claims DESC, c.source_id"
)


def rows(
    conn: sa.Connection, query: sa.TextClause, as_of: date, known: int, **params: Any
) -> Sequence[sa.Row[Any]]:
    return conn.execute(query, {"as_of": as_of, "known": known, **params}).all()
