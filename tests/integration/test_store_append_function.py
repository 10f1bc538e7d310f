"""`ledger_append` (migrations 0004, 0006), `ledger_append_one` (0011) and `append_one`: one
round trip per append, same rules.

One event runs in `ledger_append_one`, small batches in `ledger_append` from JSON, large batches
staged by COPY; the tests that matter for all three run on each path (SIZES).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command

from ledger.database import create_ledger_engine, libpq_url
from ledger.db_roles import create_roles
from ledger.errors import ConcurrencyError, DatabaseError
from ledger.migrate import alembic_config, upgrade_to_head
from ledger.reading import read_all, read_stream
from ledger.store import (
    ANY_VERSION,
    COPY_THRESHOLD,
    NO_STREAM,
    VERSION_CONFLICT,
    append,
    append_batch,
    append_one,
    head_position,
)
from tests.factories import new_event, new_stream
from tests.integration.tailing import positions_seen_while_writing
from tests.integration.test_db_roles import drop_roles, new_roles

SIZES = pytest.mark.parametrize("size", [1, 2, COPY_THRESHOLD], ids=["one", "json", "copy"])
FUNCTIONS = ("ledger_append", "ledger_append_one", "ledger_lock")
OLD_FUNCTIONS = ("ledger_advance_head", "ledger_append", "ledger_lock_head")  # 0004
WAIT_SECONDS = 30


def test_append_one_commits_before_it_returns_and_again_is_a_no_op(engine: sa.Engine) -> None:
    stream = new_stream()
    event = new_event(stream)
    first = append_one(engine, event)
    with engine.connect() as conn:  # another connection already sees it
        assert [e.event_id for e in read_stream(conn, stream)] == [event.event_id]
        assert head_position(conn) == first.last_position == first.positions[0]
    again = append_one(engine, event, expected_version=NO_STREAM)
    assert again.positions == [] and again.duplicates == {event.event_id: first.positions[0]}


def test_append_one_on_the_callers_autocommit_connection_commits_each_event(
    engine: sa.Engine,
) -> None:
    stream = new_stream()
    events = [new_event(stream) for _ in range(3)]
    with engine.connect() as held:
        held.execution_options(isolation_level="AUTOCOMMIT")
        positions = [append_one(held, event).positions[0] for event in events]
        with engine.connect() as other:  # each one is committed while `held` stays open
            assert [e.event_id for e in read_stream(other, stream)] == [e.event_id for e in events]
    assert positions == [1, 2, 3]


def test_append_one_on_a_connection_in_a_transaction_joins_it(engine: sa.Engine) -> None:
    stream = new_stream()
    with engine.connect() as conn:
        transaction = conn.begin()
        assert append_one(conn, new_event(stream)).positions == [1]
        transaction.rollback()
        assert read_stream(conn, stream) == []


@SIZES
def test_a_stale_expected_version_is_a_concurrency_error_and_writes_nothing(
    engine: sa.Engine, size: int
) -> None:
    stream = new_stream()
    append_one(engine, new_event(stream))
    moved = f"stream {stream} has moved past expected version 0"
    with pytest.raises(ConcurrencyError, match=moved), engine.begin() as conn:
        append(conn, stream, [new_event(stream) for _ in range(size)], NO_STREAM)
    with pytest.raises(ConcurrencyError):
        append_one(engine, new_event(stream), expected_version=2)
    with engine.connect() as conn:
        assert len(read_stream(conn, stream)) == 1 and head_position(conn) == 1
    assert append_one(engine, new_event(stream), expected_version=1).positions == [2]


@SIZES
def test_stored_events_are_skipped_and_repeats_within_a_batch_count_once(
    engine: sa.Engine, size: int
) -> None:
    stream = new_stream()
    stored = new_event(stream)
    append_one(engine, stored)
    fresh = [new_event(stream) for _ in range(size)]
    batch = [fresh[0], stored, *fresh, stored]
    with engine.begin() as conn:
        result = append(conn, stream, batch, expected_version=1)
    assert result.positions == list(range(2, size + 2)) and result.last_position == size + 1
    assert result.duplicates == {stored.event_id: 1}
    with engine.connect() as conn:
        versions = {e.event_id: e.stream_version for e in read_stream(conn, stream)}
    assert versions == {stored.event_id: 1} | {e.event_id: n for n, e in enumerate(fresh, 2)}
    with engine.begin() as conn:  # all stored: no version check, no error
        again = append(conn, stream, batch, expected_version=NO_STREAM)
    assert again.positions == [] and again.duplicates[fresh[-1].event_id] == size + 1


@SIZES
def test_a_batch_gives_each_stream_its_next_versions_and_positions_in_order(
    engine: sa.Engine, size: int
) -> None:
    a, b = new_stream(), new_stream()
    append_one(engine, new_event(a))
    batch = [new_event(s) for _ in range(size) for s in (b, a)]
    with engine.begin() as conn:
        result = append_batch(conn, batch)
    with engine.connect() as conn:
        stored = {e.event_id: e for e in read_all(conn)}
    assert result.positions == list(range(2, 2 * size + 2))
    assert [stored[e.event_id].position for e in batch] == result.positions
    assert [stored[e.event_id].stream_version for e in batch[1::2]] == list(range(2, size + 2))
    assert [stored[e.event_id].stream_version for e in batch[::2]] == list(range(1, size + 1))


def test_the_function_refuses_an_expected_version_for_several_streams(engine: sa.Engine) -> None:
    events = [_as_json(new_stream()), _as_json(new_stream())]
    with pytest.raises(DatabaseError, match="one stream") as caught, engine.begin() as conn:
        _call(conn, f"[{','.join(events)}]", 0)
    assert getattr(caught.value.__cause__, "sqlstate", None) == "22023"


def test_the_function_raises_its_own_sqlstate_for_a_version_conflict(engine: sa.Engine) -> None:
    stream = new_stream()
    append_one(engine, new_event(stream))
    with (
        pytest.raises(DatabaseError, match="is at version 1") as caught,
        engine.begin() as conn,
    ):
        _call(conn, f"[{_as_json(stream)}]", 0)
    assert getattr(caught.value.__cause__, "sqlstate", None) == VERSION_CONFLICT


def test_a_single_event_stored_already_gives_its_position_back(engine: sa.Engine) -> None:
    """`ledger_append_one` reserves a position before it knows the event is a repeat."""
    stream = new_stream()
    first, second = new_event(stream), new_event(stream)
    assert append_one(engine, first).positions == [1]
    assert append_one(engine, second, expected_version=1).positions == [2]
    for expected in (ANY_VERSION, 0, 2):  # a repeat is never a conflict, at any version
        again = append_one(engine, first, expected_version=expected)
        assert again.positions == [] and again.duplicates == {first.event_id: 1}
        assert again.last_position == 2
    third = append_one(engine, new_event(stream))
    assert third.positions == [3] and third.last_position == 3
    with engine.connect() as conn:
        assert [e.stream_version for e in read_stream(conn, stream)] == [1, 2, 3]
        assert head_position(conn) == 3


@pytest.mark.parametrize("size", [1, 3], ids=["fast path", "full path"])
def test_an_event_without_a_stream_is_refused_whole_and_leaves_no_gap(
    engine: sa.Engine, size: int
) -> None:
    """A writer calling the function itself could pass a NULL stream: the call must fail as a
    whole, never reserve a position it leaves empty (the full path runs once an id repeats)."""
    stream = new_stream()
    stored = new_event(stream)
    append_one(engine, stored)
    repeated = [json.dumps({"event_id": str(stored.event_id), "stream_id": stream,
                            "kind": "interest", "schema_version": 2,
                            "reported_on": "2025-01-05", "payload": {}, "metadata": {}})]  # fmt: skip
    fresh = [_as_json(stream) for _ in range(size - 1)]
    streamless = json.dumps({"event_id": str(uuid.uuid4()), "stream_id": None, "kind": "interest",
                             "schema_version": 2, "reported_on": "2025-01-05", "payload": {},
                             "metadata": {}})  # fmt: skip
    events = [streamless, *fresh, *(repeated if size > 1 else [])]
    with pytest.raises(DatabaseError, match="stream") as caught, engine.begin() as conn:
        _call(conn, f"[{','.join(events)}]", ANY_VERSION)
    assert getattr(caught.value.__cause__, "sqlstate", None) == "23502"  # not_null_violation
    with engine.connect() as conn:
        assert head_position(conn) == 1
    assert append_one(engine, new_event(stream)).positions == [2]


def test_an_event_without_an_id_is_refused_even_beside_a_stored_one(engine: sa.Engine) -> None:
    """On the full path (an id is stored already) a NULL id once dropped out of the insert
    without a word: neither appended nor reported."""
    stream = new_stream()
    stored = new_event(stream)
    append_one(engine, stored)
    repeated = json.dumps({"event_id": str(stored.event_id), "stream_id": stream,
                           "kind": "interest", "schema_version": 2, "reported_on": "2025-01-05",
                           "payload": {}, "metadata": {}})  # fmt: skip
    idless = json.dumps({"event_id": None, "stream_id": stream, "kind": "interest",
                         "schema_version": 2, "reported_on": "2025-01-05", "payload": {},
                         "metadata": {}})  # fmt: skip
    with pytest.raises(DatabaseError, match="event_id") as caught, engine.begin() as conn:
        _call(conn, f"[{repeated},{idless},{_as_json(stream)}]", ANY_VERSION)
    assert getattr(caught.value.__cause__, "sqlstate", None) == "23502"  # not_null_violation
    with engine.connect() as conn:
        assert head_position(conn) == 1


def test_the_one_event_function_raises_the_version_conflict_sqlstate(engine: sa.Engine) -> None:
    stream = new_stream()
    append_one(engine, new_event(stream))
    call = sa.text(
        "SELECT * FROM ledger_append_one(CAST(ROW(CAST(:id AS uuid), :s, 'interest', 2, "
        "'2025-01-05', NULL, NULL, NULL, NULL, NULL, '{}', '{}') AS ledger_new_event), 0)"
    )
    with (
        pytest.raises(DatabaseError, match="is at version 1") as caught,
        engine.begin() as conn,
    ):
        conn.execute(call, {"id": uuid.uuid4(), "s": stream})
    assert getattr(caught.value.__cause__, "sqlstate", None) == VERSION_CONFLICT
    with engine.connect() as conn:
        assert head_position(conn) == 1


def test_upgrading_lets_the_roles_that_could_append_call_the_one_event_function(
    fresh_engine: Callable[[], sa.Engine],
) -> None:
    """A writer role made before migration 0011 keeps appending single events after it."""
    engine = fresh_engine()
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0010")
    made = new_roles()
    with engine.begin() as conn:
        for role in (made.writer, made.reader):
            conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(
            sa.text(
                "GRANT EXECUTE ON FUNCTION ledger_append(ledger_new_event[], integer) "
                f'TO "{made.writer}"'
            )
        )
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            may = {
                role: conn.execute(
                    sa.text(
                        "SELECT has_function_privilege(CAST(:r AS name), "
                        "'ledger_append_one(ledger_new_event, integer)', 'EXECUTE')"
                    ),
                    {"r": role},
                ).scalar_one()
                for role in (made.writer, made.reader)
            }
        assert may == {made.writer: True, made.reader: False}
    finally:
        drop_roles(engine, made.writer, made.reader)


def test_listeners_hear_the_last_position_of_each_append_at_commit(
    engine: sa.Engine, database_url: str
) -> None:
    stream = new_stream()
    with psycopg.connect(libpq_url(database_url), autocommit=True) as listener:
        listener.execute("LISTEN rumours_events")
        event = new_event(stream)
        append_one(engine, event)
        append_one(engine, event)  # a duplicate writes nothing and says nothing
        with pytest.raises(ConcurrencyError):
            append_one(engine, new_event(stream), expected_version=NO_STREAM)
        with engine.begin() as conn:
            append(conn, stream, [new_event(stream), new_event(stream)])
        with engine.begin() as conn:
            append_batch(conn, [new_event(stream) for _ in range(COPY_THRESHOLD)])
        heard = [n.payload for n in listener.notifies(timeout=WAIT_SECONDS, stop_after=3)]
    assert heard == ["1", "3", str(3 + COPY_THRESHOLD)]


def test_single_appends_from_many_threads_are_gap_free_for_a_tailing_reader(
    engine: sa.Engine,
) -> None:
    writers, appends_each = 6, 30
    streams = [new_stream() for _ in range(3)]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(appends_each):
                stream = streams[(n + i) % len(streams)]
                while True:  # half the appends expect the version they read: retry on conflict
                    with engine.connect() as conn:
                        expected = len(read_stream(conn, stream)) if i % 2 else ANY_VERSION
                    try:
                        append_one(engine, new_event(stream), expected)
                        break
                    except ConcurrencyError:
                        continue
        except BaseException as exc:
            errors.append(exc)

    seen = positions_seen_while_writing(engine, write, writers)
    assert errors == []
    assert seen == list(range(1, writers * appends_each + 1))
    with engine.connect() as conn:
        for stream in streams:
            versions = [e.stream_version for e in read_stream(conn, stream)]
            assert versions == list(range(1, len(versions) + 1))


@SIZES
def test_the_unique_stream_version_backs_up_the_check_against_a_writer_without_the_lock(
    engine: sa.Engine, size: int
) -> None:
    """A row written around the head lock makes the append fail on the constraint, not pass."""
    stream = new_stream()
    outcome: list[BaseException | None] = []
    with engine.connect() as intruder:
        intruder.execute(
            sa.text(
                "INSERT INTO events (position, event_id, stream_id, stream_version, kind, "
                "schema_version, reported_on, recorded_at, payload, metadata) "
                "VALUES (1000, :id, :s, 1, 'interest', 2, '2025-01-05', now(), '{}', '{}')"
            ),
            {"id": uuid.uuid4(), "s": stream},
        )

        def write() -> None:
            try:
                with engine.begin() as conn:
                    append(conn, stream, [new_event(stream) for _ in range(size)])
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        _wait_for_a_backend_waiting_on_a_lock(engine)  # our uncommitted row
        intruder.commit()
        writer.join(WAIT_SECONDS)
    assert len(outcome) == 1 and isinstance(outcome[0], ConcurrencyError)


@pytest.fixture
def connect_as(engine: sa.Engine, database_url: str) -> Iterator[Callable[[str], sa.Engine]]:
    """An engine logged in as the writer, projector or reader made by `create_roles`."""
    made = new_roles()
    create_roles(
        engine,
        writer=made.writer,
        projector=made.projector,
        reader=made.reader,
        passwords=made.passwords,
    )
    engines: dict[str, sa.Engine] = {}

    def connect(job: str) -> sa.Engine:
        name = {"writer": made.writer, "projector": made.projector, "reader": made.reader}[job]
        engines[job] = create_ledger_engine(made.url(database_url, name))
        return engines[job]

    yield connect
    for made_engine in engines.values():
        made_engine.dispose()
    drop_roles(engine, made.writer, made.projector, made.reader)


def test_only_the_writer_role_may_execute_the_append_functions(
    connect_as: Callable[[str], sa.Engine],
) -> None:
    stream = new_stream()
    assert append_one(connect_as("writer"), new_event(stream)).positions == [1]
    for job in ("projector", "reader"):
        for function in (
            "ledger_append(CAST('{}' AS ledger_new_event[]))",
            "ledger_append_one(NULL::ledger_new_event)",
            "ledger_lock()",
        ):
            with (
                pytest.raises(DatabaseError, match="permission denied for function"),
                connect_as(job).begin() as conn,
            ):
                conn.execute(sa.text(f"SELECT * FROM {function}"))


def test_downgrading_drops_the_functions_and_upgrading_brings_them_back(
    fresh_engine: Callable[[], sa.Engine],
) -> None:
    engine = fresh_engine()
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    assert _functions(engine) == []
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
    assert _functions(engine) == list(OLD_FUNCTIONS)
    upgrade_to_head(engine)
    assert _functions(engine) == sorted(FUNCTIONS)
    assert append_one(engine, new_event(new_stream())).positions == [1]


def _functions(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        names = conn.execute(
            sa.text("SELECT proname FROM pg_proc WHERE proname = ANY(:n) ORDER BY proname"),
            {"n": sorted({*FUNCTIONS, *OLD_FUNCTIONS})},
        )
        return list(names.scalars())


def _call(conn: sa.Connection, events_json: str, expected_version: int) -> None:
    """Call the function directly, the events given as a JSON array."""
    conn.execute(
        sa.text(
            "SELECT * FROM ledger_append(ARRAY(SELECT jsonb_populate_recordset("
            "NULL::ledger_new_event, CAST(:e AS jsonb))), :x)"
        ),
        {"e": events_json, "x": expected_version},
    )


def _as_json(stream: str) -> str:
    return json.dumps(
        {"event_id": str(uuid.uuid4()), "stream_id": stream, "kind": "interest",
         "schema_version": 2, "reported_on": "2025-01-05", "payload": {}, "metadata": {}}
    )  # fmt: skip


def _wait_for_a_backend_waiting_on_a_lock(engine: sa.Engine) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    with engine.connect() as conn:
        while not conn.execute(query).scalar_one():
            conn.rollback()  # statistics views are a snapshot per transaction
            assert time.monotonic() < deadline, "the append never waited on the intruder's row"
            time.sleep(0.005)
