"""Track records and deal likelihood over the ledger: the answers `Boards` gives for them.

`record_board` is `rumours sources --record`: every source's record at a time point, read with
one scan of the ledger (`projections.record_reads`) and scored by the pure modules
(`projections.track_record`, `projections.source_record`).

`LikelihoodBooks` supplies the boards' `likelihood`. Fitting source records needs the whole
ledger, which a board lookup (a few index probes) cannot afford on every call, so the predictions
are scored once per *book position* and kept: the answered position rounded down to two
significant figures (exactly, up to 100). A board at position P therefore uses the records as
known at an earlier position, never a later one (no look-ahead), and is still a pure function of
P; the ledger is rescanned once per 1% to 10% of growth, by one process: the fitted index is
stored in the database by book position (`projections.book_store`) and read by every later one.
The book is then cut to the board's as-of day by bisection (`projections.likelihood.BookIndex`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.entities.sources import source_registry
from ledger.errors import PermissionDeniedError
from projections.boards import TimePoint
from projections.book_store import load_index, store_index
from projections.fold.statuses import OPEN_STATUSES
from projections.likelihood import Book, BookIndex
from projections.name_lookup import source_name
from projections.record_reads import LedgerClaims, read_claims
from projections.source_record import SourceRecord, count_claims, source_records
from projections.track_record import predictions

_FAR_FUTURE = date(9999, 12, 31)
_BOOKS_KEPT = 4


def _today() -> date:
    return datetime.now(UTC).date()


def _source_json(record: SourceRecord) -> dict[str, Any]:
    known = {source.id: source for source in source_registry().all()}
    listed = known.get(record.source_id)
    return {
        "source": source_name(record.source_id),
        "type": listed.kind if listed else "outlet",
        **record.total.as_json(),
        "retractions": record.retractions,
        "by_kind": {kind: tally.as_json() for kind, tally in sorted(record.by_kind.items())},
    }


@dataclass(frozen=True, slots=True)
class RecordBoard:
    """Every source's track record at one time point (`rumours sources --record`)."""

    at: TimePoint
    quiet_days: int
    sources: list[SourceRecord]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.at.as_json(),
            "quiet_days": self.quiet_days,
            "sources": [_source_json(record) for record in self.sources],
        }


def record_board(engine: sa.Engine, at: TimePoint, *, quiet_days: int) -> RecordBoard:
    """The records as of `at.as_of` (endings known by then), from events up to `at.position`."""
    until = at.as_of or _today()
    ledger = _scan(engine, until, at.position)
    found = predictions(ledger.players.items(), quiet_days=quiet_days, until=until)
    claims = count_claims(
        (item.sources, item.claim.kind) for items in ledger.players.values() for item in items
    )
    records = source_records(found, claims, ledger.retractions, at.as_of)
    return RecordBoard(at, quiet_days, records)


def _scan(engine: sa.Engine, as_of: date, known: int) -> LedgerClaims:
    # Its own connection in a transaction: a streamed (server-side) cursor needs one, and the
    # boards read in autocommit. Events are only appended, so no snapshot is needed either.
    with engine.connect() as conn:
        return read_claims(conn, as_of=as_of, known=known)


def book_position(position: int) -> int:
    """`position` rounded down to two significant figures (kept as is up to 100)."""
    if position <= 100:
        return position
    step: int = 10 ** (len(str(position)) - 2)
    return position - position % step


class LikelihoodBooks:
    """Book indexes by book position: the few most recently used in memory, every one fitted so
    far in the database (`projections.book_store`), so a new process need not scan the ledger."""

    def __init__(self, quiet_days: int) -> None:
        self.quiet_days = quiet_days
        self.denied = False  # set once the role was refused the events table
        self._may_store = True  # cleared once the role was refused storing a book
        self._indexes: OrderedDict[int, BookIndex] = OrderedDict()

    def book(self, engine: sa.Engine, at: TimePoint) -> Book:
        position = book_position(at.position)
        index = self._indexes.get(position)
        if index is None:
            index = self._indexes[position] = self._index(engine, position)
            while len(self._indexes) > _BOOKS_KEPT:
                self._indexes.popitem(last=False)
        self._indexes.move_to_end(position)
        # Cut at today when no day is asked: the index also holds silences that run out later.
        return index.book(at.as_of or _today())

    def _index(self, engine: sa.Engine, position: int) -> BookIndex:
        """The stored index, or one fitted from the ledger (and stored if the role may)."""
        try:
            with translated_errors(engine.url):
                stored = load_index(engine, position, self.quiet_days)
        except PermissionDeniedError:
            stored = None  # roles made before the table existed: fit it as before
        if stored is not None:
            return stored
        ledger = _scan(engine, _FAR_FUTURE, position)
        # Until the far future, not today: the index is then a function of its position alone,
        # and `book` cuts it at the day asked, so a silence not yet run out is never counted.
        found = predictions(ledger.players.items(), quiet_days=self.quiet_days, until=_FAR_FUTURE)
        index = BookIndex(found)  # not logged: a CLI board must not import structlog
        if self._may_store:
            try:
                with translated_errors(engine.url):
                    store_index(engine, position, self.quiet_days, index)
            except PermissionDeniedError:
                self._may_store = False  # the reader role: keep it in memory, as before
        return index

    def likelihood(
        self, book: Book, status: str, sources: list[str], last_reported: date
    ) -> float | None:
        """The likelihood of an open pursuit still live on the book's day; None otherwise."""
        day = book.day or _today()
        if status not in OPEN_STATUSES or (day - last_reported).days > self.quiet_days:
            return None
        return round(book.likelihood(status, sources), 3)
