"""The thin database half of the track record: the claims it scores, read from the ledger.

One scan of the player streams up to a ledger position, in position order, through the ledger's
own reader (which upcasts older payloads). A retraction withdraws its claim when it is at or
before that position, whatever its date (as for the boards: a retracted claim is ignored from the
moment the retraction was recorded, so as known at an earlier moment the claim still counts). Journalists are stored as written; they are resolved
here through the source registry, so aliases and slips count for one journalist.

`player_record_events` reads the other way round, for the likelihood books: one player at a time
(by stream), with the fold's slim fields, so a fit over any length of ledger holds one player's
events, and a book grown from an earlier one reads only the players with new events.
`visible_claims` then cuts a player's events at a position, the retractions made by then applied.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from ledger.connections import Connection
from ledger.entities.sources import source_registry
from ledger.errors import UnknownNameError
from ledger.reading import read_all, read_record_fields
from projections.fold.timeline import Retract
from projections.fold.values import FoldClaim
from projections.inputs import fold_input, to_input
from projections.track_record import RecordClaim


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
    for event in read_all(conn, until=known, player_streams_only=True, batch_size=10_000):
        folded = to_input(event)
        if isinstance(folded, Retract):
            retracted.add(folded.retracts)
        elif folded.reported_on <= as_of and event.player_id is not None:
            journalist = journalist_id(event.payload.get("journalist"))
            claims[folded.event_id] = (event.player_id, RecordClaim(folded, journalist))
    players: dict[str, list[RecordClaim]] = defaultdict(list)
    retractions: Counter[str] = Counter()
    for event_id, (player, item) in claims.items():
        if event_id in retracted:
            retractions.update(item.sources)
        else:
            players[player].append(item)
    return LedgerClaims(dict(players), retractions)


# A player's event as the track record reads it: the fold input and the claim's journalist's id.
RecordEvent = tuple[FoldClaim | Retract, str | None]


def player_record_events(
    driver: Connection,
    *,
    until: int,
    streams: Sequence[str] | None = None,
    after_stream: str | None = None,
    through_stream: str | None = None,
) -> Iterator[tuple[str, list[RecordEvent]]]:
    """(player id, his events at or before `until`) one player at a time, in stream order: of
    the `streams` named, or of the range (after_stream, through_stream] (None: open)."""
    rows = read_record_fields(
        driver, until=until, streams=streams, after_stream=after_stream,
        through_stream=through_stream,
    )  # fmt: skip
    for stream, group in itertools.groupby(rows, key=lambda row: row[0][0]):
        events = [(fold_input(fields)[1], journalist_id(name)) for fields, name in group]
        yield stream.split(":", 1)[1], events


def visible_claims(events: Sequence[RecordEvent], known: int) -> list[RecordClaim]:
    """The claims among `events` recorded at or before position `known` and not withdrawn by a
    retraction recorded by then (whatever its date, as `read_claims` has it)."""
    retracted = {
        event.retracts
        for event, _ in events
        if isinstance(event, Retract) and event.position <= known
    }
    return [
        RecordClaim(event, journalist)
        for event, journalist in events
        if isinstance(event, FoldClaim) and event.position <= known
        and event.event_id not in retracted
    ]  # fmt: skip
