"""The schema comes only from the migrations, and the table definitions agree with them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import projections.schema  # noqa: F401 - the projection tables live on the same MetaData
from ledger.migrate import current_revision, head_revision, upgrade_to_head
from ledger.schema import metadata


def test_the_migrations_and_the_table_definitions_do_not_drift(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrading_an_up_to_date_database_is_a_no_op(engine: sa.Engine) -> None:
    assert upgrade_to_head(engine) == head_revision()
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
