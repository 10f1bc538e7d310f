"""What the review queue holds: queued claims, the decisions on them, and how both are read.

An item's id is a UUIDv5 of its article and its claim without the extraction details, so the
same claim read again from the same article (a re-ingest, or a newer extractor scoring it with
another confidence) is the same item and is queued once.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from ledger.errors import UnknownReviewItemError

REVIEW_NAMESPACE = uuid.UUID("a3c54e0b-7f21-4d8e-b6a9-1e2f3d4c5b6a")
SHORT_ID_LENGTH = 8
MIN_PREFIX_LENGTH = 4  # shorter prefixes match too much to be typed on purpose
_HEX = re.compile(r"[0-9a-f]+")


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision on one item. `event_id`/`position`: the ledger event an accept appended or found.

    `first` is False when this call found the decision already taken (an idempotent repeat);
    `appended` is True when this call wrote the event (False: the ledger held it already).
    """

    item_id: uuid.UUID
    verdict: Verdict
    reviewer: str
    reason: str | None
    event_id: uuid.UUID | None
    position: int | None
    decided_at: datetime
    first: bool = True
    appended: bool = False

    def as_json(self) -> dict[str, object]:
        return {"item": str(self.item_id), "decision": self.verdict.value,
                "reviewer": self.reviewer, "reason": self.reason,
                "event_id": None if self.event_id is None else str(self.event_id),
                "position": self.position, "decided_at": self.decided_at.isoformat(),
                "first": self.first, "appended": self.appended}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A queued claim: the SPEC §4.1 claim as ingest would append it, and where it came from."""

    item_id: uuid.UUID
    article_id: str
    claim: dict[str, Any]
    player_context: tuple[str, ...]
    sentence: str
    span: tuple[int, int]
    confidence: float
    rule: str
    queued_at: datetime
    decision: Decision | None

    @property
    def short_id(self) -> str:
        return self.item_id.hex[:SHORT_ID_LENGTH]

    def as_json(self) -> dict[str, object]:
        return {"item": str(self.item_id), "short_id": self.short_id,
                "article_id": self.article_id, "claim": self.claim, "sentence": self.sentence,
                "span": list(self.span), "confidence": self.confidence, "rule": self.rule,
                "queued_at": self.queued_at.isoformat(),
                "decision": None if self.decision is None else self.decision.as_json()}  # fmt: skip


def item_id_for(article_id: str, claim: dict[str, Any]) -> uuid.UUID:
    """The same claim of the same article is the same item, whatever its extraction details."""
    content = {key: value for key, value in claim.items() if key != "extraction"}
    text = json.dumps([article_id, content], sort_keys=True, default=str, separators=(",", ":"))
    return uuid.uuid5(REVIEW_NAMESPACE, text)


# Listing reads no ledger table (the reader role may list the queue but not read events), so a
# decision read here carries its event id but no position.
_SELECT = """
SELECT i.item_id, i.article_id, i.claim, i.player_context, i.sentence, i.span_start, i.span_end,
       i.confidence, i.rule, i.queued_at,
       d.decision, d.reviewer, d.reason, d.event_id, d.decided_at
  FROM review_items AS i
  LEFT JOIN review_decisions AS d ON d.item_id = i.item_id
"""
_ORDER = " ORDER BY i.queued_at, i.article_id, i.span_start, i.item_id"


def read_items(conn: sa.Connection, *, include_decided: bool = False) -> list[ReviewItem]:
    """Queued items in the order they were queued (and, within an article, of the text)."""
    where = "" if include_decided else " WHERE d.item_id IS NULL"
    return [_item(row) for row in conn.execute(sa.text(_SELECT + where + _ORDER))]


def find_item(conn: sa.Connection, prefix: str) -> ReviewItem:
    """The one item whose id starts with `prefix` (dashes and case ignored)."""
    wanted = prefix.strip().lower().replace("-", "")
    if not _HEX.fullmatch(wanted) or len(wanted) < MIN_PREFIX_LENGTH:
        raise UnknownReviewItemError(
            f"review item {prefix[:40]!r}: give at least {MIN_PREFIX_LENGTH} hex digits of its id "
            "(see `rumours review`)"
        )
    rows = conn.execute(
        sa.text(_SELECT + " WHERE replace(i.item_id::text, '-', '') LIKE :p" + _ORDER + " LIMIT 2"),
        {"p": wanted + "%"},
    ).all()
    if not rows:
        raise UnknownReviewItemError(f"no review item {wanted!r} (see `rumours review --all`)")
    if len(rows) > 1:
        raise UnknownReviewItemError(f"review item {wanted!r} is ambiguous: give more of its id")
    return _item(rows[0])


def _item(row: Sequence[Any]) -> ReviewItem:
    (item_id, article_id, claim, context, sentence, start, end, confidence, rule, queued_at,
     verdict, reviewer, reason, event_id, decided_at) = row  # fmt: skip
    decision = None
    if verdict is not None:
        decision = Decision(item_id, Verdict(verdict), reviewer, reason, event_id, None, decided_at)
    return ReviewItem(item_id, article_id, claim, tuple(context), sentence, (start, end),
                      confidence, rule, queued_at, decision)  # fmt: skip
