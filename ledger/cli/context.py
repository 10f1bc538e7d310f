"""What every command gets: the settings read once at start-up, output mode and a lazy database."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from ledger.settings import Settings

if TYPE_CHECKING:
    # psycopg is imported on first use (`--help` and `db stop` never connect), SQLAlchemy only
    # for an engine (~0.2 s): a warm board read never loads it.
    import sqlalchemy as sa

    from ledger.connections import LedgerDatabase, UrlDatabase


@dataclass(slots=True)
class CliContext:
    settings: Settings
    json_output: bool = False
    _database: UrlDatabase | None = field(default=None, repr=False)
    _schema_checked: bool = field(default=False, repr=False)

    def database(self, *, migrate: bool = True) -> LedgerDatabase:
        """Find the database on first use and bring the schema to head, so no command needs
        `init` first. Reads go through its bare psycopg connection; its engine is made only for
        the commands (or the catch-up) that need one."""
        if self._database is None:
            from ledger.connections import UrlDatabase, database_url
            from ledger.driver_errors import translated_errors

            with translated_errors(self.settings.database_url or "embedded PostgreSQL"):
                url = database_url(self.settings)
            timeout = self.settings.statement_timeout_ms
            self._database = UrlDatabase(url, statement_timeout_ms=timeout)
        if migrate and not self._schema_checked:
            # Alembic costs a fifth of a second, so it is imported only when the schema is not
            # already at head (which `schema_is_current` tells from the migration files).
            from ledger.schema_head import schema_is_current

            with self._database.reading() as conn:
                current = schema_is_current(conn)
            if not current:
                from ledger.migrate import upgrade_to_head

                upgrade_to_head(self._database.engine())
            self._schema_checked = True
        return self._database

    def engine(self, *, migrate: bool = True) -> sa.Engine:
        """The database's SQLAlchemy engine (for writes, migrations and a catch-up)."""
        return self.database(migrate=migrate).engine()

    def emit_json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        if self._database is not None:
            self._database.close()


def context_of(ctx: click.Context) -> CliContext:
    obj = ctx.obj
    assert isinstance(obj, CliContext), "the root callback sets the context"
    return obj
