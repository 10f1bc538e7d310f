"""Shared nicknames resolve only to a club the text names, and never lose to a namesake's name."""

from __future__ import annotations

import pytest

from ledger.entities.club_model import Club
from ledger.entities.clubs import ClubRegistry, club_registry
from ledger.errors import AmbiguousNameError


def _club(club_id: str, name: str, country: str, league: str) -> Club:
    return Club(id=club_id, name=name, country=country, league=league, league_rank=1)


@pytest.fixture(scope="module")
def registry() -> ClubRegistry:
    clubs = [
        _club("newcastle-united", "Newcastle United", "ENG", "Premier League"),
        # A club whose own name is a word other clubs are nicknamed by, in a recorded league
        # so that its one-word name is scanned in text.
        _club("fc-magpies", "FC Magpies", "GI", "Gibraltar National League"),
        _club("chelsea", "Chelsea", "ENG", "Premier League"),
        _club("everton", "Everton", "ENG", "Premier League"),
        _club("crystal-palace", "Crystal Palace", "ENG", "Premier League"),
        _club("benfica", "Benfica", "PT", "Primeira Liga"),
        _club("arsenal", "Arsenal", "ENG", "Premier League"),
    ]
    aliases = [
        ("newcastle-united", "Newcastle", "newsroom"),
        ("newcastle-united", "Magpies", "nickname"),
        ("fc-magpies", "Magpies", "name"),
        ("chelsea", "Blues", "nickname"),
        ("everton", "Blues", "nickname"),
        ("everton", "Toffees", "nickname"),
        ("crystal-palace", "Eagles", "nickname"),
        ("benfica", "Eagles", "nickname"),
        ("arsenal", "Gunners", "nickname"),
    ]
    return ClubRegistry(clubs, aliases)


def _clubs_found(registry: ClubRegistry, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.club.id) for m in registry.find_mentions(text, allow_nicknames=True)]


def test_a_named_clubs_nickname_beats_another_clubs_name_in_text(registry: ClubRegistry) -> None:
    text = "Newcastle have bid again. Magpies chiefs expect an answer."
    assert _clubs_found(registry, text) == [
        ("Newcastle", "newcastle-united"),
        ("Magpies", "newcastle-united"),
    ]


def test_a_named_clubs_nickname_beats_another_clubs_name_when_resolved(
    registry: ClubRegistry,
) -> None:
    found = registry.resolve("Magpies", allow_nicknames=True, named={"newcastle-united"})
    assert found.id == "newcastle-united"
    assert registry.resolve("the Magpies", allow_nicknames=True).id == "fc-magpies"


def test_a_name_keeps_its_own_club_when_that_club_is_named(registry: ClubRegistry) -> None:
    text = "FC Magpies and Newcastle met. Magpies officials said no."
    assert _clubs_found(registry, text)[-1] == ("Magpies", "fc-magpies")
    named = {"newcastle-united", "fc-magpies"}
    assert registry.resolve("Magpies", allow_nicknames=True, named=named).id == "fc-magpies"


def test_a_shared_nickname_goes_to_the_one_named_club_it_belongs_to(
    registry: ClubRegistry,
) -> None:
    text = "Benfica are keen, and the Eagles have made contact with Arsenal."
    assert _clubs_found(registry, text) == [
        ("Benfica", "benfica"),
        ("Eagles", "benfica"),
        ("Arsenal", "arsenal"),
    ]
    found = registry.resolve("Eagles", allow_nicknames=True, named={"benfica", "arsenal"})
    assert found.id == "benfica"


def test_a_nickname_several_named_clubs_share_names_none_of_them(registry: ClubRegistry) -> None:
    text = "Chelsea and Everton both asked, and the Blues are favourites."
    assert _clubs_found(registry, text) == [("Chelsea", "chelsea"), ("Everton", "everton")]
    with pytest.raises(AmbiguousNameError) as caught:
        registry.resolve("Blues", allow_nicknames=True, named={"chelsea", "everton"})
    assert set(caught.value.candidates) == {"Chelsea", "Everton"}


def test_a_shared_nickname_with_no_owner_named_names_no_club(registry: ClubRegistry) -> None:
    assert _clubs_found(registry, "The Blues and the Eagles want him.") == []


def test_a_nickname_of_one_club_stands_without_its_club_named(registry: ClubRegistry) -> None:
    assert _clubs_found(registry, "The Gunners and the Toffees want him.") == [
        ("Gunners", "arsenal"),
        ("Toffees", "everton"),
    ]


# The shipped vocabulary: newsroom short forms, other languages' names and nicknames in English
# and in the home language, each written as a club it belongs to is named beside it.
SHIPPED_FORMS = [
    ("Man Utd", "manchester-united"),
    ("Spurs", "tottenham-hotspur"),
    ("Wolves", "wolverhampton-wanderers"),
    ("Forest", "nottingham-forest"),
    ("Gladbach", "borussia-monchengladbach"),
    ("PSG", "paris-saint-germain"),
    ("Leverkusen", "bayer-leverkusen"),
    ("Barca", "barcelona"),
    ("Atleti", "atletico-madrid"),
    ("Inter", "inter-milan"),
    ("Juve", "juventus"),
    ("Sporting", "sporting-cp"),
    ("PSV", "psv-eindhoven"),
    ("West Brom", "west-bromwich-albion"),
    ("Bayern München", "bayern-munich"),
    ("Internazionale", "inter-milan"),
    ("Olympique de Marseille", "marseille"),
    ("l'OM", "marseille"),
    ("Sporting Lisbon", "sporting-cp"),
    ("Atlético de Madrid", "atletico-madrid"),
    ("FC Porto", "porto"),
    ("Al Nassr", "al-nassr"),
]
SHIPPED_NICKNAMES = [
    ("the Gunners", "arsenal"),
    ("les Sang et Or", "lens"),
    ("the Toffees", "everton"),
    ("the Rossoneri", "ac-milan"),
    ("los Blancos", "real-madrid"),
    ("die Fohlen", "borussia-monchengladbach"),
    ("the Red Devils", "manchester-united"),
    ("the Old Lady", "juventus"),
    ("the Verdiblancos", "real-betis"),
    ("the Royal Blues", "schalke-04"),
    ("the Terriers", "huddersfield-town"),
    ("the Steelmen", "motherwell"),
    ("the Aiglons", "nice"),
    ("the Dragões", "porto"),
    ("the Rubro-Negro", "flamengo"),
    ("the Hessians", "eintracht-frankfurt"),
    ("the Xeneizes", "boca-juniors"),
]


@pytest.mark.parametrize(("form", "club_id"), SHIPPED_FORMS)
def test_shipped_newsroom_and_foreign_forms_resolve(form: str, club_id: str) -> None:
    assert club_registry().resolve(form).id == club_id


@pytest.mark.parametrize(("nickname", "club_id"), SHIPPED_NICKNAMES)
def test_shipped_nicknames_resolve_beside_their_club(nickname: str, club_id: str) -> None:
    registry = club_registry()
    name = registry.get(club_id).name
    text = f"{name} are ready to sell, and {nickname} expect bids this week."
    found = [(m.surface, m.club.id) for m in registry.find_mentions(text, allow_nicknames=True)]
    assert found[-1] == (nickname.split(" ", 1)[1], club_id)
    assert registry.resolve(nickname, allow_nicknames=True, named={club_id}).id == club_id


@pytest.mark.parametrize(
    ("nickname", "owners"),
    [
        ("Blues", {"chelsea", "everton", "manchester-city", "birmingham-city"}),
        ("Eagles", {"crystal-palace", "benfica", "lazio"}),
        ("Magpies", {"newcastle-united", "notts-county"}),
        ("Saints", {"southampton", "st-mirren", "st-johnstone"}),
    ],
)
def test_shared_nicknames_are_kept_with_every_owner(nickname: str, owners: set[str]) -> None:
    registry = club_registry()
    for owner in owners:
        assert registry.resolve(nickname, allow_nicknames=True, named={owner}).id == owner
    with pytest.raises(AmbiguousNameError):
        registry.resolve(nickname, allow_nicknames=True, named=owners)
