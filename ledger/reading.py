"""Reading events back: the one reader every consumer of the ledger goes through.

Stored events are never rewritten, so a row may carry a payload of an older `schema_version`.
Each row read here is upcast (`ledger.codec.current`) before anyone sees it: the projections, the
retraction command and the tests all get the current shape, and only this module selects from
`events`. Rows already at the current version cost one integer comparison.

Rows come straight from the driver (psycopg) under the caller's SQLAlchemy connection: its result
layer is a second per-row cost a reader does not need. `read_all` fetches through a server-side
cursor in large batches, so memory stays flat however long the log is. The payload and metadata
come as JSON text and are decoded (by orjson) only when a reader asks `StoredEvent` for them:
parsing both documents was about half of a whole-log read's client CPU (docs/benchmarks.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, Final
from uuid import UUID, uuid4

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ledger.codec import SCHEMA_VERSION, StoredEvent, current, upcast
from ledger.database import translated_errors
from ledger.schema import events

# In table order, which is also `StoredEvent`'s field order: a row becomes `StoredEvent(*row)`.
EVENT_COLUMNS: Final = tuple(column.name for column in events.columns)
# JSONB columns are read as their text, which `StoredEvent` decodes when asked.
_JSON_COLUMNS: Final = frozenset(column.name for column in events.columns
                                 if isinstance(column.type, JSONB))  # fmt: skip
PLAYER_STREAMS: Final = "stream_id LIKE 'player:%'"
# The same filter inside a psycopg statement, where `%` starts a placeholder.
_PLAYER_STREAMS_PSYCOPG: Final = PLAYER_STREAMS.replace("%", "%%")
_SCHEMA_VERSION: Final = EVENT_COLUMNS.index("schema_version")
_SELECT: Final = "SELECT {} FROM events".format(
    ", ".join(f"{name}::text" if name in _JSON_COLUMNS else name for name in EVENT_COLUMNS)
)


def _stored(row: Sequence[Any]) -> StoredEvent:
    event = StoredEvent(*row)
    # Rows already at the current shape skip the upcaster's call altogether.
    return event if row[_SCHEMA_VERSION] == SCHEMA_VERSION else current(event)


def _rows(
    conn: sa.Connection, statement: str, params: dict[str, Any], batch_size: int
) -> Iterator[Sequence[Any]]:
    """Plain tuples from a server-side cursor of the connection's own psycopg connection.

    SQLAlchemy's result layer is a per-row cost a reader needs none of: the rows are fetched
    `batch_size` at a time straight from the driver, in the caller's transaction (the named
    cursor needs one, as `stream_results` did).
    """
    driver = conn.connection.driver_connection
    assert driver is not None
    # SQLAlchemy never sees this cursor, so its driver errors are translated here.
    with translated_errors(conn.engine.url), driver.cursor(name=f"read_{uuid4().hex}") as cursor:
        cursor.itersize = batch_size
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(batch_size):
            yield from rows


def read_stream(
    conn: sa.Connection, stream_id: str, *, after_version: int = 0, until: int | None = None
) -> list[StoredEvent]:
    """One stream's events after `after_version` (and at or before position `until`), in order."""
    until_clause = "" if until is None else " AND position <= %(until)s"
    driver = conn.connection.driver_connection
    assert driver is not None
    with translated_errors(conn.engine.url), driver.cursor() as cursor:
        rows = cursor.execute(
            f"{_SELECT} WHERE stream_id = %(s)s AND stream_version > %(v)s{until_clause} "
            "ORDER BY stream_version",
            {"s": stream_id, "v": after_version, "until": until},
        ).fetchall()
    return [_stored(row) for row in rows]


def read_all(
    conn: sa.Connection,
    *,
    after: int = 0,
    until: int | None = None,
    reported_on_or_before: date | None = None,
    recorded_at_or_before: datetime | None = None,
    player_streams_only: bool = False,
    by_stream: bool = False,
    batch_size: int = 5_000,
) -> Iterator[StoredEvent]:
    """Every event after `after`, streamed through a server-side cursor.

    In position order, or grouped by stream in stream order with `by_stream` (a rebuild folds
    one player at a time).
    """
    clauses = ["position > %(after)s"]
    params: dict[str, Any] = {"after": after}
    for column, name, value in (
        ("position", "until", until),
        ("reported_on", "reported", reported_on_or_before),
        ("recorded_at", "recorded", recorded_at_or_before),
    ):
        if value is not None:
            clauses.append(f"{column} <= %({name})s")
            params[name] = value
    if player_streams_only:
        clauses.append(_PLAYER_STREAMS_PSYCOPG)
    order = "stream_id, stream_version" if by_stream else "position"
    statement = f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY {order}"
    for row in _rows(conn, statement, params, batch_size):
        yield _stored(row)


def find_event(conn: sa.Connection, event_id: UUID) -> StoredEvent | None:
    row = conn.execute(sa.text(f"{_SELECT} WHERE event_id = :e"), {"e": event_id}).first()
    return None if row is None else _stored(row)


# What a projection folds, and nothing else: the payload's few fields are taken out by the server,
# so a rebuild neither ships nor decodes whole payloads and metadata (about 6x cheaper to read).
# Rows of an older schema version also bring their whole payload, upcast here.
_FOLD_COLUMNS: Final = (
    "stream_id, position, event_id, kind, reported_on, effective_on, club_id, "
    "from_club_id, source_id, payload->>'fee', payload->>'deal', payload->>'renewed', "
    "payload->>'retracts', payload->>'effective_precision', "
    "CASE WHEN schema_version = %(current)s THEN NULL ELSE payload END, schema_version"
)
FOLD_SELECT: Final = f"SELECT {_FOLD_COLUMNS} FROM events"
FoldFields = tuple[Any, ...]
_FOLD_WIDTH: Final = 14  # the fields a caller gets; then the old payload and its version


def read_fold_fields(
    driver: psycopg.Connection[Any],
    *,
    until: int,
    after_stream: str | None = None,
    through_stream: str | None = None,
    batch_size: int = 10_000,
) -> Iterator[FoldFields]:
    """Player-stream events at or before position `until`, by stream then version, as tuples
    (stream_id, position, event_id, kind, reported_on, effective_on, club_id, from_club_id,
    source_id, fee as JSON text or None, deal, renewed, retracts as text or None,
    effective_precision).

    Only streams after `after_stream` and up to `through_stream` (when given): a rebuild split by
    player reads one range of streams per worker. Runs on a bare psycopg connection, inside the
    caller's transaction (the named cursor needs one).
    """
    clauses = [_PLAYER_STREAMS_PSYCOPG, "position <= %(until)s"]
    if after_stream is not None:
        clauses.append("stream_id > %(after)s")
    if through_stream is not None:
        clauses.append("stream_id <= %(through)s")
    statement = f"{FOLD_SELECT} WHERE {' AND '.join(clauses)} ORDER BY stream_id, stream_version"
    params = {"current": SCHEMA_VERSION, "until": until, "after": after_stream,
              "through": through_stream}  # fmt: skip
    with driver.cursor(name=f"fold_{uuid4().hex}") as cursor:
        cursor.itersize = batch_size
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(batch_size):
            for row in rows:
                yield row[:_FOLD_WIDTH] if row[_FOLD_WIDTH] is None else _upcast_fields(row)


def _upcast_fields(row: Sequence[Any]) -> FoldFields:
    """The fold fields of a row stored at an older schema version, from its upcast payload."""
    payload = upcast(row[_FOLD_WIDTH], row[_FOLD_WIDTH + 1])
    fee = payload.get("fee")
    renewed = payload.get("renewed")
    return (*row[:9], None if fee is None else json.dumps(fee), payload.get("deal"),
            None if renewed is None else json.dumps(renewed), payload.get("retracts"),
            payload.get("effective_precision"))  # fmt: skip


# The track record's read (`projections.record_reads`): the fold's fields and, after them, the
# claim's journalist, a payload field no schema version renamed (so taken as stored).
_RECORD_SELECT: Final = f"SELECT {_FOLD_COLUMNS}, payload->>'journalist' FROM events"
_JOURNALIST: Final = _FOLD_WIDTH + 2


def read_record_fields(
    driver: psycopg.Connection[Any],
    *,
    until: int,
    streams: Sequence[str] | None = None,
    after_stream: str | None = None,
    through_stream: str | None = None,
    batch_size: int = 10_000,
) -> Iterator[tuple[FoldFields, str | None]]:
    """(`read_fold_fields` row, journalist) of player-stream events at or before `until`, by
    stream then version: of the `streams` named (when given), after `after_stream` and up to
    `through_stream` (when given). In the caller's transaction (a named cursor needs one)."""
    clauses = [_PLAYER_STREAMS_PSYCOPG, "position <= %(until)s"]
    if streams is not None:
        clauses.append("stream_id = ANY(%(streams)s)")
    if after_stream is not None:
        clauses.append("stream_id > %(after)s")
    if through_stream is not None:
        clauses.append("stream_id <= %(through)s")
    statement = f"{_RECORD_SELECT} WHERE {' AND '.join(clauses)} ORDER BY stream_id, stream_version"
    params = {"current": SCHEMA_VERSION, "until": until, "streams": streams,
              "after": after_stream, "through": through_stream}  # fmt: skip
    with driver.cursor(name=f"record_{uuid4().hex}") as cursor:
        cursor.itersize = batch_size
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(batch_size):
            for row in rows:
                fields = row[:_FOLD_WIDTH] if row[_FOLD_WIDTH] is None else _upcast_fields(row)
                yield fields, row[_JOURNALIST]


def streams_changed(driver: psycopg.Connection[Any], *, after: int, until: int) -> list[str]:
    """The player streams with an event in positions (after, until], in stream order (a range of
    the primary key: cheap however long the ledger is)."""
    rows = driver.execute(
        f"SELECT DISTINCT stream_id FROM events WHERE position > %(after)s "
        f"AND position <= %(until)s AND {_PLAYER_STREAMS_PSYCOPG} ORDER BY stream_id",
        {"after": after, "until": until},
    ).fetchall()
    return [stream for (stream,) in rows]
