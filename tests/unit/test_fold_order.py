"""Fold order (SPEC §5.2, §5.4): claims fold by date, never by ingest order, in any permutation."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.money import Fee
from projections.fold.player import PlayerFold, fold_player
from projections.fold.statuses import FOLDED_KINDS, PLAYER_FACT_KINDS, Status
from projections.fold.values import FoldClaim, fold_key
from tests.factories import fold_claim


def test_fold_key_is_fold_date_then_reported_on_then_the_order_within_a_day() -> None:
    claim = fold_claim("bid", "2025-02-03", position=7, effective="2025-01-31")
    assert fold_key(claim)[:3] == (date(2025, 1, 31), date(2025, 2, 3), 5)
    assert fold_key(claim)[3] == claim.event_id.int


def test_same_day_claims_fold_by_what_happens_first_not_by_ingest_position() -> None:
    signing = fold_claim("deal_done", "2025-02-03", "liverpool", position=1)
    interest = fold_claim("interest", "2025-02-03", "arsenal", position=2)
    assert sorted([signing, interest], key=fold_key) == [interest, signing]


def test_a_back_filled_older_claim_lands_in_its_place() -> None:
    # Appended first: the February 2025 article; back-filled later: the January 2024 one.
    recent = fold_claim("interest", "2025-02-03", position=1)
    older = fold_claim("enquiry", "2024-01-17", position=2)
    view = fold_player([recent, older]).pursuit("tottenham")
    assert view is not None
    assert (view.status, view.since, view.re_emerged) == (
        "interest re-emerged",
        date(2025, 2, 3),
        True,
    )
    assert view.first_reported == date(2024, 1, 17)


def test_before_the_re_emergence_only_the_first_link_is_seen() -> None:
    early = fold_player([fold_claim("enquiry", "2024-01-17", position=2)]).pursuit("tottenham")
    assert early is not None
    assert (early.status, early.re_emerged) == ("enquiry", False)


def test_an_earlier_effective_on_folds_before_a_claim_reported_in_between() -> None:
    done = fold_claim("deal_done", "2025-02-05", position=1, effective="2025-02-01")
    collapse = fold_claim("collapsed", "2025-02-03", position=2)
    view = fold_player([collapse, done]).pursuit("tottenham")
    assert view is not None
    assert (view.status, view.since) == ("deal done", date(2025, 2, 1))


def test_same_day_claims_fold_by_reported_on_then_position() -> None:
    late_report = fold_claim("collapsed", "2025-02-04", position=1, effective="2025-02-01")
    first = fold_claim("bid", "2025-02-01", position=3)
    second = fold_claim("bid_accepted", "2025-02-01", position=4)
    ordered = sorted([second, late_report, first], key=fold_key)
    assert [claim.position for claim in ordered] == [3, 4, 1]
    view = fold_player([second, late_report, first]).pursuit("tottenham")
    assert view is not None
    assert view.status == "collapsed"


def test_apply_refuses_a_claim_out_of_fold_order_and_stays_unchanged() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("bid", "2025-02-03", position=5))
    with pytest.raises(ValueError, match="out of fold order"):
        fold.apply(fold_claim("cooled", "2025-02-01", position=6))
    view = fold.pursuit("tottenham")
    assert view is not None
    assert (view.status, view.claims) == ("bid made", 1)


def test_apply_refuses_the_same_claim_twice() -> None:
    fold = PlayerFold()
    claim = fold_claim("bid", "2025-02-03", position=5)
    fold.apply(claim)
    with pytest.raises(ValueError, match="out of fold order"):
        fold.apply(claim)


def test_apply_refuses_a_retraction_and_unknown_kinds() -> None:
    for kind in ("retraction", "rumour"):
        with pytest.raises(ValueError, match="cannot fold claim kind"):
            PlayerFold().apply(fold_claim(kind, "2025-02-03", position=1))


def test_apply_refuses_a_pursuit_claim_without_a_club() -> None:
    with pytest.raises(ValueError, match="needs a club"):
        PlayerFold().apply(fold_claim("interest", "2025-02-03", None, position=1))


def test_a_negative_quiet_period_is_refused() -> None:
    with pytest.raises(ValueError, match="quiet_days"):
        PlayerFold(quiet_days=-1)


_START = date(2024, 1, 1)
_KINDS = sorted(FOLDED_KINDS)
_FEES = (None, Fee(amount=Decimal(8_000_000), currency="GBP", text="around £8m"))


@st.composite
def _claims(draw: st.DrawFn) -> list[FoldClaim]:
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_KINDS),
                st.integers(0, 500),
                st.none() | st.integers(-30, 0),
                st.sampled_from(["tottenham", "liverpool", "arsenal"]),
                st.none() | st.sampled_from(["lens", "palace"]),
                st.none() | st.sampled_from(["gms", "sky"]),
                st.sampled_from(_FEES),
                st.booleans(),
            ),
            max_size=25,
        )
    )
    claims = []
    for position, (kind, day, shift, club, from_club, source, fee, renewed) in enumerate(rows):
        reported = _START + timedelta(days=day)
        claims.append(
            fold_claim(
                kind,
                reported,
                None if kind in PLAYER_FACT_KINDS else club,
                position=position,
                event_id=UUID(int=position),
                effective=None if shift is None else reported + timedelta(days=shift),
                from_club=from_club,
                source=source,
                fee=fee,
                renewed=renewed,
            )
        )
    return claims


@settings(max_examples=300)
@given(data=st.data(), claims=_claims())
def test_any_permutation_of_the_same_claims_folds_to_the_same_views(
    data: st.DataObject, claims: list[FoldClaim]
) -> None:
    shuffled = data.draw(st.permutations(claims))
    expected, actual = fold_player(claims), fold_player(shuffled)
    assert actual.pursuits() == expected.pursuits()
    assert actual.facts() == expected.facts()


@settings(max_examples=300)
@given(claims=_claims(), quiet_days=st.integers(0, 200))
def test_applying_claims_one_by_one_matches_the_batch_and_never_undoes_a_deal(
    claims: list[FoldClaim], quiet_days: int
) -> None:
    fold = PlayerFold(quiet_days)
    for claim in sorted(claims, key=fold_key):
        done_before = {club for club, view in fold.pursuits().items() if view.status == "deal done"}
        status = fold.apply(claim).status
        assert all(fold.pursuits()[club].status == "deal done" for club in done_before)
        if claim.club is not None and claim.kind not in PLAYER_FACT_KINDS:
            view = fold.pursuit(claim.club)
            assert view is not None
            assert status == view.status
        assert {view.status for view in fold.pursuits().values()} <= set(Status)
    assert fold.pursuits() == fold_player(claims, quiet_days).pursuits()


def test_a_claim_built_by_keyword_positionally_or_by_replace_is_the_same_claim() -> None:
    """FoldClaim's own __init__ sets its slots directly: every way in gives the same fields,
    fold key and identity, and `dataclasses.replace` works both out anew."""
    fee = Fee(amount=Decimal("40000000"), currency="EUR", text="€40m")
    event = UUID(int=99)
    by_keyword = FoldClaim(
        position=3, event_id=event, kind="bid", reported_on=date(2025, 1, 2),
        effective_on=date(2025, 1, 5), club="arsenal", from_club="lens", source="bbc", fee=fee,
        deal="permanent", renewed=True, effective_precision="month",
    )  # fmt: skip
    positional = FoldClaim(3, event, "bid", date(2025, 1, 2), date(2025, 1, 5), "arsenal", "lens",
                           "bbc", fee, "permanent", True, "month")  # fmt: skip
    assert positional == by_keyword and hash(positional) == hash(by_keyword)
    assert positional.key == by_keyword.key == (date(2025, 1, 5), date(2025, 1, 2), 5, 99)
    assert positional.identity == by_keyword.identity
    assert by_keyword.identity == ("bid", "arsenal", "lens", "bbc", date(2025, 1, 2),
                                   date(2025, 1, 5), (fee.amount, fee.currency, fee.add_ons,
                                   fee.nature), "permanent", True)  # fmt: skip
    defaults = FoldClaim(4, event, "linked", date(2025, 1, 2), None, "arsenal", None, None, None,
                         None)  # fmt: skip
    assert (defaults.renewed, defaults.effective_precision, defaults.fold_precision) == (
        False, "day", "day")  # fmt: skip
    moved = dataclasses.replace(by_keyword, kind="talks", effective_on=None)
    assert moved.key == (date(2025, 1, 2), date(2025, 1, 2), 3, 99)
    assert moved.identity[0] == "talks" and moved.identity[5] is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        moved.kind = "bid"  # type: ignore[misc]
