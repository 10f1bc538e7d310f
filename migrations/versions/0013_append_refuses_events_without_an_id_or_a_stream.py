"""`ledger_append` refuses a call with an event that has no id or no stream, before it reserves
anything.

Both of 0010's paths join the given events to their streams' last versions with an inner join
on `stream_id`, and the full path keeps the events whose `event_id` is not among the stored
ones (`<> ALL`, which is NULL for a NULL id). So an event without a stream or an id dropped out
of the INSERT instead of reaching the table's NOT NULL constraints:
- on the fast path its position was already reserved: the head moved past a position no row
  holds, a gap that a writer calling the function itself could make (found while writing 0012,
  whose staged append checks its row count);
- on the full path (any id of the call stored already, which is also where
  `ledger_append_staged` hands a batch over) it was dropped without a word: neither appended
  nor reported (found by this round's review).

The store never sends such an event (`NewEvent` has both), so this closes a hole for a hostile
or broken caller. The check runs first, so the call fails whole with SQLSTATE 23502
(not_null_violation) and nothing is reserved. The rest is 0010's function as it was, written out
here in full as a migration's snapshot (CREATE OR REPLACE keeps the grants).
`ledger_append_one` (0011) and `ledger_append_staged`'s own fast path (0012) already fail on the
constraints.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from ledger.store import VERSION_CONFLICT  # the SQLSTATE the store maps to ConcurrencyError

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Raised inside the fast path only, to leave it for the full path; never seen by a caller (0010).
NOT_AT_EXPECTED = "RL100"

APPEND = """
CREATE OR REPLACE FUNCTION ledger_append(
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
    given integer := cardinality(new_events);
    reserved integer;
    recorded timestamptz;
    stream_at integer;
    refused_by text;
BEGIN
    -- Both paths join the events to their streams and filter them by id: an event without
    -- either would drop out of the insert instead of reaching the NOT NULL constraints.
    IF EXISTS (
        SELECT FROM unnest(new_events) AS e WHERE e.event_id IS NULL OR e.stream_id IS NULL
    ) THEN
        RAISE EXCEPTION 'an event without an event_id or a stream_id cannot be appended'
            USING ERRCODE = 'not_null_violation';
    END IF;
    -- The fast path: every event is new and distinct. The unique index on event_id checks it
    -- while inserting; if not, this block rolls back as a whole and the full path below runs.
    BEGIN
        -- The append lock (held to commit, see the full path) and one position per event.
        UPDATE ledger_head AS head
           SET last_position = head.last_position + given,
               last_recorded_at = greatest(clock_timestamp(), head.last_recorded_at)
         WHERE head.id = 1
        RETURNING head.last_position - given, head.last_recorded_at
          INTO last_position, recorded;
        IF expected_version <> -1 THEN
            SELECT coalesce(max(s.stream_version), 0) INTO stream_at
              FROM events AS s WHERE s.stream_id = stream;
            IF stream_at <> expected_version OR EXISTS (
                SELECT FROM unnest(new_events) AS e WHERE e.stream_id IS DISTINCT FROM stream
            ) THEN
                RAISE SQLSTATE '{not_at_expected}';
            END IF;
        END IF;
        WITH numbered AS (
            SELECT e.*, e.ordinality AS ord FROM unnest(new_events) WITH ORDINALITY AS e
        ), streams AS MATERIALIZED (
            -- Once per stream of the call, not once per event (see 0007).
            SELECT f.stream_id,
                   (SELECT coalesce(max(s.stream_version), 0)
                      FROM events AS s WHERE s.stream_id = f.stream_id) AS last_version
              FROM (SELECT DISTINCT numbered.stream_id FROM numbered) AS f
        )
        INSERT INTO events (position, event_id, stream_id, stream_version, kind,
                            schema_version, reported_on, effective_on, recorded_at,
                            player_id, club_id, from_club_id, source_id, payload, metadata)
        SELECT last_position + n.ord, n.event_id, n.stream_id,
               s.last_version + row_number() OVER (PARTITION BY n.stream_id ORDER BY n.ord),
               n.kind, n.schema_version, n.reported_on, n.effective_on, recorded,
               n.player_id, n.club_id, n.from_club_id, n.source_id, n.payload, n.metadata
          FROM numbered AS n JOIN streams AS s USING (stream_id)
         -- Rows stored in position order, so a read in order walks the table forwards.
         ORDER BY n.ord;
        appended := ARRAY(SELECT generate_series(last_position + 1, last_position + given));
        duplicate_ids := '{{}}';
        duplicate_positions := '{{}}';
        last_position := last_position + given;
        IF given > 0 THEN
            -- Delivered at commit only, so a listener never hears of a position it cannot read.
            PERFORM pg_notify('rumours_events', last_position::text);
        END IF;
        RETURN;
    EXCEPTION
        WHEN unique_violation THEN
            GET STACKED DIAGNOSTICS refused_by = CONSTRAINT_NAME;
            IF refused_by IS DISTINCT FROM 'uq_events_event_id' THEN
                RAISE;
            END IF;
        WHEN SQLSTATE '{not_at_expected}' THEN
            NULL;
    END;

    -- The full path (0007's): some events are stored already or repeated in the call, or the
    -- stream is not at the expected version.
    reserved := (SELECT count(DISTINCT e.event_id) FROM unnest(new_events) AS e);
    -- The append lock: this row lock is held to commit, so the next writer gets its positions
    -- only after this one has committed (commit order), and a rollback also rolls the head back
    -- (no gaps). recorded_at never goes backwards along positions, even if the clock does.
    -- A position is reserved for every distinct event id; unused ones are given back below.
    UPDATE ledger_head AS head
       SET last_position = head.last_position + reserved,
           last_recorded_at = greatest(clock_timestamp(), head.last_recorded_at)
     WHERE head.id = 1
    RETURNING head.last_position - reserved, head.last_recorded_at
      INTO last_position, recorded;
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
    ), streams AS MATERIALIZED (
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
        PERFORM pg_notify('rumours_events', last_position::text);
    END IF;
    IF cardinality(appended) < reserved THEN
        -- Some events were stored already: the head gives back the positions they did not use.
        UPDATE ledger_head AS head SET last_position = ledger_append.last_position
         WHERE head.id = 1;
    END IF;
END
$$
"""


def _search_path() -> str:
    """pg_catalog first and pg_temp last, around the schema the tables were made in (as 0006)."""
    schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    return f"pg_catalog, {schema}, pg_temp"


def _revision_0010() -> ModuleType:
    path = Path(__file__).with_name("0010_append_fast_path_for_new_events.py")
    spec = importlib.util.spec_from_file_location("revision_0010", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.execute(
        APPEND.format(
            search_path=_search_path(),
            version_conflict=VERSION_CONFLICT,
            not_at_expected=NOT_AT_EXPECTED,
        )
    )


def downgrade() -> None:
    previous = _revision_0010()
    op.execute(
        previous.APPEND.format(
            search_path=_search_path(),
            version_conflict=VERSION_CONFLICT,
            not_at_expected=previous.NOT_AT_EXPECTED,
        )
    )
