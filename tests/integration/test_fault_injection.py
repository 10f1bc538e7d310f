"""Faults injected for real (SPEC §7): the server kills an ingest, a projector, and refuses a login.

Backends are killed with `pg_terminate_backend`, which is what a restart, a failover or an
administrator does to a running command. Every kill must leave the ledger as if the command had
never started (one transaction), tell the user in one line, and a re-run must finish the job.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.generator import generate_claims
from ledger.database import create_ledger_engine, translated_errors
from ledger.db_roles import create_roles
from ledger.errors import DatabaseUnavailableError
from ledger.ingest.pipeline import ingest
from ledger.store import head_position
from projections.api import Boards
from projections.rebuild import rebuild
from projections.runner import PROJECTOR_LOCK, catch_up, read_checkpoint
from tests.integration.test_concurrency import rows

SOAK = bool(os.environ.get("RUMOURS_SOAK"))
# Claims: enough that an ingest runs for seconds, so it can be killed mid-way.
BIG = int(os.environ.get("RUMOURS_SOAK_CLAIMS", "200000" if SOAK else "30000"))
PROJECTOR_KILLS = int(os.environ.get("RUMOURS_SOAK_KILLS", "20" if SOAK else "4"))
KILL_WAIT = 30.0


def rumours() -> str:
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert found is not None, "the rumours console script is installed in the venv"
    return found


def start_cli(url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "RUMOURS_DATABASE_URL": url}
    env.pop("RUMOURS_DEBUG", None)
    return subprocess.Popen(
        [rumours(), *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def one_clean_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_claims(BIG, seed=11):
            out.write(json.dumps(claim) + "\n")
    return path


@pytest.fixture
def killer(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection of its own, so it never terminates itself or what it is watching from."""
    url = engine.url.render_as_string(hide_password=False)
    watcher = sa.create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
        connect_args={"application_name": "rumours-test-killer"},
    )
    with watcher.connect() as conn:
        yield conn


def wait_for_pid(
    conn: sa.Connection, query: str, process: subprocess.Popen[str] | None = None
) -> int:
    deadline = time.monotonic() + KILL_WAIT
    while time.monotonic() < deadline:
        pid = conn.execute(sa.text(query)).scalar()
        if pid is not None:
            return int(pid)
        assert process is None or process.poll() is None, "the command ended before it was killed"
        time.sleep(0.01)
    raise AssertionError("the command never reached the state to be killed in")


WRITING_INGEST = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'rumours' "
    "AND datname = current_database() AND backend_xid IS NOT NULL LIMIT 1"
)
HOLDING_PROJECTOR_LOCK = (
    "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
    f"WHERE l.locktype = 'advisory' AND l.objid = {PROJECTOR_LOCK} AND l.granted "
    "AND d.datname = current_database() LIMIT 1"
)


def terminate(conn: sa.Connection, pid: int) -> None:
    assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()


def ledger_state(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        events, players = conn.execute(
            sa.text("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM players)")
        ).one()
        return head_position(conn), int(events), int(players)


def test_an_ingest_killed_mid_way_writes_nothing_and_a_rerun_appends_exactly_the_rest(
    engine: sa.Engine, database_url: str, killer: sa.Connection, big_file: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text("".join(big_file.read_text(encoding="utf-8").splitlines(True)[:1000]))
    assert ingest(engine, [str(first)]).appended == 1000
    before = ledger_state(engine)
    process = start_cli(database_url, "ingest", str(big_file))
    terminate(killer, wait_for_pid(killer, WRITING_INGEST, process))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    line = one_clean_line(stderr)
    assert line.startswith("rumours: ") and "PostgreSQL" in line
    assert ledger_state(engine) == before, "the killed transaction left nothing behind"
    rerun = start_cli(database_url, "ingest", "--json", str(big_file))
    stdout, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    report = json.loads(stdout)
    assert (report["appended"], report["duplicates"]) == (BIG - 1000, 1000)
    with engine.connect() as conn:
        count, top = conn.execute(sa.text("SELECT count(*), max(position) FROM events")).one()
    assert count == top == BIG == ledger_state(engine)[0]


def test_a_role_out_of_connections_gets_one_clear_line(
    engine: sa.Engine, database_url: str, big_file: Path
) -> None:
    tag = uuid.uuid4().hex[:10]
    writer, password = f"rt_limited_{tag}", uuid.uuid4().hex
    create_roles(
        engine,
        writer=writer,
        projector=f"rt_p_{tag}",
        reader=f"rt_r_{tag}",
        passwords={writer: password},
    )
    url = make_url(database_url).set(username=writer, password=password)
    holder = create_ledger_engine(url.render_as_string(hide_password=False))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"ALTER ROLE {writer} CONNECTION LIMIT 1"))
        with holder.connect():
            process = start_cli(url.render_as_string(hide_password=False), "ingest", str(big_file))
            _, stderr = process.communicate(timeout=60)
        assert process.returncode != 0
        line = one_clean_line(stderr)
        assert "too many connections" in line and password not in line
        assert ledger_state(engine)[0] == 0
    finally:
        holder.dispose()
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {writer}, rt_p_{tag}, rt_r_{tag}"))
            conn.execute(sa.text(f"DROP ROLE {writer}, rt_p_{tag}, rt_r_{tag}"))


def test_a_projector_killed_again_and_again_resumes_to_equal_a_rebuild(
    engine: sa.Engine, database_url: str, killer: sa.Connection, big_file: Path
) -> None:
    ingest(engine, [str(big_file)])
    process = start_cli(database_url, "project")
    terminate(killer, wait_for_pid(killer, HOLDING_PROJECTOR_LOCK, process))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0 and "PostgreSQL" in one_clean_line(stderr)
    kills = sum(_kill_one_catch_up(engine, killer) for _ in range(PROJECTOR_KILLS))
    assert kills >= PROJECTOR_KILLS // 2, "the projector was killed mid-way most times"
    assert Boards(engine).project() == BIG
    incremental = rows(engine)
    rebuild(engine, quiet_days=90)
    assert rows(engine) == incremental


def _kill_one_catch_up(engine: sa.Engine, killer: sa.Connection) -> int:
    """Run a catch-up of small batches in a thread, kill it at a random instant; 1 if killed."""
    with engine.connect() as conn:
        checkpoint = read_checkpoint(conn)
    outcome: list[BaseException | int] = []

    def project() -> None:
        try:
            with translated_errors(str(engine.url)):
                outcome.append(catch_up(engine, quiet_days=90, limit=2_000))
        except DatabaseUnavailableError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=project, daemon=True)
    thread.start()
    pid = wait_for_pid(killer, HOLDING_PROJECTOR_LOCK)
    time.sleep(random.uniform(0, 0.4))
    killed = bool(killer.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar())
    thread.join(KILL_WAIT)
    assert not thread.is_alive() and len(outcome) == 1
    with engine.connect() as conn:
        after = read_checkpoint(conn)
    assert after >= checkpoint
    return int(killed and isinstance(outcome[0], DatabaseUnavailableError))
