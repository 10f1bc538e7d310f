"""How precisely a pursuit's `since` was stated: `pursuit_versions.since_precision`.

A fact restated as background ("signed by Gladbach from City in 2022") carries a year-only date,
stored as 2022-01-01 with the precision `year` in the event (schema version 3). The boards showed
that stored day as if it had been stated. The projection now keeps the precision of the claim
that began each status (`day`, `month` or `year`), and the boards show "2022" or "2022-07".

Existing rows get `day`, which is right for every claim stated to the day. A ledger that holds a
month- or year-only date is projected again from the start: its rows and checkpoint are cleared,
and the next command's catch-up refolds every event (the projection is derived; nothing of the
ledger changes). `rumours project --rebuild` does the same at once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "pursuit_versions",
        sa.Column("since_precision", sa.Text, nullable=False, server_default="day"),
    )
    op.execute(
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM events
                       WHERE payload->>'effective_precision' IN ('month', 'year')) THEN
                DELETE FROM pursuit_versions;
                DELETE FROM player_versions;
                DELETE FROM projection_checkpoints WHERE name = 'boards';
            END IF;
        END $$
        """
    )


def downgrade() -> None:
    op.drop_column("pursuit_versions", "since_precision")
