"""Query parameters as people type them: dates and moments, parsed into one-line 400 errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ledger.errors import InputError

MAX_NAME_CHARS = 200


def as_of_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"as_of: {text[:40]!r} is not a date like 2025-02-03") from None


def known_at_moment(text: str | None) -> datetime | None:
    """An ISO timestamp; a naive one means UTC, as in the CLI."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"known_at: {text[:40]!r} is not a timestamp like 2025-02-03T12:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def typed_name(text: str, what: str) -> str:
    """A name from a URL or a search box, refused when it could not be anyone's."""
    name = text.strip()
    if not name:
        raise InputError(f"{what}: a name is needed")
    if len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise InputError(f"{what}: not a name (too long, or holds control characters)")
    return name
