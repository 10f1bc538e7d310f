"""Append to and read from the events table. Functions take the caller's Connection; the caller
owns the transaction (`with engine.begin() as conn: append(conn, ...)`), except `append_one`,
which is its own transaction.

How positions stay gap-free and in commit order
-----------------------------------------------
A plain sequence hands out numbers at INSERT time, not at COMMIT time: transaction A takes 10,
B takes 11, B commits first, and a reader that has caught up to 11 never goes back for 10. Rolled
back transactions also burn numbers, leaving gaps. Instead, every append first locks the single
row of `ledger_head` (`SELECT ... FOR UPDATE`) and hands out positions `last_position + 1 ...`
from it, then writes the new `last_position` back in the same transaction. The row lock is held
until commit or rollback, so:
- the next writer gets its positions only after the previous one has committed (commit order),
- a rolled-back append also rolls back the head (no gaps),
- a reader whose snapshot contains position p contains every position below p.
The cost is that appends are serialised, so each append holds the lock for as few round trips
as possible; the benchmarks (docs/benchmarks.md) measure what it costs against a raw INSERT.

`recorded_at` is taken under the same lock as `greatest(clock_timestamp(), last_recorded_at)`, so
transaction time never goes backwards along positions and "known at T" is a position prefix.

Conflicts are decided by the database: under the lock the stream's current version is read, and
the unique constraint on (stream_id, stream_version) backs it up; both become ConcurrencyError.
Raised by the server, it leaves the caller's transaction aborted: roll back, re-read, retry.
An event_id that is already stored is skipped and reported with its original position.

Where the rules live (migration 0004)
-------------------------------------
- Appends of fewer than COPY_THRESHOLD events (every single append, retractions, small ingest
  batches) are one call of the server function `ledger_append`: lock, dedupe, version check,
  INSERT, head advance and notify in one round trip.
- Larger batches go through `_append_by_copy`, which needs the rows on the client to stream them
  with COPY, so it repeats the dedupe, version and numbering rules here in Python. It takes the
  lock and advances the head through the same server functions `ledger_append` calls
  (`ledger_lock_head`, `ledger_advance_head`), so those are written once.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

import psycopg
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from ledger.codec import NewEvent
from ledger.database import translated_errors
from ledger.errors import ConcurrencyError, DatabaseError
from ledger.reading import EVENT_COLUMNS

ANY_VERSION: Final = -1  # append at the end of the stream, whatever its version
NO_STREAM: Final = 0  # the stream must not exist yet
COPY_THRESHOLD = 64  # batches at least this long go through COPY instead of `ledger_append`
VERSION_CONFLICT: Final = "RL409"  # SQLSTATE raised by `ledger_append` (migration 0004)
_STREAM_VERSION_KEY: Final = "uq_events_stream_id_stream_version"

_APPEND = sa.text(
    "SELECT appended, duplicate_ids, duplicate_positions, last_position "
    "FROM ledger_append(CAST(:events AS jsonb), :expected)"
)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What an append did: new positions in order, and event_ids that were already stored."""

    positions: list[int] = field(default_factory=list)
    duplicates: dict[UUID, int] = field(default_factory=dict)  # event_id -> original position
    last_position: int = 0


def _lock_head(conn: sa.Connection) -> tuple[int, datetime]:
    row = conn.execute(sa.text("SELECT last_position, recorded_at FROM ledger_lock_head()")).one()
    return int(row[0]), row[1]


def lock_ledger(conn: sa.Connection) -> None:
    """Take the append lock now (it is re-entrant within the transaction and held to commit).

    Writers that insert other rows before appending (new players) take it first, so two writers
    never wait on each other's rows in opposite orders (a deadlock).
    """
    _lock_head(conn)


def append(
    conn: sa.Connection,
    stream_id: str,
    events: Sequence[NewEvent],
    expected_version: int = ANY_VERSION,
) -> AppendResult:
    """Append events to one stream. `expected_version`: ANY_VERSION, NO_STREAM, or a version."""
    if any(event.stream_id != stream_id for event in events):
        raise ValueError(f"every event must belong to stream {stream_id}")
    return _append(conn, events, expected_version)


def append_batch(conn: sa.Connection, events: Sequence[NewEvent]) -> AppendResult:
    """Append events of many streams, each at the end of its stream (the ingest path)."""
    return _append(conn, events, ANY_VERSION)


def append_one(
    engine: sa.Engine, event: NewEvent, expected_version: int = ANY_VERSION
) -> AppendResult:
    """Append one event in its own transaction, committed when this returns.

    The fastest way to append a single event: in autocommit the `ledger_append` call is the whole
    transaction, so it costs one round trip besides the pool's connection check. Use `append` to
    append within a transaction of your own.
    """
    with translated_errors(engine.url), engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        return _append(conn, [event], expected_version)


def _append(conn: sa.Connection, events: Sequence[NewEvent], expected_version: int) -> AppendResult:
    if len(events) >= COPY_THRESHOLD:
        return _append_by_copy(conn, events, expected_version)
    with _refusals(events, expected_version):
        row = conn.execute(_APPEND, {"events": _as_json(events), "expected": expected_version})
        appended, duplicate_ids, duplicate_positions, last_position = row.one()
    duplicates = dict(zip(duplicate_ids, duplicate_positions, strict=True))
    return AppendResult(list(appended), duplicates, int(last_position))


def _as_json(events: Sequence[NewEvent]) -> str:
    """The events as `ledger_append` takes them: a JSON array of objects keyed by column."""
    return json.dumps([_as_object(event) for event in events], separators=(",", ":"))


def _as_object(event: NewEvent) -> dict[str, Any]:
    effective_on = None if event.effective_on is None else event.effective_on.isoformat()
    return {"event_id": str(event.event_id), "stream_id": event.stream_id, "kind": event.kind,
            "schema_version": event.schema_version, "reported_on": event.reported_on.isoformat(),
            "effective_on": effective_on, "player_id": event.player_id, "club_id": event.club_id,
            "from_club_id": event.from_club_id, "source_id": event.source_id,
            "payload": event.payload, "metadata": event.metadata}  # fmt: skip


@contextlib.contextmanager
def _refusals(events: Sequence[NewEvent], expected_version: int) -> Iterator[None]:
    """Turn PostgreSQL's refusal of an append into ConcurrencyError or DatabaseError.

    COPY runs on the driver's cursor, so its errors arrive as psycopg's, not SQLAlchemy's.
    """
    try:
        yield
    except (sa_exc.DBAPIError, psycopg.Error) as exc:
        error = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
        constraint = getattr(getattr(error, "diag", None), "constraint_name", None)
        if (
            getattr(error, "sqlstate", None) == VERSION_CONFLICT
            or constraint == _STREAM_VERSION_KEY
        ):
            expected = None if expected_version == ANY_VERSION else expected_version
            raise ConcurrencyError(events[0].stream_id, expected) from exc
        if isinstance(error, psycopg.errors.IntegrityError):
            raise DatabaseError(f"append refused: {str(error).splitlines()[0]}") from exc
        raise


# ------------------------------------------------- the COPY path for large batches


def _stored_positions(conn: sa.Connection, event_ids: Sequence[UUID]) -> dict[UUID, int]:
    rows = conn.execute(
        sa.text("SELECT event_id, position FROM events WHERE event_id = ANY(:ids)"),
        {"ids": list(event_ids)},
    )
    return {row[0]: int(row[1]) for row in rows}


def _stream_versions(conn: sa.Connection, stream_ids: set[str]) -> dict[str, int]:
    rows = conn.execute(
        sa.text(
            "SELECT stream_id, max(stream_version) FROM events "
            "WHERE stream_id = ANY(:streams) GROUP BY stream_id"
        ),
        {"streams": list(stream_ids)},
    )
    return {row[0]: int(row[1]) for row in rows}


def _fresh(
    conn: sa.Connection, events: Sequence[NewEvent]
) -> tuple[list[NewEvent], dict[UUID, int]]:
    """Split off events already stored (and repeats inside the batch: first one wins)."""
    stored = _stored_positions(conn, [event.event_id for event in events])
    seen: set[UUID] = set()
    fresh: list[NewEvent] = []
    for event in events:
        if event.event_id in stored or event.event_id in seen:
            continue
        seen.add(event.event_id)
        fresh.append(event)
    return fresh, stored


def _append_by_copy(
    conn: sa.Connection, events: Sequence[NewEvent], expected_version: int
) -> AppendResult:
    """The rules of `ledger_append` (migration 0004), with the rows streamed by COPY."""
    last_position, recorded_at = _lock_head(conn)
    fresh, duplicates = _fresh(conn, events)
    if not fresh:
        return AppendResult([], duplicates, last_position)
    versions = _stream_versions(conn, {event.stream_id for event in fresh})
    stream_id = events[0].stream_id
    if expected_version not in (ANY_VERSION, versions.get(stream_id, 0)):
        raise ConcurrencyError(stream_id, expected_version)
    with _refusals(events, expected_version):
        _copy_rows(conn, list(_rows(fresh, last_position + 1, recorded_at, versions)))
    new_last = last_position + len(fresh)
    conn.execute(sa.text("SELECT ledger_advance_head(:p, :t)"), {"p": new_last, "t": recorded_at})
    return AppendResult(list(range(last_position + 1, new_last + 1)), duplicates, new_last)


def _rows(
    events: Sequence[NewEvent], first: int, recorded_at: datetime, versions: dict[str, int]
) -> Iterator[tuple[Any, ...]]:
    for offset, event in enumerate(events):
        version = versions.get(event.stream_id, 0) + 1
        versions[event.stream_id] = version
        yield (first + offset, event.event_id, event.stream_id, version, event.kind,
               event.schema_version, event.reported_on, event.effective_on, recorded_at,
               event.player_id, event.club_id, event.from_club_id, event.source_id,
               json.dumps(event.payload, separators=(",", ":")),
               json.dumps(event.metadata, separators=(",", ":")))  # fmt: skip


def _copy_rows(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


# ---------------------------------------------------------------- the head (events: ledger.reading)


def head_position(conn: sa.Connection) -> int:
    return int(
        conn.execute(sa.text("SELECT last_position FROM ledger_head WHERE id = 1")).scalar_one()
    )


def position_known_at(conn: sa.Connection, moment: datetime) -> int:
    """The last position recorded at or before `moment` (recorded_at grows with position)."""
    value = conn.execute(
        sa.text("SELECT coalesce(max(position), 0) FROM events WHERE recorded_at <= :t"),
        {"t": moment},
    ).scalar_one()
    return int(value)
