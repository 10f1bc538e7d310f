"""Ledger events as fold inputs: the few fields a board shows, from the ledger's own reader.

Events come through `ledger.reading`, which upcasts payloads of older schema versions, so an event
stored before the fee became structured still projects with its fee and deal. Building a pydantic
claim per event would cost more than the whole fold, so the fields are taken from the stored row.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from ledger.claim_kinds import ClaimKind
from ledger.codec import StoredEvent
from ledger.money import Fee
from ledger.reading import FoldFields, read_all, read_stream
from projections.fold.timeline import Retract
from projections.fold.values import FoldClaim


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


def to_input(event: StoredEvent) -> FoldClaim | Retract:
    """The fold input of one stored event (already in the current payload shape), through the
    one decoder `fold_input`, from the fields the rebuild's slim read would have given."""
    return fold_input(_fold_fields(event))[1]


def _fold_fields(event: StoredEvent) -> FoldFields:
    """The row `ledger.reading.read_fold_fields` gives for this event: the payload's fields as
    the server's `payload->>'name'` gives them (strings as they are, anything else as JSON)."""
    payload = event.payload
    return (event.stream_id, event.position, event.event_id, event.kind, event.reported_on,
            event.effective_on, event.club_id, event.from_club_id, event.source_id,
            _as_text(payload.get("fee")), _as_text(payload.get("deal")),
            _as_text(payload.get("renewed")), _as_text(payload.get("retracts")),
            _as_text(payload.get("effective_precision")))  # fmt: skip


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


@functools.lru_cache(maxsize=4096)
def _fee_of_json(text: str) -> Fee | None:
    """Fees repeat (one bid told by every outlet): each distinct JSON text is decoded once."""
    return fee_of(json.loads(text))


def fold_input(fields: FoldFields) -> tuple[str, FoldClaim | Retract]:
    """(stream_id, fold input) of one row of `ledger.reading.read_fold_fields`: the one decoder
    of fold inputs (`to_input` hands a whole stored event to it as such a row)."""
    (stream, position, event_id, kind, reported_on, effective_on, club, from_club, source,
     fee, deal, renewed, retracts, precision) = fields  # fmt: skip
    if kind == ClaimKind.RETRACTION:
        return stream, Retract(position, UUID(retracts))
    # Positionally: keyword arguments cost a rebuild about a microsecond an event more.
    return stream, FoldClaim(
        position, event_id, kind, reported_on, effective_on, club, from_club, source,
        None if fee is None else _fee_of_json(fee), deal, renewed == "true", precision or "day",
    )  # fmt: skip


def player_events(
    conn: sa.Connection, *, after: int = 0, until: int, ordered_by_stream: bool = False
) -> Iterator[tuple[str, FoldClaim | Retract]]:
    """Events of player streams in (after, until], streamed; by stream for a rebuild."""
    for event in read_all(
        conn,
        after=after,
        until=until,
        player_streams_only=True,
        by_stream=ordered_by_stream,
        batch_size=10_000,
    ):
        yield event.stream_id, to_input(event)


def stream_events(conn: sa.Connection, stream_id: str, *, until: int) -> list[FoldClaim | Retract]:
    return [to_input(event) for event in read_stream(conn, stream_id, until=until)]
