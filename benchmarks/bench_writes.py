"""Write figures: bulk ingest against raw COPY, single appends against a raw INSERT loop.

Both references write the very same event rows into `events_raw`, a bare copy of the events
table (no indexes, constraints or triggers), on the same server in the same run, with psycopg
and nothing else, so each ratio is what the ledger's guarantees cost over the server's floor.
Bulk ingest has a second reference: the same COPY into `events_indexed`, a copy of the events
table with all its indexes and constraints, which is what writing the rows at all costs.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.json import Jsonb

from benchmarks.bench_db import RAW_TABLE, BenchDatabase, psycopg_url
from ledger import store
from ledger.codec import NewEvent, encode
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import source_registry
from ledger.ingest.claim_input import validate_claim
from ledger.ingest.pipeline import ingest
from ledger.ingest.resolve import ClaimResolver
from ledger.reading import EVENT_COLUMNS

COLUMNS = ", ".join(EVENT_COLUMNS)
# JSONB read back as text: the reference sends the server the same JSON text the store sends.
_SELECT = ", ".join(f"{c}::text" if c in ("payload", "metadata") else c for c in EVENT_COLUMNS)
_RAW_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    seconds: float

    @property
    def per_s(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


def write_jsonl(claims: Iterable[dict[str, object]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for claim in claims:
            handle.write(json.dumps(claim, ensure_ascii=False))
            handle.write("\n")
            count += 1
    return count


def bulk_ingest(
    db: BenchDatabase, path: Path, workers: int | None = None
) -> tuple[Rate, int, float, float]:
    """(claims read per second, events appended, client CPU seconds of this process and of its
    worker processes) of `ingest` over one JSONL file. The CPU seconds (all threads; the workers
    are joined when `ingest` returns, so RUSAGE_CHILDREN holds them) say how much of the wall
    time was the client's own work, and so how much was the server's or waiting for a core."""
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    report = ingest(db.engine, [str(path)], workers=workers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    children = _children_cpu() - children
    if report.errors:
        first = report.errors[0]
        raise RuntimeError(
            f"generated claims were rejected, e.g. {first[0]}:{first[1]}: {first[2]}"
        )
    return Rate(report.read, seconds), report.appended, cpu, children


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _row_chunks(reader: psycopg.Connection[Any], where: str) -> Iterator[list[tuple[Any, ...]]]:
    with reader.cursor(name="bench_rows") as cursor:
        cursor.itersize = _RAW_CHUNK
        cursor.execute(f"SELECT {_SELECT} FROM events WHERE {where} ORDER BY position")
        while chunk := cursor.fetchmany(_RAW_CHUNK):
            yield chunk


def raw_copy(db: BenchDatabase, table: str = RAW_TABLE) -> Rate:
    """COPY every stored event row into `table` (the bare one by default, or the indexed
    copy of `events`); only the COPYs are timed.

    Rows are read back in chunks so the reference needs no more memory at 1M events than at 1k.
    """
    url = psycopg_url(db.url)
    seconds, count = 0.0, 0
    with psycopg.connect(url) as reader, psycopg.connect(url) as writer:
        for chunk in _row_chunks(reader, "true"):
            started = time.perf_counter()
            with (
                writer.cursor() as cursor,
                cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy,
            ):
                for row in chunk:
                    copy.write_row(row)
            writer.commit()
            seconds += time.perf_counter() - started
            count += len(chunk)
    return Rate(count, seconds)


def resolve_claims(db: BenchDatabase, claims: Iterable[dict[str, object]]) -> list[NewEvent]:
    """Claims through the ingest path (validate, resolve, encode) once, untimed.

    New players are stored now so the timed appends write events only, as `ingest` does.
    """
    events: list[NewEvent] = []
    with db.engine.begin() as conn:
        directory = PlayerDirectory.load(conn)
        resolver = ClaimResolver(club_registry(), source_registry(), directory)
        for data in claims:
            checked = validate_claim(data)
            resolved = resolver.resolve(checked) if not isinstance(checked, list) else checked
            if not isinstance(resolved, list):
                events.append(encode(resolved))
        directory.store_new(conn)
    return events


def append_one(target: sa.Engine | sa.Connection, event: NewEvent) -> int | None:
    """Append one event in its own transaction, the way a caller appending one claim does
    (`ledger.store.append_one`); its position, or None for a duplicate."""
    result = store.append_one(target, event)
    return result.positions[0] if result.positions else None


def single_appends(db: BenchDatabase, events: Sequence[NewEvent]) -> tuple[Rate, list[int]]:
    """Each event appended in its own transaction on the caller's own autocommit connection (as
    the raw INSERTs run on one); (rate, positions appended)."""
    positions: list[int] = []
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        started = time.perf_counter()
        for event in events:
            position = append_one(conn, event)
            if position is not None:
                positions.append(position)
        seconds = time.perf_counter() - started
    return Rate(len(events), seconds), positions


_RAW_INSERT = (
    f"INSERT INTO {RAW_TABLE} (position, event_id, stream_id, stream_version, kind, "
    "schema_version, reported_on, effective_on, recorded_at, player_id, club_id, from_club_id, "
    "source_id, payload, metadata) VALUES (%s, %s, %s, 1, %s, %s, %s, %s, now(), %s, %s, %s, "
    "%s, %s, %s)"
)


def raw_insert_event(writer: psycopg.Connection[Any], position: int, event: NewEvent) -> None:
    """INSERT `event`'s row into the bare table at `position`, built from the event itself (no
    stored row to read back first): the reference of the side benchmarks of single appends."""
    writer.execute(_RAW_INSERT, (position, event.event_id, event.stream_id, event.kind,
                                 event.schema_version, event.reported_on, event.effective_on,
                                 event.player_id, event.club_id, event.from_club_id,
                                 event.source_id, Jsonb(event.payload), Jsonb(event.metadata)))  # fmt: skip


def raw_inserts(
    db: BenchDatabase, positions: Sequence[int], writer: psycopg.Connection[Any]
) -> Rate:
    """The same rows INSERTed one by one on an autocommit `writer` into the bare table."""
    if not positions:
        return Rate(0, 0.0)
    with psycopg.connect(psycopg_url(db.url)) as reader:
        rows = reader.execute(
            f"SELECT {_SELECT} FROM events WHERE position = ANY(%s) ORDER BY position",
            (list(positions),),
        ).fetchall()
    placeholders = ", ".join(["%s"] * len(rows[0]))
    statement = f"INSERT INTO {RAW_TABLE} ({COLUMNS}) VALUES ({placeholders})"
    started = time.perf_counter()
    for row in rows:
        writer.execute(statement, row)
    return Rate(len(rows), time.perf_counter() - started)


def appends_against_inserts(
    db: BenchDatabase,
    events: Sequence[NewEvent],
    rounds: int,
    peer: Callable[[Sequence[int]], Rate],
) -> tuple[Rate, Rate, Rate]:
    """(single appends, raw INSERTs, the peer's single appends) of the same rows, in `rounds`.

    A commit's cost is mostly the WAL flush, whose latency swings with whatever else the disk is
    doing; alternating the three loops in rounds lets all of them see the same conditions.
    `peer(positions)` appends the rows stored at `positions` one by one and returns its rate.
    """
    size = max(1, -(-len(events) // rounds))
    appended, raw, peers = Rate(0, 0.0), Rate(0, 0.0), Rate(0, 0.0)
    with psycopg.connect(psycopg_url(db.url), autocommit=True) as writer:
        for start in range(0, len(events), size):
            rate, positions = single_appends(db, events[start : start + size])
            reference = raw_inserts(db, positions, writer)
            theirs = peer(positions)
            appended = Rate(appended.count + rate.count, appended.seconds + rate.seconds)
            raw = Rate(raw.count + reference.count, raw.seconds + reference.seconds)
            peers = Rate(peers.count + theirs.count, peers.seconds + theirs.seconds)
    return appended, raw, peers
