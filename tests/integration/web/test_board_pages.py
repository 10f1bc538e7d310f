"""What the player and club pages show: deals in and out from the club board itself, sellers,
flags, and dates only as precisely as they were stated."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from tests.integration.test_since_precision import BACKGROUND
from tests.integration.web.conftest import Served


def deals(page: str, which: str) -> str:
    found = re.search(rf'<ul class="deals" id="deals-{which}">(.*?)</ul>', page, re.S)
    assert found is not None, page
    return found.group(1)


def test_a_club_page_shows_the_deals_its_board_has_done_in_and_out(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        spurs = http.get("/clubs/Tottenham").text
        lens = http.get("/clubs/Lens").text
    assert "Kevin Danso" in deals(spurs, "in") and ">Lens</a>" in deals(spurs, "in")
    assert "Kevin Danso" in deals(lens, "out") and "Tottenham Hotspur" in deals(lens, "out")
    assert "None recorded" not in deals(spurs, "in") + deals(lens, "out")


@pytest.fixture
def background(engine: sa.Engine, tmp_path: Path) -> sa.Engine:
    """A ledger holding one move stated with its year only ("signed ... in 2022")."""
    claims = tmp_path / "background.jsonl"
    claims.write_text(json.dumps(BACKGROUND) + "\n", encoding="utf-8")
    assert ingest(engine, [str(claims)]).ok
    return engine


def test_the_player_page_shows_a_year_only_since_as_the_year(
    background: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        page = http.get("/players/Ko Itakura")
    assert page.status_code == 200
    assert '<td class="day">2022</td>' in page.text
    assert "2022-01-01" not in page.text


def test_a_year_only_deal_is_shown_with_its_year_on_both_clubs_pages(
    background: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        sold = deals(http.get("/clubs/Manchester City").text, "out")
        bought = deals(http.get("/clubs/Gladbach").text, "in")
    for listed in (sold, bought):
        assert "Ko Itakura" in listed and "2022" in listed, listed
        assert "2022-01-01" not in listed


def test_a_club_pages_targets_name_the_selling_club(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        spurs = http.get("/clubs/Tottenham").text
    targets = spurs.split("<h2>Targets", 1)[1].split("<h2>", 1)[0]
    assert "<th>From</th>" in targets
    guehi = re.search(r'<tr data-club="Tottenham Hotspur" data-player="Marc Guehi">(.*?)</tr>',
                      targets, re.S)  # fmt: skip
    assert guehi is not None and "Crystal Palace" in guehi.group(1)
    assert "£70m" in guehi.group(1) and "million-worth" not in spurs


def test_the_board_on_a_page_flags_a_quiet_pursuit_and_says_re_emerged_once(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        page = http.get("/players/Ko Itakura", params={"as_of": "2025-02-03"}).text
    rows = dict(
        re.findall(r'<tr data-club="([^"]+)" data-player="Ko Itakura">(.*?)</tr>', page, re.S)
    )
    assert "quiet since 2024-01-17" in rows["Liverpool"]
    assert "quiet since" not in rows["Tottenham Hotspur"]
    assert (
        rows["Tottenham Hotspur"].count("re-emerged") == 2
    )  # class and text of the status, no flag
