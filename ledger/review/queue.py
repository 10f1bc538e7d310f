"""`ReviewQueue`: the Python API of the review queue; `rumours review` is a thin layer over it.

    queue = ReviewQueue(engine)
    for item in queue.pending():
        print(item.short_id, item.claim["kind"], item.sentence)
    queue.accept("3f9a1c", reviewer="ana")     # appends the claim as an ordinary event
    queue.reject("77b0", reviewer="ana", reason="the stadium, not a player")

Each decision is one transaction; driver errors come out as `ledger.errors` classes.
"""

from __future__ import annotations

import getpass

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.errors import InputError
from ledger.ingest.field_values import one_line
from ledger.logs import get_logger
from ledger.review import decide
from ledger.review.items import Decision, ReviewItem, find_item, read_items

log = get_logger(__name__)
REVIEWER_LIMIT, REASON_LIMIT = 120, 2000


class ReviewQueue:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._url = engine.url

    def pending(self) -> list[ReviewItem]:
        """Items nobody has decided yet, oldest first."""
        return self.items(include_decided=False)

    def items(self, *, include_decided: bool = True) -> list[ReviewItem]:
        with translated_errors(self._url), self.engine.connect() as conn:
            return read_items(conn, include_decided=include_decided)

    def get(self, item: str) -> ReviewItem:
        """One item by its id or a unique prefix of it (at least four hex digits)."""
        with translated_errors(self._url), self.engine.connect() as conn:
            return find_item(conn, item)

    def accept(self, item: str, *, reviewer: str | None = None) -> Decision:
        """Append the claim to the ledger; accepting again reports the first accept."""
        name = _reviewer(reviewer)
        with translated_errors(self._url), self.engine.begin() as conn:
            decision = decide.accept(conn, item, name)
        _log(decision)
        return decision

    def reject(
        self, item: str, *, reviewer: str | None = None, reason: str | None = None
    ) -> Decision:
        """Keep the claim out of the ledger; rejecting again reports the first reject."""
        name, why = _reviewer(reviewer), _reason(reason)
        with translated_errors(self._url), self.engine.begin() as conn:
            decision = decide.reject(conn, item, name, why)
        _log(decision)
        return decision


def _log(decision: Decision) -> None:
    log.info("review_decided", item=str(decision.item_id), decision=decision.verdict.value,
             reviewer=decision.reviewer, first=decision.first, position=decision.position)  # fmt: skip


def _reviewer(name: str | None) -> str:
    """The reviewer given, else the operating-system user running this."""
    if name is None:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no login name and no passwd entry (some containers)
            raise InputError("--reviewer: cannot tell who you are; give a name") from None
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > REVIEWER_LIMIT or one_line(cleaned) != cleaned:
        raise InputError(
            f"--reviewer: give a name of 1 to {REVIEWER_LIMIT} characters, without control characters"
        )
    return cleaned


def _reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    cleaned = reason.strip()
    if len(cleaned) > REASON_LIMIT:
        raise InputError(f"--reason: too long ({len(cleaned)} characters, limit {REASON_LIMIT})")
    return cleaned
