"""Who a reference means: live-blog entries start afresh, and descriptions, nicknames and
coordinated clubs resolve against what the text has just been talking about."""

from __future__ import annotations

from ledger.extract import ExtractedClaim, extract_claims, parse_article
from ledger.extract.document import analyse, refers_to_player


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2021-01-20 {text}", "salience.txt"))


def keys(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


def test_a_new_live_blog_entry_does_not_carry_the_previous_entrys_player() -> None:
    text = (
        "Transfer deadline day, live\n\n"
        "10:02\nBurnley move for Dean Marsh\n\n"
        "Burnley have made a £2m bid for Dean Marsh.\n\n"
        "11:40\nSunderland stand firm\n\n"
        "Sunderland insist he is not for sale."
    )
    found = keys(text)
    assert ("bid", "Dean Marsh", "Burnley") in found
    assert not {k for k in found if k[0] == "blocked"}


def test_a_section_heading_naming_nobody_keeps_the_story_player() -> None:
    text = (
        "Burnley make move for striker\n\n"
        "Burnley have made a £2m bid for Sunderland striker Dean Marsh.\n\n"
        "Staying put\n\n"
        "Sunderland insist he is not for sale."
    )
    assert ("blocked", "Dean Marsh", "Burnley") in keys(text)


def test_a_description_means_the_latest_club_of_the_entry_it_fits() -> None:
    text = (
        "Transfer news, live\n\n"
        "09:15\nChelsea eye Berg\n\n"
        "Chelsea are keen on Brentford striker Ola Berg.\n\n"
        "11:05\nVilla stand firm over Ode\n\n"
        "Fulham want Aston Villa defender Sam Ode. Aston Villa have rejected an offer from the "
        "London club for the defender."
    )
    found = keys(text)
    assert ("bid_rejected", "Sam Ode", "Fulham") in found
    assert ("bid_rejected", "Sam Ode", "Chelsea") not in found


def test_a_description_prefers_the_first_fitting_club_of_the_latest_sentence() -> None:
    text = (
        "Lazio are interested in Benfica winger Tiago Mota.\n\n"
        "Mota joined Benfica from Braga in 2019 for €4m. The Portuguese club have rejected a "
        "€20m bid from Lazio for the winger."
    )
    rejected = [c for c in claims(text) if c.kind == "bid_rejected"]
    assert [(c.club, c.from_club) for c in rejected] == [("Lazio", "Benfica")]


def test_a_description_by_a_word_of_a_clubs_name_means_that_club() -> None:
    text = (
        "Borussia Dortmund and Sevilla both want Sam Ode.\n\n"
        "The Dortmund club have now made a £9m bid for Sam Ode."
    )
    found = keys(text)
    assert ("bid", "Sam Ode", "Borussia Dortmund") in found
    assert ("bid", "Sam Ode", "Sevilla") not in found


def test_a_nationality_in_the_singular_is_a_person_and_a_people_in_the_plural_a_club() -> None:
    text = (
        "Napoli and Chelsea are monitoring Sam Ode.\n\n"
        "Chelsea have made a bid for Ode, and the Italian has told his players to stay calm.\n\n"
        "Barcelona watched him too. The Catalans have since made a €9m bid for Sam Ode."
    )
    found = keys(text)
    assert ("bid", "Sam Ode", "Napoli") not in found
    assert ("bid", "Sam Ode", "Barcelona") in found


def claimed(text: str, kind: str) -> list[tuple[str, str | None, str | None]]:
    return sorted((c.player, c.club, c.from_club) for c in claims(text) if c.kind == kind)


def test_two_clubs_in_talks_together_are_a_buyer_and_the_players_own_club() -> None:
    text = (
        "Genoa midfielder Sam Ode is wanted in Bergamo.\n\n"
        "Genoa and Atalanta are in talks over the 24-year-old."
    )
    assert claimed(text, "talks") == [("Sam Ode", "Atalanta", "Genoa")]


def test_the_two_clubs_apart_on_a_fee_are_one_negotiation_not_two_buyers() -> None:
    text = (
        "Negotiations between Atalanta and Genoa over Sam Ode have stalled. "
        "The two clubs remain £2m apart."
    )
    assert claimed(text, "talks") == [("Sam Ode", "Atalanta", "Genoa")]


def test_two_clubs_closing_a_deal_make_the_partner_of_the_buyer_the_seller() -> None:
    text = (
        "Atalanta move for Ode\n\n"
        "Atalanta and Genoa have closed the deal for Sam Ode, who is set to join on loan."
    )
    agreed = claimed(text, "deal_agreed")
    assert agreed == [("Sam Ode", "Atalanta", "Genoa")]


def test_two_clubs_keen_on_a_player_are_both_interested() -> None:
    text = "Atalanta and Genoa are keen on Sam Ode."
    assert [club for _, club, _ in claimed(text, "interest")] == ["Atalanta", "Genoa"]


def test_a_dialogue_with_a_club_makes_it_the_seller() -> None:
    text = "Atalanta are pressing on: the dialogue with Genoa for Sam Ode is ongoing."
    assert claimed(text, "talks") == [("Sam Ode", "Atalanta", "Genoa")]


def test_of_two_people_named_the_one_written_with_his_club_is_who_the_story_turns_to() -> None:
    text = (
        "Leeds United have ended their pursuit of Braga midfielder Tiago Mota.\n\n"
        "Marco Vance has instead picked out Burnley's Dean Marsh as the alternative. Leeds "
        "United have had a £9m offer for the midfielder accepted."
    )
    assert claimed(text, "bid_accepted") == [("Dean Marsh", "Leeds United", "Burnley")]


def resolved(text: str) -> list[tuple[str, str]]:
    doc = analyse(parse_article(f"date 2021-01-20 {text}", "salience.txt"), None, ())
    return [(doc.article.body[r.start : r.end], r.club.id) for r in doc.clubs.refs]


def test_a_shared_nickname_is_the_owner_the_latest_sentence_names() -> None:
    text = (
        "Crystal Palace were keen earlier in the summer.\n\n"
        "Chelsea have bid €20m for Benfica full-back Rui Mota. The Eagles want €30m."
    )
    assert ("Eagles", "benfica") in resolved(text)


def test_a_shared_nickname_stays_unresolved_when_the_latest_sentence_names_two_owners() -> None:
    text = "Crystal Palace and Benfica met on Monday. The Eagles want €30m."
    assert [surface for surface, _ in resolved(text)] == ["Crystal Palace", "Benfica"]


def test_personal_terms_with_a_clubs_own_player_are_with_the_club_signing_him() -> None:
    text = "Chelsea have agreed personal terms with Benfica's teenage full-back Rui Mota."
    assert claimed(text, "personal_terms") == [("Rui Mota", "Chelsea", "Benfica")]


def test_a_clubs_city_region_or_ground_describes_it() -> None:
    text = (
        "Fiorentina and Torino both want Sam Ode, and Rangers and Celtic are watching.\n\n"
        "The Florence club have made a €5m bid for Ode. The Ibrox club have made a £4m bid "
        "for Ode too."
    )
    bids = {club for _, club, _ in claimed(text, "bid")}
    assert bids == {"Fiorentina", "Rangers"}


def test_a_region_describes_the_club_of_that_region() -> None:
    text = (
        "Villarreal and Real Sociedad are in the running for Sam Ode, and Villarreal are the "
        "favourites.\n\n"
        "The Basque club have made a €5m bid for Ode."
    )
    assert [club for _, club, _ in claimed(text, "bid")] == ["Real Sociedad"]


def test_a_club_demanding_a_fee_is_the_seller() -> None:
    text = "Burnley have opened talks over Sam Ode, but Sunderland are demanding £8m."
    assert claimed(text, "talks") == [("Sam Ode", "Burnley", "Sunderland")]


def test_a_nation_of_several_words_before_a_position_is_not_a_player() -> None:
    text = "Sevilla are in talks with Lille over Ivory Coast striker Sam Ode."
    assert claimed(text, "talks") == [("Sam Ode", "Sevilla", "Lille")]


def test_a_club_a_player_scored_against_is_no_party_to_his_transfer() -> None:
    text = "Sevilla had scouts watching Sam Ode score twice against Real Betis on Sunday."
    assert {club for _, club, _ in claimed(text, "interest")} == {"Sevilla"}


def test_a_player_signed_from_a_club_last_month_now_plays_for_the_club_the_story_is_about() -> None:
    text = (
        "Burnley prepare for the derby\n\n"
        "Burnley have been linked with Hull City winger Tom Clay this week.\n\n"
        "Dean Marsh, signed from Sunderland last month for £3m, is expected to start."
    )
    assert claimed(text, "deal_done") == [("Dean Marsh", "Burnley", "Sunderland")]


def test_a_town_a_player_moved_to_is_the_named_club_of_that_town() -> None:
    text = (
        "Fiorentina lost at home on Sunday.\n\n"
        "Juventus want Sam Ode, and Juventus have asked about him twice.\n\n"
        "Ode moved to Florence from Genoa in 2019. He has scored ten goals this season."
    )
    assert claimed(text, "deal_done") == [("Sam Ode", "Fiorentina", "Genoa")]


def test_the_club_a_player_once_moved_from_is_not_his_club_now() -> None:
    text = (
        "Burnley want Sam Ode.\n\n"
        "Ode joined Sunderland's rivals from Hull City in 2019. Burnley have now made a £4m bid "
        "for him."
    )
    assert [seller for _, _, seller in claimed(text, "bid")] != ["Hull City"]


def test_a_single_name_after_a_signing_verb_is_a_player() -> None:
    text = "Sevilla have opened talks with Lille about bringing Okoro back to Spain."
    assert claimed(text, "talks") == [("Okoro", "Sevilla", "Lille")]


def test_a_demonym_after_a_speaker_means_the_story_player_not_the_speaker() -> None:
    text = (
        "Leeds United want Burnley midfielder Dean Marsh.\n\n"
        "Tom Hale said on Friday that the Englishman was not for sale despite Leeds United's "
        "interest."
    )
    players = {c.player for c in claims(text)}
    assert players == {"Dean Marsh"}


def test_a_demonym_before_a_noun_describes_the_noun_not_a_player() -> None:
    assert refers_to_player("the Brazilian, who joined in 2019")
    assert not refers_to_player("the Italian club have")
    assert not refers_to_player("the Dutch press")


def test_an_outlets_person_is_its_reporter_not_a_player() -> None:
    text = (
        "Burnley midfielder Dean Marsh is attracting attention.\n\n"
        "Leeds United have made a £5m bid, according to the Mirror's Tom Hale."
    )
    assert {c.player for c in claims(text)} == {"Dean Marsh"}


def test_a_club_refusing_to_sell_a_player_is_his_club_for_the_whole_sentence() -> None:
    text = (
        "Sunderland have held no talks with Leeds United about striker Dean Marsh and have "
        "no intention of selling him, the club said on Monday."
    )
    found = claims(text)
    assert {c.club for c in found} == {"Leeds United"}
    assert {c.from_club for c in found} == {"Sunderland"}


def test_a_team_mate_of_a_club_plays_for_that_club() -> None:
    text = "Leeds United are keen on his Burnley team-mate Tom Clay."
    assert claimed(text, "interest") == [("Tom Clay", "Leeds United", "Burnley")]
    aside = "He misses his Burnley team-mate - and fellow academy graduate - Tom Clay."
    doc = analyse(parse_article(f"date 2021-01-20 {aside}", "salience.txt"), None, ())
    assert doc.clubs.memory["Tom Clay"].name == "Burnley"


def test_a_club_unknown_to_the_registry_that_a_player_came_from_is_not_a_player() -> None:
    text = (
        "Aston Villa want Monaco defender Sam Ode.\n\n"
        "The 22-year-old joined Monaco from Olympique Tunis in 2021."
    )
    assert {c.player for c in claims(text)} == {"Sam Ode"}


def test_an_agreement_in_principle_with_a_club_makes_it_the_seller() -> None:
    text = "Burnley have reached an agreement in principle with Sunderland for Dean Marsh."
    assert claimed(text, "deal_agreed") == [("Dean Marsh", "Burnley", "Sunderland")]


def test_the_club_a_player_joins_is_the_club_the_sentence_has_just_named() -> None:
    text = (
        "Leeds United were beaten on Saturday.\n\n"
        "Burnley have completed the signing of Dean Marsh after his Leeds United contract "
        "expired, and goalkeeper Tom Clay has joined the club from Sunderland."
    )
    assert ("deal_done", "Tom Clay", "Burnley") in keys(text)
