"""A bulk batch is appended from a staged table, not unnested from an array of composites.

`ledger_append` (0006, 0007, 0010) takes its events as one `ledger_new_event[]`. A bulk ingest
builds that array from rows it has just COPYed into a temporary table, and the function unnests
it again: timed on 5,000-event batches (docs/benchmarks.md, round 6) the call cost 9.25 µs per
event where a plain indexed `INSERT … SELECT` of the same rows cost 4.2. Now a bulk writer
stages its rows and calls `ledger_append_staged()`, which inserts them with one
`INSERT … SELECT … FROM` the staged table, numbered in the staged order.

Two SECURITY DEFINER functions with 0006's fixed `search_path` (pg_temp last), EXECUTE revoked
from PUBLIC and granted to exactly the roles that may execute `ledger_append` (0011's way, so a
writer role made before this migration keeps ingesting):
- `ledger_stage_bulk()` makes the session's staging table `pg_temp.ledger_bulk_staged` (owned by
  the schema's owner, INSERT granted to the session's roles) if it is missing, and empties it;
- `ledger_append_staged()` appends every staged row, under every rule of `ledger_append`.

What a writer controls, and why it cannot misuse it: only the staged rows. The table is the
owner's, so the writer cannot add a trigger, an index, a rule or a row policy to it (each would
run the writer's code with the owner's rights inside the function), and both functions refuse a
`ledger_bulk_staged` that is anything but the owner's plain table (a writer's own temporary
table or view of that name, made first). A staged row carries what a `ledger_new_event` carries
and nothing more: positions, stream versions and `recorded_at` are still given by the function,
`ord` only orders the rows (they are numbered 1..n whatever its values), and a row the events
table refuses (a NULL column, a repeated version) fails the whole call.

The rules of 0006/0007/0010 all hold: the head row is locked by the first `UPDATE` and held to
commit, positions are gap-free and in commit order, each stream's versions follow its last
stored one, the notification goes out at commit. The fast path is 0010's: every staged event new
and distinct, checked by the unique index on `event_id`. When that index refuses (a re-ingest,
an id repeated in the batch) the subtransaction rolls back and the staged rows are handed, in
their order, to `ledger_append` itself, so duplicates are skipped and reported exactly as there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The staged columns after `ord`: `ledger_new_event`'s fields (0006), in its order.
NEW_EVENT_FIELDS = ("event_id, stream_id, kind, schema_version, reported_on, effective_on, "
                    "player_id, club_id, from_club_id, source_id, payload, metadata")  # fmt: skip

# Raised when `pg_temp.ledger_bulk_staged` is not the owner's plain table.
CHECK_STAGING = """
    IF NOT EXISTS (
        SELECT FROM pg_class AS c
         WHERE c.oid = to_regclass('pg_temp.ledger_bulk_staged')
           AND c.relkind = 'r' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    ) THEN
        RAISE EXCEPTION 'pg_temp.ledger_bulk_staged is not the staging table of ledger_stage_bulk()'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
"""

STAGE = """
CREATE FUNCTION ledger_stage_bulk() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {search_path} AS $$
BEGIN
    IF to_regclass('pg_temp.ledger_bulk_staged') IS NULL THEN
        CREATE TEMP TABLE ledger_bulk_staged (
            ord integer NOT NULL,
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
        ) ON COMMIT DELETE ROWS;
        -- A temporary table is reachable from this session only, so PUBLIC here means the
        -- roles of the session that called: the writer COPYs its rows in.
        GRANT INSERT ON pg_temp.ledger_bulk_staged TO PUBLIC;
    END IF;
{check_staging}
    TRUNCATE pg_temp.ledger_bulk_staged;
END
$$
"""

APPEND_STAGED = """
CREATE FUNCTION ledger_append_staged(
    OUT appended integer,
    OUT duplicate_ids uuid[],
    OUT duplicate_positions bigint[],
    OUT last_position bigint
) LANGUAGE plpgsql SECURITY DEFINER SET search_path = {search_path} AS $$
DECLARE
    given integer;
    stored integer;
    recorded timestamptz;
    refused_by text;
BEGIN
{check_staging}
    given := (SELECT count(*) FROM pg_temp.ledger_bulk_staged);
    -- The fast path (0010's): every staged event is new and distinct, which the unique index
    -- on event_id checks while inserting; if not, this block rolls back as a whole.
    BEGIN
        -- The append lock, held to commit (0006), and one position per staged event.
        UPDATE ledger_head AS head
           SET last_position = head.last_position + given,
               last_recorded_at = greatest(clock_timestamp(), head.last_recorded_at)
         WHERE head.id = 1
        RETURNING head.last_position - given, head.last_recorded_at
          INTO last_position, recorded;
        WITH numbered AS MATERIALIZED (
            -- Numbered here, 1..given: ord only says the order.
            SELECT s.*, row_number() OVER (ORDER BY s.ord) AS n
              FROM pg_temp.ledger_bulk_staged AS s
        ), streams AS MATERIALIZED (
            -- Once per stream of the batch, not once per event (see 0007).
            SELECT f.stream_id,
                   (SELECT coalesce(max(e.stream_version), 0)
                      FROM events AS e WHERE e.stream_id = f.stream_id) AS last_version
              FROM (SELECT DISTINCT numbered.stream_id FROM numbered) AS f
        )
        INSERT INTO events (position, event_id, stream_id, stream_version, kind,
                            schema_version, reported_on, effective_on, recorded_at,
                            player_id, club_id, from_club_id, source_id, payload, metadata)
        SELECT last_position + n.n, n.event_id, n.stream_id,
               s.last_version + row_number() OVER (PARTITION BY n.stream_id ORDER BY n.n),
               n.kind, n.schema_version, n.reported_on, n.effective_on, recorded,
               n.player_id, n.club_id, n.from_club_id, n.source_id, n.payload, n.metadata
          -- A LEFT JOIN: a row without a stream reaches the NOT NULL constraints instead of
          -- silently leaving its reserved position empty.
          FROM numbered AS n LEFT JOIN streams AS s ON s.stream_id = n.stream_id
         ORDER BY n.n;
        GET DIAGNOSTICS stored = ROW_COUNT;
        IF stored <> given THEN
            RAISE EXCEPTION 'staged % events but stored %', given, stored;
        END IF;
        appended := given;
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
    END;
    -- Some events are stored already or repeated: ledger_append's full rules, in staged order.
    SELECT cardinality(a.appended), a.duplicate_ids, a.duplicate_positions, a.last_position
      INTO appended, duplicate_ids, duplicate_positions, last_position
      FROM ledger_append(
               ARRAY(SELECT CAST(ROW({fields}) AS ledger_new_event)
                       FROM pg_temp.ledger_bulk_staged ORDER BY ord),
               -1) AS a;
END
$$
"""

FUNCTIONS = ("ledger_stage_bulk()", "ledger_append_staged()")


def _search_path() -> str:
    """pg_catalog first and pg_temp last, around the schema the tables were made in (as 0006)."""
    schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    return f"pg_catalog, {schema}, pg_temp"


def _revision_0011() -> ModuleType:
    path = Path(__file__).with_name("0011_append_one_event.py")
    spec = importlib.util.spec_from_file_location("revision_0011", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    search_path = _search_path()
    op.execute(STAGE.format(search_path=search_path, check_staging=CHECK_STAGING))
    op.execute(
        APPEND_STAGED.format(
            search_path=search_path, check_staging=CHECK_STAGING, fields=NEW_EVENT_FIELDS
        )
    )
    grant_to_appenders = _revision_0011().GRANT_TO_APPENDERS
    for function in FUNCTIONS:
        # PostgreSQL lets every role execute a new function; only the writer roles should.
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(grant_to_appenders.format(signature=function))


def downgrade() -> None:
    for function in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
