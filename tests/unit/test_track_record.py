"""Track record rules (docs/sources.md): which claims predict, how they come out, Wilson intervals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from projections.source_record import count_claims, source_records, wilson_interval
from projections.track_record import DORMANT, Prediction, RecordClaim, player_predictions
from tests.factories import fold_claim

START = date(2025, 1, 1)


def said(
    day: int,
    kind: str,
    club: str | None = "spurs",
    source: str = "outlet",
    journalist: str | None = None,
    effective: int | None = None,
) -> RecordClaim:
    claim = fold_claim(
        kind,
        START + timedelta(days=day),
        club,
        position=0,
        effective=None if effective is None else START + timedelta(days=effective),
        from_club="palace",
        source=source,
    )
    return RecordClaim(claim, journalist)


def scored(*claims: RecordClaim, until: int = 60) -> list[Prediction]:
    return player_predictions("player", claims, quiet_days=90, until=START + timedelta(days=until))


def test_wilson_interval_of_three_hits_in_four() -> None:
    low, high = wilson_interval(3, 4)
    assert low == pytest.approx(0.3006, abs=1e-4)
    assert high == pytest.approx(0.9544, abs=1e-4)


def test_wilson_interval_stays_inside_zero_and_one() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_move_claims_before_a_signing_came_true_with_their_lead_time() -> None:
    found = scored(said(0, "interest"), said(10, "bid"), said(20, "deal_done"))
    assert [(p.kind, p.hit(), p.lead_days()) for p in found] == [
        ("interest", True, 20),
        ("bid", True, 10),
    ]


def test_the_signing_itself_and_later_chatter_are_not_predictions() -> None:
    found = scored(said(0, "deal_done"), said(5, "interest"), said(6, "collapsed"))
    assert found == []


def test_a_deal_that_collapsed_after_the_medical_was_a_miss_and_its_denial_a_hit() -> None:
    found = scored(said(0, "medical"), said(1, "denied", source="club"), said(3, "collapsed"))
    assert [(p.kind, p.hit()) for p in found] == [("medical", False), ("denied", True)]
    assert found[0].ending is not None and found[0].ending.status == "collapsed"


def test_a_rival_signing_makes_the_other_clubs_predictions_misses() -> None:
    found = scored(said(0, "interest", club="arsenal"), said(5, "deal_done", club="spurs"))
    assert [(p.club, p.hit()) for p in found] == [("arsenal", False)]
    assert found[0].ending is not None and found[0].ending.status == "lost out"


def test_a_pursuit_gone_quiet_is_a_miss_only_once_the_quiet_period_has_run_out() -> None:
    (still_open,) = scored(said(0, "talks"), until=90)
    assert still_open.hit() is None
    (quiet,) = scored(said(0, "talks"), until=91)
    assert quiet.hit() is False
    assert quiet.ending is not None and quiet.ending.status == DORMANT
    assert quiet.ending.known_on == START + timedelta(days=91)


def test_a_club_coming_back_after_the_quiet_period_starts_a_new_episode() -> None:
    found = scored(said(0, "interest"), said(120, "bid"), said(130, "deal_done"), until=200)
    assert [(p.kind, p.hit()) for p in found] == [("interest", False), ("bid", True)]


def test_background_restatements_of_the_past_are_not_predictions() -> None:
    found = scored(said(100, "bid", effective=10), said(101, "interest"), until=120)
    assert [p.kind for p in found] == ["interest"]


def test_an_ending_is_not_known_before_the_day_it_was_reported() -> None:
    (prediction,) = scored(said(0, "interest"), said(30, "deal_done"))
    assert prediction.hit(START + timedelta(days=29)) is None
    assert prediction.hit(START + timedelta(days=30)) is True


def test_a_source_right_three_times_of_four() -> None:
    found: list[Prediction] = []
    for club, ending in (("a", "deal_done"), ("b", "deal_done"), ("c", "deal_done")):
        found += player_predictions(
            f"p-{club}", [said(0, "bid", club=club), said(9, ending, club=club, source="x")],
            quiet_days=90, until=None,
        )  # fmt: skip
    found += player_predictions(
        "p-d", [said(0, "bid", club="d"), said(9, "collapsed", club="d", source="x")],
        quiet_days=90, until=None,
    )  # fmt: skip
    (record,) = [r for r in source_records(found, {}, {}, None) if r.source_id == "outlet"]
    assert (record.total.hits, record.total.resolved) == (3, 4)
    assert record.hit_rate == 0.75
    assert record.interval == pytest.approx((0.3006, 0.9544), abs=1e-4)
    assert record.by_kind["bid"].hits == 3


def test_a_journalist_whose_here_we_go_always_came_true() -> None:
    found: list[Prediction] = []
    for n in range(3):
        claims = [
            said(0, "deal_agreed", club=f"c{n}", journalist="romano"),
            said(4 + n, "deal_done", club=f"c{n}", source="club"),
        ]
        found += player_predictions(f"p{n}", claims, quiet_days=90, until=None)
    counts = count_claims((("outlet", "romano"), "deal_agreed") for _ in range(3))
    records = {r.source_id: r for r in source_records(found, counts, {}, None)}
    romano = records["romano"]
    assert (romano.total.claims, romano.total.hits, romano.total.resolved) == (3, 3, 3)
    assert romano.total.as_json()["median_lead_days"] == 5
    assert records["outlet"].total.hits == 3  # the outlet that published him shares the record


def test_retractions_are_counted_for_the_source() -> None:
    (record,) = source_records([], {}, {"tabloid": 2}, None)
    assert (record.source_id, record.retractions, record.total.claims) == ("tabloid", 2, 0)
