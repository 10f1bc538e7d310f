"""How a likelihood book index is fitted at a book position: the cheapest way that gives it.

- grown from the latest index stored before it, when the ledger has grown little since
  (`projections.book_fit.grown_index`: only the players with new events are refolded);
- else from scratch: in this process for a small ledger, or split by player over worker
  processes, one range of player streams each, their counts added up (`BookTally.merge`). A
  player's predictions depend on his own events alone, so the split changes nothing. A process
  that serves requests on threads (`rumours serve`) never forks: a fork copies only the forking
  thread, and a lock another thread held stays locked in the child for ever.

Workers are forked (they start with the imports done) and connect on their own; they need no
shared snapshot: the events up to a book position are committed and never change. The fold runs
with the cyclic collector held back (`rare_collections`, as in the rebuild): a fold makes no
reference cycles, and the collector scanning what it allocates cost a large share of its CPU.

Nothing here logs: a board read that must fit a book may not import structlog.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Final

import psycopg
import sqlalchemy as sa

from ledger.child_processes import die_with_parent, interrupt_as_parent
from ledger.connections import Connection, session_options
from ledger.database import libpq_url, translated_errors
from projections.book_fit import fitted_tally, grown_index, may_grow
from projections.book_store import StoredBook
from projections.book_tally import BookTally
from projections.likelihood import BookIndex
from projections.rebuild_worker import rare_collections

EVENTS_PER_WORKER: Final = 200_000  # below this a fork and a connection cost more than they save
Share = tuple[str, int, int, str | None, str | None]  # url, position, quiet days, stream range


def index_at(
    engine: sa.Engine,
    position: int,
    *,
    quiet_days: int,
    earlier: StoredBook | None,
    may_fork: bool = True,
) -> BookIndex:
    """The index at `position`: grown from `earlier` (the latest stored before it) if the ledger
    has not grown too much since, else fitted from scratch (in this process unless `may_fork`:
    the web server's threads never fork)."""
    with rare_collections(), translated_errors(engine.url):
        if earlier is not None and may_grow(earlier, position):
            with engine.connect() as conn, conn.begin():
                return grown_index(_driver(conn), earlier, position, quiet_days=quiet_days)
        workers = max(1, min(os.cpu_count() or 1, position // EVENTS_PER_WORKER))
        if workers == 1 or not may_fork:
            with engine.connect() as conn, conn.begin():
                return fitted_tally(_driver(conn), position, quiet_days=quiet_days).index()
        return _fitted_in_workers(engine, position, quiet_days, workers)


def _driver(conn: sa.Connection) -> Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, psycopg.Connection), "engines drive with psycopg 3"
    return driver


def _fitted_in_workers(
    engine: sa.Engine, position: int, quiet_days: int, workers: int
) -> BookIndex:
    url = libpq_url(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        ranges = _player_ranges(_driver(conn), workers)
    shares = [(url, position, quiet_days, after, through) for after, through in ranges]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(shares), mp_context=context, initializer=_worker_start,
                             initargs=(os.getpid(),)) as pool:  # fmt: skip
        tally = BookTally()
        for share in pool.map(_fit_share, shares):
            tally.merge(share)
    return tally.index()


def _player_ranges(driver: Connection, count: int) -> list[tuple[str | None, str | None]]:
    """`count` ranges (after, through] of player streams with about equal numbers of players
    (read from the players table: counting each stream's events would scan the ledger)."""
    streams = [f"player:{player}" for (player,) in driver.execute(
        "SELECT player_id FROM players ORDER BY 'player:' || player_id"
    ).fetchall()]  # fmt: skip
    if len(streams) < count:
        return [(None, None)]
    cuts = [streams[len(streams) * part // count - 1] for part in range(1, count)]
    bounds: list[str | None] = [None, *cuts, None]
    return [(bounds[at], bounds[at + 1]) for at in range(count)]


def _worker_start(parent: int) -> None:
    """Ctrl-C and the end of the fitting process reach the workers as they reach any forked
    child (`ledger.child_processes`)."""
    interrupt_as_parent()
    die_with_parent(parent)


def _fit_share(share: Share) -> BookTally:
    url, position, quiet_days, after, through = share
    with (
        rare_collections(),
        translated_errors(url),
        psycopg.connect(url, **session_options(statement_timeout_ms=0)) as driver,
        driver.transaction(),
    ):
        return fitted_tally(
            driver, position, quiet_days=quiet_days, after_stream=after, through_stream=through
        )
