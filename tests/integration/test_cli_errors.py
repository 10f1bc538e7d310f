"""Bad input of every kind through the real `rumours` command (SPEC §7).

Each case runs the installed console script in a subprocess against one shared test database that
holds the example claims. A case passes when the command exits non-zero and standard error holds
exactly ONE line per problem, in the expected shape (`FILE:LINE: field: reason` for claims), with
no traceback and no password. Afterwards the ledger must be exactly as before: nothing partial.
Bad claim files share one `rumours ingest` run (one line each); other cases run one command each,
in parallel (they only read), to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.database import create_ledger_engine
from ledger.ingest.pipeline import ingest
from tests import pg

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
SECRET = "s3cret-pw-7d1f"


def _claim(**fields: object) -> bytes:
    body = {
        "reported_on": "2025-01-05",
        "kind": "interest",
        "player": "Marc Guehi",
        "club": "Arsenal",
        "from_club": "Crystal Palace",
    } | fields
    return (json.dumps(body) + "\n").encode()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Bad:
    """One bad file; `expect` is what follows `FILE:` on its one error line."""

    suffix: str
    content: bytes
    expect: str


# All of these go to ONE `rumours ingest` run: one line per file, nothing else, nothing written.
BAD_FILES = {
    "malformed_json": Bad("jsonl", b'{"reported_on": "2025-01-05", "kind": \n', r"1: record: malformed JSON"),
    "malformed_csv": Bad("csv", b'reported_on,kind,player,club\n2025-01-05,interest,"Marc Guehi,Arsenal\n',
                         r"2: record: malformed CSV"),
    "csv_with_extra_cells": Bad("csv", b"reported_on,kind,player,club\n2025-01-05,interest,Marc Guehi,Arsenal,x,y\n",
                                r"2: record: expected 4 cells"),
    "csv_with_unknown_header": Bad("csv", b"date,what\n2025-01-05,interest\n", r"1: record: CSV header"),
    "json_object_not_array": Bad("json", b'{"reported_on": "2025-01-05"}', r"1: record: .*array"),
    "unknown_kind": Bad("jsonl", _claim(kind="rumour"), r"1: kind: unknown kind 'rumour'"),
    "missing_club": Bad("jsonl", _claim(club=None), r"1: club: required"),
    "unknown_field": Bad("jsonl", _claim(colour="red"), r"1: colour: unknown field"),
    "impossible_date": Bad("jsonl", _claim(reported_on="2025-02-30"), r"1: reported_on: 2025-02-30 is not a real date"),
    "future_date": Bad("jsonl", _claim(reported_on="2999-01-01"), r"1: reported_on: .*future"),
    "negative_fee": Bad("jsonl", _claim(kind="bid", fee="-£5m"), r"1: fee: .*negative"),
    "absurd_fee": Bad("jsonl", _claim(kind="bid", fee="£900000m"), r"1: fee: .*absurd"),
    "overflowing_fee": Bad("jsonl", _claim(kind="bid", fee="£1e999m"), r"1: fee: "),
    "unknown_currency_text": Bad("jsonl", _claim(kind="bid", fee="70m zorkmids"), r"1: fee: .*currency"),
    "unknown_currency_code": Bad("jsonl", _claim(kind="bid", fee={"amount": "7000000", "currency": "XYZ"}),
                                 r"1: fee: .*'XYZ'"),
    "huge_field": Bad("jsonl", _claim(club="A" * 500_000), r"1: club: too long"),
    "huge_line": Bad("jsonl", _claim(evidence="e" * 3_000_000), r"1: record: line too long"),
    "deep_nesting": Bad("jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", r"1: record: JSON nested"),
    "nul_character": Bad("jsonl", _claim(player="Marc\x00Guehi"), r"1: player: contains a control character"),
    "terminal_escape": Bad("jsonl", _claim(player="Marc \x1b[31mGuehi"), r"1: player: contains a control character"),
    "sql_in_a_club": Bad("jsonl", _claim(club="Arsenal'; DROP TABLE events; --"), r"1: club: unknown club"),
    "sql_in_a_player": Bad("jsonl", _claim(player="Robert'); DROP TABLE events;--"), r"1: player: "),
    "binary_file": Bad("jsonl", bytes(range(256)) * 4, r"1: record: binary data"),
    "image_named_csv": Bad("csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"1: record: binary data"),
    "invalid_utf8": Bad("jsonl", b'\xff\xfe{"kind": "bid"}\n', r"1: record: not valid UTF-8"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    """A command run on its own; `expect` is searched in its one stderr line."""

    args: tuple[str, ...]  # {dir} is the folder holding `files`
    expect: str
    files: dict[str, bytes] = field(default_factory=dict)
    stdin: bytes = b""
    database_url: str | None = None  # instead of the shared test database


CASES = {
    "empty_file": Case(("ingest", "{dir}/empty.jsonl"), r"empty\.jsonl.*(empty|no claims)",
                       {"empty.jsonl": b""}),
    "empty_csv": Case(("ingest", "{dir}/empty.csv"), r"empty\.csv.*(empty|no claims)", {"empty.csv": b""}),
    "missing_file": Case(("ingest", "{dir}/missing.jsonl"), r"^rumours: .*missing\.jsonl: no such file"),
    "unknown_format": Case(("ingest", "--format", "xml", "{dir}/c.jsonl"), r"^rumours: Invalid value for '--format': 'xml' is not one of 'jsonl', 'json', 'csv'\.",
                           {"c.jsonl": _claim()}),
    "bad_stdin": Case(("ingest", "-"), r"^<stdin>:1: record: malformed JSON", stdin=b"{nope\n"),
    "file_named_like_an_option": Case(("ingest", "-x.jsonl"), r"-x"),
    "option_like_file_after_double_dash": Case(("ingest", "--", "-x.jsonl"), r"^-x\.jsonl:1: kind: unknown kind",
                                               {"-x.jsonl": _claim(kind="rumour")}),
    "player_nobody_knows": Case(("status", "Nobody Known"), r"^rumours: no player called 'Nobody Known'"),
    "player_close_to_a_known_one": Case(("status", "Guehi Smith"), r"^rumours: .*'Guehi Smith'.*did you mean Marc Guehi"),
    "player_named_like_an_option": Case(("status", "--", "--help"), r"^rumours: no player called '--help'"),
    "unknown_club": Case(("club", "Nowhere Rovers"), r"^rumours: unknown club 'Nowhere Rovers'; did you mean"),
    "impossible_as_of": Case(("status", "--as-of", "2025-02-30", "Marc Guehi"), r"^rumours: --as-of: '2025-02-30'"),
    "unreadable_known_at": Case(("status", "--known-at", "yesterday", "Marc Guehi"), r"^rumours: --known-at: 'yesterday'"),
    "retract_a_non_uuid": Case(("retract", "nope", "--reason", "x"), r"^rumours: event_id: 'nope' is neither an event id nor 4\+ hex digits"),
    "retract_an_unknown_event": Case(("retract", "3f6c1c1e-0000-4000-8000-000000000000", "--reason", "x"),
                                     r"^rumours: no event 3f6c1c1e"),
    "server_down": Case(("status", "Marc Guehi"), r"^rumours: cannot reach PostgreSQL at .*127\.0\.0\.1",
                        database_url=f"postgresql://writer:{SECRET}@127.0.0.1:{_closed_port()}/rumours"),
    "unparseable_url": Case(("status", "Marc Guehi"), r"^rumours: .*URL", database_url=f"not a url :{SECRET}@"),
    "url_of_another_database": Case(("status", "Marc Guehi"), r"^rumours: .*(PostgreSQL|URL)",
                                    database_url=f"mysql://u:{SECRET}@localhost/x"),
}  # fmt: skip
ALL_BAD_FILES = Case(
    ("ingest", *(f"{name}.{bad.suffix}" for name, bad in BAD_FILES.items())),
    "",
    {f"{name}.{bad.suffix}": bad.content for name, bad in BAD_FILES.items()},
)


def _rumours() -> str:
    found = shutil.which("rumours", path=str(Path(sys.executable).parent))
    assert found is not None, "the rumours console script is installed in the venv"
    return found


def _run(case: Case, folder: Path, database_url: str) -> subprocess.CompletedProcess[bytes]:
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    env = {**os.environ, "RUMOURS_DATABASE_URL": case.database_url or database_url}
    env.pop("RUMOURS_DEBUG", None)
    args = [arg.replace("{dir}", str(folder)) for arg in case.args]
    return subprocess.run(
        [_rumours(), *args],
        input=case.stdin,
        env=env,
        cwd=folder,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def shared_database(server_url: str, template_name: str) -> Iterator[sa.Engine]:
    name = pg.create_database(server_url, template_name)
    engine = create_ledger_engine(pg.with_database(server_url, name))
    ingest(engine, [str(EXAMPLES)])
    yield engine
    engine.dispose()
    pg.drop_database(server_url, name)


@pytest.fixture(scope="module")
def outcomes(
    shared_database: sa.Engine, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, subprocess.CompletedProcess[bytes]]:
    url = shared_database.url.render_as_string(hide_password=False)
    runs = {**CASES, "all_bad_files": ALL_BAD_FILES}
    folders = {name: tmp_path_factory.mktemp(name) for name in runs}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(_run, case, folders[name], url) for name, case in runs.items()}
        return {name: future.result() for name, future in futures.items()}


def _clean_stderr(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr
    assert SECRET not in stderr + done.stdout.decode("utf-8", errors="replace")
    assert done.returncode != 0, f"exit 0; stdout: {done.stdout[:300]!r}"
    lines = stderr.strip().splitlines()
    assert all(len(line) < 400 for line in lines), "an error line never echoes a huge value back"
    return lines


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_command_gives_one_clear_line_and_a_non_zero_exit(
    name: str, outcomes: dict[str, subprocess.CompletedProcess[bytes]]
) -> None:
    lines = _clean_stderr(outcomes[name])
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {lines[:6]}"
    assert re.search(CASES[name].expect, lines[0]), lines[0]


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_gives_one_file_line_field_reason_line(
    name: str, outcomes: dict[str, subprocess.CompletedProcess[bytes]]
) -> None:
    bad = BAD_FILES[name]
    prefix = f"{name}.{bad.suffix}:"
    lines = [line for line in _clean_stderr(outcomes["all_bad_files"]) if line.startswith(prefix)]
    assert len(lines) == 1, f"expected one line for {prefix}, got {lines}"
    assert re.match(re.escape(prefix) + bad.expect, lines[0]), lines[0]


def test_a_run_over_many_bad_files_prints_nothing_but_their_error_lines(
    outcomes: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    lines = _clean_stderr(outcomes["all_bad_files"])
    names = sorted(line.split(":", 1)[0] for line in lines)
    assert names == sorted(f"{name}.{bad.suffix}" for name, bad in BAD_FILES.items())
    assert b"nothing was written" in outcomes["all_bad_files"].stdout


def test_no_bad_input_wrote_anything(
    shared_database: sa.Engine, outcomes: dict[str, subprocess.CompletedProcess[bytes]]
) -> None:
    with shared_database.connect() as conn:
        head = conn.execute(sa.text("SELECT last_position FROM ledger_head")).scalar_one()
        players = conn.execute(sa.text("SELECT name FROM players ORDER BY name")).scalars().all()
    assert len(outcomes) == len(CASES) + 1
    assert head == 17
    expected = sorted({json.loads(line)["player"] for line in EXAMPLES.read_text().splitlines()})
    assert players == expected, "every player beyond the examples came from a bad input"


def test_sql_metacharacters_in_accepted_text_are_stored_verbatim_and_never_run(
    engine: sa.Engine, tmp_path: Path
) -> None:
    evidence = 'Robert\'); DROP TABLE events; -- said "hello" \\ %s %(x)s $1'
    path = tmp_path / "c.jsonl"
    path.write_bytes(_claim(player="Dara O'Shea", evidence=evidence))
    assert ingest(engine, [str(path)]).appended == 1
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT payload->>'evidence' FROM events")).scalar_one()
        name = conn.execute(sa.text("SELECT name FROM players")).scalar_one()
    assert (stored, name) == (evidence, "Dara O'Shea")


def test_a_lock_wait_that_times_out_is_one_line_that_does_not_blame_the_server(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    """Another session holds the row every append locks; the CLI's wait ends at lock_timeout.

    The CLI sets statement_timeout itself, but not lock_timeout, so a per-database default
    shortens the wait to something a test can afford.
    """
    name = sa.engine.make_url(database_url).database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"ALTER DATABASE \"{name}\" SET lock_timeout = '200ms'"))
    case = Case(("ingest", "{dir}/c.jsonl"), "", {"c.jsonl": _claim()})
    with engine.begin() as holder:
        holder.execute(sa.text("SELECT * FROM ledger_head WHERE id = 1 FOR UPDATE"))
        done = _run(case, tmp_path, database_url)
    [line] = _clean_stderr(done)
    assert done.returncode == 3
    assert re.match(r"rumours: PostgreSQL gave up waiting for a lock .*lock_timeout", line), line
