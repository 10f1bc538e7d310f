"""Where the Alembic migrations are: the repository's top-level `migrations/` folder, installed
inside this package as `ledger.migrations` (pyproject.toml maps the one to the other, which type
checkers do not follow, hence the lookup by name)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path


def _folder() -> Path:
    spec = find_spec("ledger.migrations")
    origin = spec.origin if spec is not None else None
    assert origin is not None, "ledger.migrations is not installed"
    return Path(origin).parent


MIGRATIONS_FOLDER = _folder()
