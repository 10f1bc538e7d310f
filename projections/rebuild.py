"""`rumours project --rebuild`: the projection from zero, built beside the live one and swapped in.

The parent opens one REPEATABLE READ transaction, notes the head it sees and exports its snapshot.
The player streams are cut into ranges of about equal events, one per worker process
(`projections.rebuild_worker`); each worker imports that snapshot, folds its players and COPYs
their rows into `<table>__next` copies (no indexes yet). The parent then builds the same indexes
and statistics, several at a time (one connection per core), and swaps the tables and sets the
checkpoint to that head in one transaction. Readers keep using the
old tables until that commit; the swap itself only holds an exclusive lock for the renames.
Events committed during the rebuild are picked up by the normal catch-up afterwards.

Workers are forked, one per core, up to one per `EVENTS_PER_WORKER` events: a small ledger is
rebuilt in the parent alone, as forking would cost more than it saves. Memory stays flat: each
worker streams its events ordered by (stream, version) and holds one player's timeline at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa

from ledger.database import libpq_url, translated_errors
from ledger.logs import get_logger
from ledger.store import head_position
from projections.rebuild_worker import Share, ShareReport, fill_share, peak_rss_mb
from projections.runner import PROJECTOR_LOCK, write_checkpoint
from projections.schema import VERSIONED_TABLES

log = get_logger(__name__)

EVENTS_PER_WORKER = 20_000


@dataclass(frozen=True, slots=True)
class RebuildReport:
    events: int
    rows: int
    position: int
    seconds: float
    workers: int = 1
    fill_seconds: float = 0.0  # reading, folding and COPYing, before the indexes and the swap
    peak_rss_mb: float = 0.0  # the parent's peak plus each worker's: an upper bound of the total


def rebuild(engine: sa.Engine, *, quiet_days: int, workers: int | None = None) -> RebuildReport:
    """Rebuild the projection from zero and swap it in; driver errors come out as ledger errors.

    `workers`: how many processes fold the players (default: as many as the ledger's size and
    the machine's cores call for).
    """
    with translated_errors(engine.url):
        return _rebuild(engine, quiet_days, workers)


def _rebuild(engine: sa.Engine, quiet_days: int, workers: int | None) -> RebuildReport:
    started = time.perf_counter()
    _create_next_tables(engine)
    head, shares = _fill_next_tables(engine, quiet_days, workers)
    filled = time.perf_counter()
    _index_and_swap(engine, head)
    report = RebuildReport(
        events=sum(share.events for share in shares),
        rows=sum(share.rows for share in shares),
        position=head,
        seconds=time.perf_counter() - started,
        workers=len(shares),
        fill_seconds=filled - started,
        peak_rss_mb=_peak_rss_mb(shares),
    )
    log.info("projection_rebuilt", events=report.events, rows=report.rows, position=head,
             workers=report.workers, seconds=round(report.seconds, 2),
             fill_seconds=round(report.fill_seconds, 2))  # fmt: skip
    return report


def _create_next_tables(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        _without_statement_timeout(conn)  # dropping a big leftover __next table takes a while
        for table in VERSIONED_TABLES:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}__next"))
            conn.execute(sa.text(f"CREATE TABLE {table}__next (LIKE {table} INCLUDING DEFAULTS)"))


def _index_and_swap(engine: sa.Engine, head: int) -> None:
    """Index and analyse the filled __next tables side by side, then swap them in with the
    checkpoint in one transaction.

    An index build or an ANALYZE runs on one core in the server; done one after the other they
    left the second core idle for a third of a rebuild's time. Each runs in a transaction of its
    own: the __next tables are nobody's but this rebuild's until the swap, and a rebuild that
    stops in between leaves them to the next one's `_create_next_tables`. The ANALYZEs come last
    in the same lanes: one waits for the index builds of its table (their locks conflict) while
    the other lane goes on building, instead of every lane waiting for the slowest build.
    """
    with engine.connect() as conn:
        indexes = {table: _next_indexes(conn, table) for table in VERSIONED_TABLES}
    builds = [build for builds, _ in indexes.values() for build in builds]
    # Fresh tables have no statistics: without them the first as-of queries after the swap would
    # be planned blind until autovacuum gets round to them (see ANALYSED_COLUMNS).
    # The small table's first: it need not wait for the big one's index builds.
    analyses = [_analyse_next(table) for table in reversed(VERSIONED_TABLES)]
    _side_by_side(engine, builds + analyses)
    with engine.begin() as conn:
        _without_statement_timeout(conn)
        for _, primary_key in indexes.values():
            if primary_key is not None:
                conn.execute(sa.text(primary_key))
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PROJECTOR_LOCK})
        for table in VERSIONED_TABLES:
            _swap(conn, table)
        write_checkpoint(conn, head)


# The rebuild's ANALYZE samples 300 rows per unit of target (PostgreSQL's default target is 100):
# enough to plan the board queries with until autovacuum's own full ANALYZE, which follows
# within a minute or so (see ANALYSED_COLUMNS), at a third of the cost (77k pursuit rows: 27 ms
# of server CPU instead of 80, on the rebuild's serial tail).
REBUILD_STATISTICS_TARGET = 30


def _side_by_side(engine: sa.Engine, statements: list[str]) -> None:
    """Run statements over one connection per core, each in its own transaction, in the order
    given (put the biggest first, so the last to finish is a small one); a statement whose
    locks conflict with one still running waits for it."""

    def run(statement: str) -> None:
        with engine.begin() as conn:
            _without_statement_timeout(conn)
            # The lanes already keep every core busy: an index build's own parallel workers would
            # only contend with the other lane (4 pursuit indexes at 1M: 2.4-2.9 s so, 2.7-3.0 s
            # with them, 3.0-3.8 s one after the other).
            conn.execute(sa.text("SET LOCAL max_parallel_maintenance_workers = 0"))
            # An ANALYZE waits here for its table's index builds: a lock_timeout set on the
            # server or the role must not fail the rebuild for it.
            conn.execute(sa.text("SET LOCAL lock_timeout = 0"))
            conn.execute(
                sa.text(f"SET LOCAL default_statistics_target = {REBUILD_STATISTICS_TARGET}")
            )
            conn.execute(sa.text(statement))

    lanes = max(1, min(os.cpu_count() or 1, len(statements)))
    with ThreadPoolExecutor(lanes) as pool:
        list(pool.map(run, statements))


def _peak_rss_mb(shares: list[ShareReport]) -> float:
    """This process's peak plus each worker's (a share folded here is this process's own)."""
    if len(shares) == 1:
        return max(peak_rss_mb(), shares[0].peak_rss_mb)
    return peak_rss_mb() + sum(share.peak_rss_mb for share in shares)


def _fill_next_tables(
    engine: sa.Engine, quiet_days: int, workers: int | None
) -> tuple[int, list[ShareReport]]:
    """Fold every player of one snapshot of the ledger into the __next tables; (head, shares).

    The snapshot's transaction stays open until every share is done: an exported snapshot can
    only be imported while the transaction that exported it lives.
    """
    reader = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with reader, reader.begin():
        _without_statement_timeout(reader)
        head = head_position(reader)
        snapshot = reader.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        count = workers if workers is not None else _workers_for(head)
        url = libpq_url(engine.url.render_as_string(hide_password=False))
        shares = [
            Share(url, snapshot, head, after, through, quiet_days)
            for after, through in _stream_ranges(reader, head, count)
        ]
        return head, _fill_shares(shares)


def _workers_for(head: int) -> int:
    return max(1, min(os.cpu_count() or 1, head // EVENTS_PER_WORKER))


def _stream_ranges(
    conn: sa.Connection, head: int, count: int
) -> list[tuple[str | None, str | None]]:
    """`count` ranges (after, through] of player streams holding about equal numbers of events."""
    if count <= 1:
        return [(None, None)]
    sizes = conn.execute(
        sa.text(
            "SELECT stream_id, count(*) FROM events WHERE stream_id LIKE 'player:%' "
            "AND position <= :head GROUP BY stream_id ORDER BY stream_id"
        ),
        {"head": head},
    ).all()
    total = sum(size for _, size in sizes)
    ranges: list[tuple[str | None, str | None]] = []
    after: str | None = None
    seen = 0
    for stream, size in sizes[:-1]:
        seen += size
        if seen * count >= total * (len(ranges) + 1):
            ranges.append((after, stream))
            after = stream
    return [*ranges, (after, None)]


def _fill_shares(shares: list[Share]) -> list[ShareReport]:
    """Each share in a forked worker process (in this process when there is only one)."""
    if len(shares) == 1:
        return [fill_share(shares[0])]
    # Fork, not spawn: a worker starts in milliseconds with the imports already done. It never
    # touches the parent's connections (psycopg does not close a connection in a child process).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        len(shares), mp_context=context, initializer=_quiet_on_interrupt
    ) as pool:
        return list(pool.map(fill_share, shares))


def _quiet_on_interrupt() -> None:
    """Ctrl-C reaches the workers too: they just stop, and the parent says what happened."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _without_statement_timeout(conn: sa.Connection) -> None:
    """A rebuild's streaming read, COPYs and index builds run as long as the ledger is big.

    The engine's statement_timeout guards interactive commands; a 1M-event rebuild's single
    SELECT outlives it, so the rebuild's own transactions lift it (SET LOCAL: it ends with them).
    """
    conn.execute(sa.text("SET LOCAL statement_timeout = 0"))


def _next_indexes(conn: sa.Connection, table: str) -> tuple[list[str], str | None]:
    """The statements that give `table__next` the live table's indexes under `__next` names, and
    the one that then makes the primary key's index its primary key (None if it has none).

    The primary key is attached only once every index exists: ALTER TABLE locks the table
    against the index builds running beside each other."""
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
    builds: list[str] = []
    primary_key: str | None = None
    for name, definition in indexes:
        renamed = definition.replace(f"INDEX {name} ON", f"INDEX {name}__next ON", 1)
        renamed = renamed.replace(f".{table} ", f".{table}__next ", 1).replace(
            f" {table} USING", f" {table}__next USING", 1
        )
        builds.append(renamed)
        if name == primary:
            primary_key = f"ALTER TABLE {table}__next ADD CONSTRAINT {name}__next PRIMARY KEY USING INDEX {name}__next"
    return builds, primary_key


# The columns the board queries filter, join and sort on (projections/queries.py,
# rumours_web/changes.py): the plans depend on their statistics. The rest are only shown, and
# their statistics (0.2 of a second of server CPU per 77k pursuit rows, most of the whole ANALYZE)
# come from autovacuum shortly after the swap: an ANALYZE of some columns does not reset the
# table's count of changes since the last analysis, so the 77k inserted rows still call for one.
ANALYSED_COLUMNS = {
    "pursuit_versions": ("player_id", "club_id", "valid_from", "known_from", "known_to",
                         "from_club_id"),
    "player_versions": ("player_id", "valid_from", "known_from", "known_to", "current_club_id"),
}  # fmt: skip


def _analyse_next(table: str) -> str:
    columns = ANALYSED_COLUMNS.get(table)
    return f"ANALYZE {table}__next" + ("" if columns is None else f" ({', '.join(columns)})")


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
