"""Scoring extraction against hand labels: matching, per-kind figures and the report text."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ledger.errors import ClaimValidationError
from ledger.extract import (
    Article,
    ExtractedClaim,
    Label,
    evaluate,
    extract_claims,
    format_report,
    load_labels,
    parse_article,
    run_evaluation,
)

STORY = (
    "Brentford have had a €20m bid for Lyon winger Yanis Berrada rejected.\n\n"
    "Fulham are also monitoring the 22-year-old."
)


def article() -> Article:
    return parse_article(f"date 2025-01-10 {STORY}", "story.txt")


def label(
    kind: str,
    club: str | None,
    *,
    from_club: str | None = None,
    fee: str | None = None,
    deal: str | None = None,
    renewed: bool = False,
) -> Label:
    return Label("story.txt", kind, "Yanis Berrada", club, from_club, fee, deal, renewed)


def test_a_perfect_extraction_scores_one_and_one() -> None:
    labels = [
        label("bid_rejected", "Brentford", from_club="Lyon", fee="€20m"),
        label("interest", "Fulham", from_club="Lyon"),
    ]
    report = evaluate({"story.txt": article()}, labels)
    assert (report.overall.precision, report.overall.recall) == (1.0, 1.0)
    assert report.mismatches == ()


def test_clubs_match_by_canonical_id_and_players_by_folded_name() -> None:
    labels = [
        label("bid_rejected", "Brentford FC", from_club="Lyon", fee="€20m"),
        replace(label("interest", "Fulham FC", from_club="Lyon"), player="yanis BERRADA"),
    ]
    report = evaluate({"story.txt": article()}, labels)
    assert report.overall.matched == 2


def test_a_missing_and_a_spurious_claim_lower_recall_and_precision_per_kind() -> None:
    labels = [label("bid_rejected", "Brentford"), label("enquiry", "Fulham")]
    report = evaluate({"story.txt": article()}, labels)
    scores = {score.kind: score for score in report.per_kind}
    assert (scores["enquiry"].recall, scores["interest"].precision) == (0.0, 0.0)
    assert scores["bid_rejected"].precision == 1.0
    assert report.overall.precision == pytest.approx(0.5)
    assert report.overall.recall == pytest.approx(0.5)


def test_wrong_fee_deal_or_renewal_is_a_mismatch_not_a_miss() -> None:
    labels = [
        label("bid_rejected", "Brentford", fee="€25m", deal="loan", renewed=True, from_club="Lyon")
    ]
    report = evaluate({"story.txt": article()}, labels)
    assert report.overall.matched == 1
    assert {m.field for m in report.mismatches} == {"fee", "deal", "renewed"}


def test_equal_amounts_written_differently_are_the_same_fee() -> None:
    labels = [label("bid_rejected", "Brentford", fee="€20 million", from_club="Lyon")]
    report = evaluate({"story.txt": article()}, labels)
    assert report.mismatches == ()


def test_the_minimum_confidence_filters_predictions() -> None:
    def unsure(art: Article) -> list[ExtractedClaim]:
        return [replace(c, confidence=0.1) for c in extract_claims(art)]

    report = evaluate({"story.txt": article()}, [], unsure, min_confidence=0.5)
    assert report.overall.matched + report.overall.spurious == 0


def test_labels_of_articles_not_evaluated_are_ignored() -> None:
    report = evaluate(
        {"story.txt": article()}, [replace(label("bid", "Brentford"), article="x.txt")]
    )
    assert report.overall.missed == 0


def test_the_report_text_has_a_row_per_kind_and_an_overall_row() -> None:
    text = format_report(evaluate({"story.txt": article()}, [label("enquiry", "Fulham")]))
    assert "precision" in text and "recall" in text
    assert any(line.startswith("overall") for line in text.splitlines())
    assert "missed (labelled, not extracted): 1" in text


def test_run_evaluation_reads_article_files_and_a_labels_file(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(f"date 2025-01-10 {STORY}", encoding="utf-8")
    rows = [
        {"article": "story.txt", "kind": "bid_rejected", "player": "Yanis Berrada",
         "club": "Brentford", "from_club": "Lyon", "fee": "€20m", "deal": None, "renewed": False},
    ]  # fmt: skip
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = run_evaluation([tmp_path / "story.txt"], labels)
    assert (report.articles, report.overall.matched, report.overall.missed) == (1, 1, 0)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("not json", "line"),
        ('["a list"]', "line"),
        ('{"article": "a.txt", "kind": "bid"}', "player"),
        ('{"article": "a.txt", "kind": "rumour", "player": "X Y"}', "kind"),
        ('{"article": "a.txt", "kind": "bid", "player": "X Y", "deal": "swap"}', "deal"),
        ('{"article": "a.txt", "kind": "bid", "player": "X Y", "renewed": "yes"}', "renewed"),
        ('{"article": "a.txt", "kind": "bid", "player": "X Y", "colour": "red"}', "colour"),
    ],
)
def test_a_bad_label_line_is_reported_with_file_and_line(
    tmp_path: Path, line: str, field: str
) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"article": "a.txt", "kind": "bid", "player": "X Y"}\n' + line + "\n")
    with pytest.raises(ClaimValidationError) as caught:
        load_labels(path)
    assert (caught.value.location, caught.value.field) == ("labels.jsonl:2", field)
