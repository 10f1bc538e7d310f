"""A likelihood book index grown from an earlier stored one equals a fit from scratch, and both
equal the index the whole-ledger scan fitted before (`read_claims` then `BookIndex`), on random
ledgers with back-filled claims, retractions and journalists."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.codec import NewEvent
from ledger.store import head_position
from projections import book_fitting
from projections.book_fit import FAR_FUTURE, fitted_tally, grown_index
from projections.book_store import StoredBook
from projections.likelihood import BookIndex
from projections.record_reads import read_claims
from projections.track_record import predictions
from tests.integration.test_board_likelihood import history, ingest_claims
from tests.integration.test_projection_properties import QUIET, Ledger, _append, _register, ledgers

JOURNALISTS = (None, "Fabrizio Romano", "David Ornstein", "someone nobody knows")

Runs = list[tuple[Any, ...]]


def runs(index: BookIndex) -> Runs:
    return list(index.segments())


def scanned_index(engine: sa.Engine, position: int) -> Runs:
    """The index as the whole-ledger scan fitted it before books were fitted by player."""
    with engine.connect() as conn:
        ledger = read_claims(conn, as_of=FAR_FUTURE, known=position)
    found = predictions(ledger.players.items(), quiet_days=QUIET, until=FAR_FUTURE)
    return runs(BookIndex(found))


def fitted(engine: sa.Engine, position: int) -> BookIndex:
    with engine.connect() as conn, conn.begin():
        driver = conn.connection.driver_connection
        return fitted_tally(driver, position, quiet_days=QUIET).index()


def grown(engine: sa.Engine, earlier: StoredBook, position: int) -> BookIndex:
    with engine.connect() as conn, conn.begin():
        driver = conn.connection.driver_connection
        return grown_index(driver, earlier, position, quiet_days=QUIET)


def with_journalists(draw: Callable[..., Any], ledger: Ledger) -> list[list[NewEvent]]:
    """The first order's batches, some claims signed by a journalist (known or not)."""
    batches = []
    for batch in ledger.first:
        events = []
        for event in batch:
            journalist = draw(st.sampled_from(JOURNALISTS))
            signed = event.kind != "retraction" and journalist is not None
            payload = {**event.payload, "journalist": journalist} if signed else event.payload
            events.append(dataclasses.replace(event, payload=payload))
        batches.append(events)
    return batches


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledgers(), st.data())
def test_a_book_grown_from_any_earlier_one_is_the_book_fitted_from_scratch(
    fresh_engine: Callable[[], sa.Engine], ledger: Ledger, data: st.DataObject
) -> None:
    engine = fresh_engine()
    try:
        _register(engine, ledger.players)
        stored: list[StoredBook] = []
        for batch in with_journalists(data.draw, ledger):
            _append(engine, batch)
            with engine.connect() as conn:
                position = head_position(conn)
            index = fitted(engine, position)
            assert runs(index) == scanned_index(engine, position)
            for earlier in stored:
                assert runs(grown(engine, earlier, position)) == runs(index)
            stored.append(StoredBook(position, index))
    finally:
        engine.dispose()


def test_a_fit_split_over_worker_processes_is_the_fit_in_one(
    engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_claims(engine, tmp_path, history())
    position = len(history())
    monkeypatch.setattr(book_fitting.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(book_fitting, "EVENTS_PER_WORKER", 1)  # three workers for 20 events
    split = book_fitting.index_at(engine, position, quiet_days=QUIET, earlier=None)
    assert runs(split) == runs(fitted(engine, position)) == scanned_index(engine, position)
    assert split.sources  # the ledger's sources were all counted, not one worker's share
