"""The JSON read API: boards, history, sources and name search (SPEC §5.5 shapes).

Each answer is the board's own `as_json()`, which says the `as_of`, `known_at` and ledger
`position` it reflects, so an answer can be asked for again exactly. Names are resolved as the
CLI resolves them; an unknown one is a 404 with suggestions. Handlers are plain functions:
FastAPI runs them on its thread pool, where the synchronous boards belong.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from rumours_web.ledger_access import WebLedger
from rumours_web.params import as_of_date, known_at_moment, typed_name
from rumours_web.search import NameSearch

# Handlers return JSONResponse: the boards' `as_json()` is already the wire shape, and FastAPI's
# validation of a `dict[str, Any]` return value would only cost time on every answer.
router = APIRouter(prefix="/api", tags=["boards"])

AsOf = Annotated[
    str | None, Query(description="Only claims reported on or before this date (YYYY-MM-DD).")
]
KnownAt = Annotated[
    str | None, Query(description="Only events recorded at or before this moment (ISO 8601).")
]


def ledger_of(request: Request) -> WebLedger:
    ledger = request.app.state.ledger
    assert isinstance(ledger, WebLedger)
    return ledger


@router.get("/players/{name}", summary="Player board")
def player_board(
    request: Request, name: str, as_of: AsOf = None, known_at: KnownAt = None
) -> JSONResponse:
    """Current club, release clause, asking price and every pursuit of a player."""
    board = ledger_of(request).boards.status(
        typed_name(name, "player"), as_of=as_of_date(as_of), known_at=known_at_moment(known_at)
    )
    return JSONResponse(board.as_json())


@router.get("/clubs/{name}", summary="Club board")
def club_board(
    request: Request, name: str, as_of: AsOf = None, known_at: KnownAt = None
) -> JSONResponse:
    """A club's targets, and the interest in players it holds."""
    board = ledger_of(request).boards.club(
        typed_name(name, "club"), as_of=as_of_date(as_of), known_at=known_at_moment(known_at)
    )
    return JSONResponse(board.as_json())


@router.get("/players/{name}/history", summary="Player history")
def player_history(
    request: Request,
    name: str,
    club: Annotated[str | None, Query(description="Only this club's pursuit.")] = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    """A player's claims in fold order, each with source, fee and the status after it."""
    answer = ledger_of(request).ledger_boards.history(
        typed_name(name, "player"),
        club=None if club is None else typed_name(club, "club"),
        as_of=as_of_date(as_of),
        known_at=known_at_moment(known_at),
    )
    return JSONResponse(answer.as_json())


@router.get("/sources", summary="Source leaderboard")
def source_board(request: Request, as_of: AsOf = None, known_at: KnownAt = None) -> JSONResponse:
    """Per source: claims made, and how the pursuits it reported ended."""
    board = ledger_of(request).ledger_boards.sources(
        as_of=as_of_date(as_of), known_at=known_at_moment(known_at)
    )
    return JSONResponse(board.as_json())


@router.get("/sources/record", summary="Source track records")
def source_records(request: Request, as_of: AsOf = None, known_at: KnownAt = None) -> JSONResponse:
    """Per source: which claims came true (hits, a 95% interval, lead times, retractions)."""
    board = ledger_of(request).ledger_boards.record(
        as_of=as_of_date(as_of), known_at=known_at_moment(known_at)
    )
    return JSONResponse(board.as_json())


@router.get("/search", summary="Name suggestions")
def search(
    request: Request, q: Annotated[str, Query(max_length=200, description="What was typed.")]
) -> JSONResponse:
    """Players and clubs whose names are close to what was typed, best first."""
    names = request.app.state.search
    assert isinstance(names, NameSearch)
    return JSONResponse({"query": q, "suggestions": [hit.as_json() for hit in names.suggest(q)]})
