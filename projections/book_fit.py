"""Fitting a likelihood book index at a book position: from scratch, or grown from an earlier one.

A player's predictions depend on that player's own events alone (the fold is per player stream,
and a retraction sits in the stream of the claim it withdraws). So the index at position P is
the sum over players of what each player's events up to P predict, and an index stored at an
earlier position Q differs from it only by the players with an event in (Q, P]. `grown_index`
takes those players' counts at Q out of the stored index and puts their counts at P in
(`projections.book_tally`): it reads only those players' events, where a fit from scratch reads
them all. Either way the index is the same function of P (test_book_fit checks it against a fit
from scratch), so it never looks ahead.

Both read one player at a time, in stream order (`projections.record_reads`), so memory holds one
player's events and the counts, however long the ledger is. Both run on a bare psycopg
connection inside the caller's transaction (the streamed read needs one).

Predictions are closed at the far future, not today: the index is then a function of its
position alone, and a book cut from it at the day asked never counts a silence not yet run out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Final

from ledger.connections import Connection
from ledger.reading import streams_changed
from projections.book_store import StoredBook
from projections.book_tally import BookTally, UnbalancedTallyError
from projections.likelihood import BookIndex, Entry, book_entries
from projections.record_reads import RecordEvent, player_record_events, visible_claims
from projections.track_record import RecordClaim, player_predictions

FAR_FUTURE: Final = date(9999, 12, 31)
# Grow a stored index only while the ledger has grown by at most this share of its position
# since: past that most players have new events, and taking their old counts out costs more
# than the fit from scratch it saves (at 1M events, 1% growth touched players holding 8% of
# the events, 10% growth 39%; docs/benchmarks.md, Round 7).
GROW_AT_MOST: Final = 0.25


def player_entries(player: str, claims: Iterable[RecordClaim], quiet_days: int) -> list[Entry]:
    """What one player's claims add to a book index."""
    found = player_predictions(player, claims, quiet_days=quiet_days, until=FAR_FUTURE)
    return list(book_entries(found))


def may_grow(earlier: StoredBook, position: int) -> bool:
    return earlier.position < position <= earlier.position * (1 + GROW_AT_MOST)


def fitted_tally(
    driver: Connection,
    position: int,
    *,
    quiet_days: int,
    after_stream: str | None = None,
    through_stream: str | None = None,
) -> BookTally:
    """The counts of every player's predictions up to `position` (of the player streams in
    (after_stream, through_stream] when given: one share of a fit split by player)."""
    tally = BookTally()
    for player, events in player_record_events(
        driver, until=position, after_stream=after_stream, through_stream=through_stream
    ):
        tally.add(player_entries(player, visible_claims(events, position), quiet_days))
    return tally


def grown_index(
    driver: Connection, earlier: StoredBook, position: int, *, quiet_days: int
) -> BookIndex:
    """The index at `position`, from the one stored at the earlier position `earlier.position`
    and the events of the players with an event since."""
    tally = BookTally.of_index(earlier.index)
    streams = streams_changed(driver, after=earlier.position, until=position)
    for player, events in _players(driver, streams, position):
        tally.remove(_entries_at(player, events, earlier.position, quiet_days))
        tally.add(player_entries(player, visible_claims(events, position), quiet_days))
    try:
        return tally.index()
    except UnbalancedTallyError as exc:  # the stored book is not what its events predict
        raise UnbalancedTallyError(
            f"the likelihood book stored at position {earlier.position} does not hold what the"
            f" ledger's events predict ({exc}); `rumours project --rebuild` fits the books again"
        ) from exc


def _players(
    driver: Connection, streams: Sequence[str], position: int
) -> Iterator[tuple[str, list[RecordEvent]]]:
    if streams:  # `= ANY('{}')` would still walk the stream index
        yield from player_record_events(driver, until=position, streams=streams)


def _entries_at(
    player: str, events: Sequence[RecordEvent], known: int, quiet_days: int
) -> list[Entry]:
    """The player's counts as the earlier index holds them (none if he is new since)."""
    claims = visible_claims(events, known)
    return player_entries(player, claims, quiet_days) if claims else []
