"""Memory of a running rebuild over time, for ledgers too big to wait for the child's own peak.

`bench_rebuild` reports the peak RSS of its rebuild child when the rebuild ends; at 10M events on
a shared machine that is an hour away. This samples, every `--every` seconds, the resident memory
of the rebuild child (`benchmarks.bench_child rebuild`) and of its worker processes together, and
how many rows the workers' COPYs into the `__next` tables have written so far
(`pg_stat_progress_copy`), one JSON line per sample:

    python -m benchmarks.watch_rebuild DATABASE [--every 10] [--samples 360]

Run it beside `python -m benchmarks.bench_rebuild 10000000 0 --keep DATABASE`. Memory that stays
flat while the rows written grow is the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.bench_db import psycopg_url, server_admin_url

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process this user can see."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        table[int(entry.name)] = (int(stat[1]), command)
    return table


def _rss_mb(pid: int) -> float:
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
    except OSError:
        return 0.0
    return resident * PAGE_KB / 1024


def rebuild_memory() -> dict[str, float] | None:
    """RSS (MB) of the rebuild child and of it with its descendants; None when none runs."""
    table = _processes()
    rebuilds = {pid for pid, (_, cmd) in table.items() if "benchmarks.bench_child rebuild" in cmd}
    # Forked workers carry the child's command line too: the child is the one not forked.
    roots = [pid for pid in rebuilds if table[pid][0] not in rebuilds]
    if not roots:
        return None
    family, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in table.items() if ppid == parent]
        family.update(children)
        frontier.extend(children)
    return {
        "child_mb": round(sum(_rss_mb(pid) for pid in roots), 1),
        "all_mb": round(sum(_rss_mb(pid) for pid in family), 1),
        "processes": len(family),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.watch_rebuild")
    parser.add_argument("database")
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--samples", type=int, default=360)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with server_admin_url() as (admin_url, _label):
        url = make_url(admin_url).set(database=args.database).render_as_string(hide_password=False)
        with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
            for _ in range(args.samples):
                row = conn.execute(
                    "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy "
                    "WHERE datname = current_database()"
                ).fetchone()
                sample = {
                    "seconds": round(time.perf_counter() - started, 1),
                    "rows_copied": 0 if row is None else int(row[0]),
                    "memory": rebuild_memory(),
                    "load_average": os.getloadavg(),
                }
                print(json.dumps(sample), flush=True)
                time.sleep(args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
