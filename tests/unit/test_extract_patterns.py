"""Each family of trigger phrases maps its wording to the right claim kind (SPEC §3.2)."""

from __future__ import annotations

import pytest

from ledger.extract import ExtractedClaim, extract_claims, parse_article


def claims(
    text: str, *, on: str = "2025-01-10", publisher: str | None = None
) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date {on} {text}", "test.txt"), publisher=publisher)


def facts(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brentford are monitoring Lyon winger Yanis Berrada.", "interest"),
        ("Brentford are keen on Lyon winger Yanis Berrada.", "interest"),
        ("Lyon winger Yanis Berrada is firmly on the radar of Brentford.", "interest"),
        ("Brentford have been linked with Lyon winger Yanis Berrada.", "linked"),
        ("Brentford have enquired about Lyon winger Yanis Berrada.", "enquiry"),
        ("Brentford have put out feelers for Lyon winger Yanis Berrada.", "enquiry"),
        ("Brentford have opened talks with Lyon over winger Yanis Berrada.", "talks"),
        ("Brentford have submitted a €20m bid for Lyon winger Yanis Berrada.", "bid"),
        ("Brentford have had a €20m bid for Lyon winger Yanis Berrada rejected.", "bid_rejected"),
        (
            "Lyon have turned down a €20m offer from Brentford for winger Yanis Berrada.",
            "bid_rejected",
        ),
        (
            "Lyon have accepted a €20m offer from Brentford for winger Yanis Berrada.",
            "bid_accepted",
        ),
        ("Brentford have agreed personal terms with Lyon winger Yanis Berrada.", "personal_terms"),
        ("Lyon winger Yanis Berrada will undergo a medical at Brentford on Monday.", "medical"),
        ("Here we go: Lyon winger Yanis Berrada is set to join Brentford.", "deal_agreed"),
        ("Brentford have completed the signing of Lyon winger Yanis Berrada.", "deal_done"),
        ("Brentford's move for Lyon winger Yanis Berrada has collapsed.", "collapsed"),
        ("Brentford have ended their pursuit of Lyon winger Yanis Berrada.", "cooled"),
        ("Lyon winger Yanis Berrada has rejected a move to Brentford.", "player_rejected"),
        (
            "Brentford are targeting Lyon winger Yanis Berrada, but Lyon say he is not for sale.",
            "blocked",
        ),
        ("Brentford have denied reports of a bid for Lyon winger Yanis Berrada.", "denied"),
    ],
)
def test_each_phrase_family_gives_its_kind(text: str, expected: str) -> None:
    found = facts(text)
    assert (expected, "Yanis Berrada", "Brentford") in found


def test_a_loan_with_an_obligation_carries_the_deal_type_and_the_fee() -> None:
    (claim,) = claims(
        "Yanis Berrada has joined Brentford from Lyon on loan with an obligation to buy for €18m."
    )
    assert (claim.kind, claim.club, claim.from_club) == ("deal_done", "Brentford", "Lyon")
    assert claim.deal is not None and claim.deal.value == "loan_with_obligation"
    assert claim.fee is not None and claim.fee.text == "€18m"


def test_an_option_to_make_a_loan_permanent_is_a_loan_with_option() -> None:
    (claim,) = claims(
        "Fulham's deal for Porto winger Rui Sampaio will include an option to make his stay permanent."
    )
    assert claim.kind == "deal_agreed"
    assert claim.deal is not None and claim.deal.value == "loan_with_option"


def test_a_collapsed_pursuit_is_read_from_inability_to_strike_a_deal() -> None:
    found = facts("Everton's inability to strike a deal with Leeds for Ben Whitby is a blow.")
    assert found == {("collapsed", "Ben Whitby", "Everton")}


def test_a_release_clause_needs_and_keeps_its_amount() -> None:
    (claim,) = claims(
        "Sevilla midfielder Pablo Ruano has a release clause of €30m in his contract."
    )
    assert (claim.kind, claim.club, claim.from_club) == ("release_clause", None, "Sevilla")
    assert claim.fee is not None and claim.fee.amount == 30_000_000


def test_a_clause_without_an_amount_is_no_claim() -> None:
    assert claims("Sevilla midfielder Pablo Ruano has a release clause in his contract.") == []


def test_can_be_signed_due_to_a_clause_is_a_release_clause() -> None:
    found = claims(
        "Sevilla midfielder Pablo Ruano can be signed for €30m due to a clause in his deal."
    )
    assert [(c.kind, c.fee and c.fee.text) for c in found] == [("release_clause", "€30m")]


def test_an_asking_price_is_read_from_a_club_prepared_to_cash_in() -> None:
    (claim,) = claims(
        "Sevilla are prepared to cash in on midfielder Pablo Ruano if they receive at least £12m."
    )
    assert (claim.kind, claim.from_club) == ("asking_price", "Sevilla")
    assert claim.fee is not None and claim.fee.qualifier == "at least"


def test_re_emerged_interest_is_marked_renewed() -> None:
    (claim,) = claims("Ajax have revived their interest in Celtic forward Kyle Dunne.")
    assert (claim.kind, claim.club, claim.renewed) == ("interest", "Ajax", True)


def test_interest_that_has_re_emerged_is_renewed_too() -> None:
    found = claims(
        "Celtic forward Kyle Dunne is wanted by Ajax, and their interest has re-emerged."
    )
    assert [(c.kind, c.club, c.renewed) for c in found] == [("interest", "Ajax", True)]


def test_a_new_contract_is_an_extension_with_no_buying_club() -> None:
    (claim,) = claims("Kyle Dunne has signed a new contract with Celtic until 2029.")
    assert (claim.kind, claim.club, claim.from_club) == ("contract_extension", None, "Celtic")


def test_coordinated_clubs_each_get_a_claim() -> None:
    found = facts("Juventus, Napoli and Roma are all in the race for Lens defender Kevin Mbala.")
    assert found == {
        ("interest", "Kevin Mbala", "Juventus"),
        ("interest", "Kevin Mbala", "Napoli"),
        ("interest", "Kevin Mbala", "Roma"),
    }


def test_coordinated_players_each_get_a_claim() -> None:
    found = facts("Lens rejected two bids from Napoli for Kevin Mbala and his team-mate Theo Roux.")
    assert found == {
        ("bid_rejected", "Kevin Mbala", "Napoli"),
        ("bid_rejected", "Theo Roux", "Napoli"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Napoli are ready to make an opening offer for Lens defender Kevin Mbala.",
        "Lens would sell Kevin Mbala should they receive an offer of £30m.",
        "Napoli have yet to make a formal approach for Lens defender Kevin Mbala.",
        "A second bid for Lens defender Kevin Mbala is expected next week.",
    ],
)
def test_an_offer_that_is_only_intended_is_not_a_bid(text: str) -> None:
    assert not any(c.kind in ("bid", "enquiry") for c in claims(text))


def test_the_same_offer_once_made_is_a_bid() -> None:
    found = facts("Napoli have made an opening offer for Lens defender Kevin Mbala.")
    assert found == {("bid", "Kevin Mbala", "Napoli")}


def test_a_players_own_wish_to_move_is_not_a_clubs_interest() -> None:
    assert claims("Lens defender Kevin Mbala is keen on a move to Napoli.") == []


def test_a_denial_takes_the_whole_sentence() -> None:
    found = facts("Napoli have denied reports that they opened talks with Lens over Kevin Mbala.")
    assert found == {("denied", "Kevin Mbala", "Napoli")}


def test_a_player_turning_down_an_offer_is_his_rejection_not_the_clubs() -> None:
    found = facts("Lens defender Kevin Mbala has turned down a big offer from Al-Nassr.")
    assert found == {("player_rejected", "Kevin Mbala", "Al-Nassr")}


def test_a_past_transfer_keeps_the_year_it_happened() -> None:
    (claim,) = claims("Lyon signed Kevin Mbala from Lens for €8m back in 2021.", on="2024-06-01")
    assert (claim.kind, claim.club, claim.from_club) == ("deal_done", "Lyon", "Lens")
    assert claim.effective_on is not None and claim.effective_on.year == 2021


def test_a_fee_stated_on_its_own_attaches_to_the_latest_deal() -> None:
    text = (
        "Newcastle United have completed the signing of Lyon defender Paul Masson. The fee is £30m."
    )
    (claim,) = claims(text)
    assert claim.fee is not None and claim.fee.text == "£30m"
