"""Settings come from `RUMOURS_*` variables once; a bad value is a one-line input error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.errors import SettingsError
from ledger.settings import DEFAULT_QUIET_DAYS, DEFAULT_STATEMENT_TIMEOUT_MS, load_settings


def test_nothing_set_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_settings({"RUMOURS_HOME": str(tmp_path)})
    assert settings.database_url is None
    assert settings.home == tmp_path
    assert settings.quiet_days == DEFAULT_QUIET_DAYS
    assert settings.statement_timeout_ms == DEFAULT_STATEMENT_TIMEOUT_MS


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "RUMOURS_DATABASE_URL": "postgresql://ledger@db/rumours",
            "RUMOURS_HOME": "/srv/rumours",
            "RUMOURS_QUIET_DAYS": "45",
            "RUMOURS_STATEMENT_TIMEOUT_MS": "0",
        }
    )
    assert settings.database_url == "postgresql://ledger@db/rumours"
    assert settings.home == Path("/srv/rumours")
    assert settings.quiet_days == 45
    assert settings.statement_timeout_ms == 0  # no limit, as in PostgreSQL


@pytest.mark.parametrize("value", ["-5", "ten", "1.5", "9e9"])
@pytest.mark.parametrize("name", ["RUMOURS_QUIET_DAYS", "RUMOURS_STATEMENT_TIMEOUT_MS"])
def test_a_value_that_is_not_a_whole_number_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}: expected a whole number") as raised:
        load_settings({name: value})
    assert "\n" not in str(raised.value)
