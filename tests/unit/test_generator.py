"""The synthetic ledger generator of the benchmark harness (SPEC §8): shape, names, sequences."""

from __future__ import annotations

import functools
import itertools
import json
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date

import pytest
from rapidfuzz import fuzz, process

from benchmarks.football_calendar import Calendar
from benchmarks.generator import generate_claims
from benchmarks.player_names import NameBook
from ledger.entities.clubs import club_registry
from ledger.entities.names import name_key
from ledger.entities.players import FUZZY_THRESHOLD
from ledger.entities.sources import source_registry
from ledger.errors import InputError
from ledger.events import CLAIM_KINDS, PURSUIT_KINDS, DealType
from ledger.ingest.claim_input import ClaimInput, validate_claim
from ledger.money.fee_parser import parse_fee

Claim = dict[str, object]
COUNT = 40_000
START = date(2019, 6, 1)
PRICE_KINDS = {"release_clause", "asking_price"}
WINDOWS = Calendar(START, 6).windows


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    return list(generate_claims(COUNT, seed=11))


def by_player(claims: list[Claim]) -> dict[str, list[Claim]]:
    """Each player's claims in reported order (emission order breaks ties, as positions do)."""
    grouped: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: str(c["reported_on"])):
        grouped[str(claim["player"])].append(claim)
    return grouped


@functools.cache
def window_of(reported_on: object) -> int | None:
    """Index of the transfer window a date falls in, None between windows."""
    day = (date.fromisoformat(str(reported_on)) - START).days
    for index, window in enumerate(WINDOWS):
        if window.opens <= day <= window.closes:
            return index
    return None


def test_same_seed_gives_byte_identical_claims() -> None:
    def dumped(seed: int) -> list[str]:
        return [json.dumps(c, sort_keys=True) for c in generate_claims(5_000, seed=seed)]

    assert dumped(3) == dumped(3)
    assert dumped(3) != dumped(4)


@pytest.mark.parametrize("count", [0, 1, 7, 2_500])
def test_exactly_the_requested_number_of_claims(count: int) -> None:
    assert sum(1 for _ in generate_claims(count)) == count


def test_claims_come_lazily_from_a_stream() -> None:
    stream = generate_claims(10**9)
    assert isinstance(stream, Iterator)
    assert len(list(itertools.islice(stream, 100))) == 100


def test_every_claim_has_the_fields_its_kind_requires(claims: list[Claim]) -> None:
    for claim in claims:
        kind = claim["kind"]
        assert kind in CLAIM_KINDS and kind != "retraction"
        assert date.fromisoformat(str(claim["reported_on"])).isoformat() == claim["reported_on"]
        assert claim["player"] and claim["source"]
        if kind in PURSUIT_KINDS:
            assert claim["club"] and claim["from_club"]
        if kind in PRICE_KINDS or kind == "bid":
            assert claim["fee"]
        if "deal" in claim:
            assert DealType(str(claim["deal"]))
        assert claim.get("club") != claim.get("from_club")


def test_every_claim_passes_ingest_validation(claims: list[Claim]) -> None:
    problems = [(claim, validate_claim(claim)) for claim in claims]
    assert [(c, p) for c, p in problems if not isinstance(p, ClaimInput)] == []


def test_every_fee_reads_as_a_positive_amount_in_pounds_or_euros(claims: list[Claim]) -> None:
    texts = {str(claim["fee"]) for claim in claims if "fee" in claim}
    assert any(t.startswith("around ") for t in texts) and any("add-ons" in t for t in texts)
    for text in texts:
        fee = parse_fee(text)
        assert fee.amount is not None and fee.amount > 0
        assert fee.currency in {"GBP", "EUR"}


def test_every_club_name_resolves_to_that_club(claims: list[Claim]) -> None:
    registry = club_registry()
    names = {str(c[field]) for c in claims for field in ("club", "from_club") if field in c}
    assert len(names) > 500
    assert [name for name in names if registry.resolve(name).name != name] == []


def test_buyers_are_mostly_top_flight_clubs(claims: list[Claim]) -> None:
    registry = club_registry()
    ranks = Counter(registry.resolve(str(c["club"])).league_rank for c in claims if "club" in c)
    assert ranks[1] > 0.8 * sum(ranks.values())


def test_every_source_and_journalist_is_a_listed_one(claims: list[Claim]) -> None:
    registry = source_registry()
    for name in {str(c["source"]) for c in claims}:
        assert registry.resolve(name).known
    journalists = {str(c["journalist"]) for c in claims if "journalist" in c}
    assert journalists
    assert all(registry.resolve(name).kind == "journalist" for name in journalists)


def test_every_claim_kind_and_deal_type_occurs(claims: list[Claim]) -> None:
    assert {c["kind"] for c in claims} == set(CLAIM_KINDS) - {"retraction"}
    assert {c["deal"] for c in claims if "deal" in c} == {deal.value for deal in DealType}


def test_about_one_player_per_sixty_claims(claims: list[Claim]) -> None:
    assert COUNT / 75 < len({c["player"] for c in claims}) < COUNT / 45


def test_most_claims_fall_in_january_and_the_summer(claims: list[Claim]) -> None:
    months = Counter(str(c["reported_on"])[5:7] for c in claims)
    busy = sum(months[m] for m in ("01", "06", "07", "08"))
    assert busy > 0.6 * len(claims)
    assert min(str(c["reported_on"]) for c in claims) >= START.isoformat()
    latest = max(str(c.get(f, "")) for c in claims for f in ("reported_on", "effective_on"))
    assert latest < "2025-06-01"


def test_a_signed_player_is_next_chased_from_his_new_club(claims: list[Claim]) -> None:
    for history in by_player(claims).values():
        holder, signed_on = None, ""
        for claim in history:
            if signed_on and str(claim["reported_on"]) > signed_on and claim["kind"] != "deal_done":
                assert claim["from_club"] == holder
                assert claim.get("club") != holder
            if claim["kind"] == "deal_done":
                holder, signed_on = claim["club"], str(claim["reported_on"])


def test_no_club_chases_a_player_again_in_the_window_it_signed_him(claims: list[Claim]) -> None:
    signed: dict[tuple[object, object], tuple[str, int | None]] = {}
    for claim in sorted(claims, key=lambda c: str(c["reported_on"])):
        pursuit = (claim["player"], claim.get("club"))
        if pursuit in signed and claim["kind"] != "deal_done":
            on, window = signed[pursuit]
            assert claim["reported_on"] == on or window_of(claim["reported_on"]) != window
        if claim["kind"] == "deal_done":
            signed.setdefault(pursuit, (str(claim["reported_on"]), window_of(claim["reported_on"])))


def test_signings_happen_in_a_window_or_take_effect_later(claims: list[Claim]) -> None:
    done = [c for c in claims if c["kind"] == "deal_done"]
    assert len(done) > 500
    for claim in done:
        if window_of(claim["reported_on"]) is None:
            assert claim["deal"] == "free"
            assert str(claim["effective_on"]) > str(claim["reported_on"])


def test_answers_and_signings_follow_the_steps_before_them(claims: list[Claim]) -> None:
    for history in by_player(claims).values():
        seen: set[tuple[object, object, object]] = set()
        for claim in history:
            kind, club = claim["kind"], claim.get("club")
            if kind in {"bid_rejected", "bid_accepted"}:
                assert ("bid", club, claim["fee"]) in seen
            if kind == "deal_done" and claim["deal"] != "free":
                assert ("medical", club, None) in seen
            seen.add((kind, club, claim.get("fee") if kind == "bid" else None))


def test_rivals_chase_a_player_in_the_window_another_club_signs_him(claims: list[Claim]) -> None:
    contested = 0
    for history in by_player(claims).values():
        for signing in (c for c in history if c["kind"] == "deal_done"):
            window = window_of(signing["reported_on"])
            chasing = {c.get("club") for c in history if window_of(c["reported_on"]) == window}
            contested += len(chasing - {None}) >= 2
    assert contested > 100


def test_interest_re_emerges_after_months_of_silence(claims: list[Claim]) -> None:
    assert sum(1 for c in claims if c.get("renewed") is True) > 300
    last_seen: dict[tuple[object, object], date] = {}
    returns = 0
    for claim in sorted(claims, key=lambda c: str(c["reported_on"])):
        pursuit = (claim["player"], claim.get("club"))
        on = date.fromisoformat(str(claim["reported_on"]))
        if pursuit[1] is not None and pursuit in last_seen:
            returns += (on - last_seen[pursuit]).days > 90
        last_seen[pursuit] = on
    assert returns > 100


def test_effective_dates_are_rare_and_loans_come_with_options(claims: list[Claim]) -> None:
    effective = sum(1 for c in claims if "effective_on" in c)
    assert 0 < effective < 0.01 * len(claims)
    deals = Counter(c["deal"] for c in claims if "deal" in c)
    assert deals["loan_with_option"] > 0 and deals["loan_with_obligation"] > 0


def test_back_filled_claims_are_about_the_requested_share(claims: list[Claim]) -> None:
    def late_share(stream: list[Claim]) -> float:
        latest, late = "", 0
        for claim in stream:
            late += str(claim["reported_on"]) < latest
            latest = max(latest, str(claim["reported_on"]))
        return late / len(stream)

    assert 0.02 < late_share(claims) < 0.04
    assert late_share(list(generate_claims(5_000, backfill_share=0.0))) == 0.0


def test_memory_stays_small_while_streaming_200k_claims() -> None:
    list(generate_claims(100))  # reference data is loaded once per process, not per stream
    tracemalloc.start()
    try:
        for _ in generate_claims(200_000):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12_000_000  # the claims themselves, kept, would take well over 100 MB


def test_player_names_are_distinct_and_never_fuzzy_matches_of_each_other() -> None:
    book = NameBook()
    three = [book.next_name() for _ in range(1_500)]
    for _ in range(22_650 - 1_500):  # skip to where the four-word names begin
        book.next_name()
    four = [book.next_name() for _ in range(1_500)]
    assert all(len(n.split()) == 3 for n in three) and all(len(n.split()) == 4 for n in four)
    keys = [name_key(name) for name in three + four]
    assert len(set(keys)) == len(keys)
    for index, key in enumerate(keys):
        close = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=3)
        assert [match for match in close if match[2] != index] == []


@pytest.mark.parametrize(
    ("events", "seasons", "share", "start"),
    [(-1, 6, 0.03, START), (10, 0, 0.03, START), (10, 6, 0.9, START), (10, 6, 0.03, date.today())],
)
def test_impossible_requests_are_refused(
    events: int, seasons: int, share: float, start: date
) -> None:
    with pytest.raises(InputError):
        generate_claims(events, seasons=seasons, backfill_share=share, start=start)
