"""The throwaway database a benchmark run works in, and the bare reference table beside it.

A run never touches a user's ledger: it creates `rumours_bench_<random>` on the server (the
embedded one under `RUMOURS_HOME` or a temporary home, or the server of `RUMOURS_DATABASE_URL`),
migrates it with Alembic and drops it at the end, even when a stage fails.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ledger.database import create_ledger_engine, normalise_url
from ledger.embedded import embedded_url
from ledger.migrate import upgrade_to_head

# Long enough for a COPY that lasts a whole 1M-event rebuild; the product default is 60 s.
STATEMENT_TIMEOUT_MS = 3_600_000
RAW_TABLE = "events_raw"
# The events table with every index and constraint it has at the migrations' head (no triggers):
# what a COPY into the real table costs before any of the ledger's own work.
INDEXED_TABLE = "events_indexed"


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """A migrated throwaway database: its engine and URL (children connect with the URL)."""

    engine: sa.Engine
    url: str
    name: str
    server: str  # "embedded" or "RUMOURS_DATABASE_URL"


@contextlib.contextmanager
def server_admin_url() -> Iterator[tuple[str, str]]:
    """(admin URL, label) of the server to benchmark on, starting the embedded one if needed."""
    explicit = os.environ.get("RUMOURS_DATABASE_URL")
    if explicit:
        yield normalise_url(explicit), "RUMOURS_DATABASE_URL"
        return
    home_env = os.environ.get("RUMOURS_HOME")
    if home_env:
        yield embedded_url(Path(home_env).expanduser(), database="postgres"), "embedded"
        return
    with tempfile.TemporaryDirectory(prefix="rumours-bench-") as home:
        try:
            yield embedded_url(Path(home), database="postgres"), "embedded (temporary home)"
        finally:
            _stop_embedded(Path(home))


def _stop_embedded(home: Path) -> None:
    from ledger.embedded import stop_embedded

    stop_embedded(home)


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@contextlib.contextmanager
def throwaway_database(admin_url: str, label: str) -> Iterator[BenchDatabase]:
    """A fresh migrated database, dropped (connections and all) when the block ends."""
    name = f"rumours_bench_{uuid.uuid4().hex[:10]}"
    admin = _admin(admin_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = create_ledger_engine(url, statement_timeout_ms=STATEMENT_TIMEOUT_MS, pool_size=8)
    try:
        upgrade_to_head(engine)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE TABLE {RAW_TABLE} (LIKE events INCLUDING DEFAULTS)"))
            conn.execute(sa.text(f"CREATE TABLE {INDEXED_TABLE} (LIKE events INCLUDING ALL)"))
        yield BenchDatabase(engine, url, name, label)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settle(db: BenchDatabase) -> None:
    """Pay the previous stage's write debt before the next stage is timed.

    A bulk load leaves autovacuum, hint bits and a checkpoint to come; on two cores they land in
    whatever stage runs next and swing its figure (and its reference's) by a factor of several.
    VACUUM (ANALYZE) also gives tables a rebuild just swapped in their planner statistics.
    CHECKPOINT needs superuser or pg_checkpoint: without it the checkpoint is left to the server.
    """
    with psycopg.connect(psycopg_url(db.url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute("CHECKPOINT")


def server_version(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(sa.text("SHOW server_version")).scalar_one())


def psycopg_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string, for bare psycopg references."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
