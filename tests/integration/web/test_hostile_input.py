"""Hostile requests get a clear 4xx with one line, write nothing, and leave no traceback."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from rumours_web.settings import WebSettings
from tests.integration.web.conftest import TOKEN, Served, event_count

CLAIM = {"reported_on": "2025-03-01", "kind": "interest", "player": "Ko Itakura",
         "club": "Everton", "source": "Sky Sports"}  # fmt: skip

BAD_READS = [
    ("/api/players/Ko Itakura?as_of=2025-02-30", 400, "as_of: '2025-02-30' is not a date"),
    ("/api/players/Ko Itakura?as_of=yesterday", 400, "as_of: 'yesterday' is not a date"),
    ("/api/clubs/spurs?known_at=soon", 400, "known_at: 'soon' is not a timestamp"),
    ("/api/sources?as_of=2025-13-01", 400, "as_of:"),
    ("/api/players/" + "x" * 5000, 400, "player: not a name"),
    ("/api/players/Ko%00Itakura", 400, "player: not a name"),
    ("/api/players/' OR 1=1 --", 404, "no player called"),
    (
        "/api/clubs/Atletico Nowhere",
        404,
        "unknown club 'Atletico Nowhere'; did you mean Atlético Madrid",
    ),
    ("/api/search?q=" + "a" * 500, 400, "q:"),
    ("/players/Ko Itakura?as_of=31/12/2024", 400, "is not a date"),
    ("/players/Nobody At All", 404, "no player called"),
]


@pytest.mark.parametrize(("path", "status", "message"), BAD_READS)
def test_bad_reads_are_a_clear_4xx_without_a_traceback(
    examples: sa.Engine,
    serve: Callable[..., Served],
    capfd: pytest.CaptureFixture[str],
    path: str,
    status: int,
    message: str,
) -> None:
    with serve().client() as http:
        answer = http.get(path)
    assert answer.status_code == status
    assert message in answer.text
    assert "Traceback" not in answer.text + "".join(capfd.readouterr())


BAD_WRITES = [
    ({}, CLAIM, 401, "writes need 'Authorization: Bearer <token>'"),
    ({"Authorization": "Bearer wrong"}, CLAIM, 401, "not the one this server accepts"),
    ({"Authorization": f"Basic {TOKEN}"}, CLAIM, 401, "writes need"),
    ({"Authorization": f"Bearer {TOKEN}"}, {**CLAIM, "reported_on": "2025-02-30"}, 422,
     "request:1: reported_on:"),
    ({"Authorization": f"Bearer {TOKEN}"}, {**CLAIM, "fee": "-£5m"}, 422, "request:1: fee:"),
    ({"Authorization": f"Bearer {TOKEN}"}, {**CLAIM, "player": "Ko\x07Itakura"}, 422, "request:1:"),
    ({"Authorization": f"Bearer {TOKEN}"}, [], 422, "holds no claims"),
    ({"Authorization": f"Bearer {TOKEN}"}, "a string", 422, "request:1:"),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "body", "status", "message"), BAD_WRITES)
def test_bad_writes_are_refused_and_write_nothing(
    examples: sa.Engine,
    serve: Callable[..., Served],
    capfd: pytest.CaptureFixture[str],
    headers: dict[str, str],
    body: object,
    status: int,
    message: str,
) -> None:
    before = event_count(examples)
    with serve().client(**headers) as http:
        answer = http.post("/api/claims", json=body)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    assert event_count(examples) == before
    assert "Traceback" not in answer.text + "".join(capfd.readouterr())


def test_malformed_and_binary_bodies_are_one_line_422s(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    before = event_count(examples)
    with serve().writer() as http:
        broken = http.post("/api/claims", content=b'{"kind": "bid", ', headers={"Content-Type": "application/json"})  # fmt: skip
        binary = http.post("/api/claims", content=b"\x00\x01\xff" * 10)
    assert broken.status_code == binary.status_code == 422
    assert (
        binary.json()["error"]
        == "request:1: record: binary data (a NUL byte): this is not a text file"
    )
    assert "\n" not in broken.json()["error"]
    assert event_count(examples) == before


def test_an_oversized_body_is_refused_before_it_is_read_and_writes_nothing(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    served = serve(WebSettings(api_token=TOKEN, max_body_bytes=10_000))
    before = event_count(examples)
    batch = [{**CLAIM, "evidence": "x" * 100, "id": f"big-{n}"} for n in range(200)]
    with served.writer() as http:
        declared = http.post("/api/claims", json=batch)
        streamed = http.post("/api/claims", content=iter([b"[", b" " * 20_000, b"]"]))
    assert declared.status_code == streamed.status_code == 413
    assert declared.json() == {"error": "request body over the limit of 10000 bytes"}
    assert event_count(examples) == before


def test_without_a_configured_token_every_write_is_refused(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    before = event_count(examples)
    with serve(WebSettings(api_token=None)).writer() as http:
        claims = http.post("/api/claims", json=CLAIM)
        retraction = http.post("/api/retractions", json={"event_id": "x", "reason": "y"})
    assert claims.status_code == retraction.status_code == 403
    assert "RUMOURS_API_TOKEN" in claims.json()["error"]
    assert event_count(examples) == before


def test_retractions_of_unknown_or_malformed_events_are_4xx(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    before = event_count(examples)
    with serve().writer() as http:
        unknown = http.post("/api/retractions", json={"event_id": "00000000-0000-0000-0000-000000000001", "reason": "typo"})  # fmt: skip
        malformed = http.post("/api/retractions", json={"event_id": "not-a-uuid", "reason": "typo"})
        no_reason = http.post("/api/retractions", json={"event_id": "00000000-0000-0000-0000-000000000001", "reason": " "})  # fmt: skip
        missing = http.post("/api/retractions", json={"reason": "typo"})
    assert unknown.status_code == 404 and "no event" in unknown.json()["error"]
    assert malformed.status_code == 400 and "is not a UUID" in malformed.json()["error"]
    assert no_reason.status_code == 400 and "needs a reason" in no_reason.json()["error"]
    assert missing.status_code == 400 and "event_id" in missing.json()["error"]
    assert event_count(examples) == before


ODD_NAMES = ["[bold]Evil[/bold] [red]", "<script>alert(1)</script>", "%", "..", "Stray [/red]",
             "\u202eKo", "😀", "Ko\tItakura", "a/b", " ", "'; DROP TABLE events; --"]  # fmt: skip
ODD_PATHS = ["/api/players/{}", "/api/players/{}/history", "/api/clubs/{}", "/api/search?q={}",
             "/players/{}", "/players/{}/board", "/clubs/{}", "/search?q={}"]  # fmt: skip


def test_odd_names_never_make_the_server_fail_and_pages_escape_them(
    examples: sa.Engine, serve: Callable[..., Served], capfd: pytest.CaptureFixture[str]
) -> None:
    with serve().client() as http:
        for path in ODD_PATHS:
            for name in ODD_NAMES:
                answer = http.get(path.format(quote(name, safe="")))
                assert answer.status_code < 500, (path, name, answer.text)
                if answer.headers.get("content-type", "").startswith("text/html"):
                    assert "<script>alert" not in answer.text, (path, name)
    assert "Traceback" not in "".join(capfd.readouterr())


@pytest.mark.parametrize("path", ["/search?q={}", "/players/{}", "/clubs/{}"])
def test_a_typed_name_is_echoed_on_a_page_as_text_not_as_html(
    examples: sa.Engine, serve: Callable[..., Served], path: str
) -> None:
    with serve().client() as http:
        page = http.get(path.format(quote("<b>Evil", safe="")))
    assert "&lt;b&gt;Evil" in page.text
    assert "<b>Evil" not in page.text
