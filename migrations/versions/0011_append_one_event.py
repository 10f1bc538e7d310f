"""`ledger_append_one`: the append of a single event, without the batch function's machinery.

A single append (a retraction, a claim from the web API, a caller appending claim by claim) is
its own transaction, and most of its time is the commit. Of the rest, `ledger_append` spends on
one event what it needs for thousands: a subtransaction for its fast path, the event passed as
a JSON record set and unnested, a window function to number it, arrays built for its result.
Measured in a `DO` loop (docs/benchmarks.md, round 5) that was 85-130 µs of server CPU per call
against 15-20 µs for a plain INSERT.

This function does the same for exactly one event, in straight-line statements:
- the append lock and one position, by the same `UPDATE ledger_head … RETURNING` as 0010;
- the stream's last version (one backward probe of the `(stream_id, stream_version)` index);
- the INSERT with `ON CONFLICT (event_id) DO NOTHING`: an event stored already is not inserted
  (no subtransaction: the unique index's speculative insertion decides it), its position is
  given back to the head and its original position reported, as `ledger_append` does;
- with an expected version, a stream not at it is a conflict unless the event is stored
  already (a harmless repeat), the rule of 0007's full path;
- the notification, delivered at commit.

The `(stream_id, stream_version)` constraint still backs up the version check, and its
violation is raised as before. Same result columns as `ledger_append`, SECURITY DEFINER with
the same fixed `search_path`; EXECUTE is revoked from PUBLIC and granted to exactly the roles
that may execute `ledger_append` (so a writer role made before this migration keeps appending).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from ledger.store import VERSION_CONFLICT  # the SQLSTATE the store maps to ConcurrencyError

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SIGNATURE = "ledger_append_one(ledger_new_event, integer)"

APPEND_ONE = """
CREATE FUNCTION ledger_append_one(
    new_event ledger_new_event,
    expected_version integer DEFAULT -1,
    OUT appended bigint[],
    OUT duplicate_ids uuid[],
    OUT duplicate_positions bigint[],
    OUT last_position bigint
) LANGUAGE plpgsql SECURITY DEFINER SET search_path = {search_path} AS $$
-- expected_version: -1 appends at the end of the event's stream; 0 or more requires the
-- stream to be at that version.
DECLARE
    reserved bigint;
    recorded timestamptz;
    stream_at integer;
    stored bigint;
BEGIN
    -- The append lock, held to commit (see 0007), and the one position this event may take.
    UPDATE ledger_head AS head
       SET last_position = head.last_position + 1,
           last_recorded_at = greatest(clock_timestamp(), head.last_recorded_at)
     WHERE head.id = 1
    RETURNING head.last_position, head.last_recorded_at INTO reserved, recorded;
    SELECT coalesce(max(s.stream_version), 0) INTO stream_at
      FROM events AS s WHERE s.stream_id = new_event.stream_id;
    IF expected_version <> -1 AND stream_at <> expected_version THEN
        SELECT s.position INTO stored FROM events AS s WHERE s.event_id = new_event.event_id;
        IF stored IS NULL THEN
            RAISE EXCEPTION 'stream % is at version %, not at the expected %',
                new_event.stream_id, stream_at, expected_version
                USING ERRCODE = '{version_conflict}';
        END IF;
    ELSE
        INSERT INTO events (position, event_id, stream_id, stream_version, kind,
                            schema_version, reported_on, effective_on, recorded_at,
                            player_id, club_id, from_club_id, source_id, payload, metadata)
        VALUES (reserved, new_event.event_id, new_event.stream_id, stream_at + 1,
                new_event.kind, new_event.schema_version, new_event.reported_on,
                new_event.effective_on, recorded, new_event.player_id, new_event.club_id,
                new_event.from_club_id, new_event.source_id, new_event.payload,
                new_event.metadata)
        ON CONFLICT (event_id) DO NOTHING;
        IF FOUND THEN
            appended := ARRAY[reserved];
            duplicate_ids := '{{}}';
            duplicate_positions := '{{}}';
            last_position := reserved;
            -- Delivered at commit only, so a listener never hears of a position it cannot read.
            PERFORM pg_notify('rumours_events', reserved::text);
            RETURN;
        END IF;
        SELECT s.position INTO stored FROM events AS s WHERE s.event_id = new_event.event_id;
    END IF;
    -- Stored already: the head gives the position back, the original position is reported.
    UPDATE ledger_head AS head SET last_position = reserved - 1 WHERE head.id = 1;
    appended := '{{}}';
    duplicate_ids := ARRAY[new_event.event_id];
    duplicate_positions := ARRAY[stored];
    last_position := reserved - 1;
END
$$
"""

# Roles that may execute `ledger_append` (the writer roles) get the new function too.
GRANT_TO_APPENDERS = """
DO $$
DECLARE
    appender name;
BEGIN
    FOR appender IN
        SELECT DISTINCT grantee FROM information_schema.routine_privileges
         WHERE routine_schema = current_schema() AND routine_name = 'ledger_append'
           AND privilege_type = 'EXECUTE' AND grantee <> 'PUBLIC'
           AND grantee <> (SELECT pg_get_userbyid(proowner) FROM pg_proc
                            WHERE oid = 'ledger_append(ledger_new_event[], integer)'::regprocedure)
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION {signature} TO %I', appender);
    END LOOP;
END
$$
"""


def _search_path() -> str:
    """pg_catalog first and pg_temp last, around the schema the tables were made in (as 0006)."""
    schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    return f"pg_catalog, {schema}, pg_temp"


def upgrade() -> None:
    op.execute(APPEND_ONE.format(search_path=_search_path(), version_conflict=VERSION_CONFLICT))
    # PostgreSQL lets every role execute a new function; only the writer roles should.
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(GRANT_TO_APPENDERS.format(signature=SIGNATURE))


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
