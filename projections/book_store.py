"""Likelihood book indexes kept in the database by book position (table `likelihood_books`).

A book index is a function of the events up to its book position, of the quiet period and of
the rules that fitted it, and events are immutable, so a stored index is right for as long as
those rules are in force: the first process that fits one stores it with their digest
(`projections.book_rules`), and every later process of the same rules, the reader role's
included, reads it instead of scanning the ledger. A book of other rules is never read.
Concurrent first fits store the same index; the second insert does nothing. Nothing here logs,
and both statements run on the boards' bare psycopg connection: a CLI board must import neither
structlog nor SQLAlchemy (`test_cli_query_imports`).

An index is stored packed: a small JSON `layout` (which source and stage each run belongs to,
and its length) and its distinct day ordinals, running hit counts and running ending counts as
three zlib-compressed arrays of 32-bit integers (migration 0014). Until round 7 a run held one
day and one hit count per prediction: some 170,000 numbers at 100k events, growing with the
ledger (a board read at 1M spent 0.2 s of CPU unpacking its book); one entry per distinct day
bounds a run by the days the ledger spans.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ledger.connections import Connection
from projections.book_rules import book_rules
from projections.likelihood import BookIndex, Segment


@dataclass(frozen=True, slots=True)
class StoredBook:
    """A book index as stored at its book position."""

    position: int
    index: BookIndex


@dataclass(frozen=True, slots=True)
class PackedIndex:
    """A book index as stored: `layout` rows are [source or None, rank, number of days]."""

    layout: list[list[Any]]
    days: bytes
    hits: bytes
    counts: bytes


def _packed_ints(numbers: array[int]) -> bytes:
    if sys.byteorder == "big":  # stored little-endian, whichever machine wrote it
        numbers.byteswap()
    return zlib.compress(numbers.tobytes())


def _unpacked_ints(blob: bytes) -> list[int]:
    numbers = array("i")
    numbers.frombytes(zlib.decompress(blob))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tolist()


def packed_index(index: BookIndex) -> PackedIndex:
    layout: list[list[Any]] = []
    days, hits, counts = array("i"), array("i"), array("i")
    for source, rank, run_days, run_hits, run_counts in index.segments():
        layout.append([source, rank, len(run_days)])
        days.extend(run_days)
        hits.extend(run_hits)
        counts.extend(run_counts)
    return PackedIndex(layout, _packed_ints(days), _packed_ints(hits), _packed_ints(counts))


def unpacked_index(packed: PackedIndex) -> BookIndex:
    days, hits = _unpacked_ints(packed.days), _unpacked_ints(packed.hits)
    counts = _unpacked_ints(packed.counts)
    segments: list[Segment] = []
    day_at = count_at = 0
    for source, rank, length in packed.layout:
        # Each run's running counts start at 0, so they are one longer than its days.
        ran = slice(count_at, count_at + length + 1)
        segments.append((source, rank, days[day_at : day_at + length], hits[ran], counts[ran]))
        day_at, count_at = day_at + length, count_at + length + 1
    return BookIndex.from_segments(segments)


# Every statement is of the books fitted by this process's rules (`projections.book_rules`).
_KEY = "quiet_days = %(quiet_days)s AND rules = %(rules)s"
_LOAD = (
    "SELECT layout, days, hits, counts FROM likelihood_books"
    f" WHERE book_position = %(position)s AND {_KEY}"
)
_STORED = (
    f"SELECT EXISTS (SELECT FROM likelihood_books WHERE book_position = %(position)s AND {_KEY})"
)
_LOAD_EARLIER = (
    "SELECT book_position, layout, days, hits, counts FROM likelihood_books"
    f" WHERE book_position < %(position)s AND {_KEY} ORDER BY book_position DESC LIMIT 1"
)
# A row already there is a concurrent fit of the same events: the same index, so left alone.
_STORE = (
    "INSERT INTO likelihood_books (book_position, quiet_days, rules, layout, days, hits, counts)"
    " VALUES (%(position)s, %(quiet_days)s, %(rules)s, %(layout)s, %(days)s, %(hits)s,"
    " %(counts)s) ON CONFLICT DO NOTHING"
)

_FORGET = "DELETE FROM likelihood_books"


def _key(position: int, quiet_days: int) -> dict[str, Any]:
    return {"position": position, "quiet_days": quiet_days, "rules": book_rules()}


def load_index(conn: Connection, position: int, quiet_days: int) -> BookIndex | None:
    """The stored index at this book position, or None if no process has stored it yet."""
    row = conn.execute(_LOAD, _key(position, quiet_days)).fetchone()
    return None if row is None else unpacked_index(PackedIndex(*row))


def is_stored(conn: Connection, position: int, quiet_days: int) -> bool:
    row = conn.execute(_STORED, _key(position, quiet_days)).fetchone()
    return row is not None and bool(row[0])


def load_earlier(conn: Connection, position: int, quiet_days: int) -> StoredBook | None:
    """The latest index stored before this book position (what a new one may grow from)."""
    row = conn.execute(_LOAD_EARLIER, _key(position, quiet_days)).fetchone()
    return None if row is None else StoredBook(row[0], unpacked_index(PackedIndex(*row[1:])))


def store_index(conn: Connection, position: int, quiet_days: int, index: BookIndex) -> bool:
    """Keep the index for later processes (one statement: atomic in autocommit too). False on a
    read-only server (a hot standby serving boards): it gets the books its primary stores."""
    packed = packed_index(index)
    try:
        conn.execute(_STORE, {**_key(position, quiet_days), "layout": Jsonb(packed.layout),
                              "days": packed.days, "hits": packed.hits,
                              "counts": packed.counts})  # fmt: skip
    except psycopg.errors.ReadOnlySqlTransaction:
        return False
    return True


def forget_books(conn: Connection) -> int:
    """Delete every stored book (of every quiet period and rules); how many there were. One
    statement: a reader sees all of them or none, and fits what it misses again."""
    return conn.execute(_FORGET).rowcount
