"""One decoder of fold inputs (issue 13): the rebuild's slim read and the projector's whole-event
read of the same ledger give the same fold inputs, event for event.

The rebuild reads the few payload fields it folds as the server's `payload->>'name'` texts; the
projector reads whole events. Both go through `projections.inputs.fold_input`, and this test holds
the two reads to the same answer on a ledger with fees, deals, renewals, stated dates of every
precision, retractions and an event stored at an older schema version.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from benchmarks.generator import generate_claims
from ledger.ingest.pipeline import ingest
from ledger.reading import read_all, read_fold_fields
from ledger.store import append, head_position
from projections.fold.timeline import Retract
from projections.inputs import fold_input, to_input
from tests.factories import new_event, new_stream
from tests.integration.test_rebuild import _retract_some


def _ledger(engine: sa.Engine, folder: Path) -> None:
    path = folder / "claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for claim in generate_claims(800, seed=21):
            out.write(json.dumps(claim) + "\n")
    ingest(engine, [str(path)])
    _retract_some(engine, every=23)
    stream = new_stream()
    old_bid = new_event(stream, "bid", payload={"renewed": True, "fee_text": "£40m",
                                                "deal_type": "loan"}, schema_version=1)  # fmt: skip
    with engine.begin() as conn:
        append(conn, stream, [old_bid])


def test_the_slim_read_and_the_whole_event_read_give_the_same_fold_inputs(
    engine: sa.Engine, tmp_path: Path
) -> None:
    _ledger(engine, tmp_path)
    with engine.connect() as conn:
        whole = [
            (event.stream_id, to_input(event))
            for event in read_all(conn, player_streams_only=True, by_stream=True)
        ]
        head = head_position(conn)
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        slim = [fold_input(fields) for fields in read_fold_fields(driver, until=head)]
    finally:
        raw.close()
    assert slim == whole
    claims = [event for _, event in whole if not isinstance(event, Retract)]
    assert any(claim.fee is not None for claim in claims)
    assert any(claim.renewed for claim in claims) and any(claim.deal for claim in claims)
    assert any(isinstance(event, Retract) for _, event in whole)
