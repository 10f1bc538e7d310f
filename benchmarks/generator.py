"""A synthetic but realistic stream of transfer claims for the benchmark harness (SPEC §8).

`generate_claims` yields claims in the structured ingest format of SPEC §4.1, deterministically
for a seed. Time runs day by day over the requested seasons. Every day has a quota from the
seasonal curve of `benchmarks.football_calendar` (busy in January and June–August), so a run has
exactly the requested number of claims with the right shape over the year. The claims come from
sagas (`benchmarks.casting`, `benchmarks.sagas`): one player, one window, one to five clubs after
him, each pursuit walking the usual ladder and stopping the usual ways. A pursuit's next claim
waits in a bucket for its day; new sagas start whenever the running pursuits fall short of the
day's quota. A small share of claims is held back and emitted days later — an older report
back-filled after newer ones — with its original `reported_on`.

Memory is the sagas in flight plus the held-back claims, never the history: it grows with the
claims per day, not with the length of the stream. Names come from the registries, so every claim
resolves: clubs by their display names, sources from the source list.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from benchmarks.casting import Cast, usable_clubs
from benchmarks.football_calendar import Calendar, Day
from benchmarks.sagas import Claim, Pursuit, Saga
from ledger.entities.clubs import club_registry
from ledger.entities.sources import Source, source_registry
from ledger.errors import InputError

TierLookup = Callable[[str, date], int | None]

__all__ = ["generate_claims"]

_BACKFILL_DELAY = (3, 45)  # days a back-filled report waits before it is emitted
_JOURNALIST_SHARE = 0.12
_EARLY_KINDS = frozenset(
    {"linked", "interest", "denied", "cooled", "asking_price", "release_clause"}
)
# How often a source of each reliability tier (1 best … 5 worst, None unrated) is the one
# reporting: tabloids dominate early gossip, the reliable outlets the late, factual steps.
_EARLY_WEIGHT = {1: 2, 2: 3, 3: 4, 4: 5, 5: 5, None: 3}
_LATE_WEIGHT = {1: 6, 2: 5, 3: 4, 4: 2, 5: 1, None: 2}
# Each source's skill: the share of its reports that are about pursuits that end in a signing,
# before the stage is accounted for. A source of skill q is q / (1 - q) times as likely to report
# a pursuit that will succeed as one that will not, so the better sources carry a signal that
# the stage alone does not (docs/sources.md measures it). It follows the tier, plus a fixed
# per-source offset, so that a source's own record says more than its tier.
_SKILL_BY_TIER = {1: 0.72, 2: 0.64, 3: 0.55, 4: 0.45, 5: 0.35, None: 0.5}
_SKILL_SPREAD = 0.12
_WEIGHT_SCALE = 20  # weights become copies in a lookup table: skill to 1/20


def skill_of(source: Source, tier: int | None) -> float:
    """A source's fixed skill (see `_SKILL_BY_TIER`), the same in every run."""
    offset = (zlib.crc32(source.id.encode()) % 1001 / 1000 - 0.5) * 2 * _SKILL_SPREAD
    return min(max(_SKILL_BY_TIER[tier] + offset, 0.05), 0.95)


def generate_claims(
    events: int,
    seed: int = 7,
    *,
    start: date = date(2019, 6, 1),
    seasons: int = 6,
    backfill_share: float = 0.03,
) -> Iterator[dict[str, object]]:
    """Exactly `events` claim dicts in the §4.1 ingest format; the same seed gives the same claims.

    Raises `InputError` for a negative count, fewer than one season, a back-fill share outside
    [0, 0.5], or seasons running past today (the ledger refuses claims dated in the future).
    """
    if events < 0 or seasons < 1 or not 0.0 <= backfill_share <= 0.5:
        raise InputError("events must be ≥ 0, seasons ≥ 1 and backfill_share within [0, 0.5]")
    calendar = Calendar(start, seasons)
    last = calendar.end - timedelta(days=1)
    if last > date.today():
        raise InputError(f"{seasons} seasons from {start} run to {last}, which is in the future")
    rng = random.Random(seed)
    cast = Cast(rng, usable_clubs(club_registry()), calendar)
    return _Feed(events, rng, calendar, cast, backfill_share).run()


class _Attribution:
    """Who reports a claim: an outlet, agency or journalist, chosen by tier, claim stage and
    whether the pursuit will end in a signing (`fated`), by each source's skill."""

    def __init__(self, rng: random.Random, on: date) -> None:
        self.random = rng.random
        registry = source_registry()
        sources = registry.all()
        self.tables: dict[tuple[bool, bool], list[str]] = {
            (early, fated): self._weighted(sources, early, fated, registry.tier, on)
            for early in (True, False)
            for fated in (True, False)
        }
        writers = [s for s in sources if s.kind == "journalist"]
        self.journalists = {
            fated: [
                s.name
                for s in writers
                for _ in range(_copies(s, registry.tier(s.id, on), fated, 1))
            ]
            for fated in (True, False)
        }
        self.writers = frozenset(s.name for s in writers)

    @staticmethod
    def _weighted(
        sources: list[Source], early: bool, fated: bool, tier: TierLookup, on: date
    ) -> list[str]:
        weights = _EARLY_WEIGHT if early else _LATE_WEIGHT
        return [
            s.name
            for s in sources
            for _ in range(_copies(s, tier(s.id, on), fated, weights[tier(s.id, on)]))
        ]

    def attribute(self, claim: Claim, fated: bool) -> None:
        r = self.random
        table = self.tables[(claim["kind"] in _EARLY_KINDS, fated)]
        source = table[int(r() * len(table))]
        if "source" in claim:  # a second report of a step: another outlet, its own byline
            if source == claim["source"]:
                source = table[(table.index(source) + len(table) // 2) % len(table)]
            claim.pop("journalist", None)
        claim["source"] = source
        journalists = self.journalists[fated]
        if r() < _JOURNALIST_SHARE and journalists and source not in self.writers:
            claim["journalist"] = journalists[int(r() * len(journalists))]


def _copies(source: Source, tier: int | None, fated: bool, weight: int) -> int:
    """Copies of a source in a lookup table: its stage weight times its odds for this fate."""
    skill = skill_of(source, tier)
    return max(1, round(weight * _WEIGHT_SCALE * (skill if fated else 1 - skill)))


class _Feed:
    """The day-by-day loop: due pursuits first, then new sagas until the day's quota is met."""

    def __init__(
        self, events: int, rng: random.Random, calendar: Calendar, cast: Cast, backfill: float
    ) -> None:
        self.events, self.random, self.calendar, self.cast = events, rng.random, calendar, cast
        self.backfill = backfill
        self.attribution = _Attribution(rng, calendar.start)
        self.produced = 0
        self.due: dict[int, list[tuple[Pursuit, Saga, bool]]] = {}  # pursuits by their next day
        self.held: dict[int, list[Claim]] = {}  # back-filled claims by the day they come out

    def run(self) -> Iterator[Claim]:
        for day in self.calendar.walk(self.events):
            yield from self.held.pop(day.number, ())
            yield from self._day(day)
            if self.produced >= self.events:
                break
        for number in sorted(self.held):
            yield from self.held[number]

    def _day(self, day: Day) -> Iterator[Claim]:
        today, iso, last = day.number, day.iso, self.calendar.days
        due, schedule = self.due.pop(today, []), self.due.setdefault
        attribute, random, at = self.attribution.attribute, self.random, 0
        # Pursuits due today, and any that take their next step the same day, run in list order.
        while self.produced < self.events:
            if at == len(due):
                if self.produced >= day.quota:
                    return
                self._start_saga(day, due)
            entry = due[at]
            at += 1
            saga, fated = entry[1], entry[2]
            saga.day = today
            step = next(entry[0], None)
            if step is None:
                self._finished(saga, today)
                continue
            claim, gap = step
            if gap == 0:
                due.append(entry)
            elif today + gap < last:
                schedule(today + gap, []).append(entry)
            if claim is None:
                continue
            claim["reported_on"] = iso
            attribute(claim, fated)
            self.produced += 1
            if not (self.backfill and random() < self.backfill and self._hold(claim, today)):
                yield claim

    def _hold(self, claim: Claim, today: int) -> bool:
        """Keep a claim back for a few days, to come out after newer ones (a back-filled report)."""
        low, high = _BACKFILL_DELAY
        self.held.setdefault(today + low + int(self.random() * (high - low)), []).append(claim)
        return True

    def _start_saga(self, day: Day, today: list[tuple[Pursuit, Saga, bool]]) -> None:
        """Start a saga: its lead pursuit runs today, the rivals join in on their own days."""
        saga, pursuits = self.cast.new_saga(day.number, day.window, self.produced)
        for offset, pursuit, fated in pursuits:
            if offset == 0:
                today.append((pursuit, saga, fated))
            elif day.number + offset < self.calendar.days:
                self.due.setdefault(day.number + offset, []).append((pursuit, saga, fated))

    def _finished(self, saga: Saga, day: int) -> None:
        saga.live -= 1
        if saga.live == 0:
            self.cast.rest(saga, day)
