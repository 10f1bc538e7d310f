"""As-of player boards: `Boards.status(player, as_of=day)` through the Python API, and its floor.

The floor runs the board's two lookups (`projections.queries.PLAYER_PURSUITS` and
`PLAYER_FACTS`; the API sends them as one statement, `PLAYER_BOARD`, together with the freshness
check) for the same players and days on one open autocommit psycopg connection, with the player
ids and the ledger position looked up beforehand: what is left of the API's time once connection
checkout, the freshness check, name resolution and SQLAlchemy are taken away. The floor's figure
was kept comparable with the first round of measurements rather than following the API's shape.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import psycopg
import sqlalchemy as sa

from benchmarks.bench_db import psycopg_url
from projections import queries
from projections.api import Boards

QueryPlan = list[tuple[str, date]]


def query_plan(engine: sa.Engine, count: int, seed: int = 11) -> QueryPlan:
    """`count` (player name, as-of date) pairs: random players, random days of the ledger."""
    with engine.connect() as conn:
        # Names several players share would (rightly) be refused as ambiguous: leave them out.
        names = list(
            conn.execute(
                sa.text(
                    "SELECT min(name) FROM players GROUP BY name_key HAVING count(*) = 1 ORDER BY 1"
                )
            ).scalars()
        )
        first, last = conn.execute(
            sa.text("SELECT min(reported_on), max(reported_on) FROM events")
        ).one()
    rng = random.Random(seed)
    span = (last - first).days + 1
    return [(rng.choice(names), first + timedelta(days=rng.randrange(span))) for _ in range(count)]


def api_latencies(engine: sa.Engine, plan: QueryPlan, *, quiet_days: int) -> list[float]:
    """Milliseconds of each `Boards.status(player, as_of=day)` on one warm Boards object."""
    boards = Boards(engine, quiet_days=quiet_days)
    boards.project()
    return timed_boards(boards, plan)


def timed_boards(boards: Boards, plan: QueryPlan) -> list[float]:
    """Warm every sampled name once (resolved and cached, pool and plans primed), then the
    milliseconds of each `status(player, as_of=day)` in the plan's order."""
    for name in {name for name, _ in plan}:
        boards.status(name)
    timings: list[float] = []
    for name, day in plan:
        started = time.perf_counter()
        boards.status(name, as_of=day)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def floor_latencies(url: str, plan: QueryPlan) -> list[float]:
    """Milliseconds of the board's two statements per (player, day), on a bare connection."""
    pursuits, facts = queries.PLAYER_PURSUITS, queries.PLAYER_FACTS
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        ids: dict[str, str] = dict(
            conn.execute(
                "SELECT name, player_id FROM players WHERE name = ANY(%s)",
                ([name for name, _ in plan],),
            ).fetchall()
        )
        row = conn.execute("SELECT position FROM projection_checkpoints").fetchone()
        known = 0 if row is None else int(row[0])
        timings: list[float] = []
        for warm in (True, False):
            for name, day in plan:
                params = {"player": ids[name], "as_of": day, "known": known}
                started = time.perf_counter()
                conn.execute(pursuits, params).fetchall()
                conn.execute(facts, params).fetchall()
                if not warm:
                    timings.append((time.perf_counter() - started) * 1000)
    return timings
