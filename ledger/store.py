"""Append to the events table (events are read back by `ledger.reading`). Functions take the
caller's Connection; the caller owns the transaction (`with engine.begin() as conn: append(conn, ...)`), except `append_one`,
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

Where the rules live (migration 0006)
-------------------------------------
All of them (lock, dedupe, version check, numbering, head advance, notify) are in one set-based
server function, `ledger_append(ledger_new_event[], expected_version)`, the only way an event gets
in: it runs as the schema's owner, and the writer role has no INSERT on `events`. Since 0010 it
first tries the common case, every event new and distinct, in a subtransaction where the unique
index on `event_id` is the duplicate check, and runs the full path only when that index refuses
(docs/benchmarks.md, round 5: 28% less server CPU per event in a 5,000-event batch). A single
event goes to `ledger_append_one` (migration 0011): the same rules in straight-line statements,
without the subtransaction, the unnesting and the arrays a batch needs (about 40% less server
CPU per single append; docs/benchmarks.md, round 7). This module only stages the rows for them,
as the cheapest way for the batch at hand:
- one event (every `append_one`, most retractions): its fields bound to the call one by one;
- fewer than COPY_THRESHOLD events (small ingest batches): a JSON record set bound to the call,
  so the whole append is one round trip;
- larger batches: COPY into a temporary table, then the call reads the array from it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

import orjson
import psycopg
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from psycopg.types.json import Jsonb

from ledger.codec import NewEvent
from ledger.copying import copy_rows
from ledger.database import translated_errors
from ledger.errors import ConcurrencyError, DatabaseError

ANY_VERSION: Final = -1  # append at the end of the stream, whatever its version
NO_STREAM: Final = 0  # the stream must not exist yet
COPY_THRESHOLD = 64  # batches at least this long are staged by COPY instead of as JSON
VERSION_CONFLICT: Final = "RL409"  # SQLSTATE raised by `ledger_append` (migrations import it)
_STREAM_VERSION_KEY: Final = "uq_events_stream_id_stream_version"

# The fields of `ledger_new_event` (migration 0006): what a caller decides about an event.
STAGED_COLUMNS: Final = ("event_id", "stream_id", "kind", "schema_version", "reported_on",
                         "effective_on", "player_id", "club_id", "from_club_id", "source_id",
                         "payload", "metadata")  # fmt: skip
_STAGING_TABLE: Final = "pg_temp.ledger_staged"
# The staging table's column types, in COPY order (`ord`, then STAGED_COLUMNS), for binary COPY.
_STAGED_TYPES: Final = ("int4", "uuid", "text", "text", "int2", "date", "date", "text", "text",
                        "text", "text", "jsonb", "jsonb")  # fmt: skip
_CREATE_STAGING = sa.text(
    "CREATE TEMP TABLE IF NOT EXISTS ledger_staged ON COMMIT DELETE ROWS AS "
    "SELECT 0 AS ord, e.* FROM unnest(CAST('{}' AS ledger_new_event[])) AS e WITH NO DATA"
)
# The call runs on the driver's own cursor (psycopg placeholders): SQLAlchemy's statement and
# result layers cost a single append about as much client CPU as everything else in it.
_CALL = (
    "SELECT appended, duplicate_ids, duplicate_positions, last_position "
    "FROM ledger_append({events}, %(expected)s)"
)
_APPEND_JSON: Final = _CALL.format(
    events="ARRAY(SELECT jsonb_populate_recordset(NULL::ledger_new_event, "
    "CAST(%(events)s AS jsonb)))"
)
_APPEND_STAGED: Final = _CALL.format(
    events=f"ARRAY(SELECT CAST(ROW({', '.join(STAGED_COLUMNS)}) AS ledger_new_event) "
    f"FROM {_STAGING_TABLE} ORDER BY ord)"
)
# One event (migration 0011): its fields bound one by one, no JSON to build or to unpack.
_APPEND_ONE: Final = (
    "SELECT appended, duplicate_ids, duplicate_positions, last_position FROM ledger_append_one("
    "CAST(ROW(%s::uuid, %s::text, %s::text, %s::smallint, %s::date, %s::date, %s::text, "
    "%s::text, %s::text, %s::text, %s::jsonb, %s::jsonb) AS ledger_new_event), %s)"
)


# (low, high): low is recorded by :t (0 stands for "none"), the answer is at most high.
_KNOWN_AT = sa.text(
    "WITH RECURSIVE bounds(low, high) AS ("
    "  SELECT 0::bigint, last_position FROM ledger_head WHERE id = 1"
    "  UNION ALL"
    "  SELECT CASE WHEN e.recorded_at <= :t THEN e.position ELSE b.low END,"
    "         CASE WHEN e.recorded_at <= :t THEN b.high ELSE e.position - 1 END"
    "    FROM bounds AS b JOIN events AS e ON e.position = (b.low + b.high + 1) / 2"
    "   WHERE b.low < b.high"
    ") SELECT coalesce(min(low), 0) FROM bounds WHERE low = high"
)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What an append did: new positions in order, and event_ids that were already stored."""

    positions: list[int] = field(default_factory=list)
    duplicates: dict[UUID, int] = field(default_factory=dict)  # event_id -> original position
    last_position: int = 0


def lock_ledger(conn: sa.Connection) -> None:
    """Take the append lock now (it is re-entrant within the transaction and held to commit).

    Writers that insert other rows before appending (new players) take it first, so two writers
    never wait on each other's rows in opposite orders (a deadlock).
    """
    conn.execute(sa.text("SELECT ledger_lock()"))


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
    target: sa.Engine | sa.Connection, event: NewEvent, expected_version: int = ANY_VERSION
) -> AppendResult:
    """Append one event; on an engine, in its own transaction, committed when this returns.

    The fastest way to append a single event: in autocommit the `ledger_append` call is the whole
    transaction, so it costs one round trip. A caller appending many single events passes its own
    connection (`engine.connect()` with `isolation_level="AUTOCOMMIT"`): each append is then still
    its own transaction, without the pool's checkout and return around every one. A connection in
    a transaction of the caller's appends within it (as `append` does).
    """
    if isinstance(target, sa.Connection):
        return _append(target, [event], expected_version)
    with translated_errors(target.url), target.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        return _append(conn, [event], expected_version)


def _append(conn: sa.Connection, events: Sequence[NewEvent], expected_version: int) -> AppendResult:
    params: dict[str, Any] | tuple[Any, ...]
    if len(events) == 1:
        call, params = _APPEND_ONE, (*_staged_values(events[0]), expected_version)
    elif len(events) >= COPY_THRESHOLD:
        _stage(conn, events)
        call, params = _APPEND_STAGED, {"expected": expected_version}
    else:
        call, params = (
            _APPEND_JSON,
            {"expected": expected_version, "events": events_as_json(events)},
        )
    with _refusals(events, expected_version):
        appended, duplicate_ids, duplicate_positions, last_position = _call(conn, call, params)
    duplicates = dict(zip(duplicate_ids, duplicate_positions, strict=True))
    return AppendResult(list(appended), duplicates, int(last_position))


def _call(
    conn: sa.Connection, call: str, params: dict[str, Any] | tuple[Any, ...]
) -> tuple[Any, ...]:
    """The one row of a `ledger_append` call, run on the connection's own psycopg connection,
    in the caller's transaction (or autocommit)."""
    driver = conn.connection.driver_connection
    assert driver is not None, "a live connection has a driver connection"
    with translated_errors(conn.engine.url), driver.cursor() as cursor:
        row: tuple[Any, ...] | None = cursor.execute(call, params).fetchone()
    assert row is not None, "ledger_append returns one row"
    return row


def _stage(conn: sa.Connection, events: Sequence[NewEvent]) -> None:
    """COPY the events into this session's staging table, emptied first (ON COMMIT empties it
    too, but two large appends may share a transaction)."""
    conn.execute(_CREATE_STAGING)
    conn.execute(sa.text(f"TRUNCATE {_STAGING_TABLE}"))
    rows = ((order, *_staged_values(event)) for order, event in enumerate(events))
    copy_rows(conn, _STAGING_TABLE, ("ord", *STAGED_COLUMNS), rows, binary_types=_STAGED_TYPES)


def _staged_values(event: NewEvent) -> tuple[Any, ...]:
    return (event.event_id, event.stream_id, event.kind, event.schema_version,
            event.reported_on, event.effective_on, event.player_id, event.club_id,
            event.from_club_id, event.source_id,
            Jsonb(event.payload, orjson.dumps), Jsonb(event.metadata, orjson.dumps))  # fmt: skip


def events_as_json(events: Sequence[NewEvent]) -> str:
    """The events as a JSON array of objects keyed by `ledger_new_event` field."""
    return orjson.dumps([_as_object(event) for event in events]).decode()


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

    The engine has already made the driver's error a DatabaseError (`ledger.database`); the
    driver's error, with its SQLSTATE and constraint, is its cause.
    """
    try:
        yield
    except (DatabaseError, sa_exc.DBAPIError) as exc:
        error = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc.__cause__
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


# ---------------------------------------------------------------- the head (events: ledger.reading)


def head_position(conn: sa.Connection) -> int:
    return int(
        conn.execute(sa.text("SELECT last_position FROM ledger_head WHERE id = 1")).scalar_one()
    )


def position_known_at(conn: sa.Connection, moment: datetime) -> int:
    """The last position recorded at or before `moment`.

    recorded_at never decreases along positions and positions have no gaps, so the answer is
    found by bisecting positions 0..head through the primary key: about 20 probes at 1M events,
    with no index on recorded_at to keep up on every append (migration 0007).
    """
    return int(conn.execute(_KNOWN_AT, {"t": moment}).scalar_one())
