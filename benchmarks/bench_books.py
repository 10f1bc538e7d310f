"""The likelihood book at scale (issue 17): what a new book costs, before and after round 7.

On a kept, rebuilt ledger (`python -m benchmarks.bench_rebuild 1000000 0 --keep NAME`, or one of
`benchmarks.bench_scale build`), each figure in its own child process (so peak RSS is its own),
reference and round 7 alternating, `--rounds` times:

- `scan`: the reference, the fit every board read at a new book position ran before round 7:
  one scan of the whole ledger in position order, every claim held in memory, then the fold
  (`read_claims`, `predictions`, `BookIndex`), at the head's book position;
- `scratch`: round 7's fit from scratch at the same position, one player at a time
  (`projections.book_fitting.index_at` with no earlier book);
- `grown`: round 7's fit after `--growth` (default 1%) of growth: the book at the position that
  much lower is fitted first (not timed), then the head's is grown from it (timed);
- `board`: the first `Boards.status` of a new process at the head, with the head's book stored
  (what a board read meets after `rumours project` or the follower fitted it ahead); the
  reference is `scratch` or `scan`, the read that had to fit it.

Every fit of the same position must give the same index (`runs_md5`). Nothing is left stored:
the books a run stores are deleted at its end.

    python -m benchmarks.bench_books NAME [--rounds 2] [--growth 0.01] [--skip-scan]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.bench_db import server_admin_url
from ledger.database import create_ledger_engine
from ledger.migrate import upgrade_to_head
from ledger.settings import DEFAULT_QUIET_DAYS
from ledger.store import head_position
from projections.book_fit import FAR_FUTURE
from projections.book_fitting import index_at
from projections.book_store import StoredBook
from projections.books import book_position
from projections.likelihood import BookIndex
from projections.record_reads import read_claims
from projections.track_record import predictions

VARIANTS = ("scan", "scratch", "grown", "board")


def _runs_md5(index: BookIndex) -> str:
    return hashlib.md5(repr(list(index.segments())).encode()).hexdigest()


def _scan(engine: sa.Engine, position: int) -> BookIndex:
    with engine.connect() as conn:
        conn.execute(sa.text("SET statement_timeout = 0"))
        ledger = read_claims(conn, as_of=FAR_FUTURE, known=position)
    found = predictions(ledger.players.items(), quiet_days=DEFAULT_QUIET_DAYS, until=FAR_FUTURE)
    return BookIndex(found)


def _first_board(engine: sa.Engine, position: int) -> dict[str, Any]:
    from projections.api import Boards
    from projections.books_ahead import fit_book_ahead

    fit_book_ahead(engine, position, quiet_days=DEFAULT_QUIET_DAYS)  # not timed: done ahead
    with engine.connect() as conn:
        player = conn.execute(
            sa.text("SELECT name FROM players ORDER BY player_id LIMIT 1")
        ).scalar_one()
    started, cpu = time.perf_counter(), time.process_time()
    board = Boards(engine).status(player).as_json()
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "position": board["position"]}  # fmt: skip


def child(url: str, variant: str, growth: float) -> dict[str, Any]:
    """One figure, measured in this (fresh) process."""
    engine = create_ledger_engine(url, statement_timeout_ms=0)
    with engine.connect() as conn:
        head = head_position(conn)
    position = book_position(head)
    if variant == "board":
        return _first_board(engine, head)
    earlier = None
    if variant == "grown":
        below = book_position(int(head * (1 - growth)))
        earlier = StoredBook(below, index_at(engine, below, quiet_days=DEFAULT_QUIET_DAYS,
                                             earlier=None))  # fmt: skip
    started, cpu = time.perf_counter(), _cpu_seconds()
    if variant == "scan":
        index = _scan(engine, position)
    else:
        index = index_at(engine, position, quiet_days=DEFAULT_QUIET_DAYS, earlier=earlier)
    used = _cpu_seconds() - cpu
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": used,  # this process's and its workers' (not the server's)
        "cpu_us_per_event": used / position * 1e6,
        "position": position,
        "grown_from": None if earlier is None else earlier.position,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "runs_md5": _runs_md5(index),
    }


def _cpu_seconds() -> float:
    """CPU of this process and of its finished children (a fit's worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _in_child(url: str, variant: str, growth: float) -> dict[str, Any]:
    env = {**os.environ, "BENCH_BOOKS_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_books", "--child", variant, "--growth",
         str(growth), "-"], env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr}")
    return {"variant": variant, **json.loads(done.stdout), "load": os.getloadavg()}


def _forget_books(url: str) -> None:
    engine = create_ledger_engine(url)
    upgrade_to_head(engine)  # a ledger kept from before the last migration
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM likelihood_books"))
    engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_books")
    parser.add_argument("database", help="a kept, rebuilt ledger on the benchmark server ('-': "
                        "BENCH_BOOKS_URL, for the children)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--growth", type=float, default=0.01)
    parser.add_argument("--skip-scan", action="store_true", help="no reference scan (at 10M it "
                        "holds every claim in memory for minutes)")  # fmt: skip
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(os.environ["BENCH_BOOKS_URL"], args.child, args.growth)))
        return 0
    with server_admin_url() as (admin_url, _label):
        url = make_url(admin_url).set(database=args.database).render_as_string(hide_password=False)
        _forget_books(url)  # every fit below starts from an empty table
        variants = [v for v in VARIANTS if not (args.skip_scan and v == "scan")]
        results = []
        try:
            for _ in range(args.rounds):
                for variant in variants:
                    results.append(_in_child(url, variant, args.growth))
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
                    _forget_books(url)
        finally:
            _forget_books(url)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
