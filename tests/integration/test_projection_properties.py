"""Projections are a pure function of the events (SPEC §5.4), checked on random ledgers.

The same claims go into two fresh databases in two different random orders and batch splits; one
is projected after every batch, the other once at the end. Their boards must agree, each database
must equal its own full rebuild row for row (known_from and known_to included), and the current
rows of both must describe the same timeline.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.codec import NewEvent, encode
from ledger.entities.player_directory import PlayerDirectory
from ledger.events import PURSUIT_KINDS, ClaimEvent, Retraction, claim_from_dict
from ledger.money import Fee
from ledger.store import append_batch, head_position
from projections.api import Boards
from projections.rebuild import rebuild
from projections.rows import FACTS_COLUMNS, PURSUIT_COLUMNS
from projections.runner import catch_up, read_checkpoint

QUIET = 90
START = date(2023, 1, 1)
PLAYERS = ("Tobias Ravnkilde", "Mateo Quiroga Ferrer", "Ousmane Diakhaby-Lenoir")
BUYERS = ("tottenham-hotspur", "liverpool", "arsenal", "napoli")
SELLERS = ("crystal-palace", "bayern-munich")
SOURCES = ("givemesport", "sky-sports", "bbc-sport")
FACT_KINDS = ("contract_extension", "release_clause", "asking_price")
KINDS = tuple(sorted(PURSUIT_KINDS)) + FACT_KINDS
NAMESPACE = uuid.UUID("3c0d8f5e-2b6a-4f1e-9d7c-1a2b3c4d5e6f")

_TIMELINE = {
    "pursuit_versions": [c for c in PURSUIT_COLUMNS if c not in {"known_from", "known_to"}],
    "player_versions": [c for c in FACTS_COLUMNS if c not in {"known_from", "known_to"}],
}


@dataclass(frozen=True)
class Ledger:
    """A random claim set and two ways of appending it."""

    players: tuple[str, ...]
    first: tuple[tuple[NewEvent, ...], ...]  # batches of one order, projected after each
    second: tuple[tuple[NewEvent, ...], ...]  # batches of another order, projected at the end
    limit: int  # catch-up batch size for the first database
    dates: tuple[date, ...]  # as-of dates worth asking about


def bitemporal_rows(engine: sa.Engine, table: str) -> list[str]:
    """Every row of a version table, as text, sorted: equal lists mean identical tables."""
    with engine.connect() as conn:
        return sorted(conn.execute(sa.text(f"SELECT t::text FROM {table} t")).scalars())


def current_timeline(engine: sa.Engine, table: str) -> list[tuple[Any, ...]]:
    """The current rows without transaction time, dropping a row that repeats the row before."""
    columns = _TIMELINE[table]
    width = 3 if "club_id" in columns else 2  # (player, club, valid_from) or (player, valid_from)
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE known_to IS NULL"
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"{select} ORDER BY {', '.join(columns[:width])}")).all()
    kept: list[tuple[Any, ...]] = []
    for row in rows:
        identity, value = tuple(row[: width - 1]), tuple(row[width:])
        if kept and kept[-1][: width - 1] == identity and kept[-1][width:] == value:
            continue
        kept.append((*identity, row[width - 1], *value))
    return kept


@st.composite
def _claim(draw: st.DrawFn, number: int, player: str, windows: Sequence[int]) -> ClaimEvent:
    kind = draw(st.sampled_from(KINDS))
    # Claims cluster in transfer windows: same-day reports and long quiet gaps both happen.
    reported = START + timedelta(days=draw(st.sampled_from(windows)) + draw(st.integers(0, 20)))
    data: dict[str, Any] = {
        "event_id": uuid.uuid5(NAMESPACE, str(number)),
        "kind": kind,
        "reported_on": reported,
        "player": player,
        "source": draw(st.sampled_from(SOURCES)),
        "renewed": draw(st.integers(0, 6)) == 0,
    }
    if kind in PURSUIT_KINDS or (kind == "contract_extension" and draw(st.booleans())):
        data["club"] = draw(st.sampled_from(BUYERS if kind in PURSUIT_KINDS else SELLERS))
    if draw(st.integers(0, 3)) == 0:
        data["effective_on"] = reported - timedelta(days=draw(st.integers(1, 150)))
    if draw(st.booleans()):
        data["from_club"] = draw(st.sampled_from(SELLERS))
    if kind in {"release_clause", "asking_price", "bid"} or draw(st.integers(0, 4)) == 0:
        millions = draw(st.integers(1, 120))
        data["fee"] = Fee(
            amount=Decimal(millions) * 1_000_000, currency="GBP", text=f"£{millions}m"
        )
    if kind in {"bid", "deal_done"} and draw(st.booleans()):
        data["deal"] = draw(st.sampled_from(["permanent", "loan", "loan_with_obligation"]))
    return claim_from_dict(data)


def _retraction(claim: ClaimEvent) -> Retraction:
    return Retraction(
        event_id=uuid.uuid5(NAMESPACE, f"retract:{claim.event_id}"),
        reported_on=claim.reported_on + timedelta(days=3),
        player=claim.player,
        club=claim.club,
        retracts=claim.event_id,
        reason="the outlet withdrew the story",
    )


def _batches(draw: st.DrawFn, events: list[NewEvent]) -> tuple[tuple[NewEvent, ...], ...]:
    ordered = draw(st.permutations(events))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(ordered) - 1)), max_size=6)))
    bounds = [0, *cuts, len(ordered)]
    return tuple(tuple(ordered[a:b]) for a, b in itertools.pairwise(bounds) if a < b)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    players = PLAYERS[: draw(st.integers(1, len(PLAYERS)))]
    directory = PlayerDirectory([])
    ids = {name: directory.resolve(name).id for name in players}
    windows = draw(st.lists(st.integers(0, 700), min_size=1, max_size=3))
    count = draw(st.integers(1, 30))
    # Same-day claims included: fold order must not depend on ingest order (fold_key).
    claims = [draw(_claim(n, ids[draw(st.sampled_from(players))], windows)) for n in range(count)]
    withdrawn = draw(st.lists(st.sampled_from(claims), max_size=3, unique_by=lambda c: c.event_id))
    events = [encode(c) for c in [*claims, *(_retraction(c) for c in withdrawn)]]
    days = sorted({c.reported_on for c in claims})
    picked = draw(st.lists(st.sampled_from(days), min_size=1, max_size=3))
    dates = tuple(sorted({d for p in picked for d in (p, p - timedelta(days=1))}))
    return Ledger(
        players, _batches(draw, events), _batches(draw, events),
        draw(st.integers(1, 8)), dates,
    )  # fmt: skip


def _register(engine: sa.Engine, players: Sequence[str]) -> list[str]:
    with engine.begin() as conn:
        directory = PlayerDirectory.load(conn)
        ids = [directory.resolve(name).id for name in players]
        directory.store_new(conn)
    return ids


def _append(engine: sa.Engine, batch: Sequence[NewEvent]) -> None:
    with engine.begin() as conn:
        append_batch(conn, batch)


def _boards(engine: sa.Engine, ledger: Ledger) -> list[dict[str, Any]]:
    """Every board the API answers for this ledger, without the ledger position."""
    boards = Boards(engine, quiet_days=QUIET)
    answers = []
    for as_of in (None, *ledger.dates):
        answers += [boards.status(name, as_of=as_of).as_json() for name in ledger.players]
        answers += [boards.club(club, as_of=as_of).as_json() for club in BUYERS + SELLERS]
        answers.append(boards.sources(as_of=as_of).as_json())
    for answer in answers:
        answer.pop("position")
    return answers


def _tables(engine: sa.Engine) -> dict[str, list[str]]:
    return {table: bitemporal_rows(engine, table) for table in _TIMELINE}


def _equals_its_rebuild(engine: sa.Engine) -> dict[str, list[str]]:
    """Assert the projection is the rebuild, row for row; returns the tables."""
    incremental = _tables(engine)
    with engine.connect() as conn:
        head = head_position(conn)
        assert read_checkpoint(conn) == head
    assert rebuild(engine, quiet_days=QUIET).position == head
    assert _tables(engine) == incremental
    return incremental


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledgers())
def test_any_ingest_order_and_projection_schedule_give_the_same_projection(
    fresh_engine: Callable[[], sa.Engine], ledger: Ledger
) -> None:
    stepwise, at_once = fresh_engine(), fresh_engine()
    try:
        assert _register(stepwise, ledger.players) == _register(at_once, ledger.players)
        for batch in ledger.first:
            _append(stepwise, batch)
            catch_up(stepwise, quiet_days=QUIET, limit=ledger.limit)
        for batch in ledger.second:
            _append(at_once, batch)
        catch_up(at_once, quiet_days=QUIET)
        assert _boards(stepwise, ledger) == _boards(at_once, ledger)
        _equals_its_rebuild(stepwise)
        _equals_its_rebuild(at_once)
        for table in _TIMELINE:
            assert current_timeline(stepwise, table) == current_timeline(at_once, table)
    finally:
        stepwise.dispose()
        at_once.dispose()


def test_same_day_claims_fold_the_same_in_any_ingest_order(
    fresh_engine: Callable[[], sa.Engine],
) -> None:
    name = PLAYERS[0]
    player = PlayerDirectory([]).resolve(name).id
    same_day = {"reported_on": date(2024, 7, 1), "player": player, "source": "sky-sports"}
    signed = claim_from_dict(
        {**same_day, "event_id": uuid.uuid5(NAMESPACE, "signed"), "kind": "deal_done",
         "club": "liverpool"}
    )  # fmt: skip
    wanted = claim_from_dict(
        {**same_day, "event_id": uuid.uuid5(NAMESPACE, "wanted"), "kind": "interest",
         "club": "arsenal"}
    )  # fmt: skip
    answers = []
    for order in ([signed, wanted], [wanted, signed]):
        engine = fresh_engine()
        _register(engine, [name])
        _append(engine, [encode(claim) for claim in order])
        answer = Boards(engine, quiet_days=QUIET).status(name).as_json()
        answer.pop("position")
        answers.append(answer)
    assert answers[0] == answers[1]
