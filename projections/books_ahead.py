"""Likelihood books fitted ahead of the boards: where the ledger is already being folded.

A board read at a book position nobody has stored a book for waits for the fit
(`projections.books`). So whatever projects the ledger also fits the book of the head's book
position as soon as the head reaches it: `rumours project` (and `--rebuild`) once the projection
is committed, and the follower each time the head crosses into a new book position (`rumours
project --follow` leaves the first one to it too, so following never waits for a fit). A board
read then finds the book stored. Fitting ahead changes nothing a board answers: a book is a
function of its book position and rules, whoever fits it. A rebuild forgets every stored book
first (`forget_stored_books`): it is how a user starts the derived state again from the events.

The follower fits in a child process (`fit_in_child`, started by `projections.follow`), one book
at a time, so projecting new events never waits for a fit; a fit from scratch over millions of
events takes minutes.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from ledger.child_processes import interrupt_as_parent
from ledger.connections import EngineDatabase, session_options
from ledger.database import translated_errors
from ledger.errors import LedgerError, PermissionDeniedError
from ledger.logs import get_logger
from projections.book_fitting import index_at
from projections.book_store import forget_books, is_stored, load_earlier, store_index
from projections.books import book_position

log = get_logger(__name__)


def fit_book_ahead(engine: sa.Engine, head: int, *, quiet_days: int) -> int | None:
    """Fit and store the book of `head`'s book position unless it is stored already; returns the
    book position fitted (None if there was nothing to do)."""
    position = book_position(head)
    database = EngineDatabase(engine)
    try:
        with database.reading() as conn:
            if position == 0 or is_stored(conn, position, quiet_days):
                return None
            earlier = load_earlier(conn, position, quiet_days)
    except PermissionDeniedError:
        return None  # a role made before books were stored: its boards fit their own
    started = time.perf_counter()
    index = index_at(engine, position, quiet_days=quiet_days, earlier=earlier)
    with database.reading() as conn:
        if not store_index(conn, position, quiet_days, index):
            return None  # a read-only server: its primary fits and stores the books
    log.info("likelihood_book_fitted", position=position, quiet_days=quiet_days,
             grown_from=None if earlier is None else earlier.position,
             seconds=round(time.perf_counter() - started, 2))  # fmt: skip
    return position


def forget_stored_books(engine: sa.Engine) -> int:
    """Forget every stored book: what `rumours project --rebuild` does once the projection is
    rebuilt, so that no book fitted before it (by other code, or wrongly) survives it; the
    head's book is then fitted from scratch. Returns how many books were forgotten."""
    with translated_errors(engine.url), EngineDatabase(engine).reading() as conn:
        forgotten = forget_books(conn)
    log.info("likelihood_books_forgotten", books=forgotten)
    return forgotten


# The follower's child sessions under their own name: a fit reads in one transaction for as long
# as it takes, and whoever watches pg_stat_activity should not take it for the idle follower.
CHILD_APPLICATION = "rumours-book-fit"


def fit_in_child(url: str, head: int, quiet_days: int) -> None:
    """One book in the follower's child: a lost server or a Ctrl-C ends it with no traceback
    (the follower says what happened to the server; the next book position gets a new child).
    A follower that ignores Ctrl-C keeps its child ignoring it (`ledger.child_processes`)."""
    interrupt_as_parent()
    options = {**session_options(statement_timeout_ms=0), "application_name": CHILD_APPLICATION}
    engine = sa.create_engine(url, connect_args=options, poolclass=sa.pool.NullPool)
    try:
        with translated_errors(engine.url):
            fit_book_ahead(engine, head, quiet_days=quiet_days)
    except LedgerError as exc:  # a lost server, a stored book that cannot be grown from
        log.warning("likelihood_book_fit_failed", position=book_position(head), error=str(exc))
    finally:
        engine.dispose()
