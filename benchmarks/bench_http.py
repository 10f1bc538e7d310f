"""Player boards over HTTP beside the Python API's own figure, in the same run (SPEC §8).

The server is `rumours serve`'s app in a child process (`bench_http_server`); the clients are
threads here, each with its own keep-alive connection, asking `GET /api/players/{name}?as_of=D`
for the same (player, day) pairs as the as-of stage. Three figures:
- latency: one client, one request at a time (p50 / p99), beside `Boards.status` timed the same
  way in this process;
- throughput: `clients` clients asking as fast as they can for `seconds`, beside the same number
  of threads calling `Boards.status` on one shared `Boards` for as long.
On this 2-core machine the server, the clients and PostgreSQL share the cores, so concurrent
figures measure the box as much as the code; the load average is in the run's JSON.

On its own, on a kept ledger (filled once by `bench_rebuild --keep`, so a 1M-event board can be
measured without generating and ingesting the ledger again):

    python -m benchmarks.bench_http 1000000 --keep rebuild_1m
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
import sqlalchemy as sa

from benchmarks.bench_asof import QueryPlan, floor_latencies, query_plan
from benchmarks.bench_child import URL_VARIABLE
from benchmarks.bench_db import BenchDatabase, server_admin_url
from benchmarks.bench_rebuild import kept_database
from benchmarks.bench_report import percentile
from projections.api import Boards

START_SECONDS = 60.0
Ask = Callable[[str, date], object]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(db: BenchDatabase, quiet_days: int) -> Iterator[str]:
    """The base URL of a server child on `db`, stopped (SIGTERM) on the way out."""
    port = _free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_http_server", str(port), str(quiet_days)],
        env={**os.environ, URL_VARIABLE: db.url},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, child)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=30)


def _wait_until_up(base: str, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError("the HTTP benchmark server exited while starting")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the HTTP benchmark server did not start in time")


def _path(name: str, day: date) -> str:
    return f"/api/players/{quote(name, safe='')}?as_of={day}"


def _http_ask(http: httpx.Client) -> Ask:
    def ask(name: str, day: date) -> None:
        answer = http.get(_path(name, day))
        if answer.status_code != 200:
            raise RuntimeError(f"HTTP {answer.status_code} for a benchmark board: {answer.text}")

    return ask


def _timed(ask: Ask, plan: QueryPlan) -> list[float]:
    for name in {name for name, _ in plan}:  # warm: names resolved, plans and pools primed
        ask(name, plan[0][1])
    timings = []
    for name, day in plan:
        started = time.perf_counter()
        ask(name, day)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _flat_out(asks: list[Ask], plan: QueryPlan, seconds: float) -> float:
    """Requests per second of len(asks) threads asking round the plan for `seconds`."""
    done = [0] * len(asks)
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        ask, turn = asks[index], index * 7
        while time.monotonic() < stop:
            name, day = plan[turn % len(plan)]
            ask(name, day)
            done[index] += 1
            turn += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(asks))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def http_figures(
    db: BenchDatabase, plan: QueryPlan, *, quiet_days: int, clients: int, seconds: float
) -> dict[str, Any]:
    boards = Boards(db.engine, quiet_days=quiet_days)
    api = _timed(lambda name, day: boards.status(name, as_of=day), plan)
    api_per_s = _flat_out([lambda n, d: boards.status(n, as_of=d)] * clients, plan, seconds)
    with served(db, quiet_days) as base:
        sessions = [httpx.Client(base_url=base, timeout=30) for _ in range(clients)]
        try:
            # The server fits its likelihood book on its first board (a scan of the ledger,
            # minutes at 1M events), as the in-process API did just above: not a board's cost.
            sessions[0].get(_path(*plan[0]), timeout=None)
            latencies = _timed(_http_ask(sessions[0]), plan)
            per_s = _flat_out([_http_ask(http) for http in sessions], plan, seconds)
        finally:
            for http in sessions:
                http.close()
    return {
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "api_p50_ms": percentile(api, 50),
        "api_p99_ms": percentile(api, 99),
        "per_s": per_s,
        "api_per_s": api_per_s,
        "clients": clients,
        "seconds": seconds,
        "samples": len(latencies),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_http")
    parser.add_argument("events", type=int, help="claims to fill the kept ledger with, if empty")
    parser.add_argument("--keep", metavar="NAME", required=True, help="the kept database")
    parser.add_argument("--queries", type=int, default=2000, help="(player, as-of day) pairs")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    with (
        server_admin_url() as (admin_url, _label),
        kept_database(admin_url, args.keep, args.events, players=0) as db,
    ):
        Boards(db.engine, quiet_days=90).project()  # a board never waits on a catch-up
        plan = query_plan(db.engine, args.queries)
        result = http_figures(db, plan, quiet_days=90, clients=args.clients, seconds=args.seconds)
        floor = floor_latencies(db.url, plan)
        with db.engine.connect() as conn:
            result["events"] = conn.scalar(sa.text("SELECT count(*) FROM events"))
    result["floor_p50_ms"] = percentile(floor, 50)
    result["floor_p99_ms"] = percentile(floor, 99)
    result["load_average"] = os.getloadavg()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
