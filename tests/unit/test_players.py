"""Player matching: exact, fuzzy, through the context, and never by guesswork (SPEC §3.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from ledger.entities.players import (
    CONTEXT_SURNAME_THRESHOLD,
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    KnownPlayer,
    PlayerMatcher,
    new_player_id,
)
from ledger.errors import UnknownNameError

ITAKURA = KnownPlayer("ko-itakura", "Ko Itakura")
GUEHI = KnownPlayer("marc-guehi", "Marc Guéhi")
DANSO = KnownPlayer("kevin-danso", "Kevin Danso")
DE_BRUYNE = KnownPlayer("kevin-de-bruyne", "Kevin De Bruyne")
BERNARDO = KnownPlayer("bernardo-silva", "Bernardo Silva")
THIAGO = KnownPlayer("thiago-silva", "Thiago Silva")


def matcher(*players: KnownPlayer) -> PlayerMatcher:
    return PlayerMatcher(players)


@pytest.mark.parametrize("spelling", ["Marc Guehi", "MARC GUÉHI", "marc  guéhi"])
def test_full_name_matches_exactly_whatever_the_case_and_accents(spelling: str) -> None:
    found = matcher(GUEHI, DANSO).match(spelling)
    assert (found.outcome, found.player, found.score) == ("exact", GUEHI, 100.0)


def test_an_alias_matches_exactly() -> None:
    kim = KnownPlayer("kim-min-jae", "Kim Min-jae", aliases=("Min-jae Kim",))
    assert matcher(kim).match("Min Jae Kim").player == kim


def test_one_swapped_letter_in_a_full_name_matches_fuzzily() -> None:
    found = matcher(GUEHI, DANSO).match("Marc Guhei")
    assert (found.outcome, found.player, found.score) == ("fuzzy", GUEHI, 90.0)


def test_a_full_name_just_above_the_threshold_matches() -> None:
    smith = KnownPlayer("jon-smith", "Jon Smith")
    assert FUZZY_THRESHOLD < fuzz.ratio("jon smyth", "jon smith") < FUZZY_THRESHOLD + 1
    assert matcher(smith).match("Jon Smyth").player == smith


def test_a_full_name_just_below_the_threshold_is_new() -> None:
    smith = KnownPlayer("jo-smith", "Jo Smith")
    assert FUZZY_THRESHOLD - 1 < fuzz.ratio("jo smyth", "jo smith") < FUZZY_THRESHOLD
    found = matcher(smith).match("Jo Smyth")
    assert (found.outcome, found.player) == ("new", None)


def test_a_runner_up_within_the_margin_makes_the_match_ambiguous() -> None:
    rival = KnownPlayer("marc-guehie", "Marc Guehie")
    gap = fuzz.ratio("marc guhei", "marc guehi") - fuzz.ratio("marc guhei", "marc guehie")
    assert FUZZY_MARGIN - 1 < gap < FUZZY_MARGIN
    found = matcher(GUEHI, rival).match("Marc Guhei")
    assert (found.outcome, found.player) == ("ambiguous", None)
    assert set(found.candidates) == {GUEHI, rival}


def test_a_runner_up_just_outside_the_margin_leaves_the_best_match() -> None:
    rival = KnownPlayer("mark-guhe", "Mark Guhe")
    gap = fuzz.ratio("marc guhei", "marc guehi") - fuzz.ratio("marc guhei", "mark guhe")
    assert FUZZY_MARGIN < gap < FUZZY_MARGIN + 1
    found = matcher(GUEHI, rival).match("Marc Guhei")
    assert (found.outcome, found.player) == ("fuzzy", GUEHI)


def test_a_full_name_with_nothing_close_is_new() -> None:
    found = matcher(GUEHI, DANSO).match("Axel Disasi")
    assert (found.outcome, found.player, found.candidates) == ("new", None, ())


def test_a_namesake_with_another_given_name_is_a_new_player() -> None:
    assert matcher(ITAKURA).match("Kai Itakura").outcome == "new"


def test_kevin_danso_and_kevin_de_bruyne_are_never_merged() -> None:
    assert matcher(DE_BRUYNE).match("Kevin Danso").outcome == "new"
    assert matcher(DANSO).match("Kevin De Bruyne").outcome == "new"
    both = matcher(DANSO, DE_BRUYNE)
    assert both.match("Danso", context=["Kevin De Bruyne"]).player is None
    assert both.match("De Bruyne", context=["Kevin Danso"]).player is None
    assert both.match("Danso", context=["Kevin Danso", "Kevin De Bruyne"]).player == DANSO


def test_a_surname_typo_resolves_through_a_full_name_in_the_same_article() -> None:
    found = matcher(ITAKURA, GUEHI).match("Ikatura", context=["Marc Guehi", "Ko Itakura"])
    assert (found.outcome, found.player, found.via) == ("surname", ITAKURA, "Ko Itakura")
    assert CONTEXT_SURNAME_THRESHOLD < found.score < CONTEXT_SURNAME_THRESHOLD + 2


def test_a_surname_typo_without_context_is_not_merged() -> None:
    found = matcher(ITAKURA, GUEHI).match("Ikatura")
    assert (found.outcome, found.player, found.candidates) == ("ambiguous", None, (ITAKURA,))


def test_a_surname_just_below_the_context_threshold_is_not_merged() -> None:
    assert fuzz.ratio("ikaturas", "itakura") < CONTEXT_SURNAME_THRESHOLD
    found = matcher(ITAKURA).match("Ikaturas", context=["Ko Itakura"])
    assert (found.outcome, found.player) == ("ambiguous", None)


def test_a_bare_surname_without_context_is_reported_never_created() -> None:
    known = matcher(ITAKURA, GUEHI).match("Itakura")
    assert (known.outcome, known.player, known.candidates) == ("ambiguous", None, (ITAKURA,))
    unheard = matcher(ITAKURA, GUEHI).match("Disasi")
    assert (unheard.outcome, unheard.player, unheard.candidates) == ("ambiguous", None, ())


def test_two_silvas_in_the_context_are_ambiguous() -> None:
    found = matcher(BERNARDO, THIAGO).match("Silva", context=["Bernardo Silva", "Thiago Silva"])
    assert (found.outcome, found.player) == ("ambiguous", None)
    assert set(found.candidates) == {BERNARDO, THIAGO}


def test_two_known_silvas_without_context_are_ambiguous() -> None:
    found = matcher(BERNARDO, THIAGO).match("Silva")
    assert found.outcome == "ambiguous"
    assert set(found.candidates) == {BERNARDO, THIAGO}


def test_the_one_silva_named_in_the_article_wins_over_other_known_silvas() -> None:
    found = matcher(BERNARDO, THIAGO).match("Silva", context=["Thiago Silva", "Marc Guehi"])
    assert (found.outcome, found.player) == ("surname", THIAGO)


def test_an_exact_surname_in_the_context_beats_a_merely_close_one() -> None:
    kane, kante = (
        KnownPlayer("harry-kane", "Harry Kane"),
        KnownPlayer("n-golo-kante", "N'Golo Kanté"),
    )
    found = matcher(kane, kante).match("Kane", context=["N'Golo Kanté", "Harry Kane"])
    assert (found.outcome, found.player) == ("surname", kane)


def test_a_surname_whose_full_name_is_not_yet_known_points_at_that_name() -> None:
    found = matcher(DANSO).match("Disasi", context=["Axel Disasi", "Kevin Danso"])
    assert (found.outcome, found.player, found.via) == ("surname", None, "Axel Disasi")


def test_a_surname_with_particles_is_read_as_one_surname() -> None:
    van_de_ven = KnownPlayer("micky-van-de-ven", "Micky van de Ven")
    found = matcher(van_de_ven).match("Van de Ven", context=["Micky van de Ven"])
    assert (found.outcome, found.player) == ("surname", van_de_ven)
    assert matcher(van_de_ven).match("Van de Ven").outcome == "ambiguous"


def test_an_initial_and_surname_resolve_to_the_one_known_player_they_fit() -> None:
    found = matcher(ITAKURA, GUEHI).match("K. Itakura")
    assert (found.outcome, found.player) == ("surname", ITAKURA)


def test_an_initial_that_disagrees_with_the_given_name_is_not_merged() -> None:
    found = matcher(ITAKURA).match("H. Itakura")
    assert (found.outcome, found.player) == ("ambiguous", None)


def test_an_initial_shared_by_two_namesakes_needs_the_context() -> None:
    kai = KnownPlayer("kai-itakura", "Kai Itakura")
    assert matcher(ITAKURA, kai).match("K. Itakura").outcome == "ambiguous"
    assert matcher(ITAKURA, kai).match("K. Itakura", context=["Kai Itakura"]).player == kai


def test_a_player_added_mid_batch_is_matched_by_later_mentions() -> None:
    players = PlayerMatcher([])
    assert players.match("Ko Itakura").outcome == "new"
    players.add(ITAKURA)
    assert players.match("Ko Itakura").outcome == "exact"
    assert players.match("Itakura", context=["Ko Itakura"]).player == ITAKURA


def test_two_players_sharing_one_exact_name_are_ambiguous() -> None:
    first, second = KnownPlayer("danilo", "Danilo"), KnownPlayer("danilo-2", "Danilo")
    found = matcher(first, second).match("Danilo")
    assert (found.outcome, set(found.candidates)) == ("ambiguous", {first, second})


@pytest.mark.parametrize("name", ["", "   ", "1234", "--", "x" * 121])
def test_text_that_cannot_be_a_name_is_refused(name: str) -> None:
    with pytest.raises(UnknownNameError):
        matcher(ITAKURA).match(name)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=14))
def test_a_single_word_is_never_made_a_new_player(word: str) -> None:
    players = matcher(ITAKURA, GUEHI, DANSO, BERNARDO, THIAGO)
    assert players.match(word, context=["Kevin Danso"]).outcome != "new"


def test_a_new_id_is_the_slug_of_the_name() -> None:
    assert new_player_id("Marc Guéhi", lambda _: False) == "marc-guehi"


def test_a_taken_id_gets_the_next_free_number() -> None:
    taken = {"kevin-danso", "kevin-danso-2"}
    assert new_player_id("Kevin Danso", taken.__contains__) == "kevin-danso-3"


def test_a_name_with_no_letters_gets_no_id() -> None:
    with pytest.raises(UnknownNameError):
        new_player_id("???", lambda _: False)
