"""`rebuild`: long statements are not cut short, statistics exist after the swap, a projector
resuming after the rebuild continues exactly where the rebuilt tables stand, a rebuild split
over worker processes writes exactly the incremental projector's tables, and a failed rebuild
leaves the live projection untouched."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.generator import generate_claims
from benchmarks.many_claims import generate_many_claims_per_player
from ledger.codec import decode, encode
from ledger.database import create_ledger_engine
from ledger.errors import DatabaseUnavailableError, StatementCancelledError
from ledger.events import Retraction
from ledger.ingest.pipeline import ingest
from ledger.reading import read_all
from ledger.store import append_batch
from projections.rebuild import ANALYSED_COLUMNS, rebuild
from projections.rebuild_worker import Share, ShareReport, fill_share
from projections.runner import catch_up, read_checkpoint
from tests.integration.test_projection_properties import bitemporal_rows

QUIET = 90
TABLES = ("pursuit_versions", "player_versions")


def _ingest_generated(engine: sa.Engine, folder: Path, count: int, seed: int) -> None:
    path = folder / f"claims_{seed}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_claims(count, seed=seed):
            out.write(json.dumps(claim) + "\n")
    ingest(engine, [str(path)])


def test_a_rebuild_outlives_the_interactive_statement_timeout(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    """A rebuild's read of the ledger is made to last 0.8 s (another session holds the events
    table) under a 0.2 s statement_timeout; at 1M events that read lasts minutes for real."""
    _ingest_generated(engine, tmp_path, 1000, seed=5)
    impatient = create_ledger_engine(database_url, statement_timeout_ms=200)
    locked, holder = threading.Event(), engine.connect()
    try:
        with pytest.raises(StatementCancelledError), impatient.connect() as conn:
            conn.execute(sa.text("SELECT pg_sleep(0.5)"))  # the timeout does bite

        def hold_events_table() -> None:
            with holder.begin():
                holder.execute(sa.text("LOCK TABLE events IN ACCESS EXCLUSIVE MODE"))
                locked.set()
                time.sleep(0.8)

        thread = threading.Thread(target=hold_events_table)
        thread.start()
        assert locked.wait(10)
        report = rebuild(impatient, quiet_days=QUIET)
        thread.join()
    finally:
        holder.close()
        impatient.dispose()
    assert report.events > 0 and report.rows > 0


def test_the_swapped_in_tables_have_planner_statistics(engine: sa.Engine, tmp_path: Path) -> None:
    _ingest_generated(engine, tmp_path, 2000, seed=6)
    rebuild(engine, quiet_days=QUIET)
    with engine.connect() as conn:
        analysed = conn.execute(
            sa.text(
                "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                "WHERE relname = ANY(:t)"
            ),
            {"t": list(TABLES)},
        ).all()
        estimated = conn.execute(
            sa.text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:t)"),
            {"t": list(TABLES)},
        ).all()
        with_statistics = conn.execute(
            sa.text(
                "SELECT tablename, attname FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = ANY(:t)"
            ),
            {"t": list(TABLES)},
        ).all()
    assert dict(analysed) == dict.fromkeys(TABLES, True)
    assert all(tuples > 0 for _, tuples in estimated)
    # Every column a board query filters, joins or sorts on (the rest follow by autovacuum).
    for table in TABLES:
        assert set(ANALYSED_COLUMNS[table]) <= {c for t, c in with_statistics if t == table}


def test_catching_up_after_a_rebuild_equals_rebuilding_everything(
    engine: sa.Engine, tmp_path: Path
) -> None:
    # The second file shares players with the first (same generator names, other seed), so the
    # projector resumes players whose rows the rebuild wrote, including back-filled reports.
    _ingest_generated(engine, tmp_path, 2500, seed=8)
    rebuild(engine, quiet_days=QUIET)
    _ingest_generated(engine, tmp_path, 2500, seed=9)
    catch_up(engine, quiet_days=QUIET, limit=700)
    incremental = {table: bitemporal_rows(engine, table) for table in TABLES}
    rebuild(engine, quiet_days=QUIET)
    assert {table: bitemporal_rows(engine, table) for table in TABLES} == incremental


def _ingest_many_claims(engine: sa.Engine, folder: Path, count: int, players: int) -> None:
    path = folder / "many_claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_many_claims_per_player(count, players, seed=11):
            out.write(json.dumps(claim) + "\n")
    ingest(engine, [str(path)])


def test_a_rebuild_split_over_worker_processes_writes_the_tables_of_the_incremental_projector(
    engine: sa.Engine, tmp_path: Path
) -> None:
    """The usual ledger and one of many claims per player (back-fills, pre-contracts and
    retractions included), projected event by event in batches by the projector, then rebuilt
    in one process and in three: every table is identical, row for row, as text."""
    _ingest_generated(engine, tmp_path, 1500, seed=12)
    _ingest_many_claims(engine, tmp_path, 1500, players=6)
    _retract_some(engine, every=37)
    catch_up(engine, quiet_days=QUIET, limit=400)
    incremental = {table: bitemporal_rows(engine, table) for table in TABLES}
    assert all(incremental.values())
    for workers in (1, 3):
        report = rebuild(engine, quiet_days=QUIET, workers=workers)
        assert report.workers == workers
        assert {table: bitemporal_rows(engine, table) for table in TABLES} == incremental


def _retract_some(engine: sa.Engine, every: int) -> None:
    """Retract every `every`-th claim of the ledger (a later event, as a user would)."""
    with engine.connect() as conn:
        claims = [decode(event) for event in read_all(conn) if event.kind != "retraction"]
    retractions = [
        encode(
            Retraction(
                event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"retract:{claim.event_id}"),
                reported_on=claim.reported_on + timedelta(days=2),
                player=claim.player,
                club=claim.club,
                retracts=claim.event_id,
                reason="the outlet withdrew the story",
            )
        )
        for claim in claims[::every]
    ]
    with engine.begin() as conn:
        append_batch(conn, retractions)


def _refuse_the_last_share(share: Share) -> ShareReport:
    """A worker whose share fails once the others have written theirs (the server went away)."""
    if share.through_stream is None:
        raise DatabaseUnavailableError("the server closed the connection")
    return fill_share(share)


def test_a_rebuild_whose_worker_fails_leaves_the_live_projection_as_it_was(
    engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest_generated(engine, tmp_path, 1500, seed=13)
    catch_up(engine, quiet_days=QUIET)
    with engine.connect() as conn:
        checkpoint = read_checkpoint(conn)
    before = {table: bitemporal_rows(engine, table) for table in TABLES}
    _ingest_generated(engine, tmp_path, 500, seed=14)  # the rebuild would move the checkpoint
    monkeypatch.setattr("projections.rebuild.fill_share", _refuse_the_last_share)
    with pytest.raises(DatabaseUnavailableError, match="closed the connection"):
        rebuild(engine, quiet_days=QUIET, workers=3)
    assert {table: bitemporal_rows(engine, table) for table in TABLES} == before
    with engine.connect() as conn:
        assert read_checkpoint(conn) == checkpoint
