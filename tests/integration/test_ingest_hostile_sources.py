"""`rumours ingest` given things that are not plain files: directories, devices, pipes, stdin.

Each runs the installed command. Paths that cannot hold claims are refused by what they are,
before any connection; standard input and named pipes are streamed through the same readers
(and the same line limits) as files, never copied to a temporary file first.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
from pathlib import Path

from ledger.ingest.raw_lines import LINE_LIMIT
from tests.integration.test_fault_injection import one_clean_line, rumours

CLOSED = "postgresql://nobody@127.0.0.1:9/none"  # nothing listens: connecting would fail loudly
CLAIM = {
    "reported_on": "2025-01-05",
    "kind": "interest",
    "player": "Marc Guehi",
    "club": "Arsenal",
    "from_club": "Crystal Palace",
}


def ingest(url: str, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RUMOURS_DATABASE_URL": url}
    env.pop("RUMOURS_DEBUG", None)
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [rumours(), "ingest", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        **popen,
    )  # fmt: skip


def refusal(path: str) -> str:
    process = ingest(CLOSED, path)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    return one_clean_line(stderr.decode())


def test_a_directory_is_refused_as_a_directory(tmp_path: Path) -> None:
    line = refusal(str(tmp_path))
    assert "is a directory" in line and "no such file" not in line


def test_a_device_is_refused_as_a_device() -> None:
    line = refusal("/dev/null")
    assert "/dev/null" in line and "character device" in line and "no such file" not in line


def test_a_missing_path_is_still_no_such_file(tmp_path: Path) -> None:
    assert refusal(str(tmp_path / "absent.jsonl")).endswith("no such file")


def test_stdin_is_read_as_it_comes_not_copied_to_a_file_first(database_url: str) -> None:
    # 8 kB of NUL bytes and the pipe left open: a reader that streams refuses it at once, a
    # spooler would wait for an end that never comes (with /dev/zero, filling the disk).
    process = ingest(database_url, "-", stdin=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(b"\x00" * 8192)
    process.stdin.flush()
    try:
        process.wait(timeout=60)
    finally:
        process.stdin.close()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 2, stderr
    assert stderr.splitlines()[0].startswith("<stdin>:1: record: binary data")


def test_endless_stdin_without_a_line_break_stops_at_the_line_limit(database_url: str) -> None:
    # `cat /dev/zero | tr '\\0' x | rumours ingest -`: the line never ends, so a reader that
    # skips to its end before going on would read until interrupted.
    process = ingest(database_url, "-", stdin=subprocess.PIPE)
    assert process.stdin is not None
    sent, chunk = 0, b"x" * 65_536
    try:
        while process.poll() is None and sent < 64 * LINE_LIMIT:
            process.stdin.write(chunk)
            sent += len(chunk)
    except BrokenPipeError:
        pass  # the command stopped reading: what should happen
    finally:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
    process.wait(timeout=60)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 2, stderr
    assert stderr.splitlines()[0].startswith("<stdin>:1: record: line too long")
    assert sent < 64 * LINE_LIMIT


def test_a_named_pipe_is_streamed_like_a_file(database_url: str, tmp_path: Path) -> None:
    pipe = tmp_path / "claims.jsonl"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("w", encoding="utf-8") as out:
            out.write(json.dumps(CLAIM) + "\n")

    writer = threading.Thread(target=feed, daemon=True)  # blocks until the pipe is opened
    writer.start()
    process = ingest(database_url, "--dry-run", "--json", str(pipe))
    stdout, stderr = process.communicate(timeout=120)
    writer.join(10)
    assert process.returncode == 0, stderr
    assert json.loads(stdout)["read"] == 1
