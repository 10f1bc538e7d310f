"""Round 4 of issue 11, the who side: people around the player who are not him, and the club a
player is written with, on sentences of our own."""

from __future__ import annotations

from ledger.extract import ExtractedClaim, extract_claims, parse_article
from ledger.extract.people import find_people


def claims(text: str) -> list[ExtractedClaim]:
    return extract_claims(parse_article(f"date 2022-07-14 {text}", "who.txt"))


def players(text: str) -> set[str]:
    return {c.player for c in claims(text)}


def keys(text: str) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.player, c.club) for c in claims(text)}


def test_someone_who_wants_the_player_is_not_the_player() -> None:
    text = (
        "Brentford close in on Halvorsen\n\n"
        "Brentford are interested in Molde winger Sindre Halvorsen. Tobias Krane wants the "
        "23-year-old for next season, and Molde are asking for £6m."
    )
    found = players(text)
    assert "Sindre Halvorsen" in found
    assert "Tobias Krane" not in found


def test_someone_who_has_watched_him_is_not_the_player() -> None:
    text = (
        "Wolves are keen on Braga striker Rui Tavolaro. Dario Menotti has personally watched "
        "him three times and Braga want €9m for him."
    )
    assert "Dario Menotti" not in players(text)


def test_a_manager_named_as_coached_by_is_not_the_player() -> None:
    text = (
        "Al-Shabab, coached by Pablo Ferrante, have completed the signing of Hibernian "
        "midfielder Gregor Mackail."
    )
    found = players(text)
    assert "Gregor Mackail" in found
    assert "Pablo Ferrante" not in found


def eligible(body: str, clubs: list[tuple[int, int]] | None = None) -> dict[str, bool]:
    found = find_people(body, clubs or [], clubs=clubs or [])
    return {person.name: person.eligible for person in found}


def test_a_manager_counting_his_signings_is_not_a_target() -> None:
    body = "Kai Ellery would be Colin Breward's second signing of the summer."
    assert eligible(body) == {"Kai Ellery": True, "Colin Breward": False}


def test_a_nationality_after_a_clubs_possessive_is_not_a_person() -> None:
    body = "Brighton are keen on Genk's Malian midfielder Bakary Doumbouya."
    genk = body.index("Genk")
    brighton = (0, len("Brighton"))
    found = eligible(body, [brighton, (genk, genk + len("Genk"))])
    assert found == {"Bakary Doumbouya": True}


def test_the_club_before_a_nationality_and_a_position_is_the_players_club() -> None:
    text = "Brighton are keen on Genk's Ghanaian midfielder Kwabena Osei-Tutu."
    (claim,) = [c for c in claims(text) if c.kind == "interest"]
    assert claim.from_club == "Genk"


def test_a_club_signing_a_player_of_some_nationality_is_his_buyer() -> None:
    text = (
        "Al-Nassr sign Fontes\n\nAl-Nassr have signed Brazilian defender Leandro Fontes from "
        "Porto for €11m."
    )
    found = keys(text)
    assert ("deal_done", "Leandro Fontes", "Al-Nassr") in found


def test_the_club_an_offer_is_made_to_is_the_seller() -> None:
    text = (
        "Lanus have formally made an offer to Velez Sarsfield for Tomas Ibarguren, Ole has learned."
    )
    found = keys(text)
    assert ("bid", "Tomas Ibarguren", "Lanús") in found
    assert not any(club == "Vélez Sarsfield" for _, _, club in found)


def test_a_club_named_in_an_apposition_after_the_player_is_his() -> None:
    text = (
        "Hoffenheim enquired on Monday about Jannik Vesterholt, Mainz's 24-year-old "
        "centre-back. Mainz told them he is not for sale."
    )
    found = keys(text)
    assert ("enquiry", "Jannik Vesterholt", "Hoffenheim") in found
    assert not any(club == "Mainz 05" for _, _, club in found)


def test_a_clubs_incoming_player_is_not_yet_its_player() -> None:
    text = (
        "Fulham's incoming winger Radek Sobczak will have a medical in London today. Fulham and "
        "Lech Poznan agreed a £14m fee on Sunday."
    )
    found = keys(text)
    assert ("medical", "Radek Sobczak", "Fulham") in found
    assert not any(club == "Lech Poznań" for _, _, club in found)


def test_a_player_named_after_meanwhile_is_who_the_next_reference_means() -> None:
    text = (
        "Rangers rebuffed again over Lindgren\n\n"
        "Hearts have rejected a second Rangers bid for striker Oskar Lindgren. Meanwhile, "
        "Motherwell are finalising the paperwork for the transfer of Irish right-back Declan "
        "Furlong. The "
        "30-year-old will undergo a medical on Thursday."
    )
    medicals = {c.player for c in claims(text) if c.kind == "medical"}
    assert medicals == {"Declan Furlong"}


def test_a_club_rebuffed_over_a_player_is_his_bidder() -> None:
    text = (
        "Rangers rebuffed again over Lindgren\n\n"
        "Hearts have rejected a second Rangers bid for striker Oskar Lindgren."
    )
    assert ("bid_rejected", "Oskar Lindgren", "Rangers") in keys(text)


def test_a_club_that_has_been_rebuffed_is_the_bidder() -> None:
    text = (
        "Kilmarnock have been rebuffed again by Dundee United, who rejected their bid for winger "
        "Ewan Strachan."
    )
    (claim,) = [c for c in claims(text) if c.kind == "bid_rejected"]
    assert (claim.club, claim.from_club) == ("Kilmarnock", "Dundee United")


def test_the_town_after_a_club_and_of_is_not_a_person() -> None:
    body = "Tomas Ibarguren came through at Nacional of Punta Carretas before moving."
    nacional = body.index("Nacional")
    found = eligible(body, [(nacional, nacional + len("Nacional"))])
    assert found == {"Tomas Ibarguren": True, "Punta Carretas": False}


def test_a_clubs_signing_of_a_player_makes_it_the_buyer() -> None:
    text = (
        "Reading's proposed signing of midfielder Lasse Bjerregaard from Midtjylland has collapsed "
        "after a failed medical."
    )
    (claim,) = [c for c in claims(text) if c.kind == "collapsed"]
    assert (claim.club, claim.from_club) == ("Reading", "FC Midtjylland")
