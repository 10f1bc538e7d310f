"""Resolve the names of a checked claim: clubs, players and sources to their canonical ids.

Two shapes come out. The bulk ingest (`resolve_fields`) takes the checked values and gets the
row to append straight away (`claim_events.claim_event`); the article and review paths
(`resolve`) take a `ClaimInput` and get the claim's model. Both resolve names the same way and
give the same event id, so `Spurs` and `Tottenham Hotspur` make one event and re-ingesting a file
appends nothing (`claim_events` says how the id is made).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ledger.codec import NewEvent
from ledger.entities.clubs import ClubRegistry
from ledger.entities.player_directory import PlayerDirectory, ResolvedPlayer
from ledger.entities.sources import SourceRegistry
from ledger.errors import NameResolutionError
from ledger.events import ClaimEvent, claim_from_dict
from ledger.ingest.claim_events import CLAIM_NAMESPACE, claim_event, event_id_for
from ledger.ingest.claim_input import ClaimInput, FieldProblem

__all__ = ["CLAIM_NAMESPACE", "ClaimResolver", "PlayerAnswer", "event_id_for"]
_CLUBS = ("club", "from_club")
# A player name's answer: the player's (id, name), or the one-line reason it has none.
PlayerAnswer = tuple[str, str] | str


class ClaimResolver:
    """Resolves the names of claims against the reference data and the player directory.

    Club and source names are answered from a cache after their first resolution: a bulk file
    repeats the same few hundred of them on every line.
    """

    def __init__(
        self, clubs: ClubRegistry, sources: SourceRegistry, players: PlayerDirectory
    ) -> None:
        self.clubs = clubs
        self.sources = sources
        self.players = players
        self._cache: dict[tuple[str, str], str] = {}

    def resolve_fields(
        self, values: Mapping[str, Any], context: Sequence[str] = ()
    ) -> NewEvent | list[FieldProblem]:
        """The event of checked claim values (`claim_input.check_claim`), or its name problems."""
        return self.resolve_checked(values, context)[1]

    def resolve_checked(
        self, values: Mapping[str, Any], context: Sequence[str] = ()
    ) -> tuple[PlayerAnswer | None, NewEvent | list[FieldProblem]]:
        """`resolve_fields`, with the answer for the claim's player (None when it names none):
        the event depends on nothing else that can change while a file is read."""
        problems: list[FieldProblem] = []
        # Problems in the order the claim's fields are reported: clubs, player, source.
        names = {field: self._name(values.get(field), field, problems) for field in _CLUBS}
        name = values.get("player")
        answer = None if name is None else self.player_answer(name, context)
        if isinstance(answer, str):
            problems.append(FieldProblem("player", answer))
        names["source"] = self._name(values.get("source"), "source", problems)
        if problems:
            return answer, problems
        names["player"] = None if answer is None else answer[0]
        return answer, claim_event(values, names, None if answer is None else answer[1])

    def player_answer(self, name: str, context: Sequence[str]) -> PlayerAnswer:
        """The player a claim's name means, as (id, name), or why it means none."""
        problems: list[FieldProblem] = []
        player = self._player(name, context, problems)
        return problems[0].reason if player is None else (player.id, player.name)

    def resolve(
        self, claim: ClaimInput, context: Sequence[str] = ()
    ) -> ClaimEvent | list[FieldProblem]:
        """The claim's model with its names resolved, or its name problems."""
        data: dict[str, Any] = claim.model_dump(
            exclude={"id", "player", "club", "from_club", "source"}, exclude_none=True
        )
        problems: list[FieldProblem] = []
        for field in _CLUBS:
            if getattr(claim, field) is not None:
                data[field] = self._name(getattr(claim, field), field, problems)
        player = self._player(claim.player, context, problems)
        if player is not None:
            data.update(player=player.id, player_name=player.name)
        if claim.source is not None:
            data["source"] = self._name(claim.source, "source", problems)
        if problems:
            return problems
        if data.get("fee") is not None:
            data["fee"] = claim.fee.model_dump(mode="json") if claim.fee else None
        data["event_id"] = event_id_for(claim.id, data)
        return claim_from_dict(data)

    def _player(
        self, name: str | None, context: Sequence[str], problems: list[FieldProblem]
    ) -> ResolvedPlayer | None:
        if name is None:
            return None
        try:
            # Context only helps a bare surname; full names stay cacheable.
            bare = len(name.split()) == 1
            return self.players.resolve(name, context if bare else ())
        except NameResolutionError as exc:
            problems.append(FieldProblem("player", str(exc)))
            return None

    def _name(self, name: str | None, field: str, problems: list[FieldProblem]) -> str | None:
        """The id of a club (`club`, `from_club`) or source name; a problem when it has none."""
        if name is None:
            return None
        kind = "source" if field == "source" else "club"
        cached = self._cache.get((kind, name))
        if cached is not None:
            return cached
        try:
            found = self.sources.resolve(name) if kind == "source" else self.clubs.resolve(name)
        except NameResolutionError as exc:
            problems.append(FieldProblem(field, str(exc)))
            return None
        self._cache[(kind, name)] = found.id
        return found.id
