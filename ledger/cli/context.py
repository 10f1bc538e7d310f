"""What every command gets: the settings read once at start-up, output mode and a lazy engine."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

from ledger.settings import Settings

if TYPE_CHECKING:  # SQLAlchemy and psycopg cost ~0.2 s; `--help` and `db stop` never connect
    import sqlalchemy as sa


@dataclass(slots=True)
class CliContext:
    settings: Settings
    json_output: bool = False
    _engine: sa.Engine | None = field(default=None, repr=False)

    def engine(self, *, migrate: bool = True) -> sa.Engine:
        """Connect on first use and bring the schema to head, so no command needs `init` first."""
        if self._engine is None:
            from ledger.database import connect_engine, translated_errors

            engine = connect_engine(self.settings)
            if migrate:
                # Alembic costs a fifth of a second, so it is imported only when the schema is
                # not already at head (which `schema_is_current` tells from the migration files).
                from ledger.schema_head import schema_is_current

                with translated_errors(engine.url):
                    if not schema_is_current(engine):
                        from ledger.migrate import upgrade_to_head

                        upgrade_to_head(engine)
            self._engine = engine
        return self._engine

    def emit_json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def context_of(ctx: typer.Context) -> CliContext:
    obj = ctx.obj
    assert isinstance(obj, CliContext), "the root callback sets the context"
    return obj
