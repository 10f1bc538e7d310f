"""Reading events back: the one reader every consumer of the ledger goes through.

Stored events are never rewritten, so a row may carry a payload of an older `schema_version`.
Each row read here is upcast (`ledger.codec.current`) before anyone sees it: the projections, the
retraction command and the tests all get the current shape, and only this module selects from
`events`. Rows already at the current version cost one integer comparison.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, Final
from uuid import UUID

import sqlalchemy as sa

from ledger.codec import StoredEvent, current

EVENT_COLUMNS: Final = ("position", "event_id", "stream_id", "stream_version", "kind",
                        "schema_version", "reported_on", "effective_on", "recorded_at",
                        "player_id", "club_id", "from_club_id", "source_id", "payload",
                        "metadata")  # fmt: skip
PLAYER_STREAMS: Final = "stream_id LIKE 'player:%'"
_SELECT: Final = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"


def _stored(row: Sequence[Any]) -> StoredEvent:
    return current(StoredEvent(*row))


def read_stream(
    conn: sa.Connection, stream_id: str, *, after_version: int = 0, until: int | None = None
) -> list[StoredEvent]:
    """One stream's events after `after_version` (and at or before position `until`), in order."""
    until_clause = "" if until is None else " AND position <= :until"
    rows = conn.execute(
        sa.text(
            f"{_SELECT} WHERE stream_id = :s AND stream_version > :v{until_clause} "
            "ORDER BY stream_version"
        ),
        {"s": stream_id, "v": after_version, "until": until},
    )
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
    clauses = ["position > :after"]
    params: dict[str, Any] = {"after": after}
    for column, name, value in (
        ("position", "until", until),
        ("reported_on", "reported", reported_on_or_before),
        ("recorded_at", "recorded", recorded_at_or_before),
    ):
        if value is not None:
            clauses.append(f"{column} <= :{name}")
            params[name] = value
    if player_streams_only:
        clauses.append(PLAYER_STREAMS)
    order = "stream_id, stream_version" if by_stream else "position"
    query = sa.text(f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY {order}")
    # Per statement: Connection.execution_options would make later statements server-side too.
    result = conn.execute(
        query.execution_options(stream_results=True, yield_per=batch_size), params
    )
    for row in result:
        yield _stored(row)


def find_event(conn: sa.Connection, event_id: UUID) -> StoredEvent | None:
    row = conn.execute(sa.text(f"{_SELECT} WHERE event_id = :e"), {"e": event_id}).first()
    return None if row is None else _stored(row)
