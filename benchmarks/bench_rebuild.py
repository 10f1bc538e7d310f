"""Rebuild figures: a full projection rebuild in a child process against a bare cursor read.

The reference reads exactly what the rebuild reads (the same columns, filter and order) through a
bare psycopg server-side cursor and throws the rows away: the floor of getting the events out of
the server into Python, before any folding or writing.

Beside the usual ledger (about 60 claims a player) the rebuild is also measured on a second one
of many claims per player (`benchmarks.many_claims`: 100 players x 700 claims), the shape that
showed a rebuild quadratic in a player's claims. On its own:

    python -m benchmarks.bench_rebuild [EVENTS] [PLAYERS]      # default 70000 100
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.bench_child import URL_VARIABLE
from benchmarks.bench_db import (
    BenchDatabase,
    psycopg_url,
    server_admin_url,
    settle,
    throwaway_database,
)
from benchmarks.bench_writes import bulk_ingest, write_jsonl
from benchmarks.many_claims import generate_many_claims_per_player

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


MANY_PLAYERS = 100
MANY_EVENTS = 70_000  # about 700 claims each


def many_claims_rebuild(
    admin_url: str, label: str, tmp: Path, *, events: int = MANY_EVENTS, players: int = MANY_PLAYERS,
    quiet_days: int = 90, seed: int = 7,
) -> dict[str, Any]:  # fmt: skip
    """Rebuild figures of a ledger of `events` claims about `players` players, in a database of
    its own (ingested and settled first, untimed)."""
    with throwaway_database(admin_url, label) as db:
        path = tmp / "many_claims.jsonl"
        write_jsonl(generate_many_claims_per_player(events, players, seed=seed), path)
        bulk_ingest(db, path)
        settle(db)
        child = rebuild_in_child(db, quiet_days)
    return {
        "events_per_s": child["events"] / child["seconds"],
        "events": child["events"],
        "players": players,
        "rows": child["rows"],
        "seconds": child["seconds"],
        "peak_rss_mb": child["peak_rss_mb"],
    }


def main(argv: list[str]) -> int:
    events = int(argv[0]) if argv else MANY_EVENTS
    players = int(argv[1]) if len(argv) > 1 else MANY_PLAYERS
    with server_admin_url() as (admin_url, label), tempfile.TemporaryDirectory() as tmp:
        result = many_claims_rebuild(admin_url, label, Path(tmp), events=events, players=players)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
