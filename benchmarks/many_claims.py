"""A ledger with many claims per player: the usual synthetic feed, told about a few players only.

The harness's usual ledger has about 60 claims per player, as a real one does. Some real players
gather hundreds (a saga every window for years), and the projection must stay linear in a
player's claims. This feed keeps every claim of `generate_claims` (dates, sagas, back-filled
reports, pre-contracts) but hands the n-th player it meets the name of player n mod `players`,
so 70,000 claims about 100 players give each about 700, interleaved as their sagas overlap.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchmarks.generator import generate_claims
from ledger.errors import InputError

__all__ = ["generate_many_claims_per_player"]


def generate_many_claims_per_player(
    events: int, players: int = 100, seed: int = 7
) -> Iterator[dict[str, object]]:
    """Exactly `events` claim dicts (§4.1 format) about at most `players` players."""
    if players < 1:
        raise InputError("players must be ≥ 1")
    kept: list[str] = []  # the first `players` names met, in order
    renamed: dict[str, str] = {}
    for claim in generate_claims(events, seed=seed):
        name = str(claim["player"])
        if name not in renamed:
            if len(kept) < players:
                kept.append(name)
            renamed[name] = kept[len(renamed) % players]
        claim["player"] = renamed[name]
        yield claim
