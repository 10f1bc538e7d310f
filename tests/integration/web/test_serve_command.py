"""`rumours serve` itself: the console script serves the API and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_rumours_serve_answers_boards_and_refuses_writes_without_a_token(
    examples: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    rumours = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert rumours is not None
    port = _free_port()
    env = {**os.environ, "RUMOURS_HOME": str(tmp_path), "RUMOURS_DATABASE_URL": database_url}
    env.pop("RUMOURS_API_TOKEN", None)
    server = subprocess.Popen(
        [rumours, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        board = _first_answer(f"{base}/api/players/danso", server)
        refused = httpx.post(f"{base}/api/claims", json={}, timeout=10)
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert board.json()["player"] == "Kevin Danso"
    assert refused.status_code == 403
    assert f"serving on http://127.0.0.1:{port}" in stderr
    assert "Traceback" not in stderr
    assert server.returncode == 0, stderr


def _first_answer(url: str, server: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "rumours serve exited while starting"
        try:
            return httpx.get(url, timeout=10)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("rumours serve did not answer in time")
