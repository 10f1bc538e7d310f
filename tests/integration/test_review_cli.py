"""`rumours ingest-articles` routing and `rumours review`, run through the CLI's own entry point.

`main()` is called in this process (as the console script calls it), so the exit codes and the
one-line errors are the real ones, without paying a Python start-up per command.
"""

from __future__ import annotations

import getpass
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from rumours.cli import main

ARTICLE = """date 2025-01-12
Chelsea have opened talks with Lyon over a deal for the striker Ruben Okoro, per The Athletic.
Aston Villa are monitoring Ruben Okoro as well.
"""


@dataclass(frozen=True, slots=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, object]:
        data = json.loads(self.out)
        assert isinstance(data, dict)
        return data


Rumours = Callable[..., Run]


@pytest.fixture
def rumours(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Rumours:
    monkeypatch.setenv("RUMOURS_DATABASE_URL", database_url)
    monkeypatch.delenv("RUMOURS_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line, whatever the terminal

    def run(*args: str) -> Run:
        with pytest.raises(SystemExit) as done:
            main(list(args))
        captured = capsys.readouterr()
        code = done.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    return run


@pytest.fixture
def article(tmp_path: Path) -> str:
    path = tmp_path / "okoro.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return str(path)


def _queued_ids(rumours: Rumours, article: str) -> list[str]:
    ingested = rumours("ingest-articles", article, "--review-below", "1", "--json")
    assert ingested.code == 0, ingested.err
    assert ingested.json()["queued"] == len(ingested.json()["queued_claims"]) >= 2
    listed = rumours("review", "--json")
    return [item["short_id"] for item in listed.json()["items"]]


def test_review_lists_what_ingest_queued_as_a_table_and_as_json(
    rumours: Rumours, article: str
) -> None:
    ids = _queued_ids(rumours, article)
    table = rumours("review")
    assert table.code == 0 and f"claims waiting for review: {len(ids)}" in table.out
    for short in ids:
        assert short in table.out
    assert "Okoro" in table.out and "rumours review accept ID" in table.out


def test_a_dry_run_reports_the_queue_in_json_and_writes_nothing(
    rumours: Rumours, article: str, engine: sa.Engine
) -> None:
    done = rumours("ingest-articles", article, "--dry-run", "--review-below", "1", "--json")
    assert done.code == 0 and done.json()["queued"] >= 2 and done.json()["would_append"] == 0
    table = rumours("ingest-articles", article, "--dry-run", "--review-below", "1")
    assert (
        "claims that would wait for review" in table.out and "would queue for review" in table.out
    )
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM review_items")).scalar_one() == 0


def test_accept_twice_then_reject_gives_one_append_and_one_clear_refusal(
    rumours: Rumours, article: str
) -> None:
    short = _queued_ids(rumours, article)[0]
    accepted = rumours("review", "accept", short, "--reviewer", "ana")
    assert accepted.code == 0 and accepted.out.startswith(f"accepted {short}: appended")
    again = rumours("review", "accept", short, "--reviewer", "ben", "--json")
    assert again.code == 0 and again.json()["first"] is False and again.json()["reviewer"] == "ana"
    refused = rumours("review", "reject", short, "--reason", "changed my mind")
    assert refused.code == 1
    assert (
        refused.err.splitlines() == [refused.err.strip()]
        and f"rumours: review item {short} was accepted by ana" in refused.err
    )
    everything = rumours("review", "--all", "--json").json()["items"]
    assert [item["decision"]["reviewer"] for item in everything if item["decision"]] == ["ana"]


def test_reject_records_the_login_name_when_no_reviewer_is_given(
    rumours: Rumours, article: str
) -> None:
    short = _queued_ids(rumours, article)[0]
    done = rumours("review", "reject", short, "--reason", "a scout, not a club", "--json")
    assert done.code == 0 and done.json()["reviewer"] == getpass.getuser()
    assert done.json()["reason"] == "a scout, not a club" and done.json()["event_id"] is None
    assert short not in rumours("review").out


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [(("review", "accept", "zzzz"), 2, r"rumours: review item 'zzzz': give at least 4 hex"),
     (("review", "reject", "ffffffff"), 2, r"rumours: no review item 'ffffffff'"),
     (("review", "accept"), 2, r"rumours: .*Missing argument")],
)  # fmt: skip
def test_a_bad_id_is_one_line_and_an_input_exit_code(
    rumours: Rumours, article: str, args: tuple[str, ...], code: int, line: str
) -> None:
    _queued_ids(rumours, article)
    done = rumours(*args)
    assert done.code == code
    [only] = done.err.splitlines()
    assert re.match(line, only), only


def test_review_with_the_database_down_is_one_line_and_the_database_exit_code(
    rumours: Rumours,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = rumours("--database-url", f"postgresql://nobody@127.0.0.1:{port}/rumours", "review")
    assert done.code == 3
    [only] = done.err.splitlines()
    assert only.startswith("rumours: cannot reach PostgreSQL")
