"""The processes a book fit forks end with their parent and take Ctrl-C as it does
(`ledger.child_processes`), as an ingest's workers do."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from projections import book_fitting, books_ahead, follow

FORK = multiprocessing.get_context("fork")
URL = "postgresql+psycopg://nobody@localhost:1/nowhere"  # never connected to


def _ignores_ctrl_c_in_child(ignored: bool, start: Callable[[], None]) -> bool:
    """Whether `start`, run first thing in a forked child, leaves Ctrl-C ignored."""
    answer: multiprocessing.Queue[bool] = FORK.Queue()

    def child() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignored else signal.default_int_handler)
        start()
        answer.put(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)

    process = FORK.Process(target=child)
    process.start()
    process.join(30)
    return answer.get(timeout=30)


@pytest.mark.parametrize("ignored", [True, False], ids=["ignored", "default"])
def test_a_fit_worker_ignores_ctrl_c_exactly_when_its_parent_does(ignored: bool) -> None:
    start = lambda: book_fitting._worker_start(os.getppid())  # noqa: E731
    assert _ignores_ctrl_c_in_child(ignored, start) is ignored


@pytest.mark.parametrize("ignored", [True, False], ids=["ignored", "default"])
def test_the_followers_fit_child_ignores_ctrl_c_exactly_when_the_follower_does(
    ignored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(books_ahead, "fit_book_ahead", lambda *args, **kwargs: None)
    start = lambda: books_ahead.fit_in_child(URL, 500, 90)  # noqa: E731
    assert _ignores_ctrl_c_in_child(ignored, start) is ignored


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie nobody has reaped yet has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def _fits_for_a_minute(*args: object) -> None:
    time.sleep(60)


def test_the_followers_fit_child_ends_when_the_follower_is_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(books_ahead, "fit_in_child", _fits_for_a_minute)
    children: multiprocessing.Queue[int] = FORK.Queue()

    def follower() -> None:
        fitter = follow.AheadFitter(sa.create_engine(URL), quiet_days=90)
        fitter.reached(500)
        assert fitter._child is not None and fitter._child.pid is not None
        children.put(fitter._child.pid)
        time.sleep(60)

    process = FORK.Process(target=follower)
    process.start()
    child = children.get(timeout=30)
    assert _alive(child)
    os.kill(process.pid or 0, signal.SIGKILL)
    process.join(30)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
