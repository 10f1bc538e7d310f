"""Index player_versions by current club, for the club board's "interest in its players".

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_player_versions_current_club_id"), "player_versions", ["current_club_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_player_versions_current_club_id"), table_name="player_versions")
