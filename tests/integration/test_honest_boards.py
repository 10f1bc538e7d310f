"""What a person reads must be true: sellers, completed moves, quiet pursuits, one claim once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.ingest.articles import ingest_articles
from ledger.ingest.pipeline import ingest
from projections.api import Boards

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
# Written for this test: one bid reported by a cited source, and a move restated as background.
ARTICLE = (
    "date 2025-03-01\n"
    "Brentford have made a £20m bid for Lewis Okonkwo, according to Sky Sports. "
    "The Burnley winger joined Burnley from Leeds United in 2021.\n"
)


@pytest.fixture
def boards(engine: sa.Engine) -> Boards:
    assert ingest(engine, [str(EXAMPLE)]).appended == 17
    return Boards(engine)


def test_a_club_board_lists_a_completed_sale_out_and_a_completed_purchase_in(
    boards: Boards,
) -> None:
    lens = boards.club("Lens", as_of=date(2025, 2, 3)).as_json()
    assert [(line["player"], line["club"]) for line in lens["out"]] == [
        ("Kevin Danso", "Tottenham Hotspur")
    ]
    assert "Kevin Danso" not in {line["player"] for line in lens["wanted"]}
    spurs = boards.club("Tottenham Hotspur", as_of=date(2025, 2, 3)).as_json()
    assert [(line["player"], line["from_club"]) for line in spurs["in"]] == [
        ("Kevin Danso", "Lens")
    ]
    assert "deal done" not in {line["status"] for line in spurs["targets"]}


def test_wanted_is_by_the_pursuits_selling_club_as_of_the_board_date(boards: Boards) -> None:
    before = boards.club("Lens", as_of=date(2025, 1, 5))
    assert {line.player for line in before.wanted} == {"Abdukodir Khusanov"}
    assert before.sold == []


def test_a_pursuit_with_no_claim_for_longer_than_the_quiet_period_is_flagged_quiet(
    boards: Boards,
) -> None:
    fresh = boards.status("Marc Guehi", as_of=date(2025, 3, 1)).pursuits[0]
    assert fresh.as_json()["quiet"] is False
    later = boards.status("Marc Guehi", as_of=date(2025, 6, 1)).pursuits[0].as_json()
    assert (later["quiet"], later["quiet_since"], later["status"]) == (
        True, "2025-02-03", "bid rejected")  # fmt: skip
    done = boards.status("Kevin Danso", as_of=date(2026, 1, 1)).pursuits[0]
    assert done.quiet_since is None  # a finished pursuit is not quiet, it is over


def test_the_same_fact_from_a_structured_file_and_its_article_is_one_claim(
    engine: sa.Engine, boards: Boards, tmp_path: Path
) -> None:
    claim = {"id": "desk-okonkwo-bid", "reported_on": "2025-03-01", "kind": "bid",
             "player": "Lewis Okonkwo", "club": "Brentford", "fee": "£20 million",
             "source": "Sky Sports"}  # fmt: skip
    (tmp_path / "desk.jsonl").write_text(json.dumps(claim) + "\n", encoding="utf-8")
    (tmp_path / "okonkwo.txt").write_text(ARTICLE, encoding="utf-8")
    assert ingest(engine, [str(tmp_path / "desk.jsonl")]).appended == 1
    assert ingest_articles(engine, [str(tmp_path / "okonkwo.txt")]).appended == 2

    brentford = boards.status("Lewis Okonkwo").pursuit("Brentford")
    assert brentford is not None and (brentford.claims, brentford.bids) == (1, 1)
    sky = {s.source: s.claims for s in boards.sources().sources}["Sky Sports"]
    assert sky == 1  # the bid once; the restated 2021 move is background, not a prediction
    history = boards.history("Lewis Okonkwo").as_json()["claims"]
    bids = [line for line in history if line["kind"] == "bid"]
    assert len(bids) == 2 and bids[1]["same_claim_as"] == bids[0]["short_id"]


def test_history_shows_provenance_in_fold_order(engine: sa.Engine, tmp_path: Path) -> None:
    (tmp_path / "okonkwo.txt").write_text(ARTICLE, encoding="utf-8")
    ingest_articles(engine, [str(tmp_path / "okonkwo.txt")])
    claims = Boards(engine).history("Lewis Okonkwo").as_json()["claims"]
    background, bid = claims  # the 2021 move folds first: fold order, not ingest order
    assert (background["kind"], background["effective_on"]) == ("deal_done", "2021-01-01")
    assert (background["effective_precision"], background["background"]) == ("year", True)
    assert bid["short_id"] == bid["event_id"].replace("-", "")[:8]
    assert bid["source"] == "Sky Sports"
    assert bid["evidence"]["sentence"].startswith("Brentford have made a £20m bid")
    assert bid["evidence"]["article_id"]
