"""Each source's track record: claims, predictions resolved, hits, Wilson interval, lead time.

Pure aggregation over `projections.track_record` predictions and claim counts; no database.
A prediction counts for every source it is attributed to (the outlet and the journalist), so an
outlet's record and a journalist's are each complete on their own.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.track_record import Prediction

Z_95 = 1.959964  # the normal quantile of a two-sided 95% interval


def wilson_interval(hits: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion; (0, 1) when nothing was tried.

    Unlike the normal approximation it stays inside [0, 1] and is honest for small counts:
    3 hits of 4 gives about (0.30, 0.95), not 0.75 +/- 0.42.
    """
    if trials < 0 or not 0 <= hits <= trials:
        raise ValueError("need 0 <= hits <= trials")
    if trials == 0:
        return 0.0, 1.0
    share = hits / trials
    spread = z * z / trials
    centre = (share + spread / 2) / (1 + spread)
    half = z * math.sqrt(share * (1 - share) / trials + spread / (4 * trials)) / (1 + spread)
    return max(centre - half, 0.0), min(centre + half, 1.0)


@dataclass(slots=True)
class Tally:
    """Counts of one source (or one source and one claim kind)."""

    claims: int = 0
    predictions: int = 0
    resolved: int = 0
    hits: int = 0
    leads: list[int] = field(default_factory=list)

    def add(self, prediction: Prediction, day: date | None) -> None:
        self.predictions += 1
        hit = prediction.hit(day)
        if hit is None:
            return
        self.resolved += 1
        self.hits += hit
        lead = prediction.lead_days()
        if hit and lead is not None:
            self.leads.append(lead)

    def as_json(self) -> dict[str, Any]:
        low, high = wilson_interval(self.hits, self.resolved)
        return {
            "claims": self.claims,
            "predictions": self.predictions,
            "resolved": self.resolved,
            "hits": self.hits,
            "hit_rate": round(self.hits / self.resolved, 4) if self.resolved else None,
            "interval": [round(low, 4), round(high, 4)],
            "median_lead_days": statistics.median(self.leads) if self.leads else None,
        }


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One source's record as of a day; `by_kind` splits it by the claim kind."""

    source_id: str
    total: Tally
    by_kind: Mapping[str, Tally]
    retractions: int

    @property
    def hit_rate(self) -> float | None:
        return self.total.hits / self.total.resolved if self.total.resolved else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.total.hits, self.total.resolved)


def source_records(
    predictions: Iterable[Prediction],
    claims: Mapping[tuple[str, str], int],
    retractions: Mapping[str, int],
    day: date | None,
) -> list[SourceRecord]:
    """Records of every source with a claim or a retraction: most resolved predictions first.

    `claims` counts visible claims by (source id, kind); `retractions` the claims of each source
    that were withdrawn; `day` is the as-of date endings must be known by (None: any).
    """
    totals: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for (source, kind), count in claims.items():
        totals[source].claims += count
        kinds[source][kind].claims += count
    for prediction in predictions:
        for source in prediction.sources:
            totals[source].add(prediction, day)
            kinds[source][prediction.kind].add(prediction, day)
    records = [
        SourceRecord(source, totals[source], dict(kinds[source]), retractions.get(source, 0))
        for source in set(totals) | set(retractions)
    ]
    records.sort(key=lambda r: (-r.total.resolved, -r.total.claims, r.source_id))
    return records


def count_claims(items: Iterable[tuple[tuple[str, ...], str]]) -> Counter[tuple[str, str]]:
    """Claims by (source id, kind) from (sources, kind) pairs."""
    counts: Counter[tuple[str, str]] = Counter()
    for sources, kind in items:
        for source in sources:
            counts[(source, kind)] += 1
    return counts
