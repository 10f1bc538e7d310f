"""The fuzzy matcher's blocking: it scores only spellings sharing a blocking key with the name,
and that must neither change an answer nor grow with every player the ledger knows."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from benchmarks.player_names import NameBook
from ledger.entities.player_blocks import MAX_SLIPS
from ledger.entities.players import KnownPlayer, PlayerMatcher, _form
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


LETTERS = "abcdefghijklmnopqrstuvwxyz "


@st.composite
def _slipped(draw: st.DrawFn, name: str, slips: int) -> str:
    """`name` with `slips` letters (or spaces) changed, added or dropped at drawn places."""
    for _ in range(draw(st.integers(0, slips))):
        spot = draw(st.integers(0, len(name) - 1))
        kind = draw(st.sampled_from(["change", "add", "drop"]))
        letter = draw(st.sampled_from(LETTERS))
        tail = name[spot + 1 :] if kind != "add" else name[spot:]
        name = name[:spot] + ("" if kind == "drop" else letter) + tail
    return name


_PAIRS = [(given, surname) for given in GIVEN for surname in SURNAMES]
_NAMES = st.builds("{} {}".format, st.sampled_from(GIVEN), st.sampled_from(SURNAMES))


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=30, unique=True), st.data())
def test_a_misspelt_name_gets_the_answer_of_a_scan_over_every_spelling(
    names: list[str], data: st.DataObject
) -> None:
    crowd = [KnownPlayer(f"p{n}", name) for n, name in enumerate(names)]
    mention = data.draw(_slipped(data.draw(st.sampled_from(names)), MAX_SLIPS))
    if not any(ch.isalpha() for ch in mention) or len(mention.split()) < 2:
        return  # not a full name: the fuzzy path, and so the blocking, never sees it
    assert PlayerMatcher(crowd).match(mention) == _EveryCandidate(crowd).match(mention)


@settings(max_examples=300, deadline=None)
@given(_NAMES, st.data())
def test_every_spelling_within_three_slips_of_a_mention_is_a_candidate(
    name: str, data: st.DataObject
) -> None:
    mention = data.draw(_slipped(name, MAX_SLIPS))
    if not any(ch.isalpha() for ch in mention):
        return
    found = PlayerMatcher([KnownPlayer("p", name)])
    assert found._candidates(_form(mention)) == [0]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SURNAMES), st.data())
def test_a_bare_surname_within_two_slips_gets_the_suggestions_of_a_full_scan(
    surname: str, data: st.DataObject
) -> None:
    mention = data.draw(_slipped(surname, 2))
    if not any(ch.isalpha() for ch in mention):
        return
    # A slip in a particle moves the word split (`e Bruyne` reads as an initial and `Bruyne`):
    # the promise is about the surname as read, so that must stay within two slips.
    read = _form(mention).surname
    assume(Levenshtein.distance(read, _form(f"X {surname}").surname) <= 2)
    crowd = [KnownPlayer(f"p{n}", f"{g} {s}") for n, (g, s) in enumerate(_PAIRS)]
    blocked, full = PlayerMatcher(crowd), PlayerMatcher(crowd)
    full._surnames.near = lambda _: set(full._players)  # type: ignore[method-assign]
    assert blocked.match(mention) == full.match(mention)


def test_a_new_name_among_50k_generated_players_is_scored_against_a_handful() -> None:
    book = NameBook()
    known = [KnownPlayer(f"p{n}", book.next_name()) for n in range(50_000)]
    found = PlayerMatcher(known)
    counts = [len(found._candidates(_form(book.next_name()))) for _ in range(300)]
    assert max(counts) <= 100 and sum(counts) / len(counts) <= 15
