"""The source registry: aliases, slips, unknown outlets, dated tiers, mentions in text."""

from __future__ import annotations

from datetime import date

import pytest
from rapidfuzz import fuzz

from ledger.entities.names import slugify
from ledger.entities.sources import (
    SOURCE_FUZZY_MIN_LENGTH,
    SOURCE_FUZZY_THRESHOLD,
    Source,
    SourceRegistry,
    source_registry,
)
from ledger.errors import LedgerError, UnknownNameError

REQUIRED = [
    "GIVEMESPORT", "Sky Sports", "Sky Deutschland", "Sky Sport Italia", "Caught Offside",
    "Fabrizio Romano", "Alasdair Gold", "The Athletic", "David Ornstein", "BBC Sport",
    "Football.London", "The Guardian", "The Times", "The Telegraph", "Daily Mail", "The Sun",
    "Mirror", "Evening Standard", "ESPN", "L'Équipe", "RMC Sport", "Bild", "Kicker", "Marca", "AS",
    "Mundo Deportivo", "Sport", "Gazzetta dello Sport", "Corriere dello Sport", "Calciomercato",
    "Record", "A Bola", "O Jogo", "Foot Mercato", "Florian Plettenberg", "Gianluca Di Marzio",
    "Matteo Moretto", "Ben Jacobs", "Dean Jones", "Simon Jones", "Paul Joyce", "Chris Wheatley",
    "TEAMtalk", "90min", "Football Insider",
]  # fmt: skip


def resolve_id(name: str) -> str:
    return source_registry().resolve(name).id


@pytest.mark.parametrize("name", REQUIRED)
def test_every_required_source_is_listed(name: str) -> None:
    source = source_registry().resolve(name)
    assert source.known
    assert source.name == name


def test_source_ids_are_the_slugs_of_their_names() -> None:
    sources = source_registry().all()
    assert [s.id for s in sources] == sorted(slugify(s.name) for s in sources)


@pytest.mark.parametrize(
    "alias", ["GMS", "GIVEMESPORT", "Give Me Sport", "GiveMeSport", "gms sources", "give-me-sport"]
)
def test_every_spelling_of_givemesport_is_one_source(alias: str) -> None:
    assert resolve_id(alias) == "givemesport"


@pytest.mark.parametrize(
    ("name", "source_id"),
    [
        ("l'equipe", "l-equipe"),
        ("L’ÉQUIPE", "l-equipe"),
        ("Football London", "football-london"),
        ("football.london", "football-london"),
        ("CaughtOffside", "caught-offside"),
        ("Sky Germany", "sky-deutschland"),
        ("Sky Sport Germany", "sky-deutschland"),
        ("The Athletic FC", "the-athletic"),
        ("Athletic", "the-athletic"),
        ("BBC", "bbc-sport"),
        ("Romano", "fabrizio-romano"),
        ("  Fabrizio  ", "fabrizio-romano"),
    ],
)
def test_names_resolve_whatever_their_case_accents_and_punctuation(
    name: str, source_id: str
) -> None:
    assert resolve_id(name) == source_id


def test_the_common_misspelling_of_alasdair_gold_is_an_alias() -> None:
    assert resolve_id("Alisdair Gold") == "alasdair-gold"


def test_a_slip_just_above_the_fuzzy_threshold_resolves() -> None:
    assert SOURCE_FUZZY_THRESHOLD < fuzz.ratio("david ornstien", "david ornstein") < 93
    assert resolve_id("David Ornstien") == "david-ornstein"


def test_a_slip_just_below_the_fuzzy_threshold_is_a_new_source() -> None:
    assert 88 < fuzz.ratio("david orstien", "david ornstein") < SOURCE_FUZZY_THRESHOLD
    source = source_registry().resolve("David Orstien")
    assert (source.id, source.known) == ("david-orstien", False)


def test_short_names_are_never_fuzzy_matched() -> None:
    assert len("reuter") < SOURCE_FUZZY_MIN_LENGTH <= len("reuterss")
    assert fuzz.ratio("reuter", "reuters") > SOURCE_FUZZY_THRESHOLD
    assert not source_registry().resolve("Reuter").known
    assert resolve_id("Reuterss") == "reuters"


def test_an_unknown_source_is_kept_as_a_new_outlet() -> None:
    source = source_registry().resolve("  Spurs Weekly Podcast ")
    assert source == Source("spurs-weekly-podcast", "Spurs Weekly Podcast", "outlet", known=False)


@pytest.mark.parametrize("name", ["", "   ", "!!!", "1234", "x" * 121, "Sky\x00Sports", "a\nb"])
def test_text_that_cannot_be_a_source_name_is_refused(name: str) -> None:
    with pytest.raises(UnknownNameError):
        source_registry().resolve(name)


def test_a_tier_change_applies_from_its_date() -> None:
    registry = source_registry()
    assert registry.tier("givemesport", date(2024, 6, 30)) == 4
    assert registry.tier("givemesport", date(2024, 7, 1)) == 3
    assert registry.tier("caught-offside", date(2023, 6, 30)) == 4
    assert registry.tier("caught-offside", date(2025, 1, 5)) == 5


def test_no_tier_before_the_first_rating_or_for_unknown_sources() -> None:
    assert source_registry().tier("givemesport", date(2013, 12, 31)) is None
    assert source_registry().tier("spurs-weekly-podcast", date(2025, 1, 1)) is None


def test_every_listed_source_is_rated_within_one_to_five() -> None:
    registry = source_registry()
    tiers = [registry.tier(s.id, date(2025, 6, 1)) for s in registry.all()]
    assert all(tier is not None and 1 <= tier <= 5 for tier in tiers)


def test_the_registry_is_loaded_once() -> None:
    assert source_registry() is source_registry()


def test_an_alias_naming_two_sources_is_rejected() -> None:
    sources = [Source("a", "Alpha Post", "outlet", True), Source("b", "Beta Post", "outlet", True)]
    with pytest.raises(LedgerError, match="two sources"):
        SourceRegistry(sources, [("a", "The Post"), ("b", "The Post")], [])


def test_an_alias_of_an_unlisted_source_is_rejected() -> None:
    sources = [Source("a", "Alpha Post", "outlet", True)]
    with pytest.raises(LedgerError, match="unknown source"):
        SourceRegistry(sources, [("zeta", "Zeta")], [])


ARTICLE = (
    "Tottenham want one more centre-back before the deadline, GMS sources understand. "
    "According to Sky Germany, the defender's clause falls to €15m in the summer.\n"
    "Fabrizio Romano adds that the loan carries an obligation to buy. "
    "AS Monaco have asked about him too, although AS insist Real Madrid are not involved. "
    "The story was first carried by L’Équipe and later confirmed by RMC. "
    "Football.London's Alisdair Gold says talks are at an early stage; the sun was out and "
    "the record fee stands."
)


def test_sources_are_found_in_running_text_with_their_spans() -> None:
    mentions = source_registry().find_mentions(ARTICLE)
    assert [(m.surface, m.source.id) for m in mentions] == [
        ("GMS sources", "givemesport"),
        ("Sky Germany", "sky-deutschland"),
        ("Fabrizio Romano", "fabrizio-romano"),
        ("AS", "as"),
        ("L’Équipe", "l-equipe"),
        ("RMC", "rmc-sport"),
        ("Football.London", "football-london"),
        ("Alisdair Gold", "alasdair-gold"),
    ]
    assert all(ARTICLE[m.start : m.end] == m.surface for m in mentions)


def test_the_longest_name_wins_where_names_overlap() -> None:
    mentions = source_registry().find_mentions("Gianluca Di Marzio and Sky Sports News agree.")
    assert [m.surface for m in mentions] == ["Gianluca Di Marzio", "Sky Sports News"]


def test_a_name_is_not_joined_across_a_line_or_sentence_break() -> None:
    assert source_registry().find_mentions("He watched Sky\nSports fans leave.") == []
    assert source_registry().find_mentions("Fans of Football. London is busy.") == []


def test_acronyms_must_be_written_in_capitals() -> None:
    assert source_registry().find_mentions("as per the bbc and gms") == []
    assert [m.surface for m in source_registry().find_mentions("as per the BBC")] == ["BBC"]
