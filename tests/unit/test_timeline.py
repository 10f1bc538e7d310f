"""PlayerTimeline, fed in any order or resumed, holds the rows of `rows_of`, the specification."""

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
from projections.fold.statuses import FOLDED_KINDS
from projections.fold.timeline import FACTS, Change, PlayerTimeline, Retract, RowKey, RowValue
from projections.fold.values import FoldClaim, PlayerFacts, PursuitView, fold_key
from tests.factories import fold_claim

QUIET = 90
START = date(2024, 1, 1)
CLUBS = ("arsenal", "chelsea", "napoli")
FEE_KINDS = frozenset({"bid", "release_clause", "asking_price", "deal_done"})
FACT_KINDS = frozenset({"contract_extension", "release_clause", "asking_price"})

Rows = dict[RowKey, RowValue]


def rows_of(claims: list[FoldClaim], quiet_days: int) -> Rows:
    """The specification, folded the slow way: for every report date, the fold of each claim
    reported by then; a row wherever a value differs from the date before's."""
    rows: Rows = {}
    before: dict[str, RowValue] = {}
    for day in sorted({claim.reported_on for claim in claims}):
        fold = fold_player([claim for claim in claims if claim.reported_on <= day], quiet_days)
        values: dict[str, RowValue] = {**fold.pursuits(), FACTS: fold.facts()}
        rows |= {(club, day): value for club, value in values.items() if before.get(club) != value}
        before = values
    return rows


def _claim(
    position: int,
    kind: str,
    reported: date,
    club: str | None = "arsenal",
    *,
    effective: date | None = None,
    from_club: str | None = None,
    fee_millions: int | None = None,
    renewed: bool = False,
) -> FoldClaim:
    fee = None
    if fee_millions is not None:
        fee = Fee(
            amount=Decimal(fee_millions) * 1_000_000, currency="EUR", text=f"€{fee_millions}m"
        )
    return fold_claim(
        kind,
        reported,
        club,
        position=position,
        event_id=UUID(int=position),
        effective=effective,
        from_club=from_club,
        fee=fee,
        renewed=renewed,
    )


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


@st.composite
def claim_sets(draw: st.DrawFn, *, with_effective: bool = True, days: int = 400) -> list[FoldClaim]:
    """Claims of one player, positioned 1..n in the order they are drawn, reported over `days`
    days (few days: many claims share one)."""
    claims: list[FoldClaim] = []
    for position in range(1, draw(st.integers(1, 25)) + 1):
        if claims and draw(st.integers(0, 6)) == 0:
            # The same claim reaching the ledger again (another outlet's copy of an article):
            # the same identity under another event id, folded as nothing.
            repeated = draw(st.sampled_from(claims))
            claims.append(
                dataclasses.replace(repeated, position=position, event_id=UUID(int=position))
            )
            continue
        kind = draw(st.sampled_from(sorted(FOLDED_KINDS)))
        reported = _day(draw(st.integers(0, days)))
        effective = None
        if with_effective and draw(st.integers(0, 3)) == 0:
            # Back-dated (folds before claims already seen) or a pre-contract (folds later).
            effective = reported + timedelta(days=draw(st.integers(-120, 120)))
        fee = draw(st.integers(1, 90)) if kind in FEE_KINDS or draw(st.booleans()) else None
        club = None if kind in FACT_KINDS - {"contract_extension"} else draw(st.sampled_from(CLUBS))
        claims.append(
            _claim(
                position,
                kind,
                reported,
                club,
                effective=effective,
                from_club=draw(st.sampled_from([None, "lens", "porto"])),
                fee_millions=fee,
                renewed=draw(st.integers(0, 5)) == 0,
            )
        )
    return claims


def _repositioned(claims: list[FoldClaim]) -> list[FoldClaim]:
    """The claims in fold order, given new positions 1..n, so each one extends the end."""
    ordered = sorted(claims, key=fold_key)
    return [
        dataclasses.replace(claim, position=n, event_id=UUID(int=n))
        for n, claim in enumerate(ordered, start=1)
    ]


def _replay(changes: list[Change]) -> Rows:
    """Apply changes to an empty table the way the projector does, checking each one is sound."""
    table: Rows = {}
    for change in changes:
        for key in change.closes:
            assert key in table, f"position {change.position} closes a row that is not open"
            del table[key]
        for key, value in change.opens:
            assert key not in table, f"position {change.position} opens a row already open"
            table[key] = value
    return table


def _feed(claims: list[FoldClaim | Retract]) -> tuple[PlayerTimeline, list[Change]]:
    timeline = PlayerTimeline(QUIET)
    return timeline, [timeline.apply(event) for event in claims]


@settings(max_examples=200, deadline=None)
@given(claim_sets(with_effective=False))
def test_claims_fed_in_fold_order_give_the_rows_of_a_full_fold(claims: list[FoldClaim]) -> None:
    in_order = _repositioned(claims)
    timeline, changes = _feed(list(in_order))
    expected = rows_of(in_order, QUIET)
    assert timeline.rows == expected
    assert _replay(changes) == timeline.rows


@settings(max_examples=200, deadline=None)
@given(claim_sets())
def test_claims_in_any_arrival_order_give_the_rows_of_a_full_fold(
    claims: list[FoldClaim],
) -> None:
    timeline, changes = _feed(list(claims))
    expected = rows_of(claims, QUIET)
    assert timeline.rows == expected
    assert _replay(changes) == timeline.rows


@settings(max_examples=200, deadline=None)
@given(claim_sets(), st.data())
def test_retractions_leave_the_rows_of_the_claims_still_visible(
    claims: list[FoldClaim], data: st.DataObject
) -> None:
    withdrawn = data.draw(st.sets(st.sampled_from([c.event_id for c in claims])))
    retractions = [
        Retract(len(claims) + n, event_id) for n, event_id in enumerate(sorted(withdrawn), 1)
    ]
    timeline, changes = _feed([*claims, *retractions])
    visible = [claim for claim in claims if claim.event_id not in withdrawn]
    expected = rows_of(visible, QUIET)
    assert timeline.rows == expected
    assert _replay(changes) == timeline.rows


@settings(max_examples=300, deadline=None)
@given(claim_sets(days=6), st.data())
def test_every_event_leaves_the_rows_of_the_claims_seen_so_far_when_many_share_a_day(
    claims: list[FoldClaim], data: st.DataObject
) -> None:
    """Each change, not only the last, must be right: a rebuild writes every row version with
    the positions it held between. Few report days make second claims of a day that fold
    before the first (the last day refolded alone) common, and retractions come in between."""
    events: list[FoldClaim | Retract] = []
    for claim in claims:
        events.append(claim)
        if data.draw(st.integers(0, 4)) == 0:
            withdrawn = data.draw(st.sampled_from([c for c in events if isinstance(c, FoldClaim)]))
            events.append(Retract(0, withdrawn.event_id))
    timeline = PlayerTimeline(QUIET)
    changes: list[Change] = []
    for n, event in enumerate(events):
        changes.append(timeline.apply(event))
        withdrawn_ids = {e.retracts for e in events[: n + 1] if isinstance(e, Retract)}
        seen = [c for c in events[: n + 1] if isinstance(c, FoldClaim)]
        expected = rows_of([c for c in seen if c.event_id not in withdrawn_ids], QUIET)
        assert _replay(changes) == expected


@settings(max_examples=200, deadline=None)
@given(claim_sets(with_effective=False))
def test_a_claim_appended_at_the_end_only_touches_rows_of_its_own_date(
    claims: list[FoldClaim],
) -> None:
    timeline = PlayerTimeline(QUIET)
    for claim in _repositioned(claims):
        change = timeline.apply(claim)
        assert {day for _, day in change.closes} <= {claim.reported_on}
        assert {day for (_, day), _ in change.opens} <= {claim.reported_on}


def test_a_retraction_closes_the_rows_its_claim_opened() -> None:
    interest = _claim(1, "interest", _day(0), "arsenal")
    bid = _claim(2, "bid", _day(10), "chelsea", fee_millions=30)
    timeline, _ = _feed([interest, bid])
    change = timeline.apply(Retract(3, bid.event_id))
    assert ("chelsea", _day(10)) in change.closes
    assert all(club != "chelsea" for club, _ in timeline.rows)
    assert ("arsenal", _day(0)) in timeline.rows


def test_a_retraction_that_arrives_before_its_claim_hides_it() -> None:
    bid = _claim(2, "bid", _day(10), "chelsea")
    timeline, changes = _feed([Retract(1, bid.event_id), bid])
    assert changes[1].position == 2 and not changes[1]
    assert timeline.rows == {}


def test_retracting_an_unknown_claim_changes_nothing() -> None:
    timeline, _ = _feed([_claim(1, "interest", _day(0))])
    before = dict(timeline.rows)
    assert not timeline.apply(Retract(2, UUID(int=999)))
    assert timeline.rows == before


def test_a_back_filled_claim_reopens_later_rows() -> None:
    # Deal done with Chelsea on day 30; then we learn of Arsenal's interest on day 5.
    deal = _claim(1, "deal_done", _day(30), "chelsea")
    interest = _claim(2, "interest", _day(5), "arsenal")
    timeline, changes = _feed([deal, interest])
    arsenal = timeline.rows[("arsenal", _day(30))]
    assert getattr(arsenal, "status", None) == "lost out"
    assert ("arsenal", _day(5)) in dict(changes[1].opens)
    assert timeline.rows == rows_of([deal, interest], QUIET)


def test_a_pre_contract_folds_after_claims_reported_before_it_takes_effect() -> None:
    # Agreed on day 10 to move to Chelsea on day 60; Arsenal's bid on day 20 is still news.
    pre_contract = _claim(1, "deal_done", _day(10), "chelsea", effective=_day(60))
    bid = _claim(2, "bid", _day(20), "arsenal", fee_millions=40)
    later = _claim(3, "interest", _day(70), "napoli")
    timeline, changes = _feed([pre_contract, bid, later])
    assert timeline.rows == rows_of([pre_contract, bid, later], QUIET)
    arsenal = timeline.rows[("arsenal", _day(20))]
    assert getattr(arsenal, "status", None) == "lost out"
    assert _replay(changes) == timeline.rows


def test_a_back_filled_claim_refolds_only_the_days_from_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claims = [
        _claim(n, "interest" if n % 3 else "talks", _day(n), CLUBS[n % 3]) for n in range(1, 301)
    ]
    timeline, _ = _feed(list(claims))
    folded: list[FoldClaim] = []
    apply = PlayerFold.apply

    def counted(fold: PlayerFold, claim: FoldClaim) -> str | None:
        folded.append(claim)
        return apply(fold, claim)

    monkeypatch.setattr(PlayerFold, "apply", counted)
    back_filled = _claim(301, "bid", _day(290), "arsenal", fee_millions=20)
    change = timeline.apply(back_filled)
    assert {day for _, day in change.closes} | {day for (_, day), _ in change.opens} >= {_day(290)}
    assert min(claim.reported_on for claim in folded) >= _day(290)
    assert len(folded) <= 12  # days 290..300 and the bid, not the 300 claims before
    assert timeline.rows == rows_of([*claims, back_filled], QUIET)


def test_a_same_day_change_back_leaves_no_repeated_row() -> None:
    first = _claim(1, "interest", _day(0), "arsenal", from_club="lens")
    moved = _claim(2, "interest", _day(4), "chelsea", from_club="porto")
    back = _claim(3, "interest", _day(4), "napoli", from_club="lens")
    timeline, _ = _feed([first, moved, back])
    assert (FACTS, _day(4)) not in timeline.rows
    assert timeline.rows == rows_of([first, moved, back], QUIET)


def test_a_claim_of_a_day_that_holds_a_back_dated_claim_refolds_that_day_in_full() -> None:
    # Day 1 holds a claim that took effect before day 0's: a claim of day 1 that folds before
    # the bid cannot refold day 1 alone on top of day 0's board (found by the property above).
    interest = _claim(1, "interest", _day(0), "arsenal")
    bid = _claim(2, "bid", _day(1), "arsenal", fee_millions=20)
    back_dated = _claim(3, "asking_price", _day(1), None, effective=_day(-1), fee_millions=50)
    linked = _claim(4, "linked", _day(1), "chelsea")
    timeline, changes = _feed([interest, bid, back_dated, linked])
    assert timeline.rows == rows_of([interest, bid, back_dated, linked], QUIET)
    assert _replay(changes) == timeline.rows


@settings(max_examples=300, deadline=None)
@given(claim_sets(), st.data())
def test_a_resumed_timeline_continues_exactly_like_one_fed_event_by_event(
    claims: list[FoldClaim], data: st.DataObject
) -> None:
    withdrawn = data.draw(st.sets(st.sampled_from([c.event_id for c in claims])))
    retractions: list[FoldClaim | Retract] = [
        Retract(len(claims) + n, event_id) for n, event_id in enumerate(sorted(withdrawn), 1)
    ]
    events: list[FoldClaim | Retract] = [*claims, *retractions]
    split = data.draw(st.integers(min_value=0, max_value=len(events)))
    fed, _ = _feed(events[:split])
    resumed = PlayerTimeline.resumed(events[:split], QUIET)
    assert resumed.rows == fed.rows
    rest = events[split:]
    assert [_unordered(resumed.apply(e)) for e in rest] == [_unordered(fed.apply(e)) for e in rest]


def _unordered(change: Change) -> tuple[int, set[RowKey], dict[RowKey, RowValue]]:
    """A change as the projector applies it: the order within its closes and opens is free."""
    return change.position, set(change.closes), dict(change.opens)


def test_a_late_claim_of_a_day_before_that_days_deal_done_elsewhere_folds_in_its_place() -> None:
    """A claim arriving after a deal done of its day but folding before it (its kind comes
    first) must see its pursuit still open, so the deal ends it: folded after the deal instead,
    it would re-open the pursuit the deal had ended."""
    claims = [
        _claim(1, "interest", _day(0), "arsenal"),
        _claim(2, "deal_done", _day(5), "napoli"),
        _claim(3, "talks", _day(5), "arsenal"),
    ]
    timeline, changes = _feed(list(claims))
    assert timeline.rows == rows_of(claims, QUIET)
    assert _replay(changes) == timeline.rows
    arsenal = timeline.rows[("arsenal", _day(5))]
    assert isinstance(arsenal, PursuitView) and arsenal.status == "lost out"


def test_a_claim_of_a_day_between_two_copies_of_another_claim_keeps_the_stated_club() -> None:
    """Two copies of one claim (the second folded as nothing, stating nothing) with a claim of
    another club whose event id sorts between them, arriving last: the player's club is the one
    stated last in fold order, that claim's, on its day and after."""
    copy_of = {"kind": "collapsed", "club": "napoli", "from_club": "lens"}
    claims = [
        _claim(1, "interest", _day(0), "arsenal"),
        _claim(10, copy_of["kind"], _day(5), copy_of["club"], from_club=copy_of["from_club"]),
        _claim(30, copy_of["kind"], _day(5), copy_of["club"], from_club=copy_of["from_club"]),
        _claim(20, "cooled", _day(5), "arsenal", from_club="porto"),  # same kind order as collapsed
        _claim(40, "interest", _day(9), "chelsea"),
    ]
    assert claims[1].identity == claims[2].identity
    timeline, changes = _feed(list(claims))
    expected = rows_of(claims, QUIET)
    facts = expected[(FACTS, _day(5))]
    assert isinstance(facts, PlayerFacts) and facts.current_club == "porto"
    assert timeline.rows == expected
    assert _replay(changes) == expected
    assert PlayerTimeline.resumed(claims, QUIET).rows == expected
