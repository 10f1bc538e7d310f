"""Turn a validated `ClaimInput` into a claim event: names resolved, event_id fixed.

The event_id of a claim is its client `id` when given, else a UUIDv5 of its canonical content
after name resolution, so `Spurs` and `Tottenham Hotspur` give the same id and re-ingesting a
file appends nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from ledger.entities.clubs import ClubRegistry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.sources import SourceRegistry
from ledger.errors import NameResolutionError
from ledger.events import ClaimEvent, claim_from_dict
from ledger.ingest.claim_input import ClaimInput, FieldProblem

CLAIM_NAMESPACE = uuid.UUID("6f1b2a4e-9c1d-4c55-9a43-2f7a1e0b8d10")
_CONTENT_FIELDS = ("kind", "reported_on", "effective_on", "player", "club", "from_club", "source",
                   "journalist", "fee", "deal", "renewed", "active_from")  # fmt: skip


def event_id_for(client_id: str | None, content: dict[str, Any]) -> uuid.UUID:
    if client_id:
        return uuid.uuid5(CLAIM_NAMESPACE, f"client:{client_id}")
    canonical = {name: content.get(name) for name in _CONTENT_FIELDS}
    if isinstance(canonical["fee"], dict):  # the amount decides, not how it was written
        canonical["fee"] = {k: canonical["fee"].get(k) for k in ("amount", "currency", "add_ons")}
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return uuid.uuid5(CLAIM_NAMESPACE, text)


class ClaimResolver:
    """Resolves the names of claims against the reference data and the player directory."""

    def __init__(
        self, clubs: ClubRegistry, sources: SourceRegistry, players: PlayerDirectory
    ) -> None:
        self.clubs = clubs
        self.sources = sources
        self.players = players
        self._club_cache: dict[str, str] = {}

    def resolve(
        self, claim: ClaimInput, context: Sequence[str] = ()
    ) -> ClaimEvent | list[FieldProblem]:
        data: dict[str, Any] = claim.model_dump(
            exclude={"id", "player", "club", "from_club", "source"}, exclude_none=True
        )
        problems: list[FieldProblem] = []
        for field in ("club", "from_club"):
            name = getattr(claim, field)
            if name is not None:
                data[field] = self._club(name, field, problems)
        if claim.player is not None:
            try:
                # Context only helps a bare surname; full names stay cacheable.
                bare = len(claim.player.split()) == 1
                player = self.players.resolve(claim.player, context if bare else ())
                data.update(player=player.id, player_name=player.name)
            except NameResolutionError as exc:
                problems.append(FieldProblem("player", str(exc)))
        if claim.source is not None:
            try:
                data["source"] = self.sources.resolve(claim.source).id
            except NameResolutionError as exc:
                problems.append(FieldProblem("source", str(exc)))
        if problems:
            return problems
        if data.get("fee") is not None:
            data["fee"] = claim.fee.model_dump(mode="json") if claim.fee else None
        data["event_id"] = event_id_for(claim.id, data)
        return claim_from_dict(data)

    def _club(self, name: str, field: str, problems: list[FieldProblem]) -> str | None:
        cached = self._club_cache.get(name)
        if cached is not None:
            return cached
        try:
            club_id = self.clubs.resolve(name).id
        except NameResolutionError as exc:
            problems.append(FieldProblem(field, str(exc)))
            return None
        self._club_cache[name] = club_id
        return club_id
