"""One share of a rebuild: the rows of a range of player streams, COPYed into the `__next` tables.

A rebuild is split by player: a player's rows depend on his own events only, so ranges of player
streams can be folded side by side in worker processes. Each share opens its own connections (a
forked worker must never use its parent's): a reader that imports the snapshot the parent
exported, so every share sees exactly the ledger the parent saw, whose head is the checkpoint
the new tables will stand for; and one COPY per table, since a connection runs one COPY at a
time. The COPYs commit when the share is done. Readers never see `__next` tables before the
parent swaps them in, so a share that fails leaves nothing a reader can see.

Per event the only Python work is the fold itself: the reader ships just the fields the fold
needs (`ledger.reading.read_fold_fields`), and only one player's events are held at a time.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import operator
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import psycopg
from psycopg import pq, sql
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import Dumper

from ledger.copying import open_copy
from ledger.database import translated_errors
from ledger.reading import read_fold_fields
from projections.fold.timeline import PlayerTimeline, Retract, RowKey, RowValue
from projections.fold.values import FoldClaim
from projections.inputs import fold_input
from projections.rows import FACTS_COLUMNS, PURSUIT_COLUMNS, row_of

PlayerEvents = list[FoldClaim | Retract]


@dataclass(frozen=True, slots=True)
class Share:
    """Which player streams one worker folds, and from which snapshot of the ledger."""

    url: str  # libpq URL, password included: it travels through a pipe, never a command line
    snapshot: str  # from pg_export_snapshot() in the parent's open transaction
    until: int  # the head in that snapshot
    after_stream: str | None  # streams after this one (None: from the first)
    through_stream: str | None  # up to and including this one (None: to the last)
    quiet_days: int


@dataclass(frozen=True, slots=True)
class ShareReport:
    events: int
    rows: int
    peak_rss_mb: float  # this process's high-water mark


def player_rows(
    player: str, events: PlayerEvents, quiet_days: int
) -> Iterator[tuple[bool, tuple[Any, ...]]]:
    """Every row (current and superseded) one player's events produce, as (is_facts, row)."""
    timeline = PlayerTimeline(quiet_days)
    current: dict[RowKey, tuple[RowValue, int]] = {}
    for event in events:
        change = timeline.apply(event)
        for key in change.closes:
            value, known_from = current.pop(key)
            yield row_of(player, key, value, known_from, change.position)
        for key, value in change.opens:
            current[key] = (value, change.position)
    for key, (value, known_from) in current.items():
        yield row_of(player, key, value, known_from, None)


def by_player(
    inputs: Iterable[tuple[str, FoldClaim | Retract]],
) -> Iterator[tuple[str, PlayerEvents]]:
    """(player id, his events) from (stream id, event) pairs grouped by stream."""
    for stream, group in itertools.groupby(inputs, key=operator.itemgetter(0)):
        yield stream.split(":", 1)[1], [event for _, event in group]


def fill_share(share: Share) -> ShareReport:
    """Fold one share and COPY its rows; driver errors come out as ledger errors."""
    with translated_errors(share.url), rare_collections():
        return _fill(share)


# Objects allocated between young-generation collections while folding (Python's default: 700).
FOLD_GC_THRESHOLD = 100_000


@contextlib.contextmanager
def rare_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely, and never over what existed before the fold.

    The fold allocates a few small tuples and states per event and frees them by reference
    counting: it makes no reference cycles (a fold of the 70k many-claims ledger with the
    collector off leaves none to collect). Yet at the default threshold the collector ran every
    700 allocations and scanned the live objects again and again, older generations including
    every module the process imported: 40% of the fold's CPU. Frozen objects (`gc.freeze`: the
    imports, the parent's state in a forked worker) are never scanned, and a young generation of
    100k objects is collected about once every few hundred events. Memory stays flat: nothing
    the fold drops waits for the collector.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(FOLD_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _fill(share: Share) -> ShareReport:
    events = rows = 0
    with (
        _connect(share.url) as reader,
        _copy_into(share.url, "pursuit_versions__next", PURSUIT_COLUMNS) as pursuits,
        _copy_into(share.url, "player_versions__next", FACTS_COLUMNS) as facts,
    ):
        reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        reader.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(share.snapshot)))
        fields = read_fold_fields(reader, until=share.until, after_stream=share.after_stream,
                                  through_stream=share.through_stream)  # fmt: skip
        for player, player_events in by_player(map(fold_input, fields)):
            events += len(player_events)
            for is_facts, row in player_rows(player, player_events, share.quiet_days):
                rows += 1
                (facts if is_facts else pursuits).write_row(row)
    return ShareReport(events, rows, peak_rss_mb())


def _connect(url: str) -> psycopg.Connection[Any]:
    # A rebuild's read and COPYs last as long as the ledger is big: no statement timeout.
    return psycopg.connect(
        url, application_name="rumours", options="-c statement_timeout=0 -c timezone=UTC"
    )


@contextlib.contextmanager
def _copy_into(url: str, table: str, columns: tuple[str, ...]) -> Iterator[psycopg.Copy]:
    """An open binary COPY into `table` on a connection of its own, committed when the block ends.

    Binary, with the column types read from the table itself: psycopg then encodes a row in
    about half the CPU of the text format (no dates or numbers printed by the client and parsed
    by the server), and the types follow the migrations instead of a copy of them here.
    """
    with _connect(url) as conn:
        types = column_types(conn, table, columns)
        use_own_encoders(conn)
        with open_copy(conn, table, columns, binary_types=types) as copy:
            yield copy


def use_own_encoders(conn: psycopg.Connection[Any]) -> None:
    """Make the binary COPYs of `conn` encode values as a rebuild does (see TextArrays)."""
    conn.adapters.register_dumper(None, TextArrays)


_TEXT = psycopg.postgres.types["text"]
_ARRAY_HEAD = struct.Struct("!iii").pack  # dimensions, has nulls, element type
_ONE_DIMENSION = struct.Struct("!iiiii").pack  # as above, then its length and lower bound
_LENGTH = struct.Struct("!i").pack


class TextArrays(Dumper):
    """`text[]` values (a pursuit's sources) in COPY's binary format, from each element's
    encoding kept once it is made.

    psycopg encodes a list in Python, element by element: 2.5 of the 3.5 µs a pursuit row cost
    to write, and a pursuit of a busy player names dozens of sources, so few rows repeat an array
    whole. But the sources themselves repeat: each is encoded once (by psycopg's own text dumper)
    and an array is one join of their encodings. Registered on a COPY connection by type oid
    only (`set_types` picks dumpers by oid), so nothing else the connection writes is touched.
    Gives the bytes psycopg's own dumper gives for a list of strings
    (`tests/unit/test_rebuild_text_arrays.py`).
    """

    format = pq.Format.BINARY
    oid = _TEXT.array_oid
    KEEP: Final = 8_192  # distinct elements kept; forgotten all at once when full (memory flat)

    def __init__(self, cls: type, context: AdaptContext | None = None) -> None:
        super().__init__(cls, context)
        text = psycopg.adapters.get_dumper_by_oid(_TEXT.oid, pq.Format.BINARY)
        self._encode = text(str, context).dump
        self._elements: dict[str, bytes] = {}

    def dump(self, obj: list[str]) -> Buffer | None:
        if not obj:
            return _ARRAY_HEAD(0, 0, _TEXT.oid)
        try:
            body = b"".join(map(self._elements.__getitem__, obj))  # a loop in C, not Python
        except KeyError:
            body = b"".join([self._element(each) for each in obj])
        return _ONE_DIMENSION(1, 0, _TEXT.oid, len(obj), 1) + body

    def _element(self, text: str) -> bytes:
        element = self._elements.get(text)
        if element is None:
            if len(self._elements) >= self.KEEP:
                self._elements.clear()
            encoded = bytes(self._encode(text) or b"")
            element = self._elements[text] = _LENGTH(len(encoded)) + encoded
        return element


def column_types(conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...]) -> list[str]:
    """The PostgreSQL type of each of `columns` of `table`, in that order."""
    found = dict(
        conn.execute(
            "SELECT attname, atttypid::regtype::text FROM pg_attribute "
            "WHERE attrelid = CAST(%s AS regclass) AND attnum > 0 AND NOT attisdropped",
            (table,),
        ).fetchall()
    )
    return [found[column] for column in columns]


def peak_rss_mb() -> float:
    """This process's peak resident set in MiB (VmHWM; 0 where /proc is missing)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
