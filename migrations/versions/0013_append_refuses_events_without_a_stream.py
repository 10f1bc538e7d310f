"""`ledger_append` refuses a call with an event that has no stream, before it reserves anything.

Both of its paths join the given events to their streams' last versions with an inner join on
`stream_id`, so an event whose `stream_id` is NULL drops out of the INSERT instead of reaching
the table's NOT NULL constraint. On 0010's fast path its position was already reserved: the head
moved past a position no row holds, a gap that a writer calling the function itself could make
(found while writing 0012, whose staged append checks its row count). On the full path the event
was dropped without a word. The store never sends such an event (`NewEvent.stream_id` is a
string), so this closes a hole for a hostile or broken caller; `ledger_append_one` (0011) and
`ledger_append_staged` (0012) already fail on the constraint.

The check runs first, so the call fails whole with SQLSTATE 23502 (not_null_violation) and
nothing is reserved. Everything else is 0010's function, unchanged (CREATE OR REPLACE keeps the
grants).

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

# Where 0010's function body starts: the check goes before its fast path.
_BODY_START = "BEGIN\n    -- The fast path: every event is new and distinct."
STREAM_REQUIRED = """BEGIN
    IF EXISTS (SELECT FROM unnest(new_events) AS e WHERE e.stream_id IS NULL) THEN
        RAISE EXCEPTION 'an event without a stream_id cannot be appended'
            USING ERRCODE = 'not_null_violation';
    END IF;
    -- The fast path: every event is new and distinct."""


def _revision_0010() -> ModuleType:
    path = Path(__file__).with_name("0010_append_fast_path_for_new_events.py")
    spec = importlib.util.spec_from_file_location("revision_0010", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _append_of_0010(search_path: str) -> str:
    previous = _revision_0010()
    return str(previous.APPEND).format(
        search_path=search_path,
        version_conflict=VERSION_CONFLICT,
        not_at_expected=previous.NOT_AT_EXPECTED,
    )


def _search_path() -> str:
    """pg_catalog first and pg_temp last, around the schema the tables were made in (as 0006)."""
    schema = op.get_bind().exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    return f"pg_catalog, {schema}, pg_temp"


def upgrade() -> None:
    previous = _append_of_0010(_search_path())
    assert previous.count(_BODY_START) == 1, "0010's function body is where this expects it"
    op.execute(previous.replace(_BODY_START, STREAM_REQUIRED))


def downgrade() -> None:
    op.execute(_append_of_0010(_search_path()))
