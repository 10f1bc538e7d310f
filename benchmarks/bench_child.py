"""Child processes of the harness, so that their memory and CPU are theirs alone.

    python -m benchmarks.bench_child rebuild QUIET_DAYS [WORKERS]
        runs `projections.rebuild.rebuild` (WORKERS processes, default automatic) and prints one
        JSON line: events, rows, position, seconds, fill_seconds (before the indexes and the
        swap), workers, cpu_seconds (this process and its workers, not the server's),
        rss_before_mb (after imports and connecting), parent_peak_rss_mb (VmHWM) and
        peak_rss_mb (the parent's peak plus each worker's: pages a forked worker shares with
        the parent count twice, so it is an upper bound of the rebuild's memory).
    python -m benchmarks.bench_child follow QUIET_DAYS SECONDS
        runs `projections.follow.follow_forever` for SECONDS, as `rumours project --follow` would.

The database URL comes in the environment (`RUMOURS_BENCH_URL`), never on the command line
where any user could read a password in the process list.

The peak is the child's own high-water mark, so the generator and the harness, which live in
the parent, do not count towards the rebuild's memory.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks.bench_db import STATEMENT_TIMEOUT_MS
from ledger.database import create_ledger_engine
from ledger.logs import configure_logging

URL_VARIABLE = "RUMOURS_BENCH_URL"


def _rss_mb() -> float:
    """This process's peak resident set in MiB.

    VmHWM, not ru_maxrss: Linux carries the parent's high-water mark into ru_maxrss across
    fork + exec, so a child of a big harness would report the harness's memory as its own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (the rebuild's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rebuild(url: str, quiet_days: int, workers: int | None) -> dict[str, float | int]:
    from projections.rebuild import rebuild

    engine = create_ledger_engine(url, statement_timeout_ms=STATEMENT_TIMEOUT_MS)
    with engine.connect():
        pass
    before, cpu_before = _rss_mb(), _cpu_seconds()
    started = time.perf_counter()
    report = rebuild(engine, quiet_days=quiet_days, workers=workers)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "events": report.events,
        "rows": report.rows,
        "position": report.position,
        "seconds": seconds,
        "workers": report.workers,
        "fill_seconds": round(report.fill_seconds, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu_before, 2),
        "rss_before_mb": round(before, 1),
        "parent_peak_rss_mb": round(_rss_mb(), 1),
        "peak_rss_mb": round(report.peak_rss_mb, 1),
    }


def _follow(url: str, quiet_days: int, seconds: float) -> dict[str, float | int]:
    from projections.follow import follow_forever

    engine = create_ledger_engine(url, statement_timeout_ms=STATEMENT_TIMEOUT_MS)
    position = follow_forever(engine, quiet_days=quiet_days, stop_after=seconds)
    engine.dispose()
    return {"position": position, "peak_rss_mb": round(_rss_mb(), 1)}


def main(argv: list[str]) -> int:
    configure_logging("WARNING", json=True)
    command, quiet_days, url = argv[0], int(argv[1]), os.environ[URL_VARIABLE]
    if command == "rebuild":
        result = _rebuild(url, quiet_days, int(argv[2]) if len(argv) > 2 else None)
    elif command == "follow":
        result = _follow(url, quiet_days, float(argv[2]))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
