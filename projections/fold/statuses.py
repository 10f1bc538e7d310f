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
from types import MappingProxyType

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

STATUSES: tuple[str, ...] = (
    LINKED, INTEREST, INTEREST_RE_EMERGED, ENQUIRY, TALKS, BID_MADE, BID_REJECTED, BID_ACCEPTED,
    TERMS_AGREED, MEDICAL, DEAL_AGREED, DEAL_DONE, COLLAPSED, COOLED, REJECTED_BY_PLAYER, BLOCKED,
    LOST_OUT, STAYED,
)  # fmt: skip

STATUS_BY_KIND: Mapping[str, str] = MappingProxyType(
    {
        "linked": LINKED,
        "interest": INTEREST,
        "enquiry": ENQUIRY,
        "talks": TALKS,
        "bid": BID_MADE,
        "bid_rejected": BID_REJECTED,
        "bid_accepted": BID_ACCEPTED,
        "personal_terms": TERMS_AGREED,
        "medical": MEDICAL,
        "deal_agreed": DEAL_AGREED,
        "deal_done": DEAL_DONE,
        "collapsed": COLLAPSED,
        "cooled": COOLED,
        "player_rejected": REJECTED_BY_PLAYER,
        "blocked": BLOCKED,
    }
)

# How far an open pursuit has got. Equal ranks are the same stage told differently: a rejected
# bid is still a bid on the table, re-emerged interest is still interest.
PROGRESS_RANK: Mapping[str, int] = MappingProxyType(
    {
        LINKED: 0,
        INTEREST: 1,
        INTEREST_RE_EMERGED: 1,
        ENQUIRY: 2,
        TALKS: 3,
        BID_MADE: 4,
        BID_REJECTED: 4,
        BID_ACCEPTED: 5,
        TERMS_AGREED: 6,
        MEDICAL: 7,
        DEAL_AGREED: 8,
    }
)

OPEN_STATUSES: frozenset[str] = frozenset(PROGRESS_RANK)
NEGATIVE_STATUSES: frozenset[str] = frozenset(
    {COOLED, COLLAPSED, REJECTED_BY_PLAYER, BLOCKED, LOST_OUT, STAYED}
)
TERMINAL_STATUSES: frozenset[str] = frozenset({DEAL_DONE})

# Claim kinds by the way they move a pursuit (SPEC §5.2).
WEAK_KINDS: frozenset[str] = frozenset({"linked", "interest", "enquiry", "talks"})
STRONG_KINDS: frozenset[str] = frozenset(
    {"bid", "bid_rejected", "bid_accepted", "personal_terms", "medical", "deal_agreed", "deal_done"}
)
NEGATIVE_KINDS: frozenset[str] = frozenset({"collapsed", "cooled", "player_rejected", "blocked"})
PLAYER_FACT_KINDS: frozenset[str] = frozenset(
    {"contract_extension", "release_clause", "asking_price"}
)
FOLDED_KINDS: frozenset[str] = (
    WEAK_KINDS | STRONG_KINDS | NEGATIVE_KINDS | PLAYER_FACT_KINDS | {"denied"}
)
