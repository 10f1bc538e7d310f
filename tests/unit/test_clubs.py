"""Club resolution: aliases, preference between namesakes, suggestions and mentions in text."""

from __future__ import annotations

import csv
import filecmp
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from ledger.entities.club_model import Club
from ledger.entities.clubs import ClubRegistry, club_registry
from ledger.errors import AmbiguousNameError, UnknownNameError

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
OPENFOOTBALL = SHARED / "data" / "openfootball_club_aliases.csv"

# Club id → forms people write it in: seed-article forms, folded case/accents/punctuation,
# newsroom short forms and openfootball official names.
EXPECTED_ALIASES: dict[str, tuple[str, ...]] = {
    "tottenham-hotspur": (
        "Tottenham Hotspur",
        "Tottenham",
        "Spurs",
        "TOTTENHAM HOTSPUR",
        "tottenham",
        "  Spurs  ",
    ),
    "crystal-palace": ("Crystal Palace", "Palace", "C. Palace"),
    "chelsea": ("Chelsea",),
    "aston-villa": ("Aston Villa", "Villa"),
    "liverpool": ("Liverpool",),
    "borussia-monchengladbach": (
        "Borussia Mönchengladbach",
        "Borussia Monchengladbach",
        "Monchengladbach",
        "Mönchengladbach",
        "Gladbach",
        "MONCHENGLADBACH",
        "M'gladbach",
        "M’gladbach",
        "Borussia M'gladbach",
        "Mgladbach",
        "Moenchengladbach",
        "VfL Borussia Mönchengladbach",
    ),
    "manchester-city": (
        "Manchester City",
        "Man City",
        "Man. City",
        "man city",
        "Manchester City FC",
    ),
    "bologna": ("Bologna",),
    "celtic": ("Celtic",),
    "lens": ("RC Lens", "Lens", "Racing Club de Lens", "Lens FC"),
    "marseille": ("Olympique Marseille", "Marseille", "Olympique de Marseille", "OM"),
    "paris-saint-germain": (
        "Paris Saint-Germain",
        "PSG",
        "Paris SG",
        "Paris St-Germain",
        "Paris Saint Germain",
        "paris-saint-germain",
        "psg",
    ),
    "wolverhampton-wanderers": ("Wolverhampton Wanderers", "Wolves"),
    "newcastle-united": ("Newcastle United", "Newcastle", "Newcastle Utd."),
    "bayern-munich": (
        "Bayern Munich",
        "Bayern München",
        "Bayern Munchen",
        "Bayern Muenchen",
        "FC Bayern",
        "Bayern",
    ),
    "afc-bournemouth": ("Bournemouth", "AFC Bournemouth", "A.F.C. Bournemouth"),
    "arsenal": ("Arsenal", "Arsenal FC"),
    "brighton-hove-albion": ("Brighton", "Brighton & Hove Albion", "Brighton and Hove Albion"),
    "brentford": ("Brentford",),
    "everton": ("Everton",),
    "fulham": ("Fulham",),
    "ipswich-town": ("Ipswich",),
    "leicester-city": ("Leicester",),
    "manchester-united": ("Man Utd", "Man United", "Manchester Utd", "Manchester United"),
    "nottingham-forest": ("Nottm Forest", "Nott'm Forest", "Forest", "Nottingham Forest"),
    "southampton": ("Southampton",),
    "west-ham-united": ("West Ham", "West Ham United"),
    "leeds-united": ("Leeds", "Leeds United"),
    "sunderland": ("Sunderland",),
    "west-bromwich-albion": ("West Brom",),
    "queens-park-rangers": ("QPR",),
    "middlesbrough": ("Boro",),
    "swansea-city": ("Swansea",),
    "cardiff-city": ("Cardiff",),
    "sheffield-wednesday": ("Sheffield Wednesday",),
    "sheffield-united": ("Sheffield Utd",),
    "birmingham-city": ("Birmingham",),
    "wrexham": ("Wrexham",),
    "real-madrid": ("Real Madrid",),
    "barcelona": ("Barcelona", "Barca", "Barça", "FC Barcelona"),
    "atletico-madrid": ("Atleti", "Atletico Madrid", "Atlético de Madrid"),
    "real-sociedad": ("Real Sociedad",),
    "sevilla": ("Sevilla", "Sevilla FC"),
    "real-betis": ("Real Betis", "Betis"),
    "villarreal": ("Villarreal",),
    "athletic-club": ("Athletic Bilbao",),
    "valencia": ("Valencia",),
    "celta-vigo": ("Celta Vigo",),
    "girona": ("Girona",),
    "deportivo-la-coruna": ("Deportivo La Coruna",),
    "juventus": ("Juve", "Juventus"),
    "inter-milan": ("Inter", "Inter Milan", "Internazionale", "FC Internazionale Milano"),
    "ac-milan": ("AC Milan", "Milan"),
    "napoli": ("Napoli",),
    "roma": ("Roma", "AS Roma"),
    "lazio": ("Lazio",),
    "atalanta": ("Atalanta",),
    "fiorentina": ("Fiorentina",),
    "torino": ("Torino",),
    "como": ("Como",),
    "sampdoria": ("Sampdoria",),
    "bayer-leverkusen": ("Leverkusen", "Bayer Leverkusen"),
    "borussia-dortmund": ("Dortmund", "BVB", "Borussia Dortmund"),
    "rb-leipzig": ("Leipzig", "RB Leipzig"),
    "eintracht-frankfurt": ("Eintracht Frankfurt",),
    "vfb-stuttgart": ("Stuttgart",),
    "vfl-wolfsburg": ("Wolfsburg",),
    "union-berlin": ("Union Berlin",),
    "st-pauli": ("St. Pauli",),
    "schalke-04": ("Schalke",),
    "hamburger-sv": ("HSV",),
    "1-fc-koln": ("Cologne", "1. FC Köln"),
    "lyon": ("Lyon", "Olympique Lyonnais"),
    "monaco": ("Monaco", "AS Monaco"),
    "lille": ("Lille", "LOSC"),
    "nice": ("Nice", "OGC Nice"),
    "rennes": ("Rennes",),
    "saint-etienne": ("Saint-Etienne", "St Etienne"),
    "strasbourg": ("Strasbourg",),
    "benfica": ("Benfica",),
    "porto": ("Porto", "FC Porto"),
    "sporting-cp": ("Sporting CP", "Sporting Lisbon"),
    "braga": ("Braga",),
    "ajax": ("Ajax",),
    "psv-eindhoven": ("PSV", "PSV Eindhoven"),
    "feyenoord": ("Feyenoord",),
    "az-alkmaar": ("AZ",),
    "fc-twente": ("Twente",),
    "club-brugge": ("Club Brugge",),
    "anderlecht": ("Anderlecht",),
    "genk": ("Genk",),
    "union-saint-gilloise": ("Union SG",),
    "rangers": ("Rangers", "Glasgow Rangers"),
    "heart-of-midlothian": ("Hearts",),
    "hibernian": ("Hibs",),
    "aberdeen": ("Aberdeen",),
    "galatasaray": ("Galatasaray",),
    "fenerbahce": ("Fenerbahce", "Fenerbahçe"),
    "besiktas": ("Besiktas", "Beşiktaş"),
    "trabzonspor": ("Trabzonspor",),
    "istanbul-basaksehir": ("Basaksehir",),
    "yokohama-f-marinos": ("Yokohama F. Marinos", "Yokohama F Marinos"),
    "red-bull-salzburg": ("Red Bull Salzburg", "Salzburg"),
    "shakhtar-donetsk": ("Shakhtar",),
    "dynamo-kyiv": ("Dynamo Kiev",),
    "sparta-prague": ("Sparta Prague",),
    "red-star-belgrade": ("Crvena Zvezda",),
    "flamengo": ("Flamengo",),
    "boca-juniors": ("Boca",),
    "al-hilal": ("Al Hilal",),
    "inter-miami": ("Inter Miami",),
    "arsenal-de-sarandi": ("Arsenal de Sarandí",),
    "nacional-de-montevideo": ("Nacional de Montevideo",),
}
ALIASES = [(alias, club_id) for club_id, forms in EXPECTED_ALIASES.items() for alias in forms]


@pytest.fixture(scope="module")
def registry() -> ClubRegistry:
    return club_registry()


def test_the_alias_table_is_big_enough_to_mean_something() -> None:
    assert len(ALIASES) >= 150


@pytest.mark.parametrize(("alias", "club_id"), ALIASES)
def test_alias_resolves_to_its_canonical_club(
    registry: ClubRegistry, alias: str, club_id: str
) -> None:
    assert registry.resolve(alias).id == club_id


def test_every_club_resolves_by_its_own_name_and_its_id(registry: ClubRegistry) -> None:
    wrong = [club.id for club in registry if registry.resolve(club.name) != club]
    wrong += [club.id for club in registry if registry.resolve(club.id) != club]
    assert wrong == []


def test_the_registry_is_loaded_once() -> None:
    assert club_registry() is club_registry()


@pytest.mark.parametrize(
    ("league", "size"),
    [
        ("Premier League", 20),
        ("Championship", 24),
        ("La Liga", 20),
        ("Serie A", 20),
        ("Bundesliga", 18),
        ("Ligue 1", 18),
        ("Primeira Liga", 18),
        ("Eredivisie", 18),
        ("Pro League", 16),
        ("Premiership", 12),
        ("Süper Lig", 19),
    ],
)
def test_each_covered_league_holds_the_whole_division(
    registry: ClubRegistry, league: str, size: int
) -> None:
    assert sum(1 for club in registry if club.league == league) == size


def test_club_records_its_league_and_rank(registry: ClubRegistry) -> None:
    palace = registry.get("crystal-palace")
    assert palace == Club("crystal-palace", "Crystal Palace", "ENG", "Premier League", 1)
    assert registry.get("leeds-united").league_rank == 2
    assert registry.get("arsenal-tula").league is None


@pytest.mark.parametrize(
    ("alias", "club_id"),
    [
        ("Arsenal", "arsenal"),
        ("Liverpool", "liverpool"),
        ("Everton", "everton"),
        ("Newcastle", "newcastle-united"),
        ("Sporting", "sporting-cp"),
        ("Nacional", "nacional"),
        ("Barcelona", "barcelona"),
        ("Valencia", "valencia"),
        ("Racing", "racing-club"),
        ("Red Star", "red-star-belgrade"),
        ("Lincoln", "lincoln-city"),
        ("Extremadura", "extremadura-ud"),
    ],
)
def test_shared_alias_goes_to_the_club_in_the_bigger_league(
    registry: ClubRegistry, alias: str, club_id: str
) -> None:
    assert len(registry.candidates(alias)) > 1
    assert registry.resolve(alias).id == club_id


@pytest.mark.parametrize(
    ("alias", "context", "club_id"),
    [
        ("Arsenal", {"country": "AR"}, "arsenal-de-sarandi"),
        ("Arsenal", {"country": "ru"}, "arsenal-tula"),
        ("Liverpool", {"country": "UY"}, "liverpool-montevideo"),
        ("Everton", {"country": "CL"}, "everton-de-vina-del-mar"),
        ("Newcastle", {"country": "AU"}, "newcastle-united-jets"),
        ("Sporting", {"country": "ES"}, "sporting-gijon"),
        ("Sporting", {"league": "Segunda Division"}, "sporting-gijon"),
        ("Nacional", {"country": "UY"}, "nacional-de-montevideo"),
        ("Racing", {"league": "Segunda División"}, "racing-santander"),
        ("Santos", {"country": "BR"}, "santos-sp"),
        ("Chelsea", {"country": "FR"}, "chelsea"),
    ],
)
def test_context_picks_a_namesake_and_is_ignored_when_it_fits_none(
    registry: ClubRegistry, alias: str, context: dict[str, str], club_id: str
) -> None:
    assert registry.resolve(alias, **context).id == club_id


def test_namesakes_no_rule_separates_are_reported_with_their_candidates(
    registry: ClubRegistry,
) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        registry.resolve("Santos")
    assert set(caught.value.candidates) == {
        "Santos SP",
        "Santos Laguna",
        "Santos de Guápiles",
    }
    assert "Santos" in str(caught.value)
    assert all(registry.resolve(name).name == name for name in caught.value.candidates)


def _tiny_registry(*clubs: Club) -> ClubRegistry:
    return ClubRegistry(clubs, [(club.id, "United", "newsroom") for club in clubs])


def test_country_order_breaks_a_tie_between_top_divisions() -> None:
    spanish = Club("es-united", "ES United", "ES", "La Liga", 1)
    turkish = Club("tr-united", "TR United", "TR", "Süper Lig", 1)
    assert _tiny_registry(turkish, spanish).resolve("United") == spanish


def test_tie_between_countries_outside_the_order_is_ambiguous() -> None:
    chilean = Club("cl-united", "CL United", "CL", "Primera", 1)
    peruvian = Club("pe-united", "PE United", "PE", "Liga 1", 1)
    with pytest.raises(AmbiguousNameError):
        _tiny_registry(chilean, peruvian).resolve("United")


def test_tie_between_clubs_of_unrecorded_leagues_is_ambiguous() -> None:
    english = Club("eng-united", "ENG United", "ENG", None, 9)
    spanish = Club("es-united", "ES United", "ES", None, 9)
    with pytest.raises(AmbiguousNameError):
        _tiny_registry(english, spanish).resolve("United")


def test_registry_rejects_aliases_of_unknown_kind_or_club() -> None:
    club = Club("x", "X", "ENG", None, 9)
    with pytest.raises(ValueError, match="kind"):
        ClubRegistry([club], [("x", "Ex", "slang")])
    with pytest.raises(ValueError, match="unknown club id"):
        ClubRegistry([club], [("y", "Why", "name")])


def test_unknown_name_comes_with_suggestions(registry: ClubRegistry) -> None:
    with pytest.raises(UnknownNameError) as caught:
        registry.resolve("Tottenhm Hotspurs")
    assert caught.value.candidates[0] == "Tottenham Hotspur"
    assert len(caught.value.candidates) <= 5
    assert "Tottenham Hotspur" in str(caught.value)


@pytest.mark.parametrize("name", ["City", "United", "Real", "", "   ", "zzzzqqq"])
def test_names_too_vague_or_empty_do_not_resolve(registry: ClubRegistry, name: str) -> None:
    with pytest.raises(UnknownNameError):
        registry.resolve(name)


def test_suggestions_put_the_near_miss_first_and_respect_the_limit(
    registry: ClubRegistry,
) -> None:
    assert registry.suggest("Monchengladbch")[0] == "Borussia Mönchengladbach"
    assert registry.suggest("Wolverhamptn") == ["Wolverhampton Wanderers"]
    assert len(registry.suggest("City", limit=3)) == 3
    assert registry.suggest("zzzzqqq") == []
    assert registry.suggest("Chelsea", limit=0) == []


def test_nickname_resolves_only_when_allowed(registry: ClubRegistry) -> None:
    with pytest.raises(UnknownNameError, match="nickname") as caught:
        registry.resolve("Lilywhites")
    assert "Tottenham Hotspur" in caught.value.candidates
    assert registry.resolve("Lilywhites", allow_nicknames=True).id == "tottenham-hotspur"
    assert registry.resolve("The Gunners", allow_nicknames=True).id == "arsenal"
    preston = registry.resolve("Lilywhites", allow_nicknames=True, league="Championship")
    assert preston.id == "preston-north-end"


def test_a_real_name_beats_a_nickname_spelled_the_same(registry: ClubRegistry) -> None:
    assert registry.resolve("Wolves", allow_nicknames=True).id == "wolverhampton-wanderers"


def test_get_returns_the_club_or_suggests_ids(registry: ClubRegistry) -> None:
    assert registry.get("tottenham-hotspur").name == "Tottenham Hotspur"
    with pytest.raises(UnknownNameError) as caught:
        registry.get("tottenham")
    assert "tottenham-hotspur" in caught.value.candidates


MENTIONS = [
    (
        "Spurs had a £70m bid for Marc Guehi rejected by Crystal Palace.",
        [("Spurs", "tottenham-hotspur"), ("Crystal Palace", "crystal-palace")],
    ),
    (
        "Borussia Monchengladbach’s defender trained at Tottenham's academy.",
        [
            ("Borussia Monchengladbach", "borussia-monchengladbach"),
            ("Tottenham", "tottenham-hotspur"),
        ],
    ),
    (
        "Man. City and Man Utd watch the PSG and OM targets, but om and psg are not names.",
        [
            ("Man. City", "manchester-city"),
            ("Man Utd", "manchester-united"),
            ("PSG", "paris-saint-germain"),
            ("OM", "marseille"),
        ],
    ),
    (
        "But Spurs and Wolves want him, while Real Madrid and Inter Miami only watch.",
        [
            ("Spurs", "tottenham-hotspur"),
            ("Wolves", "wolverhampton-wanderers"),
            ("Real Madrid", "real-madrid"),
            ("Inter Miami", "inter-miami"),
        ],
    ),
    (
        "Nottm Forest, Barça and Atleti enquired; the Forest scouts rated him highly.",
        [
            ("Nottm Forest", "nottingham-forest"),
            ("Barça", "barcelona"),
            ("Atleti", "atletico-madrid"),
            ("Forest", "nottingham-forest"),
        ],
    ),
    ("The inter-club talks went nicely and a real forest of city lights lit the villa.", []),
    ("He spent three years at City without playing a game.", []),
    (
        "According to The Athletic, the Yokohama-born defender is a Liverpool-based agent's client.",
        [],
    ),
    ("The European Union rules changed, said Bobby Charlton on a trip to South America.", []),
    ("Fans filled Celtic Park and Villa Park, and he left Manchester. City then called.", []),
    ("Out of Tottenham Tottenham's deal is done.", [("Tottenham", "tottenham-hotspur")] * 2),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_find_mentions_finds_the_clubs_and_skips_the_traps(
    registry: ClubRegistry, text: str, expected: list[tuple[str, str]]
) -> None:
    mentions = registry.find_mentions(text)
    assert [(m.surface, m.club.id) for m in mentions] == expected
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_find_mentions_reads_nicknames_only_when_allowed(registry: ClubRegistry) -> None:
    text = "The Lilywhites and the Gunners are chasing him, as are the Toffees of Everton."
    assert [m.surface for m in registry.find_mentions(text)] == ["Everton"]
    found = registry.find_mentions(text, allow_nicknames=True)
    # Spurs and Preston share the Lilywhites; neither is named, so it names no club.
    assert [(m.surface, m.club.id) for m in found] == [
        ("Gunners", "arsenal"),
        ("Toffees", "everton"),
        ("Everton", "everton"),
    ]
    found = registry.find_mentions("Preston want him; the Lilywhites bid.", allow_nicknames=True)
    assert [m.club.id for m in found] == ["preston-north-end"] * 2


SEED_CLUBS = {
    "000_2877da4359cdf4e6.txt": {
        "tottenham-hotspur", "celtic", "lens", "borussia-monchengladbach", "crystal-palace",
        "bayern-munich", "chelsea", "aston-villa",
    },
    "001_6024de54437b2b47.txt": {
        "liverpool", "tottenham-hotspur", "borussia-monchengladbach", "bologna", "manchester-city",
        "celtic", "afc-bournemouth",
    },
    "002_918e7c404acd0684.txt": {
        "tottenham-hotspur", "lens", "marseille", "paris-saint-germain",
        "wolverhampton-wanderers", "newcastle-united", "manchester-city",
    },
}  # fmt: skip


@pytest.mark.seeds
@pytest.mark.parametrize(("filename", "clubs"), sorted(SEED_CLUBS.items()))
def test_seed_article_mentions_exactly_its_clubs(
    registry: ClubRegistry, filename: str, clubs: set[str]
) -> None:
    path = SEEDS / filename
    if not path.exists():
        pytest.skip("the shared seed articles are not present")
    text = path.read_text(encoding="utf-8")
    assert {m.club.id for m in registry.find_mentions(text, allow_nicknames=True)} == clubs


def test_shipped_data_is_what_the_build_script_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not OPENFOOTBALL.exists():
        pytest.skip("the shared openfootball CSV is not present")
    data = REPO / "ledger" / "data"
    shutil.copy(data / "newsroom_club_aliases.csv", tmp_path)
    script = REPO / "scripts" / "build_club_data.py"
    spec = importlib.util.spec_from_file_location("build_club_data", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_club_data", build)  # dataclasses look themselves up
    spec.loader.exec_module(build)
    assert build.main([str(OPENFOOTBALL), "--data-dir", str(tmp_path)]) == 0
    for name in ("clubs.csv", "club_aliases.csv"):
        assert filecmp.cmp(tmp_path / name, data / name, shallow=False), name


def test_alias_file_uses_only_the_three_kinds() -> None:
    path = REPO / "ledger" / "data" / "club_aliases.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        kinds = {row["kind"] for row in csv.DictReader(handle)}
    assert kinds == {"name", "newsroom", "nickname"}
