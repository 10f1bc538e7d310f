"""Where a command's database is and how it connects: a bare psycopg connection for reads, a
SQLAlchemy engine only for the work that needs one.

A warm board read (`rumours status`) runs a handful of plain-text statements; SQLAlchemy costs
more to import than the whole answer may take. So a `LedgerDatabase` hands out two things:
- `reading()`: a psycopg connection in autocommit for the boards' reads (SQL in
  `projections.queries`), with driver errors translated (`ledger.driver_errors`);
- `engine()`: the SQLAlchemy engine (`ledger.database`), made on first use, for writes,
  migrations and a projection's catch-up.
`UrlDatabase` is the command line's (one process, one connection, opened on first read);
`EngineDatabase` wraps an engine a caller already has (the web server, tests, a notebook) and
reads through the engine's own pool.

Every session, either way, is in UTC under the same statement timeout (`session_options`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import psycopg

from ledger.driver_errors import Url, translated_errors
from ledger.embedded import embedded_url
from ledger.settings import DEFAULT_STATEMENT_TIMEOUT_MS, Settings
from ledger.urls import libpq_url, normalise_url

if TYPE_CHECKING:  # SQLAlchemy: imported by the engine's own module, when an engine is made
    import sqlalchemy as sa

Connection = psycopg.Connection[Any]


def database_url(settings: Settings) -> str:
    """SPEC §2.1: the explicit URL, else the embedded server's (started if need be)."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_url(settings.home)


def session_options(statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS) -> dict[str, Any]:
    """libpq connection parameters of every session: UTC, and no endless wait on a lock."""
    options = f"-c timezone=UTC -c statement_timeout={statement_timeout_ms}"
    return {"connect_timeout": 10, "options": options, "application_name": "rumours"}


class LedgerDatabase:
    """Reads on bare psycopg, everything else through a SQLAlchemy engine (see the module)."""

    url: Url  # with its real password, for error lines to mask it

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def engine(self) -> sa.Engine:
        raise NotImplementedError

    def close(self) -> None:
        """Close what this object opened (an engine handed in stays its owner's)."""


class UrlDatabase(LedgerDatabase):
    """A database by URL: one psycopg connection for the reads, an engine made when needed."""

    def __init__(self, url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS):
        self.url = self._text = url
        self._timeout = statement_timeout_ms
        self._reader: Connection | None = None
        self._engine: sa.Engine | None = None

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        with translated_errors(self.url):
            if self._reader is None or self._reader.closed:
                self._reader = psycopg.connect(
                    libpq_url(self._text), autocommit=True, **session_options(self._timeout)
                )
            yield self._reader

    def engine(self) -> sa.Engine:
        if self._engine is None:
            from ledger.database import create_ledger_engine

            self._engine = create_ledger_engine(self._text, statement_timeout_ms=self._timeout)
        return self._engine

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self._engine is not None:
            self._engine.dispose()


class EngineDatabase(LedgerDatabase):
    """An engine a caller owns; reads take a pooled connection in autocommit and use its driver
    connection (SQLAlchemy restores the isolation level when it goes back to the pool)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.url = engine.url
        self._engine = engine
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        with translated_errors(self.url), self._autocommit.connect() as conn:
            driver = conn.connection.driver_connection
            assert isinstance(driver, psycopg.Connection), "engines drive with psycopg 3"
            yield driver

    def engine(self) -> sa.Engine:
        return self._engine
