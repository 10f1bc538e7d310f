"""`catch_up` sizes its batches by how long they take, so the projector lock is never held long."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.ingest.pipeline import ingest
from projections import runner
from projections.runner import BatchResult, catch_up


@pytest.fixture
def batch_sizes(engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in generate_claims(600, seed=4)))
    ingest(engine, [str(path)])
    sizes: list[int] = []
    real = runner.apply_batch

    def recording(conn: sa.Connection, **options: Any) -> BatchResult:
        sizes.append(options["limit"])
        return real(conn, **options)

    monkeypatch.setattr(runner, "apply_batch", recording)
    monkeypatch.setattr(runner, "FIRST_BATCH", 10)
    return sizes


def test_quick_batches_double_up_to_the_limit(
    engine: sa.Engine, batch_sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "BATCH_SECONDS", 3600.0)
    assert catch_up(engine, quiet_days=90, limit=100) == 600
    assert batch_sizes[:5] == [10, 20, 40, 80, 100]
    assert set(batch_sizes[4:]) == {100}


def test_slow_batches_halve_and_still_finish(
    engine: sa.Engine, batch_sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)
    assert catch_up(engine, quiet_days=90, limit=100) == 600
    assert batch_sizes[:5] == [10, 5, 2, 1, 1]
