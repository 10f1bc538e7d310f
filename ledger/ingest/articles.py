"""`ingest-articles`: raw articles in, stored once, claims extracted by rules and appended.

Each article is stored immutable and content-hashed (a second ingest of the same text is a
no-op); its extracted claims go through the same validation, resolution and idempotent append
as structured claims, with the article id, sentence and span in their payload. Everything
happens in one transaction, like `ingest`.

Claims are routed by their extraction confidence: below `min_confidence` they are dropped,
below `review_below` they wait in the review queue (`ledger.review`, docs/review.md), and the
rest are appended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ledger.database import translated_errors
from ledger.entities.clubs import club_registry
from ledger.entities.player_directory import PlayerDirectory
from ledger.entities.players import KnownPlayer
from ledger.entities.sources import checked_source_name, source_registry
from ledger.errors import ArticleFormatError, InputError, UnknownNameError
from ledger.extract import Article, ExtractedClaim, extract_claims, parse_article
from ledger.ingest.batches import BatchWriter
from ledger.ingest.claim_input import validate_claim
from ledger.ingest.resolve import ClaimResolver
from ledger.logs import get_logger
from ledger.review.enqueue import queue_claims
from ledger.settings import DEFAULT_REVIEW_BELOW
from ledger.store import lock_ledger

log = get_logger(__name__)
MAX_ARTICLE_BYTES = 2_000_000


@dataclass(slots=True)
class ArticleReport:
    """What an ingest did. `claims`: bound for the ledger; `queued_claims`: sent to review."""

    articles: int = 0
    stored: int = 0
    extracted: int = 0
    claims: list[dict[str, Any]] = field(default_factory=list)
    appended: int = 0
    duplicates: int = 0
    queued_claims: list[dict[str, Any]] = field(default_factory=list)
    queued: int = 0  # new review items (a dry run: items it would add)
    already_queued: int = 0  # claims an earlier ingest had queued
    dropped: int = 0  # below min_confidence
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        # A dry run stores and appends nothing: its counts are what a real run would do.
        stored, appended = (
            ("would_store", "would_append") if self.dry_run else ("stored", "appended")
        )
        return {"articles": self.articles, stored: self.stored, "extracted": self.extracted,
                appended: self.appended, "duplicates": self.duplicates, "queued": self.queued,
                "dry_run": self.dry_run,
                "already_queued": self.already_queued, "dropped": self.dropped,
                "errors": self.errors, "claims": self.claims,
                "queued_claims": self.queued_claims}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _ForReview:
    """Claims of one article held back for review, queued once the appends are done."""

    article_id: str
    claims: list[dict[str, Any]]
    player_context: list[str]


def read_article(path: str) -> Article:
    """Parse one article file; every way it can be unreadable is an ArticleFormatError."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    raw = file.read_bytes()
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleFormatError(f"{path}: larger than {MAX_ARTICLE_BYTES} bytes; not an article")
    if b"\x00" in raw:
        raise ArticleFormatError(f"{path}: binary data, not an article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    return parse_article(text, file.name)


def _checked_publisher(publisher: str) -> str:
    """The publisher stands in as the source of uncited claims: a source name's rules apply."""
    try:
        return checked_source_name(publisher)
    except UnknownNameError as exc:
        raise InputError(f"publisher: {exc}") from None


def _store_article(conn: sa.Connection, article: Article, publisher: str | None) -> bool:
    result = conn.execute(
        sa.text(
            "INSERT INTO articles (article_id, content_hash, name, published_on, publisher, body) "
            "VALUES (:id, :hash, :name, :on, :publisher, :body) ON CONFLICT DO NOTHING"
        ),
        {"id": article.article_id, "hash": article.content_hash, "name": article.name,
         "on": article.published_on, "publisher": publisher, "body": article.body},
    )  # fmt: skip
    return result.rowcount == 1


def ingest_articles(
    engine: sa.Engine,
    paths: Sequence[str],
    *,
    publisher: str | None = None,
    dry_run: bool = False,
    min_confidence: float = 0.0,
    review_below: float = DEFAULT_REVIEW_BELOW,
) -> ArticleReport:
    """Store the articles; append their claims at or above `review_below`, queue those below it
    (down to `min_confidence`, under which they are dropped)."""
    publisher = None if publisher is None else _checked_publisher(publisher)
    articles = [read_article(path) for path in paths]  # every file is checked before any write
    report = ArticleReport(articles=len(articles), dry_run=dry_run)
    with translated_errors(engine.url), engine.connect() as conn, conn.begin():
        directory = PlayerDirectory.load(conn)
        known = [
            KnownPlayer(id=r[0], name=r[1])
            for r in conn.execute(sa.text("SELECT player_id, name FROM players"))
        ]
        resolver = ClaimResolver(club_registry(), source_registry(), directory)
        writer = BatchWriter(conn, directory, batch_size=1_000, dry_run=dry_run)
        held: list[_ForReview] = []
        for article in articles:
            # Stored in a dry run too, to count the new ones: its transaction is rolled back.
            report.stored += int(_store_article(conn, article, publisher))
            extracted = extract_claims(article, publisher=publisher, known_players=known)
            kept = [c for c in extracted if c.confidence >= min_confidence]
            report.extracted += len(extracted)
            report.dropped += len(extracted) - len(kept)
            held.append(_route_claims(article, kept, review_below, resolver, writer, report))
        writer.flush()
        report.appended, report.duplicates = writer.appended, writer.duplicates
        _queue_held(conn, held, report)
        if dry_run:
            conn.rollback()
    log.info(
        "articles_ingested",
        articles=report.articles,
        claims=len(report.claims),
        appended=report.appended,
        queued=report.queued,
    )
    return report


def _route_claims(
    article: Article,
    extracted: list[ExtractedClaim],
    review_below: float,
    resolver: ClaimResolver,
    writer: BatchWriter,
    report: ArticleReport,
) -> _ForReview:
    """Append the sure claims now; return the valid unsure ones (names unresolved) for review."""
    context = sorted({c.player for c in extracted if c.player and len(c.player.split()) > 1})
    held = _ForReview(article.article_id, [], context)
    for claim in extracted:
        data = claim.to_claim_dict()
        checked = validate_claim(data)
        if claim.confidence < review_below and not isinstance(checked, list):
            held.claims.append(data)
            continue
        resolved = checked if isinstance(checked, list) else resolver.resolve(checked, context)
        if isinstance(resolved, list):
            reasons = "; ".join(f"{p.field}: {p.reason}" for p in resolved)
            report.errors.append(f"{article.name}: claim '{claim.rule}' skipped: {reasons}")
            continue
        report.claims.append(data)
        writer.add(resolved, {"article_id": article.article_id})
    return held


def _queue_held(conn: sa.Connection, held: list[_ForReview], report: ArticleReport) -> None:
    """Queue the held claims after the appends, under the ledger lock like every other row a
    writer adds, so two ingests of one article cannot wait on each other's rows (a deadlock)."""
    if not report.dry_run and any(batch.claims for batch in held):
        lock_ledger(conn)
    for batch in held:
        outcome = queue_claims(conn, batch.article_id, batch.claims, batch.player_context,
                               dry_run=report.dry_run)  # fmt: skip
        report.queued_claims.extend(batch.claims)
        report.queued += outcome.new
        report.already_queued += outcome.already
