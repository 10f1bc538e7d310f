"""The state of one pursuit and the rules that move it, one claim at a time (SPEC §5.2).

Internal to `projections.fold.player`: `PlayerFold` owns these objects and hands out immutable
`PursuitView` snapshots. Everything here runs once per claim of a projection rebuild, so state is
a mutable slotted object and claims are dispatched on small integer roles, not on strings.
The rules themselves are documented in `projections.fold.player`.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from ledger.claim_kinds import ClaimKind
from projections.fold.statuses import (
    NEGATIVE_KINDS,
    NEGATIVE_STATUSES,
    PROGRESS_RANK,
    STATUS_BY_KIND,
    STRONG_KINDS,
    WEAK_KINDS,
    Status,
)
from projections.fold.values import FoldClaim, PursuitView

if TYPE_CHECKING:
    from ledger.money import Fee

WEAK: Final = 0
STRONG: Final = 1
NEGATIVE: Final = 2
DENIAL: Final = 3
EXTENSION: Final = 4
RELEASE_CLAUSE: Final = 5
ASKING_PRICE: Final = 6
FIRST_FACT_ROLE: Final = EXTENSION  # roles from here on are player facts, not pursuit claims

ROLE_BY_KIND = MappingProxyType(
    {kind: WEAK for kind in WEAK_KINDS}
    | {kind: STRONG for kind in STRONG_KINDS}
    | {kind: NEGATIVE for kind in NEGATIVE_KINDS}
    | {
        ClaimKind.DENIED: DENIAL,
        ClaimKind.CONTRACT_EXTENSION: EXTENSION,
        ClaimKind.RELEASE_CLAUSE: RELEASE_CLAUSE,
        ClaimKind.ASKING_PRICE: ASKING_PRICE,
    }
)

# A renewed weak claim only lifts pursuits still at these stages to `interest re-emerged`.
_BELOW_RE_EMERGED = frozenset({Status.LINKED, Status.INTEREST})
_BID_ANSWERS = frozenset({ClaimKind.BID_REJECTED, ClaimKind.BID_ACCEPTED})


class PursuitState:
    """Mutable fold state of one pursuit; `view()` freezes it."""

    __slots__ = (
        "_view",
        "bid_open",
        "bids",
        "claims",
        "club",
        "contested",
        "deal",
        "first_reported",
        "from_club",
        "generation",
        "last_fold",
        "last_reported",
        "latest_fee",
        "re_emerged",
        "since",
        "since_precision",
        "sources",
        "status",
    )

    def __init__(
        self, club: str, status: str, since: date, re_emerged: bool, since_precision: str = "day"
    ) -> None:
        self.club = club
        self.status = status
        self.since = since
        self.since_precision = since_precision  # a year-only date is never shown as a day
        self.re_emerged = re_emerged
        self.contested = False
        self.claims = 0
        self.bids = 0
        self.bid_open = False  # a bid was reported and no answer to it yet
        self.first_reported = since
        self.last_reported = since
        self.last_fold = since
        # Sorted and distinct, as a view shows them: a new source is rare after a pursuit's first
        # claims, so a copy (on almost every claim of a rebuild) shares the tuple instead of
        # copying a set, and a view does not sort.
        self.sources: tuple[str, ...] = ()
        self.latest_fee: Fee | None = None
        self.from_club: str | None = None
        self.deal: str | None = None
        self.generation = 0  # which PlayerFold may change it in place (see PlayerFold.snapshot)
        self._view: PursuitView | None = None  # see view()

    def copy(self, generation: int) -> PursuitState:
        """An independent copy, owned by the fold of `generation`.

        Field by field without `__init__`: a rebuild copies a state on almost every claim (the
        first change after each day's snapshot). `_view` is not carried: the copy is about to
        change, so its owner clears the view anyway (`changing`).
        """
        twin = PursuitState.__new__(PursuitState)
        twin.club, twin.status, twin.since = self.club, self.status, self.since
        twin.since_precision, twin.re_emerged = self.since_precision, self.re_emerged
        twin.contested, twin.claims, twin.bids = self.contested, self.claims, self.bids
        twin.bid_open, twin.first_reported = self.bid_open, self.first_reported
        twin.last_reported, twin.last_fold = self.last_reported, self.last_fold
        twin.sources, twin.latest_fee = self.sources, self.latest_fee
        twin.from_club, twin.deal = self.from_club, self.deal
        twin.generation, twin._view = generation, None
        return twin

    def move_to(self, status: str, on: date, precision: str) -> None:
        """Set a status; restating the current one inside the same episode keeps `since`."""
        if status != self.status:
            self.status = status
            self.since, self.since_precision = on, precision
            self.contested = False

    def begin_episode(self, status: str, on: date, precision: str) -> None:
        """Start a re-emerged episode: a new status interval even if the label repeats."""
        self.status = status
        self.since, self.since_precision = on, precision
        self.contested = False
        self.re_emerged = True

    def add_evidence(self, claim: FoldClaim, fold_on: date) -> None:
        """Count the claim; keep the latest stated fee, deal and selling club (fold order)."""
        if self.claims == 0:
            self.first_reported = self.last_reported = claim.reported_on
        elif claim.reported_on < self.first_reported:
            self.first_reported = claim.reported_on
        elif claim.reported_on > self.last_reported:
            self.last_reported = claim.reported_on
        self.claims += 1
        self.last_fold = fold_on
        # A bid counts once; an answer (rejected/accepted) with no bid before it implies one.
        kind = claim.kind
        if kind == ClaimKind.BID:
            self.bids += 1
            self.bid_open = True
        elif kind in _BID_ANSWERS:
            if not self.bid_open:
                self.bids += 1
            self.bid_open = False
        source = claim.source
        if source is not None and source not in self.sources:
            self.sources = tuple(sorted((*self.sources, source)))
        if claim.fee is not None:
            self.latest_fee = claim.fee
        if claim.from_club is not None:
            self.from_club = claim.from_club
        if claim.deal is not None:
            self.deal = claim.deal

    def changing(self) -> PursuitState:
        """Say the state is about to change (its owning fold calls this before any change)."""
        self._view = None
        return self

    def view(self) -> PursuitView:
        """The state frozen; built once until the state next changes.

        A state shared with snapshots is never changed again (its fold copies it first), so the
        boards of a timeline's days share one view of each pursuit a day left alone.
        """
        if self._view is None:
            self._view = self._build_view()
        return self._view

    def _build_view(self) -> PursuitView:
        # Positional, through tuple.__new__: a named tuple's own __new__ is a Python function,
        # and this runs for every changed pursuit of every event of a rebuild.
        return _new_view(PursuitView, (
            self.club, self.status, self.since, self.first_reported, self.last_reported,
            self.claims, self.sources, self.latest_fee, self.bids, self.re_emerged,
            self.contested, self.from_club, self.deal, self.since_precision,
        ))  # fmt: skip


_new_view = tuple.__new__


def start_pursuit(club: str, claim: FoldClaim, role: int, fold_on: date) -> PursuitState:
    """The state a pursuit's first claim opens it in (evidence is added by the caller)."""
    if role == DENIAL:
        # A denial is the first we hear of it: someone reported a link worth denying.
        state = PursuitState(club, Status.LINKED, fold_on, False, claim.fold_precision)
        state.contested = True
        return state
    renewed = claim.renewed and role != NEGATIVE
    status = Status.INTEREST_RE_EMERGED if role == WEAK and renewed else STATUS_BY_KIND[claim.kind]
    return PursuitState(club, status, fold_on, renewed, claim.fold_precision)


def advance(state: PursuitState, claim: FoldClaim, role: int, fold_on: date, quiet: int) -> None:
    """Move an existing pursuit by one pursuit claim (evidence is added by the caller)."""
    if role == DENIAL:
        state.contested = True
        return
    status = state.status
    if status == Status.DEAL_DONE:
        return
    if role == NEGATIVE:
        state.move_to(STATUS_BY_KIND[claim.kind], fold_on, claim.fold_precision)
        return
    reviving = status in NEGATIVE_STATUSES or (fold_on - state.last_fold).days > quiet
    if role == WEAK:
        _advance_weak(state, claim, fold_on, reviving)
    elif reviving:
        state.begin_episode(STATUS_BY_KIND[claim.kind], fold_on, claim.fold_precision)
    else:
        if claim.renewed:
            state.re_emerged = True
        state.move_to(STATUS_BY_KIND[claim.kind], fold_on, claim.fold_precision)


def _advance_weak(state: PursuitState, claim: FoldClaim, fold_on: date, reviving: bool) -> None:
    precision = claim.fold_precision
    if reviving:
        state.begin_episode(Status.INTEREST_RE_EMERGED, fold_on, precision)
    elif claim.renewed:
        state.re_emerged = True
        if state.status in _BELOW_RE_EMERGED:
            state.move_to(Status.INTEREST_RE_EMERGED, fold_on, precision)
    else:
        target = STATUS_BY_KIND[claim.kind]
        if PROGRESS_RANK[target] > PROGRESS_RANK[state.status]:
            state.move_to(target, fold_on, precision)
