"""Put extracted claims in the review queue, once each, on the caller's connection.

The claims arrive already validated (`ledger.ingest.articles` checks them before routing). Names
are resolved only when an item is accepted: resolving now could create players for claims a
reviewer then rejects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ledger.review.items import item_id_for

_INSERT = sa.text(
    "INSERT INTO review_items (item_id, article_id, claim, player_context, sentence, span_start, "
    "span_end, confidence, rule) VALUES (:item_id, :article_id, CAST(:claim AS jsonb), "
    ":context, :sentence, :start, :end, :confidence, :rule) "
    "ON CONFLICT (item_id) DO NOTHING RETURNING item_id"
)


@dataclass(frozen=True, slots=True)
class QueueOutcome:
    """How many claims were queued now, and how many an earlier ingest had already queued."""

    new: int = 0
    already: int = 0


def queue_claims(
    conn: sa.Connection,
    article_id: str,
    claims: Sequence[dict[str, Any]],
    player_context: Sequence[str],
    *,
    dry_run: bool = False,
) -> QueueOutcome:
    """Queue each claim of one article unless the same claim of it is queued already."""
    rows = {item_id_for(article_id, claim): claim for claim in claims}
    if not rows:
        return QueueOutcome()
    if dry_run:
        stored = conn.execute(
            sa.text("SELECT count(*) FROM review_items WHERE item_id = ANY(:ids)"),
            {"ids": list(rows)},
        ).scalar_one()
        return QueueOutcome(new=len(rows) - int(stored), already=int(stored))
    new = 0
    for item_id, claim in rows.items():
        inserted = conn.execute(_INSERT, _parameters(item_id, article_id, claim, player_context))
        new += len(inserted.all())
    return QueueOutcome(new=new, already=len(rows) - new)


def _parameters(
    item_id: object, article_id: str, claim: dict[str, Any], player_context: Sequence[str]
) -> dict[str, object]:
    extraction = claim["extraction"]
    start, end = extraction["span"]
    return {"item_id": item_id, "article_id": article_id,
            "claim": json.dumps(claim, ensure_ascii=False, separators=(",", ":")),
            "context": list(player_context), "sentence": extraction["sentence"],
            "start": start, "end": end, "confidence": extraction["confidence"],
            "rule": extraction["rule"]}  # fmt: skip
