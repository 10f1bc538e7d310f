"""Projection tables, added to the ledger's one MetaData so Alembic sees a single schema.

The temporal read model is bitemporal:
- valid time: a row holds from `valid_from` (a reported-on date) until the next row of the same
  pursuit; a board "as of D" takes, per pursuit, the latest row with valid_from <= D;
- transaction time: a row is known from ledger position `known_from` until `known_to` (NULL while
  current). A board "known at P" only looks at rows with known_from <= P < known_to.
So an as-of lookup is an index probe per player, whatever the length of history.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ledger.schema import metadata

checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

pursuit_versions = sa.Table(
    "pursuit_versions",
    metadata,
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
    sa.Column("sources", ARRAY(sa.Text), nullable=False),
    sa.Column("latest_fee", JSONB),
    sa.Column("bids", sa.Integer, nullable=False),
    sa.Column("re_emerged", sa.Boolean, nullable=False),
    sa.Column("contested", sa.Boolean, nullable=False),
    sa.Column("from_club_id", sa.Text),
    sa.Column("deal", sa.Text),
    # How precisely `since` was stated (day, month, year): a year-only fact shows as "2022".
    sa.Column("since_precision", sa.Text, nullable=False, server_default="day"),
    sa.PrimaryKeyConstraint("player_id", "club_id", "valid_from", "known_from"),
    sa.Index(
        "ix_pursuit_versions_current",
        "player_id",
        "valid_from",
        postgresql_where=sa.text("known_to IS NULL"),
    ),
    sa.Index(None, "club_id"),
    sa.Index(None, "from_club_id"),
)

player_versions = sa.Table(
    "player_versions",
    metadata,
    sa.Column("player_id", sa.Text, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("known_from", sa.BigInteger, nullable=False),
    sa.Column("known_to", sa.BigInteger),
    sa.Column("current_club_id", sa.Text),
    sa.Column("release_clause", JSONB),
    sa.Column("release_clause_on", sa.Date),
    sa.Column("asking_price", JSONB),
    sa.Column("asking_price_on", sa.Date),
    sa.PrimaryKeyConstraint("player_id", "valid_from", "known_from"),
    sa.Index(None, "current_club_id"),
)

# Tables a rebuild recreates side by side and swaps in.
VERSIONED_TABLES = ("pursuit_versions", "player_versions")

# Likelihood book indexes by book position (`projections.book_store`): fitted once from the
# events up to that position, then read by every later process instead of scanning the ledger.
likelihood_books = sa.Table(
    "likelihood_books",
    metadata,
    sa.Column("book_position", sa.BigInteger, nullable=False),
    sa.Column("quiet_days", sa.Integer, nullable=False),
    # The index packed (`projections.book_store.PackedIndex`): layout, then three integer arrays.
    sa.Column("layout", JSONB, nullable=False),
    sa.Column("days", sa.LargeBinary, nullable=False),
    sa.Column("hits", sa.LargeBinary, nullable=False),
    sa.Column("counts", sa.LargeBinary, nullable=False),
    # The digest of the rules that fitted it (`projections.book_rules`, migration 0015).
    sa.Column("rules", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("book_position", "quiet_days", "rules"),
)
