"""The review queue: extracted claims too unsure for the ledger, and the decisions taken on them.

Two append-only tables. `review_items` holds each queued claim once, exactly as the article ingest
would have appended it, with the sentence, span, confidence and rule it came from.
`review_decisions` holds at most one decision per item (its primary key is the item id), so a
decision is taken once and never rewritten: a second accept finds the first, and an accept after
a reject is refused by the constraint, not by a read-then-check. An accepted decision names the
ledger event it appended (or found already appended).

Like `events`, neither table can be updated, deleted from or truncated, by any role. They hold
no foreign key to `events` or `articles`: one would change how those tables refuse a TRUNCATE
(PostgreSQL checks references before the append-only trigger), and the ledger's own tables
should not depend on the queue. The code that writes both ids takes them from the rows it read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFUSE_CHANGE = """
CREATE FUNCTION review_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: % is not allowed (a review decision is final)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""
TABLES = ("review_items", "review_decisions")


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("item_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim", postgresql.JSONB, nullable=False),
        sa.Column("player_context", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column(
            "queued_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "0 <= span_start AND span_start <= span_end", name=op.f("ck_review_items_span_order")
        ),
        sa.CheckConstraint(
            "confidence BETWEEN 0 AND 1", name=op.f("ck_review_items_confidence_range")
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_review_items")),
    )
    op.create_table(
        "review_decisions",
        sa.Column("item_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("event_id", postgresql.UUID(as_uuid=True)),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "decision IN ('accepted', 'rejected')", name=op.f("ck_review_decisions_known_decision")
        ),
        sa.CheckConstraint(
            "(decision = 'accepted') = (event_id IS NOT NULL)",
            name=op.f("ck_review_decisions_event_iff_accepted"),
        ),
        sa.CheckConstraint("reviewer <> ''", name=op.f("ck_review_decisions_reviewer_named")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["review_items.item_id"],
            name=op.f("fk_review_decisions_item_id_review_items"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_review_decisions")),
    )
    op.execute(REFUSE_CHANGE)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION review_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION review_refuse_change()"
        )


def downgrade() -> None:
    op.drop_table("review_decisions")
    op.drop_table("review_items")
    op.execute("DROP FUNCTION review_refuse_change()")
