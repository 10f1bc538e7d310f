"""CPU per event of each stage of a rebuild worker, on a kept benchmark database.

    python -m benchmarks.rebuild_stages NAME      # NAME: a database filled by bench_rebuild --keep

The rebuild's wall rate on a shared machine says more about the load than about the code, so
this measures the CPU seconds of this process alone (`time.process_time`), stage by stage, over
every player stream of the ledger, as one worker does them:

- read: `ledger.reading.read_fold_fields` through its server-side cursor (the client's share:
  receiving and building the row tuples; the server's work is not counted);
- decode: `projections.inputs.fold_input` per row;
- fold: grouping by player and `projections.rebuild_worker.player_rows` (the timeline, views and
  row tuples);
- write: the rows in the binary COPY format, with the worker's own encoders, into temporary
  copies of the projection tables (the client's encoding and sending; the server's parsing is
  not counted).

Every stage runs under the worker's collector settings (`rare_collections`). Decode, fold and
write are the best of three passes over the rows held in memory. One JSON line:
microseconds per event of each stage, their total and the events per CPU second it implies.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.bench_db import psycopg_url, server_admin_url
from ledger.copying import open_copy
from ledger.reading import read_fold_fields
from projections.inputs import fold_input
from projections.rebuild_worker import (
    by_player,
    column_types,
    player_rows,
    rare_collections,
    use_own_encoders,
)
from projections.rows import FACTS_COLUMNS, PURSUIT_COLUMNS

T = TypeVar("T")
QUIET_DAYS = 90


def _cpu(stage: Callable[[], T], passes: int = 3) -> tuple[float, T]:
    """(least CPU seconds of `passes` runs, the last run's result)."""
    best, result = float("inf"), None
    for _ in range(passes):
        started = time.process_time()
        result = stage()
        best = min(best, time.process_time() - started)
    assert result is not None
    return best, result


def _fold(inputs: list[Any]) -> list[tuple[bool, tuple[Any, ...]]]:
    return [row for player, events in by_player(inputs) for row in player_rows(player, events, QUIET_DAYS)]  # fmt: skip


def _write(conn: psycopg.Connection[Any], rows: list[tuple[bool, tuple[Any, ...]]]) -> int:
    """COPY the rows into empty temporary copies of the projection tables, in the binary format
    a worker uses (one table after the other: a connection runs one COPY at a time)."""
    with conn.transaction(force_rollback=True):
        for table, columns, facts in (("pursuit_versions", PURSUIT_COLUMNS, False),
                                      ("player_versions", FACTS_COLUMNS, True)):  # fmt: skip
            conn.execute(f"CREATE TEMP TABLE {table}__stage (LIKE {table})")
            types = column_types(conn, table, columns)
            use_own_encoders(conn)
            with open_copy(conn, f"{table}__stage", columns, binary_types=types) as copy:
                for is_facts, row in rows:
                    if is_facts is facts:
                        copy.write_row(row)
    return len(rows)


def measure(url: str) -> dict[str, float]:
    with psycopg.connect(url, options="-c statement_timeout=0") as conn:
        row = conn.execute("SELECT last_position FROM ledger_head").fetchone()
        head = 0 if row is None else int(row[0])
        # Under the worker's own collector settings (the rows held here stay unfrozen, so every
        # collection that does run scans them: an upper bound of the worker's cost). The read
        # too: under Python's defaults, collections rescanning the rows read so far doubled it.
        with rare_collections():
            with conn.transaction():
                read, fields = _cpu(lambda: list(read_fold_fields(conn, until=head)), passes=1)
            decode, inputs = _cpu(lambda: list(map(fold_input, fields)))
            fold, rows = _cpu(lambda: _fold(inputs))
            write, _ = _cpu(lambda: _write(conn, rows))
    events = len(fields)
    per_event = {name: seconds / events * 1e6 for name, seconds in
                 (("read", read), ("decode", decode), ("fold", fold), ("write", write))}  # fmt: skip
    total = sum(per_event.values())
    return {"events": events, "rows": len(rows),
            **{f"{name}_us": round(us, 2) for name, us in per_event.items()},
            "total_us": round(total, 2), "events_per_cpu_s": round(1e6 / total)}  # fmt: skip


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.rebuild_stages NAME", file=sys.stderr)
        return 2
    with server_admin_url() as (admin_url, _):
        url = make_url(admin_url).set(database=argv[0]).render_as_string(hide_password=False)
        result = measure(psycopg_url(url))
    print(json.dumps({**result, "load_average": os.getloadavg()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
