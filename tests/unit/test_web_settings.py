"""`rumours serve` settings come from the environment once, and bad numbers are one line."""

from __future__ import annotations

import pytest

from ledger.errors import SettingsError
from rumours_web.settings import DEFAULT_MAX_BODY_BYTES, load_web_settings


def test_no_token_means_no_writes_and_the_default_body_limit() -> None:
    settings = load_web_settings({})
    assert settings.api_token is None and settings.reader_database_url is None
    assert settings.max_body_bytes == DEFAULT_MAX_BODY_BYTES


def test_an_empty_token_is_no_token() -> None:
    assert load_web_settings({"RUMOURS_API_TOKEN": ""}).api_token is None


def test_secrets_are_kept_out_of_the_settings_repr() -> None:
    settings = load_web_settings(
        {"RUMOURS_API_TOKEN": "s3cret", "RUMOURS_READER_DATABASE_URL": "postgresql://r:pw@h/db"}
    )
    assert "s3cret" not in repr(settings) and "pw" not in repr(settings)


def test_a_body_limit_that_is_not_a_number_is_a_one_line_error() -> None:
    with pytest.raises(SettingsError, match=r"^RUMOURS_API_MAX_BODY_BYTES: expected a whole"):
        load_web_settings({"RUMOURS_API_MAX_BODY_BYTES": "1MB"})
