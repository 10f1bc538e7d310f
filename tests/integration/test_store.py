"""The event store on a real PostgreSQL: append, read, conflicts, idempotency, immutability."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ledger.errors import ConcurrencyError, DatabaseError
from ledger.reading import read_stream
from ledger.store import (
    ANY_VERSION,
    NO_STREAM,
    append,
    append_batch,
    head_position,
)
from tests.factories import new_event, new_stream
from tests.integration.tailing import positions_seen_while_writing


def test_appended_events_read_back_in_stream_order(engine: sa.Engine) -> None:
    stream = new_stream()
    events = [new_event(stream), new_event(stream, "bid"), new_event(stream, "bid_rejected")]
    with engine.begin() as conn:
        result = append(conn, stream, events, NO_STREAM)
    with engine.connect() as conn:
        stored = read_stream(conn, stream)
    assert [e.kind for e in stored] == ["interest", "bid", "bid_rejected"]
    assert [e.stream_version for e in stored] == [1, 2, 3]
    assert [e.position for e in stored] == result.positions


def test_a_stale_expected_version_raises_concurrency_error(engine: sa.Engine) -> None:
    stream = new_stream()
    with engine.begin() as conn:
        append(conn, stream, [new_event(stream)], NO_STREAM)
    with pytest.raises(ConcurrencyError), engine.begin() as conn:
        append(conn, stream, [new_event(stream)], NO_STREAM)
    with pytest.raises(ConcurrencyError), engine.begin() as conn:
        append(conn, stream, [new_event(stream)], 5)
    with engine.begin() as conn:
        assert append(conn, stream, [new_event(stream)], 1).positions


def test_the_same_event_id_again_is_a_no_op_reporting_the_original_position(
    engine: sa.Engine,
) -> None:
    stream = new_stream()
    event = new_event(stream)
    with engine.begin() as conn:
        first = append(conn, stream, [event], NO_STREAM)
    with engine.begin() as conn:
        again = append(conn, stream, [event], NO_STREAM)
    assert again.positions == []
    assert again.duplicates == {event.event_id: first.positions[0]}


def test_a_batch_appends_to_many_streams_at_their_ends(engine: sa.Engine) -> None:
    a, b = new_stream(), new_stream()
    with engine.begin() as conn:
        append(conn, a, [new_event(a)])
        batch = [new_event(s) for _ in range(30) for s in (a, b, a)]
        result = append_batch(conn, batch)
    with engine.connect() as conn:
        assert [e.stream_version for e in read_stream(conn, a)] == list(range(1, 62))
        assert len(read_stream(conn, b)) == 30
    assert len(result.positions) == 90


@pytest.mark.parametrize("table", ["events", "articles"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}", "TRUNCATE {t}"],
)
def test_stored_rows_cannot_be_changed_even_by_the_owner(
    engine: sa.Engine, table: str, statement: str
) -> None:
    stream = new_stream()
    with engine.begin() as conn:
        append(conn, stream, [new_event(stream)])
        conn.execute(
            sa.text(
                "INSERT INTO articles (article_id, content_hash, name, published_on, body) "
                "VALUES ('a1', 'h1', 'a.txt', '2025-01-05', 'text')"
            )
        )
    column = "kind" if table == "events" else "body"
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(statement.format(t=table, c=column)))


def test_positions_are_gap_free_and_seen_once_in_order_by_a_tailing_reader(
    engine: sa.Engine,
) -> None:
    writers, appends_each = 6, 40

    def write(n: int) -> None:
        stream = new_stream()
        for i in range(appends_each):
            with engine.begin() as conn:
                batch = [new_event(stream) for _ in range(1 + (i + n) % 3)]
                append(conn, stream, batch, ANY_VERSION)

    seen = positions_seen_while_writing(engine, write, writers)
    with engine.connect() as conn:
        head = head_position(conn)
    assert seen == list(range(1, head + 1))
