"""The JSON API answers as the Python API does, with SPEC §5.5 shapes and time points."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from projections.api import Boards
from tests.integration.web.conftest import QUIET_DAYS, Served, event_count

CLAIM = {
    "reported_on": "2025-03-01",
    "kind": "bid",
    "player": "Kevin Danso",
    "club": "Aston Villa",
    "from_club": "Lens",
    "fee": "€30m",
    "source": "Sky Sports",
}


def test_player_board_is_the_python_api_answer_as_json(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        answer = http.get("/api/players/ko itakura", params={"as_of": "2025-02-03"})
    assert answer.status_code == 200
    expected = Boards(examples, quiet_days=QUIET_DAYS).status("Ko Itakura", as_of=date(2025, 2, 3))
    assert answer.json() == expected.as_json()
    assert set(answer.json()) >= {"player", "as_of", "known_at", "position", "current_club",
                                  "release_clause", "asking_price", "pursuits"}  # fmt: skip


def test_as_of_moves_a_pursuit_back_to_its_status_on_that_day(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        then = http.get("/api/players/Itakura", params={"as_of": "2024-06-01"}).json()
        now = http.get("/api/players/Itakura").json()
    spurs = {board["as_of"]: _status(board, "Tottenham Hotspur") for board in (then, now)}
    assert spurs == {"2024-06-01": "enquiry", None: "interest re-emerged"}


def test_known_at_before_the_ledger_existed_shows_an_empty_board_at_position_zero(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        answer = http.get("/api/players/Ko Itakura", params={"known_at": "2000-01-01T00:00:00Z"})
    assert answer.status_code == 200
    assert answer.json()["pursuits"] == []
    assert answer.json()["known_at"].startswith("2000-01-01")


def test_club_history_and_sources_answer_with_their_time_points(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        club = http.get("/api/clubs/spurs").json()
        history = http.get("/api/players/Marc Guehi/history").json()
        sources = http.get("/api/sources", params={"as_of": "2025-02-03"}).json()
        record = http.get("/api/sources/record").json()
        page = http.get("/sources")
    assert page.status_code == 200 and 'id="track-record"' in page.text
    assert {"GIVEMESPORT", "Sky Deutschland"} <= {source["source"] for source in record["sources"]}
    assert club["club"] == "Tottenham Hotspur"
    assert "Marc Guehi" in {line["player"] for line in club["targets"]}
    assert [claim["status"] for claim in history["claims"]][-1] == "bid rejected"
    assert sources["as_of"] == "2025-02-03" and sources["sources"]
    for answer in (club, history, sources, record):
        assert {"as_of", "known_at", "position"} <= set(answer)


def test_an_unknown_player_is_a_404_with_the_clis_suggestions(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        near = http.get("/api/players/Marcus Guehy")
        nobody = http.get("/api/players/Zinedine Nobody")
        club = http.get("/api/clubs/Tottenham Hotspurz FC United")
    assert near.status_code == 404
    assert near.json() == {
        "error": "no player called 'Marcus Guehy' in the ledger; did you mean Marc Guehi?",
        "suggestions": ["Marc Guehi"],
    }
    assert nobody.status_code == 404 and nobody.json()["suggestions"] == []
    assert club.status_code == 404 and "error" in club.json()


def test_search_suggests_players_and_clubs_as_typed(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().client() as http:
        players = http.get("/api/search", params={"q": "khusa"}).json()["suggestions"]
        clubs = http.get("/api/search", params={"q": "Spurs"}).json()["suggestions"]
    assert players[0] == {"kind": "player", "name": "Abdukodir Khusanov"}
    assert {"kind": "club", "name": "Tottenham Hotspur"} in clubs


def test_posting_a_claim_appends_it_once_and_the_board_shows_it(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    served = serve()
    before = event_count(examples)
    with served.writer() as http:
        first = http.post("/api/claims", json=CLAIM)
        again = http.post("/api/claims", json=CLAIM)
        board = http.get("/api/players/Kevin Danso").json()
    assert (first.status_code, first.json()["appended"]) == (201, 1)
    assert (again.status_code, again.json()["appended"], again.json()["duplicates"]) == (200, 0, 1)
    assert event_count(examples) == before + 1
    assert _status(board, "Aston Villa") == "bid made"


def test_a_batch_with_one_bad_claim_writes_nothing_and_names_the_line(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    before = event_count(examples)
    batch = [CLAIM, {**CLAIM, "kind": "rumoured", "club": "Everton"}]
    with serve().writer() as http:
        answer = http.post("/api/claims", json=batch)
    assert answer.status_code == 422
    assert re.fullmatch(r"request:\d+: kind: .+", answer.json()["error"])
    assert answer.json()["appended"] == 0 and answer.json()["rejected"] == 1
    assert event_count(examples) == before


def test_retracting_a_claim_over_http_withdraws_it_from_the_board(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    with serve().writer() as http:
        history = http.get("/api/players/Marc Guehi/history").json()
        bid = next(c for c in history["claims"] if c["kind"] == "bid_rejected")
        answer = http.post("/api/retractions",
                           json={"event_id": bid["event_id"], "reason": "misread the report"})  # fmt: skip
        after = http.get("/api/players/Marc Guehi/history").json()
    assert answer.status_code == 200 and answer.json()["position"] > history["position"]
    assert next(c for c in after["claims"] if c["event_id"] == bid["event_id"])["retracted"]


def test_openapi_documents_the_api_and_the_docs_page_loads_nothing_from_elsewhere(
    serve: Callable[..., Served],
) -> None:
    with serve().client() as http:
        schema = http.get("/openapi.json").json()
        docs = http.get("/docs").text
        script = http.get("/static/swagger/swagger-ui-bundle.js")
    assert {"/api/players/{name}", "/api/claims", "/api/feed"} <= set(schema["paths"])
    assert "/static/swagger/swagger-ui-bundle.js" in docs
    assert not re.search(r"(src|href)=\"https?://", docs)
    assert script.status_code == 200


def test_board_reads_use_the_reader_role_when_one_is_configured(
    examples: sa.Engine, serve: Callable[..., Served], reader_engine: sa.Engine
) -> None:
    served = serve(reader=reader_engine)
    with served.writer() as http:
        assert http.post("/api/claims", json=CLAIM).status_code == 201
        board = http.get("/api/players/Kevin Danso")  # behind: catches up on the main engine
        history = http.get("/api/players/Kevin Danso/history")  # reads events: main engine
    assert board.status_code == 200 and _status(board.json(), "Aston Villa") == "bid made"
    assert history.status_code == 200
    reader_role = reader_engine.url.username
    with examples.connect() as conn:
        sessions = conn.execute(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE usename = :r"), {"r": reader_role}
        ).scalar_one()
    assert sessions >= 1  # the board's pooled connection, logged in as the reader


def _status(board: dict[str, object], club: str) -> str | None:
    pursuits = board["pursuits"]
    assert isinstance(pursuits, list)
    return next((p["status"] for p in pursuits if p["club"] == club), None)
