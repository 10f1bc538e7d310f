"""The bulk append from a staged table (migration 0012) as a hostile writer would use it.

The writer controls the staged rows and nothing else: it cannot bring its own staging table,
change the owner's, choose positions or versions, leave a gap, or reach `events` some other way.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command

from ledger.errors import DatabaseError
from ledger.migrate import alembic_config, upgrade_to_head
from ledger.staged_append import append_staged, row_body
from ledger.store import append_batch, head_position
from tests.factories import new_event, new_stream
from tests.integration import test_db_roles
from tests.integration.test_db_roles import Roles, drop_roles, new_roles, refused

# The role tests' fixtures: three fresh roles, and an engine logged in as one of them.
roles = test_db_roles.roles
connect_as = test_db_roles.connect_as

STAGED_ROW = (
    "INSERT INTO pg_temp.ledger_bulk_staged VALUES ({ord}, gen_random_uuid(), {stream}, "
    "'interest', 3, '2025-01-05', NULL, 'p', 'tottenham-hotspur', NULL, NULL, '{{}}', '{{}}')"
)


def _stage_and_append(conn: sa.Connection, *rows: str) -> tuple[int, int]:
    conn.execute(sa.text("SELECT ledger_stage_bulk()"))
    for row in rows:
        conn.execute(sa.text(row))
    appended, last = conn.execute(
        sa.text("SELECT appended, last_position FROM ledger_append_staged()")
    ).one()
    return int(appended), int(last)


def _events(engine: sa.Engine) -> list[tuple[int, str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT position, stream_id, stream_version FROM events ORDER BY position")
        )
        return [(int(p), str(s), int(v)) for p, s, v in rows]


def test_the_writer_appends_staged_rows_numbered_by_the_function_whatever_their_ord(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    with writer.begin() as conn:
        # ord only orders: repeated, negative and huge values still give positions 1..4.
        rows = [STAGED_ROW.format(ord=o, stream="'player:a'") for o in (7, -3, 7, 2_000_000_000)]
        assert _stage_and_append(conn, *rows) == (4, 4)
    events = _events(engine)
    assert [position for position, _, _ in events] == [1, 2, 3, 4]
    assert [version for _, _, version in events] == [1, 2, 3, 4]
    with engine.connect() as conn:
        assert head_position(conn) == 4


def test_a_staged_row_without_a_stream_fails_the_call_and_leaves_no_gap(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    with pytest.raises(DatabaseError, match="null value in column"), writer.begin() as conn:
        good = STAGED_ROW.format(ord=1, stream="'player:a'")
        _stage_and_append(conn, good, STAGED_ROW.format(ord=2, stream="NULL"))
    with writer.begin() as conn:
        assert _stage_and_append(conn, STAGED_ROW.format(ord=1, stream="'player:a'")) == (1, 1)
    assert [position for position, _, _ in _events(engine)] == [1]


def test_a_staged_row_without_an_id_beside_a_stored_one_fails_the_call(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    """A stored id sends the batch to `ledger_append`'s full path, where a NULL id once dropped
    out without a word (neither appended nor reported; migration 0013)."""
    writer = connect_as(roles.writer)
    stored = "INSERT INTO pg_temp.ledger_bulk_staged SELECT 1, event_id, stream_id, kind, " \
        "schema_version, reported_on, effective_on, player_id, club_id, from_club_id, " \
        "source_id, payload, metadata FROM events LIMIT 1"  # fmt: skip
    idless = (
        "INSERT INTO pg_temp.ledger_bulk_staged VALUES (2, NULL, 'player:a', 'interest', 3, "
        "'2025-01-05', NULL, 'p', 'tottenham-hotspur', NULL, NULL, '{}', '{}')"
    )
    with writer.begin() as conn:
        _stage_and_append(conn, STAGED_ROW.format(ord=1, stream="'player:a'"))
    with pytest.raises(DatabaseError, match="without an event_id"), writer.begin() as conn:
        _stage_and_append(conn, stored, idless, STAGED_ROW.format(ord=3, stream="'player:a'"))
    assert [position for position, _, _ in _events(engine)] == [1]


@pytest.mark.parametrize(
    "own_table",
    [
        "CREATE TEMP TABLE ledger_bulk_staged (LIKE pg_temp.ledger_bulk_staged_template)",
        "CREATE TEMP VIEW ledger_bulk_staged AS SELECT * FROM pg_temp.ledger_bulk_staged_template",
    ],
)
def test_the_writer_cannot_bring_its_own_staging_table(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine], own_table: str
) -> None:
    """A table or view of the writer's would let it run its own code (a trigger, a row policy,
    a view's function) with the owner's rights inside the function: both functions refuse it."""
    writer = connect_as(roles.writer)
    for call in ("SELECT ledger_stage_bulk()", "SELECT * FROM ledger_append_staged()"):
        with pytest.raises(DatabaseError) as caught, writer.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TEMP TABLE ledger_bulk_staged_template AS SELECT 0 AS ord, e.* "
                    "FROM unnest(CAST('{}' AS ledger_new_event[])) AS e WITH NO DATA"
                )
            )
            conn.execute(sa.text(own_table))
            conn.execute(sa.text(STAGED_ROW.format(ord=1, stream="'player:a'")))
            conn.execute(sa.text(call))
        assert "is not the staging table" in str(caught.value.__cause__), call
    assert _events(engine) == []


def test_the_writer_cannot_change_the_owners_staging_table(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    for statement in (
        "ALTER TABLE pg_temp.ledger_bulk_staged ENABLE ROW LEVEL SECURITY",
        "CREATE INDEX ON pg_temp.ledger_bulk_staged ((1))",
        "CREATE RULE r AS ON INSERT TO pg_temp.ledger_bulk_staged DO INSTEAD NOTHING",
        "DROP TABLE pg_temp.ledger_bulk_staged",
        "TRUNCATE pg_temp.ledger_bulk_staged",
        "UPDATE pg_temp.ledger_bulk_staged SET ord = 1",
    ):
        with pytest.raises(DatabaseError) as caught, writer.begin() as conn:
            conn.execute(sa.text("SELECT ledger_stage_bulk()"))
            conn.execute(sa.text(statement))
        refusal = str(caught.value.__cause__)
        assert "must be owner" in refusal or "permission denied" in refusal, statement


def test_the_projector_and_the_reader_cannot_stage_or_append(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    for role in (roles.projector, roles.reader):
        as_role = connect_as(role)
        for call in ("SELECT ledger_stage_bulk()", "SELECT * FROM ledger_append_staged()"):
            assert "permission denied" in refused(as_role, call), (role, call)


def test_the_staged_append_skips_and_reports_stored_and_repeated_ids_as_ledger_append_does(
    engine: sa.Engine, roles: Roles, connect_as: Callable[[str], sa.Engine]
) -> None:
    writer = connect_as(roles.writer)
    stream = new_stream()
    stored = [new_event(stream) for _ in range(3)]
    with writer.begin() as conn:
        append_batch(conn, stored)
    fresh = new_event(stream)
    with writer.begin() as conn:
        bodies = [row_body(e) for e in (stored[1], fresh, fresh, stored[0])]
        result = append_staged(conn, bodies)
    assert result.appended == 1
    assert result.duplicates == {stored[1].event_id: 2, stored[0].event_id: 1}
    assert result.last_position == 4
    assert _events(engine)[-1] == (4, stream, 4)
    with engine.connect() as conn:
        assert head_position(conn) == 4
        found = conn.execute(sa.text("SELECT event_id FROM events WHERE position = 4"))
        assert found.scalar_one() == fresh.event_id


def test_two_staged_appends_in_one_transaction_each_append_their_own_rows(
    engine: sa.Engine,
) -> None:
    stream = new_stream()
    first, second = [new_event(stream) for _ in range(2)], [new_event(stream) for _ in range(3)]
    with engine.begin() as conn:
        once = append_staged(conn, [row_body(e) for e in first])
        twice = append_staged(conn, [row_body(e) for e in second])
    # Had the second call seen the first call's staged rows, it would report them as duplicates
    # (or append them again at positions 3 and 4).
    assert (once.appended, once.duplicates, once.last_position) == (2, {}, 2)
    assert (twice.appended, twice.duplicates, twice.last_position) == (3, {}, 5)
    assert _events(engine) == [(position, stream, position) for position in range(1, 6)]
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT event_id FROM events ORDER BY position")).scalars()
        assert list(ids) == [e.event_id for e in first + second]


def test_a_writer_role_made_before_the_migration_may_stage_and_append_after_it(
    fresh_engine: Callable[[], sa.Engine],
) -> None:
    engine = fresh_engine()
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011")
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
                (role, function): conn.execute(
                    sa.text("SELECT has_function_privilege(CAST(:r AS name), :f, 'EXECUTE')"),
                    {"r": role, "f": function},
                ).scalar_one()
                for role in (made.writer, made.reader)
                for function in ("ledger_stage_bulk()", "ledger_append_staged()")
            }
        assert may == {
            (made.writer, "ledger_stage_bulk()"): True,
            (made.writer, "ledger_append_staged()"): True,
            (made.reader, "ledger_stage_bulk()"): False,
            (made.reader, "ledger_append_staged()"): False,
        }
    finally:
        drop_roles(engine, made.writer, made.reader)
