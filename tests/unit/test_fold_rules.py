"""How one pursuit's status moves claim by claim: SPEC §5.1 labels and §5.2 rules."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.events import CLAIM_KINDS
from projections.fold.player import fold_player
from projections.fold.statuses import (
    FOLDED_KINDS,
    NEGATIVE_STATUSES,
    OPEN_STATUSES,
    STATUS_BY_KIND,
    TERMINAL_STATUSES,
    Status,
)
from projections.fold.values import FoldClaim, PursuitView
from tests.factories import fold_claim


def _fold(*claims: FoldClaim, quiet_days: int = 90) -> PursuitView:
    view = fold_player(claims, quiet_days).pursuit("tottenham")
    assert view is not None
    return view


def test_every_ledger_kind_but_retraction_is_folded() -> None:
    assert FOLDED_KINDS | {"retraction"} == set(CLAIM_KINDS)


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("linked", "linked"), ("interest", "interest"), ("enquiry", "enquiry"),
        ("talks", "talks"), ("bid", "bid made"), ("bid_rejected", "bid rejected"),
        ("bid_accepted", "bid accepted"), ("personal_terms", "terms agreed"),
        ("medical", "medical"), ("deal_agreed", "deal agreed"), ("deal_done", "deal done"),
        ("collapsed", "collapsed"), ("cooled", "cooled"),
        ("player_rejected", "rejected by player"), ("blocked", "blocked"),
    ],
)  # fmt: skip
def test_a_first_claim_opens_its_pursuit_in_the_exact_label_of_its_kind(
    kind: str, label: str
) -> None:
    assert STATUS_BY_KIND[kind] == label
    assert _fold(fold_claim(kind, "2025-01-10")).status == label


def test_open_negative_and_terminal_statuses_partition_the_eighteen_labels() -> None:
    assert len(Status) == 18
    assert set(Status) == OPEN_STATUSES | NEGATIVE_STATUSES | TERMINAL_STATUSES
    assert not OPEN_STATUSES & NEGATIVE_STATUSES
    assert {
        "cooled",
        "collapsed",
        "rejected by player",
        "blocked",
        "lost out",
        "stayed",
    } == NEGATIVE_STATUSES


def test_bid_rejected_is_open_not_negative() -> None:
    assert "bid rejected" in OPEN_STATUSES
    assert "bid rejected" not in NEGATIVE_STATUSES


def test_enquiry_after_interest_moves_forward_to_enquiry() -> None:
    view = _fold(fold_claim("interest", "2025-01-01"), fold_claim("enquiry", "2025-01-05"))
    assert (view.status, view.since) == ("enquiry", date(2025, 1, 5))


def test_interest_after_a_bid_leaves_bid_made() -> None:
    view = _fold(fold_claim("bid", "2025-01-01"), fold_claim("interest", "2025-01-05"))
    assert (view.status, view.since) == ("bid made", date(2025, 1, 1))


@pytest.mark.parametrize("weak", ["linked", "interest", "enquiry", "talks"])
@pytest.mark.parametrize(
    "advanced", ["talks", "bid", "bid_rejected", "bid_accepted", "personal_terms", "deal_agreed"]
)
def test_weak_claims_never_downgrade_an_active_open_pursuit(weak: str, advanced: str) -> None:
    view = _fold(fold_claim(advanced, "2025-01-01"), fold_claim(weak, "2025-01-20"))
    assert view.status == STATUS_BY_KIND[advanced]
    assert view.claims == 2


def test_interest_after_interest_re_emerged_keeps_the_re_emerged_label() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01", renewed=True), fold_claim("interest", "2025-01-02")
    )
    assert view.status == "interest re-emerged"


def test_an_improved_bid_after_a_rejection_is_bid_made_not_re_emerged() -> None:
    view = _fold(
        fold_claim("bid", "2025-01-01"),
        fold_claim("bid_rejected", "2025-01-03"),
        fold_claim("bid", "2025-01-08"),
    )
    assert (view.status, view.since, view.re_emerged) == ("bid made", date(2025, 1, 8), False)
    assert view.bids == 2


def test_a_strong_claim_sets_its_status_even_behind_the_current_one() -> None:
    view = _fold(fold_claim("bid_accepted", "2025-01-01"), fold_claim("bid_rejected", "2025-01-02"))
    assert view.status == "bid rejected"


def test_a_restated_strong_status_keeps_its_since() -> None:
    view = _fold(fold_claim("bid_rejected", "2025-01-01"), fold_claim("bid_rejected", "2025-01-02"))
    assert (view.status, view.since, view.claims) == ("bid rejected", date(2025, 1, 1), 2)


@pytest.mark.parametrize("negative", ["collapsed", "cooled", "player_rejected", "blocked"])
def test_a_negative_claim_ends_an_open_pursuit(negative: str) -> None:
    view = _fold(fold_claim("deal_agreed", "2025-01-01"), fold_claim(negative, "2025-01-04"))
    assert view.status == STATUS_BY_KIND[negative]
    assert view.since == date(2025, 1, 4)


def test_a_different_negative_moves_since_and_a_repeated_one_does_not() -> None:
    cooled = fold_claim("cooled", "2025-01-01")
    assert _fold(cooled, fold_claim("cooled", "2025-01-09")).since == date(2025, 1, 1)
    view = _fold(cooled, fold_claim("blocked", "2025-01-09"))
    assert (view.status, view.since) == ("blocked", date(2025, 1, 9))


@pytest.mark.parametrize(
    "later", ["linked", "interest", "bid", "bid_rejected", "collapsed", "cooled", "blocked"]
)
def test_deal_done_is_terminal(later: str) -> None:
    view = _fold(
        fold_claim("deal_done", "2025-01-01"), fold_claim(later, "2025-06-01", renewed=True)
    )
    assert (view.status, view.since, view.claims) == ("deal done", date(2025, 1, 1), 2)
    assert view.last_reported == date(2025, 6, 1)


def test_a_denial_marks_the_pursuit_contested_and_keeps_its_status() -> None:
    view = _fold(fold_claim("bid", "2025-01-01"), fold_claim("denied", "2025-01-02"))
    assert (view.status, view.since, view.contested, view.claims) == (
        "bid made",
        date(2025, 1, 1),
        True,
        2,
    )


def test_a_denial_of_an_unseen_pursuit_opens_it_as_linked_and_contested() -> None:
    view = _fold(fold_claim("denied", "2025-01-02"))
    assert (view.status, view.contested, view.since) == ("linked", True, date(2025, 1, 2))


def test_a_contested_pursuit_stays_contested_through_weak_repeats() -> None:
    view = _fold(
        fold_claim("talks", "2025-01-01"),
        fold_claim("denied", "2025-01-02"),
        fold_claim("interest", "2025-01-03"),
    )
    assert view.contested


def test_a_new_status_clears_contested() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01"),
        fold_claim("denied", "2025-01-02"),
        fold_claim("bid", "2025-01-03"),
    )
    assert (view.status, view.contested) == ("bid made", False)


def test_a_denial_after_deal_done_marks_it_contested_but_keeps_it_done() -> None:
    view = _fold(fold_claim("deal_done", "2025-01-01"), fold_claim("denied", "2025-01-02"))
    assert (view.status, view.contested) == ("deal done", True)


def test_a_rejected_bid_we_never_saw_made_still_counts_as_one_bid() -> None:
    view = _fold(fold_claim("bid_rejected", "2025-02-03"))
    assert (view.status, view.bids) == ("bid rejected", 1)


def test_a_bid_and_its_rejection_count_as_one_bid() -> None:
    view = _fold(fold_claim("bid", "2025-01-01"), fold_claim("bid_rejected", "2025-01-02"))
    assert view.bids == 1
