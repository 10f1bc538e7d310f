"""How one transfer saga unfolds: every club chasing one player in one transfer window.

A saga holds what its pursuits share (the player, his club, the window, whether someone has
signed him); each pursuit is a small generator that walks the usual ladder — linked/interest,
enquiry, talks, bids, bid accepted, personal terms, medical, deal agreed, deal done — as far as its
plan allows, then stops the way pursuits stop: cooled, blocked, rejected by the player, collapsed,
a contract extension, or plain silence. A pursuit yields `(claim, gap)`: the claim to report today
and the number of days until its next one. It reads `saga.day` to know what today is, because
the timing of the next step depends on the window: medicals and signings wait for it to open, and
when it shuts the pursuit is over. The caller dates the claim and names its source.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

Claim = dict[str, object]
Step = tuple[Claim | None, int]  # None: no claim today, only a wait
Pursuit = Generator[Step, None, None]

RUMOUR, APPROACH, BIDDING, AGREED, MEDICAL, SIGNED = range(6)
LOAN_DEALS = ("loan", "loan_with_option", "loan_with_obligation")
_REPEAT_SHARE = 0.18  # how often a second outlet reports the same step
_PRE_WINDOW_GAP = 16  # longest silence between two steps of a pursuit before its window
_POUNDS_PER_EURO = 0.86  # near enough for every season covered; fees are rumours anyway


class Player:
    """A synthetic player while he is in the feed; `window` is the last window he was chased in."""

    __slots__ = ("clause", "club", "name", "sagas_left", "suitors", "value", "window")

    def __init__(self, name: str, club: int, value: float, clause: float, sagas: int) -> None:
        self.name = name
        self.club = club
        self.value = value  # market value in millions of euros
        self.clause = clause  # release clause in millions of euros, 0 if none
        self.sagas_left = sagas
        self.window = -1
        self.suitors: tuple[int, ...] = ()


class Saga:
    """What the pursuits of one player in one window share."""

    __slots__ = ("asking", "close", "clubs", "day", "deal", "done", "effective", "live", "open",
                 "player", "price", "seller", "seller_name", "value")  # fmt: skip

    def __init__(self, player: Player, seller_name: str, window: tuple[int, int]) -> None:
        self.player = player
        self.seller = player.club
        self.seller_name = seller_name
        self.open, self.close = window
        self.day = 0
        self.done = False  # someone signed him, or he signed a new contract: rivals stop
        self.clubs: list[int] = []  # the clubs that were reported chasing him
        self.live = 0  # pursuits still running
        self.value = player.value
        self.asking = self.price = player.value  # the seller's valuation; the fee finally agreed
        self.deal = "permanent"
        self.effective = -1  # day a free transfer takes effect, for pre-contracts


@dataclass(frozen=True, slots=True)
class Plan:
    """How far one pursuit gets and how it ends (`ending` None: it just goes quiet)."""

    cap: int
    ending: str | None
    renewed: bool = False
    lead: bool = False


class Market:
    """Club facts, money formatting and timing shared by every pursuit of a run."""

    def __init__(
        self,
        random: Callable[[], float],
        names: list[str],
        pounds: list[bool],
        iso: Callable[[int], str],
    ) -> None:
        self.random = random
        self.names = names
        self.pounds = pounds  # clubs that quote fees in pounds
        self.iso = iso  # day number → ISO date

    def money(self, millions_eur: float, pounds: bool) -> str:
        amount = millions_eur * _POUNDS_PER_EURO if pounds else millions_eur
        amount = round(amount * 2) / 2 if amount >= 10 else max(round(amount, 1), 0.1)
        return f"{'£' if pounds else '€'}{amount:g}m"

    def fee(self, millions_eur: float, pounds: bool) -> str:
        """Fee text as newsrooms write it: `£25m`, `around £8m`, `€60m plus €10m add-ons`."""
        u = self.random()
        if u < 0.12:
            return "around " + self.money(millions_eur, pounds)
        if u < 0.27 and millions_eur >= 5:
            base = millions_eur * 0.85
            add_ons = self.money(millions_eur - base, pounds)
            return f"{self.money(base, pounds)} plus {add_ons} add-ons"
        return self.money(millions_eur, pounds)

    def gap(self, saga: Saga) -> int:
        """Days to a pursuit's next step: days apart in the window, weeks apart before it."""
        r = self.random
        ahead = saga.open - saga.day
        if ahead <= 0:
            return 1 + int(r() * r() * 6)
        return 1 + int(r() * min(_PRE_WINDOW_GAP, max(4, ahead // 3)))


def say(m: Market, s: Saga, claim: Claim, bound: bool = False) -> Generator[Step, None, bool]:
    """Report one step (sometimes twice, by two outlets); False when the pursuit must stop.

    A `bound` step (medical, signing) waits, silently, for the window to open."""
    if bound and not (yield from _window_open(m, s)):
        return False
    settled = s.done
    if m.random() < _REPEAT_SHARE:
        yield claim, 0 if s.day >= s.close else int(m.random() * 2)
        if s.done and not settled:
            return False
        claim = dict(claim)
    yield claim, m.gap(s)
    return not s.done and s.day <= s.close


def _window_open(m: Market, s: Saga) -> Generator[Step, None, bool]:
    """Wait, silently, for the window to open; False if the pursuit must stop meanwhile."""
    if s.day < s.open:
        yield None, s.open - s.day + int(m.random() * 3)
    return not s.done and s.day <= s.close


def pursuit(m: Market, s: Saga, club: int, plan: Plan) -> Pursuit:
    """One club's pursuit of the saga's player, as far as `plan` lets it go, and how it ends."""
    if s.done or s.day > s.close:  # a rival signed him (or he stayed) before this club began
        return
    s.clubs.append(club)
    base: Claim = {"player": s.player.name, "club": m.names[club], "from_club": s.seller_name}
    went_on = yield from _ladder(m, s, club, plan, base)
    if s.done:
        return
    ending = plan.ending
    if not went_on:  # the window shut on it: a late-stage deal is said to have collapsed
        late = plan.cap >= AGREED and s.day <= s.close + 7 and m.random() < 0.4
        ending = "collapsed" if late else None
    if ending is not None:
        yield _ending(s, ending, base), 0


def _ladder(m: Market, s: Saga, club: int, plan: Plan, base: Claim) -> Generator[Step, None, bool]:
    r = m.random
    for i in range(1 + int(r() * r() * 4)):
        claim = dict(base, kind="linked" if r() < 0.4 else "interest")
        if plan.renewed and i == 0:
            claim["renewed"] = True
        if not (yield from say(m, s, claim)):
            return False
    if plan.lead and not (yield from _price_facts(m, s)):
        return False
    if r() < 0.05 and not (yield from say(m, s, dict(base, kind="denied"))):
        return False
    for kind, share in (("enquiry", 0.55), ("talks", 0.6)):
        wanted = plan.cap >= APPROACH and (r() < share or plan.cap >= AGREED)
        if wanted and not (yield from say(m, s, dict(base, kind=kind))):
            return False
    if plan.cap >= BIDDING and s.deal != "free" and not (yield from _bids(m, s, club, plan, base)):
        return False
    if plan.cap >= AGREED:
        return (yield from _completion(m, s, club, plan, base))
    return True


def _price_facts(m: Market, s: Saga) -> Generator[Step, None, bool]:
    """The selling club's valuation and the player's release clause, as the lead story notes."""
    r, player, pounds = m.random, s.player, m.pounds[s.seller]
    fact: Claim = {"player": player.name, "from_club": s.seller_name}
    if r() < 0.3 and not (
        yield from say(m, s, dict(fact, kind="asking_price", fee=m.money(s.asking, pounds)))
    ):
        return False
    if player.clause and r() < 0.5:
        claim = dict(fact, kind="release_clause", fee=m.money(player.clause, pounds))
        return (yield from say(m, s, claim))
    return True


def _bids(m: Market, s: Saga, club: int, plan: Plan, base: Claim) -> Generator[Step, None, bool]:
    """Opening and improved bids; the last is accepted when the plan goes on to an agreement."""
    r, pounds = m.random, m.pounds[club]
    amount = s.value * (0.08 if s.deal == "loan" else 0.55 + 0.3 * r())
    rounds = 1 + int(r() * r() * 3)
    for number in range(1, rounds + 1):
        accepted = number == rounds and plan.cap >= AGREED
        if accepted and s.deal != "loan":
            amount = s.price
        fee = m.fee(amount, pounds)
        if not (yield from say(m, s, dict(base, kind="bid", fee=fee, deal=s.deal))):
            return False
        answer = "bid_accepted" if accepted else "bid_rejected"
        if (accepted or r() < 0.8) and not (
            yield from say(m, s, dict(base, kind=answer, fee=fee, deal=s.deal))
        ):
            return False
        amount *= 1.08 + 0.17 * r()
    return True


def _completion(
    m: Market, s: Saga, club: int, plan: Plan, base: Claim
) -> Generator[Step, None, bool]:
    """Personal terms, medical, deal agreed, deal done — each only as far as the plan goes."""
    r = m.random
    bound = not (s.deal == "free" and s.effective >= 0)  # a pre-contract needs no open window
    if (r() < 0.8 or s.deal == "free") and not (
        yield from say(m, s, dict(base, kind="personal_terms"))
    ):
        return False
    if plan.cap >= MEDICAL and not (yield from say(m, s, dict(base, kind="medical"), bound)):
        return False
    if plan.cap < SIGNED:
        return True
    if r() < 0.6 and not (yield from say(m, s, dict(base, kind="deal_agreed", deal=s.deal))):
        return False
    done = dict(base, kind="deal_done", deal=s.deal)
    if s.deal != "free" and r() < 0.7:
        done["fee"] = m.fee(s.value * 0.08 if s.deal == "loan" else s.price, m.pounds[club])
    if bound and not (yield from _window_open(m, s)):
        return False
    if not bound and s.day < s.effective:
        done["effective_on"] = m.iso(s.effective)
    s.done = True
    s.player.club = club
    yield from say(m, s, done)
    return False


def _ending(s: Saga, kind: str, base: Claim) -> Claim:
    if kind == "contract_extension":
        s.done = True  # the player stays: every rival's pursuit is over
        return {"kind": kind, "player": s.player.name, "from_club": s.seller_name}
    return dict(base, kind=kind)
