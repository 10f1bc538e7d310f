"""SQLAlchemy engines, and where they meet the one boundary where driver errors become ledger errors.

`connect_engine` picks the database of SPEC §2.1 (explicit URL, else the embedded server).

Driver errors become `ledger.errors` classes in one place, `ledger.driver_errors.translate`, with
the URL's password hidden, so no secret and no traceback reaches a user. Every engine made by
`create_ledger_engine` calls it from SQLAlchemy's `handle_error` event, so whatever runs a statement or opens a
connection through the engine (a command, the projector, a rebuild, a follower) gets ledger errors
without wrapping anything. `translated_errors` remains for work on the raw driver connection
(COPY, LISTEN), which SQLAlchemy never sees; give it the engine's `URL` object, not
`str(engine.url)`: SQLAlchemy renders that string with `***`, which leaves no real password to look
for in a message that echoes it.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Engine

from ledger.connections import database_url, session_options
from ledger.driver_errors import translate, translated_errors
from ledger.settings import DEFAULT_STATEMENT_TIMEOUT_MS, Settings
from ledger.urls import libpq_url, normalise_url, redact

# Re-exported: callers that make engines find the URL helpers and the error boundary here too.
__all__ = [
    "connect_engine",
    "create_ledger_engine",
    "database_url",
    "libpq_url",
    "normalise_url",
    "redact",
    "translated_errors",
]


def create_ledger_engine(
    url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS, pool_size: int = 5
) -> Engine:
    """An engine whose sessions are in UTC and cannot hang forever on a lock or a statement."""
    engine = sa.create_engine(
        url, pool_size=pool_size, connect_args=session_options(statement_timeout_ms)
    )
    _ping_after_idling(engine)
    _translating_errors(engine)
    return engine


def _translating_errors(engine: Engine) -> None:
    @sa.event.listens_for(engine, "handle_error")
    def translate_driver_error(context: sa.engine.ExceptionContext) -> None:
        error = context.original_exception
        if isinstance(error, psycopg.Error):
            # Raised from here, SQLAlchemy still rolls back, closes the cursor and invalidates a
            # lost connection before the new exception leaves it (chained to `error`).
            raise translate(error, engine.url, lost=context.is_disconnect) from error


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
