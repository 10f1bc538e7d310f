"""The rebuild worker's garbage-collector settings, and the premise they rest on."""

from __future__ import annotations

import gc
import random
from datetime import date, timedelta
from decimal import Decimal

from ledger.money import Fee
from projections.fold.timeline import Retract
from projections.fold.values import FoldClaim
from projections.rebuild_worker import FOLD_GC_THRESHOLD, player_rows, rare_collections
from tests.factories import fold_claim

KINDS = ("linked", "interest", "enquiry", "talks", "bid", "bid_rejected", "denied", "cooled",
         "release_clause", "personal_terms", "deal_done", "contract_extension")  # fmt: skip


def _busy_player(seed: int) -> list[FoldClaim | Retract]:
    """Hundreds of claims about one player: same-day claims, back-fills, pre-contracts and a
    retraction, so every path of the timeline runs."""
    rng = random.Random(seed)
    start, claims = date(2024, 1, 1), list[FoldClaim]()
    for position in range(1, 400):
        reported = start + timedelta(days=rng.randrange(0, 500))
        effective = reported + timedelta(days=30) if rng.random() < 0.03 else None
        kind = rng.choice(KINDS)
        millions = rng.randrange(5, 60)
        fee = Fee(amount=Decimal(millions) * 1_000_000, currency="EUR", text=f"€{millions}m")
        claim_fee = fee if kind == "bid" else None
        club = None if kind == "release_clause" else rng.choice(("ars", "che", "liv", "tot"))
        claims.append(fold_claim(kind, reported, club, position=position, effective=effective,
                                 source=rng.choice(("a", "b", "c")), fee=claim_fee))  # fmt: skip
    return [*claims, Retract(400, claims[10].event_id)]


def test_folding_a_player_leaves_no_reference_cycles_for_the_collector() -> None:
    events = _busy_player(seed=5)
    gc.collect()
    gc.disable()
    try:
        rows = list(player_rows("p", events, quiet_days=90))
        del rows
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_rare_collections_raise_the_threshold_only_while_the_block_runs() -> None:
    before = gc.get_threshold()
    with rare_collections():
        assert gc.get_threshold()[0] == FOLD_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_rows_are_the_same_under_rare_collections() -> None:
    events = _busy_player(seed=8)
    usual = list(player_rows("p", events, quiet_days=90))
    with rare_collections():
        assert list(player_rows("p", events, quiet_days=90)) == usual
