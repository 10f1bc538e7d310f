"""Likelihood books kept by book position: `likelihood_books`.

The boards' likelihood needs every source's record, fitted from the whole ledger up to a book
position (`projections.records.book_position`). That fit was kept in process memory only, so
every CLI process scanned the ledger again (seconds at a million events). Now the first process
that fits a book stores its index here, and every later one reads it in one row: a small JSON
layout and two zlib-compressed arrays of 32-bit integers (`projections.book_store`).

A book is a function of the events up to its position and of the quiet period, and events are
immutable (a retraction is a new event at a later position), so a stored row never goes stale
and a rebuild of the projection leaves it alone. The table starts empty: books are fitted again
on demand.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "likelihood_books",
        sa.Column("book_position", sa.BigInteger, nullable=False),
        sa.Column("quiet_days", sa.Integer, nullable=False),
        sa.Column("layout", JSONB, nullable=False),
        sa.Column("days", sa.LargeBinary, nullable=False),
        sa.Column("hits", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("book_position", "quiet_days"),
    )


def downgrade() -> None:
    op.drop_table("likelihood_books")
