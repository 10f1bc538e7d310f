"""One structured claim as a user wrote it (SPEC §4.1), checked field by field.

`validate_claim` turns a raw record from a JSON or CSV file into a `ClaimInput`, or into the list of
every problem the record has, each a single human-readable line; it never raises on bad input.
Names stay as typed: resolving them to canonical clubs, players and sources is a later step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ledger.claim_kinds import CLUB_ONLY_KINDS, ClaimKind
from ledger.events import PURSUIT_KINDS, DatePrecision, DealType, Extraction
from ledger.ingest.field_values import (
    EVIDENCE_LIMIT,
    FIELD_CHECKS,
    ID_LIMIT,
    NAME_LIMIT,
    PLAIN_LABEL,
    REASON_LIMIT,
    URL_LIMIT,
    BadValueError,
    echo,
    hint,
    one_line,
)
from ledger.money import Fee

CLAIM_FIELDS: tuple[str, ...] = (
    "reported_on", "kind", "player", "club", "from_club", "fee", "deal", "source", "journalist",
    "url", "evidence", "renewed", "effective_on", "background", "id", "extraction",
)  # fmt: skip
CSV_FIELDS: tuple[str, ...] = CLAIM_FIELDS[:-1]  # an extraction is nested: not a CSV cell
PRICE_KINDS: frozenset[ClaimKind] = frozenset({ClaimKind.RELEASE_CLAUSE, ClaimKind.ASKING_PRICE})
MAX_EFFECTIVE_LAG = timedelta(days=366)


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
    problems = [_unknown_field(str(key)) for key in data if key not in FIELD_CHECKS]
    values: dict[str, object] = {}
    for field, check in FIELD_CHECKS.items():
        raw = data.get(field)
        if raw is None:
            values[field] = _ABSENT[field]
            continue
        try:
            values[field] = check(raw)
        except BadValueError as exc:
            problems.append(FieldProblem(field, _cut(str(exc))))
    stated = values.pop("effective_on", None)
    if isinstance(stated, tuple):
        values["effective_on"], values["effective_precision"] = stated
    problems.extend(_rule_problems(values))
    if problems:
        return sorted(problems, key=_field_order)
    return values


# What each check makes of a field the claim leaves out (every check takes None, and gives the
# same answer every time): a claim names five or six of the sixteen fields, and calling the
# other checks with None was a fifth of `check_claim`'s time.
_ABSENT: dict[str, object] = {field: check(None) for field, check in FIELD_CHECKS.items()}


def format_problem(file: str, line: int, problem: FieldProblem) -> str:
    """`FILE:LINE: field: reason`, guaranteed to be one line whatever the input held."""
    return one_line(f"{file}:{line}: {problem.field}: {problem.reason}")


def _cut(reason: str) -> str:
    return reason if len(reason) <= REASON_LIMIT else reason[: REASON_LIMIT - 1] + "…"


def _field_order(problem: FieldProblem) -> int:
    known = problem.field in CLAIM_FIELDS
    return CLAIM_FIELDS.index(problem.field) if known else len(CLAIM_FIELDS)


def _unknown_field(name: str) -> FieldProblem:
    label = name if PLAIN_LABEL.fullmatch(name) else echo(name)
    return FieldProblem(label, f"unknown field{hint(name, CLAIM_FIELDS)}")


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
