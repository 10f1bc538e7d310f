"""Player-wide effects of the fold: cascades, changed clubs, player facts and board fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from ledger.money import Fee
from projections.fold.player import PlayerFold, fold_player
from projections.fold.values import FoldClaim
from tests.factories import fold_claim

GBP_70M = Fee(amount=Decimal(70_000_000), currency="GBP", text="£70m")
GBP_80M = Fee(amount=Decimal(80_000_000), currency="GBP", text="£80m")
EUR_15M = Fee(amount=Decimal(15_000_000), currency="EUR", text="€15m")
EUR_25M = Fee(amount=Decimal(25_000_000), currency="EUR", text="€25m")


def _statuses(fold: PlayerFold) -> dict[str, str]:
    return {club: view.status for club, view in fold.pursuits().items()}


def test_a_deal_done_elsewhere_makes_every_open_rival_lost_out_on_that_date() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-01", "liverpool"),
            fold_claim("bid_rejected", "2025-01-02", "arsenal"),
            fold_claim("deal_done", "2025-02-04", "tottenham", effective="2025-02-03"),
        ]
    )
    assert _statuses(fold) == {
        "liverpool": "lost out",
        "arsenal": "lost out",
        "tottenham": "deal done",
    }
    rival = fold.pursuit("arsenal")
    assert rival is not None
    assert (rival.since, rival.last_reported) == (date(2025, 2, 3), date(2025, 1, 2))


def test_a_deal_done_leaves_negative_and_done_rivals_alone() -> None:
    fold = fold_player(
        [
            fold_claim("cooled", "2024-01-01", "liverpool"),
            fold_claim("deal_done", "2024-01-02", "lens"),
            fold_claim("deal_done", "2025-02-03", "tottenham"),
        ]
    )
    assert _statuses(fold) == {"liverpool": "cooled", "lens": "deal done", "tottenham": "deal done"}


def test_a_rival_that_lost_out_re_emerges_on_later_interest() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-01", "liverpool"),
            fold_claim("deal_done", "2025-01-10", "tottenham"),
            fold_claim("interest", "2025-07-01", "liverpool"),
        ]
    )
    assert _statuses(fold)["liverpool"] == "interest re-emerged"


def test_a_repeated_deal_done_report_does_not_end_pursuits_opened_after_the_move() -> None:
    fold = fold_player(
        [
            fold_claim("deal_done", "2025-01-10", "tottenham"),
            fold_claim("interest", "2025-03-01", "liverpool"),
            fold_claim("deal_done", "2025-03-05", "tottenham"),
        ]
    )
    assert _statuses(fold)["liverpool"] == "interest"


def test_a_contract_extension_makes_open_pursuits_stayed_and_spares_the_rest() -> None:
    fold = PlayerFold()
    for claim in [
        fold_claim("talks", "2025-01-01", "liverpool"),
        fold_claim("blocked", "2025-01-02", "arsenal"),
        fold_claim("medical", "2025-01-03", "tottenham"),
    ]:
        fold.apply(claim)
    step = fold.apply(fold_claim("contract_extension", "2025-01-20", None))
    assert step.status is None
    assert _statuses(fold) == {"liverpool": "stayed", "arsenal": "blocked", "tottenham": "stayed"}
    assert set(step.changed) == {"liverpool", "tottenham"}
    stayed = fold.pursuit("tottenham")
    assert stayed is not None
    assert (stayed.since, stayed.claims) == (date(2025, 1, 20), 1)


def test_a_cascade_clears_contested() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-01", "liverpool"),
            fold_claim("denied", "2025-01-02", "liverpool"),
            fold_claim("deal_done", "2025-01-10", "tottenham"),
        ]
    )
    view = fold.pursuit("liverpool")
    assert view is not None
    assert (view.status, view.contested) == ("lost out", False)


def test_apply_names_the_claims_own_pursuit_as_changed() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("interest", "2025-01-01", "liverpool"))
    assert fold.apply(fold_claim("interest", "2025-01-02", "tottenham")).changed == ("tottenham",)


def test_apply_reports_the_rivals_a_deal_cascaded_onto_after_its_own_club() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("interest", "2025-01-01", "liverpool"))
    fold.apply(fold_claim("collapsed", "2025-01-02", "arsenal"))
    step = fold.apply(fold_claim("deal_done", "2025-01-03", "tottenham"))
    assert step.changed == ("tottenham", "liverpool")


def test_a_player_fact_that_touches_no_pursuit_changes_no_club() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("interest", "2025-01-01", "liverpool"))
    step = fold.apply(fold_claim("release_clause", "2025-01-02", None, fee=EUR_15M))
    assert (step.status, step.changed) == (None, ())


def test_a_restated_claim_changes_no_club() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("bid", "2025-01-01", source="sky", event_id=UUID(int=1)))
    step = fold.apply(fold_claim("bid", "2025-01-01", source="sky", event_id=UUID(int=2)))
    assert (step.status, step.changed) == ("bid made", ())


def test_apply_returns_the_status_of_the_claims_pursuit() -> None:
    fold = PlayerFold()
    assert fold.apply(fold_claim("bid", "2025-01-01")).status == "bid made"
    assert fold.apply(fold_claim("interest", "2025-01-02")).status == "bid made"
    assert fold.apply(fold_claim("asking_price", "2025-01-03", None, fee=GBP_80M)).status is None


def test_current_club_is_the_latest_stated_from_club_without_a_deal() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-02", from_club="gladbach"),
            fold_claim("interest", "2024-01-02", "liverpool", from_club="man-city"),
        ]
    )
    assert fold.facts().current_club == "gladbach"


def test_current_club_is_the_club_of_the_latest_deal_done() -> None:
    fold = fold_player(
        [
            fold_claim("deal_done", "2024-07-01", "lens", from_club="tashkent"),
            fold_claim("interest", "2025-01-02", from_club="someone-else"),
            fold_claim("deal_done", "2025-01-20", "man-city", from_club="lens"),
        ]
    )
    assert fold.facts().current_club == "man-city"
    assert (
        fold_player(
            [
                fold_claim("deal_done", "2024-07-01", "lens"),
                fold_claim("interest", "2025-01-02", from_club="other"),
            ]
        )
        .facts()
        .current_club
        == "lens"
    )


def test_a_contract_extensions_club_is_a_stated_current_club() -> None:
    fold = fold_player([fold_claim("contract_extension", "2025-01-02", "gladbach")])
    assert fold.facts().current_club == "gladbach"


def test_release_clause_and_asking_price_are_the_latest_in_fold_order() -> None:
    fold = fold_player(
        [
            fold_claim("release_clause", "2025-02-01", None, fee=EUR_25M),
            fold_claim("release_clause", "2024-01-17", None, fee=EUR_15M),  # back-filled, older
            fold_claim("asking_price", "2025-01-05", None, fee=GBP_70M),
            fold_claim("asking_price", "2025-01-09", None, fee=GBP_80M),
        ]
    )
    facts = fold.facts()
    assert (facts.release_clause, facts.release_clause_on) == (EUR_25M, date(2025, 2, 1))
    assert (facts.asking_price, facts.asking_price_on) == (GBP_80M, date(2025, 1, 9))


def test_a_player_with_no_claims_has_no_facts_and_no_pursuits() -> None:
    fold = fold_player([])
    facts = fold.facts()
    assert (facts.current_club, facts.release_clause, facts.asking_price) == (None, None, None)
    assert fold.pursuits() == {}
    assert fold.pursuit("tottenham") is None


def test_since_is_the_fold_date_of_the_claim_that_set_the_status() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-01"),
            fold_claim("medical", "2025-01-30", effective="2025-01-28"),
        ]
    )
    view = fold.pursuit("tottenham")
    assert view is not None
    assert (view.status, view.since) == ("medical", date(2025, 1, 28))


def test_first_and_last_reported_are_the_extremes_of_reported_on() -> None:
    fold = fold_player(
        [
            fold_claim("interest", "2025-01-10"),
            fold_claim("talks", "2025-03-01", effective="2025-01-05"),  # folds first, reported last
            fold_claim("bid", "2025-02-01"),
        ]
    )
    view = fold.pursuit("tottenham")
    assert view is not None
    assert (view.first_reported, view.last_reported, view.claims) == (
        date(2025, 1, 10),
        date(2025, 3, 1),
        3,
    )


def test_board_fields_keep_the_latest_stated_values_in_fold_order() -> None:
    fold = fold_player(
        [
            fold_claim(
                "bid", "2025-01-01", source="gms", fee=GBP_70M, from_club="palace", deal="permanent"
            ),
            fold_claim("bid_rejected", "2025-01-02", source="sky", from_club=None),
            fold_claim("bid", "2025-01-05", source="gms", fee=GBP_80M, deal="loan_with_obligation"),
            fold_claim("talks", "2025-01-06", source=None),
        ]
    )
    view = fold.pursuit("tottenham")
    assert view is not None
    assert view.sources == ("gms", "sky")
    assert (view.latest_fee, view.bids, view.claims) == (GBP_80M, 2, 4)
    assert (view.from_club, view.deal) == ("palace", "loan_with_obligation")


def test_a_view_is_a_snapshot_that_later_claims_do_not_change() -> None:
    fold = PlayerFold()
    fold.apply(fold_claim("interest", "2025-01-01", source="gms"))
    before = fold.pursuit("tottenham")
    fold.apply(fold_claim("bid", "2025-01-02", source="sky"))
    assert before is not None
    assert (before.status, before.sources, before.claims) == ("interest", ("gms",), 1)


def test_since_keeps_the_precision_of_the_claim_that_began_the_status() -> None:
    # "signed by Gladbach from City in 2022": a year-only fact is stored as 2022-01-01.
    background = fold_claim(
        "deal_done", "2024-01-17", "gladbach", effective="2022-01-01", from_club="man_city",
        precision="year",
    )  # fmt: skip
    rival = fold_claim("interest", "2021-11-02", "schalke")
    fold = fold_player([rival, background])
    pursuits = fold.pursuits()
    assert (pursuits["gladbach"].since, pursuits["gladbach"].since_precision) == (
        date(2022, 1, 1),
        "year",
    )
    # The rival lost out on the day the deal was done: known only to the year, like the deal.
    assert (pursuits["schalke"].status, pursuits["schalke"].since_precision) == ("lost out", "year")


def test_a_later_status_stated_to_the_day_takes_the_day_precision_again() -> None:
    month = fold_claim("interest", "2024-08-01", effective="2024-07-01", precision="month")
    fold = fold_player([month])
    assert fold.pursuits()["tottenham"].since_precision == "month"
    fold.apply(fold_claim("bid", "2024-08-05"))
    assert (fold.pursuits()["tottenham"].since, fold.pursuits()["tottenham"].since_precision) == (
        date(2024, 8, 5),
        "day",
    )


def test_a_stated_day_is_day_precision_whatever_the_claim_says_of_an_absent_effective_date() -> (
    None
):
    claim = fold_claim("talks", "2024-03-03", precision="year")
    assert fold_player([claim]).pursuits()["tottenham"].since_precision == "day"


def _same_day(kind: str, club: str | None, n: int, **fields: object) -> FoldClaim:
    """A claim of 2025-03-01 whose event id puts it n-th among that day's claims of its kind."""
    return fold_claim(kind, "2025-03-01", club, event_id=UUID(int=n), **fields)  # type: ignore[arg-type]


def _folded(claims: list[FoldClaim]) -> PlayerFold:
    fold = PlayerFold()
    for claim in claims:
        fold.apply(claim)
    return fold


def _state(fold: PlayerFold) -> tuple[object, ...]:
    snapshot = fold.snapshot()
    return (list(fold.pursuits().items()), fold.facts(), snapshot.last_key,
            snapshot.stated_claims)  # fmt: skip


def test_a_claim_folded_before_later_claims_of_other_clubs_gives_the_fold_in_order() -> None:
    earlier = [fold_claim("interest", "2025-02-01", "arsenal"),
               fold_claim("interest", "2025-02-02", "napoli", from_club="lens")]  # fmt: skip
    claim = _same_day("bid", "arsenal", 1, from_club="porto", fee=GBP_70M)
    later = [
        _same_day("bid", "napoli", 2, from_club="lens"),
        _same_day("bid_rejected", "napoli", 3),
    ]
    fold = _folded([*earlier, *later])
    step = fold.apply_before(claim, later)
    assert step is not None and step.changed == ("arsenal",)
    # The stated club stays the later claim's: it is the latest stated in fold order.
    assert _state(fold) == _state(_folded([*earlier, claim, *later]))
    assert fold.facts().current_club == "lens"


def test_a_claim_before_later_claims_that_state_no_club_states_its_own() -> None:
    earlier = [fold_claim("interest", "2025-02-01", "arsenal")]
    claim = _same_day("bid", "arsenal", 1, from_club="porto")
    later = [_same_day("bid", "napoli", 2)]
    fold = _folded([*earlier, *later])
    assert fold.apply_before(claim, later) is not None
    assert _state(fold) == _state(_folded([*earlier, claim, *later]))
    assert fold.facts().current_club == "porto"


def test_a_claim_whose_order_could_matter_is_refused_and_changes_nothing() -> None:
    earlier = [fold_claim("interest", "2025-02-01", "arsenal")]
    cases = [
        # a later claim of the same pursuit
        (_same_day("bid", "arsenal", 1), [_same_day("bid_rejected", "arsenal", 2)]),
        # a later deal done ends the other pursuits, this one's status deciding whether it ends
        (_same_day("interest", "arsenal", 1), [_same_day("deal_done", "napoli", 2)]),
        # a later extension ends every open pursuit
        (_same_day("interest", "arsenal", 1), [_same_day("contract_extension", "lens", 2)]),
        # a deal done ends the pursuits of the later claims
        (_same_day("deal_done", "arsenal", 1), [_same_day("bid", "napoli", 2)]),
        # a pursuit the player did not have: it would be first folded after the later ones
        (_same_day("interest", "chelsea", 1), [_same_day("bid", "napoli", 2)]),
        # a player fact
        (_same_day("release_clause", None, 1, fee=EUR_15M), [_same_day("bid", "napoli", 2)]),
    ]
    for claim, later in cases:
        fold = _folded([*earlier, *later])
        before = _state(fold)
        assert fold.apply_before(claim, later) is None, claim.kind
        assert _state(fold) == before


def test_a_fold_resumed_from_a_snapshot_sets_every_field_and_folds_on_alike() -> None:
    """`resumed` builds the fold without `__init__`: a field added later and forgotten there
    would be missing (an AttributeError on first use) or stale."""
    claims = [fold_claim("bid", "2025-01-02", "arsenal", fee=GBP_70M, from_club="lens"),
              fold_claim("release_clause", "2025-01-03", None, fee=EUR_15M)]  # fmt: skip
    fold = _folded(claims)
    resumed = PlayerFold.resumed(fold.snapshot())
    for name in PlayerFold.__slots__:
        assert hasattr(resumed, name), name
    later = fold_claim("bid_rejected", "2025-01-04", "arsenal")
    assert resumed.apply(later) == fold.apply(later)
    assert _state(resumed)[:3] == _state(fold)[:3]
