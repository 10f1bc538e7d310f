"""Concurrent writers, projectors and readers (SPEC §7): no lost claim, no gap, no drift.

Eight writer threads ingest small files about the SAME players while two projectors (a catch-up
loop and `follow_forever`) fold them and readers ask for boards. Afterwards every claim is in the
ledger exactly once, positions run 1..head, stream versions run 1..n, and the incrementally built
projection equals a rebuild row for row. RUMOURS_SOAK=1 makes the run larger (scripts/soak).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ledger.errors import ConcurrencyError
from ledger.ingest.pipeline import ingest
from ledger.ingest.resolve import event_id_for
from ledger.reading import read_stream
from ledger.store import ANY_VERSION, append, head_position
from projections.api import Boards
from projections.follow import follow_forever
from projections.rebuild import rebuild
from projections.runner import catch_up
from tests.factories import new_event, new_stream

SOAK = bool(os.environ.get("RUMOURS_SOAK"))
WRITERS = int(os.environ.get("RUMOURS_SOAK_WRITERS", "16" if SOAK else "8"))
FILES_PER_WRITER = int(os.environ.get("RUMOURS_SOAK_FILES", "40" if SOAK else "6"))
CLAIMS_PER_FILE = 25
PLAYERS = (
    "Tomasz Wierzbicki",
    "Ousmane Kaboré",
    "Lautaro Quiroga",
    "Henrik Solbakken",
    "Mateus Carvalhinho",
    "Yusuf Demirkaya",
    "Kenji Matsubara",
    "Declan Ashworth",
    "Ivo Radosavljević",
    "Aurélien Tchouaméni-Baptiste",
    "Sipho Mahlangu",
    "Piotr Zieliński-Kowal",
)
CLUBS = (
    "Arsenal",
    "Chelsea",
    "Liverpool",
    "Tottenham Hotspur",
    "Newcastle United",
    "Aston Villa",
    "Juventus",
    "Napoli",
    "Real Madrid",
    "Barcelona",
    "Bayern Munich",
    "Borussia Dortmund",
)
SELLERS = ("Benfica", "Porto", "Ajax", "Crystal Palace")
KINDS = ("linked", "interest", "enquiry", "talks", "bid", "bid_rejected", "denied", "cooled")
DEADLINE_SECONDS = 60


def claim(rng: random.Random, key: str, player: str) -> dict[str, Any]:
    kind = rng.choice(KINDS)
    body: dict[str, Any] = {
        "id": key,
        "kind": kind,
        "player": player,
        "club": rng.choice(CLUBS),
        "from_club": SELLERS[PLAYERS.index(player) % len(SELLERS)],
        "reported_on": (date(2024, 1, 1) + timedelta(days=rng.randrange(400))).isoformat(),
        "source": rng.choice(("Sky Sports", "The Athletic", "GIVEMESPORT", "Fabrizio Romano")),
    }
    if kind == "bid":
        body["fee"] = f"£{rng.randrange(5, 90)}m"
    return body


def write_files(folder: Path, writer: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Small JSONL files of one writer: (path, client ids); players overlap between writers."""
    files = []
    for number in range(FILES_PER_WRITER):
        keys = [f"w{writer}-f{number}-c{n}" for n in range(CLAIMS_PER_FILE)]
        path = folder / f"w{writer}-{number}.jsonl"
        lines = [json.dumps(claim(rng, key, rng.choice(PLAYERS))) for key in keys]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append((str(path), keys))
    return files


class Workers:
    """Threads that record the first exception each raised, so the test can fail on it."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []

    def start(self, target: Callable[[], object]) -> None:
        def run() -> None:
            try:
                target()
            except BaseException as exc:
                self.errors.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        self._threads.append(thread)
        thread.start()

    def join(self, deadline: float) -> None:
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            assert not thread.is_alive(), "a worker did not finish within the deadline"


def described(errors: list[BaseException]) -> list[str]:
    return [f"{error!r} caused by {error.__cause__}" for error in errors]


def rows(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection row, superseded ones included, in a stable order."""
    with engine.connect() as conn:
        return {
            table: [
                tuple(row)
                for row in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4"))
            ]
            for table in ("pursuit_versions", "player_versions")
        }


def assert_gap_free(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        head = head_position(conn)
        count, low, high = conn.execute(
            sa.text("SELECT count(*), min(position), max(position) FROM events")
        ).one()
        broken = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT stream_id, count(*) AS n, max(stream_version) AS top "
                "FROM events GROUP BY stream_id) s WHERE n <> top"
            )
        ).scalar_one()
    assert (count, low, high) == (head, 1, head)
    assert broken == 0, "every stream's versions run 1..n"
    return head


def reader_loop(engine: sa.Engine, workers: Workers) -> None:
    boards, seen = Boards(engine), 0
    while not workers.stop.is_set():
        board = boards.status(PLAYERS[0]).as_json()
        club = boards.club("Arsenal").as_json()
        assert board["position"] >= seen, "a reader never sees the ledger go backwards"
        seen = max(board["position"], club["position"])


def projector_loop(engine: sa.Engine, workers: Workers) -> None:
    while not workers.stop.is_set():
        catch_up(engine, quiet_days=90, limit=40)
        time.sleep(0.01)


def test_concurrent_writers_lose_nothing_and_the_projection_equals_a_rebuild(
    engine: sa.Engine, tmp_path: Path
) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS * (10 if SOAK else 1)
    seed = tmp_path / "seed.jsonl"
    seed.write_text(
        json.dumps(claim(random.Random(1), "seed", PLAYERS[0])) + "\n", encoding="utf-8"
    )
    ingest(engine, [str(seed)])
    plan = [write_files(tmp_path, w, random.Random(w)) for w in range(WRITERS)]
    workers, writers = Workers(), Workers()
    workers.start(lambda: projector_loop(engine, workers))
    workers.start(lambda: follow_forever(engine, quiet_days=90, stop_after=2.0))
    for _ in range(3):
        workers.start(lambda: reader_loop(engine, workers))
    for files in plan:
        writers.start(lambda files=files: [ingest(engine, [path]) for path, _ in files])  # type: ignore[misc]
    writers.join(deadline)
    workers.stop.set()
    workers.join(deadline)
    assert not writers.errors + workers.errors, described(writers.errors + workers.errors)
    expected = {event_id_for(key, {}) for files in plan for _, keys in files for key in keys}
    expected.add(event_id_for("seed", {}))
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(sa.text("SELECT event_id FROM events"))]
    assert len(stored) == len(set(stored)) and set(stored) == expected
    assert assert_gap_free(engine) == WRITERS * FILES_PER_WRITER * CLAIMS_PER_FILE + 1
    catch_up(engine, quiet_days=90)
    incremental = rows(engine)
    rebuild(engine, quiet_days=90)
    assert rows(engine) == incremental


def test_two_ingests_creating_the_same_new_player_do_not_deadlock(
    engine: sa.Engine, tmp_path: Path
) -> None:
    """A long ingest creates player P, then later Q; meanwhile a short ingest creates Q.

    Both use one-claim batches, so the long one already holds the ledger head when the short one
    inserts Q and queues for the head; the long one then reaches Q. Whoever takes its locks in
    that order waits on the other forever, and PostgreSQL aborts one of them with a deadlock.
    """
    first, second = "Abel Okonkwo-Lindqvist", "Cyril Haddad Moreira"
    rng = random.Random(3)
    long_lines = [claim(rng, f"long-{n}", PLAYERS[0]) | {"player": first} for n in range(1500)]
    long_lines.append(claim(rng, "long-last", PLAYERS[0]) | {"player": second})
    long_file, short_file = tmp_path / "long.jsonl", tmp_path / "short.jsonl"
    long_file.write_text("".join(json.dumps(line) + "\n" for line in long_lines))
    short_file.write_text(json.dumps(claim(rng, "short", PLAYERS[0]) | {"player": second}) + "\n")
    writers = Workers()
    writers.start(lambda: ingest(engine, [str(long_file)], batch_size=1))
    with engine.connect() as conn:
        wait_until(conn, "backend_xid IS NOT NULL")  # the long ingest holds the head
        writers.start(lambda: ingest(engine, [str(short_file)], batch_size=1))
        wait_until(conn, "wait_event_type = 'Lock'")  # the short one inserted Q and queues
    writers.join(time.monotonic() + DEADLINE_SECONDS)
    assert not writers.errors, described(writers.errors)
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM players ORDER BY name")).scalars().all()
    assert names == sorted([first, second])
    assert assert_gap_free(engine) == len(long_lines) + 1


def wait_until(conn: sa.Connection, condition: str) -> None:
    """Wait until another backend of this database is in the given state."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        f"AND pid <> pg_backend_pid() AND {condition}"
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not conn.execute(query).scalar_one():
        conn.rollback()  # statistics views are a snapshot per transaction
        assert time.monotonic() < deadline, f"no backend reached {condition}"
        time.sleep(0.005)
    conn.rollback()


def test_a_stale_expected_version_fails_cleanly_and_a_retry_succeeds(engine: sa.Engine) -> None:
    stream = new_stream()
    with engine.begin() as conn:
        append(conn, stream, [new_event(stream)], expected_version=0)
    seen_by_both = 1
    with engine.begin() as conn:
        append(conn, stream, [new_event(stream, "enquiry")], expected_version=seen_by_both)
    late = new_event(stream, "bid")
    with (
        pytest.raises(ConcurrencyError, match="re-read the stream and retry"),
        engine.begin() as conn,
    ):
        append(conn, stream, [late], expected_version=seen_by_both)
    with engine.begin() as conn:
        version = read_stream(conn, stream)[-1].stream_version
        result = append(conn, stream, [late], expected_version=version)
    with engine.begin() as conn:
        again = append(conn, stream, [late], expected_version=seen_by_both)
    assert (
        result.positions == [3] and again.positions == [] and again.duplicates == {late.event_id: 3}
    )
    assert_gap_free(engine)


def test_writers_racing_on_one_stream_with_retries_append_every_event_once(
    engine: sa.Engine,
) -> None:
    stream, per_writer = new_stream(), 12
    conflicts: list[int] = []
    events = {
        w: [new_event(stream, "interest", club_id=f"club-{w}") for _ in range(per_writer)]
        for w in range(WRITERS)
    }

    def writer(mine: list[Any]) -> None:
        for event in mine:
            while True:
                with engine.connect() as conn:
                    version = len(read_stream(conn, stream))
                time.sleep(random.random() / 200)  # widen the window between read and append
                try:
                    with engine.begin() as conn:
                        append(conn, stream, [event], expected_version=version)
                    break
                except ConcurrencyError:
                    conflicts.append(1)

    workers = Workers()
    for mine in events.values():
        workers.start(lambda mine=mine: writer(mine))  # type: ignore[misc]
    workers.join(time.monotonic() + DEADLINE_SECONDS)
    assert workers.errors == []
    with engine.connect() as conn:
        stored = read_stream(conn, stream)
    assert sorted(e.event_id for e in stored) == sorted(
        e.event_id for w in events.values() for e in w
    )
    assert [e.stream_version for e in stored] == list(range(1, WRITERS * per_writer + 1))
    assert conflicts, "the writers did race: some appends saw a stale version and retried"
    assert_gap_free(engine)


def test_appends_at_any_version_from_many_threads_interleave_without_gaps(
    engine: sa.Engine,
) -> None:
    streams = [new_stream() for _ in range(3)]
    workers = Workers()

    def writer() -> None:
        for _ in range(20):
            stream = random.choice(streams)
            with engine.begin() as conn:
                append(conn, stream, [new_event(stream, event_id=uuid.uuid4())], ANY_VERSION)

    for _ in range(WRITERS):
        workers.start(writer)
    workers.join(time.monotonic() + DEADLINE_SECONDS)
    assert workers.errors == []
    assert assert_gap_free(engine) == WRITERS * 20
