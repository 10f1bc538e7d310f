"""Book indexes as counts (projections.book_tally), and a player's claims cut at a position."""

from __future__ import annotations

import pytest

from projections.book_tally import BookTally, UnbalancedTallyError
from projections.fold.timeline import Retract
from projections.likelihood import BookIndex, book_entries
from projections.record_reads import visible_claims
from tests.factories import fold_claim
from tests.unit.test_likelihood import made

HISTORY = [
    made("bid made", True, ("a", "b")),
    made("bid made", False, ("a",), day=3),
    made("interest", False, ("b",)),
    made("medical", True, ("c",), day=3),
    made("medical", True, ("c",), day=3),
    made("interest", True, ("a",), day=40),
]


def test_an_index_read_back_as_counts_is_the_same_index() -> None:
    index = BookIndex(HISTORY)
    assert list(BookTally.of_index(index).index().segments()) == list(index.segments())


def test_taking_predictions_out_of_the_counts_leaves_the_index_of_the_rest() -> None:
    tally = BookTally.of_index(BookIndex(HISTORY))
    tally.remove(book_entries(HISTORY[1:4]))
    rest = HISTORY[:1] + HISTORY[4:]
    assert list(tally.index().segments()) == list(BookIndex(rest).segments())


def test_counts_put_back_give_the_index_of_all_of_them() -> None:
    tally = BookTally()
    tally.add(book_entries(HISTORY[3:]))
    tally.add(book_entries(HISTORY[:3]))
    assert list(tally.index().segments()) == list(BookIndex(HISTORY).segments())


def test_taking_out_a_prediction_never_counted_is_refused() -> None:
    tally = BookTally.of_index(BookIndex(HISTORY[:2]))
    tally.remove(book_entries(HISTORY[2:3]))
    with pytest.raises(UnbalancedTallyError):
        tally.index()


def test_a_claim_is_visible_until_the_position_its_retraction_was_recorded_at() -> None:
    kept = fold_claim("bid", "2025-01-05", position=1)
    withdrawn = fold_claim("interest", "2025-01-06", position=2)
    later = fold_claim("talks", "2025-01-02", position=4)  # back-filled: older, recorded later
    events = [(kept, "romano"), (withdrawn, None), (Retract(3, withdrawn.event_id), None),
              (later, None)]  # fmt: skip
    assert [c.claim for c in visible_claims(events, 2)] == [kept, withdrawn]
    assert [c.claim for c in visible_claims(events, 3)] == [kept]
    assert [(c.claim, c.journalist) for c in visible_claims(events, 4)] == [
        (kept, "romano"), (later, None)
    ]  # fmt: skip
