"""Rebuild figures: a full projection rebuild in a child process against a bare cursor read.

The reference reads exactly what the rebuild reads (the same columns, filter and order) through a
bare psycopg server-side cursor and throws the rows away: the floor of getting the events out of
the server into Python, before any folding or writing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import psycopg

from benchmarks.bench_child import URL_VARIABLE
from benchmarks.bench_db import BenchDatabase, psycopg_url

# The rebuild's own select list (ledger.reading); the reference must read the same bytes.
from ledger.reading import EVENT_COLUMNS, PLAYER_STREAMS

FOLD_COLUMNS = ", ".join(EVENT_COLUMNS)

_FETCH = 10_000  # the rebuild's yield_per


def run_child(db: BenchDatabase, *args: str, timeout: float) -> dict[str, Any]:
    """Run `benchmarks.bench_child` with `args`; its one JSON line of output."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_child", *args],
        env={**os.environ, URL_VARIABLE: db.url},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-5:]
        raise RuntimeError(f"benchmark child {args[0]} failed: {' | '.join(tail)}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def raw_read(db: BenchDatabase) -> tuple[int, float]:
    """(events, seconds) of reading the rebuild's rows with a bare server-side cursor."""
    with psycopg.connect(psycopg_url(db.url)) as conn:
        head = conn.execute("SELECT last_position FROM ledger_head").fetchone()
        until = 0 if head is None else int(head[0])
        started = time.perf_counter()
        count = 0
        with conn.cursor(name="bench_raw_read") as cursor:
            cursor.itersize = _FETCH
            cursor.execute(
                f"SELECT {FOLD_COLUMNS} FROM events WHERE {PLAYER_STREAMS.replace('%', '%%')} "
                "AND position > 0 AND position <= %s ORDER BY stream_id, stream_version",
                (until,),
            )
            while rows := cursor.fetchmany(_FETCH):
                count += len(rows)
        return count, time.perf_counter() - started


def rebuild_in_child(db: BenchDatabase, quiet_days: int) -> dict[str, Any]:
    """events, rows, seconds, rss_before_mb and peak_rss_mb of a rebuild in a child process."""
    return run_child(db, "rebuild", str(quiet_days), timeout=4 * 3600)
