"""Deal likelihood: the chance an open pursuit ends in a signing, from its stage and its sources.

A documented Bayesian update, fitted only from predictions whose endings were known by the day
asked about (a `Book`), so it never looks ahead:

1. Stage prior. Of the move predictions made at each stage (PROGRESS_RANK: interest < bid <
   terms agreed < medical < deal agreed), the share that came true, as the mean of a Beta
   posterior whose prior is the pooled rate worth `STAGE_PRIOR_WEIGHT` predictions:
   p_stage = (hits + w * pooled) / (resolved + w).
2. Source evidence. A source's hits are compared with what the stages it reported at would give
   (`expected`, the sum of p_stage over its resolved predictions). Its rate is shrunk toward
   that expectation by `SOURCE_PRIOR_WEIGHT` pseudo-predictions, and its likelihood ratio is
   the odds of the shrunk rate over the odds of the expected one: 1 for an unknown source or
   one exactly as good as its stages, above 1 for one that is right more often than that.
3. Posterior: logit(p) = logit(p_stage) + sum of log likelihood ratios of the distinct sources
   that backed the move (a naive-Bayes update: each source is treated as independent evidence).

Measured against the base rate and the stage alone in `benchmarks.calibration`; figures in
docs/sources.md.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from projections.fold.statuses import PROGRESS_RANK

if TYPE_CHECKING:  # the track record brings the fold: a stored book is read without either
    from projections.track_record import Prediction

STAGE_PRIOR_WEIGHT: Final = 5.0
SOURCE_PRIOR_WEIGHT: Final = 20.0
# One run of an index: (source, None for the stage's own), progress rank, the distinct ordinal
# days endings became known on, and the running hit and ending counts (one more than the days,
# from 0: hits[i] and counts[i] are those of the endings known before days[i]).
Segment = tuple[str | None, int, list[int], list[int], list[int]]
# One resolved move prediction as a run counts it: (source, None for the stage's own), progress
# rank, ordinal day its ending became known, whether it came true.
Entry = tuple[str | None, int, int, bool]
RunKey = tuple[str | None, int]  # (source, None for the stage's own), progress rank
_EDGE: Final = 1e-4  # probabilities are kept inside [_EDGE, 1 - _EDGE] before a logit


def logit(p: float) -> float:
    p = min(max(p, _EDGE), 1 - _EDGE)
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True, slots=True)
class SourceFit:
    resolved: int
    hits: int
    expected: float  # hits its stages alone would have given

    def log_ratio(self) -> float:
        """log(likelihood ratio) of this source backing a move; 0 when it says nothing new."""
        if self.resolved == 0:
            return 0.0
        expected_rate = self.expected / self.resolved
        shrunk = (self.hits + SOURCE_PRIOR_WEIGHT * expected_rate) / (
            self.resolved + SOURCE_PRIOR_WEIGHT
        )
        return logit(shrunk) - logit(expected_rate)


class _Dated:
    """Resolved predictions by the day their endings became known, with running hit and ending
    counts, so the counts known on any day are one bisection away. One entry a distinct day,
    not one a prediction: a run's size is bounded by the days the ledger spans, whatever its
    length. Days are kept as ordinals, the form a stored book holds them in
    (`projections.book_store`)."""

    __slots__ = ("counts", "days", "hits")

    def __init__(self, days: list[int], hits: list[int], counts: list[int]) -> None:
        self.days = days
        self.hits = hits  # hits[i]: hits among the endings known before days[i]
        self.counts = counts  # counts[i]: endings known before days[i]

    @classmethod
    def of(cls, known: Iterable[tuple[int, bool]]) -> _Dated:
        days: list[int] = []
        hits, counts = [0], [0]
        for day, group in itertools.groupby(sorted(known), key=lambda entry: entry[0]):
            outcomes = [hit for _, hit in group]
            days.append(day)
            hits.append(hits[-1] + sum(outcomes))
            counts.append(counts[-1] + len(outcomes))
        return cls(days, hits, counts)

    def on(self, day: date | None) -> tuple[int, int]:
        """(hits, resolved) known on `day` (None: all)."""
        at = len(self.days) if day is None else bisect.bisect_right(self.days, day.toordinal())
        return self.hits[at], self.counts[at]


def book_entries(predictions: Iterable[Prediction]) -> Iterator[Entry]:
    """What a book counts of each prediction: a resolved move prediction once for its stage and
    once for each of its sources; nothing else."""
    for prediction in predictions:
        hit = prediction.hit()
        if not prediction.predicts_move or hit is None:
            continue
        rank, day = PROGRESS_RANK.get(prediction.stage, 0), prediction.known_on().toordinal()
        yield None, rank, day, hit
        for source in prediction.sources:
            yield source, rank, day, hit


def run_order(key: RunKey) -> tuple[bool, str, int]:
    """Stages first, then sources by name, each by rank: a fitted index's runs come out in one
    order however its predictions were gathered, so equal indexes are stored byte-equal."""
    source, rank = key
    return source is not None, source or "", rank


class BookIndex:
    """Every resolved move prediction, indexed by stage and by source, to fit a `Book` as of any
    day without a pass over them all."""

    def __init__(self, predictions: Iterable[Prediction]) -> None:
        by_segment: dict[RunKey, list[tuple[int, bool]]] = defaultdict(list)
        for source, rank, day, hit in book_entries(predictions):
            by_segment[source, rank].append((day, hit))
        self.ranks: dict[int, _Dated] = {}
        self.sources: dict[str, dict[int, _Dated]] = {}
        for (source, rank), known in sorted(
            by_segment.items(), key=lambda item: run_order(item[0])
        ):
            self._put(source, rank, _Dated.of(known))

    def _put(self, source: str | None, rank: int, dated: _Dated) -> None:
        if source is None:
            self.ranks[rank] = dated
        else:
            self.sources.setdefault(source, {})[rank] = dated

    def segments(self) -> Iterator[Segment]:
        """The index as plain lists (what `from_segments` rebuilds it from): each stage's, then
        each source's at each stage."""
        for rank, dated in self.ranks.items():
            yield None, rank, dated.days, dated.hits, dated.counts
        for source, ranks in self.sources.items():
            for rank, dated in ranks.items():
                yield source, rank, dated.days, dated.hits, dated.counts

    @classmethod
    def from_segments(cls, segments: Iterable[Segment]) -> BookIndex:
        index = cls(())
        for source, rank, days, hits, counts in segments:
            index._put(source, rank, _Dated(days, hits, counts))
        return index

    def book(self, day: date | None) -> Book:
        stages = {rank: dated.on(day) for rank, dated in self.ranks.items()}
        hits = sum(h for h, _ in stages.values())
        resolved = sum(n for _, n in stages.values())
        pooled = (hits + 1) / (resolved + 2)  # Laplace: an empty book says one in two
        return Book(day, pooled, stages, self)


class Book:
    """What the ledger knew on `day` about stages and sources (move predictions only)."""

    __slots__ = ("_fits", "_index", "day", "pooled", "stages")

    def __init__(
        self, day: date | None, pooled: float, stages: dict[int, tuple[int, int]], index: BookIndex
    ) -> None:
        self.day = day
        self.pooled = pooled
        self.stages = stages  # progress rank -> (hits, resolved)
        self._index = index
        self._fits: dict[str, SourceFit] = {}

    def rank_rate(self, rank: int) -> float:
        hits, resolved = self.stages.get(rank, (0, 0))
        return (hits + STAGE_PRIOR_WEIGHT * self.pooled) / (resolved + STAGE_PRIOR_WEIGHT)

    def stage_rate(self, stage: str) -> float:
        return self.rank_rate(PROGRESS_RANK.get(stage, 0))

    def likelihood(self, stage: str, backers: Iterable[str]) -> float:
        """The chance a pursuit at `stage`, backed by these sources, ends in a signing."""
        evidence = sum(self.source_fit(source).log_ratio() for source in set(backers))
        return sigmoid(logit(self.stage_rate(stage)) + evidence)

    def source_fit(self, source: str) -> SourceFit:
        """The source's hits on `day` beside what the stages it reported at would have given."""
        fit = self._fits.get(source)
        if fit is None:
            resolved = hits = 0
            expected = 0.0
            # In rank order, whichever order the index was built in: a float sum's last bits
            # depend on the order of its terms.
            for rank, dated in sorted(self._index.sources.get(source, {}).items()):
                h, n = dated.on(self.day)
                hits, resolved, expected = (
                    hits + h,
                    resolved + n,
                    expected + n * self.rank_rate(rank),
                )
            fit = self._fits[source] = SourceFit(resolved, hits, expected)
        return fit


def fit_book(predictions: Iterable[Prediction], day: date | None) -> Book:
    """The book of the move predictions whose endings were known on `day` (None: all)."""
    return BookIndex(predictions).book(day)
