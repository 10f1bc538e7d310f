"""`rumours --help` must not import the database stack or the extractor (they cost ~1 s)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "psycopg", "alembic", "pydantic", "structlog", "ledger.extract")

PROBE = f"""
import contextlib, io, sys
from rumours.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(["--help"])
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_help_imports_nothing_heavy() -> None:
    # A fresh interpreter: this test process has long since imported all of them.
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
