"""A likelihood book index as counts, so predictions can be taken out of it as well as added.

A `BookIndex` holds, for each run (the stage's own or a source's at a stage), the days endings
became known, sorted, with running hit counts. That is a multiset of (day, hit) pairs, and a
multiset is what a book grown from an earlier one needs: the predictions of a player with new
events are taken out as they stood at the earlier position and put back as they stand now
(`projections.book_fit`). Every other player's predictions cannot have changed, since a player's
predictions depend only on that player's own events.

Plain Python; no database. Counts are kept per distinct (day, hit), as the index keeps them per
distinct day: a few thousand per run however many predictions the ledger holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ledger.errors import LedgerError
from projections.likelihood import BookIndex, Entry, RunKey, Segment, run_order


class UnbalancedTallyError(LedgerError, ValueError):
    """Raised when more predictions were taken out of a run than it held: the earlier index and
    the predictions taken out of it do not describe the same events. A `LedgerError`, so a user
    gets its one line (`projections.book_fit.grown_index` says which stored book, and what to
    do), never a traceback."""


class BookTally:
    """Resolved move predictions counted by run, ending day and outcome."""

    def __init__(self) -> None:
        self._runs: dict[RunKey, Counter[tuple[int, bool]]] = {}

    @classmethod
    def of_index(cls, index: BookIndex) -> BookTally:
        tally = cls()
        for source, rank, days, hits, counts in index.segments():
            run = tally._run((source, rank))
            for at, day in enumerate(days):
                came_true = hits[at + 1] - hits[at]
                run[day, True] += came_true
                run[day, False] += counts[at + 1] - counts[at] - came_true
        return tally

    def add(self, entries: Iterable[Entry]) -> None:
        for source, rank, day, hit in entries:
            self._run((source, rank))[day, hit] += 1

    def remove(self, entries: Iterable[Entry]) -> None:
        for source, rank, day, hit in entries:
            self._run((source, rank))[day, hit] -= 1

    def merge(self, other: BookTally) -> None:
        """Add another tally's counts (one worker's share of the players)."""
        for key, counts in other._runs.items():
            self._run(key).update(counts)

    def index(self) -> BookIndex:
        """The index these counts describe, its runs in `BookIndex`'s one order."""
        segments: list[Segment] = []
        for key in sorted(self._runs, key=run_order):
            days, hits, counts = _run_lists(self._runs[key], key)
            if days:
                segments.append((key[0], key[1], days, hits, counts))
        return BookIndex.from_segments(segments)

    def _run(self, key: RunKey) -> Counter[tuple[int, bool]]:
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = Counter()
        return run


def _run_lists(
    run: Counter[tuple[int, bool]], key: RunKey
) -> tuple[list[int], list[int], list[int]]:
    """(distinct days, running hits, running endings) of one run, as `BookIndex` holds them."""
    days: list[int] = []
    hits, counts = [0], [0]
    for (day, hit), count in sorted(run.items()):
        if count < 0:
            raise UnbalancedTallyError(f"run {key} would hold {count} of ({day}, {hit})")
        if count == 0:
            continue
        if not days or days[-1] != day:
            days.append(day)
            hits.append(hits[-1])
            counts.append(counts[-1])
        hits[-1] += count if hit else 0
        counts[-1] += count
    return days, hits, counts
