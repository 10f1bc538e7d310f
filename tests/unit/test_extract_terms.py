"""Which fee and deal type belong to which claim: the terms of one move stated in another
sentence or clause than the claim, and amounts that are not transfer fees."""

from __future__ import annotations

from ledger.events import DealType
from ledger.extract import ExtractedClaim, extract_claims, parse_article


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2025-01-20 {text}", "terms.txt"))


def claim_of(text: str, kind: str, club: str) -> ExtractedClaim:
    (found,) = [c for c in claims(text) if c.kind == kind and c.club == club]
    return found


def fee_of(claim: ExtractedClaim) -> str | None:
    return None if claim.fee is None else claim.fee.text


def test_a_bid_reported_without_a_fee_takes_the_fee_of_its_rejection() -> None:
    text = (
        "Sevilla have received offers from Lyon and Monaco for Tomas Varela.\n\n"
        "Lyon saw a bid rejected at €18m, the local press said."
    )
    assert fee_of(claim_of(text, "bid", "Lyon")) == "€18m"
    assert fee_of(claim_of(text, "bid_rejected", "Lyon")) == "€18m"


def test_a_rejected_bid_takes_the_fee_of_the_offer_made_in_another_sentence() -> None:
    text = (
        "Burnley have seen an offer for Stoke winger Ryan Keld knocked back.\n\n"
        "The Clarets made a bid thought to be around £4m on Friday."
    )
    assert fee_of(claim_of(text, "bid_rejected", "Burnley")) == "around £4m"


def test_an_agreed_deal_takes_the_fee_the_clubs_agreed() -> None:
    text = (
        "Ruben Salas to Porto, here we go!\n\n"
        "The two clubs have agreed a €14m fee for the winger, the player's agent said."
    )
    assert fee_of(claim_of(text, "deal_agreed", "Porto")) == "€14m"


def test_a_permanent_move_named_beside_the_medical_describes_the_agreed_deal() -> None:
    text = (
        "Norwich City have agreed a deal to sign midfielder Kenji Arata from Kashima Antlers.\n\n"
        "The 23-year-old will fly to England on Monday for a medical ahead of a permanent move."
    )
    assert claim_of(text, "deal_agreed", "Norwich City").deal is DealType.PERMANENT
    assert claim_of(text, "medical", "Norwich City").deal is None


def test_loaning_a_player_out_to_another_club_is_a_loan() -> None:
    text = "It is likely that Norwich City will loan Kenji Arata out to Ipswich Town until May."
    assert claim_of(text, "linked", "Ipswich Town").deal is DealType.LOAN


def test_an_option_to_buy_stated_in_a_later_sentence_makes_the_loan_one_with_an_option() -> None:
    text = (
        "Everton have agreed a season-long loan deal for Marco Bellini from Torino.\n\n"
        "Everton will also have the option to buy the Italian permanently for £20m next summer."
    )
    agreed = claim_of(text, "deal_agreed", "Everton")
    assert agreed.deal is DealType.LOAN_WITH_OPTION
    assert fee_of(agreed) == "£20m"  # no loan fee is stated: the price of the option is the fee


def test_a_player_leaving_for_a_fee_gives_the_completed_move_its_fee() -> None:
    text = (
        "Done deal: Lewis Hart to Brentford\n"
        "Lewis Hart has completed his move to Brentford.\n"
        "He leaves his boyhood club for a £7million fee plus add-ons."
    )
    assert fee_of(claim_of(text, "deal_done", "Brentford")) == "£7million"


def test_the_terms_written_after_here_we_go_complete_the_agreed_deal() -> None:
    text = (
        'The reporter wrote: "Ivo Maric to Fulham, here we go! Loan with an obligation to buy '
        'for €15m, documents signed."'
    )
    agreed = claim_of(text, "deal_agreed", "Fulham")
    assert agreed.deal is DealType.LOAN_WITH_OBLIGATION
    assert fee_of(agreed) == "€15m"


def test_a_weekly_wage_converted_in_brackets_is_not_a_fee() -> None:
    text = (
        "Porto forward Tiago Ramos has rejected a contract offer from Lazio of €90k-a-week (£78k)."
    )
    assert fee_of(claim_of(text, "player_rejected", "Lazio")) is None


def test_an_amount_converted_in_brackets_is_the_same_fee_as_written_first() -> None:
    text = "Lazio have had a €9m (£7.8m) bid for Tiago Ramos rejected by Porto."
    assert fee_of(claim_of(text, "bid_rejected", "Lazio")) == "€9m"


def test_interest_in_a_loan_with_an_option_names_the_option_price() -> None:
    text = "Napoli are looking to sign Chelsea's Ben Yardley on loan with a £20m option to buy him."
    interest = claim_of(text, "interest", "Napoli")
    assert interest.deal is DealType.LOAN_WITH_OPTION
    assert fee_of(interest) == "£20m"
