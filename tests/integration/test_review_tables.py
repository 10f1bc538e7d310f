"""The review queue's tables (migration 0006) keep every queued claim and decision as written."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from ledger.errors import DatabaseError

ITEM = uuid.UUID("5d2f7c1e-8a40-4b6e-9f3a-0c1d2e3f4a5b")


@pytest.fixture
def queued(engine: sa.Engine) -> uuid.UUID:
    """One article and one queued claim from it, rejected, inserted as the owner."""
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO articles (article_id, content_hash, name, published_on, body) "
            "VALUES ('a1', 'h1', 'a.txt', '2025-01-05', 'Wolves are said to like a winger.')"
        ))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO review_items (item_id, article_id, claim, player_context, sentence, "
            "span_start, span_end, confidence, rule) VALUES (:id, 'a1', '{}', '{}', "
            "'Wolves are said to like a winger.', 0, 33, 0.42, 'interest.like')"
        ), {"id": ITEM})  # fmt: skip
        conn.execute(
            sa.text(
                "INSERT INTO review_decisions (item_id, decision, reviewer) "
                "VALUES (:id, 'rejected', 'ana')"
            ),
            {"id": ITEM},
        )
    return ITEM


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE review_items SET confidence = 0.99",
        "DELETE FROM review_items",
        "TRUNCATE review_items CASCADE",
        "UPDATE review_decisions SET decision = 'accepted'",
        "DELETE FROM review_decisions",
        "TRUNCATE review_decisions",
    ],
)
def test_queued_claims_and_decisions_cannot_be_changed_even_by_the_owner(
    engine: sa.Engine, queued: uuid.UUID, statement: str
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(statement))


def test_an_item_takes_one_decision_only(engine: sa.Engine, queued: uuid.UUID) -> None:
    with pytest.raises(DatabaseError, match="pk_review_decisions"), engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO review_decisions (item_id, decision, reviewer) "
                "VALUES (:id, 'rejected', 'ben')"
            ),
            {"id": queued},
        )


def test_an_accepted_decision_must_name_a_ledger_event(
    engine: sa.Engine, queued: uuid.UUID
) -> None:
    other = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO review_items (item_id, article_id, claim, player_context, sentence, "
            "span_start, span_end, confidence, rule) SELECT :other, article_id, claim, "
            "player_context, sentence, span_start, span_end, confidence, rule FROM review_items"
        ), {"other": other})  # fmt: skip
    with pytest.raises(DatabaseError, match="event_iff_accepted"), engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO review_decisions (item_id, decision, reviewer) "
                "VALUES (:id, 'accepted', 'ana')"
            ),
            {"id": other},
        )
