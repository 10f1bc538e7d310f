"""Every failure a client can cause, as a status code and a one-line JSON message.

    InputError (bad date, bad claim, bad body)   400, or 422 for claims that break SPEC §4.1
    UnknownNameError                             404, with suggestions
    AmbiguousNameError                           409, with the candidates
    UnknownEventError                            404
    DatabaseError                                503 (PermissionDeniedError 500: a set-up fault)
    anything else                                500 "internal error", logged without a traceback

No traceback reaches a client. Pages get the same message in their own template (`pages.py`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.errors import (
    AmbiguousNameError,
    DatabaseError,
    InputError,
    LedgerError,
    NameResolutionError,
    PermissionDeniedError,
    UnknownEventError,
)
from ledger.logs import get_logger

log = get_logger(__name__)


def status_of(exc: LedgerError) -> int:
    if isinstance(exc, AmbiguousNameError):
        return 409
    if isinstance(exc, NameResolutionError | UnknownEventError):
        return 404
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, PermissionDeniedError):
        return 500
    return 503 if isinstance(exc, DatabaseError) else 500


def body_of(exc: LedgerError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": " ".join(str(exc).split())}
    if isinstance(exc, NameResolutionError):
        body["suggestions"] = list(exc.candidates)
    return body


def ledger_error_response(exc: LedgerError) -> JSONResponse:
    return JSONResponse(body_of(exc), status_code=status_of(exc))


def install(app: FastAPI) -> None:
    """Register the handlers, and the outermost guard that turns a crash into a 500 line."""

    async def on_ledger_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LedgerError)
        log.info("request_refused", path=request.url.path, error=type(exc).__name__)
        return ledger_error_response(exc)

    async def on_invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
        return JSONResponse({"error": f"{where}: {first.get('msg')}"}, status_code=400)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse(
            {"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    app.add_exception_handler(LedgerError, on_ledger_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_middleware(CrashGuard)


class CrashGuard:
    """Outermost ASGI layer: an unexpected exception becomes a 500 with one line, and the log
    gets its type and message but no traceback (which can carry request data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("request_crashed", path=scope.get("path"), error=type(exc).__name__,
                      detail=str(exc)[:200])  # fmt: skip
            if started:
                return  # too late for a status line; the client sees the stream end
            response = JSONResponse({"error": "internal error"}, status_code=500)
            await response(scope, receive, send)
