"""Would partitioning `events` by player hash help at 10M events? (docs/scaling.md, issue 17)

PostgreSQL's declarative partitioning is the first thing one reaches for when a table grows,
so this measures it on the ledger's own queries instead of assuming it. From a generated ledger
of `--events` claims, the same rows are copied `--copies` times on the server (each copy with
its own positions, event ids and player streams, as `benchmarks.bench_scale` does) into two
tables side by side:

- `events_flat`: the events table as it is (primary key on `position`, unique `event_id`,
  unique `(stream_id, stream_version)`);
- `events_hashed`: `PARTITION BY HASH (stream_id)` in `--partitions` parts. A unique index of a
  partitioned table must contain the partition key, so `position` and `event_id` are unique
  only *within a player's stream* there: `(stream_id, position)` and `(stream_id, event_id)`,
  plus plain indexes on `position` (reads in position order) and on `event_id` (the duplicate
  check, one probe per part) in each part.

Then, alternating between the two tables in rounds, it times the reads the ledger makes and the
insert it makes (server execution time from `EXPLAIN (ANALYZE)`, so the client's share and the
machine's load weigh less):

- `stream`: one player's events in version order (a rebuild worker, `history`);
- `probe`: one event by position (each step of the known-at bisection);
- `follow`: the 1,000 events after a position, in order (the projector's catch-up);
- `duplicate`: one event by `event_id` alone (the append's duplicate check);
- `insert`: 1,000 new rows in one statement, rolled back (the append's index upkeep).

    python -m benchmarks.bench_partitions [--events 100000] [--copies 10] [--partitions 16]
        [--samples 300] [--json FILE]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.bench_db import (
    BenchDatabase,
    psycopg_url,
    server_admin_url,
    settle,
    throwaway_database,
)
from benchmarks.bench_report import emit
from benchmarks.bench_writes import bulk_ingest, write_jsonl
from benchmarks.generator import generate_claims
from ledger.logs import configure_logging
from ledger.reading import EVENT_COLUMNS

TABLES = ("events_flat", "events_hashed")
_COLUMNS = ", ".join(EVENT_COLUMNS)
# Each copy k > 0 gets positions shifted by k × the source's head, a new event id derived from
# the old one, and its own player streams (`player:<id>~k`), so copies never collide.
_COPIED = {
    "position": "src.position + {k} * {head}",
    "event_id": "CAST(md5(src.event_id::text || '~{k}') AS uuid)",
    "stream_id": "CASE WHEN {k} = 0 THEN src.stream_id ELSE src.stream_id || '~{k}' END",
}
Query = Callable[[random.Random], tuple[str, tuple[Any, ...]]]


def _create_tables(conn: psycopg.Connection[Any], partitions: int) -> None:
    conn.execute("CREATE TABLE events_flat (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    conn.execute(
        "CREATE TABLE events_hashed (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY HASH (stream_id)"
    )
    for part in range(partitions):
        conn.execute(
            f"CREATE TABLE events_hashed_{part} PARTITION OF events_hashed "
            f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {part})"
        )


def _index_tables(conn: psycopg.Connection[Any]) -> None:
    """Indexes after the fill (as a restore would), then statistics."""
    conn.execute("ALTER TABLE events_flat ADD PRIMARY KEY (position)")
    conn.execute("CREATE UNIQUE INDEX ON events_flat (event_id)")
    conn.execute("CREATE UNIQUE INDEX ON events_flat (stream_id, stream_version)")
    conn.execute("ALTER TABLE events_hashed ADD PRIMARY KEY (stream_id, position)")
    conn.execute("CREATE UNIQUE INDEX ON events_hashed (stream_id, event_id)")
    conn.execute("CREATE UNIQUE INDEX ON events_hashed (stream_id, stream_version)")
    conn.execute("CREATE INDEX ON events_hashed (position)")
    # Not unique (it cannot be), but it turns the duplicate check into one probe per part.
    conn.execute("CREATE INDEX ON events_hashed (event_id)")
    conn.execute("ANALYZE events_flat")
    conn.execute("ANALYZE events_hashed")


def _fill(conn: psycopg.Connection[Any], copies: int) -> int:
    """Copy the ledger `copies` times into both tables; the rows each now holds."""
    head = int(conn.execute("SELECT max(position) FROM events").fetchone()[0])  # type: ignore[index]
    for k in range(copies):
        values = ", ".join(
            _COPIED.get(column, "src.{column}").format(k=k, head=head, column=column)
            for column in EVENT_COLUMNS
        )
        for table in TABLES:
            conn.execute(
                f"INSERT INTO {table} ({_COLUMNS}) SELECT {values} FROM events AS src "
                "ORDER BY src.position"
            )
    return head * copies


def _queries(conn: psycopg.Connection[Any], rows: int) -> dict[str, Query]:
    streams = [row[0] for row in conn.execute("SELECT DISTINCT stream_id FROM events_flat")]
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT event_id FROM events_flat WHERE position % 97 = 0 LIMIT 10000"
        )
    ]
    return {
        "stream": lambda rng: (
            "SELECT * FROM {t} WHERE stream_id = %s ORDER BY stream_version",
            (rng.choice(streams),),
        ),
        "probe": lambda rng: ("SELECT * FROM {t} WHERE position = %s", (rng.randint(1, rows),)),
        "follow": lambda rng: (
            "SELECT * FROM {t} WHERE position > %s ORDER BY position LIMIT 1000",
            (rng.randint(1, rows - 1000),),
        ),
        "duplicate": lambda rng: (
            "SELECT position FROM {t} WHERE event_id = %s",
            (rng.choice(ids),),
        ),
        "insert": lambda rng: (
            "INSERT INTO {t} SELECT position + %s, gen_random_uuid(), stream_id || '~new', "
            f"{', '.join(EVENT_COLUMNS[3:])} FROM {{t}} WHERE position > %s AND position <= %s",
            (rows, (start := rng.randint(1, rows - 1000)), start + 1000),
        ),
    }


def _execution_ms(conn: psycopg.Connection[Any], sql: str, params: tuple[Any, ...]) -> float:
    plan = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params).fetchone()[0]  # type: ignore[index]
    return float(plan[0]["Execution Time"])


def measure(
    db: BenchDatabase, events: int, copies: int, partitions: int, samples: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rumours-partitions-") as tmp:
        path = Path(tmp) / "claims.jsonl"
        write_jsonl(generate_claims(events, seed=17), path)
        bulk_ingest(db, path)
    with psycopg.connect(psycopg_url(db.url), autocommit=True) as conn:
        started = time.perf_counter()
        _create_tables(conn, partitions)
        rows = _fill(conn, copies)
        _index_tables(conn)
        build_seconds = time.perf_counter() - started
    settle(db)
    rng = random.Random(5)
    timings: dict[str, dict[str, list[float]]] = {table: {} for table in TABLES}
    with psycopg.connect(psycopg_url(db.url)) as conn:
        queries = _queries(conn, rows)
        conn.rollback()
        for _ in range(samples):
            for name, query in queries.items():
                sql, params = query(rng)
                for table in TABLES:  # the same statement on both tables, back to back
                    timings[table].setdefault(name, []).append(
                        _execution_ms(conn, sql.format(t=table), params)
                    )
                    conn.rollback()
        sizes = {
            table: int(conn.execute("SELECT pg_total_relation_size(%s)", (table,)).fetchone()[0])  # type: ignore[index]
            if table == "events_flat"
            else int(
                conn.execute(
                    "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                    "WHERE inhparent = CAST(%s AS regclass)",
                    (table,),
                ).fetchone()[0]  # type: ignore[index]
            )
            for table in TABLES
        }
    medians = {
        table: {name: round(statistics.median(values), 4) for name, values in by_name.items()}
        for table, by_name in timings.items()
    }
    return {
        "rows": rows,
        "partitions": partitions,
        "samples": samples,
        "build_seconds": round(build_seconds, 1),
        "total_bytes": sizes,
        "median_execution_ms": medians,
        "hashed_over_flat": {
            name: round(medians["events_hashed"][name] / medians["events_flat"][name], 2)
            for name in medians["events_flat"]
            if medians["events_flat"][name] > 0
        },
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_partitions")
    parser.add_argument("--events", type=int, default=100_000, help="claims generated")
    parser.add_argument("--copies", type=int, default=10, help="copies of them in each table")
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--samples", type=int, default=300, help="rounds of every query")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with server_admin_url() as (admin_url, label), throwaway_database(admin_url, label) as db:
        result = measure(db, args.events, args.copies, args.partitions, args.samples)
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
