"""COPY rows into a table: the one bulk-write idiom of the store, the projector and the rebuild.

COPY streams rows without building an INSERT per row, which is the cheapest way to write many
rows: in the driver's text format by default, or in PostgreSQL's binary format when the caller
names the columns' types (no date or number is printed by the client and parsed by the server). It runs on psycopg's own cursor, which SQLAlchemy never sees,
so its errors are translated here, as the engine translates everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from psycopg import sql

from ledger.database import translated_errors


def copy_rows(
    conn: sa.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    binary_types: Sequence[str] | None = None,
) -> None:
    """Write `rows` (values in `columns` order) into `table` in the connection's transaction.

    `table` may be schema-qualified (`pg_temp.staged`); names are quoted as identifiers.
    `binary_types`, the PostgreSQL type of each column, makes it a binary COPY.
    """
    raw = conn.connection.driver_connection
    assert raw is not None, "a live connection has a driver connection"
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(*table.split(".")),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL("" if binary_types is None else " (FORMAT BINARY)"),
    )
    with translated_errors(conn.engine.url), raw.cursor() as cursor, cursor.copy(statement) as copy:
        if binary_types is not None:
            copy.set_types(binary_types)
        for row in rows:
            copy.write_row(row)
