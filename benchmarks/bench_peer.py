"""The peer: the `eventsourcing` library's PostgreSQL recorder, on the same server in the same run.

The ledger's own store is set beside a well-kept event store doing the same job: appending one
event per transaction, appending a pre-built batch, and reading the whole log back in order. The
peer's rows are the ledger's own rows read back from `events` (untimed), shaped the way one would
keep this ledger's events in that library: originator id = stream id, originator version =
stream version, topic = kind, state = every other column as one JSON document. Its table
(`peer_events`) lives in the same throwaway database, so both see the same server and disk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent as PeerEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from sqlalchemy.engine import make_url

from benchmarks.bench_db import BenchDatabase, psycopg_url
from benchmarks.bench_writes import Rate
from ledger import store
from ledger.codec import NewEvent
from ledger.reading import read_all

PEER_TABLE = "peer_events"
Recorder = PostgresApplicationRecorder
PAGE = 5_000  # rows per page when reading the whole log, for the ledger and the peer alike
# `insert_events` pipelines one INSERT per event; with 2,000 events in one call it hung waiting
# on the pipeline's sync (eventsourcing 9.5.6, psycopg 3.3) while 1,000 passed, so no call of
# the harness gives it more than this.
PEER_BATCH_MAX = 500
_PEER_ROW = (
    "SELECT stream_id, stream_version, kind, "
    "(to_jsonb(e) - 'position' - 'stream_id' - 'stream_version' - 'kind')::text "
    "FROM events e"
)


@contextmanager
def peer_recorder(db: BenchDatabase) -> Iterator[Recorder]:
    """The peer's application recorder on `db`, its table created, its pool closed afterwards."""
    url = make_url(db.url)
    socket_dir = url.query.get("host")
    host = url.host or (socket_dir if isinstance(socket_dir, str) else "localhost")
    datastore = PostgresDatastore(
        dbname=url.database or "",
        host=host,
        port=url.port or 5432,
        user=url.username or "",
        password=url.password or "",
        originator_id_type="text",  # stream ids are text ("player:…"), not UUIDs
    )
    try:
        recorder = PostgresApplicationRecorder(datastore, events_table_name=PEER_TABLE)
        recorder.create_table()
        yield recorder
    finally:
        datastore.close()


def _peer_event(row: Sequence[Any]) -> PeerEvent:
    return PeerEvent(
        originator_id=row[0], originator_version=row[1], topic=row[2], state=row[3].encode()
    )


def peer_events(db: BenchDatabase, positions: Sequence[int]) -> list[PeerEvent]:
    """The ledger's rows at `positions`, in position order, as the peer's stored events."""
    with psycopg.connect(psycopg_url(db.url)) as reader:
        rows = reader.execute(
            f"{_PEER_ROW} WHERE position = ANY(%s) ORDER BY position", (list(positions),)
        ).fetchall()
    return [_peer_event(row) for row in rows]


def fill(db: BenchDatabase, recorder: Recorder) -> int:
    """Copy every ledger row into the peer (untimed), so both read the same log."""
    count = 0
    with psycopg.connect(psycopg_url(db.url)) as reader, reader.cursor(name="peer_fill") as cursor:
        cursor.itersize = PEER_BATCH_MAX
        cursor.execute(f"{_PEER_ROW} ORDER BY position")
        while rows := cursor.fetchmany(PEER_BATCH_MAX):
            recorder.insert_events([_peer_event(row) for row in rows])
            count += len(rows)
    return count


def peer_single_appends(recorder: Recorder, events: Sequence[PeerEvent]) -> Rate:
    """Each event in its own `insert_events` call, the peer's one-event transaction."""
    started = time.perf_counter()
    for event in events:
        recorder.insert_events([event])
    return Rate(len(events), time.perf_counter() - started)


def batch_appends(
    db: BenchDatabase, recorder: Recorder, events: Sequence[NewEvent], size: int
) -> tuple[Rate, Rate]:
    """(ledger, peer) appending the same pre-built events in batches of `size`, alternating.

    The ledger appends a batch with `store.append_batch` in one transaction; the rows it stored
    are read back (untimed) and the peer appends them with one `insert_events`.
    """
    ledger, peer = Rate(0, 0.0), Rate(0, 0.0)
    for start in range(0, len(events), size):
        batch = events[start : start + size]
        started = time.perf_counter()
        with db.engine.begin() as conn:
            positions = store.append_batch(conn, batch).positions
        ledger = Rate(ledger.count + len(batch), ledger.seconds + time.perf_counter() - started)
        rows = peer_events(db, positions)
        started = time.perf_counter()
        recorder.insert_events(rows)
        peer = Rate(peer.count + len(rows), peer.seconds + time.perf_counter() - started)
    return ledger, peer


def ledger_read_all(engine: sa.Engine) -> Rate:
    """Every event through `ledger.reading.read_all`, in position order, each one looked at."""
    started = time.perf_counter()
    count = 0
    with engine.connect() as conn:
        for _event in read_all(conn, batch_size=PAGE):
            count += 1
    return Rate(count, time.perf_counter() - started)


def peer_read_all(recorder: Recorder) -> Rate:
    """Every notification, page by page, the way the library's readers walk the log."""
    started = time.perf_counter()
    count, last = 0, 0
    while page := recorder.select_notifications(last, PAGE, inclusive_of_start=False):
        count += len(page)
        last = page[-1].id
    return Rate(count, time.perf_counter() - started)


def read_alls(db: BenchDatabase, recorder: Recorder, rounds: int) -> tuple[Rate, Rate]:
    """(ledger, peer) reading the whole log, alternating over `rounds` so both see one cache."""
    ledger, peer = Rate(0, 0.0), Rate(0, 0.0)
    for _round in range(rounds):
        mine, theirs = ledger_read_all(db.engine), peer_read_all(recorder)
        ledger = Rate(ledger.count + mine.count, ledger.seconds + mine.seconds)
        peer = Rate(peer.count + theirs.count, peer.seconds + theirs.seconds)
    return ledger, peer
