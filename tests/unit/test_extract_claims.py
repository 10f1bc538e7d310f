"""The extracted claim shape: the §4.1 dict it becomes, and merging repeats within an article."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ledger.extract import ExtractedClaim, extract_claims, parse_article
from ledger.extract.claims import merge_claims
from ledger.ingest.claim_input import ClaimInput, validate_claim
from ledger.money.fee_parser import parse_fee

TEXT = (
    "Yanis Berrada has joined Brentford from Lyon on loan with an obligation to buy for €18m, "
    "per Fabrizio Romano."
)


def only_claim() -> ExtractedClaim:
    article = parse_article(f"date 2025-01-31 {TEXT}", "berrada.txt")
    (claim,) = extract_claims(article)
    return claim


def test_the_claim_dict_carries_every_structured_field_and_where_it_came_from() -> None:
    claim = only_claim()
    data = claim.to_claim_dict()
    assert data["reported_on"] == "2025-01-31"
    assert (data["kind"], data["player"], data["club"], data["from_club"]) == (
        "deal_done",
        "Yanis Berrada",
        "Brentford",
        "Lyon",
    )
    assert (data["fee"], data["deal"], data["source"]) == (
        "€18m",
        "loan_with_obligation",
        "Fabrizio Romano",
    )
    extraction = data["extraction"]
    assert isinstance(extraction, dict)
    assert extraction["sentence"] == TEXT
    assert extraction["span"] == [0, len(TEXT)]
    assert extraction["rule"] == claim.rule
    assert 0 < extraction["confidence"] <= 1


def test_the_claim_dict_passes_structured_claim_validation() -> None:
    checked = validate_claim(only_claim().to_claim_dict())
    assert isinstance(checked, ClaimInput)
    assert checked.extraction is not None and checked.extraction.span == (0, len(TEXT))


def test_the_span_is_the_sentence_in_the_article_body() -> None:
    body = f"Brentford need a winger.\n\n{TEXT}"
    article = parse_article(f"date 2025-01-31 {body}", "berrada.txt")
    (claim,) = extract_claims(article)
    assert article.body[claim.span[0] : claim.span[1]] == claim.sentence == TEXT


def test_repeats_of_one_claim_merge_keeping_the_surest_and_every_stated_detail() -> None:
    first = only_claim()
    weaker = replace(first, confidence=0.4, fee=None, deal=None, renewed=True, span=(90, 120))
    surer = replace(first, confidence=0.95, fee=None, from_club=None, span=(200, 240))
    (merged,) = merge_claims([weaker, surer, first])
    assert merged.confidence == 0.95
    assert merged.fee == parse_fee("€18m")
    assert merged.from_club == "Lyon"
    assert merged.renewed is True


def test_claims_of_different_clubs_do_not_merge() -> None:
    first = only_claim()
    other = replace(first, club="Fulham")
    assert len(merge_claims([first, other])) == 2


def test_reported_on_is_the_article_date() -> None:
    assert only_claim().reported_on == date(2025, 1, 31)
