"""Pooled connections: one that died while idle is replaced; one just handed back is not pinged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from ledger import database
from ledger.database import create_ledger_engine
from ledger.errors import DatabaseUnavailableError


def _kill_pooled_backend(engine: sa.Engine, admin: sa.Engine) -> None:
    """Check a connection in and terminate its backend, as a server restart would."""
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid}).scalar()


@pytest.fixture
def pooled(database_url: str, engine: sa.Engine) -> Iterator[tuple[sa.Engine, sa.Engine]]:
    one = create_ledger_engine(database_url, pool_size=1)
    yield one, engine
    one.dispose()


def test_a_connection_that_died_while_idle_is_replaced_before_use(
    pooled: tuple[sa.Engine, sa.Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, admin = pooled
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    _kill_pooled_backend(engine, admin)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1


def test_a_connection_handed_back_moments_ago_is_used_without_a_ping(
    pooled: tuple[sa.Engine, sa.Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other side of the trade: no ping within the idle window, so a backend killed in that
    # window is only noticed by the statement itself (and the pool then drops the connection).
    engine, admin = pooled
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _kill_pooled_backend(engine, admin)
    with pytest.raises(DatabaseUnavailableError), engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1
