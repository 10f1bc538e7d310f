"""Projection lag under sustained appends.

Lag is measured end to end as a user would see it: a writer appends one claim per transaction at
a steady rate; a follower (`follow_forever`, in its own process as `rumours project --follow`
runs) projects them; an observer polls the projection checkpoint every millisecond or so. An
event's lag is the moment the observer first saw the checkpoint at or past its position minus the
moment its append's commit returned, so it includes up to one poll interval.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

import psycopg
import sqlalchemy as sa

from benchmarks.bench_child import URL_VARIABLE
from benchmarks.bench_db import BenchDatabase, psycopg_url
from benchmarks.bench_writes import append_one
from ledger.codec import NewEvent

_POLL_SECONDS = 0.001
_READY_TIMEOUT = 60.0


class _Observer(threading.Thread):
    """Polls the projection checkpoint, noting (time, position) whenever it moves."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.seen: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        last = -1
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT position FROM projection_checkpoints WHERE name = 'boards'"
                ).fetchone()
                now = time.perf_counter()
                position = 0 if row is None else int(row[0])
                if position != last:
                    self.seen.append((now, position))
                    last = position
                time.sleep(_POLL_SECONDS)

    def reached(self, position: int) -> bool:
        return bool(self.seen) and self.seen[-1][1] >= position


def _wait_listening(url: str, follower: subprocess.Popen[str]) -> None:
    """Block until the follower has issued LISTEN, so no early append waits for a poll."""
    deadline = time.monotonic() + _READY_TIMEOUT
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if follower.poll() is not None:
                raise RuntimeError(
                    f"follower exited early: {follower.stderr.read() if follower.stderr else ''}"
                )
            # The follower's listener asks for the head and checkpoint on the same connection
            # right after its LISTEN (projections/follow.py), so while it idles that query is
            # the last one pg_stat_activity shows for it.
            listening = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND (query = 'LISTEN rumours_events' "
                "OR query LIKE 'SELECT (SELECT last_position FROM ledger_head)%%')"
            ).fetchone()
            if listening and listening[0]:
                return
            time.sleep(0.05)
    raise RuntimeError("the follower did not start listening in time")


def _write_steadily(
    engine: sa.Engine, events: Sequence[NewEvent], rate: float
) -> list[tuple[int, float]]:
    """Append one event per transaction at `rate` per second; (position, commit time) each."""
    commits: list[tuple[int, float]] = []
    started = time.perf_counter()
    for index, event in enumerate(events):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        position = append_one(engine, event)
        if position is not None:
            commits.append((position, time.perf_counter()))
    return commits


def lags(commits: Sequence[tuple[int, float]], seen: Sequence[tuple[float, int]]) -> list[float]:
    """Milliseconds from each commit until the checkpoint was first seen at or past it."""
    positions = [position for _, position in seen]
    result: list[float] = []
    for position, committed in commits:
        index = bisect.bisect_left(positions, position)
        if index < len(seen):
            # The writer's clock reading trails the commit; a projection seen first is lag 0.
            result.append(max(0.0, (seen[index][0] - committed) * 1000))
    return result


def projection_lag(
    db: BenchDatabase,
    events: Sequence[NewEvent],
    *,
    rate: float,
    quiet_days: int,
    observed_url: str | None = None,
) -> list[float]:
    """Per-event lag in ms of a follower process while `events` are appended at `rate`/s.

    `observed_url`: where the checkpoint is polled (a read replica's libpq URL); the ledger's
    own database by default."""
    url = psycopg_url(db.url)
    budget = len(events) / rate + 60
    follower = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_child", "follow", str(quiet_days), str(budget)],
        env={**os.environ, URL_VARIABLE: db.url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    observer = _Observer(observed_url or url)
    try:
        _wait_listening(url, follower)
        observer.start()
        commits = _write_steadily(db.engine, events, rate)
        deadline = time.monotonic() + 30
        while commits and not observer.reached(commits[-1][0]) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        observer.stop.set()
        follower.terminate()
        follower.wait(timeout=30)
    observer.join(timeout=5)
    if commits and not observer.reached(commits[-1][0]):
        raise RuntimeError("the follower did not catch up with the writer within 30 s")
    return lags(commits, observer.seen)
