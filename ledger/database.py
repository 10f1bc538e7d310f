"""Engines and the one boundary where driver errors become ledger errors.

`connect_engine` picks the database of SPEC §2.1 (explicit URL, else the embedded server).

Driver errors become `ledger.errors` classes in one place, `_translate`, with the URL's password
hidden, so no secret and no traceback reaches a user. Every engine made by `create_ledger_engine`
calls it from SQLAlchemy's `handle_error` event, so whatever runs a statement or opens a
connection through the engine (a command, the projector, a rebuild, a follower) gets ledger errors
without wrapping anything. `translated_errors` remains for work on the raw driver connection
(COPY, LISTEN), which SQLAlchemy never sees; give it the engine's `URL` object, not
`str(engine.url)`: SQLAlchemy renders that string with `***`, which leaves no real password to look
for in a message that echoes it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import URL, Engine, make_url

from ledger.embedded import embedded_url
from ledger.errors import (
    DatabaseError,
    DatabaseUnavailableError,
    InputError,
    LedgerError,
    PermissionDeniedError,
    StatementCancelledError,
    WriteConflictError,
)
from ledger.settings import DEFAULT_STATEMENT_TIMEOUT_MS, Settings


def normalise_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` as users paste them; always drive with psycopg 3."""
    try:
        parsed = make_url(url.strip().replace("postgres://", "postgresql://", 1))
    except sa_exc.ArgumentError:
        raise InputError(
            "database URL: not a URL like postgresql://user@host:5432/rumours"
        ) from None
    if not parsed.drivername.startswith("postgresql"):
        raise InputError(
            f"database URL: '{parsed.drivername}' is not PostgreSQL; use postgresql://user@host/db"
        )
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def redact(url: str) -> str:
    """The URL with its password replaced by `***`, safe for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return "<unparseable database URL>"


def libpq_url(url: str) -> str:
    """The URL as `psql` and other libpq tools take it (no `+psycopg` driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_url(settings.home)


def create_ledger_engine(
    url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS, pool_size: int = 5
) -> Engine:
    """An engine whose sessions are in UTC and cannot hang forever on a lock or a statement."""
    options = f"-c timezone=UTC -c statement_timeout={statement_timeout_ms}"
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        connect_args={"connect_timeout": 10, "options": options, "application_name": "rumours"},
    )
    _ping_after_idling(engine)
    _translating_errors(engine)
    return engine


def _translating_errors(engine: Engine) -> None:
    @sa.event.listens_for(engine, "handle_error")
    def translate(context: sa.engine.ExceptionContext) -> None:
        error = context.original_exception
        if isinstance(error, psycopg.Error):
            # Raised from here, SQLAlchemy still rolls back, closes the cursor and invalidates a
            # lost connection before the new exception leaves it (chained to `error`).
            raise _translate(error, engine.url, lost=context.is_disconnect) from error


# A pooled connection may have died while it sat idle (server restart, failover, an idle-session
# timeout). `pool_pre_ping` would check it before *every* use, a round trip that cost a third of a
# single append and of a board lookup; a connection handed back moments ago is alive, so only one
# idle for longer than this is checked.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_after_idling(engine: Engine) -> None:
    @sa.event.listens_for(engine, "checkin")
    def remember_checkin(dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except psycopg.Error as exc:
            # The pool discards this connection and checks out (or opens) another.
            raise sa_exc.DisconnectionError(str(exc)) from exc


def connect_engine(settings: Settings) -> Engine:
    with translated_errors(settings.database_url or "embedded PostgreSQL"):
        url = database_url(settings)
        return create_ledger_engine(url, statement_timeout_ms=settings.statement_timeout_ms)


def _as_url(url: str | URL) -> URL | None:
    if isinstance(url, URL):
        return url
    try:
        return make_url(url)
    except sa_exc.ArgumentError:
        return None


def _shown(url: str | URL) -> str:
    """The URL as an error line may show it: password masked."""
    parsed = _as_url(url)
    if parsed is None:
        return redact(str(url))
    return parsed.render_as_string(hide_password=True)


def _detail(driver_error: BaseException, url: str | URL) -> str:
    """The driver's first line, with the URL and its password masked (libpq may echo either)."""
    text = str(driver_error).strip()
    line = text.splitlines()[0] if text else type(driver_error).__name__
    parsed = _as_url(url)
    if parsed is None:
        return line
    line = line.replace(parsed.render_as_string(hide_password=False), _shown(parsed))
    if parsed.password:
        line = line.replace(str(parsed.password), "***")
    return line


def _role(url: str | URL) -> str:
    parsed = _as_url(url)
    if parsed is not None and parsed.username:
        return f"role {parsed.username}"
    return "the role in use"


def _translate(exc: Exception, url: str | URL, *, lost: bool = False) -> DatabaseError:
    """The ledger error for one driver error, chosen by SQLSTATE (PostgreSQL docs, appendix A).

    psycopg files timeouts, deadlocks and lost connections alike under OperationalError, so the
    class alone cannot tell "the server is down" from "this statement took too long".
    """
    driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps; an error from a raw COPY is bare
    sqlstate: str | None = getattr(driver, "sqlstate", None)
    detail = _detail(driver, url)
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
            f"PostgreSQL refused the work: {detail} ({_role(url)} lacks that privilege; "
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
        return DatabaseUnavailableError(f"cannot reach PostgreSQL at {_shown(url)}: {detail}")
    return DatabaseError(f"PostgreSQL refused the work: {detail}")


@contextlib.contextmanager
def translated_errors(url: str | URL) -> Iterator[None]:
    """Re-raise driver errors as `DatabaseError`s that say what went wrong, password hidden.

    `url`: the engine's `URL` object (or a URL string with its real password), so a password the
    server or libpq echoes can be found and masked.
    """
    try:
        yield
    except LedgerError:
        raise
    except (sa_exc.DBAPIError, psycopg.Error) as exc:
        raise _translate(exc, url) from exc
