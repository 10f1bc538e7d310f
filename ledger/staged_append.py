"""The bulk append: rows COPYed into the session's staging table, then `ledger_append_staged()`.

A bulk ingest appends thousands of events per call. `store.append_batch` stages them too, but
then builds a `ledger_new_event[]` from the staged rows that `ledger_append` unnests again; the
staged call (migration 0012) inserts from the staged table directly, under the same rules (the
head lock held to commit, gap-free positions, duplicates skipped and reported, versions per
stream, the notification).

Rows are staged in PostgreSQL's binary COPY format, written here byte by byte rather than by the
driver's `write_row`: a row's bytes (`row_body`) can be built wherever the event is built (the
ingest's worker processes) and the writer only joins them, prefixing each with its place in the
batch (`staged_row`). No date, number or id is printed by the client and parsed by the server.
"""

from __future__ import annotations

import contextlib
import struct
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import orjson
import psycopg
import sqlalchemy as sa

from ledger.codec import NewEvent
from ledger.copying import copy_binary_blocks
from ledger.database import translated_errors
from ledger.errors import DatabaseError

STAGING_TABLE: Final = "pg_temp.ledger_bulk_staged"
# `ord`, then the fields of `ledger_new_event` (migration 0006), as the staging table has them.
STAGING_COLUMNS: Final = ("ord", "event_id", "stream_id", "kind", "schema_version", "reported_on",
                          "effective_on", "player_id", "club_id", "from_club_id", "source_id",
                          "payload", "metadata")  # fmt: skip
_STAGE = sa.text("SELECT ledger_stage_bulk()")
_APPEND = (
    "SELECT appended, duplicate_ids, duplicate_positions, last_position FROM ledger_append_staged()"
)

_NULL: Final = b"\xff\xff\xff\xff"  # a field of length -1
_POSTGRES_EPOCH: Final = date(2000, 1, 1).toordinal()  # binary dates count days from it
_ROW_HEAD = struct.Struct(">hii")  # field count, then `ord` as a 4-byte int4 field
_INT2 = struct.Struct(">ih")
_INT4 = struct.Struct(">ii")
_LENGTH = struct.Struct(">i")
_UUID_LENGTH: Final = _LENGTH.pack(16)
_EMPTY_JSONB: Final = _LENGTH.pack(3) + b"\x01{}"


@dataclass(frozen=True, slots=True)
class StagedResult:
    """What a staged append did: how many events it stored, and the ids already stored."""

    appended: int
    duplicates: dict[uuid.UUID, int] = field(default_factory=dict)  # event_id -> position
    last_position: int = 0


def _text(value: str | None) -> bytes:
    if value is None:
        return _NULL
    encoded = value.encode()
    return _LENGTH.pack(len(encoded)) + encoded


def _date(value: date | None) -> bytes:
    return _NULL if value is None else _INT4.pack(4, value.toordinal() - _POSTGRES_EPOCH)


def _jsonb(value: dict[str, Any]) -> bytes:
    if not value:
        return _EMPTY_JSONB
    encoded = orjson.dumps(value)
    return _LENGTH.pack(len(encoded) + 1) + b"\x01" + encoded  # jsonb's binary: version 1, text


def row_body(event: NewEvent) -> bytes:
    """The event's staged row in binary COPY format, every field after `ord`."""
    return b"".join((
        _UUID_LENGTH, event.event_id.bytes, _text(event.stream_id), _text(event.kind),
        _INT2.pack(2, event.schema_version), _date(event.reported_on), _date(event.effective_on),
        _text(event.player_id), _text(event.club_id), _text(event.from_club_id),
        _text(event.source_id), _jsonb(event.payload), _jsonb(event.metadata),
    ))  # fmt: skip


def event_id_of(body: bytes) -> uuid.UUID:
    """The event id of a `row_body` (its first field)."""
    return uuid.UUID(bytes=body[4:20])


def staged_rows(bodies: Sequence[bytes]) -> Iterable[bytes]:
    """Whole binary COPY rows: each body after its field count and its place in the batch."""
    count = len(STAGING_COLUMNS)
    pack = _ROW_HEAD.pack
    for order, body in enumerate(bodies):
        yield pack(count, 4, order)
        yield body


def append_staged(conn: sa.Connection, bodies: Sequence[bytes]) -> StagedResult:
    """Append the events of `bodies` (`row_body`s, in order) in the caller's transaction."""
    conn.execute(_STAGE)
    copy_binary_blocks(conn, STAGING_TABLE, STAGING_COLUMNS, staged_rows(bodies))
    driver = conn.connection.driver_connection
    assert driver is not None, "a live connection has a driver connection"
    with _refusals(), translated_errors(conn.engine.url), driver.cursor() as cursor:
        row = cursor.execute(_APPEND).fetchone()
    assert row is not None, "ledger_append_staged returns one row"
    appended, duplicate_ids, duplicate_positions, last_position = row
    duplicates = dict(zip(duplicate_ids, duplicate_positions, strict=True))
    return StagedResult(int(appended), duplicates, int(last_position))


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """A row the events table refuses (a missing column, a repeated stream version) becomes one
    line, as `store.append_batch` words it; the driver's error is its cause."""
    try:
        yield
    except DatabaseError as exc:
        if isinstance(exc.__cause__, psycopg.errors.IntegrityError):
            raise DatabaseError(f"append refused: {str(exc.__cause__).splitlines()[0]}") from exc
        raise
