"""Likelihood books stored by book position: fitted by one process, read by every later one."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from ledger.connections import Connection, EngineDatabase
from ledger.database import create_ledger_engine
from ledger.retract import retract
from ledger.settings import DEFAULT_QUIET_DAYS
from projections import book_fitting, book_store, books
from projections.api import Boards
from projections.book_rules import book_rules
from projections.book_store import StoredBook, packed_index, store_index
from projections.book_tally import BookTally
from projections.likelihood import BookIndex
from projections.runner import catch_up
from projections.schema import likelihood_books
from tests.integration.test_board_likelihood import chances, history, ingest_claims

AS_OF = date(2024, 8, 5)


@pytest.fixture
def ledger_fits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The book fits made, in order: ("scratch", position) or ("grown", position)."""
    fits: list[tuple[str, int]] = []
    fit_from_scratch, grow = book_fitting.fitted_tally, book_fitting.grown_index

    def from_scratch(driver: Connection, position: int, **options: Any) -> BookTally:
        fits.append(("scratch", position))
        return fit_from_scratch(driver, position, **options)

    def grown(driver: Connection, earlier: StoredBook, position: int, **options: Any) -> BookIndex:
        fits.append(("grown", position))
        return grow(driver, earlier, position, **options)

    monkeypatch.setattr(book_fitting, "fitted_tally", from_scratch)
    monkeypatch.setattr(book_fitting, "grown_index", grown)
    return fits


def stored_positions(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        query = sa.select(likelihood_books.c.book_position).order_by("book_position")
        return list(conn.execute(query).scalars())


def first_signing(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        query = "SELECT event_id FROM events WHERE kind = 'deal_done' ORDER BY position LIMIT 1"
        return str(conn.execute(sa.text(query)).scalar_one())


def test_a_second_process_gets_the_same_likelihoods_without_scanning_the_ledger(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    ingest_claims(engine, tmp_path, history())
    first = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    # The first process fits the book from the ledger.
    assert ledger_fits == [("scratch", len(history()))]
    assert stored_positions(engine) == [len(history())]
    # A new Boards has an empty memory, as a new CLI process does.
    second = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    assert second == first and second["Everton"] is not None
    assert ledger_fits == [("scratch", len(history()))]


def test_a_retraction_is_answered_by_a_new_book_grown_from_the_stored_one(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    ingest_claims(engine, tmp_path, history())
    before = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    before_retraction = datetime.now(UTC)
    retracted_at = retract(engine, UUID(first_signing(engine)), "the signing was never confirmed")
    after = chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())
    # The Athletic's bid that led to that signing is now a miss, so its backing counts for less.
    assert after["Everton"] is not None and before["Everton"] is not None
    assert after["Everton"] < before["Everton"]
    assert stored_positions(engine) == [len(history()), retracted_at]
    assert ledger_fits == [("scratch", len(history())), ("grown", retracted_at)]
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
                rules=book_rules(),
                layout=first.layout,
                days=first.days,
                hits=first.hits,
                counts=first.counts,
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


def test_a_read_only_server_fits_books_in_memory_and_tries_storing_only_once(
    engine: sa.Engine,
    tmp_path: Path,
    ledger_fits: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hot standby serving boards refuses every write (SQLSTATE 25006), as this session does."""
    ingest_claims(engine, tmp_path, history())
    catch_up(engine, quiet_days=DEFAULT_QUIET_DAYS)  # the primary's projector, replicated
    replica = create_ledger_engine(engine.url.render_as_string(hide_password=False))

    @sa.event.listens_for(replica, "connect")
    def read_only(driver: Any, _: object) -> None:
        driver.execute("SET default_transaction_read_only = on")
        driver.commit()

    attempts: list[int] = []

    def counted(conn: Connection, position: int, quiet_days: int, index: BookIndex) -> bool:
        attempts.append(position)
        return store_index(conn, position, quiet_days, index)

    monkeypatch.setattr(books, "store_index", counted)
    try:
        boards = Boards(replica)
        likely = chances(boards.status("Rune Sandvik", as_of=AS_OF).as_json())
        retracted_at = retract(engine, UUID(first_signing(engine)), "never confirmed")
        catch_up(engine, quiet_days=DEFAULT_QUIET_DAYS)
        after = chances(boards.status("Rune Sandvik", as_of=AS_OF).as_json())
    finally:
        replica.dispose()
    assert likely["Everton"] is not None and after["Everton"] is not None
    assert ledger_fits == [("scratch", len(history())), ("scratch", retracted_at)]
    assert attempts == [len(history())] and stored_positions(engine) == []


def test_a_book_stored_by_other_rules_is_neither_read_nor_grown_from(
    engine: sa.Engine,
    tmp_path: Path,
    ledger_fits: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A book stored by a release whose fold or track record differed (here: rules that predict
    nothing) is another function of the events: reading it, or growing a book from it, would
    answer the old rules' likelihood, or fail on counts that do not add up."""
    ingest_claims(engine, tmp_path, history())
    before_retraction = datetime.now(UTC)
    with monkeypatch.context() as older:
        older.setattr(book_store, "book_rules", lambda: "older-rules")
        with EngineDatabase(engine).reading() as conn:
            store_index(conn, len(history()), DEFAULT_QUIET_DAYS, BookIndex(()))
    retracted_at = retract(engine, UUID(first_signing(engine)), "never confirmed")
    known = Boards(engine).status("Rune Sandvik", as_of=AS_OF, known_at=before_retraction)
    assert chances(known.as_json())["Everton"] is not None
    assert chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())["Everton"]
    assert ledger_fits == [("scratch", len(history())), ("grown", retracted_at)]


def test_concurrent_board_reads_at_a_new_book_position_fit_its_book_once(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    """The web server's threads share one Boards: the first read fits, the others wait for it."""
    ingest_claims(engine, tmp_path, history())
    catch_up(engine, quiet_days=DEFAULT_QUIET_DAYS)
    boards = Boards(engine, may_fork=False)
    answers: list[dict[str, float | None]] = []
    readers = [
        threading.Thread(
            target=lambda: answers.append(
                chances(boards.status("Rune Sandvik", as_of=AS_OF).as_json())
            )
        )
        for _ in range(4)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
    assert len(answers) == 4 and all(answer == answers[0] for answer in answers)
    assert ledger_fits == [("scratch", len(history()))]
