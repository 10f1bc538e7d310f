"""Two clubs named together as the two sides of one deal: one buys, the other sells.

`Fiorentina and Sassuolo have closed the deal for X`, `talks between Wolves and Sporting over X`,
`Leeds and Braga remain in negotiations`: an agreement, a negotiation or its collapse needs a
buyer and a seller, so two coordinated clubs are not two buyers. The seller is the player's own
club when the article has said it; else the buyer is the club already pursuing him, else the
story's main club, else the club written first (papers name the buyer first: `Wolves and
Sporting`, `City and Dortmund`). Interest and bids keep every coordinated club as a buyer
(`Marseille and Wolves are keen`), and so does a pair said to act `both` or `each`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ledger.entities.clubs import Club
from ledger.extract.clubrefs import ClubRef
from ledger.extract.document import Document
from ledger.extract.site import Site, State, inside

# Kinds that have two sides by nature: a deal is agreed, negotiated or broken between two clubs.
TWO_SIDED_KINDS = frozenset({"talks", "deal_agreed", "bid_accepted", "collapsed"})
_JOINED = re.compile(r"\s+(?:and|&)\s+")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_EACH_SIDE = re.compile(
    r"^\s+(?:are\s+|have\s+|had\s+|were\s+)?(?:both|each|also)\b", re.IGNORECASE
)


def two_sides(body: str, refs: Sequence[ClubRef]) -> tuple[ClubRef, ClubRef] | None:
    """The two clubs, when `refs` are exactly two different clubs joined by `and` (or written
    `between X and Y`) and not said to act `both`, `each` or `also` on their own."""
    if len(refs) != 2 or refs[0].club.id == refs[1].club.id:
        return None
    first, second = refs
    if not _JOINED.fullmatch(body, first.end, second.start):
        return None
    if _EACH_SIDE.match(body, second.end) and not _BETWEEN.search(body, 0, first.start):
        return None
    return first, second


def buying_side(
    pair: tuple[ClubRef, ClubRef], own: Club | None, pursuers: Sequence[Club], main: Club | None
) -> ClubRef:
    """Which of the two buys: see the module docstring."""
    ids = [ref.club.id for ref in pair]
    if own is not None and own.id in ids:
        return pair[1 - ids.index(own.id)]
    for club in (*reversed(pursuers), main):
        if club is not None and club.id in ids:
            return pair[ids.index(club.id)]
    return pair[0]


def pair_buyer(
    doc: Document, state: State, claim: tuple[str, str], refs: Sequence[ClubRef]
) -> ClubRef | None:
    """For a two-sided `claim` (kind, player): the buyer of `refs` when they are two clubs
    named together as the two sides of its deal; else None."""
    kind, player = claim
    pair = two_sides(doc.article.body, refs) if kind in TWO_SIDED_KINDS else None
    if pair is None:
        return None
    pursuing = list(state.pursuers.get(player, {}).values())
    own = state.owners.get(player) or doc.clubs.memory.get(player) or state.sellers.get(player)
    return buying_side(pair, own, pursuing, doc.clubs.main)


def other_side(doc: Document, site: Site, buyer: Club) -> Club | None:
    """`Fiorentina and Sassuolo have closed the deal for X, who will join …`: the buyer's
    partner in a pair named in the sentence sells."""
    for at, first, second in doc.clubs.pairs:
        if inside(site.sentence_span, at) and buyer.id in (first.id, second.id):
            return second if buyer.id == first.id else first
    return None
