"""The extractor's lexicon: lemmas inflected into every form, groups expanded into patterns, and
hedges that lower a claim's confidence."""

from __future__ import annotations

import pytest

from ledger.errors import LedgerError
from ledger.extract import extract_claims, parse_article
from ledger.extract.inflect import noun_forms, verb_forms
from ledger.extract.lexicon import expand_lexicon, hedge_factor, lexicon_forms


def test_a_regular_verb_gets_its_third_person_past_and_gerund() -> None:
    forms = verb_forms("reject")
    assert (forms.third, forms.past, forms.participle, forms.gerund) == (
        "rejects",
        "rejected",
        "rejected",
        "rejecting",
    )


def test_spelling_rules_double_a_short_verbs_last_letter_and_drop_a_silent_e() -> None:
    assert (verb_forms("snub").past, verb_forms("snub").gerund) == ("snubbed", "snubbing")
    assert (verb_forms("dismiss").third, verb_forms("seal").past) == ("dismisses", "sealed")
    assert (verb_forms("decline").past, verb_forms("decline").gerund) == ("declined", "declining")
    assert (verb_forms("deny").third, verb_forms("deny").past) == ("denies", "denied")


def test_a_phrasal_verb_inflects_its_first_word() -> None:
    forms = verb_forms("knock back")
    assert forms.all() == ("knock back", "knocks back", "knocked back", "knocking back")


def test_an_irregular_verb_takes_the_past_and_participle_the_lexicon_gives() -> None:
    forms = verb_forms("fall through", "fell through", "fallen through")
    assert (forms.past, forms.participle, forms.third) == (
        "fell through",
        "fallen through",
        "falls through",
    )


def test_a_noun_gets_its_plural() -> None:
    assert noun_forms("bid") == ("bid", "bids")
    assert noun_forms("enquiry") == ("enquiry", "enquiries")
    assert noun_forms("loan deal") == ("loan deal", "loan deals")


def test_a_group_in_a_pattern_becomes_every_form_of_every_lemma() -> None:
    assert {"rebuffed", "turned down", "knocked back"} <= lexicon_forms()[("reject", "ed")]
    pattern = expand_lexicon(r"\b{reject.ed}\b")
    assert "knocked back" in pattern and "rejecting" not in pattern


def test_an_unknown_group_is_an_error_that_names_where_it_was_written() -> None:
    with pytest.raises(LedgerError, match=r"extract_patterns\.csv:9"):
        expand_lexicon("{no_such_group}", "extract_patterns.csv:9")


def test_regex_repetition_counts_are_not_taken_for_groups() -> None:
    assert expand_lexicon(r"[^.;]{0,80}?") == r"[^.;]{0,80}?"


def test_a_plain_statement_has_no_hedge_and_a_hedged_one_scores_lower() -> None:
    assert hedge_factor("Lyon have signed the winger") == 1.0
    assert hedge_factor("Lyon could sign the winger") < 1.0
    assert hedge_factor("Lyon are understood to be monitoring him") < hedge_factor("Lyon are")


def test_a_hedged_claim_is_less_confident_than_the_same_claim_stated_plainly() -> None:
    plain = parse_article("date 2025-01-10 Lyon are interested in Tomas Hrubec.", "a.txt")
    hedged = parse_article("date 2025-01-10 Lyon could be interested in Tomas Hrubec.", "b.txt")
    (sure,) = extract_claims(plain)
    (unsure,) = extract_claims(hedged)
    assert unsure.kind == sure.kind == "interest"
    assert unsure.confidence < sure.confidence
