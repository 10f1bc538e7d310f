"""The incremental projector: applies new events from the checkpoint, one transaction a batch.

Each batch takes a transaction-level advisory lock (one projector at a time, others queue), reads
the checkpoint, folds the new events of every affected player, writes the row changes and the new
checkpoint in the same transaction. A projector killed at any instant leaves either the whole
batch or none of it, so it resumes exactly where the last commit left off.

Affected players are re-read from the ledger up to the checkpoint and a `PlayerTimeline` is
resumed from them first: its current rows are a pure function of the events, so this reproduces
exactly the rows the database holds as current, and the new events' changes apply on top.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ledger.copying import copy_rows
from ledger.logs import get_logger
from ledger.store import head_position
from projections.fold.timeline import FACTS, Change, PlayerTimeline, Retract, RowKey
from projections.fold.values import FoldClaim
from projections.inputs import player_events, stream_events
from projections.queries import CHECKPOINT
from projections.rows import FACTS_COLUMNS, PURSUIT_COLUMNS, row_of

log = get_logger(__name__)

PROJECTOR_LOCK = 0x50524F4A  # "PROJ"


@dataclass(frozen=True, slots=True)
class BatchResult:
    events: int
    position: int


def read_checkpoint(conn: sa.Connection) -> int:
    value = conn.execute(
        sa.text("SELECT position FROM projection_checkpoints WHERE name = :n"), {"n": CHECKPOINT}
    ).scalar()
    return int(value or 0)


def write_checkpoint(conn: sa.Connection, position: int) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO projection_checkpoints (name, position, updated_at) "
            "VALUES (:n, :p, now()) "
            "ON CONFLICT (name) DO UPDATE SET position = :p, updated_at = now()"
        ),
        {"n": CHECKPOINT, "p": position},
    )


def apply_batch(conn: sa.Connection, *, quiet_days: int, limit: int = 20_000) -> BatchResult:
    """Project up to `limit` new events in the caller's transaction."""
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PROJECTOR_LOCK})
    start = read_checkpoint(conn)
    until = min(head_position(conn), start + limit)
    if until <= start:
        return BatchResult(0, start)
    by_stream: dict[str, list[FoldClaim | Retract]] = defaultdict(list)
    for stream_id, event in player_events(conn, after=start, until=until):
        by_stream[stream_id].append(event)
    for stream_id, new_events in by_stream.items():
        timeline = PlayerTimeline.resumed(stream_events(conn, stream_id, until=start), quiet_days)
        player = stream_id.split(":", 1)[1]
        _write_changes(conn, player, [timeline.apply(event) for event in new_events])
    write_checkpoint(conn, until)
    return BatchResult(until - start, until)


@dataclass(slots=True)
class _TableWrites:
    """What one batch writes to one versions table: rows to COPY in, open rows to close."""

    table: str
    columns: tuple[str, ...]
    close: sa.TextClause
    inserts: list[list[Any]] = field(default_factory=list)
    closes: list[dict[str, Any]] = field(default_factory=list)

    def flush(self, conn: sa.Connection) -> None:
        if self.closes:
            conn.execute(self.close, self.closes)
        if self.inserts:
            copy_rows(conn, self.table, self.columns, self.inserts)


def _write_changes(conn: sa.Connection, player: str, changes: list[Change]) -> None:
    """Apply a player's changes in order; a row opened and closed in the same batch is written
    once, already closed, and only rows from earlier batches are closed with an UPDATE."""
    pursuits = _TableWrites("pursuit_versions", PURSUIT_COLUMNS, _CLOSE_PURSUIT)
    facts = _TableWrites("player_versions", FACTS_COLUMNS, _CLOSE_FACTS)
    opened: dict[RowKey, list[Any]] = {}  # key -> row still to insert (mutable: known_to)
    for change in changes:
        for key in change.closes:
            is_facts = key[0] == FACTS
            pending = opened.pop(key, None)
            if pending is not None:
                pending[_FACTS_KNOWN_TO if is_facts else _PURSUIT_KNOWN_TO] = change.position
            else:
                (facts if is_facts else pursuits).closes.append(
                    {"p": player, "c": key[0], "d": key[1], "k": change.position}
                )
        for key, value in change.opens:
            is_facts, row = row_of(player, key, value, change.position, None)
            opened[key] = list(row)
            (facts if is_facts else pursuits).inserts.append(opened[key])
    pursuits.flush(conn)
    facts.flush(conn)


_PURSUIT_KNOWN_TO = PURSUIT_COLUMNS.index("known_to")
_FACTS_KNOWN_TO = FACTS_COLUMNS.index("known_to")
_CLOSE_PURSUIT = sa.text(
    "UPDATE pursuit_versions SET known_to = :k WHERE player_id = :p AND club_id = :c "
    "AND valid_from = :d AND known_to IS NULL"
)
_CLOSE_FACTS = sa.text(
    "UPDATE player_versions SET known_to = :k WHERE player_id = :p "
    "AND valid_from = :d AND known_to IS NULL"
)


# Readers that find the projection behind wait on the projector lock, under their own
# statement_timeout, so a batch should hold it for about this long, not for however long a batch
# of players with long, back-filled histories takes to fold.
BATCH_SECONDS = 2.0
FIRST_BATCH = 1_000


def catch_up(engine: sa.Engine, *, quiet_days: int, limit: int = 20_000) -> int:
    """Apply every event committed so far; returns the position the projection now reflects.

    Batches start at `FIRST_BATCH` events (or `limit`, if smaller) and double while a batch takes
    under `BATCH_SECONDS`, up to `limit`; a slower batch halves the next one.
    """
    size = min(limit, FIRST_BATCH)
    while True:
        started = time.monotonic()
        with engine.begin() as conn:
            result = apply_batch(conn, quiet_days=quiet_days, limit=size)
        elapsed = time.monotonic() - started
        if result.events:
            log.info(
                "projection_batch_applied",
                events=result.events,
                position=result.position,
                seconds=round(elapsed, 3),
            )
        if result.events < size:
            return result.position
        size = min(limit, size * 2) if elapsed < BATCH_SECONDS else max(1, size // 2)
