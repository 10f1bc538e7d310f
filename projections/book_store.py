"""Likelihood book indexes kept in the database by book position (table `likelihood_books`).

A book index is a function of the events up to its book position and of the quiet period, and
events are immutable, so a stored index is right for ever: the first process that fits one
stores it, and every later process, the reader role's included, reads it instead of scanning the
ledger. Concurrent first fits store the same index; the second insert does nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from ledger.logs import get_logger
from projections.likelihood import BookIndex
from projections.schema import likelihood_books

log = get_logger(__name__)


def load_index(engine: sa.Engine, position: int, quiet_days: int) -> BookIndex | None:
    """The stored index at this book position, or None if no process has stored it yet."""
    query = sa.select(likelihood_books.c.book_index).where(
        likelihood_books.c.book_position == position,
        likelihood_books.c.quiet_days == quiet_days,
    )
    with engine.connect() as conn:
        stored = conn.execute(query).scalar_one_or_none()
    if stored is None:
        return None
    log.debug("likelihood_book_loaded", book_position=position, quiet_days=quiet_days)
    return BookIndex.from_json(stored)


def store_index(engine: sa.Engine, position: int, quiet_days: int, index: BookIndex) -> None:
    """Keep the index for later processes; a row already there (a concurrent fit) is left."""
    row = {"book_position": position, "quiet_days": quiet_days, "book_index": index.as_json()}
    statement = insert(likelihood_books).values(row).on_conflict_do_nothing()
    with engine.begin() as conn:
        conn.execute(statement)
    log.info("likelihood_book_stored", book_position=position, quiet_days=quiet_days)
