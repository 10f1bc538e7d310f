"""The extractor's output: one structured claim (SPEC §4.1) plus where it came from.

An article often says the same thing twice (`welcomed Danso` … `Danso has joined`); claims of one
article with the same kind, player and club are merged into one, keeping the most confident
sentence and the first fee, deal type and current club any of them stated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from ledger.entities.names import name_key
from ledger.events import DatePrecision, DealType
from ledger.money import Fee


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """A claim read from an article; `span` is the sentence's offsets in `Article.body`."""

    article_id: str
    reported_on: date
    kind: str
    player: str
    club: str | None
    from_club: str | None
    fee: Fee | None
    deal: DealType | None
    source: str
    renewed: bool
    effective_on: date | None
    sentence: str
    span: tuple[int, int]
    confidence: float
    rule: str
    effective_precision: DatePrecision = DatePrecision.DAY

    @property
    def background(self) -> bool:
        """A move dated only by a past year (`joined from City in 2021`) is restated context."""
        return self.effective_on is not None and self.effective_precision is DatePrecision.YEAR

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What makes two claims of one article the same claim: kind, player and club."""
        return self.kind, name_key(self.player), self.club

    def _stated_on(self) -> str | None:
        if self.effective_on is None:
            return None
        return _stated_date_text(self.effective_on, self.effective_precision)

    def to_claim_dict(self) -> dict[str, object]:
        """The §4.1 structured claim, with an `extraction` object saying where it came from."""
        return {
            "reported_on": self.reported_on.isoformat(),
            "kind": self.kind,
            "player": self.player,
            "club": self.club,
            "from_club": self.from_club,
            "fee": None if self.fee is None else self.fee.text,
            "deal": None if self.deal is None else self.deal.value,
            "source": self.source,
            "renewed": self.renewed,
            "effective_on": self._stated_on(),
            "background": self.background,
            "extraction": {
                "article_id": self.article_id,
                "sentence": self.sentence,
                "span": [self.span[0], self.span[1]],
                "confidence": self.confidence,
                "rule": self.rule,
            },
        }


# A sentence reporting a bid's answer also mentions the bid (`Bayern's first bid … has been
# deemed too low`): the answer is the claim. A fee a club `holds out for` that is the release
# clause is the clause, not a second asking price.
_SUBSUMED_BY = {"bid": ("bid_rejected",), "asking_price": ("release_clause",)}


Answer = tuple[tuple[int, int], str, str, str | None]  # sentence span, kind, player, club


def _subsumed(claim: ExtractedClaim, answers: set[Answer]) -> bool:
    player = name_key(claim.player)
    return any(
        (claim.span, kind, player, club) in answers
        for kind in _SUBSUMED_BY.get(claim.kind, ())
        for club in (claim.club, None)
    )


def _stated_date_text(on: date, precision: DatePrecision) -> str:
    """The date as precisely as the text stated it: `2021`, `2021-05` or `2021-05-17`."""
    return {
        DatePrecision.YEAR: f"{on.year:04d}",
        DatePrecision.MONTH: f"{on.year:04d}-{on.month:02d}",
    }.get(precision, on.isoformat())


def merge_claims(claims: Iterable[ExtractedClaim]) -> list[ExtractedClaim]:
    """One claim per (kind, player, club), in order of first mention; a claim another claim of
    the same sentence answers (a bid and its rejection) is dropped."""
    merged: dict[tuple[str, str, str | None], ExtractedClaim] = {}
    every = list(claims)
    answers = {(c.span, c.kind, name_key(c.player), c.club) for c in every}
    for claim in every:
        if _subsumed(claim, answers):
            continue
        earlier = merged.get(claim.key)
        merged[claim.key] = claim if earlier is None else _combine(earlier, claim)
    return sorted(merged.values(), key=lambda c: (c.span[0], c.kind))


def _combine(first: ExtractedClaim, second: ExtractedClaim) -> ExtractedClaim:
    best, other = (second, first) if second.confidence > first.confidence else (first, second)
    dated = best if best.effective_on else other
    return replace(
        best,
        fee=best.fee or other.fee,
        deal=_more_specific(best.deal, other.deal),
        from_club=best.from_club or other.from_club,
        effective_on=dated.effective_on,
        effective_precision=dated.effective_precision,
        renewed=best.renewed or other.renewed,
    )


def _more_specific(best: DealType | None, other: DealType | None) -> DealType | None:
    """The best sentence's deal type, unless another sentence says more about the same loan
    (`an initial loan` then `a loan with an option to buy`)."""
    if best is None or (
        best is DealType.LOAN and other is not None and other.value.startswith("loan")
    ):
        return other or best
    return best
