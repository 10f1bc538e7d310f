"""Likelihood books fitted ahead: by `rumours project` and by the follower, so that the first
board read at a new book position finds its book stored and fits nothing."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import sqlalchemy as sa

from ledger.connections import EngineDatabase
from ledger.retract import retract
from ledger.settings import DEFAULT_QUIET_DAYS
from ledger.store import head_position
from projections.api import Boards
from projections.book_store import store_index
from projections.books import book_position
from projections.books_ahead import fit_book_ahead, fit_in_child
from projections.follow import follow_forever
from projections.likelihood import BookIndex
from tests.integration.test_board_likelihood import chances, history, ingest_claims
from tests.integration.test_cli_reading import rumours, url_of
from tests.integration.test_stored_books import (
    AS_OF,
    first_signing,
    ledger_fits,
    stored_positions,
)

__all__ = ["ledger_fits"]  # the fixture, used by name


def head(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return head_position(conn)


def test_rumours_project_stores_the_book_of_the_head_and_a_board_fits_none(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    ingest_claims(engine, tmp_path, history())
    assert rumours(url_of(engine), "project", "--rebuild").returncode == 0
    assert stored_positions(engine) == [book_position(head(engine))]
    assert chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())["Everton"]
    assert ledger_fits == []


def test_the_follower_stores_the_book_of_each_new_book_position_it_reaches(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    ingest_claims(engine, tmp_path, history()[:12])
    follow_forever(engine, quiet_days=DEFAULT_QUIET_DAYS, stop_after=1.0)
    assert stored_positions(engine) == [12]
    ingest_claims(engine, tmp_path, history()[12:])
    follow_forever(engine, quiet_days=DEFAULT_QUIET_DAYS, stop_after=1.0)
    assert stored_positions(engine) == [12, len(history())]
    assert chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())["Everton"]
    assert ledger_fits == []  # the follower's fits ran in its child processes


def test_a_book_already_stored_is_not_fitted_again(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    ingest_claims(engine, tmp_path, history())
    position = len(history())
    assert fit_book_ahead(engine, position, quiet_days=DEFAULT_QUIET_DAYS) == position
    assert fit_book_ahead(engine, position, quiet_days=DEFAULT_QUIET_DAYS) is None
    assert ledger_fits == [("scratch", position)]


def with_a_wrong_book_stored(engine: sa.Engine, tmp_path: Path) -> int:
    """A ledger whose stored book at its book position holds nothing (as no fit of its events
    would), then one event more; the head, whose book would be grown from the wrong one."""
    ingest_claims(engine, tmp_path, history())
    with EngineDatabase(engine).reading() as conn:
        store_index(conn, len(history()), DEFAULT_QUIET_DAYS, BookIndex(()))
    return retract(engine, UUID(first_signing(engine)), "never confirmed")


def test_a_book_that_cannot_be_grown_from_is_one_line_saying_what_to_do(
    engine: sa.Engine, tmp_path: Path
) -> None:
    with_a_wrong_book_stored(engine, tmp_path)
    board = rumours(url_of(engine), "status", "Rune Sandvik")
    assert board.returncode == 1 and board.stdout == ""
    assert board.stderr.count("\n") == 1 and "Traceback" not in board.stderr
    line = board.stderr.strip()
    assert f"likelihood book stored at position {len(history())}" in line, line
    assert "rumours project --rebuild" in line, line


def test_the_followers_child_logs_a_book_it_cannot_grow_in_one_line(
    engine: sa.Engine, tmp_path: Path
) -> None:
    head = with_a_wrong_book_stored(engine, tmp_path)
    fit_in_child(url_of(engine), head, DEFAULT_QUIET_DAYS)  # the child's work: it must not raise
    assert stored_positions(engine) == [len(history())]


def test_a_rebuild_fits_the_books_again_from_the_events(
    engine: sa.Engine, tmp_path: Path, ledger_fits: list[tuple[str, int]]
) -> None:
    head = with_a_wrong_book_stored(engine, tmp_path)
    rebuilt = rumours(url_of(engine), "project", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert stored_positions(engine) == [book_position(head)]
    assert chances(Boards(engine).status("Rune Sandvik", as_of=AS_OF).as_json())["Everton"]
    assert ledger_fits == []  # the rebuild's fit was from scratch, in its own process


def test_a_failed_book_fit_after_the_projection_says_the_projection_is_done(
    engine: sa.Engine, tmp_path: Path
) -> None:
    head = with_a_wrong_book_stored(engine, tmp_path)
    projected = rumours(url_of(engine), "project")
    assert projected.returncode == 0, projected.stderr
    assert projected.stdout == f"position {head}\n"
    line = projected.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"rumours: projected to position {head}; its likelihood book"), line
    as_json = rumours(url_of(engine), "project", "--json")
    assert as_json.returncode == 0, as_json.stderr
    answer = json.loads(as_json.stdout)
    assert answer["position"] == head and "rumours project --rebuild" in answer["book_error"]
