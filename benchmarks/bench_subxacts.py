"""Does a bulk ingest's subtransaction count cost concurrent readers anything? (issue 17)

Migration 0010's fast path runs each `ledger_append` call in a subtransaction (a PL/pgSQL
`BEGIN … EXCEPTION` block). A bulk ingest makes one call per batch inside ONE transaction, so a
1M-claim file (200 batches of 5,000) holds about 200 subtransaction ids until it commits, more
than the 64 a backend can list in shared memory (`PGPROC_MAX_CACHED_SUBXIDS`). Past 64 the
writer's subxid list is marked overflowed, and every other backend's snapshot then resolves the
writer's in-progress row versions through `pg_subtrans` (an SLRU lookup per row version) instead
of scanning the listed ids.

The figure: one writer appends the same `EVENTS` new events inside one open transaction, either
in `FEW` calls (below 64 subtransactions) or in `MANY` calls (above), and while it holds the
transaction open a reader times queries that meet the writer's uncommitted rows or do not:

- `follow`: what a projection follower runs while an ingest is in flight, the events after the
  committed head (every row it visits is one of the writer's, invisible to it);
- `count`: a sequential scan of the whole events table;
- `head`: one statement that meets none of the writer's rows (the snapshot alone).

The two shapes alternate for `--rounds` rounds, each rolled back, so both see the same table.

    python -m benchmarks.bench_subxacts [--events 40000] [--rounds 4] [--repeats 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import psycopg

from benchmarks.bench_db import (
    BenchDatabase,
    psycopg_url,
    server_admin_url,
    settle,
    throwaway_database,
)
from benchmarks.bench_report import backend_cpu_ms
from benchmarks.bench_writes import resolve_claims
from benchmarks.generator import generate_claims
from ledger.codec import NewEvent
from ledger.logs import configure_logging
from ledger.store import append_batch

FEW = 50  # calls below the 64 cached subtransaction ids
MANY = 200  # a 1M-claim ingest in batches of 5,000
SUBXID_CACHE = 64

READS: dict[str, str] = {
    "follow": "SELECT count(*) FROM (SELECT position FROM events WHERE position > %(head)s "
    "ORDER BY position LIMIT 10000) AS after_head",
    "count": "SELECT count(*) FROM events",
    "head": "SELECT last_position FROM ledger_head",
}


def _read_times(
    reader: psycopg.Connection[Any], head: int, repeats: int
) -> dict[str, dict[str, float | None]]:
    """Per read of `READS`: the median wall ms of `repeats` runs, and the reader backend's CPU
    ms per run (averaged over all of them)."""
    pid = reader.info.backend_pid
    figures: dict[str, dict[str, float | None]] = {}
    for name, sql in READS.items():
        samples = []
        cpu_before = backend_cpu_ms(pid)
        for _ in range(repeats):
            started = time.perf_counter()
            reader.execute(sql, {"head": head}).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        cpu_after = backend_cpu_ms(pid)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        figures[name] = {
            "wall_ms": round(statistics.median(samples), 3),
            "cpu_ms": None if cpu is None else round(cpu / repeats, 3),
        }
    return figures


def _writer_subxacts(reader: psycopg.Connection[Any], pid: int) -> dict[str, Any] | None:
    """The writer's cached subtransaction count and overflow flag (PostgreSQL 16+), as the
    server's statistics see it; None on an older server."""
    try:
        reader.execute("SELECT pg_stat_clear_snapshot()")
        row = reader.execute(
            "SELECT s.subxact_count, s.subxact_overflowed FROM pg_stat_get_backend_idset() AS b, "
            "pg_stat_get_backend_subxact(b) AS s WHERE pg_stat_get_backend_pid(b) = %s",
            (pid,),
        ).fetchone()
    except psycopg.errors.UndefinedFunction:
        return None
    return None if row is None else {"count": int(row[0]), "overflowed": bool(row[1])}


def one_shape(
    db: BenchDatabase, events: Sequence[NewEvent], calls: int, repeats: int
) -> dict[str, Any]:
    """Reader medians while a writer holds `events` appended in `calls` calls, uncommitted."""
    size = -(-len(events) // calls)
    with (
        db.engine.connect() as writer,
        psycopg.connect(psycopg_url(db.url), autocommit=True) as reader,
    ):
        head = int(reader.execute("SELECT last_position FROM ledger_head").fetchone()[0])  # type: ignore[index]
        transaction = writer.begin()
        started = time.perf_counter()
        for start in range(0, len(events), size):
            append_batch(writer, events[start : start + size])
        append_seconds = time.perf_counter() - started
        writer_pid = writer.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        cached = _writer_subxacts(reader, int(writer_pid or 0))
        figures = _read_times(reader, head, repeats)
        transaction.rollback()
    return {
        "calls": calls,
        "events_per_call": size,
        "append_seconds": round(append_seconds, 3),
        "reader": figures,
        "writer_subxacts": cached,
    }


def measure(db: BenchDatabase, events: int, rounds: int, repeats: int) -> dict[str, Any]:
    base = 20_000
    claims = list(generate_claims(base + events, seed=11))
    stored = resolve_claims(db, claims[:base])
    with db.engine.begin() as conn:
        append_batch(conn, stored)
    pending = resolve_claims(db, claims[base:])
    settle(db)
    shapes: dict[int, list[dict[str, Any]]] = {FEW: [], MANY: []}
    for _ in range(rounds):
        for calls in (FEW, MANY):
            shapes[calls].append(one_shape(db, pending, calls, repeats))
    summary = {
        str(calls): {
            f"{name} {figure}": statistics.median(
                run["reader"][name][figure] or 0.0 for run in runs
            )
            for name in READS
            for figure in ("wall_ms", "cpu_ms")
        }
        for calls, runs in shapes.items()
    }
    return {
        "stored_events": len(stored),
        "pending_events": len(pending),
        "rounds": rounds,
        "repeats": repeats,
        "runs": {str(calls): runs for calls, runs in shapes.items()},
        "median_of_rounds": summary,
        "ratio_many_to_few": {
            name: round(summary[str(MANY)][name] / summary[str(FEW)][name], 2)
            for name in summary[str(FEW)]
            if summary[str(FEW)][name] > 0
        },
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_subxacts")
    parser.add_argument("--events", type=int, default=40_000, help="events the writer appends")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=20, help="runs of each read per round")
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with server_admin_url() as (admin_url, label), throwaway_database(admin_url, label) as db:
        result = measure(db, args.events, args.rounds, args.repeats)
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
