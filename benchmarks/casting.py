"""Who chases whom: the synthetic players, the clubs, and the plan of every new saga.

Players are made on demand and come back for later windows until their share of the feed is
spent, so the working set is the players in play, never everyone ever generated. About one player
is made per `CLAIMS_PER_PLAYER` claims; the rest of the sagas reuse a player resting since an
earlier window, often with the clubs that chased him before (interest that re-emerges).
Buying clubs are mostly top-flight clubs (the big leagues more often); selling clubs come from
everywhere. Only clubs whose display name resolves back to themselves are used, so every
generated claim resolves through the club registry.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from benchmarks.football_calendar import Calendar
from benchmarks.player_names import NameBook
from benchmarks.sagas import (
    AGREED,
    APPROACH,
    BIDDING,
    LOAN_DEALS,
    MEDICAL,
    RUMOUR,
    SIGNED,
    Market,
    Plan,
    Player,
    Pursuit,
    Saga,
    pursuit,
)
from ledger.entities.club_model import Club
from ledger.entities.clubs import ClubRegistry
from ledger.errors import NameResolutionError

CLAIMS_PER_PLAYER = 60
RESTING_LIMIT = 50_000  # rested players kept waiting for a saga; beyond it one is dropped
_POUNDS = frozenset({"ENG", "WAL", "SCO"})
_BIG = frozenset({"ENG", "WAL", "ES", "DE", "IT", "FR", "MC"})
_STRONG = frozenset({"PT", "NL", "BE", "TR", "SCO", "BR", "SA"})
_QUIET_DAYS = 30
_FORGOTTEN_AFTER = 4  # windows without news after which a player drops out of the feed
_RIVALS = (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5)  # clubs per saga
# How a saga ends, as cumulative odds: a club signs him, he extends his contract, the lead deal
# collapses late, the seller blocks every approach; past the last, the interest just fades.
_SIGNS, _EXTENDS, _COLLAPSES, _BLOCKED = 0.42, 0.5, 0.58, 0.66
_LOSER_CAPS = (RUMOUR, RUMOUR, RUMOUR, RUMOUR, APPROACH, APPROACH, APPROACH, BIDDING, BIDDING)


def usable_clubs(registry: ClubRegistry) -> list[Club]:
    """Active clubs whose own name resolves to them, in a stable order."""
    clubs = sorted((c for c in registry if c.league_rank < 10), key=lambda c: c.id)
    return [club for club in clubs if _resolves_to_itself(registry, club)]


def _resolves_to_itself(registry: ClubRegistry, club: Club) -> bool:
    try:
        return registry.resolve(club.name).id == club.id
    except NameResolutionError:  # a name several clubs share: the claim would be refused
        return False


def _level(club: Club) -> float:
    """How valuable a typical player of this club is, relative to a big-league top-flight club."""
    if club.league_rank == 1:
        return 1.0 if club.country in _BIG else 0.4 if club.country in _STRONG else 0.25
    return {2: 0.25, 3: 0.12}.get(club.league_rank, 0.08)


class Cast:
    """Makes sagas: picks the player, the clubs after him and how each pursuit will go."""

    def __init__(self, rng: random.Random, clubs: Iterable[Club], calendar: Calendar) -> None:
        self.rng, self.random, self.calendar = rng, rng.random, calendar
        ordered = list(clubs)
        names, pounds = [c.name for c in ordered], [c.country in _POUNDS for c in ordered]
        self.market = Market(self.random, names, pounds, calendar.iso)
        self.levels = [_level(c) for c in ordered]
        top = [i for i, c in enumerate(ordered) if c.league_rank == 1]
        self.buyers = [i for i in top for _ in range(3 if ordered[i].country in _BIG else 1)]
        self.second = [i for i, c in enumerate(ordered) if c.league_rank in (2, 3)] or top
        self.everyone = list(range(len(ordered)))
        self.names = NameBook(offset=rng.getrandbits(32))
        # Resting players by the day they may be chased again: after a signing that day is a
        # rule (not in the same window), otherwise a preference that a busy day may overrule.
        self.resting: dict[int, list[Player]] = {}
        self.cooling: dict[int, list[Player]] = {}
        self.ready: list[Player] = []
        self.woken = -1
        self.made = 0

    def _pick(self, pool: list[int]) -> int:
        return pool[int(self.random() * len(pool))]

    def _new_player(self) -> Player:
        r = self.random
        u = r()
        club = self._pick(self.buyers if u < 0.45 else self.second if u < 0.65 else self.everyone)
        value = min(max(12.0 * self.levels[club] * self.rng.lognormvariate(0.0, 0.9), 0.3), 180.0)
        clause = round(value * (1.5 + 2.5 * r())) if r() < 0.25 else 0.0
        self.made += 1
        return Player(self.names.next_name(), club, value, clause, 4 + int(r() * 10))

    def _player_for(self, day: int, window: int, produced: int) -> Player:
        if day != self.woken:
            for waiting in (self.resting, self.cooling):
                for wakes in [d for d in waiting if d <= day]:
                    self.ready.extend(waiting.pop(wakes))
            self.woken = day
        if self.made * CLAIMS_PER_PLAYER <= produced:
            return self._new_player()
        while self.ready:
            player = self._take(self.ready, int(self.random() * len(self.ready)))
            if player.window >= window - _FORGOTTEN_AFTER:
                return player
        if self.cooling:  # nobody has rested long enough: take who has rested longest
            soonest = min(self.cooling)
            player = self.cooling[soonest].pop()
            if not self.cooling[soonest]:
                del self.cooling[soonest]
            return player
        return self._new_player()

    @staticmethod
    def _take(players: list[Player], at: int) -> Player:
        player = players[at]
        players[at] = players[-1]
        players.pop()
        return player

    def rest(self, saga: Saga, day: int) -> None:
        """A saga is over. The player rests — after a signing until the next window, else a few
        weeks at least, so that a story coming back is news again — if his story goes on."""
        player = saga.player
        player.suitors = tuple(c for c in saga.clubs if c != player.club)
        if player.sagas_left <= 0:
            return
        if player.club != saga.seller:
            wakes = self.calendar.windows[player.window + 1].opens - 90
            self.resting.setdefault(max(wakes, day + 1), []).append(player)
        else:
            wakes = day + _QUIET_DAYS + int(self.random() * _QUIET_DAYS)
            self.cooling.setdefault(wakes, []).append(player)
        if len(self.ready) > RESTING_LIMIT:  # drop a random story rather than grow without bound
            self._take(self.ready, int(self.random() * len(self.ready)))

    def new_saga(
        self, day: int, index: int, produced: int
    ) -> tuple[Saga, list[tuple[int, Pursuit, bool]]]:
        """A new saga starting `day` for window `index`: its pursuits, each with its start day
        counted from `day` and whether its plan is to sign him (who reports it depends on that:
        see `benchmarks.generator`)."""
        window = self.calendar.windows[index]
        player = self._player_for(day, index, produced)
        player.window, player.sagas_left = index, player.sagas_left - 1
        saga = Saga(player, self.market.names[player.club], (window.opens, window.closes))
        self._terms(saga, window.contracts_start)
        clubs, renewed = self._suitors(player)
        plans = self._plans(clubs, renewed)
        span = max(1, (window.closes - day) // 2)
        starts = [0] + [int(self.random() * span) for _ in clubs[1:]]
        saga.live = len(clubs)
        chases = zip(starts, clubs, plans, strict=True)
        return saga, [
            (at, pursuit(self.market, saga, club, plan), plan.cap == SIGNED)
            for at, club, plan in chases
        ]

    def _terms(self, saga: Saga, contracts_start: int) -> None:
        """This window's valuation, the fee that would do it, and the kind of deal on offer."""
        r, player = self.random, saga.player
        player.value = saga.value = min(max(player.value * (0.8 + 0.45 * r()), 0.3), 200.0)
        saga.asking = saga.value * (1.0 + 0.5 * r())
        paid_clause = player.clause and r() < 0.3
        saga.price = player.clause if paid_clause else saga.asking * (0.9 + 0.15 * r())
        u = r()
        # A contract running out: a free transfer, often pre-agreed with a later effective date
        # (only one inside the run, so no claim is ever dated past its end).
        if 0 <= contracts_start < self.calendar.days and u < 0.07:
            saga.deal, saga.effective = "free", contracts_start
        elif u < 0.26:
            saga.deal = LOAN_DEALS[int(r() * len(LOAN_DEALS))]

    def _suitors(self, player: Player) -> tuple[list[int], int]:
        """The clubs after him, clubs that chased him before first; how many of those came back."""
        r = self.random
        wanted = _RIVALS[int(r() * len(_RIVALS))]
        clubs = [c for c in player.suitors if c != player.club and r() < 0.5][:wanted]
        returning = len(clubs)
        for _ in range(50):
            if len(clubs) >= wanted:
                break
            club = self._pick(self.buyers if r() < 0.9 else self.second)
            if club != player.club and club not in clubs:
                clubs.append(club)
        if not clubs:  # only with a club list of one or two clubs
            clubs.append(next(c for c in self.everyone if c != player.club))
        return clubs, returning

    def _plans(self, clubs: list[int], returning: int) -> list[Plan]:
        """How each pursuit goes: at most one club signs him; the saga may end another way."""
        r, count = self.random, len(clubs)
        u = r()
        signs = u < _SIGNS
        winner = (0 if count == 1 or r() < 0.5 else 1 + int(r() * (count - 1))) if signs else -1
        plans = []
        for j in range(count):
            if j == winner:
                cap, ending = SIGNED, None
            elif j == 0 and _SIGNS <= u < _EXTENDS:
                cap, ending = _LOSER_CAPS[int(r() * len(_LOSER_CAPS))], "contract_extension"
            elif j == 0 and _EXTENDS <= u < _COLLAPSES:
                cap, ending = (AGREED, MEDICAL)[int(r() * 2)], "collapsed"
            elif _COLLAPSES <= u < _BLOCKED:
                cap, ending = (APPROACH, BIDDING)[int(r() * 2)], "blocked"
            else:
                cap, ending = self._losing(signs)
            plans.append(Plan(cap, ending, renewed=j < returning and r() < 0.5, lead=j == 0))
        return plans

    def _losing(self, someone_signs: bool) -> tuple[int, str | None]:
        r = self.random
        if someone_signs and r() < 0.08:
            return AGREED, "player_rejected"  # terms agreed, then he chose the rival
        cap = _LOSER_CAPS[int(r() * len(_LOSER_CAPS))]
        u = r()
        if u < 0.45:
            return cap, None
        if u < 0.8 or cap == RUMOUR:
            return cap, "cooled"
        return cap, "player_rejected" if u < 0.92 else "blocked"
