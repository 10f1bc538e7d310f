"""The ASGI application: JSON API, pages, static assets and the live feed, on one ledger.

`create_app` takes engines it does not own (the caller disposes of them), so the CLI, the tests
and the benchmarks each build one the same way. Every asset, Swagger UI's included, is served
from this package: nothing is loaded from a CDN.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from rumours_web import api_feed, api_reads, api_writes, errors, pages
from rumours_web.feed import ChangeFeed
from rumours_web.ledger_access import WebLedger
from rumours_web.limits import BodyLimit
from rumours_web.search import NameSearch
from rumours_web.settings import WebSettings

STATIC = Path(__file__).parent / "static"


def create_app(ledger: WebLedger, settings: WebSettings, *, quiet_days: int) -> FastAPI:
    feed = ChangeFeed(ledger, quiet_days=quiet_days)
    app = FastAPI(
        title="rumour-ledger",
        summary="Football transfer rumours: boards, history, sources and a live feed.",
        docs_url=None,  # served by `_add_docs` with the package's own Swagger UI files
        redoc_url=None,
        lifespan=_feed_running(feed),
    )
    app.state.ledger = ledger
    app.state.settings = settings
    app.state.search = NameSearch(ledger.reader)
    app.state.feed = feed
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (api_reads.router, api_writes.router, api_feed.router, pages.router):
        app.include_router(router)
    _add_docs(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    errors.install(app)  # last, so its crash guard is the outermost layer
    return app


def _feed_running(feed: ChangeFeed) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the live feed's listener runs while the server does."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(feed.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


def _add_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="rumour-ledger API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
