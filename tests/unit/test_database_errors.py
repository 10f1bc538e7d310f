"""Driver errors become ledger errors that say what went wrong: real psycopg classes, no server.

psycopg files a statement timeout, a deadlock and a dropped connection all under
OperationalError; only the SQLSTATE tells them apart, so each case below is built from the real
exception class PostgreSQL's SQLSTATE maps to, wrapped by SQLAlchemy exactly as it does at run time.
"""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy.exc as sa_exc
from psycopg import errors as pg_errors

from ledger.cli.context import CliContext
from ledger.database import translated_errors
from ledger.errors import (
    DatabaseError,
    DatabaseUnavailableError,
    InputError,
    PermissionDeniedError,
    StatementCancelledError,
    WriteConflictError,
)
from rumours.cli import EXIT_DATABASE, main

SECRET = "s3cret-pw-91c2"
URL = f"postgresql+psycopg://writer:{SECRET}@db.example:5432/rumours"


def _wrapped(error: Exception) -> sa_exc.DBAPIError:
    """What SQLAlchemy raises for a driver error (it picks OperationalError etc. by class)."""
    return sa_exc.DBAPIError.instance("SELECT 1", {}, error, psycopg.Error)


def _server_error(sqlstate: str, message: str) -> psycopg.Error:
    error = pg_errors.lookup(sqlstate)(message)
    assert error.sqlstate == sqlstate
    return error


def _translate(error: Exception) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught, translated_errors(URL):
        raise error
    assert caught.value.__cause__ is error, "the driver error stays reachable for debugging"
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    return caught.value


# (SQLSTATE, the server's first line, expected class, words the message must hold)
SERVER_ERRORS = {
    "statement_timeout": ("57014", "canceling statement due to statement timeout",
                          StatementCancelledError, ("statement_timeout", "60000 ms", "run it again")),
    "cancel_request": ("57014", "canceling statement due to user request",
                       StatementCancelledError, ("cancelled", "user request")),
    "lock_timeout": ("55P03", "canceling statement due to lock timeout",
                     StatementCancelledError, ("lock_timeout", "another session", "run it again")),
    "nowait": ("55P03", 'could not obtain lock on row in relation "ledger_head"',
               StatementCancelledError, ("lock", "ledger_head")),
    "deadlock": ("40P01", "deadlock detected",
                 WriteConflictError, ("conflicted with another writer", "nothing was written, run it again")),
    "serialization": ("40001", "could not serialize access due to concurrent update",
                      WriteConflictError, ("conflicted with another writer", "run it again")),
    "permission": ("42501", "permission denied for table events",
                   PermissionDeniedError, ("permission denied for table events", "role writer")),
    "admin_shutdown": ("57P01", "terminating connection due to administrator command",
                       DatabaseUnavailableError, ("cannot reach PostgreSQL at", "db.example")),
    "crash_shutdown": ("57P02", "terminating connection because of crash of another server process",
                       DatabaseUnavailableError, ("cannot reach PostgreSQL at",)),
    "connection_exception": ("08006", "connection failure",
                             DatabaseUnavailableError, ("cannot reach PostgreSQL at",)),
    "disk_full": ("53100", "could not extend file: No space left on device",
                  DatabaseError, ("refused the work", "No space left")),
}  # fmt: skip


@pytest.mark.parametrize("wrap", [True, False], ids=["sqlalchemy", "raw-psycopg"])
@pytest.mark.parametrize("name", list(SERVER_ERRORS))
def test_each_sqlstate_gets_its_own_class_and_words(name: str, wrap: bool) -> None:
    sqlstate, text, expected, words = SERVER_ERRORS[name]
    error = _server_error(sqlstate, text)
    translated = _translate(_wrapped(error) if wrap else error)
    assert type(translated) is expected
    for word in words:
        assert word in str(translated)


@pytest.mark.parametrize(
    "name", ["statement_timeout", "lock_timeout", "deadlock", "serialization", "disk_full"]
)
def test_only_a_lost_connection_says_the_server_cannot_be_reached(name: str) -> None:
    sqlstate, text, *_ = SERVER_ERRORS[name]
    translated = _translate(_wrapped(_server_error(sqlstate, text)))
    assert not isinstance(translated, DatabaseUnavailableError)
    assert "cannot reach" not in str(translated)


def test_a_refused_connection_names_the_redacted_server() -> None:
    refused = psycopg.OperationalError(
        'connection failed: connection to server at "10.0.0.9", port 5432 failed: '
        "Connection refused\n\tIs the server running on that host?"
    )
    translated = _translate(_wrapped(refused))
    assert type(translated) is DatabaseUnavailableError
    assert str(translated) == (
        "cannot reach PostgreSQL at postgresql+psycopg://writer:***@db.example:5432/rumours: "
        'connection failed: connection to server at "10.0.0.9", port 5432 failed: '
        "Connection refused"
    )


def test_a_connection_lost_mid_statement_is_unavailable() -> None:
    lost = psycopg.OperationalError("consuming input failed: server closed the connection")
    assert type(_translate(_wrapped(lost))) is DatabaseUnavailableError
    closed = psycopg.InterfaceError("the connection is closed")
    assert type(_translate(_wrapped(closed))) is DatabaseUnavailableError


def test_sqlalchemy_seeing_a_disconnect_wins_over_the_sqlstate() -> None:
    error = sa_exc.DBAPIError.instance(
        "SELECT 1", {}, _server_error("XX000", "internal"), psycopg.Error,
        connection_invalidated=True,
    )  # fmt: skip
    assert type(_translate(error)) is DatabaseUnavailableError


def test_a_client_side_programming_error_is_not_an_outage() -> None:
    misuse = psycopg.ProgrammingError("the query has 2 placeholders but 1 parameters were passed")
    translated = _translate(_wrapped(misuse))
    assert type(translated) is DatabaseError
    assert str(translated).startswith("PostgreSQL refused the work: the query has 2 placeholders")


def test_a_password_echoed_by_the_driver_is_masked() -> None:
    echo = psycopg.OperationalError(f"connection to {URL} failed; password {SECRET} rejected")
    message = str(_translate(_wrapped(echo)))
    assert "writer:***@db.example" in message and "password *** rejected" in message


def test_ledger_errors_and_other_exceptions_pass_through_untouched() -> None:
    for error in (InputError("bad claim"), ValueError("not a driver error")):
        with pytest.raises(type(error)) as caught, translated_errors(URL):
            raise error
        assert caught.value is error


@pytest.mark.parametrize("name", ["statement_timeout", "lock_timeout", "deadlock", "permission"])
def test_the_cli_prints_one_line_and_exits_with_the_database_code(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlstate, text, *_ = SERVER_ERRORS[name]

    def failing_engine(self: CliContext, *, migrate: bool = True) -> None:
        with translated_errors(URL):
            raise _wrapped(_server_error(sqlstate, text))

    monkeypatch.setattr(CliContext, "engine", failing_engine)
    monkeypatch.setenv("RUMOURS_DATABASE_URL", URL)
    with pytest.raises(SystemExit) as exited:
        main(["init"])
    assert exited.value.code == EXIT_DATABASE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rumours: ") and SECRET not in err
    assert "cannot reach" not in err
