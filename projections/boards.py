"""The answers: player board, club board, history, source leaderboard (SPEC §5.3, §5.5).

Each board knows its JSON shape (`as_json`); the CLI prints that shape or a table of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class TimePoint:
    """Which ledger an answer reflects: valid time, transaction time and the ledger position."""

    as_of: date | None
    known_at: datetime | None
    position: int

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class PursuitLine:
    player: str
    club: str
    status: str
    since: date
    first_reported: date
    last_reported: date
    claims: int
    sources: tuple[str, ...]
    latest_fee: dict[str, Any] | None
    bids: int
    re_emerged: bool
    contested: bool
    from_club: str | None
    deal: str | None
    likelihood: float | None = None  # chance of a signing, open pursuits only (docs/sources.md)
    # The last claim's date when the pursuit is open but no claim came for longer than the quiet
    # period, as of the board's date; the status is kept (SPEC §5.2's dormancy, made visible).
    quiet_since: date | None = None
    since_precision: str = "day"  # day, month or year: a year-only fact is shown as "2022"

    def as_json(self, *, with_player: bool = True) -> dict[str, Any]:
        shape: dict[str, Any] = {"player": self.player} if with_player else {}
        shape.update(
            club=self.club,
            status=self.status,
            since=self.since.isoformat(),
            since_precision=self.since_precision,
            first_reported=self.first_reported.isoformat(),
            last_reported=self.last_reported.isoformat(),
            claims=self.claims,
            sources=list(self.sources),
            latest_fee=self.latest_fee,
            bids=self.bids,
            re_emerged=self.re_emerged,
            contested=self.contested,
            from_club=self.from_club,
            deal=self.deal,
            likelihood=self.likelihood,
            quiet=self.quiet_since is not None,
            quiet_since=None if self.quiet_since is None else self.quiet_since.isoformat(),
        )
        return shape


@dataclass(frozen=True, slots=True)
class PlayerBoard:
    player: str
    player_id: str
    at: TimePoint
    current_club: str | None
    release_clause: dict[str, Any] | None
    asking_price: dict[str, Any] | None
    pursuits: list[PursuitLine] = field(default_factory=list)
    guessed_from: str | None = None  # the name as typed, when it was matched by a guess

    def pursuit(self, club: str) -> PursuitLine | None:
        return next((line for line in self.pursuits if line.club == club), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "player": self.player,
            **self.at.as_json(),
            "current_club": self.current_club,
            "release_clause": self.release_clause,
            "asking_price": self.asking_price,
            "pursuits": [line.as_json(with_player=False) for line in self.pursuits],
        }


@dataclass(frozen=True, slots=True)
class ClubBoard:
    """A club's pursuits as buyer (`targets`, done ones `bought`) and seller (`wanted`, `sold`)."""

    club: str
    at: TimePoint
    targets: list[PursuitLine]
    wanted: list[PursuitLine]
    bought: list[PursuitLine] = field(default_factory=list)
    sold: list[PursuitLine] = field(default_factory=list)
    guessed_from: str | None = None  # the name as typed, when it was matched by a guess

    def as_json(self) -> dict[str, Any]:
        return {
            "club": self.club,
            **self.at.as_json(),
            "targets": [line.as_json() for line in self.targets],
            "wanted": [line.as_json() for line in self.wanted],
            "in": [line.as_json() for line in self.bought],
            "out": [line.as_json() for line in self.sold],
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a claim can be checked: the article and sentence it was read from, or a note."""

    article_id: str | None
    sentence: str | None
    note: str | None  # a structured claim's free-text `evidence`

    def text(self) -> str:
        quoted = f'"{self.sentence}"' if self.sentence else (self.note or "")
        return f"{quoted} (article {self.article_id})" if self.article_id else quoted

    def as_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "sentence": self.sentence, "note": self.note}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    position: int
    event_id: str
    reported_on: date
    effective_on: date | None
    kind: str
    club: str | None
    from_club: str | None
    source: str | None
    fee: dict[str, Any] | None
    status: str | None  # the pursuit's status after this claim (None for player facts)
    retracted: bool
    deal: str | None = None
    effective_precision: str = "day"  # how precisely effective_on was stated: day, month, year
    background: bool = False  # a past fact restated as context, not the source's prediction
    evidence: Evidence | None = None
    same_as: str | None = None  # short id of the earlier event stating the same claim

    @property
    def short_id(self) -> str:
        """The first 8 hex digits of the event id: enough to tell a player's claims apart."""
        return self.event_id.replace("-", "")[:8]

    def as_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "event_id": self.event_id,
            "short_id": self.short_id,
            "reported_on": self.reported_on.isoformat(),
            "effective_on": None if self.effective_on is None else self.effective_on.isoformat(),
            "effective_precision": None if self.effective_on is None else self.effective_precision,
            "kind": self.kind,
            "club": self.club,
            "from_club": self.from_club,
            "source": self.source,
            "fee": self.fee,
            "deal": self.deal,
            "background": self.background,
            "evidence": None if self.evidence is None else self.evidence.as_json(),
            "status": self.status,
            "retracted": self.retracted,
            "same_claim_as": self.same_as,
        }


@dataclass(frozen=True, slots=True)
class History:
    player: str
    at: TimePoint
    claims: list[HistoryLine]
    guessed_from: str | None = None  # the name as typed, when it was matched by a guess

    def as_json(self) -> dict[str, Any]:
        return {"player": self.player, **self.at.as_json(),
                "claims": [line.as_json() for line in self.claims]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceScore:
    source: str
    claims: int
    pursuits: int
    deal_done: int
    lost_out: int
    still_open: int

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "claims": self.claims, "pursuits": self.pursuits,
                "deal_done": self.deal_done, "lost_out": self.lost_out,
                "still_open": self.still_open}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceBoard:
    at: TimePoint
    sources: list[SourceScore]

    def as_json(self) -> dict[str, Any]:
        return {**self.at.as_json(), "sources": [score.as_json() for score in self.sources]}
