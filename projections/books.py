"""The likelihood books behind the boards' `likelihood`, by book position.

Fitting source records needs the whole ledger, which a board lookup (a few index probes) cannot
afford on every call, so the predictions are scored once per *book position* and kept: the
answered position rounded down to two significant figures (exactly, up to 100). A board at
position P therefore uses the records as known at an earlier position, never a later one (no
look-ahead), and is still a pure function of P; a new index is needed once per 1% to 10% of
growth. A fitted index is stored in the database by book position (`projections.book_store`)
and read by every later process, on the boards' own bare connection. The book is then cut to
the board's as-of day by bisection (`projections.likelihood.BookIndex`).

A book position with no stored index gets one fitted (`projections.book_fitting`): grown from
the latest index stored before it, refolding only the players with events since, or from
scratch one player at a time (split over worker processes on a large ledger, except in the web
server, which never forks in a request). The follower and the rebuild fit each new book
position's index ahead
(`projections.books_ahead`), so a board read normally finds it stored. The fold and SQLAlchemy
are imported only when a fit is needed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, date, datetime

from ledger.connections import LedgerDatabase
from ledger.errors import PermissionDeniedError
from projections.boards import TimePoint
from projections.book_store import load_earlier, load_index, store_index
from projections.fold.statuses import OPEN_STATUSES
from projections.likelihood import Book, BookIndex

_BOOKS_KEPT = 4


def _today() -> date:
    return datetime.now(UTC).date()


def book_position(position: int) -> int:
    """`position` rounded down to two significant figures (kept as is up to 100)."""
    if position <= 100:
        return position
    step: int = 10 ** (len(str(position)) - 2)
    return position - position % step


class LikelihoodBooks:
    """Book indexes by book position: the few most recently used in memory, every one fitted so
    far in the database (`projections.book_store`), so a new process need not scan the ledger."""

    def __init__(self, quiet_days: int, *, may_fork: bool = True) -> None:
        self.quiet_days = quiet_days
        self.may_fork = may_fork  # False in the web server: its requests fit in its process
        self.denied = False  # set once the role was refused the events table
        self._may_store = True  # cleared once the role was refused storing a book
        self._indexes: OrderedDict[int, BookIndex] = OrderedDict()
        # The web server reads boards on several threads: the kept indexes change under a lock,
        # and one thread fits at a time, so concurrent reads at a new book position wait for
        # one fit instead of each making their own.
        self._kept = threading.Lock()
        self._fitting = threading.Lock()

    def book(self, database: LedgerDatabase, at: TimePoint) -> Book:
        position = book_position(at.position)
        index = self._kept_index(position)
        if index is None:
            with self._fitting:
                index = self._kept_index(position)  # fitted by another thread meanwhile?
                if index is None:
                    index = self._index(database, position)
            with self._kept:
                self._indexes[position] = index
                while len(self._indexes) > _BOOKS_KEPT:
                    self._indexes.popitem(last=False)
        # Cut at today when no day is asked: the index also holds silences that run out later.
        return index.book(at.as_of or _today())

    def _kept_index(self, position: int) -> BookIndex | None:
        with self._kept:
            index = self._indexes.get(position)
            if index is not None:
                self._indexes.move_to_end(position)
            return index

    def _index(self, database: LedgerDatabase, position: int) -> BookIndex:
        """The stored index, or one fitted (grown from the latest stored before it where that
        is cheaper) and stored if the role may."""
        try:
            with database.reading() as conn:
                stored = load_index(conn, position, self.quiet_days)
                earlier = None if stored else load_earlier(conn, position, self.quiet_days)
        except PermissionDeniedError:
            stored = earlier = None  # roles made before the table existed: fit it as before
        if stored is not None:
            return stored
        from projections.book_fitting import index_at  # the fold and SQLAlchemy: only this once

        index = index_at(database.engine(), position, quiet_days=self.quiet_days,
                         earlier=earlier, may_fork=self.may_fork)  # fmt: skip
        if self._may_store:
            try:
                with database.reading() as conn:
                    # False on a read-only server (a replica): keep it in memory from then on.
                    self._may_store = store_index(conn, position, self.quiet_days, index)
            except PermissionDeniedError:
                self._may_store = False  # the reader role: keep it in memory, as before
        return index

    def likelihood(
        self, book: Book, status: str, sources: list[str], last_reported: date
    ) -> float | None:
        """The likelihood of an open pursuit still live on the book's day; None otherwise."""
        day = book.day or _today()
        if status not in OPEN_STATUSES or (day - last_reported).days > self.quiet_days:
            return None
        return round(book.likelihood(status, sources), 3)
