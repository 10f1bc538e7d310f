"""The review queue end to end through the Python API: queue, list, accept, reject (issue 11).

The article is written here, in our own words. Thresholds are chosen from what the extractor
reports for it (`review_below=1.0` queues every claim), so the tests hold while its rules and
confidences are tuned.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.errors import InputError, ReviewDecidedError, UnknownReviewItemError
from ledger.ingest.articles import ArticleReport, ingest_articles
from ledger.review import ReviewItem, ReviewQueue, Verdict
from projections.api import Boards

ARTICLE = """date 2025-01-10
Arsenal have tabled a £40m bid for Benfica midfielder Tomás Varela, according to Sky Sports.
Tottenham Hotspur are also interested in Tomás Varela, who has two years left on his contract.
"""
OWN_ARTICLES = sorted((Path(__file__).resolve().parents[1] / "articles").glob("*.txt"))
QUEUE_ALL = 1.0  # every confidence the extractor gives is below 1


@pytest.fixture
def article(tmp_path: Path) -> str:
    path = tmp_path / "varela.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return str(path)


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def _queue_all(engine: sa.Engine, article: str) -> ArticleReport:
    report = ingest_articles(engine, [article], review_below=QUEUE_ALL)
    assert report.queued >= 2, "the article gives at least the bid and the interest"
    return report


def _pursuit_item(queue: ReviewQueue) -> ReviewItem:
    return next(item for item in queue.pending() if item.claim["club"] and item.claim["player"])


def test_claims_below_the_threshold_wait_in_the_queue_with_their_sentence_and_span(
    engine: sa.Engine, article: str
) -> None:
    report = _queue_all(engine, article)
    assert (report.appended, len(report.claims)) == (0, 0)
    assert _count(engine, "events") == 0
    items = ReviewQueue(engine).pending()
    assert [item.claim for item in items] == report.queued_claims
    for item in items:
        extraction = item.claim["extraction"]
        assert item.sentence == extraction["sentence"] and item.sentence in ARTICLE
        assert list(item.span) == extraction["span"] and item.span[0] < item.span[1]
        assert (item.confidence, item.rule) == (extraction["confidence"], extraction["rule"])
        assert item.decision is None and len(item.short_id) == 8


def test_the_thresholds_split_claims_into_appended_queued_and_dropped(engine: sa.Engine) -> None:
    paths = [str(path) for path in OWN_ARTICLES[:4]]
    dry = ingest_articles(engine, paths, review_below=0.0, dry_run=True)
    seen = dry.claims  # the valid claims: invalid ones are reported, never appended or queued
    confidences = [claim["extraction"]["confidence"] for claim in seen]
    levels = sorted(set(confidences))
    assert len(levels) >= 3, "four articles of ours give claims of several confidences"
    drop_below, review_below = levels[1], levels[-1]
    report = ingest_articles(engine, paths, min_confidence=drop_below, review_below=review_below)
    assert report.dropped >= sum(1 for c in confidences if c < drop_below) >= 1
    assert report.queued == sum(1 for c in confidences if drop_below <= c < review_below) >= 1
    assert report.appended == sum(1 for c in confidences if c >= review_below) >= 1
    assert report.extracted == dry.extracted
    assert _count(engine, "review_items") == report.queued


def test_ingesting_the_article_again_queues_nothing_twice(engine: sa.Engine, article: str) -> None:
    first = _queue_all(engine, article)
    again = ingest_articles(engine, [article], review_below=QUEUE_ALL)
    assert (again.queued, again.already_queued) == (0, first.queued)
    assert _count(engine, "review_items") == first.queued


def test_a_dry_run_says_what_it_would_queue_and_writes_nothing(
    engine: sa.Engine, article: str
) -> None:
    report = ingest_articles(engine, [article], review_below=QUEUE_ALL, dry_run=True)
    assert report.queued == len(report.queued_claims) >= 2
    assert report.as_json()["queued"] == report.queued
    for table in ("articles", "review_items", "events", "players"):
        assert _count(engine, table) == 0, table


def test_accepting_appends_the_claim_as_an_event_that_names_its_reviewer(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    queue = ReviewQueue(engine)
    item = _pursuit_item(queue)
    decision = queue.accept(item.short_id[:6], reviewer="Ana Reviewer")
    assert (decision.verdict, decision.first, decision.appended) == (Verdict.ACCEPTED, True, True)
    with engine.connect() as conn:
        kind, payload, metadata = conn.execute(
            sa.text("SELECT kind, payload, metadata FROM events WHERE event_id = :e"),
            {"e": decision.event_id},
        ).one()
    assert kind == item.claim["kind"]
    assert payload["extraction"]["sentence"] == item.sentence
    assert metadata["review"] == {"item_id": str(item.item_id), "reviewer": "Ana Reviewer"}
    assert metadata["article_id"] == item.article_id
    assert item.item_id not in {pending.item_id for pending in queue.pending()}
    boards = Boards(engine)
    assert boards.project() == decision.position
    assert boards.status(item.claim["player"]).pursuit(item.claim["club"]) is not None


def test_accepting_twice_appends_once_and_reports_the_first_accept(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    queue = ReviewQueue(engine)
    item = _pursuit_item(queue)
    first = queue.accept(str(item.item_id), reviewer="ana")
    again = queue.accept(item.short_id, reviewer="ben")
    assert (again.first, again.appended, again.reviewer) == (False, False, "ana")
    assert (again.event_id, again.position) == (first.event_id, first.position)
    assert _count(engine, "events") == 1


def test_a_decision_is_final_accept_after_reject_and_reject_after_accept_are_refused(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    queue = ReviewQueue(engine)
    rejected, accepted = queue.pending()[:2]
    queue.reject(rejected.short_id, reviewer="ana", reason="not what the sentence says")
    with pytest.raises(ReviewDecidedError, match=rf"{rejected.short_id} was rejected by ana"):
        queue.accept(rejected.short_id, reviewer="ben")
    queue.accept(accepted.short_id, reviewer="ana")
    with pytest.raises(ReviewDecidedError, match=rf"{accepted.short_id} was accepted by ana"):
        queue.reject(accepted.short_id, reviewer="ben")
    again = queue.reject(rejected.short_id, reviewer="ben")
    assert (again.first, again.reviewer, again.reason) == (
        False,
        "ana",
        "not what the sentence says",
    )
    assert _count(engine, "events") == 1 and _count(engine, "review_decisions") == 2
    decided = {item.item_id: item.decision for item in queue.items(include_decided=True)}
    assert decided[rejected.item_id] is not None and decided[accepted.item_id] is not None


def test_accepting_a_claim_the_ledger_already_holds_appends_nothing(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    direct = ingest_articles(engine, [article], review_below=0.0)  # a later, surer ingest
    assert direct.appended >= 2
    queue = ReviewQueue(engine)
    decisions = [queue.accept(item.short_id, reviewer="ana") for item in queue.pending()]
    assert not any(decision.appended for decision in decisions)
    assert _count(engine, "events") == direct.appended
    with engine.connect() as conn:
        positions = conn.execute(sa.text("SELECT position FROM events")).scalars().all()
    assert sorted(decision.position for decision in decisions) == sorted(positions)


@pytest.mark.parametrize(
    ("given", "message"),
    [("zzzz", "hex digits"), ("ab", "hex digits"), ("0000000000", "no review item"),
     ("", "hex digits")],
)  # fmt: skip
def test_an_id_that_names_no_single_item_is_refused(
    engine: sa.Engine, article: str, given: str, message: str
) -> None:
    _queue_all(engine, article)
    with pytest.raises(UnknownReviewItemError, match=message):
        ReviewQueue(engine).accept(given, reviewer="ana")
    assert _count(engine, "review_decisions") == 0


def test_a_reviewer_name_with_control_characters_is_refused(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    item = ReviewQueue(engine).pending()[0]
    with pytest.raises(InputError, match="--reviewer"):
        ReviewQueue(engine).reject(item.short_id, reviewer="ana\x1b[31m")


def test_reviewers_deciding_one_item_at_once_leave_one_decision_and_at_most_one_event(
    engine: sa.Engine, article: str
) -> None:
    _queue_all(engine, article)
    queue = ReviewQueue(engine)
    item = _pursuit_item(queue)

    def decide(turn: int) -> str:
        try:
            if turn % 2:
                return queue.reject(item.short_id, reviewer=f"r{turn}").verdict.value
            return queue.accept(item.short_id, reviewer=f"r{turn}").verdict.value
        except ReviewDecidedError:
            return "refused"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(decide, range(12)))
    [decision] = [line.decision for line in queue.items() if line.item_id == item.item_id]
    assert decision is not None
    assert set(outcomes) == {decision.verdict.value, "refused"}
    assert outcomes.count("refused") == 6  # every call asking for the other verdict
    assert _count(engine, "review_decisions") == 1
    assert _count(engine, "events") == (1 if decision.verdict is Verdict.ACCEPTED else 0)
