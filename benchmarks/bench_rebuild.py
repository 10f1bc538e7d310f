"""Rebuild figures: a full projection rebuild in a child process against a bare cursor read.

The reference reads exactly what the rebuild reads (`ledger.reading.FOLD_SELECT`: the same
fields, filter and order) through one bare psycopg server-side cursor and throws the rows away:
the floor of getting the events out of the server into Python, before any folding or writing,
by one reader (the rebuild reads with one per worker).

Beside the usual ledger (about 60 claims a player) the rebuild is also measured on a second one
of many claims per player (`benchmarks.many_claims`: 100 players x 700 claims), the shape that
showed a rebuild quadratic in a player's claims. On its own:

    python -m benchmarks.bench_rebuild [EVENTS] [PLAYERS]      # default 70000 100
    python -m benchmarks.bench_rebuild 1000000 0 --keep rebuild_1m   # the usual shape, kept

PLAYERS 0 is the usual shape. `--keep NAME` fills database NAME on the benchmark server the first
time and leaves it there, so a 1M-event ledger is generated and ingested once and each later run
only rebuilds it. `--workers N` fixes the number of worker processes (default: automatic).

The JSON's `cpu_seconds` is the CPU of the rebuild's own processes (the child and its workers),
`server_cpu_seconds` that of the database server's processes meanwhile (None when the server is
not on this machine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.bench_child import URL_VARIABLE
from benchmarks.bench_db import (
    STATEMENT_TIMEOUT_MS,
    BenchDatabase,
    psycopg_url,
    server_admin_url,
    settle,
    throwaway_database,
)
from benchmarks.bench_writes import bulk_ingest, write_jsonl
from benchmarks.generator import generate_claims
from benchmarks.many_claims import generate_many_claims_per_player
from ledger.codec import SCHEMA_VERSION
from ledger.database import create_ledger_engine
from ledger.migrate import upgrade_to_head

# The rebuild's own select (ledger.reading); the reference must read the same bytes.
from ledger.reading import FOLD_SELECT, PLAYER_STREAMS

_FETCH = 10_000  # the rebuild's batch size


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
                f"{FOLD_SELECT} WHERE {PLAYER_STREAMS.replace('%', '%%')} "
                "AND position <= %(until)s ORDER BY stream_id, stream_version",
                {"current": SCHEMA_VERSION, "until": until},
            )
            while rows := cursor.fetchmany(_FETCH):
                count += len(rows)
        return count, time.perf_counter() - started


def rebuild_in_child(
    db: BenchDatabase, quiet_days: int, workers: int | None = None
) -> dict[str, Any]:
    """events, rows, seconds, workers, rss_before_mb and peak_rss_mb of a rebuild in a child."""
    extra = () if workers is None else (str(workers),)
    return run_child(db, "rebuild", str(quiet_days), *extra, timeout=4 * 3600)


MANY_PLAYERS = 100
MANY_EVENTS = 70_000  # about 700 claims each


def _claims(events: int, players: int, seed: int) -> Iterator[dict[str, object]]:
    if players:
        return generate_many_claims_per_player(events, players, seed=seed)
    return generate_claims(events, seed=seed)


def server_cpu_seconds(db: BenchDatabase) -> float | None:
    """CPU seconds the database server's processes have used so far: the postmaster's own, its
    exited children's (a closed connection's backend is reaped into them) and its live
    children's. None when the server does not run on this machine (no /proc entry to read).

    The difference across a rebuild is the server's share of it (reads, COPYs, index builds,
    ANALYZE), plus whatever autovacuum or other databases of the server did meanwhile.
    """
    with psycopg.connect(psycopg_url(db.url)) as conn:  # read while its backend lives
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        backend = int(row[0]) if row else 0
        try:
            # A server in a container has pids of its own namespace: make sure this one is ours.
            if b"postgres" not in Path(f"/proc/{backend}/cmdline").read_bytes():
                return None
            postmaster = _stat(backend)[1]
            own = _stat(int(postmaster))
            ticks = sum(map(int, own[11:15]))  # utime, stime, cutime, cstime
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    with contextlib.suppress(OSError):
                        child = _stat(int(entry.name))
                        if child[1] == postmaster:
                            ticks += int(child[11]) + int(child[12])
        except OSError:
            return None
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def measure_rebuild(db: BenchDatabase, quiet_days: int, workers: int | None) -> dict[str, Any]:
    """The rebuild in a child process, then the bare read of the same events (both settled)."""
    settle(db)
    server_before = server_cpu_seconds(db)
    child = rebuild_in_child(db, quiet_days, workers)
    server_after = server_cpu_seconds(db)
    settle(db)
    raw_events, raw_seconds = raw_read(db)
    return {
        "events_per_s": child["events"] / child["seconds"],
        "raw_read_per_s": raw_events / raw_seconds if raw_seconds > 0 else 0.0,
        "events": child["events"],
        "rows": child["rows"],
        "seconds": child["seconds"],
        "fill_seconds": child["fill_seconds"],
        "workers": child["workers"],
        "cpu_seconds": child["cpu_seconds"],
        "server_cpu_seconds": None
        if server_before is None or server_after is None
        else round(server_after - server_before, 2),
        "peak_rss_mb": child["peak_rss_mb"],
        "parent_peak_rss_mb": child["parent_peak_rss_mb"],
    }


def many_claims_rebuild(
    admin_url: str, label: str, tmp: Path, *, events: int = MANY_EVENTS, players: int = MANY_PLAYERS,
    quiet_days: int = 90, seed: int = 7, workers: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Rebuild figures of a ledger of `events` claims about `players` players (0: the usual
    shape), in a database of its own (ingested first, untimed)."""
    with throwaway_database(admin_url, label) as db:
        path = tmp / "many_claims.jsonl"
        write_jsonl(_claims(events, players, seed), path)
        bulk_ingest(db, path)
        return {**measure_rebuild(db, quiet_days, workers), "players": players}


@contextlib.contextmanager
def kept_database(admin_url: str, name: str, events: int, players: int) -> Iterator[BenchDatabase]:
    """Database `name`, created, migrated and filled with the generated ledger the first time,
    and kept afterwards (a second run with other sizes reuses the ledger as it is)."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        if (
            conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            is None
        ):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = create_ledger_engine(url, statement_timeout_ms=STATEMENT_TIMEOUT_MS)
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            empty = conn.execute(sa.text("SELECT NOT EXISTS (SELECT 1 FROM events)")).scalar()
        db = BenchDatabase(engine, url, name, "kept")
        if empty:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "claims.jsonl"
                write_jsonl(_claims(events, players, seed=7), path)
                bulk_ingest(db, path)
        yield db
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_rebuild")
    parser.add_argument("events", nargs="?", type=int, default=MANY_EVENTS)
    parser.add_argument("players", nargs="?", type=int, default=MANY_PLAYERS,
                        help="players the claims are about; 0: the usual shape")  # fmt: skip
    parser.add_argument("--keep", metavar="NAME", help="fill database NAME once and keep it")
    parser.add_argument("--workers", type=int, help="worker processes (default: automatic)")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    with server_admin_url() as (admin_url, label):
        if args.keep:
            with kept_database(admin_url, args.keep, args.events, args.players) as db:
                result = {**measure_rebuild(db, 90, args.workers), "players": args.players}
        else:
            with tempfile.TemporaryDirectory() as tmp:
                result = many_claims_rebuild(admin_url, label, Path(tmp), events=args.events,
                                             players=args.players, workers=args.workers)  # fmt: skip
    result["load_average"] = os.getloadavg()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
