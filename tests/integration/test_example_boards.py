"""The seed articles' facts (examples/seed_claims.jsonl) give the statuses of SPEC §6."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from projections.api import Boards

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"


@pytest.fixture
def boards(engine: sa.Engine) -> Boards:
    report = ingest(engine, [str(EXAMPLE)])
    assert report.errors == [] and report.appended == 17
    return Boards(engine)


def test_itakura_tottenham_interest_has_re_emerged_by_february_2025(boards: Boards) -> None:
    board = boards.status("Ko Itakura", as_of=date(2025, 2, 3))
    spurs = board.pursuit("Tottenham Hotspur")
    assert spurs is not None
    assert spurs.status == "interest re-emerged"
    assert spurs.first_reported == date(2024, 1, 17)
    assert board.pursuit("Liverpool") is not None
    assert board.pursuit("Liverpool").status == "enquiry"  # type: ignore[union-attr]
    assert board.release_clause is not None
    assert board.release_clause["amount"] == "15000000"
    assert board.release_clause["currency"] == "EUR"
    assert board.release_clause["reported_on"] == "2024-01-17"


def test_itakura_tottenham_has_not_re_emerged_as_of_june_2024(boards: Boards) -> None:
    spurs = boards.status("itakura", as_of=date(2024, 6, 1)).pursuit("Tottenham Hotspur")
    assert spurs is not None
    assert spurs.status == "enquiry"
    assert not spurs.re_emerged


def test_guehi_bid_of_70m_was_rejected(boards: Boards) -> None:
    spurs = boards.status("Marc Guéhi", as_of=date(2025, 2, 3)).pursuit("Tottenham Hotspur")
    assert spurs is not None and spurs.status == "bid rejected"
    assert spurs.latest_fee == {"amount": "70000000", "currency": "GBP", "text": "£70m"}
    assert spurs.bids == 1


def test_danso_joined_tottenham_on_loan_with_an_obligation(boards: Boards) -> None:
    board = boards.status("Kevin Danso")
    spurs = board.pursuit("Tottenham Hotspur")
    assert spurs is not None and spurs.status == "deal done"
    assert spurs.deal == "loan_with_obligation"
    assert spurs.latest_fee is not None and spurs.latest_fee["amount"] == "25000000"
    assert board.current_club == "Tottenham Hotspur"


def test_khusanov_board_as_of_early_january_2025(boards: Boards) -> None:
    board = boards.status("Abdukodir Khusanov", as_of=date(2025, 1, 5))
    statuses = {line.club: line.status for line in board.pursuits}
    assert statuses["Tottenham Hotspur"] == "interest"
    assert statuses["Manchester City"] in {"interest", "enquiry"}
    city = board.pursuit("Manchester City")
    assert (
        city is not None and city.latest_fee is not None and city.latest_fee["amount"] == "8000000"
    )
    for rival in (
        "Marseille",
        "Paris Saint-Germain",
        "Wolverhampton Wanderers",
        "Newcastle United",
    ):
        assert statuses.get(rival) == "interest", rival
    assert board.asking_price is not None and board.asking_price["amount"] == "12000000"


def test_disasi_move_to_tottenham_collapsed_while_villa_close_in(boards: Boards) -> None:
    board = boards.status("Axel Disasi")
    assert board.pursuit("Tottenham Hotspur").status == "collapsed"  # type: ignore[union-attr]
    assert board.pursuit("Aston Villa").status in {"deal agreed", "talks"}  # type: ignore[union-attr]


def test_ingesting_the_example_twice_appends_nothing(engine: sa.Engine, boards: Boards) -> None:
    again = ingest(engine, [str(EXAMPLE)])
    assert (again.appended, again.duplicates) == (0, 17)


def test_the_same_claims_in_another_order_give_the_same_boards(
    boards: Boards, fresh_engine: Callable[[], sa.Engine], tmp_path: Path
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    random.Random(3).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = fresh_engine()
    ingest(other, [str(shuffled)])
    for player in ("Ko Itakura", "Abdukodir Khusanov", "Axel Disasi", "Kevin Danso"):
        for as_of in (date(2024, 6, 1), date(2025, 1, 5), None):
            mine = boards.status(player, as_of=as_of).as_json()
            theirs = Boards(other).status(player, as_of=as_of).as_json()
            mine.pop("position"), theirs.pop("position")
            assert mine == theirs
