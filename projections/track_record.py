"""Which claims are predictions, and how each one came out (the rules of docs/sources.md).

Plain Python over one player's claims at a time; no database. The caller drops retracted claims
(and retractions) first, exactly as for the boards, and passes only the claims it wants counted
(reported on or before the as-of date, recorded by the known-at moment): whatever is not in the
input is not known, so nothing here can look ahead.

A claim is a *prediction* when it says where an open pursuit is going:

* `linked`, `interest`, `enquiry`, `talks`, `bid`, `bid_rejected`, `bid_accepted`,
  `personal_terms`, `medical`, `deal_agreed` predict the move (the club signs the player);
* `denied` predicts that the move does not happen.

Not predictions: `deal_done` and the negative kinds (`collapsed`, `cooled`, `player_rejected`,
`blocked`, `contract_extension`) report an ending, so they are what predictions are scored
against, and could never miss; price facts predict nothing; a claim folded into a pursuit that is
already over (interest after the signing) predicts nothing either; and a *background* claim, one
whose `effective_on` is more than `BACKGROUND_DAYS` before its `reported_on`, restates the past.

A prediction is scored against the first ending of its pursuit after it, in fold order:
`deal done` (the move came true), a negative status (`collapsed`, `cooled`, `rejected by player`,
`blocked`, `lost out`, `stayed`: it did not), or silence for more than the quiet period (it did
not: a pursuit that comes back later is a new episode, as SPEC §5.2 has it). The ending is known
on the `reported_on` of the claim that made it, or for silence on the day the quiet period ran
out. Until then the prediction is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from ledger.claim_kinds import ClaimKind
from projections.fold.player import PlayerFold
from projections.fold.statuses import NEGATIVE_STATUSES, OPEN_STATUSES, Status
from projections.fold.values import FoldClaim, fold_key

MOVE_KINDS: Final = frozenset(
    {ClaimKind.LINKED, ClaimKind.INTEREST, ClaimKind.ENQUIRY, ClaimKind.TALKS, ClaimKind.BID,
     ClaimKind.BID_REJECTED, ClaimKind.BID_ACCEPTED, ClaimKind.PERSONAL_TERMS, ClaimKind.MEDICAL,
     ClaimKind.DEAL_AGREED}
)  # fmt: skip
NO_MOVE_KINDS: Final = frozenset({ClaimKind.DENIED})
PREDICTION_KINDS: Final = MOVE_KINDS | NO_MOVE_KINDS
BACKGROUND_DAYS: Final = 30
DORMANT: Final = "dormant"  # the ending of a pursuit that went quiet


@dataclass(frozen=True, slots=True)
class RecordClaim:
    """A claim with everyone it is attributed to: the outlet (`claim.source`) and a journalist."""

    claim: FoldClaim
    journalist: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        named = (self.claim.source, self.journalist)
        return tuple(dict.fromkeys(s for s in named if s is not None))


@dataclass(frozen=True, slots=True)
class Ending:
    """How a pursuit episode ended: `status` is a status label or DORMANT."""

    came_true: bool
    status: str
    known_on: date  # the day the ending was reported (or the quiet period ran out)
    deal_on: date | None  # fold date of the signing, for lead times


@dataclass(frozen=True, slots=True)
class Prediction:
    """One claim that predicts a pursuit's ending, with that ending once there is one."""

    sources: tuple[str, ...]
    kind: str
    player: str
    club: str
    reported_on: date
    stage: str  # the pursuit's status right after the claim
    backers: tuple[str, ...]  # sources that predicted the move in this episode so far, sorted
    ending: Ending | None = None

    @property
    def predicts_move(self) -> bool:
        return self.kind in MOVE_KINDS

    def ending_known_by(self, day: date | None) -> Ending | None:
        """The ending if it was known on `day` (None: any day), and the claim made by then."""
        if self.ending is None or (day is not None and self.known_on() > day):
            return None
        return self.ending

    def known_on(self) -> date:
        """When both the claim and its ending were known (an ending reported before a claim it
        ends, in fold order, is a pre-agreed deal dated later: it scores from the claim on)."""
        assert self.ending is not None
        return max(self.ending.known_on, self.reported_on)

    def hit(self, day: date | None = None) -> bool | None:
        """True if it came out as predicted, False if not, None while open on `day`."""
        ending = self.ending_known_by(day)
        return None if ending is None else ending.came_true == self.predicts_move

    def lead_days(self) -> int | None:
        """Days from the claim to the signing it predicted (None unless a move came true)."""
        ending = self.ending
        if not self.predicts_move or ending is None or ending.deal_on is None:
            return None
        return max((ending.deal_on - self.reported_on).days, 0)


def is_background(claim: FoldClaim) -> bool:
    """A claim about something long past (`effective_on` well before `reported_on`)."""
    effective = claim.effective_on
    return effective is not None and (claim.reported_on - effective).days > BACKGROUND_DAYS


@dataclass(slots=True)
class _Episode:
    """A pursuit's predictions since its last ending."""

    last_fold: date
    open: list[Prediction] = field(default_factory=list)
    backers: set[str] = field(default_factory=set)


class _PlayerRecord:
    """Folds one player's claims and scores the predictions among them."""

    def __init__(self, player: str, quiet_days: int) -> None:
        self.player = player
        self.quiet = quiet_days
        self.fold = PlayerFold(quiet_days)
        self.episodes: dict[str, _Episode] = {}
        self.done: list[Prediction] = []

    def apply(self, item: RecordClaim) -> None:
        claim = item.claim
        fold_on = claim.effective_on or claim.reported_on
        episode = self.episodes.get(claim.club) if claim.club is not None else None
        if episode is not None and (fold_on - episode.last_fold).days > self.quiet:
            self._end(claim.club, self._silence(episode))
        for club in self.fold.apply(claim).changed:
            self._check_ending(club, claim, fold_on)
        if claim.club is not None:
            self.episodes.setdefault(claim.club, _Episode(fold_on)).last_fold = fold_on
            self._predict(item, claim.club)

    def close(self, until: date | None) -> list[Prediction]:
        """Every prediction: ended, gone quiet by `until` (None: never), or still open."""
        for club, episode in list(self.episodes.items()):
            silence = self._silence(episode)
            if until is not None and silence.known_on <= until:
                self._end(club, silence)
            else:
                self.done.extend(episode.open)
        return self.done

    def _silence(self, episode: _Episode) -> Ending:
        quiet_ran_out = episode.last_fold + timedelta(days=self.quiet + 1)
        return Ending(came_true=False, status=DORMANT, known_on=quiet_ran_out, deal_on=None)

    def _check_ending(self, club: str, claim: FoldClaim, fold_on: date) -> None:
        status = self.fold.status(club)
        if status is None or club not in self.episodes:
            return
        if status == Status.DEAL_DONE:
            self._end(club, Ending(True, Status.DEAL_DONE, claim.reported_on, fold_on))
        elif status in NEGATIVE_STATUSES:
            self._end(club, Ending(False, status, claim.reported_on, None))

    def _end(self, club: str | None, ending: Ending) -> None:
        episode = self.episodes.pop(club or "", None)
        if episode is None:
            return
        self.done.extend(_ended(p, ending) for p in episode.open)

    def _predict(self, item: RecordClaim, club: str) -> None:
        claim = item.claim
        if claim.kind not in PREDICTION_KINDS or is_background(claim):
            return
        stage = self.fold.status(club)
        if stage is None or stage not in OPEN_STATUSES:
            return
        episode = self.episodes[club]
        if claim.kind in MOVE_KINDS:
            episode.backers.update(item.sources)
        episode.open.append(
            Prediction(
                sources=item.sources,
                kind=claim.kind,
                player=self.player,
                club=club,
                reported_on=claim.reported_on,
                stage=stage,
                backers=tuple(sorted(episode.backers)),
            )
        )


def _ended(prediction: Prediction, ending: Ending) -> Prediction:
    return Prediction(
        prediction.sources,
        prediction.kind,
        prediction.player,
        prediction.club,
        prediction.reported_on,
        prediction.stage,
        prediction.backers,
        ending,
    )


def player_predictions(
    player: str, claims: Iterable[RecordClaim], *, quiet_days: int, until: date | None
) -> list[Prediction]:
    """The predictions among one player's claims, each with its ending if known by `until`."""
    record = _PlayerRecord(player, quiet_days)
    for item in sorted(claims, key=lambda c: fold_key(c.claim)):
        record.apply(item)
    return record.close(until)


def predictions(
    players: Iterable[tuple[str, Sequence[RecordClaim]]], *, quiet_days: int, until: date | None
) -> list[Prediction]:
    """`player_predictions` for every (player, claims) pair."""
    found: list[Prediction] = []
    for player, claims in players:
        found.extend(player_predictions(player, claims, quiet_days=quiet_days, until=until))
    return found
