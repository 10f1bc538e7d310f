"""The ledger as the web server sees it: which engine answers which question.

The boards come from `projections.api.Boards`, the same Python API as the CLI, so whatever the
boards learn flows through to the JSON and the pages unchanged. With a reader login configured
(`RUMOURS_READER_DATABASE_URL`), the player and club boards and the name search read through it;
the reader role may not write the projection, so the catch-up a board sometimes needs runs on the
main engine instead. History and the source board read the ledger's events, which the reader
role is denied by design (`ledger/db_roles.py`), so they use the main engine like the writes do.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from projections.api import Boards


class _CaughtUpElsewhere(Boards):
    """Boards read on one engine whose projection is caught up on another."""

    def __init__(self, reader: sa.Engine, projector: Boards) -> None:
        super().__init__(reader, quiet_days=projector.quiet_days, may_fork=False)
        self._projector = projector

    def project(self) -> int:
        return self._projector.project()


@dataclass(frozen=True, slots=True)
class WebLedger:
    engine: sa.Engine  # the main login: writes, catch-up, and reads of the events
    reader: sa.Engine  # the reader login, or the main engine when none is configured
    boards: Boards  # player and club boards, on `reader`
    ledger_boards: Boards  # history and sources, on `engine`

    @classmethod
    def open(cls, engine: sa.Engine, reader: sa.Engine | None, *, quiet_days: int) -> WebLedger:
        # A request never forks (its threads share one process): a book it must fit is fitted
        # in the process, one at a time; `rumours project` and the follower fit them ahead.
        main = Boards(engine, quiet_days=quiet_days, may_fork=False)
        if reader is None:
            return cls(engine, engine, main, main)
        return cls(engine, reader, _CaughtUpElsewhere(reader, main), main)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.reader is not self.engine:
            self.reader.dispose()
