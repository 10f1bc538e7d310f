"""The benchmark run of SPEC §8: one throwaway database, every figure beside its reference.

Order of the stages, each on the ledger the previous one left:
1. generate N + tail claims (`benchmarks.generator`); the first N go to a JSONL file;
2. bulk ingest of that file, then raw COPY of the same rows into `events_raw`, then into
   `events_indexed` (the events table's indexes and constraints, no triggers);
3. full rebuild in a child process (peak RSS), then a bare cursor read of the same events;
4. as-of player boards through `projections.api.Boards` (so figures are over exactly N events),
   then the same boards over HTTP from `rumours serve`'s app beside the API (`bench_http`);
5. the tail, resolved once through the ingest path: single appends, raw single INSERTs and the
   peer's single appends of the same rows, interleaved in rounds; then a slice of the tail
   appended in pre-built batches by the ledger and by the peer, alternating;
6. projection lag: the rest of the tail appended at a steady rate while a follower projects;
7. in a database of its own, a rebuild of a many-claims-per-player ledger (100 players x 700
   claims, `benchmarks.many_claims`): the shape where a rebuild quadratic in a player's claims
   shows.
8. in a database of its own holding the example claims, a warm `rumours status` as whole processes
   beside `python -c pass` and `psql -c 'select 1'` (`benchmarks.bench_cli`): CLI start-up.
The peer (`benchmarks.bench_peer`, the `eventsourcing` library) also reads the whole log back
beside `ledger.reading.read_all`, after stage 3, over a copy of the same N rows.
Between stages the database is settled (VACUUM ANALYZE + CHECKPOINT, untimed) so one stage's
write debt is not paid inside the next stage's figure.

`as_of.p50_ms_at_100k` is the as-of p50 on a 100k-event ledger: the run's own p50 when
N <= 100k; for larger N a 100k ledger is built in a second throwaway database in the same run,
unless the JSON of a 100k run is given to reuse.

Why this module is longer than 300 lines: it is the run's one script, and the order of the stages,
what each leaves for the next and the settling between them are meant to be read top to bottom in
one place; how each figure is measured lives in its own `bench_*` module.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console

from benchmarks import (
    bench_asof,
    bench_cli,
    bench_db,
    bench_http,
    bench_lag,
    bench_peer,
    bench_rebuild,
    bench_writes,
)
from benchmarks.bench_db import BenchDatabase, server_admin_url, server_version, throwaway_database
from benchmarks.bench_peer import Recorder
from benchmarks.bench_report import check_shape, code_version, machine, percentile, ratio
from benchmarks.bench_writes import Rate
from benchmarks.generator import generate_claims
from ledger.codec import NewEvent
from projections.api import Boards
from projections.rebuild import rebuild

REFERENCE_EVENTS = 100_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plan:
    """How big each loop of a run is; `--smoke` shrinks them all for CI."""

    events: int
    smoke: bool = False
    single_appends: int = 2_000
    append_rounds: int = 5
    # Each batch-appended event is projected by the catch-up before the lag stage: 5,000 keeps
    # that catch-up short on a loaded machine.
    batch_events: int = 5_000
    batch_size: int = bench_peer.PEER_BATCH_MAX
    read_rounds: int = 2
    as_of_queries: int = 2_000
    lag_rate: float = 50.0
    lag_seconds: float = 10.0
    http_clients: int = 4
    http_seconds: float = 10.0
    quiet_days: int = 90
    seed: int = 7
    many_claims_events: int = bench_rebuild.MANY_EVENTS
    many_claims_players: int = bench_rebuild.MANY_PLAYERS
    cli_runs: int = 20

    @classmethod
    def for_run(cls, events: int, *, smoke: bool = False) -> Plan:
        if events < 1:
            raise ValueError("a benchmark needs at least one event")
        if smoke:
            return cls(
                events,
                True,
                single_appends=200,
                append_rounds=2,
                batch_events=1_000,
                read_rounds=1,
                as_of_queries=200,
                lag_seconds=2.0,
                http_seconds=1.0,
                many_claims_events=2_000,
                many_claims_players=20,
                cli_runs=3,
            )
        return cls(events)

    @property
    def lag_events(self) -> int:
        return round(self.lag_rate * self.lag_seconds)

    @property
    def tail_events(self) -> int:
        return self.single_appends + self.batch_events + self.lag_events


class Stages:
    """Runs stages, timing each (repeated names add up) and saying what it does."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.seconds: dict[str, float] = {}

    def run(self, name: str, work: Callable[[], T]) -> T:
        self.console.log(f"[bold]{name}[/bold] …")
        started = time.perf_counter()
        value = work()
        took = time.perf_counter() - started
        self.seconds[name] = round(self.seconds.get(name, 0.0) + took, 2)
        self.console.log(f"{name} done in {took:.1f} s")
        return value

    def settle(self, db: BenchDatabase) -> None:
        self.run("settle (untimed)", lambda: bench_db.settle(db))


def claims_file(plan: Plan, tmp: Path) -> tuple[Path, list[dict[str, object]]]:
    claims = generate_claims(plan.events + plan.tail_events, seed=plan.seed)
    path = tmp / "claims.jsonl"
    bench_writes.write_jsonl(itertools.islice(claims, plan.events), path)
    return path, list(claims)


def writes(
    db: BenchDatabase, path: Path, stages: Stages, workers: int | None = None
) -> dict[str, Any]:
    bulk, appended, cpu, children = stages.run(
        "bulk ingest", lambda: bench_writes.bulk_ingest(db, path, workers)
    )
    stages.settle(db)
    raw_copy = stages.run("raw COPY", lambda: bench_writes.raw_copy(db))
    stages.settle(db)
    indexed = stages.run("indexed COPY", lambda: bench_writes.raw_copy(db, bench_db.INDEXED_TABLE))
    return {
        "per_s": bulk.per_s,
        "raw_copy_per_s": raw_copy.per_s,
        "ratio": ratio(bulk.per_s, raw_copy.per_s),
        "indexed_copy_per_s": indexed.per_s,
        "indexed_ratio": ratio(bulk.per_s, indexed.per_s),
        "claims": bulk.count,
        "appended": appended,
        "seconds": bulk.seconds,
        "client_cpu_seconds": cpu,
        "worker_cpu_seconds": children,
        "raw_copy_rows": raw_copy.count,
    }


def _single(
    db: BenchDatabase, plan: Plan, events: list[NewEvent], peer: Recorder, stages: Stages
) -> tuple[dict[str, Any], Rate]:
    """The single-append figures, and the peer's single-append rate over the same rows."""
    appended, raw, theirs = stages.run(
        "single appends + raw INSERT + peer",
        lambda: bench_writes.appends_against_inserts(
            db,
            events,
            plan.append_rounds,
            lambda positions: bench_peer.peer_single_appends(
                peer, bench_peer.peer_events(db, positions)
            ),
        ),
    )
    figures = {
        "per_s": appended.per_s,
        "raw_insert_per_s": raw.per_s,
        "ratio": ratio(appended.per_s, raw.per_s),
        "appends": appended.count,
        "raw_inserts": raw.count,
        "rounds": plan.append_rounds,
    }
    return figures, theirs


def _peer_read(db: BenchDatabase, plan: Plan, peer: Recorder, stages: Stages) -> dict[str, Any]:
    stages.run("peer: copy the log (untimed)", lambda: bench_peer.fill(db, peer))
    stages.settle(db)
    mine, theirs = stages.run(
        "read all: ledger + peer", lambda: bench_peer.read_alls(db, peer, plan.read_rounds)
    )
    return {
        "read_all_per_s": theirs.per_s,
        "ledger_read_all_per_s": mine.per_s,
        "read_all_ratio": ratio(mine.per_s, theirs.per_s),
        "read_all_events": mine.count,
    }


def _peer_batch(
    db: BenchDatabase, plan: Plan, events: list[NewEvent], peer: Recorder, stages: Stages
) -> dict[str, Any]:
    mine, theirs = stages.run(
        "batch append: ledger + peer",
        lambda: bench_peer.batch_appends(db, peer, events, plan.batch_size),
    )
    return {
        "batch_append_per_s": theirs.per_s,
        "ledger_batch_append_per_s": mine.per_s,
        "batch_append_ratio": ratio(mine.per_s, theirs.per_s),
        "batch_events": mine.count,
        "batch_size": plan.batch_size,
    }


def _rebuild(db: BenchDatabase, plan: Plan, stages: Stages) -> dict[str, Any]:
    child = stages.run("rebuild", lambda: bench_rebuild.rebuild_in_child(db, plan.quiet_days))
    stages.settle(db)
    raw_events, raw_seconds = stages.run("bare read", lambda: bench_rebuild.raw_read(db))
    return {
        "events_per_s": child["events"] / child["seconds"],
        "raw_read_per_s": raw_events / raw_seconds if raw_seconds > 0 else 0.0,
        "peak_rss_mb": child["peak_rss_mb"],
        "rss_before_mb": child["rss_before_mb"],
        "parent_peak_rss_mb": child["parent_peak_rss_mb"],
        "workers": child["workers"],
        "events": child["events"],
        "rows": child["rows"],
        "seconds": child["seconds"],
    }


def _latency(samples: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": percentile(samples, 50),
        "p99_ms": percentile(samples, 99),
        "samples": len(samples),
    }


def _as_of(db: BenchDatabase, plan: Plan, stages: Stages) -> dict[str, Any]:
    queries = bench_asof.query_plan(db.engine, plan.as_of_queries)
    api = stages.run(
        "as-of boards",
        lambda: bench_asof.api_latencies(db.engine, queries, quiet_days=plan.quiet_days),
    )
    floor = stages.run("as-of floor", lambda: bench_asof.floor_latencies(db.url, queries))
    return {
        **_latency(api),
        "floor_p50_ms": percentile(floor, 50),
        "floor_p99_ms": percentile(floor, 99),
    }


def _http(db: BenchDatabase, plan: Plan, stages: Stages) -> dict[str, Any]:
    queries = bench_asof.query_plan(db.engine, plan.as_of_queries)
    return stages.run(
        "player boards over HTTP",
        lambda: bench_http.http_figures(db, queries, quiet_days=plan.quiet_days,
                                        clients=plan.http_clients, seconds=plan.http_seconds),
    )  # fmt: skip


def measure(db: BenchDatabase, plan: Plan, tmp: Path, stages: Stages) -> dict[str, Any]:
    """Every figure of one ledger of `plan.events` events (without the 100k reference).

    Every timed stage starts from a settled database (`bench_db.settle`).
    """
    path, tail = stages.run("generate claims", lambda: claims_file(plan, tmp))
    result: dict[str, Any] = {"bulk_ingest": writes(db, path, stages)}
    stages.settle(db)
    result["rebuild"] = _rebuild(db, plan, stages)
    with bench_peer.peer_recorder(db) as peer:
        result["peer"] = _peer_read(db, plan, peer, stages)
        result["as_of"] = _as_of(db, plan, stages)
        result["http"] = _http(db, plan, stages)
        events = stages.run("resolve tail", lambda: bench_writes.resolve_claims(db, tail))
        stages.settle(db)
        singles, batches = plan.single_appends, plan.single_appends + plan.batch_events
        result["single_append"], theirs = _single(db, plan, events[:singles], peer, stages)
        result["peer"].update(
            single_append_per_s=theirs.per_s,
            single_append_ratio=ratio(result["single_append"]["per_s"], theirs.per_s),
        )
        stages.settle(db)
        result["peer"].update(_peer_batch(db, plan, events[singles:batches], peer, stages))
    stages.run("catch up", lambda: Boards(db.engine, quiet_days=plan.quiet_days).project())
    stages.settle(db)
    lag = stages.run(
        "projection lag",
        lambda: bench_lag.projection_lag(
            db, events[batches:], rate=plan.lag_rate, quiet_days=plan.quiet_days
        ),
    )
    result["projection_lag"] = _latency(lag)
    return result


def reference_p50(admin_url: str, label: str, plan: Plan, tmp: Path, stages: Stages) -> float:
    """The as-of p50 of a 100k-event ledger built in a second throwaway database."""
    with throwaway_database(admin_url, label) as db:
        path = tmp / "reference.jsonl"
        claims = generate_claims(REFERENCE_EVENTS, seed=plan.seed)
        stages.run(
            "100k reference: ingest",
            lambda: (bench_writes.write_jsonl(claims, path), bench_writes.bulk_ingest(db, path)),
        )
        stages.run(
            "100k reference: rebuild", lambda: rebuild(db.engine, quiet_days=plan.quiet_days)
        )
        stages.settle(db)
        queries = bench_asof.query_plan(db.engine, plan.as_of_queries)
        samples = stages.run(
            "100k reference: as-of",
            lambda: bench_asof.api_latencies(db.engine, queries, quiet_days=plan.quiet_days),
        )
    return percentile(samples, 50)


@contextmanager
def _workspace() -> Iterator[tuple[str, str, Path]]:
    with server_admin_url() as (admin_url, label), tempfile.TemporaryDirectory() as tmp:
        yield admin_url, label, Path(tmp)


def run(
    plan: Plan, *, known_p50_at_100k: float | None = None, console: Console | None = None
) -> dict[str, Any]:
    """Run every stage; the JSON-ready result (see `bench_report.RESULT_KEYS`)."""
    stages = Stages(console or Console(stderr=True, log_path=False))
    started = time.perf_counter()
    result: dict[str, Any] = {
        "events": plan.events,
        "smoke": plan.smoke,
        "machine": machine(),
        "code": code_version(),
    }
    with _workspace() as (admin_url, label, tmp):
        with throwaway_database(admin_url, label) as db:
            result["postgres_version"] = server_version(db.engine)
            result["server"] = db.server
            result.update(measure(db, plan, tmp, stages))
        at_100k = result["as_of"]["p50_ms"]
        if plan.events > REFERENCE_EVENTS:
            at_100k = known_p50_at_100k
            if at_100k is None:
                at_100k = reference_p50(admin_url, label, plan, tmp, stages)
        result["as_of"]["p50_ms_at_100k"] = at_100k
        result["rebuild_many_claims"] = stages.run(
            "many-claims rebuild",
            lambda: bench_rebuild.many_claims_rebuild(
                admin_url, label, tmp, events=plan.many_claims_events,
                players=plan.many_claims_players, quiet_days=plan.quiet_days, seed=plan.seed,
            ),
        )  # fmt: skip
        result["cli_startup"] = stages.run(
            "CLI start-up", lambda: bench_cli.cli_startup(admin_url, label, runs=plan.cli_runs)
        )
    result["seconds"] = {**stages.seconds, "total": round(time.perf_counter() - started, 2)}
    result["machine"]["load_average_at_end"] = machine()["load_average"]
    check_shape(result)
    return result
