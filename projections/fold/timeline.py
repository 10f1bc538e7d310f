"""One player's bitemporal timeline: which board rows hold, from which date, known from when.

Valid time: the board "as of D" is the fold of the player's claims reported on or before D, so
it can only change on dates that claims were reported. For every such date the timeline keeps a
row per pursuit (and one for the player's facts) whose value differs from the day before. The
rows are a pure function of the visible claims (no repeats, whatever order events came in), so
a timeline resumed in one pass and one fed event by event hold exactly the same rows.

Transaction time: events arrive in position order. Each one may close current rows (they stop
being true from this position on) and open new ones. `apply` returns that change.

Linear, not quadratic, in a player's claims: after each report date the timeline keeps a
snapshot of the fold (`PlayerFold.snapshot`, one copy of a dict). An event reported on day R can
only change rows dated R or later, so it refolds from the snapshot of the day before R: the cost
is the claims reported from R on, never the player's whole history. An event at the end (the
usual case) is folded onto the end of the last day without refolding it, by the fold that made
that day's snapshot; a claim of the last day that folds before one already there (same-day
claims come in any order) is folded onto the end too where the fold says their order cannot
matter (`PlayerFold.apply_before`: usually a claim about another club), and otherwise refolds
that day alone from the day before's snapshot.

A snapshot holds the "settled" fold: the claims reported by that day that also fold by it. A
claim whose `effective_on` lies after its report (a pre-contract) folds after claims reported
later, so until its date comes it is "pending": the day's board is the settled fold plus the
pending claims, folded on a branch of the snapshot. Only a claim dated to take effect before
something already settled (an `effective_on` in the past) refolds the settled claims in full.

Why this module runs past 300 lines: the snapshots, the walk that refolds from them and the
close/open bookkeeping of transaction time share one invariant (the rows are the same whatever
order events came in), and splitting them would spread that invariant over modules that each
hold half of it; the fold rules themselves live in `projections.fold.pursuit` and `.player`.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from uuid import UUID

from projections.fold.player import FoldSnapshot, PlayerFold, fold_player
from projections.fold.values import FoldClaim, PlayerFacts, PursuitView, fold_key

FACTS = ""  # the "club" key of a player-facts row
RowKey = tuple[str, date]  # (club id or FACTS, valid_from)
RowValue = PursuitView | PlayerFacts
DayRows = dict[str, RowValue]  # one date's rows, by club id or FACTS


@dataclass(frozen=True, slots=True)
class Retract:
    """A retraction as the timeline sees it."""

    position: int
    retracts: UUID


@dataclass(slots=True)
class Change:
    position: int
    closes: list[RowKey] = field(default_factory=list)
    opens: list[tuple[RowKey, RowValue]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.closes or self.opens)


def fold_on(claim: FoldClaim) -> date:
    return claim.effective_on or claim.reported_on


class _DayEnd(NamedTuple):
    """The fold at the end of a report date: settled claims, and those still to take effect."""

    settled: FoldSnapshot
    pending: tuple[FoldClaim, ...]  # reported by the day, folding after it; in fold order


Board = FoldSnapshot | PlayerFold


class _Walk:
    """Folds a player's days in date order from the end of an earlier day; see the docstring."""

    def __init__(self, quiet_days: int, start: _DayEnd | None) -> None:
        self.quiet_days = quiet_days
        if start is None:
            self.settled = PlayerFold(quiet_days)
            self.snapshot = self.settled.snapshot()
            self.pending: list[FoldClaim] = []
            self.board: Board | None = None  # the day before's board; None before the first
            self.pending_clubs: set[str] = set()
        else:
            self.settled = PlayerFold.resumed(start.settled)
            self.pending = list(start.pending)
            self.board, self.pending_clubs = self._board(start.settled)

    def day(
        self, day: date, claims: list[FoldClaim], so_far: Callable[[], Iterable[FoldClaim]]
    ) -> DayRows:
        """Fold one report date's claims; the rows that differ from the day before.

        `so_far()` gives every claim reported by this day, needed only to refold in full.
        """
        if not self.pending and all(claim.effective_on is None for claim in claims):
            # The usual day: nothing waiting to take effect, every claim folding on its report date.
            return self._usual_day(claims, day, so_far)
        due = [c for c in self.pending if fold_on(c) <= day] + [
            c for c in claims if fold_on(c) <= day
        ]
        self.pending = sorted(
            [c for c in self.pending if fold_on(c) > day] + [c for c in claims if fold_on(c) > day],
            key=fold_key,
        )
        changed = self._settle(sorted(due, key=fold_key), day, so_far)
        board, pending_clubs = self._board(self.settled.snapshot())
        rows: DayRows = {}
        for club in changed | pending_clubs | self.pending_clubs:
            view = board.pursuit(club)
            if view is not None and self._before(club) != view:
                rows[club] = view
        facts = board.facts()
        if self.board is None or self.board.facts() != facts:
            rows[FACTS] = facts
        self.board, self.pending_clubs = board, pending_clubs
        return rows

    def _usual_day(
        self, claims: list[FoldClaim], day: date, so_far: Callable[[], Iterable[FoldClaim]]
    ) -> DayRows:
        """`day` for a day whose claims all fold on it, with nothing pending before or after:
        the boards on both sides are plain snapshots, so a pursuit state the day left alone is
        the day before's own object and needs no view built to know it did not change."""
        changed = self._settle(sorted(claims, key=fold_key), day, so_far)
        board = self.snapshot = self.settled.snapshot()
        before = self.board
        assert before is None or isinstance(before, FoldSnapshot)  # nothing pending: no branch
        rows: DayRows = {}
        for club in changed:
            view = _changed_pursuit(board, before, club)
            if view is not None:
                rows[club] = view
        facts = board.facts_value
        if before is None or (facts is not before.facts_value and facts != before.facts_value):
            rows[FACTS] = facts
        self.board, self.pending_clubs = board, set()
        return rows

    def end(self) -> _DayEnd:
        """What a later walk starts from to refold the days after this one."""
        return _DayEnd(self.snapshot, tuple(self.pending))

    def _settle(
        self, due: list[FoldClaim], day: date, so_far: Callable[[], Iterable[FoldClaim]]
    ) -> set[str]:
        """Fold the claims that take effect by `day`; the clubs whose pursuit they changed."""
        last = self.settled.last_key
        if due and last is not None and fold_key(due[0]) <= last:
            # Takes effect before a claim already settled: refold every settled claim.
            settled = [c for c in so_far() if fold_on(c) <= day]
            self.settled = fold_player(settled, self.quiet_days)
            return set(self.settled.pursuits())
        changed: set[str] = set()
        for claim in due:
            changed.update(self.settled.apply(claim).changed)
        return changed

    def _board(self, settled: FoldSnapshot) -> tuple[Board, set[str]]:
        """The day's board: the settled snapshot, plus pending claims on a branch of it."""
        self.snapshot = settled
        if not self.pending:
            return settled, set()
        branch = PlayerFold.resumed(settled)
        clubs: set[str] = set()
        for claim in self.pending:
            clubs.update(branch.apply(claim).changed)
        return branch, clubs

    def _before(self, club: str) -> PursuitView | None:
        return None if self.board is None else self.board.pursuit(club)


def _changed_pursuit(
    board: FoldSnapshot, day_before: FoldSnapshot | None, club: str
) -> PursuitView | None:
    """The club's pursuit on `board` where it differs from the day before's."""
    state = board.pursuits.get(club)
    if state is None:
        return None
    before = None if day_before is None else day_before.pursuits.get(club)
    if before is state:  # not changed since the day before: one state, one view
        return None
    view = state.view()
    return None if before is not None and before.view() == view else view


def _settle_row(
    rows: DayRows, day: date, club: str, value: RowValue | None, change: Change
) -> None:
    """Make the day's row of `club` hold `value` (None: no row), noting what closes and opens."""
    held = rows.get(club)
    if held == value:
        return
    if held is not None:
        change.closes.append((club, day))
    if value is None:
        del rows[club]
    else:
        rows[club] = value
        change.opens.append(((club, day), value))


# Named tuples built positionally (their own __new__ is a Python function): one a claim.
_new_tuple = tuple.__new__


class PlayerTimeline:
    """Feeds one player's events in position order; see the module docstring."""

    def __init__(self, quiet_days: int) -> None:
        self._quiet_days = quiet_days
        # Keyed by the ids' integers: a UUID hashes in Python, an int in C (three look-ups an event).
        self._claims: dict[int, FoldClaim] = {}
        self._retracted: set[int] = set()
        self._by_day: dict[date, list[FoldClaim]] = defaultdict(list)
        self._days: list[date] = []  # report dates of visible claims, ascending
        self._ends: dict[date, _DayEnd] = {}
        self._rows: dict[date, DayRows] = {}
        # The fold whose snapshot is `_live_end`, kept so the next claim at the end continues it
        # instead of resuming a copy of the snapshot (see _fold_at_end).
        self._live: PlayerFold | None = None
        self._live_end: _DayEnd | None = None

    @property
    def rows(self) -> dict[RowKey, RowValue]:
        """Every current row."""
        return {
            (club, day): value for day, rows in self._rows.items() for club, value in rows.items()
        }

    @classmethod
    def resumed(cls, events: Iterable[FoldClaim | Retract], quiet_days: int) -> PlayerTimeline:
        """The timeline after `events` (in position order), computed in one pass."""
        timeline = cls(quiet_days)
        for event in events:
            if isinstance(event, Retract):
                timeline._retract(event)
            elif event.event_id.int not in timeline._retracted:
                timeline._add(event)
        timeline._recompute(0, date.min)
        return timeline

    def apply(self, event: FoldClaim | Retract) -> Change:
        if isinstance(event, Retract):
            withdrawn = self._retract(event)
            if withdrawn is None:
                return Change(event.position)
            return self._recompute(event.position, withdrawn.reported_on)
        event_id = event.event_id.int
        if event_id in self._retracted or event_id in self._claims:
            return Change(event.position)
        before = self._board_before_end(event)
        if before is not None:
            return self._fold_at_end(event, *before)
        refold = self._last_day_refoldable(event)
        if refold is not None:
            commuted = self._commute_onto_last_day(event, *refold)  # an empty Change is falsy
            return self._refold_last_day(event, *refold) if commuted is None else commuted
        self._add(event)
        return self._recompute(event.position, event.reported_on)

    def _board_before_end(self, claim: FoldClaim) -> tuple[_DayEnd, FoldSnapshot | None] | None:
        """For a claim that folds after every claim so far, on the last day or a new one (the
        usual event): the end of the last day, and the board of the day before the claim's.
        None for any other claim, or when a pre-contract is pending around the end."""
        if not self._days or fold_on(claim) > claim.reported_on:
            return None
        last = self._days[-1]
        end = self._ends[last]
        if claim.reported_on < last or end.pending:
            return None
        if end.settled.last_key is not None and fold_key(claim) <= end.settled.last_key:
            return None
        if claim.reported_on > last:
            return end, end.settled
        if len(self._days) == 1:
            return end, None
        day_before = self._ends[self._days[-2]]
        return None if day_before.pending else (end, day_before.settled)

    def _fold_at_end(
        self, claim: FoldClaim, end: _DayEnd, day_before: FoldSnapshot | None
    ) -> Change:
        """Fold one claim onto the end of the last day: only its day's rows of the clubs it
        changed (and the facts) can differ, each from the board of the day before."""
        fold = self._fold_ending(end)
        step = fold.apply(claim)
        self._add(claim)
        return self._settle_last_day(claim, fold, step.changed, day_before)

    def _fold_ending(self, end: _DayEnd) -> PlayerFold:
        """A fold standing at `end`: the live one whose snapshot it is (continued instead of
        resuming a copy of the snapshot), or one resumed from it."""
        if self._live is not None and self._live_end is end:
            return self._live
        return PlayerFold.resumed(end.settled)

    def _last_day_refoldable(
        self, claim: FoldClaim
    ) -> tuple[FoldSnapshot | None, list[FoldClaim]] | None:
        """For a claim of the last day that folds before one already folded that day (a second
        claim of a day arriving out of kind or id order, the commonest refold): the board of
        the day before, and the day's claims with this one in fold order. None when a
        pre-contract is pending around the day or one of the day's claims takes effect before
        the day before's last claim: those need the general refold."""
        day = claim.reported_on
        if not self._days or day != self._days[-1]:
            return None
        if fold_on(claim) > day or self._ends[day].pending:
            return None
        claims = sorted([*self._by_day[day], claim], key=fold_key)
        if len(self._days) == 1:
            return None, claims
        day_before = self._ends[self._days[-2]]
        if day_before.pending:
            return None
        last = day_before.settled.last_key
        if last is not None and fold_key(claims[0]) <= last:
            return None
        return day_before.settled, claims

    def _commute_onto_last_day(
        self, claim: FoldClaim, day_before: FoldSnapshot | None, claims: list[FoldClaim]
    ) -> Change | None:
        """Fold a claim of the last day that folds before some already folded that day onto the
        end of the day, where the fold says their order cannot matter (`PlayerFold.apply_before`:
        most such claims are about another club than the ones after them); None where it can,
        for `_refold_last_day`."""
        if len({each.identity for each in claims}) < len(claims):
            # A claim there twice (this one, or another: a repeat is folded as nothing, so it
            # states no club either): only a refold counts each once, in its place.
            return None
        later = claims[claims.index(claim) + 1 :]
        end = self._ends[claim.reported_on]
        fold = self._fold_ending(end)
        step = fold.apply_before(claim, later)
        if step is None:
            return None
        self._add(claim)
        return self._settle_last_day(claim, fold, step.changed, day_before)

    def _refold_last_day(
        self, claim: FoldClaim, day_before: FoldSnapshot | None, claims: list[FoldClaim]
    ) -> Change:
        """Fold the last day's `claims` (`claim` among them) again from the day before's board:
        the refold of `_recompute` for one day, without walking (this day is the last)."""
        self._add(claim)
        day = claim.reported_on
        fold = (
            PlayerFold(self._quiet_days) if day_before is None else PlayerFold.resumed(day_before)
        )
        changed: dict[str, None] = dict.fromkeys(self._rows.get(day, ()))
        for each in claims:
            changed.update(dict.fromkeys(fold.apply(each).changed))
        changed.pop(FACTS, None)  # the facts row is always brought up to date
        return self._settle_last_day(claim, fold, changed, day_before)

    def _settle_last_day(
        self,
        claim: FoldClaim,
        fold: PlayerFold,
        clubs: Iterable[str],
        day_before: FoldSnapshot | None,
    ) -> Change:
        """Snapshot `fold` as the end of the claim's day (the last) and bring that day's rows of
        `clubs` and of the facts up to date: a row wherever the value differs from the day
        before's."""
        settled = fold.snapshot()
        day = claim.reported_on
        self._live, self._live_end = fold, _new_tuple(_DayEnd, (settled, ()))
        self._ends[day] = self._live_end
        rows = self._rows.get(day)
        if rows is None:
            rows = self._rows[day] = {}
        change = Change(claim.position, [], [])
        for club in clubs:
            _settle_row(rows, day, club, _changed_pursuit(settled, day_before, club), change)
        facts: PlayerFacts | None = settled.facts_value
        if day_before is not None and (
            facts is day_before.facts_value or facts == day_before.facts_value
        ):
            facts = None
        _settle_row(rows, day, FACTS, facts, change)
        if not rows:
            del self._rows[day]
        return change

    def _add(self, claim: FoldClaim) -> None:
        self._claims[claim.event_id.int] = claim
        claims = self._by_day[claim.reported_on]
        if not claims:
            bisect.insort(self._days, claim.reported_on)
        claims.append(claim)

    def _retract(self, event: Retract) -> FoldClaim | None:
        self._retracted.add(event.retracts.int)
        withdrawn = self._claims.pop(event.retracts.int, None)
        if withdrawn is not None:
            claims = self._by_day[withdrawn.reported_on]
            claims.remove(withdrawn)
            if not claims:
                del self._by_day[withdrawn.reported_on]
                self._days.remove(withdrawn.reported_on)
                self._ends.pop(withdrawn.reported_on, None)
        return withdrawn

    def _recompute(self, position: int, since: date) -> Change:
        """Rows again from `since` on (earlier rows cannot change), as a change to the old ones."""
        first = bisect.bisect_left(self._days, since)
        walk = _Walk(self._quiet_days, self._ends[self._days[first - 1]] if first else None)
        old = {
            day: self._rows.pop(day) for day in [since, *self._days[first:]] if day in self._rows
        }
        new: dict[date, DayRows] = {}
        for at in range(first, len(self._days)):
            day = self._days[at]
            rows = walk.day(day, self._by_day[day], functools.partial(self._reported_by, at))
            self._ends[day] = walk.end()
            if rows:
                new[day] = self._rows[day] = rows
        change = Change(position)
        change.closes = [
            (club, day)
            for day, rows in old.items()
            for club, value in rows.items()
            if new.get(day, {}).get(club) != value
        ]
        change.opens = [
            ((club, day), value)
            for day, rows in new.items()
            for club, value in rows.items()
            if old.get(day, {}).get(club) != value
        ]
        return change

    def _reported_by(self, at: int) -> list[FoldClaim]:
        """Every visible claim reported on or before the `at`-th date."""
        return [claim for day in self._days[: at + 1] for claim in self._by_day[day]]
