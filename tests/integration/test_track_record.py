"""Source track records and deal likelihood on a real ledger: hand-made claims, known answers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from ledger.retract import retract
from projections.api import Boards


def ingest_claims(engine: sa.Engine, folder: Path, *claims: dict[str, Any]) -> None:
    path = folder / f"claims-{len(list(folder.iterdir()))}.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in claims) + "\n", encoding="utf-8")
    report = ingest(engine, [str(path)])
    assert report.errors == [] and report.appended == len(claims)


def claim(
    day: str, kind: str, player: str, club: str | None, source: str, **extra: Any
) -> dict[str, Any]:
    fields = {"reported_on": day, "kind": kind, "player": player, "source": source, **extra}
    if club is not None:
        fields["club"] = club
    return fields


def record_of(boards: Boards, source: str, **when: Any) -> dict[str, Any]:
    answer = boards.record(**when).as_json()
    return next(r for r in answer["sources"] if r["source"] == source)


# Four bids reported by GIVEMESPORT: three players sign, one deal collapses after the medical.
SIGNINGS = [
    claim("2024-06-01", "bid", "Tomas Arkwright", "Everton", "GMS"),
    claim("2024-06-20", "deal_done", "Tomas Arkwright", "Everton", "Sky Sports"),
    claim("2024-06-02", "bid", "Ivo Brankovic", "Fulham", "GIVEMESPORT"),
    claim("2024-06-12", "deal_done", "Ivo Brankovic", "Fulham", "Sky Sports"),
    claim("2024-06-03", "bid", "Lars Quenneville", "Brentford", "Give Me Sport"),
    claim("2024-07-03", "deal_done", "Lars Quenneville", "Brentford", "Sky Sports"),
    claim("2024-06-04", "bid", "Marco Dellavalle", "Burnley", "GMS"),
    claim("2024-06-05", "medical", "Marco Dellavalle", "Burnley", "Sky Sports"),
    claim("2024-06-09", "collapsed", "Marco Dellavalle", "Burnley", "Sky Sports"),
]


def test_a_source_right_three_times_of_four_with_aliases_merged(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, *SIGNINGS)
    boards = Boards(engine)
    gms = record_of(boards, "GIVEMESPORT")
    assert (gms["claims"], gms["resolved"], gms["hits"], gms["hit_rate"]) == (4, 4, 3, 0.75)
    assert gms["interval"] == [0.3006, 0.9544]
    assert gms["median_lead_days"] == 19  # 19, 10 and 30 days before the signings
    sky = record_of(boards, "Sky Sports")
    assert (sky["by_kind"]["medical"]["resolved"], sky["by_kind"]["medical"]["hits"]) == (1, 0)


def test_a_journalist_whose_here_we_go_always_came_true(engine: sa.Engine, tmp_path: Path) -> None:
    players = ("Noel Ashgrove", "Piet Vandermolen")
    claims = []
    for player, club in zip(players, ("Everton", "Fulham"), strict=True):
        claims.append(
            claim(
                "2024-07-01",
                "deal_agreed",
                player,
                club,
                "The Guardian",
                journalist="Fabrizio Romano",
            )
        )
        claims.append(claim("2024-07-04", "deal_done", player, club, "Sky Sports"))
    ingest_claims(engine, tmp_path, *claims)
    romano = record_of(Boards(engine), "Fabrizio Romano")
    assert (romano["type"], romano["resolved"], romano["hits"]) == ("journalist", 2, 2)
    assert romano["by_kind"]["deal_agreed"]["hit_rate"] == 1.0


def test_no_look_ahead_as_of_a_past_date(engine: sa.Engine, tmp_path: Path) -> None:
    ingest_claims(engine, tmp_path, *SIGNINGS)
    boards = Boards(engine)
    before = record_of(boards, "GIVEMESPORT", as_of=date(2024, 6, 15))
    # Brankovic signed on the 12th and Dellavalle's deal collapsed on the 9th; the others later.
    assert (before["predictions"], before["resolved"], before["hits"]) == (4, 2, 1)
    early = record_of(boards, "GIVEMESPORT", as_of=date(2024, 6, 2))
    assert (early["claims"], early["resolved"]) == (2, 0)


def test_a_retracted_claim_counts_until_the_retraction_is_known(
    engine: sa.Engine, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, *SIGNINGS)
    before_retraction = datetime.now(UTC)
    with engine.connect() as conn:
        event_id = conn.execute(
            sa.text("SELECT event_id FROM events WHERE kind = 'bid' AND player_id LIKE 'marco%'")
        ).scalar_one()
    retract(engine, event_id, "wrong player")
    boards = Boards(engine)
    now = record_of(boards, "GIVEMESPORT")
    assert (now["claims"], now["resolved"], now["hits"], now["retractions"]) == (3, 3, 3, 1)
    then = record_of(boards, "GIVEMESPORT", known_at=before_retraction)
    assert (then["claims"], then["resolved"], then["hits"], then["retractions"]) == (4, 4, 3, 0)


def test_the_cli_prints_the_record_as_json(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    ingest_claims(engine, tmp_path, *SIGNINGS)
    rumours = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert rumours is not None
    env = {**os.environ, "RUMOURS_DATABASE_URL": database_url}
    args = [rumours, "sources", "--record", "--as-of", "2024-06-15", "--json"]
    done = subprocess.run(args, env=env, capture_output=True, timeout=120, check=True)
    answer = json.loads(done.stdout)
    assert answer["as_of"] == "2024-06-15"
    gms = next(r for r in answer["sources"] if r["source"] == "GIVEMESPORT")
    assert (gms["resolved"], gms["hits"]) == (2, 1)
