"""Collects resolved claims and appends them in batches on the caller's connection.

A claim is held as its staged row (`staged_append.row_body`), already in the binary COPY format
the batch is appended in (`staged_append.append_staged`): the ingest's worker processes build
those bytes, and this writer only joins them.

A bulk ingest alternates two kinds of work: Python building the next batch of rows (reading,
checking, resolving, encoding) and the server appending the last one (`ledger_append_staged`), about as
long again. With `overlap=True` the append of a batch runs on a helper thread while the caller
builds the next one (the driver releases the GIL while it waits for the server), so on two cores
the two costs add up to the larger of them rather than their sum. At most one batch is in
flight, in the caller's one transaction and in order, so atomicity and positions are as
without it; `flush` returns only once every batch is appended, and any error of an append is
raised to the caller at its next `add_event` or `flush`.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

import sqlalchemy as sa

from ledger.codec import NewEvent, encode
from ledger.entities.player_directory import PlayerDirectory, store_players
from ledger.entities.players import KnownPlayer
from ledger.events import ClaimEvent
from ledger.staged_append import StagedResult, append_staged, event_id_of, row_body
from ledger.store import lock_ledger


class BatchWriter:
    """Appends in batches; in a dry run it only asks which event ids are already stored.

    Use it as a context manager when `overlap` is on: leaving the block waits for the batch in
    flight, so the connection is never left in use by the helper thread.
    """

    def __init__(
        self,
        conn: sa.Connection,
        directory: PlayerDirectory,
        *,
        batch_size: int,
        dry_run: bool,
        overlap: bool = False,
    ) -> None:
        self._conn = conn
        self._directory = directory
        self._batch_size = batch_size
        self._dry_run = dry_run
        self._pending: list[bytes] = []
        self._helper = ThreadPoolExecutor(1, "ledger-append") if overlap and not dry_run else None
        self._in_flight: Future[tuple[int, StagedResult]] | None = None
        self.appended = 0
        self.duplicates = 0

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._helper is not None:
            self._helper.shutdown(wait=True)  # an error of the batch in flight is dropped here:
            self._helper = None  # the caller is already leaving with one of its own

    def add(self, claim: ClaimEvent, metadata: dict[str, object] | None = None) -> None:
        self.add_event(encode(claim, metadata))

    def add_event(self, event: NewEvent) -> None:
        self.add_row(row_body(event))

    def add_row(self, body: bytes) -> None:
        """Add an event as its staged row (`staged_append.row_body`)."""
        self._pending.append(body)
        if len(self._pending) >= self._batch_size:
            self._send()

    def flush(self) -> None:
        """Append everything added so far; returns when it is appended."""
        self._send()
        self._wait()

    def settle(self) -> None:
        """Wait for the batch in flight: the helper thread is idle when this returns (the
        ingest forks its worker processes only then)."""
        self._wait()

    def _send(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        if self._dry_run:
            self._count_dry(batch)
            return
        players = self._directory.take_unstored()
        self._wait()
        if self._helper is None:
            self._count(len(batch), self._append(batch, players))
        else:
            self._in_flight = self._helper.submit(self._append_sized, batch, players)

    def _wait(self) -> None:
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            self._count(*in_flight.result())

    def _append_sized(
        self, batch: list[bytes], players: list[KnownPlayer]
    ) -> tuple[int, StagedResult]:
        return len(batch), self._append(batch, players)

    def _append(self, batch: list[bytes], players: list[KnownPlayer]) -> StagedResult:
        # Players first, under the append lock (see store.lock_ledger): their events name them.
        lock_ledger(self._conn)
        store_players(self._conn, players)
        return append_staged(self._conn, batch)

    def _count(self, size: int, result: StagedResult) -> None:
        self.appended += result.appended
        self.duplicates += size - result.appended

    def _count_dry(self, batch: list[bytes]) -> None:
        ids = list({event_id_of(body) for body in batch})
        stored = self._conn.execute(
            sa.text("SELECT count(*) FROM events WHERE event_id = ANY(:ids)"), {"ids": ids}
        ).scalar_one()
        self.duplicates += len(batch) - len(ids) + int(stored)
        self.appended += len(ids) - int(stored)
