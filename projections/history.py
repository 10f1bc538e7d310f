"""A player's claims in fold order, each with the status its pursuit had after it.

Each line also carries its provenance: the evidence (article and sentence, or the note of a
structured claim), the precision of a stated date, and whether it restates background.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from ledger.codec import StoredEvent
from ledger.reading import read_stream
from projections.boards import Evidence, HistoryLine, TimePoint
from projections.fold.player import PlayerFold
from projections.fold.timeline import Retract
from projections.fold.values import FoldClaim, fold_key
from projections.inputs import to_input
from projections.name_lookup import club_name, source_name


def history_lines(
    conn: sa.Connection, player_id: str, at: TimePoint, *, quiet_days: int, club: str | None
) -> list[HistoryLine]:
    stored = read_stream(conn, f"player:{player_id}", until=at.position)
    provenance = {event.event_id: _provenance(event) for event in stored}
    events = [to_input(event) for event in stored]
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
    first_stated: dict[tuple[object, ...], str] = {}
    lines = []
    for claim in claims:
        withdrawn = claim.event_id in retracted
        status = None if withdrawn else fold.apply(claim).status
        line = _line(claim, status, withdrawn, provenance[claim.event_id])
        if not withdrawn:
            earlier = first_stated.setdefault(claim.identity, line.short_id)
            line = line if earlier == line.short_id else _same_as(line, earlier)
        if club is None or claim.club == club:
            lines.append(line)
    return lines


def _provenance(event: StoredEvent) -> tuple[Any, ...]:
    """(article id, sentence, note, date precision, background) from the event's payload."""
    payload = event.payload  # decoded on each access: once here
    extraction = payload.get("extraction") or {}
    return (extraction.get("article_id"), extraction.get("sentence"), payload.get("evidence"),
            payload.get("effective_precision", "day"), bool(payload.get("background", False)))  # fmt: skip


def _same_as(line: HistoryLine, earlier: str) -> HistoryLine:
    return replace(line, same_as=earlier)


def _line(
    claim: FoldClaim, status: str | None, withdrawn: bool, provenance: tuple[Any, ...]
) -> HistoryLine:
    article_id, sentence, note, precision, background = provenance
    evidence = Evidence(article_id, sentence, note) if sentence or note else None
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
        deal=claim.deal,
        effective_precision=precision,
        background=background,
        evidence=evidence,
    )
