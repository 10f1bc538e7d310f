"""Track records and deal likelihood over the ledger: the answers `Boards` gives for them.

`record_board` is `rumours sources --record`: every source's record at a time point, read with
one scan of the ledger (`projections.record_reads`) and scored by the pure modules
(`projections.track_record`, `projections.source_record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ledger.entities.sources import source_registry
from projections.boards import TimePoint
from projections.name_lookup import source_name
from projections.record_reads import LedgerClaims, read_claims
from projections.source_record import SourceRecord, count_claims, source_records
from projections.track_record import predictions


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
