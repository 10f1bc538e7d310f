"""One move, one set of terms: the fee and deal type an article states for a move, wherever it
states them, end up on the claims that describe the move.

An article reports a move in steps, each in its own sentence: `City had a bid rejected at £90m`
after `West Ham have received bids from Arsenal and City`; `Deal agreed on a £12m fee` read as
the clubs' agreement, beside `here we go`; `will travel for a medical with a view to a
permanent move` after `have agreed a deal to sign him`. The claims of one move are those of one
player and one buying club. This pass runs on the merged claims of an article:

* a bid without a fee is the bid whose answer states it (the rejected or accepted bid);
* an agreed move without a fee has the fee the two clubs agreed;
* a deal type said beside a medical or personal terms describes the move, so it goes to the
  move's agreement, completion or talks when those leave it unsaid.

While reading, a sentence that makes no claim but states terms right after one that did (`X to
Y, here we go!` then `Loan with an obligation to buy for €22m.`) completes that claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ledger.entities.names import name_key
from ledger.events import DealType
from ledger.extract.claims import ExtractedClaim
from ledger.extract.document import Document
from ledger.extract.site import LOAN_TERMS, PRICED_DEALS, State
from ledger.extract.triggers import deal_type

# Whose fee a claim without one takes, in order of preference: the same offer's answer, or the
# fee the clubs agreed for the same move.
_FEE_FROM = {
    "bid": ("bid_rejected", "bid_accepted"),
    "bid_rejected": ("bid",),
    "bid_accepted": ("bid",),
    "deal_agreed": ("bid_accepted",),
}
# Steps of a move (a medical, the player's terms) are not deals of a type; the move is.
_STEPS = ("medical", "personal_terms")
_DEALS = ("deal_agreed", "deal_done", "talks")
_TYPED = frozenset({*_DEALS, "linked", "interest"})  # the kinds a deal type describes

Move = tuple[str, str | None]  # the player's folded name and the buying club


def settle_terms(claims: Sequence[ExtractedClaim]) -> list[ExtractedClaim]:
    """The claims with each move's fee and deal type where the move's claims leave them unsaid."""
    settled = list(claims)
    index = {(c.kind, _move(c)): position for position, c in enumerate(settled)}
    for position, claim in enumerate(settled):
        if claim.fee is None:
            settled[position] = _with_fee(claim, settled, index)
    for position, claim in enumerate(settled):
        if claim.kind in _STEPS and claim.deal is not None:
            _hand_deal_over(settled, index, position)
    return settled


def _move(claim: ExtractedClaim) -> Move:
    return name_key(claim.player), claim.club


def _with_fee(
    claim: ExtractedClaim, claims: list[ExtractedClaim], index: dict[tuple[str, Move], int]
) -> ExtractedClaim:
    for kind in _FEE_FROM.get(claim.kind, ()):
        donor = index.get((kind, _move(claim)))
        if donor is not None and claims[donor].fee is not None:
            return replace(claim, fee=claims[donor].fee)
    return claim


def _hand_deal_over(
    claims: list[ExtractedClaim], index: dict[tuple[str, Move], int], step: int
) -> None:
    """Give the step's deal type to the move's deal claim that lacks one, and take it off the
    step; a step with no such claim keeps it (it is the only place the article says it)."""
    claim = claims[step]
    for kind in _DEALS:
        holder = index.get((kind, _move(claim)))
        if holder is not None and claims[holder].deal is None:
            claims[holder] = replace(claims[holder], deal=claim.deal)
            claims[step] = replace(claim, deal=None)
            return


def carry_terms(doc: Document, index: int, state: State) -> None:
    """Complete the claims of the sentence before `index` with the fee and deal type sentence
    `index` states, when it makes no claim of its own, continues the same paragraph and names
    no other player."""
    if index == 0 or not state.claims:
        return
    sentence, previous = doc.sentences[index], doc.sentences[index - 1]
    body = doc.article.body
    others = {p.name for p in doc.people_in(sentence.start, sentence.end)}
    if "\n\n" in body[previous.end : sentence.start] or len(others) > 1:
        return
    stated = deal_type(sentence.text)
    fees = doc.fees_in(sentence.start, sentence.end)
    for position in range(len(state.claims) - 1, -1, -1):
        claim = state.claims[position]
        if claim.span != (previous.start, previous.end):
            return
        if others and others != {claim.player}:
            continue
        fee = claim.fee or (fees[0].fee if fees and claim.kind in PRICED_DEALS else None)
        deal = _completed_deal(claim, stated)
        state.claims[position] = replace(claim, fee=fee, deal=deal)


def _completed_deal(claim: ExtractedClaim, stated: DealType | None) -> DealType | None:
    if stated is None or claim.kind not in _TYPED:
        return claim.deal
    if claim.deal is None or (claim.deal is DealType.LOAN and stated in LOAN_TERMS):
        return stated
    return claim.deal
