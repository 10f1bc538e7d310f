"""The `rumours` command as a person meets it: honest dry runs, suggestions instead of dead ends,
JSON errors for scripts, guessed names said aloud, short ids, and a follower that talks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy as sa

from ledger.ingest.pipeline import ingest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"


def rumours(url: str, *args: str, stdin: str = "", cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert found is not None
    environ = {**os.environ, "RUMOURS_DATABASE_URL": url, "COLUMNS": "80", **(env or {})}
    return subprocess.run([found, *args], input=stdin, capture_output=True, text=True,
                          env=environ, cwd=cwd, timeout=120, check=False)  # fmt: skip


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_a_dry_run_reports_what_it_would_append_and_writes_no_rejects_file(
    engine: sa.Engine, tmp_path: Path
) -> None:
    lines = [*EXAMPLES.read_text(encoding="utf-8").splitlines()[:3], '{"kind": "rumour"}']
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = rumours(url_of(engine), "ingest", "c.jsonl", "--skip-invalid", "--dry-run", "--json",
                   cwd=tmp_path)  # fmt: skip
    report = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    assert (report["would_append"], report["rejected"], report["dry_run"]) == (3, 1, True)
    assert "appended" not in report
    assert not (tmp_path / "c.rejects.jsonl").exists()
    assert "dry run: nothing was written" in done.stderr  # beside JSON: on stderr


def test_skip_invalid_exits_non_zero_when_every_claim_was_rejected(
    engine: sa.Engine, tmp_path: Path
) -> None:
    (tmp_path / "bad.jsonl").write_text('{"kind": "rumour"}\n{"kind": "gossip"}\n', "utf-8")
    done = rumours(url_of(engine), "ingest", "bad.jsonl", "--skip-invalid", cwd=tmp_path)
    assert done.returncode == 2
    assert "every claim was rejected" in done.stdout


def test_articles_dry_run_is_labelled_and_its_errors_are_json_with_json(
    engine: sa.Engine, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("date 2025-03-01\nBrentford have made a £20m bid for Lewis Okonkwo.\n",
                       encoding="utf-8")  # fmt: skip
    dry = rumours(url_of(engine), "ingest-articles", str(article), "--dry-run", "--json")
    report = json.loads(dry.stdout)
    assert (report["would_store"], report["would_append"], report["dry_run"]) == (1, 1, True)
    text = rumours(url_of(engine), "ingest-articles", str(article), "--dry-run")
    assert "would store 1" in text.stdout and "dry run, nothing written" in text.stdout
    missing = rumours(url_of(engine), "ingest-articles", "nowhere.txt", "--json", cwd=tmp_path)
    assert missing.returncode == 2
    assert json.loads(missing.stdout) == {"error": "nowhere.txt: no such file", "exit_code": 2}


def test_ingest_points_articles_and_csv_on_stdin_to_the_right_command(
    engine: sa.Engine, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("date 2025-03-01\nNothing.\n", encoding="utf-8")
    article = rumours(url_of(engine), "ingest", "a.txt", cwd=tmp_path)
    assert article.returncode == 2 and "use rumours ingest-articles a.txt" in article.stderr
    csv = "reported_on,kind,player,club\n2025-01-05,interest,Marc Guehi,Arsenal\n"
    piped = rumours(url_of(engine), "ingest", "-", stdin=csv)
    assert piped.returncode == 2 and "use --format csv" in piped.stderr
    assert rumours(url_of(engine), "ingest", "-", "--format", "csv", stdin=csv).returncode == 0


def test_db_roles_prints_urls_that_psql_accepts(engine: sa.Engine) -> None:
    suffix = str(time.monotonic_ns())[-8:]
    names = [f"rt_{job}_{suffix}" for job in ("w", "p", "r")]
    done = rumours(url_of(engine), "db", "roles", "--writer", names[0], "--projector", names[1],
                   "--reader", names[2])  # fmt: skip
    try:
        assert done.returncode == 0, done.stderr
        urls = [line.split(": ", 1)[1] for line in done.stdout.splitlines() if "connect as" in line]
        assert len(urls) == 3
        for url, name in zip(urls, names, strict=True):
            assert url.startswith("postgresql://") and "***" not in url
            assert psycopg.conninfo.conninfo_to_dict(url)["user"] == name
    finally:
        with engine.begin() as conn:
            quoted = ", ".join(f'"{name}"' for name in names)
            conn.execute(sa.text(f"DROP OWNED BY {quoted}"))
            conn.execute(sa.text(f"DROP ROLE {quoted}"))


def test_help_shows_flags_as_flags_and_verbosity_is_taken_after_the_command(
    engine: sa.Engine,
) -> None:
    helped = rumours(url_of(engine), "ingest", "--help")
    assert "--dry-run" in helped.stdout and "<bool>" not in helped.stdout
    ingest(engine, [str(EXAMPLES)])
    verbose = rumours(url_of(engine), "status", "Marc Guehi", "-vv", "--json")
    assert verbose.returncode == 0, verbose.stderr
    assert json.loads(verbose.stdout)["player"] == "Marc Guehi"


def test_a_guessed_name_is_said_on_stderr_for_players_and_clubs_alike(engine: sa.Engine) -> None:
    ingest(engine, [str(EXAMPLES)])
    player = rumours(url_of(engine), "status", "Itakra")
    assert player.returncode == 0 and "took 'Itakra' to mean Ko Itakura" in player.stderr
    club = rumours(url_of(engine), "club", "Tottenahm")
    assert club.returncode == 0 and "took 'Tottenahm' to mean Tottenham Hotspur" in club.stderr
    exact = rumours(url_of(engine), "status", "Ko Itakura")
    assert "took" not in exact.stderr


def test_retract_takes_the_short_id_history_shows(engine: sa.Engine) -> None:
    ingest(engine, [str(EXAMPLES)])
    history = json.loads(rumours(url_of(engine), "history", "Marc Guehi", "--json").stdout)
    short = history["claims"][0]["short_id"]
    done = rumours(url_of(engine), "retract", short, "--reason", "misreported")
    assert done.returncode == 0, done.stderr
    assert history["claims"][0]["event_id"] in done.stdout
    again = json.loads(rumours(url_of(engine), "history", "Marc Guehi", "--json").stdout)
    assert again["claims"][0]["retracted"] is True


def test_the_python_api_prints_nothing_on_standard_output(database_url: str) -> None:
    probe = (
        "from ledger.database import create_ledger_engine\n"
        "from projections.api import Boards\n"
        f"Boards(create_ledger_engine({database_url!r})).project()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    assert done.stdout == ""


def test_project_follow_says_what_it_projects_batch_by_batch(
    engine: sa.Engine, tmp_path: Path
) -> None:
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert found is not None
    env = {**os.environ, "RUMOURS_DATABASE_URL": url_of(engine)}
    follower = subprocess.Popen([found, "project", "--follow"], stdout=subprocess.PIPE,
                                text=True, env=env)  # fmt: skip
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline().startswith("position 0")
        assert "following the ledger" in follower.stdout.readline()
        ingest(engine, [str(EXAMPLES)])
        assert "projected to position 17 (+17 events)" in _line_within(follower.stdout.readline, 60)
    finally:
        follower.terminate()
        follower.wait(timeout=30)


def test_the_follower_says_the_batch_its_first_catch_up_projects(engine: sa.Engine) -> None:
    """Events committed after `rumours project` answered but before the follower listens are
    projected by the follower's first catch-up: that batch is said like any other (the CLI's
    "following" line comes before it, so a test appending right after that line relies on it)."""
    from projections.follow import follow_forever

    ingest(engine, [str(EXAMPLES)])
    said: list[tuple[int, int]] = []
    follow_forever(engine, quiet_days=90, stop_after=0.5,
                   on_projected=lambda before, after: said.append((before, after)))  # fmt: skip
    assert said == [(0, 17)]


def _line_within(read: Callable[[], str], seconds: float) -> str:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result(timeout=seconds)
