"""The only `MetaData` of the project. Projections add their tables to it (projections.schema).

The schema itself is made only by the Alembic migrations in `migrations/`; a drift test checks
that these table definitions and the migrations agree.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# One row: the last position handed out. Writers lock it for the length of their transaction;
# see ledger.store for why that is how positions stay gap-free and in commit order.
ledger_head = sa.Table(
    "ledger_head",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("last_position", sa.BigInteger, nullable=False),
    sa.Column("last_recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("id = 1", name="single_row"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
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
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("metadata", JSONB, nullable=False),
    sa.UniqueConstraint("stream_id", "stream_version"),
    sa.CheckConstraint("position > 0", name="position_positive"),
    sa.CheckConstraint("stream_version > 0", name="stream_version_positive"),
    # No index on recorded_at or source_id: no query needs one (migration 0007 says why).
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("article_id", sa.Text, primary_key=True),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("published_on", sa.Date, nullable=False),
    sa.Column("publisher", sa.Text),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

# Players are created on first mention; rows are only ever added.
players = sa.Table(
    "players",
    metadata,
    sa.Column("player_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Index(None, "name_key"),
)

# The review queue (migration 0006): claims too unsure for the ledger wait here for a person.
# Both tables are append-only; an item has at most one decision (its primary key), so a decision
# is never rewritten and a second one is refused by the database, not by a read-then-check.
review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("item_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("article_id", sa.Text, nullable=False),
    sa.Column("claim", JSONB, nullable=False),  # the SPEC §4.1 claim the ingest would append
    sa.Column("player_context", ARRAY(sa.Text), nullable=False),  # full names a surname may mean
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column(
        "queued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.CheckConstraint("0 <= span_start AND span_start <= span_end", name="span_order"),
    sa.CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence_range"),
)

review_decisions = sa.Table(
    "review_decisions",
    metadata,
    sa.Column(
        "item_id", UUID(as_uuid=True), sa.ForeignKey("review_items.item_id"), primary_key=True
    ),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("event_id", UUID(as_uuid=True)),  # no foreign key: see migration 0006
    sa.Column(
        "decided_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.CheckConstraint("decision IN ('accepted', 'rejected')", name="known_decision"),
    sa.CheckConstraint(
        "(decision = 'accepted') = (event_id IS NOT NULL)", name="event_iff_accepted"
    ),
    sa.CheckConstraint("reviewer <> ''", name="reviewer_named"),
)

IMMUTABLE_TABLES = ("events", "articles", "review_items", "review_decisions")
