"""The value types the pursuit fold reads and answers with, and the one order claims fold in.

`FoldClaim` is the slim, hashable shape of a ledger claim that the fold needs: resolved ids, dates
and the few payload fields that show on a board. The caller builds it from stored events and
drops retractions (with the claims they withdraw) first. `PursuitView` and `PlayerFacts` are
immutable snapshots of the fold's state, safe to keep after the fold moves on. They are named
tuples, not dataclasses: a rebuild builds one per changed pursuit per event and compares it with
the day before's, and a tuple is built and compared in C (a frozen dataclass sets each field
through `object.__setattr__` and compares by building two more tuples).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from ledger.claim_kinds import ClaimKind

if TYPE_CHECKING:
    from ledger.money import Fee


@dataclass(frozen=True, slots=True, init=False)
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
    effective_precision: str = "day"  # how precisely effective_on was stated: day, month, year

    @property
    def fold_precision(self) -> str:
        """How precise the claim's fold date is: a reported_on is always a whole day."""
        return self.effective_precision if self.effective_on is not None else "day"

    # Worked out once, when the claim is built: a rebuild asks for both several times a claim
    # (every refold asks again), and a property built a new tuple each time. Not compared, not
    # passed in: they follow from the fields above (`dataclasses.replace` works them out anew).
    key: FoldKey | None = field(init=False, repr=False, compare=False)  # see fold_key
    identity: tuple[object, ...] = field(init=False, repr=False, compare=False)

    def __init__(
        self, position: int, event_id: UUID, kind: str, reported_on: date,
        effective_on: date | None, club: str | None, from_club: str | None, source: str | None,
        fee: Fee | None, deal: str | None, renewed: bool = False, effective_precision: str = "day",
    ) -> None:  # fmt: skip
        # Each field through its slot's own setter: the __init__ a frozen dataclass generates
        # calls object.__setattr__ per field, and took four times as long (a rebuild builds one
        # claim per event, and the build was half of decoding a row).
        _set_position(self, position)
        _set_event_id(self, event_id)
        _set_kind(self, kind)
        _set_reported_on(self, reported_on)
        _set_effective_on(self, effective_on)
        _set_club(self, club)
        _set_from_club(self, from_club)
        _set_source(self, source)
        _set_fee(self, fee)
        _set_deal(self, deal)
        _set_renewed(self, renewed)
        _set_effective_precision(self, effective_precision)
        order = KIND_ORDER.get(kind)
        fold_on = effective_on or reported_on
        _set_key(self, None if order is None else (fold_on, reported_on, order, event_id.int))
        # What makes two events of one player's stream the same claim (docs/design.md): the
        # same kind, clubs, source, dates, fee amount and deal; how the claim reached the ledger
        # (a structured file with its own id, or an article's sentence) does not count.
        money = None if fee is None else (fee.amount, fee.currency, fee.add_ons, fee.nature)
        _set_identity(self, (kind, club, from_club, source, reported_on, effective_on, money,
                             deal, renewed))  # fmt: skip


def _slot_setter(name: str) -> Callable[[FoldClaim, Any], None]:
    setter: Callable[[FoldClaim, Any], None] = FoldClaim.__dict__[name].__set__
    return setter


(_set_position, _set_event_id, _set_kind, _set_reported_on, _set_effective_on, _set_club,
 _set_from_club, _set_source, _set_fee, _set_deal, _set_renewed, _set_effective_precision,
 _set_key, _set_identity) = map(_slot_setter, (
    "position", "event_id", "kind", "reported_on", "effective_on", "club", "from_club", "source",
    "fee", "deal", "renewed", "effective_precision", "key", "identity"))  # fmt: skip


FoldKey = tuple[date, date, int, int]

# Claims of one day in the order events happen within a day: talk before bids, bids before the
# deal, the deal (or the end of a pursuit) last. Every folded kind has its place; see fold_key.
KIND_ORDER: Mapping[str, int] = MappingProxyType({
    ClaimKind.LINKED: 0, ClaimKind.INTEREST: 1, ClaimKind.ENQUIRY: 2, ClaimKind.TALKS: 3,
    ClaimKind.DENIED: 4, ClaimKind.RELEASE_CLAUSE: 4, ClaimKind.ASKING_PRICE: 4,
    ClaimKind.BID: 5, ClaimKind.BID_REJECTED: 6, ClaimKind.BID_ACCEPTED: 7,
    ClaimKind.PERSONAL_TERMS: 8, ClaimKind.MEDICAL: 9, ClaimKind.DEAL_AGREED: 10,
    ClaimKind.COOLED: 11, ClaimKind.BLOCKED: 11, ClaimKind.PLAYER_REJECTED: 11,
    ClaimKind.COLLAPSED: 11, ClaimKind.CONTRACT_EXTENSION: 12, ClaimKind.DEAL_DONE: 12,
})  # fmt: skip


def fold_key(claim: FoldClaim) -> FoldKey:
    """(effective_on or reported_on, reported_on, kind order, event_id): the order claims fold in.

    SPEC §5.2 breaks the last tie by ledger position, but position is ingest order, and §5.4
    wants any ingest order to give the same boards. So claims of the same day fold in the order
    things happen within a day (KIND_ORDER), then by event_id, which is a hash of the claim and
    does not depend on when it was ingested. Ingest order alone is never used, so a back-filled
    older article lands where it happened.
    """
    key = claim.key
    if key is None:  # a retraction, or no kind at all: the caller should never fold it
        raise ValueError(f"cannot fold claim kind {claim.kind!r}")
    return key


class PursuitView(NamedTuple):
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
    since_precision: str = "day"  # `since` as precisely as its claim stated it


class PlayerFacts(NamedTuple):
    """Player-level facts: where he plays and what it would cost to sign him."""

    current_club: str | None
    release_clause: Fee | None
    release_clause_on: date | None  # reported_on of the claim that stated it
    asking_price: Fee | None
    asking_price_on: date | None
