"""The claim kinds of SPEC §3.2 as a `StrEnum`, importable without pydantic.

`ledger.events` gives each kind its event class (and derives `CLAIM_KINDS` and `PURSUIT_KINDS`
from that union); the fold and the command line name kinds through this module on paths that
never build an event.
"""

from __future__ import annotations

from enum import StrEnum


class ClaimKind(StrEnum):
    """Every kind of claim (SPEC §3.2); each is the `kind` of exactly one event class below."""

    LINKED = "linked"
    INTEREST = "interest"
    ENQUIRY = "enquiry"
    TALKS = "talks"
    BID = "bid"
    BID_REJECTED = "bid_rejected"
    BID_ACCEPTED = "bid_accepted"
    PERSONAL_TERMS = "personal_terms"
    MEDICAL = "medical"
    DEAL_AGREED = "deal_agreed"
    DEAL_DONE = "deal_done"
    COLLAPSED = "collapsed"
    COOLED = "cooled"
    PLAYER_REJECTED = "player_rejected"
    BLOCKED = "blocked"
    DENIED = "denied"
    CONTRACT_EXTENSION = "contract_extension"
    RELEASE_CLAUSE = "release_clause"
    ASKING_PRICE = "asking_price"
    RETRACTION = "retraction"


# Kinds a source may report about a club's needs without naming a player ("Spurs want a
# centre-back"): they go to the club's stream and form no pursuit.
CLUB_ONLY_KINDS: tuple[ClaimKind, ...] = (
    ClaimKind.LINKED,
    ClaimKind.INTEREST,
    ClaimKind.ENQUIRY,
    ClaimKind.TALKS,
    ClaimKind.COOLED,
)
