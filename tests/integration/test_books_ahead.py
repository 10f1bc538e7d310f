"""Likelihood books fitted ahead: by `rumours project` and by the follower, so that the first
board read at a new book position finds its book stored and fits nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ledger.settings import DEFAULT_QUIET_DAYS
from ledger.store import head_position
from projections.api import Boards
from projections.books import book_position
from projections.books_ahead import fit_book_ahead
from projections.follow import follow_forever
from tests.integration.test_board_likelihood import chances, history, ingest_claims
from tests.integration.test_cli_reading import rumours, url_of
from tests.integration.test_stored_books import AS_OF, ledger_fits, stored_positions

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
