"""The football calendar the synthetic ledger runs on: transfer windows and a seasonal claim curve.

Transfer news is seasonal: most claims land in January and from June to the end of August, with
a spike on deadline days and a trickle in between. The calendar turns that shape into a daily
quota (how many claims must have been produced by the end of each day), so a run has exactly the
requested number of claims spread the way real ones are. Days are walked one at a time and nothing
per day is stored, so a long run costs no more memory than a short one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

# Relative claim volume by month, January first (whole numbers keep the quota exact).
_MONTH_WEIGHT = (30, 7, 4, 5, 9, 22, 28, 32, 6, 4, 5, 9)
_DEADLINE_BOOST = 3
# (opens, closes, free agents' contracts take effect), as (month, day); None: no such date.
_WINDOWS: tuple[tuple[tuple[int, int], tuple[int, int], tuple[int, int] | None], ...] = (
    ((1, 1), (2, 1), None),
    ((6, 14), (9, 1), (7, 1)),
)


@dataclass(frozen=True, slots=True)
class Window:
    """One transfer window as day numbers counted from the calendar's start (inclusive)."""

    opens: int
    closes: int
    contracts_start: int  # the day expiring contracts end and pre-contracts begin; -1 if none


class Day(NamedTuple):
    number: int
    iso: str
    quota: int  # claims to have been produced by the end of this day
    window: int  # index of the window this day works towards: the open one, else the next


def _years_later(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


class Calendar:
    """`seasons` seasons from `start`: the windows, and the days with their claim quota."""

    def __init__(self, start: date, seasons: int) -> None:
        self.start = start
        self.end = _years_later(start, seasons)
        self.days = (self.end - start).days
        self.windows = self._windows()
        self._deadlines = frozenset(window.closes for window in self.windows)
        self._total = sum(self._weight(day) for day in range(self.days))

    def _windows(self) -> tuple[Window, ...]:
        found: list[Window] = []
        for year in range(self.start.year, self.end.year + 2):
            for opens, closes, contracts in _WINDOWS:
                window = Window(
                    (date(year, *opens) - self.start).days,
                    (date(year, *closes) - self.start).days,
                    (date(year, *contracts) - self.start).days if contracts else -1,
                )
                if window.closes >= 0:
                    found.append(window)
        return tuple(sorted(found, key=lambda w: w.opens))

    def _weight(self, day: int) -> int:
        month = (self.start + timedelta(days=day)).month
        return _MONTH_WEIGHT[month - 1] * (_DEADLINE_BOOST if day in self._deadlines else 1)

    def iso(self, day: int) -> str:
        return (self.start + timedelta(days=day)).isoformat()

    def walk(self, events: int) -> Iterator[Day]:
        """Every day of the run with its quota; the last day's quota is exactly `events`."""
        running, window = 0, 0
        for number in range(self.days):
            running += self._weight(number)
            while self.windows[window].closes < number:
                window += 1
            yield Day(number, self.iso(number), events * running // self._total, window)
