"""A player's claims in fold order, each with the status its pursuit had after it."""

from __future__ import annotations

import sqlalchemy as sa

from projections.boards import HistoryLine, TimePoint
from projections.fold import PlayerFold
from projections.fold_types import FoldClaim, fold_key
from projections.inputs import stream_events
from projections.names import club_name, source_name
from projections.timeline import Retract


def history_lines(
    conn: sa.Connection, player_id: str, at: TimePoint, *, quiet_days: int, club: str | None
) -> list[HistoryLine]:
    events = stream_events(conn, f"player:{player_id}", until=at.position)
    retracted = {event.retracts for event in events if isinstance(event, Retract)}
    claims = sorted(
        (
            e
            for e in events
            if isinstance(e, FoldClaim) and (at.as_of is None or e.reported_on <= at.as_of)
        ),
        key=fold_key,
    )
    fold = PlayerFold(quiet_days)
    lines = []
    for claim in claims:
        withdrawn = claim.event_id in retracted
        status = None if withdrawn else fold.apply(claim)
        if club is None or claim.club == club:
            lines.append(_line(claim, status, withdrawn))
    return lines


def _line(claim: FoldClaim, status: str | None, withdrawn: bool) -> HistoryLine:
    return HistoryLine(
        position=claim.position,
        event_id=str(claim.event_id),
        reported_on=claim.reported_on,
        effective_on=claim.effective_on,
        kind=claim.kind,
        club=club_name(claim.club),
        from_club=club_name(claim.from_club),
        source=None if claim.source is None else source_name(claim.source),
        fee=None if claim.fee is None else claim.fee.as_json(),
        status=status,
        retracted=withdrawn,
    )
