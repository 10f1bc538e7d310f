"""Timeline values as rows of `pursuit_versions` / `player_versions`, and back."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ledger.money import Fee
from projections.fold.timeline import FACTS, RowKey, RowValue
from projections.fold.values import PlayerFacts, PursuitView

PURSUIT_COLUMNS = (
    "player_id", "club_id", "valid_from", "known_from", "known_to", "status", "since",
    "first_reported", "last_reported", "claims", "sources", "latest_fee", "bids",
    "re_emerged", "contested", "from_club_id", "deal", "since_precision",
)  # fmt: skip
FACTS_COLUMNS = (
    "player_id", "valid_from", "known_from", "known_to", "current_club_id",
    "release_clause", "release_clause_on", "asking_price", "asking_price_on",
)  # fmt: skip


def fee_json(fee: Fee | None) -> str | None:
    return None if fee is None else json.dumps(fee.as_json(), separators=(",", ":"))


def is_facts(key: RowKey) -> bool:
    return key[0] == FACTS


def pursuit_row(
    player: str, key: RowKey, view: PursuitView, known_from: int, known_to: int | None
) -> tuple[Any, ...]:
    return (player, key[0], key[1], known_from, known_to, view.status, view.since,
            view.first_reported, view.last_reported, view.claims, list(view.sources),
            fee_json(view.latest_fee), view.bids, view.re_emerged, view.contested,
            view.from_club, view.deal, view.since_precision)  # fmt: skip


def facts_row(
    player: str, valid_from: date, facts: PlayerFacts, known_from: int, known_to: int | None
) -> tuple[Any, ...]:
    return (player, valid_from, known_from, known_to, facts.current_club,
            fee_json(facts.release_clause), facts.release_clause_on,
            fee_json(facts.asking_price), facts.asking_price_on)  # fmt: skip


def row_of(
    player: str, key: RowKey, value: RowValue, known_from: int, known_to: int | None
) -> tuple[bool, tuple[Any, ...]]:
    """(is_facts, row) for a timeline entry."""
    if isinstance(value, PlayerFacts):
        return True, facts_row(player, key[1], value, known_from, known_to)
    return False, pursuit_row(player, key, value, known_from, known_to)
