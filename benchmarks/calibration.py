"""`python -m benchmarks.calibration --events N`: how well deal likelihood predicts signings.

The synthetic ledger (`benchmarks.generator`) is scored in memory, by the same pure code the
boards use (`projections.track_record`, `projections.likelihood`). The split is by time: the
book (stage rates, source records) is fitted on the predictions whose endings were known on the
cut date, two thirds of the way through the run, and every move prediction made after the cut
whose pursuit has ended is scored: the probability after that claim against whether the move
came true. Three forecasters, in the same run on the same predictions:

* base rate: the share of move predictions that came true before the cut;
* stage alone: the Beta-smoothed rate of the stage the claim brought the pursuit to;
* likelihood: the stage updated by the records of the sources that backed the move.

Prints Brier scores and a calibration table; `--json PATH` writes them too.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.generator import generate_claims
from projections.fold.values import FoldClaim
from projections.likelihood import Book, fit_book
from projections.track_record import Prediction, RecordClaim, predictions

Forecaster = Callable[[Book, Prediction], float]
FORECASTERS: dict[str, Forecaster] = {
    "base rate": lambda book, p: book.pooled,
    "stage alone": lambda book, p: book.stage_rate(p.stage),
    "likelihood": lambda book, p: book.likelihood(p.stage, p.backers),
}
BINS = 10


def _date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def record_claims(claims: Iterable[dict[str, object]]) -> dict[str, list[RecordClaim]]:
    """Generated claims by player, as the track record reads them (names stand in for ids)."""
    players: dict[str, list[RecordClaim]] = defaultdict(list)
    for position, claim in enumerate(claims, start=1):
        reported = _date(claim["reported_on"])
        assert reported is not None
        fold = FoldClaim(
            position=position,
            event_id=uuid.UUID(int=position),
            kind=str(claim["kind"]),
            reported_on=reported,
            effective_on=_date(claim.get("effective_on")),
            club=None if claim.get("club") is None else str(claim["club"]),
            from_club=None if claim.get("from_club") is None else str(claim["from_club"]),
            source=str(claim["source"]),
            fee=None,
            deal=None,
            renewed=bool(claim.get("renewed", False)),
        )
        journalist = claim.get("journalist")
        players[str(claim["player"])].append(
            RecordClaim(fold, None if journalist is None else str(journalist))
        )
    return players


@dataclass(frozen=True, slots=True)
class Score:
    brier: float
    calibration: list[dict[str, Any]]


def score(forecasts: Sequence[tuple[float, bool]]) -> Score:
    """Brier score and a table of `BINS` equal-width bins: count, mean forecast, observed rate."""
    brier = sum((p - hit) ** 2 for p, hit in forecasts) / len(forecasts)
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for p, hit in forecasts:
        bins[min(int(p * BINS), BINS - 1)].append((p, hit))
    table = [
        {
            "bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}",
            "count": len(b),
            "forecast": round(sum(p for p, _ in b) / len(b), 3),
            "observed": round(sum(hit for _, hit in b) / len(b), 3),
        }
        for i, b in enumerate(bins)
        if b
    ]
    return Score(brier, table)


def run(events: int, seed: int, quiet_days: int) -> dict[str, Any]:
    players = record_claims(generate_claims(events, seed=seed))
    days = [c.claim.reported_on for claims in players.values() for c in claims]
    first, last = min(days), max(days)
    cut = first + timedelta(days=(last - first).days * 2 // 3)
    # Fitted as of the cut, from the ledger as it stood then: no claim reported later is read.
    before = ((p, [c for c in cs if c.claim.reported_on <= cut]) for p, cs in players.items())
    book = fit_book(predictions(before, quiet_days=quiet_days, until=cut), cut)
    everything = predictions(players.items(), quiet_days=quiet_days, until=last)
    tested = [
        (p, hit)
        for p in everything
        if p.predicts_move and p.reported_on > cut and (hit := p.hit(last)) is not None
    ]
    scores = {
        name: score([(forecast(book, p), hit) for p, hit in tested])
        for name, forecast in FORECASTERS.items()
    }
    return {
        "events": events,
        "seed": seed,
        "cut": cut.isoformat(),
        "trained_on": sum(n for _, n in book.stages.values()),
        "tested": len(tested),
        "brier": {name: round(s.brier, 4) for name, s in scores.items()},
        "calibration": {name: s.calibration for name, s in scores.items()},
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"{result['events']:,} events, seed {result['seed']}; fitted on predictions known by "
        f"{result['cut']} ({result['trained_on']:,}), scored on {result['tested']:,} after it"
    )
    for name, brier in result["brier"].items():
        print(f"  Brier {name:<12} {brier:.4f}")
    print("  calibration of likelihood (bin, count, mean forecast, observed):")
    for row in result["calibration"]["likelihood"]:
        print(f"    {row['bin']}  {row['count']:>7,}  {row['forecast']:.3f}  {row['observed']:.3f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calibration")
    parser.add_argument("--events", type=int, default=100_000, help="claims generated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet-days", type=int, default=90)
    parser.add_argument("--json", type=Path, help="write the result as JSON to this file")
    args = parser.parse_args(argv)
    result = run(args.events, args.seed, args.quiet_days)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
