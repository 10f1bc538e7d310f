"""`copy_rows`: COPY into any table, quoted names, in the caller's transaction."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from ledger.copying import copy_rows
from ledger.errors import DatabaseError


def test_rows_are_copied_in_the_callers_transaction_and_roll_back_with_it(
    engine: sa.Engine,
) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text('CREATE TEMP TABLE "Odd name" (n int, "on" date, doc jsonb)'))
        conn.commit()
        copy_rows(conn, 'pg_temp.Odd name', ("n", "on", "doc"),
                  [(1, date(2025, 1, 5), '{"a": 1}'), (2, None, "{}")])  # fmt: skip
        rows = conn.execute(sa.text('SELECT n, "on", doc FROM "Odd name" ORDER BY n')).all()
        assert [tuple(row) for row in rows] == [(1, date(2025, 1, 5), {"a": 1}), (2, None, {})]
        conn.rollback()
        assert conn.execute(sa.text('SELECT count(*) FROM "Odd name"')).scalar_one() == 0


def test_a_refused_copy_is_a_ledger_error(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE TEMP TABLE numbers (n int)"))
        with pytest.raises(DatabaseError, match="invalid input syntax for type integer"):
            copy_rows(conn, "numbers", ("n",), [("not a number",)])
