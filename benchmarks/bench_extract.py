"""Extraction speed (issue 11): a synthetic 5,000-word live blog through `extract_claims`.

`python -m benchmarks.bench_extract [--words 5000] [--runs 5] [--json PATH]`

The blog is built from entry templates written for this benchmark (timestamps, headlines, bids,
medicals, denials, round-up lines with bracketed sources), with made-up players from
`benchmarks/data` and real club names, so every rule family is exercised at the length of a busy
deadline day. The first run is reported apart: it loads the dictionaries and compiles the
patterns once per process. The target is under 1 s for the steady runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from datetime import date
from pathlib import Path

from ledger.extract import Article, extract_claims

_DATA = Path(__file__).with_name("data")
_CLUBS = ("Arsenal", "Chelsea", "Everton", "Brentford", "Fulham", "Lille", "Napoli", "Sevilla",
          "Wolves", "Celtic", "Ajax", "Porto", "Leeds United", "Aston Villa", "Monaco")  # fmt: skip
_ENTRY = (
    "{time}\n{buyer} close in on {seller} {position} {name}\n"
    "{buyer} have had a £{fee}m offer for {seller} {position} {name} rejected, per Sky Sports. "
    "The {age}-year-old is understood to be keen on the move, and {buyer} could return with an "
    "improved bid before the deadline. {seller} want at least £{ask}m for {surname}, who has two "
    "years left on his contract.\n",
    "{time}\nDone deal: {surname} to {buyer}\n"
    "{name} has completed his move to {buyer} from {seller} for a fee of around €{fee}m. "
    "He travelled to the training ground this morning for his medical and signed a four-year "
    "deal. (Mirror) {buyer} had been tracking him since the summer.\n",
    "{time}\n{seller} deny contact\n"
    "{seller} insist there has been no approach for {name}, despite reports that {buyer} are "
    'monitoring the {position}. "He is not for sale," a club spokesperson said. {buyer} are '
    "also said to be exploring the possibility of a loan deal for another {position}.\n",
    "{time}\nRound-up\n"
    "{buyer} are in advanced talks with {seller} over {name}. (Telegraph) {seller} have halted "
    "their interest in {other} after talks stalled. (Sun) {other} could be heading to {buyer} "
    "on loan with an option to buy. (Record)\n",
)


def _names(filename: str) -> list[str]:
    with (_DATA / filename).open(encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def live_blog(words: int, seed: int = 11) -> Article:
    """A live blog of about `words` words, the same for the same seed."""
    rng = random.Random(seed)
    firsts, lasts = _names("first_names.csv"), _names("surnames.csv")
    parts: list[str] = ["A busy deadline day: every deal, bid and denial as it happens.\n"]
    count, minute = 0, 9 * 60
    while count < words:
        buyer, seller = rng.sample(_CLUBS, 2)
        surname = rng.choice(lasts)
        entry = rng.choice(_ENTRY).format(
            time=f"{minute // 60:02d}:{minute % 60:02d}",
            buyer=buyer,
            seller=seller,
            name=f"{rng.choice(firsts)} {surname}",
            surname=surname,
            other=f"{rng.choice(firsts)} {rng.choice(lasts)}",
            position=rng.choice(("midfielder", "winger", "defender", "striker")),
            age=rng.randint(19, 31),
            fee=rng.randint(5, 60),
            ask=rng.randint(61, 90),
        )
        parts.append(entry)
        count += len(entry.split())
        minute += rng.randint(3, 12)
    body = "\n".join(parts)
    return Article(name="live_blog.txt", published_on=date(2025, 9, 1), body=body, content_hash="0")


def measure(words: int, runs: int) -> dict[str, object]:
    """Seconds for the first extraction and the median of `runs` more, with the claim count."""
    article = live_blog(words)
    started = time.perf_counter()
    claims = extract_claims(article)
    first = time.perf_counter() - started
    steady = []
    for _ in range(runs):
        started = time.perf_counter()
        extract_claims(article)
        steady.append(time.perf_counter() - started)
    return {
        "words": len(article.body.split()),
        "claims": len(claims),
        "first_run_s": round(first, 3),
        "median_s": round(statistics.median(steady), 3),
        "max_s": round(max(steady), 3),
        "target_s": 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_extract")
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.words, args.runs)
    print(json.dumps(result, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if float(str(result["median_s"])) < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
