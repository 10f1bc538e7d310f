"""Timeline values as rows of `pursuit_versions` / `player_versions`, and back."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Final

from psycopg.types.json import Jsonb

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


# A fee's column value, by the fee object's id. The fold shares one Fee object between every row
# that shows it (a pursuit's latest fee stays the same object from claim to claim), so encoding it
# once per object instead of once per row saves a JSON encoding on most rows. The entry keeps the
# fee alive, so its id cannot be reused while it is here; the memo is emptied when full (memory
# stays flat over a rebuild of any size).
_FEE_VALUES: dict[int, tuple[Fee, Jsonb]] = {}
_FEE_VALUES_MAX: Final = 8_192


def fee_value(fee: Fee | None) -> Jsonb | None:
    """A fee as a `jsonb` column value, for a COPY in the text or the binary format."""
    if fee is None:
        return None
    known = _FEE_VALUES.get(id(fee))
    if known is not None:
        return known[1]
    if len(_FEE_VALUES) >= _FEE_VALUES_MAX:
        _FEE_VALUES.clear()
    value = Jsonb(fee_json(fee), dumps=str)  # already JSON text: dumped as it is
    _FEE_VALUES[id(fee)] = (fee, value)
    return value


def is_facts(key: RowKey) -> bool:
    return key[0] == FACTS


def pursuit_row(
    player: str, key: RowKey, view: PursuitView, known_from: int, known_to: int | None
) -> tuple[Any, ...]:
    (_, status, since, first_reported, last_reported, claims, sources, latest_fee, bids,
     re_emerged, contested, from_club, deal, since_precision) = view  # fmt: skip
    return (player, key[0], key[1], known_from, known_to, status, since, first_reported,
            last_reported, claims, list(sources), fee_value(latest_fee), bids, re_emerged,
            contested, from_club, deal, since_precision)  # fmt: skip


def facts_row(
    player: str, valid_from: date, facts: PlayerFacts, known_from: int, known_to: int | None
) -> tuple[Any, ...]:
    current_club, release_clause, release_clause_on, asking_price, asking_price_on = facts
    return (player, valid_from, known_from, known_to, current_club, fee_value(release_clause),
            release_clause_on, fee_value(asking_price), asking_price_on)  # fmt: skip


def row_of(
    player: str, key: RowKey, value: RowValue, known_from: int, known_to: int | None
) -> tuple[bool, tuple[Any, ...]]:
    """(is_facts, row) for a timeline entry."""
    if isinstance(value, PlayerFacts):
        return True, facts_row(player, key[1], value, known_from, known_to)
    return False, pursuit_row(player, key, value, known_from, known_to)
