"""How the boards read: one statement for the time point and the board, outside a transaction.

`PLAYER_BOARD` and `CLUB_BOARD` must return exactly what their separate lookups return at every
position, and the API must still catch up, honour known-at and show boards with nothing on them.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from ledger.connections import UrlDatabase
from ledger.ingest.pipeline import ingest
from ledger.store import head_position
from projections import queries
from projections.api import Boards
from projections.runner import CHECKPOINT, read_checkpoint

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
FAR_FUTURE = date(9999, 12, 31)


def ingest_lines(engine: sa.Engine, path: Path, lines: Sequence[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")
    report = ingest(engine, [str(path)])
    assert report.errors == [] and report.appended == len(lines)


def as_dicts(rows: Sequence[sa.Row[Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as dicts of `keys` only, in a fixed order."""
    picked = [{key: row._mapping[key] for key in keys} for row in rows]
    return sorted(picked, key=lambda row: json.dumps(row, default=str, sort_keys=True))


def days_and_positions(conn: sa.Connection) -> tuple[list[date], range]:
    days = conn.execute(sa.text("SELECT DISTINCT reported_on FROM events")).scalars().all()
    return [date(2000, 1, 1), *sorted(days), FAR_FUTURE], range(head_position(conn) + 1)


@pytest.fixture
def boards(engine: sa.Engine) -> Boards:
    report = ingest(engine, [str(EXAMPLE)])
    assert report.errors == [] and report.appended == 17
    return Boards(engine)


def test_the_player_board_is_its_facts_and_pursuits_at_every_position(
    engine: sa.Engine, boards: Boards
) -> None:
    boards.project()
    with engine.connect() as conn:
        days, positions = days_and_positions(conn)
        players = conn.execute(sa.text("SELECT player_id FROM players")).scalars().all()
        for player, day, known in itertools.product(players, days, positions):
            lookup = {"player": player, "as_of": day, "known": known}
            board = conn.exec_driver_sql(
                queries.PLAYER_BOARD, {**lookup, "checkpoint": CHECKPOINT}
            ).all()
            pursuits = conn.exec_driver_sql(queries.PLAYER_PURSUITS, lookup)
            pursuit_keys = list(pursuits.keys())
            facts = conn.exec_driver_sql(queries.PLAYER_FACTS, lookup)
            fact_keys, fact_rows = list(facts.keys()), facts.all()
            assert {(row.checkpoint, row.head, row.known) for row in board} == {
                (positions[-1], positions[-1], known)
            }
            with_pursuit = [row for row in board if row.club_id is not None]
            assert as_dicts(with_pursuit, pursuit_keys) == as_dicts(pursuits.all(), pursuit_keys)
            assert len(board) == max(len(with_pursuit), 1)
            expected = as_dicts(fact_rows, fact_keys) or [dict.fromkeys(fact_keys)]
            assert as_dicts(board, fact_keys) == expected * len(board)


def test_the_club_board_is_its_targets_and_wanted_at_every_position(
    engine: sa.Engine, boards: Boards
) -> None:
    boards.project()
    with engine.connect() as conn:
        days, positions = days_and_positions(conn)
        clubs = conn.execute(
            sa.text("SELECT club_id FROM events WHERE club_id IS NOT NULL "
                    "UNION SELECT from_club_id FROM events WHERE from_club_id IS NOT NULL")
        ).scalars().all()  # fmt: skip
        names = {
            row.player_id: row.name
            for row in conn.execute(sa.text("SELECT player_id, name FROM players"))
        }
        for club, day, known in itertools.product(clubs, days, positions):
            lookup = {"club": club, "as_of": day, "known": known}
            board = conn.exec_driver_sql(
                queries.CLUB_BOARD, {**lookup, "checkpoint": CHECKPOINT}
            ).all()
            targets = conn.exec_driver_sql(queries.CLUB_TARGETS, lookup)
            keys = list(targets.keys())
            wanted = conn.exec_driver_sql(queries.CLUB_WANTED, lookup).all()
            assert {row.known for row in board} == {known}
            lines = [row for row in board if row.club_id is not None]
            assert len(board) == max(len(lines), 1)
            assert as_dicts([r for r in lines if r.target], keys) == as_dicts(targets.all(), keys)
            assert as_dicts([r for r in lines if not r.target], keys) == as_dicts(wanted, keys)
            assert all(row.player_name == names[row.player_id] for row in lines)


def test_the_time_point_reads_at_the_checkpoint_or_at_a_lower_known(
    engine: sa.Engine, boards: Boards
) -> None:
    boards.project()
    with engine.connect() as conn:
        head = head_position(conn)
        assert read_checkpoint(conn) == head
        for known, expected in ((None, head), (3, 3), (head + 5, head)):
            point = conn.exec_driver_sql(
                queries.TIME_POINT, {"known": known, "checkpoint": CHECKPOINT}
            )
            assert tuple(point.one()) == (head, head, expected)
        conn.execute(sa.text("DELETE FROM projection_checkpoints"))
        point = conn.exec_driver_sql(queries.TIME_POINT, {"known": None, "checkpoint": CHECKPOINT})
        assert tuple(point.one()) == (0, head, 0)  # never projected: read at 0, then catch up
        conn.rollback()


def test_boards_read_outside_a_transaction_in_one_statement_when_current(
    engine: sa.Engine, boards: Boards
) -> None:
    boards.project()
    database = UrlDatabase(engine.url.render_as_string(hide_password=False))
    boards = Boards(database)  # as the command line reads: one bare psycopg connection
    boards.status("Marc Guehi")  # resolves and caches the name
    seen: list[tuple[object, psycopg.pq.TransactionStatus]] = []

    class RecordingCursor(psycopg.Cursor[Any]):
        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            done = super().execute(query, params, **options)
            seen.append((query, self.connection.info.transaction_status))
            return done

    with database.reading() as conn:
        conn.cursor_factory = RecordingCursor
    boards.status("Marc Guehi", as_of=date(2025, 2, 3))
    assert len(seen) == 1  # the board and its time point together
    boards.club("Tottenham Hotspur")
    assert len(seen) == 2
    boards.history("Marc Guehi")
    boards.sources()
    database.close()
    # Autocommit: no statement left a transaction open behind it, so none was sent to end one.
    assert {status for _, status in seen} == {psycopg.pq.TransactionStatus.IDLE}


def test_a_board_behind_the_ledger_catches_up_within_the_known_at_limit(
    engine: sa.Engine, tmp_path: Path
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    ingest_lines(engine, tmp_path / "first.jsonl", lines[:10])
    with engine.connect() as conn:
        first = head_position(conn)
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    ingest_lines(engine, tmp_path / "rest.jsonl", lines[10:])
    boards = Boards(engine)  # nothing projected yet

    earlier = boards.status("Ko Itakura", known_at=moment)
    with engine.connect() as conn:
        head = head_position(conn)
        assert read_checkpoint(conn) == head > first
    assert earlier.at.position == first
    assert earlier.at.known_at == moment
    assert boards.status("Ko Itakura").at.position == head


def test_a_club_board_behind_the_ledger_catches_up(engine: sa.Engine, boards: Boards) -> None:
    board = boards.club("Tottenham Hotspur")
    with engine.connect() as conn:
        assert board.at.position == head_position(conn) == read_checkpoint(conn) == 17
    assert board.targets


def test_boards_with_nothing_on_them_still_answer(
    engine: sa.Engine, boards: Boards, tmp_path: Path
) -> None:
    claim = {"player": "Emeka Vandersloot", "reported_on": "2024-06-10", "kind": "release_clause",
             "fee": "£50m", "source": "Sky Sports"}  # fmt: skip
    ingest_lines(engine, tmp_path / "clause.jsonl", [json.dumps(claim) + "\n"])

    only_facts = boards.status("Emeka Vandersloot")
    assert only_facts.pursuits == []
    assert only_facts.release_clause is not None
    assert only_facts.release_clause["amount"] == "50000000"
    assert only_facts.at.position == 18

    before = boards.status("Emeka Vandersloot", as_of=date(2024, 6, 9))
    assert (before.pursuits, before.current_club, before.release_clause) == ([], None, None)
    assert before.asking_price is None

    nobody = boards.club("Real Madrid")
    assert (nobody.targets, nobody.wanted, nobody.at.position) == ([], [], 18)
