"""A projector SIGKILLed at random moments resumes and ends equal to a full rebuild (SPEC §7)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.ingest.pipeline import ingest
from ledger.retract import retract
from ledger.store import head_position
from projections.rebuild import rebuild
from projections.runner import read_checkpoint
from tests.integration.test_projection_properties import bitemporal_rows

ROOT = Path(__file__).resolve().parents[2]
QUIET = 90  # the child's quiet period (projector_child.QUIET_DAYS)
CLAIMS = 6_000
CHUNKS = 8
ROUNDS = 15
SEED = 20_250_203


def _chunk_files(folder: Path) -> list[Path]:
    """The generated claims, in generation order, cut into CHUNKS JSONL files."""
    claims = list(generate_claims(CLAIMS, seed=SEED, start=date(2021, 6, 1), seasons=2))
    size = -(-len(claims) // CHUNKS)
    files = []
    for n in range(CHUNKS):
        path = folder / f"claims-{n}.jsonl"
        lines = (json.dumps(claim) for claim in claims[n * size : (n + 1) * size])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def _projector(database_url: str, limit: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.projector_child", database_url, str(limit)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _positions(engine: sa.Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return read_checkpoint(conn), head_position(conn)


def _retract_some_claim(engine: sa.Engine, rng: random.Random) -> None:
    with engine.connect() as conn:
        event_id = conn.execute(
            sa.text(
                "SELECT event_id FROM events WHERE kind <> 'retraction' "
                "AND stream_id LIKE 'player:%' ORDER BY position OFFSET :n LIMIT 1"
            ),
            {"n": rng.randrange(500)},
        ).scalar_one()
    retract(engine, event_id, "the report was withdrawn")


def _open_transactions(engine: sa.Engine) -> int:
    """Transactions open on this database in other sessions: the projector's, if any."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                )
            ).scalar_one()
        )


def _wait_until_working(engine: sa.Engine, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        if _open_transactions(engine) > 0:
            return
        time.sleep(0.02)


def _kill_rounds(engine: sa.Engine, database_url: str, files: list[Path]) -> int:
    """Start, SIGKILL and restart the projector while claims keep arriving; returns how many
    kills caught it inside a transaction with work left to do."""
    rng = random.Random(SEED)
    pending = list(files)
    interrupted = 0
    for round_ in range(ROUNDS):
        if round_ % 2 == 0 and pending:
            assert ingest(engine, [str(pending.pop(0))]).errors == []
        if round_ in {4, 10}:
            _retract_some_claim(engine, rng)
        child = _projector(database_url, rng.choice([50, 200]))
        # Wait until the child is at work before choosing the moment: its start-up (imports, a
        # connection) takes longer than the whole random window on a loaded machine.
        _wait_until_working(engine, child)
        time.sleep(rng.uniform(0.0, 0.6))
        busy = _open_transactions(engine) > 0
        child.send_signal(signal.SIGKILL)
        returncode = child.wait(timeout=30)
        checkpoint, head = _positions(engine)
        interrupted += busy and returncode == -signal.SIGKILL and checkpoint < head
    for path in pending:
        assert ingest(engine, [str(path)]).errors == []
    return interrupted


def _duplicated_current_rows(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT (SELECT count(*) FROM (SELECT 1 FROM pursuit_versions "
                    "  WHERE known_to IS NULL GROUP BY player_id, club_id, valid_from "
                    "  HAVING count(*) > 1) p)"
                    " + (SELECT count(*) FROM (SELECT 1 FROM player_versions "
                    "  WHERE known_to IS NULL GROUP BY player_id, valid_from "
                    "  HAVING count(*) > 1) f)"
                )
            ).scalar_one()
        )


def test_a_projector_killed_at_random_resumes_and_equals_a_rebuild(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    interrupted = _kill_rounds(engine, database_url, _chunk_files(tmp_path))
    assert interrupted >= ROUNDS // 5, "too few kills landed while the projector was working"

    final = _projector(database_url, 200)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    checkpoint, head = _positions(engine)
    assert checkpoint == head == int(out.split()[-1])
    assert head > CLAIMS  # every claim plus the retractions
    assert _duplicated_current_rows(engine) == 0

    tables = ("pursuit_versions", "player_versions")
    incremental = {table: bitemporal_rows(engine, table) for table in tables}
    assert rebuild(engine, quiet_days=QUIET).position == head
    for table in tables:
        assert bitemporal_rows(engine, table) == incremental[table], table
