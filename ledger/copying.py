"""COPY rows into a table: the one bulk-write idiom of the store, the projector and the rebuild.

COPY streams rows without building an INSERT per row, which is the cheapest way to write many
rows: in the driver's text format by default, or in PostgreSQL's binary format when the caller
names the columns' types (no date or number is printed by the client and parsed by the server).
It runs on psycopg's own cursor, which SQLAlchemy never sees, so its errors are translated here,
as the engine translates everything else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
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
    with (
        translated_errors(conn.engine.url),
        open_copy(raw, table, columns, binary_types=binary_types) as copy,
    ):
        for row in rows:
            copy.write_row(row)


# PostgreSQL's binary COPY framing: the signature, flags and header extension, and the end mark.
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
BINARY_TRAILER = b"\xff\xff"
_BLOCK = 1 << 18  # bytes handed to the driver at a time


def copy_binary_blocks(
    conn: sa.Connection, table: str, columns: Sequence[str], rows: Iterable[bytes]
) -> None:
    """Binary COPY of rows the caller has already written in PostgreSQL's binary row format
    (field count, then each field's length and bytes): sent in large blocks, without the
    driver looking at a single value."""
    raw = conn.connection.driver_connection
    assert raw is not None, "a live connection has a driver connection"
    with translated_errors(conn.engine.url), open_copy(raw, table, columns, binary=True) as copy:
        block = bytearray(BINARY_HEADER)
        for row in rows:
            block += row
            if len(block) >= _BLOCK:
                copy.write(block)
                block = bytearray()
        block += BINARY_TRAILER
        copy.write(block)


@contextlib.contextmanager
def open_copy(
    raw: psycopg.Connection[Any],
    table: str,
    columns: Sequence[str],
    *,
    binary_types: Sequence[str] | None = None,
    binary: bool = False,
) -> Iterator[psycopg.Copy]:
    """A COPY into `table` on a bare psycopg connection, open for `write_row` until the block
    ends: for a writer that feeds several tables at once from one stream (the rebuild), where
    `copy_rows`' one iterable per call does not fit. `binary` without `binary_types`: the caller
    writes whole binary blocks (`copy.write`). The caller translates errors."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(*table.split(".")),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(" (FORMAT BINARY)" if binary or binary_types is not None else ""),
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        if binary_types is not None:
            copy.set_types(binary_types)
        yield copy
