"""Hand labels for extraction quality: one JSON object a line, the facts a reader finds.

    {"article": "000_2877da4359cdf4e6.txt", "kind": "bid_rejected", "player": "Marc Guehi",
     "club": "Tottenham Hotspur", "from_club": "Crystal Palace", "fee": "£70 million",
     "deal": null, "renewed": false}

A bad line raises `ClaimValidationError` with `FILE:LINE` as its location.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ledger.errors import ClaimValidationError
from ledger.events import CLAIM_KINDS, DealType

_REQUIRED = ("article", "kind", "player")
_OPTIONAL_TEXT = ("club", "from_club", "fee", "deal")


@dataclass(frozen=True, slots=True)
class Label:
    """One claim a person read in an article."""

    article: str
    kind: str
    player: str
    club: str | None = None
    from_club: str | None = None
    fee: str | None = None
    deal: str | None = None
    renewed: bool = False


def load_labels(path: str | Path) -> list[Label]:
    """Every label of a JSON Lines file; blank lines are skipped."""
    file = Path(path)
    labels = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            labels.append(_label(line, f"{file.name}:{number}"))
    return labels


def _label(line: str, where: str) -> Label:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ClaimValidationError("line", f"not JSON ({exc.msg})", where) from exc
    if not isinstance(raw, dict):
        raise ClaimValidationError("line", "expected a JSON object", where)
    for name in _REQUIRED:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ClaimValidationError(name, "required text", where)
    for name in _OPTIONAL_TEXT:
        if raw.get(name) is not None and not isinstance(raw[name], str):
            raise ClaimValidationError(name, "must be text or null", where)
    if raw["kind"] not in CLAIM_KINDS:
        raise ClaimValidationError("kind", f"unknown kind {raw['kind']!r}", where)
    if raw.get("deal") is not None and raw["deal"] not in {d.value for d in DealType}:
        raise ClaimValidationError("deal", f"unknown deal type {raw['deal']!r}", where)
    if not isinstance(raw.get("renewed", False), bool):
        raise ClaimValidationError("renewed", "must be true or false", where)
    known = {"article", "kind", "player", "renewed", *_OPTIONAL_TEXT}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ClaimValidationError(unknown[0], "is not a label field", where)
    return Label(**raw)
