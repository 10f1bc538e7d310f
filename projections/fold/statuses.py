"""The pursuit status vocabulary of SPEC §5.1 and how claim kinds map onto it.

Labels are exact strings: they are what boards print and what JSON answers carry. Statuses fall
into three families:

    open       linked · interest · interest re-emerged · enquiry · talks · bid made ·
               bid rejected · bid accepted · terms agreed · medical · deal agreed
    terminal   deal done
    negative   cooled · collapsed · rejected by player · blocked · lost out · stayed

`bid rejected` is open: the buying club can still improve its offer. `lost out` and `stayed` are
never the status of a claim's own kind; they are set on other pursuits by a deal done elsewhere or
by a contract extension.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from ledger.claim_kinds import ClaimKind


class Status(StrEnum):
    """A pursuit's status, as boards print it and JSON answers carry it."""

    LINKED = "linked"
    INTEREST = "interest"
    INTEREST_RE_EMERGED = "interest re-emerged"
    ENQUIRY = "enquiry"
    TALKS = "talks"
    BID_MADE = "bid made"
    BID_REJECTED = "bid rejected"
    BID_ACCEPTED = "bid accepted"
    TERMS_AGREED = "terms agreed"
    MEDICAL = "medical"
    DEAL_AGREED = "deal agreed"
    DEAL_DONE = "deal done"
    COLLAPSED = "collapsed"
    COOLED = "cooled"
    REJECTED_BY_PLAYER = "rejected by player"
    BLOCKED = "blocked"
    LOST_OUT = "lost out"
    STAYED = "stayed"


STATUS_BY_KIND: Mapping[str, Status] = MappingProxyType(
    {
        ClaimKind.LINKED: Status.LINKED,
        ClaimKind.INTEREST: Status.INTEREST,
        ClaimKind.ENQUIRY: Status.ENQUIRY,
        ClaimKind.TALKS: Status.TALKS,
        ClaimKind.BID: Status.BID_MADE,
        ClaimKind.BID_REJECTED: Status.BID_REJECTED,
        ClaimKind.BID_ACCEPTED: Status.BID_ACCEPTED,
        ClaimKind.PERSONAL_TERMS: Status.TERMS_AGREED,
        ClaimKind.MEDICAL: Status.MEDICAL,
        ClaimKind.DEAL_AGREED: Status.DEAL_AGREED,
        ClaimKind.DEAL_DONE: Status.DEAL_DONE,
        ClaimKind.COLLAPSED: Status.COLLAPSED,
        ClaimKind.COOLED: Status.COOLED,
        ClaimKind.PLAYER_REJECTED: Status.REJECTED_BY_PLAYER,
        ClaimKind.BLOCKED: Status.BLOCKED,
    }
)

# How far an open pursuit has got. Equal ranks are the same stage told differently: a rejected
# bid is still a bid on the table, re-emerged interest is still interest.
PROGRESS_RANK: Mapping[str, int] = MappingProxyType(
    {
        Status.LINKED: 0,
        Status.INTEREST: 1,
        Status.INTEREST_RE_EMERGED: 1,
        Status.ENQUIRY: 2,
        Status.TALKS: 3,
        Status.BID_MADE: 4,
        Status.BID_REJECTED: 4,
        Status.BID_ACCEPTED: 5,
        Status.TERMS_AGREED: 6,
        Status.MEDICAL: 7,
        Status.DEAL_AGREED: 8,
    }
)

OPEN_STATUSES: frozenset[str] = frozenset(PROGRESS_RANK)
NEGATIVE_STATUSES: frozenset[str] = frozenset(
    {
        Status.COOLED,
        Status.COLLAPSED,
        Status.REJECTED_BY_PLAYER,
        Status.BLOCKED,
        Status.LOST_OUT,
        Status.STAYED,
    }
)
TERMINAL_STATUSES: frozenset[str] = frozenset({Status.DEAL_DONE})

# Claim kinds by the way they move a pursuit (SPEC §5.2).
WEAK_KINDS: frozenset[str] = frozenset(
    {ClaimKind.LINKED, ClaimKind.INTEREST, ClaimKind.ENQUIRY, ClaimKind.TALKS}
)
STRONG_KINDS: frozenset[str] = frozenset(
    {
        ClaimKind.BID,
        ClaimKind.BID_REJECTED,
        ClaimKind.BID_ACCEPTED,
        ClaimKind.PERSONAL_TERMS,
        ClaimKind.MEDICAL,
        ClaimKind.DEAL_AGREED,
        ClaimKind.DEAL_DONE,
    }
)
NEGATIVE_KINDS: frozenset[str] = frozenset(
    {ClaimKind.COLLAPSED, ClaimKind.COOLED, ClaimKind.PLAYER_REJECTED, ClaimKind.BLOCKED}
)
PLAYER_FACT_KINDS: frozenset[str] = frozenset(
    {ClaimKind.CONTRACT_EXTENSION, ClaimKind.RELEASE_CLAUSE, ClaimKind.ASKING_PRICE}
)
FOLDED_KINDS: frozenset[str] = (
    WEAK_KINDS | STRONG_KINDS | NEGATIVE_KINDS | PLAYER_FACT_KINDS | {ClaimKind.DENIED}
)
