"""A database that is down is a one-line error that hides the password, never a traceback."""

from __future__ import annotations

import socket

import pytest

from ledger.database import connect_engine, translated_errors
from ledger.errors import DatabaseUnavailableError
from ledger.migrate import upgrade_to_head
from ledger.settings import Settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_is_down_gives_a_one_line_error_without_the_password(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"postgresql://writer:s3cret-pw@127.0.0.1:{_closed_port()}/rumours"
    settings = Settings(database_url=url, home=tmp_path)
    with pytest.raises(DatabaseUnavailableError) as caught:
        engine = connect_engine(settings)
        with translated_errors(url):
            upgrade_to_head(engine)
    message = str(caught.value)
    assert "\n" not in message
    assert "s3cret-pw" not in message
    assert "127.0.0.1" in message
