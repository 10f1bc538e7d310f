"""Append only through `ledger_append`: one set-based function that runs as the schema's owner.

Before, the append rules lived twice (the PL/pgSQL loop of 0004 and the COPY path in Python), and
the functions ran with the caller's privileges, so the writer role needed INSERT on `events` and
UPDATE on `ledger_head`, and EXECUTE on the head helpers. With those, a writer could insert an
event at any position (a gap, a duplicate claim under a fresh id) or move the head back.

Now every append, single or bulk, is one call of `ledger_append(ledger_new_event[], integer)`:
`ledger.store` stages the rows (a JSON record set for small batches, COPY into a temporary table
for large ones) and passes them as one array. The function is SECURITY DEFINER with a fixed
`search_path` (pg_temp last, so a caller's temporary table can never stand in for `events`), and
it is the only way in: the writer role keeps SELECT on `events`, and EXECUTE on this function and
on `ledger_lock()`, which only takes the append lock. The head helpers of 0004 are dropped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from ledger.store import VERSION_CONFLICT  # the SQLSTATE the store maps to ConcurrencyError

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


NEW_EVENT = """
CREATE TYPE ledger_new_event AS (
    event_id uuid,
    stream_id text,
    kind text,
    schema_version smallint,
    reported_on date,
    effective_on date,
    player_id text,
    club_id text,
    from_club_id text,
    source_id text,
    payload jsonb,
    metadata jsonb
)
"""

LOCK = """
CREATE FUNCTION ledger_lock() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = {search_path} AS $$
    -- The append lock alone, for writers that insert other rows (players) before appending.
    SELECT FROM ledger_head WHERE id = 1 FOR UPDATE
$$
"""

APPEND = """
CREATE FUNCTION ledger_append(
    new_events ledger_new_event[],
    expected_version integer DEFAULT -1,
    OUT appended bigint[],
    OUT duplicate_ids uuid[],
    OUT duplicate_positions bigint[],
    OUT last_position bigint
) LANGUAGE plpgsql SECURITY DEFINER SET search_path = {search_path} AS $$
-- expected_version: -1 appends each event at the end of its stream; 0 or more requires every
-- event to be of one stream that is at that version before the first new event.
DECLARE
    stream text := new_events[1].stream_id;
    recorded timestamptz;
    stream_at integer;
BEGIN
    -- The row lock is held to commit: the next writer gets its positions only after this one
    -- has committed (commit order), and a rollback also rolls the head back (no gaps).
    -- recorded_at never goes backwards along positions, even if the clock does.
    SELECT head.last_position, greatest(clock_timestamp(), head.last_recorded_at)
      INTO last_position, recorded
      FROM ledger_head AS head
     WHERE head.id = 1
       FOR UPDATE;
    -- Each statement below takes a new snapshot, so it sees what the writer before us
    -- committed while we waited for the lock.

    -- Idempotency: a stored event_id is skipped and reported once with its original position.
    SELECT coalesce(array_agg(s.event_id ORDER BY g.first), '{{}}'),
           coalesce(array_agg(s.position ORDER BY g.first), '{{}}')
      INTO duplicate_ids, duplicate_positions
      FROM (SELECT e.event_id, min(e.ordinality) AS first
              FROM unnest(new_events) WITH ORDINALITY AS e
             GROUP BY e.event_id) AS g
      JOIN events AS s ON s.event_id = g.event_id;

    IF expected_version <> -1 THEN
        IF EXISTS (SELECT FROM unnest(new_events) AS e WHERE e.stream_id IS DISTINCT FROM stream)
        THEN
            RAISE EXCEPTION 'an expected version applies to the events of one stream'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- Checked under the head lock, so no other writer can move the stream before we
        -- commit; the unique (stream_id, stream_version) constraint backs it up. A call whose
        -- events are all stored already is a harmless repeat, not a conflict.
        SELECT coalesce(max(s.stream_version), 0) INTO stream_at
          FROM events AS s WHERE s.stream_id = stream;
        IF stream_at <> expected_version AND EXISTS (
            SELECT FROM unnest(new_events) AS e
             WHERE e.event_id <> ALL (duplicate_ids)
        ) THEN
            RAISE EXCEPTION 'stream % is at version %, not at the expected %',
                stream, stream_at, expected_version
                USING ERRCODE = '{version_conflict}';
        END IF;
    END IF;

    -- The first of each new event_id, numbered in the given order: positions follow the head,
    -- stream versions follow each stream's last stored version.
    WITH given AS (
        SELECT e.*, e.ordinality AS ord FROM unnest(new_events) WITH ORDINALITY AS e
    ), fresh AS (
        SELECT DISTINCT ON (g.event_id) g.*
          FROM given AS g
         WHERE g.event_id <> ALL (duplicate_ids)
         ORDER BY g.event_id, g.ord
    ), streams AS (
        SELECT f.stream_id,
               (SELECT coalesce(max(s.stream_version), 0)
                  FROM events AS s WHERE s.stream_id = f.stream_id) AS last_version
          FROM (SELECT DISTINCT fresh.stream_id FROM fresh) AS f
    ), inserted AS (
        INSERT INTO events (position, event_id, stream_id, stream_version, kind,
                            schema_version, reported_on, effective_on, recorded_at,
                            player_id, club_id, from_club_id, source_id, payload, metadata)
        SELECT last_position + row_number() OVER (ORDER BY f.ord),
               f.event_id, f.stream_id,
               s.last_version + row_number() OVER (PARTITION BY f.stream_id ORDER BY f.ord),
               f.kind, f.schema_version, f.reported_on, f.effective_on, recorded,
               f.player_id, f.club_id, f.from_club_id, f.source_id, f.payload, f.metadata
          FROM fresh AS f JOIN streams AS s USING (stream_id)
        RETURNING events.position
    )
    SELECT coalesce(array_agg(i.position ORDER BY i.position), '{{}}') INTO appended
      FROM inserted AS i;

    IF cardinality(appended) > 0 THEN
        last_position := appended[cardinality(appended)];
        UPDATE ledger_head AS head
           SET last_position = appended[cardinality(appended)], last_recorded_at = recorded
         WHERE head.id = 1;
        -- Delivered at commit only, so a listener never hears of a position it cannot read.
        PERFORM pg_notify('rumours_events', last_position::text);
    END IF;
END
$$
"""

FUNCTIONS = ("ledger_lock()", "ledger_append(ledger_new_event[], integer)")
OLD_FUNCTIONS = (
    "ledger_append(jsonb, integer)",
    "ledger_advance_head(bigint, timestamptz)",
    "ledger_lock_head()",
)


def _search_path() -> str:
    """pg_catalog first and pg_temp last, around the schema the tables were made in."""
    schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    return f"pg_catalog, {schema}, pg_temp"


def upgrade() -> None:
    for function in OLD_FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    op.execute(NEW_EVENT)
    search_path = _search_path()
    op.execute(LOCK.format(search_path=search_path))
    op.execute(APPEND.format(search_path=search_path, version_conflict=VERSION_CONFLICT))
    for function in FUNCTIONS:
        # PostgreSQL lets every role execute a new function; only the writer role should.
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")


def _revision_0004() -> ModuleType:
    path = Path(__file__).with_name("0004_ledger_append_function.py")
    spec = importlib.util.spec_from_file_location("revision_0004", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    for function in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
    op.execute("DROP TYPE ledger_new_event")
    _revision_0004().upgrade()
