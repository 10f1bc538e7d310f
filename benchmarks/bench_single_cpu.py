"""Where a single append's time goes: client CPU and server CPU per append, beside references.

The harness times single appends against raw INSERTs by wall clock, which on a shared machine
moves with the load and with the WAL flush of every commit. This splits each append into the
client's CPU (`time.process_time`) and the server backend's CPU (from `/proc/<pid>/stat`, so the
server must run on this machine: the embedded one) for three loops over the same rows, in
alternating rounds on a ledger of `--events` claims, each append its own transaction:

- `append_one`: `ledger.store.append_one` on a held autocommit connection (migration 0011's
  `ledger_append_one`);
- `batch function`: the same event through `ledger_append` as a one-event JSON record set, the
  path every single append took before 0011;
- `raw INSERT`: the same row INSERTed into `events_raw` (no lock, no index) with psycopg.

    python -m benchmarks.bench_single_cpu [--events 20000] [--appends 3000] [--rounds 6]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from benchmarks.bench_db import (
    BenchDatabase,
    psycopg_url,
    server_admin_url,
    settle,
    throwaway_database,
)
from benchmarks.bench_report import backend_cpu_ms, emit
from benchmarks.bench_writes import bulk_ingest, raw_insert_event, resolve_claims, write_jsonl
from benchmarks.generator import generate_claims
from ledger import store
from ledger.codec import NewEvent
from ledger.logs import configure_logging

_BATCH_FUNCTION = (
    "SELECT appended FROM ledger_append(ARRAY(SELECT jsonb_populate_recordset("
    "NULL::ledger_new_event, CAST(%s AS jsonb))), -1)"
)
Loop = Callable[[Sequence[NewEvent]], None]


def _backend_cpu_seconds(pid: int) -> float:
    cpu_ms = backend_cpu_ms(pid)
    if cpu_ms is None:
        raise RuntimeError("the server's CPU is read from /proc: run it on the embedded server")
    return cpu_ms / 1000


def _append_one_loop(conn: sa.Connection) -> Loop:
    def run(events: Sequence[NewEvent]) -> None:
        for event in events:
            store.append_one(conn, event)

    return run


def _batch_function_loop(raw: psycopg.Connection[Any]) -> Loop:
    def run(events: Sequence[NewEvent]) -> None:
        for event in events:
            raw.execute(_BATCH_FUNCTION, (store.events_as_json([event]),))

    return run


def _raw_insert_loop(raw: psycopg.Connection[Any]) -> Loop:
    positions = iter(range(1, 1 << 40))

    def run(events: Sequence[NewEvent]) -> None:
        for event in events:
            raw_insert_event(raw, next(positions), event)

    return run


def measure(db: BenchDatabase, events: int, appends: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rumours-single-") as tmp:
        path = Path(tmp) / "claims.jsonl"
        write_jsonl(generate_claims(events, seed=7), path)
        bulk_ingest(db, path)
    # Each ledger loop needs events it has not appended yet; the raw INSERTs reuse the first.
    pending = resolve_claims(db, generate_claims(2 * appends, seed=31))
    settle(db)
    totals = {name: [0, 0.0, 0.0, 0.0] for name in ("append_one", "batch function", "raw INSERT")}
    size = max(1, appends // rounds)
    with (
        db.engine.connect() as conn,
        psycopg.connect(psycopg_url(db.url), autocommit=True) as raw,
    ):
        conn.execution_options(isolation_level="AUTOCOMMIT")
        pids = {"append_one": int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()),
                "batch function": raw.info.backend_pid, "raw INSERT": raw.info.backend_pid}  # fmt: skip
        loops = {"append_one": _append_one_loop(conn),
                 "batch function": _batch_function_loop(raw), "raw INSERT": _raw_insert_loop(raw)}  # fmt: skip
        for start in range(0, appends, size):
            shares = {"append_one": pending[start : start + size],
                      "batch function": pending[appends + start : appends + start + size],
                      "raw INSERT": pending[start : start + size]}  # fmt: skip
            for name, loop in loops.items():
                server, client, wall = (
                    _backend_cpu_seconds(pids[name]),
                    time.process_time(),
                    time.perf_counter(),
                )
                loop(shares[name])
                total = totals[name]
                total[0] += len(shares[name])
                total[1] += time.perf_counter() - wall
                total[2] += time.process_time() - client
                total[3] += _backend_cpu_seconds(pids[name]) - server
    return {
        name: {"per_s": round(count / wall, 1), "wall_us": round(wall / count * 1e6, 1),
               "client_cpu_us": round(client / count * 1e6, 1),
               "server_cpu_us": round(server / count * 1e6, 1), "appends": count}
        for name, (count, wall, client, server) in totals.items()
    }  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_single_cpu")
    parser.add_argument("--events", type=int, default=20_000, help="claims in the ledger")
    parser.add_argument("--appends", type=int, default=3_000, help="single appends per loop")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with server_admin_url() as (admin_url, label), throwaway_database(admin_url, label) as db:
        result: dict[str, Any] = {"figures": measure(db, args.events, args.appends, args.rounds)}
    emit(result, None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
