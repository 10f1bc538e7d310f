"""Append in one statement: `ledger_append(events, expected_version)` and the head helpers.

A single append used to cost about nine round trips (BEGIN, lock the head, look up stored ids,
read the stream version, INSERT, advance the head, notify, COMMIT). `ledger_append` does all of
it on the server, so in autocommit one append is one round trip and its own transaction.

The rules (SPEC §7) and where they live:
- lock the head row, take positions and `recorded_at` from it: `ledger_lock_head()`;
- write the new head back and notify listeners: `ledger_advance_head()`;
  both are called by `ledger_append` and by the COPY path of `ledger.store`, so the lock, the
  clock rule and the notification channel are defined only here;
- skip stored event_ids (and repeats within one call), check the expected stream version, give
  positions and stream versions: `ledger_append` for appends below `ledger.store.COPY_THRESHOLD`
  events, `ledger.store._append_by_copy` for larger batches (it needs the rows on the client to
  stream them with COPY).

The functions run with the caller's privileges (SECURITY INVOKER): a role still needs INSERT on
`events` and UPDATE on `ledger_head` to append. EXECUTE is taken from PUBLIC and given to the
writer role by `rumours db roles` (ledger.db_roles).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from ledger.store import VERSION_CONFLICT  # the SQLSTATE the store maps to ConcurrencyError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Raised by ledger_append when the stream is not at the expected version; ledger.store maps it to
# ConcurrencyError. Class "RL" is not used by PostgreSQL, so the code cannot mean anything else.

LOCK_HEAD = """
CREATE FUNCTION ledger_lock_head(OUT last_position bigint, OUT recorded_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    -- The row lock is held to commit: the next writer gets its positions only after this one
    -- has committed (commit order), and a rollback also rolls the head back (no gaps).
    -- recorded_at never goes backwards along positions, even if the clock does.
    SELECT head.last_position, greatest(clock_timestamp(), head.last_recorded_at)
      INTO last_position, recorded_at
      FROM ledger_head AS head
     WHERE head.id = 1
       FOR UPDATE;
END
$$
"""

ADVANCE_HEAD = """
CREATE FUNCTION ledger_advance_head(new_last_position bigint, new_recorded_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_head
       SET last_position = new_last_position, last_recorded_at = new_recorded_at
     WHERE id = 1;
    -- Delivered at commit only, so a listener never hears of a position it cannot read yet.
    PERFORM pg_notify('rumours_events', new_last_position::text);
END
$$
"""

APPEND = f"""
CREATE FUNCTION ledger_append(
    new_events jsonb,
    expected_version integer DEFAULT -1,
    OUT appended bigint[],
    OUT duplicate_ids uuid[],
    OUT duplicate_positions bigint[],
    OUT last_position bigint
) LANGUAGE plpgsql AS $$
-- new_events: a JSON array of objects keyed by `events` column names (position, stream_version
-- and recorded_at are given here). expected_version: -1 appends each event at the end of its
-- stream; 0 or more requires every event to be of one stream that is at that version.
DECLARE
    stream text := new_events -> 0 ->> 'stream_id';
    e events;
    recorded timestamptz;
    first_position bigint;
    stored bigint;
    version integer;
BEGIN
    SELECT head.last_position, head.recorded_at INTO last_position, recorded
      FROM ledger_lock_head() AS head;
    first_position := last_position + 1;
    appended := '{{}}';
    duplicate_ids := '{{}}';
    duplicate_positions := '{{}}';
    -- One event at a time, in the given order. Each statement takes a new snapshot, so it sees
    -- what the writer before us committed while we waited for the lock, and our own inserts.
    FOR e IN SELECT * FROM jsonb_populate_recordset(NULL::events, new_events) LOOP
        IF expected_version <> -1 AND e.stream_id IS DISTINCT FROM stream THEN
            RAISE EXCEPTION 'an expected version applies to the events of one stream'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- Idempotency: a stored event_id is skipped and reported with its original position;
        -- a repeat of an event appended earlier in this call is skipped (the first one wins).
        SELECT s.position INTO stored FROM events AS s WHERE s.event_id = e.event_id;
        IF FOUND THEN
            IF stored < first_position AND e.event_id <> ALL (duplicate_ids) THEN
                duplicate_ids := duplicate_ids || e.event_id;
                duplicate_positions := duplicate_positions || stored;
            END IF;
            CONTINUE;
        END IF;
        SELECT coalesce(max(s.stream_version), 0) + 1 INTO version
          FROM events AS s WHERE s.stream_id = e.stream_id;
        -- Checked under the head lock, so no other writer can move the stream before we commit;
        -- the unique (stream_id, stream_version) constraint backs it up. Only the first new
        -- event is checked: the ones after it follow it in the same stream.
        IF expected_version <> -1 AND appended = '{{}}' AND version <> expected_version + 1 THEN
            RAISE EXCEPTION 'stream % is at version %, not at the expected %',
                stream, version - 1, expected_version
                USING ERRCODE = '{VERSION_CONFLICT}';
        END IF;
        last_position := last_position + 1;
        INSERT INTO events (position, event_id, stream_id, stream_version, kind, schema_version,
                            reported_on, effective_on, recorded_at, player_id, club_id,
                            from_club_id, source_id, payload, metadata)
        VALUES (last_position, e.event_id, e.stream_id, version, e.kind, e.schema_version,
                e.reported_on, e.effective_on, recorded, e.player_id, e.club_id,
                e.from_club_id, e.source_id, e.payload, e.metadata);
        appended := appended || last_position;
    END LOOP;
    IF appended <> '{{}}' THEN
        PERFORM ledger_advance_head(last_position, recorded);
    END IF;
END
$$
"""

FUNCTIONS = (
    "ledger_lock_head()",
    "ledger_advance_head(bigint, timestamptz)",
    "ledger_append(jsonb, integer)",
)


def upgrade() -> None:
    for definition in (LOCK_HEAD, ADVANCE_HEAD, APPEND):
        op.execute(definition)
    for function in FUNCTIONS:
        # PostgreSQL lets every role execute a new function; only the writer role should.
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")


def downgrade() -> None:
    for function in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
