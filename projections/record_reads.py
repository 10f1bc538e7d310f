"""The thin database half of the track record: the claims it scores, read from the ledger.

One scan of the player streams up to a ledger position, in position order. A retraction
withdraws its claim when it is at or before that position, whatever its date (as for the
boards: a retracted claim is ignored from the moment the retraction was recorded, so as known at
an earlier moment the claim still counts). Journalists are stored as written; they are resolved
here through the source registry, so aliases and slips count for one journalist.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from ledger.errors import UnknownNameError
from ledger.sources import source_registry
from projections.fold_types import FoldClaim
from projections.inputs import PLAYER_STREAMS, fee_of
from projections.track_record import RecordClaim

_CLAIMS = sa.text(
    "SELECT position, event_id, player_id, kind, reported_on, effective_on, club_id,"
    " from_club_id, source_id, payload->'fee', payload->>'deal',"
    " coalesce((payload->>'renewed')::boolean, false), (payload->>'retracts')::uuid,"
    " payload->>'journalist'"
    f" FROM events WHERE {PLAYER_STREAMS} AND position <= :known"
    " AND (kind = 'retraction' OR reported_on <= :as_of) ORDER BY position"
).execution_options(stream_results=True, yield_per=10_000)


@functools.lru_cache(maxsize=4096)
def journalist_id(name: str | None) -> str | None:
    """The source id a stored journalist name resolves to (None for no or no usable name)."""
    if name is None:
        return None
    try:
        return source_registry().resolve(name).id
    except UnknownNameError:
        return None


@dataclass(frozen=True, slots=True)
class LedgerClaims:
    """Visible claims by player, and how many claims of each source were retracted."""

    players: dict[str, list[RecordClaim]]
    retractions: Counter[str]


def read_claims(conn: sa.Connection, *, as_of: date, known: int) -> LedgerClaims:
    """Claims of player streams reported by `as_of` and recorded at or before position `known`."""
    claims: dict[UUID, tuple[str, RecordClaim]] = {}
    retracted: set[UUID] = set()
    for row in conn.execute(_CLAIMS, {"as_of": as_of, "known": known}):
        if row[3] == "retraction":
            retracted.add(row[12])
            continue
        claim = FoldClaim(
            position=row[0], event_id=row[1], kind=row[3], reported_on=row[4],
            effective_on=row[5], club=row[6], from_club=row[7], source=row[8],
            fee=fee_of(row[9]), deal=row[10], renewed=row[11],
        )  # fmt: skip
        claims[row[1]] = (row[2], RecordClaim(claim, journalist_id(row[13])))
    players: dict[str, list[RecordClaim]] = defaultdict(list)
    retractions: Counter[str] = Counter()
    for event_id, (player, item) in claims.items():
        if event_id in retracted:
            retractions.update(item.sources)
        else:
            players[player].append(item)
    return LedgerClaims(dict(players), retractions)
