"""The write API: claims (one or a batch) and retractions, each only with the bearer token.

A claim body goes through `ledger.ingest.pipeline.ingest_bytes`, the file ingest's own path:
the same SPEC §4.1 validation and resolution, all or nothing, idempotent (an `id`, else a hash of
the claim's content, is its event id), and the same one-line errors, labelled `request:LINE`.
No token configured means no writes at all; the token is compared in constant time and never
logged. Oversized bodies never get here (`limits.BodyLimit`).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ledger.errors import InputError
from ledger.ingest.pipeline import ingest_bytes
from ledger.retract import retract
from rumours_web.api_reads import ledger_of
from rumours_web.settings import WebSettings

router = APIRouter(prefix="/api", tags=["writes"])
BEARER = "bearer "

CLAIM_EXAMPLE = {
    "reported_on": "2025-02-03",
    "kind": "bid_rejected",
    "player": "Marc Guehi",
    "club": "Tottenham Hotspur",
    "from_club": "Crystal Palace",
    "fee": "£70m",
    "source": "GIVEMESPORT",
}


def settings_of(request: Request) -> WebSettings:
    settings = request.app.state.settings
    assert isinstance(settings, WebSettings)
    return settings


def require_token(request: Request) -> None:
    """401 without a token or with the wrong one; 403 when writes are not configured at all."""
    expected = settings_of(request).api_token
    if expected is None:
        raise HTTPException(403, "writes are disabled: the server has no RUMOURS_API_TOKEN")
    given = request.headers.get("authorization", "")
    if not given.lower().startswith(BEARER):
        raise HTTPException(401, "writes need 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    if not hmac.compare_digest(given[len(BEARER) :].strip().encode(), expected.encode()):
        raise HTTPException(401, "the bearer token is not the one this server accepts",
                            headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


def _as_array(body: bytes) -> bytes:
    """One claim may be sent as an object; the JSON reader takes an array of them."""
    return b"[" + body + b"]" if body.lstrip().startswith(b"{") else body


@router.post(
    "/claims",
    summary="Append claims",
    dependencies=[Depends(require_token)],
    responses={422: {"description": "Some claim breaks SPEC §4.1; nothing was written."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "object"},
                            {"type": "array", "items": {"type": "object"}},
                        ]
                    },
                    "example": CLAIM_EXAMPLE,
                }
            },
        }
    },
)
async def append_claims(request: Request) -> JSONResponse:
    """One claim (an object) or a batch (an array), SPEC §4.1 fields. All or nothing."""
    body = await request.body()  # its size is bounded by `limits.BodyLimit`
    ledger = ledger_of(request)
    report = await anyio.to_thread.run_sync(
        lambda: ingest_bytes(ledger.engine, _as_array(body), label="request", fmt="json")
    )
    answer: dict[str, Any] = report.as_json()
    if report.errors:
        answer["error"] = next(report.error_lines())
        for error in answer["errors"]:
            del error["file"]
        return JSONResponse(answer, status_code=422)
    return JSONResponse(answer, status_code=201 if report.appended else 200)


@router.post("/retractions", summary="Retract a claim", dependencies=[Depends(require_token)])
def retract_claim(
    request: Request,
    event_id: Annotated[str, Body(max_length=64, description="The event_id to withdraw.")],
    reason: Annotated[str, Body(max_length=2000, description="Why (kept in the ledger).")],
) -> dict[str, Any]:
    """Withdraw a claim by appending a retraction; retracting twice returns the first."""
    try:
        target = UUID(event_id)
    except ValueError:
        raise InputError(f"event_id: {event_id[:40]!r} is not a UUID") from None
    position = retract(ledger_of(request).engine, target, reason)
    return {"event_id": str(target), "position": position}
