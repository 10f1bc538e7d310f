"""Who said it, which club a nickname or pronoun means, and which people are targets."""

from __future__ import annotations

from ledger.entities.players import KnownPlayer
from ledger.extract import ExtractedClaim, extract_claims, parse_article


def claims(
    text: str, *, publisher: str | None = None, known: tuple[KnownPlayer, ...] = ()
) -> list[ExtractedClaim]:
    article = parse_article(f"date 2025-01-10 {text}", "test.txt")
    return extract_claims(article, publisher=publisher, known_players=known)


def sources(text: str, publisher: str | None = None) -> list[str]:
    return [c.source for c in claims(text, publisher=publisher)]


# --- attribution -------------------------------------------------------------------------------


def test_according_to_names_the_source() -> None:
    text = "Brentford are monitoring Lyon winger Yanis Berrada, according to Sky Sports."
    assert sources(text) == ["Sky Sports"]


def test_per_and_as_per_name_the_source() -> None:
    assert sources("Brentford are keen on Lyon winger Yanis Berrada, per Fabrizio Romano.") == [
        "Fabrizio Romano"
    ]
    assert sources("Brentford are keen on Lyon winger Yanis Berrada, as per Caught Offside.") == [
        "Caught Offside"
    ]


def test_outlet_sources_and_reports_name_the_source_by_its_alias() -> None:
    assert sources("GMS sources say Brentford are keen on Lyon winger Yanis Berrada.") == [
        "GIVEMESPORT"
    ]
    assert sources("Kicker reports that Brentford are keen on Lyon winger Yanis Berrada.") == [
        "Kicker"
    ]


def test_an_unlisted_outlet_after_according_to_is_kept_as_written() -> None:
    text = "Brentford are keen on Lyon winger Yanis Berrada, according to the Lyon Gazette Daily."
    assert sources(text) == ["Lyon Gazette Daily"]


def test_the_report_states_points_back_to_the_source_cited_before() -> None:
    text = (
        "Brentford want a winger, according to Marca.\n\n"
        "The report states that Brentford have enquired about Lyon winger Yanis Berrada."
    )
    assert sources(text, publisher="Daily Blog") == ["Marca"]


def test_a_source_in_the_opening_paragraph_covers_the_whole_story() -> None:
    text = (
        "Brentford are keen on Lyon winger Yanis Berrada, as per Caught Offside.\n\n"
        "Brentford have since opened talks with Lyon."
    )
    assert set(sources(text, publisher="Daily Blog")) == {"Caught Offside"}


def test_an_uncited_claim_falls_back_to_the_publisher_then_unknown() -> None:
    text = "Brentford have opened talks with Lyon over winger Yanis Berrada."
    assert sources(text, publisher="Daily Blog") == ["Daily Blog"]
    assert sources(text) == ["unknown"]


def test_a_source_cited_inside_an_aside_is_credited_with_the_claim_in_that_aside() -> None:
    # Issue 12's Disasi point: the loan in the aside is the cited journalist's; the failed
    # move around it is the outlet's own report.
    text = (
        "Spurs news.\n\nElsewhere, Fulham's failure to agree a fee with Lyon for Yanis Berrada "
        "– who is set to join Brentford on loan, per Fabrizio Romano – is a blow for the club."
    )
    found = {(c.kind, c.club): c.source for c in claims(text, publisher="Daily Blog")}
    assert found[("deal_agreed", "Brentford")] == "Fabrizio Romano"
    assert all(source == "Daily Blog" for (_, club), source in found.items() if club != "Brentford")


# --- clubs: nicknames, descriptions, pronouns ---------------------------------------------------


def test_a_nickname_resolves_when_the_club_is_named_in_the_article() -> None:
    text = "Tottenham need a defender.\n\nThe Lilywhites are monitoring Lens defender Kevin Mbala."
    assert [(c.kind, c.club) for c in claims(text)] == [("interest", "Tottenham Hotspur")]


def test_a_nickname_alone_is_not_trusted() -> None:
    assert claims("The Lilywhites are monitoring Lens defender Kevin Mbala.") == []


def test_the_capital_club_is_the_one_london_club_named() -> None:
    text = "Crystal Palace need a striker.\n\nLens forward Kevin Mbala is on the radar of the capital club."
    assert [(c.kind, c.club) for c in claims(text)] == [("interest", "Crystal Palace")]


def test_a_country_description_is_the_one_club_of_that_country() -> None:
    text = (
        "Aston Villa's move for Valencia forward Ruben Soto has collapsed.\n\n"
        "Villa had agreed a £22m fee with the Spanish club."
    )
    accepted = [c for c in claims(text) if c.kind == "bid_accepted"]
    assert [(c.club, c.from_club, c.player) for c in accepted] == [
        ("Aston Villa", "Valencia", "Ruben Soto")
    ]


def test_they_means_the_articles_main_buying_club() -> None:
    text = (
        "Arsenal need a midfielder and Arsenal have scouted several.\n\n"
        "Sporting midfielder Tomas Leal is an option they like."
    )
    assert [(c.kind, c.club, c.from_club) for c in claims(text)] == [
        ("interest", "Arsenal", "Sporting CP")
    ]


def test_both_clubs_means_the_last_pair_named_together() -> None:
    text = (
        "Liverpool and Chelsea need a centre-back.\n\n"
        "Both clubs are interested in Lens defender Kevin Mbala."
    )
    assert {(c.kind, c.club) for c in claims(text)} == {
        ("interest", "Liverpool"),
        ("interest", "Chelsea"),
    }


def test_a_stadium_is_not_its_club() -> None:
    text = "Kevin Mbala was keen on moving to the Tottenham Hotspur Stadium after an approach."
    assert claims(text) == []


def test_the_players_own_club_is_never_his_buyer() -> None:
    found = claims("Lens are unwilling to sell defender Kevin Mbala, who Arsenal admire.")
    assert {(c.kind, c.club, c.from_club) for c in found} == {
        ("blocked", "Arsenal", "Lens"),
        ("interest", "Arsenal", "Lens"),
    }


# --- people -------------------------------------------------------------------------------------


def test_a_surname_and_a_misspelling_resolve_to_the_full_name_in_the_article() -> None:
    text = (
        "Gladbach defender Ko Itakura is wanted.\n\n"
        "Tottenham have turned their attention to Ikatura, and Liverpool admire Itakura too."
    )
    assert {(c.club, c.player) for c in claims(text)} == {
        ("Tottenham Hotspur", "Ko Itakura"),
        ("Liverpool", "Ko Itakura"),
    }


def test_a_surname_nobody_in_the_article_carries_is_not_a_player() -> None:
    assert claims("Tottenham are monitoring Ikatura.") == []


def test_a_known_player_is_reported_under_the_registry_name() -> None:
    known = (KnownPlayer("ko-itakura", "Ko Itakura", ("Kou Itakura",)),)
    (claim,) = claims("Liverpool are monitoring Gladbach defender Kou Itakura.", known=known)
    assert claim.player == "Ko Itakura"


def test_a_manager_is_never_a_transfer_target() -> None:
    found = claims(
        "Ange Postecoglou's Tottenham are keen on Lens defender Kevin Mbala, "
        "and Postecoglou is a long-term admirer of the defender."
    )
    assert {c.player for c in found} == {"Kevin Mbala"}


def test_someone_named_with_a_role_word_is_not_a_target() -> None:
    text = "Lens sporting director Jean Moreau insisted Napoli are monitoring defender Kevin Mbala."
    assert {c.player for c in claims(text)} == {"Kevin Mbala"}


def test_a_player_described_back_is_the_latest_target() -> None:
    text = (
        "Napoli are monitoring Lens defender Kevin Mbala.\n\n"
        "Juventus have also enquired about the 22-year-old."
    )
    assert {(c.kind, c.club, c.player) for c in claims(text)} == {
        ("interest", "Napoli", "Kevin Mbala"),
        ("enquiry", "Juventus", "Kevin Mbala"),
    }


def test_another_unnamed_player_is_not_the_latest_target() -> None:
    text = (
        "Napoli are monitoring Lens defender Kevin Mbala.\n\n"
        "They are also keen to sign another central defender."
    )
    assert [(c.kind, c.player) for c in claims(text)] == [("interest", "Kevin Mbala")]


def test_an_injured_squad_player_mentioned_beside_a_target_is_not_a_target() -> None:
    text = (
        "With Jamie Holt ruled out for months with a knee injury, Everton are monitoring "
        "Leeds winger Charlie Mills."
    )
    assert {c.player for c in claims(text)} == {"Charlie Mills"}


def test_an_article_without_transfer_talk_yields_no_claims() -> None:
    text = (
        "Bukayo Saka scored twice as Arsenal beat Southampton 3-1 on Saturday.\n\n"
        "Mikel Arteta praised his side, and Kai Havertz missed a penalty in the second half.\n\n"
        "Southampton remain bottom of the Premier League after a 2-0 loss to Chelsea last week."
    )
    assert claims(text) == []


def test_nothing_is_invented_from_a_club_list_without_a_player() -> None:
    text = "Liverpool, Chelsea and Arsenal are all looking for a new striker this summer."
    assert claims(text) == []


def test_a_single_name_pursued_or_opening_a_sentence_with_his_own_move_is_a_player() -> None:
    def players(text: str) -> set[str]:
        article = parse_article(f"date 2024-08-01 {text}", "single.txt")
        return {c.player for c in extract_claims(article)}

    assert players("Everton have made a £20m offer for Vitorino.") == {"Vitorino"}
    assert players("Everton are keen on Vitorino, according to reports.") == {"Vitorino"}
    assert players("Vitorino has joined Everton from Porto.") == {"Vitorino"}


def test_a_nationality_before_a_position_is_no_single_name_player() -> None:
    article = parse_article(
        "date 2024-08-01 Lazio want to discuss a move for Ecuadorian full-back Jhon Paredes.",
        "single.txt",
    )
    assert {c.player for c in extract_claims(article)} == {"Jhon Paredes"}
