"""Settings, read once from the environment in the entry point and passed down frozen.

Nothing else in the code reads environment variables: tests and notebooks build a `Settings`
themselves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ledger.errors import SettingsError

DEFAULT_QUIET_DAYS = 90
# Guards interactive commands against a statement stuck behind a lock; long jobs (a rebuild)
# lift it for their own transactions.
DEFAULT_STATEMENT_TIMEOUT_MS = 60_000
# How long `project --follow` keeps reconnecting to a server that went away before it gives up.
DEFAULT_FOLLOW_RETRY_SECONDS = 300
# Extracted claims below this confidence wait in the review queue instead of being appended. The
# extractor's confidence is its pattern's (0.6 links ... 0.9 completed deals) times about
# 0.8-0.95 per inference, so below 0.5 means a weak pattern plus two inferences, or three;
# docs/review.md has the measurements behind it.
DEFAULT_REVIEW_BELOW = 0.5


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the database is and how the ledger behaves."""

    database_url: str | None  # None: use the embedded server under `home`
    home: Path
    quiet_days: int = DEFAULT_QUIET_DAYS
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS
    follow_retry_seconds: int = DEFAULT_FOLLOW_RETRY_SECONDS

    def with_database_url(self, url: str | None) -> Settings:
        return self if url is None else replace(self, database_url=url)


def default_home() -> Path:
    # platformdirs (with tempfile, shutil, bz2...) is imported only when RUMOURS_HOME is unset.
    import platformdirs

    return Path(platformdirs.user_data_dir("rumour-ledger", appauthor=False))


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read `RUMOURS_*` variables once; the CLI calls this, libraries never do."""
    env = os.environ if environ is None else environ
    home = Path(env["RUMOURS_HOME"]).expanduser() if env.get("RUMOURS_HOME") else default_home()
    return Settings(
        database_url=env.get("RUMOURS_DATABASE_URL") or None,
        home=home,
        quiet_days=_whole_number(env, "RUMOURS_QUIET_DAYS", DEFAULT_QUIET_DAYS),
        # 0 means no limit, as for PostgreSQL's own setting.
        statement_timeout_ms=_whole_number(
            env, "RUMOURS_STATEMENT_TIMEOUT_MS", DEFAULT_STATEMENT_TIMEOUT_MS
        ),
        # 0 means retry for ever.
        follow_retry_seconds=_whole_number(
            env, "RUMOURS_FOLLOW_RETRY_SECONDS", DEFAULT_FOLLOW_RETRY_SECONDS
        ),
    )


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise SettingsError(f"{name}: expected a whole number of 0 or more, got {text[:40]!r}")
    return int(text)
