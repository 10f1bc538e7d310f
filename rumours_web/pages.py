"""Server-rendered pages: search, player, club, sources; the live feed sits on every page.

Each page is a template over the same boards as the JSON API. The player page's board table is
also served alone (`/players/{name}/board`), so the as-of control re-renders it on the server
instead of keeping a second copy of the table in JavaScript; the timeline chart draws from the
JSON API. A name that does not resolve renders the error page with the CLI's suggestions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ledger.errors import LedgerError
from projections.display import day_text, deal_text, fee_text
from rumours_web.api_reads import AsOf, ledger_of
from rumours_web.errors import body_of, status_of
from rumours_web.params import as_of_date, typed_name
from rumours_web.search import NameSearch

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["url"] = lambda text: quote(str(text), safe="")
# Money as the CLI's tables show it (`£70m`, `loan with obligation €25m`); the text is in the JSON.
templates.env.filters["fee"] = fee_text
templates.env.filters["deal"] = deal_text
# A date as precisely as it was stated: `since` of a year-only fact reads "2022".
templates.env.filters["day"] = lambda text, precision="day": day_text(
    date.fromisoformat(str(text)), precision or "day"
)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status)


def _error_page(request: Request, exc: LedgerError) -> HTMLResponse:
    return _page(request, "error.html", status_of(exc), **body_of(exc))


@router.get("/")
def home(request: Request) -> HTMLResponse:
    return _page(request, "home.html")


@router.get("/search")
def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The search form's target: straight to the page when the best hit is the only one."""
    names = request.app.state.search
    assert isinstance(names, NameSearch)
    hits = names.suggest(q) if q.strip() else []
    if len(hits) == 1:
        return RedirectResponse(f"/{hits[0].kind}s/{quote(hits[0].name, safe='')}", 303)
    return _page(request, "search.html", q=q, hits=hits)


@router.get("/players/{name}")
def player_page(request: Request, name: str, as_of: AsOf = None) -> HTMLResponse:
    ledger = ledger_of(request)
    try:
        when = as_of_date(as_of)
        board = ledger.boards.status(typed_name(name, "player"), as_of=when)
        everything = ledger.ledger_boards.history(board.player)
    except LedgerError as exc:
        return _error_page(request, exc)
    dates = [line.reported_on for line in everything.claims]
    return _page(request, "player.html", board=board, as_of=when,
                 first=min(dates, default=None), last=max(dates, default=None))  # fmt: skip


@router.get("/players/{name}/board")
def player_board_fragment(request: Request, name: str, as_of: AsOf = None) -> HTMLResponse:
    """Just the board table, for the as-of control to swap in."""
    try:
        when = as_of_date(as_of)
        board = ledger_of(request).boards.status(typed_name(name, "player"), as_of=when)
    except LedgerError as exc:
        return _error_page(request, exc)
    return _page(request, "player_board.html", board=board, as_of=when)


@router.get("/clubs/{name}")
def club_page(request: Request, name: str, as_of: AsOf = None) -> HTMLResponse:
    try:
        when = as_of_date(as_of)
        board = ledger_of(request).boards.club(typed_name(name, "club"), as_of=when)
    except LedgerError as exc:
        return _error_page(request, exc)
    return _page(request, "club.html", board=board, as_of=when)


@router.get("/sources")
def sources_page(request: Request, as_of: AsOf = None) -> HTMLResponse:
    try:
        when = as_of_date(as_of)
        boards = ledger_of(request).ledger_boards
        board = boards.sources(as_of=when)
        record = boards.record(as_of=when).as_json()
    except LedgerError as exc:
        return _error_page(request, exc)
    return _page(request, "sources.html", board=board, record=record, as_of=when)
