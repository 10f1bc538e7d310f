"""Timeouts, lock waits, deadlocks and lost sessions provoked on a real PostgreSQL.

Each must come out of `translated_errors` as its own ledger error, and only a session that was
really lost may say "cannot reach PostgreSQL".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.errors import (
    DatabaseUnavailableError,
    LedgerError,
    PermissionDeniedError,
    StatementCancelledError,
    WriteConflictError,
)

WAIT = 30  # seconds a blocked session may take before the test gives up on it


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _outcome(engine: sa.Engine, work: Callable[[sa.Connection], object]) -> LedgerError | None:
    """Run `work` in its own transaction; the one-line ledger error it ended with, or None."""
    error: LedgerError | None = None
    try:
        with translated_errors(_url(engine)), engine.begin() as conn:
            work(conn)
    except LedgerError as exc:
        error = exc
    assert error is None or "\n" not in str(error)
    return error


def _backend_pid(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


@pytest.fixture
def holder(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A second session holding the ledger_head row lock every append takes."""
    with engine.connect() as conn, conn.begin():
        conn.execute(sa.text("SELECT * FROM ledger_head WHERE id = 1 FOR UPDATE"))
        yield conn


def test_a_statement_timeout_names_the_setting_not_an_unreachable_server(
    engine: sa.Engine,
) -> None:
    def sleep(conn: sa.Connection) -> None:
        conn.execute(sa.text("SET LOCAL statement_timeout = 1"))
        conn.execute(sa.text("SELECT pg_sleep(1)"))

    error = _outcome(engine, sleep)
    assert isinstance(error, StatementCancelledError)
    assert "statement_timeout" in str(error) and "cannot reach" not in str(error)


def test_a_lock_timeout_on_a_row_another_session_holds(
    engine: sa.Engine, holder: sa.Connection
) -> None:
    def lock_head(conn: sa.Connection) -> None:
        conn.execute(sa.text("SET LOCAL lock_timeout = '50ms'"))
        conn.execute(sa.text("SELECT * FROM ledger_head WHERE id = 1 FOR UPDATE"))

    error = _outcome(engine, lock_head)
    assert isinstance(error, StatementCancelledError)
    assert "lock_timeout" in str(error) and "another session" in str(error)


def test_a_statement_timeout_while_waiting_for_a_lock(
    engine: sa.Engine, holder: sa.Connection
) -> None:
    def lock_head(conn: sa.Connection) -> None:
        conn.execute(sa.text("SET LOCAL statement_timeout = 50"))
        conn.execute(sa.text("SELECT * FROM ledger_head WHERE id = 1 FOR UPDATE"))

    error = _outcome(engine, lock_head)
    assert isinstance(error, StatementCancelledError)
    assert "statement_timeout" in str(error)


def test_a_real_deadlock_rolls_back_one_side_as_a_write_conflict(engine: sa.Engine) -> None:
    """Two sessions take advisory locks 1 and 2, then each asks for the other's."""
    first_locked, second_locked = threading.Event(), threading.Event()

    def first(conn: sa.Connection) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(1)"))
        first_locked.set()
        assert second_locked.wait(WAIT)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(2)"))

    def second(conn: sa.Connection) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(2)"))
        second_locked.set()
        assert first_locked.wait(WAIT)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(1)"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda work: _outcome(engine, work), (first, second)))
    errors = [error for error in outcomes if error is not None]
    assert len(errors) == 1, outcomes  # PostgreSQL aborts one side only
    assert isinstance(errors[0], WriteConflictError)
    assert "deadlock detected" in str(errors[0]) and "run it again" in str(errors[0])


def test_a_serialization_failure_is_a_write_conflict(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe (id int PRIMARY KEY, n int)"))
        conn.execute(sa.text("INSERT INTO probe VALUES (1, 0)"))

    def update_after_a_concurrent_commit(conn: sa.Connection) -> None:
        conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        conn.execute(sa.text("SELECT n FROM probe"))  # takes the snapshot
        with engine.begin() as other:
            other.execute(sa.text("UPDATE probe SET n = n + 1"))
        conn.execute(sa.text("UPDATE probe SET n = n + 1"))

    error = _outcome(engine, update_after_a_concurrent_commit)
    assert isinstance(error, WriteConflictError)
    assert "could not serialize" in str(error)


def test_a_missing_privilege_is_permission_denied(engine: sa.Engine) -> None:
    def read_events_as_a_monitor(conn: sa.Connection) -> None:
        # A predefined role: nothing to create or clean up. Without the right to SET ROLE the
        # refusal is a permission error as well.
        conn.execute(sa.text("SET LOCAL ROLE pg_monitor"))
        conn.execute(sa.text("SELECT count(*) FROM events"))

    error = _outcome(engine, read_events_as_a_monitor)
    assert isinstance(error, PermissionDeniedError)
    assert "permission denied" in str(error)


def test_a_terminated_session_still_says_the_server_cannot_be_reached(
    engine: sa.Engine,
) -> None:
    started = threading.Event()
    pids: list[int] = []
    outcome: list[LedgerError | None] = []

    def sleep(conn: sa.Connection) -> None:
        pids.append(_backend_pid(conn))
        started.set()
        conn.execute(sa.text("SELECT pg_sleep(20)"))

    thread = threading.Thread(target=lambda: outcome.append(_outcome(engine, sleep)))
    thread.start()
    assert started.wait(WAIT)
    with engine.connect() as killer:
        killer.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
    thread.join(WAIT)
    assert isinstance(outcome[0], DatabaseUnavailableError)
    assert str(outcome[0]).startswith("cannot reach PostgreSQL at ")
