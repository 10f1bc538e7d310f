"""Phrasing families of real transfer writing, each read from a short text of our own: passives
and negations, medicals, background moves, denials, players known by one name, and the people
and places that are never players."""

from __future__ import annotations

from ledger.extract import ExtractedClaim, extract_claims, parse_article


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2025-01-20 {text}", "phrasing.txt"))


def keys(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


def test_a_bid_that_has_been_rebuffed_is_a_rejected_bid() -> None:
    text = "Lyon have had a €20m offer for Mateo Varga rebuffed by Sevilla."
    assert ("bid_rejected", "Mateo Varga", "Lyon") in keys(text)


def test_a_club_that_saw_an_offer_knocked_back_made_a_rejected_bid() -> None:
    text = "Everton saw an opening offer for Brentford winger Idris Kallon knocked back."
    assert keys(text) == {("bid_rejected", "Idris Kallon", "Everton")}


def test_a_bid_deemed_too_low_is_rejected_and_not_also_a_bid() -> None:
    text = "Porto's first bid of £15m for Rangers defender Callum Baird has been deemed too low."
    assert keys(text) == {("bid_rejected", "Callum Baird", "Porto")}


def test_a_club_yet_to_submit_a_bid_has_made_no_bid() -> None:
    assert keys("Fulham are yet to submit a bid for Ajax midfielder Joris Wessel.") == set()


def test_a_player_who_snubbed_a_move_rejected_it() -> None:
    text = "Celtic forward Ruairi Dolan has snubbed a move to Bologna."
    assert ("player_rejected", "Ruairi Dolan", "Bologna") in keys(text)


def test_a_deal_that_is_off_has_collapsed() -> None:
    text = "Nice had agreed a fee for Lucas Amaral, but the deal is off after his medical."
    assert ("collapsed", "Lucas Amaral", "Nice") in keys(text)


def test_travelling_for_a_medical_and_undergoing_one_are_both_medicals() -> None:
    travel = "Stoke City striker Owen Pryce will fly to Lisbon on Monday for a medical at Benfica."
    doing = "Owen Pryce is undergoing a medical at Benfica after the clubs agreed a fee."
    assert ("medical", "Owen Pryce", "Benfica") in keys(travel)
    assert ("medical", "Owen Pryce", "Benfica") in keys(doing)


def test_a_medical_that_depends_on_a_condition_is_not_reported_as_one() -> None:
    text = "Lens will loan Aurelien Pottier out to Metz, should the player pass his medical."
    assert ("medical", "Aurelien Pottier", "Metz") not in keys(text)
    assert ("linked", "Aurelien Pottier", "Metz") in keys(text)


def test_a_past_arrival_is_a_completed_move_to_his_club_now() -> None:
    text = (
        "Sporting defender Tiago Mendes has impressed Arsenal this season. "
        "He arrived from Braga in 2021 for around €6m."
    )
    assert ("deal_done", "Tiago Mendes", "Sporting CP") in keys(text)


def test_a_club_that_lost_a_player_to_another_sold_him() -> None:
    text = "Freiburg lost midfielder Jonas Hahn to Wolfsburg last summer."
    (claim,) = [c for c in claims(text) if c.kind == "deal_done"]
    assert (claim.club, claim.from_club) == ("VfL Wolfsburg", "SC Freiburg")


def test_a_club_that_denies_any_approach_is_the_seller_and_the_pursuer_is_found_later() -> None:
    text = (
        "Benfica insist they have had no approaches for Rui Falcao.\n\n"
        "Newcastle are understood to be very keen on the 21-year-old."
    )
    found = {(c.kind, c.club, c.from_club) for c in claims(text)}
    assert ("denied", "Newcastle United", "Benfica") in found


def test_a_club_fielding_interest_in_its_own_players_is_not_their_buyer() -> None:
    text = "Chelsea are fielding late interest in Noah Vance and Kit Harlow."
    assert keys(text) == set()


def test_the_club_written_before_a_position_is_the_players_current_club() -> None:
    text = "Rui Falcao: Roma and Napoli are both interested in the 22-year-old Benfica winger."
    found = {(c.club, c.from_club) for c in claims(text)}
    assert found == {("Roma", "Benfica"), ("Napoli", "Benfica")}


def test_a_subordinate_clause_keeps_its_own_bidder() -> None:
    text = (
        "Marseille have made a third bid of €30m for Lille winger Yann Ferrand after Monaco "
        "had a bid rejected at €25m."
    )
    found = keys(text)
    assert ("bid", "Yann Ferrand", "Marseille") in found
    assert ("bid_rejected", "Yann Ferrand", "Monaco") in found
    assert ("bid_rejected", "Yann Ferrand", "Marseille") not in found


def test_a_contract_offer_rejected_by_the_player_is_his_rejection() -> None:
    text = "Juventus have seen a contract offer for striker Emeka Obi rejected by the forward."
    assert ("player_rejected", "Emeka Obi", "Juventus") in keys(text)


def test_a_player_known_by_one_name_is_recognised_after_his_position() -> None:
    text = "Valencia have reached an agreement with Santos to sign midfielder Tiquinho."
    assert ("deal_agreed", "Tiquinho", "Valencia") in keys(text)


def test_a_player_known_by_one_name_is_recognised_before_the_club_he_moves_to() -> None:
    text = "Romano: Dinho to Sevilla, here we go. Dinho will have his medical on Friday."
    assert {("deal_agreed", "Dinho", "Sevilla"), ("medical", "Dinho", "Sevilla")} <= keys(text)


def test_a_reporter_a_training_ground_and_an_officials_title_are_never_players() -> None:
    text = (
        "Nottingham Forest are closing in on Remy Lacombe. Ben Jacobs revealed the fee. "
        "Lacombe was at the Forest training ground this morning for a medical, and the Forest "
        "Chief Executive said the deal was close."
    )
    players = {c.player for c in claims(text)}
    assert players == {"Remy Lacombe"}


def test_a_given_name_in_a_quote_is_the_player_of_that_name() -> None:
    text = 'Ajax have turned down an offer from Brighton for Daan Mertens. "Daan is not for sale," the director said.'
    assert ("blocked", "Daan Mertens", "Brighton & Hove Albion") in keys(text)
