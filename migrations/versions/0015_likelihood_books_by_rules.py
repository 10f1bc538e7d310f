"""Likelihood books record the rules they were fitted by: `likelihood_books.rules`.

A stored book is a function of the events up to its position, of the quiet period and of the
rules of the release that fitted it (the fold, the track record, the source list; their digest
is `projections.book_rules.book_rules`). Until now nothing recorded the rules, so a new release
read the books of the last one as its own, and grew new books from them, mixing two sets of
rules. The digest joins the key: a process reads, and grows from, only the books of its rules,
and books of two releases can sit side by side while both serve.

Books stored before record no rules. They are a cache of a function of the ledger, so they are
deleted, not guessed at: the next board read, `rumours project` or the follower fits them again.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM likelihood_books")
    op.add_column("likelihood_books", sa.Column("rules", sa.Text, nullable=False))
    op.drop_constraint("pk_likelihood_books", "likelihood_books", type_="primary")
    op.create_primary_key(
        "pk_likelihood_books", "likelihood_books", ["book_position", "quiet_days", "rules"]
    )


def downgrade() -> None:
    op.execute("DELETE FROM likelihood_books")
    op.drop_constraint("pk_likelihood_books", "likelihood_books", type_="primary")
    op.drop_column("likelihood_books", "rules")
    op.create_primary_key(
        "pk_likelihood_books", "likelihood_books", ["book_position", "quiet_days"]
    )
