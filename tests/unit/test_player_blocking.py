"""The fuzzy matcher's blocking: it scores only spellings sharing a blocking key with the name,
and that must neither change an answer nor grow with every player the ledger knows."""

from __future__ import annotations

import random

import pytest

from ledger.entities.players import KnownPlayer, PlayerMatcher
from tests.unit.test_players import BERNARDO, DANSO, DE_BRUYNE, GUEHI, ITAKURA, THIAGO

GIVEN = ["Marco", "Luca", "Kevin", "Thiago", "Joao", "Erling", "Pedro", "Ko", "Ibrahim", "Jonas"]
SURNAMES = ["Silva", "Rossi", "Danso", "Itakura", "Guehi", "Haaland", "Moreau", "Okafor",
            "Lindqvist", "Etxeberria", "Van Dijk", "De Bruyne", "Koopmans", "Sandoval"]  # fmt: skip


class _EveryCandidate(PlayerMatcher):
    """The matcher as it was before blocking: every known spelling is scored."""

    def _candidates(self, mention: object) -> list[int]:
        return list(range(len(self._keys)))


def _crowd(count: int, seed: int) -> list[KnownPlayer]:
    rng = random.Random(seed)
    players = [ITAKURA, GUEHI, DANSO, DE_BRUYNE, BERNARDO, THIAGO]
    for number in range(count):
        name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}{rng.choice('aeiou')}{number}"
        players.append(KnownPlayer(f"p{number}", name))
    return players


def _typo(name: str, rng: random.Random) -> str:
    spot = rng.randrange(len(name))
    return name[:spot] + rng.choice("abcdefghijklmnopqrstuvwxyz") + name[spot + 1 :]


@pytest.mark.parametrize(
    "name",
    ["Marc Guehi", "Marc Gueh", "Kevin Dansoo", "Kevin De Bruine", "Bernado Silva",
     "Thiago Silv", "Ko Itakure", "Kevin Silva", "Someone Else"],
)  # fmt: skip
def test_blocking_gives_the_same_answer_as_scoring_every_spelling(name: str) -> None:
    crowd = _crowd(300, seed=3)
    assert PlayerMatcher(crowd).match(name) == _EveryCandidate(crowd).match(name)


def test_misspelt_names_of_a_large_crowd_resolve_as_without_blocking() -> None:
    crowd, rng = _crowd(1_000, seed=5), random.Random(9)
    blocked, full = PlayerMatcher(crowd), _EveryCandidate(crowd)
    for player in rng.sample(crowd, 200):
        name = _typo(player.name, rng)
        assert blocked.match(name) == full.match(name), name


def test_a_new_name_is_scored_against_a_small_share_of_the_known_spellings() -> None:
    crowd = _crowd(5_000, seed=11)
    found = PlayerMatcher(crowd)
    mention = PlayerMatcher([KnownPlayer("x", "Erling Lindqvisti77")])._forms["x"][0]
    assert len(found._candidates(mention)) < len(found._keys) / 4
