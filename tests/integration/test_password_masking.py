"""No error line shows the database password, even when PostgreSQL echoes it back (issue 13).

SQLAlchemy renders `str(engine.url)` with `***` in place of the password, so a boundary that was
handed that string had nothing real to search for: the secret in the server's message went out.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ledger.database import create_ledger_engine, translated_errors
from ledger.errors import DatabaseError

SECRET = "pw-echoed-7f3a9c"


def _url_with_a_password(database_url: str) -> tuple[str, str]:
    """The test URL with a password in it: the server's own where it checks one (PostgreSQL 15
    in CI), else SECRET, which a server that lets its owner in unchecked accepts as well."""
    url = make_url(database_url)
    password = url.password or SECRET
    return url.set(password=password).render_as_string(hide_password=False), str(password)


def test_a_server_message_echoing_the_real_password_is_masked(database_url: str) -> None:
    url, secret = _url_with_a_password(database_url)
    engine = create_ledger_engine(url)
    try:
        with (
            pytest.raises(DatabaseError) as caught,
            translated_errors(engine.url),
            engine.connect() as conn,
        ):
            # PostgreSQL quotes the bad value back: invalid input syntax for type integer: "..."
            conn.execute(sa.text("SELECT CAST(:v AS integer)"), {"v": secret})
    finally:
        engine.dispose()
    assert secret in str(caught.value.__cause__), "the server did echo the secret"
    assert secret not in str(caught.value) and "***" in str(caught.value)


def test_the_engine_translates_its_own_errors_with_the_password_masked(database_url: str) -> None:
    """No `translated_errors` around the work: the engine's handle_error hook does it once."""
    url, secret = _url_with_a_password(database_url)
    engine = create_ledger_engine(url)
    try:
        with pytest.raises(DatabaseError) as caught, engine.connect() as conn:
            conn.execute(sa.text("SELECT CAST(:v AS integer)"), {"v": secret})
        with engine.connect() as conn:  # the connection went back to the pool usable
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
    assert secret in str(caught.value.__cause__)
    assert str(caught.value).startswith("PostgreSQL refused the work: invalid input syntax")
    assert secret not in str(caught.value) and "***" in str(caught.value)
