"""Dates and moments as people type them, for every front end: one-line errors naming the field.

The CLI (`--as-of`, `--known-at`) and the HTTP API (`as_of`, `known_at`) take the same text and
must refuse it the same way; only the field's name differs. Bad text is quoted with `repr`, so a
control character cannot break the error onto a second line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ledger.errors import InputError


def parse_date(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field}: {text[:40]!r} is not a date like 2025-02-03") from None


def parse_moment(text: str | None, field: str) -> datetime | None:
    """An ISO timestamp; a naive one means UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{field}: {text[:40]!r} is not a timestamp like 2025-02-03T12:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
