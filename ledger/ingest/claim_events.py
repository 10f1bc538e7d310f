"""A checked, resolved claim straight into the row the store appends: its id and its payload.

The bulk ingest checks a claim once (`claim_input.check_claim`) and resolves its names once; this
module turns those values into a `NewEvent` without building the claim's pydantic model a second
time and dumping it again, which was most of the per-claim cost of a large file. What it writes is
exactly what `codec.encode(claim_from_dict(...))` writes for the same claim: the tests compare
both on every generated claim shape, so the two paths cannot drift apart.

The event id of a claim without a client id is a UUIDv5 of its canonical content: a JSON object
of `CONTENT_FIELDS` with sorted keys, as `json.dumps(sort_keys=True, default=str)` writes it
(`canonical_content`). Ids already stored depend on that exact text. The bulk path writes the
same characters directly from the checked values with the standard library's own string escaper
(`_canonical_claim`), at a third of the cost; the tests hold the two writers equal.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

from ledger.codec import NewEvent, stream_for
from ledger.events import DatePrecision, DealType, Extraction
from ledger.money import Fee

CLAIM_NAMESPACE: Final = uuid.UUID("6f1b2a4e-9c1d-4c55-9a43-2f7a1e0b8d10")
# Sorted, as json.dumps(sort_keys=True) orders them.
CONTENT_FIELDS: Final = ("active_from", "club", "deal", "effective_on", "fee", "from_club",
                         "journalist", "kind", "player", "renewed", "reported_on", "source")  # fmt: skip
_FEE_FIELDS: Final = ("add_ons", "amount", "currency")
_NAMESPACE_BYTES: Final = CLAIM_NAMESPACE.bytes
_escaped = json.encoder.encode_basestring_ascii  # what json.dumps does to every str (C code)


def event_id_for(client_id: str | None, content: Mapping[str, Any]) -> uuid.UUID:
    """The claim's event id: from its client id when given, else from its canonical content
    (a claim's resolved fields, the fee as `Fee.model_dump(mode="json")` gives it)."""
    if client_id:
        return uuid.uuid5(CLAIM_NAMESPACE, f"client:{client_id}")
    return uuid.uuid5(CLAIM_NAMESPACE, canonical_content(content))


def canonical_content(content: Mapping[str, Any]) -> str:
    """The reference writer of the canonical text: every stored id was made from this."""
    canonical = {name: content.get(name) for name in CONTENT_FIELDS}
    if isinstance(canonical["fee"], dict):  # the amount decides, not how it was written
        canonical["fee"] = {k: canonical["fee"].get(k) for k in _FEE_FIELDS}
    return json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))


def claim_uuid(name: str) -> uuid.UUID:
    """`uuid.uuid5(CLAIM_NAMESPACE, name)`, as the standard library computes it (SHA-1 of the
    namespace's bytes and the name's UTF-8), without its per-call import and namespace
    conversion: a third of its cost, paid once per claim of a bulk file."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    return uuid.UUID(bytes=digest[:16], version=5)


def _text(value: str | None) -> str:
    return "null" if value is None else _escaped(value)


def _canonical_claim(values: Mapping[str, Any], names: Mapping[str, str | None]) -> str:
    """`canonical_content` of a checked claim, written directly: the same characters (the tests
    compare both), a third of the time. `active_from` is never part of a claim file."""
    fee: Fee | None = values.get("fee")
    fee_text = "null"
    if fee is not None:
        fee_text = (f'{{"add_ons":{_text(_money(fee.add_ons))},'
                    f'"amount":{_text(_money(fee.amount))},"currency":{_text(fee.currency)}}}')  # fmt: skip
    effective_on: date | None = values.get("effective_on")
    effective = None if effective_on is None else effective_on.isoformat()
    return (
        f'{{"active_from":null,"club":{_text(names["club"])},"deal":{_text(values.get("deal"))},'
        f'"effective_on":{_text(effective)},"fee":{fee_text},'
        f'"from_club":{_text(names["from_club"])},"journalist":{_text(values.get("journalist"))},'
        f'"kind":{_escaped(values["kind"])},"player":{_text(names["player"])},'
        f'"renewed":{"true" if values.get("renewed") else "false"},'
        f'"reported_on":"{values["reported_on"].isoformat()}","source":{_text(names["source"])}}}'
    )


def _money(value: Decimal | None) -> str | None:
    """As `Fee` serialises an amount (its `field_serializer`)."""
    return None if value is None else format(value.normalize(), "f")


def claim_payload(values: Mapping[str, Any], player_name: str | None) -> dict[str, Any]:
    """The JSONB payload of a checked claim: what `codec.encode` keeps of the claim's model
    (no column fields, no field at its default), built from the values directly."""
    payload: dict[str, Any] = {}
    precision = values.get("effective_precision", DatePrecision.DAY)
    if precision != DatePrecision.DAY:
        payload["effective_precision"] = str(precision)
    for name in ("background", "renewed"):
        if values.get(name):
            payload[name] = True
    if player_name is not None:
        payload["player_name"] = player_name
    for name in ("journalist", "evidence", "url"):
        if values.get(name) is not None:
            payload[name] = values[name]
    fee: Fee | None = values.get("fee")
    if fee is not None:
        payload["fee"] = fee.model_dump(mode="json", exclude_defaults=True)
    deal: DealType | None = values.get("deal")
    if deal is not None:
        payload["deal"] = str(deal)
    extraction: Extraction | None = values.get("extraction")
    if extraction is not None:
        payload["extraction"] = extraction.model_dump(mode="json", exclude_defaults=True)
    return payload


def claim_event(
    values: Mapping[str, Any],
    names: Mapping[str, str | None],
    player_name: str | None,
) -> NewEvent:
    """The event of a checked claim (`values`) whose names resolved to `names`: the ids of
    `player`, `club`, `from_club` and `source` (None where the claim names none)."""
    client_id: str | None = values.get("id")
    if client_id:
        event_id = uuid.uuid5(CLAIM_NAMESPACE, f"client:{client_id}")
    else:
        event_id = claim_uuid(_canonical_claim(values, names))
    return NewEvent(
        event_id=event_id,
        stream_id=stream_for(names["player"], names["club"]),
        kind=values["kind"],
        reported_on=values["reported_on"],
        payload=claim_payload(values, player_name),
        effective_on=values.get("effective_on"),
        player_id=names["player"],
        club_id=names["club"],
        from_club_id=names["from_club"],
        source_id=names["source"],
    )
