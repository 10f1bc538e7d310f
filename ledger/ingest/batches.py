"""Collects resolved claims and appends them in batches on the caller's connection."""

from __future__ import annotations

import sqlalchemy as sa

from ledger.codec import NewEvent, encode
from ledger.entities.player_directory import PlayerDirectory
from ledger.events import ClaimEvent
from ledger.store import append_batch, lock_ledger


class BatchWriter:
    """Appends in batches; in a dry run it only asks which event ids are already stored."""

    def __init__(
        self, conn: sa.Connection, directory: PlayerDirectory, *, batch_size: int, dry_run: bool
    ) -> None:
        self._conn = conn
        self._directory = directory
        self._batch_size = batch_size
        self._dry_run = dry_run
        self._pending: list[NewEvent] = []
        self.appended = 0
        self.duplicates = 0

    def add(self, claim: ClaimEvent, metadata: dict[str, object] | None = None) -> None:
        self.add_event(encode(claim, metadata))

    def add_event(self, event: NewEvent) -> None:
        self._pending.append(event)
        if len(self._pending) >= self._batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        if self._dry_run:
            self._count_dry()
        else:
            lock_ledger(self._conn)
            self._directory.store_new(self._conn)
            result = append_batch(self._conn, self._pending)
            self.appended += len(result.positions)
            self.duplicates += len(self._pending) - len(result.positions)
        self._pending = []

    def _count_dry(self) -> None:
        ids = list({event.event_id for event in self._pending})
        stored = self._conn.execute(
            sa.text("SELECT count(*) FROM events WHERE event_id = ANY(:ids)"), {"ids": ids}
        ).scalar_one()
        self.duplicates += len(self._pending) - len(ids) + int(stored)
        self.appended += len(ids) - int(stored)
