"""The 10M figures of issue 17 on a shared two-core machine: as-of p50 at 10M beside 100k.

Generating and ingesting 10M claims takes the ingest path's 4–5k claims/s (40 minutes on an idle
machine, over an hour at the load this project's machine runs at), and the rebuild of them as
long again. So the 10M ledger is built from a kept, ingested and rebuilt ledger of N events by
copying it `copies` times on the server (`build`):

- copy k of every event gets position `p + k·H` (H the source's head), a new event id
  (`md5(id:k)`), its player `player_id-k` (stream `player:player_id-k`), every other stream
  `stream~k`; dates, payload and metadata unchanged;
- copy k of each player is a new player named `name k` (so names stay unique);
- the projection's version tables are copied the same way (`known_from` / `known_to` + k·H):
  a player's rows depend only on that player's own events (the fold is per player stream), so
  they are exactly the rows a rebuild of the copied events writes for the copied player;
- the head and the checkpoint move to `copies · H`.

So the 10M ledger has ten times the players of the 1M one (about 60 claims each, as generated)
and the same dates; what it does not reproduce is the interleaving of copies in position order.

`asof` then times `Boards.status(player, as_of=day)` (the harness's `bench_asof.api_latencies`)
on each named database in turn, alternating, `--rounds` times, so every figure is beside the
others under the same load:

    python -m benchmarks.bench_scale build ledger1m ledger10m --copies 10
    python -m benchmarks.bench_scale asof ledger100k ledger10m [--queries 2000] [--rounds 2]

Both work on the benchmark server (`RUMOURS_HOME` or `RUMOURS_DATABASE_URL`) and keep what they
build; drop the databases by hand when done.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks import bench_asof
from benchmarks.bench_db import STATEMENT_TIMEOUT_MS, psycopg_url, server_admin_url
from benchmarks.bench_report import percentile
from ledger.database import create_ledger_engine
from ledger.logs import configure_logging
from projections.api import Boards

VERSION_TABLES = ("pursuit_versions", "player_versions")


def _url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def _copy_sql(conn: psycopg.Connection[Any], table: str, changed: dict[str, str]) -> str:
    """`INSERT INTO table SELECT …` with the `changed` columns' expressions (in terms of the
    row and `%(k)s`, `%(head)s`), every other column as it is."""
    columns = _columns(conn, table)
    if not columns:
        raise SystemExit(f"no table {table}: the migrations changed, update this copy")
    values = ", ".join(changed.get(column, column) for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} AS src"


_EVENT_CHANGES = {
    "position": "position + %(k)s::bigint * %(head)s::bigint",
    "event_id": "md5(event_id::text || ':' || %(k)s)::uuid",
    "player_id": "CASE WHEN player_id IS NULL THEN NULL ELSE player_id || '-' || %(k)s END",
    "stream_id": "CASE WHEN player_id IS NULL THEN stream_id || '~' || %(k)s "
    "ELSE 'player:' || player_id || '-' || %(k)s END",
}
_PLAYER_CHANGES = {
    "player_id": "player_id || '-' || %(k)s",
    "name": "name || ' ' || %(k)s",
    "name_key": "name_key || ' ' || %(k)s",
}
_VERSION_CHANGES = {
    "player_id": "player_id || '-' || %(k)s",
    "known_from": "known_from + %(k)s::bigint * %(head)s::bigint",
    "known_to": "known_to + %(k)s::bigint * %(head)s::bigint",
}


def build(admin_url: str, source: str, target: str, copies: int) -> dict[str, Any]:
    """Database `target`: `source` (a rebuilt ledger) and `copies - 1` copies of it."""
    started = time.perf_counter()
    with psycopg.connect(psycopg_url(admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    with psycopg.connect(psycopg_url(_url(admin_url, target))) as conn:
        head = int(conn.execute("SELECT last_position FROM ledger_head").fetchone()[0])  # type: ignore[index]
        checkpoint = conn.execute("SELECT position FROM projection_checkpoints").fetchall()
        if not checkpoint or any(int(row[0]) != head for row in checkpoint):
            raise SystemExit(f"{source}: the projection is not at the head {head}; rebuild it")
        where = " WHERE src.position <= %(head)s"
        steps = [(_copy_sql(conn, "events", _EVENT_CHANGES) + where, "events")]
        players = _copy_sql(conn, "players", _PLAYER_CHANGES)
        conn.execute("CREATE TEMP TABLE source_players AS SELECT player_id FROM players")
        steps.append((players + " WHERE src.player_id IN (TABLE source_players)", "players"))
        for table in VERSION_TABLES:
            sql = _copy_sql(conn, table, _VERSION_CHANGES)
            steps.append((sql + " WHERE src.known_from <= %(head)s", table))
        for k in range(1, copies):
            for sql, _table in steps:
                conn.execute(sql, {"k": k, "head": head})
            conn.commit()
            print(f"copy {k} of {copies - 1} done at {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
        conn.execute("UPDATE ledger_head SET last_position = %s", (copies * head,))
        conn.execute("UPDATE projection_checkpoints SET position = %s", (copies * head,))
        conn.commit()
    with psycopg.connect(psycopg_url(_url(admin_url, target)), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")
        events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])  # type: ignore[index]
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        database_size = str(size.fetchone()[0])  # type: ignore[index]
    return {
        "source_head": head,
        "copies": copies,
        "events": events,
        "database_size": database_size,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _blocks(engine: sa.Engine) -> tuple[int, int]:
    """(buffer hits, reads from outside shared_buffers) of the version tables and their indexes
    so far, as the server's statistics have them. A backend sends its counts when it exits (or
    idle, after seconds), so the pool's connections are closed first."""
    engine.dispose()
    time.sleep(1.0)
    tables = ", ".join(f"'{table}'" for table in VERSION_TABLES)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        row = conn.execute(
            sa.text(
                "SELECT sum(coalesce(heap_blks_hit, 0) + coalesce(idx_blks_hit, 0)), "
                "sum(coalesce(heap_blks_read, 0) + coalesce(idx_blks_read, 0)) "
                f"FROM pg_statio_user_tables WHERE relname IN ({tables})"
            )
        ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _sizes(engine: sa.Engine) -> dict[str, str]:
    """Size of each version table with and without its indexes."""
    with engine.connect() as conn:
        return {
            f"{table} {part}": str(
                conn.execute(sa.text(f"SELECT pg_size_pretty({part}('{table}'))")).scalar()
            )
            for table in VERSION_TABLES
            for part in ("pg_table_size", "pg_indexes_size")
        }


def _board_latencies(
    engine: sa.Engine, plan: bench_asof.QueryPlan, *, likelihood: bool
) -> list[float]:
    """`bench_asof.api_latencies`, or with `likelihood` off the same boards as the reader role
    gets them (no likelihood book: fitting one over 10M events takes longer than the run has)."""
    if likelihood:
        return bench_asof.api_latencies(engine, plan, quiet_days=90)
    boards = Boards(engine, quiet_days=90)
    boards._books.denied = True  # what a role without access to the events gets
    return bench_asof.timed_boards(boards, plan)


def as_of(
    admin_url: str, names: list[str], queries: int, rounds: int, *, likelihood: bool = True
) -> dict[str, Any]:
    """p50 / p99 (ms) of as-of player boards on each database, the databases alternating."""
    engines = {
        name: create_ledger_engine(_url(admin_url, name), statement_timeout_ms=STATEMENT_TIMEOUT_MS)
        for name in names
    }
    try:
        plans = {name: bench_asof.query_plan(engine, queries) for name, engine in engines.items()}
        samples: dict[str, list[float]] = {name: [] for name in names}
        p50s: dict[str, list[float]] = {name: [] for name in names}
        hits: dict[str, list[int]] = {name: [0, 0] for name in names}
        for _ in range(rounds):
            for name, engine in engines.items():
                hit_before, read_before = _blocks(engine)
                timings = _board_latencies(engine, plans[name], likelihood=likelihood)
                hit_after, read_after = _blocks(engine)
                hits[name][0] += hit_after - hit_before
                hits[name][1] += read_after - read_before
                samples[name].extend(timings)
                p50s[name].append(round(percentile(timings, 50), 3))
        sizes = {name: _sizes(engine) for name, engine in engines.items()}
        with engines[names[-1]].connect() as conn:
            shared_buffers = conn.execute(sa.text("SHOW shared_buffers")).scalar()
    finally:
        for engine in engines.values():
            engine.dispose()
    return {
        name: {
            "p50_ms": round(percentile(samples[name], 50), 3),
            "p99_ms": round(percentile(samples[name], 99), 3),
            "p50_ms_each_round": p50s[name],
            "median_of_rounds": round(statistics.median(p50s[name]), 3),
            "samples": len(samples[name]),
            "version_blocks_hit_read": hits[name],
            "sizes": sizes[name],
        }
        for name in names
    } | {"shared_buffers": shared_buffers, "likelihood": likelihood}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scale")
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build", help="copy a rebuilt ledger into a larger one")
    building.add_argument("source")
    building.add_argument("target")
    building.add_argument("--copies", type=int, default=10)
    timing = commands.add_parser("asof", help="as-of p50 of each database, alternating")
    timing.add_argument("databases", nargs="+")
    timing.add_argument("--queries", type=int, default=2_000)
    timing.add_argument("--rounds", type=int, default=2)
    timing.add_argument(
        "--no-likelihood", action="store_true", help="boards as the reader role gets them"
    )
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    loads = [os.getloadavg()]
    with server_admin_url() as (admin_url, _label):
        if args.command == "build":
            result = build(admin_url, args.source, args.target, args.copies)
        else:
            result = as_of(
                admin_url, args.databases, args.queries, args.rounds,
                likelihood=not args.no_likelihood,
            )  # fmt: skip
    loads.append(os.getloadavg())
    print(json.dumps({**result, "load_average_before_after": loads}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
