"""Engines and the one boundary where driver errors become ledger errors.

`connect_engine` picks the database of SPEC §2.1 (explicit URL, else the embedded server) and
`translated_errors` turns psycopg/SQLAlchemy exceptions into `ledger.errors` classes with the URL's
password hidden, so no secret and no traceback reaches a user.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import Engine, make_url

from ledger.embedded import embedded_url
from ledger.errors import DatabaseError, DatabaseUnavailableError, InputError, LedgerError
from ledger.settings import Settings


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
    url: str, *, statement_timeout_ms: int = 60_000, pool_size: int = 5
) -> Engine:
    """An engine whose sessions are in UTC and cannot hang forever on a lock or a statement."""
    options = f"-c timezone=UTC -c statement_timeout={statement_timeout_ms}"
    return sa.create_engine(
        url,
        pool_size=pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "options": options, "application_name": "rumours"},
    )


def connect_engine(settings: Settings) -> Engine:
    with translated_errors(settings.database_url or "embedded PostgreSQL"):
        url = database_url(settings)
        return create_ledger_engine(url, statement_timeout_ms=settings.statement_timeout_ms)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextlib.contextmanager
def translated_errors(url: str) -> Iterator[None]:
    """Re-raise driver errors as `DatabaseError`s whose message names the (redacted) server."""
    try:
        yield
    except LedgerError:
        raise
    except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
        message = _first_line(exc).replace(url, redact(url))
        raise DatabaseUnavailableError(
            f"cannot reach PostgreSQL at {redact(url)}: {message}"
        ) from exc
    except sa_exc.DBAPIError as exc:
        raise DatabaseError(f"PostgreSQL refused the work: {_first_line(exc)}") from exc
