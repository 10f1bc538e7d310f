"""Boards from a read replica: how far behind it is, and what a board read costs on it.

docs/scaling.md proposes streaming replicas as the first way to scale board reads. This measures
it on this machine: a primary and a hot-standby replica of it (`pg_basebackup -R`, streaming
replication), both from the PostgreSQL binaries the embedded server ships, in a temporary
directory, so it needs no server of the user's. On a ledger of `--events` generated claims,
projected on the primary:

- **board reads**: the same as-of player boards (`benchmarks.bench_asof`: `Boards` on its own
  engine, likelihood included) on the primary and on the replica, alternating in rounds. The
  replica is asked first, so it meets book positions with no stored book.
- **lag**: one writer appends single events on the primary at `--rate` per second while a
  follower (`rumours project --follow`'s loop, in its own process) projects them on the primary;
  an observer polls the projection checkpoint *on the replica*. An event's lag is the moment the
  replica first showed a checkpoint at or past it minus the moment its append's commit returned
  on the primary: what a board served from the replica trails the ledger by. The same is
  measured with the observer on the primary, in the same run, as the reference.

    python -m benchmarks.bench_replica [--events 20000] [--boards 1000] [--rounds 3]
        [--lag-events 1000] [--rate 200] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from benchmarks import bench_asof, bench_lag
from benchmarks.bench_db import BenchDatabase, psycopg_url, settle
from benchmarks.bench_report import emit, percentile
from benchmarks.bench_writes import bulk_ingest, resolve_claims, write_jsonl
from benchmarks.generator import generate_claims
from ledger.database import create_ledger_engine
from ledger.embedded import _pgserver
from ledger.logs import configure_logging
from ledger.migrate import upgrade_to_head
from projections.api import Boards

QUIET_DAYS = 120
DATABASE = "rumours_replica_bench"
REPLICA_PORT = 54329  # names the replica's socket file only: it listens on no TCP address
_CATCH_UP_SECONDS = 120.0


def _run_as(user: str | None, *command: str) -> None:
    subprocess.run(command, check=True, user=user, capture_output=True, text=True)


def _primary_socket(pgdata: Path) -> tuple[str, str]:
    """(socket directory, port) of the server running on `pgdata`, from its postmaster.pid."""
    lines = (pgdata / "postmaster.pid").read_text(encoding="utf-8").splitlines()
    return lines[4].strip(), lines[3].strip()


@contextlib.contextmanager
def primary_and_replica(home: Path) -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL) of the database DATABASE on two fresh servers, the second a
    streaming hot standby of the first; both stopped when the block ends."""
    pgserver = _pgserver()
    server = pgserver.get_server(home / "primary", cleanup_mode="stop")
    user, bin_path = server.system_user, Path(server.bin_path)
    if user is not None:  # run as root: the servers run as pgserver's own OS user
        entry = pwd.getpwnam(user)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    replica = home / "replica"
    socket_dir, port = _primary_socket(home / "primary")
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {DATABASE}")
        _run_as(user, str(bin_path / "pg_basebackup"), "-D", str(replica), "-R", "-X", "stream",
                "-d", f"host={socket_dir} port={port} user=postgres")  # fmt: skip
        _run_as(user, str(bin_path / "pg_ctl"), "-D", str(replica), "-w", "-l",
                str(replica / "server.log"), "-o",
                f"-c port={REPLICA_PORT} -c unix_socket_directories={replica} "
                "-c listen_addresses='' -c hot_standby=on", "start")  # fmt: skip
        yield (
            f"postgresql+psycopg://postgres@/{DATABASE}?host={socket_dir}&port={port}",
            f"postgresql+psycopg://postgres@/{DATABASE}?host={replica}&port={REPLICA_PORT}",
        )
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run_as(user, str(bin_path / "pg_ctl"), "-D", str(replica), "-w", "-m", "fast",
                    "stop")  # fmt: skip
        server.cleanup()


def _replay_lag_seconds(primary_url: str) -> float | None:
    with psycopg.connect(psycopg_url(primary_url)) as conn:
        row = conn.execute(
            "SELECT extract(epoch FROM replay_lag) FROM pg_stat_replication LIMIT 1"
        ).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def _wait_for_replica(primary_url: str, replica_url: str) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(psycopg_url(primary_url)) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
    deadline = time.monotonic() + _CATCH_UP_SECONDS
    with psycopg.connect(psycopg_url(replica_url), autocommit=True) as replica:
        while time.monotonic() < deadline:
            replayed = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)
            ).fetchone()
            if replayed and replayed[0]:
                return
            time.sleep(0.05)
    raise RuntimeError("the replica did not catch up with the primary in time")


def _boards(primary: BenchDatabase, replica_url: str, count: int, rounds: int) -> dict[str, Any]:
    plan = bench_asof.query_plan(primary.engine, count)
    replica = create_ledger_engine(replica_url)
    timings: dict[str, list[float]] = {"replica": [], "primary": []}
    try:
        for _ in range(rounds):  # the replica first: it meets unstored book positions
            timings["replica"] += bench_asof.api_latencies(replica, plan, quiet_days=QUIET_DAYS)
            timings["primary"] += bench_asof.api_latencies(
                primary.engine, plan, quiet_days=QUIET_DAYS
            )
    finally:
        replica.dispose()
    return {
        where: {"p50_ms": round(percentile(samples, 50), 3),
                "p99_ms": round(percentile(samples, 99), 3), "boards": len(samples)}
        for where, samples in timings.items()
    }  # fmt: skip


def _lags(primary: BenchDatabase, replica_url: str, events: int, rate: float) -> dict[str, Any]:
    # Another seed than the ledger's: claims it does not hold yet.
    pending = resolve_claims(primary, generate_claims(events * 2, seed=29))
    figures: dict[str, Any] = {}
    for where, url in (("replica", replica_url), ("primary", primary.url)):
        settle(primary)
        share, pending = pending[:events], pending[events:]
        samples = bench_lag.projection_lag(
            primary, share, rate=rate, quiet_days=QUIET_DAYS, observed_url=psycopg_url(url)
        )
        figures[where] = {"p50_ms": round(percentile(samples, 50), 2),
                          "p99_ms": round(percentile(samples, 99), 2), "events": len(samples)}  # fmt: skip
    figures["replay_lag_s_after"] = _replay_lag_seconds(primary.url)
    return figures


def measure(
    home: Path, events: int, boards: int, rounds: int, lag_events: int, rate: float
) -> dict[str, Any]:
    with primary_and_replica(home) as (primary_url, replica_url):
        engine = create_ledger_engine(primary_url, pool_size=4)
        try:
            upgrade_to_head(engine)
            primary = BenchDatabase(engine, primary_url, DATABASE, "embedded binaries, primary")
            path = home / "claims.jsonl"
            write_jsonl(generate_claims(events, seed=23), path)
            bulk_ingest(primary, path)
            Boards(engine, quiet_days=QUIET_DAYS).project()
            settle(primary)
            _wait_for_replica(primary_url, replica_url)
            return {
                "events": events,
                "boards": _boards(primary, replica_url, boards, rounds),
                "lag": _lags(primary, replica_url, lag_events, rate),
                "rate_per_s": rate,
            }
        finally:
            engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_replica")
    parser.add_argument("--events", type=int, default=20_000, help="claims in the ledger")
    parser.add_argument("--boards", type=int, default=1_000, help="board reads per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lag-events", type=int, default=1_000, help="appends per lag run")
    parser.add_argument("--rate", type=float, default=200.0, help="appends per second")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="rumours-replica-") as tmp:
        result = measure(
            Path(tmp), args.events, args.boards, args.rounds, args.lag_events, args.rate
        )
    emit(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
