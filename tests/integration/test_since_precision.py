"""A year- or month-only fact is never shown with an invented day (issue 12's honest states).

"Signed by Gladbach from City in 2022" is stored as 2022-01-01 with the precision `year`; the
pursuit it completes began its status then, so the board's `since` reads "2022", and the JSON
carries the stored date with `since_precision`. Incremental projection and rebuild agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from ledger.ingest.pipeline import ingest
from ledger.migrate import alembic_config, upgrade_to_head
from projections.api import Boards
from tests.integration.test_cli_reading import EXAMPLES, rumours, url_of

BACKGROUND = {
    "reported_on": "2024-01-17",
    "kind": "deal_done",
    "player": "Ko Itakura",
    "club": "Borussia Mönchengladbach",
    "from_club": "Manchester City",
    "effective_on": "2022",
    "background": True,
    "source": "Sky Deutschland",
}
MONTH = {
    "reported_on": "2024-08-02",
    "kind": "interest",
    "player": "Ko Itakura",
    "club": "Tottenham Hotspur",
    "from_club": "Borussia Mönchengladbach",
    "effective_on": "2024-07",
    "source": "Sky Deutschland",
}


def board(url: str) -> dict[str, dict[str, str]]:
    done = rumours(url, "status", "Ko Itakura", "--json")
    assert done.returncode == 0, done.stderr
    return {line["club"]: line for line in json.loads(done.stdout)["pursuits"]}


def test_a_year_or_month_only_since_is_shown_as_stated(engine: sa.Engine, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in (BACKGROUND, MONTH)), encoding="utf-8")
    url = url_of(engine)
    assert rumours(url, "ingest", str(claims)).returncode == 0
    pursuits = board(url)
    gladbach, spurs = pursuits["Borussia Mönchengladbach"], pursuits["Tottenham Hotspur"]
    assert (gladbach["since"], gladbach["since_precision"]) == ("2022-01-01", "year")
    assert (spurs["since"], spurs["since_precision"]) == ("2024-07-01", "month")
    for columns in ("80", "200"):
        table = rumours(url, "status", "Ko Itakura", env={"COLUMNS": columns}).stdout
        assert "2022-01-01" not in table and "2024-07-01" not in table, table
        assert " 2022 " in table and "2024-07 " in table, table
    assert rumours(url, "project", "--rebuild").returncode == 0
    assert board(url) == pursuits


def _rows_and_checkpoint(engine: sa.Engine) -> tuple[int, int | None]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT count(*) FROM pursuit_versions")).scalar_one()
        checkpoint = conn.execute(
            sa.text("SELECT position FROM projection_checkpoints WHERE name = 'boards'")
        ).scalar()
    return rows, checkpoint


def _migrated_again(engine: sa.Engine) -> None:
    """Down to the revision before since_precision, then up to head, as an upgrade finds it."""
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007")
    upgrade_to_head(engine)


def test_upgrading_a_ledger_with_a_year_only_date_projects_it_again(
    engine: sa.Engine, tmp_path: Path
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps(BACKGROUND) + "\n", encoding="utf-8")
    assert ingest(engine, [str(claims)]).ok
    Boards(engine).project()
    _migrated_again(engine)
    assert _rows_and_checkpoint(engine) == (0, None)  # cleared: its rows said "day"
    (line,) = Boards(engine).status("Ko Itakura").pursuits  # the catch-up folds it again
    assert line.since_precision == "year"


def test_upgrading_a_ledger_of_whole_days_keeps_its_projection(engine: sa.Engine) -> None:
    assert ingest(engine, [str(EXAMPLES)]).ok
    Boards(engine).project()
    before = _rows_and_checkpoint(engine)
    _migrated_again(engine)
    assert _rows_and_checkpoint(engine) == before
