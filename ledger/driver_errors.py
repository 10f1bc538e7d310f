"""The one place where driver errors become ledger errors, with the URL's password hidden.

`translate` picks the ledger error for a psycopg error (or SQLAlchemy's wrapper of one, which
carries it as `orig`) by its SQLSTATE. Engines call it from SQLAlchemy's `handle_error` event
(`ledger.database`); `translated_errors` wraps work on a bare psycopg connection (the boards'
reads, COPY, LISTEN), which SQLAlchemy never sees. Neither imports SQLAlchemy: a warm board read
goes through here without it.

Give them the URL with its real password (the engine's `URL` object, or the string it was made
from), not `str(engine.url)`: SQLAlchemy renders that with `***`, which leaves no real password
to look for in a message that echoes it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg

from ledger.errors import (
    DatabaseError,
    DatabaseUnavailableError,
    LedgerError,
    PermissionDeniedError,
    StatementCancelledError,
    WriteConflictError,
)
from ledger.settings import DEFAULT_STATEMENT_TIMEOUT_MS
from ledger.urls import RenderableUrl, password_of, redact, url_text, username_of

Url = str | RenderableUrl


def _detail(driver_error: BaseException, url: str) -> str:
    """The driver's first line, with the URL and its password masked (libpq may echo either)."""
    text = str(driver_error).strip()
    line = text.splitlines()[0] if text else type(driver_error).__name__
    line = line.replace(url, redact(url))
    password = password_of(url)
    return line.replace(password, "***") if password else line


def _role(url: str) -> str:
    username = username_of(url)
    return f"role {username}" if username else "the role in use"


def translate(exc: Exception, url: Url, *, lost: bool = False) -> DatabaseError:
    """The ledger error for one driver error, chosen by SQLSTATE (PostgreSQL docs, appendix A).

    psycopg files timeouts, deadlocks and lost connections alike under OperationalError, so the
    class alone cannot tell "the server is down" from "this statement took too long".
    """
    text = url_text(url)
    driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps; an error from a raw COPY is bare
    sqlstate: str | None = getattr(driver, "sqlstate", None)
    detail = _detail(driver, text)
    if sqlstate == "57014" and "statement timeout" in detail:  # query_canceled, English server
        return StatementCancelledError(
            "PostgreSQL cancelled a statement that ran past statement_timeout (rumours sets "
            f"{DEFAULT_STATEMENT_TIMEOUT_MS} ms unless RUMOURS_STATEMENT_TIMEOUT_MS says "
            "otherwise): the work was too slow, or waited that long for a lock another session "
            "held; nothing was written, run it again when the server is less busy, with less "
            "input at once, or with a longer RUMOURS_STATEMENT_TIMEOUT_MS"
        )
    if sqlstate == "55P03":  # lock_not_available: lock_timeout ran out, or NOWAIT found it taken
        return StatementCancelledError(
            f"PostgreSQL gave up waiting for a lock another session holds ({detail}; see "
            "lock_timeout); nothing was written, run it again once that session is done"
        )
    if sqlstate == "57014":  # pg_cancel_backend, or a statement timeout in another language
        return StatementCancelledError(
            f"PostgreSQL cancelled the statement ({detail}); nothing was written"
        )
    if sqlstate in ("40P01", "40001"):  # deadlock_detected, serialization_failure
        return WriteConflictError(
            f"the transaction conflicted with another writer ({detail}); nothing was written, "
            "run it again"
        )
    if sqlstate == "42501":  # insufficient_privilege
        return PermissionDeniedError(
            f"PostgreSQL refused the work: {detail} ({_role(text)} lacks that privilege; "
            "`rumours db roles` makes one role per job)"
        )
    # No SQLSTATE: libpq itself gave up (refused, reset, timed out). Class 08 is a connection
    # exception, 57P0x an administrator or a crash ending the session.
    gone = sqlstate is None or sqlstate.startswith(("08", "57P"))
    if (
        lost
        or getattr(exc, "connection_invalidated", False)
        or (gone and isinstance(driver, (psycopg.OperationalError, psycopg.InterfaceError)))
    ):
        return DatabaseUnavailableError(f"cannot reach PostgreSQL at {redact(text)}: {detail}")
    return DatabaseError(f"PostgreSQL refused the work: {detail}")


def _from_driver(exc: Exception) -> bool:
    """A psycopg error, or SQLAlchemy's wrapper of one (told by what it wraps, so SQLAlchemy
    need not be imported to recognise it)."""
    return isinstance(exc, psycopg.Error) or isinstance(getattr(exc, "orig", None), psycopg.Error)


@contextlib.contextmanager
def translated_errors(url: Url) -> Iterator[None]:
    """Re-raise driver errors as `DatabaseError`s that say what went wrong, password hidden."""
    try:
        yield
    except LedgerError:
        raise
    except Exception as exc:
        if not _from_driver(exc):
            raise
        raise translate(exc, url) from exc
