"""Small builders of events and fold claims for tests; random stream ids wherever data is committed.

Also the (kind, player, club) keys a text is extracted to, for the extraction tests.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from ledger.codec import NewEvent
from ledger.extract import extract_claims, parse_article
from ledger.money import Fee
from projections.fold.values import FoldClaim

_positions = itertools.count(1)


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


def fold_claim(
    kind: str,
    reported: date | str,
    club: str | None = "tottenham",
    *,
    position: int | None = None,
    event_id: uuid.UUID | None = None,
    effective: date | str | None = None,
    from_club: str | None = None,
    source: str | None = None,
    fee: Fee | None = None,
    deal: str | None = None,
    renewed: bool = False,
    precision: str = "day",
) -> FoldClaim:
    """One claim as the fold reads it; dates may be ISO text, positions count up by default."""
    return FoldClaim(
        position=next(_positions) if position is None else position,
        event_id=uuid.uuid4() if event_id is None else event_id,
        kind=kind,
        reported_on=_day(reported),
        effective_on=None if effective is None else _day(effective),
        club=club,
        from_club=from_club,
        source=source,
        fee=fee,
        deal=deal,
        renewed=renewed,
        effective_precision=precision,
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def claim_keys(text: str, on: str = "2025-07-10") -> set[tuple[str, str, str | None]]:
    """The (kind, player, club) of every claim extracted from `text`, an article dated `on`."""
    article = parse_article(f"date {on} {text}", "test.txt")
    return {(c.kind, c.player, c.club) for c in extract_claims(article)}


def claim_kinds(text: str, on: str = "2025-07-10") -> set[str]:
    return {kind for kind, _, _ in claim_keys(text, on)}
