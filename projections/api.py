"""The Python API of the boards; the CLI is a thin layer over it, and so can a notebook be.

    boards = Boards(engine)
    boards.status("Ko Itakura", as_of=date(2025, 2, 3)).as_json()

Every answer first makes sure the projection reflects every committed event (catching up if an
append happened since), then reads the bitemporal tables at the requested time point.

Imports are kept light for a warm CLI answer: the boards read on a bare psycopg connection
(`ledger.connections`), and SQLAlchemy, the fold, the runner and the event codec are imported
where they are needed (a catch-up, fitting a likelihood book, `history`, a known-at moment).

Answers cost few round trips, and none for a transaction (see `Boards._reading`). Besides the
pool's connection check, a player or club board is one statement that reads the time point and the
board together (`queries.PLAYER_BOARD`, `queries.CLUB_BOARD`); history and the source board read
the time point first. A known-at moment adds one lookup, and a catch-up a second read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ledger.connections import Connection, EngineDatabase, LedgerDatabase
from ledger.driver_errors import translated_errors
from ledger.errors import PermissionDeniedError
from ledger.logs import get_logger
from ledger.settings import DEFAULT_QUIET_DAYS
from projections import queries
from projections.board_rows import Quiet, by_recency, dated_fee, pursuit_line
from projections.boards import (
    ClubBoard,
    History,
    PlayerBoard,
    PursuitLine,
    SourceBoard,
    SourceScore,
    TimePoint,
)
from projections.books import LikelihoodBooks
from projections.fold.statuses import OPEN_STATUSES, Status
from projections.likelihood import Book
from projections.name_lookup import PlayerNames, club_id, club_name, guess_club, source_name
from projections.queries import CHECKPOINT, Row

if TYPE_CHECKING:
    import sqlalchemy as sa

    from projections.records import RecordBoard

_FAR_FUTURE = date(9999, 12, 31)
log = get_logger(__name__)


class Boards:
    """The boards of one database: an engine, or a `LedgerDatabase` (the command line's, which
    reads on a bare psycopg connection and makes an engine only to catch up or fit a book)."""

    def __init__(
        self,
        database: sa.Engine | LedgerDatabase,
        *,
        quiet_days: int = DEFAULT_QUIET_DAYS,
        may_fork: bool = True,
    ) -> None:
        """`may_fork=False` keeps a likelihood book's fit in this process (a server's threads)."""
        if not isinstance(database, LedgerDatabase):
            database = EngineDatabase(database)
        self.database = database
        self.quiet_days = quiet_days
        self._players = PlayerNames()
        self._url = database.url  # with the real password: error lines mask it
        self._books = LikelihoodBooks(quiet_days, may_fork=may_fork)
        self._may_project = True

    @property
    def engine(self) -> sa.Engine:
        return self.database.engine()

    def project(self) -> int:
        """Bring the projection up to the last committed event; returns that position."""
        from projections.runner import catch_up  # the fold: only when the ledger moved on

        with translated_errors(self._url):
            return catch_up(self.engine, quiet_days=self.quiet_days)

    def _reading(self) -> contextlib.AbstractContextManager[Connection]:
        """A connection for one answer, in autocommit: no BEGIN and no ROLLBACK round trips.

        Its statements still read one consistent answer. Each one filters the bitemporal rows by
        the same ledger position, at or before the projection's checkpoint, and the projector
        only ever opens rows (known_from) and closes them (known_to) at positions after its
        checkpoint, so what a projected position shows never changes; a rebuild swaps in rows
        folded from the same events. Events, which `history` reads, are only ever appended.
        A transaction would not have bought a snapshot anyway: at READ COMMITTED, the engine's
        level, every statement takes its own.
        """
        return self.database.reading()

    def _known_at(self, known_at: datetime | None) -> tuple[datetime | None, int | None]:
        """The known-at moment as answered, and the last position recorded by then (None: any)."""
        if known_at is None:
            return None, None
        if known_at.tzinfo is None:  # a naive moment from a notebook means UTC, as in the CLI
            known_at = known_at.replace(tzinfo=UTC)
        now = datetime.now(UTC)
        if known_at >= now:
            return now, None  # later than now is clamped to now (SPEC §5.4)
        from ledger.store import position_known_at  # SQLAlchemy: not on the warm path

        with translated_errors(self._url), self.engine.connect() as conn:
            return known_at, position_known_at(conn, known_at)

    def _read(
        self,
        conn: Connection,
        query: str,
        as_of: date | None,
        known_at: datetime | None,
        **params: Any,
    ) -> tuple[TimePoint, Sequence[Row]]:
        """`query`'s rows at the time point, and that time point (see `queries.TIME_POINT`).

        The rows are read at the checkpoint, and used as they are unless the ledger's head is
        past it; then the projection catches up and they are read again where it got to.
        """
        known_at, limit = self._known_at(known_at)
        when = as_of or _FAR_FUTURE
        rows = queries.rows(conn, query, when, limit, checkpoint=CHECKPOINT, **params)
        if rows[0].checkpoint < rows[0].head and self._may_project:
            try:
                # Autocommit: `conn` holds no snapshot or lock that the catch-up could wait on.
                position = self.project()
            except PermissionDeniedError:
                # A reader role may not write the projection: it answers at the checkpoint the
                # projector reached, which the answer's position says.
                self._may_project = False
                return TimePoint(as_of, known_at, rows[0].known), rows
            limit = position if limit is None else min(position, limit)
            rows = queries.rows(conn, query, when, limit, checkpoint=CHECKPOINT, **params)
        return TimePoint(as_of, known_at, rows[0].known), rows

    def status(
        self, player: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> PlayerBoard:
        with self._reading() as conn:
            # Resolved first, as the board's one statement needs the id; names come from the
            # players table, which the projection does not write, so catching up cannot change it.
            player_id, name = self._players.resolve(conn, player)
            at, rows = self._read(conn, queries.PLAYER_BOARD, as_of, known_at, player=player_id)
        book = self._book(at)
        quiet = self._quiet(as_of)
        # The facts come on every row (see PLAYER_BOARD). Missing facts read as NULL, like facts
        # that are all unknown, and either way the board shows None for them.
        facts = rows[0]
        return PlayerBoard(
            player=name,
            player_id=player_id,
            at=at,
            current_club=club_name(facts.current_club_id),
            release_clause=dated_fee(facts.release_clause, facts.release_clause_on),
            asking_price=dated_fee(facts.asking_price, facts.asking_price_on),
            pursuits=sorted(
                (
                    pursuit_line(row, name, quiet, self._chance(book, row))
                    for row in rows
                    if row.club_id
                ),
                key=by_recency,
                reverse=True,
            ),
            guessed_from=player if self._players.guessed(player) else None,
        )

    def club(
        self, club: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> ClubBoard:
        target_club, guessed = guess_club(club)
        with self._reading() as conn:
            at, rows = self._read(conn, queries.CLUB_BOARD, as_of, known_at, club=target_club)
        book, quiet = self._book(at), self._quiet(as_of)
        lines = [
            (row.target, pursuit_line(row, row.player_name, quiet, self._chance(book, row)))
            for row in rows  # see CLUB_BOARD: a board with nothing on it is one row of NULLs
            if row.club_id is not None and (row.target or row.club_id != target_club)
        ]

        def pick(*, buying: bool, done: bool) -> list[PursuitLine]:
            chosen = (line for target, line in lines
                      if target == buying and (line.status == Status.DEAL_DONE) == done)  # fmt: skip
            return sorted(chosen, key=by_recency, reverse=True)

        return ClubBoard(
            club=club_name(target_club) or target_club,
            at=at,
            targets=pick(buying=True, done=False),
            wanted=pick(buying=False, done=False),
            bought=pick(buying=True, done=True),
            sold=pick(buying=False, done=True),
            guessed_from=club if guessed else None,
        )

    def _quiet(self, as_of: date | None) -> Quiet:
        return Quiet(as_of or datetime.now(UTC).date(), self.quiet_days)

    def _book(self, at: TimePoint) -> Book | None:
        """The likelihood book at `at`; None for a role that may not read the ledger's events
        (the reader role of `rumours db roles` reads boards only): its boards show no likelihood."""
        if self._books.denied:
            return None
        try:
            with translated_errors(self._url):
                return self._books.book(self.database, at)
        except PermissionDeniedError:
            self._books.denied = True
            log.warning("likelihood_unavailable", reason="role cannot read events")
            return None

    def _chance(self, book: Book | None, row: Row) -> float | None:
        if book is None:
            return None
        return self._books.likelihood(book, row.status, row.sources, row.last_reported)

    def history(
        self,
        player: str,
        *,
        club: str | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> History:
        from projections.history import history_lines  # the fold: only history needs it here

        only_club = club_id(club) if club else None
        with self._reading() as conn:
            at, _ = self._read(conn, queries.TIME_POINT, as_of, known_at)
            player_id, name = self._players.resolve(conn, player)
        # The player's stream through the ledger's own reader (it upcasts older payloads).
        with translated_errors(self._url), self.engine.connect() as events:
            lines = history_lines(events, player_id, at, quiet_days=self.quiet_days, club=only_club)
        guessed = player if self._players.guessed(player) else None
        return History(player=name, at=at, claims=lines, guessed_from=guessed)

    def sources(
        self, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> SourceBoard:
        with self._reading() as conn:
            at, _ = self._read(conn, queries.TIME_POINT, as_of, known_at)
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

    def record(self, *, as_of: date | None = None, known_at: datetime | None = None) -> RecordBoard:
        """Every source's track record (docs/sources.md): only endings known by `as_of`."""
        with self._reading() as conn:
            at, _ = self._read(conn, queries.TIME_POINT, as_of, known_at)
        with translated_errors(self._url):
            from projections.records import record_board

            return record_board(self.engine, at, quiet_days=self.quiet_days)
