"""`ingest-articles`: raw articles in, stored once, claims extracted by rules and appended.

Each article is stored immutable and content-hashed (a second ingest of the same text is a
no-op); its extracted claims go through the same validation, resolution and idempotent append
as structured claims, with the article id, sentence and span in their payload. Everything
happens in one transaction, like `ingest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import structlog

from ledger.clubs import club_registry
from ledger.database import translated_errors
from ledger.errors import ArticleFormatError, InputError, UnknownNameError
from ledger.extract import Article, ExtractedClaim, extract_claims, parse_article
from ledger.ingest.batches import BatchWriter
from ledger.ingest.claim_input import validate_claim
from ledger.ingest.resolve import ClaimResolver
from ledger.player_directory import PlayerDirectory
from ledger.players import KnownPlayer
from ledger.sources import checked_source_name, source_registry

log = structlog.get_logger(__name__)
MAX_ARTICLE_BYTES = 2_000_000


@dataclass(slots=True)
class ArticleReport:
    articles: int = 0
    stored: int = 0
    claims: list[dict[str, Any]] = field(default_factory=list)
    appended: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        return {"articles": self.articles, "stored": self.stored, "extracted": len(self.claims),
                "appended": self.appended, "duplicates": self.duplicates, "errors": self.errors,
                "claims": self.claims}  # fmt: skip


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
) -> ArticleReport:
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
        for article in articles:
            report.stored += 0 if dry_run else int(_store_article(conn, article, publisher))
            extracted = [c for c in extract_claims(article, publisher=publisher, known_players=known)
                         if c.confidence >= min_confidence]  # fmt: skip
            _append_claims(article, extracted, resolver, writer, report)
        writer.flush()
        report.appended, report.duplicates = writer.appended, writer.duplicates
        if dry_run:
            conn.rollback()
    log.info(
        "articles_ingested",
        articles=report.articles,
        claims=len(report.claims),
        appended=report.appended,
    )
    return report


def _append_claims(
    article: Article,
    extracted: list[ExtractedClaim],
    resolver: ClaimResolver,
    writer: BatchWriter,
    report: ArticleReport,
) -> None:
    context = sorted({c.player for c in extracted if c.player and len(c.player.split()) > 1})
    for claim in extracted:
        data = claim.to_claim_dict()
        checked = validate_claim(data)
        resolved = checked if isinstance(checked, list) else resolver.resolve(checked, context)
        if isinstance(resolved, list):
            reasons = "; ".join(f"{p.field}: {p.reason}" for p in resolved)
            report.errors.append(f"{article.name}: claim '{claim.rule}' skipped: {reasons}")
            continue
        report.claims.append(data)
        writer.add(resolved, {"article_id": article.article_id})
