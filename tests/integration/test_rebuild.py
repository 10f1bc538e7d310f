"""`rebuild`: long statements are not cut short, statistics exist after the swap, and a projector
resuming after the rebuild continues exactly where the rebuilt tables stand."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.database import create_ledger_engine
from ledger.errors import StatementCancelledError
from ledger.ingest.pipeline import ingest
from projections.rebuild import rebuild
from projections.runner import catch_up
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
    assert dict(analysed) == dict.fromkeys(TABLES, True)
    assert all(tuples > 0 for _, tuples in estimated)


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
