"""`rumours project --follow`: keep the projection current as events are committed.

Appends send `NOTIFY rumours_events` in their transaction, so the follower wakes as soon as a
commit lands; a poll every few seconds covers notifications lost while reconnecting.

Idle means outside any transaction: the follower waits on a LISTEN connection in autocommit and
asks it, in one autocommit statement, whether the head has moved past the checkpoint. Only then
does it open a batch transaction. A snapshot held open while nothing happens would hold back
vacuum for as long as the ledger is quiet.

Each time the head crosses into a new book position, the likelihood book of that position is
fitted in a child process (`projections.books_ahead`), so the first board read there finds it
stored; projecting never waits for it.

A lost server (restart, failover, a terminated backend) is not the end: the follower retries with
a growing pause, and once it is back, resumes from the checkpoint it last committed (a batch is
one transaction, so nothing half-applied survives) and says so in one line. It gives up, with
the database error, only if the server stays away longer than `retry_for` seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

import psycopg
import sqlalchemy as sa

from ledger.child_processes import die_with_parent
from ledger.database import libpq_url, translated_errors
from ledger.errors import DatabaseUnavailableError
from ledger.logs import get_logger
from ledger.settings import DEFAULT_FOLLOW_RETRY_SECONDS
from projections.books import book_position
from projections.queries import CHECKPOINT
from projections.runner import catch_up

log = get_logger(__name__)
POLL_SECONDS = 2.0
FIRST_PAUSE, LONGEST_PAUSE = 0.25, 5.0  # seconds between reconnection attempts

_BEHIND = (
    "SELECT (SELECT last_position FROM ledger_head), "
    "(SELECT position FROM projection_checkpoints WHERE name = %s)"
)


class _Clock:
    """When to stop following (never, unless `stop_after` is given)."""

    def __init__(self, stop_after: float | None) -> None:
        self.deadline = None if stop_after is None else time.monotonic() + stop_after

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def wait(self, longest: float) -> float:
        if self.deadline is None:
            return longest
        return max(0.0, min(longest, self.deadline - time.monotonic()))


class _Outage:
    """How long the server has been away, and how long to pause before the next attempt."""

    def __init__(self, retry_for: float, announce: Callable[[str], None] | None) -> None:
        self.retry_for, self.announce = retry_for, announce
        self.lost_at: float | None = None
        self.pause = FIRST_PAUSE

    def lost(self, error: DatabaseUnavailableError, clock: _Clock) -> bool:
        """Note a failed attempt; False once the outage has lasted longer than `retry_for`."""
        self.lost_at = self.lost_at or time.monotonic()
        if (self.retry_for and time.monotonic() - self.lost_at > self.retry_for) or clock.expired():
            return False
        log.warning("projection_follow_disconnected", error=str(error), retry_in=self.pause)
        time.sleep(clock.wait(self.pause))
        self.pause = min(LONGEST_PAUSE, self.pause * 2)
        return True

    def over(self, checkpoint: int) -> None:
        """Connected again: say so once, and start the next outage from scratch."""
        if self.lost_at is None:
            return
        away = time.monotonic() - self.lost_at
        log.info("projection_follow_reconnected", position=checkpoint, seconds=round(away, 1))
        if self.announce is not None:
            self.announce(
                f"reconnected to PostgreSQL after {away:.1f} s; resuming from position {checkpoint}"
            )
        self.lost_at, self.pause = None, FIRST_PAUSE


def _fit_book(follower: int, url: str, head: int, quiet_days: int) -> None:
    # A fit from scratch runs for minutes: a follower killed meanwhile takes it along.
    die_with_parent(follower)
    # Imported in the child only: the follower itself never loads the fit.
    from projections import books_ahead

    books_ahead.fit_in_child(url, head, quiet_days)


class AheadFitter:
    """The follower's book fits: one child process at a time, for the latest book position."""

    def __init__(self, engine: sa.Engine, quiet_days: int) -> None:
        self._url = engine.url.render_as_string(hide_password=False)
        self._quiet_days = quiet_days
        self._asked: int | None = None  # the book position the last child was started for
        self._child: BaseProcess | None = None

    def reached(self, head: int) -> None:
        """The projection is current up to `head`: fit its book if no child is busy."""
        position = book_position(head)
        if position == self._asked or self._busy():
            return
        self._asked = position
        if position == 0:
            return  # an empty ledger has no book to fit
        # Fork: the child starts at once and makes its own connections (it never uses the
        # follower's; psycopg does not close a connection in a child process). Not a daemon: a
        # fit from scratch forks workers of its own, which a daemon may not.
        context = multiprocessing.get_context("fork")
        self._child = context.Process(
            target=_fit_book, args=(os.getpid(), self._url, head, self._quiet_days)
        )
        self._child.start()

    def close(self) -> None:
        """Wait for a fit under way: its book is worth keeping."""
        if self._child is not None:
            self._child.join()
            self._child = None

    def _busy(self) -> bool:
        if self._child is None:
            return False
        if self._child.is_alive():
            return True
        self._child.join()
        self._child = None
        return False


def follow_forever(
    engine: sa.Engine,
    *,
    quiet_days: int,
    stop_after: float | None = None,
    retry_for: float = DEFAULT_FOLLOW_RETRY_SECONDS,
    announce: Callable[[str], None] | None = None,
    on_projected: Callable[[int, int], None] | None = None,
) -> int:
    """Project until interrupted (or `stop_after` seconds); returns the last position.

    `retry_for` bounds one outage in seconds (0: retry for ever); `announce` receives the one
    line said when the follower is back after an outage; `on_projected(before, after)` is called
    after each catch-up that moved the projection (the CLI prints a line per batch).
    """
    clock, outage, url = _Clock(stop_after), _Outage(retry_for, announce), engine.url
    books = AheadFitter(engine, quiet_days)
    try:
        while True:
            try:
                with translated_errors(url):
                    return _follow_connected(engine, quiet_days, clock, outage, on_projected, books)
            except DatabaseUnavailableError as exc:
                if not outage.lost(exc, clock):
                    raise
    finally:
        books.close()


def _follow_connected(
    engine: sa.Engine,
    quiet_days: int,
    clock: _Clock,
    outage: _Outage,
    on_projected: Callable[[int, int], None] | None,
    books: AheadFitter,
) -> int:
    """Follow on one LISTEN connection until the clock runs out (a lost server raises)."""
    connect = libpq_url(engine.url.render_as_string(hide_password=False))
    with psycopg.connect(
        connect, autocommit=True, connect_timeout=10, application_name="rumours"
    ) as listener:
        listener.execute("LISTEN rumours_events")
        head, checkpoint = _positions(listener)
        outage.over(checkpoint)
        # Events committed before the LISTEN (since `rumours project` answered, or while the
        # server was away) are this first catch-up's batch: said like every later one.
        position = _projected(engine, quiet_days, (head, checkpoint), checkpoint, on_projected)
        log.info("projection_following", position=position)
        while not clock.expired():
            books.reached(position)
            for _ in listener.notifies(timeout=clock.wait(POLL_SECONDS), stop_after=1):
                pass
            position = _projected(engine, quiet_days, _positions(listener), position, on_projected)
    return position


def _projected(
    engine: sa.Engine,
    quiet_days: int,
    positions: tuple[int, int],
    before: int,
    on_projected: Callable[[int, int], None] | None,
) -> int:
    """Where the projection is, given (head, checkpoint): caught up first if it is behind (the
    only time a transaction is opened). Said if it moved since `before`, whoever moved it
    (another projector may have, such as the web server's)."""
    head, checkpoint = positions
    position = catch_up(engine, quiet_days=quiet_days) if head > checkpoint else checkpoint
    if on_projected is not None and position > before:
        on_projected(before, position)
    return position


def _positions(listener: psycopg.Connection[Any]) -> tuple[int, int]:
    """(head, checkpoint) in one autocommit statement: no transaction while nothing happens."""
    row = listener.execute(_BEHIND, (CHECKPOINT,)).fetchone()
    assert row is not None
    return int(row[0] or 0), int(row[1] or 0)
