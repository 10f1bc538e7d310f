"""Every rule of SPEC §4.1 for one structured claim, and how its problems are worded."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ledger.events import DealType
from ledger.ingest.claim_input import (
    ClaimInput,
    FieldProblem,
    format_problem,
    validate_claim,
)

BID = {
    "reported_on": "2025-02-03",
    "kind": "bid_rejected",
    "player": "Marc Guehi",
    "club": "Tottenham Hotspur",
    "from_club": "Crystal Palace",
    "fee": "£70m",
}
JARGON = ("pydantic", "Input should be", "validation error", "Traceback", "NoneType", "dict[")


def valid(**changes: object) -> ClaimInput:
    outcome = validate_claim({**BID, **changes})
    assert isinstance(outcome, ClaimInput), outcome
    return outcome


def problems(data: dict[str, object]) -> list[FieldProblem]:
    outcome = validate_claim(data)
    assert isinstance(outcome, list), outcome
    for problem in outcome:
        assert "\n" not in problem.reason
        assert not any(word in problem.reason for word in JARGON), problem
    return outcome


def reasons(data: dict[str, object], field: str) -> list[str]:
    return [problem.reason for problem in problems(data) if problem.field == field]


def reason(field: str, value: object, **others: object) -> str:
    (only,) = reasons({**BID, **others, field: value}, field)
    return only


# --- a good claim --------------------------------------------------------------------------


def test_a_complete_claim_keeps_every_field_cleaned() -> None:
    claim = valid(
        deal="permanent",
        source=" GIVEMESPORT ",
        journalist="Dean Jones",
        url="https://www.givemesport.com/x",
        evidence="line one\nline two\twith a tab",
        renewed=False,
        effective_on="2025-02-01",
        id="guehi-bid-1",
    )
    assert claim.reported_on == date(2025, 2, 3)
    assert claim.kind == "bid_rejected"
    assert claim.source == "GIVEMESPORT"
    assert claim.effective_on == date(2025, 2, 1)
    assert claim.deal is DealType.PERMANENT
    assert claim.evidence == "line one\nline two\twith a tab"
    assert claim.fee is not None
    assert (claim.fee.amount, claim.fee.currency, claim.fee.text) == (
        Decimal(70_000_000),
        "GBP",
        "£70m",
    )


def test_a_claim_is_a_frozen_value() -> None:
    claim = valid()
    with pytest.raises(ValueError, match="frozen"):
        claim.player = "Someone Else"  # type: ignore[misc]


def test_absent_optional_fields_take_their_defaults() -> None:
    claim = valid(fee=None, journalist="", url="   ")
    assert (claim.fee, claim.journalist, claim.url, claim.renewed) == (None, None, None, False)


# --- required fields and kinds -----------------------------------------------------------


def test_reported_on_and_kind_are_required() -> None:
    found = problems({"player": "Marc Guehi"})
    assert [(p.field, p.reason) for p in found] == [
        ("reported_on", "required"),
        ("kind", "required"),
    ]


def test_kinds_are_accepted_in_any_case_with_spaces_or_hyphens() -> None:
    assert valid(kind="Bid Rejected").kind == "bid_rejected"
    assert valid(kind="bid-rejected").kind == "bid_rejected"


def test_an_unknown_kind_is_named_with_a_suggestion() -> None:
    assert reason("kind", "bidd") == "unknown kind 'bidd' (did you mean 'bid'?)"


def test_an_unknown_kind_far_from_any_lists_the_kinds() -> None:
    assert "expected one of: linked, interest," in reason("kind", "gossip")


def test_a_retraction_is_refused_with_the_command_that_does_it() -> None:
    assert "rumours retract" in reason("kind", "retraction")


def test_a_claim_without_a_player_is_a_club_only_claim_for_weak_kinds() -> None:
    for kind in ("linked", "interest", "enquiry", "talks", "cooled"):
        claim = validate_claim({"reported_on": "2025-01-05", "kind": kind, "club": "Wolves"})
        assert isinstance(claim, ClaimInput)
        assert claim.player is None


def test_stronger_kinds_need_a_player() -> None:
    found = reason("player", None, kind="bid")
    assert found.startswith("required for a bid claim")


def test_pursuit_kinds_need_a_club_but_player_facts_do_not() -> None:
    assert reason("club", None, kind="medical").startswith("required for a medical claim")
    assert valid(kind="contract_extension", club=None).club is None


def test_a_release_clause_needs_a_fee_with_an_amount() -> None:
    assert reason("fee", None, kind="release_clause") == "required for a release_clause claim"
    assert "needs an amount" in reason("fee", "undisclosed", kind="release_clause")
    assert valid(kind="release_clause", club=None, fee="€15m").fee is not None


# --- unknown fields -----------------------------------------------------------------------


def test_an_unknown_field_is_named_with_a_suggestion_when_close() -> None:
    assert reasons({**BID, "plyer": "x"}, "plyer") == ["unknown field (did you mean 'player'?)"]
    assert reasons({**BID, "Reported On": "x"}, "Reported On") == [
        "unknown field (did you mean 'reported_on'?)"
    ]


def test_an_unknown_field_far_from_any_lists_the_known_fields() -> None:
    (found,) = reasons({**BID, "colour": "red"}, "colour")
    assert found.startswith("unknown field (expected one of: reported_on, kind,")


def test_an_unknown_field_with_a_strange_name_is_quoted_safely() -> None:
    data: dict[str, object] = {**BID, "x\ny" * 50: 1}
    (problem,) = problems(data)
    assert problem.field.startswith("'x\\ny")
    assert len(problem.field) < 70


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["03/02/2025", "2025-2-3", "3 Feb 2025", "2025-02-03T10:00"])
def test_dates_must_be_written_year_month_day(text: str) -> None:
    assert reason("reported_on", text).startswith("expected a date written YYYY-MM-DD")


def test_an_impossible_date_is_named_as_such() -> None:
    assert reason("reported_on", "2025-02-30") == (
        "2025-02-30 is not a real date (February 2025 has 28 days)"
    )
    assert (
        reason("reported_on", "2025-13-01")
        == "2025-13-01 is not a real date (there is no month 13)"
    )
    assert valid(reported_on="2024-02-29").reported_on == date(2024, 2, 29)


def test_dates_before_1900_or_after_tomorrow_are_refused() -> None:
    assert reason("reported_on", "1899-12-31") == "1899-12-31 is before 1900-01-01"
    tomorrow = date.today() + timedelta(days=1)
    assert valid(reported_on=tomorrow.isoformat()).reported_on == tomorrow
    later = (tomorrow + timedelta(days=1)).isoformat()
    assert reason("reported_on", later).startswith(f"{later} is in the future")


def test_a_date_seen_again_is_checked_again_the_same_way() -> None:
    # Parsed dates are kept per text: a refused one must be refused again, a good one equal.
    later = (date.today() + timedelta(days=2)).isoformat()
    assert reason("reported_on", later) == reason("reported_on", f" {later} ")
    assert reason("reported_on", "2025-02-30") == reason("reported_on", "2025-02-30")
    first, again = (valid(reported_on="2024-05-06").reported_on for _ in range(2))
    assert first == again == date(2024, 5, 6)


def test_a_date_of_the_wrong_type_says_what_it_got() -> None:
    assert reason("reported_on", 20250203) == (
        "expected a date written YYYY-MM-DD, got the number 20250203"
    )


def test_python_callers_may_pass_date_objects() -> None:
    assert valid(reported_on=date(2025, 2, 3)).reported_on == date(2025, 2, 3)


def test_effective_on_may_be_at_most_366_days_after_reported_on() -> None:
    assert valid(effective_on="2026-02-04").effective_on == date(2026, 2, 4)
    assert reason("effective_on", "2026-02-05") == (
        "2026-02-05 is more than 366 days after reported_on (2025-02-03)"
    )


# --- renewed, deal, fee -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), ("TRUE", True), ("yes", True), ("1", True), (False, False), ("No", False),
     ("0", False), ("", False), (None, False)],
)  # fmt: skip
def test_renewed_accepts_booleans_and_their_csv_spellings(raw: object, expected: bool) -> None:
    assert valid(renewed=raw).renewed is expected


@pytest.mark.parametrize("raw", ["maybe", 2, [True]])
def test_renewed_refuses_anything_else(raw: object) -> None:
    assert reason("renewed", raw).startswith("expected true or false")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("loan with obligation", DealType.LOAN_WITH_OBLIGATION),
     ("Loan-With-Option", DealType.LOAN_WITH_OPTION),
     ("loan with an option to buy".replace(" an", ""), DealType.LOAN_WITH_OPTION),
     ("free transfer", DealType.FREE), ("LOAN", DealType.LOAN)],
)  # fmt: skip
def test_deal_types_are_accepted_with_spaces_or_hyphens(raw: str, expected: DealType) -> None:
    assert valid(deal=raw).deal is expected


def test_an_unknown_deal_type_lists_the_known_ones() -> None:
    assert reason("deal", "swap") == (
        "unknown deal type 'swap' (expected one of: permanent, free, loan, loan_with_option, "
        "loan_with_obligation)"
    )


def test_a_fee_may_be_an_object_with_amount_and_currency() -> None:
    claim = valid(fee={"amount": "70000000", "currency": "GBP"})
    assert claim.fee is not None
    assert (claim.fee.amount, claim.fee.currency) == (Decimal(70_000_000), "GBP")


def test_a_fee_the_parser_refuses_gives_the_parsers_reason() -> None:
    found = reason("fee", "£-5m")
    assert "negative" in found
    assert not found.endswith(".")


def test_a_fee_of_the_wrong_type_shows_both_accepted_forms() -> None:
    assert reason("fee", 70).startswith('expected fee text such as "£70m" or an object like')


# --- text fields --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["player", "club", "from_club", "source", "journalist", "id"])
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\n", "\x7f", "\u2028"])
def test_control_characters_are_refused_in_names(field: str, char: str) -> None:
    found = reason(field, f"Marc{char}Guehi")
    assert found == f"contains a control character (U+{ord(char):04X})"


def test_evidence_may_hold_newlines_and_tabs_but_no_other_control_character() -> None:
    assert valid(evidence="a\r\nb\tc").evidence == "a\nb\tc"
    assert reason("evidence", "a\x07b") == "contains a control character (U+0007)"


@pytest.mark.parametrize(
    ("field", "limit"), [("player", 120), ("url", 2000), ("evidence", 4000), ("id", 200)]
)
def test_text_fields_have_length_limits(field: str, limit: int) -> None:
    prefix = "https://example.com/" if field == "url" else ""
    fits = prefix + "x" * (limit - len(prefix))
    assert getattr(valid(**{field: fits}), field) == fits
    assert reason(field, fits + "x") == f"too long ({limit + 1} characters, limit {limit})"


@pytest.mark.parametrize(
    ("raw", "said"),
    [(7, "the number 7"), (1.5, "the number 1.5"), (["Marc"], "a list"),
     ({"name": "Marc"}, "an object"), (True, "true")],
)  # fmt: skip
def test_a_value_of_the_wrong_json_type_says_what_it_got(raw: object, said: str) -> None:
    assert reason("player", raw) == f"expected text, got {said}"


def test_strings_are_stripped() -> None:
    assert valid(player="  Marc Guehi\t").player == "Marc Guehi"


def test_sql_and_option_lookalikes_are_ordinary_text_where_text_is_free() -> None:
    claim = valid(evidence="Robert'); DROP TABLE events;--", source="--help")
    assert claim.evidence == "Robert'); DROP TABLE events;--"
    assert claim.source == "--help"


def test_a_player_name_with_sql_punctuation_is_not_a_name() -> None:
    assert "is not a person's name" in reason("player", "Robert'); DROP TABLE events;--")


def test_an_id_may_be_a_whole_number_but_not_a_fraction_or_boolean() -> None:
    assert valid(id=12).id == "12"
    assert reason("id", 1.5) == "expected text or a whole number, got the number 1.5"
    assert reason("id", True) == "expected text or a whole number, got true"


@pytest.mark.parametrize("url", ["www.example.com", "ftp://example.com/x", "javascript:alert(1)"])
def test_a_url_must_be_a_web_address(url: str) -> None:
    assert reason("url", url).startswith("expected a web address starting http:// or https://")


def test_an_extraction_is_checked_part_by_part() -> None:
    extraction = {
        "sentence": "s",
        "span": [0, 1],
        "confidence": 0.9,
        "rule": "r",
        "article_id": "a",
    }
    claim = valid(extraction=extraction)
    assert claim.extraction is not None
    assert claim.extraction.span == (0, 1)
    broken = {**extraction, "confidence": 3, "span": "x"}
    del broken["rule"]
    found = reason("extraction", broken)
    assert "confidence should be a number from 0 to 1" in found
    assert "rule is missing" in found


# --- all problems, one line each ------------------------------------------------------------


def test_every_problem_of_a_claim_is_returned_in_field_order() -> None:
    data = {"kind": "bid", "zzz": 1, "renewed": "perhaps", "reported_on": "2025-02-30", "player": 5}
    assert [problem.field for problem in problems(data)] == [
        "reported_on",
        "player",
        "club",
        "renewed",
        "zzz",
    ]


def test_echoed_input_is_escaped_and_cut_short() -> None:
    found = reason("reported_on", "2025\n" + "x" * 500)
    assert found.startswith("expected a date written YYYY-MM-DD, got '2025\\nxxx")
    assert found.endswith("x…'")
    assert len(found) < 100


def test_a_problem_is_formatted_as_file_line_field_reason() -> None:
    problem = FieldProblem("player", "required for a bid claim")
    assert (
        format_problem("claims.jsonl", 3, problem)
        == "claims.jsonl:3: player: required for a bid claim"
    )


def test_a_formatted_problem_never_spans_lines() -> None:
    formatted = format_problem("odd\nname.csv", 1, FieldProblem("x\r\ny", "a\u2028b"))
    assert len(formatted.splitlines()) == 1
