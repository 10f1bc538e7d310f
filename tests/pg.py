"""Where the test suite's PostgreSQL comes from (SPEC §2.1, tests).

1. `RUMOURS_TEST_DATABASE_URL` when set (any PostgreSQL 15+ where the role may CREATE DATABASE);
2. else a testcontainers PostgreSQL when a Docker daemon answers;
3. else the embedded server, its data under `RUMOURS_TEST_HOME` (default: a folder in /tmp).
Every test gets a fresh database cloned from a migrated template, so tests never see each
other's data and the schema always comes from the Alembic migrations.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ledger.database import create_ledger_engine, normalise_url
from ledger.embedded import embedded_url
from ledger.migrate import upgrade_to_head


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


@contextlib.contextmanager
def server_url() -> Iterator[str]:
    """An admin URL of a server the suite may create databases on."""
    explicit = os.environ.get("RUMOURS_TEST_DATABASE_URL")
    if explicit:
        yield normalise_url(explicit)
        return
    if os.environ.get("RUMOURS_TEST_DOCKER", "auto") != "never" and _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:17-alpine", driver="psycopg") as container:
            yield container.get_connection_url()
        return
    home = Path(
        os.environ.get("RUMOURS_TEST_HOME", Path(tempfile.gettempdir()) / "rumours-test-pg")
    )
    yield embedded_url(home, database="postgres")


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def create_template(url: str) -> str:
    name = f"rumours_tpl_{uuid.uuid4().hex[:10]}"
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = create_ledger_engine(with_database(url, name))
    upgrade_to_head(engine)
    engine.dispose()
    return name


def create_database(url: str, template: str) -> str:
    name = f"rumours_test_{uuid.uuid4().hex[:12]}"
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return name


def drop_database(url: str, name: str) -> None:
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
