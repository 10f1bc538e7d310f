"""Re-emergence (SPEC §5.2): after a negative status, a quiet spell, or a renewed claim."""

from __future__ import annotations

from datetime import date

import pytest

from projections.fold.player import fold_player
from projections.fold.values import FoldClaim, PursuitView
from tests.factories import fold_claim


def _fold(*claims: FoldClaim, quiet_days: int = 90) -> PursuitView:
    view = fold_player(claims, quiet_days).pursuit("tottenham")
    assert view is not None
    return view


def test_interest_after_cooling_re_emerges() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01"),
        fold_claim("cooled", "2025-01-10"),
        fold_claim("interest", "2025-01-20"),
    )
    assert (view.status, view.since, view.re_emerged) == (
        "interest re-emerged",
        date(2025, 1, 20),
        True,
    )


@pytest.mark.parametrize("weak", ["linked", "enquiry", "talks"])
def test_any_weak_claim_after_a_collapse_re_emerges_as_interest(weak: str) -> None:
    view = _fold(fold_claim("collapsed", "2025-01-01"), fold_claim(weak, "2025-01-02"))
    assert (view.status, view.re_emerged) == ("interest re-emerged", True)


def test_interest_after_120_quiet_days_re_emerges() -> None:
    view = _fold(fold_claim("interest", "2024-09-01"), fold_claim("interest", "2024-12-30"))
    assert (view.status, view.since, view.re_emerged) == (
        "interest re-emerged",
        date(2024, 12, 30),
        True,
    )


def test_interest_after_10_days_does_not_re_emerge() -> None:
    view = _fold(fold_claim("interest", "2025-01-01"), fold_claim("interest", "2025-01-11"))
    assert (view.status, view.since, view.re_emerged) == ("interest", date(2025, 1, 1), False)


def test_exactly_the_quiet_period_is_not_dormant_but_one_day_more_is() -> None:
    first = fold_claim("talks", "2025-01-01")
    assert _fold(first, fold_claim("interest", "2025-04-01")).status == "talks"  # 90 days
    assert _fold(first, fold_claim("interest", "2025-04-02")).status == "interest re-emerged"


def test_custom_quiet_days_changes_when_a_pursuit_is_dormant() -> None:
    claims = (fold_claim("interest", "2025-01-01"), fold_claim("interest", "2025-01-20"))
    assert _fold(*claims, quiet_days=14).status == "interest re-emerged"
    assert _fold(*claims, quiet_days=30).status == "interest"


def test_a_bid_after_cooling_is_bid_made_and_re_emerged() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01"),
        fold_claim("cooled", "2025-01-05"),
        fold_claim("bid", "2025-01-09"),
    )
    assert (view.status, view.re_emerged) == ("bid made", True)


def test_a_bid_after_a_dormant_spell_is_bid_made_and_re_emerged() -> None:
    view = _fold(fold_claim("bid", "2024-06-01"), fold_claim("bid", "2025-01-09"))
    assert (view.status, view.since, view.re_emerged) == ("bid made", date(2025, 1, 9), True)


def test_a_renewed_interest_claim_re_emerges_an_active_pursuit() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01"), fold_claim("interest", "2025-01-03", renewed=True)
    )
    assert (view.status, view.since, view.re_emerged) == (
        "interest re-emerged",
        date(2025, 1, 3),
        True,
    )


def test_a_renewed_weak_claim_does_not_pull_back_an_advanced_pursuit() -> None:
    view = _fold(
        fold_claim("talks", "2025-01-01"), fold_claim("interest", "2025-01-03", renewed=True)
    )
    assert (view.status, view.since, view.re_emerged) == ("talks", date(2025, 1, 1), True)


def test_a_renewed_first_claim_opens_the_pursuit_as_interest_re_emerged() -> None:
    view = _fold(fold_claim("enquiry", "2025-01-01", renewed=True))
    assert (view.status, view.re_emerged) == ("interest re-emerged", True)


def test_a_renewed_first_bid_is_bid_made_and_re_emerged() -> None:
    view = _fold(fold_claim("bid", "2025-01-01", renewed=True))
    assert (view.status, view.re_emerged) == ("bid made", True)


def test_repeats_inside_an_active_pursuit_are_evidence_only() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01"),
        fold_claim("interest", "2025-02-01"),
        fold_claim("interest", "2025-03-01"),
    )
    assert (view.status, view.since, view.re_emerged, view.claims) == (
        "interest",
        date(2025, 1, 1),
        False,
        3,
    )


def test_a_renewed_repeat_of_re_emerged_interest_keeps_its_since() -> None:
    view = _fold(
        fold_claim("interest", "2025-01-01", renewed=True),
        fold_claim("interest", "2025-01-02", renewed=True),
    )
    assert view.since == date(2025, 1, 1)


def test_the_re_emerged_flag_carries_through_progress_and_a_later_cooling() -> None:
    claims = [
        fold_claim("interest", "2025-01-01"),
        fold_claim("cooled", "2025-01-05"),
        fold_claim("interest", "2025-01-09"),
        fold_claim("bid", "2025-01-12"),
    ]
    assert _fold(*claims).re_emerged
    view = _fold(*claims, fold_claim("cooled", "2025-01-20"))
    assert (view.status, view.re_emerged) == ("cooled", True)


def test_a_dormant_re_emerged_pursuit_re_emerging_again_starts_a_new_interval() -> None:
    view = _fold(
        fold_claim("interest", "2024-01-01", renewed=True), fold_claim("interest", "2024-09-01")
    )
    assert (view.status, view.since) == ("interest re-emerged", date(2024, 9, 1))
