"""`rumours project --rebuild`: the projection from zero, built beside the live one and swapped in.

One REPEATABLE READ transaction: it reads a consistent snapshot of the ledger up to the head it
saw, writes every player's rows into `<table>__next` copies (COPY, no indexes yet), builds the
same indexes, then swaps the tables and sets the checkpoint. Readers keep using the old tables
until the commit; the swap itself only holds an exclusive lock for the renames. Events committed
during the rebuild are picked up by the normal catch-up afterwards.

Memory stays flat: events are streamed ordered by (stream, version) and only one player's
timeline is held at a time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.logs import get_logger
from ledger.store import head_position
from projections.fold.timeline import PlayerTimeline, Retract, RowKey, RowValue
from projections.fold.values import FoldClaim
from projections.inputs import player_events
from projections.rows import FACTS_COLUMNS, PURSUIT_COLUMNS, row_of
from projections.runner import PROJECTOR_LOCK, write_checkpoint
from projections.schema import VERSIONED_TABLES

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RebuildReport:
    events: int
    rows: int
    position: int
    seconds: float


def player_rows(
    player: str, events: list[FoldClaim | Retract], quiet_days: int
) -> Iterator[tuple[bool, tuple[Any, ...]]]:
    """Every row (current and superseded) one player's events produce, as (is_facts, row)."""
    timeline = PlayerTimeline(quiet_days)
    current: dict[RowKey, tuple[RowValue, int]] = {}
    for event in events:
        change = timeline.apply(event)
        for key in change.closes:
            value, known_from = current.pop(key)
            yield row_of(player, key, value, known_from, change.position)
        for key, value in change.opens:
            current[key] = (value, change.position)
    for key, (value, known_from) in current.items():
        yield row_of(player, key, value, known_from, None)


def _by_player(conn: sa.Connection, until: int) -> Iterator[tuple[str, list[FoldClaim | Retract]]]:
    stream: str | None = None
    batch: list[FoldClaim | Retract] = []
    for stream_id, event in player_events(conn, until=until, ordered_by_stream=True):
        if stream_id != stream:
            if stream is not None:
                yield stream.split(":", 1)[1], batch
            stream, batch = stream_id, []
        batch.append(event)
    if stream is not None:
        yield stream.split(":", 1)[1], batch


def rebuild(engine: sa.Engine, *, quiet_days: int) -> RebuildReport:
    """Rebuild the projection from zero and swap it in; driver errors come out as ledger errors."""
    with translated_errors(engine.url):
        return _rebuild(engine, quiet_days)


def _rebuild(engine: sa.Engine, quiet_days: int) -> RebuildReport:
    started = time.perf_counter()
    with engine.begin() as conn:
        _without_statement_timeout(conn)  # dropping a big leftover __next table takes a while
        for table in VERSIONED_TABLES:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}__next"))
            conn.execute(sa.text(f"CREATE TABLE {table}__next (LIKE {table} INCLUDING DEFAULTS)"))
    head, events, rows = _fill_next_tables(engine, quiet_days)
    with engine.begin() as conn:
        _without_statement_timeout(conn)
        for table in VERSIONED_TABLES:
            _copy_indexes(conn, table)
            # Fresh tables have no statistics: without them the first as-of queries after the
            # swap would be planned blind until autovacuum gets round to them.
            conn.execute(sa.text(f"ANALYZE {table}__next"))
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PROJECTOR_LOCK})
        for table in VERSIONED_TABLES:
            _swap(conn, table)
        write_checkpoint(conn, head)
    report = RebuildReport(events, rows, head, time.perf_counter() - started)
    log.info("projection_rebuilt", events=events, rows=rows, position=head,
             seconds=round(report.seconds, 2))  # fmt: skip
    return report


def _fill_next_tables(engine: sa.Engine, quiet_days: int) -> tuple[int, int, int]:
    """Stream a snapshot of the ledger and COPY every row into the __next tables.

    Three connections: a REPEATABLE READ reader (one consistent snapshot, whose head is the
    checkpoint the new tables reflect) and one open COPY per table, since a connection can only
    run one COPY at a time.
    """
    events = rows = 0
    reader = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with (
        reader,
        reader.begin(),
        _copy_into(engine, "pursuit_versions__next", PURSUIT_COLUMNS) as pursuits,
        _copy_into(engine, "player_versions__next", FACTS_COLUMNS) as facts,
    ):
        _without_statement_timeout(reader)
        head = head_position(reader)
        for player, player_events_ in _by_player(reader, head):
            events += len(player_events_)
            for is_facts, row in player_rows(player, player_events_, quiet_days):
                rows += 1
                (facts if is_facts else pursuits).write_row(row)
    return head, events, rows


@contextlib.contextmanager
def _copy_into(engine: sa.Engine, table: str, columns: tuple[str, ...]) -> Iterator[Any]:
    with engine.begin() as conn:
        _without_statement_timeout(conn)
        raw = conn.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            yield copy


def _without_statement_timeout(conn: sa.Connection) -> None:
    """A rebuild's streaming read, COPYs and index builds run as long as the ledger is big.

    The engine's statement_timeout guards interactive commands; a 1M-event rebuild's single
    SELECT outlives it, so the rebuild's own transactions lift it (SET LOCAL: it ends with them).
    """
    conn.execute(sa.text("SET LOCAL statement_timeout = 0"))


def _copy_indexes(conn: sa.Connection, table: str) -> None:
    """Give `table__next` the live table's indexes and primary key, under `__next` names."""
    indexes = conn.execute(
        sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t"
        ),
        {"t": table},
    ).all()
    primary = conn.execute(
        sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype = 'p'"
        ),
        {"t": table},
    ).scalar()
    for name, definition in indexes:
        renamed = definition.replace(f"INDEX {name} ON", f"INDEX {name}__next ON", 1)
        renamed = renamed.replace(f".{table} ", f".{table}__next ", 1).replace(
            f" {table} USING", f" {table}__next USING", 1
        )
        conn.execute(sa.text(renamed))
        if name == primary:
            conn.execute(
                sa.text(
                    f"ALTER TABLE {table}__next ADD CONSTRAINT {name}__next PRIMARY KEY USING INDEX {name}__next"
                )
            )


def _swap(conn: sa.Connection, table: str) -> None:
    names = (
        conn.execute(
            sa.text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t"
            ),
            {"t": table},
        )
        .scalars()
        .all()
    )
    # Privileges belong to the table, not its name: carry the live table's grants over.
    grants = conn.execute(
        sa.text(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_schema = current_schema() AND table_name = :t "
            "AND grantee <> (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = :t)"
        ),
        {"t": table},
    ).all()
    conn.execute(sa.text(f"DROP TABLE {table}"))
    conn.execute(sa.text(f"ALTER TABLE {table}__next RENAME TO {table}"))
    for grantee, privilege in grants:
        role = "PUBLIC" if grantee == "PUBLIC" else '"' + grantee.replace('"', '""') + '"'
        conn.execute(sa.text(f"GRANT {privilege} ON {table} TO {role}"))
    for name in names:
        conn.execute(sa.text(f"ALTER INDEX {name}__next RENAME TO {name}"))
