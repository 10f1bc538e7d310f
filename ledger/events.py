"""The claim vocabulary of SPEC §3.2 as frozen event models.

Every claim kind is one class with a `kind` literal; `ClaimEvent` is their discriminated union and
`CLAIM_ADAPTER` reads any of them back. These are domain shapes only: how they are stored (columns,
JSONB payload, schema versions) is `ledger.codec`'s business.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from ledger.claim_kinds import CLUB_ONLY_KINDS, ClaimKind
from ledger.money import Fee


class DealType(StrEnum):
    PERMANENT = "permanent"
    FREE = "free"
    LOAN = "loan"
    LOAN_WITH_OPTION = "loan_with_option"
    LOAN_WITH_OBLIGATION = "loan_with_obligation"


class DatePrecision(StrEnum):
    """How precisely a source dated what happened: `in 2022` is a year, not 1 January."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Extraction(BaseModel):
    """Where an article-extracted claim came from, so a person can check it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    article_id: str
    sentence: str = Field(max_length=2000)
    span: tuple[int, int]
    confidence: float = Field(ge=0.0, le=1.0)
    rule: str


class Claim(BaseModel):
    """Fields every claim shares. Names are already resolved to canonical ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    reported_on: date
    effective_on: date | None = None  # the first day of the stated month or year, if coarser
    effective_precision: DatePrecision = DatePrecision.DAY
    # A past fact restated as context ("signed from City in 2022"): true of the world, but not a
    # prediction the source made, so it never counts towards a source's record (docs/design.md).
    background: bool = False
    player: str | None = None  # canonical player id (slug), None for club-only claims
    player_name: str | None = None
    club: str | None = None  # interested / buying club id
    from_club: str | None = None  # selling / current club id
    source: str | None = None  # source id
    journalist: str | None = None
    fee: Fee | None = None
    deal: DealType | None = None
    renewed: bool = False
    evidence: str | None = Field(default=None, max_length=4000)
    url: str | None = Field(default=None, max_length=2000)
    extraction: Extraction | None = None


class _PursuitClaim(Claim):
    """A claim about one club's pursuit of one player (the player may be unnamed for some kinds)."""

    @model_validator(mode="after")
    def _needs_player_and_club(self) -> _PursuitClaim:
        if self.player is None and getattr(self, "kind", None) not in CLUB_ONLY_KINDS:
            raise ValueError("player is required for this kind")
        if self.club is None:
            raise ValueError("club is required for this kind")
        return self


class Linked(_PursuitClaim):
    kind: Literal[ClaimKind.LINKED] = ClaimKind.LINKED


class Interest(_PursuitClaim):
    kind: Literal[ClaimKind.INTEREST] = ClaimKind.INTEREST


class Enquiry(_PursuitClaim):
    kind: Literal[ClaimKind.ENQUIRY] = ClaimKind.ENQUIRY


class Talks(_PursuitClaim):
    kind: Literal[ClaimKind.TALKS] = ClaimKind.TALKS


class Bid(_PursuitClaim):
    kind: Literal[ClaimKind.BID] = ClaimKind.BID


class BidRejected(_PursuitClaim):
    kind: Literal[ClaimKind.BID_REJECTED] = ClaimKind.BID_REJECTED


class BidAccepted(_PursuitClaim):
    kind: Literal[ClaimKind.BID_ACCEPTED] = ClaimKind.BID_ACCEPTED


class PersonalTerms(_PursuitClaim):
    kind: Literal[ClaimKind.PERSONAL_TERMS] = ClaimKind.PERSONAL_TERMS


class Medical(_PursuitClaim):
    kind: Literal[ClaimKind.MEDICAL] = ClaimKind.MEDICAL


class DealAgreed(_PursuitClaim):
    kind: Literal[ClaimKind.DEAL_AGREED] = ClaimKind.DEAL_AGREED


class DealDone(_PursuitClaim):
    kind: Literal[ClaimKind.DEAL_DONE] = ClaimKind.DEAL_DONE


class Collapsed(_PursuitClaim):
    kind: Literal[ClaimKind.COLLAPSED] = ClaimKind.COLLAPSED


class Cooled(_PursuitClaim):
    kind: Literal[ClaimKind.COOLED] = ClaimKind.COOLED


class PlayerRejected(_PursuitClaim):
    kind: Literal[ClaimKind.PLAYER_REJECTED] = ClaimKind.PLAYER_REJECTED


class Blocked(_PursuitClaim):
    kind: Literal[ClaimKind.BLOCKED] = ClaimKind.BLOCKED


class Denied(_PursuitClaim):
    kind: Literal[ClaimKind.DENIED] = ClaimKind.DENIED


class _PlayerFact(Claim):
    @model_validator(mode="after")
    def _needs_player(self) -> _PlayerFact:
        if self.player is None:
            raise ValueError("player is required for this kind")
        return self


class ContractExtension(_PlayerFact):
    kind: Literal[ClaimKind.CONTRACT_EXTENSION] = ClaimKind.CONTRACT_EXTENSION


class _PriceFact(_PlayerFact):
    @model_validator(mode="after")
    def _needs_fee(self) -> _PriceFact:
        if self.fee is None or self.fee.amount is None:
            raise ValueError("fee with an amount is required for this kind")
        return self


class ReleaseClause(_PriceFact):
    kind: Literal[ClaimKind.RELEASE_CLAUSE] = ClaimKind.RELEASE_CLAUSE
    active_from: date | None = None


class AskingPrice(_PriceFact):
    kind: Literal[ClaimKind.ASKING_PRICE] = ClaimKind.ASKING_PRICE


class Retraction(Claim):
    """A ledger correction: withdraws `retracts` from the moment this event is recorded."""

    kind: Literal[ClaimKind.RETRACTION] = ClaimKind.RETRACTION
    retracts: UUID
    reason: str = Field(min_length=1, max_length=2000)


ClaimEvent = Annotated[
    Linked
    | Interest
    | Enquiry
    | Talks
    | Bid
    | BidRejected
    | BidAccepted
    | PersonalTerms
    | Medical
    | DealAgreed
    | DealDone
    | Collapsed
    | Cooled
    | PlayerRejected
    | Blocked
    | Denied
    | ContractExtension
    | ReleaseClause
    | AskingPrice
    | Retraction,
    Field(discriminator="kind"),
]

CLAIM_ADAPTER: TypeAdapter[ClaimEvent] = TypeAdapter(ClaimEvent)

# Read off the union itself, so a kind without an event class (or the reverse) cannot go unseen.
_EVENT_CLASSES: tuple[type[Claim], ...] = get_args(get_args(ClaimEvent)[0])
CLAIM_KINDS: tuple[ClaimKind, ...] = tuple(
    ClaimKind(cls.model_fields["kind"].default) for cls in _EVENT_CLASSES
)
# Kinds about one club's pursuit of a player, as opposed to player facts and retractions.
PURSUIT_KINDS: frozenset[ClaimKind] = frozenset(
    ClaimKind(cls.model_fields["kind"].default)
    for cls in _EVENT_CLASSES
    if issubclass(cls, _PursuitClaim)
)


def claim_from_dict(data: dict[str, Any]) -> ClaimEvent:
    """Build the right claim class from a plain dict (raises pydantic.ValidationError)."""
    return CLAIM_ADAPTER.validate_python(data)
