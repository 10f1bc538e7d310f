"""A large JSON Lines file read by worker processes gives exactly what one process gives.

The same lines are ingested twice into two fresh ledgers: in this process (`workers=0`) and by
two forked workers with chunks of a few lines, so every chunk boundary is crossed by the names,
errors and surnames planted below. Reports, rejects files, events (every column but
`recorded_at`) and players must be identical.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import source_registry
from ledger.errors import WorkerProcessError
from ledger.ingest import intake, json_records, raw_lines, workers
from ledger.ingest.batches import BatchWriter
from ledger.ingest.claim_input import check_claim
from ledger.ingest.pipeline import IngestReport, ingest
from ledger.ingest.resolve import ClaimResolver
from ledger.staged_append import row_body

EVENT_ROWS = sa.text(
    "SELECT position, event_id, stream_id, stream_version, kind, schema_version, reported_on, "
    "effective_on, player_id, club_id, from_club_id, source_id, payload, metadata "
    "FROM events ORDER BY position"
)
PLAYER_ROWS = sa.text("SELECT player_id, name, name_key FROM players ORDER BY player_id")


def _claim(player: str | None, **fields: Any) -> str:
    claim = {"reported_on": "2025-01-10", "kind": "interest", "club": "Arsenal",
             "source": "Fabrizio Romano", **fields}  # fmt: skip
    if player is not None:
        claim["player"] = player
    return json.dumps(claim, ensure_ascii=False)


def _planted() -> list[str]:
    """Lines whose outcome depends on what earlier lines (in other chunks) did."""
    return [
        _claim("Zebedee Quillfeather"),  # a new player, first named here
        _claim("Quillfeather"),  # a bare surname: the context says who
        _claim("Zebedee Quilfeather"),  # a misspelling of a player another chunk created
        _claim("Zebedee Quillfeather", club="Nowhere Athletic"),  # an unknown club
        "{not json",
        "",
        _claim("Ottilie Brand", id="client-7"),  # a client id
        '{"reported_on": "2025-01-10", "kind": "interest"}',  # no player
        _claim("Brand"),
        _claim("Ottilie  Brand", fee="€12m"),
        _claim(None, kind="club_statement", club="Chelsea"),
        "[1, 2]",
        _claim("Zebedee Quillfeather", kind="no-such-kind"),
    ]


def _lines() -> list[str]:
    generated = itertools.islice(generate_claims(400, seed=11), 400)
    lines = [json.dumps(claim, ensure_ascii=False) for claim in generated]
    planted = _planted()
    for at, line in enumerate(planted):
        lines.insert(7 + at * 29, line)  # spread over many chunks of 8 lines
    lines.insert(3, planted[2])  # the misspelling before the name it misspells
    return lines


def _ledger(engine: sa.Engine) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(EVENT_ROWS)], [
            tuple(row) for row in conn.execute(PLAYER_ROWS)
        ]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Workers for anything over 1 kB, in chunks of 8 lines; counts chunks and claims redone
    (how many are redone depends on which worker took which chunk)."""
    monkeypatch.setattr(intake, "WORKER_THRESHOLD", 1_000)
    monkeypatch.setattr(workers, "CHUNK_LINES", 8)
    counted = {"chunks": 0, "redone": 0}
    original_outcomes, original_parse = workers._outcomes, json_records.parse_jsonl_line

    def parse(text: str, line: int) -> Any:
        counted["redone"] += 1
        return original_parse(text, line)

    def outcomes(self: workers.ClaimWorkers, work: Any) -> Any:
        for chunk, found in original(self, work):
            counted["chunks"] += 1
            yield chunk, found

    original = workers.ClaimWorkers.outcomes
    monkeypatch.setattr(intake, "parse_jsonl_line", parse)
    monkeypatch.setattr(workers.ClaimWorkers, "outcomes", outcomes)
    assert original_outcomes is workers._outcomes
    return counted


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_workers_give_the_reports_rows_and_players_of_one_process(
    fresh_engine: Callable[[], sa.Engine],
    tmp_path: Path,
    small_chunks: dict[str, int],
    skip_invalid: bool,
) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    reports: list[IngestReport] = []
    rejects: list[str] = []
    ledgers = []
    for count in (0, 2):
        engine = fresh_engine()
        rejects_path = tmp_path / f"rejects-{count}.jsonl"
        reports.append(ingest(engine, [str(path)], skip_invalid=skip_invalid,
                              rejects_path=str(rejects_path), workers=count))  # fmt: skip
        rejects.append(rejects_path.read_text() if rejects_path.exists() else "")
        ledgers.append(_ledger(engine))
        if count == 0:
            assert small_chunks["chunks"] == 0
    assert small_chunks["chunks"] > 40, "the second ingest went through the workers"
    one, two = reports
    assert one.as_json() | {"rejects_file": None} == two.as_json() | {"rejects_file": None}
    assert len(one.errors) >= 5
    assert rejects[0] == rejects[1]
    assert ledgers[0] == ledgers[1]
    events, players = ledgers[0]
    assert len(events) == (one.appended if skip_invalid else 0)
    if skip_invalid:
        assert [name for _, name, _ in players if name.startswith("Zebedee")] == [
            "Zebedee Quilfeather"  # the misspelling came first: the later spellings match it
        ]


def test_a_dry_run_through_the_workers_counts_as_one_process_does(
    fresh_engine: Callable[[], sa.Engine], tmp_path: Path, small_chunks: dict[str, int]
) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(_lines()[:300]) + "\n", encoding="utf-8")
    engine = fresh_engine()
    reports = [ingest(engine, [str(path)], dry_run=True, workers=n).as_json() for n in (0, 2)]
    assert reports[0] == reports[1]
    assert small_chunks["chunks"] > 0


def test_a_small_file_is_read_without_forking(
    fresh_engine: Callable[[], sa.Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(_lines()[:20]) + "\n", encoding="utf-8")

    def no_fork(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file under the threshold forked workers")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_fork)
    assert ingest(fresh_engine(), [str(path)], workers=2).read == 20


def test_a_too_long_line_in_a_workers_chunk_stops_the_file_there(
    fresh_engine: Callable[[], sa.Engine], tmp_path: Path, small_chunks: dict[str, int]
) -> None:
    lines = _lines()[:100]
    path = tmp_path / "claims.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:50]) + "\n")
        handle.write("x" * (raw_lines.LINE_LIMIT + 10) + "\n")
        handle.write("\n".join(lines[50:]) + "\n")
    reports = [ingest(fresh_engine(), [str(path)], workers=n).as_json() for n in (0, 2)]
    assert reports[0] == reports[1]
    assert reports[0]["errors"][-1]["line"] == 51  # type: ignore[index]
    assert "line too long" in reports[0]["errors"][-1]["message"]  # type: ignore[index]


class _Rows(BatchWriter):
    """Keeps the rows it is given instead of appending them."""

    def __init__(self, conn: sa.Connection) -> None:
        super().__init__(conn, PlayerDirectory([]), batch_size=1_000, dry_run=True)
        self.rows: list[bytes] = []

    def add_row(self, body: bytes) -> None:
        self.rows.append(body)


def test_a_claim_whose_worker_answered_its_player_otherwise_is_redone_from_its_line(
    engine: sa.Engine,
) -> None:
    line = _claim("Zebedee Quillfeather", fee="€12m")
    chunk = workers.Chunk(41, [b"{}\n", (line + "\r\n").encode()], None)
    resolver = ClaimResolver(club_registry(), source_registry(), PlayerDirectory([]))
    with engine.connect() as conn:
        kept, redone = _Rows(conn), _Rows(conn)
        for writer, answer in ((kept, None), (redone, ("someone-else", "Someone Else"))):
            report = IngestReport()
            taking = intake.Intake("f.jsonl", resolver, writer, report, None)
            taking.take_outcome(chunk, (42, "Zebedee Quillfeather", answer or
                                        resolver.player_answer("Zebedee Quillfeather", []),
                                        b"the worker's row", None))  # fmt: skip
            assert report.read == 1
            assert taking.context == ["Zebedee Quillfeather"]
    assert kept.rows == [b"the worker's row"]  # the same answer: the worker's row is kept
    checked = check_claim(json.loads(line))
    assert isinstance(checked, dict)
    event = resolver.resolve_fields(checked, ["Zebedee Quillfeather"])
    assert not isinstance(event, list)
    assert redone.rows == [row_body(event)]  # another answer: the claim is done again here


def test_a_worker_killed_mid_file_is_one_clear_error_and_nothing_is_written(
    engine: sa.Engine, tmp_path: Path, small_chunks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker the OOM killer (or anyone) ends breaks the pool: the ingest says so in one line
    of its own instead of an unexpected BrokenProcessPool, and its transaction rolls back."""
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    # Forked workers run the module as it is at the fork: this one dies on its first chunk.
    # The pool sends the function by its name, so it must be found as `workers._outcomes`.
    _dies.__module__, _dies.__qualname__ = workers.__name__, "_outcomes"
    monkeypatch.setattr(workers, "_outcomes", _dies)
    with pytest.raises(WorkerProcessError, match="nothing was written"):
        ingest(engine, [str(path)], workers=2)
    assert _ledger(engine) == ([], [])


def _dies(chunk: object) -> None:
    os._exit(9)


@pytest.mark.parametrize("ignored", [True, False], ids=["ignored", "default"])
def test_a_worker_ignores_ctrl_c_exactly_when_the_ingest_does(ignored: bool) -> None:
    """A background job's ingest ignores SIGINT; its workers must too, or one Ctrl-C to the
    process group would kill the workers alone and fail the ingest."""
    context = multiprocessing.get_context("fork")
    answer: multiprocessing.SimpleQueue[bool] = context.SimpleQueue()

    def worker() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignored else signal.default_int_handler)
        workers._start_worker(None, os.getppid())  # type: ignore[arg-type]
        answer.put(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)

    child = context.Process(target=worker)
    child.start()
    child.join(30)
    assert answer.get() is ignored
