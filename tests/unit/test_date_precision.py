"""A date stated as a year or a month is stored as such, never as an invented day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from ledger.codec import StoredEvent, decode, encode
from ledger.events import DatePrecision
from ledger.extract import extract_claims, parse_article
from ledger.ingest.claim_input import ClaimInput, validate_claim


def checked(**fields: object) -> ClaimInput:
    claim = validate_claim({"reported_on": "2024-01-17", "kind": "deal_done", "player": "Ko Itakura",
                            "club": "Gladbach", **fields})  # fmt: skip
    assert isinstance(claim, ClaimInput), claim
    return claim


@pytest.mark.parametrize(
    ("stated", "on", "precision"),
    [("2022", date(2022, 1, 1), DatePrecision.YEAR),
     ("2022-05", date(2022, 5, 1), DatePrecision.MONTH),
     ("2022-05-17", date(2022, 5, 17), DatePrecision.DAY)],
)  # fmt: skip
def test_effective_on_keeps_the_precision_it_was_written_with(
    stated: str, on: date, precision: DatePrecision
) -> None:
    claim = checked(effective_on=stated, background=True)
    assert (claim.effective_on, claim.effective_precision, claim.background) == (
        on,
        precision,
        True,
    )


def test_a_month_that_does_not_exist_is_refused() -> None:
    problems = validate_claim({"reported_on": "2024-01-17", "kind": "deal_done",
                               "player": "Ko Itakura", "club": "Gladbach",
                               "effective_on": "2022-13"})  # fmt: skip
    assert isinstance(problems, list) and problems[0].field == "effective_on"


def test_the_extractor_marks_a_move_dated_by_a_past_year_as_background_with_year_precision() -> (
    None
):
    article = parse_article(
        "date 2025-03-01\nLewis Okonkwo joined Burnley from Leeds United in 2021.\n", "a.txt"
    )
    (claim,) = extract_claims(article, publisher="Sky Sports", known_players=[])
    assert claim.to_claim_dict()["effective_on"] == "2021"
    assert claim.background and claim.to_claim_dict()["background"] is True


def test_events_stored_before_version_3_read_back_with_day_precision() -> None:
    event_id = uuid.uuid4()
    stored = StoredEvent(
        position=1, event_id=event_id, stream_id="player:ko-itakura", stream_version=1,
        kind="deal_done", schema_version=2, reported_on=date(2024, 1, 17),
        effective_on=date(2022, 1, 1), recorded_at=datetime.now(UTC), player_id="ko-itakura",
        club_id="borussia-monchengladbach", from_club_id=None, source_id=None,
        stored_payload={"player_name": "Ko Itakura"}, stored_metadata={},
    )  # fmt: skip
    claim = decode(stored)
    assert (claim.effective_precision, claim.background) == (DatePrecision.DAY, False)
    year = claim.model_copy(update={"effective_precision": DatePrecision.YEAR, "background": True})
    assert encode(year).payload["effective_precision"] == "year"
    assert encode(year).payload["background"] is True
