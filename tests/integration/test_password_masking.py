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


def test_a_server_message_echoing_the_real_password_is_masked(database_url: str) -> None:
    # The test server lets its owner in without checking a password, so any password connects.
    url = make_url(database_url).set(password=SECRET).render_as_string(hide_password=False)
    engine = create_ledger_engine(url)
    try:
        with (
            pytest.raises(DatabaseError) as caught,
            translated_errors(engine.url),
            engine.connect() as conn,
        ):
            # PostgreSQL quotes the bad value back: invalid input syntax for type integer: "..."
            conn.execute(sa.text("SELECT CAST(:v AS integer)"), {"v": SECRET})
    finally:
        engine.dispose()
    assert SECRET in str(caught.value.__cause__), "the server did echo the secret"
    assert SECRET not in str(caught.value) and "***" in str(caught.value)


def test_the_engine_translates_its_own_errors_with_the_password_masked(database_url: str) -> None:
    """No `translated_errors` around the work: the engine's handle_error hook does it once."""
    url = make_url(database_url).set(password=SECRET).render_as_string(hide_password=False)
    engine = create_ledger_engine(url)
    try:
        with pytest.raises(DatabaseError) as caught, engine.connect() as conn:
            conn.execute(sa.text("SELECT CAST(:v AS integer)"), {"v": SECRET})
        with engine.connect() as conn:  # the connection went back to the pool usable
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
    assert SECRET in str(caught.value.__cause__)
    assert str(caught.value).startswith("PostgreSQL refused the work: invalid input syntax")
    assert SECRET not in str(caught.value) and "***" in str(caught.value)
