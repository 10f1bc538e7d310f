"""One structured claim as a user wrote it (SPEC §4.1), checked field by field.

`validate_claim` turns a raw record from a JSON or CSV file into a `ClaimInput`, or into the list of
every problem the record has, each a single human-readable line; it never raises on bad input.
Names stay as typed: resolving them to canonical clubs, players and sources is a later step.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from ledger.claim_kinds import CLUB_ONLY_KINDS, ClaimKind
from ledger.errors import FeeError
from ledger.events import CLAIM_KINDS, PURSUIT_KINDS, DatePrecision, DealType, Extraction
from ledger.money import Fee
from ledger.money.fee_values import fee_from_value

CLAIM_FIELDS: tuple[str, ...] = (
    "reported_on", "kind", "player", "club", "from_club", "fee", "deal", "source", "journalist",
    "url", "evidence", "renewed", "effective_on", "background", "id", "extraction",
)  # fmt: skip
CSV_FIELDS: tuple[str, ...] = CLAIM_FIELDS[:-1]  # an extraction is nested: not a CSV cell
INGEST_KINDS: tuple[ClaimKind, ...] = tuple(k for k in CLAIM_KINDS if k != ClaimKind.RETRACTION)
PRICE_KINDS: frozenset[ClaimKind] = frozenset({ClaimKind.RELEASE_CLAUSE, ClaimKind.ASKING_PRICE})
EARLIEST_DATE = date(1900, 1, 1)
MAX_EFFECTIVE_LAG = timedelta(days=366)
NAME_LIMIT, URL_LIMIT, EVIDENCE_LIMIT, ID_LIMIT, FEE_TEXT_LIMIT = 120, 2000, 4000, 200, 200
ECHO_LIMIT, REASON_LIMIT = 40, 300

_STRIPPED = " \t\r\n\u00a0"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_PLAIN_LABEL = re.compile(r"[A-Za-z0-9_.\- ]{1,40}")
_SEPARATORS = re.compile(r"[\s\-]+")
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0", ""})
_DEAL_SUFFIXES = ("_to_buy", "_to_purchase", "_transfer", "_deal")


class ClaimInput(BaseModel):
    """A claim whose every field passed the §4.1 rules; names are still unresolved text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reported_on: date
    kind: str
    player: str | None = Field(default=None, max_length=NAME_LIMIT)
    club: str | None = Field(default=None, max_length=NAME_LIMIT)
    from_club: str | None = Field(default=None, max_length=NAME_LIMIT)
    fee: Fee | None = None
    deal: DealType | None = None
    source: str | None = Field(default=None, max_length=NAME_LIMIT)
    journalist: str | None = Field(default=None, max_length=NAME_LIMIT)
    url: str | None = Field(default=None, max_length=URL_LIMIT)
    evidence: str | None = Field(default=None, max_length=EVIDENCE_LIMIT)
    renewed: bool = False
    effective_on: date | None = None
    effective_precision: DatePrecision = DatePrecision.DAY
    background: bool = False
    id: str | None = Field(default=None, max_length=ID_LIMIT)
    extraction: Extraction | None = None


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field of one claim is unacceptable, as a single line a person can act on."""

    field: str
    reason: str


class _BadValueError(Exception):
    """A field's value is unacceptable; the message is the reason shown to the user."""


def validate_claim(data: dict[str, object]) -> ClaimInput | list[FieldProblem]:
    """Check every field and rule of §4.1; return the claim or all of its problems, by field."""
    values = check_claim(data)
    if isinstance(values, list):
        return values
    return ClaimInput.model_validate({k: v for k, v in values.items() if v is not None})


def check_claim(data: dict[str, object]) -> dict[str, object] | list[FieldProblem]:
    """`validate_claim` without building the model: the checked values by `ClaimInput` field.

    Every value already has its model's type (a `Fee`, a `DealType`, dates), so the bulk ingest
    encodes them directly instead of validating them a second time through pydantic.
    """
    problems = [_unknown_field(str(key)) for key in data if key not in _CHECKS]
    values: dict[str, object] = {}
    for field, check in _CHECKS.items():
        try:
            values[field] = check(data.get(field))
        except _BadValueError as exc:
            problems.append(FieldProblem(field, _cut(str(exc))))
    stated = values.pop("effective_on", None)
    if isinstance(stated, tuple):
        values["effective_on"], values["effective_precision"] = stated
    problems.extend(_rule_problems(values))
    if problems:
        return sorted(problems, key=_field_order)
    return values


def format_problem(file: str, line: int, problem: FieldProblem) -> str:
    """`FILE:LINE: field: reason`, guaranteed to be one line whatever the input held."""
    return one_line(f"{file}:{line}: {problem.field}: {problem.reason}")


def one_line(text: str) -> str:
    """Escape every line break and control character, so a message can never span lines."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def echo(text: str) -> str:
    """Quote user input for a message: repr-escaped and cut to ECHO_LIMIT characters."""
    return repr(text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…")


def _cut(reason: str) -> str:
    return reason if len(reason) <= REASON_LIMIT else reason[: REASON_LIMIT - 1] + "…"


def did_you_mean(name: str, choices: Collection[str]) -> str | None:
    """The choice closest to a misspelt name, if one is close enough to suggest."""
    if len(name) > 3 * ECHO_LIMIT:
        return None
    close = difflib.get_close_matches(_identifier(name), list(choices), n=1, cutoff=0.7)
    return str(close[0]) if close else None  # plain text, even when the choices are StrEnums


def _hint(name: str, choices: Collection[str]) -> str:
    suggestion = did_you_mean(name, choices)
    if suggestion is not None:
        return f" (did you mean {suggestion!r}?)"
    return f" (expected one of: {', '.join(choices)})"


def _identifier(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower())


def _field_order(problem: FieldProblem) -> int:
    known = problem.field in CLAIM_FIELDS
    return CLAIM_FIELDS.index(problem.field) if known else len(CLAIM_FIELDS)


def _unknown_field(name: str) -> FieldProblem:
    label = name if _PLAIN_LABEL.fullmatch(name) else echo(name)
    return FieldProblem(label, f"unknown field{_hint(name, CLAIM_FIELDS)}")


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


def _text(raw: object, limit: int, forbidden: re.Pattern[str] = _CONTROL) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise _BadValueError(f"expected text, got {_describe(raw)}")
    text = raw.replace("\r\n", "\n").strip(_STRIPPED)
    if len(text) > limit:
        raise _BadValueError(f"too long ({len(text)} characters, limit {limit})")
    bad = forbidden.search(text)
    if bad is not None:
        raise _BadValueError(f"contains a control character (U+{ord(bad.group()):04X})")
    return text or None


def _name(raw: object) -> str | None:
    return _text(raw, NAME_LIMIT)


# Letters (any script), combining marks, spaces, apostrophes, hyphens and dots: every real
# player's name fits, and `;`, `(`, `=` or `<` never appear in one.
_PERSON_NAME = re.compile(r"[^\W\d_]+(?:[ '’.\-]+[^\W\d_]+)*\.?")


def _person(raw: object) -> str | None:
    text = _name(raw)
    if text is not None and not _PERSON_NAME.fullmatch(text):
        raise _BadValueError(f"{echo(text)} is not a person's name (letters, spaces, ' - . only)")
    return text


def _evidence(raw: object) -> str | None:
    return _text(raw, EVIDENCE_LIMIT, _CONTROL_BUT_NEWLINE_TAB)


def _client_id(raw: object) -> str | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() <= 256:
        raw = str(raw)
    elif raw is not None and not isinstance(raw, str):
        raise _BadValueError(f"expected text or a whole number, got {_describe(raw)}")
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
        raise _BadValueError(
            f"expected a web address starting http:// or https://, got {echo(text)}"
        )
    if any(ch.isspace() for ch in text):
        raise _BadValueError("a web address may not contain spaces")
    return text


def _date(raw: object) -> date | None:
    if isinstance(raw, date) and not isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip(_STRIPPED)
        if not text:
            return None
        value = _parse_iso_date(text)
    elif raw is None:
        return None
    else:
        raise _BadValueError(f"expected a date written YYYY-MM-DD, got {_describe(raw)}")
    latest = date.today() + timedelta(days=1)
    if value < EARLIEST_DATE:
        raise _BadValueError(f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}")
    if value > latest:
        raise _BadValueError(f"{value.isoformat()} is in the future (latest allowed {latest})")
    return value


def _parse_iso_date(text: str) -> date:
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise _BadValueError(f"expected a date written YYYY-MM-DD, got {echo(text)}")
    year, month, day = (int(part) for part in match.groups())
    if year < EARLIEST_DATE.year:
        raise _BadValueError(f"{text} is before {EARLIEST_DATE.isoformat()}")
    if not 1 <= month <= 12:
        raise _BadValueError(f"{text} is not a real date (there is no month {month})")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = calendar.month_name[month]
        raise _BadValueError(f"{text} is not a real date ({month_name} {year} has {days} days)")
    return date(year, month, day)


def _kind(raw: object) -> str | None:
    text = _text(raw, NAME_LIMIT)
    if text is None:
        return None
    key = _identifier(text)
    if key == ClaimKind.RETRACTION:
        raise _BadValueError(
            "retractions are not read from claim files: "
            "use `rumours retract EVENT_ID --reason TEXT`"
        )
    if key not in INGEST_KINDS:
        raise _BadValueError(f"unknown kind {echo(text)}{_hint(key, INGEST_KINDS)}")
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
        raise _BadValueError(f"unknown deal type {echo(text)}{_hint(key, choices)}") from None


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
        raise _BadValueError(f"{echo(text or '')} is not a year (2022) or a month (2022-05)")
    precision = DatePrecision.MONTH if coarse[2] else DatePrecision.YEAR
    return date(year, month, 1), precision


def _renewed(raw: object) -> bool:
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip(_STRIPPED).lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise _BadValueError(f"expected true or false (or yes/no, 1/0), got {_describe(raw)}")


def _fee(raw: object) -> Fee | None:
    if isinstance(raw, str):
        text = _text(raw, FEE_TEXT_LIMIT)
        if text is None:
            return None
        raw = text
    elif raw is None:
        return None
    elif not isinstance(raw, dict):
        raise _BadValueError(
            'expected fee text such as "£70m" or an object like '
            f'{{"amount": "70000000", "currency": "GBP"}}, got {_describe(raw)}'
        )
    try:
        return fee_from_value(raw)
    except FeeError as exc:
        raise _BadValueError(one_line(str(exc)).removesuffix(".")) from exc


def _extraction(raw: object) -> Extraction | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _BadValueError(
            f"expected an object with the extraction details, got {_describe(raw)}"
        )
    try:
        return Extraction.model_validate(raw)
    except ValidationError as exc:
        raise _BadValueError("; ".join(_explain(error) for error in exc.errors()[:3])) from None


_EXTRACTION_PARTS = {
    "sentence": "should be the sentence, as text",
    "span": "should be a pair of character positions",
    "confidence": "should be a number from 0 to 1",
    "rule": "should be the rule's name, as text",
    "article_id": "should be the article's id, as text",
}


def _explain(error: ErrorDetails) -> str:
    part = str(error["loc"][0]) if error["loc"] else "extraction"
    label = part if _PLAIN_LABEL.fullmatch(part) else echo(part)
    if error["type"] == "missing":
        return f"{label} is missing"
    return f"{label} {_EXTRACTION_PARTS.get(part, 'is not a part of an extraction')}"


_CHECKS: dict[str, Callable[[object], object]] = {
    "reported_on": _date, "kind": _kind, "player": _person, "club": _name, "from_club": _name,
    "fee": _fee, "deal": _deal, "source": _name, "journalist": _name, "url": _url,
    "evidence": _evidence, "renewed": _renewed, "effective_on": _stated_date,
    "background": _renewed, "id": _client_id, "extraction": _extraction,
}  # fmt: skip


def _rule_problems(values: dict[str, object]) -> Iterator[FieldProblem]:
    """Rules across fields; a field that already failed its own check is not judged again."""
    for field in ("reported_on", "kind"):
        if field in values and values[field] is None:
            yield FieldProblem(field, "required")
    kind = values.get("kind")
    if isinstance(kind, str):
        yield from _kind_rules(kind, values)
    reported, effective = values.get("reported_on"), values.get("effective_on")
    lag = MAX_EFFECTIVE_LAG
    if isinstance(reported, date) and isinstance(effective, date) and effective > reported + lag:
        reason = f"{effective} is more than {lag.days} days after reported_on ({reported})"
        yield FieldProblem("effective_on", reason)


def _kind_rules(kind: str, values: dict[str, object]) -> Iterator[FieldProblem]:
    if "player" in values and values["player"] is None and kind not in CLUB_ONLY_KINDS:
        only = ", ".join(CLUB_ONLY_KINDS)
        reason = f"required for a {kind} claim (only {only} claims may name a club alone)"
        yield FieldProblem("player", reason)
    if "club" in values and values["club"] is None and kind in PURSUIT_KINDS:
        yield FieldProblem("club", f"required for a {kind} claim: name the interested club")
    if kind in PRICE_KINDS and "fee" in values:
        fee = values["fee"]
        if fee is None:
            yield FieldProblem("fee", f"required for a {kind} claim")
        elif isinstance(fee, Fee) and fee.amount is None:
            yield FieldProblem("fee", f"a {kind} claim needs an amount, not {echo(fee.text)}")
