"""Deal likelihood on the player and club boards: weighted by each source's record, no look-ahead."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from projections.api import Boards


def ingest_claims(engine: sa.Engine, folder: Path, claims: list[dict[str, Any]]) -> None:
    path = folder / "claims.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in claims) + "\n", encoding="utf-8")
    report = ingest(engine, [str(path)])
    assert report.errors == [] and report.appended == len(claims)


def claim(day: str, kind: str, player: str, club: str, source: str) -> dict[str, Any]:
    return {"reported_on": day, "kind": kind, "player": player, "club": club, "source": source}


def history() -> list[dict[str, Any]]:
    """The Athletic's bids all came true in June; Caught Offside's all went nowhere."""
    claims = []
    signed = ("Oskar Lindqvist", "Tiago Bernardes", "Emil Castellanos", "Yusuf Okonkwo")
    faded = ("Pavel Horaczek", "Dario Montefiori", "Jules Ravenscroft", "Kenji Watanabe")
    clubs = ("Everton", "Fulham", "Brentford", "Burnley")
    for club, good, bad in zip(clubs, signed, faded, strict=True):
        claims += [
            claim("2024-06-01", "bid", good, club, "The Athletic"),
            claim("2024-06-10", "deal_done", good, club, "BBC Sport"),
            claim("2024-06-01", "bid", bad, club, "Caught Offside"),
            claim("2024-06-10", "cooled", bad, club, "BBC Sport"),
        ]
    # Today's pursuits of one player, at the same stage, backed by one source each.
    claims += [
        claim("2024-08-01", "bid", "Rune Sandvik", "Everton", "The Athletic"),
        claim("2024-08-01", "bid", "Rune Sandvik", "Fulham", "Caught Offside"),
        claim("2024-08-01", "interest", "Rune Sandvik", "Burnley", "The Sun"),
        claim("2024-08-02", "cooled", "Rune Sandvik", "Burnley", "BBC Sport"),
    ]
    return claims


def chances(board: dict[str, Any]) -> dict[str, float | None]:
    return {line["club"]: line["likelihood"] for line in board["pursuits"]}


def test_a_pursuit_backed_by_a_source_that_was_right_is_more_likely(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, history())
    board = Boards(engine).status("Rune Sandvik", as_of=date(2024, 8, 5)).as_json()
    likely = chances(board)
    assert likely["Burnley"] is None  # cooled: not open
    assert likely["Everton"] is not None and likely["Fulham"] is not None
    assert likely["Everton"] > 0.5 > likely["Fulham"]


def test_the_likelihood_only_uses_records_known_on_the_boards_date(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, history())
    boards = Boards(engine)
    # As of 5 June no ending was known yet: both sources are strangers and the stage decides.
    early = chances(boards.status("Oskar Lindqvist", as_of=date(2024, 6, 5)).as_json())
    rival = chances(boards.status("Pavel Horaczek", as_of=date(2024, 6, 5)).as_json())
    assert early["Everton"] == rival["Everton"] == 0.5


def test_the_club_board_shows_the_likelihood_of_its_targets(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, history())
    board = Boards(engine).club("Everton", as_of=date(2024, 8, 5)).as_json()
    targets = {line["player"]: line["likelihood"] for line in board["targets"]}
    # Signed: no longer a pursuit to forecast, so it moves from the targets to the deals in.
    assert "Oskar Lindqvist" not in targets
    assert "Oskar Lindqvist" in [line["player"] for line in board["in"]]
    likelihood = targets["Rune Sandvik"]
    assert likelihood is not None and likelihood > 0.5
