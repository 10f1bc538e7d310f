"""Time travel through the boards (SPEC §5.2, §5.4): as-of dates, known-at moments, fold order."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from ledger.ingest.resolve import event_id_for
from ledger.retract import retract
from ledger.store import head_position
from projections.api import Boards
from projections.boards import PlayerBoard

PLAYER = "Emeka Vandersloot"


class Desk:
    """Writes claims about one player as JSONL files and ingests them, one file per call."""

    def __init__(self, engine: sa.Engine, folder: Path) -> None:
        self.engine = engine
        self.folder = folder
        self.files = 0

    def ingest(self, *claims: dict[str, Any]) -> None:
        self.files += 1
        path = self.folder / f"claims-{self.files}.jsonl"
        lines = [json.dumps({"player": PLAYER, "source": "Sky Sports", **c}) for c in claims]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = ingest(self.engine, [str(path)])
        assert report.errors == [] and report.appended == len(claims)


def claim(reported_on: str, kind: str, club: str | None = None, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"reported_on": reported_on, "kind": kind, **extra}
    if club is not None:
        fields["club"] = club
    return fields


def status_of(board: PlayerBoard, club: str) -> str | None:
    line = board.pursuit(club)
    return None if line is None else line.status


def moment_of(engine: sa.Engine, position: int) -> datetime:
    """When the event at `position` was recorded."""
    with engine.connect() as conn:
        moment: datetime = conn.execute(
            sa.text("SELECT recorded_at FROM events WHERE position = :p"), {"p": position}
        ).scalar_one()
    return moment


def head(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return head_position(conn)


@pytest.fixture
def desk(engine: sa.Engine, tmp_path: Path) -> Desk:
    return Desk(engine, tmp_path)


@pytest.fixture
def boards(engine: sa.Engine) -> Boards:
    return Boards(engine)


def test_a_retraction_hides_a_claim_only_from_the_moment_it_was_recorded(
    desk: Desk, boards: Boards, engine: sa.Engine
) -> None:
    desk.ingest(claim("2024-01-10", "interest", "Arsenal"))
    desk.ingest(claim("2024-02-01", "bid", "Arsenal", fee="£30m", id="arsenal-bid"))
    bid_position = head(engine)
    time.sleep(0.01)  # the retraction must be recorded strictly after the bid
    retracted = retract(engine, event_id_for("arsenal-bid", {}), "the outlet withdrew it")

    before = boards.status(PLAYER, known_at=moment_of(engine, bid_position))
    after = boards.status(PLAYER, known_at=moment_of(engine, retracted))
    assert (status_of(before, "Arsenal"), before.at.position) == ("bid made", bid_position)
    assert (status_of(after, "Arsenal"), after.at.position) == ("interest", retracted)
    assert status_of(boards.status(PLAYER), "Arsenal") == "interest"
    # Valid time cannot bring it back either: the bid stays withdrawn as of its own date.
    assert status_of(boards.status(PLAYER, as_of=date(2024, 2, 1)), "Arsenal") == "interest"


def test_as_of_is_inclusive_a_claim_reported_on_the_date_counts(desk: Desk, boards: Boards) -> None:
    desk.ingest(claim("2024-03-01", "interest", "Napoli"), claim("2024-03-05", "bid", "Napoli"))
    assert status_of(boards.status(PLAYER, as_of=date(2024, 3, 5)), "Napoli") == "bid made"
    assert status_of(boards.status(PLAYER, as_of=date(2024, 3, 4)), "Napoli") == "interest"
    assert status_of(boards.status(PLAYER, as_of=date(2024, 3, 1)), "Napoli") == "interest"
    assert boards.status(PLAYER, as_of=date(2024, 2, 29)).pursuits == []


def test_a_known_at_later_than_now_is_clamped_to_now(
    desk: Desk, boards: Boards, engine: sa.Engine
) -> None:
    desk.ingest(claim("2024-03-01", "interest", "Napoli"))
    desk.ingest(claim("2024-04-01", "talks", "Napoli"))
    future = datetime.now(UTC) + timedelta(days=365)
    later = boards.status(PLAYER, known_at=future)
    now = boards.status(PLAYER)
    assert later.at.position == now.at.position == head(engine)
    assert later.pursuits == now.pursuits
    assert status_of(later, "Napoli") == "talks"


def test_every_json_answer_carries_the_ledger_position_it_reflects(
    desk: Desk, boards: Boards, engine: sa.Engine
) -> None:
    desk.ingest(claim("2024-03-01", "interest", "Napoli", from_club="Crystal Palace"))
    first = head(engine)
    time.sleep(0.01)
    desk.ingest(claim("2024-04-01", "bid", "Napoli", fee="€20m"))
    answers = [
        boards.status(PLAYER).as_json(),
        boards.club("Napoli").as_json(),
        boards.club("Crystal Palace").as_json(),
        boards.history(PLAYER).as_json(),
        boards.sources().as_json(),
        boards.status(PLAYER, as_of=date(2024, 3, 1)).as_json(),
    ]
    assert [answer["position"] for answer in answers] == [head(engine)] * len(answers)
    earlier = boards.status(PLAYER, known_at=moment_of(engine, first)).as_json()
    assert earlier["position"] == first
    assert [p["status"] for p in earlier["pursuits"]] == ["interest"]


def test_a_back_filled_older_claim_lands_in_its_place_in_fold_order(
    desk: Desk, boards: Boards
) -> None:
    desk.ingest(claim("2024-07-01", "deal_done", "Liverpool", fee="£40m"))
    # Learnt later: Arsenal had been interested since June, and Chelsea had pulled out earlier.
    desk.ingest(
        claim("2024-06-10", "interest", "Arsenal"),
        claim("2024-07-03", "cooled", "Chelsea", effective_on="2024-05-20"),
        claim("2024-06-01", "interest", "Chelsea"),
    )
    now = boards.status(PLAYER)
    assert status_of(now, "Arsenal") == "lost out"
    assert now.pursuit("Arsenal").since == date(2024, 7, 1)  # type: ignore[union-attr]
    assert status_of(now, "Liverpool") == "deal done"
    # Chelsea's cooling (effective 20 May) folds before its June interest, which re-emerged and
    # then lost out to the deal.
    assert status_of(now, "Chelsea") == "lost out"
    june = boards.status(PLAYER, as_of=date(2024, 6, 20))
    assert status_of(june, "Arsenal") == "interest"
    assert status_of(june, "Chelsea") == "interest"
    july = boards.status(PLAYER, as_of=date(2024, 7, 3)).pursuit("Chelsea")
    assert july is not None and july.re_emerged


def test_a_deal_done_elsewhere_makes_the_open_rivals_lost_out(desk: Desk, boards: Boards) -> None:
    desk.ingest(
        claim("2024-06-01", "bid", "Arsenal", fee="£35m", from_club="Crystal Palace"),
        claim("2024-06-03", "interest", "Napoli"),
        claim("2024-06-04", "interest", "Chelsea"),
        claim("2024-06-08", "cooled", "Chelsea"),
        claim("2024-06-20", "deal_done", "Liverpool", fee="£45m", deal="permanent"),
    )
    board = boards.status(PLAYER)
    statuses = {line.club: (line.status, line.since) for line in board.pursuits}
    assert statuses == {
        "Arsenal": ("lost out", date(2024, 6, 20)),
        "Napoli": ("lost out", date(2024, 6, 20)),
        "Chelsea": ("cooled", date(2024, 6, 8)),
        "Liverpool": ("deal done", date(2024, 6, 20)),
    }
    assert board.current_club == "Liverpool"
    before = boards.status(PLAYER, as_of=date(2024, 6, 19))
    assert status_of(before, "Arsenal") == "bid made"
    assert before.current_club == "Crystal Palace"
    targets = boards.club("Arsenal").targets
    assert [(line.player, line.status) for line in targets] == [(PLAYER, "lost out")]


def test_history_lists_claims_in_fold_order_with_the_status_after_each(
    desk: Desk, boards: Boards, engine: sa.Engine
) -> None:
    desk.ingest(
        claim("2024-06-20", "bid_rejected", "Arsenal", fee="£30m"),
        claim("2024-06-01", "interest", "Arsenal"),
        claim("2024-06-25", "bid", "Arsenal", fee="£38m", id="second-bid"),
        claim("2024-06-18", "bid", "Arsenal", fee="£30m", effective_on="2024-06-15"),
        claim("2024-06-10", "release_clause", fee="£50m"),
    )
    retract(engine, event_id_for("second-bid", {}), "misreported")
    lines = boards.history(PLAYER).claims
    assert [(line.reported_on.isoformat(), line.kind, line.status, line.retracted)
            for line in lines] == [
        ("2024-06-01", "interest", "interest", False),
        ("2024-06-10", "release_clause", None, False),
        ("2024-06-18", "bid", "bid made", False),
        ("2024-06-20", "bid_rejected", "bid rejected", False),
        ("2024-06-25", "bid", None, True),
    ]  # fmt: skip
    assert lines[2].effective_on == date(2024, 6, 15)
    assert lines[2].fee is not None and lines[2].fee["amount"] == "30000000"
    only_june = boards.history(PLAYER, as_of=date(2024, 6, 18)).claims
    assert [line.kind for line in only_june] == ["interest", "release_clause", "bid"]
