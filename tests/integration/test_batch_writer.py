"""The bulk ingest's batch writer on a real PostgreSQL, with each append overlapping the building
of the next batch (`BatchWriter(overlap=True)`): order, players and failures as without it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ledger.entities.player_directory import PlayerDirectory
from ledger.errors import DatabaseError
from ledger.ingest.batches import BatchWriter
from ledger.reading import read_all
from ledger.store import head_position
from tests.factories import new_event, new_stream


def test_overlapped_batches_append_every_event_in_the_order_added(engine: sa.Engine) -> None:
    streams = [new_stream() for _ in range(3)]
    events = [new_event(streams[n % 3]) for n in range(23)]
    with engine.connect() as conn, conn.begin():
        directory = PlayerDirectory.load(conn)
        with BatchWriter(conn, directory, batch_size=4, dry_run=False, overlap=True) as writer:
            for event in events:
                writer.add_event(event)
            writer.flush()
    with engine.connect() as conn:
        stored = list(read_all(conn))
    assert [e.event_id for e in stored] == [e.event_id for e in events]
    assert (writer.appended, writer.duplicates) == (23, 0)


def test_players_created_while_a_batch_is_in_flight_are_stored_with_their_batch(
    engine: sa.Engine,
) -> None:
    with engine.connect() as conn, conn.begin():
        directory = PlayerDirectory.load(conn)
        with BatchWriter(conn, directory, batch_size=2, dry_run=False, overlap=True) as writer:
            for name in ("Ada Okafor", "Bea Lindqvist", "Cai Moreno", "Dov Adler", "Eli Sato"):
                player = directory.resolve(name)
                writer.add_event(new_event(f"player:{player.id}", player_id=player.id))
            writer.flush()
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM players")).scalar_one()
    assert stored == 5


def test_an_append_refused_on_the_helper_thread_is_raised_and_nothing_is_kept(
    engine: sa.Engine,
) -> None:
    stream = new_stream()
    refused = new_event(stream, kind=None)  # NOT NULL: the server refuses its batch
    with pytest.raises(DatabaseError), engine.connect() as conn, conn.begin():
        directory = PlayerDirectory.load(conn)
        with BatchWriter(conn, directory, batch_size=2, dry_run=False, overlap=True) as writer:
            for event in [new_event(stream), new_event(stream), refused, new_event(stream)]:
                writer.add_event(event)
            writer.flush()
    with engine.connect() as conn:
        assert head_position(conn) == 0
