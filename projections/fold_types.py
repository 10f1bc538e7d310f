"""The value types the pursuit fold reads and answers with, and the one order claims fold in.

`FoldClaim` is the slim, hashable shape of a ledger claim that the fold needs: resolved ids, dates
and the few payload fields that show on a board. The caller builds it from stored events and
drops retractions (with the claims they withdraw) first. `PursuitView` and `PlayerFacts` are
immutable snapshots of the fold's state, safe to keep after the fold moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from ledger.money import Fee


@dataclass(frozen=True, slots=True)
class FoldClaim:
    """One claim as the fold sees it; `kind` is any ledger claim kind except `retraction`."""

    position: int  # global ledger position: the last tie-breaker of the fold order
    event_id: UUID
    kind: str
    reported_on: date
    effective_on: date | None
    club: str | None  # interested / buying club id; None for player facts
    from_club: str | None  # selling / current club id
    source: str | None
    fee: Fee | None
    deal: str | None  # a DealType value
    renewed: bool = False


def fold_key(claim: FoldClaim) -> tuple[date, date, int]:
    """(effective_on or reported_on, reported_on, position): the only order claims fold in.

    Ingest order alone is never used, so a back-filled older article lands where it happened.
    """
    return (claim.effective_on or claim.reported_on, claim.reported_on, claim.position)


@dataclass(frozen=True, slots=True)
class PursuitView:
    """One club's pursuit of the player, as a board shows it (SPEC §5.3)."""

    club: str
    status: str
    since: date  # fold date of the claim (or cascade) that began the current status
    first_reported: date
    last_reported: date
    claims: int
    sources: tuple[str, ...]  # sorted, distinct
    latest_fee: Fee | None
    bids: int
    re_emerged: bool
    contested: bool
    from_club: str | None
    deal: str | None


@dataclass(frozen=True, slots=True)
class PlayerFacts:
    """Player-level facts: where he plays and what it would cost to sign him."""

    current_club: str | None
    release_clause: Fee | None
    release_clause_on: date | None  # reported_on of the claim that stated it
    asking_price: Fee | None
    asking_price_on: date | None
