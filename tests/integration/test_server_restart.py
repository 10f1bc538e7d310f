"""The server stopped under a running command, and a writer killed outright (SPEC §7).

These run the installed `rumours` command against an embedded PostgreSQL of their own (a fresh
`RUMOURS_HOME`), because stopping the server the rest of the suite shares would fail every other
test. `rumours db stop` is a real shutdown (`pg_ctl stop`, fast mode: open transactions are rolled
back and clients disconnected); the next command starts the server again, as it would for a user.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.database import create_ledger_engine
from ledger.embedded import embedded_url
from projections.rebuild import rebuild
from tests.integration.test_fault_injection import (
    HOLDING_PROJECTOR_LOCK,
    WRITING_INGEST,
    one_clean_line,
    rumours,
)
from tests.integration.test_projection_properties import bitemporal_rows

CLAIMS = 20_000
WAIT = 60.0


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    yield home
    run(home, "db", "stop")


@pytest.fixture
def claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_claims(CLAIMS, seed=21):
            out.write(json.dumps(claim) + "\n")
    return path


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "RUMOURS_HOME": str(home)}
    for name in ("RUMOURS_DATABASE_URL", "RUMOURS_DEBUG"):
        env.pop(name, None)
    return env


def start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [rumours(), *args],
        env=environment(home),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [rumours(), *args],
        check=False,
        env=environment(home),
        text=True,
        capture_output=True,
        timeout=600,
    )


def wait_until(engine: sa.Engine, query: str, process: subprocess.Popen[str]) -> None:
    """Poll the server until `query` finds the command's backend in the state to interrupt."""
    deadline = time.monotonic() + WAIT
    # Autocommit: pg_stat_activity is a snapshot taken once per transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            if conn.execute(sa.text(query)).scalar() is not None:
                return
            assert process.poll() is None, "the command ended before it could be interrupted"
            time.sleep(0.01)
    raise AssertionError("the command never reached the state to interrupt it in")


def ledger_counts(engine: sa.Engine) -> tuple[int, int, int]:
    """(events, highest position, ledger head): all three equal when positions have no gap."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT count(*), coalesce(max(position), 0), "
                "(SELECT last_position FROM ledger_head) FROM events"
            )
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


def start_writing_ingest(home: Path, claims_file: Path) -> tuple[sa.Engine, subprocess.Popen[str]]:
    """A fresh ledger, and `rumours ingest` started on it and caught while it is writing."""
    assert run(home, "init").returncode == 0
    engine = create_ledger_engine(embedded_url(home))
    ingesting = start(home, "ingest", str(claims_file))
    wait_until(engine, WRITING_INGEST, ingesting)
    return engine, ingesting


def test_a_server_stopped_mid_ingest_then_restarted_loses_and_duplicates_nothing(
    home: Path, claims_file: Path
) -> None:
    engine, ingesting = start_writing_ingest(home, claims_file)
    try:
        engine.dispose()  # our own connection would go down with the server too
        stop = run(home, "db", "stop")
        assert stop.returncode == 0, stop.stderr
        _, stderr = ingesting.communicate(timeout=WAIT)
        assert ingesting.returncode != 0
        line = one_clean_line(stderr)
        assert line.startswith("rumours: ") and "PostgreSQL" in line, line

        rerun = run(home, "ingest", "--json", str(claims_file))  # starts the server again
        assert rerun.returncode == 0, rerun.stderr
        report = json.loads(rerun.stdout)
        assert (report["appended"], report["duplicates"]) == (CLAIMS, 0)
        engine = create_ledger_engine(embedded_url(home))
        assert ledger_counts(engine) == (CLAIMS, CLAIMS, CLAIMS)
    finally:
        engine.dispose()


def test_a_server_stopped_mid_projection_then_restarted_resumes_to_equal_a_rebuild(
    home: Path, claims_file: Path
) -> None:
    assert run(home, "ingest", str(claims_file)).returncode == 0
    engine = create_ledger_engine(embedded_url(home))
    try:
        projecting = start(home, "project")
        wait_until(engine, HOLDING_PROJECTOR_LOCK, projecting)
        engine.dispose()
        assert run(home, "db", "stop").returncode == 0
        _, stderr = projecting.communicate(timeout=WAIT)
        assert projecting.returncode != 0
        line = one_clean_line(stderr)
        assert line.startswith("rumours: ") and "PostgreSQL" in line, line

        again = run(home, "project")
        assert again.returncode == 0, again.stderr
        engine = create_ledger_engine(embedded_url(home))
        tables = ("pursuit_versions", "player_versions")
        incremental = {table: bitemporal_rows(engine, table) for table in tables}
        rebuild(engine, quiet_days=90)
        assert {table: bitemporal_rows(engine, table) for table in tables} == incremental
    finally:
        engine.dispose()


def test_a_writer_killed_outright_leaves_nothing_and_a_rerun_appends_everything(
    home: Path, claims_file: Path
) -> None:
    engine, ingesting = start_writing_ingest(home, claims_file)
    try:
        os.kill(ingesting.pid, signal.SIGKILL)  # no handler, no rollback from the client side
        ingesting.communicate(timeout=WAIT)
        assert ingesting.returncode == -signal.SIGKILL
        # The server notices the dead client and rolls its transaction back.
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.execute(sa.text(WRITING_INGEST)).scalar() is None:
                    break
            time.sleep(0.05)
        assert ledger_counts(engine) == (0, 0, 0)

        rerun = run(home, "ingest", "--json", str(claims_file))
        assert rerun.returncode == 0, rerun.stderr
        assert json.loads(rerun.stdout)["appended"] == CLAIMS
        assert ledger_counts(engine) == (CLAIMS, CLAIMS, CLAIMS)
    finally:
        engine.dispose()
