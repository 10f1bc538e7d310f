"""Articles in the seed format (SPEC §4.2): the word `date`, an ISO date, then the body.

An article is identified by the sha256 of its normalised full text, so the same story saved with
curly or straight quotes, a BOM or Windows line endings is one article, not two.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger.errors import ArticleFormatError
from ledger.extract.text import normalise

_HEADER = re.compile(r"(?P<word>\S+)(?:\s+(?P<date>\S+))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_WORD = re.compile(r"date:?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Article:
    """One parsed article; `body` is normalised text and every extraction span points into it."""

    name: str
    published_on: date
    body: str
    content_hash: str

    @property
    def article_id(self) -> str:
        """A short stable id: the first 16 hex digits of the content hash."""
        return self.content_hash[:16]


def parse_article(text: str, name: str) -> Article:
    """Read `date YYYY-MM-DD body`; ArticleFormatError (naming `name`) when the header is wrong."""
    clean = normalise(text).strip()
    header = _HEADER.match(clean)
    if header is None:
        raise ArticleFormatError(f"{name}: the article is empty")
    if not _DATE_WORD.fullmatch(header["word"]):
        shown = header["word"][:30]
        raise ArticleFormatError(f"{name}: expected the word 'date' first, found {shown!r}")
    published = _published_on(header["date"], name)
    body = clean[header.end() :].strip()
    if not body:
        raise ArticleFormatError(f"{name}: the article has a date but no body")
    digest = hashlib.sha256(clean.encode("utf-8")).hexdigest()
    return Article(name=name, published_on=published, body=body, content_hash=digest)


def _published_on(raw: str | None, name: str) -> date:
    if raw is None:
        raise ArticleFormatError(f"{name}: 'date' is not followed by a date")
    if not _ISO_DATE.fullmatch(raw):
        raise ArticleFormatError(f"{name}: {raw[:30]!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ArticleFormatError(f"{name}: {raw!r} is not a real calendar date") from exc


def read_article(path: str | Path) -> Article:
    """Load and parse one article file (UTF-8, BOM allowed); the file name names the article."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ArticleFormatError(f"{file.name}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(f"{file.name}: is not UTF-8 text") from exc
    if "\x00" in text:
        raise ArticleFormatError(f"{file.name}: is a binary file, not an article")
    return parse_article(text, file.name)
