"""An error nobody anticipated still reaches the user as one short line without SQL or values."""

from __future__ import annotations

import psycopg
import sqlalchemy.exc as sa_exc

from rumours.cli import UNEXPECTED_TEXT_LIMIT, unexpected_error_line

STATEMENT = "UPDATE pursuit_versions SET known_to = %(k)s WHERE player_id = %(p)s"


def test_a_failed_statement_is_reported_without_its_sql_or_bound_parameters() -> None:
    error = sa_exc.OperationalError(
        STATEMENT,
        {"k": 41, "p": "player-secret-value"},
        psycopg.OperationalError("consuming input failed: server closed the connection"),
    )
    line = unexpected_error_line(error)
    assert "server closed the connection" in line
    assert "pursuit_versions" not in line and "player-secret-value" not in line
    assert "[SQL" not in line and "parameters" not in line and "\n" not in line


def test_a_long_message_is_cut_to_a_short_line() -> None:
    line = unexpected_error_line(RuntimeError("x" * 5_000 + "\nsecond line"))
    assert len(line) < UNEXPECTED_TEXT_LIMIT + 80 and "second line" not in line
