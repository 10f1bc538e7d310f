"""The ledger: events, articles, players, the position head, immutability triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Row triggers refuse UPDATE/DELETE, a statement trigger refuses TRUNCATE: this holds for every
# role, the table owner included (only a superuser disabling triggers gets around it).
REFUSE_CHANGE = """
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: % is not allowed (append a retraction instead)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "ledger_head",
        sa.Column("id", sa.SmallInteger, nullable=False),
        sa.Column("last_position", sa.BigInteger, nullable=False),
        sa.Column("last_recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_ledger_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_head")),
    )
    op.execute("INSERT INTO ledger_head (id, last_position, last_recorded_at) VALUES (1, 0, now())")
    op.create_table(
        "events",
        sa.Column("position", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("event_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("stream_id", sa.Text, nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("schema_version", sa.SmallInteger, nullable=False),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("effective_on", sa.Date),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("player_id", sa.Text),
        sa.Column("club_id", sa.Text),
        sa.Column("from_club_id", sa.Text),
        sa.Column("source_id", sa.Text),
        sa.Column("payload", postgresql.JSONB, nullable=False),
        sa.Column("metadata", postgresql.JSONB, nullable=False),
        sa.CheckConstraint("position > 0", name=op.f("ck_events_position_positive")),
        sa.CheckConstraint("stream_version > 0", name=op.f("ck_events_stream_version_positive")),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_events_event_id")),
        sa.UniqueConstraint(
            "stream_id", "stream_version", name=op.f("uq_events_stream_id_stream_version")
        ),
    )
    op.create_index(op.f("ix_events_recorded_at"), "events", ["recorded_at"])
    op.create_index(op.f("ix_events_source_id"), "events", ["source_id"])
    op.create_table(
        "articles",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("published_on", sa.Date, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
    )
    op.create_table(
        "players",
        sa.Column("player_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("player_id", name=op.f("pk_players")),
    )
    op.create_index(op.f("ix_players_name_key"), "players", ["name_key"])
    op.execute(REFUSE_CHANGE)
    for table in ("events", "articles"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
        )


def downgrade() -> None:
    op.drop_table("players")
    op.drop_table("articles")
    op.drop_table("events")
    op.drop_table("ledger_head")
    op.execute("DROP FUNCTION ledger_refuse_change()")
