"""Board rows read from the bitemporal tables, turned into the lines a board shows.

The queries (`projections.queries`) return ids and stored values; a board shows names, the
quiet flag as of its own date and a release clause with the day it was reported. Kept apart from
`projections.api` so the Python API reads as the list of questions it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.boards import PursuitLine
from projections.fold.statuses import OPEN_STATUSES
from projections.name_lookup import club_name, source_name
from projections.queries import Row


def pursuit_line(
    row: Row, player: str, quiet: Quiet, likelihood: float | None = None
) -> PursuitLine:
    return PursuitLine(
        player=player,
        club=club_name(row.club_id) or row.club_id,
        status=row.status,
        since=row.since,
        first_reported=row.first_reported,
        last_reported=row.last_reported,
        claims=row.claims,
        sources=tuple(source_name(s) for s in row.sources),
        latest_fee=row.latest_fee,
        bids=row.bids,
        re_emerged=row.re_emerged,
        contested=row.contested,
        from_club=club_name(row.from_club_id),
        deal=row.deal,
        likelihood=likelihood,
        quiet_since=quiet.since(row.status, row.last_reported),
        since_precision=row.since_precision,
    )


@dataclass(frozen=True, slots=True)
class Quiet:
    """Whether an open pursuit has gone quiet by the board's date (no claim for > `days`)."""

    board_day: date
    days: int

    def since(self, status: str, last_reported: date) -> date | None:
        silent = (self.board_day - last_reported).days > self.days
        return last_reported if silent and status in OPEN_STATUSES else None


def by_recency(line: PursuitLine) -> tuple[date, str, str]:
    return (line.last_reported, line.club, line.player)


def dated_fee(fee: dict[str, Any] | None, on: date | None) -> dict[str, Any] | None:
    if fee is None:
        return None
    return {**fee, "reported_on": None if on is None else on.isoformat()}
