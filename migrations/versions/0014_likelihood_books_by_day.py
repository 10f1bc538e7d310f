"""Likelihood books stored one entry per distinct day: `likelihood_books.counts`.

A stored book index held, for each run (a stage's own, or a source's at a stage), one day and one
running hit count per resolved prediction, so a book grew with the ledger: at 1M events a board
read spent about 0.2 s of CPU unpacking it, and at 10M it would be ten times that in every new
process. A run now holds each distinct day once, with the running counts of hits and of endings
known before it (`projections.likelihood`), so its size is bounded by the days the ledger spans.
The new column holds the running ending counts.

Books stored before have no counts. They are a cache of a function of the ledger, so they are
deleted, not converted: the next board read, `rumours project` or the follower fits them again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM likelihood_books")
    op.add_column("likelihood_books", sa.Column("counts", sa.LargeBinary, nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM likelihood_books")
    op.drop_column("likelihood_books", "counts")
