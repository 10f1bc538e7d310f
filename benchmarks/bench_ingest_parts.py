"""Where a bulk ingest's time goes, part by part: `python -m benchmarks.bench_ingest_parts`.

The harness times the whole ingest beside COPY; this splits it, on generated claims, into
- client CPU per claim (`time.process_time`, so a loaded machine inflates it far less than wall
  time) of the two ways a checked claim becomes a row: the model path (`validate_claim`, then
  `ClaimResolver.resolve` and `codec.encode`, as the article ingest does) and the direct path of
  the bulk ingest (`check_claim`, then `ClaimResolver.resolve_fields`);
- server wall time per event, on a throwaway database, of staging a batch (binary COPY into the
  session's temporary table) and of the `ledger_append` call that appends it, beside a plain
  `INSERT … SELECT` of the same rows into a copy of `events` with all its indexes;
- server execution time of the known-at position (`store.position_known_at`, a bisection of
  positions) beside the scan it replaced, for random recorded moments.

`--matcher 5000 50000` adds the CPU cost of matching a new player's name among that many known
players (is the fuzzy matcher's blocking sub-linear?). With `--bulk-only` it runs the harness's bulk-ingest stage alone (ingest of a JSONL file of the
generated claims, then the raw and indexed COPY references, each from a settled database), for
sizes where the whole harness would take too long on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console

from benchmarks import harness
from benchmarks.bench_db import BenchDatabase, server_admin_url, throwaway_database
from benchmarks.bench_report import code_version, machine
from benchmarks.bench_writes import resolve_claims
from benchmarks.generator import generate_claims
from benchmarks.player_names import NameBook
from ledger import staged_append, store
from ledger.codec import NewEvent, encode
from ledger.copying import copy_binary_blocks
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.players import KnownPlayer, PlayerMatcher
from ledger.entities.sources import source_registry
from ledger.ingest.claim_input import check_claim, validate_claim
from ledger.ingest.resolve import ClaimResolver
from ledger.logs import configure_logging

Claim = dict[str, object]
BATCH = 5_000  # the ingest's batch size


def _by_model(claims: Sequence[Claim]) -> None:
    resolver = ClaimResolver(club_registry(), source_registry(), PlayerDirectory([]))
    for data in claims:
        checked = validate_claim(data)
        resolved = checked if isinstance(checked, list) else resolver.resolve(checked)
        if not isinstance(resolved, list):
            encode(resolved)


def _direct(claims: Sequence[Claim]) -> None:
    resolver = ClaimResolver(club_registry(), source_registry(), PlayerDirectory([]))
    for data in claims:
        checked = check_claim(data)
        if not isinstance(checked, list):
            resolver.resolve_fields(checked)


def client_cpu_us(claims: Sequence[Claim], rounds: int = 3) -> dict[str, float]:
    """Best client CPU µs per claim of each path over alternating rounds."""
    best: dict[str, float] = {}
    paths: dict[str, Callable[[Sequence[Claim]], None]] = {"model": _by_model, "direct": _direct}
    for _round in range(rounds):
        for name, path in paths.items():
            started = time.process_time()
            path(claims)
            took = (time.process_time() - started) / len(claims) * 1e6
            best[name] = min(best.get(name, took), took)
    return best


def server_us(
    db: BenchDatabase, twin: BenchDatabase, events: Sequence[NewEvent]
) -> dict[str, float]:
    """Wall µs per event of the two ways to append a bulk batch, batch by batch in turn on two
    fresh databases of one server (so load hits both alike), and of a plain indexed insert:
    - `stage` + `ledger_append`: COPY into the session's temporary table, then the array call
      (`store.append_batch`'s path for a large batch);
    - `stage bulk` + `append staged`: `staged_append`'s binary COPY of pre-built rows, then
      `ledger_append_staged()` (the bulk ingest's path since migration 0012)."""
    spent = dict.fromkeys(("stage", "ledger_append", "encode rows", "stage bulk", "append staged",
                           "indexed insert"), 0.0)  # fmt: skip
    for start in range(0, len(events), BATCH):
        batch = events[start : start + BATCH]
        with db.engine.begin() as conn:
            began = time.perf_counter()
            # The store's two private steps, timed apart: exactly what `append_batch` runs.
            store._stage(conn, batch)
            staged = time.perf_counter()
            store._call(conn, store._APPEND_STAGED, {"expected": store.ANY_VERSION})
            spent["stage"] += staged - began
            spent["ledger_append"] += time.perf_counter() - staged
        began = time.perf_counter()
        bodies = [staged_append.row_body(event) for event in batch]
        spent["encode rows"] += time.perf_counter() - began
        with twin.engine.begin() as conn:
            began = time.perf_counter()
            conn.execute(staged_append._STAGE)
            copy_binary_blocks(conn, staged_append.STAGING_TABLE, staged_append.STAGING_COLUMNS,
                               staged_append.staged_rows(bodies))  # fmt: skip
            staged = time.perf_counter()
            with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                cursor.execute(staged_append._APPEND).fetchone()
            spent["stage bulk"] += staged - began
            spent["append staged"] += time.perf_counter() - staged
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE parts_indexed (LIKE events INCLUDING ALL)"))
        began = time.perf_counter()
        conn.execute(sa.text("INSERT INTO parts_indexed SELECT * FROM events"))
        spent["indexed insert"] = time.perf_counter() - began
    _same_rows(db, twin)
    return {name: seconds / len(events) * 1e6 for name, seconds in spent.items()}


def _same_rows(db: BenchDatabase, twin: BenchDatabase) -> None:
    """Both paths must have stored the very same rows (all but `recorded_at`)."""
    query = sa.text(
        "SELECT md5(string_agg(concat_ws('|', position, event_id, stream_id, stream_version, kind,"
        " schema_version, reported_on, effective_on, player_id, club_id, from_club_id,"
        " source_id, payload::text, metadata::text), ',' ORDER BY position)) FROM events"
    )
    sums = []
    for database in (db, twin):
        with database.engine.connect() as conn:
            sums.append(conn.execute(query).scalar_one())
    if sums[0] != sums[1]:
        raise RuntimeError("the staged append stored other rows than ledger_append")


def bulk_only(events: int, workers: int | None = None) -> dict[str, Any]:
    """The harness's bulk-ingest figures (`harness.writes`) for `events` generated claims, read
    by `workers` processes (one per core by default, 0 for none), with the client's CPU per
    claim: the ingest process's and its workers'."""
    stages = harness.Stages(Console(stderr=True, log_path=False))
    plan = harness.Plan(events)
    with server_admin_url() as (admin_url, label), tempfile.TemporaryDirectory() as tmp:
        path, _tail = stages.run("generate claims", lambda: harness.claims_file(plan, Path(tmp)))
        with throwaway_database(admin_url, label) as db:
            figures = harness.writes(db, path, stages, workers)
    per_claim = {name: round(figures[f"{name}_cpu_seconds"] / events * 1e6, 2)
                 for name in ("client", "worker")}  # fmt: skip
    result = {"events": events, "workers": workers, "bulk_ingest": figures,
              "cpu_us_per_claim": per_claim}  # fmt: skip
    return result | {"machine": machine(), "code": code_version(), "seconds": stages.seconds}


_SCAN_KNOWN_AT = sa.text("SELECT coalesce(max(position), 0) FROM events WHERE recorded_at <= :t")


def known_at_ms(db: BenchDatabase, samples: int = 100) -> dict[str, float]:
    """Server execution ms (EXPLAIN ANALYZE) of "the last position recorded by T" for random
    recorded moments: the bisection `store.position_known_at` runs, and the scan it replaced."""
    spent = {"bisect": 0.0, "scan": 0.0}
    with db.engine.connect() as conn:
        moments = conn.execute(
            sa.text("SELECT recorded_at FROM events ORDER BY random() LIMIT :n"), {"n": samples}
        ).scalars()
        for moment in list(moments):
            for name, query in (("bisect", store._KNOWN_AT), ("scan", _SCAN_KNOWN_AT)):
                plan = conn.execute(sa.text(f"EXPLAIN (ANALYZE, FORMAT JSON) {query.text}"),
                                    {"t": moment}).scalar_one()  # fmt: skip
                spent[name] += plan[0]["Execution Time"] / samples
    return spent


def matcher_us(players: int, probes: int = 1_000) -> float:
    """Client CPU µs to match one new full name among `players` known players (fuzzy path)."""
    book = NameBook()
    names = [book.next_name() for _ in range(players + probes)]
    known = (KnownPlayer(id=f"p{n}", name=name) for n, name in enumerate(names[:players]))
    matcher = PlayerMatcher(known)
    started = time.process_time()
    for name in names[players:]:
        matcher.match(name)
    return (time.process_time() - started) / probes * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_ingest_parts")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--bulk-only", action="store_true", help="the harness's ingest stage")
    parser.add_argument("--workers", type=int, default=None, help="ingest processes (--bulk-only)")
    parser.add_argument("--matcher", type=int, nargs="*", default=[], help="players to match among")
    args = parser.parse_args()
    configure_logging("WARNING")
    if args.bulk_only:
        print(json.dumps(bulk_only(args.claims, args.workers), indent=2))
        return
    generated = itertools.islice(generate_claims(args.claims, seed=7), args.claims)
    claims = [json.loads(json.dumps(claim)) for claim in generated]  # as a file holds them
    result: dict[str, object] = {"claims": args.claims, "client_cpu_us": client_cpu_us(claims)}
    result["matcher_us_by_players"] = {players: matcher_us(players) for players in args.matcher}
    with (
        server_admin_url() as (admin_url, label),
        throwaway_database(admin_url, label) as db,
        throwaway_database(admin_url, label) as twin,
    ):
        result["server_us"] = server_us(db, twin, resolve_claims(db, claims))
        result["known_at_ms"] = known_at_ms(db)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
