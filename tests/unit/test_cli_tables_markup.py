"""The review queue and an article dry run print names from articles: shown as written, never
read as rich markup (a `[/red]` in a name would otherwise raise, a `[bold]` restyle the table)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from ledger.cli import article_commands, review_commands
from ledger.ingest.articles import ArticleReport
from ledger.review.items import ReviewItem

HOSTILE = "[bold]Evil[/bold] [red]"
STRAY = "Stray [/red] Close"


def claim() -> dict[str, object]:
    return {"kind": "interest", "player": HOSTILE, "club": STRAY, "from_club": STRAY,
            "source": HOSTILE, "reported_on": "2025-01-02", "fee": None,
            "extraction": {"confidence": 0.5}}  # fmt: skip


def words_shown(printed: str) -> None:
    for word in f"{HOSTILE} {STRAY}".split():
        assert word in printed, (word, printed)


def test_the_review_queue_shows_names_with_brackets_as_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that no name is folded mid-word
    item = ReviewItem(
        item_id=uuid.uuid4(), article_id="a1", claim=claim(), player_context=(),
        sentence=f"{HOSTILE} is wanted by {STRAY}.", span=(0, 10), confidence=0.5,
        rule="r", queued_at=datetime(2025, 1, 2, tzinfo=UTC), decision=None,
    )  # fmt: skip
    review_commands._print_items([item], include_decided=False)
    words_shown(capsys.readouterr().out)


def test_an_article_dry_run_shows_names_with_brackets_as_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that no name is folded mid-word
    report = ArticleReport(articles=1, claims=[claim()], queued_claims=[claim()], dry_run=True)
    article_commands._print(report)
    words_shown(capsys.readouterr().out)
