"""One player's bitemporal timeline: which board rows hold, from which date, known from when.

Valid time: the board "as of D" is the fold of the player's claims reported on or before D, so
it can only change on dates that claims were reported. For every such date the timeline keeps a
row per pursuit (and one for the player's facts) whose value differs from the day before.

Transaction time: events arrive in position order. Each one may close current rows (they stop
being true from this position on) and open new ones. `apply` returns that change.

Most events extend the timeline at its end (reported on or after everything seen, and later in
fold order), and are folded in O(pursuits). Anything else (a back-filled report, a claim dated
earlier than one already folded, a retraction) recomputes the player's rows from the visible
claims and diffs them with the current ones: O(claims of this player), never O(ledger).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from projections.fold import PlayerFold, fold_player
from projections.fold_types import FoldClaim, FoldKey, PlayerFacts, PursuitView, fold_key

FACTS = ""  # the "club" key of a player-facts row
RowKey = tuple[str, date]  # (club id or FACTS, valid_from)
RowValue = PursuitView | PlayerFacts


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


def rows_of(
    claims: Iterable[FoldClaim], quiet_days: int
) -> tuple[dict[RowKey, RowValue], PlayerFold]:
    """Every current row for these visible claims, and the fold of all of them."""
    return rows_since(claims, quiet_days, None, {})


def rows_since(
    claims: Iterable[FoldClaim],
    quiet_days: int,
    since: date | None,
    earlier_rows: dict[RowKey, RowValue],
) -> tuple[dict[RowKey, RowValue], PlayerFold]:
    """`rows_of(claims)`, reusing `earlier_rows` for the days before `since`.

    The board as of a day only depends on claims reported on or before it, so when the claims
    reported before `since` are unchanged, so are their rows: those claims are folded without
    building any row, and rows are only computed from `since` on.
    """
    by_date: dict[date, list[FoldClaim]] = defaultdict(list)
    before: list[FoldClaim] = []
    for claim in claims:
        if since is not None and claim.reported_on < since:
            before.append(claim)
        else:
            by_date[claim.reported_on].append(claim)
    folded = sorted(before, key=fold_key)
    fold = PlayerFold(quiet_days)
    for claim in folded:
        fold.apply(claim)
    rows: dict[RowKey, RowValue] = {}
    latest: dict[str, RowValue] = {}
    if since is not None:
        for (club, day), value in sorted(earlier_rows.items(), key=lambda item: item[0][1]):
            if day < since:
                rows[(club, day)] = latest[club] = value
    for day in sorted(by_date):
        batch = sorted(by_date[day], key=fold_key)
        values: dict[str, RowValue]
        if folded and fold_key(batch[0]) < fold_key(folded[-1]):
            # A claim that takes effect before one already folded: any pursuit may differ.
            folded = sorted(folded + batch, key=fold_key)
            fold = fold_player(folded, quiet_days)
            values = dict(fold.pursuits())
        else:
            # Only the pursuits these claims touched can differ from the day before; building
            # a view of every pursuit every day made this quadratic in a player's pursuits.
            touched: set[str] = set()
            for claim in batch:
                fold.apply(claim)
                touched |= fold.changed_clubs()
            folded.extend(batch)
            values = {club: view for club in touched if (view := fold.pursuit(club)) is not None}
        values[FACTS] = fold.facts()
        for club, value in values.items():
            if latest.get(club) != value:
                rows[(club, day)] = latest[club] = value
    return rows, fold


@dataclass(frozen=True, slots=True)
class _Latest:
    day: date
    value: RowValue
    prior: tuple[date, RowValue] | None


class PlayerTimeline:
    """Feeds one player's events in position order; see the module docstring."""

    def __init__(self, quiet_days: int) -> None:
        self._quiet_days = quiet_days
        self._claims: dict[UUID, FoldClaim] = {}
        self._retracted: set[UUID] = set()
        self.rows: dict[RowKey, RowValue] = {}
        # Per club: its latest row (day, value) and the row before it, which a same-day change
        # back must be compared with ("a row only where the value differs from the day before").
        self._latest: dict[str, _Latest] = {}
        self._fold = PlayerFold(quiet_days)
        self._last_key: FoldKey | None = None
        self._last_reported: date | None = None

    @classmethod
    def resumed(cls, events: Iterable[FoldClaim | Retract], quiet_days: int) -> PlayerTimeline:
        """The timeline after `events` (in position order), computed in one pass.

        Equal to applying them one by one (the current rows are a pure function of the visible
        claims), but a player with many back-filled reports would recompute at each of them:
        the projector resumes every affected player this way before each batch.
        """
        timeline = cls(quiet_days)
        for event in events:
            if isinstance(event, Retract):
                timeline._retracted.add(event.retracts)
                timeline._claims.pop(event.retracts, None)
            elif event.event_id not in timeline._retracted:
                timeline._claims[event.event_id] = event
        timeline._recompute(0, None)
        return timeline

    def apply(self, event: FoldClaim | Retract) -> Change:
        if isinstance(event, Retract):
            self._retracted.add(event.retracts)
            withdrawn = self._claims.pop(event.retracts, None)
            if withdrawn is None:
                return Change(event.position)
            return self._recompute(event.position, withdrawn.reported_on)
        if event.event_id in self._retracted:
            return Change(event.position)
        self._claims[event.event_id] = event
        if self._extends_end(event):
            return self._fold_at_end(event)
        return self._recompute(event.position, event.reported_on)

    def _extends_end(self, claim: FoldClaim) -> bool:
        if self._last_key is None or self._last_reported is None:
            return True
        return claim.reported_on >= self._last_reported and fold_key(claim) > self._last_key

    def _fold_at_end(self, claim: FoldClaim) -> Change:
        self._fold.apply(claim)
        self._last_key, self._last_reported = fold_key(claim), claim.reported_on
        change = Change(claim.position)
        changed: dict[str, RowValue] = {
            club: self._view(club) for club in self._fold.changed_clubs()
        }
        changed[FACTS] = self._fold.facts()
        for club, value in changed.items():
            self._record(change, club, claim.reported_on, value)
        return change

    def _record(self, change: Change, club: str, day: date, value: RowValue) -> None:
        latest = self._latest.get(club)
        if latest is not None and latest.value == value:
            return
        key = (club, day)
        prior = None if latest is None else (latest.day, latest.value)
        if latest is not None and latest.day == day:
            change.closes.append(key)
            del self.rows[key]
            prior = latest.prior
            if prior is not None and prior[1] == value:
                # Changed back to the day before's value: that row holds again, no new row.
                self._latest[club] = _Latest(prior[0], prior[1], None)
                return
        change.opens.append((key, value))
        self.rows[key] = value
        self._latest[club] = _Latest(day, value, prior)

    def _view(self, club: str) -> PursuitView:
        view = self._fold.pursuit(club)
        assert view is not None, "a changed club always has a pursuit"
        return view

    def _recompute(self, position: int, since: date | None) -> Change:
        """Rows again for every visible claim; only rows dated `since` or later can change."""
        visible = self._claims.values()
        rows, self._fold = rows_since(visible, self._quiet_days, since, self.rows)
        self._last_key = max(map(fold_key, visible), default=None)
        self._last_reported = max((c.reported_on for c in visible), default=None)
        change = Change(position)
        first = since or date.min
        change.closes = [
            key for key, value in self.rows.items() if key[1] >= first and rows.get(key) != value
        ]
        change.opens = [
            (key, value)
            for key, value in rows.items()
            if key[1] >= first and self.rows.get(key) != value
        ]
        self.rows = rows
        self._latest = {}
        for (club, day), value in sorted(rows.items(), key=lambda item: item[0][1]):
            before = self._latest.get(club)
            self._latest[club] = _Latest(
                day, value, None if before is None else (before.day, before.value)
            )
        return change
