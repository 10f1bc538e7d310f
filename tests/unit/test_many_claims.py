"""The many-claims-per-player feed: the usual claims, about a few players only."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.generator import generate_claims
from benchmarks.many_claims import generate_many_claims_per_player
from ledger.errors import InputError


def test_every_claim_is_kept_and_told_about_at_most_the_players_asked_for() -> None:
    claims = list(generate_many_claims_per_player(6_000, players=10, seed=3))
    usual = list(generate_claims(6_000, seed=3))
    per_player = Counter(claim["player"] for claim in claims)
    assert len(claims) == 6_000 and len(per_player) == 10
    assert min(per_player.values()) > 300  # spread over all of them, not piled on one
    unchanged = ("kind", "reported_on", "club", "source")
    assert [{k: c.get(k) for k in unchanged} for c in claims] == [
        {k: c.get(k) for k in unchanged} for c in usual
    ]


def test_the_same_seed_gives_the_same_feed() -> None:
    first = list(generate_many_claims_per_player(1_000, players=5, seed=9))
    assert first == list(generate_many_claims_per_player(1_000, players=5, seed=9))


def test_no_players_is_refused() -> None:
    with pytest.raises(InputError):
        list(generate_many_claims_per_player(10, players=0))
