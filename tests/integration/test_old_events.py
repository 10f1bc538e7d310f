"""Events stored at schema version 1 read back, and project, in the current shape (issue 13).

Version 1 kept the fee as bare text (`fee_text`) and named the deal type `deal_type`; the ledger
never rewrites a stored event, so every reader must upcast it on the way out.
"""

from __future__ import annotations

import sqlalchemy as sa

from ledger.codec import NewEvent
from ledger.reading import read_all, read_stream
from ledger.store import append
from projections.api import Boards
from projections.rebuild import rebuild
from tests.factories import new_event, new_stream

V1_PAYLOAD = {"renewed": False, "fee_text": "£40m", "deal_type": "loan"}


def _append_v1_bid(engine: sa.Engine) -> NewEvent:
    stream = new_stream()
    event = new_event(stream, "bid", payload=V1_PAYLOAD, schema_version=1)
    with engine.begin() as conn:
        append(conn, stream, [event])
    return event


def _current_fee_and_deal(engine: sa.Engine, event: NewEvent) -> tuple[object, object]:
    with engine.connect() as conn:
        fee, deal = conn.execute(
            sa.text(
                "SELECT latest_fee, deal FROM pursuit_versions "
                "WHERE player_id = :p AND known_to IS NULL"
            ),
            {"p": event.player_id},
        ).one()
    return fee, deal


def test_the_reader_upcasts_a_version_1_payload_to_the_current_shape(engine: sa.Engine) -> None:
    event = _append_v1_bid(engine)
    with engine.connect() as conn:
        (by_stream,) = read_stream(conn, event.stream_id)
        (by_position,) = list(read_all(conn))
    for stored in (by_stream, by_position):
        assert "fee_text" not in stored.payload and "deal_type" not in stored.payload
        assert stored.payload["fee"]["amount"] == "40000000"
        assert stored.payload["fee"]["currency"] == "GBP"
        assert stored.payload["deal"] == "loan"


def test_a_version_1_bid_projects_with_its_fee_and_deal(engine: sa.Engine) -> None:
    event = _append_v1_bid(engine)
    Boards(engine).project()
    fee, deal = _current_fee_and_deal(engine, event)
    assert isinstance(fee, dict) and fee["amount"] == "40000000" and deal == "loan"


def test_a_rebuild_keeps_the_fee_and_deal_of_a_version_1_bid(engine: sa.Engine) -> None:
    event = _append_v1_bid(engine)
    rebuild(engine, quiet_days=90)
    fee, deal = _current_fee_and_deal(engine, event)
    assert isinstance(fee, dict) and fee["amount"] == "40000000" and deal == "loan"
