"""The claim and status vocabulary is defined once, and every list derived from it agrees."""

from __future__ import annotations

from uuid import uuid4

import pytest

from ledger.claim_kinds import CLUB_ONLY_KINDS, ClaimKind
from ledger.codec import StoredEvent, encode
from ledger.events import CLAIM_KINDS, PURSUIT_KINDS, claim_from_dict
from ledger.reading import EVENT_COLUMNS
from projections.fold.statuses import FOLDED_KINDS, PLAYER_FACT_KINDS, STATUS_BY_KIND, Status
from projections.fold.values import KIND_ORDER, fold_key
from tests.factories import fold_claim


def test_every_claim_kind_has_exactly_one_event_class() -> None:
    assert sorted(CLAIM_KINDS) == sorted(ClaimKind)


def test_pursuit_kinds_are_the_folded_kinds_that_are_not_player_facts() -> None:
    assert PURSUIT_KINDS == FOLDED_KINDS - PLAYER_FACT_KINDS
    assert set(CLUB_ONLY_KINDS) < PURSUIT_KINDS


def test_every_folded_kind_has_its_place_within_a_day() -> None:
    assert set(KIND_ORDER) == FOLDED_KINDS


def test_a_retraction_has_no_fold_order_instead_of_a_made_up_one() -> None:
    with pytest.raises(ValueError, match="cannot fold claim kind 'retraction'"):
        fold_key(fold_claim("retraction", "2025-01-01"))


def test_every_kind_that_sets_a_status_maps_to_a_status_label() -> None:
    assert set(STATUS_BY_KIND.values()) <= set(Status)
    assert set(STATUS_BY_KIND) < FOLDED_KINDS


def test_a_claim_read_from_text_carries_its_kind_and_stores_it_as_plain_text() -> None:
    claim = claim_from_dict(
        {
            "kind": "bid",
            "event_id": uuid4(),
            "reported_on": "2025-01-01",
            "player": "p",
            "club": "c",
        }
    )
    assert claim.kind is ClaimKind.BID
    stored = encode(claim)
    assert type(stored.kind) is str
    assert stored.kind == "bid"


def test_the_event_columns_are_the_stored_event_fields_in_order() -> None:
    # The JSON columns are kept as stored (`stored_payload`) behind their decoding properties.
    names = tuple(name.removeprefix("stored_") for name in StoredEvent._fields)
    assert names == EVENT_COLUMNS
