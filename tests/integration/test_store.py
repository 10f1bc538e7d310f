"""The event store on a real PostgreSQL: append, read, conflicts, idempotency, immutability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from ledger.errors import ConcurrencyError, DatabaseError
from ledger.reading import find_event, read_all, read_stream
from ledger.store import (
    ANY_VERSION,
    NO_STREAM,
    append,
    append_batch,
    head_position,
    position_known_at,
)
from tests.factories import new_event, new_stream
from tests.integration.tailing import positions_seen_while_writing

EPSILON, ZERO = timedelta(microseconds=1), timedelta(0)


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


def test_every_reader_gives_back_the_payload_and_metadata_as_appended(
    engine: sa.Engine,
) -> None:
    stream = new_stream()
    payload = {"fee": {"amount": "40000000", "currency": "EUR"}, "player_name": "Zoë Ñúñez"}
    metadata = {"article_id": "a-1", "line": 7}
    event = new_event(stream, payload=payload, metadata=metadata)
    with engine.begin() as conn:
        (position,) = append(conn, stream, [event]).positions
    with engine.begin() as conn:
        read = [
            *read_stream(conn, stream),
            *read_all(conn, after=position - 1, until=position),
            find_event(conn, event.event_id),
        ]
    assert [(e.payload, e.metadata) for e in read if e is not None] == [(payload, metadata)] * 3


def test_a_reader_changing_a_payload_it_was_given_changes_no_one_elses(engine: sa.Engine) -> None:
    stream = new_stream()
    with engine.begin() as conn:
        append(conn, stream, [new_event(stream)])
    with engine.connect() as conn:
        (stored,) = read_stream(conn, stream)
    stored.payload["renewed"] = True
    assert stored.payload == {"renewed": False}


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


def test_the_position_known_at_a_moment_is_the_last_one_recorded_by_then(
    engine: sa.Engine,
) -> None:
    # Found by bisecting positions (no index on recorded_at): it must agree with a full scan
    # at, between and around every recorded moment, including ties within one batch.
    stream = new_stream()
    for size in (1, 3, 1, 2, 1):
        with engine.begin() as conn:
            append_batch(conn, [new_event(stream) for _ in range(size)])
    with engine.connect() as conn:
        moments = conn.execute(sa.text("SELECT DISTINCT recorded_at FROM events")).scalars()
        probes = [m + delta for m in moments for delta in (-EPSILON, ZERO, EPSILON)]
        for moment in probes:
            scanned = conn.execute(
                sa.text("SELECT coalesce(max(position), 0) FROM events WHERE recorded_at <= :t"),
                {"t": moment},
            ).scalar_one()
            assert position_known_at(conn, moment) == scanned


def test_the_position_known_on_an_empty_ledger_is_zero(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        assert position_known_at(conn, datetime.now(UTC)) == 0


def test_a_batch_with_stored_events_leaves_no_gap_in_positions(engine: sa.Engine) -> None:
    # The head reserves a position for every event of a call and gives back the unused ones.
    stream = new_stream()
    stored = [new_event(stream), new_event(stream)]
    with engine.begin() as conn:
        append_batch(conn, stored)
    with engine.begin() as conn:
        result = append_batch(conn, [stored[0], new_event(stream), stored[1], new_event(stream)])
    with engine.begin() as conn:
        again = append_batch(conn, stored)
        after = append_batch(conn, [new_event(stream)])
        assert head_position(conn) == after.positions[0]
    assert result.positions == [3, 4]
    assert again.positions == []
    assert after.positions == [5]
