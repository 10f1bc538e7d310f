"""Run the Alembic migrations from code (`rumours init`, and commands that need the schema)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ledger.errors import SchemaError
from ledger.migrations_folder import MIGRATIONS_FOLDER


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: sa.Engine) -> str:
    """Create or upgrade the schema; a no-op (one query) when it is already at head."""
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
        if current == head:
            return head
        known = {
            rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()
        }
        if current is not None and current not in known:
            raise SchemaError(
                f"the database schema is at revision {current}, newer than this code knows; "
                "upgrade rumour-ledger"
            )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return head
