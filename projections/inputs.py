"""Reading ledger events as fold inputs: only the columns and payload fields a board shows.

The projection reads the events table directly (not through `ledger.codec.decode`): building a
pydantic model per event would cost more than the whole fold, and the few payload fields needed
are extracted by PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from ledger.money import Fee
from projections.fold_types import FoldClaim
from projections.timeline import Retract

_COLUMNS = (
    "position, event_id, stream_id, kind, reported_on, effective_on, club_id, from_club_id, "
    "source_id, payload->'fee', payload->>'deal', coalesce((payload->>'renewed')::boolean, false), "
    "(payload->>'retracts')::uuid"
)
PLAYER_STREAMS = "stream_id LIKE 'player:%'"


def fee_of(data: dict[str, Any] | None) -> Fee | None:
    if data is None:
        return None
    # Stored fees were validated on the way in; skip re-validation on the hot path.
    return Fee.model_construct(
        amount=None if data.get("amount") is None else Decimal(data["amount"]),
        currency=data.get("currency"),
        add_ons=None if data.get("add_ons") is None else Decimal(data["add_ons"]),
        qualifier=data.get("qualifier"),
        nature=data.get("nature", "amount"),
        text=data.get("text", ""),
    )


def to_input(row: Sequence[Any]) -> tuple[str, FoldClaim | Retract]:
    """(stream_id, fold input) of one selected row."""
    position, event_id, stream_id, kind = row[0], row[1], row[2], row[3]
    if kind == "retraction":
        return stream_id, Retract(position, row[12])
    claim = FoldClaim(
        position=position,
        event_id=event_id,
        kind=kind,
        reported_on=row[4],
        effective_on=row[5],
        club=row[6],
        from_club=row[7],
        source=row[8],
        fee=fee_of(row[9]),
        deal=row[10],
        renewed=row[11],
    )
    return stream_id, claim


def player_events(
    conn: sa.Connection, *, after: int = 0, until: int, ordered_by_stream: bool = False
) -> Iterator[tuple[str, FoldClaim | Retract]]:
    """Events of player streams in (after, until], streamed; by stream for a rebuild."""
    order = "stream_id, stream_version" if ordered_by_stream else "position"
    query = sa.text(
        f"SELECT {_COLUMNS} FROM events WHERE {PLAYER_STREAMS} "
        f"AND position > :after AND position <= :until ORDER BY {order}"
    )
    # Per-statement options: Connection.execution_options would turn every later statement on
    # this connection into a server-side cursor too.
    streamed = query.execution_options(stream_results=True, yield_per=10_000)
    result = conn.execute(streamed, {"after": after, "until": until})
    for row in result:
        yield to_input(row)


def stream_events(conn: sa.Connection, stream_id: str, *, until: int) -> list[FoldClaim | Retract]:
    query = sa.text(
        f"SELECT {_COLUMNS} FROM events WHERE stream_id = :s AND position <= :until "
        "ORDER BY stream_version"
    )
    return [to_input(row)[1] for row in conn.execute(query, {"s": stream_id, "until": until})]
