"""The Python API of the boards; the CLI is a thin layer over it, and so can a notebook be.

    boards = Boards(engine)
    boards.status("Ko Itakura", as_of=date(2025, 2, 3)).as_json()

Every answer first makes sure the projection reflects every committed event (catching up if an
append happened since), then reads the bitemporal tables at the requested time point.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.settings import DEFAULT_QUIET_DAYS
from ledger.store import head_position, position_known_at
from projections import queries
from projections.boards import (
    ClubBoard,
    History,
    PlayerBoard,
    PursuitLine,
    SourceBoard,
    SourceScore,
    TimePoint,
)
from projections.history import history_lines
from projections.names import PlayerNames, club_id, club_name, source_name
from projections.runner import catch_up, read_checkpoint
from projections.statuses import OPEN_STATUSES

_FAR_FUTURE = date(9999, 12, 31)


def _line(row: sa.Row[Any], player_names: dict[str, str]) -> PursuitLine:
    return PursuitLine(
        player=player_names.get(row.player_id, row.player_id),
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
    )


def _by_recency(line: PursuitLine) -> tuple[date, str, str]:
    return (line.last_reported, line.club, line.player)


class Boards:
    def __init__(self, engine: sa.Engine, *, quiet_days: int = DEFAULT_QUIET_DAYS) -> None:
        self.engine = engine
        self.quiet_days = quiet_days
        self._players = PlayerNames()

    def project(self) -> int:
        """Bring the projection up to the last committed event; returns that position."""
        with translated_errors(str(self.engine.url)):
            return catch_up(self.engine, quiet_days=self.quiet_days)

    def _time_point(
        self, conn: sa.Connection, as_of: date | None, known_at: datetime | None
    ) -> TimePoint:
        checkpoint = read_checkpoint(conn)
        if checkpoint < head_position(conn):
            conn.rollback()
            checkpoint = self.project()
        known = checkpoint
        if known_at is not None:
            if known_at.tzinfo is None:  # a naive moment from a notebook means UTC, as in the CLI
                known_at = known_at.replace(tzinfo=UTC)
            now = datetime.now(UTC)
            if known_at >= now:
                known_at = now  # later than now is clamped to now (SPEC §5.4)
            else:
                known = min(checkpoint, position_known_at(conn, known_at))
        return TimePoint(as_of, known_at, known)

    def status(
        self, player: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> PlayerBoard:
        with translated_errors(str(self.engine.url)), self.engine.connect() as conn:
            at = self._time_point(conn, as_of, known_at)
            player_id, name = self._players.resolve(conn, player)
            when = as_of or _FAR_FUTURE
            pursuits = queries.rows(
                conn, queries.PLAYER_PURSUITS, when, at.position, player=player_id
            )
            facts = queries.rows(conn, queries.PLAYER_FACTS, when, at.position, player=player_id)
        lines = sorted(
            (_line(row, {player_id: name}) for row in pursuits),
            key=_by_recency,
            reverse=True,
        )
        fact = facts[0] if facts else None
        return PlayerBoard(
            player=name,
            player_id=player_id,
            at=at,
            current_club=club_name(fact.current_club_id) if fact else None,
            release_clause=_dated(fact.release_clause, fact.release_clause_on) if fact else None,
            asking_price=_dated(fact.asking_price, fact.asking_price_on) if fact else None,
            pursuits=lines,
        )

    def club(
        self, club: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> ClubBoard:
        target_club = club_id(club)
        with translated_errors(str(self.engine.url)), self.engine.connect() as conn:
            at = self._time_point(conn, as_of, known_at)
            when = as_of or _FAR_FUTURE
            targets = queries.rows(conn, queries.CLUB_TARGETS, when, at.position, club=target_club)
            own = [
                row[0]
                for row in queries.rows(
                    conn, queries.CLUB_PLAYERS, when, at.position, club=target_club
                )
            ]
            wanted = queries.rows(conn, queries.PLAYERS_PURSUITS, when, at.position, players=own)
            ids = {row.player_id for row in [*targets, *wanted]}
            names: dict[str, str] = dict(
                conn.execute(
                    sa.text("SELECT player_id, name FROM players WHERE player_id = ANY(:p)"),
                    {"p": list(ids)},
                ).all()
            )
        return ClubBoard(
            club=club_name(target_club) or target_club,
            at=at,
            targets=sorted(
                (_line(r, names) for r in targets),
                key=_by_recency,
                reverse=True,
            ),
            wanted=sorted(
                (_line(r, names) for r in wanted if r.club_id != target_club),
                key=_by_recency,
                reverse=True,
            ),
        )

    def history(
        self,
        player: str,
        *,
        club: str | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> History:
        only_club = club_id(club) if club else None
        with translated_errors(str(self.engine.url)), self.engine.connect() as conn:
            at = self._time_point(conn, as_of, known_at)
            player_id, name = self._players.resolve(conn, player)
            lines = history_lines(conn, player_id, at, quiet_days=self.quiet_days, club=only_club)
        return History(player=name, at=at, claims=lines)

    def sources(
        self, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> SourceBoard:
        with translated_errors(str(self.engine.url)), self.engine.connect() as conn:
            at = self._time_point(conn, as_of, known_at)
            rows = queries.rows(
                conn,
                queries.SOURCE_SCORES,
                as_of or _FAR_FUTURE,
                at.position,
                open=sorted(OPEN_STATUSES),
            )
        scores = [
            SourceScore(
                source_name(r.source_id),
                r.claims,
                r.pursuits,
                r.deal_done,
                r.lost_out,
                r.still_open,
            )
            for r in rows
        ]
        return SourceBoard(at=at, sources=scores)


def _dated(fee: dict[str, Any] | None, on: date | None) -> dict[str, Any] | None:
    if fee is None:
        return None
    return {**fee, "reported_on": None if on is None else on.isoformat()}
