"""Many writers at once: what the head lock does to throughput and latency (docs/scaling.md).

Every append takes the one `ledger_head` row lock and holds it to its commit, so appends are
serialised whatever the number of writers. This measures it instead of reasoning about it: for
each writer count, that many processes start together, each on its own autocommit connection,
and append their share of the same pre-resolved events, either one event per call
(`ledger.store.append_one`) or `--batch` events per call (`append_batch`). Beside each, in the
same run, the same number of processes INSERT the same rows one by one into `events_raw` (a bare
copy of `events`: no lock, no index), whose commits the server can flush together (group
commit): what the same concurrency gives the server when nothing serialises it.

Per shape: events per second over all writers (first start to last finish) and the p50 / p99
latency of one call. The rows come from the harness's generator, resolved through the ingest
path once beforehand (untimed).

    python -m benchmarks.bench_writers [--writers 1 4 16 64] [--events-per-writer 200]
        [--batch 50] [--json FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
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
from benchmarks.bench_report import emit, percentile
from benchmarks.bench_writes import raw_insert_event, resolve_claims
from benchmarks.generator import generate_claims
from ledger import store
from ledger.codec import NewEvent
from ledger.database import create_ledger_engine
from ledger.logs import configure_logging

BASE_EVENTS = 20_000  # a ledger that is not empty, so index descents are realistic
Call = Callable[[Sequence[NewEvent]], None]


@dataclass(frozen=True, slots=True)
class Shape:
    name: str  # "single", "batch" or "raw INSERT"
    events_per_call: int


def _ledger_calls(url: str, shape: Shape) -> tuple[Call, Callable[[], None]]:
    """(append one call's events, close) for a writer process of the ledger."""
    engine = create_ledger_engine(url, pool_size=1)
    conn = engine.connect()
    if shape.events_per_call == 1:
        conn.execution_options(isolation_level="AUTOCOMMIT")

        def call(events: Sequence[NewEvent]) -> None:
            store.append_one(conn, events[0])
    else:

        def call(events: Sequence[NewEvent]) -> None:
            with conn.begin():
                store.append_batch(conn, events)

    def close() -> None:
        conn.close()
        engine.dispose()

    return call, close


def _raw_calls(url: str, writer: int) -> tuple[Call, Callable[[], None]]:
    """(INSERT one row, close) for a writer process of the reference."""
    raw = psycopg.connect(psycopg_url(url), autocommit=True)
    positions = iter(range(writer * 10_000_000 + 1, (writer + 1) * 10_000_000))

    def call(events: Sequence[NewEvent]) -> None:
        raw_insert_event(raw, next(positions), events[0])

    return call, raw.close


def _writer(
    url: str,
    shape: Shape,
    writer: int,
    events: Sequence[NewEvent],
    start: Barrier,
    results: multiprocessing.Queue[tuple[float, float, list[float]]],
) -> None:
    """One writer process: wait for every other one, then make its calls, timing each."""
    if shape.name == "raw INSERT":
        call, close = _raw_calls(url, writer)
    else:
        call, close = _ledger_calls(url, shape)
    latencies: list[float] = []
    step = shape.events_per_call
    start.wait()
    began = time.perf_counter()
    for first in range(0, len(events), step):
        called = time.perf_counter()
        call(events[first : first + step])
        latencies.append((time.perf_counter() - called) * 1000)
    ended = time.perf_counter()
    close()
    results.put((began, ended, latencies))


def one_run(
    db: BenchDatabase, shape: Shape, shares: Sequence[Sequence[NewEvent]]
) -> dict[str, Any]:
    """`len(shares)` writer processes of `shape` at once; their combined rate and latencies."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(shares))
    results: multiprocessing.Queue[tuple[float, float, list[float]]] = context.Queue()
    processes = [
        context.Process(target=_writer, args=(db.url, shape, n, share, start, results))
        for n, share in enumerate(shares)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    began = min(outcome[0] for outcome in outcomes)
    ended = max(outcome[1] for outcome in outcomes)
    latencies = [latency for outcome in outcomes for latency in outcome[2]]
    events = sum(len(share) for share in shares)
    return {
        "events_per_s": round(events / (ended - began), 1),
        "call_p50_ms": round(percentile(latencies, 50), 3),
        "call_p99_ms": round(percentile(latencies, 99), 3),
        "calls": len(latencies),
    }


def measure(
    db: BenchDatabase, writer_counts: Sequence[int], per_writer: int, batch: int
) -> dict[str, Any]:
    # Two ledger shapes per writer count take fresh events; the raw INSERTs reuse some.
    needed = sum(2 * writers * per_writer for writers in writer_counts)
    needed += max(writer_counts) * per_writer
    claims = list(generate_claims(BASE_EVENTS + needed, seed=13))
    with db.engine.begin() as conn:
        store.append_batch(conn, resolve_claims(db, claims[:BASE_EVENTS]))
    pending = resolve_claims(db, claims[BASE_EVENTS:])
    shapes = (Shape("single", 1), Shape("batch", batch), Shape("raw INSERT", 1))
    figures: dict[str, dict[str, Any]] = {}
    used = 0
    for writers in writer_counts:
        for shape in shapes:
            settle(db)
            # Fresh events for each ledger run: an event appended already would be a duplicate.
            take = writers * per_writer
            rows = pending[used : used + take]
            assert len(rows) == take, "the generator gave fewer resolvable claims than asked"
            if shape.name != "raw INSERT":
                used += take
            shares = [rows[n::writers] for n in range(writers)]
            figures.setdefault(shape.name, {})[str(writers)] = one_run(db, shape, shares)
    return {
        "base_events": BASE_EVENTS,
        "events_per_writer": per_writer,
        "batch": batch,
        "figures": figures,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_writers")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--events-per-writer", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50, help="events per call, batch shape")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with server_admin_url() as (admin_url, label), throwaway_database(admin_url, label) as db:
        result = measure(db, args.writers, args.events_per_writer, args.batch)
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
