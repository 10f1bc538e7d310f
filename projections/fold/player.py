"""The pure pursuit fold: one player's claims, in fold order, to statuses and facts (SPEC §5.2).

Plain Python over in-memory claims; no database. The caller drops retractions and the claims
they withdraw, and feeds `PlayerFold.apply` in `fold_key` order (or lets `fold_player` sort).

How a pursuit (one player x one interested club) moves:

* Its first claim opens it in the status of its kind (`STATUS_BY_KIND`). A first `denied` opens
  it as `linked` and contested: a denial presupposes a report worth denying. A first weak claim
  with `renewed=True` opens it as `interest re-emerged` (the source says so).
* Weak claims (linked, interest, enquiry, talks) in an active open pursuit only move it forward
  by `PROGRESS_RANK`; anything else they bring is evidence.
* Strong claims (bid ... deal_done, and the negative kinds) always set their own status, so a
  bid after `bid rejected` is `bid made` (an improved bid, not a re-emergence).
* Re-emergence position: the pursuit is negative, or dormant (its previous claim's fold date is
  more than `quiet_days` before this claim's), or the claim says `renewed=True`. A weak claim
  there makes it `interest re-emerged`; a strong positive claim its own status. Either way
  `re_emerged` becomes true. A renewed weak claim in an active open pursuit never pulls it back:
  it lifts `linked`/`interest` to `interest re-emerged` and otherwise only sets the flag.
* `re_emerged` describes the pursuit's current episode. An episode begins with the first claim
  (re-emerged only if renewed) or with a re-emergence; a negative or terminal status keeps the
  flag of the episode it ended. Since every episode after the first begins by re-emerging, the
  flag never goes back to false once set.
* `deal done` is terminal: later claims of that pursuit only add evidence (and a denial still
  marks it contested). Entering `deal done` makes every other open pursuit `lost out` on that
  claim's fold date, and makes its club the player's current club. A `contract_extension`
  makes every open pursuit `stayed`. Negative and done pursuits are left alone by both.
* `denied` marks the pursuit contested and keeps its status. `contested` belongs to the current
  status: it clears whenever `since` moves (a new status, a cascade, a new episode).
* A claim with the same `FoldClaim.identity` as one already folded (the same fact from the same
  source on the same day, once from a structured file and once from the article) is one claim:
  it changes nothing and is not counted again.
* `since` is the fold date of the claim (or cascade) that began the current status; a claim
  restating the current status inside the same episode does not move it.

Player facts: `current_club` is the club of the pursuit that most recently entered `deal done`,
else the latest stated club (a claim's `from_club`, or a contract extension's club); the release
clause and asking price are the latest of their kind, in fold order.

This docstring is the fold's specification, which is why the module runs a little past 300 lines;
the rules themselves are in `projections.fold.pursuit`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from ledger.claim_kinds import ClaimKind
from projections.fold.pursuit import (
    ASKING_PRICE,
    EXTENSION,
    FIRST_FACT_ROLE,
    RELEASE_CLAUSE,
    ROLE_BY_KIND,
    PursuitState,
    advance,
    start_pursuit,
)
from projections.fold.statuses import OPEN_STATUSES, Status
from projections.fold.values import FoldClaim, FoldKey, PlayerFacts, PursuitView, fold_key

if TYPE_CHECKING:
    from ledger.money import Fee

__all__ = ["FoldSnapshot", "FoldStep", "PlayerFold", "fold_player"]


# Each fold, and each fold since its last snapshot, is a new generation: a pursuit state may be
# changed in place only by the fold of its own generation, so snapshots can share states.
_generations = itertools.count(1)

# The kinds whose claim can end other pursuits of the player (see _cascade).
_ENDING_OTHERS = frozenset({ClaimKind.DEAL_DONE, ClaimKind.CONTRACT_EXTENSION})

# Named tuples built positionally through tuple.__new__: their own __new__ is a Python function,
# and a rebuild builds a step per claim folded and a snapshot per claim and per report date.
_new_tuple = tuple.__new__


class FoldStep(NamedTuple):
    """What folding one claim did, so no second call has to ask."""

    status: str | None  # the claim's pursuit's status after it; None for a player fact
    changed: tuple[str, ...]  # clubs whose pursuit it changed: its own, then any a cascade ended


class FoldSnapshot(NamedTuple):
    """A `PlayerFold` as it stood, sharing its pursuit states (which nothing changes any more).

    A named tuple: a timeline takes one per report date, so it is built in C."""

    quiet_days: int
    pursuits: Mapping[str, PursuitState]
    last_key: FoldKey | None
    done_club: str | None
    stated_club: str | None
    release_clause: Fee | None
    release_clause_on: date | None
    asking_price: Fee | None
    asking_price_on: date | None
    facts_value: PlayerFacts
    # Identities folded with the last claim's fold date, report date and kind (see apply).
    stated_claims: frozenset[tuple[object, ...]] = frozenset()

    def pursuit(self, club: str) -> PursuitView | None:
        state = self.pursuits.get(club)
        return None if state is None else state.view()

    def facts(self) -> PlayerFacts:
        return self.facts_value


class PlayerFold:
    """Every pursuit of one player, folded claim by claim. Not thread-safe; cheap to apply."""

    __slots__ = (
        "_asking_price",
        "_asking_price_on",
        "_done_club",
        "_facts",
        "_generation",
        "_last_key",
        "_pursuits",
        "_quiet_days",
        "_release_clause",
        "_release_clause_on",
        "_stated_claims",
        "_stated_club",
    )

    def __init__(self, quiet_days: int = 90) -> None:
        if quiet_days < 0:
            raise ValueError("quiet_days must not be negative")
        self._quiet_days = quiet_days
        self._pursuits: dict[str, PursuitState] = {}
        self._last_key: FoldKey | None = None
        self._done_club: str | None = None
        self._stated_club: str | None = None
        self._release_clause: Fee | None = None
        self._release_clause_on: date | None = None
        self._asking_price: Fee | None = None
        self._asking_price_on: date | None = None
        self._stated_claims: set[tuple[object, ...]] = set()
        self._facts: PlayerFacts | None = None  # built once until a fact changes (see facts())
        self._generation = next(_generations)

    def snapshot(self) -> FoldSnapshot:
        """The fold as it stands, in one copy of the pursuits dict (not of the pursuits).

        The snapshot and this fold share every pursuit state; from here on the fold copies a
        state before it first changes it, so the snapshot never sees a later claim. Snapshots
        per report date are what let a timeline refold from a date instead of from the start.
        """
        self._generation = next(_generations)
        return _new_tuple(FoldSnapshot, (
            self._quiet_days, dict(self._pursuits), self._last_key, self._done_club,
            self._stated_club, self._release_clause, self._release_clause_on, self._asking_price,
            self._asking_price_on, self._facts or self.facts(), frozenset(self._stated_claims),
        ))  # fmt: skip

    @classmethod
    def resumed(cls, snapshot: FoldSnapshot) -> PlayerFold:
        """A fold that continues from `snapshot` (which it leaves as it is)."""
        fold = cls.__new__(cls)  # not __init__: every field is set here, from the snapshot
        fold._quiet_days = snapshot.quiet_days
        fold._generation = next(_generations)
        fold._pursuits = dict(snapshot.pursuits)
        fold._last_key = snapshot.last_key
        fold._done_club, fold._stated_club = snapshot.done_club, snapshot.stated_club
        fold._release_clause = snapshot.release_clause
        fold._release_clause_on = snapshot.release_clause_on
        fold._asking_price, fold._asking_price_on = snapshot.asking_price, snapshot.asking_price_on
        fold._stated_claims = set(snapshot.stated_claims)
        fold._facts = snapshot.facts_value
        return fold

    @property
    def last_key(self) -> FoldKey | None:
        """The fold key of the last claim folded: the next one must come after it."""
        return self._last_key

    def apply(self, claim: FoldClaim) -> FoldStep:
        """Fold one claim; return its pursuit's status after it and the clubs it changed.

        Claims must arrive in strictly increasing `fold_key` order: a claim out of order (or the
        same claim twice) raises ValueError and leaves the fold unchanged.
        """
        key = claim.key
        role = ROLE_BY_KIND.get(claim.kind)
        if key is None or role is None:
            raise ValueError(f"cannot fold claim kind {claim.kind!r}")
        if role < FIRST_FACT_ROLE and claim.club is None:
            raise ValueError(f"a {claim.kind} claim needs a club")
        last = self._last_key
        if last is not None and key <= last:
            raise ValueError(f"claim at position {claim.position} arrived out of fold order")
        fold_on = key[0]
        self._last_key = key
        identity = claim.identity
        if last is None or key[0] != last[0] or key[1] != last[1] or key[2] != last[2]:
            # Claims of one identity share (fold date, report date, kind), the first three parts
            # of the fold key, so they arrive together: earlier identities never come back.
            self._stated_claims = {identity}
        elif identity in self._stated_claims:
            return _new_tuple(FoldStep, (self._restated(claim), ()))
        else:
            self._stated_claims.add(identity)
        if claim.from_club is not None and claim.from_club != self._stated_club:
            self._stated_club = claim.from_club
            self._facts = None
        if role >= FIRST_FACT_ROLE:
            return _new_tuple(FoldStep, (None, self._apply_fact(claim, role, fold_on)))
        return self._apply_pursuit(claim, role, fold_on)

    def apply_before(self, claim: FoldClaim, later: Sequence[FoldClaim]) -> FoldStep | None:
        """Fold `claim` as if it had come before `later`, the claims folded last (every folded
        claim after it in fold order), where their order cannot matter; None, changing nothing,
        where it could. The caller makes sure that neither the claim nor any later one repeats
        a claim already folded (a repeat is folded as nothing: it states no club either).

        The order cannot matter when the claim is about a pursuit the player already has, no
        later claim is about that pursuit, and neither the claim nor any later one ends other
        pursuits (a deal done, a contract extension): each pursuit then sees its own claims in
        the same order, and the pursuits keep their order of first fold. The stated club is the
        latest stated in fold order, so the claim's only if no later claim states one.
        """
        role = ROLE_BY_KIND.get(claim.kind)
        club = claim.club
        key, last = claim.key, self._last_key
        if (
            role is None
            or role >= FIRST_FACT_ROLE
            or club not in self._pursuits
            or key is None
            or last is None
            or key >= last
            or claim.kind in _ENDING_OTHERS
            or any(c.club == club or c.kind in _ENDING_OTHERS for c in later)
        ):
            return None
        if key[0] == last[0] and key[1] == last[1] and key[2] == last[2]:
            self._stated_claims.add(claim.identity)  # it joins the last identity group
        if (
            claim.from_club is not None
            and claim.from_club != self._stated_club
            and all(c.from_club is None for c in later)
        ):
            self._stated_club = claim.from_club
            self._facts = None
        return self._apply_pursuit(claim, role, key[0])

    def pursuits(self) -> dict[str, PursuitView]:
        """Every pursuit of the player, keyed by club id, in order of first fold."""
        return {club: state.view() for club, state in self._pursuits.items()}

    def pursuit(self, club: str) -> PursuitView | None:
        state = self._pursuits.get(club)
        return None if state is None else state.view()

    def status(self, club: str) -> str | None:
        """The pursuit's status label, without building a view (hot in the track record)."""
        state = self._pursuits.get(club)
        return None if state is None else state.status

    def facts(self) -> PlayerFacts:
        """The player's facts; one object until a fact changes, so the snapshots of days that
        changed no fact share it (a timeline compares the facts of every day with the day's
        before)."""
        if self._facts is None:
            self._facts = _new_tuple(PlayerFacts, (
                self._done_club or self._stated_club,  # current_club
                self._release_clause, self._release_clause_on,
                self._asking_price, self._asking_price_on,
            ))  # fmt: skip
        return self._facts

    def _restated(self, claim: FoldClaim) -> str | None:
        """A claim already folded, arriving again by another route: it changes and counts nothing."""
        state = None if claim.club is None else self._pursuits.get(claim.club)
        return (
            None if state is None or ROLE_BY_KIND[claim.kind] >= FIRST_FACT_ROLE else state.status
        )

    def _apply_pursuit(self, claim: FoldClaim, role: int, fold_on: date) -> FoldStep:
        club = claim.club
        assert club is not None  # checked by _check
        state = self._pursuits.get(club)
        if state is None:
            state = self._pursuits[club] = start_pursuit(club, claim, role, fold_on)
            state.generation = self._generation
            entered_done = state.status == Status.DEAL_DONE
        else:
            if state.generation != self._generation:  # shared with a snapshot: copy it first
                state = self._pursuits[club] = state.copy(self._generation)
            else:
                state.changing()
            was_done = state.status == Status.DEAL_DONE
            advance(state, claim, role, fold_on, self._quiet_days)
            entered_done = not was_done and state.status == Status.DEAL_DONE
        state.add_evidence(claim, fold_on)
        if not entered_done:
            return _new_tuple(FoldStep, (state.status, (club,)))
        self._done_club = club
        self._facts = None
        ended = self._cascade(Status.LOST_OUT, fold_on, claim.fold_precision, winner=club)
        return _new_tuple(FoldStep, (state.status, (club, *ended)))

    def _own(self, club: str) -> PursuitState:
        """The club's state, ready to change: copied first if a snapshot shares it."""
        state = self._pursuits[club]
        if state.generation != self._generation:
            state = self._pursuits[club] = state.copy(self._generation)
        return state.changing()

    def _apply_fact(self, claim: FoldClaim, role: int, fold_on: date) -> tuple[str, ...]:
        """Fold a player fact; the clubs whose pursuit it ended (only an extension ends any)."""
        self._facts = None
        if role == EXTENSION:
            if claim.club is not None:
                self._stated_club = claim.club
            return self._cascade(Status.STAYED, fold_on, claim.fold_precision, winner=None)
        if claim.fee is None:
            return ()
        if role == RELEASE_CLAUSE:
            self._release_clause = claim.fee
            self._release_clause_on = claim.reported_on
        elif role == ASKING_PRICE:
            self._asking_price = claim.fee
            self._asking_price_on = claim.reported_on
        return ()

    def _cascade(
        self, status: str, on: date, precision: str, winner: str | None
    ) -> tuple[str, ...]:
        ended = tuple(
            club
            for club, state in self._pursuits.items()
            if club != winner and state.status in OPEN_STATUSES
        )
        for club in ended:
            state = self._own(club)
            state.status = status
            state.since, state.since_precision = on, precision
            state.contested = False
        return ended


def fold_player(claims: Iterable[FoldClaim], quiet_days: int = 90) -> PlayerFold:
    """Sort one player's claims into fold order and fold them all."""
    fold = PlayerFold(quiet_days)
    for claim in sorted(claims, key=fold_key):
        fold.apply(claim)
    return fold
