"""Which kind of claim a sentence states, family by family: the softer kinds (cooling, refusals
to sell, players saying no, new contracts, terms, talks nearing a deal) and the ways a completed
move is announced, each written several ways, and the negated or hedged forms that are not
claims. Every sentence is our own."""

from __future__ import annotations

from tests.factories import claim_keys as keys
from tests.factories import claim_kinds as kinds


def test_interest_that_cooled_waned_or_was_lost_is_a_cooling() -> None:
    for text in (
        "Leeds United's interest in Pablo Iturbe has waned over the last fortnight.",
        "Leeds United's interest in Pablo Iturbe is fading fast.",
        "Leeds United have lost interest in Pablo Iturbe.",
        "Leeds United have gone cold on Pablo Iturbe.",
    ):
        assert ("cooled", "Pablo Iturbe", "Leeds United") in keys(text), text


def test_a_club_withdrawing_from_the_race_or_giving_up_hope_has_cooled() -> None:
    for text in (
        "Leeds United have withdrawn from the race to sign Pablo Iturbe.",
        "Leeds United have dropped out of the running for Pablo Iturbe.",
        "Leeds United have backed off in their pursuit of Pablo Iturbe.",
        "Leeds United have given up hope of signing Pablo Iturbe.",
        "Leeds United have turned their attention away from Pablo Iturbe.",
    ):
        assert ("cooled", "Pablo Iturbe", "Leeds United") in keys(text), text


def test_a_club_deciding_not_to_pursue_a_player_or_no_longer_chasing_him_has_cooled() -> None:
    for text in (
        "Leeds United have decided not to pursue a move for Pablo Iturbe.",
        "Leeds United will not be pursuing Pablo Iturbe any further.",
        "Pablo Iturbe is no longer a target for Leeds United.",
    ):
        assert keys(text) == {("cooled", "Pablo Iturbe", "Leeds United")}, text


def test_a_club_that_will_not_entertain_offers_or_rules_out_a_sale_blocks_the_move() -> None:
    for text in (
        "Ajax will not entertain offers for Kofi Mensah despite interest from Aston Villa.",
        "Ajax have no interest in selling Kofi Mensah to Aston Villa.",
        "Ajax have ruled out selling Kofi Mensah to Aston Villa.",
        "Ajax are reluctant to sell Kofi Mensah to Aston Villa.",
        "Ajax are not minded to sell Kofi Mensah to Aston Villa.",
    ):
        assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(text), text


def test_a_club_that_rebuffs_interest_or_warns_a_suitor_off_blocks_the_move() -> None:
    for text in (
        "Ajax have rebuffed Aston Villa's interest in Kofi Mensah.",
        "Ajax have warned Aston Villa off Kofi Mensah.",
        "Ajax have shut the door on Aston Villa's pursuit of Kofi Mensah.",
        "Ajax have refused to let Kofi Mensah join Aston Villa.",
        "Ajax consider Kofi Mensah non-negotiable, a blow for Aston Villa.",
    ):
        assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(text), text


def test_a_club_that_will_only_accept_offers_above_a_price_is_not_blocking() -> None:
    text = "Ajax will not consider offers below £40m for Kofi Mensah, with Aston Villa keen."
    assert "blocked" not in kinds(text)


def test_a_contract_extended_renewed_or_a_future_tied_to_the_club_is_an_extension() -> None:
    for text in (
        "Luca Ferrante has tied his future to Torino.",
        "Torino have extended Luca Ferrante's contract by two years.",
        "Torino have renewed the contract of Luca Ferrante.",
        "Luca Ferrante's contract has been extended until 2029.",
        "Luca Ferrante has signed an extension until 2029.",
        "Luca Ferrante has agreed fresh terms with Torino.",
        "Luca Ferrante will stay at Torino after signing a new three-year contract.",
    ):
        assert ("contract_extension", "Luca Ferrante", None) in keys(text), text


def test_a_new_contract_refused_hoped_for_or_under_discussion_is_no_extension() -> None:
    for text in (
        "Luca Ferrante has refused to sign a new contract at Torino.",
        "Torino are hoping Luca Ferrante will sign a new deal.",
        "Luca Ferrante is in talks over a new contract at Torino.",
        "Luca Ferrante is yet to sign a new contract with Torino.",
    ):
        assert "contract_extension" not in kinds(text), text


def test_a_renewed_interest_in_a_deal_is_not_a_contract_extension() -> None:
    text = "Torino have renewed their interest in a deal for Luca Ferrante."
    assert "contract_extension" not in kinds(text)


def test_a_player_ruling_out_a_move_or_turning_his_nose_up_at_it_rejected_it() -> None:
    for text in (
        "Jonas Ekdahl has turned his nose up at a move to Al-Nassr.",
        "Jonas Ekdahl has ruled out a move to Al-Nassr.",
        "Jonas Ekdahl has closed the door on a move to Al-Nassr.",
        "Jonas Ekdahl has no intention of joining Al-Nassr.",
        "Jonas Ekdahl is not tempted by a move to Al-Nassr.",
        "Jonas Ekdahl has told Al-Nassr he is not interested.",
        "Jonas Ekdahl has passed up the chance to join Al-Nassr.",
    ):
        assert ("player_rejected", "Jonas Ekdahl", "Al-Nassr") in keys(text), text


def test_a_player_who_decided_to_join_a_club_has_an_agreed_move() -> None:
    assert ("deal_agreed", "Jonas Ekdahl", "Al-Nassr") in keys(
        "Jonas Ekdahl has decided to join Al-Nassr after weeks of deliberation."
    )
    assert "deal_agreed" not in kinds(
        "If Jonas Ekdahl decided to join Al-Nassr, few would blame him."
    )


def test_a_player_who_has_chosen_a_club_or_agreed_a_contract_has_agreed_terms() -> None:
    for text in (
        "Marco Delvecchio has chosen Fulham.",
        "Marco Delvecchio has already agreed a contract with Fulham.",
        "Fulham have reached an agreement with Marco Delvecchio on a five-year contract.",
        "Marco Delvecchio has given his approval to the move to Fulham.",
    ):
        assert ("personal_terms", "Marco Delvecchio", "Fulham") in keys(text), text


def test_terms_not_yet_agreed_or_awaited_are_not_personal_terms() -> None:
    for text in (
        "Fulham are yet to agree personal terms with Marco Delvecchio.",
        "Fulham have not agreed terms with Marco Delvecchio.",
        "The move remains subject to Marco Delvecchio agreeing personal terms with Fulham.",
    ):
        assert "personal_terms" not in kinds(text), text


def test_a_club_edging_closer_or_in_the_final_stages_is_still_in_talks() -> None:
    for text in (
        "Sevilla are edging closer to signing Dario Salcedo.",
        "Sevilla are close to agreeing a deal for Dario Salcedo.",
        "Sevilla are in the final stages of negotiations for Dario Salcedo.",
        "Sevilla are in close contact with Dario Salcedo's camp.",
        "Sevilla are talking with Valencia about Dario Salcedo.",
    ):
        assert ("talks", "Dario Salcedo", "Sevilla") in keys(text), text


def test_talks_that_never_happened_are_not_talks() -> None:
    assert "talks" not in kinds("Sevilla have not held talks with Valencia over Dario Salcedo.")


def test_a_medical_still_to_come_or_a_move_not_yet_done_is_not_stated_as_fact() -> None:
    assert "medical" not in kinds("Aaron Pike is yet to undergo a medical at Newcastle United.")
    assert "deal_done" not in kinds("Aaron Pike has not joined Newcastle United yet.")


def test_a_player_now_wearing_the_shirt_or_unveiled_as_a_signing_has_completed_his_move() -> None:
    for text in (
        "Yusuf Kaya is now an Everton player.",
        "Yusuf Kaya has officially become an Everton player.",
        "Yusuf Kaya has become Everton's third signing of the summer.",
        "Everton have unveiled Yusuf Kaya as their first summer signing.",
        "Everton have made Yusuf Kaya's loan move permanent.",
        "Everton have secured the services of Yusuf Kaya.",
        "Everton have snapped up Yusuf Kaya.",
        "Everton have completed a deal for Yusuf Kaya.",
        "Yusuf Kaya has arrived at Everton on a season-long loan.",
    ):
        assert ("deal_done", "Yusuf Kaya", "Everton") in keys(text), text


def test_interest_as_sights_set_a_queue_joined_or_a_club_in_the_frame() -> None:
    for text in (
        "Brentford have set their sights on Emil Harstad.",
        "Brentford have joined the queue for Emil Harstad.",
        "Brentford are in the frame for Emil Harstad.",
        "Brentford have been alerted to Emil Harstad's availability.",
        "Brentford are keeping close tabs on Emil Harstad.",
        "Emil Harstad is on Brentford's radar.",
        "Brentford have identified Emil Harstad as a potential signing.",
        "Brentford are thinking about a move for Emil Harstad.",
    ):
        assert ("interest", "Emil Harstad", "Brentford") in keys(text), text


def test_a_bid_met_with_a_firm_no_or_not_enough_was_rejected() -> None:
    for text in (
        "Newcastle United's offer for Aaron Pike was met with a firm no from Brentford.",
        "Newcastle United's £25m proposal for Aaron Pike was not enough for Brentford.",
    ):
        assert ("bid_rejected", "Aaron Pike", "Newcastle United") in keys(text), text


def test_a_bid_dismissed_out_of_hand_is_rejected_not_denied() -> None:
    text = "Newcastle United's £25m opening offer for Aaron Pike has been dismissed out of hand."
    assert kinds(text) == {"bid_rejected"}


def test_a_player_on_the_verge_of_a_move_or_heading_there_in_a_deal_has_an_agreed_move() -> None:
    for text in (
        "Nils Brandt is on the verge of a move to Augsburg.",
        "Nils Brandt's move to Augsburg is agreed.",
        "Nils Brandt is heading to Augsburg in a deal worth €15m.",
        "Nils Brandt will become an Augsburg player once the paperwork is done.",
    ):
        assert ("deal_agreed", "Nils Brandt", "FC Augsburg") in keys(text), text


def test_a_sale_sanctioned_or_permission_to_talk_given_is_an_accepted_bid() -> None:
    for text in (
        "Hoffenheim have sanctioned the sale of Nils Brandt to Augsburg.",
        "Hoffenheim have given Nils Brandt permission to talk to Augsburg.",
    ):
        assert ("bid_accepted", "Nils Brandt", "FC Augsburg") in keys(text), text


def test_a_deal_scrapped_or_a_pursuit_ended_in_failure_collapsed() -> None:
    for text in (
        "The deal taking Nils Brandt to Augsburg has been scrapped.",
        "Augsburg's pursuit of Nils Brandt has ended in failure.",
    ):
        assert ("collapsed", "Nils Brandt", "FC Augsburg") in keys(text), text


def test_a_contract_cancelled_after_a_move_is_no_collapse() -> None:
    text = (
        "Nils Brandt joined Augsburg on a free transfer last month after his contract "
        "in Turkey was cancelled."
    )
    assert "collapsed" not in kinds(text)


def test_a_club_distancing_itself_from_reports_or_finding_no_truth_in_them_denies_them() -> None:
    for text in (
        "Augsburg have distanced themselves from reports linking them with Nils Brandt.",
        "Augsburg say there is no truth in the reports linking Nils Brandt with the club.",
    ):
        assert ("denied", "Nils Brandt", "FC Augsburg") in keys(text), text


def test_an_offer_a_club_will_not_make_or_a_bid_not_accepted_is_no_claim() -> None:
    assert "bid" not in kinds("Augsburg will not be making an offer for Nils Brandt.")
    assert "bid_accepted" not in kinds(
        "Hoffenheim have not accepted Augsburg's bid for Nils Brandt."
    )
    assert "collapsed" not in kinds("Augsburg insist the move for Nils Brandt has not collapsed.")


def test_a_club_that_could_move_for_a_player_is_linked_with_him() -> None:
    assert ("linked", "Emil Harstad", "Brentford") in keys(
        "Brentford could move for Emil Harstad if their first choice proves too expensive."
    )


def test_interest_as_a_number_one_target_a_deal_explored_or_a_return_wanted() -> None:
    for text in (
        "Brentford have made Emil Harstad their number-one target.",
        "Brentford are exploring a deal for Emil Harstad.",
        "Brentford are keen to bring Emil Harstad back to the club.",
    ):
        assert ("interest", "Emil Harstad", "Brentford") in keys(text), text


def test_a_meeting_scheduled_or_progress_made_is_talks() -> None:
    for text in (
        "A meeting has been scheduled between Sevilla and Valencia over Dario Salcedo.",
        "Sevilla have made good progress in their negotiations for Dario Salcedo.",
    ):
        assert ("talks", "Dario Salcedo", "Sevilla") in keys(text), text


def test_a_club_refusing_to_negotiate_blocks_and_one_in_no_mood_to_haggle_is_not_in_talks() -> None:
    assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(
        "Aston Villa are keen on Kofi Mensah, but Ajax refuse to negotiate."
    )
    assert "talks" not in kinds("Ajax are in no mood to haggle over Kofi Mensah.")


def test_a_club_not_open_to_selling_or_not_allowing_him_to_leave_blocks_the_move() -> None:
    for text in (
        "Ajax are not open to selling Kofi Mensah, despite Aston Villa's interest.",
        "Ajax will not allow Kofi Mensah to leave for Aston Villa.",
    ):
        assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(text), text


def test_a_club_calling_time_on_its_chase_has_cooled() -> None:
    assert ("cooled", "Pablo Iturbe", "Leeds United") in keys(
        "Leeds United have called time on their chase of Pablo Iturbe."
    )


def test_a_player_who_would_rather_stay_rejected_the_move() -> None:
    assert ("player_rejected", "Jonas Ekdahl", "Al-Nassr") in keys(
        "Jonas Ekdahl would rather stay at Brighton than move to Al-Nassr."
    )


def test_a_club_that_identified_a_player_or_sent_scouts_to_watch_him_is_interested() -> None:
    for text in (
        "Brentford have identified Emil Harstad as they look to replace their captain.",
        "Brentford sent scouts to watch Emil Harstad on Saturday.",
        "Emil Harstad is of interest to Brentford.",
        "Brentford are ready to launch a move for Emil Harstad.",
    ):
        assert ("interest", "Emil Harstad", "Brentford") in keys(text), text


def test_talks_that_took_place_or_a_counter_offer_are_talks() -> None:
    for text in (
        "Talks took place on Monday between Sevilla and Valencia over Dario Salcedo.",
        "Sevilla have had talks with Valencia over Dario Salcedo.",
        "Sevilla are confident of agreeing a deal for Dario Salcedo.",
    ):
        assert ("talks", "Dario Salcedo", "Sevilla") in keys(text), text


def test_a_club_that_does_not_want_to_lose_him_now_blocks_but_regret_after_a_sale_does_not() -> (
    None
):
    assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(
        "Ajax do not want to lose Kofi Mensah and have rebuffed Aston Villa."
    )
    assert ("blocked", "Kofi Mensah", "Aston Villa") in keys(
        "Ajax are determined not to sell Kofi Mensah to Aston Villa."
    )
    assert "blocked" not in kinds(
        "Kofi Mensah has joined Aston Villa. 'We didn't want to lose him,' said the Ajax coach."
    )


def test_a_bid_turned_away_or_not_accepted_was_rejected() -> None:
    for text in (
        "Brentford have turned away Newcastle United's £25m bid for Aaron Pike.",
        "Newcastle United's £25m offer for Aaron Pike was not accepted by Brentford.",
    ):
        assert ("bid_rejected", "Aaron Pike", "Newcastle United") in keys(text), text


def test_a_player_who_made_the_move_or_signs_for_a_club_in_a_headline_has_joined() -> None:
    for text in (
        "Yusuf Kaya has made the move to Everton from Basel.",
        "Yusuf Kaya signs for Everton",
    ):
        assert ("deal_done", "Yusuf Kaya", "Everton") in keys(text), text
    assert "deal_done" not in kinds("Yusuf Kaya could sign for Everton next week.")


def test_a_club_adding_a_player_to_its_shortlist_has_not_signed_him() -> None:
    text = "Everton have added Yusuf Kaya to their shortlist."
    assert "deal_done" not in kinds(text)
    assert ("interest", "Yusuf Kaya", "Everton") in keys(text)


def test_a_player_who_signed_a_contract_with_a_club_joined_it_unless_it_is_a_new_one() -> None:
    assert ("deal_done", "Yusuf Kaya", "Everton") in keys(
        "Yusuf Kaya has signed a four-year contract with Everton."
    )
    assert "deal_done" not in kinds("Yusuf Kaya has signed a new contract with Everton.")
    assert "deal_done" not in kinds("Yusuf Kaya is expected to sign a contract with Everton.")
