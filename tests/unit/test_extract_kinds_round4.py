"""Claim kinds, fourth round (issue 11): families the round-3 holdouts showed no trigger found —
moves completed as nouns (`confirmed the arrival of`), acquisitions, loans and sales with their
destination, contracts handed out, attempts rebuffed, players saying no, refusals to do business,
valuations, talks in their final stretch and softer interest. Each family is written several
ways, with the near misses it must leave alone. Every sentence is our own."""

from __future__ import annotations

from tests.factories import claim_keys as keys
from tests.factories import claim_kinds as kinds


def test_a_move_announced_as_a_noun_is_complete() -> None:
    for text in (
        "Brentford have confirmed the arrival of Lyon winger Yanis Berrada.",
        "Brentford have completed the season-long loan signing of Lyon winger Yanis Berrada.",
        "Brentford closed the permanent transfer of Lyon winger Yanis Berrada on Monday.",
        "Brentford have confirmed Yanis Berrada's arrival from Lyon on a four-year contract.",
    ):
        assert ("deal_done", "Yanis Berrada", "Brentford") in keys(text), text


def test_a_confirmed_interest_or_a_hoped_for_signing_is_not_a_completed_move() -> None:
    for text in (
        "Brentford have confirmed their interest in signing Lyon winger Yanis Berrada.",
        "Brentford hope to complete the signing of Lyon winger Yanis Berrada next week.",
        "Brentford have announced the transfer window plans that include Yanis Berrada.",
    ):
        assert "deal_done" not in kinds(text), text


def test_a_club_that_acquires_a_player_by_his_position_has_signed_him() -> None:
    for text in (
        "Brentford acquired Lyon winger Yanis Berrada in exchange for $2m in allocation money.",
        "Brentford acquire winger Yanis Berrada from Lyon",
        "Brentford bought promising winger Yanis Berrada from Lyon last night.",
    ):
        assert ("deal_done", "Yanis Berrada", "Brentford") in keys(text), text
    for text in (
        "Brentford want to sign Lyon winger Yanis Berrada.",
        "Brentford could sign Lyon winger Yanis Berrada.",
        "Brentford are interested in signing Lyon winger Yanis Berrada.",
    ):
        assert "deal_done" not in kinds(text), text


def test_a_player_loaned_or_sold_to_a_club_has_joined_it() -> None:
    for text in (
        "Lyon have loaned young winger Yanis Berrada to Brentford until the end of the season.",
        "Lyon sent winger Yanis Berrada to Brentford for the season.",
        "Lyon have sold Swiss winger Yanis Berrada to English side Brentford.",
        "Lyon have rubber-stamped the loan of winger Yanis Berrada to Brentford.",
    ):
        assert ("deal_done", "Yanis Berrada", "Brentford") in keys(text), text
    for text in (
        "Brentford sent scouts to Lyon to watch winger Yanis Berrada on loan duty.",
        "Lyon will not sell winger Yanis Berrada to Brentford.",
        "Lyon are prepared to sell winger Yanis Berrada to Brentford.",
    ):
        assert "deal_done" not in kinds(text), text


def test_a_player_brought_in_from_a_club_has_joined() -> None:
    for text in (
        "Brentford, who brought Yanis Berrada in from Lyon in 2022, want £20m for him.",
        "Brentford moved quickly, bringing in Yanis Berrada on a free transfer from Lyon.",
    ):
        assert "deal_done" in kinds(text), text
    text = "Brentford have brought in several new faces this summer, including from Lyon."
    assert "deal_done" not in kinds(text)


def test_a_player_signed_to_or_handed_a_new_contract_has_extended_it() -> None:
    for text in (
        "Brentford signed veteran winger Yanis Berrada to a contract extension through 2027.",
        "Brentford have rewarded winger Yanis Berrada with a new four-year deal.",
        "Brentford ended the speculation by handing Yanis Berrada a new five-year contract.",
    ):
        found = kinds(text)
        assert "contract_extension" in found, text
        assert "deal_done" not in found, text


def test_an_attempt_or_approach_rebuffed_is_a_rejected_bid() -> None:
    for text in (
        "Brentford's attempt to prise Yanis Berrada away from Lyon has been dismissed out of hand.",
        "Brentford's approach for Yanis Berrada was given short shrift by Lyon.",
        "Brentford saw their opening move for Yanis Berrada batted back by Lyon.",
        "Brentford have had a cheeky bid for Yanis Berrada laughed off by Lyon.",
    ):
        assert ("bid_rejected", "Yanis Berrada", "Brentford") in keys(text), text


def test_a_headline_comma_keeps_a_rejection_out_of_the_story_before_it() -> None:
    text = "Brentford weigh up Yanis Berrada move, Fulham rebuffed for Kasper Holm"
    assert ("bid_rejected", "Yanis Berrada", "Brentford") not in keys(text)


def test_a_club_rebuffed_by_the_player_is_the_players_rejection() -> None:
    text = (
        "Al-Hilal have been rebuffed by Lyon winger Yanis Berrada, who has told the Saudi club"
        " that he intends to stay in Europe."
    )
    assert ("player_rejected", "Yanis Berrada", "Al-Hilal") in keys(text)


def test_refusing_to_do_business_or_to_let_him_go_to_a_club_is_a_block() -> None:
    for text in (
        "Lyon have refused to do business with Brentford over winger Yanis Berrada.",
        "Lyon have told Brentford that Yanis Berrada is off-limits.",
        "Lyon will not let Yanis Berrada go to Brentford this summer.",
    ):
        assert "blocked" in kinds(text), text
    text = "Lyon would not let Yanis Berrada go on the cheap."
    assert "blocked" not in kinds(text)


def test_a_valuation_however_it_is_written_is_an_asking_price() -> None:
    for text in (
        "Lyon value teenage winger Yanis Berrada at €60m.",
        "Brentford are plotting a move for €60m-rated Lyon winger Yanis Berrada.",
        "Lyon will not let Yanis Berrada go for less than €60m.",
    ):
        assert "asking_price" in kinds(text), text


def test_talks_in_their_final_stretch_or_early_dialogue_are_talks() -> None:
    for text in (
        "Brentford are in the final stretch for Lyon winger Yanis Berrada.",
        "Brentford close in on Lyon winger Yanis Berrada",
        "Brentford like Lyon winger Yanis Berrada and there has been early dialogue with Lyon.",
    ):
        assert ("talks", "Yanis Berrada", "Brentford") in keys(text), text
    text = "Brentford have had no further talks with Lyon about Yanis Berrada."
    assert "talks" not in kinds(text)


def test_softer_interest_made_a_priority_followed_plotted_or_pushed_for() -> None:
    for text in (
        "Brentford have made Lyon winger Yanis Berrada one of their priorities.",
        "Brentford are following with great attention the Lyon winger Yanis Berrada.",
        "Brentford have been following Yanis Berrada for months.",
        "Brentford plot shock swoop for Lyon winger Yanis Berrada",
        "Brentford are plotting a raid on Lyon for Yanis Berrada.",
        "Brentford need a winger, and Lyon's Yanis Berrada has been on the Bees' radar for a year.",
        "Yanis Berrada had also been on the list of Brentford last summer.",
        "Brentford are pressing ahead with a move for Lyon winger Yanis Berrada.",
        "Brentford go again for Yanis Berrada",
        "Brentford have made a new attempt for Lyon winger Yanis Berrada.",
        "Fulham lead the race for Yanis Berrada, with Brentford also keen.",
    ):
        assert ("interest", "Yanis Berrada", "Brentford") in keys(text), text


def test_a_player_pushing_for_a_move_or_on_the_transfer_list_is_no_clubs_interest() -> None:
    for text in (
        "Yanis Berrada is pushing for a move to Brentford.",
        "Yanis Berrada has been placed on the transfer list by Lyon.",
    ):
        assert "interest" not in kinds(text), text


def test_a_pursuit_that_looks_dead_has_cooled() -> None:
    for text in (
        "Brentford's pursuit of Lyon winger Yanis Berrada looks dead.",
        "Brentford's interest in Yanis Berrada is over, and the club have moved on.",
    ):
        assert ("cooled", "Yanis Berrada", "Brentford") in keys(text), text


def test_a_fee_agreed_in_the_passive_is_an_accepted_bid() -> None:
    text = "A fee of £12m has been agreed between Lyon and Brentford for Yanis Berrada."
    assert "bid_accepted" in kinds(text)


def test_an_offer_that_has_gone_in_is_a_bid() -> None:
    for text in (
        "An offer has gone in from Brentford for Lyon winger Yanis Berrada.",
        "Brentford's formal proposal for Yanis Berrada has now been submitted to Lyon.",
    ):
        assert "bid" in kinds(text), text
    text = "No offer has been submitted by Brentford for Yanis Berrada."
    assert "bid" not in kinds(text)


def test_an_offer_put_on_the_table_is_a_bid() -> None:
    for text in (
        "Brentford have put a €20m offer on the table for Lyon winger Yanis Berrada.",
        "Brentford's €20m offer for Yanis Berrada is now on the table.",
    ):
        assert ("bid", "Yanis Berrada", "Brentford") in keys(text), text


def test_a_renewal_concluded_is_a_contract_extension() -> None:
    text = "Lyon have concluded the renewal of Yanis Berrada's contract until 2029."
    assert "contract_extension" in kinds(text)


def test_a_move_confirmed_in_the_passive_or_done_and_dusted_is_complete() -> None:
    for text in (
        "Yanis Berrada's loan move to Brentford was confirmed last night.",
        "Yanis Berrada's switch to Brentford has now been completed.",
        "Yanis Berrada to Brentford is done and dusted.",
        "Brentford have strengthened their attack with the arrival of Yanis Berrada from Lyon.",
        "Yanis Berrada, who completed his £20m move to Brentford on Friday, starts on Sunday.",
        "Brentford announced the hiring of winger Yanis Berrada on Tuesday.",
        "Lyon have traded winger Yanis Berrada to Brentford for $300,000 in allocation money.",
        "Brentford have done their business early, bringing in Yanis Berrada on loan from Lyon.",
    ):
        assert ("deal_done", "Yanis Berrada", "Brentford") in keys(text), text
    for text in (
        "Yanis Berrada's move to Brentford has not been confirmed.",
        "Yanis Berrada is in London ahead of completing his move to Brentford.",
    ):
        assert "deal_done" not in kinds(text), text


def test_a_club_that_agreed_to_sign_or_closed_the_operation_has_a_deal() -> None:
    for text in (
        "Brentford agreed to sign winger Yanis Berrada from Lyon on Tuesday.",
        "Brentford have closed the operation for Lyon winger Yanis Berrada.",
        "Yanis Berrada set for Brentford as Lyon cash in",
    ):
        assert ("deal_agreed", "Yanis Berrada", "Brentford") in keys(text), text
    for text in (
        "Yanis Berrada set for Brentford medical",
        "Yanis Berrada set for Monday medical at Brentford",
    ):
        assert "deal_agreed" not in kinds(text), text
        assert "medical" in kinds(text), text


def test_working_to_finalise_a_loan_is_talks_and_first_contact_an_enquiry() -> None:
    text = "Brentford are working to finalise a season-long loan for winger Yanis Berrada."
    assert ("talks", "Yanis Berrada", "Brentford") in keys(text)
    text = "Brentford have made the first contact with the entourage of Lyon winger Yanis Berrada."
    assert ("enquiry", "Yanis Berrada", "Brentford") in keys(text)


def test_a_club_willing_to_sell_for_a_price_names_its_asking_price() -> None:
    text = "Lyon are willing to sell winger Yanis Berrada for €40m, with Brentford interested."
    assert "asking_price" in kinds(text)
    assert "asking_price" not in kinds("Lyon are willing to sell winger Yanis Berrada.")


def test_a_club_that_will_not_sell_him_at_all_blocks_the_move() -> None:
    assert "blocked" in kinds("Lyon will not sell Yanis Berrada to Brentford today.")
    assert "blocked" not in kinds("Lyon will not sell Yanis Berrada for less than €40m.")


def test_a_club_turning_to_a_player_or_hoping_to_land_him_is_interested() -> None:
    for text in (
        "Brentford have turned to Lyon winger Yanis Berrada after missing out on their first choice.",
        "Brentford's hopes of landing Yanis Berrada are fading.",
    ):
        assert ("interest", "Yanis Berrada", "Brentford") in keys(text), text


def test_reports_linking_a_player_with_a_club_are_a_link() -> None:
    text = "Reports in Spain this week are linking Yanis Berrada with a move to Brentford."
    assert ("linked", "Yanis Berrada", "Brentford") in keys(text)


def test_a_denial_written_with_any_verb_of_the_family_is_a_denial() -> None:
    for text in (
        "Brentford have shot down Spanish reports that they are in talks for Yanis Berrada.",
        "Brentford slam the door on the rumours linking them with Yanis Berrada.",
        "Brentford laughed off the latest claims about a move for Yanis Berrada.",
    ):
        assert "denied" in kinds(text), text
    text = "Lyon have slammed the door on a move for Yanis Berrada."
    assert "denied" not in kinds(text)


def test_a_denial_leaves_the_other_stories_of_a_headline_alone() -> None:
    text = "Brentford agree terms with Yanis Berrada, Juventus deny reports of a Kasper Holm bid"
    assert ("personal_terms", "Yanis Berrada", "Brentford") in keys(text)
    text = "Brentford deny reports, first aired in Spain, that they agreed a fee for Yanis Berrada."
    found = kinds(text)
    assert "bid_accepted" not in found
    assert "deal_agreed" not in found


def test_a_reply_after_a_colon_is_a_claim_of_its_own_beside_a_denial() -> None:
    text = "Lyon deny Brentford agreement for Yanis Berrada: 'Yanis Berrada is not for sale'"
    found = kinds(text)
    assert "denied" in found
    assert "blocked" in found
