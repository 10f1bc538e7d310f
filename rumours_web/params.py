"""Query parameters as people type them: dates and moments, parsed into one-line 400 errors."""

from __future__ import annotations

from datetime import date, datetime

from ledger.errors import InputError
from projections.moments import parse_date, parse_moment

MAX_NAME_CHARS = 200


def as_of_date(text: str | None) -> date | None:
    return parse_date(text or None, "as_of")  # an emptied form field means "today"


def known_at_moment(text: str | None) -> datetime | None:
    return parse_moment(text or None, "known_at")


def typed_name(text: str, what: str) -> str:
    """A name from a URL or a search box, refused when it could not be anyone's."""
    name = text.strip()
    if not name:
        raise InputError(f"{what}: a name is needed")
    if len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise InputError(f"{what}: not a name (too long, or holds control characters)")
    return name
