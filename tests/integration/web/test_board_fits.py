"""A board read over HTTP that must fit a likelihood book fits it in the server's process, one fit
at a time: a request never forks worker processes (the server runs requests on threads, and a
fork copies one thread of a process whose others may hold locks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from projections import book_fitting
from projections.api import Boards
from projections.likelihood import BookIndex
from tests.integration.web.conftest import Served, event_count


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every fit split over worker processes, by position; any ledger splits from here on."""
    forked: list[int] = []
    split = book_fitting._fitted_in_workers

    def counted(engine: sa.Engine, position: int, *args: Any) -> BookIndex:
        forked.append(position)
        return split(engine, position, *args)

    monkeypatch.setattr(book_fitting, "EVENTS_PER_WORKER", 1)
    monkeypatch.setattr(book_fitting.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(book_fitting, "_fitted_in_workers", counted)
    return forked


def test_a_board_read_over_http_fits_its_book_without_forking(
    examples: sa.Engine, serve: Callable[..., Served], forks: list[int]
) -> None:
    served = serve()
    with served.client() as http:
        answers = [http.get("/api/players/Ko Itakura") for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert forks == []


def test_the_python_api_and_the_cli_still_split_a_large_fit(
    examples: sa.Engine, forks: list[int]
) -> None:
    Boards(examples).status("Ko Itakura")
    assert forks == [event_count(examples)]
