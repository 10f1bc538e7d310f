"""The live feed: a status change committed after a client connected reaches it exactly once."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import sqlalchemy as sa

from tests.integration.web.conftest import Served

SETTLE_SECONDS = 3.0  # after the last expected change: long enough for a duplicate to show


@contextlib.contextmanager
def _feed(served: Served) -> Iterator[Iterator[str]]:
    with (
        httpx.Client(base_url=served.url, timeout=httpx.Timeout(30, read=None)) as http,
        http.stream("GET", "/api/feed") as stream,
    ):
        yield stream.iter_lines()


def _events(lines: Iterator[str]) -> Iterator[dict[str, object]]:
    for line in lines:
        if line.startswith("data: "):
            yield json.loads(line.removeprefix("data: "))


def test_a_claim_appended_after_connecting_arrives_once_as_a_status_change(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    served = serve()
    received: list[dict[str, object]] = []
    subscribed = threading.Event()

    def listen() -> None:
        with _feed(served) as lines:
            for line in lines:
                if line == ": subscribed":
                    subscribed.set()
                    break
            # Until the server stops at the end of the test, cutting the stream off.
            with contextlib.suppress(httpx.HTTPError):
                received.extend(_events(lines))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert subscribed.wait(30)
    claim = {"reported_on": "2025-03-02", "kind": "bid", "player": "Mathys Tel",
             "club": "Aston Villa", "fee": "£40m", "source": "Sky Sports"}  # fmt: skip
    with served.writer() as http:
        assert http.post("/api/claims", json=claim).status_code == 201
        assert http.post("/api/claims", json=claim).status_code == 200  # a duplicate: no change
    _wait_for(lambda: bool(received), 30)
    time.sleep(SETTLE_SECONDS)
    changes = [(e["player"], e["club"], e["status"], e["previous"]) for e in received]
    assert changes == [("Mathys Tel", "Aston Villa", "bid made", None)]


def test_claims_committed_before_connecting_are_not_replayed(
    examples: sa.Engine, serve: Callable[..., Served]
) -> None:
    served = serve()
    earlier = {"reported_on": "2025-03-02", "kind": "interest", "player": "Axel Disasi",
               "club": "Everton", "source": "Sky Sports"}  # fmt: skip
    with served.writer() as http:
        assert http.post("/api/claims", json=earlier).status_code == 201
    time.sleep(1.0)  # let the feed publish it to nobody
    later = {**earlier, "kind": "bid", "reported_on": "2025-03-04"}
    received: list[dict[str, object]] = []
    with _feed(served) as lines:
        assert next(line for line in lines if line.startswith(":")) == ": subscribed"
        with served.writer() as writer:
            assert writer.post("/api/claims", json=later).status_code == 201
        received.append(next(_events(lines)))
    assert [(e["club"], e["status"], e["previous"]) for e in received] == [
        ("Everton", "bid made", "interest")
    ]


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
