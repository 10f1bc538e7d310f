"""Alembic environment.

Takes a live connection from `config.attributes["connection"]` (tests, `rumours init`) or builds
one from `sqlalchemy.url` / `RUMOURS_DATABASE_URL` (plain `alembic upgrade head`). Every run takes a
transaction-level advisory lock, so two commands upgrading at once queue instead of colliding, and
sets lock/statement timeouts so a migration never waits forever behind a long reader.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context

# The one place under `ledger/` that imports `projections`: Alembic loads this file as a script
# (nothing in `ledger` imports it), and it must see the whole schema, the projection tables too.
import projections.schema  # noqa: F401 - registers the projection tables on the shared MetaData
from ledger.schema import metadata

MIGRATION_LOCK_KEY = 0x52554D4F  # "RUMO": any constant shared by every migrating process

config = context.config
target_metadata = metadata


def _run(connection: sa.Connection) -> None:
    connection.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
    connection.execute(sa.text("SET LOCAL statement_timeout = '300s'"))
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        with connection.begin_nested() if connection.in_transaction() else connection.begin():
            _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ["RUMOURS_DATABASE_URL"]
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported: run against a database")
run_migrations_online()
