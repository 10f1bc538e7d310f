"""A real `rumours serve` app on a real PostgreSQL, served by uvicorn on a free local port.

Each test gets its own database (the `engine` fixture) with the example claims ingested, and its
own server in a background thread, so the feed, the browser and plain HTTP all see what a user
would. `RUMOURS_API_TOKEN`-style settings are passed in, never read from the environment.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from ledger.database import create_ledger_engine
from ledger.db_roles import create_roles
from ledger.ingest.pipeline import ingest
from rumours_web.app import create_app
from rumours_web.ledger_access import WebLedger
from rumours_web.settings import WebSettings
from tests.integration.test_db_roles import drop_roles, new_roles

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "seed_claims.jsonl"
TOKEN = "test-token-0123456789"
QUIET_DAYS = 90


@dataclass(frozen=True, slots=True)
class Served:
    url: str
    engine: sa.Engine

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def writer(self) -> httpx.Client:
        return self.client(Authorization=f"Bearer {TOKEN}")


class _ServerThread(threading.Thread):
    def __init__(self, app: object) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)  # type: ignore[arg-type]
        )

    def run(self) -> None:
        self.server.run(sockets=[self.sock])

    def wait_started(self) -> None:
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)


@pytest.fixture
def serve(engine: sa.Engine) -> Iterator[Callable[..., Served]]:
    """Starts a server on `engine` (or a reader engine) with the settings a test asks for."""
    threads: list[_ServerThread] = []

    def start(settings: WebSettings | None = None, reader: sa.Engine | None = None) -> Served:
        ledger = WebLedger.open(engine, reader, quiet_days=QUIET_DAYS)
        app = create_app(ledger, settings or WebSettings(api_token=TOKEN), quiet_days=QUIET_DAYS)
        thread = _ServerThread(app)
        thread.start()
        thread.wait_started()
        threads.append(thread)
        host, port = thread.sock.getsockname()
        return Served(f"http://{host}:{port}", engine)

    yield start
    for thread in threads:
        thread.server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def examples(engine: sa.Engine) -> sa.Engine:
    report = ingest(engine, [str(EXAMPLES)])
    assert report.ok and report.appended, report.as_json()
    return engine


def event_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one())


@pytest.fixture
def reader_engine(engine: sa.Engine, database_url: str) -> Iterator[sa.Engine]:
    """A login of the least-privilege reader role (`rumours db roles`) on the test database."""
    made = new_roles()
    create_roles(engine, writer=made.writer, projector=made.projector, reader=made.reader,
                 passwords=made.passwords)  # fmt: skip
    reader = create_ledger_engine(made.url(database_url, made.reader))
    yield reader
    reader.dispose()
    drop_roles(engine, made.writer, made.projector, made.reader)
