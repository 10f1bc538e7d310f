"""Small builders of events for tests; random stream ids wherever data is committed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from ledger.codec import NewEvent


def new_stream() -> str:
    return f"player:test-{uuid.uuid4().hex[:10]}"


def new_event(stream_id: str, kind: str = "interest", **overrides: Any) -> NewEvent:
    fields: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "stream_id": stream_id,
        "kind": kind,
        "reported_on": date(2025, 1, 5),
        "payload": {"renewed": False},
        "player_id": stream_id.split(":", 1)[1],
        "club_id": "tottenham-hotspur",
    }
    fields.update(overrides)
    return NewEvent(**fields)
