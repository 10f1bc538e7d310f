"""Families of transfer phrasing, each tried on several sentences of our own: refusals to sell,
players turning clubs down, medicals, agreed and completed moves, talks, bids and interest, and
the negations and conditions that are none of these."""

from __future__ import annotations

from ledger.extract import extract_claims, parse_article


def keys(text: str) -> set[tuple[str, str, str | None]]:
    article = parse_article(f"date 2025-07-10 {text}", "families.txt")
    return {(c.kind, c.player, c.club) for c in extract_claims(article)}


def test_a_club_calling_its_player_unavailable_or_untouchable_blocks_the_pursuer() -> None:
    assert ("blocked", "Tomas Berrio", "Everton") in keys(
        "Sevilla have told Everton that Tomas Berrio is not available at any price."
    )
    assert ("blocked", "Tomas Berrio", "Everton") in keys(
        "Sevilla insist Tomas Berrio is untouchable amid interest from Everton."
    )
    assert ("blocked", "Tomas Berrio", "Everton") in keys(
        "Sevilla have slammed the door on Everton's hopes of signing Tomas Berrio."
    )


def test_a_club_with_no_plans_to_sell_or_refusing_to_sanction_a_sale_blocks_the_move() -> None:
    assert ("blocked", "Noah Leclercq", "Fulham") in keys(
        "Lille have no plans to cash in on Noah Leclercq despite Fulham's interest."
    )
    assert ("blocked", "Noah Leclercq", "Fulham") in keys(
        "Lille will refuse to sanction the sale of Noah Leclercq to Fulham this summer."
    )
    assert ("blocked", "Noah Leclercq", "Fulham") in keys(
        "Lille are determined to hang on to Noah Leclercq amid interest from Fulham."
    )


def test_a_club_that_says_they_will_not_part_with_him_is_not_his_buyer() -> None:
    text = (
        "Fulham are ready to target a move for Lille winger Noah Leclercq.\n\n"
        "Lille, though, have made it clear that they have no intention of parting with him."
    )
    assert ("blocked", "Noah Leclercq", "Lille") not in keys(text)


def test_a_player_not_interested_in_a_move_or_deciding_against_it_rejected_it() -> None:
    assert ("player_rejected", "Ruben Tavares", "Wolverhampton Wanderers") in keys(
        "Ruben Tavares is not interested in a move to Wolves, according to Record."
    )
    assert ("player_rejected", "Ruben Tavares", "Galatasaray") in keys(
        "Ruben Tavares has decided against a move to Galatasaray."
    )
    assert ("player_rejected", "Ruben Tavares", "Bayern Munich") in keys(
        "Ruben Tavares has rebuffed Bayern Munich's advances and will stay in Lisbon."
    )


def test_a_club_with_no_interest_in_a_player_is_not_interested() -> None:
    assert keys("Liverpool have no interest in Ruben Tavares, the manager said.") == set()
    assert keys("Chelsea are not interested in signing Ruben Tavares.") == set()


def test_a_club_that_says_no_to_a_bid_rejected_it() -> None:
    assert ("bid_rejected", "Aaron Pike", "Newcastle United") in keys(
        "Brentford have said no to Newcastle's latest bid for Aaron Pike."
    )


def test_an_offer_a_club_may_return_with_or_would_consider_is_not_a_bid() -> None:
    assert keys("Tottenham may return with an improved offer for Aaron Pike next week.") == set()
    assert keys("Brentford would consider an offer for Aaron Pike, the club said.") == set()


def test_paying_a_release_clause_only_if_something_happens_is_not_a_completed_move() -> None:
    text = "Newcastle would sign Aaron Pike if they met his £40m release clause."
    assert not {k for k in keys(text) if k[0] == "deal_done"}


def test_tests_abroad_and_medical_checks_are_medicals() -> None:
    assert ("medical", "Aaron Pike", "Al-Ahli") in keys(
        "Aaron Pike has been cleared to fly to Jeddah for tests with Al-Ahli."
    )
    assert ("medical", "Aaron Pike", "Napoli") in keys(
        "Aaron Pike will undergo fitness tests at Napoli on Monday."
    )


def test_an_agreement_found_or_a_handshake_is_an_agreed_deal() -> None:
    assert ("deal_agreed", "Joel Marsh", "Aston Villa") in keys(
        "Aston Villa and Juventus have found an agreement for Joel Marsh."
    )
    assert ("deal_agreed", "Joel Marsh", "Aston Villa") in keys(
        "Joel Marsh's move to Aston Villa is all but complete."
    )
    assert ("deal_agreed", "Joel Marsh", "Tottenham Hotspur") in keys(
        "Joel Marsh is on the brink of joining Tottenham."
    )
    assert ("deal_agreed", "Joel Marsh", "Manchester City") in keys(
        "Everything is now in place for Joel Marsh to join Manchester City from Troyes."
    )


def test_an_announced_signing_or_a_player_snapped_up_is_a_completed_move() -> None:
    assert ("deal_done", "Joel Marsh", "Juventus") in keys(
        "Juventus have announced the signing of Joel Marsh."
    )
    assert ("deal_done", "Joel Marsh", "Ipswich Town") in keys(
        "Ipswich have sealed the loan signing of Joel Marsh."
    )
    assert ("deal_done", "Joel Marsh", "Brighton & Hove Albion") in keys(
        "Brighton have snapped up Joel Marsh from Leeds in a club-record deal."
    )
    assert ("deal_done", "Joel Marsh", "Manchester United") in keys(
        "Joel Marsh is officially a Manchester United player."
    )


def test_a_club_that_joined_the_race_has_signed_nobody() -> None:
    found = keys("Manchester United have joined the race for Joel Marsh.")
    assert found == {("interest", "Joel Marsh", "Manchester United")}


def test_talks_between_clubs_and_a_dialogue_are_talks() -> None:
    assert ("talks", "Elias Monk", "Chelsea") in keys(
        "Talks between Chelsea and Sporting over Elias Monk are progressing."
    )
    assert ("talks", "Elias Monk", "Newcastle United") in keys(
        "Newcastle are in dialogue with Nottingham Forest about Elias Monk."
    )


def test_a_club_that_has_bid_an_amount_made_a_bid() -> None:
    assert ("bid", "Elias Monk", "Bayern Munich") in keys("Bayern have bid £40m for Elias Monk.")


def test_weighing_up_a_move_and_being_a_suitor_are_interest() -> None:
    assert ("interest", "Elias Monk", "Chelsea") in keys(
        "Chelsea are weighing up a move for Elias Monk."
    )
    assert ("interest", "Elias Monk", "Newcastle United") in keys(
        "Newcastle are long-term suitors of Elias Monk."
    )


def test_a_move_that_is_dead_collapsed_and_a_pursuit_that_is_over_cooled() -> None:
    assert ("collapsed", "Elias Monk", "Chelsea") in keys(
        "Chelsea's move for Elias Monk is dead after Wolves refused to budge."
    )
    assert ("cooled", "Elias Monk", "Manchester United") in keys(
        "Manchester United's pursuit of Elias Monk is over."
    )


def test_asking_to_be_kept_informed_is_an_enquiry() -> None:
    assert ("enquiry", "Elias Monk", "Arsenal") in keys(
        "Arsenal have asked to be kept informed about Elias Monk's situation at Real Sociedad."
    )


def test_a_headline_in_the_present_tense_reports_a_completed_move() -> None:
    assert ("deal_done", "Pablo Reyna", "Everton") in keys("Pablo Reyna joins Everton from Porto")
    assert ("deal_done", "Pablo Reyna", "Everton") in keys("Pablo Reyna completes Everton move")
    assert ("deal_done", "Pablo Reyna", "Everton") in keys("Everton complete Pablo Reyna signing")
    assert ("deal_done", "Pablo Reyna", "Everton") in keys("Pablo Reyna was unveiled by Everton.")


def test_permission_to_travel_and_complete_a_move_is_not_a_completed_move() -> None:
    text = "Porto have given Pablo Reyna permission to travel to Everton and complete his move."
    assert ("deal_done", "Pablo Reyna", "Everton") not in keys(text)


def test_a_club_that_bought_or_sold_a_player_completed_a_move() -> None:
    assert ("deal_done", "Pablo Reyna", "Everton") in keys(
        "Everton bought Pablo Reyna from Porto for £20m in 2021."
    )
    assert ("deal_done", "Pablo Reyna", "Everton") in keys(
        "Porto have sold Pablo Reyna to Everton for £20m."
    )
    assert ("deal_done", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna has scored ten goals since his move from Porto to Everton in 2021."
    )


def test_a_club_that_won_the_race_or_beat_a_rival_to_a_player_agreed_the_move() -> None:
    assert ("deal_agreed", "Pablo Reyna", "Everton") in keys(
        "Everton have won the race to sign Pablo Reyna."
    )
    assert ("deal_agreed", "Pablo Reyna", "Everton") in keys(
        "Everton have beaten Lazio to the signing of Pablo Reyna."
    )
    assert ("deal_agreed", "Pablo Reyna", "Everton") in keys("Everton agree deal for Pablo Reyna")
    assert ("deal_agreed", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna will join Everton once the paperwork is completed."
    )


def test_a_club_that_agreed_to_sell_accepted_the_bid() -> None:
    assert ("bid_accepted", "Pablo Reyna", "Everton") in keys(
        "Porto have agreed to sell Pablo Reyna to Everton."
    )


def test_a_player_who_turned_a_club_down_by_name_rejected_the_move() -> None:
    assert ("player_rejected", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna has turned down Everton."
    )
    assert ("player_rejected", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna has snubbed Everton in favour of Lazio."
    )


def test_a_club_that_turned_a_club_down_rejected_its_bid() -> None:
    found = keys("Porto have turned down Everton for Pablo Reyna.")
    assert ("bid_rejected", "Pablo Reyna", "Everton") in found
    assert ("player_rejected", "Pablo Reyna", "Everton") not in found


def test_refusing_to_let_him_leave_or_blocking_his_move_blocks_the_pursuer() -> None:
    assert ("blocked", "Pablo Reyna", "Everton") in keys(
        "Porto are refusing to let Pablo Reyna leave for Everton."
    )
    assert ("blocked", "Pablo Reyna", "Everton") in keys(
        "Porto have blocked Pablo Reyna's move to Everton."
    )
    assert ("blocked", "Pablo Reyna", "Everton") in keys(
        "Porto have told Everton to forget about Pablo Reyna."
    )


def test_a_player_put_through_a_medical_or_giving_the_green_light_is_a_step_of_the_move() -> None:
    assert ("medical", "Pablo Reyna", "Everton") in keys(
        "Everton will put Pablo Reyna through a medical on Monday."
    )
    assert ("personal_terms", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna has given Everton the green light."
    )


def test_a_deal_called_off_after_the_player_pulled_out_collapsed_as_well() -> None:
    text = (
        "Pablo Reyna has pulled out of his move to Everton during his medical, and the deal is off."
    )
    found = keys(text)
    assert ("collapsed", "Pablo Reyna", "Everton") in found
    assert ("player_rejected", "Pablo Reyna", "Everton") in found


def test_the_clubs_a_buyer_faces_competition_from_are_interested_too() -> None:
    found = keys(
        "Sunderland are in talks with Lens over Pablo Reyna.\n\n"
        "Sunderland face competition from Burnley and Hull City, who have both watched him."
    )
    assert {
        ("interest", "Pablo Reyna", "Burnley"),
        ("interest", "Pablo Reyna", "Hull City"),
    } <= found


def test_past_moves_told_in_passing_are_completed_moves() -> None:
    story = "Lazio are interested in Everton winger Pablo Reyna. "
    for past in (
        "The winger made the switch from Porto in 2021.",
        "Following his £20m move from Porto in 2021, Reyna struggled.",
        "Reyna started his career at Porto before moving to Everton in 2021.",
        "Everton paid £20m to bring Reyna in from Porto in 2021.",
    ):
        assert ("deal_done", "Pablo Reyna", "Everton") in keys(story + past), past
    assert ("deal_done", "Pablo Reyna", "Celta Vigo") in keys(
        story + "Reyna was loaned to Celta Vigo last season."
    )


def test_a_club_that_wants_a_named_player_or_tried_to_sign_him_is_interested() -> None:
    assert ("interest", "Pablo Reyna", "Eintracht Frankfurt") in keys(
        "Eintracht Frankfurt want Pablo Reyna, but Porto are in no hurry."
    )
    assert ("interest", "Pablo Reyna", "Torino") in keys(
        "Torino had also tried to sign Pablo Reyna in July."
    )


def test_an_offer_made_so_far_is_a_bid_and_a_sum_asked_for_is_an_asking_price() -> None:
    assert ("bid", "Pablo Reyna", "Eintracht Frankfurt") in keys(
        "Eintracht Frankfurt have so far offered €5m for Pablo Reyna."
    )
    assert ("asking_price", "Pablo Reyna", None) in keys(
        "Porto have so far asked for €20m for Pablo Reyna."
    )


def test_a_dialogue_that_is_ongoing_is_talks_and_other_options_mean_cooling() -> None:
    assert ("talks", "Pablo Reyna", "Fiorentina") in keys(
        "The dialogue between Fiorentina and Porto for Pablo Reyna is ongoing."
    )
    assert ("cooled", "Pablo Reyna", "Schalke 04") in keys(
        "Schalke 04 asked about Pablo Reyna, but Schalke 04 have since concentrated on other "
        "options."
    )


def test_a_position_opening_a_sentence_is_not_part_of_the_name() -> None:
    found = keys("Winger Pablo Reyna is a target for Feyenoord.")
    assert ("interest", "Pablo Reyna", "Feyenoord") in found
    assert {player for _, player, _ in found} == {"Pablo Reyna"}


def test_an_agreement_reached_with_the_selling_club_is_an_accepted_bid() -> None:
    text = (
        'Pablo Reyna to Everton, here we go! "Full agreement reached with Porto for €35m," '
        "the journalist posted."
    )
    assert ("bid_accepted", "Pablo Reyna", "Everton") in keys(text)
    assert ("bid_accepted", "Pablo Reyna", "Everton") in keys(
        "Everton have agreed a club-to-club deal worth €14m with Porto for Pablo Reyna."
    )


def test_a_club_that_returned_with_a_package_or_matched_the_fee_made_a_bid() -> None:
    assert ("bid", "Pablo Reyna", "Everton") in keys(
        "Porto rejected a first offer, but Everton returned with a stronger package for Pablo "
        "Reyna at the weekend."
    )


def test_a_player_who_said_yes_to_a_club_agreed_his_terms() -> None:
    assert ("personal_terms", "Pablo Reyna", "Everton") in keys(
        "Pablo Reyna has already said yes to Everton."
    )


def test_a_club_understood_to_have_had_an_offer_accepted_is_the_buyer() -> None:
    assert ("bid_accepted", "Pablo Reyna", "Everton") in keys(
        "Everton are understood to have had a £12m offer for Porto winger Pablo Reyna accepted."
    )


def test_a_player_who_joined_a_side_described_by_its_league_joined_that_club() -> None:
    text = "Everton confirmed that Pablo Reyna has joined League One side Doncaster Rovers on loan."
    assert ("deal_done", "Pablo Reyna", "Doncaster Rovers") in keys(text)
    assert ("deal_done", "Pablo Reyna", "Everton") not in keys(text)


def test_talks_begun_stepped_up_or_at_an_advanced_stage_are_talks() -> None:
    for text in (
        "Everton have begun negotiations with Porto for Pablo Reyna.",
        "Everton have stepped up talks for Pablo Reyna.",
        "Talks over Pablo Reyna's move to Everton are at an advanced stage.",
        "Everton are working on a deal for Pablo Reyna.",
        "Everton are haggling with Porto over Pablo Reyna.",
        "Everton met Pablo Reyna's agent on Monday.",
    ):
        assert ("talks", "Pablo Reyna", "Everton") in keys(text), text


def test_asking_a_club_about_a_player_or_checking_on_him_is_an_enquiry_by_the_asker() -> None:
    found = keys("Everton have asked Porto about Pablo Reyna's availability.")
    assert ("enquiry", "Pablo Reyna", "Everton") in found
    assert ("enquiry", "Pablo Reyna", "Porto") not in found
    for text in (
        "Everton have checked on Pablo Reyna's situation.",
        "Everton have made initial contact over Pablo Reyna.",
        "Everton have requested information on Pablo Reyna.",
    ):
        assert ("enquiry", "Pablo Reyna", "Everton") in keys(text), text


def test_emerging_as_a_target_or_topping_a_list_is_interest() -> None:
    for text in (
        "Pablo Reyna has emerged as a target for Everton.",
        "Everton want to bring Pablo Reyna to Goodison Park.",
        "Everton are big fans of Pablo Reyna.",
        "Everton are in the hunt for Pablo Reyna.",
        "Everton have put Pablo Reyna at the top of their list.",
        "Everton are weighing a move for Pablo Reyna.",
    ):
        assert ("interest", "Pablo Reyna", "Everton") in keys(text), text


def test_an_agreement_on_terms_or_a_players_word_is_personal_terms() -> None:
    for text in (
        "Everton have reached an agreement on personal terms with Pablo Reyna.",
        "Pablo Reyna wants to join Everton and has already agreed his contract.",
        "Pablo Reyna has given his word to Everton.",
    ):
        assert ("personal_terms", "Pablo Reyna", "Everton") in keys(text), text


def test_a_renewed_contract_or_a_player_tied_down_is_an_extension() -> None:
    for text in (
        "Pablo Reyna has renewed his contract with Porto.",
        "Porto have tied Pablo Reyna down to a new deal.",
        "Porto have handed Pablo Reyna a new contract.",
    ):
        assert ("contract_extension", "Pablo Reyna", None) in keys(text), text
