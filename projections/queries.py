"""SQL of the boards: point lookups on the bitemporal version tables.

Plain text with psycopg's `%(name)s` parameters, run on a bare psycopg connection (`rows`): a
warm board read imports no SQLAlchemy. Code on a SQLAlchemy connection runs them with
`exec_driver_sql`, which hands them to psycopg as they are.

Every board query takes `as_of` (a date: rows with valid_from <= as_of) and a ledger position
`known` (rows with known_from <= known < known_to). "The latest row per pursuit" is a DISTINCT ON
over an index that starts with the player (or club), so the cost depends on one player's
history, never on the size of the ledger.

The player and club boards are mostly round trips, so each is one statement that also reads its
own time point (TIME_POINT): the checkpoint, the head, and the position it read at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from psycopg.rows import namedtuple_row

from ledger.connections import Connection


def _visible(known: str) -> str:
    """The rows visible at position `known` (a bind, or a column of the time point)."""
    return (
        f"valid_from <= %(as_of)s AND known_from <= {known} "
        f"AND (known_to IS NULL OR known_to > {known})"
    )


CHECKPOINT = "boards"  # the name of the boards' row in projection_checkpoints
VISIBLE = _visible("%(known)s")
_PURSUIT_FIELDS = (
    "player_id, club_id, status, since, first_reported, last_reported, claims, sources, "
    "latest_fee, bids, re_emerged, contested, from_club_id, deal, since_precision"
)


def _player_pursuits(known: str) -> str:
    return (
        f"SELECT DISTINCT ON (club_id) {_PURSUIT_FIELDS} FROM pursuit_versions "
        f"WHERE player_id = %(player)s AND {_visible(known)} ORDER BY club_id, valid_from DESC"
    )


def _player_facts(known: str) -> str:
    return (
        "SELECT current_club_id, release_clause, release_clause_on, asking_price, "
        f"asking_price_on FROM player_versions WHERE player_id = %(player)s AND {_visible(known)} "
        "ORDER BY valid_from DESC LIMIT 1"
    )


def _club_targets(known: str) -> str:
    return (
        f"SELECT DISTINCT ON (player_id) {_PURSUIT_FIELDS} FROM pursuit_versions "
        f"WHERE club_id = %(club)s AND {_visible(known)} ORDER BY player_id, valid_from DESC"
    )


def _club_wanted(known: str) -> str:
    """Every pursuit whose selling club, as of the board's date, is the board's club.

    The seller is the pursuit's own latest stated `from_club`, so a completed move away (Danso
    from Lens to Tottenham) stays on the selling club's board; a pursuit that never named a
    seller falls back to the player's club at that date.
    """
    candidates = (
        "SELECT player_id FROM pursuit_versions WHERE from_club_id = %(club)s"
        " UNION SELECT player_id FROM player_versions WHERE current_club_id = %(club)s"
    )
    club_then = (
        "(SELECT current_club_id FROM player_versions f WHERE f.player_id = latest.player_id"
        f" AND {_visible(known)} ORDER BY valid_from DESC LIMIT 1)"
    )
    return (
        f"SELECT * FROM (SELECT DISTINCT ON (player_id, club_id) {_PURSUIT_FIELDS}"
        f" FROM pursuit_versions WHERE player_id IN ({candidates}) AND {_visible(known)}"
        " ORDER BY player_id, club_id, valid_from DESC) AS latest"
        f" WHERE coalesce(from_club_id, {club_then}) = %(club)s"
    )


# The lookups on their own, at the position `known`. The benchmarks time the player's two as the
# floor of a board; the tests check the boards below against them.
PLAYER_PURSUITS = _player_pursuits("%(known)s")
PLAYER_FACTS = _player_facts("%(known)s")
CLUB_TARGETS = _club_targets("%(known)s")
CLUB_WANTED = _club_wanted("%(known)s")

# The projection's checkpoint and the ledger's head (what `projections.runner.read_checkpoint` and
# `ledger.store.head_position` read), and `known`, the position to read the boards at: the
# checkpoint, or the `known` given when that is lower (a known-at moment, or where a catch-up got
# to). LEAST ignores NULL, so a NULL `known` means the checkpoint.
_TIME_POINT = (
    "SELECT checkpoint, head, least(checkpoint, CAST(%(known)s AS bigint)) AS known FROM ("
    "  SELECT coalesce(c.position, 0) AS checkpoint, h.last_position AS head"
    "  FROM ledger_head AS h LEFT JOIN projection_checkpoints AS c ON c.name = %(checkpoint)s"
    "  WHERE h.id = 1"
    ") AS ledger"
)
TIME_POINT = _TIME_POINT

# The boards. MATERIALIZED keeps the time point a one-row anchor that every lookup takes `known`
# from, instead of letting the planner fold its two tables into each lookup's joins.
#
# The player board: one row per pursuit, each carrying the time point and the player's facts (at
# most one row). With no pursuit there is still one row, whose pursuit columns are NULL.
PLAYER_BOARD = (
    f"WITH at AS MATERIALIZED ({_TIME_POINT}) SELECT at.*, facts.*, pursuits.* FROM at"
    f" LEFT JOIN LATERAL ({_player_facts('at.known')}) AS facts ON true"
    f" LEFT JOIN LATERAL ({_player_pursuits('at.known')}) AS pursuits ON true"
)
# A club's targets (`target` true) and the pursuits of the players it holds (`target` false),
# each with the time point and the player's name (the id if the player has no `players` row).
# With neither there is still one row, whose pursuit columns are NULL.
CLUB_BOARD = (
    f"WITH at AS MATERIALIZED ({_TIME_POINT}) SELECT at.*, board.*,"
    "  coalesce((SELECT name FROM players p WHERE p.player_id = board.player_id), board.player_id)"
    "  AS player_name"
    " FROM at LEFT JOIN LATERAL ("
    f"  SELECT true AS target, * FROM ({_club_targets('at.known')}) AS targets"
    f"  UNION ALL SELECT false, * FROM ({_club_wanted('at.known')}) AS wanted"
    ") AS board ON true"
)
# Scans the ledger up to `known`: this board reads its time point first, with TIME_POINT.
SOURCE_SCORES = (
    "WITH retracted AS ("
    "  SELECT (payload->>'retracts')::uuid AS event_id FROM events"
    "  WHERE kind = 'retraction' AND position <= %(known)s"
    "), claims AS ("
    # One claim per FoldClaim.identity (docs/design.md): a fact restated by another route is
    # not counted twice. Background facts are not the source's predictions: they are left out.
    "  SELECT DISTINCT source_id, player_id, club_id, kind, from_club_id, reported_on,"
    "  effective_on, payload->'fee'->>'amount', payload->'fee'->>'currency',"
    "  payload->'fee'->>'add_ons', payload->>'deal', payload->>'renewed' FROM events e"
    "  WHERE source_id IS NOT NULL AND kind <> 'retraction' AND reported_on <= %(as_of)s"
    "  AND position <= %(known)s AND e.event_id NOT IN (SELECT event_id FROM retracted)"
    "  AND NOT coalesce((payload->>'background')::boolean, false)"
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
    "   AND p.status = ANY(%(open)s)) AS still_open "
    "FROM claims c GROUP BY c.source_id ORDER BY claims DESC, c.source_id"
)


# A row of these statements: a named tuple, read by column name (`row.club_id`).
Row = Any


def rows(
    conn: Connection, query: str, as_of: date, known: int | None, **params: Any
) -> Sequence[Row]:
    """All rows of `query`; `known` None means "at the checkpoint" (statements with TIME_POINT)."""
    with conn.cursor(row_factory=namedtuple_row) as cursor:
        cursor.execute(query, {"as_of": as_of, "known": known, **params})
        return cursor.fetchall()
