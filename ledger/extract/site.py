"""Shared vocabulary of claim assembly: where a trigger sits and what reading remembers.

Kind groups used across the assembler live here too, so `targets`, `parties` and `assemble` agree
on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ledger.entities.clubs import Club
from ledger.events import DealType
from ledger.extract.claims import ExtractedClaim
from ledger.extract.text import Sentence
from ledger.extract.triggers import Trigger
from ledger.money import Fee

# Interest and links are cheap words: they never attach to a player the sentence does not name
# or refer back to, except at the lowest confidence.
WEAK_KINDS = frozenset({"interest", "linked", "enquiry"})
# Facts about a player and his club, with no buying club.
FACT_KINDS = frozenset({"release_clause", "asking_price", "contract_extension"})
FEE_KINDS = frozenset({"bid", "bid_rejected", "bid_accepted", "deal_agreed", "deal_done",
                       "release_clause", "asking_price", "enquiry", "talks", "medical"})  # fmt: skip
PRICED_DEALS = frozenset({"bid", "bid_rejected", "bid_accepted", "deal_agreed", "deal_done"})
# A loan's further terms: a note stating one turns a plain loan into it.
LOAN_TERMS = frozenset({DealType.LOAN_WITH_OPTION, DealType.LOAN_WITH_OBLIGATION})
# Steps of a pursuit that an article reports without repeating the buyer (`the medical is booked`).
CONTINUATION_KINDS = frozenset({"personal_terms", "medical", "blocked", "collapsed", "deal_agreed",
                                "deal_done", "bid_accepted", "player_rejected", "denied"})  # fmt: skip


# Steps a club's official reports about the club's own player, leaving the pursuer unsaid; the
# buyer is decided after the whole article has been read.
DEFERRED_KINDS = frozenset({"denied", "blocked", "bid_rejected", "player_rejected", "medical",
                            "personal_terms", "collapsed", "deal_done"})  # fmt: skip


class Target(NamedTuple):
    """A player a claim is about; `factor` scales confidence by how he was found."""

    name: str
    factor: float
    named: bool  # named in the sentence, not inferred from an earlier one


@dataclass
class State:
    """What the assembler remembers while reading one article from top to bottom."""

    focus: str | None = None  # the player the story is about at this point
    pursuers: dict[str, dict[str, Club]] = field(default_factory=dict)
    sellers: dict[str, Club] = field(default_factory=dict)
    owners: dict[str, Club] = field(default_factory=dict)  # said to refuse to sell him
    claims: list[ExtractedClaim] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    entry_start: int = 0  # len(claims) when the current live-blog entry or section began


@dataclass(frozen=True, slots=True)
class Site:
    """Where a trigger sits; every offset is absolute (in the article body)."""

    index: int
    sentence: Sentence
    clause: tuple[int, int]
    bare: tuple[tuple[int, int], ...]  # clauses of the sentence with no claim trigger of their own
    trigger: Trigger

    @property
    def at(self) -> int:
        return self.sentence.start + self.trigger.start

    @property
    def end(self) -> int:
        return self.sentence.start + self.trigger.end

    @property
    def sentence_span(self) -> tuple[int, int]:
        return self.sentence.start, self.sentence.end


class Pending(NamedTuple):
    """A claim waiting for its buyer until the article has been read to the end."""

    site: Site
    kind: str
    target: Target
    fee: Fee | None
    earlier: tuple[Club, ...]  # the clubs already pursuing the player at that sentence


def inside(span: tuple[int, int], offset: int) -> bool:
    """Whether `offset` falls in the half-open `span`."""
    return span[0] <= offset < span[1]
