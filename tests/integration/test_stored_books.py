"""Likelihood books stored by book position: fitted by one process, read by every later one."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
import sqlalchemy as sa

from ledger.connections import EngineDatabase
from ledger.retract import retract
from projections import records
from projections.api import Boards
from projections.book_store import packed_index, store_index
from projections.likelihood import BookIndex
from projections.record_reads import LedgerClaims, read_claims
from projections.schema import likelihood_books
from tests.integration.test_board_likelihood import chances, history, ingest_claims

AS_OF = date(2024, 8, 5)


@pytest.fixture
def ledger_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The book positions the likelihood books scanned the ledger up to, in order."""
    scans: list[int] = []

    def counted(conn: sa.Connection, *, as_of: date, known: int) -> LedgerClaims:
        scans.append(known)
        return read_claims(conn, as_of=as_of, known=known)

    monkeypatch.setattr(records, "read_claims", counted)
    return scans


def stored_positions(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        query = sa.select(likelihood_books.c.book_position).order_by("book_position")
        return list(conn.execute(query).scalars())


def test_a_second_process_gets_the_same_likelihoods_without_scanning_the_ledger(
    engine: sa.Engine, tmp_path: Path, ledger_scans: list[int]
) -> None:
    ingest_claims(engine, tmp_path, history())
    first = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    assert ledger_scans == [len(history())]  # the first process fits the book from the ledger
    assert stored_positions(engine) == [len(history())]
    # A new Boards has an empty memory, as a new CLI process does.
    second = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    assert second == first and second["Everton"] is not None
    assert ledger_scans == [len(history())]


def test_a_retraction_is_answered_by_a_new_book_not_the_stored_one(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, history())
    before = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    with engine.connect() as conn:
        signing = conn.execute(
            sa.text(
                "SELECT event_id FROM events WHERE kind = 'deal_done' ORDER BY position LIMIT 1"
            )
        ).scalar_one()
    before_retraction = datetime.now(UTC)
    retracted_at = retract(engine, UUID(str(signing)), "the signing was never confirmed")
    after = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    # The Athletic's bid that led to that signing is now a miss, so its backing counts for less.
    assert after["Everton"] is not None and before["Everton"] is not None
    assert after["Everton"] < before["Everton"]
    assert stored_positions(engine) == [len(history()), retracted_at]
    # A board known before the retraction still gets the book stored before it.
    earlier = Boards(engine).status("Rune Sandvik", as_of=AS_OF, known_at=before_retraction)
    assert earlier.at.position == len(history()) and chances(earlier.as_json()) == before


def test_concurrent_first_fits_store_one_book_and_neither_fails(engine: sa.Engine) -> None:
    first = packed_index(BookIndex(()))
    with engine.connect() as holder:
        # An uncommitted row for the same key: a concurrent insert waits on it, then does nothing.
        holder.execute(
            sa.insert(likelihood_books).values(
                book_position=7,
                quiet_days=30,
                layout=first.layout,
                days=first.days,
                hits=first.hits,
            )
        )
        failures: list[BaseException] = []

        def second_fit() -> None:
            try:
                with EngineDatabase(engine).reading() as conn:
                    store_index(conn, 7, 30, BookIndex(()))
            except BaseException as exc:  # reported below, on the test's thread
                failures.append(exc)

        racer = threading.Thread(target=second_fit)
        racer.start()
        racer.join(timeout=1)
        assert racer.is_alive()  # waiting on the first fit's uncommitted row
        holder.commit()
        racer.join(timeout=30)
    assert not racer.is_alive() and failures == []
    assert stored_positions(engine) == [7]
