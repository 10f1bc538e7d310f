"""Shared fixtures: a real PostgreSQL database per test, cloned from a migrated template."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.database import create_ledger_engine
from ledger.logs import configure_logging
from tests import pg

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"

configure_logging("WARNING", json=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    with pg.server_url() as url:
        yield url


@pytest.fixture(scope="session")
def template_name(server_url: str) -> Iterator[str]:
    name = pg.create_template(server_url)
    yield name
    pg.drop_database(server_url, name)


@pytest.fixture
def database_url(server_url: str, template_name: str) -> Iterator[str]:
    name = pg.create_database(server_url, template_name)
    yield pg.with_database(server_url, name)
    pg.drop_database(server_url, name)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = create_ledger_engine(database_url, pool_size=10)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_engine(server_url: str, template_name: str) -> Iterator[Callable[[], sa.Engine]]:
    """Makes more empty migrated databases for tests that compare two ledgers."""
    made: list[tuple[str, sa.Engine]] = []

    def make() -> sa.Engine:
        name = pg.create_database(server_url, template_name)
        engine = create_ledger_engine(pg.with_database(server_url, name))
        made.append((name, engine))
        return engine

    yield make
    for name, engine in made:
        engine.dispose()
        pg.drop_database(server_url, name)


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS
