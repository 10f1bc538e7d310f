"""Projection tables: checkpoints and the bitemporal pursuit/player versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_projection_checkpoints")),
    )
    op.create_table(
        "pursuit_versions",
        sa.Column("player_id", sa.Text, nullable=False),
        sa.Column("club_id", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("known_from", sa.BigInteger, nullable=False),
        sa.Column("known_to", sa.BigInteger),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("since", sa.Date, nullable=False),
        sa.Column("first_reported", sa.Date, nullable=False),
        sa.Column("last_reported", sa.Date, nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("sources", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("latest_fee", postgresql.JSONB),
        sa.Column("bids", sa.Integer, nullable=False),
        sa.Column("re_emerged", sa.Boolean, nullable=False),
        sa.Column("contested", sa.Boolean, nullable=False),
        sa.Column("from_club_id", sa.Text),
        sa.Column("deal", sa.Text),
        sa.PrimaryKeyConstraint(
            "player_id", "club_id", "valid_from", "known_from", name=op.f("pk_pursuit_versions")
        ),
    )
    op.create_index(
        "ix_pursuit_versions_current",
        "pursuit_versions",
        ["player_id", "valid_from"],
        postgresql_where=sa.text("known_to IS NULL"),
    )
    op.create_index(op.f("ix_pursuit_versions_club_id"), "pursuit_versions", ["club_id"])
    op.create_index(op.f("ix_pursuit_versions_from_club_id"), "pursuit_versions", ["from_club_id"])
    op.create_table(
        "player_versions",
        sa.Column("player_id", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("known_from", sa.BigInteger, nullable=False),
        sa.Column("known_to", sa.BigInteger),
        sa.Column("current_club_id", sa.Text),
        sa.Column("release_clause", postgresql.JSONB),
        sa.Column("release_clause_on", sa.Date),
        sa.Column("asking_price", postgresql.JSONB),
        sa.Column("asking_price_on", sa.Date),
        sa.PrimaryKeyConstraint(
            "player_id", "valid_from", "known_from", name=op.f("pk_player_versions")
        ),
    )


def downgrade() -> None:
    op.drop_table("player_versions")
    op.drop_table("pursuit_versions")
    op.drop_table("projection_checkpoints")
