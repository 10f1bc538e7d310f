"""The player page shows a year-only `since` as the year, as the CLI's tables do."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from tests.integration.test_since_precision import BACKGROUND
from tests.integration.web.conftest import Served


def test_the_player_page_shows_a_year_only_since_as_the_year(
    engine: sa.Engine, serve: Callable[..., Served], tmp_path: Path
) -> None:
    claims = tmp_path / "background.jsonl"
    claims.write_text(json.dumps(BACKGROUND) + "\n", encoding="utf-8")
    assert ingest(engine, [str(claims)]).ok
    with serve().client() as http:
        page = http.get("/players/Ko Itakura")
    assert page.status_code == 200
    assert '<td class="day">2022</td>' in page.text
    assert "2022-01-01" not in page.text
