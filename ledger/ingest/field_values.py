"""One field of a structured claim at a time: the value a person wrote, checked and typed.

Each checker turns what a JSON or CSV record holds for one field into its typed value (a date, a
`Fee`, a `DealType`, a trimmed name) or raises `BadValueError` with the one line to show; the
rules across fields (a player for this kind, dates in order) are `ledger.ingest.claim_input`'s.
The message helpers (`echo`, `one_line`, `did_you_mean`) are shared by every ingest message.

Why this module runs a little past 300 lines: it is one checker per field of SPEC §4.1, each a
few lines, kept side by side so every field's rule and its error line can be compared at a glance.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import re
from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ledger.claim_kinds import ClaimKind
from ledger.errors import FeeError
from ledger.events import CLAIM_KINDS, DatePrecision, DealType, Extraction
from ledger.money import Fee
from ledger.money.fee_values import fee_from_value

EARLIEST_DATE = date(1900, 1, 1)
NAME_LIMIT, URL_LIMIT, EVIDENCE_LIMIT, ID_LIMIT, FEE_TEXT_LIMIT = 120, 2000, 4000, 200, 200
ECHO_LIMIT, REASON_LIMIT = 40, 300
_STRIPPED = " \t\r\n\u00a0"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
PLAIN_LABEL = re.compile(r"[A-Za-z0-9_.\- ]{1,40}")
_SEPARATORS = re.compile(r"[\s\-]+")
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0", ""})
_DEAL_SUFFIXES = ("_to_buy", "_to_purchase", "_transfer", "_deal")
INGEST_KINDS: tuple[ClaimKind, ...] = tuple(k for k in CLAIM_KINDS if k != ClaimKind.RETRACTION)


class BadValueError(Exception):
    """A field's value is unacceptable; the message is the reason shown to the user."""


def one_line(text: str) -> str:
    """Escape every line break and control character, so a message can never span lines."""
    return CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def echo(text: str) -> str:
    """Quote user input for a message: repr-escaped and cut to ECHO_LIMIT characters."""
    return repr(text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…")


def did_you_mean(name: str, choices: Collection[str]) -> str | None:
    """The choice closest to a misspelt name, if one is close enough to suggest."""
    if len(name) > 3 * ECHO_LIMIT:
        return None
    close = difflib.get_close_matches(_identifier(name), list(choices), n=1, cutoff=0.7)
    return str(close[0]) if close else None  # plain text, even when the choices are StrEnums


def hint(name: str, choices: Collection[str]) -> str:
    suggestion = did_you_mean(name, choices)
    if suggestion is not None:
        return f" (did you mean {suggestion!r}?)"
    return f" (expected one of: {', '.join(choices)})"


def _identifier(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower())


def _describe(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int) and raw.bit_length() > 256:
        return "a number with too many digits"
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
        return f"the number {text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + '…'}"
    if isinstance(raw, list | tuple):
        return "a list"
    if isinstance(raw, dict):
        return "an object"
    return "a value of another type" if not isinstance(raw, str) else echo(raw)


def _text(raw: object, limit: int, forbidden: re.Pattern[str] = CONTROL) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise BadValueError(f"expected text, got {_describe(raw)}")
    text = raw.replace("\r\n", "\n").strip(_STRIPPED)
    if len(text) > limit:
        raise BadValueError(f"too long ({len(text)} characters, limit {limit})")
    bad = forbidden.search(text)
    if bad is not None:
        raise BadValueError(f"contains a control character (U+{ord(bad.group()):04X})")
    return text or None


def _name(raw: object) -> str | None:
    return _text(raw, NAME_LIMIT)


# Letters (any script), combining marks, spaces, apostrophes, hyphens and dots: every real
# player's name fits, and `;`, `(`, `=` or `<` never appear in one.
_PERSON_NAME = re.compile(r"[^\W\d_]+(?:[ '’.\-]+[^\W\d_]+)*\.?")


def _person(raw: object) -> str | None:
    text = _name(raw)
    if text is not None and not _PERSON_NAME.fullmatch(text):
        raise BadValueError(f"{echo(text)} is not a person's name (letters, spaces, ' - . only)")
    return text


def _evidence(raw: object) -> str | None:
    return _text(raw, EVIDENCE_LIMIT, _CONTROL_BUT_NEWLINE_TAB)


def _client_id(raw: object) -> str | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() <= 256:
        raw = str(raw)
    elif raw is not None and not isinstance(raw, str):
        raise BadValueError(f"expected text or a whole number, got {_describe(raw)}")
    return _text(raw, ID_LIMIT)


def _url(raw: object) -> str | None:
    text = _text(raw, URL_LIMIT)
    if text is None:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise BadValueError(
            f"expected a web address starting http:// or https://, got {echo(text)}"
        )
    if any(ch.isspace() for ch in text):
        raise BadValueError("a web address may not contain spaces")
    return text


def _date(raw: object) -> date | None:
    if isinstance(raw, str):
        text = raw.strip(_STRIPPED)
        return _date_of_text(text, _latest_date()) if text else None
    if raw is None:
        return None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return _in_range(raw, _latest_date())
    raise BadValueError(f"expected a date written YYYY-MM-DD, got {_describe(raw)}")


@functools.lru_cache(maxsize=8192)
def _date_of_text(text: str, latest: date) -> date:
    """A claim file repeats a few thousand days: each text is parsed and checked once (a refused
    one is not cached, so it is refused again with the same message)."""
    return _in_range(_parse_iso_date(text), latest)


def _latest_date() -> date:
    return date.today() + timedelta(days=1)


def _in_range(value: date, latest: date) -> date:
    if value < EARLIEST_DATE:
        raise BadValueError(f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}")
    if value > latest:
        raise BadValueError(f"{value.isoformat()} is in the future (latest allowed {latest})")
    return value


def _parse_iso_date(text: str) -> date:
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise BadValueError(f"expected a date written YYYY-MM-DD, got {echo(text)}")
    year, month, day = (int(part) for part in match.groups())
    if year < EARLIEST_DATE.year:
        raise BadValueError(f"{text} is before {EARLIEST_DATE.isoformat()}")
    if not 1 <= month <= 12:
        raise BadValueError(f"{text} is not a real date (there is no month {month})")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = calendar.month_name[month]
        raise BadValueError(f"{text} is not a real date ({month_name} {year} has {days} days)")
    return date(year, month, day)


def _kind(raw: object) -> str | None:
    text = _text(raw, NAME_LIMIT)
    if text is None:
        return None
    key = _identifier(text)
    if key == ClaimKind.RETRACTION:
        raise BadValueError(
            "retractions are not read from claim files: "
            "use `rumours retract EVENT_ID --reason TEXT`"
        )
    if key not in INGEST_KINDS:
        raise BadValueError(f"unknown kind {echo(text)}{hint(key, INGEST_KINDS)}")
    return key


def _deal(raw: object) -> DealType | None:
    text = _text(raw, NAME_LIMIT)
    if text is None:
        return None
    key = _identifier(text)
    for suffix in _DEAL_SUFFIXES:
        if key.endswith(suffix) and key != suffix:
            key = key.removesuffix(suffix)
            break
    try:
        return DealType(key)
    except ValueError:
        choices = [deal.value for deal in DealType]
        raise BadValueError(f"unknown deal type {echo(text)}{hint(key, choices)}") from None


_YEAR_OR_MONTH = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")


def _stated_date(raw: object) -> tuple[date, DatePrecision] | None:
    """`2022-05-17`, or `2022-05` / `2022` when only the month or year is known."""
    text = raw.strip(_STRIPPED) if isinstance(raw, str) else None
    coarse = _YEAR_OR_MONTH.fullmatch(text) if text else None
    if coarse is None:
        day = _date(raw)
        return None if day is None else (day, DatePrecision.DAY)
    year, month = int(coarse[1]), int(coarse[2] or 1)
    if not 1 <= month <= 12 or year < EARLIEST_DATE.year:
        raise BadValueError(f"{echo(text or '')} is not a year (2022) or a month (2022-05)")
    precision = DatePrecision.MONTH if coarse[2] else DatePrecision.YEAR
    return date(year, month, 1), precision


def _renewed(raw: object) -> bool:
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip(_STRIPPED).lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise BadValueError(f"expected true or false (or yes/no, 1/0), got {_describe(raw)}")


def _fee(raw: object) -> Fee | None:
    if isinstance(raw, str):
        text = _text(raw, FEE_TEXT_LIMIT)
        if text is None:
            return None
        raw = text
    elif raw is None:
        return None
    elif not isinstance(raw, dict):
        raise BadValueError(
            'expected fee text such as "£70m" or an object like '
            f'{{"amount": "70000000", "currency": "GBP"}}, got {_describe(raw)}'
        )
    try:
        return fee_from_value(raw)
    except FeeError as exc:
        raise BadValueError(one_line(str(exc)).removesuffix(".")) from exc


def _extraction(raw: object) -> Extraction | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadValueError(f"expected an object with the extraction details, got {_describe(raw)}")
    try:
        return Extraction.model_validate(raw)
    except ValidationError as exc:
        raise BadValueError("; ".join(_explain(error) for error in exc.errors()[:3])) from None


_EXTRACTION_PARTS = {
    "sentence": "should be the sentence, as text",
    "span": "should be a pair of character positions",
    "confidence": "should be a number from 0 to 1",
    "rule": "should be the rule's name, as text",
    "article_id": "should be the article's id, as text",
}


def _explain(error: ErrorDetails) -> str:
    part = str(error["loc"][0]) if error["loc"] else "extraction"
    label = part if PLAIN_LABEL.fullmatch(part) else echo(part)
    if error["type"] == "missing":
        return f"{label} is missing"
    return f"{label} {_EXTRACTION_PARTS.get(part, 'is not a part of an extraction')}"


FIELD_CHECKS: dict[str, Callable[[object], object]] = {
    "reported_on": _date, "kind": _kind, "player": _person, "club": _name, "from_club": _name,
    "fee": _fee, "deal": _deal, "source": _name, "journalist": _name, "url": _url,
    "evidence": _evidence, "renewed": _renewed, "effective_on": _stated_date,
    "background": _renewed, "id": _client_id, "extraction": _extraction,
}  # fmt: skip
