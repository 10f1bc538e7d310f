"""Accept or reject a queued claim, on the caller's connection and in its transaction.

How a decision stays single and final
-------------------------------------
`review_decisions` has the item id as its primary key, so the database, not a read-then-check,
decides which decision comes first. An accept takes the ledger's append lock before anything
else (as every writer does before inserting players), so accepts run one at a time: a second
accept reads the first one's committed decision and reports it. A reject takes no ledger lock;
if one commits between an accept's read and its insert, the accept's insert finds the key taken
and raises, and its transaction (the append included) rolls back.

Accepting appends the claim through the ordinary ingest path: validated, names resolved, the
same deterministic event id as `ingest-articles` gives it. So a claim that reached the ledger
some other way (a later ingest at a lower threshold) is found, not appended twice, and the
decision names that event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa

from ledger.codec import encode
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import source_registry
from ledger.errors import InputError, ReviewDecidedError
from ledger.events import ClaimEvent
from ledger.ingest.claim_input import validate_claim
from ledger.ingest.resolve import ClaimResolver
from ledger.reading import find_event
from ledger.review.items import Decision, ReviewItem, Verdict, find_item
from ledger.store import append_batch, lock_ledger

_RECORD = sa.text(
    "INSERT INTO review_decisions (item_id, decision, reviewer, reason, event_id) "
    "VALUES (:item, :decision, :reviewer, :reason, :event) "
    "ON CONFLICT (item_id) DO NOTHING RETURNING decided_at"
)


def accept(conn: sa.Connection, prefix: str, reviewer: str) -> Decision:
    """Append the item's claim as an ordinary event and record who accepted it."""
    lock_ledger(conn)
    item = find_item(conn, prefix)
    if item.decision is not None:
        return _repeated(conn, item, Verdict.ACCEPTED)
    claim, directory = _resolved(conn, item)
    directory.store_new(conn)
    metadata = {"article_id": item.article_id,
                "review": {"item_id": str(item.item_id), "reviewer": reviewer}}  # fmt: skip
    result = append_batch(conn, [encode(claim, metadata)])
    position = result.positions[0] if result.positions else result.duplicates[claim.event_id]
    decided_at = _record(conn, item, Verdict.ACCEPTED, reviewer, None, claim.event_id)
    if decided_at is None:  # a reject committed after we read the item: nothing may stay appended
        raise _decided_already(find_item(conn, item.item_id.hex), Verdict.ACCEPTED)
    return Decision(item.item_id, Verdict.ACCEPTED, reviewer, None, claim.event_id, position,
                    decided_at, appended=bool(result.positions))  # fmt: skip


def reject(conn: sa.Connection, prefix: str, reviewer: str, reason: str | None) -> Decision:
    """Record that the item's claim stays out of the ledger; rejecting again changes nothing."""
    item = find_item(conn, prefix)
    if item.decision is None:
        decided_at = _record(conn, item, Verdict.REJECTED, reviewer, reason, None)
        if decided_at is not None:
            return Decision(item.item_id, Verdict.REJECTED, reviewer, reason, None, None,
                            decided_at)  # fmt: skip
        item = find_item(conn, item.item_id.hex)  # decided by someone else since we read it
    return _repeated(conn, item, Verdict.REJECTED)


def _record(
    conn: sa.Connection,
    item: ReviewItem,
    verdict: Verdict,
    reviewer: str,
    reason: str | None,
    event_id: UUID | None,
) -> datetime | None:
    row = conn.execute(_RECORD, {"item": item.item_id, "decision": verdict.value,
                                 "reviewer": reviewer, "reason": reason,
                                 "event": event_id}).first()  # fmt: skip
    return None if row is None else row[0]


def _repeated(conn: sa.Connection, item: ReviewItem, wanted: Verdict) -> Decision:
    """The earlier decision when it is the one asked for again; an error when it is the other."""
    decision = item.decision
    assert decision is not None
    if decision.verdict is not wanted:
        raise _decided_already(item, wanted)
    stored = None if decision.event_id is None else find_event(conn, decision.event_id)
    return replace(decision, position=None if stored is None else stored.position, first=False)


def _decided_already(item: ReviewItem, wanted: Verdict) -> ReviewDecidedError:
    decision = item.decision
    assert decision is not None
    verb = "accept" if wanted is Verdict.ACCEPTED else "reject"
    return ReviewDecidedError(
        f"review item {item.short_id} was {decision.verdict.value} by {decision.reviewer} "
        f"on {decision.decided_at:%Y-%m-%d %H:%M}Z; a decision is final, cannot {verb} it now"
    )


def _resolved(conn: sa.Connection, item: ReviewItem) -> tuple[ClaimEvent, PlayerDirectory]:
    """The item's claim checked and resolved exactly as `ingest-articles` does it."""
    checked = validate_claim(item.claim)
    directory = PlayerDirectory.load(conn)
    resolver = ClaimResolver(club_registry(), source_registry(), directory)
    resolved = (
        checked if isinstance(checked, list) else resolver.resolve(checked, item.player_context)
    )
    if isinstance(resolved, list):
        reasons = "; ".join(f"{problem.field}: {problem.reason}" for problem in resolved)
        raise InputError(f"review item {item.short_id} cannot be appended: {reasons}")
    return resolved, directory
