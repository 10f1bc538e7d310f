"""The bulk ingest's direct encoding (`ledger.ingest.claim_events`) writes exactly what the model
path writes: the same event ids, so files ingested before stay deduplicated, and the same rows."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generator import generate_claims
from ledger.codec import NewEvent, encode
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import source_registry
from ledger.events import DealType
from ledger.ingest import claim_events
from ledger.ingest.claim_input import check_claim, validate_claim
from ledger.ingest.resolve import ClaimResolver
from ledger.money import Fee

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"


def _resolver() -> ClaimResolver:
    return ClaimResolver(club_registry(), source_registry(), PlayerDirectory([]))


def _both_paths(claims: list[dict[str, Any]]) -> list[tuple[object, object]]:
    """(model path, direct path) for every claim, each path with a directory of its own."""
    by_model, direct = _resolver(), _resolver()
    pairs: list[tuple[object, object]] = []
    for data in claims:
        checked, values = validate_claim(data), check_claim(data)
        if isinstance(checked, list) or isinstance(values, list):
            pairs.append((checked, values))
            continue
        resolved = by_model.resolve(checked)
        model = resolved if isinstance(resolved, list) else encode(resolved)
        pairs.append((model, direct.resolve_fields(values)))
    return pairs


def test_generated_claims_encode_to_the_rows_the_model_path_writes() -> None:
    generated = itertools.islice(generate_claims(6_000, seed=11), 6_000)
    claims = [json.loads(json.dumps(claim)) for claim in generated]  # as a file holds them
    pairs = _both_paths(claims)
    assert all(isinstance(direct, NewEvent) for _, direct in pairs)
    assert [model for model, _ in pairs] == [direct for _, direct in pairs]


def test_the_example_claims_encode_to_the_rows_the_model_path_writes() -> None:
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    pairs = _both_paths([json.loads(line) for line in lines if line.strip()])
    assert [model for model, _ in pairs] == [direct for _, direct in pairs]


def test_every_optional_field_encodes_as_the_model_path_writes_it() -> None:
    claim = {
        "reported_on": "2024-07-01", "kind": "bid", "player": "Ünal Çelik", "club": "Spurs",
        "from_club": "Arsenal", "fee": "£70m plus £5m add-ons", "deal": "loan with option",
        "source": "The Athletic", "journalist": "David Ornstein", "url": "https://example.com/a",
        "evidence": "line one\nline two", "renewed": "yes", "effective_on": "2024-08",
        "background": True,
        "extraction": {"article_id": "a1", "sentence": "Spurs bid.", "span": [0, 10],
                       "confidence": 0.9, "rule": "bid"},
    }  # fmt: skip
    (model, direct), (with_id_model, with_id_direct) = _both_paths([claim, {**claim, "id": "7"}])
    assert isinstance(direct, NewEvent)
    assert model == direct
    assert with_id_model == with_id_direct


def test_names_that_do_not_resolve_give_the_same_problems_in_the_same_order() -> None:
    claim = {"reported_on": "2024-07-01", "kind": "bid", "player": "Smith", "club": "Nowhere FC"}
    [(model, direct)] = _both_paths([claim])
    assert isinstance(direct, list)
    assert model == direct


names = st.none() | st.text(max_size=12)
amounts = st.none() | st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
fees = st.none() | st.builds(
    Fee, amount=amounts, add_ons=amounts, currency=st.none() | st.sampled_from(["GBP", "EUR"]),
    text=st.text(max_size=12),
)  # fmt: skip
# fmt: off
contents = st.fixed_dictionaries({
    "kind": st.text(max_size=12), "reported_on": st.dates(), "effective_on": st.none() | st.dates(),
    "player": names, "club": names, "from_club": names, "source": names, "journalist": names,
    "fee": fees, "deal": st.none() | st.sampled_from(list(DealType)), "renewed": st.booleans(),
})
# fmt: on


@settings(max_examples=300, deadline=None, database=None)
@given(contents)
def test_the_direct_canonical_text_is_the_reference_text(values: dict[str, Any]) -> None:
    fee = values["fee"]
    # The reference writer reads the fee as the model path holds it: the model's JSON dump.
    content = {**values, "fee": None if fee is None else fee.model_dump(mode="json")}
    names = {field: values[field] for field in ("player", "club", "from_club", "source")}
    direct = claim_events._canonical_claim(values, names)
    assert direct == claim_events.canonical_content(content)


def test_a_client_id_decides_the_event_id_alone() -> None:
    first = claim_events.event_id_for("abc", {"kind": "bid", "reported_on": date(2024, 1, 1)})
    assert first == claim_events.event_id_for("abc", {})


@given(st.text(max_size=300))
def test_the_claim_uuid_is_the_standard_librarys_uuid5(name: str) -> None:
    try:
        expected = uuid.uuid5(claim_events.CLAIM_NAMESPACE, name)
    except UnicodeEncodeError:  # a lone surrogate: neither can hash it
        with pytest.raises(UnicodeEncodeError):
            claim_events.claim_uuid(name)
        return
    assert claim_events.claim_uuid(name) == expected
