"""Extraction quality against hand labels (SPEC §8): precision ≥ 0.9 and recall ≥ 0.8.

The seed articles live outside the repository (`../shared/seeds`); their test is skipped when
they are absent. The project's own articles and labels ship in `tests/articles` and
`tests/labels`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.extract import Report, format_report, run_evaluation

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
ARTICLES = REPO / "tests" / "articles"
LABELS = REPO / "tests" / "labels"


def check(report: Report) -> None:
    shown = format_report(report)
    assert report.overall.precision >= 0.9, shown
    assert report.overall.recall >= 0.8, shown


@pytest.mark.seeds
def test_extraction_on_the_seed_articles_meets_the_spec_targets() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not available")
    report = run_evaluation(seeds, LABELS / "seeds.jsonl")
    assert report.articles == 3
    check(report)


def test_extraction_on_the_projects_own_articles_meets_the_spec_targets() -> None:
    articles = sorted(ARTICLES.glob("*.txt"))
    assert len(articles) >= 12
    check(run_evaluation(articles, LABELS / "own.jsonl"))


def test_every_labelled_article_exists_and_every_article_is_labelled_or_claim_free() -> None:
    names = {path.name for path in ARTICLES.glob("*.txt")}
    labelled = {
        line.split('"article": "', 1)[1].split('"', 1)[0]
        for line in (LABELS / "own.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert labelled <= names
    assert names - labelled == {"13_match_report_no_transfers.txt"}
