"""The claim vocabulary of SPEC §3.2 as frozen event models.

Every claim kind is one class with a `kind` literal; `ClaimEvent` is their discriminated union and
`CLAIM_ADAPTER` reads any of them back. These are domain shapes only: how they are stored (columns,
JSONB payload, schema versions) is `ledger.codec`'s business.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

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


# Kinds a source may report about a club's needs without naming a player ("Spurs want a
# centre-back"): they go to the club's stream and form no pursuit.
CLUB_ONLY_KINDS: frozenset[str] = frozenset({"linked", "interest", "enquiry", "talks", "cooled"})


class _PursuitClaim(Claim):
    """A claim about one club's pursuit of one player (the player may be unnamed for some kinds)."""

    @model_validator(mode="after")
    def _needs_player_and_club(self) -> _PursuitClaim:
        if self.player is None and getattr(self, "kind", "") not in CLUB_ONLY_KINDS:
            raise ValueError("player is required for this kind")
        if self.club is None:
            raise ValueError("club is required for this kind")
        return self


class Linked(_PursuitClaim):
    kind: Literal["linked"] = "linked"


class Interest(_PursuitClaim):
    kind: Literal["interest"] = "interest"


class Enquiry(_PursuitClaim):
    kind: Literal["enquiry"] = "enquiry"


class Talks(_PursuitClaim):
    kind: Literal["talks"] = "talks"


class Bid(_PursuitClaim):
    kind: Literal["bid"] = "bid"


class BidRejected(_PursuitClaim):
    kind: Literal["bid_rejected"] = "bid_rejected"


class BidAccepted(_PursuitClaim):
    kind: Literal["bid_accepted"] = "bid_accepted"


class PersonalTerms(_PursuitClaim):
    kind: Literal["personal_terms"] = "personal_terms"


class Medical(_PursuitClaim):
    kind: Literal["medical"] = "medical"


class DealAgreed(_PursuitClaim):
    kind: Literal["deal_agreed"] = "deal_agreed"


class DealDone(_PursuitClaim):
    kind: Literal["deal_done"] = "deal_done"


class Collapsed(_PursuitClaim):
    kind: Literal["collapsed"] = "collapsed"


class Cooled(_PursuitClaim):
    kind: Literal["cooled"] = "cooled"


class PlayerRejected(_PursuitClaim):
    kind: Literal["player_rejected"] = "player_rejected"


class Blocked(_PursuitClaim):
    kind: Literal["blocked"] = "blocked"


class Denied(_PursuitClaim):
    kind: Literal["denied"] = "denied"


class _PlayerFact(Claim):
    @model_validator(mode="after")
    def _needs_player(self) -> _PlayerFact:
        if self.player is None:
            raise ValueError("player is required for this kind")
        return self


class ContractExtension(_PlayerFact):
    kind: Literal["contract_extension"] = "contract_extension"


class _PriceFact(_PlayerFact):
    @model_validator(mode="after")
    def _needs_fee(self) -> _PriceFact:
        if self.fee is None or self.fee.amount is None:
            raise ValueError("fee with an amount is required for this kind")
        return self


class ReleaseClause(_PriceFact):
    kind: Literal["release_clause"] = "release_clause"
    active_from: date | None = None


class AskingPrice(_PriceFact):
    kind: Literal["asking_price"] = "asking_price"


class Retraction(Claim):
    """A ledger correction: withdraws `retracts` from the moment this event is recorded."""

    kind: Literal["retraction"] = "retraction"
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

CLAIM_KINDS: tuple[str, ...] = (
    "linked", "interest", "enquiry", "talks", "bid", "bid_rejected", "bid_accepted",
    "personal_terms", "medical", "deal_agreed", "deal_done", "collapsed", "cooled",
    "player_rejected", "blocked", "denied", "contract_extension", "release_clause",
    "asking_price", "retraction",
)  # fmt: skip
PURSUIT_KINDS: frozenset[str] = frozenset(CLAIM_KINDS[:16])


def claim_from_dict(data: dict[str, Any]) -> ClaimEvent:
    """Build the right claim class from a plain dict (raises pydantic.ValidationError)."""
    return CLAIM_ADAPTER.validate_python(data)
