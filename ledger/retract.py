"""Corrections: a retraction is a new event in the same stream as the claim it withdraws."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa

from ledger.claim_kinds import ClaimKind
from ledger.codec import encode
from ledger.database import translated_errors
from ledger.errors import InputError, UnknownEventError
from ledger.events import Retraction
from ledger.reading import find_event
from ledger.store import append

RETRACTION_NAMESPACE = uuid.UUID("0b5e1d7a-3f0c-4a53-8c2f-5d6e7a8b9c01")
SHORTEST_PREFIX = 4
_HEX_PREFIX = re.compile(rf"[0-9a-f]{{{SHORTEST_PREFIX},32}}")
_ID_RANGE = sa.text(
    "SELECT event_id FROM events WHERE event_id BETWEEN :low AND :high ORDER BY event_id LIMIT 2"
)


def event_id_from(engine: sa.Engine, typed: str) -> UUID:
    """The event a full id or a unique prefix of one (as `history` shows: `503c287e`) names.

    A prefix is a range of ids, so the lookup is one probe of the events' unique index.
    """
    text = typed.strip().lower()
    try:
        return UUID(text)
    except ValueError:
        pass
    prefix = text.replace("-", "")
    if not _HEX_PREFIX.fullmatch(prefix):
        raise InputError(
            f"event_id: {text[:40]!r} is neither an event id nor {SHORTEST_PREFIX}+ hex digits of one"
        )
    bounds = {"low": UUID(prefix.ljust(32, "0")), "high": UUID(prefix.ljust(32, "f"))}
    with translated_errors(engine.url), engine.connect() as conn:
        found = conn.execute(_ID_RANGE, bounds).scalars().all()
    if not found:
        raise UnknownEventError(f"no event whose id starts with {prefix} in the ledger")
    if len(found) > 1:
        raise InputError(f"event_id: {prefix} starts more than one event id: give more digits")
    return UUID(str(found[0]))


def retract(engine: sa.Engine, event_id: UUID, reason: str) -> int:
    """Append a retraction of `event_id`; retracting twice is a no-op returning the first."""
    if not reason.strip():
        raise InputError("--reason: a retraction needs a reason")
    with translated_errors(engine.url), engine.begin() as conn:
        target = find_event(conn, event_id)
        if target is None:
            raise UnknownEventError(f"no event {event_id} in the ledger")
        if target.kind == ClaimKind.RETRACTION:
            raise InputError("a retraction cannot itself be retracted; append the claim again")
        retraction = Retraction(
            event_id=uuid.uuid5(RETRACTION_NAMESPACE, str(event_id)),
            reported_on=datetime.now(UTC).date(),
            player=target.player_id,
            club=target.club_id,
            retracts=event_id,
            reason=reason.strip(),
        )
        result = append(
            conn, target.stream_id, [encode(retraction, {"retracted_kind": target.kind})]
        )
        return result.positions[0] if result.positions else result.duplicates[retraction.event_id]
