"""Least-privilege login roles for the ledger (SPEC §7), made by `rumours db roles`.

Three roles, each allowed exactly what its job needs and nothing more:

- **writer** (ingest, ingest-articles, retract): appends only through `ledger_append` (and
  `ledger_append_one` for a single event, migration 0011) and takes the append lock only through
  `ledger_lock` (migration 0006): all run as the schema's owner, so
  the writer needs, and has, no INSERT on `events` and no UPDATE on `ledger_head`; it cannot put
  an event at a position of its choosing or move the head. SELECT on `events` and `ledger_head`
  (dedupe, retractions, the head position); SELECT + INSERT on `articles` and `players`. No
  UPDATE, DELETE or TRUNCATE anywhere: refused by privilege first and, on `events` and
  `articles`, by the immutability triggers second. The same SELECT + INSERT on the review queue
  (`review_items`, `review_decisions`): ingest queues unsure claims there and `rumours review
  accept/reject` records decisions; both tables are append-only too.
- **projector** (`rumours project`, `--follow`, the catch-up inside `Boards`): reads the ledger
  (`events`, `players`, `ledger_head`) and writes the read model (SELECT, INSERT, UPDATE on
  `pursuit_versions`, `player_versions`, `projection_checkpoints`; UPDATE closes superseded rows
  and advances the checkpoint); SELECT + INSERT on `likelihood_books`, the fitted likelihood
  books it stores for every later process (migration 0009: a stored book is never changed).
  `project --rebuild` drops and swaps tables, so it stays with the
  owner of the schema, like migrations.
- **reader** (every read command: boards for a web site, `history`, `sources`, `review` lists):
  SELECT on the projection tables (the stored likelihood books among them), on `players` (names), on the review queue so `rumours review`
  can list it (deciding needs the writer), and on `events`, because `history` and the source
  board are folded from the claims at query time; claims are what the boards publish anyway.
  It cannot read `articles` (their full text) and writes nothing. It may also read `ledger_head`
  (one counter: how far the ledger goes, so an answer can say which position it reflects) and
  `alembic_version` (so the CLI can check the schema).

Every role may read `alembic_version`: each command checks the schema revision before working.

Re-running is safe and convergent: each run revokes every table and function privilege the three
roles hold in the schema and grants the lists below again. Passwords are never sent or logged in
clear: the SCRAM verifier is computed on the client (libpq `PQencryptPasswordConn`) and only the
verifier reaches the server, whose statement log therefore never holds a usable password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import sqlalchemy as sa
from psycopg import sql

from ledger.database import translated_errors
from ledger.errors import InputError
from ledger.logs import get_logger

log = get_logger(__name__)

ROLE_NAME: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_READ = ("SELECT",)
_APPEND = ("SELECT", "INSERT")
_PROJECT = ("SELECT", "INSERT", "UPDATE")

Grants = Mapping[str, tuple[str, ...]]  # table -> privileges

# The writer's only ways to append (migrations 0006, 0011 for a single event and 0012 for a
# bulk batch from a staged table); no other role may execute them.
WRITER_FUNCTIONS: Final = (
    "ledger_append",
    "ledger_append_one",
    "ledger_lock",
    "ledger_stage_bulk",
    "ledger_append_staged",
)

WRITER_GRANTS: Final[Grants] = MappingProxyType(
    {
        "events": _READ,
        "articles": _APPEND,
        "players": _APPEND,
        "review_items": _APPEND,
        "review_decisions": _APPEND,
        "ledger_head": _READ,
        "alembic_version": _READ,
    }
)
PROJECTOR_GRANTS: Final[Grants] = MappingProxyType(
    {
        "events": _READ,
        "players": _READ,
        "ledger_head": _READ,
        "alembic_version": _READ,
        "pursuit_versions": _PROJECT,
        "player_versions": _PROJECT,
        "projection_checkpoints": _PROJECT,
        "likelihood_books": _APPEND,
    }
)
READER_GRANTS: Final[Grants] = MappingProxyType(
    {
        "pursuit_versions": _READ,
        "player_versions": _READ,
        "projection_checkpoints": _READ,
        "likelihood_books": _READ,
        "players": _READ,
        "review_items": _READ,
        "review_decisions": _READ,
        "events": _READ,
        "ledger_head": _READ,
        "alembic_version": _READ,
    }
)


@dataclass(frozen=True, slots=True)
class RoleOutcome:
    """What `create_roles` did for one role."""

    job: str  # writer, projector or reader
    name: str
    created: bool
    password_set: bool
    grants: Grants = field(repr=False)


def create_roles(
    engine: sa.Engine,
    *,
    writer: str = "rumours_writer",
    projector: str = "rumours_projector",
    reader: str = "rumours_reader",
    passwords: Mapping[str, str] | None = None,
) -> list[RoleOutcome]:
    """Create (or bring up to date) the three roles on the engine's database, in one transaction.

    `passwords` maps a role name to its password; a role missing from it keeps the password it
    has (a new one then has none, which only works with trust or peer authentication). Needs a
    superuser, or a role with CREATEROLE that owns the database and the schema's tables.
    """
    jobs = {"writer": (writer, WRITER_GRANTS, WRITER_FUNCTIONS),
            "projector": (projector, PROJECTOR_GRANTS, ()),
            "reader": (reader, READER_GRANTS, ())}  # fmt: skip
    _check_names([name for name, _, _ in jobs.values()])
    given = dict(passwords or {})
    outcomes: list[RoleOutcome] = []
    with translated_errors(engine.url), engine.begin() as conn:
        for job, (name, grants, functions) in jobs.items():
            created = _ensure_role(conn, name)
            password = given.get(name)
            if password:
                _set_password(conn, name, password)
            _reset_grants(conn, name, grants, functions)
            outcomes.append(RoleOutcome(job, name, created, bool(password), grants))
    for outcome in outcomes:
        log.info("role_ready", job=outcome.job, role=outcome.name, created=outcome.created,
                 password_set=outcome.password_set)  # fmt: skip
    return outcomes


def _check_names(names: list[str]) -> None:
    for name in names:
        if not ROLE_NAME.fullmatch(name):
            raise InputError(
                f"role name '{name[:70]}': use lower-case letters, digits and _ (at most 63)"
            )
    if len(set(names)) != len(names):
        raise InputError("the writer, projector and reader roles need three different names")


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _ensure_role(conn: sa.Connection, name: str) -> bool:
    """Create the login role if missing; refuse a name that belongs to a privileged role."""
    row = conn.execute(
        sa.text(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication, "
            "rolname = current_user OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid "
            "AND c.relnamespace = CAST(current_schema() AS regnamespace)) "
            "FROM pg_roles r WHERE rolname = :n"
        ),
        {"n": name},
    ).first()
    if row is None:
        conn.execute(sa.text(f"CREATE ROLE {_quote(conn, name)} LOGIN"))
        return True
    if row[0] or row[1]:
        raise InputError(
            f"role '{name}' already exists and is privileged or owns the schema; "
            "choose another name (least-privilege roles must be plain login roles)"
        )
    conn.execute(sa.text(f"ALTER ROLE {_quote(conn, name)} LOGIN"))
    return False


def _set_password(conn: sa.Connection, name: str, password: str) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    verifier = raw.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(name), sql.Literal(verifier.decode())
    )
    raw.execute(statement)


def _reset_grants(
    conn: sa.Connection, name: str, grants: Grants, functions: tuple[str, ...]
) -> None:
    role = _quote(conn, name)
    database = _quote(conn, conn.execute(sa.text("SELECT current_database()")).scalar_one())
    schema = _quote(conn, conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    conn.execute(sa.text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"))
    conn.execute(sa.text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}"))
    conn.execute(sa.text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role}"))
    conn.execute(sa.text(f"GRANT CONNECT ON DATABASE {database} TO {role}"))
    conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
    for table, privileges in grants.items():
        conn.execute(
            sa.text(f"GRANT {', '.join(privileges)} ON {schema}.{_quote(conn, table)} TO {role}")
        )
    for function in functions:
        conn.execute(
            sa.text(f"GRANT EXECUTE ON FUNCTION {schema}.{_quote(conn, function)} TO {role}")
        )
