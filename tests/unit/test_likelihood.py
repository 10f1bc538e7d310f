"""Deal likelihood (projections.likelihood): stage rates, source likelihood ratios, no look-ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from projections.book_store import packed_index, unpacked_index
from projections.likelihood import STAGE_PRIOR_WEIGHT, BookIndex, fit_book, logit, sigmoid
from projections.track_record import Ending, Prediction

DAY = date(2025, 1, 1)


def made(
    stage: str, came_true: bool, sources: tuple[str, ...] = ("s",), day: int = 0
) -> Prediction:
    known = DAY + timedelta(days=day + 10)
    ending = Ending(came_true, "deal done" if came_true else "cooled", known, known)
    kind = {"interest": "interest", "bid made": "bid", "medical": "medical"}[stage]
    return Prediction(sources, kind, "p", "c", DAY + timedelta(days=day), stage, sources, ending)


def test_logit_and_sigmoid_are_inverses() -> None:
    assert sigmoid(logit(0.3)) == pytest.approx(0.3)


def test_an_empty_book_says_one_in_two() -> None:
    book = fit_book([], None)
    assert book.likelihood("interest", ["anyone"]) == pytest.approx(0.5)


def test_stage_rates_are_smoothed_toward_the_pooled_rate() -> None:
    history = [made("interest", False)] * 8 + [made("medical", True)] * 8
    book = fit_book(history, None)
    assert book.pooled == pytest.approx(9 / 18)
    assert book.stage_rate("medical") == pytest.approx((8 + STAGE_PRIOR_WEIGHT * 0.5) / 13)
    assert book.stage_rate("interest") < book.stage_rate("bid made") < book.stage_rate("medical")


def test_a_source_better_than_its_stages_raises_the_likelihood_and_a_worse_one_lowers_it() -> None:
    history = [made("bid made", True, ("good",)) for _ in range(30)]
    history += [made("bid made", False, ("bad",)) for _ in range(30)]
    book = fit_book(history, None)
    stage = book.stage_rate("bid made")
    assert book.likelihood("bid made", ["good"]) > stage
    assert book.likelihood("bid made", ["bad"]) < stage
    assert book.likelihood("bid made", ["stranger"]) == pytest.approx(stage)


def test_a_source_counts_once_however_often_it_is_named() -> None:
    book = fit_book([made("bid made", True, ("good",)) for _ in range(10)], None)
    assert book.likelihood("bid made", ["good", "good"]) == book.likelihood("bid made", ["good"])


def test_a_book_as_of_a_day_only_uses_endings_known_by_then() -> None:
    early = [made("bid made", False, ("x",), day=0) for _ in range(10)]
    late = [made("bid made", True, ("x",), day=100) for _ in range(10)]
    before = fit_book(early + late, DAY + timedelta(days=50))
    assert before.stages == {4: (0, 10)}
    assert before.source_fit("x").resolved == 10
    assert fit_book(early + late, None).source_fit("x").hits == 10


def test_an_index_read_back_from_its_packed_form_gives_the_same_books_on_every_day() -> None:
    history = [made("bid made", day % 3 == 0, ("good", "x"), day=day) for day in range(40)]
    history += [made("interest", False, ("bad",), day=day) for day in range(0, 40, 4)]
    index = BookIndex(history)
    again = unpacked_index(packed_index(index))
    for day in (None, DAY, DAY + timedelta(days=20), DAY + timedelta(days=60)):
        book, stored = index.book(day), again.book(day)
        assert stored.stages == book.stages and stored.pooled == book.pooled
        for source in ("good", "x", "bad", "stranger"):
            assert stored.source_fit(source) == book.source_fit(source)
            assert stored.likelihood("bid made", [source]) == book.likelihood("bid made", [source])


def test_a_run_holds_each_day_once_however_many_endings_it_saw() -> None:
    same_day = [made("bid made", n % 2 == 0, ("s",), day=3) for n in range(10)]
    index = BookIndex([*same_day, made("bid made", True, ("s",), day=9)])
    ((days, hits, counts),) = [(d, h, c) for s, _, d, h, c in index.segments() if s == "s"]
    assert len(days) == 2 and hits == [0, 5, 6] and counts == [0, 10, 11]
    fit = index.book(DAY + timedelta(days=13)).source_fit("s")  # only the first day's known
    assert (fit.hits, fit.resolved) == (5, 10)
    assert unpacked_index(packed_index(index)).book(None).source_fit("s").resolved == 11
