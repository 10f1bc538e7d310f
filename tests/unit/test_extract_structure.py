"""Sentence structure that decides who does what: the club that tells another, the subject of a
refusal, a relative clause set off by commas, and a past move's buyer when a pronoun is about."""

from __future__ import annotations

from ledger.extract import ExtractedClaim, extract_claims, parse_article
from ledger.extract.text import clause_bounds


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2016-01-20 {text}", "structure.txt"))


def keys(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


def test_a_club_told_that_a_player_will_not_be_sold_is_not_his_club() -> None:
    text = (
        "Burnley have told Leeds United that centre-back Oskar Lind will not be sold in "
        "January, rejecting the Yorkshire club's overtures."
    )
    found = keys(text)
    assert ("blocked", "Oskar Lind", "Leeds United") in found
    assert not {k for k in found if k[0] == "player_rejected"}


def test_a_player_who_rebuffs_a_clubs_advances_rejects_the_move() -> None:
    text = "Oskar Lind has rebuffed the advances of Leeds United and will stay at Burnley."
    assert ("player_rejected", "Oskar Lind", "Leeds United") in keys(text)


def test_a_relative_clause_set_off_by_commas_ends_at_its_closing_comma() -> None:
    text = "Saints value the defender, who cost £6m in 2014, at £30m."
    parts = [text[s:e] for s, e in clause_bounds(text)]
    assert parts == ["Saints value the defender", "who cost £6m in 2014", "at £30m."]


def test_an_asking_price_interrupted_by_a_past_fee_is_the_price_after_it() -> None:
    text = (
        "Leeds United are keen on Burnley defender Oskar Lind.\n\n"
        "Burnley value the 26-year-old, who cost £6m from Twente in 2014, at closer to £30m."
    )
    found = {(c.kind, c.club, None if c.fee is None else c.fee.text) for c in claims(text)}
    assert ("asking_price", None, "£30m") in found
    assert ("deal_done", "Burnley", "£6m") in found


def test_a_clubs_interest_written_as_a_possessive_is_interest() -> None:
    text = (
        "Burnley defender Oskar Lind is settled in Lancashire.\n\n"
        "The defender is understood to be flattered by Leeds United's interest."
    )
    assert ("interest", "Oskar Lind", "Leeds United") in keys(text)


def test_a_club_chasing_a_league_place_is_chasing_no_player() -> None:
    text = (
        "Burnley defender Oskar Lind is happy.\n\n"
        "Burnley value him highly while they chase a European place."
    )
    assert not {k for k in keys(text) if k[0] == "interest"}


def test_a_player_who_rejected_one_club_in_favour_of_another_rejected_the_first() -> None:
    text = (
        "Leeds United have suffered a blow in their pursuit of Burnley defender Oskar Lind, who "
        "has rejected a move to Elland Road in favour of joining Everton."
    )
    found = keys(text)
    assert ("player_rejected", "Oskar Lind", "Leeds United") in found
    assert ("player_rejected", "Oskar Lind", "Everton") not in found


def test_personal_terms_on_a_contract_with_a_club_are_agreed_with_that_club() -> None:
    text = (
        "Oskar Lind is wanted by Leeds United and Everton.\n\n"
        "He has agreed personal terms on a four-year contract with Everton, his agent said."
    )
    assert ("personal_terms", "Oskar Lind", "Everton") in keys(text)


def test_a_signing_called_off_collapsed_and_a_priced_transfer_agreed_was_accepted() -> None:
    text = (
        "Lazio's proposed signing of Burnley defender Oskar Lind is off.\n\n"
        "Lazio and Burnley had agreed on a 12 million euro transfer last week, and Lind was due "
        "in Rome on Monday."
    )
    found = keys(text)
    assert ("collapsed", "Oskar Lind", "Lazio") in found
    assert ("bid_accepted", "Oskar Lind", "Lazio") in found


def test_a_club_that_turned_to_other_targets_has_cooled() -> None:
    text = (
        "Lazio wanted Burnley defender Oskar Lind.\n\n"
        "Lazio have instead turned to other targets after the deal for Oskar Lind broke down."
    )
    assert ("cooled", "Oskar Lind", "Lazio") in keys(text)


def test_a_long_headline_keeps_each_comma_separated_story_apart() -> None:
    text = (
        "Deadline day as it happened: Burnley win the race for Lind, Torino stand firm over "
        "Nicola Parisi, late Leeds United swoop for a striker\n\n"
        "Burnley have completed the signing of Oskar Lind."
    )
    found = keys(text)
    assert ("blocked", "Oskar Lind", "Burnley") not in found
    assert ("blocked", "Oskar Lind", "Leeds United") not in found


def test_a_club_beaten_to_a_signature_did_not_agree_the_move() -> None:
    text = "Burnley have won the race for Oskar Lind, beating Hull City to his signature."
    found = keys(text)
    assert ("deal_agreed", "Oskar Lind", "Burnley") in found
    assert ("deal_agreed", "Oskar Lind", "Hull City") not in found


def test_a_move_to_a_stadium_is_a_move_to_the_club_that_plays_there() -> None:
    text = (
        "Hull City have made an offer for Oskar Lind. Hull City are keen, but Ipswich Town are "
        "keen too.\n\nHe is undergoing a medical at Portman Road today."
    )
    assert ("medical", "Oskar Lind", "Ipswich Town") in keys(text)
    assert ("medical", "Oskar Lind", "Hull City") not in keys(text)


def test_a_stadium_where_a_player_scored_is_only_a_place() -> None:
    text = "Oskar Lind, who scored at Anfield on Sunday, is wanted by Hull City."
    assert {club for _, _, club in keys(text)} == {"Hull City"}


def test_he_turning_down_an_offer_is_the_players_rejection() -> None:
    text = (
        "Burnley defender Oskar Lind wants to stay in England.\n\n"
        "He looks set to leave, but he has already turned down an offer from Lazio."
    )
    found = keys(text)
    assert ("player_rejected", "Oskar Lind", "Lazio") in found
    assert ("bid_rejected", "Oskar Lind", "Lazio") not in found


def test_a_deal_only_if_no_agreement_is_reached_is_no_agreed_deal() -> None:
    text = "Lazio are trying to convince Oskar Lind, but he will stay if no agreement is reached."
    assert ("deal_agreed", "Oskar Lind", "Lazio") not in keys(text)


def test_a_striker_to_compete_with_a_named_player_is_not_a_bid_for_him() -> None:
    text = "Lazio are hunting to bring in a new striker to compete with Oskar Lind in attack."
    assert keys(text) == set()


def test_a_director_asked_about_transfer_talk_makes_no_enquiry() -> None:
    text = (
        "Burnley defender Oskar Lind is wanted by Lazio.\n\n"
        'The chairman, when asked about all the Lind talk, said: "I do not care about that."'
    )
    assert not {k for k in keys(text) if k[0] == "enquiry"}
